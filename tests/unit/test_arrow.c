/* Unit tests of the Arrow C Data Interface (src/io/arrow_c.c,
 * src/api/arrow_api.c): round trips of every type with nulls, slices,
 * several batches and empty frames; the raw exported structs checked
 * against values worked out by hand from the specification; imports of
 * hand-built foreign arrays (int32-offset utf8, offset bitmaps, views,
 * dictionaries, other time units) with their release callbacks counted;
 * malformed input; release from other threads. */
#include "auk.h"
#include "check.h"
#include "core/alloc.h"
#include "core/array.h"
#include "core/frame.h"
#include "core/schema.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>

/* ------------------------------------------------------- auk frames */

static const auk_type_id all_types[] = {
    AUK_TYPE_NULL,      AUK_TYPE_BOOL,    AUK_TYPE_INT8,   AUK_TYPE_INT16,  AUK_TYPE_INT32,
    AUK_TYPE_INT64,     AUK_TYPE_UINT8,   AUK_TYPE_UINT16, AUK_TYPE_UINT32, AUK_TYPE_UINT64,
    AUK_TYPE_FLOAT32,   AUK_TYPE_FLOAT64, AUK_TYPE_STRING, AUK_TYPE_DATE,   AUK_TYPE_DATETIME,
    AUK_DECIMAL(18, 3), AUK_TYPE_DATETIME};
#define NTYPES ((int)(sizeof all_types / sizeof all_types[0]))

/* Column c of a test frame: deterministic values, a null every 7th row
 * (none in column 5, int64, which therefore has no validity bitmap). */
static auk_array *make_col(int c, int64_t n, int64_t seed) {
  auk_error err;
  auk_type_id t = all_types[c];
  if (t == AUK_TYPE_NULL) return auk_array_new_nulls(t, n, &err);
  int nulls = c != 5;
  if (t == AUK_TYPE_STRING) {
    auk_string_builder sb;
    auk_string_builder_init(&sb, n, 16, &err);
    for (int64_t i = 0; i < n; i++) {
      char buf[64];
      int len = snprintf(buf, sizeof buf, "s%lld-%.*s", (long long)(seed + i),
                         (int)((seed + i) % 5) * 3, "xyzxyzxyzxyzxyz");
      if (nulls && (seed + i) % 7 == 3)
        auk_string_builder_append_null(&sb, &err);
      else
        auk_string_builder_append(&sb, buf, len, &err);
    }
    return auk_string_builder_finish(&sb, &err);
  }
  auk_array *a = auk_array_new_fixed(t, n, &err);
  if (nulls) auk_array_add_validity(a, &err);
  void *d = auk_array_data(a);
  for (int64_t i = 0; i < n; i++) {
    int64_t v = ((seed + i) * 7919) % 2000 - 1000;
    switch (t) {
      case AUK_TYPE_BOOL: auk_bit_put(d, i, v & 1); break;
      case AUK_TYPE_INT8: ((int8_t *)d)[i] = (int8_t)(v / 8); break;
      case AUK_TYPE_INT16: ((int16_t *)d)[i] = (int16_t)(v * 30); break;
      case AUK_TYPE_INT32: ((int32_t *)d)[i] = (int32_t)(v * 100000); break;
      case AUK_TYPE_INT64: ((int64_t *)d)[i] = v * INT64_C(1000000000000); break;
      case AUK_TYPE_UINT8: ((uint8_t *)d)[i] = (uint8_t)(v + 1000); break;
      case AUK_TYPE_UINT16: ((uint16_t *)d)[i] = (uint16_t)(v + 1000); break;
      case AUK_TYPE_UINT32: ((uint32_t *)d)[i] = (uint32_t)(v + 1000) * 4000000u; break;
      case AUK_TYPE_UINT64:
        ((uint64_t *)d)[i] = (uint64_t)(v + 1000) * UINT64_C(9000000000000000);
        break;
      case AUK_TYPE_FLOAT32: ((float *)d)[i] = (float)v / 3.0f; break;
      case AUK_TYPE_FLOAT64: ((double *)d)[i] = (double)v / 7.0; break;
      case AUK_TYPE_DATE: ((int32_t *)d)[i] = (int32_t)(v * 20); break;
      case AUK_TYPE_DATETIME: ((int64_t *)d)[i] = v * INT64_C(123456789123); break;
      default:
        if (auk_type_is_decimal(t)) ((int64_t *)d)[i] = v * INT64_C(987654321012345);
        break;
    }
    if (nulls && (seed + i) % 7 == 3) {
      auk_bit_clear(a->validity->data, i);
      a->null_count++;
    }
  }
  return a;
}

static auk_schema *test_schema(void) {
  auk_error err;
  auk_schema *s = auk_schema_new(NTYPES, &err);
  for (int c = 0; c < NTYPES; c++) {
    char name[32];
    snprintf(name, sizeof name, "col_%s%s", auk_type_name(all_types[c]),
             c == NTYPES - 1 ? "_utc" : "");
    auk_schema_set(s, c, name, all_types[c], &err);
  }
  s->fields[NTYPES - 1].timezone = auk_str_dup("UTC", &err);
  return s;
}

/* A frame of the given batch sizes over every type. */
static auk_frame *make_frame(int nb, const int64_t *sizes) {
  auk_error err;
  auk_schema *s = test_schema();
  auk_frame *f = auk_frame_new(s, &err);
  int64_t seed = 0;
  for (int b = 0; b < nb; b++) {
    auk_batch *batch = auk_batch_new(s, sizes[b], &err);
    for (int c = 0; c < NTYPES; c++) batch->cols[c] = make_col(c, sizes[b], seed);
    seed += sizes[b];
    auk_frame_append(f, batch, &err);
  }
  auk_schema_release(s);
  return f;
}

/* Same shape, names, types, zones and cells (compared as text). */
static void check_same(const auk_frame *a, const auk_frame *b) {
  CHECK_INT(auk_frame_num_columns(b), auk_frame_num_columns(a));
  CHECK_INT(auk_frame_num_rows(b), auk_frame_num_rows(a));
  if (auk_frame_num_columns(a) != auk_frame_num_columns(b) ||
      auk_frame_num_rows(a) != auk_frame_num_rows(b))
    return;
  int bad = 0;
  int64_t shown = 0; /* cells with text: the comparison is not vacuous */
  for (int c = 0; c < auk_frame_num_columns(a); c++) {
    CHECK_STR(auk_frame_column_name(b, c), auk_frame_column_name(a, c));
    CHECK_INT(auk_frame_column_type(b, c), auk_frame_column_type(a, c));
    const char *za = auk_frame_column_timezone(a, c), *zb = auk_frame_column_timezone(b, c);
    CHECK((!za && !zb) || (za && zb && !strcmp(za, zb)));
    for (int64_t r = 0; r < auk_frame_num_rows(a) && bad < 5; r++) {
      char x[256], y[256];
      int nx, ny;
      auk_frame_format_cell(a, c, r, x, sizeof x, &nx, NULL);
      auk_frame_format_cell(b, c, r, y, sizeof y, &ny, NULL);
      shown += x[0] != 0;
      if (nx != ny || strcmp(x, y)) {
        bad++;
        fprintf(stderr, "column %d row %lld: '%s'%s vs '%s'%s\n", c, (long long)r, x,
                nx ? " (null)" : "", y, ny ? " (null)" : "");
      }
    }
  }
  CHECK_INT(bad, 0);
  CHECK(auk_frame_num_rows(a) == 0 || shown > 0);
}

