/* bitmap.h - Arrow validity and boolean bitmaps: bit i of byte i/8, LSB
 * first; a set bit means valid (or true). */
#ifndef AUK_CORE_BITMAP_H
#define AUK_CORE_BITMAP_H

#include <stdint.h>
#include <string.h>

static inline int auk_bit_get(const uint8_t *bits, int64_t i) {
  return (bits[i >> 3] >> (i & 7)) & 1;
}
static inline void auk_bit_set(uint8_t *bits, int64_t i) {
  bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}
static inline void auk_bit_clear(uint8_t *bits, int64_t i) {
  bits[i >> 3] &= (uint8_t) ~(1u << (i & 7));
}
static inline void auk_bit_put(uint8_t *bits, int64_t i, int v) {
  if (v)
    auk_bit_set(bits, i);
  else
    auk_bit_clear(bits, i);
}
static inline int64_t auk_bitmap_bytes(int64_t nbits) {
  return (nbits + 7) / 8;
}
/* Number of set bits in [offset, offset+len). */
int64_t auk_bitmap_count(const uint8_t *bits, int64_t offset, int64_t len);

#endif
