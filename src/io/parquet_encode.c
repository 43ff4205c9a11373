/* parquet_encode.c - one column chunk as Parquet pages. A first pass over
 * the chunk gathers its non-null values densely (one typed loop per auk
 * type), keeps min and max, and builds a dictionary while it pays (given
 * up once distinct values pass half of those seen, or 1 MiB). A second pass
 * writes one data page v1 per batch piece: RLE definition levels, then
 * RLE dictionary indices or PLAIN values, compressed. */
#include "core/alloc.h"
#include "core/error.h"
#include "core/types.h"
#include "io/parquet_codec.h"
#include "io/parquet_decode.h"
#include "io/parquet_encode.h"

#include <string.h>

int pq_phys_of(auk_type_id t) {
  /* decimals: INT32 up to 9 digits, else INT64 (the spec's choice) */
  if (auk_type_is_decimal(t)) return auk_decimal_precision(t) <= 9 ? PQ_INT32 : PQ_INT64;
  switch (t) {
    case AUK_TYPE_BOOL: return PQ_BOOLEAN;
    case AUK_TYPE_INT64:
    case AUK_TYPE_UINT64:
    case AUK_TYPE_DATETIME: return PQ_INT64;
    case AUK_TYPE_FLOAT32: return PQ_FLOAT;
    case AUK_TYPE_FLOAT64: return PQ_DOUBLE;
    case AUK_TYPE_STRING: return PQ_BYTE_ARRAY;
    default: return PQ_INT32;
  }
}

static int phys_width_of(int phys) {
  return phys == PQ_INT64 || phys == PQ_DOUBLE ? 8 : phys == PQ_BYTE_ARRAY ? 0 : 4;
}

/* -------------------------------------------------------- the dictionary */

/* Distinct values of a chunk: fixed-width values as 64-bit keys, byte
 * arrays as spans into the frame's buffers (alive while writing). */
typedef struct dict {
  int32_t *slots; /* index + 1, 0 empty */
  uint64_t mask;
  uint64_t *keys; /* fixed: the value; strings: the hash */
  pq_span *vals;  /* strings */
  int64_t n, cap, bytes;
} dict;

static uint64_t hash_bytes(const uint8_t *p, int64_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, p, (size_t)n);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 29);
}

static inline uint64_t hash_u64(uint64_t v) {
  v *= 0x9E3779B97F4A7C15ull;
  return v ^ (v >> 31);
}

static void dict_free(dict *d) {
  auk_mem_free(d->slots, sizeof(int32_t) * (size_t)(d->mask + 1));
  auk_mem_free(d->keys, sizeof(uint64_t) * (size_t)d->cap);
  auk_mem_free(d->vals, sizeof(pq_span) * (size_t)d->cap);
  memset(d, 0, sizeof *d);
}

static int dict_init(dict *d, int64_t cap, auk_error *err) {
  memset(d, 0, sizeof *d);
  uint64_t slots = 64;
  while (slots < (uint64_t)cap * 2) slots <<= 1;
  d->mask = slots - 1;
  d->cap = cap;
  d->slots = auk_mem_calloc(sizeof(int32_t) * slots, err);
  d->keys = auk_mem_alloc(sizeof(uint64_t) * (size_t)cap, err);
  d->vals = auk_mem_alloc(sizeof(pq_span) * (size_t)cap, err);
  return d->slots && d->keys && d->vals ? 0 : -1;
}

/* Index of a fixed-width value, added when new; -1 when full. */
static inline int64_t dict_put_fixed(dict *d, uint64_t v, int width) {
  for (uint64_t s = hash_u64(v) & d->mask;; s = (s + 1) & d->mask) {
    int32_t k = d->slots[s];
    if (!k) {
      if (d->n == d->cap) return -1;
      d->keys[d->n] = v;
      d->bytes += width;
      d->slots[s] = (int32_t)(++d->n);
      return d->n - 1;
    }
    if (d->keys[k - 1] == v) return k - 1;
  }
}

static inline int64_t dict_put_span(dict *d, const uint8_t *p, int64_t n) {
  uint64_t h = hash_bytes(p, n);
  for (uint64_t s = h & d->mask;; s = (s + 1) & d->mask) {
    int32_t k = d->slots[s];
    if (!k) {
      if (d->n == d->cap) return -1;
      d->keys[d->n] = h;
      d->vals[d->n] = (pq_span){p, n};
      d->bytes += n + 4;
      d->slots[s] = (int32_t)(++d->n);
      return d->n - 1;
    }
    const pq_span *v = &d->vals[k - 1];
    if (d->keys[k - 1] == h && v->n == n && !memcmp(v->p, p, (size_t)n)) return k - 1;
  }
}

