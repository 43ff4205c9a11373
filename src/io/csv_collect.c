/* csv_collect.c - what happens to the reader's batches: bringing every
 * batch of a column to the column's final type (a cast where exact, else a
 * new parse of that batch's bytes), building the frame with its notes, and
 * the entry points for reading, counting and streaming to a sink. */
#include "core/alloc.h"
#include "core/datetime.h"
#include "core/error.h"
#include "core/pool.h"
#include "core/progress.h"
#include "core/types.h"
#include "io/csv_reader.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------- finishing */

typedef struct fix_ctx {
  csv_reader *r;
  csv_batch_rec **list;
  int64_t n;
  auk_type_id *final;
  auk_status *status;
  auk_error *errs;
} fix_ctx;

/* Brings one batch's columns to the final types. */
static void fix_task(void *ctx, int64_t i, int worker) {
  fix_ctx *x = ctx;
  csv_reader *r = x->r;
  csv_batch_rec *b = x->list[i];
  auk_error *err = &x->errs[i];
  csv_fields *f = NULL;
  for (int j = 0; j < r->nout; j++) {
    auk_array *a = b->cols[j];
    auk_type_id want = x->final[j];
    if (a->type == csv_storage_type(want)) continue;
    auk_array *na = NULL;
    if (a->type == AUK_TYPE_NULL) {
      na = auk_array_new_nulls(want, a->length, err);
    } else if ((a->type == AUK_TYPE_INT64 && want == AUK_TYPE_FLOAT64) ||
               (a->type == AUK_TYPE_DATE && want == AUK_TYPE_DATETIME)) {
      na = auk_array_new_fixed(want, a->length, err);
      if (na) {
        if (want == AUK_TYPE_FLOAT64) {
          const int64_t *src = auk_array_data(a);
          double *dst = auk_array_data(na);
          for (int64_t k = 0; k < a->length; k++) dst[k] = (double)src[k];
        } else {
          const int32_t *src = auk_array_data(a);
          int64_t *dst = auk_array_data(na);
          for (int64_t k = 0; k < a->length; k++) dst[k] = (int64_t)src[k] * AUK_USEC_PER_DAY;
        }
        na->null_count = a->null_count;
        na->validity = auk_buffer_retain(a->validity);
      }
    } else { /* parse the batch's bytes again */
      if (!f && !(f = csv_worker_fields(r, worker, err))) break;
      csv_issue is;
      int64_t next =
          csv_tokenize(&r->d, r->data, r->len, b->base_pos, b->end_pos, b->nrows, f, &is);
      if (next != b->end_pos || f->nrows != b->nrows) {
        auk_error_set(err, AUK_ERR_INTERNAL, "%s: rows changed when read again at byte %lld",
                      r->name, (long long)b->base_pos);
        break;
      }
      auk_status st = csv_convert_column(f, r->out_col[j], want, &r->co, &na, &is, err);
      if (st == AUK_ERR_PARSE) csv_issue_error(r, &is, want, err);
    }
    if (!na) break;
    auk_array_release(a);
    b->cols[j] = na;
  }
  x->status[i] = err->code;
}

/* Field j of the output: storage type, and "UTC" for offset datetimes. */
static auk_status set_field(auk_schema *s, int j, const char *name, auk_type_id t, auk_error *err) {
  if (auk_schema_set(s, j, name, csv_storage_type(t), err)) return err->code;
  if (t == CSV_TYPE_DATETIME_UTC && !(s->fields[j].timezone = auk_str_dup("UTC", err)))
    return err->code;
  return AUK_OK;
}

/* "column 'x': read as i64, widened to f64 at line N; ..." */
static void widening_note(const csv_reader *r, int j, auk_type_id final, char *buf, size_t cap) {
  snprintf(buf, cap,
           "column '%s': read as %s, widened to %s at line %lld; earlier rows were read again",
           r->names[r->out_col[j]], csv_type_name(r->widen_from[j]), csv_type_name(final),
           (long long)csv_line_of(r, r->widen_pos[j]));
}

