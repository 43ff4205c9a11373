/* parquet_pages.c - what a file's statistics say about its rows, for
 * skipping what a pushed predicate rules out: a row group's bounds from its
 * column chunk's statistics, and the page index (OffsetIndex: each data
 * page's first row; ColumnIndex: each page's bounds and whether it holds
 * only nulls). Bounds come out in the units of the auk type (days,
 * microseconds). A page index that is absent, malformed or inconsistent is
 * ignored: it only ever narrows what is read. */
#include "core/types.h"
#include "io/parquet.h"

#include <string.h>

/* ------------------------------------------------------------ bounds */

/* Integer-like bounds (integers, dates, timestamps) from the plain-encoded
 * min and max of column c; 0 when they say nothing usable. */
static int int_bounds(const pq_column *c, const pq_str *mn, const pq_str *mx, int64_t *min,
                      int64_t *max) {
  int width = c->el->type == PQ_INT32 ? 4 : c->el->type == PQ_INT64 ? 8 : 0;
  if (!width || mn->n != width || mx->n != width) return 0;
  /* decimals on INT32/INT64: the statistics are the unscaled values, in
   * signed order (the caller compares literals of the column's own type) */
  if (!auk_type_is_integer(c->type) && c->type != AUK_TYPE_DATE && c->type != AUK_TYPE_DATETIME &&
      !auk_type_is_decimal(c->type))
    return 0;
  if (auk_type_is_integer(c->type) && !auk_type_is_signed(c->type)) return 0; /* unsigned order */
  int64_t v[2];
  const pq_str *s[2] = {mn, mx};
  for (int i = 0; i < 2; i++) {
    if (width == 4) {
      int32_t x;
      memcpy(&x, s[i]->p, 4);
      v[i] = x;
    } else {
      memcpy(&v[i], s[i]->p, 8);
    }
  }
  switch (c->conv) {
    case PQ_CV_COPY:
    case PQ_CV_I32_I8:
    case PQ_CV_I32_I16:
    case PQ_CV_DEC_I32:
    case PQ_CV_DEC_I64: break;
    case PQ_CV_MS_US:
      if (v[0] < INT64_MIN / 1000 || v[1] > INT64_MAX / 1000) return 0;
      v[0] *= 1000;
      v[1] *= 1000;
      break;
    case PQ_CV_NS_US: /* floor, as the values are read */
      v[0] = v[0] / 1000 - (v[0] % 1000 < 0);
      v[1] = v[1] / 1000 - (v[1] % 1000 < 0);
      break;
    default: return 0;
  }
  if (v[0] > v[1]) return 0;
  *min = v[0];
  *max = v[1];
  return 1;
}

static int float_bounds(const pq_column *c, const pq_str *mn, const pq_str *mx, double *min,
                        double *max) {
  if (c->conv != PQ_CV_COPY) return 0;
  int w = c->type == AUK_TYPE_FLOAT32 ? 4 : c->type == AUK_TYPE_FLOAT64 ? 8 : 0;
  if (!w || mn->n != w || mx->n != w) return 0;
  double v[2];
  const pq_str *b[2] = {mn, mx};
  for (int i = 0; i < 2; i++) {
    if (w == 4) {
      float x;
      memcpy(&x, b[i]->p, 4);
      v[i] = x;
    } else {
      memcpy(&v[i], b[i]->p, 8);
    }
    if (v[i] != v[i]) return 0; /* NaN: the bounds say nothing */
  }
  /* a zero bound may stand for either zero (the spec's advice to readers) */
  if (v[0] == 0) v[0] = -0.0;
  if (v[1] == 0) v[1] = 0.0;
  if (v[0] > v[1]) return 0;
  *min = v[0];
  *max = v[1];
  return 1;
}

static int str_bounds(const pq_column *c, const pq_str *mn, const pq_str *mx, const char **min,
                      int64_t *min_len, const char **max, int64_t *max_len) {
  if (c->type != AUK_TYPE_STRING || (c->conv != PQ_CV_COPY && c->conv != PQ_CV_BIN)) return 0;
  *min = mn->p;
  *min_len = mn->n;
  *max = mx->p;
  *max_len = mx->n;
  return 1;
}

/* The statistics of column col in row group rg, or NULL. */
static const pq_stats *chunk_stats(const pq_file *f, int col, int rg) {
  if (col < 0 || col >= f->ncols || rg < 0 || rg >= f->meta.nrgs) return NULL;
  const pq_column *c = &f->cols[col];
  const pq_row_group *g = &f->meta.rgs[rg];
  if (c->leaf < 0 || c->leaf >= g->ncols || !g->cols[c->leaf].has_meta) return NULL;
  const pq_column_meta *m = &g->cols[c->leaf].meta;
  if (!m->has_stats || !m->stats.has_min || !m->stats.has_max) return NULL;
  return &m->stats;
}

int pq_rowgroup_int_bounds(const pq_file *f, int col, int rg, int64_t *min, int64_t *max) {
  const pq_stats *s = chunk_stats(f, col, rg);
  return s && int_bounds(&f->cols[col], &s->min, &s->max, min, max);
}

int pq_rowgroup_float_bounds(const pq_file *f, int col, int rg, double *min, double *max) {
  const pq_stats *s = chunk_stats(f, col, rg);
  return s && float_bounds(&f->cols[col], &s->min, &s->max, min, max);
}

int pq_rowgroup_str_bounds(const pq_file *f, int col, int rg, const char **min, int64_t *min_len,
                           const char **max, int64_t *max_len) {
  /* the legacy min/max of strings compare as signed bytes: not usable */
  const pq_stats *s = chunk_stats(f, col, rg);
  return s && !s->legacy && str_bounds(&f->cols[col], &s->min, &s->max, min, min_len, max, max_len);
}

