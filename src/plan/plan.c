/* plan.c - logical plan nodes: construction with name and type checks,
 * output schemas, copies, and the scan sources. */
#include "plan/plan.h"

#include "core/alloc.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- sources */

static char **dup_strings(const char *const *s, int n, auk_error *err) {
  if (!s || n <= 0) return NULL;
  char **d = auk_mem_calloc(sizeof(char *) * (size_t)n, err);
  if (!d) return NULL;
  for (int i = 0; i < n; i++)
    if (!(d[i] = auk_str_dup(s[i], err))) {
      for (int j = 0; j < i; j++) auk_str_free(d[j]);
      auk_mem_free(d, sizeof(char *) * (size_t)n);
      return NULL;
    }
  return d;
}

static void free_strings(const char *const *s, int n) {
  if (!s) return;
  for (int i = 0; i < n; i++) auk_str_free((char *)s[i]);
  auk_mem_free((void *)s, sizeof(char *) * (size_t)n);
}

scan_source *scan_source_retain(scan_source *s) {
  if (s) atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
  return s;
}

void scan_source_release(scan_source *s) {
  if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1) return;
  auk_str_free(s->path);
  free_strings(s->opts.null_values, s->opts.num_null_values);
  free_strings(s->opts.columns, s->opts.num_columns);
  free_strings(s->opts.type_names, s->opts.num_types);
  if (s->opts.types)
    auk_mem_free((void *)s->opts.types, sizeof(auk_type_id) * (size_t)s->opts.num_types);
  auk_frame_free(s->frame);
  auk_schema_release(s->schema);
  auk_mem_free(s, sizeof *s);
}

auk_status scan_source_csv(const char *path, const auk_csv_read_options *opts, scan_source **out,
                           auk_error *err) {
  scan_source *s = auk_mem_calloc(sizeof *s, err);
  if (!s) return err->code;
  s->refs = 1;
  s->is_csv = 1;
  if (opts)
    s->opts = *opts;
  else
    auk_csv_read_options_init(&s->opts);
  const auk_csv_read_options *o = &s->opts;
  /* borrowed pointers become owned copies */
  s->opts.null_values = NULL;
  s->opts.columns = NULL;
  s->opts.type_names = NULL;
  s->opts.types = NULL;
  int ok = (s->path = auk_str_dup(path, err)) != NULL;
  if (ok && opts && opts->num_null_values > 0)
    ok = (s->opts.null_values = (const char *const *)dup_strings(
              opts->null_values, opts->num_null_values, err)) != NULL;
  if (ok && opts && opts->columns && opts->num_columns > 0)
    ok = (s->opts.columns =
              (const char *const *)dup_strings(opts->columns, opts->num_columns, err)) != NULL;
  if (ok && opts && opts->num_types > 0) {
    ok = (s->opts.type_names =
              (const char *const *)dup_strings(opts->type_names, opts->num_types, err)) != NULL;
    auk_type_id *t = ok ? auk_mem_alloc(sizeof(auk_type_id) * (size_t)opts->num_types, err) : NULL;
    if (t) memcpy(t, opts->types, sizeof(auk_type_id) * (size_t)opts->num_types);
    s->opts.types = t;
    ok = t != NULL;
  }
  if (!ok) {
    if (!s->opts.null_values) s->opts.num_null_values = 0;
    if (!s->opts.columns) s->opts.num_columns = 0;
    if (!s->opts.type_names) s->opts.num_types = 0;
    scan_source_release(s);
    return err->code;
  }
  /* The schema from a sample; the executor rebinds to what the full read
   * infers, which can only be wider. */
  auk_csv_read_options head = *o;
  int64_t sample = o->infer_rows > 0 ? o->infer_rows : 20000;
  if (head.max_rows < 0 || head.max_rows > sample) head.max_rows = sample;
  auk_frame *f;
  if (auk_read_csv(path, &head, &f, err)) {
    scan_source_release(s);
    return err->code;
  }
  s->schema = auk_schema_retain(f->schema);
  auk_frame_free(f);
  *out = s;
  return AUK_OK;
}

