/* frame_api.c - the public entry points for frames and CSV: argument checks
 * at the boundary (a NULL handle or a bad index is an error, never a
 * crash), then the internal modules. */
#include "core/decimal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/frame.h"
#include "core/progress.h"
#include "core/types.h"
#include "io/csv.h"
#include "io/format.h"
#include "io/source.h"

#include <string.h>

/* Callers may pass a NULL error; internals always get a real one. */
#define LOCAL_ERR(err)  \
  auk_error local_err_; \
  if (!(err)) (err) = &local_err_;

int64_t auk_frame_num_rows(const auk_frame *f) {
  return f ? f->nrows : 0;
}
int auk_frame_num_columns(const auk_frame *f) {
  return f ? f->schema->nfields : 0;
}

const char *auk_frame_column_name(const auk_frame *f, int i) {
  if (!f || i < 0 || i >= f->schema->nfields) return NULL;
  return f->schema->fields[i].name;
}

auk_type_id auk_frame_column_type(const auk_frame *f, int i) {
  if (!f || i < 0 || i >= f->schema->nfields) return AUK_TYPE_NULL;
  return f->schema->fields[i].type;
}

const char *auk_frame_column_timezone(const auk_frame *f, int i) {
  if (!f || i < 0 || i >= f->schema->nfields) return NULL;
  return f->schema->fields[i].timezone;
}

int auk_frame_column_index(const auk_frame *f, const char *name) {
  return f && name ? auk_schema_find(f->schema, name) : -1;
}

const char *auk_frame_notes(const auk_frame *f) {
  return f ? f->notes : "";
}

/* Finds the array and local row of a cell after checking the indices. */
static auk_status cell(const auk_frame *f, int col, int64_t row, const auk_array **a,
                       int64_t *local, auk_error *err) {
  if (!f) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "frame is NULL");
  if (col < 0 || col >= f->schema->nfields)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "column index %d out of range (0..%d)", col,
                         f->schema->nfields - 1);
  if (row < 0 || row >= f->nrows)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "row %lld out of range (%lld rows)",
                         (long long)row, (long long)f->nrows);
  int64_t b = auk_frame_locate((auk_frame *)f, row, local);
  *a = f->batches[b]->cols[col];
  return AUK_OK;
}

auk_status auk_frame_is_null(const auk_frame *f, int col, int64_t row, int *is_null,
                             auk_error *err) {
  LOCAL_ERR(err);
  const auk_array *a;
  int64_t k;
  if (cell(f, col, row, &a, &k, err)) return err->code;
  if (is_null) *is_null = !auk_array_is_valid(a, k) || a->type == AUK_TYPE_NULL;
  return AUK_OK;
}

static auk_status type_mismatch(const auk_frame *f, int col, const char *want, auk_error *err) {
  return auk_error_set(err, AUK_ERR_TYPE, "column '%s' is %s, not %s", f->schema->fields[col].name,
                       auk_type_name(f->schema->fields[col].type), want);
}

auk_status auk_frame_get_int(const auk_frame *f, int col, int64_t row, int64_t *value, int *is_null,
                             auk_error *err) {
  LOCAL_ERR(err);
  const auk_array *a;
  int64_t k;
  if (cell(f, col, row, &a, &k, err)) return err->code;
  int valid = auk_array_is_valid(a, k) && a->type != AUK_TYPE_NULL;
  if (is_null) *is_null = !valid;
  int64_t v = 0;
  const void *d = a->values ? a->values->data : NULL;
  int64_t i = a->offset + k;
  switch (auk_type_storage(a->type)) { /* decimals: the unscaled value */
    case AUK_TYPE_NULL: break;
    case AUK_TYPE_BOOL: v = auk_bit_get(d, i); break;
    case AUK_TYPE_INT8: v = ((const int8_t *)d)[i]; break;
    case AUK_TYPE_INT16: v = ((const int16_t *)d)[i]; break;
    case AUK_TYPE_INT32:
    case AUK_TYPE_DATE: v = ((const int32_t *)d)[i]; break;
    case AUK_TYPE_INT64:
    case AUK_TYPE_DATETIME: v = ((const int64_t *)d)[i]; break;
    case AUK_TYPE_UINT8: v = ((const uint8_t *)d)[i]; break;
    case AUK_TYPE_UINT16: v = ((const uint16_t *)d)[i]; break;
    case AUK_TYPE_UINT32: v = ((const uint32_t *)d)[i]; break;
    case AUK_TYPE_UINT64: {
      uint64_t u = ((const uint64_t *)d)[i];
      if (valid && u > INT64_MAX)
        return auk_error_set(err, AUK_ERR_TYPE, "value %llu does not fit int64",
                             (unsigned long long)u);
      v = (int64_t)u;
      break;
    }
    default: return type_mismatch(f, col, "an integer", err);
  }
  if (value) *value = valid ? v : 0;
  return AUK_OK;
}

