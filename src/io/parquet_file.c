/* parquet_file.c - opening a Parquet file: the magic bytes, the footer, the
 * metadata, and the schema walked into the flat top-level columns auk can
 * read (with the auk type and value conversion of each). Nested columns are
 * remembered by name so the reader can say what it skipped. */
#include "core/alloc.h"
#include "core/error.h"
#include "core/decimal.h"
#include "io/parquet.h"

#include <math.h>
#include <string.h>

#define MAX_SCHEMA_DEPTH 64

static char *arena_name(pq_file *f, pq_str s, auk_error *err) {
  char *p = pq_arena_alloc(&f->meta.arena, (size_t)s.n + 1, err);
  if (p && s.n) memcpy(p, s.p, (size_t)s.n);
  return p;
}

static auk_status add_nested(pq_file *f, pq_str name, auk_error *err) {
  size_t used = f->nested ? strlen(f->nested) : 0;
  size_t need = used + (size_t)name.n + 8;
  if (need > f->nested_cap) {
    size_t cap = need * 2;
    char *n = auk_mem_realloc(f->nested, f->nested_cap, cap, err);
    if (!n) return err->code;
    if (!f->nested) n[0] = 0;
    f->nested = n;
    f->nested_cap = cap;
  }
  snprintf(f->nested + used, f->nested_cap - used, "%s'%.*s'", used ? ", " : "", (int)name.n,
           name.p);
  return AUK_OK;
}

/* Picks the auk type and conversion of a flat leaf; 0 when it maps. */
static int map_type(const pq_schema_el *e, pq_column *c) {
  int lt = e->logical, ct = e->converted;
  c->conv = PQ_CV_COPY;
  c->tz = NULL;
  int scale = lt == PQ_LT_DECIMAL ? e->lt_scale : e->scale;
  c->scale = pow(10.0, scale);
  int is_dec = lt == PQ_LT_DECIMAL || ct == PQ_CT_DECIMAL;
  int precision = lt == PQ_LT_DECIMAL ? e->lt_precision : e->precision;
  /* up to 18 digits: exact (int64 unscaled values); wider ones as f64 */
  auk_type_id dec =
      auk_decimal_valid(precision, scale) ? AUK_DECIMAL(precision, scale) : AUK_TYPE_FLOAT64;
  if (lt == PQ_LT_UNKNOWN) {
    c->type = AUK_TYPE_NULL;
    c->conv = PQ_CV_NULL;
    return 0;
  }
  switch (e->type) {
    case PQ_BOOLEAN:
      c->type = AUK_TYPE_BOOL;
      c->conv = PQ_CV_BOOL;
      return 0;
    case PQ_INT32: {
      c->type = AUK_TYPE_INT32;
      int bits = 32, sign = 1;
      if (lt == PQ_LT_INTEGER) {
        bits = e->lt_bits;
        sign = e->lt_signed;
      } else if (ct >= PQ_CT_UINT_8 && ct <= PQ_CT_UINT_32) {
        bits = 8 << (ct - PQ_CT_UINT_8);
        sign = 0;
      } else if (ct >= PQ_CT_INT_8 && ct <= PQ_CT_INT_32) {
        bits = 8 << (ct - PQ_CT_INT_8);
      }
      if (is_dec) {
        c->type = dec;
        c->conv = PQ_CV_DEC_I32;
      } else if (lt == PQ_LT_DATE || ct == PQ_CT_DATE) {
        c->type = AUK_TYPE_DATE;
      } else if (lt == PQ_LT_TIME || ct == PQ_CT_TIME_MILLIS) {
        c->type = AUK_TYPE_STRING;
        c->conv = PQ_CV_TIME_MS;
      } else if (bits == 8) {
        c->type = sign ? AUK_TYPE_INT8 : AUK_TYPE_UINT8;
        c->conv = PQ_CV_I32_I8;
      } else if (bits == 16) {
        c->type = sign ? AUK_TYPE_INT16 : AUK_TYPE_UINT16;
        c->conv = PQ_CV_I32_I16;
      } else if (!sign) {
        c->type = AUK_TYPE_UINT32;
      }
      return 0;
    }
    case PQ_INT64:
      c->type = AUK_TYPE_INT64;
      if (is_dec) {
        c->type = dec;
        c->conv = PQ_CV_DEC_I64;
      } else if (lt == PQ_LT_TIMESTAMP || ct == PQ_CT_TIMESTAMP_MILLIS ||
                 ct == PQ_CT_TIMESTAMP_MICROS) {
        int unit = lt == PQ_LT_TIMESTAMP
                       ? e->lt_unit
                       : (ct == PQ_CT_TIMESTAMP_MILLIS ? PQ_UNIT_MILLIS : PQ_UNIT_MICROS);
        c->type = AUK_TYPE_DATETIME;
        /* legacy annotations meant instants in UTC */
        if (lt == PQ_LT_TIMESTAMP ? e->lt_utc : 1) c->tz = "UTC";
        c->conv = unit == PQ_UNIT_MILLIS  ? PQ_CV_MS_US
                  : unit == PQ_UNIT_NANOS ? PQ_CV_NS_US
                                          : PQ_CV_COPY;
      } else if (lt == PQ_LT_TIME || ct == PQ_CT_TIME_MICROS) {
        c->type = AUK_TYPE_STRING;
        c->conv = (lt == PQ_LT_TIME && e->lt_unit == PQ_UNIT_NANOS) ? PQ_CV_TIME_NS : PQ_CV_TIME_US;
      } else if ((lt == PQ_LT_INTEGER && !e->lt_signed) || ct == PQ_CT_UINT_64) {
        c->type = AUK_TYPE_UINT64;
      }
      return 0;
    case PQ_INT96:
      c->type = AUK_TYPE_DATETIME;
      c->conv = PQ_CV_INT96;
      return 0;
    case PQ_FLOAT: c->type = AUK_TYPE_FLOAT32; return 0;
    case PQ_DOUBLE: c->type = AUK_TYPE_FLOAT64; return 0;
    case PQ_BYTE_ARRAY:
    case PQ_FIXED:
      c->type = AUK_TYPE_STRING;
      c->conv = PQ_CV_BIN;
      if (e->type == PQ_FIXED && e->type_length <= 0) return -1;
      if (is_dec) {
        c->type = dec;
        c->conv = PQ_CV_DEC_BIN;
      } else if (e->type == PQ_FIXED && lt == PQ_LT_FLOAT16) {
        if (e->type_length != 2) return -1;
        c->type = AUK_TYPE_FLOAT32;
        c->conv = PQ_CV_F16;
      } else if (e->type == PQ_FIXED && lt == PQ_LT_UUID) {
        if (e->type_length != 16) return -1;
        c->conv = PQ_CV_UUID;
      }
      return 0;
    default: return -1;
  }
}

