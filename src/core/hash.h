/* hash.h - row hashes of columns, for distinct now and for group-by and
 * joins later. Fixed-width values go through a 64-bit mixer; strings
 * through xxHash (XXH3). Equal values give equal hashes across batches and
 * types of the same class (an i32 7 hashes like an i64 7); null has one
 * fixed hash. */
#ifndef AUK_CORE_HASH_H
#define AUK_CORE_HASH_H
#include "core/array.h"

static inline uint64_t auk_hash_mix(uint64_t x) {
  x ^= x >> 32;
  x *= UINT64_C(0xd6e8feb86659fd93);
  x ^= x >> 32;
  x *= UINT64_C(0xd6e8feb86659fd93);
  x ^= x >> 32;
  return x;
}

/* The hash of a null value (one key column on its own). */
#define AUK_HASH_NULL UINT64_C(0x5bd1e9955bd1e995)

/* The hash of n bytes (XXH3, as a string value of auk_hash_column). */
uint64_t auk_hash_bytes(const void *p, size_t n);

/* h[i] = hash of row i of a (combine = 0), or h[i] combined with it. */
void auk_hash_column(const auk_array *a, uint64_t *h, int combine);
/* The hash auk_hash_column gives row i of a (combine = 0). */
uint64_t auk_hash_cell(const auk_array *a, int64_t i);
#endif
