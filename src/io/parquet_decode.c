/* parquet_decode.c - encodings (see the header). Bit-packed data is read
 * with a 64-bit accumulator, a byte at a time, so no read goes past the
 * input; runs are expanded with plain loops the compiler vectorizes. */
#include "io/parquet_decode.h"

#include <string.h>

/* Unpacks n values of width bw (<= 32) LSB-first from p, which has `avail`
 * readable bytes (at least ceil(n * bw / 8)). Values whose bits lie 8 bytes
 * before the end are read with one unaligned 64-bit load each (shift + bw <=
 * 39 bits); the tail goes a byte at a time. */
/* Groups of 8 values of a width BW known when compiled: the group's BW
 * bytes in one or two 64-bit loads, every shift a constant (0.54 -> about
 * 0.15 ns a value here). Reads 16 bytes a group: only groups that many
 * bytes before the end. */
#define UNPACK_GROUPS(BW)                                                         \
  case BW:                                                                        \
    for (; g < groups; g++) {                                                     \
      const uint8_t *q = p + g * BW;                                              \
      uint64_t lo, hi;                                                            \
      memcpy(&lo, q, 8);                                                          \
      memcpy(&hi, q + 8, 8);                                                      \
      uint32_t *o = out + g * 8;                                                  \
      _Pragma("GCC unroll 8") for (int k = 0; k < 8; k++) {                       \
        int sh = k * BW;                                                          \
        uint64_t v = sh >= 64  ? hi >> (sh - 64)                                  \
                     : sh == 0 ? lo                                               \
                               : lo >> sh | (sh + BW > 64 ? hi << (64 - sh) : 0); \
        o[k] = (uint32_t)(v & ((1u << BW) - 1));                                  \
      }                                                                           \
    }                                                                             \
    break;

static int64_t unpack_groups(const uint8_t *p, int64_t avail, int bw, uint32_t *out, int64_t n) {
  int64_t groups = avail >= 16 ? (avail - 16) / bw + 1 : 0, g = 0;
  if (groups > n / 8) groups = n / 8;
  switch (bw) {
    UNPACK_GROUPS(1)
    UNPACK_GROUPS(2)
    UNPACK_GROUPS(3)
    UNPACK_GROUPS(4)
    UNPACK_GROUPS(5)
    UNPACK_GROUPS(6)
    UNPACK_GROUPS(7)
    UNPACK_GROUPS(8)
    UNPACK_GROUPS(9)
    UNPACK_GROUPS(10)
    UNPACK_GROUPS(11)
    UNPACK_GROUPS(12)
    UNPACK_GROUPS(13)
    UNPACK_GROUPS(14)
    UNPACK_GROUPS(15)
    UNPACK_GROUPS(16)
    default: return 0;
  }
  return groups * 8;
}
#undef UNPACK_GROUPS

static void unpack32(const uint8_t *p, int64_t avail, int bw, uint32_t *out, int64_t n) {
  if (bw == 0) {
    memset(out, 0, (size_t)n * sizeof *out);
    return;
  }
  uint64_t mask = (bw == 32) ? 0xFFFFFFFFu : ((1ull << bw) - 1);
  int64_t fast = avail >= 8 ? ((avail - 8) * 8) / bw : 0; /* values safe to load whole */
  if (fast > n) fast = n;
  int64_t i = bw <= 16 ? unpack_groups(p, avail, bw, out, n) : 0;
  for (; i < fast; i++) {
    uint64_t pos = (uint64_t)i * (uint64_t)bw, w;
    memcpy(&w, p + (pos >> 3), 8);
    out[i] = (uint32_t)((w >> (pos & 7)) & mask);
  }
  if (i == n) return;
  uint64_t pos = (uint64_t)i * (uint64_t)bw;
  const uint8_t *q = p + (pos >> 3);
  uint64_t buf = *q++ >> (pos & 7);
  int bits = 8 - (int)(pos & 7);
  for (; i < n; i++) {
    while (bits < bw) {
      buf |= (uint64_t)*q++ << bits;
      bits += 8;
    }
    out[i] = (uint32_t)(buf & mask);
    buf >>= bw;
    bits -= bw;
  }
}

