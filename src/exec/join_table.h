/* join_table.h - the hash table of a join's build side, radix-partitioned
 * on the top bits of the key hash and built on all workers.
 *
 * Each partition is an open-addressing table of the distinct keys of its
 * rows (linear probing inside the partition's own slot range); a slot holds
 * the first build row of its key and a tag: the key itself when the join
 * has one 8-byte integer key and nulls never match (the "fast" table: a
 * probe compares one word and never touches the build rows), else the full
 * hash, with the key columns compared (strings: hash, then bytes) only on
 * equal tags. The rows of one key are chained in build order; a slot's
 * head carries JOIN_MORE when its key has more than one row, so a probe of
 * a unique key never reads the chain. */
#ifndef AUK_EXEC_JOIN_TABLE_H
#define AUK_EXEC_JOIN_TABLE_H
#include "core/array.h"
#include "core/error.h"
#include "exec/take.h"

/* Set in a slot's head when the key has more rows (in next[]). */
#define JOIN_MORE ((int64_t)1 << 62)

/* One side's key columns (in the common key types) and row hashes. */
typedef struct join_keys {
  int nkeys;
  auk_array **keys;
  const uint64_t *h;
  int64_t n;
} join_keys;

typedef struct join_table {
  int fast;        /* tags are the keys (one 8-byte integer key) */
  int nulls_equal; /* null keys are in the table and match each other */
  int shift;       /* partition of hash h: (h >> 1) >> shift */
  int64_t nparts, nslots, n;
  int64_t *base;      /* nparts + 1: the first slot of each partition */
  int64_t *mask;      /* nparts: slot count - 1 of each partition */
  int64_t *head;      /* nslots: first build row of the key (| JOIN_MORE), -1: empty */
  uint64_t *tag;      /* nslots: the key (fast) or its hash */
  int64_t *next;      /* n: the key's next build row, -1 at the end */
  const join_keys *b; /* the build side (borrowed) */
  int big;            /* slots beyond the caches: probes prefetch */
} join_table;

/* 1 when the keys allow the fast table: one key of an 8-byte integer or
 * temporal type, and nulls never match. */
int join_table_can_be_fast(const join_keys *k, int nulls_equal);
/* Builds t over b (kept borrowed until join_table_free) on all workers. */
auk_status join_table_build(join_table *t, const join_keys *b, int fast, int nulls_equal,
                            auk_error *err);
void join_table_free(join_table *t);
/* A key value that occurs twice in the build side: its first two rows
 * (the lowest first row among duplicated keys), or 0 when all are unique. */
int join_table_duplicate(const join_table *t, int64_t *first, int64_t *second);

/* 1 when row r of the probe keys p has a null key that must not match. */
static inline int join_key_null(const join_keys *p, int64_t r, int nulls_equal) {
  if (nulls_equal) return 0;
  for (int k = 0; k < p->nkeys; k++)
    if (p->keys[k]->type == AUK_TYPE_NULL || !auk_array_is_valid(p->keys[k], r)) return 1;
  return 0;
}

/* Starts loading the slot of hash h (probes run some rows ahead). */
static inline void join_table_prefetch(const join_table *t, uint64_t h) {
  uint64_t part = (h >> 1) >> t->shift;
  int64_t s = t->base[part] + (int64_t)(h & (uint64_t)t->mask[part]);
  __builtin_prefetch(&t->head[s]);
  __builtin_prefetch(&t->tag[s]);
}

/* The head of the key matching probe row r of p (hash h; key value key
 * for a fast table): its first build row, with JOIN_MORE when it has
 * more; -1 when none. The caller has ruled out null keys. */
static inline int64_t join_table_find(const join_table *t, const join_keys *p, int64_t r,
                                      uint64_t h, uint64_t key) {
  uint64_t part = (h >> 1) >> t->shift;
  const int64_t b = t->base[part], m = t->mask[part];
  int64_t pos = (int64_t)(h & (uint64_t)m);
  if (t->fast) {
    for (;;) {
      int64_t hd = t->head[b + pos];
      if (hd < 0 || t->tag[b + pos] == key) return hd;
      pos = (pos + 1) & m;
    }
  }
  for (;;) {
    int64_t hd = t->head[b + pos];
    if (hd < 0) return -1;
    if (t->tag[b + pos] == h) {
      int eq = 1;
      for (int k = 0; k < p->nkeys && eq; k++)
        eq = exec_cells_equal(p->keys[k], r, t->b->keys[k], hd & ~JOIN_MORE);
      if (eq) return hd;
    }
    pos = (pos + 1) & m;
  }
}
#endif
