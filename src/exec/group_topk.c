/* group_topk.c - the first k rows of every group after a sort on one
 * numeric key (sort then group_head, "largest two v3 by id6"), without
 * sorting every row.
 *
 * Each worker takes batches and keeps, per group of its own hash table,
 * the k best (sort key, position) pairs seen: the sort key normalized to
 * an unsigned value whose ascending order is the sort's order, ties going
 * to the earlier row, as in a stable sort. The workers' tables are folded
 * into one, and the chosen rows (at most k per group) are gathered in
 * input order. Sorting that subset and taking the group heads of it gives
 * exactly the rows and the order the full sort would: the subset holds
 * every row the full sort's group heads keep, in the same relative order.
 * Rows are named by position (exec_pos_*). */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/pool.h"
#include "core/types.h"
#include "exec/take.h"

#include <stdatomic.h>
#include <string.h>

typedef struct tk_table {
  int64_t n, cap, slot_cap;
  int32_t *slots; /* -1 empty, else group */
  uint64_t *hash; /* per group */
  int64_t *rep;   /* per group: a row position holding its key values */
  int64_t *cnt;   /* per group: pairs kept (at most k), then the worst kept key */
  uint64_t *kv;   /* per group, with one integer key: null flag, value */
  uint64_t *key;  /* per group, k (normalized sort key, row position) pairs */
} tk_table;

typedef struct gtk {
  const auk_frame *in;
  const int *keycols;
  int nkeys;
  auk_array **sk; /* the sort key per batch */
  int desc;
  int64_t k;
  tk_table *tabs; /* per worker */
  uint64_t **wh;  /* per worker: hashes of one batch */
  uint64_t **wu;  /* per worker: normalized keys of one batch */
  uint64_t **wv;  /* per worker, with one integer key: its null flags and values */
  int inl;        /* one integer key: compared inline, not through the rows */
  /* one integer key of a small range: groups found by direct index
   * (value - dmin; drange for null) before any hashing */
  int direct;
  int64_t dmin, drange;
  int32_t **dmaps; /* per worker, drange + 1 entries, -1 unset */
  atomic_int failed;
} gtk;

static void tk_free(tk_table *t, int64_t k) {
  if (t->slots) auk_mem_free(t->slots, sizeof(int32_t) * (size_t)t->slot_cap);
  if (t->hash) auk_mem_free(t->hash, sizeof(uint64_t) * (size_t)t->cap);
  if (t->rep) auk_mem_free(t->rep, sizeof(int64_t) * (size_t)t->cap);
  if (t->cnt) auk_mem_free(t->cnt, sizeof(int64_t) * 2 * (size_t)t->cap);
  if (t->key) auk_mem_free(t->key, sizeof(uint64_t) * 2 * (size_t)(t->cap * k));
  if (t->kv) auk_mem_free(t->kv, sizeof(uint64_t) * 2 * (size_t)t->cap);
  memset(t, 0, sizeof *t);
}

/* Grows t to cap groups (and its slots to 2 * cap), rehashing. */
static int tk_grow(tk_table *t, int64_t cap, int64_t k) {
  void *p[5] = {t->hash, t->rep, t->cnt, t->key, t->kv};
  size_t w[5] = {sizeof(uint64_t), sizeof(int64_t), sizeof(int64_t) * 2,
                 sizeof(uint64_t) * 2 * (size_t)k, sizeof(uint64_t) * 2};
  for (int i = 0; i < 5; i++) {
    void *q = p[i] ? auk_mem_realloc(p[i], w[i] * (size_t)t->cap, w[i] * (size_t)cap, NULL)
                   : auk_mem_alloc(w[i] * (size_t)cap, NULL);
    if (!q) return 0;
    p[i] = q;
    if (i == 0) t->hash = q;
    if (i == 1) t->rep = q;
    if (i == 2) t->cnt = q;
    if (i == 3) t->key = q;
    if (i == 4) t->kv = q;
  }
  t->cap = cap;
  int64_t sc = 16;
  while (sc < 2 * cap) sc *= 2;
  int32_t *slots = auk_mem_alloc(sizeof(int32_t) * (size_t)sc, NULL);
  if (!slots) return 0;
  memset(slots, 0xff, sizeof(int32_t) * (size_t)sc);
  for (int64_t g = 0; g < t->n; g++) {
    uint64_t at = t->hash[g] & (uint64_t)(sc - 1);
    while (slots[at] >= 0) at = (at + 1) & (uint64_t)(sc - 1);
    slots[at] = (int32_t)g;
  }
  if (t->slots) auk_mem_free(t->slots, sizeof(int32_t) * (size_t)t->slot_cap);
  t->slots = slots;
  t->slot_cap = sc;
  return 1;
}

