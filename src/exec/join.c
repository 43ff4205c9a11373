/* join.c - hash joins (inner, left, right, full, semi, anti).
 *
 * The build side (the right input, or the left for a right join) is hashed
 * into an open-addressing table of distinct keys, each with the chain of
 * its rows in input order; rows with a null key are left out (null never
 * equals null here). The probe side is split into row ranges probed on all
 * workers; each range collects (probe row, build row) pairs, and ranges
 * are concatenated in order, so the probe order is kept and a probe row's
 * matches come in build order. Output columns are gathered from the
 * joined inputs by those row numbers (-1: null).
 *
 * Known limits of this first version: the build table is single-threaded
 * and not radix-partitioned, both inputs are joined into single columns
 * first, and no filter is pushed from the build side into the probe. */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/pool.h"
#include "core/types.h"
#include "exec/take.h"
#include "expr/kernel.h"
#include "io/format.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct side {
  auk_array **keys; /* joined key columns in the common key types */
  uint64_t *h;
  int64_t n;
} side;

typedef struct jtable {
  int64_t slot_cap;
  int64_t *slots;       /* first build row of the key, -1 empty */
  int64_t *next, *tail; /* chains of build rows; tail per head row */
} jtable;

typedef struct range_out {
  int64_t *p, *b; /* probe rows, build rows */
  int64_t n, cap;
  auk_status st;
  auk_error err;
} range_out;

typedef struct jctx {
  int nkeys, how, nulls_equal;
  side probe, build;
  jtable t;
  int64_t nranges;
  range_out *outs;
  atomic_uchar *matched; /* full join: build rows that found a partner */
} jctx;

static int any_null(const side *s, int nkeys, int64_t r, int nulls_equal) {
  if (nulls_equal) return 0;
  for (int k = 0; k < nkeys; k++)
    if (s->keys[k]->type == AUK_TYPE_NULL || !auk_array_is_valid(s->keys[k], r)) return 1;
  return 0;
}

static int rows_equal(const jctx *c, int64_t p, int64_t b) {
  for (int k = 0; k < c->nkeys; k++)
    if (!exec_cells_equal(c->probe.keys[k], p, c->build.keys[k], b)) return 0;
  return 1;
}

static auk_status build_table(jctx *c, auk_error *err) {
  int64_t n = c->build.n, cap = 16;
  while (cap < 2 * n) cap *= 2;
  jtable *t = &c->t;
  t->slot_cap = cap;
  t->slots = auk_mem_alloc(sizeof(int64_t) * (size_t)cap, err);
  t->next = t->slots ? auk_mem_alloc(sizeof(int64_t) * (size_t)(n + 1), err) : NULL;
  t->tail = t->next ? auk_mem_alloc(sizeof(int64_t) * (size_t)(n + 1), err) : NULL;
  if (!t->tail) return err->code;
  memset(t->slots, 0xff, sizeof(int64_t) * (size_t)cap);
  const uint64_t *h = c->build.h;
  for (int64_t r = 0; r < n; r++) {
    t->next[r] = -1;
    if (any_null(&c->build, c->nkeys, r, c->nulls_equal)) continue;
    uint64_t pos = h[r] & (uint64_t)(cap - 1);
    for (;;) {
      int64_t head = t->slots[pos];
      if (head < 0) {
        t->slots[pos] = r;
        t->tail[r] = r;
        break;
      }
      int eq = h[head] == h[r];
      for (int k = 0; k < c->nkeys && eq; k++)
        eq = exec_cells_equal(c->build.keys[k], head, c->build.keys[k], r);
      if (eq) {
        t->next[t->tail[head]] = r;
        t->tail[head] = r;
        break;
      }
      pos = (pos + 1) & (uint64_t)(cap - 1);
    }
  }
  return AUK_OK;
}