auk_status auk_frame_get_double(const auk_frame *f, int col, int64_t row, double *value,
                                int *is_null, auk_error *err) {
  LOCAL_ERR(err);
  const auk_array *a;
  int64_t k;
  if (cell(f, col, row, &a, &k, err)) return err->code;
  int valid = auk_array_is_valid(a, k) && a->type != AUK_TYPE_NULL;
  if (is_null) *is_null = !valid;
  double v = 0;
  if (a->type == AUK_TYPE_FLOAT64)
    v = ((const double *)a->values->data)[a->offset + k];
  else if (a->type == AUK_TYPE_FLOAT32)
    v = ((const float *)a->values->data)[a->offset + k];
  else if (auk_type_is_decimal(a->type))
    v = auk_decimal_to_double(((const int64_t *)a->values->data)[a->offset + k],
                              auk_decimal_scale(a->type));
  else if (auk_type_is_integer(a->type) || a->type == AUK_TYPE_NULL) {
    int64_t iv = 0;
    if (a->type == AUK_TYPE_UINT64)
      v = (double)((const uint64_t *)a->values->data)[a->offset + k];
    else if (a->type != AUK_TYPE_NULL) {
      if (auk_frame_get_int(f, col, row, &iv, NULL, err)) return err->code;
      v = (double)iv;
    }
  } else
    return type_mismatch(f, col, "a number", err);
  if (value) *value = valid ? v : 0;
  return AUK_OK;
}

auk_status auk_frame_get_string(const auk_frame *f, int col, int64_t row, const char **data,
                                int64_t *len, int *is_null, auk_error *err) {
  LOCAL_ERR(err);
  const auk_array *a;
  int64_t k;
  if (cell(f, col, row, &a, &k, err)) return err->code;
  if (a->type != AUK_TYPE_STRING) return type_mismatch(f, col, "str", err);
  int valid = auk_array_is_valid(a, k);
  if (is_null) *is_null = !valid;
  int64_t n;
  const char *s = auk_array_str(a, k, &n);
  if (data) *data = valid ? s : "";
  if (len) *len = valid ? n : 0;
  return AUK_OK;
}

auk_status auk_frame_format_cell(const auk_frame *f, int col, int64_t row, char *buf, size_t cap,
                                 int *is_null, auk_error *err) {
  LOCAL_ERR(err);
  const auk_array *a;
  int64_t k;
  if (!buf || cap == 0) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "no buffer");
  if (cell(f, col, row, &a, &k, err)) return err->code;
  int valid = auk_array_is_valid(a, k) && a->type != AUK_TYPE_NULL;
  if (is_null) *is_null = !valid;
  buf[0] = 0;
  if (!valid) return AUK_OK;
  if (a->type == AUK_TYPE_STRING) {
    int64_t n;
    const char *s = auk_array_str(a, k, &n);
    size_t m = (size_t)n < cap - 1 ? (size_t)n : cap - 1;
    memcpy(buf, s, m);
    buf[m] = 0;
  } else {
    char tmp[AUK_FORMAT_MAX];
    auk_format_value(a, k, tmp);
    snprintf(buf, cap, "%s", tmp);
  }
  return AUK_OK;
}

auk_status auk_frame_slice(const auk_frame *f, int64_t offset, int64_t len, auk_frame **out,
                           auk_error *err) {
  LOCAL_ERR(err);
  if (!f || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "slice: NULL argument");
  *out = NULL;
  if (offset < 0) offset = 0;
  if (offset > f->nrows) offset = f->nrows;
  if (len < 0 || len > f->nrows - offset) len = f->nrows - offset;
  auk_frame *r = auk_frame_new(f->schema, err);
  if (!r) return err->code;
  int64_t start = 0;
  for (int64_t i = 0; i < f->nbatches && len > 0; i++) {
    auk_batch *b = f->batches[i];
    int64_t end = start + b->nrows;
    if (end > offset) {
      int64_t s = offset - start, n = b->nrows - s < len ? b->nrows - s : len;
      auk_batch *sb = auk_batch_slice(b, s, n, err);
      if (!sb || auk_frame_append(r, sb, err)) {
        auk_frame_free(r);
        return err->code;
      }
      offset += n;
      len -= n;
    }
    start = end;
  }
  *out = r;
  return AUK_OK;
}

