/* arrow_c.c - frames through the Arrow C Data Interface.
 *
 * Export: a batch becomes a struct array whose children point straight into
 * auk's buffers. Each child's private_data holds a reference to its
 * auk_array, so a consumer may keep, move or release children in any order
 * and independently of the frame.
 *
 * Import: the foreign ArrowArray is moved into a refcounted owner. Every
 * foreign buffer auk shares is wrapped in an auk_buffer whose release drops
 * one owner reference; the import holds one more while it runs. The
 * producer's release runs when the count reaches zero, i.e. after the last
 * frame, slice or batch using that memory is gone. Layouts auk does not
 * share (int32 offsets, views, other time units, dictionaries) are
 * converted into owned buffers; their validity bitmap is still shared. A
 * converted column keeps the sub-byte part of the foreign offset (0..7) so
 * that the bitmap is shared from a whole byte without shifting bits. */
#include "core/decimal.h"
#include "io/arrow_c.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/types.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ export */

static const char *export_format(const auk_field *f, char *buf, size_t cap) {
  if (auk_type_is_decimal(f->type)) { /* decimal128: 16-byte values, converted on export */
    snprintf(buf, cap, "d:%d,%d", auk_decimal_precision(f->type), auk_decimal_scale(f->type));
    return buf;
  }
  switch (f->type) {
    case AUK_TYPE_NULL: return "n";
    case AUK_TYPE_BOOL: return "b";
    case AUK_TYPE_INT8: return "c";
    case AUK_TYPE_INT16: return "s";
    case AUK_TYPE_INT32: return "i";
    case AUK_TYPE_INT64: return "l";
    case AUK_TYPE_UINT8: return "C";
    case AUK_TYPE_UINT16: return "S";
    case AUK_TYPE_UINT32: return "I";
    case AUK_TYPE_UINT64: return "L";
    case AUK_TYPE_FLOAT32: return "f";
    case AUK_TYPE_FLOAT64: return "g";
    case AUK_TYPE_STRING: return "U";
    case AUK_TYPE_DATE: return "tdD";
    case AUK_TYPE_DATETIME:
      snprintf(buf, cap, "tsu:%s", f->timezone ? f->timezone : "");
      return buf;
    default: return NULL;
  }
}

/* A child schema owns one block: its size, then format and name. */
typedef struct {
  size_t size;
  char text[];
} field_priv;

static void release_field_schema(struct ArrowSchema *s) {
  field_priv *p = s->private_data;
  auk_mem_free(p, p->size);
  s->release = NULL;
}

/* The struct schema owns its children's structs and the pointers to them. */
typedef struct {
  size_t size;
  int64_t n;
  struct ArrowSchema **ptrs;
  struct ArrowSchema *kids;
} struct_schema_priv;

static void release_struct_schema(struct ArrowSchema *s) {
  struct_schema_priv *p = s->private_data;
  for (int64_t i = 0; i < p->n; i++)
    if (p->kids[i].release) p->kids[i].release(&p->kids[i]);
  auk_mem_free(p, p->size);
  s->release = NULL;
}

auk_status auk_arrow_export_schema(const auk_schema *sch, struct ArrowSchema *out, auk_error *err) {
  memset(out, 0, sizeof *out);
  int64_t n = sch->nfields;
  size_t size = sizeof(struct_schema_priv) +
                (size_t)n * (sizeof(struct ArrowSchema *) + sizeof(struct ArrowSchema));
  struct_schema_priv *p = auk_mem_calloc(size, err);
  if (!p) return err->code;
  p->size = size;
  p->n = n;
  p->kids = (struct ArrowSchema *)(p + 1);
  p->ptrs = (struct ArrowSchema **)(p->kids + n);
  out->format = "+s";
  out->name = "";
  out->n_children = n;
  out->children = p->ptrs;
  out->private_data = p;
  out->release = release_struct_schema;
  for (int64_t i = 0; i < n; i++) {
    const auk_field *f = &sch->fields[i];
    char buf[300];
    const char *fmt = export_format(f, buf, sizeof buf);
    if (!fmt) {
      auk_error_set(err, AUK_ERR_INTERNAL, "column '%s' has an unknown type", f->name);
      goto fail;
    }
    const char *name = f->name ? f->name : "";
    size_t lf = strlen(fmt) + 1, ln = strlen(name) + 1;
    field_priv *fp = auk_mem_alloc(sizeof *fp + lf + ln, err);
    if (!fp) goto fail;
    fp->size = sizeof *fp + lf + ln;
    memcpy(fp->text, fmt, lf);
    memcpy(fp->text + lf, name, ln);
    struct ArrowSchema *k = &p->kids[i];
    k->format = fp->text;
    k->name = fp->text + lf;
    k->flags = ARROW_FLAG_NULLABLE;
    k->private_data = fp;
    k->release = release_field_schema;
    p->ptrs[i] = k;
  }
  return AUK_OK;
fail:
  out->release(out);
  memset(out, 0, sizeof *out);
  return err->code;
}

/* An exported column: a reference to its array and the buffer pointers
 * (and, for decimals, the 16-byte values made for Arrow's decimal128). */
typedef struct {
  auk_array *arr;
  const void *bufs[3];
  uint8_t *wide;
  size_t wide_size;
} column_priv;

static void release_column(struct ArrowArray *a) {
  column_priv *p = a->private_data;
  auk_array_release(p->arr);
  if (p->wide) auk_mem_free(p->wide, p->wide_size);
  auk_mem_free(p, sizeof *p);
  a->release = NULL;
}

