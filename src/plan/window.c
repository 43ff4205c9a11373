/* window.c - the window node: a column computed within partitions of the
 * rows in an order of their own (ranks, and aggregates over the partition
 * or running up to each row), added to the input's columns (rows keep their
 * input order). */
#include "core/alloc.h"
#include "core/error.h"
#include "plan/plan.h"

#include <string.h>

auk_type_id window_result_type(int fn, auk_type_id arg) {
  int integer = arg >= AUK_TYPE_BOOL && arg <= AUK_TYPE_UINT64;
  int numeric = integer || arg == AUK_TYPE_FLOAT32 || arg == AUK_TYPE_FLOAT64 ||
                arg == AUK_TYPE_NULL || auk_type_is_decimal(arg);
  /* decimals: the executor's i64 path over the unscaled values (a sum in
   * DECIMAL(18, s), min and max in the argument's type) */
  if (auk_type_is_decimal(arg) && (fn == AUK_WIN_MIN || fn == AUK_WIN_MAX)) return arg;
  if (auk_type_is_decimal(arg) && fn == AUK_WIN_SUM) return AUK_DECIMAL(18, auk_decimal_scale(arg));
  switch (fn) {
    case AUK_WIN_SUM:
    case AUK_WIN_MIN:
    case AUK_WIN_MAX:
      return !numeric ? AUK_TYPE_COUNT_ : integer ? AUK_TYPE_INT64 : AUK_TYPE_FLOAT64;
    case AUK_WIN_MEAN: return numeric ? AUK_TYPE_FLOAT64 : AUK_TYPE_COUNT_;
    case AUK_WIN_LAG:
    case AUK_WIN_LEAD:
    case AUK_WIN_FIRST_VALUE:
    case AUK_WIN_LAST_VALUE: return arg == AUK_TYPE_NULL ? AUK_TYPE_INT64 : arg; /* any type */
    default: return AUK_TYPE_INT64; /* ranks, count, len */
  }
}

auk_status plan_window(plan_node *in, const char *name, int fn, auk_expr *arg, int npart,
                       auk_expr **part, int norder, auk_expr **order, const int *desc,
                       const int *nulls_last, plan_node **out, auk_error *err) {
  *out = NULL;
  plan_node *n = auk_mem_calloc(sizeof *n, err);
  auk_expr **p = n ? auk_mem_calloc(sizeof *p * (size_t)(npart ? npart : 1), err) : NULL;
  auk_expr **o = p ? auk_mem_calloc(sizeof *o * (size_t)(norder ? norder : 1), err) : NULL;
  /* desc/nulls_last: exactly norder flags (plan_release frees that many) */
  int *d = o && norder ? auk_mem_calloc(sizeof *d * (size_t)norder, err) : NULL;
  int *nl = d ? auk_mem_calloc(sizeof *nl * (size_t)norder, err) : NULL;
  plan_node **ins = o && (!norder || nl) ? auk_mem_calloc(sizeof *ins, err) : NULL;
  char *nm = ins ? auk_str_dup(name, err) : NULL;
  if (!nm) {
    if (ins) auk_mem_free(ins, sizeof *ins);
    if (nl) auk_mem_free(nl, sizeof *nl * (size_t)norder);
    if (d) auk_mem_free(d, sizeof *d * (size_t)norder);
    if (o) auk_mem_free(o, sizeof *o * (size_t)(norder ? norder : 1));
    if (p) auk_mem_free(p, sizeof *p * (size_t)(npart ? npart : 1));
    if (n) auk_mem_free(n, sizeof *n);
    plan_free_exprs(npart, part);
    plan_free_exprs(norder, order);
    expr_release(arg);
    plan_release(in);
    return err->code;
  }
  n->refs = 1;
  n->kind = PLAN_WINDOW;
  n->limit = -1;
  n->nproj = -1;
  n->length = -1;
  n->ninputs = 1;
  n->inputs = ins;
  ins[0] = in;
  for (int i = 0; i < npart; i++) p[i] = part[i];
  for (int i = 0; i < norder; i++) {
    o[i] = order[i];
    d[i] = desc ? desc[i] != 0 : 0;
    nl[i] = nulls_last ? nulls_last[i] != 0 : 0;
  }
  n->aggs = p;
  n->naggs = npart;
  n->exprs = o;
  n->nexprs = norder;
  n->desc = d;
  n->nulls_last = nl;
  n->keep = fn;
  n->pred = arg;
  n->suffix = nm;
  if (resolve_window(n, err)) {
    plan_release(n);
    return err->code;
  }
  *out = n;
  return AUK_OK;
}

auk_status resolve_window(plan_node *n, auk_error *err) {
  const auk_schema *in = n->inputs[0]->schema;
  for (int i = 0; i < n->naggs + n->nexprs; i++) {
    const auk_expr *e = i < n->naggs ? n->aggs[i] : n->exprs[i - n->naggs];
    bexpr *b;
    if (expr_bind(e, in, &b, NULL, err)) return err->code;
    bexpr_free(b);
  }
  auk_type_id rt = AUK_TYPE_INT64;
  if (n->pred) {
    bexpr *b;
    auk_field f;
    if (expr_bind(n->pred, in, &b, &f, err)) return err->code;
    bexpr_free(b);
    rt = window_result_type(n->keep, f.type);
    if (rt == AUK_TYPE_COUNT_) {
      char text[300];
      expr_to_string(n->pred, text, sizeof text);
      return auk_error_set(err, AUK_ERR_TYPE, "window: the argument `%s` is %s, not a number", text,
                           auk_type_name(f.type));
    }
  }
  if (auk_schema_find(in, n->suffix) >= 0)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "window: a column '%s' exists already",
                         n->suffix);
  auk_schema *s = auk_schema_new(in->nfields + 1, err);
  if (!s) return err->code;
  for (int i = 0; i < in->nfields; i++)
    if (auk_schema_set(s, i, in->fields[i].name, in->fields[i].type, err)) goto fail;
  for (int i = 0; i < in->nfields; i++)
    if (in->fields[i].timezone &&
        !(s->fields[i].timezone = auk_str_dup(in->fields[i].timezone, err)))
      goto fail;
  if (auk_schema_set(s, in->nfields, n->suffix, rt, err)) goto fail;
  if (n->pred && n->keep >= AUK_WIN_LAG && rt == AUK_TYPE_DATETIME) { /* keep the zone */
    bexpr *b;
    auk_field f;
    if (expr_bind(n->pred, in, &b, &f, err)) goto fail;
    auk_status zs = f.timezone && !(s->fields[in->nfields].timezone = auk_str_dup(f.timezone, err))
                        ? err->code
                        : AUK_OK;
    bexpr_free(b);
    if (zs) goto fail;
  }
  auk_schema_release(n->schema);
  n->schema = s;
  return AUK_OK;
fail:
  auk_schema_release(s);
  return err->code;
}
