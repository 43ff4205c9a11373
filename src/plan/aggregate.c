/* aggregate.c - the aggregate node: checking the keys and the output
 * expressions, and splitting them into primitive aggregates (one function
 * over expressions of the input rows) and a projection over their results,
 * so that `max(v1) - min(v2)` runs as two primitives and a subtraction. */
#include "core/alloc.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/types.h"
#include "plan/plan.h"

#include <stdio.h>
#include <string.h>

auk_type_id agg_result_type(expr_fn fn, auk_type_id in) {
  switch (fn) {
    case FN_SUM:
      /* DuckDB widens to DECIMAL(38, s); 64 bits keep 18 digits and an
       * overflow is an error */
      if (auk_type_is_decimal(in)) return AUK_DECIMAL(18, auk_decimal_scale(in));
      if (in == AUK_TYPE_BOOL || auk_type_is_integer(in) || in == AUK_TYPE_NULL)
        return AUK_TYPE_INT64;
      return AUK_TYPE_FLOAT64;
    case FN_MIN:
    case FN_MAX:
    case FN_FIRST:
    case FN_LAST: return in;
    case FN_COUNT:
    case FN_LEN:
    case FN_N_UNIQUE:
    case FN_ARG_MIN:
    case FN_ARG_MAX: return AUK_TYPE_INT64;
    case FN_ANY:
    case FN_ALL: return AUK_TYPE_BOOL;
    case FN_STRING_AGG: return AUK_TYPE_STRING;
    default: return AUK_TYPE_FLOAT64; /* mean, median, quantile, std, var, corr, cov */
  }
}

void agg_split_free(agg_split *s) {
  for (int i = 0; i < s->nprims; i++)
    for (int k = 0; k < s->prims[i].nargs; k++) expr_release(s->prims[i].args[k]);
  if (s->prims) auk_mem_free(s->prims, sizeof(agg_prim) * (size_t)(s->cap_prims + 1));
  for (int i = 0; i < s->npost; i++) expr_release(s->post[i]);
  if (s->post) auk_mem_free(s->post, sizeof(auk_expr *) * (size_t)(s->npost + 1));
  memset(s, 0, sizeof *s);
}

static int count_aggs(const auk_expr *e) {
  if (e->kind == EXPR_CALL && expr_fn_is_agg(e->fn)) return 1;
  int n = 0;
  for (int i = 0; i < e->nargs; i++) n += count_aggs(e->args[i]);
  return n;
}

static int literal_number(const auk_expr *e, double *v) {
  if (e->kind != EXPR_LIT || e->lit.is_null) return 0;
  if (e->lit.type == AUK_TYPE_FLOAT64 || e->lit.type == AUK_TYPE_FLOAT32)
    *v = e->lit.f;
  else if (auk_type_is_integer(e->lit.type))
    *v = (double)e->lit.i;
  else if (auk_type_is_decimal(e->lit.type)) /* SQL's 0.25 */
    *v = auk_decimal_to_double(e->lit.i, auk_decimal_scale(e->lit.type));
  else
    return 0;
  return 1;
}

/* Returns e with its aggregate calls replaced by col("__aggN"), adding the
 * primitives to s. */
static auk_expr *rewrite(const auk_expr *e, agg_split *s, auk_error *err, int *failed) {
  if (e->kind == EXPR_CALL && expr_fn_is_agg(e->fn)) {
    agg_prim *p = &s->prims[s->nprims];
    memset(p, 0, sizeof *p);
    p->fn = e->fn;
    int nargs = e->nargs;
    if (e->fn == FN_QUANTILE || ((e->fn == FN_STD || e->fn == FN_VAR) && nargs == 2)) {
      if (!literal_number(e->args[1], &p->param) ||
          (e->fn == FN_QUANTILE && (p->param < 0 || p->param > 1))) {
        *failed = 1;
        auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "%s: the second argument must be a %s",
                      expr_fn_name(e->fn),
                      e->fn == FN_QUANTILE ? "number between 0 and 1" : "number (ddof)");
        return NULL;
      }
      nargs = 1;
    } else if (e->fn == FN_STRING_AGG && (e->args[1]->kind != EXPR_LIT || e->args[1]->lit.is_null ||
                                          e->args[1]->lit.type != AUK_TYPE_STRING)) {
      *failed = 1;
      auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                    "string_agg: the separator must be a text literal");
      return NULL;
    } else if (e->fn == FN_STD || e->fn == FN_VAR) {
      p->param = 1; /* sample statistics, as Polars and SQL */
    }
    for (int k = 0; k < nargs; k++) {
      if (expr_has_agg(e->args[k])) {
        *failed = 1;
        auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "an aggregate inside the aggregate %s",
                      expr_fn_name(e->fn));
        return NULL;
      }
      p->args[k] = expr_retain(e->args[k]);
    }
    p->nargs = nargs;
    char name[32];
    snprintf(name, sizeof name, "__agg%d", s->nprims++);
    return expr_new_col(name);
  }
  if (!e->nargs) return expr_retain((auk_expr *)e);
  auk_expr *args[64];
  if (e->nargs > 64) {
    *failed = 1;
    auk_error_set(err, AUK_ERR_UNSUPPORTED, "expression with more than 64 arguments");
    return NULL;
  }
  for (int i = 0; i < e->nargs; i++) {
    args[i] = rewrite(e->args[i], s, err, failed);
    if (*failed) {
      for (int j = 0; j < i; j++) expr_release(args[j]);
      return NULL;
    }
  }
  auk_expr *c;
  if (e->kind == EXPR_CALL) {
    c = expr_new_call(e->fn, e->nargs, args);
  } else if (e->kind == EXPR_ALIAS) {
    c = expr_new_alias(args[0], e->name);
  } else if (e->kind == EXPR_CAST) {
    c = expr_new_cast(args[0], e->cast_type, e->strict);
  } else {
    for (int i = 0; i < e->nargs; i++) expr_release(args[i]);
    c = expr_retain((auk_expr *)e);
  }
  return c;
}

