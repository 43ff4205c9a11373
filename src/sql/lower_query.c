/* lower_query.c - whole queries: WITH scopes, VALUES lists, set
 * operations (UNION [ALL] as a concatenation, INTERSECT and EXCEPT [ALL]
 * by grouping both sides' rows on every column), ORDER BY / LIMIT over a query's
 * result, the final renaming to the names a user sees, and scalar
 * subqueries run once and turned into literals. */
#include "core/decimal.h"
#include "core/error.h"
#include "expr/expr.h"
#include "sql/lexer.h"
#include "sql/lower.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_int_type(auk_type_id t) {
  return t >= AUK_TYPE_INT8 && t <= AUK_TYPE_UINT64;
}

/* The type two result columns meet in, or AUK_TYPE_COUNT_. */
static auk_type_id common_type(auk_type_id a, auk_type_id b) {
  if (a == b || b == AUK_TYPE_NULL) return a;
  if (a == AUK_TYPE_NULL) return b;
  if (auk_type_is_decimal(a) || auk_type_is_decimal(b)) return auk_decimal_common(a, b);
  if (is_int_type(a) && is_int_type(b)) return AUK_TYPE_INT64;
  if ((is_int_type(a) || a == AUK_TYPE_FLOAT32 || a == AUK_TYPE_FLOAT64) &&
      (is_int_type(b) || b == AUK_TYPE_FLOAT32 || b == AUK_TYPE_FLOAT64))
    return AUK_TYPE_FLOAT64;
  if ((a == AUK_TYPE_DATE && b == AUK_TYPE_DATETIME) ||
      (b == AUK_TYPE_DATE && a == AUK_TYPE_DATETIME))
    return AUK_TYPE_DATETIME;
  return AUK_TYPE_COUNT_;
}

/* Renames (and casts) r's columns to names[i] with types[i]; nothing when
 * they are so already (a UNION ALL chain then stays one flat concat). */
static auk_status conform(planner *P, rel *r, const char *const *names, const auk_type_id *types) {
  int n = r->sc.n, same = 1;
  for (int i = 0; i < n; i++)
    same &= !strcmp(r->sc.cols[i].internal, names[i]) &&
            auk_lazy_column_type(r->lf, i) == types[i] &&
            !strcmp(auk_lazy_column_name(r->lf, i), names[i]);
  if (same && auk_lazy_num_columns(r->lf) == n) return AUK_OK;
  auk_expr **sel = arena_alloc(P->a, sizeof *sel * (size_t)(n ? n : 1));
  if (!sel) return P->err->code;
  for (int i = 0; i < n; i++) {
    auk_expr *c = auk_col(r->sc.cols[i].internal);
    if (auk_lazy_column_type(r->lf, i) != types[i]) c = auk_cast(c, types[i]);
    sel[i] = auk_alias(c, names[i]);
    r->sc.cols[i].internal = names[i];
    r->sc.cols[i].type = types[i];
  }
  return auk_lazy_select(r->lf, n, sel, P->err);
}

/* Left and right brought to the same internal names and types. */
static auk_status align(planner *P, rel *l, rel *r, size_t pos) {
  if (l->sc.n != r->sc.n)
    return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, pos,
                        "the two sides of a set operation have %d and %d columns", l->sc.n,
                        r->sc.n);
  int n = l->sc.n;
  const char **names = arena_alloc(P->a, sizeof *names * (size_t)(n ? n : 1));
  auk_type_id *types = arena_alloc(P->a, sizeof *types * (size_t)(n ? n : 1));
  if (!names || !types) return P->err->code;
  for (int i = 0; i < n; i++) {
    auk_type_id a = auk_lazy_column_type(l->lf, i), b = auk_lazy_column_type(r->lf, i);
    types[i] = common_type(a, b);
    if (types[i] == AUK_TYPE_COUNT_) {
      if (a == AUK_TYPE_STRING || b == AUK_TYPE_STRING) {
        types[i] = AUK_TYPE_STRING;
      } else {
        return sql_error_at(P->err, AUK_ERR_TYPE, P->text, pos,
                            "column %d of a set operation is %s on one side and %s on the other",
                            i + 1, auk_type_name(a), auk_type_name(b));
      }
    }
    names[i] = l->sc.cols[i].internal;
  }
  if (conform(P, l, names, types) || conform(P, r, names, types)) return P->err->code;
  return AUK_OK;
}

