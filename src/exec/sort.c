/* sort.c - stable multi-key sort and top-k.
 *
 * Every key becomes a 64-bit unsigned value whose order is the wanted one:
 * integers with the sign bit flipped, floats by the IEEE trick (NaN
 * largest, -0.0 equal to 0.0), booleans as 0/1, strings by their rank
 * among the column's distinct values (found with a hash table, then a sort
 * of the distinct strings only), each complemented for descending. Nulls
 * are set apart per key and placed first or last.
 *
 * The (key, row) pairs of the first key are split on their 16 highest
 * varying bits into buckets (histograms and scatter on all workers, each
 * worker's rows after the previous worker's, so the split is stable), and
 * the buckets are sorted on all workers by an LSD radix sort over the
 * remaining varying bytes, ping-ponging between two buffers. Runs of equal
 * keys then go on to the next key. Small runs use insertion sort.
 *
 * Top-k: the k-th smallest key of the first key is found by selection and
 * only rows at or below it are sorted.
 *
 * The output is gathered straight from the input batches on all workers,
 * a task per output batch and column. */
#define XXH_INLINE_ALL
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/pool.h"
#include "core/types.h"
#include "exec/take.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct pair {
  uint64_t k;
  int64_t i;
} pair;

typedef struct skey {
  const auk_array *a;   /* the key values (concatenated) */
  const uint32_t *rank; /* strings: rank of each row's value */
  int desc, nulls_last;
} skey;

typedef struct sorter {
  const skey *keys;
  int nkeys;
} sorter;

static inline uint64_t norm(const skey *key, int64_t r) {
  const auk_array *a = key->a;
  const uint8_t *d = a->values ? a->values->data : NULL;
  int64_t k = a->offset + r;
  uint64_t u;
  switch (auk_type_storage(a->type)) {
    case AUK_TYPE_FLOAT64:
    case AUK_TYPE_FLOAT32: {
      u = exec_f64_key(a->type == AUK_TYPE_FLOAT64 ? ((const double *)d)[k]
                                                   : ((const float *)d)[k]);
      break;
    }
    case AUK_TYPE_STRING:
      if (key->rank) {
        u = key->rank[r];
      } else { /* no ranks: the first 8 bytes, big-endian (an order prefix) */
        const int64_t *o = auk_array_offsets(a);
        int64_t len = o[r + 1] - o[r];
        u = 0;
        for (int i = 0; i < 8; i++) u = (u << 8) | (i < len ? d[o[r] + i] : 0);
      }
      break;
    case AUK_TYPE_BOOL: u = (uint64_t)auk_bit_get(d, k); break;
    case AUK_TYPE_NULL: u = 0; break;
    case AUK_TYPE_INT8: u = (uint64_t)(int64_t)((const int8_t *)d)[k] ^ (UINT64_C(1) << 63); break;
    case AUK_TYPE_INT16:
      u = (uint64_t)(int64_t)((const int16_t *)d)[k] ^ (UINT64_C(1) << 63);
      break;
    case AUK_TYPE_INT32:
    case AUK_TYPE_DATE: u = (uint64_t)(int64_t)((const int32_t *)d)[k] ^ (UINT64_C(1) << 63); break;
    case AUK_TYPE_UINT8: u = d[k]; break;
    case AUK_TYPE_UINT16: u = ((const uint16_t *)d)[k]; break;
    case AUK_TYPE_UINT32: u = ((const uint32_t *)d)[k]; break;
    case AUK_TYPE_UINT64: u = ((const uint64_t *)d)[k]; break;
    default: u = (uint64_t)((const int64_t *)d)[k] ^ (UINT64_C(1) << 63); break;
  }
  return key->desc ? ~u : u;
}

/* out[i] = {norm(rows[i]), rows[i]} with the type switch outside the loop. */
static void norm_rows(const skey *key, const int64_t *rows, int64_t n, pair *out) {
  const auk_array *a = key->a;
  const uint8_t *d = a->values ? a->values->data : NULL;
  int64_t off = a->offset;
  uint64_t flip = key->desc ? ~UINT64_C(0) : 0, sign = UINT64_C(1) << 63;
#define NORM_LOOP(EXPR)                 \
  for (int64_t i = 0; i < n; i++) {     \
    int64_t r = rows[i];                \
    out[i].k = (uint64_t)(EXPR) ^ flip; \
    out[i].i = r;                       \
  }                                     \
  return
  switch (auk_type_storage(a->type)) {
    case AUK_TYPE_INT64:
    case AUK_TYPE_DATETIME: NORM_LOOP((uint64_t)((const int64_t *)d)[off + r] ^ sign);
    case AUK_TYPE_INT32:
    case AUK_TYPE_DATE: NORM_LOOP((uint64_t)(int64_t)((const int32_t *)d)[off + r] ^ sign);
    case AUK_TYPE_STRING: NORM_LOOP(key->rank[r]);
    case AUK_TYPE_FLOAT64:
      for (int64_t i = 0; i < n; i++) {
        int64_t r = rows[i];
        out[i].k = exec_f64_key(((const double *)d)[off + r]) ^ flip;
        out[i].i = r;
      }
      return;
    default:
      for (int64_t i = 0; i < n; i++) {
        out[i].k = norm(key, rows[i]);
        out[i].i = rows[i];
      }
      return;
  }
#undef NORM_LOOP
}

/* ------------------------------------------------------- string ranks */

typedef struct str_ref {
  const char *p;
  int64_t len;
} str_ref;

static inline int str_eq(const char *a, const char *b, int64_t len) {
  if (len <= 16 && len >= 8) {
    uint64_t x0, y0, x1, y1;
    memcpy(&x0, a, 8);
    memcpy(&y0, b, 8);
    memcpy(&x1, a + len - 8, 8);
    memcpy(&y1, b + len - 8, 8);
    return x0 == y0 && x1 == y1;
  }
  return len == 0 || !memcmp(a, b, (size_t)len);
}

