/* csv_write.c - writing frames as CSV. Batches are formatted in parallel,
 * a window of them at a time, and written in order. Files are written to a
 * temporary file beside the target and renamed into place only when every
 * byte is out, so a failure never leaves a partial file. */
#include "core/alloc.h"
#include "core/error.h"
#include "core/frame.h"
#include "core/pool.h"
#include "io/atomic.h"
#include "io/format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void auk_csv_write_options_init(auk_csv_write_options *o) {
  o->delimiter = ',';
  o->quote = '"';
  o->header = 1;
}

typedef struct textbuf {
  char *data;
  size_t len, cap;
} textbuf;

static int tb_reserve(textbuf *t, size_t extra, auk_error *err) {
  if (t->len + extra <= t->cap) return 0;
  size_t cap = t->cap ? t->cap * 2 : 1 << 16;
  while (cap < t->len + extra) cap *= 2;
  char *d = auk_mem_realloc(t->data, t->cap, cap, err);
  if (!d) return -1;
  t->data = d;
  t->cap = cap;
  return 0;
}

static int put_text(textbuf *t, const char *s, int64_t n, const auk_csv_write_options *o,
                    int is_string, auk_error *err) {
  int needs = is_string && n == 0; /* "" marks an empty string, not a null */
  for (int64_t i = 0; i < n && !needs; i++) {
    char c = s[i];
    needs = c == o->delimiter || c == o->quote || c == '\n' || c == '\r';
  }
  if (tb_reserve(t, (size_t)(needs ? 2 * n + 2 : n), err)) return -1;
  if (!needs || !o->quote) {
    if (n == 0) return 0;
    memcpy(t->data + t->len, s, (size_t)n);
    t->len += (size_t)n;
    return 0;
  }
  t->data[t->len++] = o->quote;
  for (int64_t i = 0; i < n; i++) {
    if (s[i] == o->quote) t->data[t->len++] = o->quote;
    t->data[t->len++] = s[i];
  }
  t->data[t->len++] = o->quote;
  return 0;
}

static int format_batch(const auk_batch *b, const auk_csv_write_options *o, textbuf *t,
                        auk_error *err) {
  char tmp[AUK_FORMAT_MAX];
  for (int64_t r = 0; r < b->nrows; r++) {
    for (int c = 0; c < b->ncols; c++) {
      const auk_array *a = b->cols[c];
      if (c && (tb_reserve(t, 1, err) || !(t->data[t->len++] = o->delimiter))) return -1;
      if (!auk_array_is_valid(a, r) || a->type == AUK_TYPE_NULL) continue;
      if (a->type == AUK_TYPE_STRING) {
        int64_t len;
        const char *s = auk_array_str(a, r, &len);
        if (put_text(t, s, len, o, 1, err)) return -1;
      } else {
        int n = auk_format_value(a, r, tmp);
        if (a->type == AUK_TYPE_DATETIME && b->schema->fields[c].timezone) {
          memcpy(tmp + n, "+00:00", 7); /* zoned values are UTC instants */
          n += 6;
        }
        if (put_text(t, tmp, n, o, 0, err)) return -1;
      }
    }
    if (tb_reserve(t, 1, err)) return -1;
    t->data[t->len++] = '\n';
  }
  return 0;
}

typedef struct write_ctx {
  const auk_frame *f;
  const auk_csv_write_options *o;
  int64_t first;
  textbuf *bufs;
  auk_error *errs;
  int *failed;
} write_ctx;

static void format_task(void *ctx, int64_t i, int worker) {
  (void)worker;
  write_ctx *w = ctx;
  w->bufs[i].len = 0;
  if (format_batch(w->f->batches[w->first + i], w->o, &w->bufs[i], &w->errs[i])) w->failed[i] = 1;
}

auk_status auk_write_csv_stream(const auk_frame *f, FILE *out, const auk_csv_write_options *opts,
                                auk_error *err) {
  if (!f || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "write_csv: NULL argument");
  auk_csv_write_options o;
  if (opts)
    o = *opts;
  else
    auk_csv_write_options_init(&o);
  if (!o.delimiter || o.delimiter == '\n' || o.delimiter == o.quote)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "write_csv: the delimiter must be set and differ from the quote");
  auk_status st = AUK_OK;
  int window = auk_pool_threads() * 2;
  textbuf *bufs = auk_mem_calloc(sizeof(textbuf) * (size_t)window, err);
  auk_error *errs = auk_mem_calloc(sizeof(auk_error) * (size_t)window, err);
  int *failed = auk_mem_calloc(sizeof(int) * (size_t)window, err);
  if (!bufs || !errs || !failed) {
    st = err->code;
    goto done;
  }
  if (o.header) {
    textbuf *t = &bufs[0];
    for (int c = 0; c < f->schema->nfields; c++) {
      const char *name = f->schema->fields[c].name;
      if (c && (tb_reserve(t, 1, err) || !(t->data[t->len++] = o.delimiter))) goto oom;
      if (put_text(t, name, (int64_t)strlen(name), &o, 0, err)) goto oom;
    }
    if (tb_reserve(t, 1, err)) goto oom;
    t->data[t->len++] = '\n';
    if (fwrite(t->data, 1, t->len, out) != t->len) goto io;
  }
  for (int64_t first = 0; first < f->nbatches; first += window) {
    int64_t n = f->nbatches - first < window ? f->nbatches - first : window;
    write_ctx w = {f, &o, first, bufs, errs, failed};
    auk_pool_run(n, format_task, &w);
    for (int64_t i = 0; i < n; i++) {
      if (failed[i]) {
        *err = errs[i];
        st = errs[i].code;
        goto done;
      }
      if (bufs[i].len && fwrite(bufs[i].data, 1, bufs[i].len, out) != bufs[i].len) goto io;
    }
  }
  if (fflush(out) != 0) goto io;
  goto done;
oom:
  st = err->code;
  goto done;
io:
  st = auk_error_set(err, AUK_ERR_IO, "write_csv: write failed: %s", strerror(errno));
done:
  if (bufs)
    for (int i = 0; i < window; i++) auk_mem_free(bufs[i].data, bufs[i].cap);
  auk_mem_free(bufs, sizeof(textbuf) * (size_t)window);
  auk_mem_free(errs, sizeof(auk_error) * (size_t)window);
  auk_mem_free(failed, sizeof(int) * (size_t)window);
  return st;
}

typedef struct csv_body {
  const auk_frame *f;
  const auk_csv_write_options *opts;
} csv_body;

static auk_status write_csv_body(FILE *out, void *ctx, auk_error *err) {
  csv_body *b = ctx;
  return auk_write_csv_stream(b->f, out, b->opts, err);
}

auk_status auk_write_csv(const auk_frame *f, const char *path, const auk_csv_write_options *opts,
                         auk_error *err) {
  if (!f || !path) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "write_csv: NULL argument");
  csv_body b = {f, opts};
  return auk_write_atomic(path, "write_csv", write_csv_body, &b, 1, err);
}
