/* csv_reader.h - the reader's state, shared by csv_read.c (splitting,
 * inference, the parallel parse) and csv_collect.c (bringing batches to
 * their final types, building frames, streaming to sinks). Private to io. */
#ifndef AUK_IO_CSV_READER_H
#define AUK_IO_CSV_READER_H

#include "core/frame.h"
#include "io/csv.h"
#include "io/csv_internal.h"
#include "io/source.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct csv_batch_rec {
  auk_array **cols; /* one per output column */
  int64_t nrows, base_pos, end_pos;
} csv_batch_rec;

typedef struct csv_chunk {
  int64_t start, stop, end_pos;
  int64_t seq; /* batches handed to the sink */
  csv_batch_rec *batches;
  int64_t nb, cap;
  auk_status status;
  csv_issue issue;
  auk_error err;
} csv_chunk;

typedef struct csv_reader {
  const char *name;
  const uint8_t *data;
  int64_t len;
  csv_dialect d;
  csv_convert_opts co;
  int nfile;       /* columns in the file */
  char **names;    /* file column names */
  int nout;        /* output columns */
  int *out_col;    /* output column -> file column */
  int *explicit_t; /* output column has an explicit type */
  _Atomic int *types;
  int64_t data_start;
  int64_t batch_rows;
  int64_t max_rows;
  int64_t infer_rows;
  /* widening notes: first position per output column */
  pthread_mutex_t lock;
  int64_t *widen_pos;
  auk_type_id *widen_from;
  /* parallel state */
  csv_chunk *chunks;
  int64_t nchunks;
  _Atomic int64_t first_bad_chunk;
  csv_fields *wfields; /* per worker */
  int nworkers;
  const auk_csv_sink *sink; /* NULL: collect batches for a frame */
  int mapped;               /* data is a file mapping: parsed pages can be dropped */
  int widened;              /* a column widened from a non-null type */
} csv_reader;

/* Reads options, header and names; no parsing yet. */
auk_status csv_reader_setup(csv_reader *r, const auk_source *src, const auk_csv_read_options *o,
                            int count_only, auk_error *err);
/* Splits, infers and parses (in parallel); batches end up in r->chunks or
 * in r->sink. */
auk_status csv_reader_run(csv_reader *r, auk_error *err);
void csv_reader_free(csv_reader *r);
void csv_batch_rec_free(const csv_reader *r, csv_batch_rec *b);
csv_fields *csv_worker_fields(csv_reader *r, int worker, auk_error *err);
/* Physical line (1-based) of byte offset pos. */
int64_t csv_line_of(const csv_reader *r, int64_t pos);
/* Formats an issue into err (file, line, column, text); returns the status. */
auk_status csv_issue_error(const csv_reader *r, const csv_issue *is, auk_type_id type,
                           auk_error *err);

#endif
