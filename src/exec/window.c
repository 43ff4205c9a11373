/* window.c - the window node's column. The partition and order keys (and
 * the aggregate's argument, as i64 or f64) are evaluated per batch beside
 * each row's number; that small frame is sorted (stably) by partition, then
 * order keys, with the engine's sort; one walk over the sorted rows marks
 * where partitions and peer groups (rows equal on the order keys) start,
 * and one more computes the values (row_number counts, rank jumps to the
 * row number where a peer group starts, dense_rank counts them; aggregates
 * cover the partition, or with an order the rows up to the end of the
 * current peer group) and writes each to its row's place, so the output
 * keeps the input's row order and shares its columns. */
#include "core/alloc.h"
#include "core/error.h"
#include "exec/exec.h"
#include "exec/take.h"
#include "expr/kernel.h"

#include <stdio.h>
#include <string.h>

/* [__row, key0, key1, ..., arg] per batch of in. */
static auk_status key_frame(const plan_node *n, const auk_frame *in, auk_frame **out,
                            auk_error *err) {
  int nk = n->naggs + n->nexprs, na = n->pred && n->keep < AUK_WIN_LAG ? 1 : 0;
  *out = NULL;
  bexpr **b = auk_mem_calloc(sizeof *b * (size_t)(nk + na + 1), err);
  if (!b) return err->code;
  auk_schema *s = auk_schema_new(nk + na + 1, err);
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
  if (!st && na) { /* the argument, as the column's own type (i64 or f64) */
    auk_type_id t = n->schema->fields[n->schema->nfields - 1].type;
    if (n->keep == AUK_WIN_MEAN || n->keep == AUK_WIN_COUNT) t = AUK_TYPE_FLOAT64;
    auk_expr *c = auk_cast(expr_retain(n->pred), t);
    st = expr_bind(c, in->schema, &b[nk], NULL, err);
    expr_release(c);
    if (!st) st = auk_schema_set(s, nk + 1, "__arg", t, err);
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
    for (int k = 0; k < nk + na && !st; k++) st = bexpr_eval(b[k], src, &kb->cols[k + 1], err);
    row += src->nrows;
    if (st)
      auk_batch_free(kb);
    else
      st = auk_frame_append(f, kb, err);
  }
  for (int k = 0; k < nk + na; k++) bexpr_free(b[k]);
  auk_mem_free(b, sizeof *b * (size_t)(nk + na + 1));
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

/* One frame's aggregate state. */
typedef struct acc {
  int64_t count, isum;
  double fsum, fmin, fmax;
  int64_t imin, imax;
  int overflow;
} acc;

static void acc_add(acc *a, const auk_array *arr, int64_t r, int is_float) {
  if (!auk_array_is_valid(arr, r)) return;
  if (is_float) {
    double v = ((const double *)k_vals(arr))[r];
    if (!a->count || v < a->fmin) a->fmin = v;
    if (!a->count || v > a->fmax) a->fmax = v;
    a->fsum += v;
  } else {
    int64_t v = ((const int64_t *)k_vals(arr))[r];
    if (!a->count || v < a->imin) a->imin = v;
    if (!a->count || v > a->imax) a->imax = v;
    a->overflow |= __builtin_add_overflow(a->isum, v, &a->isum);
  }
  a->count++;
}

/* The value of a frame into value[at] (8 bytes: i64 or f64) and valid[at]. */
static void acc_put(const acc *a, int fn, int is_float, int64_t rows, int64_t *value,
                    uint8_t *valid, int64_t at) {
  double d = 0;
  int64_t i = 0;
  int ok = a->count > 0, as_float = is_float;
  switch (fn) {
    case AUK_WIN_SUM:
      d = a->fsum;
      i = a->isum;
      break;
    case AUK_WIN_MEAN:
      d = a->count ? a->fsum / (double)a->count : 0;
      as_float = 1;
      break;
    case AUK_WIN_MIN:
      d = a->fmin;
      i = a->imin;
      break;
    case AUK_WIN_MAX:
      d = a->fmax;
      i = a->imax;
      break;
    case AUK_WIN_COUNT:
      i = a->count;
      ok = 1;
      as_float = 0;
      break;
    default: /* len */
      i = rows;
      ok = 1;
      as_float = 0;
  }
  if (as_float)
    memcpy(&value[at], &d, sizeof d);
  else
    value[at] = i;
  valid[at] = (uint8_t)ok;
}

/* The value at sorted position k (0 when null; *ok says). */
static double arg_f(const auk_array **argb, const int64_t *argr, int64_t k, int *ok) {
  *ok = auk_array_is_valid(argb[k], argr[k]);
  return *ok ? ((const double *)k_vals(argb[k]))[argr[k]] : 0;
}
static int64_t arg_i(const auk_array **argb, const int64_t *argr, int64_t k, int *ok) {
  *ok = auk_array_is_valid(argb[k], argr[k]);
  return *ok ? ((const int64_t *)k_vals(argb[k]))[argr[k]] : 0;
}

/* Aggregates over ROWS frames: [k - preceding, k + following] within the
 * partition. Counts and sums come from prefix sums over the sorted order;
 * min and max scan the frame (a frame unbounded on one side grows or shrinks
 * by a row at a time, so those keep a running value). */
static auk_status frame_values(const plan_node *n, int64_t total, const uint8_t *flags,
                               const int64_t *place, const auk_array **argb, const int64_t *argr,
                               int64_t *value, uint8_t *valid, auk_error *err) {
  int fn = n->keep, is_float = argb && total > 0 && argb[0]->type == AUK_TYPE_FLOAT64;
  int64_t pre = n->frame_preceding, fol = n->frame_following;
  int64_t *cnt = auk_mem_alloc(sizeof *cnt * (size_t)(total + 1), err);
  double *fs = cnt ? auk_mem_alloc(sizeof *fs * (size_t)(total + 1), err) : NULL;
  int64_t *is = fs ? auk_mem_alloc(sizeof *is * (size_t)(total + 1), err) : NULL;
  if (!is) {
    if (fs) auk_mem_free(fs, sizeof *fs * (size_t)(total + 1));
    if (cnt) auk_mem_free(cnt, sizeof *cnt * (size_t)(total + 1));
    return err->code;
  }
  int overflow = 0;
  cnt[0] = 0;
  fs[0] = 0;
  is[0] = 0;
  for (int64_t k = 0; k < total; k++) {
    int ok = 1;
    double f = 0;
    int64_t i = 0;
    if (argb) {
      if (is_float)
        f = arg_f(argb, argr, k, &ok);
      else
        i = arg_i(argb, argr, k, &ok);
    }
    cnt[k + 1] = cnt[k] + ok;
    fs[k + 1] = fs[k] + f;
    overflow |= __builtin_add_overflow(is[k], i, &is[k + 1]);
  }
  for (int64_t s = 0; s < total;) {
    int64_t e = s + 1;
    while (e < total && !(flags[e] & 1)) e++;
    for (int64_t k = s; k < e; k++) {
      /* the frame [a, b] in sorted positions, clipped to the partition */
      int64_t a = pre == INT64_MAX ? s : pre == -INT64_MAX ? e : k - pre;
      int64_t b = fol == INT64_MAX ? e - 1 : fol == -INT64_MAX ? s - 1 : k + fol;
      if (a < s) a = s;
      if (b > e - 1) b = e - 1;
      int64_t rows = b >= a ? b - a + 1 : 0, c = rows ? cnt[b + 1] - cnt[a] : 0;
      int64_t at = place[k];
      valid[at] = 1;
      if (fn == AUK_WIN_LEN) {
        value[at] = rows;
        continue;
      }
      if (fn == AUK_WIN_COUNT) {
        value[at] = c;
        continue;
      }
      if (!c) {
        valid[at] = 0;
        value[at] = 0;
        continue;
      }
      if (fn == AUK_WIN_SUM || fn == AUK_WIN_MEAN) {
        if (fn == AUK_WIN_MEAN || is_float) {
          double d =
              fn == AUK_WIN_MEAN && !is_float ? (double)(is[b + 1] - is[a]) : fs[b + 1] - fs[a];
          if (fn == AUK_WIN_MEAN) d /= (double)c;
          memcpy(&value[at], &d, sizeof d);
        } else {
          value[at] = is[b + 1] - is[a];
        }
        continue;
      }
      /* min, max: over the frame's non-null values */
      int have = 0;
      double bf = 0;
      int64_t bi = 0;
      for (int64_t j = a; j <= b; j++) {
        int ok;
        if (is_float) {
          double v = arg_f(argb, argr, j, &ok);
          if (ok && (!have || (fn == AUK_WIN_MIN ? v < bf : v > bf))) bf = v, have = 1;
        } else {
          int64_t v = arg_i(argb, argr, j, &ok);
          if (ok && (!have || (fn == AUK_WIN_MIN ? v < bi : v > bi))) bi = v, have = 1;
        }
      }
      if (is_float)
        memcpy(&value[at], &bf, sizeof bf);
      else
        value[at] = bi;
    }
    s = e;
  }
  auk_mem_free(is, sizeof *is * (size_t)(total + 1));
  auk_mem_free(fs, sizeof *fs * (size_t)(total + 1));
  auk_mem_free(cnt, sizeof *cnt * (size_t)(total + 1));
  if (overflow && fn == AUK_WIN_SUM && !is_float)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "window sum: integer overflow (cast the argument to DOUBLE)");
  return AUK_OK;
}