typedef struct {
  size_t size;
  int64_t n;
  const void *bufs[1];
  struct ArrowArray **ptrs;
  struct ArrowArray *kids;
} batch_priv;

static void release_batch(struct ArrowArray *a) {
  batch_priv *p = a->private_data;
  for (int64_t i = 0; i < p->n; i++)
    if (p->kids[i].release) p->kids[i].release(&p->kids[i]);
  auk_mem_free(p, p->size);
  a->release = NULL;
}

static auk_status export_column(auk_array *a, struct ArrowArray *out, auk_error *err) {
  column_priv *p = auk_mem_calloc(sizeof *p, err);
  if (!p) return err->code;
  p->arr = auk_array_retain(a);
  out->length = a->length;
  out->offset = a->offset;
  out->null_count = a->null_count;
  out->buffers = p->bufs;
  if (a->type == AUK_TYPE_NULL) {
    out->n_buffers = 0; /* Arrow's null type has no buffers */
    out->offset = 0;
    out->null_count = a->length;
  } else {
    p->bufs[0] = a->validity ? a->validity->data : NULL;
    if (a->type == AUK_TYPE_STRING) {
      out->n_buffers = 3;
      p->bufs[1] = a->offsets->data;
      p->bufs[2] = a->values->data;
    } else if (auk_type_is_decimal(a->type)) {
      /* little-endian two's complement in 16 bytes for the array's rows;
       * the validity bitmap is shared from the byte holding the first row,
       * so the exported offset is the offset's sub-byte part (0..7) */
      int64_t r = a->offset & 7, base = a->offset - r;
      out->n_buffers = 2;
      out->offset = r;
      p->bufs[0] = a->validity ? a->validity->data + base / 8 : NULL;
      p->wide_size = (size_t)(r + a->length) * 16 + 16;
      p->wide = auk_mem_calloc(p->wide_size, err);
      if (!p->wide) {
        auk_array_release(p->arr);
        auk_mem_free(p, sizeof *p);
        return err->code;
      }
      const int64_t *v = (const int64_t *)a->values->data + a->offset;
      for (int64_t i = 0; i < a->length; i++) {
        int64_t hi = v[i] < 0 ? -1 : 0;
        memcpy(p->wide + 16 * (r + i), &v[i], 8);
        memcpy(p->wide + 16 * (r + i) + 8, &hi, 8);
      }
      p->bufs[1] = p->wide;
    } else {
      out->n_buffers = 2;
      p->bufs[1] = a->values->data;
    }
  }
  out->private_data = p;
  out->release = release_column;
  return AUK_OK;
}

auk_status auk_arrow_export_batch(const auk_batch *b, struct ArrowArray *out, auk_error *err) {
  memset(out, 0, sizeof *out);
  int64_t n = b->ncols;
  size_t size =
      sizeof(batch_priv) + (size_t)n * (sizeof(struct ArrowArray *) + sizeof(struct ArrowArray));
  batch_priv *p = auk_mem_calloc(size, err);
  if (!p) return err->code;
  p->size = size;
  p->n = n;
  p->ptrs = (struct ArrowArray **)(p + 1);
  p->kids = (struct ArrowArray *)(p->ptrs + n);
  out->length = b->nrows;
  out->n_buffers = 1; /* the struct's validity: none, every row is valid */
  out->buffers = p->bufs;
  out->n_children = n;
  out->children = p->ptrs;
  out->private_data = p;
  out->release = release_batch;
  for (int64_t i = 0; i < n; i++) {
    p->ptrs[i] = &p->kids[i];
    if (export_column(b->cols[i], &p->kids[i], err)) {
      out->release(out);
      memset(out, 0, sizeof *out);
      return err->code;
    }
  }
  return AUK_OK;
}

/* ------------------------------------------------------------ import */

typedef enum {
  K_NULL,
  K_BOOL,
  K_FIXED,      /* shared as is: ints, floats, date32, timestamp[us] */
  K_LARGE_UTF8, /* shared as is */
  K_UTF8,       /* int32 offsets widened, bytes shared */
  K_VIEW,       /* copied */
  K_DATE64,     /* ms -> days */
  K_TIMESTAMP,  /* s, ms, ns -> us */
  K_DECIMAL,    /* decimal128 with precision <= 18 -> int64 */
} import_kind;

typedef struct col_spec {
  import_kind kind;
  auk_type_id type; /* what auk stores */
  int width;        /* bytes per foreign value (K_FIXED, K_DATE64, K_TIMESTAMP) */
  int is_signed;
  int64_t mul, div;      /* timestamps: foreign unit -> microseconds */
  struct col_spec *dict; /* dictionary values, when the column is encoded */
  char format[40];       /* the foreign format, cut, for messages */
} col_spec;

struct auk_arrow_import {
  auk_schema *schema;
  int is_struct;
  int ncols;
  col_spec *cols;
};

/* Errors about one column name it and its foreign format. */
static auk_status col_error(auk_error *err, auk_status code, const char *col, const col_spec *sp,
                            const char *fmt, ...) AUK_PRINTF(5, 6);