/* Walks the subtree at *i (depth-first, as the schema list is ordered),
 * counting its leaves. */
static int walk(pq_file *f, int *i, int depth, int *leaves) {
  if (*i >= f->meta.nschema || depth > MAX_SCHEMA_DEPTH) return -1;
  const pq_schema_el *e = &f->meta.schema[(*i)++];
  if (e->num_children < 0) return -1;
  if (e->num_children == 0) {
    if (e->type < 0) return -1;
    (*leaves)++;
    return 0;
  }
  for (int k = 0; k < e->num_children; k++)
    if (walk(f, i, depth + 1, leaves)) return -1;
  return 0;
}

static auk_status build_columns(pq_file *f, auk_error *err) {
  const char *name = f->src.name;
  pq_file_meta *m = &f->meta;
  const pq_schema_el *root = &m->schema[0];
  if (root->num_children < 0 || root->num_children > m->nschema - 1)
    return auk_error_set(err, AUK_ERR_PARSE,
                         "%s: corrupt metadata: the schema root claims %d columns but the schema "
                         "lists %d elements",
                         name, root->num_children, m->nschema - 1);
  f->cols = pq_arena_alloc(&m->arena, sizeof(pq_column) * (size_t)(root->num_children + 1), err);
  if (!f->cols) return err->code;
  int i = 1, leaves = 0;
  for (int k = 0; k < root->num_children; k++) {
    int first = i, before = leaves;
    if (walk(f, &i, 1, &leaves))
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: corrupt metadata: the schema tree is inconsistent (child counts "
                           "do not match the elements listed)",
                           name);
    const pq_schema_el *e = &m->schema[first];
    if (e->num_children > 0 || e->repetition == PQ_REPEATED) {
      if (add_nested(f, e->name, err)) return err->code;
      continue;
    }
    pq_column *c = &f->cols[f->ncols];
    memset(c, 0, sizeof *c);
    c->leaf = before;
    c->el = e;
    c->max_def = e->repetition == PQ_OPTIONAL ? 1 : 0;
    if (!(c->name = arena_name(f, e->name, err))) return err->code;
    if (map_type(e, c))
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: corrupt metadata: column '%s' has an invalid physical type (%d, "
                           "length %d)",
                           name, c->name, e->type, e->type_length);
    f->ncols++;
  }
  if (i != m->nschema)
    return auk_error_set(err, AUK_ERR_PARSE,
                         "%s: corrupt metadata: the schema lists %d elements but its tree has %d",
                         name, m->nschema, i);
  f->nleaves = leaves;
  for (int g = 0; g < m->nrgs; g++) {
    pq_row_group *rg = &m->rgs[g];
    if (rg->ncols != leaves)
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: corrupt metadata: row group %d has %d column chunks but the "
                           "schema has %d columns",
                           name, g, rg->ncols, leaves);
    /* 2^40 rows bounds every size computed from a row count */
    if (rg->num_rows < 0 || rg->num_rows > ((int64_t)1 << 40))
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: corrupt metadata: row group %d claims %lld rows", name, g,
                           (long long)rg->num_rows);
  }
  return AUK_OK;
}

