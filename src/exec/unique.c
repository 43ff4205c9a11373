/* unique.c - distinct rows (on all columns or a subset), keeping the first
 * or last of each set of duplicates, or none of them, in input order.
 *
 * Row hashes are computed column by column (core/hash.h) on all workers;
 * rows are then split into partitions by the top bits of their hash (equal
 * rows land in the same partition, in input order), and each partition is
 * deduplicated on its own worker with an open-addressing table of row
 * numbers sized to the partition, comparing the stored hash before the
 * values. */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/pool.h"
#include "core/types.h"
#include "exec/take.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

enum { PART_BITS = 6, NPARTS = 1 << PART_BITS, HASH_TASKS = 64 };

typedef struct dedup {
  auk_array **cols;
  const int *keycols;
  int nkeys, nk, keep;
  int64_t head; /* keep first: rows kept per group */
  int64_t n;
  uint64_t *h;
  uint8_t *drop;
  int64_t *part_start, *rows;
  atomic_int failed;
} dedup;

static void hash_task(void *ctx, int64_t t, int worker) {
  (void)worker;
  dedup *d = ctx;
  int64_t lo = d->n * t / HASH_TASKS, hi = d->n * (t + 1) / HASH_TASKS;
  if (hi <= lo) return;
  for (int k = 0; k < d->nk; k++) {
    auk_array *s = auk_array_slice(d->cols[d->nkeys ? d->keycols[k] : k], lo, hi - lo, NULL);
    if (!s) {
      atomic_store(&d->failed, 1);
      return;
    }
    auk_hash_column(s, d->h + lo, k > 0);
    auk_array_release(s);
  }
}

static void part_task(void *ctx, int64_t p, int worker) {
  (void)worker;
  dedup *d = ctx;
  int64_t lo = d->part_start[p], hi = d->part_start[p + 1], m = hi - lo, cap = 16;
  if (m == 0) return;
  while (cap < 2 * m) cap *= 2;
  int64_t *table = auk_mem_alloc(sizeof(int64_t) * (size_t)cap * 2, NULL);
  if (!table) {
    atomic_store(&d->failed, 1);
    return;
  }
  memset(table, 0xff, sizeof(int64_t) * (size_t)cap);
  int64_t *seen = table + cap; /* rows seen per slot */
  const uint64_t *h = d->h;
  for (int64_t r = lo; r < hi; r++) {
    int64_t i = d->rows[r];
    uint64_t pos = h[i] & (uint64_t)(cap - 1);
    for (;;) {
      int64_t j = table[pos];
      if (j < 0) {
        table[pos] = i;
        seen[pos] = 1;
        break;
      }
      int eq = h[j] == h[i];
      for (int k = 0; k < d->nk && eq; k++)
        eq = exec_cells_equal(d->cols[d->nkeys ? d->keycols[k] : k], j,
                              d->cols[d->nkeys ? d->keycols[k] : k], i);
      if (eq) {
        if (d->keep == AUK_KEEP_FIRST) {
          d->drop[i] = seen[pos]++ >= d->head;
        } else if (d->keep == AUK_KEEP_LAST) {
          d->drop[j] = 1;
          table[pos] = i;
        } else {
          d->drop[i] = d->drop[j] = 1;
        }
        break;
      }
      pos = (pos + 1) & (uint64_t)(cap - 1);
    }
  }
  auk_mem_free(table, sizeof(int64_t) * (size_t)cap * 2);
}

auk_status exec_unique(const auk_frame *in, const int *keycols, int nkeys, int keep, int64_t head,
                       auk_frame **out, auk_error *err) {
  *out = NULL;
  int64_t n = in->nrows, nb = in->nbatches;
  int ncols = in->schema->nfields;
  auk_status st = AUK_OK;
  auk_array **cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(ncols ? ncols : 1), err);
  auk_array **parts = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb ? nb : 1), err);
  uint64_t *h = auk_mem_calloc(sizeof(uint64_t) * (size_t)(n ? n : 1), err);
  uint8_t *drop = auk_mem_calloc((size_t)(n ? n : 1), err);
  int64_t *idx = auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err);
  if (!cols || !parts || !h || !drop || !idx) {
    st = err->code;
    goto done;
  }
  for (int c = 0; c < ncols && nb && !st; c++) {
    for (int64_t b = 0; b < nb; b++) parts[b] = in->batches[b]->cols[c];
    st = concat_arrays(parts, nb, &cols[c], err);
  }
  if (st) goto done;
  int nk = nkeys ? nkeys : ncols;
  dedup d = {cols, keycols, nkeys, nk, keep, head < 1 ? 1 : head, n, h, drop, NULL, NULL, 0};
  if (nb) auk_pool_run(HASH_TASKS, hash_task, &d);
  /* partition row numbers by the top bits of their hash, in input order */
  d.part_start = auk_mem_calloc(sizeof(int64_t) * (NPARTS + 1), err);
  d.rows = d.part_start ? auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err) : NULL;
  if (!d.rows) {
    st = err->code;
    goto done_parts;
  }
  for (int64_t i = 0; i < n; i++) d.part_start[(h[i] >> (64 - PART_BITS)) + 1]++;
  for (int p = 0; p < NPARTS; p++) d.part_start[p + 1] += d.part_start[p];
  {
    int64_t fill[NPARTS];
    memcpy(fill, d.part_start, sizeof fill);
    for (int64_t i = 0; i < n; i++) d.rows[fill[h[i] >> (64 - PART_BITS)]++] = i;
  }
  auk_pool_run(NPARTS, part_task, &d);
  if (d.failed) st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "unique: out of memory");
done_parts:
  if (d.rows) auk_mem_free(d.rows, sizeof(int64_t) * (size_t)(n ? n : 1));
  if (d.part_start) auk_mem_free(d.part_start, sizeof(int64_t) * (NPARTS + 1));
  if (st) goto done;
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
  if (drop) auk_mem_free(drop, (size_t)(n ? n : 1));
  if (idx) auk_mem_free(idx, sizeof(int64_t) * (size_t)(n ? n : 1));
  return st;
}
