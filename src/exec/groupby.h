/* groupby.h - what the files of the group-by share (groupby.c: inputs,
 * plan and output; gb_table.c: the per-partition hash tables;
 * gb_partial.c: the partial pass over chunks of batches; gb_merge.c: the
 * merge of the workers' tables and the result columns): the kinds of
 * aggregate state, the tables, the aggregation's state, and the few hot
 * helpers every file inlines. Rows are named by position (exec_pos_*:
 * batch << 32 | row). */
#ifndef AUK_EXEC_GROUPBY_H
#define AUK_EXEC_GROUPBY_H
#include "core/array.h"
#include "core/bitmap.h"
#include "core/frame.h"
#include "exec/take.h"
#include "expr/expr.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

enum { PBITS = 6, NP = 1 << PBITS };
/* A row's group in the partial pass: its partition's table in the top
 * PBITS bits, the group in that table below (so no per-row hash is kept
 * after the probe). */
enum { SLOT_BITS = 31 - PBITS };
#define SLOT_MAX ((int64_t)1 << SLOT_BITS)

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

static inline int words(kind k) {
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
  int64_t **rec_group, **rec_row; /* rec_row: a position, or f64 bits for median, quantile */
} table;

/* A worker's view of one key dictionary (gb_dict.c): its entries' group
 * slots (-1: none yet). */
typedef struct gb_dict_cache {
  const auk_array *dict;
  int64_t cap;
  int32_t *slot;
} gb_dict_cache;

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
  atomic_int failed; /* 1 oom, 2 overflow, 3 too many groups in a partition */
  /* chunks of batches for the partial pass: [chunk[c], chunk[c + 1]) */
  int64_t nchunks, *chunk;
  /* per worker scratch: row hashes of one batch, group slots (partition
   * and group) of one chunk */
  int64_t scratch_rows, batch_rows;
  uint64_t **wh;
  int32_t **wslot;
  int64_t *wrows; /* per worker: rows folded so far */
  /* per-partition results */
  auk_array ***res; /* [p][prim] */
  /* one key read dictionary-encoded (gb_dict.c): per batch its codes, or
   * NULL for a plain batch; keys[b] is then the dictionary, and kenc[b]
   * the encoded array that holds the codes */
  const int32_t **kcodes;
  auk_array **kenc;
  gb_dict_cache *dwork; /* per worker */
  int dthreads;
} agg;

/* The row of batch b's key array that holds row r's key. */
static inline int64_t gb_key_row(const agg *a, int64_t b, int64_t r) {
  return a->kcodes && a->kcodes[b] ? a->kcodes[b][r] : r;
}

/* Rows are named by position (exec_pos_*: batch and row). */
static inline int keys_equal(const agg *a, int64_t x, int64_t y) {
  int64_t bx = exec_pos_batch(x), by = exec_pos_batch(y), rx = gb_key_row(a, bx, exec_pos_row(x)),
          ry = gb_key_row(a, by, exec_pos_row(y));
  for (int k = 0; k < a->nkeys; k++)
    if (!exec_cells_equal(a->keys[k * a->nb + bx], rx, a->keys[k * a->nb + by], ry)) return 0;
  return 1;
}

typedef struct merge_ctx {
  agg *a;
  auk_status *st;
  auk_error *errs;
} merge_ctx;

/* Tables (gb_table.c): a new table for cap groups; 0 on out of memory. */
int gb_table_init(table *t, const agg *a, int64_t cap);
void gb_table_free(table *t, const agg *a);
/* Frees all of t but its groups' first rows (rep, n): after the merge. */
void gb_table_keep_rep(table *t, const agg *a);
/* Initial state of group g for every prim. */
void gb_state_init(table *t, const agg *a, int64_t g);
/* Doubles t's capacity (slots rebuilt when needed); 0 on out of memory. */
int gb_table_grow(table *t, const agg *a);
/* Grows t to hold at least cap groups in one step. */
int gb_table_reserve(table *t, const agg *a, int64_t cap);
/* Room for more records of holistic prim hol; 0 on out of memory. */
int gb_record_grow(table *t, int hol);
/* The range of the one key's valid values over all batches, read on all
 * workers (gb_partial.c); lo/hi are widened, not reset. */
