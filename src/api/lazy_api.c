/* lazy_api.c - lazy frames and the eager operations built on them. A lazy
 * frame holds the root of an immutable plan; each operation replaces the
 * root with a new node over it, so a failed operation leaves the frame as
 * it was, and a clone shares the whole tree. */
#include "core/alloc.h"
#include "core/cancel.h"
#include "core/error.h"
#include "exec/exec.h"
#include "plan/plan.h"

#include <string.h>

struct auk_lazy {
  plan_node *root;
};

#define LOCAL_ERR(err)  \
  auk_error local_err_; \
  if (!(err)) (err) = &local_err_;

static void release_all(int n, auk_expr **e) {
  for (int i = 0; i < n && e; i++) expr_release(e[i]);
}

static auk_status wrap(plan_node *root, auk_lazy **out, auk_error *err) {
  auk_lazy *lf = auk_mem_alloc(sizeof *lf, err);
  if (!lf) {
    plan_release(root);
    return err->code;
  }
  lf->root = root;
  *out = lf;
  return AUK_OK;
}

auk_status auk_scan_csv(const char *path, const auk_csv_read_options *opts, auk_lazy **out,
                        auk_error *err) {
  LOCAL_ERR(err);
  if (!path || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "scan_csv: NULL argument");
  *out = NULL;
  scan_source *s;
  plan_node *n;
  if (scan_source_csv(path, opts, &s, err) || plan_scan(s, &n, err)) return err->code;
  return wrap(n, out, err);
}

auk_status auk_scan_parquet(const char *path, auk_lazy **out, auk_error *err) {
  LOCAL_ERR(err);
  if (!path || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "scan_parquet: NULL argument");
  *out = NULL;
  scan_source *s;
  plan_node *n;
  if (scan_source_parquet(path, &s, err) || plan_scan(s, &n, err)) return err->code;
  return wrap(n, out, err);
}

auk_status auk_frame_lazy(const auk_frame *frame, auk_lazy **out, auk_error *err) {
  LOCAL_ERR(err);
  if (!frame || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "lazy: NULL argument");
  *out = NULL;
  scan_source *s;
  plan_node *n;
  if (scan_source_frame(frame, &s, err) || plan_scan(s, &n, err)) return err->code;
  return wrap(n, out, err);
}

auk_status auk_lazy_clone(const auk_lazy *lf, auk_lazy **out, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "clone: NULL argument");
  return wrap(plan_retain(lf->root), out, err);
}

void auk_lazy_free(auk_lazy *lf) {
  if (!lf) return;
  plan_release(lf->root);
  auk_mem_free(lf, sizeof *lf);
}

/* Replaces lf's root by the result of a constructor given a new reference
 * to it. */
static auk_status swap_root(auk_lazy *lf, auk_status st, plan_node *n) {
  if (st) return st;
  plan_release(lf->root);
  lf->root = n;
  return AUK_OK;
}

#define CHECK_LF(lf, n, exprs, what)                                                       \
  do {                                                                                     \
    if (!(lf)) {                                                                           \
      release_all(n, exprs);                                                               \
      return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "%s: lazy frame is NULL", what); \
    }                                                                                      \
  } while (0)

auk_status auk_lazy_select(auk_lazy *lf, int n, auk_expr **exprs, auk_error *err) {
  LOCAL_ERR(err);
  CHECK_LF(lf, n, exprs, "select");
  if (n < 0 || (n > 0 && !exprs))
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "select: bad expression list");
  int k;
  auk_expr **all;
  if (plan_expand_wildcards(lf->root->schema, n, exprs, &k, &all, err)) return err->code;
  plan_node *r;
  auk_status st = plan_project(plan_retain(lf->root), k, all, 0, &r, err);
  auk_mem_free(all, sizeof(auk_expr *) * (size_t)(k ? k : 1));
  return swap_root(lf, st, r);
}