/* -------------------------------------------------------------- statistics */

typedef struct stats {
  int has, too_long;
  uint8_t min[STAT_MAX], max[STAT_MAX];
  int min_len, max_len;
} stats;

/* Min and max of n dense physical values, by the column's order. */
#define MINMAX(T, SKIP)                       \
  {                                           \
    const T *v = (const T *)vals;             \
    T lo, hi;                                 \
    int64_t i = 0;                            \
    if (s->has) {                             \
      memcpy(&lo, s->min, sizeof(T));         \
      memcpy(&hi, s->max, sizeof(T));         \
    } else {                                  \
      while (i < n && SKIP(v[i])) i++;        \
      if (i == n) return;                     \
      lo = hi = v[i];                         \
    }                                         \
    for (; i < n; i++) {                      \
      T x = v[i];                             \
      if (SKIP(x)) continue;                  \
      lo = x < lo ? x : lo;                   \
      hi = x > hi ? x : hi;                   \
    }                                         \
    memcpy(s->min, &lo, sizeof(T));           \
    memcpy(s->max, &hi, sizeof(T));           \
    s->min_len = s->max_len = (int)sizeof(T); \
    s->has = 1;                               \
    return;                                   \
  }
#define NO_SKIP(x) 0
#define IS_NAN(x) ((x) != (x))

static void stats_fixed(stats *s, auk_type_id t, const uint8_t *vals, int64_t n) {
  switch (t) {
    case AUK_TYPE_UINT32: MINMAX(uint32_t, NO_SKIP)
    case AUK_TYPE_UINT64: MINMAX(uint64_t, NO_SKIP)
    case AUK_TYPE_INT64:
    case AUK_TYPE_DATETIME: MINMAX(int64_t, NO_SKIP)
    case AUK_TYPE_FLOAT32: MINMAX(float, IS_NAN)
    case AUK_TYPE_FLOAT64: MINMAX(double, IS_NAN)
    default: MINMAX(int32_t, NO_SKIP)
  }
}

static void stats_str(stats *s, const uint8_t *p, int64_t n) {
  if (n > STAT_MAX) {
    s->too_long = 1;
    return;
  }
  if (!s->has) {
    memcpy(s->min, p, (size_t)n);
    memcpy(s->max, p, (size_t)n);
    s->min_len = s->max_len = (int)n;
    s->has = 1;
    return;
  }
  int64_t m = n < s->min_len ? n : s->min_len;
  int c = memcmp(p, s->min, (size_t)m);
  if (c < 0 || (c == 0 && n < s->min_len)) {
    memcpy(s->min, p, (size_t)n);
    s->min_len = (int)n;
  }
  m = n < s->max_len ? n : s->max_len;
  c = memcmp(p, s->max, (size_t)m);
  if (c > 0 || (c == 0 && n > s->max_len)) {
    memcpy(s->max, p, (size_t)n);
    s->max_len = (int)n;
  }
}

typedef struct piece {
  const auk_array *a;
  int64_t start, len; /* logical rows within a */
} piece;

#define PAGE_BYTES (1 << 20) /* string pages are cut near this many bytes */

/* The array pieces covering frame rows [r0, r1), one per page: a batch's
 * rows, string batches cut where their bytes pass PAGE_BYTES. Stores at
 * most cap of them; returns how many there are. */
static int64_t pieces_of(const auk_frame *f, int col, int64_t r0, int64_t r1, piece *out,
                         int64_t cap) {
  int64_t n = 0, base = 0;
  for (int64_t b = 0; b < f->nbatches && base < r1; b++) {
    const auk_batch *bt = f->batches[b];
    const auk_array *a = bt->cols[col];
    int64_t end = base + bt->nrows;
    if (end > r0 && bt->nrows > 0) {
      int64_t s = r0 > base ? r0 - base : 0, e = r1 < end ? r1 - base : bt->nrows;
      while (s < e) {
        int64_t cut = e;
        if (a->type == AUK_TYPE_STRING) {
          /* the last row end within PAGE_BYTES of the start (at least one row) */
          const int64_t *o = auk_array_offsets(a);
          int64_t lo = s + 1, hi = e;
          while (lo < hi) {
            int64_t mid = lo + (hi - lo + 1) / 2;
            if (o[mid] - o[s] <= PAGE_BYTES)
              lo = mid;
            else
              hi = mid - 1;
          }
          cut = lo;
        }
        if (n < cap) out[n] = (piece){a, s, cut - s};
        n++;
        s = cut;
      }
    }
    base = end;
  }
  return n;
}

