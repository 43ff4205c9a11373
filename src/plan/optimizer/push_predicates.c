/* push_predicates.c - moves filters toward the scan: through sorts (a
 * filter commutes with a sort), through projections for the conjuncts
 * that only read columns the projection passes through (renames
 * undone), into every input of a concat, through joins to the side a
 * conjunct reads (inner and cross: either side; left, semi, anti: the
 * left; right: the right; full: none; a right column's suffix undone),
 * and finally into the scan itself, which then filters each batch as it
 * is parsed. Conjuncts that cannot move stay where they were. */
#include "core/alloc.h"
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
      const auk_expr *e = expr_unalias(p->exprs[i]);
      return e->kind == EXPR_COL ? (auk_expr *)e : NULL;
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

static auk_status push(plan_node **slot, auk_expr *pred, auk_error *err);

/* Renames of a join's right columns back to the right input's names. */
typedef struct right_names {
  const auk_schema *out;
  const join_col *cols;
  auk_expr **col; /* per output column: col(right name), or NULL */
} right_names;

static auk_expr *right_name(void *ctx, const char *name) {
  right_names *r = ctx;
  int i = auk_schema_find(r->out, name);
  return i >= 0 ? r->col[i] : NULL;
}

/* The side every column of c comes from: 0 left, 1 right, -1 mixed or a
 * coalesced key (2 when c reads no column). */
static int side_of(const auk_expr *c, const auk_schema *out, const join_col *cols, auk_error *err) {
  expr_names names = {0};
  if (expr_collect_columns(c, &names, err)) return -1;
  int side = 2;
  for (int i = 0; i < names.n && side != -1; i++) {
    int j = auk_schema_find(out, names.names[i]);
    int s = j < 0 || cols[j].coalesce_with >= 0 ? -1 : cols[j].side;
    side = side == 2 ? s : (side == s ? s : -1);
  }
  expr_names_free(&names);
  return side;
}

/* Pushes the conjuncts of pred (taken) below join n where they belong;
 * *keep gets the rest (NULL when none). */
static auk_status push_join(plan_node *n, auk_expr *pred, auk_expr **keep, auk_error *err) {
  *keep = NULL;
  int how = n->keep;
  int can_left = how == AUK_JOIN_INNER || how == AUK_JOIN_CROSS || how == AUK_JOIN_LEFT ||
                 how == AUK_JOIN_SEMI || how == AUK_JOIN_ANTI;
  int can_right = how == AUK_JOIN_INNER || how == AUK_JOIN_CROSS || how == AUK_JOIN_RIGHT;
  if (!can_left && !can_right) {
    *keep = pred;
    return AUK_OK;
  }
  join_col *cols;
  int ncols;
  auk_schema *out;
  const auk_schema *l = n->inputs[0]->schema, *r = n->inputs[1]->schema;
  if (join_columns(n, l, r, &cols, &ncols, &out, err)) {
    expr_release(pred);
    return err->code;
  }
  int total = l->nfields + ((how == AUK_JOIN_SEMI || how == AUK_JOIN_ANTI) ? 0 : r->nfields);
  auk_expr *col[1024] = {0};
  right_names rn = {out, cols, col};
  for (int i = 0; i < ncols && i < 1024; i++)
    if (cols[i].side == 1 && strcmp(out->fields[i].name, r->fields[cols[i].index].name))
      col[i] = expr_new_col(r->fields[cols[i].index].name);
  auk_expr *list[256];
  int k = 0;
  conjuncts(pred, list, &k, 256);
  expr_release(pred);
  auk_expr *down[2] = {NULL, NULL};
  auk_status st = AUK_OK;
  for (int i = 0; i < k; i++) {
    int side = ncols <= 1024 && !st ? side_of(list[i], out, cols, err) : -1;
    if (side == 2) side = can_left ? 0 : 1;
    if ((side == 0 && can_left) || (side == 1 && can_right)) {
      down[side] = and2(down[side], side ? expr_substitute(list[i], right_name, &rn) : list[i]);
      if (side) expr_release(list[i]);
    } else {
      *keep = and2(*keep, list[i]);
    }
  }
  for (int i = 0; i < ncols && i < 1024; i++) expr_release(col[i]);
  auk_mem_free(cols, sizeof(join_col) * (size_t)(total + 1));
  auk_schema_release(out);
  for (int s = 0; s < 2; s++)
    if (down[s] && !st && push(&n->inputs[s], down[s], err))
      st = err->code;
    else if (st)
      expr_release(down[s]);
  return st;
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
    case PLAN_JOIN: {
      auk_expr *keep;
      if (push_join(n, pred, &keep, err)) {
        expr_release(keep);
        return err->code;
      }
      if (!keep) return AUK_OK;
      pred = keep;
      break;
    }
    case PLAN_SLICE:
    case PLAN_UNIQUE:
    case PLAN_AGGREGATE:
    case PLAN_WINDOW: /* a filter below a window changes the partitions */
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