/* A UNION whose left side is a plain UNION (no ORDER BY, LIMIT or WITH of
 * its own): the left's distinct is left to this one, so a chain of UNIONs
 * is one concatenation and one distinct. */
static int plain_union(const ast_query *q) {
  return q->kind == Q_SETOP && q->right && q->op == SET_UNION && !q->all && !q->norder &&
         !q->limit && !q->offset && !q->nctes;
}

static auk_status plan_setop_in(planner *P, const ast_query *q, const scope *outer, int no_distinct,
                                rel *out);

static auk_status plan_setop(planner *P, const ast_query *q, const scope *outer, rel *out) {
  return plan_setop_in(P, q, outer, 0, out);
}

static auk_status plan_setop_in(planner *P, const ast_query *q, const scope *outer, int no_distinct,
                                rel *out) {
  rel l, r;
  auk_status lst = plain_union(q) && plain_union(q->left) ? plan_setop_in(P, q->left, outer, 1, &l)
                                                          : plan_query(P, q->left, outer, &l);
  if (lst) return P->err->code;
  if (!q->right) {
    *out = l;
    return AUK_OK;
  }
  if (plan_query(P, q->right, outer, &r)) return rel_free(&l), P->err->code;
  if (align(P, &l, &r, q->pos)) return rel_free(&l), rel_free(&r), P->err->code;
  int n = l.sc.n;
  if (q->op == SET_UNION) {
    auk_lazy *rl = r.lf;
    r.lf = NULL;
    if (auk_lazy_concat(l.lf, rl, P->err)) return rel_free(&l), P->err->code;
    if (!q->all && !no_distinct && auk_lazy_unique(l.lf, 0, NULL, AUK_KEEP_FIRST, P->err))
      return rel_free(&l), P->err->code;
    *out = l;
    return AUK_OK;
  }
  /* Rows of both sides tagged 0 (left) and 1 (right) and grouped on every
   * column, so NULLs match NULLs as SQL's set operations want: INTERSECT
   * keeps groups with both tags, EXCEPT those with only the left's. With
   * ALL, each side's copies of a row are numbered 1, 2, ... first and the
   * number is one more key: a value the left has 3 times and the right
   * twice makes groups 1 and 2 with both tags (INTERSECT ALL keeps two
   * copies) and group 3 with the left's only (EXCEPT ALL keeps one). */
  const char *tag = new_internal(P, NULL, "__side");
  const char *lo = new_internal(P, NULL, "__min"), *hi = new_internal(P, NULL, "__max");
  const char *nth = q->all ? new_internal(P, NULL, "__copy") : "";
  if (!tag || !lo || !hi || !nth) return rel_free(&l), rel_free(&r), P->err->code;
  auk_expr *tl = auk_alias(auk_lit_int(0), tag), *tr = auk_alias(auk_lit_int(1), tag);
  if (auk_lazy_with_columns(l.lf, 1, &tl, P->err) || auk_lazy_with_columns(r.lf, 1, &tr, P->err))
    return rel_free(&l), rel_free(&r), P->err->code;
  auk_lazy *rl = r.lf;
  r.lf = NULL;
  if (auk_lazy_concat(l.lf, rl, P->err)) return rel_free(&l), P->err->code;
  auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)(n + 2));
  if (!keys) return rel_free(&l), P->err->code;
  if (q->all) {
    for (int i = 0; i < n; i++) keys[i] = auk_col(l.sc.cols[i].internal);
    keys[n] = auk_col(tag);
    if (auk_lazy_window(l.lf, nth, AUK_WIN_ROW_NUMBER, NULL, 0, NULL, n + 1, keys, 0, NULL, NULL,
                        NULL, P->err))
      return rel_free(&l), P->err->code;
  }
  for (int i = 0; i < n; i++) keys[i] = auk_col(l.sc.cols[i].internal);
  if (q->all) keys[n] = auk_col(nth);
  auk_expr *aggs[2] = {auk_alias(auk_min(auk_col(tag)), lo), auk_alias(auk_max(auk_col(tag)), hi)};
  if (auk_lazy_group_by(l.lf, n + q->all, keys, 2, aggs, 1, P->err))
    return rel_free(&l), P->err->code;
  auk_expr *keep = q->op == SET_INTERSECT ? auk_and(auk_eq(auk_col(lo), auk_lit_int(0)),
                                                    auk_eq(auk_col(hi), auk_lit_int(1)))
                                          : auk_eq(auk_col(hi), auk_lit_int(0));
  if (auk_lazy_filter(l.lf, keep, P->err)) return rel_free(&l), P->err->code;
  const char *drop[3] = {lo, hi, nth};
  if (auk_lazy_drop(l.lf, 2 + q->all, drop, P->err)) return rel_free(&l), P->err->code;
  *out = l;
  return AUK_OK;
}