auk_status scan_source_parquet(const char *path, scan_source **out, auk_error *err) {
  scan_source *s = auk_mem_calloc(sizeof *s, err);
  if (!s) return err->code;
  s->refs = 1;
  s->is_parquet = 1;
  auk_csv_read_options_init(&s->opts);
  if (!(s->path = auk_str_dup(path, err))) {
    scan_source_release(s);
    return err->code;
  }
  /* the schema from the footer: a read of no rows */
  auk_parquet_read_options o;
  auk_parquet_read_options_init(&o);
  o.max_rows = 0;
  auk_frame *f;
  if (auk_read_parquet(path, &o, &f, err)) {
    scan_source_release(s);
    return err->code;
  }
  s->schema = auk_schema_retain(f->schema);
  auk_frame_free(f);
  *out = s;
  return AUK_OK;
}

auk_status frame_share(const auk_frame *f, auk_frame **out, auk_error *err) {
  return auk_frame_slice(f, 0, -1, out, err);
}

auk_status scan_source_frame(const auk_frame *f, scan_source **out, auk_error *err) {
  scan_source *s = auk_mem_calloc(sizeof *s, err);
  if (!s) return err->code;
  s->refs = 1;
  if (frame_share(f, &s->frame, err)) {
    auk_mem_free(s, sizeof *s);
    return err->code;
  }
  s->schema = auk_schema_retain(f->schema);
  *out = s;
  return AUK_OK;
}

/* ----------------------------------------------------------- wildcards */

static int has_wildcard(const auk_expr *e) {
  if (e->kind == EXPR_COL) return !strcmp(e->name, "*");
  for (int i = 0; i < e->nargs; i++)
    if (has_wildcard(e->args[i])) return 1;
  return 0;
}

typedef struct wild {
  auk_expr *col;
} wild;

static auk_expr *wild_lookup(void *ctx, const char *name) {
  return !strcmp(name, "*") ? ((wild *)ctx)->col : NULL;
}

/* The type filter of the first wildcard in e (AUK_TYPE_COUNT_: any). */
static auk_type_id wildcard_type(const auk_expr *e) {
  if (e->kind == EXPR_COL) return !strcmp(e->name, "*") ? e->cast_type : AUK_TYPE_NULL;
  for (int i = 0; i < e->nargs; i++)
    if (has_wildcard(e->args[i])) return wildcard_type(e->args[i]);
  return AUK_TYPE_COUNT_;
}

void plan_free_exprs(int n, auk_expr **exprs) {
  if (!exprs) return;
  for (int i = 0; i < n; i++) expr_release(exprs[i]);
  auk_mem_free(exprs, sizeof(auk_expr *) * (size_t)(n ? n : 1));
}

auk_status plan_expand_wildcards(const auk_schema *s, int n, auk_expr **exprs, int *nout,
                                 auk_expr ***out, auk_error *err) {
  int total = 0;
  for (int i = 0; i < n; i++) total += exprs[i] && has_wildcard(exprs[i]) ? s->nfields : 1;
  auk_expr **r = auk_mem_calloc(sizeof(auk_expr *) * (size_t)(total ? total : 1), err);
  if (!r) {
    for (int i = 0; i < n; i++) expr_release(exprs[i]);
    return err->code;
  }
  int k = 0;
  for (int i = 0; i < n; i++) {
    auk_expr *e = exprs[i];
    if (!e || !has_wildcard(e)) {
      r[k++] = e ? e : expr_new_error("expression %d is NULL", i + 1);
      continue;
    }
    auk_type_id t = wildcard_type(e);
    for (int f = 0; f < s->nfields; f++) {
      if (t != AUK_TYPE_COUNT_ && s->fields[f].type != t &&
          !(t == AUK_TYPE_DECIMAL && auk_type_is_decimal(s->fields[f].type)))
        continue;
      wild w = {expr_new_col(s->fields[f].name)};
      r[k++] = expr_substitute(e, wild_lookup, &w);
      expr_release(w.col);
    }
    expr_release(e);
  }
  *nout = k;
  *out = r;
  return AUK_OK;
}