typedef struct page_bufs {
  pq_writer raw; /* uncompressed page body */
  uint8_t *comp; /* compressed body */
  size_t comp_cap;
  uint32_t *levels;
  int64_t levels_cap;
} page_bufs;

static int page_levels(page_bufs *pb, int64_t n, auk_error *err) {
  if (n <= pb->levels_cap) return 0;
  uint32_t *l = auk_mem_alloc(sizeof(uint32_t) * (size_t)n, err);
  if (!l) return -1;
  auk_mem_free(pb->levels, sizeof(uint32_t) * (size_t)pb->levels_cap);
  pb->levels = l;
  pb->levels_cap = n;
  return 0;
}

/* Compresses n bytes at src into pb->comp (grown to fit); *clen its size. */
static int compress_body(pq_chunk_out *co, page_bufs *pb, int codec, const uint8_t *src, size_t n,
                         size_t *clen) {
  size_t bound = pq_compress_bound(codec, n) + 16;
  if (bound > pb->comp_cap) {
    uint8_t *c = auk_mem_alloc(bound, &co->err);
    if (!c) return -1;
    auk_mem_free(pb->comp, pb->comp_cap);
    pb->comp = c;
    pb->comp_cap = bound;
  }
  return pq_compress(codec, src, n, pb->comp, clen, &co->err) ? -1 : 0;
}

/* Compresses pb->raw and appends header + body to the chunk. */
static int emit_page(pq_chunk_out *co, page_bufs *pb, int codec, int type, int32_t nvalues,
                     int encoding) {
  size_t n = pb->raw.len, clen;
  if (compress_body(co, pb, codec, pb->raw.data, n, &clen)) return -1;
  if (n > INT32_MAX || clen > INT32_MAX) {
    auk_error_set(&co->err, AUK_ERR_UNSUPPORTED, "a page exceeds 2 GiB");
    return -1;
  }
  pq_page_header h;
  memset(&h, 0, sizeof h);
  h.type = type;
  h.uncompressed_size = (int32_t)n;
  h.compressed_size = (int32_t)clen;
  h.num_values = nvalues;
  h.encoding = encoding;
  h.def_encoding = PQ_ENC_RLE;
  h.rep_encoding = PQ_ENC_RLE;
  size_t before = co->buf.len;
  pq_write_page_header(&co->buf, &h);
  co->uncompressed += (int64_t)(co->buf.len - before) + (int64_t)n;
  pq_write_bytes(&co->buf, pb->comp, clen);
  return co->buf.failed ? -1 : 0;
}

/* A data page v2: the levels (levels bytes after a 4-byte length at the
 * start of pb->raw) stay uncompressed, the values after them are
 * compressed; the header says how many rows and nulls the page holds. */
static int emit_page_v2(pq_chunk_out *co, page_bufs *pb, int codec, int32_t nvalues, int32_t nnulls,
                        int encoding, size_t levels_len) {
  const uint8_t *levels = pb->raw.data + 4, *vals = levels + levels_len;
  size_t vn = pb->raw.len - 4 - levels_len;
  size_t clen;
  if (compress_body(co, pb, codec, vals, vn, &clen)) return -1;
  if (vn + levels_len > INT32_MAX || clen + levels_len > INT32_MAX) {
    auk_error_set(&co->err, AUK_ERR_UNSUPPORTED, "a page exceeds 2 GiB");
    return -1;
  }
  pq_page_header h;
  memset(&h, 0, sizeof h);
  h.type = PQ_PAGE_DATA_V2;
  h.uncompressed_size = (int32_t)(levels_len + vn);
  h.compressed_size = (int32_t)(levels_len + clen);
  h.num_values = nvalues;
  h.num_nulls = nnulls;
  h.num_rows = nvalues;
  h.encoding = encoding;
  h.def_len = (int32_t)levels_len;
  h.rep_len = 0;
  size_t before = co->buf.len;
  pq_write_page_header(&co->buf, &h);
  co->uncompressed += (int64_t)(co->buf.len - before) + (int64_t)(levels_len + vn);
  pq_write_bytes(&co->buf, levels, levels_len);
  pq_write_bytes(&co->buf, pb->comp, clen);
  return co->buf.failed ? -1 : 0;
}

