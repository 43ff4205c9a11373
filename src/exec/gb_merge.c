/* gb_merge.c - the group-by's merge: each partition folds the other
 * workers' tables into worker 0's (sums add, Welford/Chan for variance and
 * co-moments, min/max, first/last by position), then computes its result
 * columns, holistic aggregates (median, quantile, n_unique, arg_min,
 * arg_max) from their records grouped by a counting sort. */
#include "core/decimal.h"
#include "exec/groupby.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/pool.h"
#include "core/types.h"
#include "exec/exec.h"
#include "expr/kernel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- merge */

static void merge_state(const prim *p, const agg *a, uint64_t *d, const uint64_t *s) {
  (void)a;
  switch (p->k) {
    case K_SUM_I: {
      int64_t v;
      if (__builtin_add_overflow((int64_t)d[0], (int64_t)s[0], &v)) {
        atomic_store((atomic_int *)&a->failed, 2);
      }
      d[0] = (uint64_t)v;
      break;
    }
    case K_SUM_F: {
      double x, y;
      memcpy(&x, d, 8);
      memcpy(&y, s, 8);
      x += y;
      memcpy(d, &x, 8);
      break;
    }
    case K_MEAN:
    case K_MEAN_I: {
      double x, y;
      memcpy(&x, d, 8);
      memcpy(&y, s, 8);
      x += y;
      memcpy(d, &x, 8);
      d[1] += s[1];
      break;
    }
    case K_MIN_I:
    case K_MAX_I:
      if (s[1] && (!d[1] || (p->k == K_MAX_I ? (int64_t)s[0] > (int64_t)d[0]
                                             : (int64_t)s[0] < (int64_t)d[0])))
        d[0] = s[0];
      d[1] |= s[1];
      break;
    case K_MIN_F:
    case K_MAX_F: {
      double u, v;
      memcpy(&u, d, 8);
      memcpy(&v, s, 8);
      int mx = p->k == K_MAX_F;
      if (s[1] &&
          (!d[1] || (mx ? (v > u || (isnan(v) && !isnan(u))) : (v < u || (isnan(u) && !isnan(v))))))
        d[0] = s[0];
      d[1] |= s[1];
      break;
    }
    case K_MIN_ROW:
    case K_MAX_ROW:
      if ((int64_t)s[0] >= 0) {
        if ((int64_t)d[0] < 0) {
          d[0] = s[0];
        } else {
          int c = cmp_pos(p->x, (int64_t)s[0], (int64_t)d[0]);
          /* ties keep the earlier row */
          if (p->k == K_MAX_ROW ? (c > 0 || (c == 0 && s[0] < d[0]))
                                : (c < 0 || (c == 0 && s[0] < d[0])))
            d[0] = s[0];
        }
      }
      break;
    case K_COUNT:
    case K_LEN: d[0] += s[0]; break;
    case K_FIRST:
      if ((int64_t)s[0] >= 0 && ((int64_t)d[0] < 0 || s[0] < d[0])) d[0] = s[0];
      break;
    case K_LAST:
      if (s[0] > d[0]) d[0] = s[0];
      break;
    case K_VAR: {
      double n1 = (double)d[0], n2 = (double)s[0];
      if (!s[0]) break;
      if (!d[0]) {
        memcpy(d, s, 24);
        break;
      }
      double m1, m2, q1, q2;
      memcpy(&m1, &d[1], 8);
      memcpy(&q1, &d[2], 8);
      memcpy(&m2, &s[1], 8);
      memcpy(&q2, &s[2], 8);
      double n = n1 + n2, delta = m2 - m1;
      double m = m1 + delta * n2 / n, q = q1 + q2 + delta * delta * n1 * n2 / n;
      d[0] += s[0];
      memcpy(&d[1], &m, 8);
      memcpy(&d[2], &q, 8);
      break;
    }
    case K_COV:
    case K_COV_I: {
      if (!s[0]) break;
      if (!d[0]) {
        memcpy(d, s, 48);
        break;
      }
      double n1 = (double)d[0], n2 = (double)s[0], a1[5], a2[5];
      memcpy(a1, &d[1], sizeof a1);
      memcpy(a2, &s[1], sizeof a2);
      double n = n1 + n2, dx = a2[0] - a1[0], dy = a2[1] - a1[1], f = n1 * n2 / n;
      double r[5] = {a1[0] + dx * n2 / n, a1[1] + dy * n2 / n, a1[2] + a2[2] + dx * dy * f,
                     a1[3] + a2[3] + dx * dx * f, a1[4] + a2[4] + dy * dy * f};
      d[0] += s[0];
      memcpy(&d[1], r, sizeof r);
      break;
    }
    case K_ANY: d[0] |= s[0]; break;
    case K_ALL: d[0] &= s[0]; break;
    case K_HOLISTIC: break;
  }
}

