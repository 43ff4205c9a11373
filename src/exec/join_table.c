/* join_table.c - builds a join's partitioned hash table on all workers.
 *
 * The build rows are cut into chunks; each chunk counts its rows per
 * partition (top hash bits), a prefix sum in partition-major, chunk-minor
 * order gives every (partition, chunk) its place, and the chunks scatter
 * their row numbers there, so each partition's rows are in build order.
 * Partitions are then built independently, one task each: rows are
 * inserted from the last to the first and prepended to their key's chain,
 * which leaves every chain in build order without a tail array. Rows with
 * a null key are left out unless nulls match. Partitions hold about 4K
 * rows, so a partition's slots stay in cache while it is built. */
#include "exec/join_table.h"

#include "core/alloc.h"
#include "core/pool.h"
#include "core/types.h"

#include <string.h>

enum { ROWS_PER_PART = 4096, MAX_PART_BITS = 12 };

typedef struct build_ctx {
  join_table *t;
  const join_keys *b;
  int64_t nchunks;
  int64_t *counts; /* nchunks x nparts, then each (chunk, part)'s write position */
  int64_t *order;  /* build rows grouped by partition */
} build_ctx;

static inline uint64_t part_of(const join_table *t, uint64_t h) {
  return (h >> 1) >> t->shift;
}

static void count_task(void *ctx, int64_t c, int worker) {
  (void)worker;
  build_ctx *x = ctx;
  const join_table *t = x->t;
  int64_t lo = x->b->n * c / x->nchunks, hi = x->b->n * (c + 1) / x->nchunks;
  int64_t *cnt = x->counts + c * t->nparts;
  for (int64_t r = lo; r < hi; r++)
    if (!join_key_null(x->b, r, t->nulls_equal)) cnt[part_of(t, x->b->h[r])]++;
}

static void scatter_task(void *ctx, int64_t c, int worker) {
  (void)worker;
  build_ctx *x = ctx;
  const join_table *t = x->t;
  int64_t lo = x->b->n * c / x->nchunks, hi = x->b->n * (c + 1) / x->nchunks;
  int64_t *pos = x->counts + c * t->nparts;
  for (int64_t r = lo; r < hi; r++)
    if (!join_key_null(x->b, r, t->nulls_equal)) x->order[pos[part_of(t, x->b->h[r])]++] = r;
}

static void insert_task(void *ctx, int64_t p, int worker) {
  (void)worker;
  build_ctx *x = ctx;
  join_table *t = x->t;
  const join_keys *b = x->b;
  /* after the scatter, counts[(nchunks - 1) * nparts + p] is the end of
   * partition p's rows; its start is the end of partition p - 1 */
  int64_t *last = x->counts + (x->nchunks - 1) * t->nparts;
  int64_t lo = p ? last[p - 1] : 0, hi = last[p];
  const int64_t base = t->base[p], m = t->mask[p];
  int64_t *head = t->head + base;
  uint64_t *tag = t->tag + base;
  const int64_t *kv =
      t->fast ? (const int64_t *)auk_array_data(b->keys[0]) + b->keys[0]->offset : NULL;
  enum { AHEAD = 16 };
  for (int64_t i = hi - 1; i >= lo; i--) {
    if (i - AHEAD >= lo) { /* the rows are spread over the build side */
      int64_t ahead = x->order[i - AHEAD];
      __builtin_prefetch(&b->h[ahead]);
      if (kv) __builtin_prefetch(&kv[ahead]);
    }
    int64_t r = x->order[i];
    uint64_t h = b->h[r], want = t->fast ? (uint64_t)kv[r] : h;
    int64_t pos = (int64_t)(h & (uint64_t)m);
    for (;;) {
      int64_t hd = head[pos];
      if (hd < 0) {
        head[pos] = r;
        tag[pos] = want;
        t->next[r] = -1;
        break;
      }
      int eq = tag[pos] == want;
      for (int k = 0; !t->fast && k < b->nkeys && eq; k++)
        eq = exec_cells_equal(b->keys[k], r, b->keys[k], hd & ~JOIN_MORE);
      if (eq) {
        t->next[r] = hd & ~JOIN_MORE;
        head[pos] = r | JOIN_MORE;
        break;
      }
      pos = (pos + 1) & m;
    }
  }
}

int join_table_can_be_fast(const join_keys *k, int nulls_equal) {
  if (k->nkeys != 1 || nulls_equal) return 0;
  auk_type_id ty = k->keys[0]->type;
  return ty == AUK_TYPE_INT64 || ty == AUK_TYPE_UINT64 || ty == AUK_TYPE_DATETIME;
}

