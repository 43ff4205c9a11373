/* explain.c - a plan as an indented tree a person can read:
 *
 *   SLICE offset=0 length=10
 *     SORT BY [col("v3") DESC NULLS FIRST] TOP 10
 *       FILTER (col("v3") > 99.9)
 *         CSV SCAN data.csv
 *           columns: id1, v3 (2 of 9)
 *           filter: (col("v2") > 10) */
#include "core/alloc.h"
#include "core/error.h"
#include "plan/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct out {
  char *p;
  size_t len, cap;
  int failed;
} out;

static void add(out *o, const char *fmt, ...) AUK_PRINTF(2, 3);
static void add(out *o, const char *fmt, ...) {
  if (o->failed) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      o->failed = 1;
      return;
    }
    if (o->len + (size_t)n < o->cap) {
      o->len += (size_t)n;
      return;
    }
    size_t cap = (o->cap + (size_t)n) * 2;
    char *p = auk_mem_realloc(o->p, o->cap, cap, NULL);
    if (!p) {
      o->failed = 1;
      return;
    }
    o->p = p;
    o->cap = cap;
  }
}

static void indent(out *o, int depth) {
  add(o, "%*s", depth * 2, "");
}

static void add_expr(out *o, const auk_expr *e) {
  char buf[1024];
  expr_to_string(e, buf, sizeof buf);
  add(o, "%s", buf);
}

static void node(out *o, const plan_node *n, int depth) {
  indent(o, depth);
  switch (n->kind) {
    case PLAN_SCAN: {
      const scan_source *s = n->src;
      if (s->is_csv)
        add(o, "CSV SCAN %s\n", s->path);
      else if (s->is_parquet)
        add(o, "PARQUET SCAN %s\n", s->path);
      else
        add(o, "FRAME SCAN (%lld rows)\n", (long long)s->frame->nrows);
      int total = s->schema->nfields;
      indent(o, depth + 1);
      if (n->nproj < 0) {
        add(o, "columns: all %d\n", total);
      } else {
        add(o, "columns: ");
        for (int i = 0; i < n->nproj; i++)
          add(o, "%s%s", i ? ", " : "", s->schema->fields[n->proj[i]].name);
        add(o, " (%d of %d)\n", n->nproj, total);
      }
      if (n->pred) {
        indent(o, depth + 1);
        add(o, "filter: ");
        add_expr(o, n->pred);
        add(o, "\n");
      }
      if (n->limit >= 0) {
        indent(o, depth + 1);
        add(o, "limit: %lld rows\n", (long long)n->limit);
      }
      return;
    }
    case PLAN_PROJECT:
      add(o, "%s [", n->with_columns ? "WITH_COLUMNS" : "SELECT");
      for (int i = 0; i < n->nexprs; i++) {
        if (i) add(o, ", ");
        add_expr(o, n->exprs[i]);
      }
      add(o, "]\n");
      break;
    case PLAN_FILTER:
      add(o, "FILTER ");
      add_expr(o, n->pred);
      add(o, "\n");
      break;
    case PLAN_SORT:
      add(o, "SORT BY [");
      for (int i = 0; i < n->nexprs; i++) {
        if (i) add(o, ", ");
        add_expr(o, n->exprs[i]);
        add(o, " %s NULLS %s", n->desc[i] ? "DESC" : "ASC", n->nulls_last[i] ? "LAST" : "FIRST");
      }
      add(o, "]");
      if (n->limit >= 0) add(o, " TOP %lld", (long long)n->limit);
      add(o, "\n");
      break;
    case PLAN_SLICE:
      add(o, "SLICE offset=%lld length=", (long long)n->offset);
      if (n->length < 0)
        add(o, "all\n");
      else
        add(o, "%lld\n", (long long)n->length);
      break;
    case PLAN_CONCAT: add(o, "CONCAT\n"); break;
    case PLAN_HCONCAT: add(o, "CONCAT HORIZONTAL\n"); break;
    case PLAN_JOIN: {
      static const char *how[] = {"INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI", "CROSS"};
      static const char *check[] = {"", " VALIDATE 1:1", " VALIDATE 1:m", " VALIDATE m:1"};
      if (n->keep == AUK_JOIN_CROSS) {
        add(o, "CROSS JOIN\n");
        break;
      }
      add(o, "%s JOIN ON [", how[n->keep % 7]);
      for (int i = 0; i < n->nexprs; i++) {
        if (i) add(o, ", ");
        add_expr(o, n->exprs[i]);
        add(o, " = ");
        add_expr(o, n->aggs[i]);
      }
      add(o, "]%s%s\n", n->nulls_equal ? " NULLS EQUAL" : "", check[n->validate & 3]);
      break;
    }
    case PLAN_AGGREGATE:
      add(o, "AGGREGATE%s BY [", n->maintain_order ? " (maintain order)" : "");
      for (int i = 0; i < n->nexprs; i++) {
        if (i) add(o, ", ");
        add_expr(o, n->exprs[i]);
      }
      add(o, "] [");
      for (int i = 0; i < n->naggs; i++) {
        if (i) add(o, ", ");
        add_expr(o, n->aggs[i]);
      }
      add(o, "]\n");
      break;
    case PLAN_WINDOW: {
      static const char *fn[] = {"row_number", "rank",        "dense_rank", "sum", "mean",
                                 "min",        "max",         "count",      "len", "lag",
                                 "lead",       "first_value", "last_value"};
      add(o, "WINDOW %s(", fn[n->keep % 13]);
      if (n->pred) add_expr(o, n->pred);
      add(o, ") AS \"%s\" PARTITION BY [", n->suffix);
      for (int i = 0; i < n->naggs; i++) {
        if (i) add(o, ", ");
        add_expr(o, n->aggs[i]);
      }
      add(o, "] ORDER BY [");
      for (int i = 0; i < n->nexprs; i++) {
        if (i) add(o, ", ");
        add_expr(o, n->exprs[i]);
        if (n->desc[i]) add(o, " DESC");
      }
      add(o, "]\n");
      break;
    }
    case PLAN_UNIQUE: {
      static const char *keep[] = {"first", "last", "none"};
      if (n->limit > 1)
        add(o, "HEAD %lld PER GROUP [", (long long)n->limit);
      else
        add(o, "UNIQUE keep=%s subset=[", keep[n->keep % 3]);
      for (int i = 0; i < n->nexprs; i++) {
        if (i) add(o, ", ");
        add_expr(o, n->exprs[i]);
      }
      add(o, n->nexprs ? "]\n" : "all columns]\n");
      break;
    }
  }
  for (int i = 0; i < n->ninputs; i++) node(o, n->inputs[i], depth + 1);
}

auk_status plan_explain(const plan_node *n, char **text, auk_error *err) {
  out o = {NULL, 0, 0, 0};
  o.cap = 256;
  o.p = auk_mem_alloc(o.cap, err);
  if (!o.p) return err->code;
  o.p[0] = 0;
  node(&o, n, 0);
  if (o.failed) {
    auk_mem_free(o.p, o.cap);
    return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "out of memory printing a plan");
  }
  /* hand back a string auk_str_free can release */
  *text = auk_str_dup(o.p, err);
  auk_mem_free(o.p, o.cap);
  return *text ? AUK_OK : err->code;
}