static int emit(range_out *o, int64_t p, int64_t b) {
  if (o->n == o->cap) {
    int64_t cap = o->cap ? o->cap * 2 : 4096;
    int64_t *np = auk_mem_realloc(o->p, sizeof(int64_t) * (size_t)o->cap,
                                  sizeof(int64_t) * (size_t)cap, NULL);
    if (!np) return 0;
    o->p = np;
    int64_t *nb = auk_mem_realloc(o->b, sizeof(int64_t) * (size_t)o->cap,
                                  sizeof(int64_t) * (size_t)cap, NULL);
    if (!nb) return 0;
    o->b = nb;
    o->cap = cap;
  }
  o->p[o->n] = p;
  o->b[o->n++] = b;
  return 1;
}

static void probe_task(void *ctx, int64_t t, int worker) {
  (void)worker;
  jctx *c = ctx;
  range_out *o = &c->outs[t];
  int64_t lo = c->probe.n * t / c->nranges, hi = c->probe.n * (t + 1) / c->nranges;
  const uint64_t *h = c->probe.h, *bh = c->build.h;
  int keep_unmatched =
      c->how == AUK_JOIN_LEFT || c->how == AUK_JOIN_RIGHT || c->how == AUK_JOIN_FULL;
  for (int64_t r = lo; r < hi; r++) {
    int64_t found = -1;
    if (!any_null(&c->probe, c->nkeys, r, c->nulls_equal)) {
      uint64_t pos = h[r] & (uint64_t)(c->t.slot_cap - 1);
      for (;;) {
        int64_t head = c->t.slots[pos];
        if (head < 0) break;
        if (bh[head] == h[r] && rows_equal(c, r, head)) {
          found = head;
          break;
        }
        pos = (pos + 1) & (uint64_t)(c->t.slot_cap - 1);
      }
    }
    int ok = 1;
    if (c->how == AUK_JOIN_SEMI) {
      if (found >= 0) ok = emit(o, r, -1);
    } else if (c->how == AUK_JOIN_ANTI) {
      if (found < 0) ok = emit(o, r, -1);
    } else if (found >= 0) {
      for (int64_t b = found; b >= 0 && ok; b = c->t.next[b]) {
        ok = emit(o, r, b);
        if (c->matched) atomic_store_explicit(&c->matched[b], 1, memory_order_relaxed);
      }
    } else if (keep_unmatched) {
      ok = emit(o, r, -1);
    }
    if (!ok) {
      o->st = auk_error_set(&o->err, AUK_ERR_OUT_OF_MEMORY, "join: out of memory");
      return;
    }
  }
}

static void side_free(side *s, int nkeys) {
  if (s->keys) {
    for (int k = 0; k < nkeys; k++) auk_array_release(s->keys[k]);
    auk_mem_free(s->keys, sizeof(auk_array *) * (size_t)(nkeys + 1));
  }
  if (s->h) auk_mem_free(s->h, sizeof(uint64_t) * (size_t)(s->n + 1));
}

/* All columns of f joined into one array each. */
static auk_status join_all(const auk_frame *f, auk_array ***out, auk_error *err) {
  int nc = f->schema->nfields;
  int64_t nb = f->nbatches;
  auk_array **cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nc + 1), err);
  auk_array **parts = cols ? auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb + 1), err) : NULL;
  if (!parts) {
    if (cols) auk_mem_free(cols, sizeof(auk_array *) * (size_t)(nc + 1));
    return err->code;
  }
  auk_status st = AUK_OK;
  for (int c = 0; c < nc && !st; c++) {
    if (!nb) {
      st = (cols[c] = auk_array_new_nulls(f->schema->fields[c].type, 0, err)) ? AUK_OK : err->code;
      continue;
    }
    for (int64_t b = 0; b < nb; b++) parts[b] = f->batches[b]->cols[c];
    st = concat_arrays(parts, nb, &cols[c], err);
  }
  auk_mem_free(parts, sizeof(auk_array *) * (size_t)(nb + 1));
  if (st) {
    for (int c = 0; c < nc; c++) auk_array_release(cols[c]);
    auk_mem_free(cols, sizeof(auk_array *) * (size_t)(nc + 1));
    return st;
  }
  *out = cols;
  return AUK_OK;
}

static void free_cols(auk_array **cols, int nc) {
  if (!cols) return;
  for (int c = 0; c < nc; c++) auk_array_release(cols[c]);
  auk_mem_free(cols, sizeof(auk_array *) * (size_t)(nc + 1));
}

