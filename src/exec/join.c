/* join.c - hash joins (inner, left, right, full, semi, anti) and the cross
 * join.
 *
 * The build side (the right input; the left for a right join, and for an
 * inner join whose right side has over 4 times the left's rows) is joined
 * into one array per column, its keys cast to the common key types and
 * hashed, and put in a radix-partitioned table built on all workers
 * (join_table.c). The probe side is never copied: each of its batches is
 * one task that casts and hashes its own keys, probes the table, collects
 * (probe row, build row) pairs in a fixed buffer of one output batch and
 * gathers the output columns whenever the buffer fills: probe columns from
 * the batch itself, build columns from the joined build arrays (-1: null).
 * Batches come out in probe order, so the probe order is kept and a probe
 * row's matches come in build order. A full join marks matched build rows
 * (atomic bytes) and appends the others, in build order, at the end. A
 * cross join pairs each probe row with every build row, in order.
 * Validation (1:1, 1:m, m:1) looks for a key with two rows in the build
 * table, and builds a table of the probe keys when the probe side must be
 * unique too. */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/cancel.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/pool.h"
#include "core/types.h"
#include "exec/join_table.h"
#include "exec/take.h"
#include "expr/kernel.h"
#include "io/format.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* An inner join builds the left side when the right has more than this
 * many times its rows. */
#define SWAP_FACTOR 4

typedef struct task_out {
  auk_batch **batches;
  int64_t n, cap;
  auk_status st;
  auk_error err;
} task_out;

typedef struct jctx {
  int nkeys, how, probe_right, nulls_equal, fast;
  const auk_frame *probe; /* its batches are the tasks */
  const int *pkey;        /* probe key column indices */
  const auk_type_id *kt;  /* common key types */
  auk_array **bcols;      /* build columns, joined */
  int64_t bn;             /* build rows */
  join_keys build;
  join_table t;
  const join_col *cols;
  int ncols;
  auk_schema *schema;
  atomic_uchar *matched; /* full join: build rows that found a partner */
  task_out *outs;
} jctx;

/* ------------------------------------------------------------- output */

/* Output column i for len pairs: probe rows of batch `in` (NULL: all
 * null) and build rows. ident: the probe rows are consecutive, so a probe
 * column is a zero-copy slice of the batch's (a left join whose build keys
 * are unique keeps every left column as it is). */
static auk_status gather_col(const jctx *c, int i, const auk_batch *in, const int64_t *prow,
                             const int64_t *brow, int64_t len, int ident, auk_array **out,
                             auk_error *err) {
  const join_col *jc = &c->cols[i];
  auk_type_id t = c->schema->fields[i].type;
  int from_probe = jc->side == c->probe_right;
  const auk_array *src = from_probe ? (in ? in->cols[jc->index] : NULL) : c->bcols[jc->index];
  if (from_probe && ident) {
    if (!(*out = auk_array_slice(in->cols[jc->index], prow[0], len, err))) return err->code;
  } else if (take_rows(src, from_probe ? prow : brow, len, t, out, err)) {
    return err->code;
  }
  if (jc->coalesce_with < 0) return AUK_OK;
  /* right and full joins: where the left row is missing the key comes from
   * the right (the probe side in a right join, the build side in a full one) */
  const int64_t *lrow = c->probe_right ? brow : prow, *rrow = c->probe_right ? prow : brow;
  const auk_array *rk =
      c->probe_right ? (in ? in->cols[jc->coalesce_with] : NULL) : c->bcols[jc->coalesce_with];
  int64_t missing = 0;
  for (int64_t r = 0; r < len; r++) missing += lrow[r] < 0;
  if (!missing) return AUK_OK;
  auk_array *fill = NULL, *cast = NULL, *joined = NULL;
  int64_t *pick = NULL;
  auk_status st = take_rows(rk, rrow, len, rk ? rk->type : t, &fill, err);
  if (!st) st = k_cast_array(NULL, fill, t, 0, &cast, err);
  if (!st && !(pick = auk_mem_alloc(sizeof(int64_t) * (size_t)(len + 1), err))) st = err->code;
  if (!st) {
    auk_array *both[2] = {*out, cast};
    for (int64_t r = 0; r < len; r++) pick[r] = lrow[r] >= 0 ? r : len + r;
    st = concat_arrays(both, 2, &joined, err);
  }
  if (!st) {
    auk_array *res;
    if (!(st = take_array(joined, pick, len, &res, err))) {
      auk_array_release(*out);
      *out = res;
    }
  }
  if (pick) auk_mem_free(pick, sizeof(int64_t) * (size_t)(len + 1));
  auk_array_release(fill);
  auk_array_release(cast);
  auk_array_release(joined);
  if (st) {
    auk_array_release(*out);
    *out = NULL;
  }
  return st;
}