static int read_uleb(const uint8_t **pp, const uint8_t *end, uint64_t *v) {
  const uint8_t *p = *pp;
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p >= end) return -1;
    uint8_t b = *p++;
    r |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80)) {
      *pp = p;
      *v = r;
      return 0;
    }
  }
  return -1;
}

int64_t pq_rle_decode(const uint8_t *p, int64_t len, int bw, uint32_t *out, int64_t n) {
  if (bw < 0 || bw > 32) return -1;
  const uint8_t *start = p, *end = p + len;
  int vbytes = (bw + 7) / 8;
  int64_t i = 0;
  while (i < n) {
    uint64_t h;
    if (read_uleb(&p, end, &h)) return -1;
    if (h & 1) { /* bit-packed: (h >> 1) groups of 8 */
      uint64_t groups = h >> 1;
      if (groups == 0) return -1;
      int64_t avail = end - p;
      uint64_t want_bytes = groups * (uint64_t)bw;
      if (groups > ((uint64_t)1 << 40)) return -1;
      int64_t bytes = want_bytes < (uint64_t)avail ? (int64_t)want_bytes : avail;
      int64_t vals = bw ? bytes * 8 / bw : (int64_t)groups * 8;
      if (vals > (int64_t)groups * 8) vals = (int64_t)groups * 8;
      int64_t take = vals < n - i ? vals : n - i;
      if (take <= 0) return -1;
      unpack32(p, bytes, bw, out + i, take);
      i += take;
      p += bytes;
    } else { /* RLE run of (h >> 1) copies */
      uint64_t count = h >> 1;
      if (count == 0) return -1;
      if (end - p < vbytes) return -1;
      uint32_t v = 0;
      for (int k = 0; k < vbytes; k++) v |= (uint32_t)p[k] << (8 * k);
      p += vbytes;
      if (bw < 32 && (v >> bw)) return -1;
      int64_t take = count < (uint64_t)(n - i) ? (int64_t)count : n - i;
      for (int64_t k = 0; k < take; k++) out[i + k] = v;
      i += take;
    }
  }
  return p - start;
}

static void fill_bits(uint8_t *bits, int64_t off, int64_t n, int v) {
  int64_t i = off, end = off + n;
  for (; i < end && (i & 7); i++) {
    if (v)
      bits[i >> 3] |= (uint8_t)(1u << (i & 7));
    else
      bits[i >> 3] &= (uint8_t) ~(1u << (i & 7));
  }
  if (end - i >= 8) {
    memset(bits + (i >> 3), v ? 0xFF : 0, (size_t)((end - i) >> 3));
    i += (end - i) & ~(int64_t)7;
  }
  for (; i < end; i++) {
    if (v)
      bits[i >> 3] |= (uint8_t)(1u << (i & 7));
    else
      bits[i >> 3] &= (uint8_t) ~(1u << (i & 7));
  }
}

int64_t pq_rle_decode_bits(const uint8_t *p, int64_t len, uint8_t *bits, int64_t off, int64_t n) {
  const uint8_t *start = p, *end = p + len;
  int64_t i = 0;
  while (i < n) {
    uint64_t h;
    if (read_uleb(&p, end, &h)) return -1;
    if (h & 1) {
      uint64_t groups = h >> 1;
      if (groups == 0 || groups > ((uint64_t)1 << 40)) return -1;
      int64_t avail = end - p;
      int64_t bytes = groups < (uint64_t)avail ? (int64_t)groups : avail;
      int64_t take = bytes * 8 < n - i ? bytes * 8 : n - i;
      if (take <= 0) return -1;
      pq_bits_copy(bits, off + i, p, take);
      i += take;
      p += bytes;
    } else {
      uint64_t count = h >> 1;
      if (count == 0 || p >= end || *p > 1) return -1;
      int v = *p++;
      int64_t take = count < (uint64_t)(n - i) ? (int64_t)count : n - i;
      fill_bits(bits, off + i, take, v);
      i += take;
    }
  }
  return p - start;
}