static auk_status col_error(auk_error *err, auk_status code, const char *col, const col_spec *sp,
                            const char *fmt, ...) {
  char msg[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return auk_error_set(err, code, "Arrow import: column '%s' (format '%s'): %s", col, sp->format,
                       msg);
}

static const char *describe_format(const char *f) {
  static const struct {
    const char *prefix, *what;
  } known[] = {{"+l", "list"},
               {"+L", "large list"},
               {"+vl", "list view"},
               {"+vL", "large list view"},
               {"+w:", "fixed-size list"},
               {"+s", "struct"},
               {"+m", "map"},
               {"+u", "union"},
               {"+r", "run-end encoded"},
               {"vz", "binary view"},
               {"z", "binary"},
               {"Z", "large binary"},
               {"e", "float16"},
               {"d:", "decimal"},
               {"w:", "fixed-size binary"},
               {"tt", "time of day"},
               {"tD", "duration"},
               {"ti", "interval"}};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (!strncmp(f, known[i].prefix, strlen(known[i].prefix))) return known[i].what;
  return "unknown";
}

static void spec_free(col_spec *sp) {
  if (!sp) return;
  spec_free(sp->dict);
  auk_mem_free(sp->dict, sp->dict ? sizeof *sp->dict : 0);
  sp->dict = NULL;
}

static int is_index_format(const col_spec *sp) {
  return sp->kind == K_FIXED && auk_type_is_integer(sp->type);
}

/* Reads one column's format (and dictionary) into *sp; *tz receives the
 * time zone of a timestamp (a pointer into the format), else NULL. */
static auk_status parse_field(const struct ArrowSchema *s, const char *col, col_spec *sp,
                              const char **tz, int depth, auk_error *err) {
  memset(sp, 0, sizeof *sp);
  *tz = NULL;
  if (!s->format)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "Arrow import: column '%s' has no format string", col);
  snprintf(sp->format, sizeof sp->format, "%s", s->format);
  if (!s->release)
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp, "the schema is released");
  const char *f = s->format;
  static const struct {
    const char *f;
    auk_type_id t;
    int width, is_signed;
  } fixed[] = {
      {"c", AUK_TYPE_INT8, 1, 1},    {"C", AUK_TYPE_UINT8, 1, 0},  {"s", AUK_TYPE_INT16, 2, 1},
      {"S", AUK_TYPE_UINT16, 2, 0},  {"i", AUK_TYPE_INT32, 4, 1},  {"I", AUK_TYPE_UINT32, 4, 0},
      {"l", AUK_TYPE_INT64, 8, 1},   {"L", AUK_TYPE_UINT64, 8, 0}, {"f", AUK_TYPE_FLOAT32, 4, 0},
      {"g", AUK_TYPE_FLOAT64, 8, 0}, {"tdD", AUK_TYPE_DATE, 4, 1}};
  int found = 0;
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    if (!strcmp(f, fixed[i].f)) {
      sp->kind = K_FIXED;
      sp->type = fixed[i].t;
      sp->width = fixed[i].width;
      sp->is_signed = fixed[i].is_signed;
      found = 1;
    }
  if (found) {
    /* a fixed-width type, set above */
  } else if (!strcmp(f, "n")) {
    sp->kind = K_NULL;
    sp->type = AUK_TYPE_NULL;
  } else if (!strcmp(f, "b")) {
    sp->kind = K_BOOL;
    sp->type = AUK_TYPE_BOOL;
  } else if (!strcmp(f, "U")) {
    sp->kind = K_LARGE_UTF8;
    sp->type = AUK_TYPE_STRING;
  } else if (!strcmp(f, "u")) {
    sp->kind = K_UTF8;
    sp->type = AUK_TYPE_STRING;
  } else if (!strcmp(f, "vu")) {
    sp->kind = K_VIEW;
    sp->type = AUK_TYPE_STRING;
  } else if (!strcmp(f, "tdm")) {
    sp->kind = K_DATE64;
    sp->type = AUK_TYPE_DATE;
    sp->width = 8;
  } else if (!strncmp(f, "d:", 2)) {
    /* d:precision,scale[,bitwidth] */
    int prec = -1, scale = -1, bits = 128, used = 0;
    int k = sscanf(f + 2, "%d,%d%n,%d%n", &prec, &scale, &used, &bits, &used);
    if (k < 2 || f[2 + used] || (bits != 128 && bits != 64) || prec < 1 || scale < 0 ||
        scale > prec)
      return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp, "malformed decimal format%s", "");
    if (!auk_decimal_valid(prec, scale))
      return col_error(err, AUK_ERR_UNSUPPORTED, col, sp,
                       "decimals of precision %d are not supported (auk's hold up to 18 digits)",
                       prec);
    sp->kind = K_DECIMAL;
    sp->type = AUK_DECIMAL(prec, scale);
    sp->width = bits / 8;
  } else if (!strncmp(f, "ts", 2) && f[2] && f[3] == ':' && strchr("smun", f[2])) {
    sp->type = AUK_TYPE_DATETIME;
    sp->width = 8;
    sp->mul = f[2] == 's' ? 1000000 : f[2] == 'm' ? 1000 : 1;
    sp->div = f[2] == 'n' ? 1000 : 1;
    sp->kind = f[2] == 'u' ? K_FIXED : K_TIMESTAMP;
    sp->is_signed = 1;
    if (f[4]) *tz = f + 4;
  } else {
    return col_error(err, AUK_ERR_UNSUPPORTED, col, sp, "Arrow type %s is not supported",
                     describe_format(f));
  }
  if (s->n_children != 0)
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp,
                     "a %s type cannot have children (n_children %lld)", auk_type_name(sp->type),
                     (long long)s->n_children);
  if (s->dictionary) {
    if (depth > 0)
      return col_error(err, AUK_ERR_UNSUPPORTED, col, sp, "nested dictionaries are not supported");
    if (!is_index_format(sp))
      return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp,
                       "dictionary indices must be integers");
    sp->dict = auk_mem_alloc(sizeof *sp->dict, err);
    if (!sp->dict) return err->code;
    const char *dtz;
    if (parse_field(s->dictionary, col, sp->dict, &dtz, depth + 1, err)) return err->code;
    sp->type = sp->dict->type;
    *tz = dtz;
  }
  return AUK_OK;
}

