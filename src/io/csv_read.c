/* csv_read.c - the parallel CSV reader.
 *
 * 1. The input is one contiguous byte range (io/source.c). Lines to skip,
 *    the header and the delimiter are read serially (csv_sniff.c).
 * 2. The data is cut into chunks. Where a chunk starts inside a quoted field
 *    follows from the parity of the quote characters before it; a parallel
 *    pass counts quotes per chunk and a prefix sum gives each boundary's
 *    parity, so every chunk starts exactly at a row start.
 * 3. Types are inferred from a sample (the first rows and a few rows at
 *    chunk starts); explicit types are taken as given.
 * 4. Chunks are tokenized and converted in parallel, batch by batch. A value
 *    that does not fit an inferred type widens the column for the rest of
 *    the read; once all chunks are done, only the batches read under a
 *    narrower type are converted again (a cast where it is exact, else a
 *    new parse of that batch's bytes). A value that does not fit an
 *    explicit type is an error.
 * 5. Chunks are checked to tile the input exactly (each ends where the next
 *    begins). A quote inside an unquoted field can break the parity rule;
 *    then everything after the first mismatch is parsed again serially, so
 *    the result always equals the single-threaded parse.
 * Collecting the batches (casts, re-parses, the frame) is csv_collect.c.
 * Errors name the file, the line (1-based, counting the header and skipped
 * lines), the column and the offending text; the earliest one in the file
 * wins, as in a serial read. */
#include "core/alloc.h"
#include "core/datetime.h"
#include "core/error.h"
#include "core/frame.h"
#include "core/pool.h"
#include "core/progress.h"
#include "core/types.h"
#include "io/csv.h"
#include "io/csv_internal.h"
#include "io/csv_reader.h"
#include "io/csv_sniff.h"
#include "io/source.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* ------------------------------------------------------------- messages */

int64_t csv_line_of(const csv_reader *r, int64_t pos) {
  int64_t n = 1;
  const uint8_t *p = r->data, *end = r->data + (pos < r->len ? pos : r->len);
  while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    n++;
    p++;
  }
  return n;
}

const char *csv_col_name(const csv_reader *r, int col) {
  return col >= 0 && col < r->nfile ? r->names[col] : "?";
}

auk_status csv_issue_error(const csv_reader *r, const csv_issue *is, auk_type_id type,
                           auk_error *err) {
  char text[256] = "";
  int64_t shown = is->len;
  if (is->pos + shown > r->len) shown = r->len - is->pos;
  auk_error_quote(text, sizeof text, (const char *)r->data + is->pos, (size_t)shown);
  int64_t line = csv_line_of(r, is->pos);
  switch (is->kind) {
    case CSV_ISSUE_TOO_FEW:
    case CSV_ISSUE_TOO_MANY:
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: line %lld: expected %d fields but found %d in %s (to accept "
                           "ragged rows, pad them with nulls: --ragged pad)",
                           r->name, (long long)line, r->nfile, is->count, text);
    case CSV_ISSUE_UNTERMINATED:
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: line %lld, column '%s': quoted field is never closed: %s", r->name,
                           (long long)line, csv_col_name(r, is->col), text);
    case CSV_ISSUE_AFTER_QUOTE:
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: line %lld, column '%s': unexpected text %s after a closing quote",
                           r->name, (long long)line, csv_col_name(r, is->col), text);
    case CSV_ISSUE_ROW_TOO_LONG:
      return auk_error_set(err, AUK_ERR_PARSE, "%s: line %lld: a row longer than 1 GiB", r->name,
                           (long long)line);
    case CSV_ISSUE_UTF8:
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: line %lld, column '%s': invalid UTF-8 in %s (if the file is "
                           "Latin-1, read it with encoding latin1)",
                           r->name, (long long)line, csv_col_name(r, is->col), text);
    case CSV_ISSUE_VALUE:
      return auk_error_set(err, AUK_ERR_PARSE, "%s: line %lld, column '%s': cannot read %s as %s",
                           r->name, (long long)line, csv_col_name(r, is->col), text,
                           csv_type_name(type));
    default:
      return auk_error_set(err, AUK_ERR_INTERNAL, "%s: line %lld: unknown CSV issue", r->name,
                           (long long)line);
  }
}