static auk_status build_frame(csv_reader *r, auk_frame **out, auk_error *err) {
  auk_type_id *final = auk_mem_alloc(sizeof(auk_type_id) * (size_t)(r->nout + 1), err);
  if (!final) return err->code;
  for (int j = 0; j < r->nout; j++) {
    final[j] = (auk_type_id)atomic_load(&r->types[j]);
    if (final[j] == AUK_TYPE_NULL) final[j] = AUK_TYPE_STRING;
  }
  int64_t nb = 0;
  for (int64_t i = 0; i < r->nchunks; i++) nb += r->chunks[i].nb;
  csv_batch_rec **list = auk_mem_alloc(sizeof(csv_batch_rec *) * (size_t)(nb + 1), err);
  auk_status *status = auk_mem_calloc(sizeof(auk_status) * (size_t)(nb + 1), err);
  auk_error *errs = auk_mem_calloc(sizeof(auk_error) * (size_t)(nb + 1), err);
  auk_status st = AUK_OK;
  auk_schema *schema = NULL;
  auk_frame *fr = NULL;
  if (!list || !status || !errs) {
    st = err->code;
    goto done;
  }
  int64_t k = 0;
  for (int64_t i = 0; i < r->nchunks; i++)
    for (int64_t j = 0; j < r->chunks[i].nb; j++) list[k++] = &r->chunks[i].batches[j];
  fix_ctx x = {r, list, nb, final, status, errs};
  auk_pool_run(nb, fix_task, &x);
  for (int64_t i = 0; i < nb; i++)
    if (status[i]) {
      *err = errs[i];
      st = status[i];
      goto done;
    }
  if (!(schema = auk_schema_new(r->nout, err))) {
    st = err->code;
    goto done;
  }
  for (int j = 0; j < r->nout; j++)
    if ((st = set_field(schema, j, r->names[r->out_col[j]], final[j], err))) goto done;
  if (!(fr = auk_frame_new(schema, err))) {
    st = err->code;
    goto done;
  }
  for (int64_t i = 0; i < nb; i++) {
    auk_batch *b = auk_batch_new(schema, list[i]->nrows, err);
    if (!b) {
      st = err->code;
      goto done;
    }
    for (int j = 0; j < r->nout; j++) {
      b->cols[j] = list[i]->cols[j];
      list[i]->cols[j] = NULL;
    }
    if ((st = auk_frame_append(fr, b, err))) goto done;
  }
  for (int j = 0; j < r->nout; j++) {
    if (r->widen_pos[j] < 0 || r->widen_from[j] == final[j]) continue;
    char note[512];
    widening_note(r, j, final[j], note, sizeof note);
    if ((st = auk_frame_add_note(fr, note, err))) goto done;
  }
done:
  if (st) {
    auk_frame_free(fr);
    fr = NULL;
  }
  *out = fr;
  auk_schema_release(schema);
  auk_mem_free(final, sizeof(auk_type_id) * (size_t)(r->nout + 1));
  auk_mem_free(list, sizeof(csv_batch_rec *) * (size_t)(nb + 1));
  auk_mem_free(status, sizeof(auk_status) * (size_t)(nb + 1));
  auk_mem_free(errs, sizeof(auk_error) * (size_t)(nb + 1));
  return st;
}

auk_status auk_csv_read_source(const auk_source *src, const auk_csv_read_options *o,
                               auk_frame **out, auk_error *err) {
  csv_reader r;
  auk_status st = csv_reader_setup(&r, src, o, 0, err);
  if (!st) st = csv_reader_run(&r, err);
  if (!st) st = build_frame(&r, out, err);
  csv_reader_free(&r);
  return st;
}