static int keys_equal(const gtk *g, int64_t x, int64_t y) {
  const auk_batch *bx = g->in->batches[exec_pos_batch(x)], *by = g->in->batches[exec_pos_batch(y)];
  for (int k = 0; k < g->nkeys; k++)
    if (!exec_cells_equal(bx->cols[g->keycols[k]], exec_pos_row(x), by->cols[g->keycols[k]],
                          exec_pos_row(y)))
      return 0;
  return 1;
}

/* The group of position r (hash h; with one integer key, kv its null
 * flag and value) in t, added when new; -1 on out of memory. */
static int64_t tk_find(tk_table *t, const gtk *g, uint64_t h, int64_t r, const uint64_t *kv) {
  uint64_t mask = (uint64_t)(t->slot_cap - 1), at = h & mask;
  for (;;) {
    int32_t s = t->slots[at];
    if (s < 0) break;
    if (t->hash[s] == h &&
        (g->inl ? t->kv[2 * s] == kv[0] && t->kv[2 * s + 1] == kv[1] : keys_equal(g, t->rep[s], r)))
      return s;
    at = (at + 1) & mask;
  }
  if (t->n == t->cap) {
    if (!tk_grow(t, t->cap * 2, g->k)) return -1;
    mask = (uint64_t)(t->slot_cap - 1);
    at = h & mask;
    while (t->slots[at] >= 0) at = (at + 1) & mask;
  }
  int64_t s = t->n++;
  t->slots[at] = (int32_t)s;
  t->hash[s] = h;
  t->rep[s] = r;
  t->cnt[2 * s] = 0;
  t->kv[2 * s] = kv[0];
  t->kv[2 * s + 1] = kv[1];
  return s;
}

/* Offers (u, r) to group s's k best: smaller u first, then earlier r. */
static inline int64_t tk_worst(const uint64_t *e, int64_t k) {
  int64_t worst = 0;
  for (int64_t j = 1; j < k; j++)
    if (e[2 * j] > e[2 * worst] || (e[2 * j] == e[2 * worst] && e[2 * j + 1] > e[2 * worst + 1]))
      worst = j;
  return worst;
}

/* Offers (u, r) to group s's k best: smaller u first, then earlier r.
 * Once k are kept, cnt[2 * s + 1] holds the worst kept key: the scan
 * drops a row whose key is above it without touching the pairs. */
static inline void tk_offer(tk_table *t, int64_t k, int64_t s, uint64_t u, int64_t r) {
  uint64_t *e = t->key + 2 * s * k; /* pairs in one place: one cache line for small k */
  int64_t c = t->cnt[2 * s];
  if (c < k) {
    e[2 * c] = u;
    e[2 * c + 1] = (uint64_t)r;
    t->cnt[2 * s] = c + 1;
    if (c + 1 == k) t->cnt[2 * s + 1] = (int64_t)e[2 * tk_worst(e, k)];
    return;
  }
  int64_t worst = tk_worst(e, k);
  if (u < e[2 * worst] || (u == e[2 * worst] && (uint64_t)r < e[2 * worst + 1])) {
    e[2 * worst] = u;
    e[2 * worst + 1] = (uint64_t)r;
    t->cnt[2 * s + 1] = (int64_t)e[2 * tk_worst(e, k)];
  }
}