void auk_arrow_import_free(auk_arrow_import *imp) {
  if (!imp) return;
  if (imp->cols)
    for (int i = 0; i < imp->ncols; i++) spec_free(&imp->cols[i]);
  auk_mem_free(imp->cols, sizeof(col_spec) * (size_t)(imp->ncols > 0 ? imp->ncols : 1));
  auk_schema_release(imp->schema);
  auk_mem_free(imp, sizeof *imp);
}

auk_schema *auk_arrow_import_schema(const auk_arrow_import *imp) {
  return imp->schema;
}

auk_status auk_arrow_import_new(const struct ArrowSchema *s, auk_arrow_import **out,
                                auk_error *err) {
  *out = NULL;
  if (!s->release)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "Arrow import: the schema is released");
  if (!s->format)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "Arrow import: schema without a format");
  int is_struct = !strcmp(s->format, "+s") && !s->dictionary;
  int64_t n = is_struct ? s->n_children : 1;
  if (n < 0 || n > 1000000 || (is_struct && n > 0 && !s->children))
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "Arrow import: struct schema with n_children %lld and children %s",
                         (long long)s->n_children, s->children ? "set" : "NULL");
  auk_arrow_import *imp = auk_mem_calloc(sizeof *imp, err);
  if (!imp) return err->code;
  imp->is_struct = is_struct;
  imp->ncols = (int)n;
  imp->cols = auk_mem_calloc(sizeof(col_spec) * (size_t)(n > 0 ? n : 1), err);
  imp->schema = auk_schema_new((int)n, err);
  if (!imp->cols || !imp->schema) goto fail;
  for (int i = 0; i < n; i++) {
    const struct ArrowSchema *c = is_struct ? s->children[i] : s;
    char name[32];
    if (!c) {
      auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "Arrow import: child schema %d is NULL", i);
      goto fail;
    }
    const char *nm = c->name;
    if (!nm || (!*nm && !is_struct)) {
      snprintf(name, sizeof name, is_struct ? "column_%d" : "column", i + 1);
      nm = name;
    }
    const char *tz;
    if (parse_field(c, nm, &imp->cols[i], &tz, 0, err)) goto fail;
    if (auk_schema_set(imp->schema, i, nm, imp->cols[i].type, err)) goto fail;
    if (tz && !(imp->schema->fields[i].timezone = auk_str_dup(tz, err))) goto fail;
  }
  *out = imp;
  return AUK_OK;
fail:
  auk_arrow_import_free(imp);
  return err->code;
}

/* The moved foreign array and the count of auk buffers sharing it. */
typedef struct {
  _Atomic int64_t refs;
  struct ArrowArray array;
} owner_t;

static void owner_release(owner_t *o) {
  if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) != 1) return;
  if (o->array.release) o->array.release(&o->array);
  auk_mem_free(o, sizeof *o);
}

static void owner_unref(void *owner, void *data, int64_t size) {
  (void)data;
  (void)size;
  owner_release(owner);
}

/* Wraps foreign memory as an auk buffer holding a reference to the owner. */
static auk_buffer *share(owner_t *o, const void *p, int64_t size, auk_error *err) {
  atomic_fetch_add_explicit(&o->refs, 1, memory_order_relaxed);
  auk_buffer *b = auk_buffer_wrap((void *)p, size, owner_unref, o, err);
  if (!b) owner_release(o);
  return b;
}

/* An owned buffer of n bytes, zeroed. */
static auk_buffer *owned(int64_t n, auk_error *err) {
  auk_buffer *b = auk_buffer_new(n, err);
  if (b) {
    memset(b->data, 0, (size_t)n);
    b->size = n;
  }
  return b;
}

/* Makes the array and drops the caller's references to the buffers. */
static auk_array *make_array(auk_type_id t, int64_t len, int64_t offset, int64_t nulls,
                             auk_buffer *validity, auk_buffer *values, auk_buffer *offsets,
                             auk_error *err) {
  auk_array *a = auk_array_new_from(t, len, nulls, validity, values, offsets, err);
  if (a) a->offset = offset;
  auk_buffer_release(validity);
  auk_buffer_release(values);
  auk_buffer_release(offsets);
  return a;
}

/* What one column import needs: the foreign array, the logical range
 * [off, off + len) of its buffers, and where errors go. */
typedef struct {
  const col_spec *sp;
  const char *col;
  const struct ArrowArray *c;
  int64_t off, len;
  const uint8_t *bits; /* foreign validity or NULL */
  owner_t *owner;
  auk_error *err;
} col_ctx;

static int is_valid(const col_ctx *x, int64_t i) {
  return !x->bits || auk_bit_get(x->bits, x->off + i);
}

/* The shared validity for an array whose element i sits at physical index
 * (off - base) + i: the foreign bitmap from byte base/8 on (base is a
 * multiple of 8), or NULL when there are no nulls. */
static auk_status take_validity(const col_ctx *x, int64_t base, auk_buffer **out, int64_t *nulls) {
  *out = NULL;
  *nulls = 0;
  if (!x->bits) return AUK_OK;
  int64_t n = x->len - auk_bitmap_count(x->bits, x->off, x->len);
  if (n == 0) return AUK_OK;
  *nulls = n;
  *out = share(x->owner, x->bits + base / 8, auk_bitmap_bytes(x->off + x->len) - base / 8, x->err);
  return *out ? AUK_OK : x->err->code;
}