static int str_ref_cmp(const void *x, const void *y) {
  const str_ref *a = x, *b = y;
  int64_t m = a->len < b->len ? a->len : b->len;
  int c = m ? memcmp(a->p, b->p, (size_t)m) : 0;
  return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* rank[r] = position of row r's string among the distinct strings. */
static auk_status string_ranks(const auk_array *a, uint32_t **out, auk_error *err) {
  int64_t n = a->length, cap = 64;
  while (cap < 2 * n) cap *= 2;
  uint32_t *rank = auk_mem_alloc(sizeof(uint32_t) * (size_t)(n ? n : 1), err);
  int32_t *table = rank ? auk_mem_alloc(sizeof(int32_t) * (size_t)cap, err) : NULL;
  uint64_t *hashes = table ? auk_mem_alloc(sizeof(uint64_t) * (size_t)cap, err) : NULL;
  str_ref *distinct = hashes ? auk_mem_alloc(sizeof(str_ref) * (size_t)(n ? n : 1), err) : NULL;
  uint32_t *order = distinct ? auk_mem_alloc(sizeof(uint32_t) * (size_t)(n ? n : 1), err) : NULL;
  auk_status st = AUK_OK;
  if (!order) {
    st = err->code;
    goto done;
  }
  if (n > INT32_MAX) {
    st = auk_error_set(err, AUK_ERR_UNSUPPORTED, "sort: more than 2^31 rows of strings");
    goto done;
  }
  memset(table, 0xff, sizeof(int32_t) * (size_t)cap);
  int64_t nd = 0;
  const int64_t *o = auk_array_offsets(a);
  const char *bytes = (const char *)a->values->data;
  for (int64_t r = 0; r < n; r++) {
    const char *p = bytes + o[r];
    int64_t len = o[r + 1] - o[r];
    uint64_t h = XXH3_64bits(p, (size_t)len);
    uint64_t pos = h & (uint64_t)(cap - 1);
    for (;;) {
      int32_t d = table[pos];
      if (d < 0) {
        table[pos] = (int32_t)nd;
        hashes[pos] = h;
        distinct[nd].p = p;
        distinct[nd].len = len;
        rank[r] = (uint32_t)nd++;
        break;
      }
      if (hashes[pos] == h && distinct[d].len == len && str_eq(distinct[d].p, p, len)) {
        rank[r] = (uint32_t)d;
        break;
      }
      pos = (pos + 1) & (uint64_t)(cap - 1);
    }
  }
  /* sort the distinct strings, carrying their ids through the position */
  str_ref *sorted = (str_ref *)hashes; /* reuse: cap >= 2n entries of 8 bytes >= n of 16 */
  memcpy(sorted, distinct, sizeof(str_ref) * (size_t)nd);
  qsort(sorted, (size_t)nd, sizeof(str_ref), str_ref_cmp);
  /* id of a distinct value -> its rank: find each sorted string's id again */
  for (int64_t k = 0; k < nd; k++) {
    uint64_t h = XXH3_64bits(sorted[k].p, (size_t)sorted[k].len);
    uint64_t pos = h & (uint64_t)(cap - 1);
    for (;;) {
      int32_t d = table[pos];
      if (distinct[d].len == sorted[k].len &&
          !memcmp(distinct[d].p, sorted[k].p, (size_t)sorted[k].len)) {
        order[d] = (uint32_t)k;
        break;
      }
      pos = (pos + 1) & (uint64_t)(cap - 1);
    }
  }
  for (int64_t r = 0; r < n; r++) rank[r] = order[rank[r]];
done:
  if (order) auk_mem_free(order, sizeof(uint32_t) * (size_t)(n ? n : 1));
  if (distinct) auk_mem_free(distinct, sizeof(str_ref) * (size_t)(n ? n : 1));
  if (hashes) auk_mem_free(hashes, sizeof(uint64_t) * (size_t)cap);
  if (table) auk_mem_free(table, sizeof(int32_t) * (size_t)cap);
  if (st) {
    if (rank) auk_mem_free(rank, sizeof(uint32_t) * (size_t)(n ? n : 1));
    return st;
  }
  *out = rank;
  return AUK_OK;
}

/* ------------------------------------------------------------ radix */

static void insertion(pair *a, int64_t n) {
  for (int64_t i = 1; i < n; i++) {
    pair v = a[i];
    int64_t j = i;
    while (j > 0 && a[j - 1].k > v.k) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = v;
  }
}

/* Stable LSD radix sort of a[0..n) on the bytes set in `varying`; tmp has
 * room for n. */
static void lsd(pair *a, pair *tmp, int64_t n, uint64_t varying) {
  if (n <= 32) {
    insertion(a, n);
    return;
  }
  pair *src = a, *dst = tmp;
  for (int byte = 0; byte < 8; byte++) {
    int sh = byte * 8;
    if (!((varying >> sh) & 0xff)) continue;
    int64_t count[256] = {0};
    for (int64_t i = 0; i < n; i++) count[(src[i].k >> sh) & 0xff]++;
    int64_t pos = 0;
    for (int b = 0; b < 256; b++) {
      int64_t c = count[b];
      count[b] = pos;
      pos += c;
    }
    for (int64_t i = 0; i < n; i++) dst[count[(src[i].k >> sh) & 0xff]++] = src[i];
    pair *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, sizeof(pair) * (size_t)n);
}

static uint64_t varying_bits(const pair *a, int64_t n) {
  uint64_t o = 0, x = ~UINT64_C(0);
  for (int64_t i = 0; i < n; i++) {
    o |= a[i].k;
    x &= a[i].k;
  }
  return o ^ x;
}

static auk_status sort_level(const sorter *s, int level, int64_t *idx, int64_t n, int parallel,
                             auk_error *err);

/* Runs of equal keys in a[0..n) go on to the next key. */
static auk_status next_level(const sorter *s, int level, pair *a, int64_t *idx, int64_t n,
                             auk_error *err) {
  if (level + 1 >= s->nkeys) return AUK_OK;
  for (int64_t i = 0; i < n;) {
    int64_t j = i + 1;
    while (j < n && a[j].k == a[i].k) j++;
    if (j - i > 1 && sort_level(s, level + 1, idx + i, j - i, 0, err)) return err->code;
    i = j;
  }
  return AUK_OK;
}

/* ------------------------------------------------ parallel bucket sort */

enum { BUCKET_BITS = 16, NBUCKETS = 1 << BUCKET_BITS };

typedef struct psort {
  const sorter *s;
  int level;
  const int64_t *rows;
  pair *a, *tmp;
  int64_t n;
  int parts;
  int shift;
  uint64_t mask;
  int64_t *hist; /* parts x NBUCKETS */
  int64_t *bstart;
  int64_t ntasks;
  int64_t *task_lo; /* bucket ranges per task */
  uint64_t *vor, *vand;
  auk_status *st;
  auk_error *errs;
} psort;

static void ps_keys(void *ctx, int64_t t, int worker) {
  (void)worker;
  psort *p = ctx;
  int64_t lo = p->n * t / p->parts, hi = p->n * (t + 1) / p->parts;
  norm_rows(&p->s->keys[p->level], p->rows + lo, hi - lo, p->tmp + lo);
  uint64_t o = 0, x = ~UINT64_C(0);
  for (int64_t i = lo; i < hi; i++) {
    o |= p->tmp[i].k;
    x &= p->tmp[i].k;
  }
  p->vor[t] = o;
  p->vand[t] = x;
}

static void ps_hist(void *ctx, int64_t t, int worker) {
  (void)worker;
  psort *p = ctx;
  int64_t lo = p->n * t / p->parts, hi = p->n * (t + 1) / p->parts;
  int64_t *h = p->hist + t * NBUCKETS;
  memset(h, 0, sizeof(int64_t) * NBUCKETS);
  for (int64_t i = lo; i < hi; i++) h[(p->tmp[i].k >> p->shift) & p->mask]++;
}

static void ps_scatter(void *ctx, int64_t t, int worker) {
  (void)worker;
  psort *p = ctx;
  int64_t lo = p->n * t / p->parts, hi = p->n * (t + 1) / p->parts;
  int64_t *h = p->hist + t * NBUCKETS; /* now: write positions */
  for (int64_t i = lo; i < hi; i++) p->a[h[(p->tmp[i].k >> p->shift) & p->mask]++] = p->tmp[i];
}

static void ps_buckets(void *ctx, int64_t t, int worker) {
  (void)worker;
  psort *p = ctx;
  for (int64_t b = p->task_lo[t]; b < p->task_lo[t + 1]; b++) {
    int64_t s = p->bstart[b], e = p->bstart[b + 1];
    if (e - s < 2) continue;
    pair *a = p->a + s;
    lsd(a, p->tmp + s, e - s, varying_bits(a, e - s));
  }
}

static void ps_ties(void *ctx, int64_t t, int worker) {
  (void)worker;
  psort *p = ctx;
  int64_t s = p->bstart[p->task_lo[t]], e = p->bstart[p->task_lo[t + 1]];
  int64_t *idx = (int64_t *)(p->tmp + s); /* scratch row ids for this range */
  for (int64_t i = s; i < e; i++) idx[i - s] = p->a[i].i;
  p->st[t] = next_level(p->s, p->level, p->a + s, idx, e - s, &p->errs[t]);
  for (int64_t i = s; i < e; i++) p->a[i].i = idx[i - s];
}

/* Sorts pairs built from rows[0..n) into a (tmp: scratch of n). */
static auk_status sort_pairs(const sorter *s, int level, const int64_t *rows, pair *a, pair *tmp,
                             int64_t n, int parallel, auk_error *err) {
  int threads = auk_pool_threads();
  if (!parallel || threads < 2 || n < (1 << 17)) {
    norm_rows(&s->keys[level], rows, n, a);
    lsd(a, tmp, n, varying_bits(a, n));
    return AUK_OK;
  }
  auk_status st = AUK_OK;
  int parts = threads * 4;
  int64_t ntasks = threads * 16;
  psort p = {s,    level, rows,   a,    tmp,  n,    parts, 0,   0,
             NULL, NULL,  ntasks, NULL, NULL, NULL, NULL,  NULL};
  p.hist = auk_mem_alloc(sizeof(int64_t) * NBUCKETS * (size_t)parts, err);
  p.bstart = auk_mem_alloc(sizeof(int64_t) * (NBUCKETS + 1), err);
  p.task_lo = auk_mem_alloc(sizeof(int64_t) * (size_t)(ntasks + 1), err);
  p.vor = auk_mem_alloc(sizeof(uint64_t) * (size_t)parts, err);
  p.vand = auk_mem_alloc(sizeof(uint64_t) * (size_t)parts, err);
  p.st = auk_mem_calloc(sizeof(auk_status) * (size_t)ntasks, err);
  p.errs = auk_mem_alloc(sizeof(auk_error) * (size_t)ntasks, err);
  if (!p.hist || !p.bstart || !p.task_lo || !p.vor || !p.vand || !p.st || !p.errs) {
    st = err->code;
    goto done;
  }
  auk_pool_run(parts, ps_keys, &p);
  uint64_t o = 0, x = ~UINT64_C(0);
  for (int t = 0; t < parts; t++) {
    o |= p.vor[t];
    x &= p.vand[t];
  }
  uint64_t varying = o ^ x;
  if (!varying) { /* all equal: keep the order */
    memcpy(a, tmp, sizeof(pair) * (size_t)n);
  } else {
    int top = 63 - __builtin_clzll(varying);
    p.shift = top >= BUCKET_BITS - 1 ? top - (BUCKET_BITS - 1) : 0;
    p.mask = NBUCKETS - 1;
    auk_pool_run(parts, ps_hist, &p);
    /* bucket starts, and each part's write position within each bucket */
    int64_t pos = 0;
    for (int64_t b = 0; b < NBUCKETS; b++) {
      p.bstart[b] = pos;
      for (int t = 0; t < parts; t++) {
        int64_t c = p.hist[t * NBUCKETS + b];
        p.hist[t * NBUCKETS + b] = pos;
        pos += c;
      }
    }
    p.bstart[NBUCKETS] = pos;
    auk_pool_run(parts, ps_scatter, &p);
    /* tasks of about n / ntasks rows each, whole buckets */
    int64_t t = 0, target = n / ntasks + 1;
    p.task_lo[0] = 0;
    for (int64_t b = 0; b < NBUCKETS && t < ntasks - 1; b++)
      if (p.bstart[b + 1] >= target * (t + 1)) p.task_lo[++t] = b + 1;
    while (t < ntasks) p.task_lo[++t] = NBUCKETS;
    p.task_lo[ntasks] = NBUCKETS;
    auk_pool_run(ntasks, ps_buckets, &p);
  }
  if (level + 1 < s->nkeys) {
    if (!varying) {
      p.task_lo[0] = 0;
      for (int64_t t = 1; t <= ntasks; t++) p.task_lo[t] = NBUCKETS;
      p.bstart[0] = 0;
      for (int64_t b = 1; b <= NBUCKETS; b++) p.bstart[b] = n;
    }
    auk_pool_run(ntasks, ps_ties, &p);
    for (int64_t t = 0; t < ntasks && !st; t++)
      if (p.st[t]) {
        *err = p.errs[t];
        st = p.st[t];
      }
  }
done:
  if (p.hist) auk_mem_free(p.hist, sizeof(int64_t) * NBUCKETS * (size_t)parts);
  if (p.bstart) auk_mem_free(p.bstart, sizeof(int64_t) * (NBUCKETS + 1));
  if (p.task_lo) auk_mem_free(p.task_lo, sizeof(int64_t) * (size_t)(ntasks + 1));
  if (p.vor) auk_mem_free(p.vor, sizeof(uint64_t) * (size_t)parts);
  if (p.vand) auk_mem_free(p.vand, sizeof(uint64_t) * (size_t)parts);
  if (p.st) auk_mem_free(p.st, sizeof(auk_status) * (size_t)ntasks);
  if (p.errs) auk_mem_free(p.errs, sizeof(auk_error) * (size_t)ntasks);
  return st;
}

/* Sorts the non-null rows idx[0..n) of key `level`, then their ties. */
static auk_status sort_valid(const sorter *s, int level, int64_t *idx, int64_t n, int parallel,
                             auk_error *err) {
  if (n < 2) return AUK_OK;
  pair small[64], small_tmp[64];
  pair *a = small, *tmp = small_tmp;
  if (n > 64) {
    a = auk_mem_alloc(sizeof(pair) * (size_t)n * 2, err);
    if (!a) return err->code;
    tmp = a + n;
  }
  auk_status st = sort_pairs(s, level, idx, a, tmp, n, parallel, err);
  if (!st) {
    for (int64_t i = 0; i < n; i++) idx[i] = a[i].i;
    /* the parallel path already handled ties */
    if (!(parallel && auk_pool_threads() >= 2 && n >= (1 << 17)))
      st = next_level(s, level, a, idx, n, err);
  }
  if (a != small) auk_mem_free(a, sizeof(pair) * (size_t)n * 2);
  return st;
}

static auk_status sort_level(const sorter *s, int level, int64_t *idx, int64_t n, int parallel,
                             auk_error *err) {
  if (level >= s->nkeys || n < 2) return AUK_OK;
  const skey *key = &s->keys[level];
  if (key->a->null_count == 0) return sort_valid(s, level, idx, n, parallel, err);
  int64_t *tmp = auk_mem_alloc(sizeof(int64_t) * (size_t)n, err);
  if (!tmp) return err->code;
  int64_t nv = 0, nn = 0;
  for (int64_t i = 0; i < n; i++)
    if (auk_array_is_valid(key->a, idx[i]))
      idx[nv++] = idx[i];
    else
      tmp[nn++] = idx[i];
  auk_status st = sort_valid(s, level, idx, nv, parallel, err);
  if (!st) st = sort_level(s, level + 1, tmp, nn, 0, err);
  if (!st) {
    if (key->nulls_last) {
      memcpy(idx + nv, tmp, sizeof(int64_t) * (size_t)nn);
    } else {
      memmove(idx + nn, idx, sizeof(int64_t) * (size_t)nv);
      memcpy(idx, tmp, sizeof(int64_t) * (size_t)nn);
    }
  }
  auk_mem_free(tmp, sizeof(int64_t) * (size_t)n);
  return st;
}

/* ---------------------------------------------------------------- top-k */

uint64_t exec_select_kth(uint64_t *v, int64_t n, int64_t k) {
  int64_t lo = 0, hi = n - 1;
  while (lo < hi) {
    uint64_t pivot = v[lo + (hi - lo) / 2];
    int64_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        uint64_t t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return v[k];
  }
  return v[k];
}

/* Candidates for the first `limit` rows: rows whose first key (nulls at
 * the end they sort to) is at or below the limit-th smallest. */
static auk_status topk_candidates(const sorter *s, int64_t rows, int64_t limit, int64_t *idx,
                                  int64_t *n, auk_error *err) {
  const skey *key = &s->keys[0];
  uint64_t *k = auk_mem_alloc(sizeof(uint64_t) * (size_t)rows * 2, err);
  if (!k) return err->code;
  uint64_t null_key = key->nulls_last ? ~UINT64_C(0) : 0;
  if (key->a->null_count)
    for (int64_t i = 0; i < rows; i++)
      k[i] = auk_array_is_valid(key->a, i) ? norm(key, i) : null_key;
  else
    for (int64_t i = 0; i < rows; i++) k[i] = norm(key, i);
  memcpy(k + rows, k, sizeof(uint64_t) * (size_t)rows);
  uint64_t t = exec_select_kth(k + rows, rows, limit - 1);
  int64_t c = 0;
  for (int64_t i = 0; i < rows; i++) {
    idx[c] = i;
    c += k[i] <= t;
  }
  auk_mem_free(k, sizeof(uint64_t) * (size_t)rows * 2);
  *n = c;
  return AUK_OK;
}

/* --------------------------------------------------------------- gather */

typedef struct gather {
  const auk_frame *in;
  const int64_t *idx; /* global rows, m of them */
  int64_t m;
  int64_t *starts; /* first global row of each input batch, nb + 1 */
  int64_t *bidx;   /* per output row: (batch << 32) | local row */
  auk_batch **out; /* output batches */
  int ncols;
  auk_status *st;
  auk_error *errs;
} gather;

static void locate_task(void *ctx, int64_t t, int worker) {
  (void)worker;
  gather *g = ctx;
  int64_t lo = t * AUK_BATCH_ROWS, hi = lo + AUK_BATCH_ROWS < g->m ? lo + AUK_BATCH_ROWS : g->m;
  int64_t nb = g->in->nbatches;
  for (int64_t i = lo; i < hi; i++) {
    int64_t r = g->idx[i], a = 0, b = nb;
    while (b - a > 1) {
      int64_t mid = (a + b) / 2;
      if (g->starts[mid] <= r)
        a = mid;
      else
        b = mid;
    }
    g->bidx[i] = (a << 32) | (r - g->starts[a]);
  }
}

/* One column of one output batch, straight from the input batches. Per
 * batch base pointers keep the loops to one dependent load per value, and
 * values a few rows ahead are prefetched so that the cache misses of a
 * random gather overlap. */
static auk_status gather_one(const gather *g, int c, const int64_t *bidx, int64_t len,
                             auk_array **out, auk_error *err) {
  const auk_frame *in = g->in;
  int64_t nb = in->nbatches;
  auk_type_id t = in->batches[0]->cols[c]->type;
  enum { AHEAD = 16 };
  if (t == AUK_TYPE_NULL) {
    *out = auk_array_new_nulls(t, len, err);
    return *out ? AUK_OK : err->code;
  }
  const uint8_t **base = auk_mem_alloc(sizeof(uint8_t *) * (size_t)nb * 2, err);
  if (!base) return err->code;
  const uint8_t **aux = base + nb; /* strings: offsets; else unused */
  int any_nulls = 0, w = auk_type_width(t);
  for (int64_t b = 0; b < nb; b++) {
    const auk_array *a = in->batches[b]->cols[c];
    any_nulls |= a->null_count > 0;
    if (t == AUK_TYPE_STRING) {
      base[b] = a->values->data;
      aux[b] = (const uint8_t *)auk_array_offsets(a);
    } else if (t == AUK_TYPE_BOOL) {
      base[b] = a->values->data;
      aux[b] = (const uint8_t *)(intptr_t)a->offset;
    } else {
      base[b] = a->values->data + a->offset * w;
    }
  }
  auk_status st = AUK_OK;
  if (t == AUK_TYPE_STRING) {
    int64_t cap = len * 8 + 64, used = 0;
    auk_buffer *ob = auk_buffer_new((len + 1) * 8, err);
    auk_buffer *vb = ob ? auk_buffer_new(cap, err) : NULL;
    if (!vb) {
      auk_buffer_release(ob);
      auk_mem_free(base, sizeof(uint8_t *) * (size_t)nb * 2);
      return err->code;
    }
    int64_t *o = (int64_t *)ob->data;
    o[0] = 0;
    for (int64_t i = 0; i < len; i++) {
      if (i + AHEAD < len) {
        const int64_t *po = (const int64_t *)aux[bidx[i + AHEAD] >> 32];
        __builtin_prefetch(po + (bidx[i + AHEAD] & 0xffffffff));
      }
      const int64_t *po = (const int64_t *)aux[bidx[i] >> 32];
      int64_t r = bidx[i] & 0xffffffff, s0 = po[r], l = po[r + 1] - s0;
      if (used + l > cap) {
        cap = (used + l) * 2;
        if (auk_buffer_reserve(vb, cap, err)) {
          st = err->code;
          break;
        }
      }
      memcpy(vb->data + used, base[bidx[i] >> 32] + s0, (size_t)l);
      used += l;
      o[i + 1] = used;
    }
    ob->size = (len + 1) * 8;
    vb->size = used;
    *out = st ? NULL : auk_array_new_from(AUK_TYPE_STRING, len, 0, NULL, vb, ob, err);
    auk_buffer_release(ob);
    auk_buffer_release(vb);
    if (!st && !*out) st = err->code;
  } else {
    auk_array *r = auk_array_new_fixed(t, len, err);
    if (!r) {
      st = err->code;
    } else {
      uint8_t *d = auk_array_data(r);
      if (t == AUK_TYPE_BOOL) {
        memset(d, 0, (size_t)auk_bitmap_bytes(len));
        for (int64_t i = 0; i < len; i++) {
          int64_t b = bidx[i] >> 32;
          if (auk_bit_get(base[b], (int64_t)(intptr_t)aux[b] + (bidx[i] & 0xffffffff)))
            auk_bit_set(d, i);
        }
      } else if (w == 8) {
        for (int64_t i = 0; i < len; i++) {
          if (i + AHEAD < len)
            __builtin_prefetch(base[bidx[i + AHEAD] >> 32] + (bidx[i + AHEAD] & 0xffffffff) * 8);
          ((uint64_t *)d)[i] = ((const uint64_t *)base[bidx[i] >> 32])[bidx[i] & 0xffffffff];
        }
      } else if (w == 4) {
        for (int64_t i = 0; i < len; i++)
          ((uint32_t *)d)[i] = ((const uint32_t *)base[bidx[i] >> 32])[bidx[i] & 0xffffffff];
      } else {
        for (int64_t i = 0; i < len; i++)
          memcpy(d + i * w, base[bidx[i] >> 32] + (bidx[i] & 0xffffffff) * w, (size_t)w);
      }
      *out = r;
    }
  }
  auk_mem_free(base, sizeof(uint8_t *) * (size_t)nb * 2);
  if (st) return st;
  if (any_nulls) {
    auk_array *r = *out;
    if (auk_array_add_validity(r, err)) {
      auk_array_release(r);
      *out = NULL;
      return err->code;
    }
    int64_t nulls = 0;
    for (int64_t i = 0; i < len; i++) {
      const auk_array *a = in->batches[bidx[i] >> 32]->cols[c];
      if (!auk_array_is_valid(a, bidx[i] & 0xffffffff)) {
        auk_bit_clear(r->validity->data, i);
        nulls++;
      }
    }
    r->null_count = nulls;
  }
  return AUK_OK;
}

static void gather_task(void *ctx, int64_t t, int worker) {
  (void)worker;
  gather *g = ctx;
  int64_t b = t / g->ncols;
  int c = (int)(t % g->ncols);
  int64_t lo = b * AUK_BATCH_ROWS, len = g->m - lo < AUK_BATCH_ROWS ? g->m - lo : AUK_BATCH_ROWS;
  g->st[t] = gather_one(g, c, g->bidx + lo, len, &g->out[b]->cols[c], &g->errs[t]);
}

static auk_status gather_rows(const auk_frame *in, const int64_t *idx, int64_t m, auk_frame **out,
                              auk_error *err) {
  int64_t nb = in->nbatches, nout = (m + AUK_BATCH_ROWS - 1) / AUK_BATCH_ROWS;
  int ncols = in->schema->nfields;
  int64_t ntasks = nout * ncols;
  auk_status st = AUK_OK;
  gather g = {in, idx, m, NULL, NULL, NULL, ncols, NULL, NULL};
  auk_frame *f = auk_frame_new(in->schema, err);
  if (!f) return err->code;
  if (m == 0 || ncols == 0) {
    *out = f;
    return AUK_OK;
  }
  g.starts = auk_mem_alloc(sizeof(int64_t) * (size_t)(nb + 1), err);
  g.bidx = g.starts ? auk_mem_alloc(sizeof(int64_t) * (size_t)m, err) : NULL;
  g.out = g.bidx ? auk_mem_calloc(sizeof(auk_batch *) * (size_t)nout, err) : NULL;
  g.st = g.out ? auk_mem_calloc(sizeof(auk_status) * (size_t)ntasks, err) : NULL;
  g.errs = g.st ? auk_mem_alloc(sizeof(auk_error) * (size_t)ntasks, err) : NULL;
  if (!g.errs) {
    st = err->code;
    goto done;
  }
  g.starts[0] = 0;
  for (int64_t b = 0; b < nb; b++) g.starts[b + 1] = g.starts[b] + in->batches[b]->nrows;
  for (int64_t b = 0; b < nout && !st; b++) {
    int64_t len = m - b * AUK_BATCH_ROWS < AUK_BATCH_ROWS ? m - b * AUK_BATCH_ROWS : AUK_BATCH_ROWS;
    if (!(g.out[b] = auk_batch_new(in->schema, len, err))) st = err->code;
  }
  if (st) goto done;
  auk_pool_run(nout, locate_task, &g);
  auk_pool_run(ntasks, gather_task, &g);
  for (int64_t t = 0; t < ntasks && !st; t++)
    if (g.st[t]) {
      *err = g.errs[t];
      st = g.st[t];
    }
  for (int64_t b = 0; b < nout; b++) {
    if (!st) {
      st = auk_frame_append(f, g.out[b], err);
    } else {
      auk_batch_free(g.out[b]);
    }
    g.out[b] = NULL;
  }
done:
  if (g.errs) auk_mem_free(g.errs, sizeof(auk_error) * (size_t)ntasks);
  if (g.st) auk_mem_free(g.st, sizeof(auk_status) * (size_t)ntasks);
  if (g.out) {
    for (int64_t b = 0; b < nout; b++) auk_batch_free(g.out[b]);
    auk_mem_free(g.out, sizeof(auk_batch *) * (size_t)nout);
  }
  if (g.bidx) auk_mem_free(g.bidx, sizeof(int64_t) * (size_t)m);
  if (g.starts) auk_mem_free(g.starts, sizeof(int64_t) * (size_t)(nb + 1));
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}

/* ---------------------------------------------------------- fast top-k */

/* A small top-k streams: each worker keeps, in a max-heap, the `limit`
 * smallest normalized first keys of the batches it reads (evaluated per
 * batch, nothing joined); the limit-th smallest of all of them bounds the
 * answer, a second pass takes every row at or below it (ties included,
 * strings by their 8-byte prefix), and only those rows are sorted. */
enum { TOPK_MAX = 4096 };

typedef struct topk {
  const auk_frame *in;
  const bexpr *key;
  int desc, nulls_last;
  int64_t limit;
  int one_key; /* the heaps decide (ties by row): no second pass */
  pair *heaps; /* threads x limit */
  int64_t *heap_n;
  uint64_t bound;
  int64_t **rows; /* per batch: rows at or below bound */
  int64_t *nrows, *cap_rows;
  int oom;
  int64_t *starts;
  auk_status *st;
  auk_error *errs;
} topk;

/* (key, row) pairs ordered by key then row: the order a stable sort on
 * one key gives. */
static inline int pair_gt(pair a, pair b) {
  return a.k > b.k || (a.k == b.k && a.i > b.i);
}

/* Max-heap of at most cap pairs keeping the smallest. */
static void heap_push(pair *h, int64_t *n, int64_t cap, pair v) {
  if (*n < cap) {
    int64_t i = (*n)++;
    h[i] = v;
    while (i > 0 && pair_gt(h[i], h[(i - 1) / 2])) {
      pair t = h[i];
      h[i] = h[(i - 1) / 2];
      h[(i - 1) / 2] = t;
      i = (i - 1) / 2;
    }
    return;
  }
  if (!pair_gt(h[0], v)) return;
  h[0] = v;
  for (int64_t i = 0;;) {
    int64_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < cap && pair_gt(h[l], h[m])) m = l;
    if (r < cap && pair_gt(h[r], h[m])) m = r;
    if (m == i) break;
    pair t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

/* Streams the normalized first-key values of batch b through fn in stack
 * blocks (no per-batch buffer: fresh memory costs page faults here). */
typedef void (*topk_fn)(topk *t, int64_t b, int worker, const uint64_t *keys, int64_t first,
                        int64_t m);

static auk_status topk_scan(topk *t, int64_t b, int worker, topk_fn fn, auk_error *err) {
  auk_array *a;
  if (bexpr_eval(t->key, t->in->batches[b], &a, err)) return err->code;
  skey k = {a, NULL, t->desc, t->nulls_last};
  int64_t n = a->length;
  uint64_t null_key = t->nulls_last ? ~UINT64_C(0) : 0;
  enum { CH = 1024 };
  int64_t rows[CH];
  pair tmp[CH];
  uint64_t keys[CH];
  uint64_t flip = t->desc ? ~UINT64_C(0) : 0, sign = UINT64_C(1) << 63;
  for (int64_t s0 = 0; s0 < n; s0 += CH) {
    int64_t m = n - s0 < CH ? n - s0 : CH;
    if (a->type == AUK_TYPE_FLOAT64) { /* contiguous: a loop that vectorizes */
      const double *d = (const double *)a->values->data + a->offset + s0;
      for (int64_t i = 0; i < m; i++) keys[i] = exec_f64_key(d[i]) ^ flip;
    } else if (a->type == AUK_TYPE_INT64 || a->type == AUK_TYPE_DATETIME) {
      const int64_t *d = (const int64_t *)a->values->data + a->offset + s0;
      for (int64_t i = 0; i < m; i++) keys[i] = ((uint64_t)d[i] ^ sign) ^ flip;
    } else {
      for (int64_t i = 0; i < m; i++) rows[i] = s0 + i;
      norm_rows(&k, rows, m, tmp);
      for (int64_t i = 0; i < m; i++) keys[i] = tmp[i].k;
    }
    if (a->null_count)
      for (int64_t i = 0; i < m; i++)
        if (!auk_array_is_valid(a, s0 + i)) keys[i] = null_key;
    fn(t, b, worker, keys, s0, m);
  }
  auk_array_release(a);
  return AUK_OK;
}

static void heap_block(topk *t, int64_t b, int worker, const uint64_t *keys, int64_t first,
                       int64_t m) {
  pair *h = t->heaps + (int64_t)worker * t->limit;
  int64_t *hn = &t->heap_n[worker], base = t->starts[b] + first;
  for (int64_t i = 0; i < m; i++)
    if (*hn < t->limit || keys[i] <= h[0].k) heap_push(h, hn, t->limit, (pair){keys[i], base + i});
}

static void topk_pass1(void *ctx, int64_t b, int worker) {
  topk *t = ctx;
  t->st[b] = topk_scan(t, b, worker, heap_block, &t->errs[b]);
}

static void bound_block(topk *t, int64_t b, int worker, const uint64_t *keys, int64_t first,
                        int64_t m) {
  (void)worker;
  for (int64_t i = 0; i < m; i++) {
    if (keys[i] > t->bound) continue;
    if (t->nrows[b] == t->cap_rows[b]) {
      int64_t cap = t->cap_rows[b] ? t->cap_rows[b] * 2 : 64;
      int64_t *r = auk_mem_realloc(t->rows[b], sizeof(int64_t) * (size_t)t->cap_rows[b],
                                   sizeof(int64_t) * (size_t)cap, NULL);
      if (!r) {
        t->oom = 1;
        return;
      }
      t->rows[b] = r;
      t->cap_rows[b] = cap;
    }
    t->rows[b][t->nrows[b]++] = t->starts[b] + first + i;
  }
}

static void topk_pass2(void *ctx, int64_t b, int worker) {
  topk *t = ctx;
  t->st[b] = topk_scan(t, b, worker, bound_block, &t->errs[b]);
}

static auk_status gather_rows(const auk_frame *in, const int64_t *idx, int64_t m, auk_frame **out,
                              auk_error *err);

/* The candidate rows of a small top-k as a frame (in input order). */
static int cmp_i64(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return (a > b) - (a < b);
}

static auk_status topk_frame(const auk_frame *in, const bexpr *key, int desc, int nulls_last,
                             int one_key, int64_t limit, auk_frame **out, auk_error *err) {
  int threads = auk_pool_threads();
  int64_t nb = in->nbatches;
  topk t = {in, key,  desc, nulls_last, limit, one_key, NULL, NULL,
            0,  NULL, NULL, NULL,       0,     NULL,    NULL, NULL};
  auk_status st = AUK_OK;
  t.heaps = auk_mem_alloc(sizeof(pair) * (size_t)(threads * limit), err);
  t.heap_n = auk_mem_calloc(sizeof(int64_t) * (size_t)threads, err);
  t.rows = auk_mem_calloc(sizeof(int64_t *) * (size_t)(nb + 1), err);
  t.nrows = auk_mem_calloc(sizeof(int64_t) * (size_t)(nb + 1), err);
  t.cap_rows = auk_mem_calloc(sizeof(int64_t) * (size_t)(nb + 1), err);
  t.starts = auk_mem_alloc(sizeof(int64_t) * (size_t)(nb + 1), err);
  t.st = auk_mem_calloc(sizeof(auk_status) * (size_t)(nb + 1), err);
  t.errs = auk_mem_alloc(sizeof(auk_error) * (size_t)(nb + 1), err);
  int64_t *idx = NULL, total = 0;
  if (!t.heaps || !t.heap_n || !t.rows || !t.nrows || !t.cap_rows || !t.starts || !t.st ||
      !t.errs) {
    st = err->code;
    goto done;
  }
  t.starts[0] = 0;
  for (int64_t b = 0; b < nb; b++) t.starts[b + 1] = t.starts[b] + in->batches[b]->nrows;
  auk_pool_run(nb, topk_pass1, &t);
  for (int64_t b = 0; b < nb && !st; b++)
    if (t.st[b]) {
      *err = t.errs[b];
      st = t.st[b];
    }
  if (st) goto done;
  /* the limit smallest over all workers' heaps */
  pair merged[TOPK_MAX];
  int64_t mn = 0;
  for (int w = 0; w < threads; w++)
    for (int64_t i = 0; i < t.heap_n[w]; i++)
      heap_push(merged, &mn, limit, t.heaps[(int64_t)w * limit + i]);
  if (one_key) { /* those rows are the answer, in row order for the final sort */
    idx = auk_mem_alloc(sizeof(int64_t) * (size_t)(mn ? mn : 1), err);
    if (!idx) {
      st = err->code;
      goto done;
    }
    for (int64_t i = 0; i < mn; i++) idx[i] = merged[i].i;
    qsort(idx, (size_t)mn, sizeof(int64_t), cmp_i64);
    total = mn;
    st = gather_rows(in, idx, total, out, err);
    goto done;
  }
  t.bound = mn ? merged[0].k : ~UINT64_C(0);
  auk_pool_run(nb, topk_pass2, &t);
  for (int64_t b = 0; b < nb && !st; b++)
    if (t.st[b]) {
      *err = t.errs[b];
      st = t.st[b];
    }
  if (st) goto done;
  if (!st && t.oom) st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "top-k: out of memory");
  if (st) goto done;
  for (int64_t b = 0; b < nb; b++) total += t.nrows[b];
  idx = auk_mem_alloc(sizeof(int64_t) * (size_t)(total ? total : 1), err);
  if (!idx) {
    st = err->code;
    goto done;
  }
  for (int64_t b = 0, w = 0; b < nb; b++) {
    if (!t.nrows[b]) continue;
    memcpy(idx + w, t.rows[b], sizeof(int64_t) * (size_t)t.nrows[b]);
    w += t.nrows[b];
  }
  st = gather_rows(in, idx, total, out, err);
done:
  if (idx) auk_mem_free(idx, sizeof(int64_t) * (size_t)(total ? total : 1));
  if (t.rows)
    for (int64_t b = 0; b < nb; b++)
      if (t.rows[b])
        auk_mem_free(t.rows[b], sizeof(int64_t) * (size_t)(t.nrows[b] ? t.nrows[b] : 1));
  if (t.heaps) auk_mem_free(t.heaps, sizeof(pair) * (size_t)(threads * limit));
  if (t.heap_n) auk_mem_free(t.heap_n, sizeof(int64_t) * (size_t)threads);
  if (t.rows) auk_mem_free(t.rows, sizeof(int64_t *) * (size_t)(nb + 1));
  if (t.nrows) auk_mem_free(t.nrows, sizeof(int64_t) * (size_t)(nb + 1));
  if (t.cap_rows) auk_mem_free(t.cap_rows, sizeof(int64_t) * (size_t)(nb + 1));
  if (t.starts) auk_mem_free(t.starts, sizeof(int64_t) * (size_t)(nb + 1));
  if (t.st) auk_mem_free(t.st, sizeof(auk_status) * (size_t)(nb + 1));
  if (t.errs) auk_mem_free(t.errs, sizeof(auk_error) * (size_t)(nb + 1));
  return st;
}

/* ---------------------------------------------------------------- entry */

static auk_status sort_frame(const auk_frame *in, bexpr *const *keys, const int *desc,
                             const int *nulls_last, int nkeys, int64_t limit, auk_frame **out,
                             auk_error *err);

auk_status exec_sort(const auk_frame *in, bexpr *const *keys, const int *desc,
                     const int *nulls_last, int nkeys, int64_t limit, auk_frame **out,
                     auk_error *err) {
  *out = NULL;
  if (limit > 0 && limit <= TOPK_MAX && in->nrows > 4 * limit && in->nrows > 100000) {
    auk_frame *cand;
    /* one key whose normalized value is exact (not a string prefix) */
    int one_key = nkeys == 1 && keys[0]->type != AUK_TYPE_STRING;
    if (topk_frame(in, keys[0], desc[0], nulls_last[0], one_key, limit, &cand, err))
      return err->code;
    auk_status st = sort_frame(cand, keys, desc, nulls_last, nkeys, limit, out, err);
    auk_frame_free(cand);
    return st;
  }
  return sort_frame(in, keys, desc, nulls_last, nkeys, limit, out, err);
}

static auk_status sort_frame(const auk_frame *in, bexpr *const *keys, const int *desc,
                             const int *nulls_last, int nkeys, int64_t limit, auk_frame **out,
                             auk_error *err) {
  *out = NULL;
  int64_t n = in->nrows;
  auk_status st = AUK_OK;
  skey *sk = auk_mem_calloc(sizeof(skey) * (size_t)nkeys, err);
  auk_array **cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)nkeys, err);
  uint32_t **ranks = auk_mem_calloc(sizeof(uint32_t *) * (size_t)nkeys, err);
  int64_t *idx = auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err);
  if (!sk || !cols || !ranks || !idx) {
    st = err->code;
    goto done;
  }
  /* key columns, evaluated per batch and joined; strings ranked */
  for (int k = 0; k < nkeys && !st; k++) {
    st = exec_eval_joined(keys[k], in, &cols[k], err);
    if (!st && cols[k]->type == AUK_TYPE_STRING && n) st = string_ranks(cols[k], &ranks[k], err);
    if (st) break;
    sk[k].a = cols[k];
    sk[k].rank = ranks[k];
    sk[k].desc = desc[k];
    sk[k].nulls_last = nulls_last[k];
  }
  if (st) goto done;
  sorter s = {sk, nkeys};
  int64_t m = n;
  if (limit >= 0 && limit < n) {
    if (limit == 0)
      m = 0;
    else
      st = topk_candidates(&s, n, limit, idx, &m, err);
  } else {
    for (int64_t i = 0; i < n; i++) idx[i] = i;
  }
  if (!st) st = sort_level(&s, 0, idx, m, 1, err);
  if (st) goto done;
  if (limit >= 0 && m > limit) m = limit;
  st = gather_rows(in, idx, m, out, err);