/* Normalized sort keys of batch b: ascending order is the sort's order. */
static void sort_keys(const gtk *g, int64_t b, uint64_t *u) {
  const auk_array *a = g->sk[b];
  int64_t n = a->length, off = a->offset;
  const uint8_t *d = a->values->data;
  uint64_t flip = g->desc ? ~UINT64_C(0) : 0, sign = UINT64_C(1) << 63;
  if (auk_type_is_float(a->type)) {
    for (int64_t i = 0; i < n; i++)
      u[i] = exec_f64_key(a->type == AUK_TYPE_FLOAT64 ? ((const double *)d)[off + i]
                                                      : ((const float *)d)[off + i]) ^
             flip;
    return;
  }
  switch (auk_type_width(a->type)) {
    case 1:
      for (int64_t i = 0; i < n; i++) u[i] = ((uint64_t)((const int8_t *)d)[off + i] ^ sign) ^ flip;
      break;
    case 2:
      for (int64_t i = 0; i < n; i++)
        u[i] = ((uint64_t)((const int16_t *)d)[off + i] ^ sign) ^ flip;
      break;
    case 4:
      for (int64_t i = 0; i < n; i++)
        u[i] = ((uint64_t)((const int32_t *)d)[off + i] ^ sign) ^ flip;
      break;
    default:
      for (int64_t i = 0; i < n; i++)
        u[i] = ((uint64_t)((const int64_t *)d)[off + i] ^ sign) ^ flip;
      break;
  }
}

static void scan_task(void *ctx, int64_t b, int w) {
  gtk *g = ctx;
  if (atomic_load_explicit(&g->failed, memory_order_relaxed)) return;
  const auk_batch *bt = g->in->batches[b];
  uint64_t *h = g->wh[w], *u = g->wu[w], *kv = g->wv[w], none[2] = {0, 0};
  /* one integer key hashes inline, only for rows that look a group up */
  for (int k = 0; !g->inl && k < g->nkeys; k++) auk_hash_column(bt->cols[g->keycols[k]], h, k > 0);
  sort_keys(g, b, u);
  if (g->inl) {
    const auk_array *c = bt->cols[g->keycols[0]];
    const uint8_t *d = c->values->data;
    int64_t off = c->offset;
    /* as auk_array_int_range reads them, so the direct index fits */
#define KV_READ(T) \
  for (int64_t i = 0; i < bt->nrows; i++) kv[2 * i + 1] = (uint64_t)(int64_t)((const T *)d)[off + i]
    switch (auk_type_storage(c->type)) {
      case AUK_TYPE_INT8: KV_READ(int8_t); break;
      case AUK_TYPE_UINT8: KV_READ(uint8_t); break;
      case AUK_TYPE_INT16: KV_READ(int16_t); break;
      case AUK_TYPE_UINT16: KV_READ(uint16_t); break;
      case AUK_TYPE_INT32:
      case AUK_TYPE_DATE: KV_READ(int32_t); break;
      case AUK_TYPE_UINT32: KV_READ(uint32_t); break;
      default: KV_READ(int64_t); break;
    }
#undef KV_READ
    for (int64_t i = 0; i < bt->nrows; i++) {
      kv[2 * i] = c->null_count && !auk_array_is_valid(c, i);
      if (kv[2 * i]) kv[2 * i + 1] = 0;
    }
  }
  tk_table *t = &g->tabs[w];
  int32_t *dm = g->direct ? g->dmaps[w] : NULL;
  for (int64_t i = 0; i < bt->nrows; i++) {
    int64_t s, idx = 0;
    if (dm) {
      idx = kv[2 * i] ? g->drange : (int64_t)kv[2 * i + 1] - g->dmin;
      s = dm[idx];
    }
    if (!dm || s < 0) {
      uint64_t hh = !g->inl ? h[i] : kv[2 * i] ? AUK_HASH_NULL : auk_hash_mix(kv[2 * i + 1]);
      s = tk_find(t, g, hh, EXEC_POS(b, i), g->inl ? kv + 2 * i : none);
      if (dm) dm[idx] = (int32_t)s;
    }
    if (s < 0) {
      atomic_store(&g->failed, 1);
      return;
    }
    if (t->cnt[2 * s] == g->k && u[i] > (uint64_t)t->cnt[2 * s + 1]) continue;
    tk_offer(t, g->k, s, u[i], EXEC_POS(b, i));
  }
}

static int key_type_ok(auk_type_id t) {
  return (auk_type_is_integer(t) && auk_type_is_signed(t)) || auk_type_is_float(t) ||
         t == AUK_TYPE_DATE || t == AUK_TYPE_DATETIME;
}

