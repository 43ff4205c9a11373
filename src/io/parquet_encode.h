/* parquet_encode.h - encoding one column chunk (some rows of one column of
 * a frame) into Parquet pages in memory, with its statistics: the half of
 * the writer that runs as parallel tasks (parquet_write.c lays the chunks
 * out in the file). */
#ifndef AUK_IO_PARQUET_ENCODE_H
#define AUK_IO_PARQUET_ENCODE_H

#include "io/parquet.h"

#define STAT_MAX 256 /* longer string min/max values are left out */

typedef struct pq_chunk_out {
  pq_writer buf;      /* the chunk's pages */
  int64_t dict_bytes; /* size of the dictionary page (0: none) */
  int64_t uncompressed;
  int64_t num_values;
  int64_t nulls;
  int has_minmax;
  uint8_t min[STAT_MAX], max[STAT_MAX];
  int min_len, max_len;
  auk_error err;
  int failed;
} pq_chunk_out;

/* The Parquet physical type an auk type is written as. */
int pq_phys_of(auk_type_id t);
/* Encodes rows [r0, r1) of column col into co: a dictionary page when it
 * pays (`dictionary` allows it), one data page v1 per batch piece, pages
 * compressed with `codec`. On failure co->failed is set and co->err says
 * why. The caller frees co->buf with pq_writer_free. */
void pq_encode_chunk(const auk_frame *f, int col, int64_t r0, int64_t r1, int codec, int dictionary,
                     int page_v2, pq_chunk_out *co);

#endif