int64_t pq_bitpacked_msb_decode(const uint8_t *p, int64_t len, int bw, uint32_t *out, int64_t n) {
  if (bw < 0 || bw > 32) return -1;
  int64_t bytes = (n * bw + 7) / 8;
  if (bytes > len) return -1;
  for (int64_t i = 0; i < n; i++) {
    uint32_t v = 0;
    for (int b = 0; b < bw; b++) {
      int64_t bit = i * bw + b;
      v = v << 1 | ((p[bit >> 3] >> (7 - (bit & 7))) & 1);
    }
    out[i] = v;
  }
  return bytes;
}

/* ---------------------------------------------------- DELTA_BINARY_PACKED */

typedef struct delta_hdr {
  uint64_t block, minis, total;
  int64_t first;
} delta_hdr;

static int delta_header(const uint8_t **pp, const uint8_t *end, delta_hdr *h) {
  uint64_t z;
  if (read_uleb(pp, end, &h->block) || read_uleb(pp, end, &h->minis) ||
      read_uleb(pp, end, &h->total) || read_uleb(pp, end, &z))
    return -1;
  h->first = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
  if (h->block == 0 || h->minis == 0 || h->block % 128 || h->block > (1u << 20) ||
      h->block % h->minis || (h->block / h->minis) % 32)
    return -1;
  return 0;
}

int64_t pq_delta_count(const uint8_t *p, int64_t len) {
  delta_hdr h;
  if (delta_header(&p, p + len, &h) || h.total > INT64_MAX / 8) return -1;
  return (int64_t)h.total;
}

static uint64_t get_bits(const uint8_t *p, uint64_t pos, int bw) {
  const uint8_t *q = p + (pos >> 3);
  int off = (int)(pos & 7);
  uint64_t v = (uint64_t)(*q++) >> off;
  int got = 8 - off;
  while (got < bw) {
    v |= (uint64_t)(*q++) << got;
    got += 8;
  }
  return bw == 64 ? v : (v & ((1ull << bw) - 1));
}

int64_t pq_delta_decode(const uint8_t *p, int64_t len, int64_t *out, int64_t cap) {
  const uint8_t *start = p, *end = p + len;
  delta_hdr h;
  if (delta_header(&p, end, &h)) return -1;
  if ((int64_t)h.total > cap) return -1;
  int64_t n = (int64_t)h.total, i = 0;
  if (n == 0) return p - start;
  uint64_t last = (uint64_t)h.first;
  out[i++] = h.first;
  uint64_t per_mini = h.block / h.minis;
  uint32_t tmp[64];
  while (i < n) {
    uint64_t z;
    if (read_uleb(&p, end, &z)) return -1;
    uint64_t min_delta = (z >> 1) ^ -(z & 1);
    if ((uint64_t)(end - p) < h.minis) return -1;
    const uint8_t *widths = p;
    p += h.minis;
    for (uint64_t m = 0; m < h.minis && i < n; m++) {
      int bw = widths[m];
      if (bw > 64) return -1;
      uint64_t bytes = per_mini * (uint64_t)bw / 8;
      if ((uint64_t)(end - p) < bytes) {
        /* the last miniblock may be cut to the values it holds */
        uint64_t need = ((uint64_t)(n - i) * (uint64_t)bw + 7) / 8;
        if ((uint64_t)(end - p) < need) return -1;
        bytes = (uint64_t)(end - p);
      }
      int64_t take = (int64_t)per_mini < n - i ? (int64_t)per_mini : n - i;
      if (bw <= 32) {
        for (int64_t k = 0; k < take; k += 64) {
          int64_t c = take - k < 64 ? take - k : 64;
          unpack32(p + k * bw / 8, (int64_t)bytes - k * bw / 8, bw, tmp, c);
          for (int64_t j = 0; j < c; j++) {
            last += min_delta + tmp[j];
            out[i + k + j] = (int64_t)last;
          }
        }
      } else {
        for (int64_t k = 0; k < take; k++) {
          last += min_delta + get_bits(p, (uint64_t)k * (uint64_t)bw, bw);
          out[i + k] = (int64_t)last;
        }
      }
      i += take;
      p += bytes;
    }
  }
  return p - start;
}