/* Fills value/valid (by input row) from the flattened sorted order. */
static auk_status window_values(const plan_node *n, int64_t total, const uint8_t *flags,
                                const int64_t *place, const auk_array **argb, const int64_t *argr,
                                int64_t *value, uint8_t *valid, auk_error *err) {
  int fn = n->keep, ordered = n->nexprs > 0;
  if (n->has_frame && fn >= AUK_WIN_SUM && fn <= AUK_WIN_LEN)
    return frame_values(n, total, flags, place, argb, argr, value, valid, err);
  if (fn >= AUK_WIN_LAG) { /* the input row each value comes from, or -1 */
    int64_t off = n->offset > 0 ? n->offset : 1;
    for (int64_t s = 0; s < total;) {
      int64_t e = s + 1;
      while (e < total && !(flags[e] & 1)) e++;
      for (int64_t g = s; g < e;) { /* peer groups, for last_value */
        int64_t h = g + 1;
        while (h < e && ordered && !(flags[h] & 2)) h++;
        if (!ordered) h = e;
        for (int64_t k = g; k < h; k++) {
          int64_t src = fn == AUK_WIN_LAG           ? (k - off >= s ? place[k - off] : -1)
                        : fn == AUK_WIN_LEAD        ? (k + off < e ? place[k + off] : -1)
                        : fn == AUK_WIN_FIRST_VALUE ? place[s]
                                                    : place[h - 1];
          value[place[k]] = src;
          valid[place[k]] = 1;
        }
        g = h;
      }
      s = e;
    }
    return AUK_OK;
  }
  if (fn <= AUK_WIN_DENSE_RANK) {
    int64_t rn = 0, rank = 0, dense = 0;
    for (int64_t k = 0; k < total; k++) {
      if (flags[k] & 1) {
        rn = rank = dense = 1;
      } else {
        rn++;
        if (flags[k] & 2) {
          rank = rn;
          dense++;
        }
      }
      value[place[k]] = fn == AUK_WIN_RANK ? rank : fn == AUK_WIN_DENSE_RANK ? dense : rn;
      valid[place[k]] = 1;
    }
    return AUK_OK;
  }
  /* the argument as evaluated: f64 for mean and count and floats */
  int is_float = argb && total > 0 && argb[0]->type == AUK_TYPE_FLOAT64;
  for (int64_t s = 0; s < total;) {
    int64_t e = s + 1;
    while (e < total && !(flags[e] & 1)) e++;
    acc a = {0};
    if (!ordered) { /* the whole partition */
      for (int64_t k = s; k < e; k++)
        if (argb) acc_add(&a, argb[k], argr[k], is_float);
      for (int64_t k = s; k < e; k++) acc_put(&a, fn, is_float, e - s, value, valid, place[k]);
    } else { /* up to the end of each peer group */
      for (int64_t g = s; g < e;) {
        int64_t h = g + 1;
        while (h < e && !(flags[h] & 2)) h++;
        for (int64_t k = g; k < h; k++)
          if (argb) acc_add(&a, argb[k], argr[k], is_float);
        for (int64_t k = g; k < h; k++) acc_put(&a, fn, is_float, h - s, value, valid, place[k]);
        g = h;
      }
    }
    if (a.overflow && fn == AUK_WIN_SUM)
      return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                           "window sum: integer overflow (cast the argument to DOUBLE)");
    s = e;
  }
  return AUK_OK;
}