/* Key side s: the key columns of `all` cast to the common types. */
static auk_status make_side(side *s, auk_array **all, const int *idx, const auk_type_id *types,
                            int nkeys, int64_t n, auk_error *err) {
  s->n = n;
  s->keys = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nkeys + 1), err);
  s->h = s->keys ? auk_mem_calloc(sizeof(uint64_t) * (size_t)(n + 1), err) : NULL;
  if (!s->h) return err->code;
  for (int k = 0; k < nkeys; k++) {
    if (k_cast_array(NULL, all[idx[k]], types[k], 1, &s->keys[k], err)) return err->code;
    auk_hash_column(s->keys[k], s->h, k > 0);
  }
  return AUK_OK;
}

/* The key values of row r of s as "a, b" text (for messages). */
static void key_text(const side *s, int nkeys, int64_t r, char *out, size_t cap) {
  size_t w = 0;
  out[0] = 0;
  for (int k = 0; k < nkeys && w + 8 < cap; k++) {
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

/* Checks that no key value occurs twice in the table's build side;
 * `name` is the side as the user sees it. */
static auk_status check_unique(const jctx *c, const char *name, auk_error *err) {
  for (int64_t pos = 0; pos < c->t.slot_cap; pos++) {
    int64_t head = c->t.slots[pos];
    if (head < 0 || c->t.next[head] < 0) continue;
    char key[256];
    key_text(&c->build, c->nkeys, head, key, sizeof key);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "join validation failed: the %s side has key (%s) more than once "
                         "(rows %lld and %lld)",
                         name, key, (long long)head, (long long)c->t.next[head]);
  }
  return AUK_OK;
}

static void table_free(jtable *t, int64_t n) {
  if (t->slots) auk_mem_free(t->slots, sizeof(int64_t) * (size_t)t->slot_cap);
  if (t->next) auk_mem_free(t->next, sizeof(int64_t) * (size_t)(n + 1));
  if (t->tail) auk_mem_free(t->tail, sizeof(int64_t) * (size_t)(n + 1));
  memset(t, 0, sizeof *t);
}

/* The probe side's keys must be unique too: a table of its own. */
static auk_status check_probe_unique(const jctx *c, const char *name, auk_error *err) {
  jctx p = *c;
  p.build = c->probe;
  memset(&p.t, 0, sizeof p.t);
  auk_status st = build_table(&p, err);
  if (!st) st = check_unique(&p, name, err);
  table_free(&p.t, p.build.n);
  return st;
}

/* Cross join: left row i / |R|, right row i % |R|. */
static auk_status cross_rows(int64_t nl, int64_t nr, int64_t **lrow, int64_t **rrow, int64_t *total,
                             auk_error *err) {
  if (nr && nl > INT64_MAX / 16 / nr)
    return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "cross join: %lld x %lld rows is too many",
                         (long long)nl, (long long)nr);
  int64_t n = nl * nr;
  *lrow = auk_mem_alloc(sizeof(int64_t) * (size_t)(n + 1), err);
  *rrow = *lrow ? auk_mem_alloc(sizeof(int64_t) * (size_t)(n + 1), err) : NULL;
  if (!*rrow) return err->code;
  for (int64_t i = 0, w = 0; i < nl; i++)
    for (int64_t j = 0; j < nr; j++, w++) {
      (*lrow)[w] = i;
      (*rrow)[w] = j;
    }
  *total = n;
  return AUK_OK;
}

