/* lower_subquery.c - subqueries decorrelated into joins: [NOT] EXISTS and
 * [NOT] IN conditions become semi/anti joins on the correlation keys (NOT
 * IN with SQL's NULL rule), one correlated comparison other than '=' in an
 * EXISTS is answered from the group's min and max, and a correlated scalar
 * subquery becomes a relation grouped by its keys and left-joined. Nothing
 * runs per outer row. A correlated NOT IN also joins the subquery's row
 * and non-null counts per key, for SQL's NULL rule. */
#include "core/error.h"
#include "expr/expr.h"
#include "sql/lexer.h"
#include "sql/lower.h"

#include <string.h>
#include <strings.h>

/* --------------------------------------------------- subquery joins */

static int query_simple(const ast_query *q) {
  return q->kind == Q_SELECT && !q->distinct && !q->ngroup && !q->group_all && !q->having &&
         !q->norder && !q->limit && !q->offset && !q->nctes;
}

static int items_have_agg(const ast_query *q) {
  agg_ctx tmp = {0};
  (void)tmp;
  for (int i = 0; i < q->nitems; i++) {
    const ast_expr *e = q->items[i].expr;
    /* a shallow search is enough to choose the path */
    if (ast_is_aggregate(e)) return 1;
    for (int k = 0; k < e->nargs; k++)
      if (ast_is_aggregate(e->args[k])) return 1;
  }
  return 0;
}

/* Lowers the outer sides of correlation pairs over `in`. */
static auk_status lower_outer_keys(planner *P, const rel *in, const scope *outer_of_in,
                                   const corr_list *corr, auk_expr **out) {
  lower_ctx cx = {&in->sc, outer_of_in, NULL, in->lf, NULL};
  for (int i = 0; i < corr->n; i++)
    if (lower_expr(P, &cx, corr->outer[i], &out[i])) {
      for (int k = 0; k < i; k++) expr_release(out[k]);
      return P->err->code;
    }
  return AUK_OK;
}

/* Runs `probe` (a lazy plan) and tells whether it has any row. */
auk_status plan_has_rows(planner *P, auk_lazy *lf, int *has) {
  if (auk_lazy_head(lf, 1, P->err)) return P->err->code;
  auk_frame *f;
  if (auk_lazy_collect(lf, &f, P->err)) return P->err->code;
  *has = auk_frame_num_rows(f) > 0;
  auk_frame_free(f);
  return AUK_OK;
}

/* Semi (or anti) joins `in` with sub (consumed) on lx[i] = rx[i] (taken);
 * `in` keeps its scope. */
static auk_status semi_join(planner *P, rel *in, rel *sub, int anti, int nk, auk_expr **lx,
                            auk_expr **rx) {
  rel joined = {0};
  scope keep = in->sc;
  auk_status st = join_rels_x(P, in, sub, anti ? SJ_ANTI : SJ_SEMI, nk, lx, rx, &joined);
  rel_free(sub);
  if (st) return st;
  rel_free(in);
  *in = joined;
  in->sc = keep;
  return AUK_OK;
}

/* x [NOT] IN sub, where sub (consumed) has one column. NOT IN follows
 * SQL: no row passes when the subquery holds a NULL, and a NULL x passes
 * only when the subquery is empty. */
