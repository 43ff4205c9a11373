/* csv.h - the CSV reader and writer as the rest of auk sees them. */
#ifndef AUK_IO_CSV_H
#define AUK_IO_CSV_H

#include "auk.h"
#include "core/array.h"
#include "core/schema.h"
#include "io/source.h"

/* Reads all of src into a new frame. */
auk_status auk_csv_read_source(const auk_source *src, const auk_csv_read_options *opts,
                               auk_frame **out, auk_error *err);
/* Counts data rows (tokenizing only). */
auk_status auk_csv_count_source(const auk_source *src, const auk_csv_read_options *opts,
                                int64_t *rows, auk_error *err);

/* A consumer of batches as the reader produces them (streaming). */
typedef struct auk_csv_sink {
  void *ctx;
  /* Called once before any batch with the number of chunks. */
  auk_status (*begin)(void *ctx, int64_t nchunks, auk_error *err);
  /* Called from worker threads; batches of one chunk arrive in order, seq
   * counting from 0. cols (one per output column) are borrowed for the
   * call. */
  auk_status (*batch)(void *ctx, int64_t chunk, int64_t seq, auk_array *const *cols, int64_t nrows,
                      auk_error *err);
  /* Forget what came from chunks >= from_chunk: they will be read again. */
  void (*reset)(void *ctx, int64_t from_chunk);
} auk_csv_sink;

/* Streams all of src through sink; on success *schema (the caller releases
 * it) gives the output names and types. If a column widened after batches
 * were delivered, the sink is reset and the input read again with the final
 * types, so the sink sees every batch under one schema; a line per widened
 * column goes into notes (NUL-terminated, cut to notes_cap). */
auk_status auk_csv_scan_source(const auk_source *src, const auk_csv_read_options *opts,
                               const auk_csv_sink *sink, auk_schema **schema, char *notes,
                               size_t notes_cap, auk_error *err);

#endif