auk_status exec_join(const plan_node *n, const auk_frame *L, const auk_frame *R, auk_frame **out,
                     auk_error *err) {
  *out = NULL;
  int nkeys = n->nexprs, how = n->keep, threads = auk_pool_threads();
  jctx c;
  memset(&c, 0, sizeof c);
  c.nkeys = nkeys;
  c.how = how;
  c.nulls_equal = n->nulls_equal;
  auk_array **lc = NULL, **rc = NULL;
  int nl = L->schema->nfields, nr = R->schema->nfields;
  join_col *cols = NULL;
  int ncols = 0;
  auk_schema *schema = NULL;
  int li[256], ri[256];
  auk_type_id kt[256];
  int64_t *pidx = NULL, *bidx = NULL, total = 0, palloc = 0;
  auk_array **outc = NULL;
  auk_status st = AUK_OK;
  if (nkeys > 256) return auk_error_set(err, AUK_ERR_UNSUPPORTED, "join: more than 256 keys");
  for (int k = 0; k < nkeys; k++) {
    li[k] = auk_schema_find(L->schema, n->exprs[k]->name);
    ri[k] = auk_schema_find(R->schema, n->aggs[k]->name);
    if (li[k] < 0 || ri[k] < 0) return auk_error_set(err, AUK_ERR_NOT_FOUND, "join: key not found");
    kt[k] = join_key_type(L->schema->fields[li[k]].type, R->schema->fields[ri[k]].type);
    if (kt[k] == AUK_TYPE_COUNT_)
      return auk_error_set(err, AUK_ERR_TYPE, "join: key types do not match");
  }
  if ((st = join_columns(n, L->schema, R->schema, &cols, &ncols, &schema, err))) return st;
  if ((st = join_all(L, &lc, err)) || (st = join_all(R, &rc, err))) goto done;
  /* a right join probes with the right rows */
  int probe_right = how == AUK_JOIN_RIGHT;
  const int64_t *lrow, *rrow;
  if (how == AUK_JOIN_CROSS) {
    if ((st = cross_rows(L->nrows, R->nrows, &pidx, &bidx, &total, err))) goto done;
    palloc = total + 1;
    lrow = pidx;
    rrow = bidx;
    goto gather;
  }
  if ((st = make_side(probe_right ? &c.build : &c.probe, lc, li, kt, nkeys, L->nrows, err)) ||
      (st = make_side(probe_right ? &c.probe : &c.build, rc, ri, kt, nkeys, R->nrows, err)) ||
      (st = build_table(&c, err)))
    goto done;
  if (n->validate != AUK_JOIN_VALIDATE_NONE) {
    int left_one = n->validate != AUK_JOIN_VALIDATE_M_1;
    int right_one = n->validate != AUK_JOIN_VALIDATE_1_M;
    /* the build side is the right one unless the right rows probe */
    if ((probe_right ? left_one : right_one) &&
        (st = check_unique(&c, probe_right ? "left" : "right", err)))
      goto done;
    if ((probe_right ? right_one : left_one) &&
        (st = check_probe_unique(&c, probe_right ? "right" : "left", err)))
      goto done;
  }
  if (how == AUK_JOIN_FULL) {
    c.matched = auk_mem_calloc((size_t)(c.build.n + 1), err);
    if (!c.matched) {
      st = err->code;
      goto done;
    }
  }
  c.nranges = (int64_t)threads * 8;
  c.outs = auk_mem_calloc(sizeof(range_out) * (size_t)c.nranges, err);
  if (!c.outs) {
    st = err->code;
    goto done;
  }
  auk_pool_run(c.nranges, probe_task, &c);
  for (int64_t t = 0; t < c.nranges && !st; t++)
    if (c.outs[t].st) {
      *err = c.outs[t].err;
      st = c.outs[t].st;
    }
  if (st) goto done;
  for (int64_t t = 0; t < c.nranges; t++) total += c.outs[t].n;
  int64_t extra = 0;
  if (c.matched)
    for (int64_t b = 0; b < c.build.n; b++) extra += !c.matched[b];
  palloc = total + extra + 1;
  pidx = auk_mem_alloc(sizeof(int64_t) * (size_t)palloc, err);
  bidx = pidx ? auk_mem_alloc(sizeof(int64_t) * (size_t)palloc, err) : NULL;
  if (!bidx) {
    st = err->code;
    goto done;
  }
  for (int64_t t = 0, w = 0; t < c.nranges; t++) {
    if (!c.outs[t].n) continue;
    memcpy(pidx + w, c.outs[t].p, sizeof(int64_t) * (size_t)c.outs[t].n);
    memcpy(bidx + w, c.outs[t].b, sizeof(int64_t) * (size_t)c.outs[t].n);
    w += c.outs[t].n;
  }
  if (c.matched) /* full join: build rows nobody matched, in build order */
    for (int64_t b = 0; b < c.build.n; b++)
      if (!c.matched[b]) {
        pidx[total] = -1;
        bidx[total++] = b;
      }
  /* left and right row numbers */
  lrow = probe_right ? bidx : pidx;
  rrow = probe_right ? pidx : bidx;
gather:
  outc = auk_mem_calloc(sizeof(auk_array *) * (size_t)(ncols + 1), err);
  if (!outc) {
    st = err->code;
    goto done;
  }
  for (int i = 0; i < ncols && !st; i++) {
    const join_col *jc = &cols[i];
    const auk_array *src = jc->side ? rc[jc->index] : lc[jc->index];
    auk_type_id t = schema->fields[i].type;
    st = take_rows(src, jc->side ? rrow : lrow, total, t, &outc[i], err);
    if (!st && jc->coalesce_with >= 0) {
      /* where the left row is missing, the key comes from the right */
      auk_array *fill, *cast;
      st = take_rows(rc[jc->coalesce_with], rrow, total, rc[jc->coalesce_with]->type, &fill, err);
      if (!st) {
        st = k_cast_array(NULL, fill, t, 0, &cast, err);
        auk_array_release(fill);
      }
      if (!st) {
        int64_t *pick = auk_mem_alloc(sizeof(int64_t) * (size_t)(total + 1), err);
        if (!pick) {
          st = err->code;
        } else {
          auk_array *both[2] = {outc[i], cast}, *joined;
          for (int64_t r = 0; r < total; r++) pick[r] = lrow[r] >= 0 ? r : total + r;
          st = concat_arrays(both, 2, &joined, err);
          if (!st) {
            auk_array_release(outc[i]);
            st = take_array(joined, pick, total, &outc[i], err);
            if (st) outc[i] = NULL;
            auk_array_release(joined);
          }
          auk_mem_free(pick, sizeof(int64_t) * (size_t)(total + 1));
        }
        auk_array_release(cast);
      }
    }
  }
  if (st) goto done;
  auk_frame *f = auk_frame_new(schema, err);
  if (!f) {
    st = err->code;
    goto done;
  }
  for (int64_t s0 = 0; s0 < total && !st; s0 += AUK_BATCH_ROWS) {
    int64_t len = total - s0 < AUK_BATCH_ROWS ? total - s0 : AUK_BATCH_ROWS;
    auk_batch *b = auk_batch_new(schema, len, err);
    if (!b) {
      st = err->code;
      break;
    }
    for (int i = 0; i < ncols && !st; i++)
      if (!(b->cols[i] = auk_array_slice(outc[i], s0, len, err))) st = err->code;
    if (st)
      auk_batch_free(b);
    else
      st = auk_frame_append(f, b, err);
  }
  if (st)
    auk_frame_free(f);
  else
    *out = f;
done:
  free_cols(outc, ncols);
  if (pidx) auk_mem_free(pidx, sizeof(int64_t) * (size_t)palloc);
  if (bidx) auk_mem_free(bidx, sizeof(int64_t) * (size_t)palloc);
  if (c.outs) {
    for (int64_t t = 0; t < c.nranges; t++) {
      if (c.outs[t].p) auk_mem_free(c.outs[t].p, sizeof(int64_t) * (size_t)c.outs[t].cap);
      if (c.outs[t].b) auk_mem_free(c.outs[t].b, sizeof(int64_t) * (size_t)c.outs[t].cap);
    }
    auk_mem_free(c.outs, sizeof(range_out) * (size_t)c.nranges);
  }
  if (c.matched) auk_mem_free((void *)c.matched, (size_t)(c.build.n + 1));
  table_free(&c.t, c.build.n);
  side_free(&c.probe, nkeys);
  side_free(&c.build, nkeys);
  free_cols(lc, nl);
  free_cols(rc, nr);
  if (cols) {
    int all = nl + ((how == AUK_JOIN_SEMI || how == AUK_JOIN_ANTI) ? 0 : nr);
    auk_mem_free(cols, sizeof(join_col) * (size_t)(all + 1));
  }
  auk_schema_release(schema);
  return st;
}