static auk_status plan_values(planner *P, const ast_query *q, rel *out) {
  memset(out, 0, sizeof *out);
  int nc = q->ncols;
  rel *rows = arena_alloc(P->a, sizeof *rows * (size_t)q->nrows);
  const char **names = arena_alloc(P->a, sizeof *names * (size_t)nc);
  auk_type_id *types = arena_alloc(P->a, sizeof *types * (size_t)nc);
  auk_expr **sel = arena_alloc(P->a, sizeof *sel * (size_t)nc);
  if (!rows || !names || !types || !sel) return P->err->code;
  for (int c = 0; c < nc; c++) {
    char buf[32];
    snprintf(buf, sizeof buf, "col%d", c);
    names[c] = arena_strdup(P->a, buf);
    types[c] = AUK_TYPE_NULL;
    if (!names[c]) return P->err->code;
  }
  auk_status st = AUK_OK;
  int made = 0;
  ast_query one = {0};
  one.kind = Q_SELECT;
  for (; made < q->nrows && !st; made++) {
    rel *r = &rows[made];
    one.nitems = 0;
    one.from = NULL;
    /* a SELECT without FROM of this row's values */
    ast_item *items = arena_alloc(P->a, sizeof *items * (size_t)nc);
    if (!items) {
      st = P->err->code;
      break;
    }
    for (int c = 0; c < nc; c++) {
      items[c].expr = q->rows[made][c];
      items[c].alias = names[c];
    }
    one.items = items;
    one.nitems = nc;
    if ((st = plan_select(P, &one, NULL, r))) break;
    for (int c = 0; c < nc && !st; c++) {
      auk_type_id t = common_type(types[c], auk_lazy_column_type(r->lf, c));
      if (t == AUK_TYPE_COUNT_)
        st = sql_error_at(P->err, AUK_ERR_TYPE, P->text, q->rows[made][c]->pos,
                          "VALUES column %d mixes %s and %s", c + 1, auk_type_name(types[c]),
                          auk_type_name(auk_lazy_column_type(r->lf, c)));
      types[c] = t;
    }
  }
  for (int i = 0; i < made && !st; i++) {
    const char **in = arena_alloc(P->a, sizeof *in * (size_t)nc);
    if (!in) {
      st = P->err->code;
      break;
    }
    for (int c = 0; c < nc; c++)
      in[c] = i == 0 ? new_internal(P, NULL, names[c]) : out->sc.cols[c].internal;
    if (i == 0) {
      for (int c = 0; c < nc && !st; c++) {
        if (!in[c])
          st = P->err->code;
        else
          st = scope_add(P, &out->sc, NULL, names[c], in[c], types[c]);
      }
    }
    if (!st) st = conform(P, &rows[i], in, types);
  }
  for (int i = 1; i < made && !st; i++) {
    auk_lazy *x = rows[i].lf;
    rows[i].lf = NULL;
    st = auk_lazy_concat(rows[0].lf, x, P->err);
  }
  if (st) {
    for (int i = 0; i < made; i++) rel_free(&rows[i]);
    return st;
  }
  out->lf = rows[0].lf;
  out->rows = q->nrows;
  return AUK_OK;
}