/* ---------------------------------------------------------- batch parse */

void csv_batch_rec_free(const csv_reader *r, csv_batch_rec *b) {
  if (!b->cols) return;
  for (int j = 0; j < r->nout; j++) auk_array_release(b->cols[j]);
  auk_mem_free(b->cols, sizeof(auk_array *) * (size_t)(r->nout ? r->nout : 1));
  b->cols = NULL;
}

static void note_widening(csv_reader *r, int j, int64_t pos, auk_type_id from, auk_type_id to) {
  pthread_mutex_lock(&r->lock);
  int cur = atomic_load(&r->types[j]);
  atomic_store(&r->types[j], (int)csv_type_join((auk_type_id)cur, to));
  if (from != AUK_TYPE_NULL) r->widened = 1;
  if (from != AUK_TYPE_NULL && (r->widen_pos[j] < 0 || pos < r->widen_pos[j])) {
    r->widen_pos[j] = pos;
    r->widen_from[j] = from;
  }
  pthread_mutex_unlock(&r->lock);
}

/* Converts every output column of the tokenized batch f into b. On a bad
 * value under an explicit type fills *issue and returns AUK_ERR_PARSE. */
static auk_status convert_batch(csv_reader *r, const csv_fields *f, csv_batch_rec *b,
                                csv_issue *issue, auk_type_id *bad_type, auk_error *err) {
  b->cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(r->nout ? r->nout : 1), err);
  if (!b->cols) return err->code;
  b->nrows = f->nrows;
  b->base_pos = f->base_pos;
  b->end_pos = f->end_pos;
  for (int j = 0; j < r->nout; j++) {
    int col = r->out_col[j];
    auk_type_id t = (auk_type_id)atomic_load_explicit(&r->types[j], memory_order_relaxed);
    auk_status st = csv_convert_column(f, col, t, &r->co, &b->cols[j], issue, err);
    if (st == AUK_ERR_PARSE && issue->kind == CSV_ISSUE_VALUE && !r->explicit_t[j]) {
      int64_t pos = issue->pos;
      auk_type_id t2 = csv_infer_column(f, col, &r->co, t);
      st = csv_convert_column(f, col, t2, &r->co, &b->cols[j], issue, err);
      if (st == AUK_ERR_PARSE && issue->kind == CSV_ISSUE_VALUE)
        return auk_error_set(err, AUK_ERR_INTERNAL,
                             "%s: column '%s': inference chose %s but a value does not fit it",
                             r->name, csv_col_name(r, col), csv_type_name(t2));
      if (!st) note_widening(r, j, pos, t, t2);
    }
    if (st) {
      *bad_type = t;
      return st;
    }
  }
  return AUK_OK;
}

/* Unmaps the whole pages of data[from, to) once parsed: results never point
 * into the input, and a mapping re-reads them from the page cache if a
 * re-parse or an error message needs them again. This keeps the reader's
 * resident memory near the size of the batches in flight. */
static void drop_pages(const csv_reader *r, int64_t from, int64_t to) {
  if (!r->mapped) return;
  const uintptr_t page = 4096;
  uintptr_t a = ((uintptr_t)(r->data + from) + page - 1) & ~(page - 1);
  uintptr_t b = (uintptr_t)(r->data + to) & ~(page - 1);
  if (b > a) madvise((void *)a, b - a, MADV_DONTNEED);
}

static auk_status chunk_push(csv_chunk *c, csv_batch_rec *b, auk_error *err) {
  if (c->nb == c->cap) {
    int64_t cap = c->cap ? c->cap * 2 : 8;
    csv_batch_rec *nb = auk_mem_realloc(c->batches, sizeof(csv_batch_rec) * (size_t)c->cap,
                                        sizeof(csv_batch_rec) * (size_t)cap, err);
    if (!nb) return err->code;
    c->batches = nb;
    c->cap = cap;
  }
  c->batches[c->nb++] = *b;
  return AUK_OK;
}