/* Export every batch separately and import each into one frame. */
static auk_frame *round_trip_batches(const auk_frame *f) {
  auk_error err;
  auk_frame *all = NULL;
  for (int64_t i = 0; i < auk_frame_num_batches(f); i++) {
    struct ArrowSchema s;
    struct ArrowArray a;
    CHECK(auk_frame_export_schema(f, &s, &err) == AUK_OK);
    CHECK(auk_frame_export_batch(f, i, &a, &err) == AUK_OK);
    auk_frame *one = NULL;
    CHECK(auk_frame_import(&s, &a, &one, &err) == AUK_OK);
    CHECK(s.release == NULL && a.release == NULL); /* moved */
    if (!all) {
      all = one;
      continue;
    }
    for (int64_t k = 0; k < one->nbatches; k++) auk_frame_append(all, one->batches[k], &err);
    one->nbatches = 0;
    auk_frame_free(one);
  }
  return all;
}

static auk_frame *round_trip_stream(const auk_frame *f, int free_source, auk_frame *src_owned) {
  auk_error err;
  struct ArrowArrayStream st;
  CHECK(auk_frame_export_stream(f, &st, &err) == AUK_OK);
  if (free_source) auk_frame_free(src_owned); /* the stream keeps the batches */
  auk_frame *out = NULL;
  CHECK(auk_frame_import_stream(&st, &out, &err) == AUK_OK);
  CHECK(st.release == NULL);
  return out;
}

