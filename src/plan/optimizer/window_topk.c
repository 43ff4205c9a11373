/* window_topk.c - row_number() OVER (PARTITION BY columns ORDER BY keys)
 * kept only up to k (a filter `rn <= k`, `rn < k` or `rn = 1` right above
 * the window, where predicate pushdown leaves it) gets a sort and a group
 * head of k rows below the window: the window then numbers k rows per
 * partition instead of every row, and the executor's top-k-per-group path
 * (exec_group_topk) avoids sorting them all. The same rows pass: both the
 * window's sort and the group head break ties by input order, and the
 * filter stays to check them. (DuckDB's top-n window rewrite; H2O q8.) */
#include "core/error.h"
#include "plan/plan.h"

#include <string.h>

/* k when pred limits column `name` to its first k values, else -1. */
static int64_t rank_limit(const auk_expr *pred, const char *name) {
  if (!pred || pred->kind != EXPR_CALL || pred->nargs != 2) return -1;
  const auk_expr *a = pred->args[0], *b = pred->args[1];
  expr_fn fn = pred->fn;
  if (a->kind == EXPR_LIT && b->kind == EXPR_COL) { /* k >= rn: turn it around */
    const auk_expr *t = a;
    a = b;
    b = t;
    fn = fn == FN_GE ? FN_LE : fn == FN_GT ? FN_LT : fn == FN_EQ ? FN_EQ : FN_COUNT_;
  }
  if (a->kind != EXPR_COL || strcmp(a->name, name) || b->kind != EXPR_LIT || b->lit.is_null ||
      b->lit.type != AUK_TYPE_INT64)
    return -1;
  int64_t v = b->lit.i;
  switch (fn) {
    case FN_LE: return v;
    case FN_LT: return v - 1;
    case FN_EQ: return v == 1 ? 1 : -1;
    default: return -1;
  }
}

static auk_status rewrite(plan_node *f, auk_error *err) {
  plan_node *w = f->inputs[0];
  if (w->kind != PLAN_WINDOW || w->keep != AUK_WIN_ROW_NUMBER || w->nexprs < 1 || w->naggs < 1)
    return AUK_OK;
  int64_t k = rank_limit(f->pred, w->suffix);
  if (k < 1 || k > 64) return AUK_OK;
  for (int i = 0; i < w->naggs; i++)
    if (w->aggs[i]->kind != EXPR_COL) return AUK_OK;
  /* already rewritten (the optimizer may see the plan twice) */
  if (w->inputs[0]->kind == PLAN_UNIQUE && w->inputs[0]->limit == k) return AUK_OK;
  auk_expr *keys[256], *part[256];
  if (w->nexprs > 256 || w->naggs > 256) return AUK_OK;
  for (int i = 0; i < w->nexprs; i++) keys[i] = expr_retain(w->exprs[i]);
  for (int i = 0; i < w->naggs; i++) part[i] = expr_retain(w->aggs[i]);
  plan_node *s, *u;
  if (plan_sort(plan_retain(w->inputs[0]), w->nexprs, keys, w->desc, w->nulls_last, &s, err)) {
    plan_free_exprs(w->naggs, part);
    return err->code;
  }
  if (plan_unique(s, w->naggs, part, AUK_KEEP_FIRST, &u, err)) return err->code;
  u->limit = k;
  plan_release(w->inputs[0]);
  w->inputs[0] = u;
  return AUK_OK;
}

auk_status opt_window_topk(plan_node *n, auk_error *err) {
  for (int i = 0; i < n->ninputs; i++)
    if (opt_window_topk(n->inputs[i], err)) return err->code;
  if (n->kind == PLAN_FILTER && n->ninputs == 1) return rewrite(n, err);
  return AUK_OK;
}
