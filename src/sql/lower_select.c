/* lower_select.c - one SELECT block after its FROM and WHERE: GROUP BY and
 * every aggregate call into one aggregation, then HAVING, the select list
 * (stars expanded), DISTINCT, ORDER BY (also on expressions not selected,
 * computed as hidden columns) and LIMIT / OFFSET. */
#include "core/error.h"
#include "expr/expr.h"
#include "sql/lexer.h"
#include "sql/lower.h"

#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------- SELECT */

static int expr_has_agg_ast(const ast_expr *e) {
  if (!e) return 0;
  if (ast_is_aggregate(e)) return 1;
  if (e->kind == AST_SUBQUERY || e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return 0;
  for (int i = 0; i < e->nargs; i++)
    if (expr_has_agg_ast(e->args[i])) return 1;
  return 0;
}

/* GROUP BY 2, GROUP BY alias: the select item meant. */
static const ast_expr *group_target(planner *P, const ast_query *q, const scope *sc,
                                    const ast_expr *g) {
  if (g->kind == AST_INT) {
    if (g->ival < 1 || g->ival > q->nitems) {
      sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, g->pos,
                   "GROUP BY position %lld is not in the select list (1 to %d)", (long long)g->ival,
                   q->nitems);
      return NULL;
    }
    return q->items[g->ival - 1].expr;
  }
  if (g->kind == AST_COLUMN && !g->qualifier && !scope_resolve(P, sc, g, 0))
    for (int i = 0; i < q->nitems; i++)
      if (q->items[i].alias && !strcasecmp(q->items[i].alias, g->name)) return q->items[i].expr;
  return g;
}

