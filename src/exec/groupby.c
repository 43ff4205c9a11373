/* groupby.c - parallel hash aggregation.
 *
 * 1. Keys and the aggregates' arguments are evaluated batch by batch on all
 *    workers and kept as one array per batch (a column reference shares the
 *    input's buffers): no whole-column copy. A row is named by its position
 *    (batch << 32 | row), which orders rows as the input does.
 * 2. The batches are cut into chunks of about a million rows; a worker
 *    takes a chunk, hashes its keys and finds the group slots into
 *    per-worker scratch reused from chunk to chunk.
 * 3. Partial aggregation: chunks are spread over the workers; each
 *    worker owns one small open-addressing table per radix partition (top
 *    bits of the hash), so there is no lock on the hot path and tables stay
 *    cache-sized for few groups. A range is first mapped to group slots,
 *    then each aggregate runs one tight loop over the range (the type
 *    switch is outside the loop).
 * 4. Merge: partitions are merged on all workers, each partition folding
 *    the workers' tables for it into one (groups matched by hash, then key
 *    values), combining states (sums add, Welford/Chan for variance and
 *    co-moments, min/max, first/last by row number).
 * 5. Aggregates that need every value (median, quantile, n_unique,
 *    arg_min, arg_max) record (group, row) pairs per partition during the
 *    partial pass (median and quantile record the value instead of the
 *    row); after the merge each partition sorts its pairs by group
 *    and row and computes them, still one partition per worker.
 * 6. Groups always come out in first-seen order (maintain_order costs
 *    nothing extra), the same with any thread count: sorting the groups by
 *    their first row also makes the gathers of key values walk the input
 *    forward (10M groups: 4.3 s of random gathers became 0.7 s). Nulls form
 *    their own group. */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/pool.h"
#include "core/types.h"
#include "exec/take.h"
#include "expr/kernel.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { PBITS = 6, NP = 1 << PBITS, RANGES_PER_THREAD = 8 };

/* How a primitive keeps its state. */
typedef enum {
  K_SUM_I,  /* i64 sum (overflow flagged) */
  K_SUM_F,  /* f64 sum */
  K_MEAN,   /* f64 sum, count */
  K_MEAN_I, /* the same over i64 values (no f64 copy of the column) */
  K_MIN_I,  /* i64 best, seen */
  K_MAX_I,
  K_MIN_F, /* f64 best, seen */
  K_MAX_F,
  K_MIN_ROW, /* row of the best (strings, bools) */
  K_MAX_ROW,
  K_COUNT, /* non-null values */
  K_LEN,   /* rows */
  K_FIRST, /* row number */
  K_LAST,
  K_VAR,   /* n, mean, m2 */
  K_COV,   /* n, mean x, mean y, c, m2x, m2y */
  K_COV_I, /* the same over two i64 columns (no f64 copies of them) */
  K_ANY,
  K_ALL,
  K_HOLISTIC /* median, quantile, n_unique, arg_min, arg_max: rows recorded */
} kind;

static int words(kind k) {
  switch (k) {
    case K_MEAN:
    case K_MEAN_I:
    case K_MIN_I:
    case K_MAX_I:
    case K_MIN_F:
    case K_MAX_F: return 2;
    case K_VAR: return 3;
    case K_COV:
    case K_COV_I: return 6;
    case K_HOLISTIC: return 0;
    default: return 1;
  }
}

typedef struct prim {
  expr_fn fn;
  kind k;
  int w;                    /* state words */
  auk_array **x, **y;       /* arguments, one array per batch (y: corr/cov) */
  auk_type_id in, in2, out; /* argument (first, second) and result types */
  double param;
  auk_type_id cast; /* arguments cast to (AUK_TYPE_COUNT_: as they are) */
  int hol;          /* index among holistic prims, or -1 */
} prim;

/* One open-addressing table of groups. */
typedef struct table {
  int64_t n, cap;                 /* groups */
  int64_t slot_cap;               /* power of two */
  int32_t *slots;                 /* -1 empty, else group */
  uint64_t *hash;                 /* per group */
  int64_t *rep;                   /* a row holding the group's key values (the first) */
  uint64_t *kw;                   /* per group, per key: tag and two words of the value */
  uint64_t **state;               /* per prim: w words per group */
  int64_t *rec_n, *rec_cap;       /* holistic records per holistic prim */
  int64_t **rec;                  /* (group << 32 | ...) not used: pairs below */
  int64_t **rec_group, **rec_row; /* rec_row: a position, or f64 bits for median, quantile */
} table;

typedef struct agg {
  int64_t n; /* rows */
  int nkeys;
  int nkw; /* key words per group: 3 per key, or 0 (compare rows) */
  /* one integer key of a small range: groups found by direct index
   * (value - dmin; drange for null), no hashing or probing */
  int direct;
  int64_t dmin, drange;
  int32_t **dmaps; /* per worker, drange + 1 entries, -1 unset */
  const auk_frame *in;
  int64_t nb;       /* batches of the input */
  auk_array **keys; /* [k * nb + b]: key k over batch b */
  int nprims;
  prim *prims;
  int nhol;
  int threads;
  table *local;      /* [worker * NP + p] */
  table *global;     /* [p] */
  int64_t *gmap_cap; /* scratch per partition */
  atomic_int failed; /* 1 oom, 2 overflow */
  /* chunks of batches for the partial pass: [chunk[c], chunk[c + 1]) */
  int64_t nchunks, *chunk;
  /* per worker scratch for one chunk: row hashes, group slots */
  int64_t scratch_rows;
  uint64_t **wh;
  int32_t **wslot;
  /* per-partition results */
  auk_array ***res; /* [p][prim] */
  int64_t **res_rep, **res_first;
} agg;

/* Rows are named by position (exec_pos_*: batch and row). */
static int keys_equal(const agg *a, int64_t x, int64_t y) {
  int64_t bx = exec_pos_batch(x), by = exec_pos_batch(y), rx = exec_pos_row(x),
          ry = exec_pos_row(y);
  for (int k = 0; k < a->nkeys; k++)
    if (!exec_cells_equal(a->keys[k * a->nb + bx], rx, a->keys[k * a->nb + by], ry)) return 0;
  return 1;
}

/* ------------------------------------------------------------- tables */

static int table_init(table *t, const agg *a, int64_t cap) {
  memset(t, 0, sizeof *t);
  t->cap = cap;
  t->slot_cap = 16;
  while (t->slot_cap < 2 * cap) t->slot_cap *= 2;
  t->slots = auk_mem_alloc(sizeof(int32_t) * (size_t)t->slot_cap, NULL);
  t->hash = auk_mem_alloc(sizeof(uint64_t) * (size_t)cap, NULL);
  t->rep = auk_mem_alloc(sizeof(int64_t) * (size_t)cap, NULL);
  t->kw = a->nkw ? auk_mem_alloc(sizeof(uint64_t) * (size_t)(cap * a->nkw), NULL) : NULL;
  if (a->nkw && !t->kw) return 0;
  t->state = auk_mem_calloc(sizeof(uint64_t *) * (size_t)(a->nprims + 1), NULL);
  t->rec_n = auk_mem_calloc(sizeof(int64_t) * (size_t)(a->nhol + 1) * 2, NULL);
  t->rec_group = auk_mem_calloc(sizeof(int64_t *) * (size_t)(a->nhol + 1) * 2, NULL);
  if (!t->slots || !t->hash || !t->rep || !t->state || !t->rec_n || !t->rec_group) return 0;
  t->rec_cap = t->rec_n + a->nhol + 1;
  t->rec_row = t->rec_group + a->nhol + 1;
  memset(t->slots, 0xff, sizeof(int32_t) * (size_t)t->slot_cap);
  for (int i = 0; i < a->nprims; i++)
    if (a->prims[i].w &&
        !(t->state[i] = auk_mem_alloc(sizeof(uint64_t) * (size_t)(cap * a->prims[i].w), NULL)))
      return 0;
  return 1;
}

static void table_free(table *t, const agg *a) {
  if (t->slots) auk_mem_free(t->slots, sizeof(int32_t) * (size_t)t->slot_cap);
  if (t->hash) auk_mem_free(t->hash, sizeof(uint64_t) * (size_t)t->cap);
  if (t->rep) auk_mem_free(t->rep, sizeof(int64_t) * (size_t)t->cap);
  if (t->kw) auk_mem_free(t->kw, sizeof(uint64_t) * (size_t)(t->cap * a->nkw));
  if (t->state) {
    for (int i = 0; i < a->nprims; i++)
      if (t->state[i])
        auk_mem_free(t->state[i], sizeof(uint64_t) * (size_t)(t->cap * a->prims[i].w));
    auk_mem_free(t->state, sizeof(uint64_t *) * (size_t)(a->nprims + 1));
  }
  if (t->rec_group) {
    for (int i = 0; i < a->nhol; i++) {
      if (t->rec_group[i]) auk_mem_free(t->rec_group[i], sizeof(int64_t) * (size_t)t->rec_cap[i]);
      if (t->rec_row[i]) auk_mem_free(t->rec_row[i], sizeof(int64_t) * (size_t)t->rec_cap[i]);
    }
    auk_mem_free(t->rec_group, sizeof(int64_t *) * (size_t)(a->nhol + 1) * 2);
  }
  if (t->rec_n) auk_mem_free(t->rec_n, sizeof(int64_t) * (size_t)(a->nhol + 1) * 2);
  memset(t, 0, sizeof *t);
}

/* Initial state of group g for every prim. */
static void state_init(table *t, const agg *a, int64_t g) {
  for (int i = 0; i < a->nprims; i++) {
    const prim *p = &a->prims[i];
    uint64_t *s = t->state[i] + g * p->w;
    for (int k = 0; k < p->w; k++) s[k] = 0;
    switch (p->k) {
      case K_FIRST:
      case K_MIN_ROW:
      case K_MAX_ROW: s[0] = (uint64_t)-1; break;
      case K_ALL: s[0] = 1; break;
      default: break;
    }
  }
}