auk_status agg_split_build(const plan_node *n, agg_split *s, auk_error *err) {
  memset(s, 0, sizeof *s);
  int total = 0;
  for (int i = 0; i < n->naggs; i++) total += count_aggs(n->aggs[i]);
  s->prims = auk_mem_calloc(sizeof(agg_prim) * (size_t)(total + 1), err);
  s->cap_prims = total;
  s->post = s->prims ? auk_mem_calloc(sizeof(auk_expr *) * (size_t)(n->naggs + 1), err) : NULL;
  if (!s->post) {
    if (s->prims) auk_mem_free(s->prims, sizeof(agg_prim) * (size_t)(total + 1));
    s->prims = NULL;
    return err->code;
  }
  s->npost = n->naggs;
  int failed = 0;
  for (int i = 0; i < n->naggs && !failed; i++) {
    const auk_expr *e = n->aggs[i];
    if (!expr_has_agg(e)) {
      char text[400];
      expr_to_string(e, text, sizeof text);
      failed = 1;
      auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                    "`%s` in agg is not an aggregate (use sum, mean, first, ...)", text);
      break;
    }
    auk_expr *r = rewrite(e, s, err, &failed);
    if (failed) break;
    s->post[i] = expr_new_alias(r, expr_output_name(e));
  }
  if (failed) {
    agg_split_free(s);
    return err->code;
  }
  return AUK_OK;
}

auk_status agg_inner_schema(const plan_node *n, const agg_split *s, const auk_schema *input,
                            auk_schema **out, auk_error *err) {
  auk_schema *r = auk_schema_new(n->nexprs + s->nprims, err);
  if (!r) return err->code;
  for (int i = 0; i < n->nexprs; i++) {
    bexpr *b;
    auk_field f;
    if (expr_has_agg(n->exprs[i])) {
      auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "a group_by key cannot be an aggregate");
      goto fail;
    }
    if (expr_bind(n->exprs[i], input, &b, &f, err)) goto fail;
    auk_status st = auk_schema_set(r, i, f.name, f.type, err);
    if (!st && f.timezone && !(r->fields[i].timezone = auk_str_dup(f.timezone, err)))
      st = err->code;
    bexpr_free(b);
    if (st) goto fail;
    for (int j = 0; j < i; j++)
      if (!strcmp(r->fields[j].name, f.name)) {
        auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "duplicate group_by key '%s'", f.name);
        goto fail;
      }
  }
  for (int i = 0; i < s->nprims; i++) {
    const agg_prim *p = &s->prims[i];
    auk_type_id t = AUK_TYPE_NULL;
    char *tz = NULL;
    for (int k = 0; k < p->nargs; k++) {
      bexpr *b;
      auk_field f;
      if (expr_bind(p->args[k], input, &b, &f, err)) goto fail;
      if (k == 0) t = f.type;
      if (k == 0 && f.timezone) tz = auk_str_dup(f.timezone, err);
      bexpr_free(b);
      int numeric = auk_type_is_numeric(f.type) || auk_type_is_decimal(f.type) ||
                    f.type == AUK_TYPE_BOOL || f.type == AUK_TYPE_NULL;
      int needs_number = p->fn == FN_SUM || p->fn == FN_MEAN || p->fn == FN_MEDIAN ||
                         p->fn == FN_QUANTILE || p->fn == FN_STD || p->fn == FN_VAR ||
                         p->fn == FN_CORR || p->fn == FN_COV;
      if (needs_number && !numeric) {
        char text[400];
        expr_to_string(p->args[k], text, sizeof text);
        auk_str_free(tz);
        auk_error_set(err, AUK_ERR_TYPE, "%s needs a numeric argument, not %s (`%s`)",
                      expr_fn_name(p->fn), auk_type_name(f.type), text);
        goto fail;
      }
      if ((p->fn == FN_ANY || p->fn == FN_ALL) && f.type != AUK_TYPE_BOOL &&
          f.type != AUK_TYPE_NULL) {
        auk_str_free(tz);
        auk_error_set(err, AUK_ERR_TYPE, "%s needs a boolean argument, not %s", expr_fn_name(p->fn),
                      auk_type_name(f.type));
        goto fail;
      }
    }
    char name[32];
    snprintf(name, sizeof name, "__agg%d", i);
    auk_type_id rt = agg_result_type(p->fn, t);
    auk_status st = auk_schema_set(r, n->nexprs + i, name, rt, err);
    if (!st && tz && rt == AUK_TYPE_DATETIME)
      r->fields[n->nexprs + i].timezone = tz;
    else
      auk_str_free(tz);
    if (st) goto fail;
  }
  *out = r;
  return AUK_OK;
fail:
  auk_schema_release(r);
  return err->code;
}