auk_status auk_lazy_with_columns(auk_lazy *lf, int n, auk_expr **exprs, auk_error *err) {
  LOCAL_ERR(err);
  CHECK_LF(lf, n, exprs, "with_columns");
  if (n < 0 || (n > 0 && !exprs))
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "with_columns: bad expression list");
  const auk_schema *s = lf->root->schema;
  auk_expr **given;
  if (plan_expand_wildcards(s, n, exprs, &n, &given, err)) return err->code;
  exprs = given;
  int total = s->nfields + n;
  auk_expr **all = auk_mem_calloc(sizeof(auk_expr *) * (size_t)(total ? total : 1), err);
  if (!all) {
    plan_free_exprs(n, given);
    return err->code;
  }
  int k = 0;
  for (int i = 0; i < s->nfields; i++) all[k++] = expr_new_col(s->fields[i].name);
  for (int j = 0; j < n; j++) {
    auk_expr *e = exprs[j] ? exprs[j] : expr_new_error("expression %d is NULL", j + 1);
    const char *name = expr_output_name(e);
    int at = -1;
    for (int i = 0; i < k; i++)
      if (!strcmp(expr_output_name(all[i]), name)) at = i;
    if (at >= 0) {
      expr_release(all[at]);
      all[at] = e;
    } else {
      all[k++] = e;
    }
  }
  plan_node *r;
  auk_status st = plan_project(plan_retain(lf->root), k, all, 1, &r, err);
  auk_mem_free(all, sizeof(auk_expr *) * (size_t)(total ? total : 1));
  auk_mem_free(given, sizeof(auk_expr *) * (size_t)(n ? n : 1));
  return swap_root(lf, st, r);
}

auk_status auk_lazy_filter(auk_lazy *lf, auk_expr *predicate, auk_error *err) {
  LOCAL_ERR(err);
  CHECK_LF(lf, 1, &predicate, "filter");
  plan_node *r;
  auk_status st = plan_filter(plan_retain(lf->root), predicate, &r, err);
  return swap_root(lf, st, r);
}

auk_status auk_lazy_sort(auk_lazy *lf, int n, auk_expr **keys, const int *descending,
                         const int *nulls_last, auk_error *err) {
  LOCAL_ERR(err);
  CHECK_LF(lf, n, keys, "sort");
  if (n < 1 || !keys) {
    release_all(n, keys);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "sort needs at least one key");
  }
  plan_node *r;
  auk_status st = plan_sort(plan_retain(lf->root), n, keys, descending, nulls_last, &r, err);
  return swap_root(lf, st, r);
}

auk_status auk_lazy_slice(auk_lazy *lf, int64_t offset, int64_t length, auk_error *err) {
  LOCAL_ERR(err);
  CHECK_LF(lf, 0, NULL, "slice");
  plan_node *r;
  auk_status st = plan_slice(plan_retain(lf->root), offset, length, &r, err);
  return swap_root(lf, st, r);
}

auk_status auk_lazy_head(auk_lazy *lf, int64_t n, auk_error *err) {
  return auk_lazy_slice(lf, 0, n < 0 ? 0 : n, err);
}

auk_status auk_lazy_tail(auk_lazy *lf, int64_t n, auk_error *err) {
  if (n <= 0) return auk_lazy_slice(lf, 0, 0, err);
  return auk_lazy_slice(lf, -n, n, err);
}