/* --------------------------------------------------------------- nodes */

static plan_node *node_new(plan_kind kind, auk_error *err) {
  plan_node *n = auk_mem_calloc(sizeof *n, err);
  if (!n) return NULL;
  n->refs = 1;
  n->kind = kind;
  n->limit = -1;
  n->nproj = -1;
  n->length = -1;
  return n;
}

plan_node *plan_retain(plan_node *n) {
  if (n) atomic_fetch_add_explicit(&n->refs, 1, memory_order_relaxed);
  return n;
}

void plan_release(plan_node *n) {
  if (!n || atomic_fetch_sub_explicit(&n->refs, 1, memory_order_acq_rel) != 1) return;
  for (int i = 0; i < n->ninputs; i++) plan_release(n->inputs[i]);
  if (n->inputs) auk_mem_free(n->inputs, sizeof(plan_node *) * (size_t)n->ninputs);
  for (int i = 0; i < n->nexprs; i++) expr_release(n->exprs[i]);
  if (n->exprs) auk_mem_free(n->exprs, sizeof(auk_expr *) * (size_t)(n->nexprs ? n->nexprs : 1));
  for (int i = 0; i < n->naggs; i++) expr_release(n->aggs[i]);
  if (n->aggs) auk_mem_free(n->aggs, sizeof(auk_expr *) * (size_t)(n->naggs ? n->naggs : 1));
  if (n->desc) auk_mem_free(n->desc, sizeof(int) * (size_t)n->nexprs);
  if (n->nulls_last) auk_mem_free(n->nulls_last, sizeof(int) * (size_t)n->nexprs);
  if (n->proj) auk_mem_free(n->proj, sizeof(int) * (size_t)(n->nproj > 0 ? n->nproj : 1));
  expr_release(n->pred);
  scan_source_release(n->src);
  auk_schema_release(n->schema);
  auk_str_free(n->suffix);
  auk_mem_free(n, sizeof *n);
}

static auk_status set_inputs(plan_node *n, int k, plan_node **in, auk_error *err) {
  n->inputs = auk_mem_calloc(sizeof(plan_node *) * (size_t)k, err);
  if (!n->inputs) return err->code;
  n->ninputs = k;
  for (int i = 0; i < k; i++) n->inputs[i] = in[i];
  return AUK_OK;
}

/* Checks that e binds against s (names, types); field gets its output. */
static auk_status check_expr(const auk_expr *e, const auk_schema *s, auk_field *field,
                             auk_error *err) {
  bexpr *b;
  if (expr_bind(e, s, &b, field, err)) return err->code;
  bexpr_free(b);
  return AUK_OK;
}

static auk_status resolve_project(plan_node *n, auk_error *err) {
  const auk_schema *in = n->inputs[0]->schema;
  auk_schema *s = auk_schema_new(n->nexprs, err);
  if (!s) return err->code;
  for (int i = 0; i < n->nexprs; i++) {
    auk_field f;
    if (check_expr(n->exprs[i], in, &f, err)) goto fail;
    for (int j = 0; j < i; j++)
      if (!strcmp(s->fields[j].name, f.name)) {
        auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                      "duplicate output column name '%s' (give one an alias)", f.name);
        goto fail;
      }
    if (auk_schema_set(s, i, f.name, f.type, err)) goto fail;
    if (f.timezone && !(s->fields[i].timezone = auk_str_dup(f.timezone, err))) goto fail;
  }
  auk_schema_release(n->schema);
  n->schema = s;
  return AUK_OK;
fail:
  auk_schema_release(s);
  return err->code;
}