auk_status exec_group_topk(const auk_frame *in, const bexpr *key, int desc, const int *keycols,
                           int nkeys, int64_t k, auk_frame **out, auk_error *err) {
  *out = NULL;
  int threads = auk_pool_threads();
  int64_t nb = in->nbatches, scratch = 1;
  for (int64_t b = 0; b < nb; b++)
    if (in->batches[b]->nrows > scratch) scratch = in->batches[b]->nrows;
  gtk g;
  memset(&g, 0, sizeof g);
  g.in = in;
  g.keycols = keycols;
  g.nkeys = nkeys;
  g.desc = desc;
  g.k = k;
  auk_status st = AUK_OK;
  int64_t *sel = NULL, *perm = NULL, nsel = 0;
  auk_array **parts = NULL;
  auk_frame *f = NULL;
  g.sk = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb + 1), err);
  g.tabs = g.sk ? auk_mem_calloc(sizeof(tk_table) * (size_t)threads, err) : NULL;
  g.wh = g.tabs ? auk_mem_calloc(sizeof(uint64_t *) * (size_t)threads, err) : NULL;
  g.wu = g.wh ? auk_mem_calloc(sizeof(uint64_t *) * (size_t)threads, err) : NULL;
  g.wv = g.wu ? auk_mem_calloc(sizeof(uint64_t *) * (size_t)threads, err) : NULL;
  if (nkeys == 1) {
    auk_type_id t = in->schema->fields[keycols[0]].type;
    g.inl = auk_type_is_integer(t) || t == AUK_TYPE_DATE || t == AUK_TYPE_DATETIME;
  }
  if (!g.wv) {
    st = err->code;
    goto done;
  }
  for (int w = 0; w < threads && !st; w++) {
    g.wh[w] = auk_mem_alloc(sizeof(uint64_t) * (size_t)scratch, err);
    g.wu[w] = g.wh[w] ? auk_mem_alloc(sizeof(uint64_t) * (size_t)scratch, err) : NULL;
    g.wv[w] = g.wu[w] ? auk_mem_alloc(sizeof(uint64_t) * 2 * (size_t)scratch, err) : NULL;
    if (!g.wv[w] || !tk_grow(&g.tabs[w], 256, k))
      st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_head: out of memory");
  }
  if (g.inl && nb) { /* the key's range: small ones index directly */
    int64_t mn = INT64_MAX, mx = INT64_MIN;
    for (int64_t b = 0; b < nb; b++)
      auk_array_int_range(in->batches[b]->cols[keycols[0]], &mn, &mx);
    if (mn > mx) mn = mx = 0;
    uint64_t range = (uint64_t)mx - (uint64_t)mn + 1;
    if (range <= ((uint64_t)1 << 22) && range <= (uint64_t)in->nrows + 1024) {
      g.drange = (int64_t)range;
      g.dmin = mn;
      g.dmaps = auk_mem_calloc(sizeof(int32_t *) * (size_t)threads, err);
      for (int w = 0; g.dmaps && w < threads; w++) {
        if (!(g.dmaps[w] = auk_mem_alloc(sizeof(int32_t) * (size_t)(range + 1), err))) break;
        memset(g.dmaps[w], 0xff, sizeof(int32_t) * (size_t)(range + 1));
      }
      if (!g.dmaps || !g.dmaps[threads - 1]) {
        st = err->code;
        goto done;
      }
      g.direct = 1;
    }
  }
  int nulls = 0;
  for (int64_t b = 0; b < nb && !st; b++)
    if (!(st = bexpr_eval(key, in->batches[b], &g.sk[b], err))) nulls |= g.sk[b]->null_count > 0;
  if (st || nulls) goto done; /* nulls: *out stays NULL, the caller sorts */
  auk_pool_run(nb, scan_task, &g);
  if (g.failed) {
    st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_head: out of memory");
    goto done;
  }
  /* fold the other workers' groups into worker 0's */
  tk_table *t0 = &g.tabs[0];
  for (int w = 1; w < threads && !st; w++) {
    tk_table *t = &g.tabs[w];
    for (int64_t s = 0; s < t->n; s++) {
      int64_t d = tk_find(t0, &g, t->hash[s], t->rep[s], t->kv + 2 * s);
      if (d < 0) {
        st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_head: out of memory");
        break;
      }
      if (t->rep[s] < t0->rep[d]) t0->rep[d] = t->rep[s];
      for (int64_t j = 0; j < t->cnt[2 * s]; j++)
        tk_offer(t0, k, d, t->key[2 * (s * k + j)], (int64_t)t->key[2 * (s * k + j) + 1]);
    }
  }
  if (st) goto done;
  for (int64_t s = 0; s < t0->n; s++) nsel += t0->cnt[2 * s];
  sel = auk_mem_alloc(sizeof(int64_t) * (size_t)(nsel + 1), err);
  perm = sel ? auk_mem_alloc(sizeof(int64_t) * (size_t)(nsel + 1), err) : NULL;
  parts = perm ? auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb + 1), err) : NULL;
  if (!parts) {
    st = err->code;
    goto done;
  }
  nsel = 0;
  for (int64_t s = 0; s < t0->n; s++)
    for (int64_t j = 0; j < t0->cnt[2 * s]; j++)
      sel[nsel++] = (int64_t)t0->key[2 * (s * k + j) + 1];
  if ((st = exec_argsort_i64(sel, nsel, perm, err))) goto done;
  for (int64_t i = 0; i < nsel; i++) perm[i] = sel[perm[i]];
  if (!(f = auk_frame_new(in->schema, err))) {
    st = err->code;
    goto done;
  }
  for (int64_t s0 = 0; s0 < nsel && !st; s0 += AUK_BATCH_ROWS) {
    int64_t len = nsel - s0 < AUK_BATCH_ROWS ? nsel - s0 : AUK_BATCH_ROWS;
    auk_batch *bt = auk_batch_new(in->schema, len, err);
    if (!bt) {
      st = err->code;
      break;
    }
    for (int c = 0; c < in->schema->nfields && !st; c++) {
      for (int64_t b = 0; b < nb; b++) parts[b] = in->batches[b]->cols[c];
      st = take_pos(parts, nb, perm + s0, len, in->schema->fields[c].type, &bt->cols[c], err);
    }
    if (st)
      auk_batch_free(bt);
    else
      st = auk_frame_append(f, bt, err);
  }