static auk_status in_join(planner *P, rel *in, const scope *outer_of_in, const ast_expr *x,
                          int negated, rel *sub) {
  lower_ctx cx = {&in->sc, outer_of_in, NULL, in->lf, NULL};
  auk_expr *lx;
  if (lower_expr(P, &cx, x, &lx)) return rel_free(sub), P->err->code;
  const char *col = sub->sc.cols[0].internal;
  if (negated) {
    int has_null = 0, nonempty = 0;
    auk_lazy *probe = NULL;
    auk_status st = auk_lazy_clone(sub->lf, &probe, P->err);
    if (!st) st = auk_lazy_filter(probe, auk_is_null(auk_col(col)), P->err);
    if (!st) st = plan_has_rows(P, probe, &has_null);
    auk_lazy_free(probe);
    probe = NULL;
    if (!st && !has_null && !(st = auk_lazy_clone(sub->lf, &probe, P->err)))
      st = plan_has_rows(P, probe, &nonempty);
    auk_lazy_free(probe);
    if (!st && has_null) st = auk_lazy_filter(in->lf, auk_lit_bool(0), P->err);
    if (!st && nonempty) st = auk_lazy_filter(in->lf, auk_is_not_null(expr_retain(lx)), P->err);
    if (st) return expr_release(lx), rel_free(sub), st;
  }
  if (expr_type_over(in->lf, lx) == AUK_TYPE_NULL) /* NULL IN (...): never a match */
    lx = auk_cast(lx, auk_lazy_column_type(sub->lf, 0));
  auk_expr *rx = auk_col(col);
  return semi_join(P, in, sub, negated, 1, &lx, &rx);
}

/* [NOT] EXISTS (... WHERE inner.k = outer.k AND inner.x OP outer.y): some
 * row of the key's group satisfies x OP y exactly when the group's max (for
 * > and >=), min (for < and <=), or either (for <>) does. So the subquery
 * is grouped by its keys with min(x) and max(x), left-joined, and the
 * condition tested on the joined values (a NULL comparison counts as no
 * such row, as in SQL). */
static auk_status exists_residual(planner *P, rel *in, const scope *outer_of_in, rel *sub,
                                  const corr_list *corr, int negated) {
  int nk = corr->n;
  lower_ctx sx = {&sub->sc, NULL, NULL, sub->lf, NULL};
  auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)nk);
  const char **kn = arena_alloc(P->a, sizeof *kn * (size_t)nk);
  const char *mn = new_internal(P, NULL, "__min"), *mx = new_internal(P, NULL, "__max");
  if (!keys || !kn || !mn || !mx) return rel_free(sub), P->err->code;
  for (int i = 0; i < nk; i++) {
    auk_expr *k;
    if (!(kn[i] = new_internal(P, NULL, "__ck")) || lower_expr(P, &sx, corr->inner[i], &k)) {
      for (int j = 0; j < i; j++) expr_release(keys[j]);
      return rel_free(sub), P->err->code;
    }
    keys[i] = auk_alias(k, kn[i]);
  }
  auk_expr *x;
  if (lower_expr(P, &sx, corr->res_inner, &x)) {
    for (int j = 0; j < nk; j++) expr_release(keys[j]);
    return rel_free(sub), P->err->code;
  }
  auk_expr *aggs[2] = {auk_alias(auk_min(expr_retain(x)), mn), auk_alias(auk_max(x), mx)};
  if (auk_lazy_group_by(sub->lf, nk, keys, 2, aggs, 0, P->err)) return rel_free(sub), P->err->code;
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)nk);
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)nk);
  if (!lx || !rx) return rel_free(sub), P->err->code;
  if (lower_outer_keys(P, in, outer_of_in, corr, lx)) return rel_free(sub), P->err->code;
  for (int i = 0; i < nk; i++) rx[i] = auk_col(kn[i]);
  lower_ctx ox = {&in->sc, outer_of_in, NULL, in->lf, NULL};
  auk_expr *y;
  if (lower_expr(P, &ox, corr->res_outer, &y)) {
    for (int i = 0; i < nk; i++) expr_release(lx[i]), expr_release(rx[i]);
    return rel_free(sub), P->err->code;
  }
  rel joined = {0};
  scope keep = in->sc;
  auk_status st = join_rels_x(P, in, sub, SJ_LEFT, nk, lx, rx, &joined);
  rel_free(sub);
  if (st) return expr_release(y), st;
  rel_free(in);
  *in = joined;
  in->sc = keep;
  const char *op = corr->res_op;
  auk_expr *cond;
  if (!strcmp(op, "<>"))
    cond = auk_or(auk_ne(auk_col(mn), expr_retain(y)), auk_ne(auk_col(mx), y));
  else if (!strcmp(op, ">"))
    cond = auk_gt(auk_col(mx), y);
  else if (!strcmp(op, ">="))
    cond = auk_ge(auk_col(mx), y);
  else if (!strcmp(op, "<"))
    cond = auk_lt(auk_col(mn), y);
  else
    cond = auk_le(auk_col(mn), y);
  auk_expr *args[2] = {cond, auk_lit_bool(0)};
  auk_expr *exists = auk_coalesce(2, args);
  return auk_lazy_filter(in->lf, negated ? auk_not(exists) : exists, P->err);
}