void join_table_free(join_table *t) {
  if (t->base) auk_mem_free(t->base, sizeof(int64_t) * (size_t)(t->nparts + 1));
  if (t->mask) auk_mem_free(t->mask, sizeof(int64_t) * (size_t)t->nparts);
  if (t->head) auk_mem_free(t->head, sizeof(int64_t) * (size_t)t->nslots);
  if (t->tag) auk_mem_free(t->tag, sizeof(uint64_t) * (size_t)t->nslots);
  if (t->next) auk_mem_free(t->next, sizeof(int64_t) * (size_t)(t->n + 1));
  memset(t, 0, sizeof *t);
}

auk_status join_table_build(join_table *t, const join_keys *b, int fast, int nulls_equal,
                            auk_error *err) {
  memset(t, 0, sizeof *t);
  t->fast = fast;
  t->nulls_equal = nulls_equal;
  t->b = b;
  t->n = b->n;
  int bits = 0;
  while (bits < MAX_PART_BITS && (b->n >> bits) > ROWS_PER_PART) bits++;
  t->nparts = (int64_t)1 << bits;
  t->shift = 63 - bits;
  build_ctx x = {.t = t, .b = b};
  int threads = auk_pool_threads();
  x.nchunks = b->n < 65536 ? 1 : (int64_t)threads * 4;
  size_t ncounts = (size_t)(x.nchunks * t->nparts);
  t->base = auk_mem_alloc(sizeof(int64_t) * (size_t)(t->nparts + 1), err);
  t->mask = t->base ? auk_mem_alloc(sizeof(int64_t) * (size_t)t->nparts, err) : NULL;
  t->next = t->mask ? auk_mem_alloc(sizeof(int64_t) * (size_t)(t->n + 1), err) : NULL;
  x.counts = t->next ? auk_mem_calloc(sizeof(int64_t) * ncounts, err) : NULL;
  x.order = x.counts ? auk_mem_alloc(sizeof(int64_t) * (size_t)(b->n + 1), err) : NULL;
  if (!x.order) goto fail;
  auk_pool_run(x.nchunks, count_task, &x);
  /* partition sizes -> slot ranges; counts -> write positions */
  int64_t run = 0;
  t->nslots = 0;
  for (int64_t p = 0; p < t->nparts; p++) {
    int64_t size = 0;
    for (int64_t c = 0; c < x.nchunks; c++) {
      int64_t v = x.counts[c * t->nparts + p];
      x.counts[c * t->nparts + p] = run;
      run += v;
      size += v;
    }
    int64_t cap = 4;
    while (cap < size + size / 2 + 1) cap *= 2;
    t->base[p] = t->nslots;
    t->mask[p] = cap - 1;
    t->nslots += cap;
  }
  t->base[t->nparts] = t->nslots;
  t->big = t->nslots > (1 << 16); /* 1 MiB of slots */
  t->head = auk_mem_alloc(sizeof(int64_t) * (size_t)t->nslots, err);
  t->tag = t->head ? auk_mem_alloc(sizeof(uint64_t) * (size_t)t->nslots, err) : NULL;
  if (!t->tag) goto fail;
  memset(t->head, 0xff, sizeof(int64_t) * (size_t)t->nslots);
  auk_pool_run(x.nchunks, scatter_task, &x);
  auk_pool_run(t->nparts, insert_task, &x);
  auk_mem_free(x.counts, sizeof(int64_t) * ncounts);
  auk_mem_free(x.order, sizeof(int64_t) * (size_t)(b->n + 1));
  return AUK_OK;
fail:
  if (x.counts) auk_mem_free(x.counts, sizeof(int64_t) * ncounts);
  if (x.order) auk_mem_free(x.order, sizeof(int64_t) * (size_t)(b->n + 1));
  join_table_free(t);
  return err->code;
}

int join_table_duplicate(const join_table *t, int64_t *first, int64_t *second) {
  int64_t best = -1;
  for (int64_t s = 0; s < t->nslots; s++) {
    int64_t hd = t->head[s];
    if (hd >= 0 && (hd & JOIN_MORE) && (best < 0 || (hd & ~JOIN_MORE) < best))
      best = hd & ~JOIN_MORE;
  }
  if (best < 0) return 0;
  *first = best;
  *second = t->next[best];
  return 1;
}