/* Parses [c->start, c->stop) batch by batch (rows starting before stop),
 * at most max_rows rows when max_rows >= 0. */
static void parse_chunk(csv_reader *r, csv_chunk *c, int64_t ci, csv_fields *f, int64_t max_rows) {
  int64_t pos = c->start, left = max_rows;
  c->end_pos = pos;
  while (pos < c->stop && pos < r->len && left != 0) {
    if (atomic_load_explicit(&r->first_bad_chunk, memory_order_relaxed) < ci) return;
    int64_t want = left < 0 || left > r->batch_rows ? r->batch_rows : left;
    int64_t next = csv_tokenize(&r->d, r->data, r->len, pos, c->stop, want, f, &c->issue);
    if (next < 0) {
      c->status = csv_issue_error(r, &c->issue, AUK_TYPE_NULL, &c->err);
      break;
    }
    if (f->nrows == 0) {
      pos = next;
      break;
    }
    csv_batch_rec b = {0};
    auk_type_id bad = AUK_TYPE_NULL;
    auk_status st = convert_batch(r, f, &b, &c->issue, &bad, &c->err);
    if (st == AUK_ERR_PARSE) st = csv_issue_error(r, &c->issue, bad, &c->err);
    if (!st && r->sink) {
      st = r->sink->batch(r->sink->ctx, ci, c->seq++, b.cols, b.nrows, &c->err);
      csv_batch_rec_free(r, &b);
    } else if (!st) {
      st = chunk_push(c, &b, &c->err);
    }
    if (st) {
      csv_batch_rec_free(r, &b);
      c->status = st;
      break;
    }
    if (left > 0) left -= f->nrows;
    drop_pages(r, pos, next);
    auk_progress_scan_add(next - pos);
    pos = next;
  }
  c->end_pos = pos;
  if (c->status) {
    int64_t cur = atomic_load(&r->first_bad_chunk);
    while (ci < cur && !atomic_compare_exchange_weak(&r->first_bad_chunk, &cur, ci)) {
    }
  }
}

csv_fields *csv_worker_fields(csv_reader *r, int worker, auk_error *err) {
  csv_fields *f = &r->wfields[worker];
  if (!f->start && csv_fields_init(f, r->nfile, r->batch_rows, err)) return NULL;
  return f;
}

static void chunk_task(void *ctx, int64_t ci, int worker) {
  csv_reader *r = ctx;
  csv_chunk *c = &r->chunks[ci];
  csv_fields *f = csv_worker_fields(r, worker, &c->err);
  if (!f) {
    c->status = c->err.code;
    return;
  }
  parse_chunk(r, c, ci, f, -1);
}

/* ----------------------------------------------------------- splitting */

typedef struct split_ctx {
  const csv_reader *r;
  int64_t *bounds; /* nominal boundaries, nchunks + 1 */
  int64_t *quotes; /* per csv_chunk */
} split_ctx;

static void count_task(void *ctx, int64_t i, int worker) {
  (void)worker;
  split_ctx *s = ctx;
  s->quotes[i] = csv_count_quotes(s->r->data, s->bounds[i], s->bounds[i + 1], s->r->d.quote);
  drop_pages(s->r, s->bounds[i], s->bounds[i + 1]);
}