static const void *buffer_at(const col_ctx *x, int i, int64_t bytes, const char *what) {
  const void *p = x->c->buffers[i];
  if (!p && bytes > 0)
    col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp,
              "the %s buffer is NULL for %lld rows at offset %lld", what, (long long)x->len,
              (long long)x->off);
  return p;
}

static int64_t read_int(const uint8_t *p, int width, int is_signed, int64_t i) {
  switch (width) {
    case 1: return is_signed ? (int64_t)(int8_t)p[i] : (int64_t)p[i];
    case 2: {
      uint16_t v;
      memcpy(&v, p + 2 * i, 2);
      return is_signed ? (int64_t)(int16_t)v : (int64_t)v;
    }
    case 4: {
      uint32_t v;
      memcpy(&v, p + 4 * i, 4);
      return is_signed ? (int64_t)(int32_t)v : (int64_t)v;
    }
    default: {
      int64_t v;
      memcpy(&v, p + 8 * i, 8);
      return v; /* uint64 indices past INT64_MAX read negative: out of range */
    }
  }
}

/* Bool and fixed-width values in auk's own layout: shared, unless the
 * pointer is misaligned for the type (then copied). */
static auk_status import_fixed(const col_ctx *x, auk_array **out) {
  const col_spec *sp = x->sp;
  int w = sp->kind == K_BOOL ? 0 : sp->width;
  int64_t end = x->off + x->len;
  int64_t bytes = w ? end * w : auk_bitmap_bytes(end);
  const uint8_t *v = buffer_at(x, 1, bytes, "values");
  if (!v && bytes > 0) return x->err->code;
  auk_buffer *validity, *values;
  int64_t nulls, base = 0;
  if (v && w > 1 && (uintptr_t)v % (uintptr_t)w) {
    base = x->off & ~(int64_t)7;
    int64_t r = x->off - base;
    values = owned((r + x->len) * w, x->err);
    if (!values) return x->err->code;
    memcpy(values->data + r * w, v + x->off * w, (size_t)(x->len * w));
  } else {
    values = v ? share(x->owner, v, bytes, x->err) : owned(0, x->err);
    if (!values) return x->err->code;
  }
  if (take_validity(x, base, &validity, &nulls)) {
    auk_buffer_release(values);
    return x->err->code;
  }
  *out = make_array(sp->type, x->len, x->off - base, nulls, validity, values, NULL, x->err);
  return *out ? AUK_OK : x->err->code;
}

/* utf8 / large_utf8: offsets validated; int64 offsets aligned are shared,
 * anything else widened into an owned buffer; the bytes are shared. */
static auk_status import_offsets_string(const col_ctx *x, int w, auk_array **out) {
  int64_t end = x->off + x->len;
  const uint8_t *o = x->c->buffers[1];
  if (!o) {
    if (end == 0) { /* an empty array may omit its offsets */
      auk_buffer *offs = owned(8, x->err), *bytes = offs ? owned(0, x->err) : NULL;
      if (!bytes) {
        auk_buffer_release(offs);
        return x->err->code;
      }
      *out = make_array(AUK_TYPE_STRING, 0, 0, 0, NULL, bytes, offs, x->err);
      return *out ? AUK_OK : x->err->code;
    }
    return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp, "the offsets buffer is NULL");
  }
  int64_t first = read_int(o, w, 1, x->off), prev = first;
  if (first < 0)
    return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp,
                     "negative string offset %lld at row 0", (long long)first);
  for (int64_t i = 1; i <= x->len; i++) {
    int64_t cur = read_int(o, w, 1, x->off + i);
    if (cur < prev)
      return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp,
                       "string offsets decrease at row %lld (%lld after %lld)", (long long)(i - 1),
                       (long long)cur, (long long)prev);
    prev = cur;
  }
  int64_t nbytes = prev;
  const uint8_t *data = buffer_at(x, 2, nbytes, "data");
  if (!data && nbytes > 0) return x->err->code;
  auk_buffer *validity = NULL, *offs = NULL, *bytes = NULL;
  int64_t nulls, base = 0;
  if (w == 8 && (uintptr_t)o % 8 == 0) {
    offs = share(x->owner, o, (end + 1) * 8, x->err);
  } else {
    base = x->off & ~(int64_t)7;
    int64_t r = x->off - base;
    offs = owned((r + x->len + 1) * 8, x->err);
    if (offs) {
      int64_t *d = (int64_t *)offs->data;
      for (int64_t i = 0; i < r; i++) d[i] = first;
      for (int64_t i = 0; i <= x->len; i++) d[r + i] = read_int(o, w, 1, x->off + i);
    }
  }
  if (!offs) return x->err->code;
  bytes = data ? share(x->owner, data, nbytes, x->err) : owned(0, x->err);
  if (!bytes || take_validity(x, base, &validity, &nulls)) {
    auk_buffer_release(offs);
    auk_buffer_release(bytes);
    return x->err->code;
  }
  *out = make_array(AUK_TYPE_STRING, x->len, x->off - base, nulls, validity, bytes, offs, x->err);
  return *out ? AUK_OK : x->err->code;
}

/* String views (16 bytes: int32 length, then 12 inline bytes, or a 4-byte
 * prefix, buffer index and offset) copied into offsets + bytes. */