/* A projection that keeps, renames or drops columns by name. */
static auk_status reshape(auk_lazy *lf, const char *from, const char *to, int ndrop,
                          const char *const *drop, auk_error *err) {
  const auk_schema *s = lf->root->schema;
  for (int j = 0; j < ndrop; j++)
    if (!drop[j] || auk_schema_find(s, drop[j]) < 0) {
      char hint[512];
      auk_schema_suggest(s, drop[j] ? drop[j] : "", hint, sizeof hint);
      return auk_error_set(err, AUK_ERR_NOT_FOUND, "drop: column '%s' not found; %s",
                           drop[j] ? drop[j] : "(null)", hint);
    }
  if (from && auk_schema_find(s, from) < 0) {
    char hint[512];
    auk_schema_suggest(s, from, hint, sizeof hint);
    return auk_error_set(err, AUK_ERR_NOT_FOUND, "rename: column '%s' not found; %s", from, hint);
  }
  auk_expr **all = auk_mem_calloc(sizeof(auk_expr *) * (size_t)(s->nfields + 1), err);
  if (!all) return err->code;
  int k = 0;
  for (int i = 0; i < s->nfields; i++) {
    const char *name = s->fields[i].name;
    int dropped = 0;
    for (int j = 0; j < ndrop; j++) dropped |= !strcmp(drop[j], name);
    if (dropped) continue;
    auk_expr *c = expr_new_col(name);
    all[k++] = from && !strcmp(from, name) ? expr_new_alias(c, to) : c;
  }
  plan_node *r;
  auk_status st = plan_project(plan_retain(lf->root), k, all, 0, &r, err);
  auk_mem_free(all, sizeof(auk_expr *) * (size_t)(s->nfields + 1));
  return swap_root(lf, st, r);
}

auk_status auk_lazy_rename(auk_lazy *lf, const char *from, const char *to, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || !from || !to)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "rename: NULL argument");
  return reshape(lf, from, to, 0, NULL, err);
}

auk_status auk_lazy_drop(auk_lazy *lf, int n, const char *const *names, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || n < 0 || (n > 0 && !names))
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "drop: bad argument");
  return reshape(lf, NULL, NULL, n, names, err);
}

auk_status auk_lazy_drop_nulls(auk_lazy *lf, int n, const char *const *names, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || n < 0 || (n > 0 && !names))
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "drop_nulls: bad argument");
  const auk_schema *s = lf->root->schema;
  int k = n ? n : s->nfields;
  auk_expr *pred = NULL;
  for (int i = 0; i < k; i++) {
    auk_expr *col = expr_new_col(n ? names[i] : s->fields[i].name);
    auk_expr *t = expr_new_call(FN_IS_NOT_NULL, 1, &col);
    if (!pred) {
      pred = t;
    } else {
      auk_expr *args[2] = {pred, t};
      pred = expr_new_call(FN_AND, 2, args);
    }
  }
  if (!pred) return AUK_OK;
  return auk_lazy_filter(lf, pred, err);
}

auk_status auk_lazy_unique(auk_lazy *lf, int n, const char *const *subset, auk_keep keep,
                           auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || n < 0 || (n > 0 && !subset) || keep < AUK_KEEP_FIRST || keep > AUK_KEEP_NONE)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "unique: bad argument");
  auk_expr *cols[256];
  if (n > 256) return auk_error_set(err, AUK_ERR_UNSUPPORTED, "unique: more than 256 key columns");
  for (int i = 0; i < n; i++) cols[i] = expr_new_col(subset[i]);
  plan_node *r;
  auk_status st = plan_unique(plan_retain(lf->root), n, cols, (int)keep, &r, err);
  return swap_root(lf, st, r);
}

auk_status auk_lazy_group_by(auk_lazy *lf, int nkeys, auk_expr **keys, int naggs, auk_expr **aggs,
                             int maintain_order, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || nkeys < 0 || naggs < 0 || (nkeys && !keys) || (naggs && !aggs)) {
    release_all(nkeys, keys);
    release_all(naggs, aggs);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "group_by: bad argument");
  }
  /* wildcards expand in the aggregates: agg(sum(all())) */
  int na;
  auk_expr **all;
  if (plan_expand_wildcards(lf->root->schema, naggs, aggs, &na, &all, err)) {
    release_all(nkeys, keys);
    return err->code;
  }
  plan_node *r;
  auk_status st =
      plan_aggregate(plan_retain(lf->root), nkeys, keys, na, all, maintain_order, &r, err);
  auk_mem_free(all, sizeof(auk_expr *) * (size_t)(na ? na : 1));
  return swap_root(lf, st, r);
}

auk_status auk_lazy_agg(auk_lazy *lf, int naggs, auk_expr **aggs, auk_error *err) {
  return auk_lazy_group_by(lf, 0, NULL, naggs, aggs, 0, err);
}

