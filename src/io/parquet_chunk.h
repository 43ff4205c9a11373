/* parquet_chunk.h - decoding one column chunk (one row group's values of
 * one column) into an auk array: per-worker scratch memory, the growing
 * column buffer, and the steps shared by parquet_chunk.c (pages, levels,
 * dictionaries) and parquet_values.c (value encodings and conversion to
 * auk types). */
#ifndef AUK_IO_PARQUET_CHUNK_H
#define AUK_IO_PARQUET_CHUNK_H

#include "core/error.h"
#include "io/parquet.h"
#include "io/parquet_decode.h"

typedef struct pq_scratch {
  void *p;
  size_t cap;
} pq_scratch;

typedef struct pq_worker_mem {
  pq_scratch page;   /* decompressed page */
  pq_scratch levels; /* definition levels, dictionary indices */
  pq_scratch vals;   /* dense decoded values */
  pq_scratch spans;  /* byte-array spans */
  pq_scratch bytes;  /* rebuilt byte arrays (DELTA_BYTE_ARRAY) */
} pq_worker_mem;

/* A column being decoded: target-typed values for rows [0, len). */
typedef struct pq_colbuf {
  auk_type_id type;
  int width; /* bytes per value; 0 for bool and string */
  int64_t cap, len;
  auk_buffer *values;   /* fixed values, bool bits, or string bytes */
  auk_buffer *offsets;  /* strings: int64, cap + 1 */
  auk_buffer *validity; /* allocated at the first null */
  int64_t nbytes;       /* strings: bytes used */
} pq_colbuf;

typedef struct pq_chunk_job {
  pq_file *f;
  const pq_column *col;
  int rg;
  int64_t rows; /* rows wanted from this row group */
  pq_worker_mem *w;
  pq_colbuf out;
  pq_colbuf dict;
  int has_dict;
  int64_t ndict;
  /* keep a string column dictionary-encoded: out holds int32 codes (type
   * INT32); a page that is not dictionary-encoded (or, when want_dict is 1,
   * a dictionary of more than a quarter of the rows) sets restart and
   * fails, and the chunk is read again the plain way; 2 keeps any
   * dictionary (tests) */
  int want_dict, restart;
  /* rows to read (NULL: all): data pages wholly outside are skipped, not
   * decompressed, and listed in skips as (row, rows) pairs ended by -1 */
  const pq_keep *keep;
  int64_t *skips;
  int nskips, skips_cap;
  auk_error *err;
} pq_chunk_job;

void pq_skips_free(pq_chunk_job *j);

/* Dense physical values of one page: contiguous fixed-width values, bits
 * (booleans), or spans (byte arrays). */
typedef struct pq_dense {
  const uint8_t *fixed;
  const pq_span *spans;
  int64_t n;
} pq_dense;

void *pq_scratch_get(pq_scratch *s, size_t n, auk_error *err);
void pq_scratch_free(pq_scratch *s);
int64_t pq_fixed_bytes(const pq_colbuf *b, int64_t rows);
auk_status pq_colbuf_init(pq_colbuf *b, auk_type_id type, int64_t cap, int64_t bytes_hint,
                          auk_error *err);
void pq_colbuf_free(pq_colbuf *b);
/* Room for `more` string bytes. */
auk_status pq_reserve_bytes(pq_colbuf *b, int64_t more, auk_error *err);
/* Sets j->err to "file: column 'c', row group g: <message>". */
auk_status pq_bad(pq_chunk_job *j, auk_status code, const char *fmt, ...) AUK_PRINTF(3, 4);
/* Bytes per physical value (0 for booleans and byte arrays). */
int pq_phys_width(const pq_column *c);

/* Decodes n non-null values of a page's value section (any encoding but
 * the dictionary's) into their dense physical form. */
auk_status pq_decode_values(pq_chunk_job *j, int enc, const uint8_t *p, int64_t len, int64_t n,
                            pq_dense *d);
/* Converts d.n dense physical values to the auk type at rows r0.. of b. */
auk_status pq_convert(pq_chunk_job *j, pq_colbuf *b, int64_t r0, pq_dense d);
/* Copies dictionary entries idx[0..n) to rows r0.. of out. */
auk_status pq_gather(pq_chunk_job *j, pq_colbuf *out, int64_t r0, const uint32_t *idx, int64_t n);
/* Moves nn dense values at rows r0.. among nv rows by the validity bits. */
void pq_spread(pq_colbuf *b, int64_t r0, int64_t nv, int64_t nn);

/* Reads the chunk j describes into j->out; then pq_finish_chunk makes the
 * array of j->rows rows (a dictionary-encoded one when j->want_dict is
 * still set: every data page used the dictionary). */
auk_status pq_read_chunk(pq_chunk_job *j);
auk_array *pq_finish_chunk(pq_chunk_job *j);

#endif