typedef struct rec {
  int64_t g, r;
} rec;

static int rec_cmp(const void *x, const void *y) {
  const rec *a = x, *b = y;
  if (a->g != b->g) return a->g < b->g ? -1 : 1;
  return (a->r > b->r) - (a->r < b->r);
}

/* The value at position r of a numeric column split by batch. */
static double value_f(auk_array *const *xs, int64_t r) {
  const auk_array *x = xs[exec_pos_batch(r)];
  r = exec_pos_row(r);
  switch (x->type) {
    case AUK_TYPE_FLOAT64: return getf(x, r);
    default: return (double)geti(x, r);
  }
}

typedef struct uh {
  uint64_t h;
  int64_t r;
} uh;

/* Computes a holistic prim for the groups of partition tg (records merged
 * into recs, sorted by group then row) into out (one value per group). */
/* recs grouped by g with a counting sort (O(n), the order within a group
 * kept); arg_min/arg_max then sort each group's rows, which are few. */
static int group_recs(const prim *p, rec *recs, int64_t nrec, int64_t ngroups) {
  int64_t *start = calloc((size_t)(ngroups + 1), sizeof(int64_t));
  rec *tmp = malloc(sizeof(rec) * (size_t)(nrec + 1));
  if (!start || !tmp) {
    free(start);
    free(tmp);
    return 0;
  }
  for (int64_t i = 0; i < nrec; i++) start[recs[i].g + 1]++;
  for (int64_t g = 0; g < ngroups; g++) start[g + 1] += start[g];
  for (int64_t i = 0; i < nrec; i++) tmp[start[recs[i].g]++] = recs[i];
  memcpy(recs, tmp, sizeof(rec) * (size_t)nrec);
  free(tmp);
  if (p->fn == FN_ARG_MIN || p->fn == FN_ARG_MAX || p->fn == FN_STRING_AGG)
    for (int64_t i = 0; i < nrec;) {
      int64_t j = i;
      while (j < nrec && recs[j].g == recs[i].g) j++;
      qsort(recs + i, (size_t)(j - i), sizeof(rec), rec_cmp);
      i = j;
    }
  free(start);
  return 1;
}

/* The k-th smallest of v[0..n) (total order, NaN last), v reordered. */
/* Quantile q with linear interpolation, by selection over order-keeping
 * unsigned keys (no full sort); v is used as scratch. */
static double quantile_select(double *v, int64_t n, double q) {
  uint64_t *u = (uint64_t *)v;
  for (int64_t i = 0; i < n; i++) u[i] = exec_f64_key(v[i]);
  double pos = q * (double)(n - 1);
  int64_t lo = (int64_t)floor(pos);
  uint64_t a = exec_select_kth(u, n, lo);
  if (lo + 1 >= n || pos == (double)lo) return exec_key_f64(a);
  /* the next value is the smallest of the part after lo */
  uint64_t b = u[lo + 1];
  for (int64_t i = lo + 2; i < n; i++)
    if (u[i] < b) b = u[i];
  double x = exec_key_f64(a), y = exec_key_f64(b);
  return x + (y - x) * (pos - (double)lo);
}

/* Median or quantile of every group: the recorded values (f64 bits) are
 * placed group by group with a counting sort straight into one array of
 * doubles, and each group's quantile is selected in place. */