/* ORDER BY over a query's result columns (by position, name or an
 * expression over them). */
static auk_status order_result(planner *P, const ast_query *q, rel *r) {
  if (!q->norder) return AUK_OK;
  auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)q->norder);
  int *desc = arena_alloc(P->a, sizeof *desc * (size_t)q->norder);
  int *nl = arena_alloc(P->a, sizeof *nl * (size_t)q->norder);
  if (!keys || !desc || !nl) return P->err->code;
  lower_ctx cx = {&r->sc, NULL, NULL, r->lf, NULL};
  for (int i = 0; i < q->norder; i++) {
    const ast_expr *e = q->order[i].expr;
    if (e->kind == AST_INT) {
      if (e->ival < 1 || e->ival > r->sc.n) {
        for (int k = 0; k < i; k++) expr_release(keys[k]);
        return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                            "ORDER BY position %lld is not in the select list (1 to %d)",
                            (long long)e->ival, r->sc.n);
      }
      keys[i] = auk_col(r->sc.cols[e->ival - 1].internal);
    } else if (lower_expr(P, &cx, e, &keys[i])) {
      for (int k = 0; k < i; k++) expr_release(keys[k]);
      return P->err->code;
    }
    desc[i] = q->order[i].desc;
    nl[i] = q->order[i].nulls != 1;
  }
  return auk_lazy_sort(r->lf, q->norder, keys, desc, nl, P->err);
}

/* How often the query names table `name` (in FROM, at any depth). */
static int count_refs_q(const ast_query *q, const char *name);

static int count_refs_e(const ast_expr *e, const char *name) {
  if (!e) return 0;
  int n = e->query ? count_refs_q(e->query, name) : 0;
  for (int i = 0; i < e->nargs; i++) n += count_refs_e(e->args[i], name);
  return n + count_refs_e(e->filter, name);
}

static int count_refs_r(const ast_ref *r, const char *name) {
  if (!r) return 0;
  switch (r->kind) {
    case REF_TABLE: return !strcasecmp(r->name, name);
    case REF_SUBQUERY: return count_refs_q(r->query, name);
    case REF_JOIN:
      return count_refs_r(r->left, name) + count_refs_r(r->right, name) + count_refs_e(r->on, name);
    default: return 0;
  }
}

static int count_refs_q(const ast_query *q, const char *name) {
  if (!q) return 0;
  int n = count_refs_q(q->left, name) + count_refs_q(q->right, name);
  for (int i = 0; i < q->nctes; i++) n += count_refs_q(q->ctes[i].query, name);
  n += count_refs_r(q->from, name) + count_refs_e(q->where, name) + count_refs_e(q->having, name) +
       count_refs_e(q->qualify, name);
  for (int i = 0; i < q->nitems; i++) n += count_refs_e(q->items[i].expr, name);
  for (int i = 0; i < q->ngroup; i++) n += count_refs_e(q->group[i], name);
  for (int i = 0; i < q->norder; i++) n += count_refs_e(q->order[i].expr, name);
  for (int r = 0; r < q->nrows; r++)
    for (int c = 0; c < q->ncols; c++) n += count_refs_e(q->rows[r][c], name);
  return n;
}

auk_status plan_query(planner *P, const ast_query *q, const scope *outer, rel *out) {
  memset(out, 0, sizeof *out);
  cte_env env = {q->nctes, q->ctes, P->ctes, NULL, NULL};
  if (q->nctes) {
    env.uses = arena_alloc(P->a, sizeof *env.uses * (size_t)q->nctes);
    env.rows = arena_alloc(P->a, sizeof *env.rows * (size_t)q->nctes);
    if (!env.uses || !env.rows) return P->err->code;
    for (int i = 0; i < q->nctes; i++) env.uses[i] = count_refs_q(q, q->ctes[i].name);
    P->ctes = &env;
  }
  auk_status st;
  if (q->kind == Q_SELECT) {
    st = plan_select(P, q, outer, out);
  } else {
    st = q->kind == Q_VALUES ? plan_values(P, q, out) : plan_setop(P, q, outer, out);
    if (!st) st = order_result(P, q, out);
    if (!st) st = apply_limit(P, q, out->lf);
    if (st) rel_free(out);
  }
  if (q->nctes) {
    P->ctes = env.parent;
    for (int i = 0; i < q->nctes; i++) auk_frame_free(env.rows[i]); /* the plans share them */
  }
  return st;
}