static auk_status flush(const jctx *c, task_out *o, const auk_batch *in, const int64_t *prow,
                        const int64_t *brow, int64_t len, auk_error *err) {
  if (!len) return AUK_OK;
  /* every output batch polls the interrupt flag (a cross join may be long) */
  if (auk_cancel_requested()) return auk_error_set(err, AUK_ERR_CANCELLED, "join: interrupted");
  if (o->n == o->cap) {
    int64_t cap = o->cap ? o->cap * 2 : 4;
    auk_batch **nb = auk_mem_realloc(o->batches, sizeof(auk_batch *) * (size_t)o->cap,
                                     sizeof(auk_batch *) * (size_t)cap, err);
    if (!nb) return err->code;
    o->batches = nb;
    o->cap = cap;
  }
  auk_batch *b = auk_batch_new(c->schema, len, err);
  if (!b) return err->code;
  int ident = in && prow[0] >= 0;
  for (int64_t r = 1; r < len && ident; r++) ident = prow[r] == prow[0] + r;
  for (int i = 0; i < c->ncols; i++)
    if (gather_col(c, i, in, prow, brow, len, ident, &b->cols[i], err)) {
      auk_batch_free(b);
      return err->code;
    }
  o->batches[o->n++] = b;
  return AUK_OK;
}

/* -------------------------------------------------------------- probe */

typedef struct pairs {
  int64_t *p, *b, n;
} pairs;

#define PAIRS AUK_BATCH_ROWS

static auk_status probe_batch(const jctx *c, const auk_batch *in, task_out *o, pairs *q,
                              auk_error *err) {
  int64_t n = in->nrows;
  auk_array *pk[256] = {0};
  uint64_t *h = auk_mem_alloc(sizeof(uint64_t) * (size_t)(n + 1), err);
  auk_status st = h ? AUK_OK : err->code;
  for (int k = 0; k < c->nkeys && !st; k++) {
    st = k_cast_array(NULL, in->cols[c->pkey[k]], c->kt[k], 1, &pk[k], err);
    if (!st) auk_hash_column(pk[k], h, k > 0);
  }
  if (st) goto done;
  join_keys p = {.nkeys = c->nkeys, .keys = pk, .h = h, .n = n};
  const int64_t *kv = c->fast ? (const int64_t *)auk_array_data(pk[0]) + pk[0]->offset : NULL;
  int how = c->how;
  int keep = how == AUK_JOIN_LEFT || how == AUK_JOIN_RIGHT || how == AUK_JOIN_FULL;
  enum { AHEAD = 16 };
  for (int64_t r = 0; r < n && !st; r++) {
    if (c->t.big && r + AHEAD < n) join_table_prefetch(&c->t, h[r + AHEAD]);
    int64_t found = -1;
    if (!join_key_null(&p, r, c->nulls_equal))
      found = join_table_find(&c->t, &p, r, h[r], kv ? (uint64_t)kv[r] : 0);
    if (how == AUK_JOIN_SEMI || how == AUK_JOIN_ANTI) {
      if ((found >= 0) == (how == AUK_JOIN_SEMI)) {
        q->p[q->n] = r;
        q->b[q->n++] = -1;
      }
    } else if (found >= 0) {
      /* a unique key's chain is not read */
      for (int64_t b = found & ~JOIN_MORE; b >= 0; b = (found & JOIN_MORE) ? c->t.next[b] : -1) {
        q->p[q->n] = r;
        q->b[q->n++] = b;
        if (c->matched) atomic_store_explicit(&c->matched[b], 1, memory_order_relaxed);
        if (q->n == PAIRS) {
          st = flush(c, o, in, q->p, q->b, q->n, err);
          q->n = 0;
          if (st) break;
        }
      }
      continue;
    } else if (keep) {
      q->p[q->n] = r;
      q->b[q->n++] = -1;
    }
    if (q->n == PAIRS) {
      st = flush(c, o, in, q->p, q->b, q->n, err);
      q->n = 0;
    }
  }
  if (!st) st = flush(c, o, in, q->p, q->b, q->n, err);
  q->n = 0;
done:
  for (int k = 0; k < c->nkeys; k++) auk_array_release(pk[k]);
  if (h) auk_mem_free(h, sizeof(uint64_t) * (size_t)(n + 1));
  return st;
}