static auk_status quantiles(const prim *p, const rec *recs, int64_t nrec, int64_t ngroups,
                            auk_array **out, auk_error *err) {
  int64_t *start = calloc((size_t)(ngroups + 2), sizeof(int64_t));
  double *v = malloc(sizeof(double) * (size_t)(nrec + 1));
  auk_array *o = start && v ? auk_array_new_fixed(p->out, ngroups, err) : NULL;
  if (!o || auk_array_add_validity(o, err)) {
    free(start);
    free(v);
    auk_array_release(o);
    return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
  }
  for (int64_t i = 0; i < nrec; i++) start[recs[i].g + 2]++;
  for (int64_t g = 0; g < ngroups; g++) start[g + 2] += start[g + 1];
  for (int64_t i = 0; i < nrec; i++) memcpy(&v[start[recs[i].g + 1]++], &recs[i].r, 8);
  /* now group g's values are v[start[g], start[g + 1]) */
  double q = p->fn == FN_MEDIAN ? 0.5 : p->param, *d = auk_array_data(o);
  uint8_t *valid = o->validity->data;
  memset(valid, 0, (size_t)auk_bitmap_bytes(ngroups));
  for (int64_t g = 0; g < ngroups; g++) {
    int64_t m = start[g + 1] - start[g];
    d[g] = 0;
    if (!m) continue;
    d[g] = quantile_select(v + start[g], m, q);
    auk_bit_set(valid, g);
  }
  o->null_count = ngroups - auk_bitmap_count(valid, 0, ngroups);
  free(start);
  free(v);
  *out = o;
  return AUK_OK;
}

/* string_agg of every group: its recorded rows (non-null values, grouped
 * and in row order) joined with the separator (the second argument, a
 * literal: any row's value of it); null for a group without any. */
static auk_status string_aggs(const prim *p, const rec *recs, int64_t nrec, int64_t ngroups,
                              auk_array **out, auk_error *err) {
  int64_t bytes = 0, seplen = 0;
  const char *sep = "";
  if (nrec) sep = auk_array_str(p->y[exec_pos_batch(recs[0].r)], exec_pos_row(recs[0].r), &seplen);
  for (int64_t i = 0; i < nrec; i++) {
    int64_t len;
    auk_array_str(p->x[exec_pos_batch(recs[i].r)], exec_pos_row(recs[i].r), &len);
    bytes += len + seplen;
  }
  auk_string_builder b;
  if (auk_string_builder_init(&b, ngroups, bytes + 1, err)) return err->code;
  auk_status st = AUK_OK;
  char *buf = NULL;
  int64_t cap = 0;
  for (int64_t g = 0, i = 0; g < ngroups && !st; g++) {
    if (i >= nrec || recs[i].g != g) {
      st = auk_string_builder_append_null(&b, err);
      continue;
    }
    int64_t n = 0, first = i;
    for (int64_t j = i; j < nrec && recs[j].g == g; j++) {
      int64_t len;
      const char *s = auk_array_str(p->x[exec_pos_batch(recs[j].r)], exec_pos_row(recs[j].r), &len);
      if (n + len + seplen > cap) {
        int64_t nc = (n + len + seplen) * 2 + 64;
        char *nb = auk_mem_realloc(buf, (size_t)cap, (size_t)nc, err);
        if (!nb) {
          st = err->code;
          break;
        }
        buf = nb;
        cap = nc;
      }
      if (j > first) memcpy(buf + n, sep, (size_t)seplen), n += seplen;
      memcpy(buf + n, s, (size_t)len);
      n += len;
      i = j + 1;
    }
    if (!st) st = auk_string_builder_append(&b, buf ? buf : "", n, err);
  }
  auk_mem_free(buf, (size_t)cap);
  if (st) {
    auk_string_builder_reset(&b);
    return st;
  }
  *out = auk_string_builder_finish(&b, err);
  return *out ? AUK_OK : err->code;
}

