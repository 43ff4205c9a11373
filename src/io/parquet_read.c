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
#include "core/progress.h"
#include "core/types.h"
#include "io/parquet_chunk.h"

#include <stdio.h>
#include <string.h>

typedef struct read_ctx {
  pq_file *f;
  const int *cols; /* column indices into f->cols */
  int ncols;
  const int64_t *rows; /* per row group */
  const uint8_t *dict; /* per column: may stay dictionary-encoded, or NULL */
  const pq_keep *keep; /* per row group, or NULL */
  int64_t **skips;     /* per task: (row, rows) of the pages not read, then -1 */
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
  } else {
    j.want_dict = r->dict && j.col->type == AUK_TYPE_STRING ? r->dict[t % r->ncols] : 0;
    if (r->keep && r->keep[j.rg].n >= 0) j.keep = &r->keep[j.rg];
    auk_status st = pq_read_chunk(&j);
    if (st && j.restart) { /* a page without the dictionary: read it the plain way */
      pq_colbuf_free(&j.out);
      pq_colbuf_free(&j.dict);
      j.has_dict = 0;
      j.ndict = 0;
      j.want_dict = j.restart = 0;
      pq_skips_free(&j);
      st = pq_read_chunk(&j);
    }
    if (!st && j.keep) { /* the rows of the pages read, and the pages left out */
      j.rows = j.out.len;
      r->skips[t] = j.skips;
      j.skips = NULL;
    }
    if (!st) r->arrays[t] = pq_finish_chunk(&j);
  }
  pq_skips_free(&j);
  if (!r->arrays[t]) r->failed[t] = 1;
  auk_progress_scan_add(r->rows[j.rg]); /* the group's rows, also when pages were skipped */
  pq_colbuf_free(&j.out);
  pq_colbuf_free(&j.dict);
}

/* Row `row` of a row group in a chunk's array that left out the pages
 * skips lists ((row, rows) pairs, then -1; NULL: none). */
static int64_t kept_row(const int64_t *skips, int64_t row) {
  int64_t at = row;
  for (int i = 0; skips && skips[i] >= 0 && skips[i] < row; i += 2) at -= skips[i + 1];
  return at;
}

auk_status pq_file_read(pq_file *f, const char *const *columns, int ncolumns, const pq_read_opts *o,
                        auk_frame **out, auk_error *err) {
  *out = NULL;
  pq_read_opts none = {-1, NULL, NULL, NULL};
  if (!o) o = &none;
  int64_t max_rows = o->max_rows;
  const uint8_t *skip_rg = o->skip_rg;
  const pq_keep *keep = max_rows < 0 ? o->keep : NULL;
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
  int64_t **skips = NULL;
  auk_progress_scan ps = {0}; /* progress in values decoded: rows x columns */
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
  skips = keep ? auk_mem_calloc(sizeof(int64_t *) * (size_t)(ntasks + 1), err) : NULL;
  if (!arrays || !errs || !failed || (keep && !skips)) goto fail;
  int64_t cells = 0;
  for (int g = 0; g < nrg; g++) cells += rows[g] * n;
  auk_progress_scan_begin(&ps, cells, max_rows >= 0);
  if (ntasks) {
    read_ctx rc = {f, cols, n, rows, o->dict, keep, skips, mem, arrays, errs, failed};
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
    /* the row group's rows, or the ranges kept of them: each lies in
     * pages every column read, so it is one slice of each column */
    int all = !keep || keep[g].n < 0 || !rows[g];
    int nr = all ? 1 : keep[g].n;
    for (int k = 0; k < nr; k++) {
      int64_t r0 = all ? 0 : keep[g].r[2 * k], r1 = all ? rows[g] : keep[g].r[2 * k + 1];
      for (int64_t s = r0; s < r1; s += AUK_BATCH_ROWS) {
        int64_t len = r1 - s < AUK_BATCH_ROWS ? r1 - s : AUK_BATCH_ROWS;
        auk_batch *b = auk_batch_new(schema, len, err);
        if (!b) goto fail;
        for (int c = 0; c < n; c++) {
          int64_t t = (int64_t)g * n + c;
          auk_array *a = arrays[t];
          int64_t at = all ? s : kept_row(skips[t], s);
          b->cols[c] = (at == 0 && len == a->length) ? auk_array_retain(a)
                                                     : auk_array_slice(a, at, len, err);
          if (!b->cols[c]) {
            auk_batch_free(b);
            goto fail;
          }
        }
        if (auk_frame_append(fr, b, err)) goto fail;
      }
    }
  }
  *out = fr;
  fr = NULL;
  goto done;
fail:
  if (!st) st = err->code;
done:
  auk_progress_scan_end(&ps);
  auk_frame_free(fr);
  if (arrays)
    for (int64_t t = 0; t < ntasks; t++) auk_array_release(arrays[t]);
  auk_mem_free(arrays, sizeof(auk_array *) * (size_t)(ntasks + 1));
  auk_mem_free(errs, sizeof(auk_error) * (size_t)(ntasks + 1));
  auk_mem_free(failed, sizeof(int) * (size_t)(ntasks + 1));
  if (skips)
    for (int64_t t = 0; t < ntasks; t++) {
      pq_chunk_job j = {.skips = skips[t]};
      pq_skips_free(&j);
    }
  auk_mem_free(skips, sizeof(int64_t *) * (size_t)(ntasks + 1));
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