done:
  if (st) {
    auk_frame_free(f);
    f = NULL;
  }
  *out = f;
  if (parts) auk_mem_free(parts, sizeof(auk_array *) * (size_t)(nb + 1));
  if (sel) auk_mem_free(sel, sizeof(int64_t) * (size_t)(nsel + 1));
  if (perm) auk_mem_free(perm, sizeof(int64_t) * (size_t)(nsel + 1));
  for (int w = 0; w < threads; w++) {
    if (g.tabs) tk_free(&g.tabs[w], k);
    if (g.wh && g.wh[w]) auk_mem_free(g.wh[w], sizeof(uint64_t) * (size_t)scratch);
    if (g.wu && g.wu[w]) auk_mem_free(g.wu[w], sizeof(uint64_t) * (size_t)scratch);
    if (g.wv && g.wv[w]) auk_mem_free(g.wv[w], sizeof(uint64_t) * 2 * (size_t)scratch);
  }
  if (g.wu) auk_mem_free(g.wu, sizeof(uint64_t *) * (size_t)threads);
  if (g.wv) auk_mem_free(g.wv, sizeof(uint64_t *) * (size_t)threads);
  if (g.dmaps) {
    for (int w = 0; w < threads; w++)
      if (g.dmaps[w]) auk_mem_free(g.dmaps[w], sizeof(int32_t) * (size_t)(g.drange + 1));
    auk_mem_free(g.dmaps, sizeof(int32_t *) * (size_t)threads);
  }
  if (g.wh) auk_mem_free(g.wh, sizeof(uint64_t *) * (size_t)threads);
  if (g.tabs) auk_mem_free(g.tabs, sizeof(tk_table) * (size_t)threads);
  if (g.sk) {
    for (int64_t b = 0; b < nb; b++) auk_array_release(g.sk[b]);
    auk_mem_free(g.sk, sizeof(auk_array *) * (size_t)(nb + 1));
  }
  return st;
}

int exec_group_topk_key_ok(auk_type_id t) {
  return key_type_ok(t);
}