static auk_status resolve_scan(plan_node *n, auk_error *err) {
  const auk_schema *full = n->src->schema;
  if (n->nproj < 0) {
    auk_schema_release(n->schema);
    n->schema = auk_schema_retain((auk_schema *)full);
    return AUK_OK;
  }
  auk_schema *s = auk_schema_new(n->nproj, err);
  if (!s) return err->code;
  for (int i = 0; i < n->nproj; i++) {
    const auk_field *f = &full->fields[n->proj[i]];
    if (auk_schema_set(s, i, f->name, f->type, err) ||
        (f->timezone && !(s->fields[i].timezone = auk_str_dup(f->timezone, err)))) {
      auk_schema_release(s);
      return err->code;
    }
  }
  auk_schema_release(n->schema);
  n->schema = s;
  return AUK_OK;
}

static int schemas_equal(const auk_schema *a, const auk_schema *b) {
  if (a->nfields != b->nfields) return 0;
  for (int i = 0; i < a->nfields; i++)
    if (strcmp(a->fields[i].name, b->fields[i].name) || a->fields[i].type != b->fields[i].type)
      return 0;
  return 1;
}

static auk_status resolve_join(plan_node *n, auk_error *err) {
  const auk_schema *l = n->inputs[0]->schema, *r = n->inputs[1]->schema;
  if (n->keep == AUK_JOIN_CROSS && n->nexprs)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "cross join: takes no keys");
  if (n->nexprs < 1 && n->keep != AUK_JOIN_SEMI && n->keep != AUK_JOIN_CROSS)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "join needs at least one key");
  for (int i = 0; i < n->nexprs; i++) {
    const auk_expr *a = n->exprs[i], *b = n->aggs[i];
    const char *msg;
    if (expr_find_error(a, &msg) || expr_find_error(b, &msg))
      return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "%s", msg);
    int li = a->kind == EXPR_COL ? auk_schema_find(l, a->name) : -1;
    int ri = b->kind == EXPR_COL ? auk_schema_find(r, b->name) : -1;
    char hint[512];
    if (li < 0) {
      auk_schema_suggest(l, a->kind == EXPR_COL ? a->name : "", hint, sizeof hint);
      return auk_error_set(err, AUK_ERR_NOT_FOUND, "join: left key '%s' not found; %s",
                           a->kind == EXPR_COL ? a->name : "?", hint);
    }
    if (ri < 0) {
      auk_schema_suggest(r, b->kind == EXPR_COL ? b->name : "", hint, sizeof hint);
      return auk_error_set(err, AUK_ERR_NOT_FOUND, "join: right key '%s' not found; %s",
                           b->kind == EXPR_COL ? b->name : "?", hint);
    }
    if (join_key_type(l->fields[li].type, r->fields[ri].type) == AUK_TYPE_COUNT_)
      return auk_error_set(
          err, AUK_ERR_TYPE, "join: key '%s' is %s on the left and '%s' is %s on the right",
          a->name, auk_type_name(l->fields[li].type), b->name, auk_type_name(r->fields[ri].type));
  }
  join_col *cols;
  int ncols;
  auk_schema *s;
  if (join_columns(n, l, r, &cols, &ncols, &s, err)) return err->code;
  int total =
      l->nfields + ((n->keep == AUK_JOIN_SEMI || n->keep == AUK_JOIN_ANTI) ? 0 : r->nfields);
  auk_mem_free(cols, sizeof(join_col) * (size_t)(total + 1));
  auk_schema_release(n->schema);
  n->schema = s;
  return AUK_OK;
}

