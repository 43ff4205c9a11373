/* hash.c - column hashing: one loop per storage width, the combine step
 * folded in, so a multi-column key is hashed column by column without
 * building a composite value. */
#define XXH_INLINE_ALL
#include "core/hash.h"

#include "core/types.h"

#include <math.h>
#include <string.h>
#include <xxhash.h>

static inline uint64_t put(uint64_t old, uint64_t v, int combine) {
  return combine ? auk_hash_mix(old * UINT64_C(0x9e3779b97f4a7c15) + v) : v;
}

/* Rows [0, n) of a starting at row `first`, into h[0, n). */
static void hash_rows(const auk_array *a, int64_t first, int64_t n, uint64_t *h, int combine) {
  int64_t off = a->offset + first;
  const uint8_t *d = a->values ? a->values->data : NULL;
  switch (auk_type_storage(a->type)) {
    case AUK_TYPE_NULL:
      for (int64_t i = 0; i < n; i++) h[i] = put(h[i], AUK_HASH_NULL, combine);
      return;
    case AUK_TYPE_STRING: {
      const int64_t *o = auk_array_offsets(a) + first;
      for (int64_t i = 0; i < n; i++)
        h[i] = put(h[i], XXH3_64bits(d + o[i], (size_t)(o[i + 1] - o[i])), combine);
      break;
    }
    case AUK_TYPE_BOOL:
      for (int64_t i = 0; i < n; i++)
        h[i] = put(h[i], auk_hash_mix((uint64_t)auk_bit_get(d, off + i) + 1), combine);
      break;
    case AUK_TYPE_FLOAT32:
    case AUK_TYPE_FLOAT64:
      for (int64_t i = 0; i < n; i++) {
        double v = a->type == AUK_TYPE_FLOAT64 ? ((const double *)d)[off + i]
                                               : ((const float *)d)[off + i];
        if (v == 0) v = 0; /* -0.0 like 0.0 */
        if (isnan(v)) v = NAN;
        uint64_t b;
        memcpy(&b, &v, 8);
        h[i] = put(h[i], auk_hash_mix(b), combine);
      }
      break;
    default: {
      int w = auk_type_width(a->type),
          sgn = auk_type_is_signed(a->type) || auk_type_is_temporal(a->type);
      for (int64_t i = 0; i < n; i++) {
        const uint8_t *p = d + (off + i) * w;
        int64_t v;
        switch (w) {
          case 1: v = sgn ? (int64_t) * (const int8_t *)p : (int64_t)*p; break;
          case 2: v = sgn ? (int64_t) * (const int16_t *)p : (int64_t) * (const uint16_t *)p; break;
          case 4: v = sgn ? (int64_t) * (const int32_t *)p : (int64_t) * (const uint32_t *)p; break;
          default: v = *(const int64_t *)p; break;
        }
        h[i] = put(h[i], auk_hash_mix((uint64_t)v), combine);
      }
      break;
    }
  }
}

uint64_t auk_hash_bytes(const void *p, size_t n) {
  return XXH3_64bits(p, n);
}

void auk_hash_column(const auk_array *a, uint64_t *h, int combine) {
  if (!a->validity || a->null_count == 0) {
    hash_rows(a, 0, a->length, h, combine);
    return;
  }
  /* null rows hash as AUK_HASH_NULL combined with what h held before */
  enum { BLOCK = 1024 };
  uint64_t old[BLOCK];
  for (int64_t s = 0; s < a->length; s += BLOCK) {
    int64_t m = a->length - s < BLOCK ? a->length - s : BLOCK;
    memcpy(old, h + s, sizeof(uint64_t) * (size_t)m);
    hash_rows(a, s, m, h + s, combine);
    for (int64_t i = 0; i < m; i++)
      if (!auk_array_is_valid(a, s + i)) h[s + i] = put(old[i], AUK_HASH_NULL, combine);
  }
}

uint64_t auk_hash_cell(const auk_array *a, int64_t i) {
  if (!auk_array_is_valid(a, i)) return AUK_HASH_NULL;
  uint64_t h = 0;
  hash_rows(a, i, 1, &h, 0);
  return h;
}