static void round_trips(void) {
  int64_t sizes[] = {1000, 1, 0, 2500};
  auk_frame *f = make_frame(4, sizes);
  CHECK_INT(auk_frame_num_batches(f), 4);
  auk_frame *g = round_trip_batches(f);
  check_same(f, g);
  CHECK_INT(auk_frame_num_batches(g), 3); /* the empty batch adds no rows */
  auk_frame *h = round_trip_stream(f, 0, NULL);
  check_same(f, h);

  /* Slices: the exported columns keep the offsets. */
  auk_error err;
  auk_frame *sl;
  CHECK(auk_frame_slice(f, 13, 1500, &sl, &err) == AUK_OK);
  struct ArrowArray a;
  CHECK(auk_frame_export_batch(sl, 0, &a, &err) == AUK_OK);
  CHECK_INT(a.length, 987);
  CHECK_INT(a.children[1]->offset, 13);
  CHECK_INT(a.children[1]->length, 987);
  int64_t want_nulls = 0;
  for (int64_t i = 13; i < 1000; i++) want_nulls += i % 7 == 3;
  CHECK_INT(a.children[1]->null_count, want_nulls);
  CHECK_INT(a.children[12]->offset, 13);
  /* decimal128 values are made for the rows exported: the offset keeps
   * only its sub-byte part, for the shared validity bitmap */
  CHECK_INT(auk_frame_column_type(sl, 15), AUK_DECIMAL(18, 3));
  CHECK_INT(a.children[15]->offset, 13 & 7);
  CHECK_INT(a.children[15]->null_count, want_nulls);
  CHECK(a.children[5]->buffers[0] == NULL); /* int64 column without nulls */
  CHECK_INT(a.children[5]->null_count, 0);
  a.release(&a);
  auk_frame *gs = round_trip_batches(sl);
  check_same(sl, gs);
  auk_frame *hs = round_trip_stream(sl, 0, NULL);
  check_same(sl, hs);
  /* A slice of a slice starting mid-byte, through the stream after the
   * source is freed. */
  auk_frame *sl2;
  CHECK(auk_frame_slice(sl, 3, 900, &sl2, &err) == AUK_OK);
  auk_frame *copy;
  auk_frame_slice(sl2, 0, -1, &copy, &err);
  auk_frame *hs2 = round_trip_stream(sl2, 1, sl2);
  check_same(copy, hs2);

  auk_frame_free(copy);
  auk_frame_free(hs2);
  auk_frame_free(gs);
  auk_frame_free(hs);
  auk_frame_free(sl);
  auk_frame_free(g);
  auk_frame_free(h);
  auk_frame_free(f);

  /* Empty frames: no batches, and one empty batch. */
  auk_frame *e = make_frame(0, NULL);
  CHECK_INT(auk_frame_num_batches(e), 0);
  struct ArrowArray none;
  CHECK(auk_frame_export_batch(e, 0, &none, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK(none.release == NULL);
  auk_frame *er = round_trip_stream(e, 0, NULL);
  CHECK_INT(auk_frame_num_rows(er), 0);
  CHECK_INT(auk_frame_num_columns(er), NTYPES);
  check_same(e, er);
  auk_frame_free(er);
  auk_frame_free(e);
  int64_t zero[] = {0};
  e = make_frame(1, zero);
  auk_frame *eb = round_trip_batches(e);
  check_same(e, eb);
  auk_frame_free(eb);
  auk_frame_free(e);
}

/* ----------------------------------------------------- raw export */

static void raw_export(void) {
  auk_error err;
  auk_schema *s = auk_schema_new(7, &err);
  auk_schema_set(s, 0, "i", AUK_TYPE_INT32, &err);
  auk_schema_set(s, 1, "str", AUK_TYPE_STRING, &err);
  auk_schema_set(s, 2, "flag", AUK_TYPE_BOOL, &err);
  auk_schema_set(s, 3, "day", AUK_TYPE_DATE, &err);
  auk_schema_set(s, 4, "at", AUK_TYPE_DATETIME, &err);
  auk_schema_set(s, 5, "at_utc", AUK_TYPE_DATETIME, &err);
  auk_schema_set(s, 6, "nothing", AUK_TYPE_NULL, &err);
  s->fields[5].timezone = auk_str_dup("UTC", &err);
  auk_frame *f = auk_frame_new(s, &err);
  auk_batch *b = auk_batch_new(s, 3, &err);
  /* i: [1, null, 3] */
  auk_array *i = auk_array_new_fixed(AUK_TYPE_INT32, 3, &err);
  int32_t *iv = auk_array_data(i);
  iv[0] = 1, iv[1] = 0, iv[2] = 3;
  auk_array_add_validity(i, &err);
  auk_bit_clear(i->validity->data, 1);
  i->null_count = 1;
  b->cols[0] = i;
  /* str: ["ab", "", "cde"] */
  auk_string_builder sb;
  auk_string_builder_init(&sb, 3, 8, &err);
  auk_string_builder_append(&sb, "ab", 2, &err);
  auk_string_builder_append(&sb, "", 0, &err);
  auk_string_builder_append(&sb, "cde", 3, &err);
  b->cols[1] = auk_string_builder_finish(&sb, &err);
  /* flag: [true, false, true] */
  auk_array *fl = auk_array_new_fixed(AUK_TYPE_BOOL, 3, &err);
  ((uint8_t *)auk_array_data(fl))[0] = 5;
  b->cols[2] = fl;
  auk_array *d = auk_array_new_fixed(AUK_TYPE_DATE, 3, &err);
  int32_t *dv = auk_array_data(d);
  dv[0] = 0, dv[1] = -1, dv[2] = 19000;
  b->cols[3] = d;
  for (int k = 4; k <= 5; k++) {
    auk_array *t = auk_array_new_fixed(AUK_TYPE_DATETIME, 3, &err);
    int64_t *tv = auk_array_data(t);
    tv[0] = 0, tv[1] = -1, tv[2] = INT64_C(1700000000000000);
    b->cols[k] = t;
  }
  b->cols[6] = auk_array_new_nulls(AUK_TYPE_NULL, 3, &err);
  auk_frame_append(f, b, &err);
  auk_schema_release(s);

  struct ArrowSchema sc;
  CHECK(auk_frame_export_schema(f, &sc, &err) == AUK_OK);
  CHECK_STR(sc.format, "+s");
  CHECK_INT(sc.n_children, 7);
  CHECK(sc.metadata == NULL && sc.dictionary == NULL);
  const char *want_fmt[] = {"i", "U", "b", "tdD", "tsu:", "tsu:UTC", "n"};
  const char *want_name[] = {"i", "str", "flag", "day", "at", "at_utc", "nothing"};
  for (int k = 0; k < 7; k++) {
    CHECK_STR(sc.children[k]->format, want_fmt[k]);
    CHECK_STR(sc.children[k]->name, want_name[k]);
    CHECK_INT(sc.children[k]->n_children, 0);
    CHECK_INT(sc.children[k]->flags, ARROW_FLAG_NULLABLE);
  }

  struct ArrowArray a;
  CHECK(auk_frame_export_batch(f, 0, &a, &err) == AUK_OK);
  const uint8_t *values_ptr = f->batches[0]->cols[0]->values->data;
  auk_frame_free(f); /* the export keeps the memory alive */
  CHECK_INT(a.length, 3);
  CHECK_INT(a.n_buffers, 1);
  CHECK(a.buffers[0] == NULL);
  CHECK_INT(a.n_children, 7);
  CHECK_INT(a.null_count, 0);
  CHECK_INT(a.offset, 0);
  struct ArrowArray *c0 = a.children[0];
  CHECK_INT(c0->n_buffers, 2);
  CHECK_INT(c0->null_count, 1);
  CHECK_INT(((const uint8_t *)c0->buffers[0])[0] & 7, 5); /* bits 0 and 2 valid */
  CHECK(c0->buffers[1] == values_ptr);                    /* zero-copy */
  CHECK_INT(((const int32_t *)c0->buffers[1])[0], 1);
  CHECK_INT(((const int32_t *)c0->buffers[1])[2], 3);
  struct ArrowArray *c1 = a.children[1];
  CHECK_INT(c1->n_buffers, 3);
  CHECK(c1->buffers[0] == NULL);
  const int64_t *o = c1->buffers[1];
  CHECK(o[0] == 0 && o[1] == 2 && o[2] == 2 && o[3] == 5);
  CHECK(!memcmp(c1->buffers[2], "abcde", 5));
  CHECK_INT(((const uint8_t *)a.children[2]->buffers[1])[0] & 7, 5);
  CHECK_INT(((const int32_t *)a.children[3]->buffers[1])[1], -1);
  CHECK_INT(((const int64_t *)a.children[5]->buffers[1])[2], INT64_C(1700000000000000));
  CHECK_INT(a.children[6]->n_buffers, 0);
  CHECK_INT(a.children[6]->null_count, 3);

  /* Move a child out, release the parent, then the child still works. */
  struct ArrowArray kept = *a.children[1];
  a.children[1]->release = NULL;
  struct ArrowSchema kept_s = *sc.children[1];
  sc.children[1]->release = NULL;
  a.release(&a);
  sc.release(&sc);
  CHECK(a.release == NULL && sc.release == NULL);
  CHECK_STR(kept_s.format, "U");
  CHECK(!memcmp((const char *)kept.buffers[2] + ((const int64_t *)kept.buffers[1])[2], "cde", 3));
  kept.release(&kept);
  kept_s.release(&kept_s);
}

/* ---------------------------------------------- foreign producers */

static atomic_int fx_array_releases, fx_schema_releases;

typedef struct {
  int nbuf, nkids;
  void *mem[8];
  const void *ptrs[8];
  struct ArrowArray **kids;
  struct ArrowArray *dict;
} fx_array_priv;

static void fx_array_release(struct ArrowArray *a) {
  fx_array_priv *p = a->private_data;
  for (int i = 0; i < p->nkids; i++) {
    if (p->kids[i]->release) p->kids[i]->release(p->kids[i]);
    free(p->kids[i]);
  }
  if (p->dict) {
    if (p->dict->release) p->dict->release(p->dict);
    free(p->dict);
  }
  for (int i = 0; i < p->nbuf; i++) free(p->mem[i]);
  free(p->kids);
  free(p);
  a->release = NULL;
  atomic_fetch_add(&fx_array_releases, 1);
}

/* A heap ArrowArray of nbuf buffers given as (data, bytes) pairs (data NULL
 * for a NULL pointer), each copied into its own malloc'd block. */
static struct ArrowArray *fx_array(int64_t len, int64_t offset, int64_t nulls, int nbuf, ...) {
  struct ArrowArray *a = calloc(1, sizeof *a);
  fx_array_priv *p = calloc(1, sizeof *p);
  va_list ap;
  va_start(ap, nbuf);
  for (int i = 0; i < nbuf; i++) {
    const void *src = va_arg(ap, const void *);
    size_t n = va_arg(ap, size_t);
    if (src) {
      p->mem[i] = malloc(n ? n : 1);
      memcpy(p->mem[i], src, n);
    }
    p->ptrs[i] = p->mem[i];
  }
  va_end(ap);
  p->nbuf = nbuf;
  a->length = len;
  a->offset = offset;
  a->null_count = nulls;
  a->n_buffers = nbuf;
  a->buffers = p->ptrs;
  a->private_data = p;
  a->release = fx_array_release;
  return a;
}

static struct ArrowArray *fx_struct(int64_t len, int n, struct ArrowArray **kids) {
  uint8_t dummy = 0;
  struct ArrowArray *a = fx_array(len, 0, 0, 1, (const void *)NULL, (size_t)0);
  (void)dummy;
  fx_array_priv *p = a->private_data;
  p->kids = calloc((size_t)n + 1, sizeof *p->kids);
  for (int i = 0; i < n; i++) p->kids[i] = kids[i];
  p->nkids = n;
  a->n_children = n;
  a->children = p->kids;
  return a;
}

typedef struct {
  char *format, *name;
  int nkids;
  struct ArrowSchema **kids;
  struct ArrowSchema *dict;
} fx_schema_priv;

static void fx_schema_release(struct ArrowSchema *s) {
  fx_schema_priv *p = s->private_data;
  for (int i = 0; i < p->nkids; i++) {
    if (p->kids[i]->release) p->kids[i]->release(p->kids[i]);
    free(p->kids[i]);
  }
  if (p->dict) {
    if (p->dict->release) p->dict->release(p->dict);
    free(p->dict);
  }
  free(p->format);
  free(p->name);
  free(p->kids);
  free(p);
  s->release = NULL;
  atomic_fetch_add(&fx_schema_releases, 1);
}

static struct ArrowSchema *fx_schema(const char *format, const char *name) {
  struct ArrowSchema *s = calloc(1, sizeof *s);
  fx_schema_priv *p = calloc(1, sizeof *p);
  p->format = strdup(format);
  p->name = name ? strdup(name) : NULL;
  s->format = p->format;
  s->name = p->name;
  s->flags = ARROW_FLAG_NULLABLE;
  s->private_data = p;
  s->release = fx_schema_release;
  return s;
}

static struct ArrowSchema *fx_struct_schema(int n, struct ArrowSchema **kids) {
  struct ArrowSchema *s = fx_schema("+s", "");
  fx_schema_priv *p = s->private_data;
  p->kids = calloc((size_t)n + 1, sizeof *p->kids);
  for (int i = 0; i < n; i++) p->kids[i] = kids[i];
  p->nkids = n;
  s->n_children = n;
  s->children = p->kids;
  return s;
}

/* Imports a one-column record batch; frees the moved-out heap structs. */
static auk_status import1(struct ArrowSchema *col_schema, struct ArrowArray *col, int64_t len,
                          auk_frame **out, auk_error *err) {
  struct ArrowSchema *s = fx_struct_schema(1, &col_schema);
  struct ArrowArray *a = fx_struct(len, 1, &col);
  auk_status st = auk_frame_import(s, a, out, err);
  CHECK(s->release == NULL && a->release == NULL);
  free(s);
  free(a);
  return st;
}

static void cell_text(const auk_frame *f, int c, int64_t r, char *buf, size_t cap) {
  int isnull = 0;
  auk_frame_format_cell(f, c, r, buf, cap, &isnull, NULL);
  if (isnull) snprintf(buf, cap, "<null>");
}

static void check_cells(const auk_frame *f, int c, const char *const *want, int64_t n) {
  CHECK_INT(auk_frame_num_rows(f), n);
  for (int64_t r = 0; r < n && r < auk_frame_num_rows(f); r++) {
    char buf[128];
    cell_text(f, c, r, buf, sizeof buf);
    CHECK_STR(buf, want[r]);
  }
}

/* ------------------------------------------------- foreign imports */

static void import_utf8_offset_bitmap(void) {
  auk_error err;
  /* utf8, 10 physical values, offset 3, length 6; validity with nulls at
   * physical 4 and 8. */
  int32_t offs[11];
  const char *words[10] = {"zero", "one", "two",   "three", "four",
                           "five", "six", "seven", "eight", "nine"};
  char data[64];
  int pos = 0;
  for (int i = 0; i < 10; i++) {
    offs[i] = pos;
    memcpy(data + pos, words[i], strlen(words[i]));
    pos += (int)strlen(words[i]);
  }
  offs[10] = pos;
  uint8_t bits[2] = {0xff, 0xff};
  bits[0] &= (uint8_t) ~(1u << 4);
  bits[1] &= (uint8_t) ~(1u << 0);
  int before = atomic_load(&fx_array_releases);
  struct ArrowArray *col =
      fx_array(6, 3, 2, 3, bits, sizeof bits, offs, sizeof offs, data, (size_t)pos);
  const char *foreign_data = ((fx_array_priv *)col->private_data)->mem[2];
  auk_frame *f = NULL;
  CHECK(import1(fx_schema("u", "word"), col, 6, &f, &err) == AUK_OK);
  const char *want[] = {"three", "<null>", "five", "six", "seven", "<null>"};
  check_cells(f, 0, want, 6);
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_STRING);
  const char *p;
  int64_t len;
  auk_frame_get_string(f, 0, 2, &p, &len, NULL, &err);
  CHECK(p >= foreign_data && p < foreign_data + pos); /* bytes shared */
  CHECK_INT(atomic_load(&fx_array_releases), before); /* still in use */
  /* A slice outlives the frame; the release waits for it. */
  auk_frame *s;
  auk_frame_slice(f, 2, 2, &s, &err);
  auk_frame_free(f);
  CHECK_INT(atomic_load(&fx_array_releases), before);
  char buf[64];
  cell_text(s, 0, 1, buf, sizeof buf);
  CHECK_STR(buf, "six");
  auk_frame_free(s);
  CHECK_INT(atomic_load(&fx_array_releases), before + 2); /* struct + child, once */

  /* The same values as large_utf8 at a struct-level offset, and int32 with
   * an offset bitmap: zero-copy. */
  int64_t offs64[11];
  for (int i = 0; i < 11; i++) offs64[i] = offs[i];
  int32_t ints[10] = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90};
  struct ArrowArray *kids[2] = {
      fx_array(10, 0, 2, 3, bits, sizeof bits, offs64, sizeof offs64, data, (size_t)pos),
      fx_array(8, 2, -1, 2, bits, sizeof bits, ints, sizeof ints)};
  struct ArrowSchema *ks[2] = {fx_schema("U", "w"), fx_schema("i", "n")};
  struct ArrowArray *a = fx_struct(5, 2, kids);
  a->offset = 1; /* rows 1..5 of each child */
  const void *ints_ptr = ((fx_array_priv *)kids[1]->private_data)->mem[1];
  struct ArrowSchema *sc = fx_struct_schema(2, ks);
  before = atomic_load(&fx_array_releases);
  CHECK(auk_frame_import(sc, a, &f, &err) == AUK_OK);
  free(sc);
  free(a);
  const char *w0[] = {"one", "two", "three", "<null>", "five"};
  check_cells(f, 0, w0, 5);
  const char *w1[] = {"30", "<null>", "50", "60", "70"}; /* physical 3..7; 4 is null */
  check_cells(f, 1, w1, 5);
  CHECK(f->batches[0]->cols[1]->values->data == ints_ptr); /* zero-copy */
  CHECK_INT(f->batches[0]->cols[1]->offset, 3);
  CHECK_INT(f->batches[0]->cols[1]->null_count, 1);
  CHECK_INT(atomic_load(&fx_array_releases), before);
  auk_frame_free(f);
  CHECK_INT(atomic_load(&fx_array_releases), before + 3);
}

