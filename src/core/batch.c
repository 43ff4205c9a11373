/* batch.c - batches of columns. */
#include "core/batch.h"

#include "core/alloc.h"

#include <string.h>

auk_batch *auk_batch_new(auk_schema *schema, int64_t nrows, auk_error *err) {
  auk_batch *b = auk_mem_alloc(sizeof *b, err);
  if (!b) return NULL;
  b->schema = auk_schema_retain(schema);
  b->ncols = schema->nfields;
  b->nrows = nrows;
  b->cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(b->ncols ? b->ncols : 1), err);
  if (!b->cols) {
    auk_schema_release(b->schema);
    auk_mem_free(b, sizeof *b);
    return NULL;
  }
  return b;
}

auk_batch *auk_batch_slice(const auk_batch *src, int64_t start, int64_t len, auk_error *err) {
  if (start < 0) start = 0;
  if (start > src->nrows) start = src->nrows;
  if (len < 0 || start + len > src->nrows) len = src->nrows - start;
  auk_batch *b = auk_batch_new(src->schema, len, err);
  if (!b) return NULL;
  for (int i = 0; i < b->ncols; i++)
    if (!(b->cols[i] = auk_array_slice(src->cols[i], start, len, err))) {
      auk_batch_free(b);
      return NULL;
    }
  return b;
}

void auk_batch_free(auk_batch *b) {
  if (!b) return;
  for (int i = 0; i < b->ncols; i++) auk_array_release(b->cols[i]);
  auk_mem_free(b->cols, sizeof(auk_array *) * (size_t)(b->ncols ? b->ncols : 1));
  auk_schema_release(b->schema);
  auk_mem_free(b, sizeof *b);
}