auk_status plan_query_named(planner *P, const ast_query *q, auk_lazy **out) {
  rel r;
  if (plan_query(P, q, NULL, &r)) return P->err->code;
  int n = r.sc.n;
  auk_expr **sel = arena_alloc(P->a, sizeof *sel * (size_t)(n ? n : 1));
  if (!sel) return rel_free(&r), P->err->code;
  for (int i = 0; i < n; i++) {
    /* Result names must be unique in a frame: a repeated one gets _1, _2. */
    const char *name = r.sc.cols[i].name;
    int dup = 0;
    for (int k = 0; k < i; k++)
      if (!strcmp(r.sc.cols[k].name, name)) dup++;
    if (dup) {
      char buf[512];
      for (int s = dup;; s++) {
        snprintf(buf, sizeof buf, "%s_%d", name, s);
        int clash = 0;
        for (int k = 0; k < n; k++)
          if (!strcmp(r.sc.cols[k].name, buf)) clash = 1;
        if (!clash) break;
      }
      name = arena_strdup(P->a, buf);
      if (!name) {
        for (int k = 0; k < i; k++) expr_release(sel[k]);
        return rel_free(&r), P->err->code;
      }
      r.sc.cols[i].name = name;
    }
    sel[i] = auk_alias(auk_col(r.sc.cols[i].internal), name);
  }
  if (auk_lazy_select(r.lf, n, sel, P->err)) return rel_free(&r), P->err->code;
  *out = r.lf;
  return AUK_OK;
}

auk_status eval_scalar_subquery(planner *P, const ast_expr *e, auk_expr **out) {
  auk_lazy *lf;
  if (plan_query_named(P, e->query, &lf)) return P->err->code;
  if (auk_lazy_num_columns(lf) != 1) {
    int n = auk_lazy_num_columns(lf);
    auk_lazy_free(lf);
    return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                        "a scalar subquery must return one column, not %d", n);
  }
  auk_lazy_head(lf, 2, NULL);
  auk_frame *f;
  auk_status st = auk_lazy_collect(lf, &f, P->err);
  auk_lazy_free(lf);
  if (st) return st;
  int64_t rows = auk_frame_num_rows(f);
  if (rows > 1) {
    auk_frame_free(f);
    return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                        "a scalar subquery returned more than one row");
  }
  auk_type_id t = auk_frame_column_type(f, 0);
  int is_null = rows == 0;
  expr_value v = {0};
  v.type = t;
  if (!is_null) {
    if (t == AUK_TYPE_STRING) {
      const char *s;
      int64_t len;
      st = auk_frame_get_string(f, 0, 0, &s, &len, &is_null, P->err);
      if (!st && !is_null) {
        char *copy = arena_alloc(P->a, (size_t)len + 1);
        if (!copy)
          st = P->err->code;
        else {
          memcpy(copy, s, (size_t)len);
          v.s = copy;
          v.len = len;
        }
      }
    } else if (t == AUK_TYPE_FLOAT32 || t == AUK_TYPE_FLOAT64) {
      st = auk_frame_get_double(f, 0, 0, &v.f, &is_null, P->err);
    } else if (t != AUK_TYPE_NULL) {
      st = auk_frame_get_int(f, 0, 0, &v.i, &is_null, P->err);
    } else {
      is_null = 1;
    }
  }
  auk_frame_free(f);
  if (st) return st;
  v.is_null = is_null;
  /* expr_new_lit copies v (and its string). */
  *out = expr_new_lit(&v);
  return AUK_OK;
}