auk_status exec_window(const plan_node *n, const auk_frame *in, auk_frame **out, auk_error *err) {
  *out = NULL;
  int np = n->naggs, no = n->nexprs, nk = np + no;
  int64_t total = in->nrows;
  auk_frame *keys = NULL, *sorted = NULL;
  int64_t *value = auk_mem_alloc(sizeof *value * (size_t)(total ? total : 1), err);
  uint8_t *valid = value ? auk_mem_alloc((size_t)(total ? total : 1), err) : NULL;
  if (!valid) {
    if (value) auk_mem_free(value, sizeof *value * (size_t)(total ? total : 1));
    return err->code;
  }
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
  /* Flatten the sorted order: each row's place, where partitions and peer
   * groups start, and the argument. */
  uint8_t *flags = NULL; /* bit 0: a partition starts; bit 1: a peer group */
  int64_t *place = NULL;
  const auk_array **argb = NULL; /* per sorted row: its batch's argument column */
  int64_t *argr = NULL;
  if (!st) {
    flags = auk_mem_alloc((size_t)(total ? total : 1), err);
    place = auk_mem_alloc(sizeof *place * (size_t)(total ? total : 1), err);
    if (n->pred && n->keep < AUK_WIN_LAG) {
      argb = auk_mem_alloc(sizeof *argb * (size_t)(total ? total : 1), err);
      argr = auk_mem_alloc(sizeof *argr * (size_t)(total ? total : 1), err);
    }
    if (!flags || !place || (n->pred && n->keep < AUK_WIN_LAG && (!argb || !argr))) st = err->code;
  }
  if (!st) {
    const auk_batch *prev = NULL;
    int64_t pr = 0, at = 0;
    for (int64_t i = 0; i < sorted->nbatches; i++) {
      const auk_batch *b = sorted->batches[i];
      const int64_t *row = k_vals(b->cols[0]);
      for (int64_t j = 0; j < b->nrows; j++, at++) {
        int part = !prev || !same_keys(prev, pr, b, j, 1, 1 + np);
        int peer = part || !same_keys(prev, pr, b, j, 1 + np, 1 + nk);
        flags[at] = (uint8_t)(part | peer << 1);
        place[at] = row[j];
        if (argb) {
          argb[at] = b->cols[1 + nk];
          argr[at] = j;
        }
        prev = b;
        pr = j;
      }
    }
    st = window_values(n, total, flags, place, argb, argr, value, valid, err);
  }
  if (flags) auk_mem_free(flags, (size_t)(total ? total : 1));
  if (place) auk_mem_free(place, sizeof *place * (size_t)(total ? total : 1));
  if (argb) auk_mem_free(argb, sizeof *argb * (size_t)(total ? total : 1));
  if (argr) auk_mem_free(argr, sizeof *argr * (size_t)(total ? total : 1));
  auk_frame_free(keys);
  auk_frame_free(sorted);
  /* lag, lead, first_value, last_value: the argument gathered from the
   * rows found (any type). */
  auk_array *gathered = NULL;
  if (!st && n->keep >= AUK_WIN_LAG) {
    bexpr *b;
    auk_array *all = NULL;
    st = expr_bind(n->pred, in->schema, &b, NULL, err);
    if (!st) {
      st = exec_eval_joined(b, in, &all, err);
      if (!st)
        st = take_rows(all, value, total, n->schema->fields[n->schema->nfields - 1].type, &gathered,
                       err);
      auk_array_release(all);
      bexpr_free(b);
    }
  }
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
    if (gathered) {
      if (!(b->cols[src->ncols] = auk_array_slice(gathered, at, src->nrows, err))) {
        st = err->code;
        auk_batch_free(b);
        break;
      }
      at += src->nrows;
      st = auk_frame_append(f, b, err);
      continue;
    }
    auk_type_id t = n->schema->fields[n->schema->nfields - 1].type;
    auk_array *col = auk_array_new_fixed(t, src->nrows, err);
    if (!col) {
      st = err->code;
      auk_batch_free(b);
      break;
    }
    b->cols[src->ncols] = col;
    memcpy(auk_array_data(col), value + at, sizeof *value * (size_t)src->nrows);
    int64_t nulls = 0;
    for (int64_t r = 0; r < src->nrows; r++) nulls += !valid[at + r];
    if (nulls) {
      if (auk_array_add_validity(col, err)) {
        st = err->code;
        auk_batch_free(b);
        break;
      }
      uint8_t *v = col->validity->data;
      for (int64_t r = 0; r < src->nrows; r++)
        if (!valid[at + r]) auk_bit_clear(v, col->offset + r);
      col->null_count = nulls;
    }
    at += src->nrows;
    st = auk_frame_append(f, b, err);
  }
  auk_array_release(gathered);
  auk_mem_free(value, sizeof *value * (size_t)(total ? total : 1));
  auk_mem_free(valid, (size_t)(total ? total : 1));
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}