static auk_status cross_batch(const jctx *c, const auk_batch *in, task_out *o, pairs *q,
                              auk_error *err) {
  for (int64_t r = 0; r < in->nrows; r++)
    for (int64_t b = 0; b < c->bn; b++) {
      q->p[q->n] = r;
      q->b[q->n++] = b;
      if (q->n == PAIRS) {
        if (flush(c, o, in, q->p, q->b, q->n, err)) return err->code;
        q->n = 0;
      }
    }
  auk_status st = flush(c, o, in, q->p, q->b, q->n, err);
  q->n = 0;
  return st;
}

static void probe_task(void *ctx, int64_t t, int worker) {
  (void)worker;
  jctx *c = ctx;
  task_out *o = &c->outs[t];
  pairs q = {0};
  q.p = auk_mem_alloc(sizeof(int64_t) * PAIRS, &o->err);
  q.b = q.p ? auk_mem_alloc(sizeof(int64_t) * PAIRS, &o->err) : NULL;
  if (!q.b)
    o->st = o->err.code;
  else if (c->how == AUK_JOIN_CROSS)
    o->st = cross_batch(c, c->probe->batches[t], o, &q, &o->err);
  else
    o->st = probe_batch(c, c->probe->batches[t], o, &q, &o->err);
  if (q.p) auk_mem_free(q.p, sizeof(int64_t) * PAIRS);
  if (q.b) auk_mem_free(q.b, sizeof(int64_t) * PAIRS);
}

/* Full join: the build rows nobody matched, in build order, with a null
 * probe side. */
static auk_status unmatched(const jctx *c, task_out *o, auk_error *err) {
  pairs q = {0};
  q.p = auk_mem_alloc(sizeof(int64_t) * PAIRS, err);
  q.b = q.p ? auk_mem_alloc(sizeof(int64_t) * PAIRS, err) : NULL;
  auk_status st = q.b ? AUK_OK : err->code;
  for (int64_t b = 0; b < c->bn && !st; b++) {
    if (c->matched[b]) continue;
    q.p[q.n] = -1;
    q.b[q.n++] = b;
    if (q.n == PAIRS) {
      st = flush(c, o, NULL, q.p, q.b, q.n, err);
      q.n = 0;
    }
  }
  if (!st) st = flush(c, o, NULL, q.p, q.b, q.n, err);
  if (q.p) auk_mem_free(q.p, sizeof(int64_t) * PAIRS);
  if (q.b) auk_mem_free(q.b, sizeof(int64_t) * PAIRS);
  return st;
}

/* ---------------------------------------------------------- the inputs */

static void free_cols(auk_array **cols, int nc) {
  if (!cols) return;
  for (int c = 0; c < nc; c++) auk_array_release(cols[c]);
  auk_mem_free(cols, sizeof(auk_array *) * (size_t)(nc + 1));
}

/* Columns idx[0..k) of f (all when idx is NULL: k = nfields) joined into
 * one array each. */
static auk_status join_cols(const auk_frame *f, const int *idx, int k, auk_array ***out,
                            auk_error *err) {
  int64_t nb = f->nbatches;
  auk_array **cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(k + 1), err);
  auk_array **parts = cols ? auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb + 1), err) : NULL;
  auk_status st = parts ? AUK_OK : err->code;
  for (int i = 0; i < k && !st; i++) {
    int c = idx ? idx[i] : i;
    if (!nb) {
      st = (cols[i] = auk_array_new_nulls(f->schema->fields[c].type, 0, err)) ? AUK_OK : err->code;
      continue;
    }
    for (int64_t b = 0; b < nb; b++) parts[b] = f->batches[b]->cols[c];
    st = nb == 1 ? ((cols[i] = auk_array_retain(parts[0])), AUK_OK)
                 : concat_arrays(parts, nb, &cols[i], err);
  }
  if (parts) auk_mem_free(parts, sizeof(auk_array *) * (size_t)(nb + 1));
  if (st) {
    free_cols(cols, k);
    return st;
  }
  *out = cols;
  return AUK_OK;
}