static auk_status split(csv_reader *r, auk_error *err) {
  /* Chunks depend on the size alone, never on the thread count: batch
   * boundaries, and so every floating-point sum over batches, are the same
   * whatever the number of threads. */
  int64_t bytes = r->len - r->data_start;
  int64_t target = bytes / 32;
  if (target < (1 << 20)) target = 1 << 20;
  if (target > (32 << 20)) target = 32 << 20;
  int64_t n = bytes < (2 << 20) ? 1 : bytes / target + 1;
  int64_t *bounds = auk_mem_alloc(sizeof(int64_t) * (size_t)(n + 1), err);
  int64_t *quotes = auk_mem_alloc(sizeof(int64_t) * (size_t)n, err);
  r->chunks = auk_mem_calloc(sizeof(csv_chunk) * (size_t)n, err);
  if (!bounds || !quotes || !r->chunks) {
    auk_mem_free(bounds, sizeof(int64_t) * (size_t)(n + 1));
    auk_mem_free(quotes, sizeof(int64_t) * (size_t)n);
    return err->code;
  }
  r->nchunks = n;
  for (int64_t i = 0; i <= n; i++) bounds[i] = r->data_start + bytes * i / n;
  split_ctx s = {r, bounds, quotes};
  if (r->d.quote && n > 1) auk_pool_run(n, count_task, &s);
  int64_t parity = 0;
  r->chunks[0].start = r->data_start;
  for (int64_t i = 1; i < n; i++) {
    parity += quotes[i - 1];
    r->chunks[i].start = csv_next_row_start(&r->d, r->data, r->len, bounds[i], (int)(parity & 1));
    if (r->chunks[i].start < r->chunks[i - 1].start) r->chunks[i].start = r->chunks[i - 1].start;
  }
  for (int64_t i = 0; i < n; i++) r->chunks[i].stop = i + 1 < n ? r->chunks[i + 1].start : r->len;
  auk_mem_free(bounds, sizeof(int64_t) * (size_t)(n + 1));
  auk_mem_free(quotes, sizeof(int64_t) * (size_t)n);
  return AUK_OK;
}

/* ----------------------------------------------------------- inference */

static auk_status infer_types(csv_reader *r, auk_error *err) {
  int need = 0;
  for (int j = 0; j < r->nout; j++) need |= !r->explicit_t[j];
  if (!need) return AUK_OK;
  int64_t cap = r->batch_rows;
  csv_fields f;
  if (csv_fields_init(&f, r->nfile, cap, err)) return err->code;
  int64_t want = r->infer_rows > 0 ? r->infer_rows : 20000;
  if (r->max_rows >= 0 && r->max_rows < want) want = r->max_rows;
  /* Samples: the first rows, then a few rows at up to 10 chunk starts. */
  int64_t nsamples = 1 + (r->nchunks > 1 ? (r->nchunks < 10 ? r->nchunks - 1 : 10) : 0);
  auk_status st = AUK_OK;
  for (int64_t k = 0; k < nsamples; k++) {
    int64_t pos, rows_left = k == 0 ? want : 1000;
    if (k == 0)
      pos = r->data_start;
    else
      pos = r->chunks[1 + (k - 1) * (r->nchunks - 1) / (nsamples - 1)].start;
    while (rows_left > 0 && pos < r->len) {
      csv_issue is;
      int64_t next = csv_tokenize(&r->d, r->data, r->len, pos, r->len,
                                  rows_left < cap ? rows_left : cap, &f, &is);
      if (next < 0) {
        /* the first rows' problems are the file's first problems */
        if (k == 0) st = csv_issue_error(r, &is, AUK_TYPE_NULL, err);
        break;
      }
      for (int j = 0; j < r->nout; j++) {
        if (r->explicit_t[j]) continue;
        auk_type_id t = (auk_type_id)atomic_load(&r->types[j]);
        atomic_store(&r->types[j], (int)csv_infer_column(&f, r->out_col[j], &r->co, t));
      }
      rows_left -= f.nrows;
      if (f.nrows == 0 || next <= pos) break;
      pos = next;
    }
    if (st) break;
  }
  csv_fields_free(&f);
  return st;
}

/* -------------------------------------------------------------- set-up */