static auk_status holistic(const prim *p, rec *recs, int64_t nrec, int64_t ngroups, auk_array **out,
                           auk_error *err) {
  if (p->fn == FN_MEDIAN || p->fn == FN_QUANTILE)
    return quantiles(p, recs, nrec, ngroups, out, err);
  if (!group_recs(p, recs, nrec, ngroups))
    return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
  if (p->fn == FN_STRING_AGG) return string_aggs(p, recs, nrec, ngroups, out, err);
  int is_int = p->out == AUK_TYPE_INT64;
  auk_array *o = auk_array_new_fixed(p->out, ngroups, err);
  if (!o) return err->code;
  if (auk_array_add_validity(o, err)) {
    auk_array_release(o);
    return err->code;
  }
  memset(o->validity->data, 0, (size_t)auk_bitmap_bytes(ngroups));
  if (p->fn == FN_N_UNIQUE) { /* a group without rows (an empty input) has 0 values */
    memset(auk_array_data(o), 0, sizeof(int64_t) * (size_t)ngroups);
    memset(o->validity->data, 0xff, (size_t)auk_bitmap_bytes(ngroups));
  }
  uh *hb = NULL;
  int64_t cap = 0;
  auk_array *const *x = p->x;
  for (int64_t i = 0; i < nrec;) {
    int64_t j = i;
    while (j < nrec && recs[j].g == recs[i].g) j++;
    int64_t g = recs[i].g, m = j - i;
    int ok = 1;
    if (p->fn == FN_N_UNIQUE) {
      /* the group's values into an open-addressing set (hb, a power of
       * two at least twice the records), equal hashes compared by value */
      int64_t sc = 16;
      while (sc < 2 * m) sc *= 2;
      if (sc > cap) {
        cap = sc;
        free(hb);
        if (!(hb = malloc(sizeof(uh) * (size_t)cap))) {
          auk_array_release(o);
          return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
        }
      }
      for (int64_t k = 0; k < sc; k++) hb[k].r = -1;
      int64_t distinct = 0;
      for (int64_t k = 0; k < m; k++) {
        int64_t r = recs[i + k].r;
        const auk_array *xk = x[exec_pos_batch(r)];
        uint64_t hv = auk_hash_cell(xk, exec_pos_row(r));
        uint64_t pos = hv & (uint64_t)(sc - 1);
        int dup = 0;
        for (; hb[pos].r >= 0 && !dup; pos = (pos + 1) & (uint64_t)(sc - 1))
          dup = hb[pos].h == hv && exec_cells_equal(x[exec_pos_batch(hb[pos].r)],
                                                    exec_pos_row(hb[pos].r), xk, exec_pos_row(r));
        if (dup) continue;
        hb[pos].h = hv;
        hb[pos].r = r;
        distinct++;
      }
      ((int64_t *)auk_array_data(o))[g] = distinct;
    } else { /* arg_min, arg_max: position within the group */
      int64_t best = -1;
      for (int64_t k = 0; k < m; k++) {
        int64_t r = recs[i + k].r;
        if (!valid_pos(x, r)) continue;
        if (best < 0) {
          best = k;
          continue;
        }
        int64_t b = recs[i + best].r;
        int c;
        if (x[0]->type == AUK_TYPE_STRING || x[0]->type == AUK_TYPE_BOOL)
          c = cmp_pos(x, r, b);
        else {
          double u = value_f(x, r), v = value_f(x, b);
          c = (u > v) - (u < v);
        }
        if (p->fn == FN_ARG_MAX ? c > 0 : c < 0) best = k;
      }
      ok = best >= 0;
      if (ok) ((int64_t *)auk_array_data(o))[g] = best;
    }
    (void)is_int;
    if (ok) auk_bit_set(o->validity->data, g);
    i = j;
  }
  free(hb);
  o->null_count = ngroups - auk_bitmap_count(o->validity->data, 0, ngroups);
  *out = o;
  return AUK_OK;
}

/* An i64 or f64 array of n values with a bitmap from ok (NULL: all). */
static auk_array *num_array(auk_type_id t, int64_t n, auk_error *err) {
  return auk_array_new_fixed(t, n, err);
}

static auk_status set_nulls(auk_array *o, const uint8_t *ok, int64_t n, auk_error *err) {
  int64_t bad = 0;
  for (int64_t g = 0; g < n; g++) bad += !ok[g];
  if (!bad) return AUK_OK;
  if (auk_array_add_validity(o, err)) return err->code;
  for (int64_t g = 0; g < n; g++)
    if (!ok[g]) auk_bit_clear(o->validity->data, g);
  o->null_count = bad;
  return AUK_OK;
}

/* Result column of decomposable prim i for the groups of table t. */

/* An i64 sum as the decimal type `t` (the same unscaled values): values
 * past the type's 18 digits are an overflow, never a wrong value. */
static auk_status decimal_result(auk_array *o, auk_type_id t, auk_error *err) {
  o->type = t;
  const int64_t *v = auk_array_data(o);
  for (int64_t g = 0; g < o->length; g++)
    if (!auk_decimal_fits(v[g], auk_decimal_precision(t)))
      return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                           "decimal overflow: a sum does not fit %s (auk keeps 18 digits; cast "
                           "the column to double first)",
                           auk_type_name(t));
  return AUK_OK;
}