static int table_grow(table *t, const agg *a) {
  int64_t cap = t->cap * 2;
  uint64_t *hash = auk_mem_realloc(t->hash, sizeof(uint64_t) * (size_t)t->cap,
                                   sizeof(uint64_t) * (size_t)cap, NULL);
  if (!hash) return 0;
  t->hash = hash;
  int64_t *rep = auk_mem_realloc(t->rep, sizeof(int64_t) * (size_t)t->cap,
                                 sizeof(int64_t) * (size_t)cap, NULL);
  if (!rep) return 0;
  t->rep = rep;
  if (a->nkw) {
    size_t kwn = (size_t)a->nkw;
    uint64_t *kw = auk_mem_realloc(t->kw, sizeof(uint64_t) * kwn * (size_t)t->cap,
                                   sizeof(uint64_t) * kwn * (size_t)cap, NULL);
    if (!kw) return 0;
    t->kw = kw;
  }
  for (int i = 0; i < a->nprims; i++) {
    int w = a->prims[i].w;
    if (!w) continue;
    uint64_t *s = auk_mem_realloc(t->state[i], sizeof(uint64_t) * (size_t)(t->cap * w),
                                  sizeof(uint64_t) * (size_t)(cap * w), NULL);
    if (!s) return 0;
    t->state[i] = s;
  }
  t->cap = cap;
  if (2 * cap > t->slot_cap) {
    int64_t sc = t->slot_cap * 2;
    while (sc < 2 * cap) sc *= 2;
    int32_t *slots = auk_mem_alloc(sizeof(int32_t) * (size_t)sc, NULL);
    if (!slots) return 0;
    memset(slots, 0xff, sizeof(int32_t) * (size_t)sc);
    for (int64_t g = 0; g < t->n; g++) {
      uint64_t pos = (t->hash[g] >> 8) & (uint64_t)(sc - 1);
      while (slots[pos] >= 0) pos = (pos + 1) & (uint64_t)(sc - 1);
      slots[pos] = (int32_t)g;
    }
    auk_mem_free(t->slots, sizeof(int32_t) * (size_t)t->slot_cap);
    t->slots = slots;
    t->slot_cap = sc;
  }
  return 1;
}

/* Key words of rows [lo, lo + n) of batch b into out (n x nkeys x 3): per key a tag
 * (0 null; 1 | len << 8 a value held whole; 2 | len << 8 a string longer
 * than 16 bytes, prefix only) and two words of the value, with the type
 * switch outside the row loop. Floats are canonical (-0.0 is 0.0, one
 * NaN), so equal words mean equal keys except for long strings. */
static void key_words(const agg *a, int64_t b, int64_t lo, int64_t n, uint64_t *out) {
  int nk = a->nkeys;
  for (int k = 0; k < nk; k++) {
    const auk_array *c = a->keys[k * a->nb + b];
    const uint8_t *d = c->values ? c->values->data : NULL;
    int64_t off = c->offset;
    uint64_t *o = out + 3 * k;
    size_t stride = 3 * (size_t)nk;
    switch (c->type) {
      case AUK_TYPE_STRING: {
        /* two 8-byte loads masked to the length where 16 bytes can be
         * read (not a byte copy through the stack: its 8-byte reload
         * stalled on store forwarding, 45% of the probe loop) */
        const int64_t *of = auk_array_offsets(c);
        /* a load of 16 bytes at or below safe is in bounds; the masks keep
         * the first bytes only on little-endian machines */
        int64_t safe = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? c->values->size - 16 : -1;
        for (int64_t i = 0; i < n; i++, o += stride) {
          int64_t r = lo + i, st = of[r], len = of[r + 1] - st;
          uint64_t w0 = 0, w1 = 0;
          if (st <= safe) {
            memcpy(&w0, d + st, 8);
            memcpy(&w1, d + st + 8, 8);
            if (len < 8) {
              w0 = len ? w0 & (~UINT64_C(0) >> (64 - 8 * len)) : 0;
              w1 = 0;
            } else if (len < 16) {
              w1 = len > 8 ? w1 & (~UINT64_C(0) >> (64 - 8 * (len - 8))) : 0;
            }
          } else {
            uint64_t w[2] = {0, 0};
            memcpy(w, d + st, (size_t)(len < 16 ? len : 16));
            w0 = w[0];
            w1 = w[1];
          }
          o[0] = (uint64_t)(len > 16 ? 2 : 1) | (uint64_t)len << 8;
          o[1] = w0;
          o[2] = w1;
        }
        break;
      }
      case AUK_TYPE_FLOAT64:
      case AUK_TYPE_FLOAT32:
        for (int64_t i = 0; i < n; i++, o += stride) {
          double v = c->type == AUK_TYPE_FLOAT64 ? ((const double *)d)[off + lo + i]
                                                 : ((const float *)d)[off + lo + i];
          if (v != v) v = NAN;
          v += 0.0;
          memcpy(&o[1], &v, 8);
          o[0] = 1;
          o[2] = 0;
        }
        break;
      case AUK_TYPE_BOOL:
        for (int64_t i = 0; i < n; i++, o += stride) {
          o[0] = 1;
          o[1] = (uint64_t)auk_bit_get(d, off + lo + i);
          o[2] = 0;
        }
        break;
      case AUK_TYPE_NULL:
        for (int64_t i = 0; i < n; i++, o += stride) o[0] = o[1] = o[2] = 0;
        break;
      default: {
        int w = auk_type_width(c->type);
        for (int64_t i = 0; i < n; i++, o += stride) {
          const uint8_t *p = d + (off + lo + i) * w;
          int64_t v = w == 8   ? *(const int64_t *)p
                      : w == 4 ? *(const int32_t *)p
                      : w == 2 ? *(const int16_t *)p
                               : *(const int8_t *)p;
          o[0] = 1;
          o[1] = (uint64_t)v;
          o[2] = 0;
        }
        break;
      }
    }
    if (c->null_count) {
      o = out + 3 * k;
      for (int64_t i = 0; i < n; i++, o += stride)
        if (!auk_array_is_valid(c, lo + i)) o[0] = o[1] = o[2] = 0;
    }
  }
}

/* The group of row position r (hash h, key words kw) in t, added when new; -1 on
 * out of memory. */
static inline int64_t find_or_add(table *t, const agg *a, uint64_t h, int64_t r,
                                  const uint64_t *kw) {
  uint64_t mask = (uint64_t)(t->slot_cap - 1), pos = (h >> 8) & mask;
  int nw = a->nkw;
  for (;;) {
    int32_t g = t->slots[pos];
    if (g < 0) break;
    if (t->hash[g] == h && !nw) {
      if (keys_equal(a, t->rep[g], r)) return g;
    } else if (t->hash[g] == h) {
      const uint64_t *gk = t->kw + (int64_t)g * nw;
      int eq = 1, longs = 0;
      for (int k = 0; k < nw && eq; k += 3) {
        eq = gk[k] == kw[k] && gk[k + 1] == kw[k + 1] && gk[k + 2] == kw[k + 2];
        longs |= (int)(kw[k] & 2);
      }
      if (eq && (!longs || keys_equal(a, t->rep[g], r))) return g;
    }
    pos = (pos + 1) & mask;
  }
  if (t->n == t->cap) {
    if (!table_grow(t, a)) return -1;
    mask = (uint64_t)(t->slot_cap - 1);
    pos = (h >> 8) & mask;
    while (t->slots[pos] >= 0) pos = (pos + 1) & mask;
  }
  int64_t g = t->n++;
  t->slots[pos] = (int32_t)g;
  t->hash[g] = h;
  t->rep[g] = r;
  if (nw) memcpy(t->kw + g * nw, kw, sizeof(uint64_t) * (size_t)nw);
  state_init(t, a, g);
  return g;
}

/* Room for more records of holistic prim hol in t (out of line: rare). */
static __attribute__((noinline)) int record_grow(table *t, int hol) {
  int64_t old = t->rec_cap[hol], cap = old ? old * 2 : 1024;
  int64_t *gr = auk_mem_realloc(t->rec_group[hol], sizeof(int64_t) * (size_t)old,
                                sizeof(int64_t) * (size_t)cap, NULL);
  if (!gr) return 0;
  t->rec_group[hol] = gr;
  int64_t *rr = auk_mem_realloc(t->rec_row[hol], sizeof(int64_t) * (size_t)old,
                                sizeof(int64_t) * (size_t)cap, NULL);
  if (!rr) return 0;
  t->rec_row[hol] = rr;
  t->rec_cap[hol] = cap;
  return 1;
}

static inline int record(table *t, int hol, int64_t g, int64_t r) {
  if (__builtin_expect(t->rec_n[hol] == t->rec_cap[hol], 0) && !record_grow(t, hol)) return 0;
  t->rec_group[hol][t->rec_n[hol]] = g;
  t->rec_row[hol][t->rec_n[hol]++] = r;
  return 1;
}

/* ------------------------------------------------------ value access */

static inline int valid(const auk_array *x, int64_t r) {
  return auk_array_is_valid(x, r);
}
/* validity of the row at position r of a column split by batch */
static inline int valid_pos(auk_array *const *x, int64_t r) {
  return auk_array_is_valid(x[exec_pos_batch(r)], exec_pos_row(r));
}
static inline double getf(const auk_array *x, int64_t r) {
  return ((const double *)x->values->data)[x->offset + r];
}
static inline int64_t geti(const auk_array *x, int64_t r) {
  return ((const int64_t *)x->values->data)[x->offset + r];
}

