/* push_predicates.c - moves filters toward the scan: through sorts (a
 * filter commutes with a sort), through projections for the conjuncts
 * that only read columns the projection passes through (renames
 * undone), into every input of a concat, and finally into the scan
 * itself, which then filters each batch as it is parsed. Conjuncts that
 * cannot move stay where they were. */
#include "core/error.h"
#include "plan/plan.h"

#include <string.h>

static auk_expr *and2(auk_expr *a, auk_expr *b) {
  if (!a) return b;
  if (!b) return a;
  auk_expr *args[2] = {a, b};
  return expr_new_call(FN_AND, 2, args);
}

/* Splits e's top-level conjunctions into list (new references). */
static void conjuncts(auk_expr *e, auk_expr **list, int *n, int cap) {
  if (e->kind == EXPR_CALL && e->fn == FN_AND && *n < cap - 1) {
    conjuncts(e->args[0], list, n, cap);
    conjuncts(e->args[1], list, n, cap);
    return;
  }
  list[(*n)++] = expr_retain(e);
}

static auk_expr *pass_through(void *ctx, const char *name) {
  plan_node *p = ctx;
  for (int i = 0; i < p->nexprs; i++)
    if (!strcmp(expr_output_name(p->exprs[i]), name)) {
      auk_expr *e = p->exprs[i];
      while (e->kind == EXPR_ALIAS) e = e->args[0];
      return e->kind == EXPR_COL ? e : NULL;
    }
  return NULL;
}

/* 1 when every column c reads is a plain pass-through of project p. */
static int all_pass(const auk_expr *c, plan_node *p) {
  if (c->kind == EXPR_COL) return pass_through(p, c->name) != NULL;
  for (int i = 0; i < c->nargs; i++)
    if (!all_pass(c->args[i], p)) return 0;
  return 1;
}

static auk_status make_filter(plan_node *in, auk_expr *pred, plan_node **out, auk_error *err) {
  return plan_filter(in, pred, out, err);
}

/* Pushes the predicate `pred` (taken) into the subtree at *slot. */
static auk_status push(plan_node **slot, auk_expr *pred, auk_error *err) {
  plan_node *n = *slot;
  switch (n->kind) {
    case PLAN_SCAN: n->pred = and2(n->pred, pred); return AUK_OK;
    case PLAN_SORT:
    case PLAN_FILTER: return push(&n->inputs[0], pred, err);
    case PLAN_CONCAT:
      for (int i = 0; i < n->ninputs; i++)
        if (push(&n->inputs[i], i + 1 < n->ninputs ? expr_retain(pred) : pred, err))
          return err->code;
      return AUK_OK;
    case PLAN_PROJECT: {
      auk_expr *list[256];
      int k = 0;
      conjuncts(pred, list, &k, 256);
      expr_release(pred);
      auk_expr *keep = NULL, *down = NULL;
      for (int i = 0; i < k; i++) {
        if (all_pass(list[i], n)) {
          down = and2(down, expr_substitute(list[i], pass_through, n));
          expr_release(list[i]);
        } else {
          keep = and2(keep, list[i]);
        }
      }
      if (down && push(&n->inputs[0], down, err)) {
        expr_release(keep);
        return err->code;
      }
      if (!keep) return AUK_OK;
      pred = keep;
      break; /* what stays goes in a filter right above the projection */
    }
    case PLAN_SLICE:
    case PLAN_UNIQUE:
    case PLAN_AGGREGATE:
    case PLAN_JOIN:
    case PLAN_HCONCAT: break;
  }
  /* cannot move past this node: a filter right above it (on failure the
   * tree is left whole) */
  plan_retain(n);
  plan_node *f;
  if (make_filter(n, pred, &f, err)) return err->code;
  plan_release(*slot);
  *slot = f;
  return AUK_OK;
}

auk_status opt_push_predicates(plan_node **slot, auk_error *err) {
  plan_node *n = *slot;
  if (n->kind == PLAN_FILTER) {
    plan_node *child = plan_retain(n->inputs[0]);
    auk_expr *pred = expr_retain(n->pred);
    plan_release(n);
    *slot = child;
    if (push(slot, pred, err)) return err->code;
    n = *slot;
  }
  for (int i = 0; i < n->ninputs; i++)
    if (opt_push_predicates(&n->inputs[i], err)) return err->code;
  return AUK_OK;
}