/* Keys of a whole side: the key columns cast to the common types, hashed. */
static auk_status make_keys(join_keys *s, const auk_frame *f, const int *idx,
                            const auk_type_id *types, int nkeys, auk_error *err) {
  auk_array **raw;
  s->n = f->nrows;
  s->nkeys = nkeys;
  if (join_cols(f, idx, nkeys, &raw, err)) return err->code;
  s->keys = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nkeys + 1), err);
  uint64_t *h = s->keys ? auk_mem_calloc(sizeof(uint64_t) * (size_t)(s->n + 1), err) : NULL;
  s->h = h;
  auk_status st = h ? AUK_OK : err->code;
  for (int k = 0; k < nkeys && !st; k++) {
    st = k_cast_array(NULL, raw[k], types[k], 1, &s->keys[k], err);
    if (!st) auk_hash_column(s->keys[k], h, k > 0);
  }
  free_cols(raw, nkeys);
  return st;
}

static void keys_free(join_keys *s) {
  free_cols(s->keys, s->nkeys);
  if (s->h) auk_mem_free((void *)s->h, sizeof(uint64_t) * (size_t)(s->n + 1));
  memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------- validation */

/* The key values of row r of s as "a, b" text (for messages). */
static void key_text(const join_keys *s, int64_t r, char *out, size_t cap) {
  size_t w = 0;
  out[0] = 0;
  for (int k = 0; k < s->nkeys && w + 8 < cap; k++) {
    const auk_array *a = s->keys[k];
    w += (size_t)snprintf(out + w, cap - w, "%s", k ? ", " : "");
    if (a->type == AUK_TYPE_NULL || !auk_array_is_valid(a, r)) {
      w += (size_t)snprintf(out + w, cap - w, "null");
    } else if (a->type == AUK_TYPE_STRING) {
      int64_t len;
      const char *p = auk_array_str(a, r, &len);
      w += (size_t)snprintf(out + w, cap - w, "'%.*s'", (int)(len < 64 ? len : 64), p);
    } else {
      char b[AUK_FORMAT_MAX];
      auk_format_value(a, r, b);
      w += (size_t)snprintf(out + w, cap - w, "%s", b);
    }
    if (w >= cap) w = cap - 1;
  }
}

static auk_status check_unique(const join_table *t, const join_keys *k, const char *side,
                               auk_error *err) {
  int64_t a, b;
  if (!join_table_duplicate(t, &a, &b)) return AUK_OK;
  char key[256];
  key_text(k, a, key, sizeof key);
  return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                       "join validation failed: the %s side has key (%s) more than once "
                       "(rows %lld and %lld)",
                       side, key, (long long)a, (long long)b);
}

static auk_status check_probe_unique(const jctx *c, const char *side, auk_error *err) {
  join_keys k = {0};
  join_table t = {0};
  auk_status st = make_keys(&k, c->probe, c->pkey, c->kt, c->nkeys, err);
  if (!st)
    st = join_table_build(&t, &k, join_table_can_be_fast(&k, c->nulls_equal), c->nulls_equal, err);
  if (!st) st = check_unique(&t, &k, side, err);
  join_table_free(&t);
  keys_free(&k);
  return st;
}

/* --------------------------------------------------------------- join */