void csv_reader_free(csv_reader *r) {
  for (int64_t i = 0; i < r->nchunks; i++) {
    for (int64_t j = 0; j < r->chunks[i].nb; j++) csv_batch_rec_free(r, &r->chunks[i].batches[j]);
    auk_mem_free(r->chunks[i].batches, sizeof(csv_batch_rec) * (size_t)r->chunks[i].cap);
  }
  auk_mem_free(r->chunks, sizeof(csv_chunk) * (size_t)r->nchunks);
  if (r->wfields) {
    for (int i = 0; i < r->nworkers; i++) csv_fields_free(&r->wfields[i]);
    auk_mem_free(r->wfields, sizeof(csv_fields) * (size_t)r->nworkers);
  }
  if (r->names) {
    for (int i = 0; i < r->nfile; i++) auk_str_free(r->names[i]);
    auk_mem_free(r->names, sizeof(char *) * (size_t)(r->nfile ? r->nfile : 1));
  }
  int n = r->nout ? r->nout : 1;
  auk_mem_free(r->out_col, sizeof(int) * (size_t)n);
  auk_mem_free(r->explicit_t, sizeof(int) * (size_t)n);
  auk_mem_free((void *)r->types, sizeof(int) * (size_t)n);
  auk_mem_free(r->widen_pos, sizeof(int64_t) * (size_t)n);
  auk_mem_free(r->widen_from, sizeof(auk_type_id) * (size_t)n);
  pthread_mutex_destroy(&r->lock);
}

/* Column names from the header spans (or column_1..). Empty names become
 * column_<i>, repeated ones get a suffix _1, _2, ... */
static auk_status make_names(csv_reader *r, const csv_row *hdr, auk_error *err) {
  r->names = auk_mem_calloc(sizeof(char *) * (size_t)(r->nfile ? r->nfile : 1), err);
  if (!r->names) return err->code;
  for (int i = 0; i < r->nfile; i++) {
    char buf[4096];
    size_t n = 0;
    if (hdr) {
      const csv_span *sp = &hdr->spans[i];
      for (int64_t k = sp->s; k < sp->e && n < sizeof buf - 16; k++) {
        buf[n++] = (char)r->data[k];
        if (sp->escaped && r->data[k] == (uint8_t)r->d.quote) k++;
      }
    }
    buf[n] = 0;
    if (memchr(buf, 0, n))
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: line %lld: the name of column %d has a NUL byte", r->name,
                           (long long)csv_line_of(r, hdr->spans[i].s), i + 1);
    if (csv_utf8_valid_prefix((const uint8_t *)buf, (int64_t)n) < (int64_t)n) {
      char text[256] = "";
      auk_error_quote(text, sizeof text, buf, n);
      return auk_error_set(err, AUK_ERR_PARSE,
                           "%s: line %lld: invalid UTF-8 in the name of column %d, %s (if the "
                           "file is Latin-1, read it with encoding latin1)",
                           r->name, (long long)csv_line_of(r, hdr->spans[i].s), i + 1, text);
    }
    if (!n) snprintf(buf, sizeof buf, "column_%d", i + 1);
    for (int dup = 1;; dup++) {
      int clash = 0;
      for (int k = 0; k < i && !clash; k++) clash = !strcmp(r->names[k], buf);
      if (!clash) break;
      snprintf(buf + n, sizeof buf - n, "_%d", dup);
    }
    if (!(r->names[i] = auk_str_dup(buf, err))) return err->code;
  }
  return AUK_OK;
}

static int find_name(const csv_reader *r, const char *name) {
  for (int i = 0; i < r->nfile; i++)
    if (!strcmp(r->names[i], name)) return i;
  return -1;
}

static auk_status unknown_column(const csv_reader *r, const char *name, auk_error *err) {
  auk_schema tmp = {0};
  auk_field *fields = auk_mem_calloc(sizeof(auk_field) * (size_t)(r->nfile + 1), err);
  if (!fields) return err->code;
  for (int i = 0; i < r->nfile; i++) fields[i].name = r->names[i];
  tmp.nfields = r->nfile;
  tmp.fields = fields;
  char hint[512];
  auk_schema_suggest(&tmp, name, hint, sizeof hint);
  auk_mem_free(fields, sizeof(auk_field) * (size_t)(r->nfile + 1));
  return auk_error_set(err, AUK_ERR_NOT_FOUND, "%s: no column named '%s'; %s", r->name, name, hint);
}