int pq_page_int_bounds(const pq_file *f, int col, const pq_page_index *ix, int page, int64_t *min,
                       int64_t *max) {
  return ix->has_bounds && !ix->null_page[page] &&
         int_bounds(&f->cols[col], &ix->min[page], &ix->max[page], min, max);
}

int pq_page_float_bounds(const pq_file *f, int col, const pq_page_index *ix, int page, double *min,
                         double *max) {
  return ix->has_bounds && !ix->null_page[page] &&
         float_bounds(&f->cols[col], &ix->min[page], &ix->max[page], min, max);
}

int pq_page_str_bounds(const pq_file *f, int col, const pq_page_index *ix, int page,
                       const char **min, int64_t *min_len, const char **max, int64_t *max_len) {
  return ix->has_bounds && !ix->null_page[page] &&
         str_bounds(&f->cols[col], &ix->min[page], &ix->max[page], min, min_len, max, max_len);
}

/* -------------------------------------------------------- page index */

/* OffsetIndex { 1: list<PageLocation { 1: offset, 2: size, 3: first_row }> } */
static int parse_offset_index(const uint8_t *p, size_t n, int64_t rg_rows, pq_page_index *ix,
                              pq_arena *a, auk_error *err) {
  pq_reader rd, *r = &rd;
  pq_reader_init(r, p, n);
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (id != 1 || t != PQ_T_LIST || ix->first_row) {
      pq_skip(r, t);
      continue;
    }
    int et;
    int64_t np = pq_read_list(r, &et);
    if ((et != PQ_T_STRUCT && np) || np <= 0 || np > INT32_MAX / 2) return 0;
    if (!(ix->first_row = pq_arena_alloc(a, sizeof(int64_t) * (size_t)(np + 1), err))) return -1;
    ix->npages = (int)np;
    for (int64_t i = 0; i < np && !r->bad; i++) {
      int16_t s2 = pq_struct_begin(r), fid;
      int ft;
      ix->first_row[i] = -1;
      while (pq_read_field(r, &fid, &ft)) {
        if (fid == 3 && ft == PQ_T_I64)
          ix->first_row[i] = pq_read_i64(r);
        else
          pq_skip(r, ft);
      }
      pq_struct_end(r, s2);
    }
  }
  pq_struct_end(r, saved);
  if (r->bad || !ix->first_row) return 0;
  /* pages start at row 0 and go up within the row group */
  ix->first_row[ix->npages] = rg_rows;
  if (ix->first_row[0] != 0) return 0;
  for (int i = 0; i < ix->npages; i++)
    if (ix->first_row[i] >= ix->first_row[i + 1]) return 0;
  return 1;
}

/* ColumnIndex { 1: null_pages, 2: min_values, 3: max_values, ... }; every
 * list must have one entry per page. */
static int parse_column_index(const uint8_t *p, size_t n, pq_page_index *ix, pq_arena *a,
                              auk_error *err) {
  int np = ix->npages, got = 0;
  ix->null_page = pq_arena_alloc(a, (size_t)np, err);
  ix->min = ix->null_page ? pq_arena_alloc(a, sizeof(pq_str) * (size_t)np, err) : NULL;
  ix->max = ix->min ? pq_arena_alloc(a, sizeof(pq_str) * (size_t)np, err) : NULL;
  if (!ix->max) return -1;
  pq_reader rd, *r = &rd;
  pq_reader_init(r, p, n);
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (t != PQ_T_LIST || id < 1 || id > 3 || (got & (1 << id))) {
      pq_skip(r, t);
      continue;
    }
    int et;
    int64_t cnt = pq_read_list(r, &et);
    if (cnt != np) return 0;
    got |= 1 << id;
    for (int i = 0; i < np && !r->bad; i++) {
      if (id == 1) { /* booleans in a list: one byte each, 1 for true */
        if (et != PQ_T_TRUE && et != PQ_T_FALSE) return 0;
        ix->null_page[i] = pq_read_byte(r) == 1;
      } else {
        if (et != PQ_T_BINARY) return 0;
        pq_str *s = id == 2 ? &ix->min[i] : &ix->max[i];
        s->p = (const char *)pq_read_binary(r, &s->n);
      }
    }
  }
  pq_struct_end(r, saved);
  return !r->bad && got == (1 << 1 | 1 << 2 | 1 << 3);
}

auk_status pq_page_index_load(const pq_file *f, int col, int rg, pq_page_index *ix, pq_arena *a,
                              auk_error *err) {
  memset(ix, 0, sizeof *ix);
  if (col < 0 || col >= f->ncols || rg < 0 || rg >= f->meta.nrgs) return AUK_OK;
  const pq_row_group *g = &f->meta.rgs[rg];
  int leaf = f->cols[col].leaf;
  if (leaf < 0 || leaf >= g->ncols) return AUK_OK;
  const pq_chunk *ch = &g->cols[leaf];
  /* both indexes lie in the file's data, before the footer */
  if (ch->oi_offset < 4 || ch->oi_length <= 0 || ch->oi_offset > f->data_end - ch->oi_length)
    return AUK_OK;
  int ok = parse_offset_index(f->src.data + ch->oi_offset, (size_t)ch->oi_length, g->num_rows, ix,
                              a, err);
  if (ok < 0) return err->code;
  if (!ok) {
    memset(ix, 0, sizeof *ix);
    return AUK_OK;
  }
  if (ch->ci_offset < 4 || ch->ci_length <= 0 || ch->ci_offset > f->data_end - ch->ci_length)
    return AUK_OK;
  ok = parse_column_index(f->src.data + ch->ci_offset, (size_t)ch->ci_length, ix, a, err);
  if (ok < 0) return err->code;
  ix->has_bounds = ok;
  return AUK_OK;
}