static void put_u32(pq_writer *w, uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  pq_write_bytes(w, b, 4);
}

/* Dense physical values of one piece's non-null rows. */
typedef struct dense_buf {
  uint8_t *fixed; /* pw bytes per value; bools: one byte each */
  size_t fixed_cap;
  pq_span *spans;
  size_t spans_cap;
  int64_t n;
} dense_buf;

static int grow(void **p, size_t *cap, size_t need, auk_error *err) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 4096;
  while (c < need) c *= 2;
  void *q = auk_mem_alloc(c, err);
  if (!q) return -1;
  auk_mem_free(*p, *cap);
  *p = q;
  *cap = c;
  return 0;
}

#define GATHER(SRC, DST)                                                   \
  {                                                                        \
    const SRC *src = (const SRC *)a->values->data + a->offset + s;         \
    DST *dst = (DST *)db->fixed;                                           \
    if (!valid) {                                                          \
      for (int64_t i = 0; i < len; i++) dst[i] = (DST)src[i];              \
      n = len;                                                             \
    } else {                                                               \
      for (int64_t i = 0; i < len; i++)                                    \
        if (auk_bit_get(valid, a->offset + s + i)) dst[n++] = (DST)src[i]; \
    }                                                                      \
    break;                                                                 \
  }

static int gather_dense(const piece *pc, int pw, dense_buf *db, auk_error *err) {
  const auk_array *a = pc->a;
  int64_t s = pc->start, len = pc->len, n = 0;
  db->n = 0;
  if (a->type == AUK_TYPE_NULL) return 0;
  const uint8_t *valid = a->validity && a->null_count ? a->validity->data : NULL;
  if (a->type == AUK_TYPE_STRING) {
    if (grow((void **)&db->spans, &db->spans_cap, sizeof(pq_span) * (size_t)(len + 1), err))
      return -1;
    const int64_t *o = auk_array_offsets(a);
    const uint8_t *bytes = a->values->data;
    for (int64_t i = s; i < s + len; i++) {
      if (valid && !auk_bit_get(valid, a->offset + i)) continue;
      db->spans[n].p = bytes + o[i];
      db->spans[n].n = o[i + 1] - o[i];
      n++;
    }
    db->n = n;
    return 0;
  }
  if (grow((void **)&db->fixed, &db->fixed_cap, (size_t)(len * (pw ? pw : 1) + 8), err)) return -1;
  /* a decimal's unscaled int64 values, narrowed for an INT32 column */
  enum { DEC_TO_I32 = -1 };
  int key = auk_type_is_decimal(a->type) ? (pw == 4 ? DEC_TO_I32 : AUK_TYPE_INT64) : (int)a->type;
  switch (key) {
    case DEC_TO_I32: GATHER(int64_t, int32_t)
    case AUK_TYPE_BOOL:
      for (int64_t i = s; i < s + len; i++)
        if (!valid || auk_bit_get(valid, a->offset + i))
          db->fixed[n++] = (uint8_t)auk_bit_get(a->values->data, a->offset + i);
      break;
    case AUK_TYPE_INT8: GATHER(int8_t, int32_t)
    case AUK_TYPE_INT16: GATHER(int16_t, int32_t)
    case AUK_TYPE_UINT8: GATHER(uint8_t, int32_t)
    case AUK_TYPE_UINT16: GATHER(uint16_t, int32_t)
    case AUK_TYPE_INT32:
    case AUK_TYPE_UINT32:
    case AUK_TYPE_DATE:
    case AUK_TYPE_FLOAT32: GATHER(uint32_t, uint32_t)
    default: GATHER(uint64_t, uint64_t)
  }
  db->n = n;
  return 0;
}

