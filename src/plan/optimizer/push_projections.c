/* push_projections.c - reads only the columns the query uses: walking down
 * from the root, each node adds the columns its expressions read to the
 * set its parent needs; projections drop outputs nobody reads, a join
 * asks each side for its keys and the needed columns it gives (unless
 * dropping a column would change how a right column is suffixed), and a
 * scan keeps just the needed columns (so the CSV reader never converts
 * the others). */
#include "core/alloc.h"
#include "core/error.h"
#include "plan/plan.h"

#include <string.h>

static int has(const expr_names *s, const char *name) {
  for (int i = 0; i < s->n; i++)
    if (!strcmp(s->names[i], name)) return 1;
  return 0;
}

static auk_status add_name(expr_names *s, const char *name, auk_error *err) {
  auk_expr col = {.kind = EXPR_COL, .name = (char *)name};
  return expr_collect_columns(&col, s, err);
}

static auk_status prune(plan_node *n, const expr_names *needed, auk_error *err);

/* s with only the fields named in keep (new schema). */
static auk_schema *reduced(const auk_schema *s, const expr_names *keep, auk_error *err) {
  int k = 0;
  for (int i = 0; i < s->nfields; i++) k += has(keep, s->fields[i].name);
  auk_schema *r = auk_schema_new(k, err);
  for (int i = 0, w = 0; r && i < s->nfields; i++)
    if (has(keep, s->fields[i].name) &&
        auk_schema_set(r, w++, s->fields[i].name, s->fields[i].type, err)) {
      auk_schema_release(r);
      r = NULL;
    }
  return r;
}

static const char *source_name(const join_col *c, const auk_schema *l, const auk_schema *r) {
  return (c->side ? r : l)->fields[c->index].name;
}

static void free_join_cols(const plan_node *n, join_col *cols, const auk_schema *l,
                           const auk_schema *r) {
  int semi = n->keep == AUK_JOIN_SEMI || n->keep == AUK_JOIN_ANTI;
  auk_mem_free(cols, sizeof(join_col) * (size_t)(l->nfields + (semi ? 0 : r->nfields) + 1));
}

/* The columns each side of join n must give for the needed outputs; both
 * sides whole when pruning would rename an output. */
static auk_status prune_join(plan_node *n, const expr_names *needed, auk_error *err) {
  const auk_schema *l = n->inputs[0]->schema, *r = n->inputs[1]->schema;
  expr_names side[2] = {{0}, {0}};
  join_col *cols = NULL, *cols2 = NULL;
  auk_schema *out = NULL, *out2 = NULL, *ls = NULL, *rs = NULL;
  int ncols, ncols2, ok = 1;
  auk_status st = join_columns(n, l, r, &cols, &ncols, &out, err);
  for (int k = 0; k < n->nexprs && !st; k++)
    if (!(st = add_name(&side[0], n->exprs[k]->name, err)))
      st = add_name(&side[1], n->aggs[k]->name, err);
  for (int i = 0; i < ncols && !st; i++)
    if (has(needed, out->fields[i].name)) {
      const char *src = source_name(&cols[i], l, r);
      st = add_name(&side[cols[i].side], src, err);
      /* a suffixed right column keeps the left column it clashes with */
      if (!st && cols[i].side && auk_schema_find(l, src) >= 0) st = add_name(&side[0], src, err);
      if (!st && cols[i].coalesce_with >= 0)
        st = add_name(&side[1], r->fields[cols[i].coalesce_with].name, err);
    }
  if (!st && (!(ls = reduced(l, &side[0], err)) || !(rs = reduced(r, &side[1], err))))
    st = err->code;
  if (!st) st = join_columns(n, ls, rs, &cols2, &ncols2, &out2, err);
  for (int i = 0; i < ncols && !st && ok; i++) {
    if (!has(needed, out->fields[i].name)) continue;
    int j = auk_schema_find(out2, out->fields[i].name);
    ok = j >= 0 && cols2[j].side == cols[i].side &&
         !strcmp(source_name(&cols2[j], ls, rs), source_name(&cols[i], l, r));
  }
  if (cols2) free_join_cols(n, cols2, ls, rs);
  if (cols) free_join_cols(n, cols, l, r);
  auk_schema_release(out);
  auk_schema_release(out2);
  auk_schema_release(ls);
  auk_schema_release(rs);
  for (int s = 0; s < 2 && !st; s++) st = prune(n->inputs[s], ok ? &side[s] : NULL, err);
  expr_names_free(&side[0]);
  expr_names_free(&side[1]);
  return st;
}

