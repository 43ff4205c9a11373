/* gb_table.c - the group-by's open-addressing tables, one per worker and
 * radix partition: groups with their hash, first row, inline key words
 * and aggregate states; growth; the records of holistic aggregates. */
#include "exec/groupby.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/pool.h"
#include "core/types.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- tables */

int gb_table_init(table *t, const agg *a, int64_t cap) {
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

void gb_table_free(table *t, const agg *a) {
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

void gb_table_keep_rep(table *t, const agg *a) {
  table keep = *t;
  t->rep = NULL;
  gb_table_free(t, a);
  t->n = keep.n;
  t->cap = keep.cap;
  t->rep = keep.rep;
}

/* Initial state of group g for every prim. */
void gb_state_init(table *t, const agg *a, int64_t g) {
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

int gb_table_grow(table *t, const agg *a) {
  return gb_table_reserve(t, a, t->cap * 2);
}

int gb_table_reserve(table *t, const agg *a, int64_t cap) {
  if (cap <= t->cap) return 1;
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

/* Room for more records of holistic prim hol in t (out of line: rare). */
int gb_record_grow(table *t, int hol) {
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
