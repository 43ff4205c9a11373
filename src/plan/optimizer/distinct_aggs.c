/* distinct_aggs.c - a group-by whose aggregates only need the set of
 * distinct values of one column x per group (n_unique(x), and min, max,
 * any, all of expressions of x: SQL's count(DISTINCT x) is n_unique(x)
 * less 1 when a null is among them) is run in two steps: a group-by on the
 * keys and x with no aggregate (the fast hashed path, on all workers),
 * then a group-by on the keys over those distinct rows, where n_unique(x)
 * is the number of rows (a null x is one row, as n_unique counts it) and
 * the others run as they are. A single group-by recorded every row and
 * counted per group at the end, on one worker for a whole-table count. The
 * groups still come out in the order their keys are first seen. */
#include "core/error.h"
#include "plan/plan.h"

#include <stdio.h>
#include <string.h>

/* Whether e reads only column x (or nothing). */
static int reads_only(const auk_expr *e, const char *x) {
  if (e->kind == EXPR_COL) return !strcmp(e->name, x);
  for (int i = 0; i < e->nargs; i++)
    if (!reads_only(e->args[i], x)) return 0;
  return 1;
}

/* Finds the column of the n_unique calls in e (*x, all the same) and
 * checks every aggregate call: 0 when the rewrite does not apply. */
static int check(const auk_expr *e, const char **x, int *nu) {
  if (e->kind == EXPR_CALL && expr_fn_is_agg(e->fn)) {
    switch (e->fn) {
      case FN_N_UNIQUE:
        if (e->nargs != 1 || e->args[0]->kind != EXPR_COL) return 0;
        if (*x && strcmp(*x, e->args[0]->name)) return 0;
        *x = e->args[0]->name;
        (*nu)++;
        return 1;
      case FN_MIN:
      case FN_MAX:
      case FN_ANY:
      case FN_ALL: return 1; /* their arguments are checked once x is known */
      default: return 0;
    }
  }
  for (int i = 0; i < e->nargs; i++)
    if (!check(e->args[i], x, nu)) return 0;
  return 1;
}

static int args_of_x(const auk_expr *e, const char *x) {
  if (e->kind == EXPR_CALL && expr_fn_is_agg(e->fn))
    return e->fn == FN_N_UNIQUE || reads_only(e, x);
  for (int i = 0; i < e->nargs; i++)
    if (!args_of_x(e->args[i], x)) return 0;
  return 1;
}

typedef struct subst {
  const char *x;
  auk_expr *dx; /* col("__dx"), lent to expr_substitute */
} subst;

static auk_expr *to_dx(void *ctx, const char *name) {
  subst *s = ctx;
  return !strcmp(name, s->x) ? s->dx : NULL;
}

/* e over the distinct rows: n_unique(x) becomes len(), column x __dx
 * inside the other aggregates. */
static auk_expr *over_distinct(const auk_expr *e, subst *s) {
  if (e->kind == EXPR_CALL && e->fn == FN_N_UNIQUE) return expr_new_call(FN_LEN, 0, NULL);
  if (e->kind == EXPR_CALL && expr_fn_is_agg(e->fn))
    return expr_substitute((auk_expr *)e, to_dx, s);
  if (!e->nargs) return expr_retain((auk_expr *)e);
  auk_expr *args[64];
  if (e->nargs > 64) return expr_new_error("expression with more than 64 arguments");
  for (int i = 0; i < e->nargs; i++) args[i] = over_distinct(e->args[i], s);
  return expr_with_args(e, args);
}

static auk_status rewrite(plan_node *n, auk_error *err) {
  const char *x = NULL;
  int nu = 0;
  for (int i = 0; i < n->naggs; i++)
    if (!check(n->aggs[i], &x, &nu)) return AUK_OK;
  if (!nu || n->nexprs > 254) return AUK_OK;
  for (int i = 0; i < n->naggs; i++)
    if (!args_of_x(n->aggs[i], x)) return AUK_OK;
  /* inner: keys as __dk<i>, then x as __dx; no aggregate */
  auk_expr *ik[256], *ok[256], *oa[256];
  int nk = n->nexprs;
  if (n->naggs > 256) return AUK_OK;
  for (int i = 0; i < nk; i++) {
    char name[32];
    snprintf(name, sizeof name, "__dk%d", i);
    ik[i] = expr_new_alias(expr_retain(n->exprs[i]), name);
    ok[i] = expr_new_alias(expr_new_col(name), expr_output_name(n->exprs[i]));
  }
  ik[nk] = expr_new_alias(expr_new_col(x), "__dx");
  subst sb = {x, expr_new_col("__dx")};
  for (int i = 0; i < n->naggs; i++) oa[i] = over_distinct(n->aggs[i], &sb);
  expr_release(sb.dx);
  plan_node *inner;
  if (plan_aggregate(plan_retain(n->inputs[0]), nk + 1, ik, 0, NULL, 1, &inner, err)) {
    plan_free_exprs(nk, ok);
    plan_free_exprs(n->naggs, oa);
    return err->code;
  }
  plan_release(n->inputs[0]);
  n->inputs[0] = inner;
  for (int i = 0; i < nk; i++) {
    expr_release(n->exprs[i]);
    n->exprs[i] = ok[i];
  }
  for (int i = 0; i < n->naggs; i++) {
    expr_release(n->aggs[i]);
    n->aggs[i] = oa[i];
  }
  return AUK_OK;
}

auk_status opt_distinct_aggs(plan_node *n, auk_error *err) {
  for (int i = 0; i < n->ninputs; i++)
    if (opt_distinct_aggs(n->inputs[i], err)) return err->code;
  if (n->kind == PLAN_AGGREGATE && n->ninputs == 1) return rewrite(n, err);
  return AUK_OK;
}
