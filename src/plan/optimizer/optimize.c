/* optimize.c - the rule driver: copies the plan, runs each rule in a fixed
 * order, then recomputes every node's schema bottom-up. The order matters:
 * constants are folded first so pushed predicates are simple, filters are
 * merged and pushed before projections are pruned (a pushed filter may
 * need columns), and slices go last so they see the final shape. */
#include "plan/plan.h"

static auk_status resolve_all(plan_node *n, auk_error *err) {
  for (int i = 0; i < n->ninputs; i++)
    if (resolve_all(n->inputs[i], err)) return err->code;
  return plan_resolve(n, err);
}

auk_status plan_optimize(const plan_node *root, plan_node **out, auk_error *err) {
  plan_node *n;
  if (plan_copy(root, &n, err)) return err->code;
  if (opt_fold_constants(n, err) || opt_merge(n, err) || opt_push_predicates(&n, err) ||
      opt_merge(n, err) || opt_window_topk(n, err) || opt_distinct_aggs(n, err) ||
      resolve_all(n, err) || opt_push_slices(&n, err) || opt_push_projections(n, err) ||
      resolve_all(n, err)) {
    plan_release(n);
    return err->code;
  }
  *out = n;
  return AUK_OK;
}
