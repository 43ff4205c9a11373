/* sort.c - stable multi-key sort and top-k.
 *
 * Each key is turned into 64-bit normalized keys whose unsigned order is
 * the wanted order (sign bit flipped for integers, the IEEE trick for
 * floats with NaN largest, the first 8 bytes big-endian for strings,
 * complemented for descending). Rows are radix-sorted on those keys, LSD
 * and stable, skipping bytes that are equal in every key; chunks are
 * sorted on all workers and then merged. Runs of equal normalized keys go
 * on to the next key, or, where the normalized key is only a prefix
 * (strings), to a stable merge sort with the full comparison. Nulls are
 * set apart first and placed first or last per key.
 *
 * Top-k: the k-th smallest normalized key of the first key is found by
 * selection; only rows at or below it (ties included) are sorted. */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/pool.h"
#include "exec/take.h"

#include <math.h>
#include <string.h>

typedef struct skey {
  const auk_array *a;
  int desc, nulls_last;
} skey;

typedef struct sorter {
  const skey *keys;
  int nkeys;
  uint64_t *tmp_k; /* scratch for radix passes */
  int64_t *tmp_i;
} sorter;

static int is_exact(const auk_array *a) {
  return a->type != AUK_TYPE_STRING;
}

static inline uint64_t norm(const auk_array *a, int64_t r, int desc) {
  const uint8_t *d = a->values->data;
  int64_t k = a->offset + r;
  uint64_t u;
  switch (a->type) {
    case AUK_TYPE_FLOAT64:
    case AUK_TYPE_FLOAT32: {
      double v = a->type == AUK_TYPE_FLOAT64 ? ((const double *)d)[k] : ((const float *)d)[k];
      if (isnan(v)) v = NAN;
      if (v == 0) v = 0; /* -0.0 sorts with 0.0 */
      uint64_t b;
      memcpy(&b, &v, 8);
      u = (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
      break;
    }
    case AUK_TYPE_STRING: {
      const int64_t *o = auk_array_offsets(a);
      int64_t len = o[r + 1] - o[r];
      const uint8_t *s = d + o[r];
      u = 0;
      for (int i = 0; i < 8; i++) u = (u << 8) | (i < len ? s[i] : 0);
      break;
    }
    case AUK_TYPE_BOOL: u = (uint64_t)auk_bit_get(d, k); break;
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
  return desc ? ~u : u;
}

/* Full comparison of rows x and y from key `from` on. */
static int cmp_rows(const sorter *s, int from, int64_t x, int64_t y) {
  for (int k = from; k < s->nkeys; k++) {
    const skey *key = &s->keys[k];
    const auk_array *a = key->a;
    int vx = auk_array_is_valid(a, x), vy = auk_array_is_valid(a, y);
    if (!vx || !vy) {
      if (vx == vy) continue;
      return (!vx ? -1 : 1) * (key->nulls_last ? -1 : 1);
    }
    int c;
    if (a->type == AUK_TYPE_STRING) {
      int64_t lx, ly;
      const char *px = auk_array_str(a, x, &lx), *py = auk_array_str(a, y, &ly);
      int64_t m = lx < ly ? lx : ly;
      c = m ? memcmp(px, py, (size_t)m) : 0;
      if (!c) c = (lx > ly) - (lx < ly);
    } else {
      uint64_t ux = norm(a, x, 0), uy = norm(a, y, 0);
      c = (ux > uy) - (ux < uy);
    }
    if (c) return key->desc ? -c : c;
  }
  return 0;
}

/* Stable merge sort of idx[0..n) by cmp_rows from key `from`. */
static void merge_sort(const sorter *s, int from, int64_t *idx, int64_t *tmp, int64_t n) {
  if (n < 16) {
    for (int64_t i = 1; i < n; i++) {
      int64_t v = idx[i], j = i;
      while (j > 0 && cmp_rows(s, from, idx[j - 1], v) > 0) {
        idx[j] = idx[j - 1];
        j--;
      }
      idx[j] = v;
    }
    return;
  }
  int64_t h = n / 2;
  merge_sort(s, from, idx, tmp, h);
  merge_sort(s, from, idx + h, tmp, n - h);
  if (cmp_rows(s, from, idx[h - 1], idx[h]) <= 0) return;
  memcpy(tmp, idx, sizeof(int64_t) * (size_t)h);
  int64_t i = 0, j = h, w = 0;
  while (i < h && j < n) idx[w++] = cmp_rows(s, from, idx[j], tmp[i]) < 0 ? idx[j++] : tmp[i++];
  while (i < h) idx[w++] = tmp[i++];
}

/* LSD radix sort of (k, idx) pairs, stable; tk/ti are scratch of n. */
static void radix(uint64_t *k, int64_t *idx, uint64_t *tk, int64_t *ti, int64_t n) {
  uint64_t all_or = 0, all_and = ~UINT64_C(0);
  for (int64_t i = 0; i < n; i++) {
    all_or |= k[i];
    all_and &= k[i];
  }
  uint64_t varying = all_or ^ all_and;
  for (int byte = 0; byte < 8; byte++) {
    int sh = byte * 8;
    if (!((varying >> sh) & 0xff)) continue;
    int64_t count[256] = {0};
    for (int64_t i = 0; i < n; i++) count[(k[i] >> sh) & 0xff]++;
    int64_t pos = 0;
    for (int b = 0; b < 256; b++) {
      int64_t c = count[b];
      count[b] = pos;
      pos += c;
    }
    for (int64_t i = 0; i < n; i++) {
      int64_t p = count[(k[i] >> sh) & 0xff]++;
      tk[p] = k[i];
      ti[p] = idx[i];
    }
    memcpy(k, tk, sizeof(uint64_t) * (size_t)n);
    memcpy(idx, ti, sizeof(int64_t) * (size_t)n);
  }
}

static auk_status sort_level(const sorter *s, int level, int64_t *idx, int64_t n, auk_error *err);

/* Sorts idx[0..n) (rows valid in key `level`) by normalized keys, then
 * the runs of ties by what follows. */
static auk_status sort_valid(const sorter *s, int level, int64_t *idx, int64_t n, auk_error *err) {
  const skey *key = &s->keys[level];
  uint64_t *k = auk_mem_alloc(sizeof(uint64_t) * (size_t)n * 2 + 8, err);
  int64_t *ti = k ? auk_mem_alloc(sizeof(int64_t) * (size_t)n + 8, err) : NULL;
  if (!ti) {
    if (k) auk_mem_free(k, sizeof(uint64_t) * (size_t)n * 2 + 8);
    return err->code;
  }
  for (int64_t i = 0; i < n; i++) k[i] = norm(key->a, idx[i], key->desc);
  radix(k, idx, k + n, ti, n);
  auk_status st = AUK_OK;
  int exact = is_exact(key->a);
  if (!exact || level + 1 < s->nkeys) {
    for (int64_t i = 0; i < n && !st;) {
      int64_t j = i + 1;
      while (j < n && k[j] == k[i]) j++;
      if (j - i > 1) {
        if (exact)
          st = sort_level(s, level + 1, idx + i, j - i, err);
        else
          merge_sort(s, level, idx + i, ti, j - i);
      }
      i = j;
    }
  }
  auk_mem_free(ti, sizeof(int64_t) * (size_t)n + 8);
  auk_mem_free(k, sizeof(uint64_t) * (size_t)n * 2 + 8);
  return st;
}

static auk_status sort_level(const sorter *s, int level, int64_t *idx, int64_t n, auk_error *err) {
  if (level >= s->nkeys || n < 2) return AUK_OK;
  const skey *key = &s->keys[level];
  if (key->a->null_count == 0) return sort_valid(s, level, idx, n, err);
  /* set nulls apart, stably */
  int64_t *tmp = auk_mem_alloc(sizeof(int64_t) * (size_t)n, err);
  if (!tmp) return err->code;
  int64_t nv = 0, nn = 0;
  for (int64_t i = 0; i < n; i++)
    if (auk_array_is_valid(key->a, idx[i]))
      idx[nv++] = idx[i];
    else
      tmp[nn++] = idx[i];
  auk_status st = sort_valid(s, level, idx, nv, err);
  if (!st) st = sort_level(s, level + 1, tmp, nn, err);
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

/* ------------------------------------------------------------ parallel */

typedef struct par {
  const sorter *s;
  int64_t *idx, n, parts;
  auk_status *st;
  auk_error *errs;
} par;

static void part_task(void *ctx, int64_t t, int worker) {
  (void)worker;
  par *p = ctx;
  int64_t a = p->n * t / p->parts, b = p->n * (t + 1) / p->parts;
  p->st[t] = sort_level(p->s, 0, p->idx + a, b - a, &p->errs[t]);
}

/* Merges the sorted runs [a, m) and [m, b) of idx (stable). */
static auk_status merge_runs(const sorter *s, int64_t *idx, int64_t a, int64_t m, int64_t b,
                             auk_error *err) {
  int64_t h = m - a;
  int64_t *tmp = auk_mem_alloc(sizeof(int64_t) * (size_t)(h ? h : 1), err);
  if (!tmp) return err->code;
  memcpy(tmp, idx + a, sizeof(int64_t) * (size_t)h);
  int64_t i = 0, j = m, w = a;
  while (i < h && j < b) idx[w++] = cmp_rows(s, 0, idx[j], tmp[i]) < 0 ? idx[j++] : tmp[i++];
  while (i < h) idx[w++] = tmp[i++];
  auk_mem_free(tmp, sizeof(int64_t) * (size_t)(h ? h : 1));
  return AUK_OK;
}

static auk_status sort_all(const sorter *s, int64_t *idx, int64_t n, auk_error *err) {
  int threads = auk_pool_threads();
  int64_t parts = n < 200000 || threads < 2 ? 1 : threads;
  if (parts == 1) return sort_level(s, 0, idx, n, err);
  auk_status st[64] = {0};
  auk_error errs[64];
  if (parts > 64) parts = 64;
  par p = {s, idx, n, parts, st, errs};
  auk_pool_run(parts, part_task, &p);
  for (int64_t t = 0; t < parts; t++)
    if (st[t]) {
      *err = errs[t];
      return st[t];
    }
  /* merge runs pairwise until one is left */
  for (int64_t width = 1; width < parts; width *= 2)
    for (int64_t t = 0; t + width < parts; t += 2 * width) {
      int64_t a = n * t / parts, m = n * (t + width) / parts;
      int64_t e = t + 2 * width < parts ? n * (t + 2 * width) / parts : n;
      if (merge_runs(s, idx, a, m, e, err)) return err->code;
    }
  return AUK_OK;
}

/* ---------------------------------------------------------------- top-k */

static uint64_t select_kth(uint64_t *v, int64_t n, int64_t k) {
  /* quickselect (Hoare) for the k-th smallest, 0-based */
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

/* Row candidates for the first `limit` rows: idx gets them, *n their
 * count. The null rows' key is the extreme they sort to. */
static auk_status topk_candidates(const sorter *s, int64_t rows, int64_t limit, int64_t *idx,
                                  int64_t *n, auk_error *err) {
  const skey *key = &s->keys[0];
  uint64_t *k = auk_mem_alloc(sizeof(uint64_t) * (size_t)rows * 2, err);
  if (!k) return err->code;
  uint64_t null_key = key->nulls_last ? ~UINT64_C(0) : 0;
  for (int64_t i = 0; i < rows; i++)
    k[i] = auk_array_is_valid(key->a, i) ? norm(key->a, i, key->desc) : null_key;
  memcpy(k + rows, k, sizeof(uint64_t) * (size_t)rows);
  uint64_t t = select_kth(k + rows, rows, limit - 1);
  int64_t c = 0;
  for (int64_t i = 0; i < rows; i++)
    if (k[i] <= t) idx[c++] = i;
  auk_mem_free(k, sizeof(uint64_t) * (size_t)rows * 2);
  *n = c;
  return AUK_OK;
}

/* ---------------------------------------------------------------- entry */

auk_status exec_sort(const auk_frame *in, bexpr *const *keys, const int *desc,
                     const int *nulls_last, int nkeys, int64_t limit, auk_frame **out,
                     auk_error *err) {
  *out = NULL;
  int64_t n = in->nrows, nb = in->nbatches;
  int ncols = in->schema->nfields;
  auk_status st = AUK_OK;
  skey *sk = auk_mem_calloc(sizeof(skey) * (size_t)nkeys, err);
  auk_array **cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(ncols + nkeys), err);
  auk_array **parts = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb ? nb : 1), err);
  int64_t *idx = auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err);
  if (!sk || !cols || !parts || !idx) {
    st = err->code;
    goto done;
  }
  /* key columns, evaluated per batch and joined */
  for (int k = 0; k < nkeys && !st; k++) {
    for (int64_t b = 0; b < nb && !st; b++)
      st = bexpr_eval(keys[k], in->batches[b], &parts[b], err);
    if (!st)
      st = nb ? concat_arrays(parts, nb, &cols[ncols + k], err)
              : ((cols[ncols + k] = auk_array_new_nulls(keys[k]->type, 0, err)) ? AUK_OK
                                                                                : err->code);
    for (int64_t b = 0; b < nb; b++) {
      auk_array_release(parts[b]);
      parts[b] = NULL;
    }
    if (st) break;
    sk[k].a = cols[ncols + k];
    sk[k].desc = desc[k];
    sk[k].nulls_last = nulls_last[k];
  }
  if (st) goto done;
  sorter s = {sk, nkeys, NULL, NULL};
  int64_t m = n;
  if (limit >= 0 && limit < n) {
    if (limit == 0)
      m = 0;
    else
      st = topk_candidates(&s, n, limit, idx, &m, err);
  } else {
    for (int64_t i = 0; i < n; i++) idx[i] = i;
  }
  if (!st) st = sort_all(&s, idx, m, err);
  if (st) goto done;
  if (limit >= 0 && m > limit) m = limit;
  /* gather every column in the new order */
  auk_frame *f = auk_frame_new(in->schema, err);
  if (!f) {
    st = err->code;
    goto done;
  }
  for (int c = 0; c < ncols && !st; c++) {
    for (int64_t b = 0; b < nb; b++) parts[b] = in->batches[b]->cols[c];
    if (nb) st = concat_arrays(parts, nb, &cols[c], err);
  }
  for (int64_t b = 0; b < nb; b++) parts[b] = NULL;
  for (int64_t start = 0; start < m && !st; start += AUK_BATCH_ROWS) {
    int64_t len = m - start < AUK_BATCH_ROWS ? m - start : AUK_BATCH_ROWS;
    auk_batch *ob = auk_batch_new(in->schema, len, err);
    if (!ob) {
      st = err->code;
      break;
    }
    for (int c = 0; c < ncols && !st; c++)
      st = take_array(cols[c], idx + start, len, &ob->cols[c], err);
    if (st || auk_frame_append(f, ob, err)) {
      if (!st)
        st = err->code;
      else
        auk_batch_free(ob);
    }
  }
  if (st)
    auk_frame_free(f);
  else
    *out = f;
done:
  if (cols)
    for (int c = 0; c < ncols + nkeys; c++) auk_array_release(cols[c]);
  if (cols) auk_mem_free(cols, sizeof(auk_array *) * (size_t)(ncols + nkeys));
  if (parts) auk_mem_free(parts, sizeof(auk_array *) * (size_t)(nb ? nb : 1));
  if (sk) auk_mem_free(sk, sizeof(skey) * (size_t)nkeys);
  if (idx) auk_mem_free(idx, sizeof(int64_t) * (size_t)(n ? n : 1));
  return st;
}
