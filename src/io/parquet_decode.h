/* parquet_decode.h - Parquet's value and level encodings as tight loops
 * over whole runs: the RLE/bit-packed hybrid (levels, booleans, dictionary
 * indices), DELTA_BINARY_PACKED, the byte-array deltas and
 * BYTE_STREAM_SPLIT, plus the RLE encoder the writer uses. Every decoder is
 * bounds-checked against its input and returns -1 on malformed data. */
#ifndef AUK_IO_PARQUET_DECODE_H
#define AUK_IO_PARQUET_DECODE_H

#include "io/parquet_thrift.h"

#include <stdint.h>

/* A byte-array value: pointer into a page or a scratch buffer. */
typedef struct pq_span {
  const uint8_t *p;
  int64_t n;
} pq_span;

/* Decodes n values of bit width bw (0..32) from the hybrid encoding in
 * p[0..len). Returns the bytes consumed, or -1 when the data ends early or
 * is malformed. */
int64_t pq_rle_decode(const uint8_t *p, int64_t len, int bw, uint32_t *out, int64_t n);
/* Decodes n levels of bit width 1 straight into a bitmap at bit `off`
 * (runs become filled ranges, bit-packed runs are already bitmaps).
 * Returns the bytes consumed or -1. */
int64_t pq_rle_decode_bits(const uint8_t *p, int64_t len, uint8_t *bits, int64_t off, int64_t n);
/* The deprecated BIT_PACKED level encoding (MSB first). Returns bytes
 * consumed or -1. */
int64_t pq_bitpacked_msb_decode(const uint8_t *p, int64_t len, int bw, uint32_t *out, int64_t n);

/* The number of values a DELTA_BINARY_PACKED stream holds, or -1. */
int64_t pq_delta_count(const uint8_t *p, int64_t len);
/* Decodes all values (pq_delta_count of them) into out. Returns the bytes
 * consumed or -1. Arithmetic wraps as the format requires. */
int64_t pq_delta_decode(const uint8_t *p, int64_t len, int64_t *out, int64_t cap);

/* BYTE_STREAM_SPLIT of n values of w bytes; needs n*w bytes of input.
 * Returns 0 or -1. */
int pq_bss_decode(const uint8_t *p, int64_t len, int w, int64_t n, uint8_t *out);

/* Copies n bits from src (starting at bit 0) to dst starting at bit off. */
void pq_bits_copy(uint8_t *dst, int64_t off, const uint8_t *src, int64_t n);

/* Appends the hybrid encoding of v[0..n) at bit width bw to w. */
void pq_rle_encode(pq_writer *w, const uint32_t *v, int64_t n, int bw);
/* Bits needed for values up to max. */
static inline int pq_bit_width(uint64_t max) {
  int b = 0;
  while (max) b++, max >>= 1;
  return b;
}

#endif