/* x NOT IN (SELECT v ... WHERE inner.k = outer.k): per outer row the set S
 * of v over the subquery's rows with its keys. SQL's rule: the row passes
 * when S is empty; otherwise only when x is not NULL, S holds no NULL and
 * no v equals x. Here the subquery (a copy; sub itself is kept for the
 * anti join on the keys and x that follows) is grouped by its keys into
 * rows and non-null values, left-joined, and the first two parts tested. */
static auk_status not_in_counts(planner *P, rel *in, const scope *outer_of_in, const rel *sub,
                                const corr_list *corr, const ast_expr *x, const ast_expr *v) {
  int nk = corr->n;
  rel counts = {0};
  counts.sc = sub->sc;
  counts.rows = -1;
  if (auk_lazy_clone(sub->lf, &counts.lf, P->err)) return P->err->code;
  lower_ctx sx = {&counts.sc, NULL, NULL, counts.lf, NULL};
  auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)nk);
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)nk);
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)nk);
  const char *rn = new_internal(P, NULL, "__rows"), *vn = new_internal(P, NULL, "__vals");
  if (!keys || !lx || !rx || !rn || !vn) return rel_free(&counts), P->err->code;
  for (int i = 0; i < nk; i++) {
    auk_expr *k;
    const char *kn = new_internal(P, NULL, "__ck");
    if (!kn || lower_expr(P, &sx, corr->inner[i], &k)) {
      for (int j = 0; j < i; j++) expr_release(keys[j]), expr_release(rx[j]);
      return rel_free(&counts), P->err->code;
    }
    keys[i] = auk_alias(k, kn);
    rx[i] = auk_col(kn);
  }
  auk_expr *val;
  if (lower_expr(P, &sx, v, &val)) {
    for (int j = 0; j < nk; j++) expr_release(keys[j]), expr_release(rx[j]);
    return rel_free(&counts), P->err->code;
  }
  auk_expr *aggs[2] = {auk_alias(auk_len(), rn), auk_alias(auk_count(val), vn)};
  if (auk_lazy_group_by(counts.lf, nk, keys, 2, aggs, 0, P->err) ||
      lower_outer_keys(P, in, outer_of_in, corr, lx)) {
    for (int j = 0; j < nk; j++) expr_release(rx[j]);
    return rel_free(&counts), P->err->code;
  }
  rel joined = {0};
  scope keep = in->sc;
  auk_status st = join_rels_x(P, in, &counts, SJ_LEFT, nk, lx, rx, &joined);
  rel_free(&counts);
  if (st) return st;
  rel_free(in);
  *in = joined;
  in->sc = keep;
  lower_ctx cx = {&in->sc, outer_of_in, NULL, in->lf, NULL};
  auk_expr *xv;
  if (lower_expr(P, &cx, x, &xv)) return P->err->code;
  auk_expr *cond = auk_or(auk_is_null(auk_col(rn)),
                          auk_and(auk_is_not_null(xv), auk_eq(auk_col(vn), auk_col(rn))));
  return auk_lazy_filter(in->lf, cond, P->err);
}