/* ------------------------------------------------------------------- CSV */

void auk_csv_read_options_init(auk_csv_read_options *o) {
  memset(o, 0, sizeof *o);
  o->has_header = 1;
  o->quote = '"';
  o->max_rows = -1;
  o->infer_rows = 20000;
}

static const auk_csv_read_options *opts_or_default(const auk_csv_read_options *o,
                                                   auk_csv_read_options *tmp) {
  if (o) return o;
  auk_csv_read_options_init(tmp);
  return tmp;
}

/* The first max_rows rows. Compressed input is inflated a growing prefix at
 * a time (1 MiB, then doubling) rather than whole: one more row than wanted
 * is asked for, so the last row of a cut-off prefix (which may end inside a
 * quoted field) is never among the rows returned. */
static auk_status read_csv_head(const char *path, const auk_csv_read_options *opts, auk_frame **out,
                                auk_error *err) {
  auk_csv_read_options o = *opts;
  o.max_rows = opts->max_rows + 1;
  for (int64_t limit = 1 << 20;; limit *= 2) {
    auk_source src;
    if (auk_source_open_prefix(&src, path, o.compression, o.encoding, limit, err)) return err->code;
    auk_frame *f = NULL;
    auk_status st = auk_csv_read_source(&src, &o, &f, err);
    int truncated = src.truncated;
    auk_source_close(&src);
    if (truncated && (st || auk_frame_num_rows(f) <= opts->max_rows)) {
      auk_frame_free(f); /* not enough whole rows yet: inflate more */
      continue;
    }
    if (st) return st;
    st = auk_frame_slice(f, 0, opts->max_rows, out, err);
    auk_frame_free(f);
    return st;
  }
}

auk_status auk_read_csv(const char *path, const auk_csv_read_options *opts, auk_frame **out,
                        auk_error *err) {
  LOCAL_ERR(err);
  if (!path || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "read_csv: NULL argument");
  *out = NULL;
  auk_csv_read_options tmp;
  opts = opts_or_default(opts, &tmp);
  if (opts->max_rows >= 0) return read_csv_head(path, opts, out, err);
  /* a read on its own is a query of its own: progress starts afresh here,
   * before a gzip file is inflated, not at the parse */
  auk_progress_enter();
  auk_source src;
  auk_status st = auk_source_open(&src, path, opts->compression, opts->encoding, err);
  if (!st) {
    st = auk_csv_read_source(&src, opts, out, err);
    auk_source_close(&src);
  }
  auk_progress_leave();
  return st;
}

auk_status auk_read_csv_buffer(const void *data, size_t len, const char *name,
                               const auk_csv_read_options *opts, auk_frame **out, auk_error *err) {
  LOCAL_ERR(err);
  if ((!data && len) || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "read_csv_buffer: NULL argument");
  *out = NULL;
  auk_csv_read_options tmp;
  opts = opts_or_default(opts, &tmp);
  auk_source src;
  if (auk_source_from_memory(&src, data, len, name, opts->encoding, err)) return err->code;
  auk_progress_quiet(1); /* bytes in memory: quick, and not a file the user reads */
  auk_status st = auk_csv_read_source(&src, opts, out, err);
  auk_progress_quiet(-1);
  auk_source_close(&src);
  return st;
}

auk_status auk_count_csv(const char *path, const auk_csv_read_options *opts, int64_t *rows,
                         auk_error *err) {
  LOCAL_ERR(err);
  if (!path || !rows)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "count_csv: NULL argument");
  auk_csv_read_options tmp;
  opts = opts_or_default(opts, &tmp);
  auk_source src;
  if (auk_source_open(&src, path, opts->compression, opts->encoding, err)) return err->code;
  auk_status st = auk_csv_count_source(&src, opts, rows, err);
  auk_source_close(&src);
  return st;
}