/* Order of x[r] and y[s] (strings, bools). */
static int cmp_cells(const auk_array *x, int64_t r, const auk_array *y, int64_t s) {
  if (x->type == AUK_TYPE_STRING) {
    int64_t lr, ls;
    const char *pr = auk_array_str(x, r, &lr), *ps = auk_array_str(y, s, &ls);
    int64_t m = lr < ls ? lr : ls;
    int c = m ? memcmp(pr, ps, (size_t)m) : 0;
    return c ? c : (lr > ls) - (lr < ls);
  }
  int a = auk_bit_get(x->values->data, x->offset + r),
      b = auk_bit_get(y->values->data, y->offset + s);
  return a - b;
}

/* The same for two positions of a column split by batch. */
static int cmp_pos(auk_array *const *x, int64_t r, int64_t s) {
  return cmp_cells(x[exec_pos_batch(r)], exec_pos_row(r), x[exec_pos_batch(s)], exec_pos_row(s));
}

/* ------------------------------------------------------- partial pass */

/* Group slots of the n rows of batch b (hashes h) by hashing and probing. */
static void partial_slots(agg *a, table *tabs, int64_t b, const uint64_t *h, int32_t *slot,
                          int64_t n) {
  enum { BLK = 512, D1 = 16, D2 = 8 };
  uint64_t kwbuf[BLK * 3 * 8], *kwb = kwbuf;
  int nw = a->nkw;
  if (nw > 24 && !(kwb = malloc(sizeof(uint64_t) * BLK * (size_t)nw))) {
    atomic_store(&a->failed, 1);
    return;
  }
  for (int64_t lo = 0; lo < n; lo += BLK) {
    int64_t m = n - lo < BLK ? n - lo : BLK;
    if (nw) key_words(a, b, lo, m, kwb);
    for (int64_t i = 0; i < m; i++) {
      int64_t r = lo + i;
      /* with many groups every probe misses the cache: fetch the slot of
       * the row D1 ahead, and the group (hash, key words) of the row D2
       * ahead, whose slot should have arrived by now */
      if (r + D1 < n) {
        uint64_t hh = h[r + D1];
        const table *tp = &tabs[hh >> (64 - PBITS)];
        __builtin_prefetch(&tp->slots[(hh >> 8) & (uint64_t)(tp->slot_cap - 1)]);
      }
      if (r + D2 < n) {
        uint64_t hh = h[r + D2];
        const table *tp = &tabs[hh >> (64 - PBITS)];
        int32_t s = tp->slots[(hh >> 8) & (uint64_t)(tp->slot_cap - 1)];
        if (s >= 0) {
          __builtin_prefetch(&tp->hash[s]);
          if (nw) __builtin_prefetch(&tp->kw[(int64_t)s * nw]);
        }
      }
      int p = (int)(h[r] >> (64 - PBITS));
      int64_t g = find_or_add(&tabs[p], a, h[r], EXEC_POS(b, r), kwb + i * nw);
      if (g < 0) {
        atomic_store(&a->failed, 1);
        if (kwb != kwbuf) free(kwb);
        return;
      }
      slot[r] = (int32_t)g;
    }
  }
  if (kwb != kwbuf) free(kwb);
}

/* A new group for key value v (or null) in t, whose first row is r. */
static int64_t direct_add(table *t, const agg *a, int64_t v, int is_null, int64_t r) {
  if (t->n == t->cap && !table_grow(t, a)) return -1;
  int64_t g = t->n++;
  t->hash[g] = is_null ? AUK_HASH_NULL : auk_hash_mix((uint64_t)v);
  t->rep[g] = r;
  uint64_t *kw = t->kw + g * a->nkw;
  kw[0] = is_null ? 0 : 1;
  kw[1] = is_null ? 0 : (uint64_t)v;
  kw[2] = 0;
  state_init(t, a, g);
  /* keep the open-addressing slots right for the merge's lookups */
  uint64_t mask = (uint64_t)(t->slot_cap - 1), pos = (t->hash[g] >> 8) & mask;
  while (t->slots[pos] >= 0) pos = (pos + 1) & mask;
  t->slots[pos] = (int32_t)g;
  return g;
}

/* Group slots of batch b through the direct index. */
static void direct_slots(agg *a, table *tab, int32_t *dm, int64_t b, int32_t *slot, int64_t n) {
  const auk_array *k = a->keys[b];
  int wd = auk_type_width(k->type);
  const uint8_t *d = k->values->data + k->offset * wd;
  for (int64_t r = 0; r < n; r++) {
    int is_null = k->null_count && !auk_array_is_valid(k, r);
    int64_t v = is_null   ? 0
                : wd == 8 ? ((const int64_t *)d)[r]
                : wd == 4 ? ((const int32_t *)d)[r]
                : wd == 2 ? ((const int16_t *)d)[r]
                          : ((const int8_t *)d)[r];
    int64_t idx = is_null ? a->drange : v - a->dmin;
    int32_t g = dm[idx];
    if (g < 0) {
      int64_t ng = direct_add(tab, a, v, is_null, EXEC_POS(b, r));
      if (ng < 0) {
        atomic_store(&a->failed, 1);
        return;
      }
      g = dm[idx] = (int32_t)ng;
    }
    slot[r] = g;
  }
}

/* One aggregate's update over the n rows of batch b, whose hashes and
 * group slots are h and slot; 0 on out of memory. */
static int prim_update(agg *a, table *tabs, int i, int64_t b, const uint64_t *h,
                       const int32_t *slot, int64_t n) {
  const prim *p = &a->prims[i];
  const auk_array *x = p->x ? p->x[b] : NULL, *y = p->y ? p->y[b] : NULL;
  int nulls = x && x->null_count > 0;
#define PART(r) (a->nkeys && !a->direct ? (int)(h[r] >> (64 - PBITS)) : 0)
#define ST(i, r) (tabs[PART(r)].state[i] + (int64_t)slot[r] * p->w)
  switch (p->k) {
    case K_SUM_I: {
      int ov = 0;
      for (int64_t r = 0; r < n; r++) {
        if (nulls && !valid(x, r)) continue;
        int64_t *s = (int64_t *)ST(i, r);
        ov |= __builtin_add_overflow(*s, geti(x, r), s);
      }
      if (ov) atomic_store(&a->failed, 2);
      break;
    }
    case K_SUM_F:
      for (int64_t r = 0; r < n; r++)
        if (!nulls || valid(x, r)) *(double *)ST(i, r) += getf(x, r);
      break;
    case K_MEAN:
      for (int64_t r = 0; r < n; r++) {
        if (nulls && !valid(x, r)) continue;
        uint64_t *s = ST(i, r);
        *(double *)&s[0] += getf(x, r);
        s[1]++;
      }
      break;
    case K_MEAN_I:
      for (int64_t r = 0; r < n; r++) {
        if (nulls && !valid(x, r)) continue;
        uint64_t *s = ST(i, r);
        *(double *)&s[0] += (double)geti(x, r);
        s[1]++;
      }
      break;
    case K_MIN_I:
    case K_MAX_I: {
      int mx = p->k == K_MAX_I;
      for (int64_t r = 0; r < n; r++) {
        if (nulls && !valid(x, r)) continue;
        uint64_t *s = ST(i, r);
        int64_t v = geti(x, r);
        if (!s[1] || (mx ? v > (int64_t)s[0] : v < (int64_t)s[0])) s[0] = (uint64_t)v;
        s[1] = 1;
      }
      break;
    }
    case K_MIN_F:
    case K_MAX_F: {
      int mx = p->k == K_MAX_F;
      for (int64_t r = 0; r < n; r++) {
        if (nulls && !valid(x, r)) continue;
        uint64_t *s = ST(i, r);
        double v = getf(x, r), cur;
        memcpy(&cur, &s[0], 8);
        /* NaN is largest, as in sorting */
        int better = !s[1] || (mx ? (v > cur || (isnan(v) && !isnan(cur)))
                                  : (v < cur || (isnan(cur) && !isnan(v))));
        if (better) memcpy(&s[0], &v, 8);
        s[1] = 1;
      }
      break;
    }
    case K_MIN_ROW:
    case K_MAX_ROW: {
      int mx = p->k == K_MAX_ROW;
      for (int64_t r = 0; r < n; r++) {
        if (nulls && !valid(x, r)) continue;
        uint64_t *s = ST(i, r);
        int64_t cur = (int64_t)s[0];
        if (cur < 0) {
          s[0] = (uint64_t)EXEC_POS(b, r);
        } else {
          int c = cmp_cells(x, r, p->x[exec_pos_batch(cur)], exec_pos_row(cur));
          if (mx ? c > 0 : c < 0) s[0] = (uint64_t)EXEC_POS(b, r);
        }
      }
      break;
    }
    case K_COUNT:
      for (int64_t r = 0; r < n; r++) *ST(i, r) += !nulls || valid(x, r);
      break;
    case K_LEN:
      for (int64_t r = 0; r < n; r++) *ST(i, r) += 1;
      break;
    case K_FIRST:
      for (int64_t r = 0; r < n; r++) {
        uint64_t *s = ST(i, r);
        if ((int64_t)*s < 0) *s = (uint64_t)EXEC_POS(b, r);
      }
      break;
    case K_LAST:
      for (int64_t r = 0; r < n; r++) {
        uint64_t *s = ST(i, r);
        if (*s < (uint64_t)EXEC_POS(b, r)) *s = (uint64_t)EXEC_POS(b, r);
      }
      break;
    case K_VAR:
      for (int64_t r = 0; r < n; r++) {
        if (nulls && !valid(x, r)) continue;
        uint64_t *s = ST(i, r);
        double v = getf(x, r), n1 = (double)++s[0], m, m2;
        memcpy(&m, &s[1], 8);
        memcpy(&m2, &s[2], 8);
        double d = v - m;
        m += d / n1;
        m2 += d * (v - m);
        memcpy(&s[1], &m, 8);
        memcpy(&s[2], &m2, 8);
      }
      break;
    case K_COV: {
      int ynulls = y->null_count > 0;
      for (int64_t r = 0; r < n; r++) {
        if ((nulls && !valid(x, r)) || (ynulls && !valid(y, r))) continue;
        uint64_t *s = ST(i, r);
        double st[5], u = getf(x, r), v = getf(y, r), n1 = (double)++s[0];
        memcpy(st, &s[1], sizeof st);
        double dx = u - st[0];
        st[0] += dx / n1;
        double dy = v - st[1];
        st[1] += dy / n1;
        st[2] += dx * (v - st[1]);
        st[3] += dx * (u - st[0]);
        st[4] += dy * (v - st[1]);
        memcpy(&s[1], st, sizeof st);
      }
      break;
    }
    case K_COV_I: {
      int ynulls = y->null_count > 0;
      for (int64_t r = 0; r < n; r++) {
        if ((nulls && !valid(x, r)) || (ynulls && !valid(y, r))) continue;
        uint64_t *s = ST(i, r);
        double st[5], u = (double)geti(x, r), v = (double)geti(y, r), n1 = (double)++s[0];
        memcpy(st, &s[1], sizeof st);
        double dx = u - st[0];
        st[0] += dx / n1;
        double dy = v - st[1];
        st[1] += dy / n1;
        st[2] += dx * (v - st[1]);
        st[3] += dx * (u - st[0]);
        st[4] += dy * (v - st[1]);
        memcpy(&s[1], st, sizeof st);
      }
      break;
    }
    case K_ANY:
    case K_ALL: {
      int any = p->k == K_ANY;
      for (int64_t r = 0; r < n; r++) {
        if (nulls && !valid(x, r)) continue;
        int bit = auk_bit_get(x->values->data, x->offset + r);
        uint64_t *s = ST(i, r);
        if (any ? bit : !bit) *s = (uint64_t)any;
      }
      break;
    }
    case K_HOLISTIC:
      if (p->fn == FN_MEDIAN || p->fn == FN_QUANTILE) {
        /* the value itself (f64 bits), not its position: no random
         * gather of values when the groups are computed */
        for (int64_t r = 0; r < n; r++) {
          if (nulls && !valid(x, r)) continue;
          int64_t bits;
          memcpy(&bits, (const double *)x->values->data + x->offset + r, 8);
          if (!record(&tabs[PART(r)], p->hol, slot[r], bits)) return 0;
        }
        break;
      }
      for (int64_t r = 0; r < n; r++) {
        if (x && nulls && !valid(x, r) && p->fn != FN_N_UNIQUE) continue;
        if (!record(&tabs[PART(r)], p->hol, slot[r], EXEC_POS(b, r))) return 0;
      }
      break;
  }
#undef ST
#undef PART
  return 1;
}