static void find_windows(const ast_expr *e, const ast_expr **v, int *n, int max) {
  if (!e || e->kind == AST_SUBQUERY || e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return;
  if (e->kind == AST_FUNC && e->over) {
    if (*n < max) v[(*n)++] = e;
    return;
  }
  for (int i = 0; i < e->nargs; i++) find_windows(e->args[i], v, n, max);
}

/* Window calls of the select list and ORDER BY become rank columns of in
 * (computed after any aggregation, over its result). */
static auk_status apply_windows(planner *P, const ast_query *q, rel *in, const lower_ctx *cx) {
  enum { MAXW = 64 };
  const ast_expr *w[MAXW];
  int nw = 0;
  for (int i = 0; i < q->nitems; i++) find_windows(q->items[i].expr, w, &nw, MAXW);
  for (int i = 0; i < q->norder; i++) find_windows(q->order[i].expr, w, &nw, MAXW);
  find_windows(q->qualify, w, &nw, MAXW);
  for (int i = 0; i < nw; i++) {
    const ast_expr *e = w[i];
    const ast_window *o = e->over;
    static const struct {
      const char *name;
      auk_window_fn fn;
      int nargs;
    } fns[] = {{"row_number", AUK_WIN_ROW_NUMBER, 0},
               {"rank", AUK_WIN_RANK, 0},
               {"dense_rank", AUK_WIN_DENSE_RANK, 0},
               {"sum", AUK_WIN_SUM, 1},
               {"avg", AUK_WIN_MEAN, 1},
               {"mean", AUK_WIN_MEAN, 1},
               {"min", AUK_WIN_MIN, 1},
               {"max", AUK_WIN_MAX, 1},
               {"count", AUK_WIN_COUNT, 1},
               {"lag", AUK_WIN_LAG, 1},
               {"lead", AUK_WIN_LEAD, 1},
               {"first_value", AUK_WIN_FIRST_VALUE, 1},
               {"last_value", AUK_WIN_LAST_VALUE, 1}};
    int f = -1;
    for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++)
      if (!strcasecmp(e->name, fns[k].name)) f = (int)k;
    if (f < 0)
      return sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, e->pos,
                          "the window function %s is not supported (row_number, rank, dense_rank, "
                          "sum, avg, min, max and count are)",
                          e->name);
    auk_window_fn m = fns[f].fn;
    int star = e->nargs == 1 && e->args[0]->kind == AST_STAR;
    if (m == AUK_WIN_COUNT && (star || e->nargs == 0)) m = AUK_WIN_LEN;
    int want = m == AUK_WIN_LEN ? (star ? 1 : 0) : fns[f].nargs;
    int64_t offset = 0;
    if ((m == AUK_WIN_LAG || m == AUK_WIN_LEAD) && (e->nargs == 2 || e->nargs == 3)) {
      if (e->args[1]->kind != AST_INT || e->args[1]->ival < 0)
        return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->args[1]->pos,
                            "the offset of %s must be a non-negative integer constant", e->name);
      offset = e->args[1]->ival;
      want = e->nargs;
      if (offset == 0) m = AUK_WIN_FIRST_VALUE + 100; /* lag(x, 0): the row itself */
    }
    if (e->nargs != want || e->distinct || e->filter)
      return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos, "%s() OVER takes %s",
                          e->name,
                          fns[f].nargs ? "one argument (no DISTINCT or FILTER)" : "no arguments");
    auk_expr *arg = NULL;
    if (fns[f].nargs && m != AUK_WIN_LEN) {
      if (lower_expr(P, cx, e->args[0], &arg)) return P->err->code;
      if (sql_check(P, in->lf, arg, CHECK_VALUE, e->args[0]->pos))
        return expr_release(arg), P->err->code;
    }
    auk_expr **part = arena_alloc(P->a, sizeof *part * (size_t)(o->npart + 1));
    auk_expr **ord = arena_alloc(P->a, sizeof *ord * (size_t)(o->norder + 1));
    int *desc = arena_alloc(P->a, sizeof *desc * (size_t)(o->norder + 1));
    int *nl = arena_alloc(P->a, sizeof *nl * (size_t)(o->norder + 1));
    const char *name = new_internal(P, NULL, e->name);
    if (!part || !ord || !desc || !nl || !name) return expr_release(arg), P->err->code;
    int made = 0;
    auk_status st = AUK_OK;
    for (; made < o->npart + o->norder && !st; made++) {
      const ast_expr *x = made < o->npart ? o->part[made] : o->order[made - o->npart].expr;
      auk_expr *y;
      if ((st = lower_expr(P, cx, x, &y))) break;
      if ((st = sql_check(P, in->lf, y, CHECK_VALUE, x->pos))) {
        expr_release(y);
        break;
      }
      if (made < o->npart) {
        part[made] = y;
      } else {
        int k = made - o->npart;
        ord[k] = y;
        desc[k] = o->order[k].desc;
        nl[k] = o->order[k].nulls != 1; /* NULLS LAST unless asked, as DuckDB */
      }
    }
    if (st) {
      for (int k = 0; k < made; k++) expr_release(k < o->npart ? part[k] : ord[k - o->npart]);
      expr_release(arg);
      return st;
    }
    if ((int)m == AUK_WIN_FIRST_VALUE + 100) { /* lag(x, 0) is x */
      for (int k = 0; k < o->npart; k++) expr_release(part[k]);
      for (int k = 0; k < o->norder; k++) expr_release(ord[k]);
      auk_expr *same = auk_alias(arg, name);
      if (auk_lazy_with_columns(in->lf, 1, &same, P->err) || sql_add_subst(P, e, name))
        return P->err->code;
      continue;
    }
    auk_window_frame fr = {o->preceding, o->following};
    if (o->rows_frame && !(m >= AUK_WIN_SUM && m <= AUK_WIN_LEN)) {
      for (int k = 0; k < o->npart; k++) expr_release(part[k]);
      for (int k = 0; k < o->norder; k++) expr_release(ord[k]);
      expr_release(arg);
      return sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, e->pos,
                          "a ROWS frame applies to the aggregates (sum, avg, min, max, count)");
    }
    /* lag/lead with a default: a second window of the constant 1 is null
     * exactly where the row falls outside the partition */
    int with_default = (m == AUK_WIN_LAG || m == AUK_WIN_LEAD) && e->nargs == 3;
    auk_expr *part2[64], *ord2[64];
    if (with_default && (o->npart > 64 || o->norder > 64)) with_default = 0;
    for (int k = 0; with_default && k < o->npart; k++) part2[k] = expr_retain(part[k]);
    for (int k = 0; with_default && k < o->norder; k++) ord2[k] = expr_retain(ord[k]);
    if (auk_lazy_window(in->lf, name, m, arg, offset, o->rows_frame ? &fr : NULL, o->npart, part,
                        o->norder, ord, desc, nl, P->err)) {
      if (with_default) {
        for (int k = 0; k < o->npart; k++) expr_release(part2[k]);
        for (int k = 0; k < o->norder; k++) expr_release(ord2[k]);
      }
      return sql_error_at(P->err, P->err->code, P->text, e->pos, "%s", P->err->message);
    }
    if (with_default) {
      const char *mark = new_internal(P, NULL, "__edge"), *val = new_internal(P, NULL, e->name);
      auk_expr *dflt = NULL;
      if (!mark || !val || lower_expr(P, cx, e->args[2], &dflt)) {
        for (int k = 0; k < o->npart; k++) expr_release(part2[k]);
        for (int k = 0; k < o->norder; k++) expr_release(ord2[k]);
        return P->err->code;
      }
      if (auk_lazy_window(in->lf, mark, m, auk_lit_int(1), offset, NULL, o->npart, part2, o->norder,
                          ord2, desc, nl, P->err))
        return expr_release(dflt), P->err->code;
      auk_expr *v = auk_alias(auk_when(auk_is_null(auk_col(mark)), dflt, auk_col(name)), val);
      if (auk_lazy_with_columns(in->lf, 1, &v, P->err)) return P->err->code;
      name = val;
    }
    if (sql_add_subst(P, e, name)) return P->err->code;
  }
  return AUK_OK;
}

