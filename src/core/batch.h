/* batch.h - a morsel: a schema plus one array per column, all of the same
 * length (up to about 64K rows). */
#ifndef AUK_CORE_BATCH_H
#define AUK_CORE_BATCH_H

#include "core/array.h"
#include "core/schema.h"

#define AUK_BATCH_ROWS 65536

typedef struct auk_batch {
  auk_schema *schema;
  int ncols;
  int64_t nrows;
  auk_array **cols;
} auk_batch;

/* A batch taking a reference to schema, with NULL columns to fill. */
auk_batch *auk_batch_new(auk_schema *schema, int64_t nrows, auk_error *err);
/* Zero-copy row slice. */
auk_batch *auk_batch_slice(const auk_batch *b, int64_t start, int64_t len, auk_error *err);
void auk_batch_free(auk_batch *b);

#endif