auk_status auk_lazy_value_counts(auk_lazy *lf, const char *column, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || !column)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "value_counts: NULL argument");
  auk_lazy *tmp;
  if (auk_lazy_clone(lf, &tmp, err)) return err->code;
  auk_expr *key = expr_new_col(column);
  auk_expr *count = expr_new_alias(expr_new_call(FN_LEN, 0, NULL), "count");
  auk_expr *by = expr_new_col("count");
  int desc = 1;
  auk_status st = auk_lazy_group_by(tmp, 1, &key, 1, &count, 1, err);
  if (!st)
    st = auk_lazy_sort(tmp, 1, &by, &desc, NULL, err);
  else
    expr_release(by);
  if (!st) {
    plan_release(lf->root);
    lf->root = plan_retain(tmp->root);
  }
  auk_lazy_free(tmp);
  return st;
}

auk_status auk_lazy_group_head(auk_lazy *lf, int n, const char *const *keys, int64_t rows,
                               auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || n < 1 || !keys || rows < 0)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "group_head: bad argument");
  if (rows == 0) return auk_lazy_slice(lf, 0, 0, err);
  auk_expr *cols[256];
  if (n > 256) return auk_error_set(err, AUK_ERR_UNSUPPORTED, "group_head: more than 256 keys");
  for (int i = 0; i < n; i++) cols[i] = expr_new_col(keys[i]);
  plan_node *r;
  auk_status st = plan_unique(plan_retain(lf->root), n, cols, AUK_KEEP_FIRST, &r, err);
  if (!st) r->limit = rows;
  return swap_root(lf, st, r);
}

void auk_join_options_init(auk_join_options *opts) {
  if (opts) memset(opts, 0, sizeof *opts);
}

auk_status auk_lazy_join_opts(auk_lazy *lf, auk_lazy *right, int nkeys, const char *const *left_on,
                              const char *const *right_on, auk_join_type how,
                              const auk_join_options *opts, auk_error *err) {
  LOCAL_ERR(err);
  int cross = how == AUK_JOIN_CROSS;
  if (!lf || !right || how < AUK_JOIN_INNER || how > AUK_JOIN_CROSS || nkeys > 256 ||
      (cross ? nkeys != 0 : (nkeys < 1 || !left_on || !right_on)) ||
      (opts &&
       (opts->validate < AUK_JOIN_VALIDATE_NONE || opts->validate > AUK_JOIN_VALIDATE_M_1))) {
    auk_lazy_free(right);
    return auk_error_set(
        err, AUK_ERR_INVALID_ARGUMENT,
        cross ? "cross join: bad argument (a cross join takes no keys)" : "join: bad argument");
  }
  auk_expr *l[256], *r[256];
  for (int i = 0; i < nkeys; i++) {
    l[i] = expr_new_col(left_on[i]);
    r[i] = expr_new_col(right_on[i]);
  }
  plan_node *j;
  auk_status st = plan_join(plan_retain(lf->root), plan_retain(right->root), nkeys, l, r, (int)how,
                            opts ? opts->suffix : NULL, &j, err);
  if (!st && opts) { /* j is new and not shared yet */
    j->nulls_equal = opts->nulls_equal != 0;
    j->validate = (int)opts->validate;
  }
  auk_lazy_free(right);
  return swap_root(lf, st, j);
}