static auk_status open_common(pq_file *f, auk_error *err) {
  const char *name = f->src.name;
  const uint8_t *d = f->src.data;
  int64_t n = f->src.len;
  if (n < 12 || memcmp(d, "PAR1", 4) != 0) {
    if (n >= 4 && memcmp(d, "PARE", 4) == 0)
      return auk_error_set(err, AUK_ERR_UNSUPPORTED,
                           "%s: encrypted Parquet files are not supported", name);
    return auk_error_set(err, AUK_ERR_PARSE,
                         "%s: not a Parquet file (%s): it does not start with the magic bytes "
                         "PAR1",
                         name, n < 12 ? "too short" : "wrong magic");
  }
  if (memcmp(d + n - 4, "PAR1", 4) != 0) {
    if (memcmp(d + n - 4, "PARE", 4) == 0)
      return auk_error_set(err, AUK_ERR_UNSUPPORTED,
                           "%s: encrypted Parquet files are not supported", name);
    return auk_error_set(err, AUK_ERR_PARSE,
                         "%s: truncated or damaged Parquet file: it does not end with the magic "
                         "bytes PAR1",
                         name);
  }
  uint32_t flen = (uint32_t)d[n - 8] | (uint32_t)d[n - 7] << 8 | (uint32_t)d[n - 6] << 16 |
                  (uint32_t)d[n - 5] << 24;
  if ((int64_t)flen > n - 12)
    return auk_error_set(err, AUK_ERR_PARSE,
                         "%s: corrupt footer: the metadata length (%u bytes) exceeds the file "
                         "(%lld bytes)",
                         name, flen, (long long)n);
  f->data_end = n - 8 - (int64_t)flen;
  if (pq_meta_parse(d + f->data_end, flen, &f->meta, err)) {
    auk_error_prefix(err, "%s: ", name);
    return err->code;
  }
  if (f->meta.encrypted)
    return auk_error_set(err, AUK_ERR_UNSUPPORTED, "%s: encrypted Parquet files are not supported",
                         name);
  /* parquet-mr before 1.2.9 (PARQUET-816) understated column chunk sizes
   * by up to a dictionary page header; readers allow for it. */
  pq_str cb = f->meta.created_by;
  if (cb.n >= 10 && !memcmp(cb.p, "parquet-mr", 10)) {
    int a = 0, b = 0, c = 0;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*s", cb.n < 63 ? (int)cb.n : 63, cb.p);
    const char *v = strstr(tmp, "version ");
    if (!v || sscanf(v + 8, "%d.%d.%d", &a, &b, &c) < 1 || a < 1 ||
        (a == 1 && (b < 2 || (b == 2 && c < 9))))
      f->chunk_slack = 100;
  }
  return build_columns(f, err);
}

auk_status pq_file_open(pq_file *f, const char *path, auk_error *err) {
  memset(f, 0, sizeof *f);
  if (auk_source_open(&f->src, path, AUK_COMPRESSION_NONE, AUK_ENCODING_UTF8, err))
    return err->code;
  if (open_common(f, err)) {
    pq_file_close(f);
    return err->code;
  }
  return AUK_OK;
}

auk_status pq_file_open_memory(pq_file *f, const void *data, size_t len, const char *name,
                               auk_error *err) {
  memset(f, 0, sizeof *f);
  if (auk_source_from_memory(&f->src, data, len, name, AUK_ENCODING_UTF8, err)) return err->code;
  /* the source skips a UTF-8 byte order mark; Parquet has none to skip */
  f->src.data = len ? data : (const uint8_t *)"";
  f->src.len = (int64_t)len;
  if (open_common(f, err)) {
    pq_file_close(f);
    return err->code;
  }
  return AUK_OK;
}

void pq_file_close(pq_file *f) {
  pq_meta_free(&f->meta);
  auk_mem_free(f->nested, f->nested_cap);
  auk_source_close(&f->src);
  memset(f, 0, sizeof *f);
}