typedef struct out_col {
  auk_expr *expr; /* taken by the projection */
  const char *name, *internal;
  const ast_expr *src; /* the select item, or NULL for a star column */
  int hidden;
} out_col;

static auk_status add_out(planner *P, out_col **cols, int *n, int *cap, out_col c) {
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 16;
    out_col *v = arena_alloc(P->a, sizeof *v * (size_t)nc);
    if (!v) return expr_release(c.expr), P->err->code;
    if (*n) memcpy(v, *cols, sizeof *v * (size_t)*n);
    *cols = v;
    *cap = nc;
  }
  (*cols)[(*n)++] = c;
  return AUK_OK;
}

static auk_status const_int(planner *P, const ast_expr *e, const char *what, int64_t *out) {
  if (e->kind != AST_INT || e->ival < 0)
    return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                        "%s must be a non-negative integer constant", what);
  *out = e->ival;
  return AUK_OK;
}

auk_status apply_limit(planner *P, const ast_query *q, auk_lazy *lf) {
  int64_t lim = -1, off = 0;
  if (q->limit && const_int(P, q->limit, "LIMIT", &lim)) return P->err->code;
  if (q->offset && const_int(P, q->offset, "OFFSET", &off)) return P->err->code;
  if (q->limit || q->offset) return auk_lazy_slice(lf, off, lim, P->err);
  return AUK_OK;
}

/* Whether two aggregate calls have the same ORDER BY (the same text). */
static int same_agg_order(const planner *P, const ast_expr *a, const ast_expr *b) {
  if (a->norder != b->norder) return 0;
  for (int i = 0; i < a->norder; i++) {
    const ast_order *x = &a->order[i], *y = &b->order[i];
    size_t nx = x->expr->end - x->expr->pos, ny = y->expr->end - y->expr->pos;
    if (x->desc != y->desc || x->nulls != y->nulls || nx != ny ||
        memcmp(P->text + x->expr->pos, P->text + y->expr->pos, nx))
      return 0;
  }
  return 1;
}

/* ORDER BY inside aggregates (string_agg(x, ',' ORDER BY y)): the input is
 * sorted by it before the group-by, whose groups then see their rows in
 * that order; the aggregates that have one must have the same. */
static auk_status sort_for_ordered_aggs(planner *P, const lower_ctx *cx, const agg_ctx *ag,
                                        auk_lazy *lf) {
  const ast_expr *first = NULL;
  for (int i = 0; i < ag->naggs; i++) {
    const ast_expr *a = ag->aggs[i];
    if (!a->norder) continue;
    if (!first)
      first = a;
    else if (!same_agg_order(P, first, a))
      return sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, a->pos,
                          "aggregates with different ORDER BY in one query are not supported");
  }
  if (!first) return AUK_OK;
  int n = first->norder;
  auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)n);
  int *desc = arena_alloc(P->a, sizeof *desc * (size_t)n);
  int *nl = arena_alloc(P->a, sizeof *nl * (size_t)n);
  if (!keys || !desc || !nl) return P->err->code;
  for (int i = 0; i < n; i++) {
    if (lower_expr(P, cx, first->order[i].expr, &keys[i])) {
      for (int k = 0; k < i; k++) expr_release(keys[k]);
      return P->err->code;
    }
    if (sql_check(P, lf, keys[i], CHECK_VALUE, first->order[i].expr->pos)) {
      for (int k = 0; k <= i; k++) expr_release(keys[k]);
      return P->err->code;
    }
    desc[i] = first->order[i].desc;
    nl[i] = first->order[i].nulls != 1; /* NULLS LAST unless asked, as DuckDB */
  }
  return auk_lazy_sort(lf, n, keys, desc, nl, P->err);
}

