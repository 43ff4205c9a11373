/* join.c - the join node: key checks and the output columns (left's, then
 * right's non-key columns with a suffix where a name is taken). */
#include "core/decimal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/types.h"
#include "plan/plan.h"

#include <stdio.h>
#include <string.h>

static int key_index(const auk_expr *e, const auk_schema *s) {
  return e->kind == EXPR_COL ? auk_schema_find(s, e->name) : -1;
}

auk_status join_columns(const plan_node *n, const auk_schema *l, const auk_schema *r,
                        join_col **cols, int *ncols, auk_schema **schema, auk_error *err) {
  int how = n->keep, semi = how == AUK_JOIN_SEMI || how == AUK_JOIN_ANTI;
  int total = l->nfields + (semi ? 0 : r->nfields);
  join_col *c = auk_mem_calloc(sizeof(join_col) * (size_t)(total + 1), err);
  char(*names)[256] = c ? auk_mem_calloc(256 * (size_t)(total + 1), err) : NULL;
  if (!names) {
    if (c) auk_mem_free(c, sizeof(join_col) * (size_t)(total + 1));
    return err->code;
  }
  int k = 0;
  const char *suffix = n->suffix ? n->suffix : "_right";
  for (int i = 0; i < l->nfields; i++, k++) {
    c[k].side = 0;
    c[k].index = i;
    c[k].coalesce_with = -1;
    if (how == AUK_JOIN_RIGHT || how == AUK_JOIN_FULL)
      for (int j = 0; j < n->nexprs; j++)
        if (key_index(n->exprs[j], l) == i) c[k].coalesce_with = key_index(n->aggs[j], r);
    snprintf(names[k], 256, "%s", l->fields[i].name);
  }
  for (int i = 0; !semi && i < r->nfields; i++) {
    int is_key = 0;
    for (int j = 0; j < n->naggs; j++) is_key |= key_index(n->aggs[j], r) == i;
    if (is_key) continue;
    snprintf(names[k], 256, "%s", r->fields[i].name);
    for (int taken = 1, tries = 0; taken && tries < 8; tries++) {
      taken = 0;
      for (int j = 0; j < k; j++) taken |= !strcmp(names[j], names[k]);
      if (taken) snprintf(names[k] + strlen(names[k]), 256 - strlen(names[k]), "%s", suffix);
    }
    c[k].side = 1;
    c[k].index = i;
    c[k].coalesce_with = -1;
    k++;
  }
  auk_schema *s = auk_schema_new(k, err);
  auk_status st = s ? AUK_OK : err->code;
  for (int i = 0; !st && i < k; i++) {
    const auk_field *f = c[i].side ? &r->fields[c[i].index] : &l->fields[c[i].index];
    st = auk_schema_set(s, i, names[i], f->type, err);
    if (!st && f->timezone && !(s->fields[i].timezone = auk_str_dup(f->timezone, err)))
      st = err->code;
  }
  auk_mem_free(names, 256 * (size_t)(total + 1));
  if (st) {
    auk_schema_release(s);
    auk_mem_free(c, sizeof(join_col) * (size_t)(total + 1));
    return st;
  }
  *cols = c;
  *ncols = k;
  *schema = s;
  return AUK_OK;
}

/* The type both keys are compared in, or AUK_TYPE_COUNT_. */
auk_type_id join_key_type(auk_type_id a, auk_type_id b) {
  if (a == b) return a;
  if (auk_type_is_decimal(a) || auk_type_is_decimal(b)) return auk_decimal_common(a, b);
  int ia = auk_type_is_integer(a), ib = auk_type_is_integer(b);
  if (ia && ib) return AUK_TYPE_INT64;
  if ((ia || auk_type_is_float(a)) && (ib || auk_type_is_float(b))) return AUK_TYPE_FLOAT64;
  if (auk_type_is_temporal(a) && auk_type_is_temporal(b)) return AUK_TYPE_DATETIME;
  return AUK_TYPE_COUNT_;
}
