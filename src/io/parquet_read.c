/* parquet_read.c - decoding column chunks into auk arrays and assembling
 * frames. Each (row group, column) pair is one task on the thread pool; a
 * task walks its chunk's pages, decompresses each into a per-worker scratch
 * buffer, decodes definition levels into the validity bitmap, and decodes
 * the non-null values densely at the page's first row, converted to the auk
 * type; nulls are then spread out in place, back to front. The dictionary
 * page is decoded and converted once per chunk; data pages gather from it.
 * One array per chunk is cut into batches by zero-copy slices, in file
 * order. Only the chunks of the columns asked for are touched, and row
 * groups past max_rows are not read at all. */
#include "core/alloc.h"
#include "core/pool.h"
#include "core/types.h"
#include "io/parquet_chunk.h"

#include <stdio.h>
#include <string.h>

typedef struct read_ctx {
  pq_file *f;
  const int *cols; /* column indices into f->cols */
  int ncols;
  const int64_t *rows; /* per row group */
  pq_worker_mem *mem;
  auk_array **arrays; /* [rg * ncols + c] */
  auk_error *errs;
  int *failed;
} read_ctx;

static void pq_chunk_task(void *ctx, int64_t t, int worker) {
  read_ctx *r = ctx;
  pq_chunk_job j;
  memset(&j, 0, sizeof j);
  j.f = r->f;
  j.rg = (int)(t / r->ncols);
  j.col = &r->f->cols[r->cols[t % r->ncols]];
  j.rows = r->rows[j.rg];
  j.w = &r->mem[worker];
  j.err = &r->errs[t];
  if (j.col->conv == PQ_CV_NULL) {
    r->arrays[t] = auk_array_new_nulls(AUK_TYPE_NULL, j.rows, j.err);
  } else if (j.rows == 0) {
    if (pq_colbuf_init(&j.out, j.col->type, 0, 0, j.err) == AUK_OK)
      r->arrays[t] = pq_finish_chunk(&j);
  } else if (pq_read_chunk(&j) == AUK_OK) {
    r->arrays[t] = pq_finish_chunk(&j);
  }
  if (!r->arrays[t]) r->failed[t] = 1;
  pq_colbuf_free(&j.out);
  pq_colbuf_free(&j.dict);
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

int pq_rowgroup_float_bounds(const pq_file *f, int col, int rg, double *min, double *max) {
  const pq_stats *s = chunk_stats(f, col, rg);
  if (!s || f->cols[col].conv != PQ_CV_COPY) return 0;
  auk_type_id t = f->cols[col].type;
  int w = t == AUK_TYPE_FLOAT32 ? 4 : t == AUK_TYPE_FLOAT64 ? 8 : 0;
  if (!w || s->min.n != w || s->max.n != w) return 0;
  double v[2];
  const pq_str *b[2] = {&s->min, &s->max};
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

int pq_rowgroup_str_bounds(const pq_file *f, int col, int rg, const char **min, int64_t *min_len,
                           const char **max, int64_t *max_len) {
  const pq_stats *s = chunk_stats(f, col, rg);
  if (!s || s->legacy || f->cols[col].type != AUK_TYPE_STRING || f->cols[col].conv != PQ_CV_COPY)
    return 0;
  *min = s->min.p;
  *min_len = s->min.n;
  *max = s->max.p;
  *max_len = s->max.n;
  return 1;
}

int pq_rowgroup_int_bounds(const pq_file *f, int col, int rg, int64_t *min, int64_t *max) {
  if (col < 0 || col >= f->ncols || rg < 0 || rg >= f->meta.nrgs) return 0;
  const pq_column *c = &f->cols[col];
  const pq_row_group *g = &f->meta.rgs[rg];
  if (c->leaf < 0 || c->leaf >= g->ncols || !g->cols[c->leaf].has_meta) return 0;
  const pq_column_meta *m = &g->cols[c->leaf].meta;
  if (!m->has_stats || !m->stats.has_min || !m->stats.has_max) return 0;
  int width = m->type == PQ_INT32 ? 4 : m->type == PQ_INT64 ? 8 : 0;
  if (!width || m->stats.min.n != width || m->stats.max.n != width) return 0;
  /* decimals on INT32/INT64: the statistics are the unscaled values, in
   * signed order (the caller compares literals of the column's own type) */
  if (!auk_type_is_integer(c->type) && c->type != AUK_TYPE_DATE && c->type != AUK_TYPE_DATETIME &&
      !auk_type_is_decimal(c->type))
    return 0;
  if (auk_type_is_integer(c->type) && !auk_type_is_signed(c->type)) return 0; /* unsigned order */
  int64_t v[2];
  const pq_str *s[2] = {&m->stats.min, &m->stats.max};
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

auk_status pq_file_read(pq_file *f, const char *const *columns, int ncolumns, int64_t max_rows,
                        const uint8_t *skip_rg, auk_frame **out, auk_error *err) {
  *out = NULL;
  int n = ncolumns > 0 ? ncolumns : f->ncols;
  if (n == 0 && f->nested)
    return auk_error_set(err, AUK_ERR_UNSUPPORTED,
                         "%s: every column is nested (list, struct or map): %s; nested types are "
                         "not supported yet",
                         f->src.name, f->nested);
  auk_status st = AUK_OK;
  int nthreads = auk_pool_threads();
  int *cols = auk_mem_calloc(sizeof(int) * (size_t)(n + 1), err);
  int64_t *rows = auk_mem_calloc(sizeof(int64_t) * (size_t)(f->meta.nrgs + 1), err);
  pq_worker_mem *mem = auk_mem_calloc(sizeof(pq_worker_mem) * (size_t)nthreads, err);
  auk_schema *schema = auk_schema_new(n, err);
  auk_frame *fr = NULL;
  int64_t ntasks = 0;
  auk_array **arrays = NULL;
  auk_error *errs = NULL;
  int *failed = NULL;
  if (!cols || !rows || !mem || !schema) goto fail;
  for (int i = 0; i < n; i++) {
    if (ncolumns > 0) {
      int k = -1;
      for (int c = 0; c < f->ncols && k < 0; c++)
        if (columns[i] && !strcmp(f->cols[c].name, columns[i])) k = c;
      if (k < 0) {
        /* a nested column, or a name that is not there */
        char quoted[512];
        snprintf(quoted, sizeof quoted, "'%s'", columns[i] ? columns[i] : "");
        if (f->nested && columns[i] && strstr(f->nested, quoted)) {
          st = auk_error_set(err, AUK_ERR_UNSUPPORTED,
                             "%s: column '%s' is nested (list, struct or map); nested types are "
                             "not supported yet",
                             f->src.name, columns[i]);
          goto fail;
        }
        auk_schema *all = auk_schema_new(f->ncols, err);
        if (!all) goto fail;
        for (int c = 0; c < f->ncols; c++)
          auk_schema_set(all, c, f->cols[c].name, f->cols[c].type, err);
        char hint[400];
        auk_schema_suggest(all, columns[i] ? columns[i] : "", hint, sizeof hint);
        auk_schema_release(all);
        st = auk_error_set(err, AUK_ERR_NOT_FOUND, "%s: no column '%s' (%s)", f->src.name,
                           columns[i] ? columns[i] : "(null)", hint);
        goto fail;
      }
      cols[i] = k;
    } else {
      cols[i] = i;
    }
    const pq_column *c = &f->cols[cols[i]];
    if (auk_schema_set(schema, i, c->name, c->type, err)) goto fail;
    if (c->tz && !(schema->fields[i].timezone = auk_str_dup(c->tz, err))) goto fail;
  }
  int64_t left = max_rows < 0 ? INT64_MAX : max_rows;
  int nrg = 0;
  for (int g = 0; g < f->meta.nrgs && left > 0; g++) {
    if (skip_rg && skip_rg[g]) { /* statistics rule the row group out */
      rows[g] = 0;
      nrg = g + 1;
      continue;
    }
    rows[g] = f->meta.rgs[g].num_rows < left ? f->meta.rgs[g].num_rows : left;
    left -= rows[g];
    nrg = g + 1;
  }
  ntasks = (int64_t)nrg * n;
  arrays = auk_mem_calloc(sizeof(auk_array *) * (size_t)(ntasks + 1), err);
  errs = auk_mem_calloc(sizeof(auk_error) * (size_t)(ntasks + 1), err);
  failed = auk_mem_calloc(sizeof(int) * (size_t)(ntasks + 1), err);
  if (!arrays || !errs || !failed) goto fail;
  if (ntasks) {
    read_ctx rc = {f, cols, n, rows, mem, arrays, errs, failed};
    auk_pool_run(ntasks, pq_chunk_task, &rc);
  }
  for (int64_t t = 0; t < ntasks; t++)
    if (failed[t]) {
      *err = errs[t];
      st = errs[t].code;
      goto done;
    }
  fr = auk_frame_new(schema, err);
  if (!fr) goto fail;
  if (f->nested) {
    char note[1200];
    snprintf(note, sizeof note,
             "skipped nested column%s %s: lists, structs and maps are not supported yet",
             strchr(f->nested, ',') ? "s" : "", f->nested);
    if (auk_frame_add_note(fr, note, err)) goto fail;
  }
  for (int i = 0; i < n; i++) {
    const pq_column *c = &f->cols[cols[i]];
    int dec = c->conv == PQ_CV_DEC_I32 || c->conv == PQ_CV_DEC_I64 || c->conv == PQ_CV_DEC_BIN;
    if (!dec || c->type != AUK_TYPE_FLOAT64) continue;
    char note[600];
    snprintf(note, sizeof note,
             "column '%s' is a decimal of precision %d: read as f64 (auk's decimals hold up to "
             "18 digits)",
             c->name, c->el->logical == PQ_LT_DECIMAL ? c->el->lt_precision : c->el->precision);
    if (auk_frame_add_note(fr, note, err)) goto fail;
  }
  for (int g = 0; g < nrg; g++) {
    for (int64_t s = 0; s < rows[g]; s += AUK_BATCH_ROWS) {
      int64_t len = rows[g] - s < AUK_BATCH_ROWS ? rows[g] - s : AUK_BATCH_ROWS;
      auk_batch *b = auk_batch_new(schema, len, err);
      if (!b) goto fail;
      for (int c = 0; c < n; c++) {
        auk_array *a = arrays[(int64_t)g * n + c];
        b->cols[c] =
            (s == 0 && len == a->length) ? auk_array_retain(a) : auk_array_slice(a, s, len, err);
        if (!b->cols[c]) {
          auk_batch_free(b);
          goto fail;
        }
      }
      if (auk_frame_append(fr, b, err)) goto fail;
    }
  }
  *out = fr;
  fr = NULL;
  goto done;
fail:
  if (!st) st = err->code;
done:
  auk_frame_free(fr);
  if (arrays)
    for (int64_t t = 0; t < ntasks; t++) auk_array_release(arrays[t]);
  auk_mem_free(arrays, sizeof(auk_array *) * (size_t)(ntasks + 1));
  auk_mem_free(errs, sizeof(auk_error) * (size_t)(ntasks + 1));
  auk_mem_free(failed, sizeof(int) * (size_t)(ntasks + 1));
  if (mem)
    for (int i = 0; i < nthreads; i++) {
      pq_scratch_free(&mem[i].page);
      pq_scratch_free(&mem[i].levels);
      pq_scratch_free(&mem[i].vals);
      pq_scratch_free(&mem[i].spans);
      pq_scratch_free(&mem[i].bytes);
    }
  auk_mem_free(mem, sizeof(pq_worker_mem) * (size_t)nthreads);
  auk_mem_free(cols, sizeof(int) * (size_t)(n + 1));
  auk_mem_free(rows, sizeof(int64_t) * (size_t)(f->meta.nrgs + 1));
  auk_schema_release(schema);
  return st;
}
