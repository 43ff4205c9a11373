/* window.c - the window node's rank column. The partition and order keys
 * are evaluated per batch beside each row's number; that small frame is
 * sorted (stably) by partition, then order keys, with the engine's sort;
 * one walk over the sorted rows numbers them (row_number counts, rank
 * jumps to the row number where the order keys change, dense_rank counts
 * the changes) and writes each value to its row's place, so the output
 * keeps the input's row order and shares its columns. */
#include "core/alloc.h"
#include "core/error.h"
#include "exec/exec.h"
#include "exec/take.h"

#include <stdio.h>
#include <string.h>

enum { RANK_ROW_NUMBER = 0, RANK_RANK = 1, RANK_DENSE = 2 };

/* [__row, key0, key1, ...] per batch of in. */
static auk_status key_frame(const plan_node *n, const auk_frame *in, auk_frame **out,
                            auk_error *err) {
  int nk = n->naggs + n->nexprs;
  *out = NULL;
  bexpr **b = auk_mem_calloc(sizeof *b * (size_t)(nk ? nk : 1), err);
  if (!b) return err->code;
  auk_schema *s = auk_schema_new(nk + 1, err);
  auk_frame *f = NULL;
  auk_status st = s ? AUK_OK : err->code;
  if (!st) st = auk_schema_set(s, 0, "__row", AUK_TYPE_INT64, err);
  for (int k = 0; k < nk && !st; k++) {
    const auk_expr *e = k < n->naggs ? n->aggs[k] : n->exprs[k - n->naggs];
    auk_field fld;
    char name[32];
    snprintf(name, sizeof name, "__k%d", k);
    st = expr_bind(e, in->schema, &b[k], &fld, err);
    if (!st) st = auk_schema_set(s, k + 1, name, fld.type, err);
  }
  if (!st && !(f = auk_frame_new(s, err))) st = err->code;
  int64_t row = 0;
  for (int64_t i = 0; i < in->nbatches && !st; i++) {
    const auk_batch *src = in->batches[i];
    auk_batch *kb = auk_batch_new(s, src->nrows, err);
    if (!kb) {
      st = err->code;
      break;
    }
    if (!(kb->cols[0] = auk_array_new_fixed(AUK_TYPE_INT64, src->nrows, err))) st = err->code;
    if (!st) {
      int64_t *r = auk_array_data(kb->cols[0]);
      for (int64_t j = 0; j < src->nrows; j++) r[j] = row + j;
    }
    for (int k = 0; k < nk && !st; k++) st = bexpr_eval(b[k], src, &kb->cols[k + 1], err);
    row += src->nrows;
    if (st)
      auk_batch_free(kb);
    else
      st = auk_frame_append(f, kb, err);
  }
  for (int k = 0; k < nk; k++) bexpr_free(b[k]);
  auk_mem_free(b, sizeof *b * (size_t)(nk ? nk : 1));
  auk_schema_release(s);
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}

/* Whether sorted rows (bp, p) and (bq, q) agree on key columns [from, to). */
static int same_keys(const auk_batch *bp, int64_t p, const auk_batch *bq, int64_t q, int from,
                     int to) {
  for (int k = from; k < to; k++)
    if (!exec_cells_equal(bp->cols[k], p, bq->cols[k], q)) return 0;
  return 1;
}

auk_status exec_window(const plan_node *n, const auk_frame *in, auk_frame **out, auk_error *err) {
  *out = NULL;
  int np = n->naggs, no = n->nexprs, nk = np + no;
  int64_t total = in->nrows;
  auk_frame *keys = NULL, *sorted = NULL;
  int64_t *value = auk_mem_alloc(sizeof *value * (size_t)(total ? total : 1), err);
  if (!value) return err->code;
  auk_status st = key_frame(n, in, &keys, err);
  if (!st && nk > 0) {
    /* stable sort by partition keys, then the order keys */
    bexpr **sk = auk_mem_calloc(sizeof *sk * (size_t)nk, err);
    int *desc = auk_mem_calloc(sizeof *desc * (size_t)nk, err);
    int *nl = auk_mem_calloc(sizeof *nl * (size_t)nk, err);
    if (!sk || !desc || !nl) st = err->code;
    for (int k = 0; k < nk && !st; k++) {
      char name[32];
      snprintf(name, sizeof name, "__k%d", k);
      auk_expr *c = auk_col(name);
      st = expr_bind(c, keys->schema, &sk[k], NULL, err);
      expr_release(c);
      desc[k] = k < np ? 0 : n->desc[k - np];
      nl[k] = k < np ? 0 : n->nulls_last[k - np];
    }
    if (!st) st = exec_sort(keys, sk, desc, nl, nk, -1, &sorted, err);
    for (int k = 0; sk && k < nk; k++) bexpr_free(sk[k]);
    if (sk) auk_mem_free(sk, sizeof *sk * (size_t)nk);
    if (desc) auk_mem_free(desc, sizeof *desc * (size_t)nk);
    if (nl) auk_mem_free(nl, sizeof *nl * (size_t)nk);
  } else if (!st) {
    sorted = keys;
    keys = NULL;
  }
  if (!st) {
    const auk_batch *prev = NULL;
    int64_t pr = 0, rn = 0, rank = 0, dense = 0;
    for (int64_t i = 0; i < sorted->nbatches; i++) {
      const auk_batch *b = sorted->batches[i];
      const int64_t *row = auk_array_data(b->cols[0]);
      for (int64_t j = 0; j < b->nrows; j++) {
        if (!prev || !same_keys(prev, pr, b, j, 1, 1 + np)) {
          rn = rank = dense = 1;
        } else {
          rn++;
          if (!same_keys(prev, pr, b, j, 1 + np, 1 + nk)) {
            rank = rn;
            dense++;
          }
        }
        value[row[j]] = n->keep == RANK_RANK ? rank : n->keep == RANK_DENSE ? dense : rn;
        prev = b;
        pr = j;
      }
    }
  }
  auk_frame_free(keys);
  auk_frame_free(sorted);
  /* The input's columns, shared, and the new one. */
  auk_frame *f = NULL;
  if (!st && !(f = auk_frame_new(n->schema, err))) st = err->code;
  int64_t at = 0;
  for (int64_t i = 0; !st && i < in->nbatches; i++) {
    const auk_batch *src = in->batches[i];
    auk_batch *b = auk_batch_new(n->schema, src->nrows, err);
    if (!b) {
      st = err->code;
      break;
    }
    for (int c = 0; c < src->ncols; c++) b->cols[c] = auk_array_retain(src->cols[c]);
    if (!(b->cols[src->ncols] = auk_array_new_fixed(AUK_TYPE_INT64, src->nrows, err))) {
      st = err->code;
      auk_batch_free(b);
      break;
    }
    memcpy(auk_array_data(b->cols[src->ncols]), value + at, sizeof *value * (size_t)src->nrows);
    at += src->nrows;
    st = auk_frame_append(f, b, err);
  }
  auk_mem_free(value, sizeof *value * (size_t)(total ? total : 1));
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}