void gb_key_range(const agg *a, int64_t *lo, int64_t *hi);
/* Pool tasks: the partial pass over chunk c (gb_partial.c), the merge of
 * partition p (gb_merge.c, ctx a merge_ctx). */
void gb_partial_task(void *ctx, int64_t c, int worker);
/* Key words of rows [lo, lo + n) of batch b's key arrays (gb_partial.c). */
void gb_key_words(const agg *a, int64_t b, int64_t lo, int64_t n, uint64_t *out);
/* A dictionary-encoded key (gb_dict.c): setup after the keys are
 * evaluated (a batch's dictionary takes the place of its key array; with
 * more than one key they are decoded instead), the group slots of batch b
 * for worker w, the key positions of groups' first rows (for gathering the
 * key values), and the frees. */
auk_status gb_dict_setup(agg *a, int threads, auk_error *err);
void gb_dict_slots(agg *a, table *tabs, int w, int64_t b, int32_t *slot, int64_t n);
auk_status gb_dict_key_positions(const agg *a, const int64_t *rep, int64_t n, int64_t **out,
                                 auk_error *err);
void gb_dict_free(agg *a);
void gb_merge_task(void *ctx, int64_t p, int worker);

/* The row hash of key words kw (nw words: per key tag, w0, w1; see
 * key_words in gb_partial.c), used whenever keys are matched on key words
 * (nkw > 0), so that every path that adds groups (hashing, direct index)
 * gives one key the same hash and partition and the merge finds it: one
 * 64x64->128-bit multiply per key, folding the key's words into the
 * running value (wyhash's "mum"). The key words hold the value whole
 * (strings of up to 16 bytes; longer ones: their first 8 bytes and a hash
 * of all of them), so no string is hashed again. */
static inline uint64_t gb_kw_hash(const uint64_t *kw, int nw) {
  uint64_t h = 0;
  for (int k = 0; k < nw; k += 3) {
    __uint128_t m = (__uint128_t)(h ^ kw[k + 1] ^ UINT64_C(0xa0761d6478bd642f)) *
                    (kw[k + 2] ^ kw[k] ^ UINT64_C(0xe7037ed1a0b428db));
    h = (uint64_t)m ^ (uint64_t)(m >> 64);
  }
  return h;
}

/* The group of row position r (hash h, key words kw) in t, added when new; -1 on
 * out of memory. With key words the hash is a function of them, so equal
 * words are the test (no load of the group's hash); a long string's words
 * hold its first bytes and a hash, so its rows are compared too. */
static inline int64_t find_or_add(table *t, const agg *a, uint64_t h, int64_t r,
                                  const uint64_t *kw) {
  uint64_t mask = (uint64_t)(t->slot_cap - 1), pos = (h >> 8) & mask;
  int nw = a->nkw;
  for (;;) {
    int32_t g = t->slots[pos];
    if (g < 0) break;
    if (!nw) {
      if (t->hash[g] == h && keys_equal(a, t->rep[g], r)) return g;
    } else {
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
    if (!gb_table_grow(t, a)) return -1;
    mask = (uint64_t)(t->slot_cap - 1);
    pos = (h >> 8) & mask;
    while (t->slots[pos] >= 0) pos = (pos + 1) & mask;
  }
  int64_t g = t->n++;
  t->slots[pos] = (int32_t)g;
  t->hash[g] = h;
  t->rep[g] = r;
  if (nw) memcpy(t->kw + g * nw, kw, sizeof(uint64_t) * (size_t)nw);
  gb_state_init(t, a, g);
  return g;
}

static inline int record(table *t, int hol, int64_t g, int64_t r) {
  if (__builtin_expect(t->rec_n[hol] == t->rec_cap[hol], 0) && !gb_record_grow(t, hol)) return 0;
  t->rec_group[hol][t->rec_n[hol]] = g;
  t->rec_row[hol][t->rec_n[hol]++] = r;
  return 1;
}

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
static inline int cmp_cells(const auk_array *x, int64_t r, const auk_array *y, int64_t s) {
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
static inline int cmp_pos(auk_array *const *x, int64_t r, int64_t s) {
  return cmp_cells(x[exec_pos_batch(r)], exec_pos_row(r), x[exec_pos_batch(s)], exec_pos_row(s));
}

#endif