auk_status csv_reader_setup(csv_reader *r, const auk_source *src, const auk_csv_read_options *o,
                            int count_only, auk_error *err) {
  memset(r, 0, sizeof *r);
  pthread_mutex_init(&r->lock, NULL);
  atomic_init(&r->first_bad_chunk, INT64_MAX);
  r->name = src->name;
  r->data = src->data;
  r->mapped = src->map != NULL;
  r->len = src->len;
  r->max_rows = o->max_rows;
  r->infer_rows = o->infer_rows;
  r->co.null_values = o->null_values;
  r->co.num_null_values = o->num_null_values;
  r->co.validate_utf8 = 1;
  if (o->delimiter == '\n' || o->delimiter == '\r' || (o->quote && o->quote == o->delimiter) ||
      o->quote == '\n')
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "%s: the delimiter and quote must differ and not be a newline", r->name);
  int64_t pos = csv_skip_lines(r->data, r->len, 0, o->skip_rows > 0 ? o->skip_rows : 0, o->quote);
  r->d.quote = o->quote;
  r->d.ragged = o->ragged;
  r->d.delim =
      o->delimiter ? o->delimiter : csv_detect_delimiter(r->data, r->len, pos, o->quote, err);
  csv_row hdr = {0};
  /* The first non-blank row gives the number of columns. */
  int64_t next = pos;
  while (next < r->len) {
    int64_t p = next;
    next = csv_scan_row(r->data, r->len, p, r->d.delim, r->d.quote, &hdr, err);
    if (next < 0) return err->code;
    if (!(hdr.n == 1 && hdr.spans[0].e == hdr.spans[0].s && !hdr.spans[0].quoted)) {
      pos = p;
      break;
    }
    pos = next;
  }
  if (hdr.n > 1 << 20) {
    csv_row_free(&hdr);
    return auk_error_set(err, AUK_ERR_PARSE, "%s: more than a million columns", r->name);
  }
  r->nfile = (int)hdr.n;
  r->d.ncols = r->nfile;
  r->d.skip_blank = r->nfile > 1;
  auk_status st = make_names(r, o->has_header ? &hdr : NULL, err);
  csv_row_free(&hdr);
  if (st) return st;
  r->data_start = o->has_header ? (next < 0 ? r->len : next) : pos;
  if (r->nfile == 0) r->data_start = r->len;
  /* batches: up to 64K rows and about a million fields */
  int64_t rows = (1 << 20) / (r->nfile ? r->nfile : 1);
  r->batch_rows = rows > AUK_BATCH_ROWS ? AUK_BATCH_ROWS : (rows < 1024 ? 1024 : rows);

  /* output columns */
  r->nout = count_only ? 0 : (o->columns ? o->num_columns : r->nfile);
  int n = r->nout ? r->nout : 1;
  r->out_col = auk_mem_calloc(sizeof(int) * (size_t)n, err);
  r->explicit_t = auk_mem_calloc(sizeof(int) * (size_t)n, err);
  r->types = auk_mem_calloc(sizeof(int) * (size_t)n, err);
  r->widen_pos = auk_mem_alloc(sizeof(int64_t) * (size_t)n, err);
  r->widen_from = auk_mem_calloc(sizeof(auk_type_id) * (size_t)n, err);
  if (!r->out_col || !r->explicit_t || !r->types || !r->widen_pos || !r->widen_from)
    return err->code;
  for (int j = 0; j < r->nout; j++) {
    r->widen_pos[j] = -1;
    if (o->columns) {
      if (!o->columns[j])
        return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "column name is NULL");
      int c = find_name(r, o->columns[j]);
      if (c < 0) return unknown_column(r, o->columns[j], err);
      for (int k = 0; k < j; k++)
        if (r->out_col[k] == c)
          return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "column '%s' is selected twice",
                               o->columns[j]);
      r->out_col[j] = c;
    } else {
      r->out_col[j] = j;
    }
  }
  for (int t = 0; t < o->num_types && !count_only; t++) {
    if (!o->type_names || !o->type_names[t] || !o->types)
      return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "explicit types: name or type is NULL");
    int c = find_name(r, o->type_names[t]);
    if (c < 0) return unknown_column(r, o->type_names[t], err);
    if (!auk_type_valid(o->types[t]) && o->types[t] != CSV_TYPE_DATETIME_UTC)
      return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "column '%s': invalid type code %d",
                           o->type_names[t], (int)o->types[t]);
    for (int j = 0; j < r->nout; j++)
      if (r->out_col[j] == c) {
        r->explicit_t[j] = 1;
        atomic_store(&r->types[j], (int)o->types[t]);
      }
  }
  r->nworkers = auk_pool_threads();
  r->wfields = auk_mem_calloc(sizeof(csv_fields) * (size_t)r->nworkers, err);
  if (!r->wfields) return err->code;
  return AUK_OK;
}