int pq_bss_decode(const uint8_t *p, int64_t len, int w, int64_t n, uint8_t *out) {
  if (w <= 0 || n < 0 || len / w < n) return -1;
  for (int k = 0; k < w; k++) {
    const uint8_t *s = p + (int64_t)k * n;
    for (int64_t i = 0; i < n; i++) out[i * w + k] = s[i];
  }
  return 0;
}

void pq_bits_copy(uint8_t *dst, int64_t off, const uint8_t *src, int64_t n) {
  if ((off & 7) == 0) {
    int64_t whole = n >> 3;
    memcpy(dst + (off >> 3), src, (size_t)whole);
    for (int64_t i = whole * 8; i < n; i++) {
      int64_t d = off + i;
      if ((src[i >> 3] >> (i & 7)) & 1)
        dst[d >> 3] |= (uint8_t)(1u << (d & 7));
      else
        dst[d >> 3] &= (uint8_t) ~(1u << (d & 7));
    }
    return;
  }
  for (int64_t i = 0; i < n; i++) {
    int64_t d = off + i;
    if ((src[i >> 3] >> (i & 7)) & 1)
      dst[d >> 3] |= (uint8_t)(1u << (d & 7));
    else
      dst[d >> 3] &= (uint8_t) ~(1u << (d & 7));
  }
}

/* ---------------------------------------------------------------- encode */

static uint8_t *put_uleb(uint8_t *o, uint64_t v) {
  while (v >= 0x80) {
    *o++ = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  *o++ = (uint8_t)v;
  return o;
}

static int64_t run_at(const uint32_t *v, int64_t i, int64_t n, int64_t limit) {
  int64_t r = 1;
  while (i + r < n && r < limit && v[i + r] == v[i]) r++;
  return r;
}

/* Runs of 8 or more equal values become RLE runs; the rest is bit-packed in
 * groups of 8 (at most 63 groups per header, so headers stay one byte). */
void pq_rle_encode(pq_writer *w, const uint32_t *v, int64_t n, int bw) {
  size_t worst = (size_t)(n / 8 + 2) * (size_t)(16 + bw) + 16;
  if (pq_writer_reserve(w, worst)) return;
  uint8_t *o = w->data + w->len;
  int vbytes = (bw + 7) / 8;
  int64_t i = 0;
  while (i < n) {
    int64_t run = run_at(v, i, n, INT64_MAX);
    if (run >= 8) {
      o = put_uleb(o, (uint64_t)run << 1);
      for (int k = 0; k < vbytes; k++) *o++ = (uint8_t)(v[i] >> (8 * k));
      i += run;
      continue;
    }
    int64_t j = i, groups = 0;
    while (j < n && groups < 63) {
      if (j > i && run_at(v, j, n, 8) >= 8) break;
      j += 8;
      groups++;
    }
    *o++ = (uint8_t)(groups << 1 | 1);
    uint64_t buf = 0;
    int bits = 0;
    int64_t end = i + groups * 8;
    for (int64_t k = i; k < end; k++) {
      buf |= (uint64_t)(k < n ? v[k] : 0) << bits;
      bits += bw;
      while (bits >= 8) {
        *o++ = (uint8_t)buf;
        buf >>= 8;
        bits -= 8;
      }
    }
    i = end < n ? end : n;
  }
  w->len = (size_t)(o - w->data);
}