/* needed == NULL: the parent needs every column. */
static auk_status prune(plan_node *n, const expr_names *needed, auk_error *err) {
  expr_names child = {0};
  int all = needed == NULL;
  auk_status st = AUK_OK;
  switch (n->kind) {
    case PLAN_PROJECT:
      if (needed) {
        /* a new array of the kept outputs (sizes must match for the budget) */
        int w = 0;
        auk_expr **kept =
            auk_mem_alloc(sizeof(auk_expr *) * (size_t)(n->nexprs ? n->nexprs : 1), err);
        if (!kept) return err->code;
        for (int i = 0; i < n->nexprs; i++) {
          if (has(needed, expr_output_name(n->exprs[i])) || (i == n->nexprs - 1 && w == 0))
            kept[w++] = n->exprs[i];
          else
            expr_release(n->exprs[i]);
        }
        auk_mem_free(n->exprs, sizeof(auk_expr *) * (size_t)(n->nexprs ? n->nexprs : 1));
        n->exprs = auk_mem_realloc(kept, sizeof(auk_expr *) * (size_t)(n->nexprs ? n->nexprs : 1),
                                   sizeof(auk_expr *) * (size_t)(w ? w : 1), err);
        if (!n->exprs) { /* realloc failure keeps kept */
          n->exprs = kept;
          n->nexprs = w;
          return err->code;
        }
        n->nexprs = w;
      }
      all = 0;
      for (int i = 0; i < n->nexprs && !st; i++)
        st = expr_collect_columns(n->exprs[i], &child, err);
      break;
    case PLAN_FILTER:
    case PLAN_SORT:
    case PLAN_SLICE:
      if (!all) {
        for (int i = 0; i < needed->n && !st; i++) st = add_name(&child, needed->names[i], err);
        if (n->pred && !st) st = expr_collect_columns(n->pred, &child, err);
        for (int i = 0; i < n->nexprs && !st; i++)
          st = expr_collect_columns(n->exprs[i], &child, err);
      }
      break;
    case PLAN_JOIN:
      if (all) break;
      expr_names_free(&child);
      return prune_join(n, needed, err);
    case PLAN_HCONCAT: all = 1; break;
    case PLAN_WINDOW: /* what is needed above (but its own column), and its keys */
      if (!all) {
        for (int i = 0; i < needed->n && !st; i++)
          if (strcmp(needed->names[i], n->suffix)) st = add_name(&child, needed->names[i], err);
        if (n->pred && !st) st = expr_collect_columns(n->pred, &child, err);
        for (int i = 0; i < n->nexprs && !st; i++)
          st = expr_collect_columns(n->exprs[i], &child, err);
        for (int i = 0; i < n->naggs && !st; i++)
          st = expr_collect_columns(n->aggs[i], &child, err);
      }
      break;
    case PLAN_AGGREGATE:
      /* the keys and the arguments of the aggregates */
      all = 0;
      for (int i = 0; i < n->nexprs && !st; i++)
        st = expr_collect_columns(n->exprs[i], &child, err);
      for (int i = 0; i < n->naggs && !st; i++) st = expr_collect_columns(n->aggs[i], &child, err);
      break;
    case PLAN_UNIQUE:
      /* without a subset every column decides what is a duplicate */
      if (!all && n->nexprs) {
        for (int i = 0; i < needed->n && !st; i++) st = add_name(&child, needed->names[i], err);
        for (int i = 0; i < n->nexprs && !st; i++)
          st = expr_collect_columns(n->exprs[i], &child, err);
      } else {
        all = 1;
      }
      break;
    case PLAN_CONCAT:
      for (int i = 0; i < n->ninputs && !st; i++) st = prune(n->inputs[i], needed, err);
      expr_names_free(&child);
      return st;
    case PLAN_SCAN: {
      if (all) return AUK_OK;
      for (int i = 0; i < needed->n && !st; i++) st = add_name(&child, needed->names[i], err);
      if (n->pred && !st) st = expr_collect_columns(n->pred, &child, err);
      if (st) break;
      const auk_schema *s = n->src->schema;
      int k = 0;
      int *proj = auk_mem_alloc(sizeof(int) * (size_t)(s->nfields ? s->nfields : 1), err);
      if (!proj) {
        st = err->code;
        break;
      }
      for (int i = 0; i < s->nfields; i++)
        if (has(&child, s->fields[i].name)) proj[k++] = i;
      if (k == 0 && s->nfields) proj[k++] = 0; /* keep the row count */
      if (n->proj) auk_mem_free(n->proj, sizeof(int) * (size_t)(n->nproj > 0 ? n->nproj : 1));
      if (k == s->nfields) {
        auk_mem_free(proj, sizeof(int) * (size_t)(s->nfields ? s->nfields : 1));
        n->proj = NULL;
        n->nproj = -1;
      } else {
        int *p = auk_mem_realloc(proj, sizeof(int) * (size_t)(s->nfields ? s->nfields : 1),
                                 sizeof(int) * (size_t)(k ? k : 1), err);
        if (!p) {
          auk_mem_free(proj, sizeof(int) * (size_t)(s->nfields ? s->nfields : 1));
          st = err->code;
          break;
        }
        n->proj = p;
        n->nproj = k;
      }
      break;
    }
  }
  for (int i = 0; i < n->ninputs && !st && n->kind != PLAN_CONCAT; i++)
    st = prune(n->inputs[i], all ? NULL : &child, err);
  expr_names_free(&child);
  return st;
}

auk_status opt_push_projections(plan_node *n, auk_error *err) {
  return prune(n, NULL, err);
}
