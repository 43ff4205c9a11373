/* merge.c - merges adjacent nodes of the same kind: two filters become one
 * filter on both predicates (inner first), and two projections become one
 * when either only picks or renames columns (the outer expressions are
 * rewritten onto the inner input, so nothing is computed twice). */
#include "core/error.h"
#include "plan/plan.h"

#include <string.h>

static auk_expr *and2(auk_expr *a, auk_expr *b) {
  auk_expr *args[2] = {a, b};
  return expr_new_call(FN_AND, 2, args);
}

/* The column an expression picks: col(x) or col(x).alias(y). */
static int is_pick(const auk_expr *e) {
  return expr_unalias(e)->kind == EXPR_COL;
}

typedef struct inner_map {
  plan_node *p;
} inner_map;

static auk_expr *lookup(void *ctx, const char *name) {
  plan_node *p = ((inner_map *)ctx)->p;
  for (int i = 0; i < p->nexprs; i++)
    if (!strcmp(expr_output_name(p->exprs[i]), name)) {
      return (auk_expr *)expr_unalias(p->exprs[i]);
    }
  return NULL;
}

static auk_status merge_node(plan_node *n, auk_error *err) {
  for (;;) {
    plan_node *c = n->ninputs == 1 ? n->inputs[0] : NULL;
    if (!c) return AUK_OK;
    if (n->kind == PLAN_FILTER && c->kind == PLAN_FILTER) {
      n->pred = and2(expr_retain(c->pred), n->pred);
      n->inputs[0] = plan_retain(c->inputs[0]);
      plan_release(c);
      continue;
    }
    if (n->kind == PLAN_PROJECT && c->kind == PLAN_PROJECT) {
      int simple = 1, outer_picks = 1;
      for (int i = 0; i < c->nexprs; i++) simple &= is_pick(c->exprs[i]);
      for (int i = 0; i < n->nexprs; i++) outer_picks &= is_pick(n->exprs[i]);
      if (!simple && !outer_picks) return AUK_OK;
      inner_map m = {c};
      for (int i = 0; i < n->nexprs; i++) {
        const char *name = expr_output_name(n->exprs[i]);
        auk_expr *r = expr_substitute(n->exprs[i], lookup, &m);
        if (strcmp(expr_output_name(r), name)) r = expr_new_alias(r, name);
        const char *msg;
        if (expr_find_error(r, &msg)) {
          expr_release(r);
          return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "%s", msg);
        }
        expr_release(n->exprs[i]);
        n->exprs[i] = r;
      }
      n->with_columns = n->with_columns && c->with_columns;
      n->inputs[0] = plan_retain(c->inputs[0]);
      plan_release(c);
      continue;
    }
    return AUK_OK;
  }
}

auk_status opt_merge(plan_node *n, auk_error *err) {
  if (merge_node(n, err)) return err->code;
  for (int i = 0; i < n->ninputs; i++)
    if (opt_merge(n->inputs[i], err)) return err->code;
  return AUK_OK;
}