/* Side by side: every input's columns in order; a name twice is an error. */
static auk_status resolve_hconcat(plan_node *n, auk_error *err) {
  int total = 0;
  for (int i = 0; i < n->ninputs; i++) total += n->inputs[i]->schema->nfields;
  auk_schema *s = auk_schema_new(total, err);
  if (!s) return err->code;
  int k = 0;
  for (int i = 0; i < n->ninputs; i++) {
    const auk_schema *in = n->inputs[i]->schema;
    for (int c = 0; c < in->nfields; c++, k++) {
      const auk_field *f = &in->fields[c];
      for (int j = 0; j < k; j++)
        if (!strcmp(s->fields[j].name, f->name)) {
          auk_schema_release(s);
          return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                               "concat_horizontal: column '%s' is in both frames", f->name);
        }
      if (auk_schema_set(s, k, f->name, f->type, err) ||
          (f->timezone && !(s->fields[k].timezone = auk_str_dup(f->timezone, err)))) {
        auk_schema_release(s);
        return err->code;
      }
    }
  }
  auk_schema_release(n->schema);
  n->schema = s;
  return AUK_OK;
}

/* Output: the keys, then the agg expressions evaluated over the
 * primitives' results. */
static auk_status resolve_aggregate(plan_node *n, auk_error *err) {
  agg_split sp;
  auk_schema *inner = NULL, *s = NULL;
  if (agg_split_build(n, &sp, err)) return err->code;
  auk_status st = agg_inner_schema(n, &sp, n->inputs[0]->schema, &inner, err);
  if (!st && !(s = auk_schema_new(n->nexprs + sp.npost, err))) st = err->code;
  for (int i = 0; !st && i < n->nexprs; i++) {
    const auk_field *f = &inner->fields[i];
    st = auk_schema_set(s, i, f->name, f->type, err);
    if (!st && f->timezone && !(s->fields[i].timezone = auk_str_dup(f->timezone, err)))
      st = err->code;
  }
  for (int i = 0; !st && i < sp.npost; i++) {
    bexpr *b;
    auk_field f;
    if ((st = expr_bind(sp.post[i], inner, &b, &f, err))) break;
    for (int j = 0; j < n->nexprs + i && !st; j++)
      if (!strcmp(s->fields[j].name, f.name))
        st = auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                           "duplicate output column name '%s' (give one an alias)", f.name);
    if (!st) st = auk_schema_set(s, n->nexprs + i, f.name, f.type, err);
    if (!st && f.timezone && !(s->fields[n->nexprs + i].timezone = auk_str_dup(f.timezone, err)))
      st = err->code;
    bexpr_free(b);
  }
  agg_split_free(&sp);
  auk_schema_release(inner);
  if (st) {
    auk_schema_release(s);
    return st;
  }
  auk_schema_release(n->schema);
  n->schema = s;
  return AUK_OK;
}

auk_status plan_resolve(plan_node *n, auk_error *err) {
  switch (n->kind) {
    case PLAN_SCAN:
      if (resolve_scan(n, err)) return err->code;
      if (n->pred) {
        auk_field f;
        return check_expr(n->pred, n->src->schema, &f, err);
      }
      return AUK_OK;
    case PLAN_PROJECT: return resolve_project(n, err);
    case PLAN_FILTER: {
      auk_field f;
      if (check_expr(n->pred, n->inputs[0]->schema, &f, err)) return err->code;
      if (f.type != AUK_TYPE_BOOL && f.type != AUK_TYPE_NULL) {
        char text[400];
        expr_to_string(n->pred, text, sizeof text);
        return auk_error_set(err, AUK_ERR_TYPE, "filter predicate `%s` is %s, not bool", text,
                             auk_type_name(f.type));
      }
      break;
    }
    case PLAN_SORT:
      for (int i = 0; i < n->nexprs; i++) {
        auk_field f;
        if (check_expr(n->exprs[i], n->inputs[0]->schema, &f, err)) return err->code;
      }
      break;
    case PLAN_CONCAT:
      for (int i = 1; i < n->ninputs; i++)
        if (!schemas_equal(n->inputs[0]->schema, n->inputs[i]->schema))
          return auk_error_set(err, AUK_ERR_TYPE,
                               "concat: the frames have different column names or types");
      break;
    case PLAN_UNIQUE:
      for (int i = 0; i < n->nexprs; i++) {
        auk_field f;
        if (check_expr(n->exprs[i], n->inputs[0]->schema, &f, err)) return err->code;
        if (n->exprs[i]->kind != EXPR_COL)
          return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "unique: the subset must be columns");
      }
      break;
    case PLAN_AGGREGATE: return resolve_aggregate(n, err);
    case PLAN_JOIN: return resolve_join(n, err);
    case PLAN_WINDOW: return resolve_window(n, err);
    case PLAN_HCONCAT: return resolve_hconcat(n, err);
    case PLAN_SLICE: break;
  }
  auk_schema_release(n->schema);
  n->schema = auk_schema_retain(n->inputs[0]->schema);
  return AUK_OK;
}