void pq_encode_chunk(const auk_frame *f, int col, int64_t r0, int64_t r1, int codec, int dictionary,
                     int page_v2, pq_chunk_out *co) {
  auk_type_id t = f->schema->fields[col].type;
  int phys = pq_phys_of(t), pw = phys_width_of(phys);
  pq_writer_init(&co->buf, &co->err);
  page_bufs pb;
  memset(&pb, 0, sizeof pb);
  pq_writer_init(&pb.raw, &co->err);
  dict d;
  memset(&d, 0, sizeof d);
  stats st;
  memset(&st, 0, sizeof st);
  dense_buf db;
  memset(&db, 0, sizeof db);
  int64_t nonnull = 0;
  int64_t np = pieces_of(f, col, r0, r1, NULL, 0);
  piece *ps = auk_mem_alloc(sizeof(piece) * (size_t)(np + 1), &co->err);
  uint32_t *idx_of = NULL;
  if (!ps) goto fail;
  pieces_of(f, col, r0, r1, ps, np);
  co->num_values = r1 - r0;
  for (int64_t k = 0; k < np; k++) {
    const auk_array *a = ps[k].a;
    if (a->type == AUK_TYPE_NULL) continue;
    nonnull += a->validity && a->null_count
                   ? auk_bitmap_count(a->validity->data, a->offset + ps[k].start, ps[k].len)
                   : ps[k].len;
  }
  co->nulls = (r1 - r0) - nonnull;
  /* pass 1: statistics of fixed-width values, and the dictionary when it
   * pays (given up once distinct values pass half of those seen) */
  int use_dict = dictionary && t != AUK_TYPE_BOOL && t != AUK_TYPE_NULL && nonnull > 0;
  int64_t dict_cap = nonnull / 2 < (1 << 20) ? nonnull / 2 + 1 : (1 << 20);
  if (use_dict && dict_init(&d, dict_cap, &co->err)) goto fail;
  if (use_dict && !(idx_of = auk_mem_alloc(sizeof(uint32_t) * (size_t)(nonnull + 1), &co->err)))
    goto fail;
  int64_t seen = 0;
  int has_false = 0, has_true = 0;
  for (int64_t k = 0; k < np; k++) {
    if (gather_dense(&ps[k], pw, &db, &co->err)) goto fail;
    if (t == AUK_TYPE_BOOL) {
      for (int64_t i = 0; i < db.n; i++) {
        has_true |= db.fixed[i];
        has_false |= !db.fixed[i];
      }
    } else if (t != AUK_TYPE_STRING && db.n) {
      stats_fixed(&st, auk_type_is_decimal(t) ? (pw == 4 ? AUK_TYPE_INT32 : AUK_TYPE_INT64) : t,
                  db.fixed, db.n);
    }
    if (!use_dict) continue;
    int64_t x = 0;
    if (t == AUK_TYPE_STRING) {
      for (int64_t i = 0; i < db.n && x >= 0; i++)
        idx_of[seen + i] = (uint32_t)(x = dict_put_span(&d, db.spans[i].p, db.spans[i].n));
    } else if (pw == 4) {
      const uint32_t *v = (const uint32_t *)db.fixed;
      for (int64_t i = 0; i < db.n && x >= 0; i++)
        idx_of[seen + i] = (uint32_t)(x = dict_put_fixed(&d, v[i], 4));
    } else {
      const uint64_t *v = (const uint64_t *)db.fixed;
      for (int64_t i = 0; i < db.n && x >= 0; i++)
        idx_of[seen + i] = (uint32_t)(x = dict_put_fixed(&d, v[i], 8));
    }
    seen += db.n;
    if (x < 0 || d.bytes > (1 << 20) || (seen >= 65536 && d.n * 2 > seen)) use_dict = 0;
  }
  if (t == AUK_TYPE_BOOL && (has_true || has_false)) {
    st.has = 1;
    st.min[0] = (uint8_t)!has_false;
    st.max[0] = (uint8_t)has_true;
    st.min_len = st.max_len = 1;
  }
  if (use_dict) {
    /* the dictionary page: PLAIN values (string stats come from it) */
    pb.raw.len = 0;
    for (int64_t i = 0; i < d.n; i++) {
      if (t == AUK_TYPE_STRING) {
        put_u32(&pb.raw, (uint32_t)d.vals[i].n);
        pq_write_bytes(&pb.raw, d.vals[i].p, (size_t)d.vals[i].n);
        stats_str(&st, d.vals[i].p, d.vals[i].n);
      } else {
        pq_write_bytes(&pb.raw, &d.keys[i], (size_t)pw); /* little-endian low bytes */
      }
    }
    if (pb.raw.failed || emit_page(co, &pb, codec, PQ_PAGE_DICTIONARY, (int32_t)d.n, PQ_ENC_PLAIN))
      goto fail;
    co->dict_bytes = (int64_t)co->buf.len;
  }
  int bw = use_dict ? pq_bit_width((uint64_t)(d.n > 1 ? d.n - 1 : 1)) : 0;
  int64_t vi = 0;
  for (int64_t k = 0; k < np; k++) {
    const auk_array *a = ps[k].a;
    int64_t s = ps[k].start, n = ps[k].len;
    pb.raw.len = 0;
    /* definition levels, after their 4-byte length */
    int64_t nn = 0;
    put_u32(&pb.raw, 0);
    size_t at = pb.raw.len;
    if (a->type != AUK_TYPE_NULL && !(a->validity && a->null_count)) {
      uint8_t run[12];
      int m = 0;
      uint64_t h = (uint64_t)n << 1;
      while (h >= 0x80) run[m++] = (uint8_t)(h | 0x80), h >>= 7;
      run[m++] = (uint8_t)h;
      run[m++] = 1;
      if (n) pq_write_bytes(&pb.raw, run, (size_t)m);
      nn = n;
    } else {
      if (page_levels(&pb, n, &co->err)) goto fail;
      for (int64_t i = 0; i < n; i++) {
        pb.levels[i] = a->type != AUK_TYPE_NULL && auk_array_is_valid(a, s + i);
        nn += pb.levels[i];
      }
      pq_rle_encode(&pb.raw, pb.levels, n, 1);
    }
    if (pb.raw.failed) goto fail;
    uint32_t l = (uint32_t)(pb.raw.len - at);
    uint8_t lb[4] = {(uint8_t)l, (uint8_t)(l >> 8), (uint8_t)(l >> 16), (uint8_t)(l >> 24)};
    memcpy(pb.raw.data + at - 4, lb, 4);
    if (use_dict) {
      uint8_t b = (uint8_t)bw;
      pq_write_bytes(&pb.raw, &b, 1);
      pq_rle_encode(&pb.raw, idx_of + vi, nn, bw);
      vi += nn;
    } else if (nn > 0) {
      if (gather_dense(&ps[k], pw, &db, &co->err)) goto fail;
      if (t == AUK_TYPE_BOOL) {
        int64_t bytes = auk_bitmap_bytes(nn);
        if (pq_writer_reserve(&pb.raw, (size_t)bytes)) goto fail;
        uint8_t *bits = pb.raw.data + pb.raw.len;
        memset(bits, 0, (size_t)bytes);
        for (int64_t j = 0; j < nn; j++) bits[j >> 3] |= (uint8_t)(db.fixed[j] << (j & 7));
        pb.raw.len += (size_t)bytes;
      } else if (t == AUK_TYPE_STRING) {
        int64_t total = 0;
        for (int64_t j = 0; j < nn; j++) total += db.spans[j].n + 4;
        if (pq_writer_reserve(&pb.raw, (size_t)total)) goto fail;
        uint8_t *o = pb.raw.data + pb.raw.len;
        for (int64_t j = 0; j < nn; j++) {
          uint32_t len = (uint32_t)db.spans[j].n;
          memcpy(o, &len, 4);
          memcpy(o + 4, db.spans[j].p, len);
          o += 4 + len;
          stats_str(&st, db.spans[j].p, db.spans[j].n);
        }
        pb.raw.len += (size_t)total;
      } else {
        pq_write_bytes(&pb.raw, db.fixed, (size_t)(nn * pw));
      }
    }
    if (pb.raw.failed) goto fail;
    if (n > INT32_MAX) {
      auk_error_set(&co->err, AUK_ERR_UNSUPPORTED, "a page exceeds 2^31 values");
      goto fail;
    }
    int enc = use_dict ? PQ_ENC_RLE_DICTIONARY : PQ_ENC_PLAIN;
    if (page_v2 ? emit_page_v2(co, &pb, codec, (int32_t)n, (int32_t)(n - nn), enc, l)
                : emit_page(co, &pb, codec, PQ_PAGE_DATA, (int32_t)n, enc))
      goto fail;
  }
  if (st.has && !st.too_long) {
    co->has_minmax = 1;
    memcpy(co->min, st.min, (size_t)st.min_len);
    memcpy(co->max, st.max, (size_t)st.max_len);
    co->min_len = st.min_len;
    co->max_len = st.max_len;
  }
  goto done;
fail:
  co->failed = 1;
  if (!co->err.code) auk_error_set(&co->err, AUK_ERR_OUT_OF_MEMORY, "out of memory");
done:
  dict_free(&d);
  auk_mem_free(idx_of, sizeof(uint32_t) * (size_t)(nonnull + 1));
  auk_mem_free(ps, sizeof(piece) * (size_t)(np + 1));
  auk_mem_free(db.fixed, db.fixed_cap);
  auk_mem_free(db.spans, db.spans_cap);
  pq_writer_free(&pb.raw);
  auk_mem_free(pb.comp, pb.comp_cap);
  auk_mem_free(pb.levels, sizeof(uint32_t) * (size_t)pb.levels_cap);
}