static auk_status import_views(const col_ctx *x, auk_array **out) {
  const struct ArrowArray *c = x->c;
  int64_t ndata = c->n_buffers - 3;
  const uint8_t *views = buffer_at(x, 1, x->len * 16, "views");
  if (!views && x->len > 0) return x->err->code;
  const void *sizes = c->buffers[c->n_buffers - 1];
  if (ndata > 0 && !sizes)
    return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp,
                     "the buffer of variadic buffer sizes is NULL");
  int64_t total = 0;
  for (int pass = 0; pass < 2; pass++) {
    int64_t *offs = NULL;
    uint8_t *bytes = NULL;
    auk_buffer *ob = NULL, *bb = NULL, *validity = NULL;
    int64_t base = x->off & ~(int64_t)7, r = x->off - base, pos = 0, nulls;
    if (pass == 1) {
      ob = owned((r + x->len + 1) * 8, x->err);
      bb = ob ? owned(total, x->err) : NULL;
      if (!bb) {
        auk_buffer_release(ob);
        return x->err->code;
      }
      offs = (int64_t *)ob->data + r;
      bytes = bb->data;
      offs[0] = 0;
    }
    for (int64_t i = 0; i < x->len; i++) {
      const uint8_t *v = views + (x->off + i) * 16;
      int32_t n = 0;
      const uint8_t *src = NULL;
      if (is_valid(x, i)) {
        memcpy(&n, v, 4);
        if (n < 0) {
          auk_buffer_release(ob);
          auk_buffer_release(bb);
          return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp,
                           "negative view length %d at row %lld", n, (long long)i);
        }
        if (n <= 12) {
          src = v + 4;
        } else {
          int32_t bi, bo;
          int64_t size = 0;
          memcpy(&bi, v + 8, 4);
          memcpy(&bo, v + 12, 4);
          if (bi >= 0 && bi < ndata) memcpy(&size, (const uint8_t *)sizes + 8 * bi, 8);
          if (bi < 0 || bi >= ndata || bo < 0 || !c->buffers[2 + bi] || (int64_t)bo + n > size) {
            auk_buffer_release(ob);
            auk_buffer_release(bb);
            return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp,
                             "view at row %lld points outside its data buffers (buffer %d, "
                             "offset %d, length %d, %lld buffers)",
                             (long long)i, bi, bo, n, (long long)ndata);
          }
          src = (const uint8_t *)c->buffers[2 + bi] + bo;
        }
      }
      if (pass == 0) {
        total += n;
      } else {
        memcpy(bytes + pos, src ? src : v, (size_t)n);
        pos += n;
        offs[i + 1] = pos;
      }
    }
    if (pass == 1) {
      if (take_validity(x, base, &validity, &nulls)) {
        auk_buffer_release(ob);
        auk_buffer_release(bb);
        return x->err->code;
      }
      *out = make_array(AUK_TYPE_STRING, x->len, r, nulls, validity, bb, ob, x->err);
      return *out ? AUK_OK : x->err->code;
    }
  }
  return AUK_OK;
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b < 0) ? q - 1 : q;
}

/* date64 and timestamps in other units, converted value by value. */
static auk_status import_converted(const col_ctx *x, auk_array **out) {
  const col_spec *sp = x->sp;
  const uint8_t *v = buffer_at(x, 1, (x->off + x->len) * 8, "values");
  if (!v && x->len > 0) return x->err->code;
  int64_t base = x->off & ~(int64_t)7, r = x->off - base, nulls;
  int w = sp->type == AUK_TYPE_DATE ? 4 : 8;
  auk_buffer *values = owned((r + x->len) * w, x->err), *validity;
  if (!values) return x->err->code;
  for (int64_t i = 0; i < x->len; i++) {
    if (!is_valid(x, i)) continue;
    int64_t s = read_int(v, 8, 1, x->off + i), d;
    if (sp->kind == K_DATE64) {
      d = floor_div(s, INT64_C(86400000));
      if (d < INT32_MIN || d > INT32_MAX) goto range;
      int32_t d32 = (int32_t)d;
      memcpy(values->data + (r + i) * 4, &d32, 4);
    } else {
      if (sp->div > 1)
        d = floor_div(s, sp->div);
      else if (__builtin_mul_overflow(s, sp->mul, &d))
        goto range;
      memcpy(values->data + (r + i) * 8, &d, 8);
    }
    continue;
  range:
    auk_buffer_release(values);
    return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp,
                     "value %lld at row %lld is out of range for %s", (long long)s, (long long)i,
                     auk_type_name(sp->type));
  }
  if (take_validity(x, base, &validity, &nulls)) {
    auk_buffer_release(values);
    return x->err->code;
  }
  *out = make_array(sp->type, x->len, r, nulls, validity, values, NULL, x->err);
  return *out ? AUK_OK : x->err->code;
}

/* decimal128 (or decimal64) values into int64: a value past 64 bits is an
 * error naming its row. */
static auk_status import_decimal(const col_ctx *x, auk_array **out) {
  const col_spec *sp = x->sp;
  int w = sp->width;
  const uint8_t *v = buffer_at(x, 1, (x->off + x->len) * w, "values");
  if (!v && x->len > 0) return x->err->code;
  int64_t base = x->off & ~(int64_t)7, r = x->off - base, nulls;
  auk_buffer *values = owned((r + x->len) * 8, x->err), *validity;
  if (!values) return x->err->code;
  int64_t *o = (int64_t *)values->data + r;
  int p = auk_decimal_precision(sp->type);
  for (int64_t i = 0; i < x->len; i++) {
    o[i] = 0;
    if (!is_valid(x, i)) continue;
    int64_t lo, hi;
    memcpy(&lo, v + (x->off + i) * w, 8);
    if (w == 16) memcpy(&hi, v + (x->off + i) * w + 8, 8);
    if ((w == 16 && hi != (lo < 0 ? -1 : 0)) || !auk_decimal_fits(lo, p)) {
      auk_buffer_release(values);
      return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, x->sp,
                       "the value at row %lld does not fit %s", (long long)i,
                       auk_type_name(sp->type));
    }
    o[i] = lo;
  }
  if (take_validity(x, base, &validity, &nulls)) {
    auk_buffer_release(values);
    return x->err->code;
  }
  *out = make_array(sp->type, x->len, r, nulls, validity, values, NULL, x->err);
  return *out ? AUK_OK : x->err->code;
}