static void import_views_and_dictionary(void) {
  auk_error err;
  /* String views: inline (<= 12 bytes) and out of line in two buffers. */
  const char *b0 = "a string longer than twelve", *b1 = "XXanother long string";
  uint8_t views[5 * 16];
  memset(views, 0, sizeof views);
  int32_t n;
  n = 5;
  memcpy(views, &n, 4);
  memcpy(views + 4, "short", 5);
  n = 27; /* b0, buffer 0 offset 0 */
  int32_t bi = 0, bo = 0;
  memcpy(views + 16, &n, 4);
  memcpy(views + 20, b0, 4);
  memcpy(views + 24, &bi, 4);
  memcpy(views + 28, &bo, 4);
  n = -7; /* garbage in a null slot is ignored */
  memcpy(views + 32, &n, 4);
  n = 19, bi = 1, bo = 2; /* "another long string" */
  memcpy(views + 48, &n, 4);
  memcpy(views + 52, "anot", 4);
  memcpy(views + 56, &bi, 4);
  memcpy(views + 60, &bo, 4);
  n = 12; /* exactly inline */
  memcpy(views + 64, &n, 4);
  memcpy(views + 68, "twelve bytes", 12);
  int64_t sizes[2] = {(int64_t)strlen(b0), (int64_t)strlen(b1)};
  uint8_t bits = 0x1b; /* row 2 null */
  int before = atomic_load(&fx_array_releases);
  struct ArrowArray *col = fx_array(5, 0, 1, 5, &bits, (size_t)1, views, sizeof views, b0,
                                    strlen(b0), b1, strlen(b1), sizes, sizeof sizes);
  auk_frame *f;
  CHECK(import1(fx_schema("vu", "v"), col, 5, &f, &err) == AUK_OK);
  const char *want[] = {"short", "a string longer than twelve", "<null>", "another long string",
                        "twelve bytes"};
  check_cells(f, 0, want, 5);
  auk_frame_free(f);
  CHECK_INT(atomic_load(&fx_array_releases), before + 2);

  /* Dictionary: int8 indices into utf8 values, with a null index and an
   * index to a null value; the values are materialized. */
  int8_t idx[6] = {2, 0, 1, 0, 3, 2};
  uint8_t ibits = 0x3d; /* row 1 null */
  int32_t doffs[5] = {0, 3, 6, 6, 10};
  uint8_t dbits = 0x0b; /* value 2 null */
  struct ArrowArray *dict = fx_array(4, 0, 1, 3, &dbits, (size_t)1, doffs, sizeof doffs,
                                     "redtan"
                                     "blue",
                                     (size_t)10);
  struct ArrowArray *ic = fx_array(6, 0, 1, 2, &ibits, (size_t)1, idx, sizeof idx);
  ((fx_array_priv *)ic->private_data)->dict = dict;
  ic->dictionary = dict;
  struct ArrowSchema *is = fx_schema("c", "color");
  ((fx_schema_priv *)is->private_data)->dict = fx_schema("u", NULL);
  is->dictionary = ((fx_schema_priv *)is->private_data)->dict;
  before = atomic_load(&fx_array_releases);
  CHECK(import1(is, ic, 6, &f, &err) == AUK_OK);
  CHECK_INT(atomic_load(&fx_array_releases), before + 3); /* nothing shared */
  const char *wd[] = {"<null>", "<null>", "tan", "red", "blue", "<null>"};
  check_cells(f, 0, wd, 6);
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_STRING);
  auk_frame_free(f);

  /* Dictionary of int64 values with uint16 indices. */
  uint16_t idx16[3] = {1, 1, 0};
  int64_t dvals[2] = {-5, 77};
  dict = fx_array(2, 0, 0, 2, (const void *)NULL, (size_t)0, dvals, sizeof dvals);
  ic = fx_array(3, 0, 0, 2, (const void *)NULL, (size_t)0, idx16, sizeof idx16);
  ((fx_array_priv *)ic->private_data)->dict = dict;
  ic->dictionary = dict;
  is = fx_schema("S", "k");
  ((fx_schema_priv *)is->private_data)->dict = fx_schema("l", NULL);
  is->dictionary = ((fx_schema_priv *)is->private_data)->dict;
  CHECK(import1(is, ic, 3, &f, &err) == AUK_OK);
  const char *wi[] = {"77", "77", "-5"};
  check_cells(f, 0, wi, 3);
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_INT64);
  auk_frame_free(f);
}