auk_status auk_lazy_join_on(auk_lazy *lf, auk_lazy *right, int nkeys, auk_expr **left_on,
                            auk_expr **right_on, auk_join_type how, const auk_join_options *opts,
                            auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || !right || nkeys < 1 || nkeys > 256 || !left_on || !right_on) {
    if (left_on) release_all(nkeys > 256 ? 0 : nkeys, left_on);
    if (right_on) release_all(nkeys > 256 ? 0 : nkeys, right_on);
    auk_lazy_free(right);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "join_on: bad argument");
  }
  /* Computed keys become columns of their side for the join, then go. */
  char names[2][256][40];
  const char *on[2][256];
  auk_expr *add[2][256];
  int nadd[2] = {0, 0};
  auk_expr **keys[2] = {left_on, right_on};
  int computed[256];
  for (int i = 0; i < nkeys; i++) {
    /* both sides of a pair are columns, or both are computed (so a column
     * compared with an expression keeps its own values) */
    computed[i] = !(left_on[i] && left_on[i]->kind == EXPR_COL && right_on[i] &&
                    right_on[i]->kind == EXPR_COL);
    for (int s = 0; s < 2; s++) {
      if (!computed[i]) {
        on[s][i] = keys[s][i]->name;
        continue;
      }
      snprintf(names[s][i], sizeof names[s][i], "__auk_join_key_%d", i);
      on[s][i] = names[s][i];
      add[s][nadd[s]++] = auk_alias(expr_retain(keys[s][i]), names[s][i]);
    }
  }
  auk_lazy *l = NULL;
  auk_status st = auk_lazy_clone(lf, &l, err);
  if (st) {
    release_all(nadd[0], add[0]);
    release_all(nadd[1], add[1]);
  } else {
    st = nadd[0] ? auk_lazy_with_columns(l, nadd[0], add[0], err) : AUK_OK;
    if (!st && nadd[1])
      st = auk_lazy_with_columns(right, nadd[1], add[1], err);
    else if (st)
      release_all(nadd[1], add[1]);
  }
  if (!st) {
    st = auk_lazy_join_opts(l, right, nkeys, on[0], on[1], how, opts, err);
    right = NULL;
  }
  /* the computed left keys remain (the right ones merged into them) */
  const char *drop[256];
  int ndrop = 0;
  for (int i = 0; i < nkeys && !st; i++)
    if (computed[i]) drop[ndrop++] = names[0][i];
  if (!st && ndrop) st = auk_lazy_drop(l, ndrop, drop, err);
  release_all(nkeys, left_on);
  release_all(nkeys, right_on);
  auk_lazy_free(right);
  if (st) {
    auk_lazy_free(l);
    return st;
  }
  plan_release(lf->root);
  lf->root = plan_retain(l->root);
  auk_lazy_free(l);
  return AUK_OK;
}

auk_status auk_lazy_window(auk_lazy *lf, const char *name, auk_window_fn fn, auk_expr *arg,
                           int64_t offset, const auk_window_frame *frame, int npart,
                           auk_expr **partition_by, int norder, auk_expr **order_by,
                           const int *descending, const int *nulls_last, auk_error *err) {
  LOCAL_ERR(err);
  int needs_arg = (fn >= AUK_WIN_SUM && fn <= AUK_WIN_COUNT) || fn >= AUK_WIN_LAG;
  if (!lf || !name || npart < 0 || norder < 0 || (npart && !partition_by) ||
      (norder && !order_by) || fn < AUK_WIN_ROW_NUMBER || fn > AUK_WIN_LAST_VALUE ||
      !needs_arg != !arg || offset < 0) {
    release_all(npart, partition_by);
    release_all(norder, order_by);
    expr_release(arg);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "window: bad argument (an aggregate takes one argument, a rank none)");
  }
  plan_node *n;
  auk_status st = plan_window(plan_retain(lf->root), name, (int)fn, arg, npart, partition_by,
                              norder, order_by, descending, nulls_last, &n, err);
  if (!st) n->offset = offset ? offset : 1; /* lag/lead distance */
  if (!st && frame && fn >= AUK_WIN_SUM && fn <= AUK_WIN_LEN) {
    n->has_frame = 1;
    n->frame_preceding = frame->preceding;
    n->frame_following = frame->following;
  }
  return swap_root(lf, st, n);
}

auk_status auk_lazy_join(auk_lazy *lf, auk_lazy *right, int nkeys, const char *const *left_on,
                         const char *const *right_on, auk_join_type how, const char *suffix,
                         auk_error *err) {
  auk_join_options o;
  auk_join_options_init(&o);
  o.suffix = suffix;
  return auk_lazy_join_opts(lf, right, nkeys, left_on, right_on, how, &o, err);
}