/* [NOT] EXISTS (subquery) and [NOT] IN (subquery) conditions of WHERE. */
static auk_status apply_subquery_cond(planner *P, rel *in, const scope *outer_of_in,
                                      const ast_expr *c) {
  int negated = 0;
  if (c->kind == AST_UNARY && !strcmp(c->name, "not") &&
      (c->args[0]->kind == AST_EXISTS || c->args[0]->kind == AST_IN_QUERY)) {
    negated = 1;
    c = c->args[0];
  }
  if (c->kind != AST_EXISTS && c->kind != AST_IN_QUERY) return rel_filter(P, in, outer_of_in, c);
  negated ^= c->negated;
  const ast_query *sq = c->query;
  rel sub;
  if (!query_simple(sq) || (c->kind == AST_EXISTS && items_have_agg(sq)) ||
      (c->kind == AST_IN_QUERY && (sq->nitems != 1 || items_have_agg(sq)))) {
    if (c->kind == AST_EXISTS)
      return sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, c->pos,
                          "this EXISTS subquery is not supported (GROUP BY, aggregates, DISTINCT, "
                          "ORDER BY or LIMIT inside it)");
    /* Not a plain SELECT (GROUP BY, DISTINCT, UNION...): plan it whole;
     * it must not be correlated. */
    if (plan_query(P, sq, NULL, &sub)) return P->err->code;
    if (sub.sc.n != 1) {
      rel_free(&sub);
      return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, c->pos,
                          "the subquery of IN must return one column, not %d", sub.sc.n);
    }
    return in_join(P, in, outer_of_in, c->args[0], negated, &sub);
  }
  /* A plain SELECT ... FROM ... WHERE: decorrelate. */
  corr_list corr = {0};
  expr_list deferred = {0};
  if (plan_from_where(P, sq, &in->sc, &sub, &corr, &deferred)) return P->err->code;
  auk_status st = apply_deferred(P, &sub, &in->sc, &deferred, NULL);
  if (st) return rel_free(&sub), st;
  if (corr.res_op && (c->kind != AST_EXISTS || corr.n == 0))
    return rel_free(&sub), sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, corr.res_pos,
                                        "a correlated comparison other than '=' is supported in "
                                        "[NOT] EXISTS with an equality on the outer query too");
  if (corr.res_op) return exists_residual(P, in, outer_of_in, &sub, &corr, negated);
  if (c->kind == AST_EXISTS && corr.n == 0) {
    int has = 0;
    st = plan_has_rows(P, sub.lf, &has);
    rel_free(&sub);
    if (st) return st;
    return auk_lazy_filter(in->lf, auk_lit_bool(has != negated), P->err);
  }
  if (c->kind == AST_IN_QUERY && corr.n == 0) {
    if (sq->items[0].expr->kind == AST_STAR)
      return rel_free(&sub), sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, c->pos,
                                          "the subquery of IN must name one column");
    lower_ctx sx = {&sub.sc, NULL, NULL, sub.lf, NULL};
    auk_expr *v;
    if (lower_expr(P, &sx, sq->items[0].expr, &v)) return rel_free(&sub), P->err->code;
    const char *vn = new_internal(P, NULL, "__in");
    if (!vn) return expr_release(v), rel_free(&sub), P->err->code;
    auk_expr *va = auk_alias(v, vn);
    if (auk_lazy_select(sub.lf, 1, &va, P->err)) return rel_free(&sub), P->err->code;
    memset(&sub.sc, 0, sizeof sub.sc);
    if (scope_add(P, &sub.sc, NULL, vn, vn, AUK_TYPE_NULL)) return rel_free(&sub), P->err->code;
    return in_join(P, in, outer_of_in, c->args[0], negated, &sub);
  }
  /* Correlated: semi/anti join on the correlation keys (and the IN value). */
  int nk = corr.n + (c->kind == AST_IN_QUERY);
  if (negated && c->kind == AST_IN_QUERY &&
      (st = not_in_counts(P, in, outer_of_in, &sub, &corr, c->args[0], sq->items[0].expr)))
    return rel_free(&sub), st;
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)nk);
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)nk);
  if (!lx || !rx) return rel_free(&sub), P->err->code;
  lower_ctx sx = {&sub.sc, NULL, NULL, sub.lf, NULL};
  for (int i = 0; i < corr.n; i++)
    if (lower_expr(P, &sx, corr.inner[i], &rx[i])) {
      for (int k = 0; k < i; k++) expr_release(rx[k]);
      return rel_free(&sub), P->err->code;
    }
  if (c->kind == AST_IN_QUERY && lower_expr(P, &sx, sq->items[0].expr, &rx[corr.n])) {
    for (int k = 0; k < corr.n; k++) expr_release(rx[k]);
    return rel_free(&sub), P->err->code;
  }
  if (lower_outer_keys(P, in, outer_of_in, &corr, lx)) {
    for (int k = 0; k < nk; k++) expr_release(rx[k]);
    return rel_free(&sub), P->err->code;
  }
  if (c->kind == AST_IN_QUERY) {
    lower_ctx cx = {&in->sc, outer_of_in, NULL, in->lf, NULL};
    if (lower_expr(P, &cx, c->args[0], &lx[corr.n])) {
      for (int k = 0; k < nk; k++) expr_release(rx[k]);
      for (int k = 0; k < corr.n; k++) expr_release(lx[k]);
      return rel_free(&sub), P->err->code;
    }
  }
  return semi_join(P, in, &sub, negated, nk, lx, rx);
}