/* Folds the batches [b0, b1) into worker w's tables: row hashes and group
 * slots of every batch into the worker's scratch, then one pass per
 * aggregate over them. A chunk of about a million rows, not one batch,
 * lets an aggregate's states stay in cache across its pass when the
 * groups are many (100K groups: 1.5x faster than batch by batch). Rows
 * are recorded by position (batch, row), which orders them as the input
 * does. */
static void partial_chunk(agg *a, int w, int64_t b0, int64_t b1) {
  table *tabs = a->local + (int64_t)w * NP;
  int64_t off = 0;
  for (int64_t b = b0; b < b1; b++) {
    uint64_t *h = a->wh[w] + off;
    int32_t *slot = a->wslot[w] + off;
    int64_t n = a->in->batches[b]->nrows;
    off += n;
    if (a->direct) {
      direct_slots(a, &tabs[0], a->dmaps[w], b, slot, n);
    } else if (a->nkeys) {
      for (int k = 0; k < a->nkeys; k++) auk_hash_column(a->keys[k * a->nb + b], h, k > 0);
      partial_slots(a, tabs, b, h, slot, n);
    } else {
      memset(slot, 0, sizeof(int32_t) * (size_t)n);
      uint64_t none = 0;
      if (tabs[0].n == 0 && find_or_add(&tabs[0], a, 0, EXEC_POS(b, 0), &none) < 0)
        atomic_store(&a->failed, 1);
    }
    if (atomic_load_explicit(&a->failed, memory_order_relaxed)) return;
  }
  for (int i = 0; i < a->nprims; i++) {
    off = 0;
    for (int64_t b = b0; b < b1; b++) {
      int64_t n = a->in->batches[b]->nrows;
      if (!prim_update(a, tabs, i, b, a->wh[w] + off, a->wslot[w] + off, n)) {
        atomic_store(&a->failed, 1);
        return;
      }
      off += n;
    }
  }
}

static void partial_task(void *ctx, int64_t c, int worker) {
  agg *a = ctx;
  if (atomic_load_explicit(&a->failed, memory_order_relaxed)) return;
  partial_chunk(a, worker, a->chunk[c], a->chunk[c + 1]);
}

/* ------------------------------------------------------------- merge */

static void merge_state(const prim *p, const agg *a, uint64_t *d, const uint64_t *s) {
  (void)a;
  switch (p->k) {
    case K_SUM_I: {
      int64_t v;
      if (__builtin_add_overflow((int64_t)d[0], (int64_t)s[0], &v)) {
        atomic_store((atomic_int *)&a->failed, 2);
      }
      d[0] = (uint64_t)v;
      break;
    }
    case K_SUM_F: {
      double x, y;
      memcpy(&x, d, 8);
      memcpy(&y, s, 8);
      x += y;
      memcpy(d, &x, 8);
      break;
    }
    case K_MEAN:
    case K_MEAN_I: {
      double x, y;
      memcpy(&x, d, 8);
      memcpy(&y, s, 8);
      x += y;
      memcpy(d, &x, 8);
      d[1] += s[1];
      break;
    }
    case K_MIN_I:
    case K_MAX_I:
      if (s[1] && (!d[1] || (p->k == K_MAX_I ? (int64_t)s[0] > (int64_t)d[0]
                                             : (int64_t)s[0] < (int64_t)d[0])))
        d[0] = s[0];
      d[1] |= s[1];
      break;
    case K_MIN_F:
    case K_MAX_F: {
      double u, v;
      memcpy(&u, d, 8);
      memcpy(&v, s, 8);
      int mx = p->k == K_MAX_F;
      if (s[1] &&
          (!d[1] || (mx ? (v > u || (isnan(v) && !isnan(u))) : (v < u || (isnan(u) && !isnan(v))))))
        d[0] = s[0];
      d[1] |= s[1];
      break;
    }
    case K_MIN_ROW:
    case K_MAX_ROW:
      if ((int64_t)s[0] >= 0) {
        if ((int64_t)d[0] < 0) {
          d[0] = s[0];
        } else {
          int c = cmp_pos(p->x, (int64_t)s[0], (int64_t)d[0]);
          /* ties keep the earlier row */
          if (p->k == K_MAX_ROW ? (c > 0 || (c == 0 && s[0] < d[0]))
                                : (c < 0 || (c == 0 && s[0] < d[0])))
            d[0] = s[0];
        }
      }
      break;
    case K_COUNT:
    case K_LEN: d[0] += s[0]; break;
    case K_FIRST:
      if ((int64_t)s[0] >= 0 && ((int64_t)d[0] < 0 || s[0] < d[0])) d[0] = s[0];
      break;
    case K_LAST:
      if (s[0] > d[0]) d[0] = s[0];
      break;
    case K_VAR: {
      double n1 = (double)d[0], n2 = (double)s[0];
      if (!s[0]) break;
      if (!d[0]) {
        memcpy(d, s, 24);
        break;
      }
      double m1, m2, q1, q2;
      memcpy(&m1, &d[1], 8);
      memcpy(&q1, &d[2], 8);
      memcpy(&m2, &s[1], 8);
      memcpy(&q2, &s[2], 8);
      double n = n1 + n2, delta = m2 - m1;
      double m = m1 + delta * n2 / n, q = q1 + q2 + delta * delta * n1 * n2 / n;
      d[0] += s[0];
      memcpy(&d[1], &m, 8);
      memcpy(&d[2], &q, 8);
      break;
    }
    case K_COV:
    case K_COV_I: {
      if (!s[0]) break;
      if (!d[0]) {
        memcpy(d, s, 48);
        break;
      }
      double n1 = (double)d[0], n2 = (double)s[0], a1[5], a2[5];
      memcpy(a1, &d[1], sizeof a1);
      memcpy(a2, &s[1], sizeof a2);
      double n = n1 + n2, dx = a2[0] - a1[0], dy = a2[1] - a1[1], f = n1 * n2 / n;
      double r[5] = {a1[0] + dx * n2 / n, a1[1] + dy * n2 / n, a1[2] + a2[2] + dx * dy * f,
                     a1[3] + a2[3] + dx * dx * f, a1[4] + a2[4] + dy * dy * f};
      d[0] += s[0];
      memcpy(&d[1], r, sizeof r);
      break;
    }
    case K_ANY: d[0] |= s[0]; break;
    case K_ALL: d[0] &= s[0]; break;
    case K_HOLISTIC: break;
  }
}

typedef struct rec {
  int64_t g, r;
} rec;

static int rec_cmp(const void *x, const void *y) {
  const rec *a = x, *b = y;
  if (a->g != b->g) return a->g < b->g ? -1 : 1;
  return (a->r > b->r) - (a->r < b->r);
}