auk_status auk_lazy_concat(auk_lazy *lf, auk_lazy *other, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || !other) {
    auk_lazy_free(other);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "concat: NULL argument");
  }
  plan_node *r;
  auk_status st = plan_concat(plan_retain(lf->root), plan_retain(other->root), &r, err);
  auk_lazy_free(other);
  return swap_root(lf, st, r);
}

/* The type a column of two frames is concatenated in (by name), or
 * AUK_TYPE_COUNT_: the join key rules, and a null column takes the other's. */
static auk_type_id concat_type(auk_type_id a, auk_type_id b) {
  if (a == AUK_TYPE_NULL) return b;
  if (b == AUK_TYPE_NULL) return a;
  return join_key_type(a, b);
}

/* The projection of side `in` onto the columns of `out`: its own column
 * (cast when the type differs) or a typed null. */
static auk_status conform(plan_node *in, const auk_schema *out, plan_node **res, auk_error *err) {
  int n = out->nfields;
  auk_expr **ex = auk_mem_calloc(sizeof(auk_expr *) * (size_t)(n ? n : 1), err);
  if (!ex) {
    plan_release(in);
    return err->code;
  }
  for (int i = 0; i < n; i++) {
    const auk_field *f = &out->fields[i];
    int j = auk_schema_find(in->schema, f->name);
    auk_expr *e = j >= 0 ? expr_new_col(f->name) : auk_lit_null();
    if (j < 0 || in->schema->fields[j].type != f->type) e = expr_new_cast(e, f->type, 1);
    ex[i] = expr_new_alias(e, f->name);
  }
  auk_status st = plan_project(in, n, ex, 0, res, err);
  auk_mem_free(ex, sizeof(auk_expr *) * (size_t)(n ? n : 1));
  return st;
}

auk_status auk_lazy_concat_by_name(auk_lazy *lf, auk_lazy *other, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || !other) {
    auk_lazy_free(other);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "concat_by_name: NULL argument");
  }
  const auk_schema *a = lf->root->schema, *b = other->root->schema;
  int extra = 0;
  for (int j = 0; j < b->nfields; j++) extra += auk_schema_find(a, b->fields[j].name) < 0;
  auk_schema *s = auk_schema_new(a->nfields + extra, err);
  auk_status st = s ? AUK_OK : err->code;
  int k = 0;
  for (int i = 0; i < a->nfields && !st; i++, k++) {
    int j = auk_schema_find(b, a->fields[i].name);
    auk_type_id t = a->fields[i].type;
    if (j >= 0 && (t = concat_type(t, b->fields[j].type)) == AUK_TYPE_COUNT_)
      st = auk_error_set(err, AUK_ERR_TYPE,
                         "concat_by_name: column '%s' is %s in the first frame and %s in the "
                         "second",
                         a->fields[i].name, auk_type_name(a->fields[i].type),
                         auk_type_name(b->fields[j].type));
    else
      st = auk_schema_set(s, k, a->fields[i].name, t, err);
  }
  for (int j = 0; j < b->nfields && !st; j++)
    if (auk_schema_find(a, b->fields[j].name) < 0)
      st = auk_schema_set(s, k++, b->fields[j].name, b->fields[j].type, err);
  plan_node *pa = NULL, *pb = NULL, *r = NULL;
  if (!st) st = conform(plan_retain(lf->root), s, &pa, err);
  if (!st) st = conform(plan_retain(other->root), s, &pb, err);
  if (!st) {
    st = plan_concat(pa, pb, &r, err);
    pa = pb = NULL;
  }
  plan_release(pa);
  plan_release(pb);
  auk_schema_release(s);
  auk_lazy_free(other);
  return swap_root(lf, st, r);
}