auk_status auk_csv_count_source(const auk_source *src, const auk_csv_read_options *o, int64_t *rows,
                                auk_error *err) {
  csv_reader r;
  auk_status st = csv_reader_setup(&r, src, o, 1, err);
  if (!st) st = csv_reader_run(&r, err);
  if (!st) {
    int64_t n = 0;
    for (int64_t i = 0; i < r.nchunks; i++)
      for (int64_t j = 0; j < r.chunks[i].nb; j++) n += r.chunks[i].batches[j].nrows;
    *rows = n;
  }
  csv_reader_free(&r);
  return st;
}

/* The output schema once the read is done (final types; NULL -> str). */
static auk_schema *final_schema(csv_reader *r, auk_error *err) {
  auk_schema *schema = auk_schema_new(r->nout, err);
  if (!schema) return NULL;
  for (int j = 0; j < r->nout; j++) {
    auk_type_id t = (auk_type_id)atomic_load(&r->types[j]);
    if (set_field(schema, j, r->names[r->out_col[j]], t == AUK_TYPE_NULL ? AUK_TYPE_STRING : t,
                  err)) {
      auk_schema_release(schema);
      return NULL;
    }
  }
  return schema;
}

auk_status auk_csv_scan_source(const auk_source *src, const auk_csv_read_options *o,
                               const auk_csv_sink *sink, auk_schema **schema, char *notes,
                               size_t notes_cap, auk_error *err) {
  *schema = NULL;
  if (notes_cap) notes[0] = 0;
  auk_csv_read_options o2 = *o;
  const char **names = NULL;
  auk_type_id *types = NULL;
  int n = 0;
  auk_status st;
  /* one scan for both passes: a second pass does not count again */
  auk_progress_scan ps;
  auk_progress_scan_begin(&ps, src->len, o->max_rows >= 0);
  for (int pass = 0;; pass++) {
    csv_reader r;
    st = csv_reader_setup(&r, src, &o2, 0, err);
    r.sink = sink;
    if (!st) st = csv_reader_run(&r, err);
    if (!st && r.widened && pass == 0) {
      /* Batches went to the sink under narrower types: read again with the
       * final types fixed. */
      n = r.nout;
      names = auk_mem_calloc(sizeof(char *) * (size_t)(n + 1), err);
      types = auk_mem_calloc(sizeof(auk_type_id) * (size_t)(n + 1), err);
      if (!names || !types) st = err->code;
      for (int j = 0; j < n && !st; j++) {
        names[j] = o->columns ? o->columns[j] : NULL;
        types[j] = (auk_type_id)atomic_load(&r.types[j]);
        if (types[j] == AUK_TYPE_NULL) types[j] = AUK_TYPE_STRING;
        if (r.widen_pos[j] >= 0 && r.widen_from[j] != types[j] && notes_cap) {
          size_t used = strlen(notes);
          widening_note(&r, j, types[j], notes + used, notes_cap - used);
          used += strlen(notes + used);
          if (used + 1 < notes_cap) notes[used++] = '\n', notes[used] = 0;
        }
      }
      if (!st && !o->columns) { /* name all file columns as the reader did */
        for (int j = 0; j < n && !st; j++)
          if (!(names[j] = auk_str_dup(r.names[j], err))) st = err->code;
      }
      csv_reader_free(&r);
      if (st) break;
      sink->reset(sink->ctx, 0);
      o2.type_names = names;
      o2.types = types;
      o2.num_types = n;
      continue;
    }
    if (!st && !(*schema = final_schema(&r, err))) st = err->code;
    csv_reader_free(&r);
    break;
  }
  auk_progress_scan_end(&ps);
  if (names && !o->columns)
    for (int j = 0; j < n; j++) auk_str_free((char *)names[j]);
  auk_mem_free(names, sizeof(char *) * (size_t)(n + 1));
  auk_mem_free(types, sizeof(auk_type_id) * (size_t)(n + 1));
  return st;
}