/* The value at position r of a numeric column split by batch. */
static double value_f(auk_array *const *xs, int64_t r) {
  const auk_array *x = xs[exec_pos_batch(r)];
  r = exec_pos_row(r);
  switch (x->type) {
    case AUK_TYPE_FLOAT64: return getf(x, r);
    default: return (double)geti(x, r);
  }
}

typedef struct uh {
  uint64_t h;
  int64_t r;
} uh;

static int uh_cmp(const void *x, const void *y) {
  const uh *a = x, *b = y;
  return (a->h > b->h) - (a->h < b->h);
}

/* Computes a holistic prim for the groups of partition tg (records merged
 * into recs, sorted by group then row) into out (one value per group). */
/* recs grouped by g with a counting sort (O(n), the order within a group
 * kept); arg_min/arg_max then sort each group's rows, which are few. */
static int group_recs(const prim *p, rec *recs, int64_t nrec, int64_t ngroups) {
  int64_t *start = calloc((size_t)(ngroups + 1), sizeof(int64_t));
  rec *tmp = malloc(sizeof(rec) * (size_t)(nrec + 1));
  if (!start || !tmp) {
    free(start);
    free(tmp);
    return 0;
  }
  for (int64_t i = 0; i < nrec; i++) start[recs[i].g + 1]++;
  for (int64_t g = 0; g < ngroups; g++) start[g + 1] += start[g];
  for (int64_t i = 0; i < nrec; i++) tmp[start[recs[i].g]++] = recs[i];
  memcpy(recs, tmp, sizeof(rec) * (size_t)nrec);
  free(tmp);
  if (p->fn == FN_ARG_MIN || p->fn == FN_ARG_MAX)
    for (int64_t i = 0; i < nrec;) {
      int64_t j = i;
      while (j < nrec && recs[j].g == recs[i].g) j++;
      qsort(recs + i, (size_t)(j - i), sizeof(rec), rec_cmp);
      i = j;
    }
  free(start);
  return 1;
}

/* The k-th smallest of v[0..n) (total order, NaN last), v reordered. */
/* Quantile q with linear interpolation, by selection over order-keeping
 * unsigned keys (no full sort); v is used as scratch. */
static double quantile_select(double *v, int64_t n, double q) {
  uint64_t *u = (uint64_t *)v;
  for (int64_t i = 0; i < n; i++) u[i] = exec_f64_key(v[i]);
  double pos = q * (double)(n - 1);
  int64_t lo = (int64_t)floor(pos);
  uint64_t a = exec_select_kth(u, n, lo);
  if (lo + 1 >= n || pos == (double)lo) return exec_key_f64(a);
  /* the next value is the smallest of the part after lo */
  uint64_t b = u[lo + 1];
  for (int64_t i = lo + 2; i < n; i++)
    if (u[i] < b) b = u[i];
  double x = exec_key_f64(a), y = exec_key_f64(b);
  return x + (y - x) * (pos - (double)lo);
}

static auk_status holistic(const prim *p, rec *recs, int64_t nrec, int64_t ngroups, auk_array **out,
                           auk_error *err) {
  if (!group_recs(p, recs, nrec, ngroups))
    return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
  int is_int = p->out == AUK_TYPE_INT64;
  auk_array *o = auk_array_new_fixed(p->out, ngroups, err);
  if (!o) return err->code;
  if (auk_array_add_validity(o, err)) {
    auk_array_release(o);
    return err->code;
  }
  memset(o->validity->data, 0, (size_t)auk_bitmap_bytes(ngroups));
  double *buf = NULL;
  uh *hb = NULL;
  int64_t cap = 0;
  auk_array *const *x = p->x;
  for (int64_t i = 0; i < nrec;) {
    int64_t j = i;
    while (j < nrec && recs[j].g == recs[i].g) j++;
    int64_t g = recs[i].g, m = j - i;
    if (m > cap) {
      cap = m * 2;
      free(buf);
      free(hb);
      buf = malloc(sizeof(double) * (size_t)cap);
      hb = malloc(sizeof(uh) * (size_t)cap);
      if (!buf || !hb) {
        free(buf);
        free(hb);
        auk_array_release(o);
        return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
      }
    }
    int ok = 1;
    if (p->fn == FN_MEDIAN || p->fn == FN_QUANTILE) {
      for (int64_t k = 0; k < m; k++) memcpy(&buf[k], &recs[i + k].r, 8); /* f64 bits */
      ((double *)auk_array_data(o))[g] =
          quantile_select(buf, m, p->fn == FN_MEDIAN ? 0.5 : p->param);
    } else if (p->fn == FN_N_UNIQUE) {
      for (int64_t k = 0; k < m; k++) {
        int64_t r = recs[i + k].r;
        uint64_t hv = 0;
        auk_array *one = auk_array_slice(x[exec_pos_batch(r)], exec_pos_row(r), 1, NULL);
        if (one) {
          auk_hash_column(one, &hv, 0);
          auk_array_release(one);
        }
        hb[k].h = hv;
        hb[k].r = r;
      }
      qsort(hb, (size_t)m, sizeof(uh), uh_cmp);
      int64_t distinct = 0;
      for (int64_t k = 0; k < m; k++) {
        int dup = 0;
        for (int64_t q = k - 1; q >= 0 && hb[q].h == hb[k].h && !dup; q--) {
          const auk_array *xq = x[exec_pos_batch(hb[q].r)], *xk = x[exec_pos_batch(hb[k].r)];
          dup = exec_cells_equal(xq, exec_pos_row(hb[q].r), xk, exec_pos_row(hb[k].r));
        }
        distinct += !dup;
      }
      ((int64_t *)auk_array_data(o))[g] = distinct;
    } else { /* arg_min, arg_max: position within the group */
      int64_t best = -1;
      for (int64_t k = 0; k < m; k++) {
        int64_t r = recs[i + k].r;
        if (!valid_pos(x, r)) continue;
        if (best < 0) {
          best = k;
          continue;
        }
        int64_t b = recs[i + best].r;
        int c;
        if (x[0]->type == AUK_TYPE_STRING || x[0]->type == AUK_TYPE_BOOL)
          c = cmp_pos(x, r, b);
        else {
          double u = value_f(x, r), v = value_f(x, b);
          c = (u > v) - (u < v);
        }
        if (p->fn == FN_ARG_MAX ? c > 0 : c < 0) best = k;
      }
      ok = best >= 0;
      if (ok) ((int64_t *)auk_array_data(o))[g] = best;
    }
    (void)is_int;
    if (ok) auk_bit_set(o->validity->data, g);
    i = j;
  }
  free(buf);
  free(hb);
  o->null_count = ngroups - auk_bitmap_count(o->validity->data, 0, ngroups);
  *out = o;
  return AUK_OK;
}

/* An i64 or f64 array of n values with a bitmap from ok (NULL: all). */
static auk_array *num_array(auk_type_id t, int64_t n, auk_error *err) {
  return auk_array_new_fixed(t, n, err);
}

static auk_status set_nulls(auk_array *o, const uint8_t *ok, int64_t n, auk_error *err) {
  int64_t bad = 0;
  for (int64_t g = 0; g < n; g++) bad += !ok[g];
  if (!bad) return AUK_OK;
  if (auk_array_add_validity(o, err)) return err->code;
  for (int64_t g = 0; g < n; g++)
    if (!ok[g]) auk_bit_clear(o->validity->data, g);
  o->null_count = bad;
  return AUK_OK;
}