static auk_status import_column(const col_spec *sp, const char *col, const struct ArrowArray *c,
                                int64_t extra, int64_t len, owner_t *owner, auk_array **out,
                                auk_error *err);

/* Dictionary-encoded: the values are imported, then gathered by index. */
static auk_status import_dictionary(const col_ctx *x, auk_array **out) {
  const col_spec *sp = x->sp;
  const struct ArrowArray *d = x->c->dictionary;
  const uint8_t *idx = buffer_at(x, 1, (x->off + x->len) * sp->width, "indices");
  if (!idx && x->len > 0) return x->err->code;
  if (!d->release)
    return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, sp, "the dictionary is released");
  if (d->length < 0)
    return col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, sp, "dictionary length %lld",
                     (long long)d->length);
  auk_array *dv;
  if (import_column(sp->dict, x->col, d, 0, d->length, x->owner, &dv, x->err)) return x->err->code;
  int64_t dn = dv->length, nulls = 0, total = 0;
  auk_type_id t = dv->type;
  auk_array *a = NULL;
  auk_buffer *validity = owned(auk_bitmap_bytes(x->len), x->err);
  if (!validity) goto fail;
  for (int64_t i = 0; i < x->len; i++) {
    int ok = is_valid(x, i);
    if (ok) {
      int64_t k = read_int(idx, sp->width, sp->is_signed, x->off + i);
      if (k < 0 || k >= dn) {
        col_error(x->err, AUK_ERR_INVALID_ARGUMENT, x->col, sp,
                  "dictionary index %lld at row %lld is out of range (%lld values)", (long long)k,
                  (long long)i, (long long)dn);
        goto fail;
      }
      ok = t != AUK_TYPE_NULL && auk_array_is_valid(dv, k);
      if (ok && t == AUK_TYPE_STRING) {
        int64_t n;
        auk_array_str(dv, k, &n);
        total += n;
      }
    }
    if (ok)
      auk_bit_set(validity->data, i);
    else
      nulls++;
  }
  if (t == AUK_TYPE_NULL) {
    auk_buffer_release(validity);
    auk_array_release(dv);
    *out = auk_array_new_nulls(AUK_TYPE_NULL, x->len, x->err);
    return *out ? AUK_OK : x->err->code;
  }
  if (t == AUK_TYPE_STRING) {
    auk_buffer *ob = owned((x->len + 1) * 8, x->err), *bb = ob ? owned(total, x->err) : NULL;
    if (!bb) {
      auk_buffer_release(ob);
      goto fail;
    }
    int64_t *o = (int64_t *)ob->data, pos = 0;
    for (int64_t i = 0; i < x->len; i++) {
      if (auk_bit_get(validity->data, i)) {
        int64_t n, k = read_int(idx, sp->width, sp->is_signed, x->off + i);
        const char *s = auk_array_str(dv, k, &n);
        memcpy(bb->data + pos, s, (size_t)n);
        pos += n;
      }
      o[i + 1] = pos;
    }
    a = make_array(t, x->len, 0, nulls, NULL, bb, ob, x->err);
  } else {
    int w = auk_type_width(t);
    a = auk_array_new_fixed(t, x->len, x->err);
    if (a && w == 0) memset(auk_array_data(a), 0, (size_t)auk_bitmap_bytes(x->len));
    if (a) {
      uint8_t *dst = auk_array_data(a);
      const uint8_t *src = auk_array_data(dv);
      for (int64_t i = 0; i < x->len; i++) {
        int64_t k = read_int(idx, sp->width, sp->is_signed, x->off + i);
        int valid = auk_bit_get(validity->data, i);
        if (w == 0)
          auk_bit_put(dst, i, valid && auk_bit_get(src, dv->offset + k));
        else if (valid)
          memcpy(dst + i * w, src + (dv->offset + k) * w, (size_t)w);
        else
          memset(dst + i * w, 0, (size_t)w);
      }
    }
  }
  if (!a) goto fail;
  if (nulls) {
    a->validity = validity;
    a->null_count = nulls;
  } else {
    auk_buffer_release(validity);
  }
  auk_array_release(dv);
  *out = a;
  return AUK_OK;
fail:
  auk_buffer_release(validity);
  auk_array_release(dv);
  return x->err->code;
}