/* Serial parse from `pos` to the end into chunk c (used for max_rows and to
 * recover from a quote-parity mismatch). */
static void parse_serial(csv_reader *r, int64_t ci, int64_t pos, int64_t max_rows) {
  csv_chunk *c = &r->chunks[ci];
  c->start = pos;
  c->stop = r->len;
  csv_fields *f = csv_worker_fields(r, 0, &c->err);
  if (!f) {
    c->status = c->err.code;
    return;
  }
  parse_chunk(r, c, ci, f, max_rows);
}

static auk_status reader_run(csv_reader *r, auk_error *err);

auk_status csv_reader_run(csv_reader *r, auk_error *err) {
  auk_progress_scan ps;
  auk_progress_scan_begin(&ps, r->len - r->data_start, r->max_rows >= 0);
  auk_status st = reader_run(r, err);
  auk_progress_scan_end(&ps);
  return st;
}

static auk_status reader_run(csv_reader *r, auk_error *err) {
  if (r->max_rows >= 0) {
    r->chunks = auk_mem_calloc(sizeof(csv_chunk), err);
    if (!r->chunks) return err->code;
    r->nchunks = 1;
    r->chunks[0].start = r->data_start;
    if (infer_types(r, err)) return err->code;
    if (r->sink && r->sink->begin && r->sink->begin(r->sink->ctx, 1, err)) return err->code;
    parse_serial(r, 0, r->data_start, r->max_rows);
  } else {
    if (split(r, err) || infer_types(r, err)) return err->code;
    if (r->sink && r->sink->begin && r->sink->begin(r->sink->ctx, r->nchunks, err))
      return err->code;
    auk_pool_run(r->nchunks, chunk_task, r);
    /* Check the chunks tile the input; re-parse serially after a break. */
    int64_t expect = r->data_start;
    for (int64_t i = 0; i < r->nchunks; i++) {
      csv_chunk *c = &r->chunks[i];
      if (c->start != expect) {
        for (int64_t k = i; k < r->nchunks; k++) {
          for (int64_t j = 0; j < r->chunks[k].nb; j++)
            csv_batch_rec_free(r, &r->chunks[k].batches[j]);
          r->chunks[k].nb = 0;
          r->chunks[k].status = AUK_OK;
        }
        atomic_store(&r->first_bad_chunk, INT64_MAX);
        if (r->sink) r->sink->reset(r->sink->ctx, i);
        c->seq = 0;
        parse_serial(r, i, expect, -1);
        break;
      }
      if (c->status) break;
      expect = c->end_pos;
    }
  }
  for (int64_t i = 0; i < r->nchunks; i++)
    if (r->chunks[i].status) {
      *err = r->chunks[i].err;
      return r->chunks[i].status;
    }
  return AUK_OK;
}
