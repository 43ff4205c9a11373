/* parquet_api.c - the public entry points for Parquet: argument checks at
 * the boundary, then io/parquet. */
#include "core/error.h"
#include "io/parquet.h"

#include <string.h>

#define LOCAL_ERR(err)  \
  auk_error local_err_; \
  if (!(err)) (err) = &local_err_;

void auk_parquet_read_options_init(auk_parquet_read_options *o) {
  memset(o, 0, sizeof *o);
  o->max_rows = -1;
}

void auk_parquet_write_options_init(auk_parquet_write_options *o) {
  memset(o, 0, sizeof *o);
  o->compression = AUK_PARQUET_SNAPPY;
  o->row_group_rows = 262144;
  o->dictionary = 1;
}

static auk_status read_opened(pq_file *f, const auk_parquet_read_options *opts, auk_frame **out,
                              auk_error *err) {
  auk_parquet_read_options tmp;
  if (!opts) {
    auk_parquet_read_options_init(&tmp);
    opts = &tmp;
  }
  if (opts->num_columns < 0 || (opts->num_columns > 0 && !opts->columns))
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "read_parquet: bad column list");
  pq_read_opts o = {opts->max_rows, NULL, NULL, NULL};
  return pq_file_read(f, opts->columns, opts->num_columns, &o, out, err);
}

auk_status auk_read_parquet(const char *path, const auk_parquet_read_options *opts, auk_frame **out,
                            auk_error *err) {
  LOCAL_ERR(err);
  if (!path || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "read_parquet: NULL argument");
  *out = NULL;
  pq_file f;
  if (pq_file_open(&f, path, err)) return err->code;
  auk_status st = read_opened(&f, opts, out, err);
  pq_file_close(&f);
  return st;
}

auk_status auk_read_parquet_buffer(const void *data, size_t len, const char *name,
                                   const auk_parquet_read_options *opts, auk_frame **out,
                                   auk_error *err) {
  LOCAL_ERR(err);
  if ((!data && len) || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "read_parquet_buffer: NULL argument");
  *out = NULL;
  pq_file f;
  if (pq_file_open_memory(&f, data, len, name ? name : "<memory>", err)) return err->code;
  auk_status st = read_opened(&f, opts, out, err);
  pq_file_close(&f);
  return st;
}

auk_status auk_count_parquet(const char *path, int64_t *rows, auk_error *err) {
  LOCAL_ERR(err);
  if (!path || !rows)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "count_parquet: NULL argument");
  pq_file f;
  if (pq_file_open(&f, path, err)) return err->code;
  int64_t n = 0;
  for (int g = 0; g < f.meta.nrgs && n >= 0; g++)
    n = n > INT64_MAX - f.meta.rgs[g].num_rows ? -1 : n + f.meta.rgs[g].num_rows;
  if (n < 0) {
    auk_error_set(err, AUK_ERR_PARSE, "%s: corrupt metadata: the row counts overflow", path);
    pq_file_close(&f);
    return AUK_ERR_PARSE;
  }
  *rows = n;
  pq_file_close(&f);
  return AUK_OK;
}

auk_status auk_write_parquet(const auk_frame *frame, const char *path,
                             const auk_parquet_write_options *opts, auk_error *err) {
  LOCAL_ERR(err);
  if (!frame || !path)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "write_parquet: NULL argument");
  auk_parquet_write_options tmp;
  if (!opts) {
    auk_parquet_write_options_init(&tmp);
    opts = &tmp;
  }
  if (opts->row_group_rows <= 0)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "write_parquet: row_group_rows must be positive");
  return pq_write_frame(frame, path, opts, err);
}
