/* gb_dict.c - a group-by key read dictionary-encoded (a Parquet string
 * column kept as codes into each column chunk's dictionary, core/array.h).
 * The batch's key array becomes the dictionary itself and the codes are
 * kept beside it; a worker finds each entry's group the first time a row
 * uses it (its key words and their hash, gb_kw_hash, as the hashing path
 * makes them), so a row costs one lookup of its code, not a probe of its
 * string. Groups still hold their
 * first row (for first-seen order); keys_equal and the key gathers read
 * the key of a row through its code. */
#include "exec/groupby.h"

#include "core/alloc.h"

#include <string.h>

auk_status gb_dict_setup(agg *a, int threads, auk_error *err) {
  int64_t nk = (int64_t)a->nkeys * a->nb, any = 0;
  for (int64_t i = 0; i < nk; i++) any |= a->keys[i]->dict != NULL;
  if (!any) return AUK_OK;
  if (a->nkeys != 1) { /* not a case the planner makes: decode them */
    for (int64_t i = 0; i < nk; i++) {
      if (!a->keys[i]->dict) continue;
      auk_array *d = auk_array_dict_decode(a->keys[i], err);
      if (!d) return err->code;
      auk_array_release(a->keys[i]);
      a->keys[i] = d;
    }
    return AUK_OK;
  }
  a->dthreads = threads;
  a->kcodes = auk_mem_calloc(sizeof(int32_t *) * (size_t)(a->nb + 1), err);
  a->kenc = a->kcodes ? auk_mem_calloc(sizeof(auk_array *) * (size_t)(a->nb + 1), err) : NULL;
  a->dwork = a->kenc ? auk_mem_calloc(sizeof(gb_dict_cache) * (size_t)threads, err) : NULL;
  if (!a->dwork) return err->code;
  for (int64_t b = 0; b < a->nb; b++) {
    auk_array *e = a->keys[b];
    if (!e->dict) continue;
    a->kenc[b] = e;
    a->kcodes[b] = auk_array_codes(e);
    a->keys[b] = auk_array_retain(e->dict);
  }
  return AUK_OK;
}

void gb_dict_free(agg *a) {
  if (a->kenc)
    for (int64_t b = 0; b < a->nb; b++) auk_array_release(a->kenc[b]);
  if (a->dwork)
    for (int w = 0; w < a->dthreads; w++) {
      gb_dict_cache *c = &a->dwork[w];
      auk_mem_free(c->slot, sizeof(int32_t) * (size_t)c->cap);
    }
  auk_mem_free(a->dwork, sizeof(gb_dict_cache) * (size_t)a->dthreads);
  auk_mem_free(a->kenc, sizeof(auk_array *) * (size_t)(a->nb + 1));
  auk_mem_free(a->kcodes, sizeof(int32_t *) * (size_t)(a->nb + 1));
  a->kenc = NULL;
  a->kcodes = NULL;
  a->dwork = NULL;
}

/* Makes c hold dictionary d: no entry's group found yet. */
static int dict_load(gb_dict_cache *c, const auk_array *d) {
  int64_t nd = d->length;
  if (nd > c->cap) {
    int32_t *slot = auk_mem_alloc(sizeof(int32_t) * (size_t)nd, NULL);
    if (!slot) return 0;
    auk_mem_free(c->slot, sizeof(int32_t) * (size_t)c->cap);
    c->slot = slot;
    c->cap = nd;
  }
  memset(c->slot, 0xff, sizeof(int32_t) * (size_t)nd);
  c->dict = d;
  return 1;
}

void gb_dict_slots(agg *a, table *tabs, int w, int64_t b, int32_t *slot, int64_t n) {
  gb_dict_cache *c = &a->dwork[w];
  const auk_array *d = a->keys[b];
  /* the batches of one column chunk share its dictionary, and the groups
   * of a worker's tables keep their numbers: the slots found stay right */
  if (c->dict != d && !dict_load(c, d)) {
    atomic_store(&a->failed, 1);
    return;
  }
  const int32_t *code = a->kcodes[b];
  int32_t *ds = c->slot;
  for (int64_t r = 0; r < n; r++) {
    int32_t k = code[r], s = ds[k];
    if (__builtin_expect(s < 0, 0)) {
      uint64_t kw[3];
      gb_key_words(a, b, k, 1, kw);
      uint64_t h = gb_kw_hash(kw, a->nkw);
      int p = (int)(h >> (64 - PBITS));
      int64_t g = find_or_add(&tabs[p], a, h, EXEC_POS(b, r), kw);
      if (g < 0 || g >= SLOT_MAX) {
        atomic_store(&a->failed, g < 0 ? 1 : 3);
        return;
      }
      s = ds[k] = (int32_t)g | p << SLOT_BITS;
    }
    slot[r] = s;
  }
}

auk_status gb_dict_key_positions(const agg *a, const int64_t *rep, int64_t n, int64_t **out,
                                 auk_error *err) {
  int64_t *k = auk_mem_alloc(sizeof(int64_t) * (size_t)(n + 1), err);
  if (!k) return err->code;
  for (int64_t g = 0; g < n; g++) {
    int64_t b = exec_pos_batch(rep[g]);
    k[g] = EXEC_POS(b, gb_key_row(a, b, exec_pos_row(rep[g])));
  }
  *out = k;
  return AUK_OK;
}