/* Result column of decomposable prim i for the groups of table t. */
static auk_status finish_prim(const agg *a, int i, const table *t, auk_array **out,
                              auk_error *err) {
  const prim *p = &a->prims[i];
  int64_t n = t->n;
  const uint64_t *s = t->state[i];
  auk_status st = AUK_OK;
  uint8_t *ok = auk_mem_alloc((size_t)(n ? n : 1), err);
  int64_t *rows = ok ? auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err) : NULL;
  auk_array *o = NULL;
  if (!rows) {
    st = err->code;
    goto done;
  }
  memset(ok, 1, (size_t)(n ? n : 1));
  int w = p->w;
  switch (p->k) {
    case K_FIRST:
    case K_LAST:
    case K_MIN_ROW:
    case K_MAX_ROW:
      for (int64_t g = 0; g < n; g++) rows[g] = (int64_t)s[g * w];
      st = take_pos(p->x, rows, n, p->out, &o, err);
      break;
    case K_SUM_I:
    case K_COUNT:
    case K_LEN:
      if (!(o = num_array(AUK_TYPE_INT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) ((int64_t *)auk_array_data(o))[g] = (int64_t)s[g * w];
      break;
    case K_MIN_I:
    case K_MAX_I:
    case K_MIN_F:
    case K_MAX_F: {
      int is_f = p->k == K_MIN_F || p->k == K_MAX_F;
      if (!(o = num_array(is_f ? AUK_TYPE_FLOAT64 : AUK_TYPE_INT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) {
        ((uint64_t *)auk_array_data(o))[g] = s[g * w];
        ok[g] = s[g * w + 1] != 0;
      }
      st = set_nulls(o, ok, n, err);
      if (!st && o->type != p->out) {
        auk_array *c;
        st = k_cast_array(NULL, o, p->out, 1, &c, err);
        auk_array_release(o);
        o = st ? NULL : c;
      }
      break;
    }
    case K_SUM_F:
      if (!(o = num_array(AUK_TYPE_FLOAT64, n, err))) break;
      memcpy(auk_array_data(o), s, sizeof(double) * (size_t)n);
      break;
    case K_MEAN:
    case K_MEAN_I:
      if (!(o = num_array(AUK_TYPE_FLOAT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) {
        double sum;
        memcpy(&sum, &s[g * 2], 8);
        ok[g] = s[g * 2 + 1] > 0;
        ((double *)auk_array_data(o))[g] = ok[g] ? sum / (double)s[g * 2 + 1] : 0;
      }
      st = set_nulls(o, ok, n, err);
      break;
    case K_VAR:
      if (!(o = num_array(AUK_TYPE_FLOAT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) {
        double m2, cnt = (double)s[g * 3];
        memcpy(&m2, &s[g * 3 + 2], 8);
        ok[g] = cnt - p->param > 0;
        double v = ok[g] ? m2 / (cnt - p->param) : 0;
        if (v < 0) v = 0;
        ((double *)auk_array_data(o))[g] = p->fn == FN_STD ? sqrt(v) : v;
      }
      st = set_nulls(o, ok, n, err);
      break;
    case K_COV:
    case K_COV_I:
      if (!(o = num_array(AUK_TYPE_FLOAT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) {
        double c[5], cnt = (double)s[g * 6];
        memcpy(c, &s[g * 6 + 1], sizeof c);
        if (p->fn == FN_COV) {
          ok[g] = cnt > 1;
          ((double *)auk_array_data(o))[g] = ok[g] ? c[2] / (cnt - 1) : 0;
        } else {
          ok[g] = cnt > 0;
          ((double *)auk_array_data(o))[g] = c[2] / sqrt(c[3] * c[4]);
        }
      }
      st = set_nulls(o, ok, n, err);
      break;
    case K_ANY:
    case K_ALL:
      if (!(o = num_array(AUK_TYPE_BOOL, n, err))) break;
      memset(auk_array_data(o), 0, (size_t)auk_bitmap_bytes(n));
      for (int64_t g = 0; g < n; g++)
        if (s[g]) auk_bit_set(auk_array_data(o), g);
      break;
    case K_HOLISTIC: break;
  }
  if (!st && !o) st = err->code;
done:
  if (ok) auk_mem_free(ok, (size_t)(n ? n : 1));
  if (rows) auk_mem_free(rows, sizeof(int64_t) * (size_t)(n ? n : 1));
  if (st) {
    auk_array_release(o);
    return st;
  }
  *out = o;
  return AUK_OK;
}

typedef struct merge_ctx {
  agg *a;
  auk_status *st;
  auk_error *errs;
} merge_ctx;

static void merge_task(void *ctx, int64_t p, int worker) {
  (void)worker;
  merge_ctx *m = ctx;
  agg *a = m->a;
  auk_error *err = &m->errs[p];
  table *G = &a->global[p];
  int64_t total = 0;
  for (int w = 0; w < a->threads; w++) total += a->local[(int64_t)w * NP + p].n;
  /* worker 0's table becomes the partition's, grown once to hold every
   * group: its groups are neither copied nor looked up again */
  *G = a->local[p];
  memset(&a->local[p], 0, sizeof(table));
  int64_t *map = NULL, map_cap = 0;
  rec **recs = calloc((size_t)(a->nhol + 1), sizeof(rec *));
  int64_t *nrec = calloc((size_t)(a->nhol + 1), sizeof(int64_t));
  if (!recs || !nrec) goto oom;
  while (G->cap < total)
    if (!table_grow(G, a)) goto oom;
  for (int h = 0; h < a->nhol; h++) {
    int64_t cnt = 0;
    for (int w = 0; w < a->threads; w++)
      cnt += (w ? a->local[(int64_t)w * NP + p].rec_n : G->rec_n)[h];
    if (!(recs[h] = malloc(sizeof(rec) * (size_t)(cnt + 1)))) goto oom;
  }
  for (int h = 0; h < a->nhol; h++) /* worker 0's records keep their groups */
    for (int64_t k = 0; k < G->rec_n[h]; k++) {
      recs[h][nrec[h]].g = G->rec_group[h][k];
      recs[h][nrec[h]++].r = G->rec_row[h][k];
    }
  for (int w = 1; w < a->threads; w++) {
    table *L = &a->local[(int64_t)w * NP + p];
    if (L->n > map_cap) {
      free(map);
      map_cap = L->n;
      if (!(map = malloc(sizeof(int64_t) * (size_t)map_cap))) goto oom;
    }
    for (int64_t g = 0; g < L->n; g++) {
      uint64_t gmask = (uint64_t)(G->slot_cap - 1);
      if (g + 16 < L->n) __builtin_prefetch(&G->slots[(L->hash[g + 16] >> 8) & gmask]);
      if (g + 8 < L->n) {
        int32_t s = G->slots[(L->hash[g + 8] >> 8) & gmask];
        if (s >= 0) __builtin_prefetch(&G->hash[s]);
      }
      int64_t gg = find_or_add(G, a, L->hash[g], L->rep[g], a->nkw ? L->kw + g * a->nkw : NULL);
      if (gg < 0) goto oom;
      if (L->rep[g] < G->rep[gg]) G->rep[gg] = L->rep[g];
      map[g] = gg;
      for (int i = 0; i < a->nprims; i++) {
        const prim *pr = &a->prims[i];
        if (pr->w) merge_state(pr, a, G->state[i] + gg * pr->w, L->state[i] + g * pr->w);
      }
    }
    for (int h = 0; h < a->nhol; h++)
      for (int64_t k = 0; k < L->rec_n[h]; k++) {
        recs[h][nrec[h]].g = map[L->rec_group[h][k]];
        recs[h][nrec[h]++].r = L->rec_row[h][k];
      }
  }
  /* a global aggregate has one group even over no rows */
  if (a->nkeys == 0 && p == 0 && G->n == 0) {
    G->n = 1;
    G->rep[0] = -1;
    state_init(G, a, 0);
  }
  a->res[p] = calloc((size_t)(a->nprims + 1), sizeof(auk_array *));
  if (!a->res[p]) goto oom;
  for (int i = 0; i < a->nprims && !m->st[p]; i++) {
    const prim *pr = &a->prims[i];
    if (pr->k == K_HOLISTIC)
      m->st[p] = holistic(pr, recs[pr->hol], nrec[pr->hol], G->n, &a->res[p][i], err);
    else
      m->st[p] = finish_prim(a, i, G, &a->res[p][i], err);
  }
  goto done;
oom:
  m->st[p] = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
done:
  free(map);
  if (recs)
    for (int h = 0; h < a->nhol; h++) free(recs[h]);
  free(recs);
  free(nrec);
}

/* ------------------------------------------------------------- entry */

/* Keys and arguments are evaluated batch by batch on all workers and kept
 * as one array per batch (a column reference shares the input's buffers),
 * never joined into whole columns. */
typedef struct eval_job {
  const auk_frame *in;
  int nexpr;
  bexpr **ex;        /* bound expressions */
  auk_type_id *cast; /* AUK_TYPE_COUNT_: as it is */
  auk_array ***dst;  /* per expression, its per-batch arrays */
  auk_status *st;    /* per batch */
  auk_error *errs;
} eval_job;

static void eval_task(void *ctx, int64_t b, int worker) {
  (void)worker;
  eval_job *j = ctx;
  for (int e = 0; e < j->nexpr && !j->st[b]; e++) {
    auk_array *v;
    if ((j->st[b] = bexpr_eval(j->ex[e], j->in->batches[b], &v, &j->errs[b]))) break;
    if (j->cast[e] != AUK_TYPE_COUNT_ && v->type != j->cast[e]) {
      auk_array *c;
      j->st[b] = k_cast_array(NULL, v, j->cast[e], 1, &c, &j->errs[b]);
      auk_array_release(v);
      if (j->st[b]) break;
      v = c;
    }
    j->dst[e][b] = v;
  }
}

/* Binds every key and argument, then evaluates them over all batches. */
static auk_status eval_inputs(agg *a, const plan_node *n, const agg_split *sp, const auk_frame *in,
                              auk_error *err) {
  int cap = a->nkeys + 2 * a->nprims + 1, ne = 0;
  bexpr **ex = calloc((size_t)cap, sizeof(bexpr *));
  auk_type_id *cast = calloc((size_t)cap, sizeof(auk_type_id));
  auk_array ***dst = calloc((size_t)cap, sizeof(auk_array **));
  auk_status *sts = calloc((size_t)(a->nb + 1), sizeof(auk_status));
  auk_error *errs = malloc(sizeof(auk_error) * (size_t)(a->nb + 1));
  auk_status st = AUK_OK;
  if (!ex || !cast || !dst || !sts || !errs) {
    st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
    goto done;
  }
  for (int k = 0; k < a->nkeys && !st; k++) {
    cast[ne] = AUK_TYPE_COUNT_;
    dst[ne] = a->keys + (int64_t)k * a->nb;
    st = expr_bind(n->exprs[k], in->schema, &ex[ne++], NULL, err);
  }
  for (int i = 0; i < a->nprims && !st; i++) {
    prim *p = &a->prims[i];
    for (int j = 0; j < sp->prims[i].nargs && j < 2 && !st; j++) {
      auk_array **arr = auk_mem_calloc(sizeof(auk_array *) * (size_t)(a->nb + 1), err);
      if (!arr) {
        st = err->code;
        break;
      }
      if (j)
        p->y = arr;
      else
        p->x = arr;
      cast[ne] = p->cast;
      dst[ne] = arr;
      st = expr_bind(sp->prims[i].args[j], in->schema, &ex[ne++], NULL, err);
    }
  }
  if (!st) {
    eval_job j = {in, ne, ex, cast, dst, sts, errs};
    auk_pool_run(a->nb, eval_task, &j);
    for (int64_t b = 0; b < a->nb && !st; b++)
      if (sts[b]) { /* the first failing batch, in order */
        *err = errs[b];
        st = sts[b];
      }
  }
done:
  for (int e = 0; ex && e < ne; e++) bexpr_free(ex[e]);
  free(ex);
  free(cast);
  free(dst);
  free(sts);
  free(errs);
  return st;
}

/* The kind a primitive computes with, and the type its argument is cast
 * to (AUK_TYPE_COUNT_: as it is). */
static kind choose(prim *p, auk_type_id *cast) {
  auk_type_id t = p->in;
  int is_int = auk_type_is_integer(t) || t == AUK_TYPE_BOOL || t == AUK_TYPE_NULL;
  *cast = AUK_TYPE_COUNT_;
  switch (p->fn) {
    case FN_SUM:
      *cast = is_int ? AUK_TYPE_INT64 : AUK_TYPE_FLOAT64;
      return is_int ? K_SUM_I : K_SUM_F;
    case FN_MEAN:
      *cast = is_int ? AUK_TYPE_INT64 : AUK_TYPE_FLOAT64;
      return is_int ? K_MEAN_I : K_MEAN;
    case FN_MIN:
    case FN_MAX: {
      int mx = p->fn == FN_MAX;
      if (t == AUK_TYPE_STRING || t == AUK_TYPE_BOOL) return mx ? K_MAX_ROW : K_MIN_ROW;
      if (auk_type_is_float(t)) {
        *cast = AUK_TYPE_FLOAT64;
        return mx ? K_MAX_F : K_MIN_F;
      }
      *cast = AUK_TYPE_INT64;
      return mx ? K_MAX_I : K_MIN_I;
    }
    case FN_COUNT: return K_COUNT;
    case FN_LEN: return K_LEN;
    case FN_FIRST: return K_FIRST;
    case FN_LAST: return K_LAST;
    case FN_STD:
    case FN_VAR: *cast = AUK_TYPE_FLOAT64; return K_VAR;
    case FN_CORR:
    case FN_COV: {
      /* two integer columns are read as they are (no f64 copies) */
      int y_int =
          (auk_type_is_integer(p->in2) && p->in2 != AUK_TYPE_UINT64) || p->in2 == AUK_TYPE_BOOL;
      int x_int = (auk_type_is_integer(t) && t != AUK_TYPE_UINT64) || t == AUK_TYPE_BOOL;
      *cast = x_int && y_int ? AUK_TYPE_INT64 : AUK_TYPE_FLOAT64;
      return x_int && y_int ? K_COV_I : K_COV;
    }
    case FN_ANY: return K_ANY;
    case FN_ALL: return K_ALL;
    case FN_MEDIAN:
    case FN_QUANTILE: *cast = AUK_TYPE_FLOAT64; return K_HOLISTIC;
    default: return K_HOLISTIC; /* n_unique, arg_min, arg_max */
  }
}

/* perm = the groups ordered by their first row (rep, positions). With
 * many groups, marking each group at its row and reading the marks in row
 * order beats sorting (10M groups: about 0.3 s of argsort). */
static auk_status first_seen_order(const agg *a, const int64_t *rep, int64_t ng, int64_t *perm,
                                   auk_error *err) {
  if (ng * 16 < a->n || a->n > INT32_MAX) return exec_argsort_i64(rep, ng, perm, err);
  int64_t *start = auk_mem_alloc(sizeof(int64_t) * (size_t)(a->nb + 1), err);
  int32_t *at = start ? auk_mem_alloc(sizeof(int32_t) * (size_t)(a->n + 1), err) : NULL;
  if (!at) {
    if (start) auk_mem_free(start, sizeof(int64_t) * (size_t)(a->nb + 1));
    return err->code;
  }
  start[0] = 0;
  for (int64_t b = 0; b < a->nb; b++) start[b + 1] = start[b] + a->in->batches[b]->nrows;
  memset(at, 0xff, sizeof(int32_t) * (size_t)(a->n + 1));
  for (int64_t g = 0; g < ng; g++)
    at[start[exec_pos_batch(rep[g])] + exec_pos_row(rep[g])] = (int32_t)g;
  int64_t k = 0;
  for (int64_t r = 0; r < a->n; r++)
    if (at[r] >= 0) perm[k++] = at[r];
  auk_mem_free(at, sizeof(int32_t) * (size_t)(a->n + 1));
  auk_mem_free(start, sizeof(int64_t) * (size_t)(a->nb + 1));
  return AUK_OK;
}

/* The output columns, one pool task each: key values gathered at the
 * groups' first rows, aggregates joined over the partitions and put in
 * first-seen order. */
typedef struct out_job {
  agg *a;
  const auk_schema *inner;
  const int64_t *rep, *perm;
  int64_t ng;
  auk_array **cols;
  auk_status *st;
  auk_error *errs;
} out_job;

static void out_task(void *ctx, int64_t c, int worker) {
  (void)worker;
  out_job *j = ctx;
  agg *a = j->a;
  auk_error *err = &j->errs[c];
  if (c < a->nkeys) {
    j->st[c] =
        take_pos(a->keys + c * a->nb, j->rep, j->ng, j->inner->fields[c].type, &j->cols[c], err);
    return;
  }
  int i = (int)c - a->nkeys;
  auk_array *parts[NP];
  for (int p = 0; p < NP; p++) parts[p] = a->res[p] ? a->res[p][i] : NULL;
  int k = 0;
  for (int p = 0; p < NP; p++)
    if (parts[p] && parts[p]->length) parts[k++] = parts[p];
  auk_array *joined;
  auk_status st;
  if (k)
    st = concat_arrays(parts, k, &joined, err);
  else
    st = (joined = auk_array_new_nulls(a->prims[i].out, 0, err)) ? AUK_OK : err->code;
  if (!st && j->perm) {
    st = take_array(joined, j->perm, j->ng, &j->cols[c], err);
    auk_array_release(joined);
  } else if (!st) {
    j->cols[c] = joined;
  }
  j->st[c] = st;
}

auk_status exec_aggregate(const plan_node *n, const auk_frame *in, auk_frame **out,
                          auk_error *err) {
  *out = NULL;
  agg_split sp;
  if (agg_split_build(n, &sp, err)) return err->code;
  auk_schema *inner = NULL;
  agg a;
  memset(&a, 0, sizeof a);
  auk_status st = agg_inner_schema(n, &sp, in->schema, &inner, err);
  int threads = auk_pool_threads();
  a.n = in->nrows;
  a.nb = in->nbatches;
  a.in = in;
  a.nkeys = n->nexprs;
  /* inline key words pay for one or two keys; wide keys (many groups,
   * much state) compare the rows instead */
  a.nkw = a.nkeys <= 2 ? 3 * a.nkeys : 0;
  a.nprims = sp.nprims;
  a.threads = threads;
  if (!st) {
    /* chunks of about a million rows, at least four per worker when the
     * input is small enough to need it */
    int64_t target = a.n / ((int64_t)threads * 4);
    if (target > ((int64_t)1 << 20)) target = (int64_t)1 << 20;
    a.chunk = auk_mem_alloc(sizeof(int64_t) * (size_t)(a.nb + 2), err);
    if (!a.chunk) st = err->code;
    for (int64_t b = 0, rows = 0; a.chunk && b < a.nb; b++) {
      if (b == 0 || rows + in->batches[b]->nrows > target) {
        a.chunk[a.nchunks++] = b;
        rows = 0;
      }
      rows += in->batches[b]->nrows;
      if (rows > a.scratch_rows) a.scratch_rows = rows;
    }
    if (a.chunk) a.chunk[a.nchunks] = a.nb;
  }
  if (!st) {
    a.keys = auk_mem_calloc(sizeof(auk_array *) * (size_t)(a.nkeys * a.nb + 1), err);
    a.prims = a.keys ? auk_mem_calloc(sizeof(prim) * (size_t)(a.nprims + 1), err) : NULL;
    a.wh = a.prims ? auk_mem_calloc(sizeof(uint64_t *) * (size_t)threads, err) : NULL;
    a.wslot = a.wh ? auk_mem_calloc(sizeof(int32_t *) * (size_t)threads, err) : NULL;
    for (int w = 0; a.wslot && w < threads; w++) {
      a.wh[w] = auk_mem_alloc(sizeof(uint64_t) * (size_t)(a.scratch_rows + 1), err);
      a.wslot[w] =
          a.wh[w] ? auk_mem_alloc(sizeof(int32_t) * (size_t)(a.scratch_rows + 1), err) : NULL;
      if (!a.wslot[w]) break;
    }
    a.local = a.wslot && a.wslot[threads - 1]
                  ? auk_mem_calloc(sizeof(table) * (size_t)threads * NP, err)
                  : NULL;
    a.global = a.local ? auk_mem_calloc(sizeof(table) * NP, err) : NULL;
    a.res = a.global ? auk_mem_calloc(sizeof(auk_array **) * NP, err) : NULL;
    if (!a.res) st = err->code;
  }
  if (!st && a.scratch_rows > INT32_MAX)
    st = auk_error_set(err, AUK_ERR_UNSUPPORTED, "group_by over a batch of more than 2^31 rows");
  for (int i = 0; !st && i < a.nprims; i++) {
    prim *p = &a.prims[i];
    p->fn = sp.prims[i].fn;
    p->param = sp.prims[i].param;
    p->out = inner->fields[a.nkeys + i].type;
    p->in = AUK_TYPE_NULL;
    p->hol = -1;
    if (sp.prims[i].nargs) {
      bexpr *b;
      if ((st = expr_bind(sp.prims[i].args[0], in->schema, &b, NULL, err))) break;
      p->in = b->type;
      bexpr_free(b);
    }
    p->in2 = AUK_TYPE_NULL;
    if (sp.prims[i].nargs > 1) {
      bexpr *b;
      if ((st = expr_bind(sp.prims[i].args[1], in->schema, &b, NULL, err))) break;
      p->in2 = b->type;
      bexpr_free(b);
    }
    p->k = choose(p, &p->cast);
    p->w = words(p->k);
    if (p->k == K_HOLISTIC) p->hol = a.nhol++;
  }
  if (!st) st = eval_inputs(&a, n, &sp, in, err);
  /* partial pass */
  for (int w = 0; !st && w < threads; w++)
    for (int p = 0; p < NP; p++)
      if (!table_init(&a.local[(int64_t)w * NP + p], &a, 64))
        st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
  /* one integer key of a small range: direct index instead of hashing */
  if (!st && a.nkeys == 1 && a.n > 0 &&
      ((auk_type_is_integer(a.keys[0]->type) && auk_type_is_signed(a.keys[0]->type)) ||
       a.keys[0]->type == AUK_TYPE_DATE)) {
    int64_t mn = INT64_MAX, mx = INT64_MIN;
    for (int64_t b = 0; b < a.nb; b++) {
      const auk_array *k = a.keys[b];
      int wd = auk_type_width(k->type);
      const uint8_t *d = k->values->data + k->offset * wd;
      for (int64_t r = 0; r < k->length; r++) {
        if (k->null_count && !auk_array_is_valid(k, r)) continue;
        int64_t v = wd == 8   ? ((const int64_t *)d)[r]
                    : wd == 4 ? ((const int32_t *)d)[r]
                    : wd == 2 ? ((const int16_t *)d)[r]
                              : ((const int8_t *)d)[r];
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
      }
    }
    if (mn > mx) mn = mx = 0; /* only nulls */
    uint64_t range = (uint64_t)mx - (uint64_t)mn + 1;
    if (range <= ((uint64_t)1 << 20) && range <= (uint64_t)a.n * 2 + 1024) {
      a.drange = (int64_t)range; /* before allocating: the frees use it */
      a.dmaps = auk_mem_calloc(sizeof(int32_t *) * (size_t)threads, err);
      for (int w = 0; a.dmaps && w < threads; w++) {
        a.dmaps[w] = auk_mem_alloc(sizeof(int32_t) * (size_t)(range + 1), err);
        if (!a.dmaps[w]) break;
        memset(a.dmaps[w], 0xff, sizeof(int32_t) * (size_t)(range + 1));
      }
      if (!a.dmaps || !a.dmaps[threads - 1]) {
        st = err->code;
      } else {
        a.direct = 1;
        a.dmin = mn;
        a.drange = (int64_t)range;
      }
    }
  }
  if (!st) auk_pool_run(a.nchunks, partial_task, &a);
  if (!st && a.failed == 1)
    st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
  if (!st && a.failed == 2)
    st = auk_error_set(err, AUK_ERR_TYPE,
                       "group_by: an integer sum overflows i64 (cast the column to f64 first)");
  /* merge */
  auk_status *sts = NULL;
  auk_error *errs = NULL;
  if (!st) {
    sts = auk_mem_calloc(sizeof(auk_status) * NP, err);
    errs = sts ? auk_mem_alloc(sizeof(auk_error) * NP, err) : NULL;
    if (!errs) st = err->code;
  }
  if (!st) {
    merge_ctx m = {&a, sts, errs};
    auk_pool_run(NP, merge_task, &m);
    for (int p = 0; p < NP && !st; p++)
      if (sts[p]) {
        *err = errs[p];
        st = sts[p];
      }
    if (!st && a.failed == 2)
      st = auk_error_set(err, AUK_ERR_TYPE,
                         "group_by: an integer sum overflows i64 (cast the column to f64 first)");
  }
  /* assemble: groups in first-seen order */
  auk_array **cols = NULL;
  int ncols = a.nkeys + a.nprims;
  int64_t ng = 0;
  int64_t *rep = NULL, *perm = NULL;
  if (!st) {
    for (int p = 0; p < NP; p++) ng += a.global[p].n;
    cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(ncols + 1), err);
    rep = cols ? auk_mem_alloc(sizeof(int64_t) * (size_t)(ng + 1), err) : NULL;
    if (!rep) st = err->code;
  }
  if (!st) {
    int64_t at = 0;
    for (int p = 0; p < NP; p++) {
      memcpy(rep + at, a.global[p].rep, sizeof(int64_t) * (size_t)a.global[p].n);
      at += a.global[p].n;
    }
    if (ng > 1) {
      perm = auk_mem_alloc(sizeof(int64_t) * (size_t)ng, err);
      if (!perm || first_seen_order(&a, rep, ng, perm, err)) st = err->code;
      if (!st) {
        int64_t *r2 = auk_mem_alloc(sizeof(int64_t) * (size_t)ng, err);
        if (!r2) {
          st = err->code;
        } else {
          for (int64_t g = 0; g < ng; g++) r2[g] = rep[perm[g]];
          memcpy(rep, r2, sizeof(int64_t) * (size_t)ng);
          auk_mem_free(r2, sizeof(int64_t) * (size_t)ng);
        }
      }
    }
  }
  if (!st) {
    auk_status *ost = auk_mem_calloc(sizeof(auk_status) * (size_t)(ncols + 1), err);
    auk_error *oerr = ost ? auk_mem_alloc(sizeof(auk_error) * (size_t)(ncols + 1), err) : NULL;
    if (!oerr) {
      st = err->code;
    } else {
      out_job j = {&a, inner, rep, perm, ng, cols, ost, oerr};
      auk_pool_run(ncols, out_task, &j);
      for (int c = 0; c < ncols && !st; c++)
        if (ost[c]) {
          *err = oerr[c];
          st = ost[c];
        }
    }
    if (oerr) auk_mem_free(oerr, sizeof(auk_error) * (size_t)(ncols + 1));
    if (ost) auk_mem_free(ost, sizeof(auk_status) * (size_t)(ncols + 1));
  }
  auk_frame *f = NULL;
  if (!st && !(f = auk_frame_new(inner, err))) st = err->code;
  for (int64_t s0 = 0; !st && (s0 < ng || (ng == 0 && s0 == 0)); s0 += AUK_BATCH_ROWS) {
    if (ng == 0) break;
    int64_t len = ng - s0 < AUK_BATCH_ROWS ? ng - s0 : AUK_BATCH_ROWS;
    auk_batch *b = auk_batch_new(inner, len, err);
    if (!b) {
      st = err->code;
      break;
    }
    for (int c = 0; c < ncols && !st; c++)
      if (!(b->cols[c] = auk_array_slice(cols[c], s0, len, err))) st = err->code;
    if (st)
      auk_batch_free(b);
    else
      st = auk_frame_append(f, b, err);
  }
  if (st) {
    auk_frame_free(f);
    f = NULL;
  }
  *out = f;
  /* cleanup */
  if (cols) {
    for (int c = 0; c < ncols; c++) auk_array_release(cols[c]);
    auk_mem_free(cols, sizeof(auk_array *) * (size_t)(ncols + 1));
  }
  if (rep) auk_mem_free(rep, sizeof(int64_t) * (size_t)(ng + 1));
  if (perm) auk_mem_free(perm, sizeof(int64_t) * (size_t)ng);
  if (sts) auk_mem_free(sts, sizeof(auk_status) * NP);
  if (errs) auk_mem_free(errs, sizeof(auk_error) * NP);
  if (a.res) {
    for (int p = 0; p < NP; p++)
      if (a.res[p]) {
        for (int i = 0; i < a.nprims; i++) auk_array_release(a.res[p][i]);
        free(a.res[p]);
      }
    auk_mem_free(a.res, sizeof(auk_array **) * NP);
  }
  if (a.global) {
    for (int p = 0; p < NP; p++) table_free(&a.global[p], &a);
    auk_mem_free(a.global, sizeof(table) * NP);
  }
  if (a.local) {
    for (int64_t t = 0; t < (int64_t)threads * NP; t++) table_free(&a.local[t], &a);
    auk_mem_free(a.local, sizeof(table) * (size_t)threads * NP);
  }
  if (a.dmaps) {
    for (int w = 0; w < threads; w++)
      if (a.dmaps[w]) auk_mem_free(a.dmaps[w], sizeof(int32_t) * (size_t)(a.drange + 1));
    auk_mem_free(a.dmaps, sizeof(int32_t *) * (size_t)threads);
  }
  for (int w = 0; w < threads; w++) {
    if (a.wh && a.wh[w]) auk_mem_free(a.wh[w], sizeof(uint64_t) * (size_t)(a.scratch_rows + 1));
    if (a.wslot && a.wslot[w])
      auk_mem_free(a.wslot[w], sizeof(int32_t) * (size_t)(a.scratch_rows + 1));
  }
  if (a.chunk) auk_mem_free(a.chunk, sizeof(int64_t) * (size_t)(a.nb + 2));
  if (a.wh) auk_mem_free(a.wh, sizeof(uint64_t *) * (size_t)threads);
  if (a.wslot) auk_mem_free(a.wslot, sizeof(int32_t *) * (size_t)threads);
  if (a.prims) {
    for (int i = 0; i < a.nprims; i++) {
      auk_array **xy[2] = {a.prims[i].x, a.prims[i].y};
      for (int j = 0; j < 2; j++) {
        if (!xy[j]) continue;
        for (int64_t b = 0; b < a.nb; b++) auk_array_release(xy[j][b]);
        auk_mem_free(xy[j], sizeof(auk_array *) * (size_t)(a.nb + 1));
      }
    }
    auk_mem_free(a.prims, sizeof(prim) * (size_t)(a.nprims + 1));
  }
  if (a.keys) {
    for (int64_t k = 0; k < a.nkeys * a.nb; k++) auk_array_release(a.keys[k]);
    auk_mem_free(a.keys, sizeof(auk_array *) * (size_t)(a.nkeys * a.nb + 1));
  }
  auk_schema_release(inner);
  agg_split_free(&sp);
  return st;
}
