/* unique.c - distinct rows (on all columns or a subset), keeping the first
 * or last of each set of duplicates, or none of them, in input order.
 *
 * Row hashes are computed column by column (core/hash.h); an open-
 * addressing table of row numbers finds earlier equal rows, comparing the
 * stored hash before the values. This is a single-threaded table for now;
 * the partitioned parallel hash tables of group-by will take its place. */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/types.h"
#include "exec/take.h"

#include <math.h>
#include <string.h>

static int cell_equal(const auk_array *a, int64_t x, int64_t y) {
  int vx = auk_array_is_valid(a, x), vy = auk_array_is_valid(a, y);
  if (!vx || !vy) return vx == vy;
  if (a->type == AUK_TYPE_STRING) {
    int64_t lx, ly;
    const char *px = auk_array_str(a, x, &lx), *py = auk_array_str(a, y, &ly);
    return lx == ly && (lx == 0 || !memcmp(px, py, (size_t)lx));
  }
  if (a->type == AUK_TYPE_BOOL)
    return auk_bit_get(a->values->data, a->offset + x) ==
           auk_bit_get(a->values->data, a->offset + y);
  if (a->type == AUK_TYPE_FLOAT64) {
    double u = ((const double *)a->values->data)[a->offset + x];
    double v = ((const double *)a->values->data)[a->offset + y];
    return u == v || (isnan(u) && isnan(v));
  }
  if (a->type == AUK_TYPE_NULL) return 1;
  int w = auk_type_width(a->type);
  return !memcmp(a->values->data + (a->offset + x) * w, a->values->data + (a->offset + y) * w,
                 (size_t)w);
}

auk_status exec_unique(const auk_frame *in, const int *keycols, int nkeys, int keep,
                       auk_frame **out, auk_error *err) {
  *out = NULL;
  int64_t n = in->nrows, nb = in->nbatches;
  int ncols = in->schema->nfields;
  auk_status st = AUK_OK;
  int64_t cap = 16;
  while (cap < 2 * n) cap *= 2;
  auk_array **cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(ncols ? ncols : 1), err);
  auk_array **parts = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb ? nb : 1), err);
  uint64_t *h = auk_mem_calloc(sizeof(uint64_t) * (size_t)(n ? n : 1), err);
  int64_t *table = auk_mem_alloc(sizeof(int64_t) * (size_t)cap, err);
  uint8_t *drop = auk_mem_calloc((size_t)(n ? n : 1), err);
  int64_t *idx = auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err);
  if (!cols || !parts || !h || !table || !drop || !idx) {
    st = err->code;
    goto done;
  }
  for (int c = 0; c < ncols && nb && !st; c++) {
    for (int64_t b = 0; b < nb; b++) parts[b] = in->batches[b]->cols[c];
    st = concat_arrays(parts, nb, &cols[c], err);
  }
  if (st) goto done;
  int nk = nkeys ? nkeys : ncols;
  for (int k = 0; k < nk && nb; k++) auk_hash_column(cols[nkeys ? keycols[k] : k], h, k > 0);
  memset(table, 0xff, sizeof(int64_t) * (size_t)cap);
  for (int64_t i = 0; i < n; i++) {
    uint64_t pos = h[i] & (uint64_t)(cap - 1);
    for (;;) {
      int64_t j = table[pos];
      if (j < 0) {
        table[pos] = i;
        break;
      }
      int eq = h[j] == h[i];
      for (int k = 0; k < nk && eq; k++) eq = cell_equal(cols[nkeys ? keycols[k] : k], j, i);
      if (eq) {
        if (keep == AUK_KEEP_FIRST) {
          drop[i] = 1;
        } else if (keep == AUK_KEEP_LAST) {
          drop[j] = 1;
          table[pos] = i;
        } else {
          drop[i] = drop[j] = 1;
        }
        break;
      }
      pos = (pos + 1) & (uint64_t)(cap - 1);
    }
  }
  int64_t m = 0;
  for (int64_t i = 0; i < n; i++)
    if (!drop[i]) idx[m++] = i;
  auk_frame *f = auk_frame_new(in->schema, err);
  if (!f) {
    st = err->code;
    goto done;
  }
  for (int64_t s = 0; s < m && !st; s += AUK_BATCH_ROWS) {
    int64_t len = m - s < AUK_BATCH_ROWS ? m - s : AUK_BATCH_ROWS;
    auk_batch *b = auk_batch_new(in->schema, len, err);
    if (!b) {
      st = err->code;
      break;
    }
    for (int c = 0; c < ncols && !st; c++) st = take_array(cols[c], idx + s, len, &b->cols[c], err);
    if (st) {
      auk_batch_free(b);
      break;
    }
    st = auk_frame_append(f, b, err);
  }
  if (st)
    auk_frame_free(f);
  else
    *out = f;
done:
  if (cols)
    for (int c = 0; c < ncols; c++) auk_array_release(cols[c]);
  if (cols) auk_mem_free(cols, sizeof(auk_array *) * (size_t)(ncols ? ncols : 1));
  if (parts) auk_mem_free(parts, sizeof(auk_array *) * (size_t)(nb ? nb : 1));
  if (h) auk_mem_free(h, sizeof(uint64_t) * (size_t)(n ? n : 1));
  if (table) auk_mem_free(table, sizeof(int64_t) * (size_t)cap);
  if (drop) auk_mem_free(drop, (size_t)(n ? n : 1));
  if (idx) auk_mem_free(idx, sizeof(int64_t) * (size_t)(n ? n : 1));
  return st;
}