static auk_status finish(plan_node *n, plan_node **out, auk_error *err) {
  if (plan_resolve(n, err)) {
    plan_release(n);
    *out = NULL;
    return err->code;
  }
  *out = n;
  return AUK_OK;
}

auk_status plan_scan(scan_source *src, plan_node **out, auk_error *err) {
  plan_node *n = node_new(PLAN_SCAN, err);
  if (!n) {
    scan_source_release(src);
    return err->code;
  }
  n->src = src;
  return finish(n, out, err);
}

static void release_exprs(int k, auk_expr **e) {
  for (int i = 0; i < k; i++) expr_release(e[i]);
}

static auk_status take_exprs(plan_node *n, int k, auk_expr **e, auk_error *err) {
  n->exprs = auk_mem_calloc(sizeof(auk_expr *) * (size_t)(k ? k : 1), err);
  if (!n->exprs) {
    release_exprs(k, e);
    return err->code;
  }
  for (int i = 0; i < k; i++)
    n->exprs[i] = e[i] ? e[i] : expr_new_error("expression %d is NULL", i + 1);
  n->nexprs = k;
  return AUK_OK;
}

auk_status plan_project(plan_node *in, int k, auk_expr **exprs, int with_columns, plan_node **out,
                        auk_error *err) {
  plan_node *n = node_new(PLAN_PROJECT, err);
  if (!n || set_inputs(n, 1, &in, err)) {
    release_exprs(k, exprs);
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(in);
    return err->code;
  }
  if (take_exprs(n, k, exprs, err)) {
    plan_release(n);
    return err->code;
  }
  n->with_columns = with_columns;
  return finish(n, out, err);
}

auk_status plan_filter(plan_node *in, auk_expr *pred, plan_node **out, auk_error *err) {
  plan_node *n = node_new(PLAN_FILTER, err);
  if (!n || set_inputs(n, 1, &in, err)) {
    expr_release(pred);
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(in);
    return err->code;
  }
  n->pred = pred ? pred : expr_new_error("filter predicate is NULL");
  return finish(n, out, err);
}

auk_status plan_sort(plan_node *in, int k, auk_expr **keys, const int *desc, const int *nulls_last,
                     plan_node **out, auk_error *err) {
  plan_node *n = node_new(PLAN_SORT, err);
  if (!n || set_inputs(n, 1, &in, err)) {
    release_exprs(k, keys);
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(in);
    return err->code;
  }
  if (take_exprs(n, k, keys, err)) {
    plan_release(n);
    return err->code;
  }
  n->desc = auk_mem_calloc(sizeof(int) * (size_t)(k ? k : 1), err);
  n->nulls_last = auk_mem_calloc(sizeof(int) * (size_t)(k ? k : 1), err);
  if (!n->desc || !n->nulls_last) {
    plan_release(n);
    return err->code;
  }
  for (int i = 0; i < k; i++) {
    n->desc[i] = desc ? desc[i] != 0 : 0;
    n->nulls_last[i] = nulls_last ? nulls_last[i] != 0 : 0;
  }
  if (k == 0) {
    plan_release(n);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "sort needs at least one key");
  }
  return finish(n, out, err);
}