auk_status plan_select(planner *P, const ast_query *q, const scope *outer, rel *out) {
  rel in;
  expr_list deferred = {0};
  if (plan_from_where(P, q, outer, &in, NULL, &deferred)) return P->err->code;
  auk_status st = apply_deferred(P, &in, outer, &deferred, q);
  if (st) return rel_free(&in), st;

  lower_ctx cx = {&in.sc, outer, NULL, in.lf, NULL};
  agg_ctx ag = {0};
  ag.input = &in.sc;
  int is_agg = q->ngroup || q->group_all || q->having != NULL;
  for (int i = 0; i < q->nitems && !is_agg; i++) is_agg = expr_has_agg_ast(q->items[i].expr);
  for (int i = 0; i < q->norder && !is_agg; i++) is_agg = expr_has_agg_ast(q->order[i].expr);
  if (!is_agg) is_agg = expr_has_agg_ast(q->qualify);
  if (is_agg) {
    int cap = q->ngroup + q->nitems + 1;
    ag.keys = arena_alloc(P->a, sizeof *ag.keys * (size_t)cap);
    ag.key_names = arena_alloc(P->a, sizeof *ag.key_names * (size_t)cap);
    if (!ag.keys || !ag.key_names) return rel_free(&in), P->err->code;
    for (int i = 0; i < q->ngroup; i++) {
      const ast_expr *g = group_target(P, q, &in.sc, q->group[i]);
      if (!g) return rel_free(&in), P->err->code;
      if (expr_has_agg_ast(g))
        return rel_free(&in), sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text,
                                           q->group[i]->pos, "GROUP BY cannot use an aggregate");
      ag.keys[ag.nkeys++] = (ast_expr *)g;
    }
    if (q->group_all)
      for (int i = 0; i < q->nitems; i++)
        if (!expr_has_agg_ast(q->items[i].expr) && q->items[i].expr->kind != AST_STAR)
          ag.keys[ag.nkeys++] = q->items[i].expr;
    for (int i = 0; i < q->nitems && !st; i++) st = collect_aggs(P, &ag, q->items[i].expr);
    if (!st && q->having) st = collect_aggs(P, &ag, q->having);
    if (!st && q->qualify) st = collect_aggs(P, &ag, q->qualify);
    for (int i = 0; i < q->norder && !st; i++) st = collect_aggs(P, &ag, q->order[i].expr);
    if (st) return rel_free(&in), st;
    auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)(ag.nkeys + 1));
    auk_expr **aggs = arena_alloc(P->a, sizeof *aggs * (size_t)(ag.naggs + 1));
    if (!keys || !aggs) return rel_free(&in), P->err->code;
    int nk = 0, na = 0;
    for (; nk < ag.nkeys && !st; nk++) {
      auk_expr *k;
      ag.key_names[nk] = new_internal(P, NULL, "__group");
      if (!ag.key_names[nk] || (st = lower_expr(P, &cx, ag.keys[nk], &k))) break;
      if ((st = sql_check(P, in.lf, k, CHECK_VALUE, ag.keys[nk]->pos))) {
        expr_release(k);
        break;
      }
      keys[nk] = auk_alias(k, ag.key_names[nk]);
    }
    for (; na < ag.naggs && !st; na++) {
      auk_expr *a;
      if ((st = lower_agg_call(P, &cx, ag.aggs[na], &a))) break;
      if ((st = sql_check(P, in.lf, a, CHECK_AGGREGATE, ag.aggs[na]->pos))) {
        expr_release(a);
        break;
      }
      aggs[na] = auk_alias(a, ag.agg_names[na]);
    }
    if (st) {
      for (int k = 0; k < nk; k++) expr_release(keys[k]);
      for (int k = 0; k < na; k++) expr_release(aggs[k]);
      return rel_free(&in), st;
    }
    if ((st = sort_for_ordered_aggs(P, &cx, &ag, in.lf))) {
      for (int k = 0; k < nk; k++) expr_release(keys[k]);
      for (int k = 0; k < na; k++) expr_release(aggs[k]);
      return rel_free(&in), st;
    }
    if (auk_lazy_group_by(in.lf, ag.nkeys, keys, ag.naggs, aggs, 0, P->err))
      return rel_free(&in), P->err->code;
    ag.active = 1;
    cx.agg = &ag;
    if (q->having) {
      auk_expr *h;
      lower_ctx hx = cx;
      hx.aliases = q;
      if (lower_expr(P, &hx, q->having, &h)) return rel_free(&in), P->err->code;
      if (sql_check(P, in.lf, h, CHECK_PREDICATE, q->having->pos))
        return expr_release(h), rel_free(&in), P->err->code;
      if (auk_lazy_filter(in.lf, h, P->err)) return rel_free(&in), P->err->code;
    }
  }

  if (apply_windows(P, q, &in, &cx)) return rel_free(&in), P->err->code;
  if (q->qualify) {
    auk_expr *qf;
    lower_ctx qx = cx;
    qx.aliases = q;
    if (lower_expr(P, &qx, q->qualify, &qf)) return rel_free(&in), P->err->code;
    if (sql_check(P, in.lf, qf, CHECK_PREDICATE, q->qualify->pos))
      return expr_release(qf), rel_free(&in), P->err->code;
    if (auk_lazy_filter(in.lf, qf, P->err)) return rel_free(&in), P->err->code;
  }

  /* The select list, stars expanded. */
  out_col *cols = NULL;
  int ncols = 0, capc = 0;
  for (int i = 0; i < q->nitems && !st; i++) {
    const ast_expr *e = q->items[i].expr;
    if (e->kind == AST_STAR) {
      if (is_agg) {
        st = sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                          "SELECT * cannot be used with GROUP BY or aggregates");
        break;
      }
      int any = 0;
      for (int c = 0; c < in.sc.n && !st; c++) {
        const scope_col *sc = &in.sc.cols[c];
        if (sc->hide_star) continue;
        if (e->qualifier && (!sc->qual || strcasecmp(sc->qual, e->qualifier))) continue;
        int excluded = 0;
        for (int x = 0; x < e->nexclude; x++) excluded |= !strcasecmp(e->exclude[x], sc->name);
        if (excluded) continue;
        any = 1;
        const char *inn = new_internal(P, NULL, sc->name);
        if (!inn)
          st = P->err->code;
        else
          st = add_out(P, &cols, &ncols, &capc,
                       (out_col){auk_alias(auk_col(sc->internal), inn), sc->name, inn, NULL, 0});
      }
      for (int x = 0; x < e->nexclude && !st; x++) {
        int known = 0;
        for (int c = 0; c < in.sc.n; c++) known |= !strcasecmp(e->exclude[x], in.sc.cols[c].name);
        if (!known)
          st = sql_error_at(P->err, AUK_ERR_NOT_FOUND, P->text, e->pos,
                            "EXCLUDE names '%s', which is not a column here", e->exclude[x]);
      }
      if (!st && !any && e->qualifier)
        st = sql_error_at(P->err, AUK_ERR_NOT_FOUND, P->text, e->pos, "unknown table or alias '%s'",
                          e->qualifier);
      continue;
    }
    auk_expr *x;
    if ((st = lower_expr(P, &cx, e, &x))) break;
    if ((st = sql_check(P, in.lf, x, CHECK_VALUE, e->pos))) {
      expr_release(x);
      break;
    }
    const char *name = q->items[i].alias ? q->items[i].alias : ast_default_name(P, e);
    const char *inn = new_internal(P, NULL, name);
    if (!inn) {
      expr_release(x);
      st = P->err->code;
      break;
    }
    st = add_out(P, &cols, &ncols, &capc, (out_col){auk_alias(x, inn), name, inn, e, 0});
  }
  int nvisible = ncols;
  /* ORDER BY: an output column (position, name, or the same expression),
   * else a hidden column computed beside the select list. */
  int *okey = q->norder ? arena_alloc(P->a, sizeof *okey * (size_t)q->norder) : NULL;
  if (q->norder && !okey) st = P->err->code;
  for (int i = 0; i < q->norder && !st; i++) {
    const ast_expr *e = q->order[i].expr;
    int found = -1;
    if (e->kind == AST_INT) {
      if (e->ival < 1 || e->ival > nvisible) {
        st = sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                          "ORDER BY position %lld is not in the select list (1 to %d)",
                          (long long)e->ival, nvisible);
        break;
      }
      found = (int)e->ival - 1;
    }
    if (found < 0 && e->kind == AST_COLUMN && !e->qualifier) {
      for (int c = 0; c < nvisible && found < 0; c++)
        if (!strcmp(cols[c].name, e->name)) found = c;
      for (int c = 0; c < nvisible && found < 0; c++)
        if (!strcasecmp(cols[c].name, e->name)) found = c;
    }
    for (int c = 0; c < nvisible && found < 0; c++)
      if (cols[c].src && ast_equal(&in.sc, cols[c].src, e)) found = c;
    if (found < 0) {
      if (q->distinct) {
        st = sql_error_at(
            P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
            "with SELECT DISTINCT, ORDER BY expressions must appear in the select list");
        break;
      }
      auk_expr *x;
      if ((st = lower_expr(P, &cx, e, &x))) break;
      if ((st = sql_check(P, in.lf, x, CHECK_VALUE, e->pos))) {
        expr_release(x);
        break;
      }
      const char *inn = new_internal(P, NULL, "__order");
      if (!inn) {
        expr_release(x);
        st = P->err->code;
        break;
      }
      found = ncols;
      st = add_out(P, &cols, &ncols, &capc, (out_col){auk_alias(x, inn), inn, inn, e, 1});
    }
    okey[i] = found;
  }
  if (st) {
    for (int c = 0; c < ncols; c++) expr_release(cols[c].expr);
    return rel_free(&in), st;
  }
  auk_expr **sel = arena_alloc(P->a, sizeof *sel * (size_t)(ncols ? ncols : 1));
  if (!sel) {
    for (int c = 0; c < ncols; c++) expr_release(cols[c].expr);
    return rel_free(&in), P->err->code;
  }
  for (int c = 0; c < ncols; c++) sel[c] = cols[c].expr;
  if (auk_lazy_select(in.lf, ncols, sel, P->err)) return rel_free(&in), P->err->code;
  if (q->distinct && auk_lazy_unique(in.lf, 0, NULL, AUK_KEEP_FIRST, P->err))
    return rel_free(&in), P->err->code;
  if (q->norder) {
    auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)q->norder);
    int *desc = arena_alloc(P->a, sizeof *desc * (size_t)q->norder);
    int *nl = arena_alloc(P->a, sizeof *nl * (size_t)q->norder);
    if (!keys || !desc || !nl) return rel_free(&in), P->err->code;
    for (int i = 0; i < q->norder; i++) {
      keys[i] = auk_col(cols[okey[i]].internal);
      desc[i] = q->order[i].desc;
      nl[i] = q->order[i].nulls != 1; /* NULLS LAST unless asked, as DuckDB */
    }
    if (auk_lazy_sort(in.lf, q->norder, keys, desc, nl, P->err)) return rel_free(&in), P->err->code;
  }
  if (apply_limit(P, q, in.lf)) return rel_free(&in), P->err->code;
  if (ncols > nvisible) {
    auk_expr **vis = arena_alloc(P->a, sizeof *vis * (size_t)nvisible);
    if (!vis) return rel_free(&in), P->err->code;
    for (int c = 0; c < nvisible; c++) vis[c] = auk_col(cols[c].internal);
    if (auk_lazy_select(in.lf, nvisible, vis, P->err)) return rel_free(&in), P->err->code;
  }
  memset(out, 0, sizeof *out);
  out->lf = in.lf;
  out->rows = -1;
  for (int c = 0; c < nvisible; c++)
    if (scope_add(P, &out->sc, NULL, cols[c].name, cols[c].internal,
                  auk_lazy_column_type(out->lf, c)))
      return rel_free(out), P->err->code;
  return AUK_OK;
}