auk_status exec_join(const plan_node *n, const auk_frame *L, const auk_frame *R, auk_frame **out,
                     auk_error *err) {
  *out = NULL;
  int nkeys = n->nexprs, how = n->keep;
  if (nkeys > 256) return auk_error_set(err, AUK_ERR_UNSUPPORTED, "join: more than 256 keys");
  int li[256], ri[256];
  auk_type_id kt[256];
  for (int k = 0; k < nkeys; k++) {
    li[k] = auk_schema_find(L->schema, n->exprs[k]->name);
    ri[k] = auk_schema_find(R->schema, n->aggs[k]->name);
    if (li[k] < 0 || ri[k] < 0) return auk_error_set(err, AUK_ERR_NOT_FOUND, "join: key not found");
    kt[k] = join_key_type(L->schema->fields[li[k]].type, R->schema->fields[ri[k]].type);
    if (kt[k] == AUK_TYPE_COUNT_)
      return auk_error_set(err, AUK_ERR_TYPE, "join: key types do not match");
  }
  jctx c;
  memset(&c, 0, sizeof c);
  c.nkeys = nkeys;
  c.how = how;
  c.nulls_equal = n->nulls_equal;
  /* a right join probes with the right rows; so does an inner join whose
   * right side is much the larger (the smaller side is built; the rows
   * then come in right order) */
  c.probe_right =
      how == AUK_JOIN_RIGHT || (how == AUK_JOIN_INNER && R->nrows > SWAP_FACTOR * L->nrows);
  c.kt = kt;
  const auk_frame *B = c.probe_right ? L : R;
  c.probe = c.probe_right ? R : L;
  c.pkey = c.probe_right ? ri : li;
  c.bn = B->nrows;
  join_col *cols = NULL;
  int total_cols = L->schema->nfields +
                   ((how == AUK_JOIN_SEMI || how == AUK_JOIN_ANTI) ? 0 : R->schema->nfields);
  auk_status st = join_columns(n, L->schema, R->schema, &cols, &c.ncols, &c.schema, err);
  if (st) return st;
  c.cols = cols;
  if ((st = join_cols(B, NULL, B->schema->nfields, &c.bcols, err))) goto done;
  if (how != AUK_JOIN_CROSS) {
    if ((st = make_keys(&c.build, B, c.probe_right ? li : ri, kt, nkeys, err))) goto done;
    c.fast = join_table_can_be_fast(&c.build, c.nulls_equal);
    if ((st = join_table_build(&c.t, &c.build, c.fast, c.nulls_equal, err))) goto done;
  }
  if (n->validate != AUK_JOIN_VALIDATE_NONE && how != AUK_JOIN_CROSS) {
    int left_one = n->validate != AUK_JOIN_VALIDATE_M_1;
    int right_one = n->validate != AUK_JOIN_VALIDATE_1_M;
    const char *bside = c.probe_right ? "left" : "right", *pside = c.probe_right ? "right" : "left";
    if ((c.probe_right ? left_one : right_one) && (st = check_unique(&c.t, &c.build, bside, err)))
      goto done;
    if ((c.probe_right ? right_one : left_one) && (st = check_probe_unique(&c, pside, err)))
      goto done;
  }
  if (how == AUK_JOIN_FULL && !(c.matched = auk_mem_calloc((size_t)(c.bn + 1), err))) {
    st = err->code;
    goto done;
  }
  int64_t ntasks = c.probe->nbatches;
  c.outs = auk_mem_calloc(sizeof(task_out) * (size_t)(ntasks + 1), err);
  if (!c.outs) {
    st = err->code;
    goto done;
  }
  auk_pool_run(ntasks, probe_task, &c);
  for (int64_t t = 0; t < ntasks && !st; t++)
    if (c.outs[t].st) {
      *err = c.outs[t].err;
      st = c.outs[t].st;
    }
  if (!st && c.matched) st = unmatched(&c, &c.outs[ntasks], err);
  auk_frame *f = st ? NULL : auk_frame_new(c.schema, err);
  if (!st && !f) st = err->code;
  for (int64_t t = 0; t <= ntasks; t++) {
    task_out *o = &c.outs[t];
    for (int64_t i = 0; i < o->n; i++) {
      if (!st)
        st = auk_frame_append(f, o->batches[i], err);
      else
        auk_batch_free(o->batches[i]);
    }
    if (o->batches) auk_mem_free(o->batches, sizeof(auk_batch *) * (size_t)o->cap);
  }
  auk_mem_free(c.outs, sizeof(task_out) * (size_t)(ntasks + 1));
  if (st)
    auk_frame_free(f);
  else
    *out = f;
done:
  if (c.matched) auk_mem_free((void *)c.matched, (size_t)(c.bn + 1));
  join_table_free(&c.t);
  keys_free(&c.build);
  free_cols(c.bcols, B->schema->nfields);
  auk_mem_free(cols, sizeof(join_col) * (size_t)(total_cols + 1));
  auk_schema_release(c.schema);
  return st;
}