static auk_status finish_prim(const agg *a, int i, const table *t, auk_array **out,
                              auk_error *err) {
  const prim *p = &a->prims[i];
  int64_t n = t->n;
  const uint64_t *s = t->state[i];
  auk_status st = AUK_OK;
  uint8_t *ok = auk_mem_alloc((size_t)(n ? n : 1), err);
  int64_t *rows = ok ? auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err) : NULL;
  auk_array *o = NULL;
  if (!rows) {
    st = err->code;
    goto done;
  }
  memset(ok, 1, (size_t)(n ? n : 1));
  int w = p->w;
  switch (p->k) {
    case K_FIRST:
    case K_LAST:
    case K_MIN_ROW:
    case K_MAX_ROW:
      for (int64_t g = 0; g < n; g++) rows[g] = (int64_t)s[g * w];
      st = take_pos(p->x, a->nb, rows, n, p->out, &o, err);
      break;
    case K_SUM_I:
    case K_COUNT:
    case K_LEN:
      if (!(o = num_array(AUK_TYPE_INT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) ((int64_t *)auk_array_data(o))[g] = (int64_t)s[g * w];
      if (auk_type_is_decimal(p->out)) st = decimal_result(o, p->out, err);
      break;
    case K_MIN_I:
    case K_MAX_I:
    case K_MIN_F:
    case K_MAX_F: {
      int is_f = p->k == K_MIN_F || p->k == K_MAX_F;
      if (!(o = num_array(is_f ? AUK_TYPE_FLOAT64 : AUK_TYPE_INT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) {
        ((uint64_t *)auk_array_data(o))[g] = s[g * w];
        ok[g] = s[g * w + 1] != 0;
      }
      st = set_nulls(o, ok, n, err);
      if (!st && auk_type_is_decimal(p->out)) {
        o->type = p->out; /* the unscaled values as they were */
      } else if (!st && o->type != p->out) {
        auk_array *c;
        st = k_cast_array(NULL, o, p->out, 1, &c, err);
        auk_array_release(o);
        o = st ? NULL : c;
      }
      break;
    }
    case K_SUM_F:
      if (!(o = num_array(AUK_TYPE_FLOAT64, n, err))) break;
      memcpy(auk_array_data(o), s, sizeof(double) * (size_t)n);
      break;
    case K_MEAN:
    case K_MEAN_I:
      if (!(o = num_array(AUK_TYPE_FLOAT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) {
        double sum;
        memcpy(&sum, &s[g * 2], 8);
        ok[g] = s[g * 2 + 1] > 0;
        ((double *)auk_array_data(o))[g] = ok[g] ? sum / (double)s[g * 2 + 1] : 0;
      }
      st = set_nulls(o, ok, n, err);
      break;
    case K_VAR:
      if (!(o = num_array(AUK_TYPE_FLOAT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) {
        double m2, cnt = (double)s[g * 3];
        memcpy(&m2, &s[g * 3 + 2], 8);
        ok[g] = cnt - p->param > 0;
        double v = ok[g] ? m2 / (cnt - p->param) : 0;
        if (v < 0) v = 0;
        ((double *)auk_array_data(o))[g] = p->fn == FN_STD ? sqrt(v) : v;
      }
      st = set_nulls(o, ok, n, err);
      break;
    case K_COV:
    case K_COV_I:
      if (!(o = num_array(AUK_TYPE_FLOAT64, n, err))) break;
      for (int64_t g = 0; g < n; g++) {
        double c[5], cnt = (double)s[g * 6];
        memcpy(c, &s[g * 6 + 1], sizeof c);
        if (p->fn == FN_COV) {
          ok[g] = cnt > 1;
          ((double *)auk_array_data(o))[g] = ok[g] ? c[2] / (cnt - 1) : 0;
        } else {
          ok[g] = cnt > 0;
          ((double *)auk_array_data(o))[g] = c[2] / sqrt(c[3] * c[4]);
        }
      }
      st = set_nulls(o, ok, n, err);
      break;
    case K_ANY:
    case K_ALL:
      if (!(o = num_array(AUK_TYPE_BOOL, n, err))) break;
      memset(auk_array_data(o), 0, (size_t)auk_bitmap_bytes(n));
      for (int64_t g = 0; g < n; g++)
        if (s[g]) auk_bit_set(auk_array_data(o), g);
      break;
    case K_HOLISTIC: break;
  }
  if (!st && !o) st = err->code;
done:
  if (ok) auk_mem_free(ok, (size_t)(n ? n : 1));
  if (rows) auk_mem_free(rows, sizeof(int64_t) * (size_t)(n ? n : 1));
  if (st) {
    auk_array_release(o);
    return st;
  }
  *out = o;
  return AUK_OK;
}

void gb_merge_task(void *ctx, int64_t p, int worker) {
  (void)worker;
  merge_ctx *m = ctx;
  agg *a = m->a;
  auk_error *err = &m->errs[p];
  table *G = &a->global[p];
  int64_t total = 0;
  for (int w = 0; w < a->threads; w++) total += a->local[(int64_t)w * NP + p].n;
  /* worker 0's table becomes the partition's, grown once to hold every
   * group: its groups are neither copied nor looked up again */
  *G = a->local[p];
  memset(&a->local[p], 0, sizeof(table));
  int64_t *map = NULL, map_cap = 0;
  rec **recs = calloc((size_t)(a->nhol + 1), sizeof(rec *));
  int64_t *nrec = calloc((size_t)(a->nhol + 1), sizeof(int64_t));
  if (!recs || !nrec) goto oom;
  if (!gb_table_reserve(G, a, total)) goto oom;
  for (int h = 0; h < a->nhol; h++) {
    int64_t cnt = 0;
    for (int w = 0; w < a->threads; w++)
      cnt += (w ? a->local[(int64_t)w * NP + p].rec_n : G->rec_n)[h];
    if (!(recs[h] = malloc(sizeof(rec) * (size_t)(cnt + 1)))) goto oom;
  }
  for (int h = 0; h < a->nhol; h++) /* worker 0's records keep their groups */
    for (int64_t k = 0; k < G->rec_n[h]; k++) {
      recs[h][nrec[h]].g = G->rec_group[h][k];
      recs[h][nrec[h]++].r = G->rec_row[h][k];
    }
  for (int w = 1; w < a->threads; w++) {
    table *L = &a->local[(int64_t)w * NP + p];
    if (L->n > map_cap) {
      free(map);
      map_cap = L->n;
      if (!(map = malloc(sizeof(int64_t) * (size_t)map_cap))) goto oom;
    }
    for (int64_t g = 0; g < L->n; g++) {
      uint64_t gmask = (uint64_t)(G->slot_cap - 1);
      if (g + 16 < L->n) __builtin_prefetch(&G->slots[(L->hash[g + 16] >> 8) & gmask]);
      if (g + 8 < L->n) {
        int32_t s = G->slots[(L->hash[g + 8] >> 8) & gmask];
        if (s >= 0) __builtin_prefetch(&G->hash[s]);
      }
      int64_t gg = find_or_add(G, a, L->hash[g], L->rep[g], a->nkw ? L->kw + g * a->nkw : NULL);
      if (gg < 0) goto oom;
      if (L->rep[g] < G->rep[gg]) G->rep[gg] = L->rep[g];
      map[g] = gg;
      for (int i = 0; i < a->nprims; i++) {
        const prim *pr = &a->prims[i];
        if (pr->w) merge_state(pr, a, G->state[i] + gg * pr->w, L->state[i] + g * pr->w);
      }
    }
    for (int h = 0; h < a->nhol; h++)
      for (int64_t k = 0; k < L->rec_n[h]; k++) {
        recs[h][nrec[h]].g = map[L->rec_group[h][k]];
        recs[h][nrec[h]++].r = L->rec_row[h][k];
      }
    gb_table_free(L, a); /* folded: its memory goes now, not after every partition */
  }
  /* a global aggregate has one group even over no rows */
  if (a->nkeys == 0 && p == 0 && G->n == 0) {
    G->n = 1;
    G->rep[0] = -1;
    gb_state_init(G, a, 0);
  }
  a->res[p] = calloc((size_t)(a->nprims + 1), sizeof(auk_array *));
  if (!a->res[p]) goto oom;
  for (int i = 0; i < a->nprims && !m->st[p]; i++) {
    const prim *pr = &a->prims[i];
    if (pr->k == K_HOLISTIC)
      m->st[p] = holistic(pr, recs[pr->hol], nrec[pr->hol], G->n, &a->res[p][i], err);
    else
      m->st[p] = finish_prim(a, i, G, &a->res[p][i], err);
  }
  gb_table_keep_rep(G, a); /* the output needs the groups' first rows only */
  goto done;
oom:
  m->st[p] = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "group_by: out of memory");
done:
  free(map);
  if (recs)
    for (int h = 0; h < a->nhol; h++) free(recs[h]);
  free(recs);
  free(nrec);
}