/* ------------------------------------------- correlated scalar subqueries */

static void find_subqueries(planner *P, const ast_expr *e, expr_list *out) {
  if (!e) return;
  if (e->kind == AST_SUBQUERY) {
    expr_list_push(P, out, e);
    return;
  }
  if (e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return;
  for (int i = 0; i < e->nargs; i++) find_subqueries(P, e->args[i], out);
}

auk_status sql_add_subst(planner *P, const ast_expr *node, const char *internal) {
  if (P->nsubst == P->cap_subst) {
    int cap = P->cap_subst ? P->cap_subst * 2 : 8;
    subst *s = arena_alloc(P->a, sizeof *s * (size_t)cap);
    if (!s) return P->err->code;
    if (P->nsubst) memcpy(s, P->substs, sizeof *s * (size_t)P->nsubst);
    P->substs = s;
    P->cap_subst = cap;
  }
  P->substs[P->nsubst++] = (subst){node, internal};
  return AUK_OK;
}

/* (SELECT agg(...) FROM ... WHERE inner = outer AND ...): grouped by the
 * inner keys and left-joined onto `in`; the node then reads that column.
 * An uncorrelated subquery is left alone (it runs once when lowered). */
static auk_status decorrelate_scalar(planner *P, rel *in, const ast_expr *node) {
  const ast_query *sq = node->query;
  if (!query_simple(sq) || sq->nitems != 1 || !sq->from) return AUK_OK;
  corr_list corr = {0};
  expr_list deferred = {0};
  rel sub;
  if (plan_from_where(P, sq, &in->sc, &sub, &corr, &deferred)) return P->err->code;
  if (corr.n == 0) return rel_free(&sub), AUK_OK;
  if (corr.res_op)
    return rel_free(&sub), sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, corr.res_pos,
                                        "a correlated comparison other than '=' is not supported "
                                        "in a scalar subquery");
  auk_status st = apply_deferred(P, &sub, &in->sc, &deferred, NULL);
  if (st) return rel_free(&sub), st;
  const ast_expr *item = sq->items[0].expr;
  agg_ctx ag = {0};
  ag.input = &sub.sc;
  if (collect_aggs(P, &ag, item)) return rel_free(&sub), P->err->code;
  if (ag.naggs == 0)
    return rel_free(&sub), sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, node->pos,
                                        "a correlated scalar subquery must compute an aggregate");
  int nk = corr.n;
  auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)nk);
  auk_expr **aggs = arena_alloc(P->a, sizeof *aggs * (size_t)ag.naggs);
  ag.keys = arena_alloc(P->a, sizeof *ag.keys * (size_t)nk);
  ag.key_names = arena_alloc(P->a, sizeof *ag.key_names * (size_t)nk);
  if (!keys || !aggs || !ag.keys || !ag.key_names) return rel_free(&sub), P->err->code;
  lower_ctx sx = {&sub.sc, NULL, NULL, sub.lf, NULL};
  int made = 0;
  for (; made < nk && !st; made++) {
    ag.keys[made] = (ast_expr *)corr.inner[made];
    ag.key_names[made] = new_internal(P, NULL, "__ck");
    auk_expr *k;
    if (!ag.key_names[made] || (st = lower_expr(P, &sx, corr.inner[made], &k))) break;
    keys[made] = auk_alias(k, ag.key_names[made]);
  }
  int madeaggs = 0;
  for (; !st && madeaggs < ag.naggs; madeaggs++) {
    auk_expr *a;
    if ((st = lower_agg_call(P, &sx, ag.aggs[madeaggs], &a))) break;
    aggs[madeaggs] = auk_alias(a, ag.agg_names[madeaggs]);
  }
  if (st) {
    for (int k = 0; k < made; k++) expr_release(keys[k]);
    for (int k = 0; k < madeaggs; k++) expr_release(aggs[k]);
    return rel_free(&sub), st;
  }
  if (auk_lazy_group_by(sub.lf, nk, keys, ag.naggs, aggs, 0, P->err))
    return rel_free(&sub), P->err->code;
  ag.active = 1;
  lower_ctx px = {&sub.sc, NULL, &ag, sub.lf, NULL};
  auk_expr *v;
  if (lower_expr(P, &px, item, &v)) return rel_free(&sub), P->err->code;
  const char *vn = new_internal(P, NULL, "__scalar");
  auk_expr **sel = arena_alloc(P->a, sizeof *sel * (size_t)(nk + 1));
  if (!vn || !sel) return expr_release(v), rel_free(&sub), P->err->code;
  for (int k = 0; k < nk; k++) sel[k] = auk_col(ag.key_names[k]);
  sel[nk] = auk_alias(v, vn);
  if (auk_lazy_select(sub.lf, nk + 1, sel, P->err)) return rel_free(&sub), P->err->code;
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)nk);
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)nk);
  if (!lx || !rx) return rel_free(&sub), P->err->code;
  if (lower_outer_keys(P, in, NULL, &corr, lx)) return rel_free(&sub), P->err->code;
  for (int k = 0; k < nk; k++) rx[k] = auk_col(ag.key_names[k]);
  rel joined = {0};
  scope keep = in->sc;
  st = join_rels_x(P, in, &sub, SJ_LEFT, nk, lx, rx, &joined);
  rel_free(&sub);
  if (st) return st;
  rel_free(in);
  *in = joined;
  in->sc = keep;
  /* count() of no rows is 0, not NULL (the "count bug" of decorrelation). */
  if (item->kind == AST_FUNC && !strcasecmp(item->name, "count")) {
    const char *cn = new_internal(P, NULL, "__scalar");
    if (!cn) return P->err->code;
    auk_expr *args[2] = {auk_col(vn), auk_lit_int(0)};
    auk_expr *co = auk_alias(auk_coalesce(2, args), cn);
    if (auk_lazy_with_columns(in->lf, 1, &co, P->err)) return P->err->code;
    vn = cn;
  }
  return sql_add_subst(P, node, vn);
}

/* The WHERE conditions holding subqueries: correlated scalar subqueries
 * (there and in the select list of `items`) become left joins first, then
 * each condition is applied. */
auk_status apply_deferred(planner *P, rel *in, const scope *outer, const expr_list *deferred,
                          const ast_query *items) {
  expr_list subs = {0};
  for (int i = 0; i < deferred->n; i++) find_subqueries(P, deferred->v[i], &subs);
  for (int i = 0; items && i < items->nitems; i++) find_subqueries(P, items->items[i].expr, &subs);
  auk_status st = AUK_OK;
  for (int i = 0; i < subs.n && !st; i++) st = decorrelate_scalar(P, in, subs.v[i]);
  for (int i = 0; i < deferred->n && !st; i++)
    st = apply_subquery_cond(P, in, outer, deferred->v[i]);
  return st;
}
