/* gb_partial.c - the group-by's partial pass: a worker takes a chunk of
 * batches, hashes its keys (or indexes one small-range integer key
 * directly), finds or adds each row's group in its own partition tables
 * (prefetching ahead), then runs one tight loop per aggregate over the
 * chunk, the type switch outside the loop. */
#include "exec/groupby.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/pool.h"
#include "core/types.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Key words of rows [lo, lo + n) of batch b into out (n x nkeys x 3): per key a tag
 * (0 null; 1 | len << 8 a value held whole; 2 | len << 8 a string longer
 * than 16 bytes) and two words of the value (a long string: its first 8
 * bytes and the hash of all of them), with the type switch outside the row
 * loop. Floats are canonical (-0.0 is 0.0, one NaN), so equal words mean
 * equal keys except for long strings. The row hash is computed from the
 * words (gb_kw_hash). */
static void key_words(const agg *a, int64_t b, int64_t lo, int64_t n, uint64_t *out) {
  int nk = a->nkeys;
  for (int k = 0; k < nk; k++) {
    const auk_array *c = a->keys[k * a->nb + b];
    const uint8_t *d = c->values ? c->values->data : NULL;
    int64_t off = c->offset;
    uint64_t *o = out + 3 * k;
    size_t stride = 3 * (size_t)nk;
    switch (auk_type_storage(c->type)) {
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
          if (__builtin_expect(len > 16, 0)) w1 = auk_hash_bytes(d + st, (size_t)len);
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

/* ------------------------------------------------------- partial pass */

/* Asks for the key columns' values of the block of rows from lo (at most
 * BLK rows, of n) and a string's bytes up to there, two blocks before
 * key_words reads them: the loads of the key columns stalled the word
 * loop. */
static void prefetch_keys(const agg *a, int64_t b, int64_t lo, int64_t n) {
  enum { BLK = 512 };
  int64_t m = n - lo < BLK ? n - lo : BLK;
  for (int k = 0; k < a->nkeys; k++) {
    const auk_array *c = a->keys[k * a->nb + b];
    if (!c->values) continue;
    const char *p, *e;
    if (c->type == AUK_TYPE_STRING) {
      const int64_t *of = auk_array_offsets(c);
      p = (const char *)(of + lo);
      e = (const char *)(of + lo + m + 1);
      /* the bytes of the block before, whose offsets were asked for then */
      const char *d = (const char *)c->values->data;
      int64_t blo = lo - BLK;
      for (const char *q = d + of[blo]; q < d + of[blo + BLK]; q += 64) __builtin_prefetch(q);
    } else {
      int w = auk_type_width(c->type);
      if (w < 1) continue;
      p = (const char *)c->values->data + (c->offset + lo) * w;
      e = p + m * w;
    }
    for (; p < e; p += 64) __builtin_prefetch(p);
  }
}

/* Group slots of the n rows of batch b by hashing and probing (h: scratch
 * for a batch's row hashes). With key words (one or two keys) the rows go
 * in blocks of BLK: a block's words and hashes (gb_kw_hash) are made while
 * the block before is probed (two buffers, so the prefetches reach across
 * blocks), all in L1, one pass over each key column; wider keys are hashed
 * column by column into h first. */
static void partial_slots(agg *a, table *tabs, int64_t b, uint64_t *h, int32_t *slot, int64_t n) {
  enum { BLK = 512, D1 = 16, D2 = 8, NW = 6 };
  uint64_t kwbuf[2 * BLK * NW], hring[2 * BLK], *kwb = kwbuf;
  int nw = a->nkw;
  if (!nw) {
    for (int k = 0; k < a->nkeys; k++) auk_hash_column(a->keys[k * a->nb + b], h, k > 0);
  } else if (nw > NW && !(kwb = malloc(sizeof(uint64_t) * 2 * BLK * (size_t)nw))) {
    atomic_store(&a->failed, 1);
    return;
  }
  /* the hash of row r: h[r], or with key words the ring of two blocks */
#define HASH(r) (nw ? hring[(r) & (2 * BLK - 1)] : h[r])
  for (int64_t lo = 0; lo < n; lo += BLK) {
    int64_t m = n - lo < BLK ? n - lo : BLK;
    int half = (int)((lo / BLK) & 1);
    uint64_t *kw = kwb + (size_t)half * BLK * (size_t)nw;
    if (nw) {
      for (int64_t nlo = lo == 0 ? 0 : lo + BLK; nlo <= lo + BLK && nlo < n; nlo += BLK) {
        /* the first time this block, then always the next one */
        int64_t nm = n - nlo < BLK ? n - nlo : BLK;
        int nh = (int)((nlo / BLK) & 1);
        uint64_t *nkw = kwb + (size_t)nh * BLK * (size_t)nw, *hr = hring + nh * BLK;
        key_words(a, b, nlo, nm, nkw);
        for (int64_t i = 0; i < nm; i++) hr[i] = gb_kw_hash(nkw + i * nw, nw);
      }
      if (lo + 2 * BLK < n) prefetch_keys(a, b, lo + 2 * BLK, n);
    }
    for (int64_t i = 0; i < m; i++) {
      int64_t r = lo + i;
      /* with many groups every probe misses the cache: fetch the slot of
       * the row D1 ahead, and the group (hash or key words) of the row D2
       * ahead, whose slot should have arrived by now */
      if (r + D1 < n) {
        uint64_t hh = HASH(r + D1);
        const table *tp = &tabs[hh >> (64 - PBITS)];
        __builtin_prefetch(&tp->slots[(hh >> 8) & (uint64_t)(tp->slot_cap - 1)]);
      }
      if (r + D2 < n) {
        uint64_t hh = HASH(r + D2);
        const table *tp = &tabs[hh >> (64 - PBITS)];
        int32_t s = tp->slots[(hh >> 8) & (uint64_t)(tp->slot_cap - 1)];
        if (s >= 0) __builtin_prefetch(nw ? (const void *)&tp->kw[(int64_t)s * nw] : &tp->hash[s]);
      }
      uint64_t hr = HASH(r);
      int p = (int)(hr >> (64 - PBITS));
      int64_t g = find_or_add(&tabs[p], a, hr, EXEC_POS(b, r), kw + i * nw);
      if (g < 0 || g >= SLOT_MAX) {
        atomic_store(&a->failed, g < 0 ? 1 : 3);
        break;
      }
      slot[r] = (int32_t)g | p << SLOT_BITS;
    }
    if (atomic_load_explicit(&a->failed, memory_order_relaxed)) break;
  }
#undef HASH
  if (kwb != kwbuf) free(kwb);
}

/* A new group for key value v (or null) in t, whose first row is r. */
static int64_t direct_add(table *t, const agg *a, int64_t v, int is_null, int64_t r) {
  if (t->n == t->cap && !gb_table_grow(t, a)) return -1;
  int64_t g = t->n++;
  uint64_t *kw = t->kw + g * a->nkw;
  kw[0] = is_null ? 0 : 1;
  kw[1] = is_null ? 0 : (uint64_t)v;
  kw[2] = 0;
  t->hash[g] = gb_kw_hash(kw, a->nkw); /* as the hashing path would */
  t->rep[g] = r;
  gb_state_init(t, a, g);
  /* keep the open-addressing slots right for the merge's lookups */
  uint64_t mask = (uint64_t)(t->slot_cap - 1), pos = (t->hash[g] >> 8) & mask;
  while (t->slots[pos] >= 0) pos = (pos + 1) & mask;
  t->slots[pos] = (int32_t)g;
  return g;
}

/* Group slots of batch b through the direct index: each row's index
 * (value - dmin; drange for null) in one loop per key width, then the
 * index's group, made at the first row that needs it. */
static void direct_slots(agg *a, table *tab, int32_t *dm, int64_t b, int32_t *slot, int64_t n) {
  const auk_array *k = a->keys[b];
  int wd = auk_type_width(k->type);
  const uint8_t *d = k->values->data + k->offset * wd;
  int64_t lo64 = a->dmin; /* indexes fit in 32 bits: drange <= 2^20 */
#define IDX(T)                                                                 \
  do {                                                                         \
    const T *v = (const T *)d;                                                 \
    for (int64_t r = 0; r < n; r++) slot[r] = (int32_t)((int64_t)v[r] - lo64); \
  } while (0)
  switch (wd) {
    case 8: IDX(int64_t); break;
    case 4: IDX(int32_t); break;
    case 2: IDX(int16_t); break;
    default: IDX(int8_t); break;
  }
#undef IDX
  if (k->null_count)
    for (int64_t r = 0; r < n; r++)
      if (!auk_array_is_valid(k, r)) slot[r] = (int32_t)a->drange;
  for (int64_t r = 0; r < n; r++) {
    int32_t idx = slot[r], g = dm[idx];
    if (__builtin_expect(g < 0, 0)) {
      int is_null = idx == (int32_t)a->drange;
      int64_t ng = direct_add(tab, a, is_null ? 0 : a->dmin + idx, is_null, EXEC_POS(b, r));
      if (ng < 0) {
        atomic_store(&a->failed, 1);
        return;
      }
      g = dm[idx] = (int32_t)ng;
    }
    slot[r] = g;
  }
}

/* One aggregate's update over the n rows of batch b, whose group slots are
 * slot; 0 on out of memory. ONE: every slot is in partition 0 (the direct
 * index), so a slot is the group itself. Values and validity bits are read
 * through pointers taken before the loops (stores to the states could
 * otherwise alias the arrays' fields and force a reload per row), and the
 * common kinds have a loop without null tests. */
static inline __attribute__((always_inline)) int prim_run(agg *a, table *tabs, int i, int64_t b,
                                                          const int32_t *slot, int64_t n,
                                                          const int ONE) {
  const prim *p = &a->prims[i];
  const auk_array *x = p->x ? p->x[b] : NULL, *y = p->y ? p->y[b] : NULL;
  int nulls = x && x->null_count > 0;
  const uint8_t *xb = nulls ? x->validity->data : NULL;
  int64_t xo = x ? x->offset : 0;
  const int64_t *xi =
      x && x->values && auk_type_width(x->type) == 8 ? (const int64_t *)x->values->data + xo : NULL;
  const double *xf = (const double *)xi;
  /* the partitions' state arrays in a local array, and each kind's width
   * as a constant */
  uint64_t *base[NP];
  for (int q = 0; q < NP; q++) base[q] = tabs[q].state[i];
  uint64_t *const base0 = base[0];
#define PART(r) (slot[r] >> SLOT_BITS)
#define GROUP(r) (slot[r] & (int32_t)(SLOT_MAX - 1))
#define ST(W, r) (ONE ? base0 + (int64_t)slot[r] * (W) : base[PART(r)] + (int64_t)GROUP(r) * (W))
#define XVALID(r) (!nulls || auk_bit_get(xb, xo + (r)))
  switch (p->k) {
    case K_SUM_I: {
      int ov = 0;
      for (int64_t r = 0; r < n; r++) {
        if (!XVALID(r)) continue;
        int64_t *s = (int64_t *)ST(1, r);
        ov |= __builtin_add_overflow(*s, xi[r], s);
      }
      if (ov) atomic_store(&a->failed, 2);
      break;
    }
    case K_SUM_F:
      if (!nulls)
        for (int64_t r = 0; r < n; r++) *(double *)ST(1, r) += xf[r];
      else
        for (int64_t r = 0; r < n; r++)
          if (XVALID(r)) *(double *)ST(1, r) += xf[r];
      break;
    case K_MEAN:
      if (!nulls)
        for (int64_t r = 0; r < n; r++) {
          uint64_t *s = ST(2, r);
          *(double *)&s[0] += xf[r];
          s[1]++;
        }
      else
        for (int64_t r = 0; r < n; r++) {
          if (!XVALID(r)) continue;
          uint64_t *s = ST(2, r);
          *(double *)&s[0] += xf[r];
          s[1]++;
        }
      break;
    case K_MEAN_I:
      if (!nulls)
        for (int64_t r = 0; r < n; r++) {
          uint64_t *s = ST(2, r);
          *(double *)&s[0] += (double)xi[r];
          s[1]++;
        }
      else
        for (int64_t r = 0; r < n; r++) {
          if (!XVALID(r)) continue;
          uint64_t *s = ST(2, r);
          *(double *)&s[0] += (double)xi[r];
          s[1]++;
        }
      break;
    case K_MIN_I:
    case K_MAX_I: {
      int mx = p->k == K_MAX_I;
      for (int64_t r = 0; r < n; r++) {
        if (!XVALID(r)) continue;
        uint64_t *s = ST(2, r);
        int64_t v = xi[r];
        if (!s[1] || (mx ? v > (int64_t)s[0] : v < (int64_t)s[0])) s[0] = (uint64_t)v;
        s[1] = 1;
      }
      break;
    }
    case K_MIN_F:
    case K_MAX_F: {
      int mx = p->k == K_MAX_F;
      for (int64_t r = 0; r < n; r++) {
        if (!XVALID(r)) continue;
        uint64_t *s = ST(2, r);
        double v = xf[r], cur;
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
        if (!XVALID(r)) continue;
        uint64_t *s = ST(1, r);
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
      for (int64_t r = 0; r < n; r++) *ST(1, r) += XVALID(r);
      break;
    case K_LEN:
      for (int64_t r = 0; r < n; r++) *ST(1, r) += 1;
      break;
    case K_FIRST:
      for (int64_t r = 0; r < n; r++) {
        uint64_t *s = ST(1, r);
        if ((int64_t)*s < 0) *s = (uint64_t)EXEC_POS(b, r);
      }
      break;
    case K_LAST:
      for (int64_t r = 0; r < n; r++) {
        uint64_t *s = ST(1, r);
        if (*s < (uint64_t)EXEC_POS(b, r)) *s = (uint64_t)EXEC_POS(b, r);
      }
      break;
    case K_VAR:
      for (int64_t r = 0; r < n; r++) {
        if (!XVALID(r)) continue;
        uint64_t *s = ST(3, r);
        double v = xf[r], n1 = (double)++s[0], m, m2;
        memcpy(&m, &s[1], 8);
        memcpy(&m2, &s[2], 8);
        double d = v - m;
        m += d / n1;
        m2 += d * (v - m);
        memcpy(&s[1], &m, 8);
        memcpy(&s[2], &m2, 8);
      }
      break;
    case K_COV:
    case K_COV_I: {
      int ynulls = y->null_count > 0, fl = p->k == K_COV;
      const uint8_t *yb = ynulls ? y->validity->data : NULL;
      int64_t yo = y->offset;
      const int64_t *yi = (const int64_t *)y->values->data + yo;
      const double *yf = (const double *)yi;
      for (int64_t r = 0; r < n; r++) {
        if (!XVALID(r) || (ynulls && !auk_bit_get(yb, yo + r))) continue;
        /* the state as doubles in registers (a copy through an array
         * on the stack stalled on store forwarding) */
        uint64_t *s = ST(6, r);
        double *f = (double *)(s + 1);
        double u = fl ? xf[r] : (double)xi[r], v = fl ? yf[r] : (double)yi[r],
               inv = 1.0 / (double)++s[0];
        double mx = f[0], my = f[1];
        double dx = u - mx, dy = v - my;
        mx += dx * inv; /* one division a row, not two */
        my += dy * inv;
        f[0] = mx;
        f[1] = my;
        f[2] += dx * (v - my);
        f[3] += dx * (u - mx);
        f[4] += dy * (v - my);
      }
      break;
    }
    case K_ANY:
    case K_ALL: {
      int any = p->k == K_ANY;
      for (int64_t r = 0; r < n; r++) {
        if (!XVALID(r)) continue;
        int bit = auk_bit_get(x->values->data, x->offset + r);
        uint64_t *s = ST(1, r);
        if (any ? bit : !bit) *s = (uint64_t)any;
      }
      break;
    }
    case K_HOLISTIC:
      if (p->fn == FN_MEDIAN || p->fn == FN_QUANTILE) {
        /* the value itself (f64 bits), not its position: no random
         * gather of values when the groups are computed */
        for (int64_t r = 0; r < n; r++) {
          if (!XVALID(r)) continue;
          int64_t bits;
          memcpy(&bits, &xf[r], 8);
          if (!record(&tabs[ONE ? 0 : PART(r)], p->hol, ONE ? slot[r] : GROUP(r), bits)) return 0;
        }
        break;
      }
      for (int64_t r = 0; r < n; r++) {
        if (x && !XVALID(r) && p->fn != FN_N_UNIQUE) continue;
        if (!record(&tabs[ONE ? 0 : PART(r)], p->hol, ONE ? slot[r] : GROUP(r), EXEC_POS(b, r)))
          return 0;
      }
      break;
  }
#undef XVALID
#undef ST
#undef PART
#undef GROUP
  return 1;
}

static int prim_update(agg *a, table *tabs, int i, int64_t b, const int32_t *slot, int64_t n) {
  return a->direct ? prim_run(a, tabs, i, b, slot, n, 1) : prim_run(a, tabs, i, b, slot, n, 0);
}

/* The groups that `share` rows should make when `rows` rows made `groups`,
 * were the keys drawn uniformly from D values: rows make D (1 - e^(-rows /
 * D)) groups, solved for D (bisection on t = rows / D), then taken at
 * share. Rising linearly instead (groups / rows * share) reserved 40
 * times too much at 100M rows with 1M keys (2.4 GB of fresh pages per
 * worker). */
static double expected_groups(int64_t groups, int64_t rows, double share) {
  double rho = (double)groups / (double)rows;
  if (rho >= 0.999) return share;
  double lo = 1e-9, hi = 50; /* (1 - e^-t) / t falls from 1 to 0.02 */
  for (int it = 0; it < 60; it++) {
    double t = 0.5 * (lo + hi);
    if ((1 - exp(-t)) / t > rho)
      lo = t;
    else
      hi = t;
  }
  double d = (double)rows / (0.5 * (lo + hi));
  return d * (1 - exp(-share / d));
}

/* Folds the batches [b0, b1) into worker w's tables: each batch's row
 * hashes (scratch for one batch) give the rows' group slots (partition and
 * group, scratch for the chunk), then one pass per aggregate over them. A chunk of about a million
 * rows, not one batch, lets an aggregate's states stay in cache across its pass when the groups are
 * many (100K groups: 1.5x faster than batch by batch). Rows are recorded by position (batch, row),
 * which orders them as the input does. */
static void partial_chunk(agg *a, int w, int64_t b0, int64_t b1) {
  table *tabs = a->local + (int64_t)w * NP;
  int64_t off = 0;
  for (int64_t b = b0; b < b1; b++) {
    uint64_t *h = a->wh[w]; /* one batch at a time */
    int32_t *slot = a->wslot[w] + off;
    int64_t n = a->in->batches[b]->nrows;
    off += n;
    if (a->direct) {
      direct_slots(a, &tabs[0], a->dmaps[w], b, slot, n);
    } else if (a->kcodes && a->kcodes[b]) {
      gb_dict_slots(a, tabs, w, b, slot, n);
    } else if (a->nkeys) {
      partial_slots(a, tabs, b, h, slot, n);
    } else {
      memset(slot, 0, sizeof(int32_t) * (size_t)n);
      uint64_t none = 0;
      if (tabs[0].n == 0 && find_or_add(&tabs[0], a, 0, EXEC_POS(b, 0), &none) < 0)
        atomic_store(&a->failed, 1);
    }
    if (atomic_load_explicit(&a->failed, memory_order_relaxed)) return;
  }
  /* after a worker's first chunk: when most rows made new groups, grow its
   * tables at once to the groups its share of the input should make, not
   * by doubling (each doubling copies the table into fresh pages) */
  int first = a->wrows[w] == 0;
  a->wrows[w] += off;
  if (first && a->nkeys && !a->direct) {
    int64_t groups = 0;
    for (int p = 0; p < NP; p++) groups += tabs[p].n;
    if (groups * 4 > off) {
      double share = (double)a->n / a->threads;
      int64_t want = (int64_t)(expected_groups(groups, off, share) * 1.25 / NP) + 16;
      for (int p = 0; p < NP; p++)
        if (!gb_table_reserve(&tabs[p], a, want)) {
          atomic_store(&a->failed, 1);
          return;
        }
    }
  }
  for (int i = 0; i < a->nprims; i++) {
    off = 0;
    for (int64_t b = b0; b < b1; b++) {
      int64_t n = a->in->batches[b]->nrows;
      if (!prim_update(a, tabs, i, b, a->wslot[w] + off, n)) {
        atomic_store(&a->failed, 1);
        return;
      }
      off += n;
    }
  }
}

void gb_key_words(const agg *a, int64_t b, int64_t lo, int64_t n, uint64_t *out) {
  key_words(a, b, lo, n, out);
}

/* gb_key_range: each task reads the batches of one chunk (the key column
 * read on one thread was about a tenth of q4's time). */
typedef struct range_job {
  const agg *a;
  int64_t *lo, *hi; /* per chunk */
} range_job;

static void range_task(void *ctx, int64_t c, int worker) {
  (void)worker;
  range_job *j = ctx;
  for (int64_t b = j->a->chunk[c]; b < j->a->chunk[c + 1]; b++)
    auk_array_int_range(j->a->keys[b], &j->lo[c], &j->hi[c]);
}

void gb_key_range(const agg *a, int64_t *lo, int64_t *hi) {
  enum { MAXC = 1024 };
  int64_t nc = a->nchunks, clo[MAXC], chi[MAXC];
  if (nc > MAXC || nc < 2) { /* (chunks are about a million rows: rare) */
    for (int64_t b = 0; b < a->nb; b++) auk_array_int_range(a->keys[b], lo, hi);
    return;
  }
  for (int64_t c = 0; c < nc; c++) clo[c] = *lo, chi[c] = *hi;
  range_job j = {a, clo, chi};
  auk_pool_run(nc, range_task, &j);
  for (int64_t c = 0; c < nc; c++) {
    if (clo[c] < *lo) *lo = clo[c];
    if (chi[c] > *hi) *hi = chi[c];
  }
}

void gb_partial_task(void *ctx, int64_t c, int worker) {
  agg *a = ctx;
  if (atomic_load_explicit(&a->failed, memory_order_relaxed)) return;
  partial_chunk(a, worker, a->chunk[c], a->chunk[c + 1]);
}
