/* fold_constants.c - evaluates expressions made only of literals once, at
 * plan time, and simplifies boolean identities (x and true -> x, x or true
 * -> true, not not x -> x). A filter whose predicate folds to true goes
 * away. A folding that would fail (1 // 0 is fine: null; a bad cast is
 * not) is left for the executor, which reports it with its context. */
#include "core/error.h"
#include "expr/kernel.h"
#include "plan/plan.h"

static int is_lit_bool(const auk_expr *e, int v) {
  return e->kind == EXPR_LIT && !e->lit.is_null && e->lit.type == AUK_TYPE_BOOL &&
         (e->lit.i != 0) == v;
}

/* Returns a new reference to the folded form of e. */
static auk_expr *fold(auk_expr *e) {
  if (e->kind != EXPR_CALL && e->kind != EXPR_CAST && e->kind != EXPR_ALIAS) return expr_retain(e);
  int changed = 0, all_lit = e->kind != EXPR_ALIAS;
  auk_expr *args[64];
  int n = e->nargs;
  if (n > 64) return expr_retain(e);
  for (int i = 0; i < n; i++) {
    args[i] = fold(e->args[i]);
    changed |= args[i] != e->args[i];
    all_lit &= args[i]->kind == EXPR_LIT;
  }
  auk_expr *r = NULL;
  if (e->kind == EXPR_CALL && (e->fn == FN_AND || e->fn == FN_OR) && !all_lit) {
    int v = e->fn == FN_OR; /* the absorbing value */
    for (int i = 0; i < 2 && !r; i++) {
      if (is_lit_bool(args[i], v))
        r = expr_retain(args[i]);
      else if (is_lit_bool(args[i], !v))
        r = expr_retain(args[1 - i]);
    }
  }
  if (!r && e->kind == EXPR_CALL && e->fn == FN_NOT && args[0]->kind == EXPR_CALL &&
      args[0]->fn == FN_NOT)
    r = expr_retain(args[0]->args[0]);
  if (!r && all_lit) {
    auk_schema *empty = auk_schema_new(0, NULL);
    bexpr *b;
    auk_error err;
    if (empty && !expr_bind(e, empty, &b, NULL, &err)) {
      expr_value v;
      /* a typed null (null.cast(f64)) stays: a null literal has no type */
      if (!bexpr_eval_const(b, &v, &err)) {
        if (!v.is_null || b->type == AUK_TYPE_NULL) r = expr_new_lit(&v);
        expr_value_free(&v);
      }
      bexpr_free(b);
    }
    auk_schema_release(empty);
  }
  if (!r && changed) return expr_with_args(e, args); /* takes args */
  for (int i = 0; i < n; i++) expr_release(args[i]);
  return r ? r : expr_retain(e);
}

/* Folds *slot, keeping its output name (an alias is added if folding
 * would change it). */
static auk_status fold_slot(auk_expr **slot, int keep_name, auk_error *err) {
  auk_expr *f = fold(*slot);
  if (keep_name && strcmp(expr_output_name(f), expr_output_name(*slot))) {
    auk_expr *a = expr_new_alias(f, expr_output_name(*slot));
    f = a;
  }
  expr_release(*slot);
  *slot = f;
  (void)err;
  return AUK_OK;
}

static auk_status walk(plan_node *n, auk_error *err) {
  for (int i = 0; i < n->ninputs; i++) {
    if (walk(n->inputs[i], err)) return err->code;
    /* drop filters that are always true */
    plan_node *c = n->inputs[i];
    if (c->kind == PLAN_FILTER && is_lit_bool(c->pred, 1)) {
      n->inputs[i] = plan_retain(c->inputs[0]);
      plan_release(c);
    }
  }
  for (int i = 0; i < n->nexprs; i++)
    if (fold_slot(&n->exprs[i], n->kind == PLAN_PROJECT, err)) return err->code;
  if (n->pred && fold_slot(&n->pred, 0, err)) return err->code;
  return AUK_OK;
}

auk_status opt_fold_constants(plan_node *n, auk_error *err) {
  return walk(n, err);
}