done:
  if (cols)
    for (int k = 0; k < nkeys; k++) auk_array_release(cols[k]);
  if (ranks)
    for (int k = 0; k < nkeys; k++)
      if (ranks[k]) auk_mem_free(ranks[k], sizeof(uint32_t) * (size_t)(n ? n : 1));
  if (cols) auk_mem_free(cols, sizeof(auk_array *) * (size_t)nkeys);
  if (ranks) auk_mem_free(ranks, sizeof(uint32_t *) * (size_t)nkeys);
  if (sk) auk_mem_free(sk, sizeof(skey) * (size_t)nkeys);
  if (idx) auk_mem_free(idx, sizeof(int64_t) * (size_t)(n ? n : 1));
  return st;
}

auk_status exec_argsort_i64(const int64_t *keys, int64_t n, int64_t *perm, auk_error *err) {
  pair *a = auk_mem_alloc(sizeof(pair) * (size_t)(n ? n : 1) * 2, err);
  if (!a) return err->code;
  for (int64_t i = 0; i < n; i++) {
    a[i].k = (uint64_t)keys[i] ^ (UINT64_C(1) << 63);
    a[i].i = i;
  }
  lsd(a, a + n, n, varying_bits(a, n));
  for (int64_t i = 0; i < n; i++) perm[i] = a[i].i;
  auk_mem_free(a, sizeof(pair) * (size_t)(n ? n : 1) * 2);
  return AUK_OK;
}