auk_status auk_lazy_concat_horizontal(auk_lazy *lf, auk_lazy *other, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || !other) {
    auk_lazy_free(other);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "concat_horizontal: NULL argument");
  }
  plan_node *r;
  auk_status st = plan_hconcat(plan_retain(lf->root), plan_retain(other->root), &r, err);
  auk_lazy_free(other);
  return swap_root(lf, st, r);
}

int auk_lazy_num_columns(const auk_lazy *lf) {
  return lf ? lf->root->schema->nfields : 0;
}
const char *auk_lazy_column_name(const auk_lazy *lf, int i) {
  if (!lf || i < 0 || i >= lf->root->schema->nfields) return NULL;
  return lf->root->schema->fields[i].name;
}
auk_type_id auk_lazy_column_type(const auk_lazy *lf, int i) {
  if (!lf || i < 0 || i >= lf->root->schema->nfields) return AUK_TYPE_NULL;
  return lf->root->schema->fields[i].type;
}

auk_status auk_lazy_explain(const auk_lazy *lf, int optimized, char **text, auk_error *err) {
  LOCAL_ERR(err);
  if (!lf || !text) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "explain: NULL argument");
  *text = NULL;
  if (!optimized) return plan_explain(lf->root, text, err);
  plan_node *opt;
  if (plan_optimize(lf->root, &opt, err)) return err->code;
  auk_status st = plan_explain(opt, text, err);
  plan_release(opt);
  return st;
}

auk_status auk_lazy_collect(const auk_lazy *lf, auk_frame **out, auk_error *err) {
  auk_cancel_query_start();
  LOCAL_ERR(err);
  if (!lf || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "collect: NULL argument");
  *out = NULL;
  plan_node *opt;
  if (plan_optimize(lf->root, &opt, err)) return err->code;
  auk_status st = exec_plan(opt, out, err);
  plan_release(opt);
  return st;
}

void auk_free(void *p) {
  auk_str_free(p);
}

/* ----------------------------------------------------------------- eager */

static auk_status eager(const auk_frame *f, auk_status st_op_fail, auk_lazy *lf, auk_frame **out,
                        auk_error *err) {
  auk_status st = st_op_fail ? st_op_fail : auk_lazy_collect(lf, out, err);
  auk_lazy_free(lf);
  (void)f;
  return st;
}

auk_status auk_frame_select(const auk_frame *f, int n, auk_expr **exprs, auk_frame **out,
                            auk_error *err) {
  LOCAL_ERR(err);
  auk_lazy *lf;
  if (!out || auk_frame_lazy(f, &lf, err)) {
    release_all(n, exprs);
    return out ? err->code : auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "select: NULL out");
  }
  return eager(f, auk_lazy_select(lf, n, exprs, err), lf, out, err);
}

auk_status auk_frame_with_columns(const auk_frame *f, int n, auk_expr **exprs, auk_frame **out,
                                  auk_error *err) {
  LOCAL_ERR(err);
  auk_lazy *lf;
  if (!out || auk_frame_lazy(f, &lf, err)) {
    release_all(n, exprs);
    return out ? err->code : auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "with_columns: NULL out");
  }
  return eager(f, auk_lazy_with_columns(lf, n, exprs, err), lf, out, err);
}

auk_status auk_frame_filter(const auk_frame *f, auk_expr *predicate, auk_frame **out,
                            auk_error *err) {
  LOCAL_ERR(err);
  auk_lazy *lf;
  if (!out || auk_frame_lazy(f, &lf, err)) {
    expr_release(predicate);
    return out ? err->code : auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "filter: NULL out");
  }
  return eager(f, auk_lazy_filter(lf, predicate, err), lf, out, err);
}

auk_status auk_frame_sort(const auk_frame *f, int n, auk_expr **keys, const int *descending,
                          const int *nulls_last, auk_frame **out, auk_error *err) {
  LOCAL_ERR(err);
  auk_lazy *lf;
  if (!out || auk_frame_lazy(f, &lf, err)) {
    release_all(n, keys);
    return out ? err->code : auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "sort: NULL out");
  }
  return eager(f, auk_lazy_sort(lf, n, keys, descending, nulls_last, err), lf, out, err);
}
