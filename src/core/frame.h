/* frame.h - the table behind the public auk_frame: a schema and an ordered
 * list of batches, plus notes a producer left for the user. */
#ifndef AUK_CORE_FRAME_H
#define AUK_CORE_FRAME_H

#include "core/batch.h"

struct auk_frame {
  auk_schema *schema;
  auk_batch **batches;
  int64_t nbatches;
  int64_t cap_batches;
  int64_t nrows;
  int64_t *row_starts; /* row_starts[i]: first row of batch i (built lazily) */
  char *notes;         /* "" or lines ending in '\n' */
};

/* An empty frame over schema (retained). */
auk_frame *auk_frame_new(auk_schema *schema, auk_error *err);
/* Appends a batch, taking ownership of it (also on failure). */
auk_status auk_frame_append(auk_frame *f, auk_batch *b, auk_error *err);
/* Appends a line of text to the frame's notes. */
auk_status auk_frame_add_note(auk_frame *f, const char *line, auk_error *err);
/* Finds the batch holding global row `row`; returns its index and stores
 * the row within it. Row must be in range. */
int64_t auk_frame_locate(auk_frame *f, int64_t row, int64_t *local);

#endif