static void import_time_units(void) {
  auk_error err;
  /* date64 floors to days; timestamps convert to microseconds; ns floor. */
  int64_t ms_days[3] = {0, -1, INT64_C(86400000) * 19000 + 5};
  int64_t secs[3] = {0, -1, 1700000000};
  int64_t ms[3] = {1, -1, 1700000000123};
  int64_t ns[3] = {1999, -1, -1000};
  struct ArrowArray *kids[4] = {
      fx_array(3, 0, 0, 2, (const void *)NULL, (size_t)0, ms_days, sizeof ms_days),
      fx_array(3, 0, 0, 2, (const void *)NULL, (size_t)0, secs, sizeof secs),
      fx_array(3, 0, 0, 2, (const void *)NULL, (size_t)0, ms, sizeof ms),
      fx_array(3, 0, 0, 2, (const void *)NULL, (size_t)0, ns, sizeof ns)};
  struct ArrowSchema *ks[4] = {fx_schema("tdm", "d"), fx_schema("tss:UTC", "s"),
                               fx_schema("tsm:", "m"), fx_schema("tsn:Europe/Paris", "n")};
  struct ArrowSchema *s = fx_struct_schema(4, ks);
  struct ArrowArray *a = fx_struct(3, 4, kids);
  auk_frame *f;
  CHECK(auk_frame_import(s, a, &f, &err) == AUK_OK);
  free(s);
  free(a);
  int64_t v;
  auk_frame_get_int(f, 0, 1, &v, NULL, &err);
  CHECK_INT(v, -1);
  auk_frame_get_int(f, 0, 2, &v, NULL, &err);
  CHECK_INT(v, 19000);
  auk_frame_get_int(f, 1, 1, &v, NULL, &err);
  CHECK_INT(v, -1000000);
  auk_frame_get_int(f, 1, 2, &v, NULL, &err);
  CHECK_INT(v, INT64_C(1700000000000000));
  auk_frame_get_int(f, 2, 2, &v, NULL, &err);
  CHECK_INT(v, INT64_C(1700000000123000));
  auk_frame_get_int(f, 3, 0, &v, NULL, &err);
  CHECK_INT(v, 1);
  auk_frame_get_int(f, 3, 1, &v, NULL, &err);
  CHECK_INT(v, -1); /* -1 ns floors to -1 us */
  auk_frame_get_int(f, 3, 2, &v, NULL, &err);
  CHECK_INT(v, -1);
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_DATE);
  CHECK_STR(auk_frame_column_timezone(f, 1), "UTC");
  CHECK(auk_frame_column_timezone(f, 2) == NULL);
  CHECK_STR(auk_frame_column_timezone(f, 3), "Europe/Paris");
  auk_frame_free(f);

  /* Seconds that overflow microseconds are an error naming the column. */
  int64_t big[1] = {INT64_MAX / 10};
  struct ArrowArray *c = fx_array(1, 0, 0, 2, (const void *)NULL, (size_t)0, big, sizeof big);
  CHECK(import1(fx_schema("tss:", "when"), c, 1, &f, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK_CONTAINS(err.message, "'when'");
  CHECK_CONTAINS(err.message, "out of range");
}

/* decimal128 in and out: 16-byte little-endian two's complement values;
 * precision past 18 and values past 64 bits are errors naming the column. */
static void decimals(void) {
  auk_error err;
  /* import: 123.45, null, -0.05, -99999999999999.99 as d:16,2 */
  int64_t vals[8] = {12345, 0, 777, 0, -5, -1, -9999999999999999, -1};
  uint8_t valid[1] = {0x0d};
  struct ArrowArray *c = fx_array(4, 0, 1, 2, valid, sizeof valid, vals, sizeof vals);
  auk_frame *f = NULL;
  CHECK(import1(fx_schema("d:16,2", "price"), c, 4, &f, &err) == AUK_OK);
  if (f) {
    CHECK_INT(auk_frame_column_type(f, 0), AUK_DECIMAL(16, 2));
    const char *want[] = {"123.45", "<null>", "-0.05", "-99999999999999.99"};
    check_cells(f, 0, want, 4);
    /* export: the same 16-byte values, format d:16,2 */
    struct ArrowSchema es;
    struct ArrowArray ea;
    CHECK(auk_frame_export_schema(f, &es, &err) == AUK_OK);
    CHECK_STR(es.children[0]->format, "d:16,2");
    CHECK(auk_frame_export_batch(f, 0, &ea, &err) == AUK_OK);
    const uint8_t *w = ea.children[0]->buffers[1];
    int64_t lo, hi;
    memcpy(&lo, w + 16 * 3, 8);
    memcpy(&hi, w + 16 * 3 + 8, 8);
    CHECK(lo == -9999999999999999 && hi == -1);
    memcpy(&lo, w, 8);
    memcpy(&hi, w + 8, 8);
    CHECK(lo == 12345 && hi == 0);
    /* and back through import */
    auk_frame *g = NULL;
    CHECK(auk_frame_import(&es, &ea, &g, &err) == AUK_OK);
    if (g) check_cells(g, 0, want, 4);
    auk_frame_free(g);
    if (es.release) es.release(&es);
    auk_frame_free(f);
  }
  /* d:p,s,64 (decimal64) too */
  int64_t v64[1] = {-123};
  c = fx_array(1, 0, 0, 2, (const void *)NULL, (size_t)0, v64, sizeof v64);
  CHECK(import1(fx_schema("d:5,3,64", "x"), c, 1, &f, &err) == AUK_OK);
  if (f) {
    const char *want[] = {"-0.123"};
    check_cells(f, 0, want, 1);
    auk_frame_free(f);
  }
  /* a value past 64 bits */
  int64_t big[2] = {5, 1};
  c = fx_array(1, 0, 0, 2, (const void *)NULL, (size_t)0, big, sizeof big);
  CHECK(import1(fx_schema("d:18,0", "big"), c, 1, &f, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK_CONTAINS(err.message, "'big'");
  CHECK_CONTAINS(err.message, "does not fit decimal(18,0)");
  /* precision 38 */
  c = fx_array(1, 0, 0, 2, (const void *)NULL, (size_t)0, big, sizeof big);
  CHECK(import1(fx_schema("d:38,2", "wide"), c, 1, &f, &err) == AUK_ERR_UNSUPPORTED);
  CHECK_CONTAINS(err.message, "'wide'");
  CHECK_CONTAINS(err.message, "precision 38");
  /* malformed */
  c = fx_array(1, 0, 0, 2, (const void *)NULL, (size_t)0, big, sizeof big);
  CHECK(import1(fx_schema("d:18", "m"), c, 1, &f, &err) == AUK_ERR_INVALID_ARGUMENT);
}

/* A plain (non-struct) array, misaligned values, and a long array cut into
 * batches. */
static void import_misc(void) {
  auk_error err;
  int before = atomic_load(&fx_array_releases);
  struct ArrowArray *a = fx_array(150000, 0, 0, 2, (const void *)NULL, (size_t)0, NULL, (size_t)0);
  fx_array_priv *p = a->private_data;
  p->mem[1] = malloc(150000 * 8 + 1);
  int64_t *vals = (int64_t *)((char *)p->mem[1] + 1); /* misaligned: copied */
  for (int64_t i = 0; i < 150000; i++) {
    int64_t v = i * 3;
    memcpy(&vals[i], &v, 8);
  }
  p->ptrs[1] = vals;
  struct ArrowSchema *s = fx_schema("l", "x");
  auk_frame *f;
  CHECK(auk_frame_import(s, a, &f, &err) == AUK_OK);
  free(s);
  free(a);
  CHECK_INT(atomic_load(&fx_array_releases), before + 1); /* nothing shared */
  CHECK_INT(auk_frame_num_rows(f), 150000);
  CHECK_INT(auk_frame_num_batches(f), 3);
  CHECK_STR(auk_frame_column_name(f, 0), "x");
  int64_t v;
  auk_frame_get_int(f, 0, 149999, &v, NULL, &err);
  CHECK_INT(v, 149999 * 3);
  auk_frame_get_int(f, 0, 65536, &v, NULL, &err);
  CHECK_INT(v, 65536 * 3);
  auk_frame_free(f);

  /* Null type, bool with an offset, and an unnamed column. */
  uint8_t bools[2] = {0xaa, 0x01};
  struct ArrowArray *kids[2] = {fx_array(4, 0, 4, 0), fx_array(4, 5, 0, 2, (const void *)NULL,
                                                               (size_t)0, bools, sizeof bools)};
  struct ArrowSchema *ks[2] = {fx_schema("n", "none"), fx_schema("b", NULL)};
  s = fx_struct_schema(2, ks);
  a = fx_struct(4, 2, kids);
  CHECK(auk_frame_import(s, a, &f, &err) == AUK_OK);
  free(s);
  free(a);
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_NULL);
  CHECK_STR(auk_frame_column_name(f, 1), "column_2");
  const char *wb[] = {"true", "false", "true", "true"}; /* bits 5..8 of 0x1aa */
  check_cells(f, 1, wb, 4);
  int isnull;
  auk_frame_is_null(f, 0, 3, &isnull, &err);
  CHECK(isnull);
  auk_frame_free(f);

  /* Empty arrays may leave every buffer NULL. */
  struct ArrowArray *ek[3] = {
      fx_array(0, 0, 0, 3, NULL, (size_t)0, NULL, (size_t)0, NULL, (size_t)0),
      fx_array(0, 0, 0, 2, NULL, (size_t)0, NULL, (size_t)0),
      fx_array(0, 0, 0, 3, NULL, (size_t)0, NULL, (size_t)0, NULL, (size_t)0)};
  struct ArrowSchema *eks[3] = {fx_schema("u", "a"), fx_schema("g", "b"), fx_schema("vu", "c")};
  s = fx_struct_schema(3, eks);
  a = fx_struct(0, 3, ek);
  CHECK_INT(auk_frame_import(s, a, &f, &err), AUK_OK);
  free(s);
  free(a);
  CHECK_INT(auk_frame_num_rows(f), 0);
  CHECK_INT(auk_frame_num_columns(f), 3);
  CHECK_INT(auk_frame_column_type(f, 2), AUK_TYPE_STRING);
  auk_frame_free(f);
}

/* ---------------------------------------------------- malformed input */

static int releases_now(void) {
  return atomic_load(&fx_array_releases) + atomic_load(&fx_schema_releases);
}

/* Imports the one-column batch and expects `code` with `text` in the
 * message, and every struct released exactly once. */
static void expect_error(struct ArrowSchema *cs, struct ArrowArray *col, int64_t len,
                         auk_status code, const char *text) {
  auk_error err;
  auk_frame *f = (auk_frame *)&err; /* must become NULL */
  int before = releases_now();
  auk_status st = import1(cs, col, len, &f, &err);
  CHECK_INT(st, code);
  CHECK(f == NULL);
  if (st) CHECK_CONTAINS(err.message, text);
  /* struct schema + column schema (+ dictionary) and the arrays */
  CHECK(releases_now() - before >= 4);
}

static void malformed(void) {
  auk_error err;
  int32_t v[4] = {1, 2, 3, 4};
  int32_t bad_offs[3] = {0, 5, 2};
  int64_t neg_offs[2] = {-3, 0};
  expect_error(fx_schema("+l", "lists"), fx_array(4, 0, 0, 2, NULL, (size_t)0, v, sizeof v), 4,
               AUK_ERR_UNSUPPORTED, "column 'lists' (format '+l'): Arrow type list");
  expect_error(fx_schema("z", "blob"), fx_array(4, 0, 0, 2, NULL, (size_t)0, v, sizeof v), 4,
               AUK_ERR_UNSUPPORTED, "format 'z'");
  expect_error(fx_schema("d:20,2", "money"), fx_array(4, 0, 0, 2, NULL, (size_t)0, v, sizeof v), 4,
               AUK_ERR_UNSUPPORTED, "decimals of precision 20");
  expect_error(fx_schema("i", "x"), fx_array(4, 0, 0, 3, NULL, (size_t)0, v, sizeof v, v, sizeof v),
               4, AUK_ERR_INVALID_ARGUMENT, "n_buffers is 3, expected 2");
  expect_error(fx_schema("i", "x"), fx_array(3, 0, 0, 2, NULL, (size_t)0, v, sizeof v), 4,
               AUK_ERR_INVALID_ARGUMENT, "the array has 3 rows, the batch needs 4");
  expect_error(fx_schema("i", "x"), fx_array(-1, 0, 0, 2, NULL, (size_t)0, v, sizeof v), 0,
               AUK_ERR_INVALID_ARGUMENT, "bad length");
  expect_error(fx_schema("i", "x"), fx_array(4, 0, 0, 2, NULL, (size_t)0, NULL, (size_t)0), 4,
               AUK_ERR_INVALID_ARGUMENT, "values buffer is NULL");
  expect_error(fx_schema("i", "x"), fx_array(4, 0, 2, 2, NULL, (size_t)0, v, sizeof v), 4,
               AUK_ERR_INVALID_ARGUMENT, "no validity buffer");
  expect_error(fx_schema("u", "s"),
               fx_array(2, 0, 0, 3, NULL, (size_t)0, bad_offs, sizeof bad_offs, "hello", (size_t)5),
               2, AUK_ERR_INVALID_ARGUMENT, "offsets decrease at row 1");
  expect_error(fx_schema("U", "s"),
               fx_array(1, 0, 0, 3, NULL, (size_t)0, neg_offs, sizeof neg_offs, "x", (size_t)1), 1,
               AUK_ERR_INVALID_ARGUMENT, "negative string offset");
  expect_error(fx_schema("u", "s"),
               fx_array(2, 0, 0, 3, NULL, (size_t)0, NULL, (size_t)0, NULL, (size_t)0), 2,
               AUK_ERR_INVALID_ARGUMENT, "offsets buffer is NULL");
  /* A view pointing past its buffer. */
  uint8_t view[16] = {0};
  int32_t n = 20, bi = 0, bo = 0;
  memcpy(view, &n, 4);
  memcpy(view + 8, &bi, 4);
  memcpy(view + 12, &bo, 4);
  int64_t size = 10;
  expect_error(fx_schema("vu", "v"),
               fx_array(1, 0, 0, 4, NULL, (size_t)0, view, sizeof view, "0123456789", (size_t)10,
                        &size, sizeof size),
               1, AUK_ERR_INVALID_ARGUMENT, "outside its data buffers");
  /* Dictionary index out of range. */
  int8_t idx[2] = {0, 5};
  struct ArrowArray *ic = fx_array(2, 0, 0, 2, NULL, (size_t)0, idx, sizeof idx);
  struct ArrowArray *dict = fx_array(1, 0, 0, 2, NULL, (size_t)0, v, sizeof v);
  ((fx_array_priv *)ic->private_data)->dict = dict;
  ic->dictionary = dict;
  struct ArrowSchema *is = fx_schema("c", "k");
  ((fx_schema_priv *)is->private_data)->dict = fx_schema("i", NULL);
  is->dictionary = ((fx_schema_priv *)is->private_data)->dict;
  expect_error(is, ic, 2, AUK_ERR_INVALID_ARGUMENT, "dictionary index 5 at row 1 is out of range");
  /* A dictionary the schema does not describe. */
  ic = fx_array(2, 0, 0, 2, NULL, (size_t)0, idx, sizeof idx);
  dict = fx_array(1, 0, 0, 2, NULL, (size_t)0, v, sizeof v);
  ((fx_array_priv *)ic->private_data)->dict = dict;
  ic->dictionary = dict;
  expect_error(fx_schema("c", "k"), ic, 2, AUK_ERR_INVALID_ARGUMENT, "has a dictionary");
  /* Float indices. */
  is = fx_schema("g", "k");
  ((fx_schema_priv *)is->private_data)->dict = fx_schema("u", NULL);
  is->dictionary = ((fx_schema_priv *)is->private_data)->dict;
  expect_error(is, fx_array(0, 0, 0, 2, NULL, (size_t)0, NULL, (size_t)0), 0,
               AUK_ERR_INVALID_ARGUMENT, "indices must be integers");

  /* Struct-level problems: child count, released array, released schema. */
  struct ArrowSchema *ks[1] = {fx_schema("i", "x")};
  struct ArrowSchema *s = fx_struct_schema(1, ks);
  struct ArrowArray *kids[2] = {fx_array(4, 0, 0, 2, NULL, (size_t)0, v, sizeof v),
                                fx_array(4, 0, 0, 2, NULL, (size_t)0, v, sizeof v)};
  struct ArrowArray *a = fx_struct(4, 2, kids);
  auk_frame *f = NULL;
  int before = releases_now();
  CHECK_INT(auk_frame_import(s, a, &f, &err), AUK_ERR_INVALID_ARGUMENT);
  CHECK_CONTAINS(err.message, "2 children");
  CHECK_INT(releases_now() - before, 2 + 3);
  CHECK(s->release == NULL && a->release == NULL);
  free(s);
  free(a);

  s = fx_struct_schema(0, NULL);
  a = fx_struct(0, 0, NULL);
  a->release(a);
  CHECK_INT(auk_frame_import(s, a, &f, &err), AUK_ERR_INVALID_ARGUMENT);
  CHECK_CONTAINS(err.message, "released");
  CHECK(s->release == NULL);
  free(s);
  free(a);

  s = fx_struct_schema(0, NULL);
  a = fx_struct(0, 0, NULL);
  s->release(s);
  before = releases_now();
  CHECK_INT(auk_frame_import(s, a, &f, &err), AUK_ERR_INVALID_ARGUMENT);
  CHECK_INT(releases_now() - before, 1); /* the array, still owned by us */
  free(s);
  free(a);

  CHECK_INT(auk_frame_import(NULL, NULL, &f, &err), AUK_ERR_INVALID_ARGUMENT);
  CHECK_INT(auk_frame_import_stream(NULL, &f, &err), AUK_ERR_INVALID_ARGUMENT);
  CHECK_INT(auk_frame_export_schema(NULL, NULL, &err), AUK_ERR_INVALID_ARGUMENT);
  CHECK_INT(auk_frame_num_batches(NULL), 0);

  /* An empty struct with zero columns and zero rows is fine. */
  s = fx_struct_schema(0, NULL);
  a = fx_struct(0, 0, NULL);
  CHECK_INT(auk_frame_import(s, a, &f, &err), AUK_OK);
  CHECK_INT(auk_frame_num_columns(f), 0);
  auk_frame_free(f);
  free(s);
  free(a);
}

/* ---------------------------------------------------- foreign streams */

typedef struct {
  int next, count, fail_at, released;
} fx_stream_priv;

static int fxs_get_schema(struct ArrowArrayStream *st, struct ArrowSchema *out) {
  (void)st;
  struct ArrowSchema *k = fx_schema("i", "n");
  struct ArrowSchema *s = fx_struct_schema(1, &k);
  *out = *s;
  free(s);
  return 0;
}

static int fxs_get_next(struct ArrowArrayStream *st, struct ArrowArray *out) {
  fx_stream_priv *p = st->private_data;
  if (p->next == p->fail_at) return EIO;
  if (p->next >= p->count) {
    memset(out, 0, sizeof *out);
    return 0;
  }
  int32_t v[3] = {p->next * 10, p->next * 10 + 1, p->next * 10 + 2};
  struct ArrowArray *k = fx_array(3, 0, 0, 2, NULL, (size_t)0, v, sizeof v);
  struct ArrowArray *a = fx_struct(3, 1, &k);
  *out = *a;
  free(a);
  p->next++;
  return 0;
}

static const char *fxs_last_error(struct ArrowArrayStream *st) {
  (void)st;
  return "the producer broke";
}

static void fxs_release(struct ArrowArrayStream *st) {
  fx_stream_priv *p = st->private_data;
  p->released++;
  st->release = NULL;
}

static void streams(void) {
  auk_error err;
  fx_stream_priv p = {0, 3, -1, 0};
  struct ArrowArrayStream st = {fxs_get_schema, fxs_get_next, fxs_last_error, fxs_release, &p};
  auk_frame *f;
  int before = atomic_load(&fx_array_releases);
  CHECK_INT(auk_frame_import_stream(&st, &f, &err), AUK_OK);
  CHECK_INT(p.released, 1);
  CHECK(st.release == NULL);
  CHECK_INT(auk_frame_num_rows(f), 9);
  CHECK_INT(auk_frame_num_batches(f), 3);
  int64_t v;
  auk_frame_get_int(f, 0, 7, &v, NULL, &err);
  CHECK_INT(v, 21);
  CHECK_INT(atomic_load(&fx_array_releases), before); /* zero-copy, held by f */
  auk_frame_free(f);
  CHECK_INT(atomic_load(&fx_array_releases), before + 6);

  fx_stream_priv q = {0, 3, 2, 0};
  struct ArrowArrayStream bad = {fxs_get_schema, fxs_get_next, fxs_last_error, fxs_release, &q};
  before = atomic_load(&fx_array_releases);
  CHECK_INT(auk_frame_import_stream(&bad, &f, &err), AUK_ERR_IO);
  CHECK_CONTAINS(err.message, "the producer broke");
  CHECK(f == NULL);
  CHECK_INT(q.released, 1);
  CHECK_INT(atomic_load(&fx_array_releases), before + 4); /* the two batches read */

  /* Our own stream: the schema can be asked again; after the end, the
   * end again; batches outlive the stream. */
  int64_t sizes[] = {10, 20};
  auk_frame *src = make_frame(2, sizes);
  struct ArrowArrayStream out;
  CHECK(auk_frame_export_stream(src, &out, &err) == AUK_OK);
  auk_frame_free(src);
  struct ArrowSchema s1, s2;
  CHECK_INT(out.get_schema(&out, &s1), 0);
  CHECK_INT(out.get_schema(&out, &s2), 0);
  CHECK_STR(s2.children[12]->format, "U");
  s1.release(&s1);
  s2.release(&s2);
  struct ArrowArray b[3];
  CHECK_INT(out.get_next(&out, &b[0]), 0);
  CHECK_INT(out.get_next(&out, &b[1]), 0);
  CHECK_INT(out.get_next(&out, &b[2]), 0);
  CHECK(b[2].release == NULL);
  CHECK_INT(out.get_next(&out, &b[2]), 0);
  CHECK(b[2].release == NULL);
  CHECK(out.get_last_error(&out) == NULL);
  out.release(&out);
  CHECK(out.release == NULL);
  CHECK_INT(b[1].length, 20);
  CHECK_INT(((const int32_t *)b[1].children[4]->buffers[1])[1] % 100000, 0);
  b[0].release(&b[0]);
  b[1].release(&b[1]);

  /* Out of memory while exporting: an error and a released struct, and the
   * stream reports it through get_last_error. */
  src = make_frame(1, sizes);
  CHECK(auk_frame_export_stream(src, &out, &err) == AUK_OK);
  auk_set_memory_limit(1);
  CHECK_INT(auk_frame_export_batch(src, 0, &b[0], &err), AUK_ERR_OUT_OF_MEMORY);
  CHECK(b[0].release == NULL);
  CHECK_INT(auk_frame_export_schema(src, &s1, &err), AUK_ERR_OUT_OF_MEMORY);
  CHECK(s1.release == NULL);
  CHECK_INT(out.get_next(&out, &b[0]), ENOMEM);
  CHECK(b[0].release == NULL);
  CHECK_CONTAINS(out.get_last_error(&out), "out of memory");
  auk_set_memory_limit(0);
  CHECK_INT(out.get_next(&out, &b[0]), 0); /* the same batch, now that memory is back */
  CHECK(out.get_last_error(&out) == NULL);
  CHECK_INT(b[0].length, 10);
  b[0].release(&b[0]);
  out.release(&out);
  auk_frame_free(src);
}

/* ------------------------------------------------------------ threads */

typedef struct {
  auk_frame *f;
  struct ArrowArray *a;
  int64_t start;
} thread_job;

static void *free_in_thread(void *arg) {
  thread_job *j = arg;
  auk_error err;
  int bad = 0;
  for (int64_t r = 0; r < auk_frame_num_rows(j->f); r += 97) {
    int64_t v;
    auk_frame_get_int(j->f, 0, r, &v, NULL, &err);
    bad += v != (j->start + r) * 3;
  }
  const int64_t *raw = j->a->children[0]->buffers[1];
  bad += raw[j->a->children[0]->offset] != j->start * 3;
  auk_frame_free(j->f);
  j->a->release(j->a);
  return (void *)(intptr_t)bad;
}

static void threads(void) {
  auk_error err;
  /* One foreign array shared by slices and exports released on four
   * threads at once: its release runs once, after the last of them. */
  int64_t n = 4 * 65536;
  int64_t *vals = malloc((size_t)n * 8);
  for (int64_t i = 0; i < n; i++) vals[i] = i * 3;
  struct ArrowArray *a = fx_array(n, 0, 0, 2, NULL, (size_t)0, vals, (size_t)n * 8);
  free(vals);
  struct ArrowSchema *s = fx_schema("l", "x");
  auk_frame *f;
  int before = atomic_load(&fx_array_releases);
  CHECK(auk_frame_import(s, a, &f, &err) == AUK_OK);
  free(s);
  free(a);
  thread_job jobs[4];
  pthread_t th[4];
  struct ArrowArray exported[4];
  for (int i = 0; i < 4; i++) {
    jobs[i].start = i * 65536 + 1000;
    auk_frame_slice(f, jobs[i].start, 60000, &jobs[i].f, &err);
    auk_frame_export_batch(jobs[i].f, 0, &exported[i], &err);
    jobs[i].a = &exported[i];
  }
  auk_frame_free(f);
  CHECK_INT(atomic_load(&fx_array_releases), before);
  for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, free_in_thread, &jobs[i]);
  for (int i = 0; i < 4; i++) {
    void *bad;
    pthread_join(th[i], &bad);
    CHECK_INT((intptr_t)bad, 0);
  }
  CHECK_INT(atomic_load(&fx_array_releases), before + 1);
}

/* A frame as the CSV reader makes it, there and back through a stream. */
static void csv_frame(void) {
  const char csv[] =
      "id,name,score,ok,day,at,at_utc,empty\n"
      "1,alpha,1.5,true,2024-01-02,2024-01-02 03:04:05,2024-01-02T03:04:05+02:00,\n"
      "2,,2.25,false,1969-12-31,1969-12-31 23:59:59.5,2024-06-01T00:00:00Z,\n"
      "-3,gamma,,,,,,\n";
  auk_error err;
  auk_frame *f;
  CHECK(auk_read_csv_buffer(csv, sizeof csv - 1, "t.csv", NULL, &f, &err) == AUK_OK);
  auk_frame *keep;
  auk_frame_slice(f, 0, -1, &keep, &err);
  auk_frame *g = round_trip_stream(f, 1, f);
  check_same(keep, g);
  CHECK_STR(auk_frame_column_timezone(g, 6), "UTC");
  struct ArrowSchema sc;
  auk_frame_export_schema(keep, &sc, &err);
  CHECK_STR(sc.children[6]->format, "tsu:UTC");
  CHECK_STR(sc.children[5]->format, "tsu:");
  sc.release(&sc);
  auk_frame_free(g);
  auk_frame_free(keep);
}

int main(void) {
  round_trips();
  csv_frame();
  raw_export();
  import_utf8_offset_bitmap();
  import_views_and_dictionary();
  import_time_units();
  decimals();
  import_misc();
  malformed();
  streams();
  threads();
  CHECK_INT(auk_memory_used(), 0);
  return check_done();
}