auk_status plan_slice(plan_node *in, int64_t offset, int64_t length, plan_node **out,
                      auk_error *err) {
  plan_node *n = node_new(PLAN_SLICE, err);
  if (!n || set_inputs(n, 1, &in, err)) {
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(in);
    return err->code;
  }
  n->offset = offset;
  n->length = length < 0 ? -1 : length;
  return finish(n, out, err);
}

auk_status plan_concat(plan_node *a, plan_node *b, plan_node **out, auk_error *err) {
  /* Concatenations of concatenations are flattened into one node, so a
   * long chain (UNION ALL of many queries, VALUES of many rows) stays one
   * level deep for the optimizer and the executor. */
  int na = a->kind == PLAN_CONCAT ? a->ninputs : 1, nb = b->kind == PLAN_CONCAT ? b->ninputs : 1;
  plan_node *n = node_new(PLAN_CONCAT, err);
  plan_node **in = n ? auk_mem_alloc(sizeof *in * (size_t)(na + nb), err) : NULL;
  if (!in) {
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(a);
    plan_release(b);
    return err->code;
  }
  for (int i = 0; i < na; i++) in[i] = a->kind == PLAN_CONCAT ? plan_retain(a->inputs[i]) : a;
  for (int i = 0; i < nb; i++) in[na + i] = b->kind == PLAN_CONCAT ? plan_retain(b->inputs[i]) : b;
  if (a->kind == PLAN_CONCAT) plan_release(a);
  if (b->kind == PLAN_CONCAT) plan_release(b);
  auk_status st = set_inputs(n, na + nb, in, err);
  if (st) {
    for (int i = 0; i < na + nb; i++) plan_release(in[i]);
    auk_mem_free(n, sizeof *n);
  }
  auk_mem_free(in, sizeof *in * (size_t)(na + nb));
  if (st) return st;
  return finish(n, out, err);
}

auk_status plan_hconcat(plan_node *a, plan_node *b, plan_node **out, auk_error *err) {
  plan_node *n = node_new(PLAN_HCONCAT, err);
  plan_node *in[2] = {a, b};
  if (!n || set_inputs(n, 2, in, err)) {
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(a);
    plan_release(b);
    return err->code;
  }
  return finish(n, out, err);
}

auk_status plan_unique(plan_node *in, int k, auk_expr **subset, int keep, plan_node **out,
                       auk_error *err) {
  plan_node *n = node_new(PLAN_UNIQUE, err);
  if (!n || set_inputs(n, 1, &in, err)) {
    release_exprs(k, subset);
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(in);
    return err->code;
  }
  if (k > 0 && take_exprs(n, k, subset, err)) {
    plan_release(n);
    return err->code;
  }
  n->keep = keep;
  return finish(n, out, err);
}

auk_status plan_join(plan_node *left, plan_node *right, int nkeys, auk_expr **left_on,
                     auk_expr **right_on, int how, const char *suffix, plan_node **out,
                     auk_error *err) {
  plan_node *n = node_new(PLAN_JOIN, err);
  plan_node *in[2] = {left, right};
  if (!n || set_inputs(n, 2, in, err)) {
    release_exprs(nkeys, left_on);
    release_exprs(nkeys, right_on);
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(left);
    plan_release(right);
    return err->code;
  }
  if (take_exprs(n, nkeys, left_on, err)) {
    release_exprs(nkeys, right_on);
    plan_release(n);
    return err->code;
  }
  n->aggs = auk_mem_calloc(sizeof(auk_expr *) * (size_t)(nkeys ? nkeys : 1), err);
  if (!n->aggs) {
    release_exprs(nkeys, right_on);
    plan_release(n);
    return err->code;
  }
  for (int i = 0; i < nkeys; i++) n->aggs[i] = right_on[i];
  n->naggs = nkeys;
  n->keep = how;
  if (suffix && !(n->suffix = auk_str_dup(suffix, err))) {
    plan_release(n);
    return err->code;
  }
  return finish(n, out, err);
}