/* Imports logical elements [extra, extra + len) of foreign array c. */
static auk_status import_column(const col_spec *sp, const char *col, const struct ArrowArray *c,
                                int64_t extra, int64_t len, owner_t *owner, auk_array **out,
                                auk_error *err) {
  *out = NULL;
  const int64_t max = INT64_MAX / 64;
  if (!c) return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp, "the child array is NULL");
  if (!c->release)
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp, "the array is released");
  if (c->length < 0 || c->offset < 0 || c->length > max || c->offset > max)
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp, "bad length %lld or offset %lld",
                     (long long)c->length, (long long)c->offset);
  if (extra + len > c->length)
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp,
                     "the array has %lld rows, the batch needs %lld", (long long)c->length,
                     (long long)(extra + len));
  if (c->n_children != 0)
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp, "n_children is %lld, expected 0",
                     (long long)c->n_children);
  if (!c->dictionary != !sp->dict)
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp,
                     sp->dict ? "the schema is dictionary-encoded but the array has no dictionary"
                              : "the array has a dictionary the schema does not describe");
  int64_t want;
  switch (sp->kind) {
    case K_NULL: want = 0; break;
    case K_LARGE_UTF8:
    case K_UTF8: want = 3; break;
    case K_VIEW: want = c->n_buffers >= 3 ? c->n_buffers : 3; break;
    default: want = 2;
  }
  if (c->n_buffers != want || (want > 0 && !c->buffers))
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp, "n_buffers is %lld%s, expected %lld%s",
                     (long long)c->n_buffers, c->buffers ? "" : " (buffers NULL)", (long long)want,
                     sp->kind == K_VIEW ? " or more" : "");
  col_ctx x = {sp, col, c, c->offset + extra, len, NULL, owner, err};
  if (want > 0) x.bits = c->buffers[0];
  if (!x.bits && c->null_count > 0 && sp->kind != K_NULL)
    return col_error(err, AUK_ERR_INVALID_ARGUMENT, col, sp,
                     "null_count is %lld but there is no validity buffer",
                     (long long)c->null_count);
  if (sp->dict) return import_dictionary(&x, out);
  switch (sp->kind) {
    case K_NULL:
      *out = auk_array_new_nulls(AUK_TYPE_NULL, len, err);
      return *out ? AUK_OK : err->code;
    case K_BOOL:
    case K_FIXED: return import_fixed(&x, out);
    case K_LARGE_UTF8: return import_offsets_string(&x, 8, out);
    case K_UTF8: return import_offsets_string(&x, 4, out);
    case K_VIEW: return import_views(&x, out);
    case K_DATE64:
    case K_TIMESTAMP: return import_converted(&x, out);
    case K_DECIMAL: return import_decimal(&x, out);
  }
  return auk_error_set(err, AUK_ERR_INTERNAL, "Arrow import: unhandled kind");
}

/* Cuts columns of `len` rows into batches of at most AUK_BATCH_ROWS. */
static auk_status append_batches(auk_schema *schema, auk_array **cols, int ncols, int64_t len,
                                 auk_frame *dst, auk_error *err) {
  for (int64_t start = 0; start < len; start += AUK_BATCH_ROWS) {
    int64_t n = len - start < AUK_BATCH_ROWS ? len - start : AUK_BATCH_ROWS;
    auk_batch *b = auk_batch_new(schema, n, err);
    if (!b) return err->code;
    for (int i = 0; i < ncols; i++) {
      b->cols[i] = n == len ? auk_array_retain(cols[i]) : auk_array_slice(cols[i], start, n, err);
      if (!b->cols[i]) {
        auk_batch_free(b);
        return err->code;
      }
    }
    if (auk_frame_append(dst, b, err)) return err->code;
  }
  return AUK_OK;
}

auk_status auk_arrow_import_array(const auk_arrow_import *imp, struct ArrowArray *array,
                                  auk_frame *dst, auk_error *err) {
  if (!array->release)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "Arrow import: the array is released");
  owner_t *o = auk_mem_alloc(sizeof *o, err);
  if (!o) {
    array->release(array);
    return err->code;
  }
  atomic_init(&o->refs, 1);
  o->array = *array;
  array->release = NULL; /* moved */
  const struct ArrowArray *a = &o->array;
  int n = imp->ncols;
  auk_array **cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(n > 0 ? n : 1), err);
  auk_status st = AUK_OK;
  if (!cols) {
    st = err->code;
    goto done;
  }
  if (imp->is_struct) {
    if (a->length < 0 || a->offset < 0 || a->length > INT64_MAX / 64 ||
        a->offset > INT64_MAX / 64) {
      st = auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "Arrow import: record batch with length %lld and offset %lld",
                         (long long)a->length, (long long)a->offset);
      goto done;
    }
    if (a->n_children != n || (n > 0 && !a->children) || a->n_buffers != 1 || !a->buffers ||
        a->dictionary) {
      st = auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "Arrow import: the record batch array has %lld children and %lld "
                         "buffers%s; the schema has %d columns (a struct array has 1 buffer)",
                         (long long)a->n_children, (long long)a->n_buffers,
                         a->dictionary ? " and a dictionary" : "", n);
      goto done;
    }
    const uint8_t *bits = a->buffers[0];
    if (bits && a->null_count != 0 && auk_bitmap_count(bits, a->offset, a->length) != a->length) {
      st = auk_error_set(err, AUK_ERR_UNSUPPORTED,
                         "Arrow import: the record batch has null rows (a struct-level validity "
                         "bitmap); auk rows cannot be null as a whole");
      goto done;
    }
    for (int i = 0; i < n && !st; i++)
      st = import_column(&imp->cols[i], imp->schema->fields[i].name, a->children[i], a->offset,
                         a->length, o, &cols[i], err);
  } else {
    if (a->length < 0 || a->length > INT64_MAX / 64)
      st = auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "Arrow import: array length %lld",
                         (long long)a->length);
    else
      st = import_column(&imp->cols[0], imp->schema->fields[0].name, a, 0, a->length, o, &cols[0],
                         err);
  }
  if (!st) st = append_batches(imp->schema, cols, n, a->length, dst, err);
done:
  if (cols) {
    for (int i = 0; i < n; i++) auk_array_release(cols[i]);
    auk_mem_free(cols, sizeof(auk_array *) * (size_t)(n > 0 ? n : 1));
  }
  owner_release(o);
  return st;
}