auk_status plan_aggregate(plan_node *in, int nkeys, auk_expr **keys, int naggs, auk_expr **aggs,
                          int maintain_order, plan_node **out, auk_error *err) {
  plan_node *n = node_new(PLAN_AGGREGATE, err);
  if (!n || set_inputs(n, 1, &in, err)) {
    release_exprs(nkeys, keys);
    release_exprs(naggs, aggs);
    if (n) auk_mem_free(n, sizeof *n);
    plan_release(in);
    return err->code;
  }
  if (take_exprs(n, nkeys, keys, err)) {
    release_exprs(naggs, aggs);
    plan_release(n);
    return err->code;
  }
  n->aggs = auk_mem_calloc(sizeof(auk_expr *) * (size_t)(naggs ? naggs : 1), err);
  if (!n->aggs) {
    release_exprs(naggs, aggs);
    plan_release(n);
    return err->code;
  }
  for (int i = 0; i < naggs; i++)
    n->aggs[i] = aggs[i] ? aggs[i] : expr_new_error("aggregate %d is NULL", i + 1);
  n->naggs = naggs;
  n->maintain_order = maintain_order;
  return finish(n, out, err);
}

/* ---------------------------------------------------------------- copy */

auk_status plan_copy(const plan_node *src, plan_node **out, auk_error *err) {
  plan_node *n = node_new(src->kind, err);
  if (!n) return err->code;
  n->offset = src->offset;
  n->length = src->length;
  n->limit = src->limit;
  n->with_columns = src->with_columns;
  n->keep = src->keep;
  n->maintain_order = src->maintain_order;
  n->has_frame = src->has_frame;
  n->frame_preceding = src->frame_preceding;
  n->frame_following = src->frame_following;
  n->nulls_equal = src->nulls_equal;
  n->validate = src->validate;
  if (src->suffix && !(n->suffix = auk_str_dup(src->suffix, err))) goto fail;
  if (src->naggs) {
    n->aggs = auk_mem_alloc(sizeof(auk_expr *) * (size_t)src->naggs, err);
    if (!n->aggs) goto fail;
    for (int i = 0; i < src->naggs; i++) n->aggs[i] = expr_retain(src->aggs[i]);
    n->naggs = src->naggs;
  }
  n->src = scan_source_retain(src->src);
  n->pred = expr_retain(src->pred);
  n->schema = auk_schema_retain(src->schema);
  n->nproj = src->nproj;
  if (src->nproj >= 0) {
    n->proj = auk_mem_alloc(sizeof(int) * (size_t)(src->nproj > 0 ? src->nproj : 1), err);
    if (!n->proj) goto fail;
    memcpy(n->proj, src->proj, sizeof(int) * (size_t)src->nproj);
  }
  if (src->nexprs) {
    size_t k = (size_t)src->nexprs;
    n->exprs = auk_mem_alloc(sizeof(auk_expr *) * k, err);
    if (!n->exprs) goto fail;
    for (size_t i = 0; i < k; i++) n->exprs[i] = expr_retain(src->exprs[i]);
    n->nexprs = src->nexprs;
    if (src->desc) {
      n->desc = auk_mem_alloc(sizeof(int) * k, err);
      n->nulls_last = auk_mem_alloc(sizeof(int) * k, err);
      if (!n->desc || !n->nulls_last) goto fail;
      memcpy(n->desc, src->desc, sizeof(int) * k);
      memcpy(n->nulls_last, src->nulls_last, sizeof(int) * k);
    }
  }
  if (src->ninputs) {
    n->inputs = auk_mem_calloc(sizeof(plan_node *) * (size_t)src->ninputs, err);
    if (!n->inputs) goto fail;
    n->ninputs = src->ninputs;
    for (int i = 0; i < src->ninputs; i++)
      if (plan_copy(src->inputs[i], &n->inputs[i], err)) goto fail;
  }
  *out = n;
  return AUK_OK;
fail:
  plan_release(n);
  return err->code;
}
