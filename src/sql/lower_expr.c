/* lower_expr.c - SQL expressions to auk_expr trees: names resolved through
 * the scope, SQL operators mapped to the expression layer's functions
 * (with SQL's null rules where they differ: `||`, IS DISTINCT FROM, IN
 * lists holding NULL), intervals folded into day or microsecond
 * arithmetic, uncorrelated subqueries run once and inlined as literals,
 * and, above a GROUP BY, keys and aggregate calls read from the
 * aggregation's output columns. */
#include "core/error.h"
#include "core/schema.h"
#include "expr/expr.h"
#include "sql/lexer.h"
#include "sql/lower.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static auk_status err_at(planner *P, size_t pos, auk_status code, const char *fmt, const char *a1,
                         const char *a2) {
  return sql_error_at(P->err, code, P->text, pos, fmt, a1, a2);
}

const char *ast_text(planner *P, const ast_expr *e) {
  size_t n = e->end > e->pos ? e->end - e->pos : 0;
  char *s = arena_alloc(P->a, n + 1);
  if (!s) return "?";
  memcpy(s, P->text + e->pos, n);
  s[n] = 0;
  return s;
}

const char *ast_default_name(planner *P, const ast_expr *e) {
  if (e->kind == AST_COLUMN) return e->name;
  return ast_text(P, e);
}

/* ------------------------------------------------------------ names */

static int name_eq(const char *a, const char *b, int exact) {
  return exact ? !strcmp(a, b) : !strcasecmp(a, b);
}

const scope_col *scope_resolve(planner *P, const scope *sc, const ast_expr *e, int report) {
  for (int exact = 1; exact >= 0; exact--) {
    const scope_col *found = NULL;
    int ambiguous = 0;
    for (int i = 0; sc && i < sc->n; i++) {
      const scope_col *c = &sc->cols[i];
      if (!name_eq(c->name, e->name, exact)) continue;
      if (e->qualifier) {
        if (!c->qual || strcasecmp(c->qual, e->qualifier)) continue;
      } else if (c->hide_unqual) {
        continue;
      }
      if (found && strcmp(found->internal, c->internal)) ambiguous = 1;
      if (!found) found = c;
    }
    if (ambiguous) {
      if (report)
        err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT,
               "column reference '%s' is ambiguous (it is in more than one table; qualify it)%s",
               e->name, "");
      return NULL;
    }
    if (found) return found;
  }
  if (report) {
    /* The closest name, for "did you mean". */
    auk_nearest near = auk_nearest_init(e->name);
    for (int i = 0; sc && i < sc->n; i++)
      if (!(sc->cols[i].hide_star && sc->cols[i].hide_unqual))
        auk_nearest_add(&near, sc->cols[i].name);
    const char *best = auk_nearest_get(&near);
    char hint[200] = "";
    if (best) {
      snprintf(hint, sizeof hint, " (did you mean '%s'?)", best);
    } else if (sc && sc->n && !(sc->n == 1 && sc->cols[0].hide_star)) {
      /* nothing close: list what there is */
      size_t k = (size_t)snprintf(hint, sizeof hint, " (columns are:");
      for (int i = 0; sc && i < sc->n && k < sizeof hint - 8; i++) {
        if (sc->cols[i].hide_star) continue;
        k += (size_t)snprintf(hint + k, sizeof hint - k, " '%s'", sc->cols[i].name);
      }
      if (k >= sizeof hint - 8)
        snprintf(hint + sizeof hint - 8, 8, " ...)");
      else
        snprintf(hint + k, sizeof hint - k, ")");
    }
    if (e->qualifier) {
      int known = 0;
      for (int i = 0; sc && i < sc->n; i++)
        if (sc->cols[i].qual && !strcasecmp(sc->cols[i].qual, e->qualifier)) known = 1;
      if (!known) {
        err_at(P, e->pos, AUK_ERR_NOT_FOUND, "unknown table or alias '%s'%s", e->qualifier, "");
        return NULL;
      }
      char full[300];
      snprintf(full, sizeof full, "%s.%s", e->qualifier, e->name);
      err_at(P, e->pos, AUK_ERR_NOT_FOUND, "unknown column '%s'%s", full, hint);
      return NULL;
    }
    err_at(P, e->pos, AUK_ERR_NOT_FOUND, "unknown column '%s'%s", e->name, hint);
  }
  return NULL;
}

int ast_equal(const scope *sc, const ast_expr *a, const ast_expr *b) {
  if (a == b) return 1;
  if (!a || !b || a->kind != b->kind) return 0;
  switch (a->kind) {
    case AST_COLUMN: {
      if (!sc) /* by spelling */
        return !strcasecmp(a->name, b->name) &&
               (a->qualifier ? b->qualifier && !strcasecmp(a->qualifier, b->qualifier)
                             : !b->qualifier);
      const scope_col *x = scope_resolve(NULL, sc, a, 0), *y = scope_resolve(NULL, sc, b, 0);
      return x && y && !strcmp(x->internal, y->internal);
    }
    case AST_STAR: return (!a->qualifier && !b->qualifier);
    case AST_INT:
    case AST_BOOL: return a->ival == b->ival;
    case AST_FLOAT: return a->dval == b->dval && a->type == b->type;
    case AST_STRING: return !strcmp(a->sval, b->sval);
    case AST_NULL: return 1;
    case AST_TYPED: return a->type == b->type && !strcmp(a->sval, b->sval);
    case AST_INTERVAL:
      return a->months == b->months && a->days == b->days && a->micros == b->micros;
    case AST_SUBQUERY:
    case AST_IN_QUERY:
    case AST_EXISTS: return 0;
    default: break;
  }
  if (a->over || b->over) return 0; /* window calls: only the same node */
  if ((a->filter || b->filter) && !ast_equal(sc, a->filter, b->filter)) return 0;
  if (a->norder != b->norder) return 0;
  for (int i = 0; i < a->norder; i++)
    if (a->order[i].desc != b->order[i].desc || a->order[i].nulls != b->order[i].nulls ||
        !ast_equal(sc, a->order[i].expr, b->order[i].expr))
      return 0;
  if (a->nargs != b->nargs || a->negated != b->negated || a->distinct != b->distinct ||
      a->type != b->type || a->try_cast != b->try_cast || a->has_operand != b->has_operand ||
      a->has_else != b->has_else)
    return 0;
  if ((a->name || b->name) && (!a->name || !b->name || strcasecmp(a->name, b->name))) return 0;
  for (int i = 0; i < a->nargs; i++)
    if (!ast_equal(sc, a->args[i], b->args[i])) return 0;
  return 1;
}

int ast_refs_outer(planner *P, const scope *inner, const scope *outer, const ast_expr *e) {
  if (!e || !outer) return 0;
  if (e->kind == AST_COLUMN)
    return !scope_resolve(P, inner, e, 0) && scope_resolve(P, outer, e, 0) != NULL;
  for (int i = 0; i < e->nargs; i++)
    if (ast_refs_outer(P, inner, outer, e->args[i])) return 1;
  return 0;
}

/* ------------------------------------------------------- aggregates */

static const char *const extra_aggs[] = {
    "stddev_pop",    "var_pop",    "any_value", "arbitrary", "approx_count_distinct",
    "count_star",    "covar_pop",  "min_by",    "max_by",    "arg_min",
    "arg_max",       "string_agg", "list",      "array_agg", "mode",
    "quantile_disc", NULL};

int ast_is_aggregate(const ast_expr *e) {
  if (e->kind != AST_FUNC || e->over) return 0;
  if (!strcasecmp(e->name, "len")) return 0; /* SQL: string length */
  for (int k = 0; extra_aggs[k]; k++)
    if (!strcasecmp(extra_aggs[k], e->name)) return 1;
  int fn = expr_fn_lookup(e->name);
  return fn >= 0 && expr_fn_is_agg((expr_fn)fn);
}

static auk_status collect(planner *P, agg_ctx *ctx, const ast_expr *e, int inside) {
  if (!e) return AUK_OK;
  if (e->kind == AST_SUBQUERY || e->kind == AST_EXISTS) return AUK_OK;
  if (ast_is_aggregate(e)) {
    if (inside)
      return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT,
                    "aggregate function calls cannot be nested (%s inside another aggregate)%s",
                    e->name, "");
    for (int i = 0; i < e->nargs; i++)
      if (collect(P, ctx, e->args[i], 1)) return P->err->code;
    for (int i = 0; i < ctx->naggs; i++)
      if (ast_equal(ctx->input, ctx->aggs[i], e)) return AUK_OK;
    if (ctx->naggs == ctx->cap_aggs) {
      int cap = ctx->cap_aggs ? ctx->cap_aggs * 2 : 8;
      ast_expr **na = arena_alloc(P->a, sizeof *na * (size_t)cap);
      const char **nn = arena_alloc(P->a, sizeof *nn * (size_t)cap);
      if (!na || !nn) return P->err->code;
      if (ctx->naggs) {
        memcpy(na, ctx->aggs, sizeof *na * (size_t)ctx->naggs);
        memcpy(nn, ctx->agg_names, sizeof *nn * (size_t)ctx->naggs);
      }
      ctx->aggs = na;
      ctx->agg_names = nn;
      ctx->cap_aggs = cap;
    }
    ctx->aggs[ctx->naggs] = (ast_expr *)e;
    ctx->agg_names[ctx->naggs] = new_internal(P, NULL, "agg");
    if (!ctx->agg_names[ctx->naggs]) return P->err->code;
    ctx->naggs++;
    return AUK_OK;
  }
  for (int i = 0; i < e->nargs; i++)
    if (collect(P, ctx, e->args[i], inside)) return P->err->code;
  for (int i = 0; e->over && i < e->over->npart; i++)
    if (collect(P, ctx, e->over->part[i], inside)) return P->err->code;
  for (int i = 0; e->over && i < e->over->norder; i++)
    if (collect(P, ctx, e->over->order[i].expr, inside)) return P->err->code;
  return AUK_OK;
}

auk_status collect_aggs(planner *P, agg_ctx *ctx, const ast_expr *e) {
  return collect(P, ctx, e, 0);
}

static auk_status lower_args(planner *P, const lower_ctx *cx, const ast_expr *e, int from,
                             auk_expr **args) {
  for (int i = from; i < e->nargs; i++)
    if (lower_expr(P, cx, e->args[i], &args[i - from])) {
      for (int k = 0; k < i - from; k++) expr_release(args[k]);
      return P->err->code;
    }
  return AUK_OK;
}

static auk_expr *lit_real(double v) {
  return auk_lit_double(v);
}

auk_status lower_agg_call(planner *P, const lower_ctx *cx, const ast_expr *e, auk_expr **out) {
  const char *n = e->name;
  lower_ctx inner = {cx->sc, cx->outer, NULL, cx->input, NULL};
  int star = e->nargs == 1 && e->args[0]->kind == AST_STAR;
  auk_expr *cond = NULL; /* FILTER (WHERE cond): other rows count as nulls */
  if (e->filter) {
    agg_ctx none = {0};
    if (collect(P, &none, e->filter, 1)) return P->err->code;
    if (lower_expr(P, &inner, e->filter, &cond)) return P->err->code;
  }
  if (!strcasecmp(n, "count") || !strcasecmp(n, "count_star")) {
    if (star || e->nargs == 0) {
      *out = cond ? auk_count(auk_when(cond, auk_lit_int(1), auk_lit_null())) : auk_len();
      return AUK_OK;
    }
  }
  auk_expr *a[2] = {NULL, NULL};
  if (star || e->nargs > 2 || e->nargs == 0) {
    expr_release(cond);
    return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT, "wrong arguments to %s%s", n,
                  star ? " (* is only allowed in count)" : "");
  }
  if (lower_args(P, &inner, e, 0, a)) return expr_release(cond), P->err->code;
  if (cond) { /* not a literal second argument (string_agg's separator) */
    for (int i = 0; i < e->nargs; i++)
      if (!i || e->args[i]->kind != AST_STRING)
        a[i] = auk_when(expr_retain(cond), a[i], auk_lit_null());
    expr_release(cond);
  }
  int distinct_count =
      e->distinct && (!strcasecmp(n, "count") || !strcasecmp(n, "approx_count_distinct"));
  if (!strcasecmp(n, "approx_count_distinct") || !strcasecmp(n, "count_distinct"))
    distinct_count = 1;
  if (e->distinct && !distinct_count && strcasecmp(n, "min") && strcasecmp(n, "max")) {
    expr_release(a[0]);
    expr_release(a[1]);
    return err_at(P, e->pos, AUK_ERR_UNSUPPORTED,
                  "%s(DISTINCT ...) is not supported (only count)%s", n, "");
  }
  if (distinct_count) {
    /* SQL counts distinct non-null values; n_unique counts null as one.
     * (max of is_null, not count < len: only aggregates that see the set
     * of distinct values let the optimizer run distinct_aggs.c) */
    auk_expr *x = a[0];
    auk_expr *zero[2] = {auk_max(auk_cast(auk_is_null(expr_retain(x)), AUK_TYPE_INT64)),
                         auk_lit_int(0)};
    *out = auk_sub(auk_n_unique(x), auk_coalesce(2, zero));
    return AUK_OK;
  }
  if (!strcasecmp(n, "sum")) {
    /* SQL: the sum of no values is NULL. */
    auk_expr *x = a[0];
    *out = auk_when(auk_eq(auk_count(expr_retain(x)), auk_lit_int(0)), auk_lit_null(), auk_sum(x));
    return AUK_OK;
  }
  if (!strcasecmp(n, "stddev_pop") || !strcasecmp(n, "var_pop")) {
    *out = n[0] == 's' || n[0] == 'S' ? auk_std(a[0], 0) : auk_var(a[0], 0);
    return AUK_OK;
  }
  if (!strcasecmp(n, "any_value") || !strcasecmp(n, "arbitrary")) {
    *out = auk_first(a[0]);
    return AUK_OK;
  }
  if (!strcasecmp(n, "quantile") || !strcasecmp(n, "quantile_cont")) {
    if (e->nargs != 2 || (e->args[1]->kind != AST_FLOAT && e->args[1]->kind != AST_INT)) {
      expr_release(a[0]);
      expr_release(a[1]);
      return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT,
                    "%s needs a constant fraction as its second argument%s", n, "");
    }
    double q = e->args[1]->kind == AST_FLOAT ? e->args[1]->dval : (double)e->args[1]->ival;
    expr_release(a[1]);
    *out = auk_quantile(a[0], q);
    return AUK_OK;
  }
  int fn = expr_fn_lookup(n);
  if (fn == FN_STRING_AGG) { /* string_agg(x [, sep]): sep ',' by default, as DuckDB */
    auk_expr *sa[2] = {a[0], e->nargs == 2 ? a[1] : auk_lit_str(",")};
    *out = auk_call("string_agg", 2, sa);
    return AUK_OK;
  }
  if (fn < 0 || !expr_fn_is_agg((expr_fn)fn) ||
      (e->nargs == 2 && fn != FN_CORR && fn != FN_COV && fn != FN_STD && fn != FN_VAR)) {
    expr_release(a[0]);
    expr_release(a[1]);
    return err_at(P, e->pos, AUK_ERR_UNSUPPORTED, "the aggregate %s is not supported%s", n,
                  fn == FN_ARG_MIN || fn == FN_ARG_MAX ? " with two arguments" : "");
  }
  if (fn == FN_ANY || fn == FN_ALL) {
    /* SQL: bool_or / bool_and of no values is NULL (Polars: false / true) */
    auk_expr *x = a[0];
    *out = auk_when(auk_eq(auk_count(expr_retain(x)), auk_lit_int(0)), auk_lit_null(),
                    auk_call(expr_fn_name((expr_fn)fn), 1, &x));
    return AUK_OK;
  }
  *out = auk_call(expr_fn_name((expr_fn)fn), e->nargs, a);
  (void)lit_real;
  return AUK_OK;
}

/* ----------------------------------------------------------- helpers */

static int is_literal(const ast_expr *e) {
  switch (e->kind) {
    case AST_INT:
    case AST_FLOAT:
    case AST_STRING:
    case AST_BOOL:
    case AST_TYPED: return 1;
    default: return 0;
  }
}

/* date/timestamp ± interval */
static auk_status lower_interval_arith(planner *P, const lower_ctx *cx, const ast_expr *e,
                                       auk_expr **out) {
  const ast_expr *iv = e->args[1]->kind == AST_INTERVAL ? e->args[1] : e->args[0];
  const ast_expr *other = iv == e->args[1] ? e->args[0] : e->args[1];
  int sub = !strcmp(e->name, "-");
  if (sub && iv == e->args[0])
    return err_at(P, e->pos, AUK_ERR_TYPE, "cannot subtract a date from an interval%s%s", "", "");
  if (other->kind == AST_INTERVAL)
    return err_at(P, e->pos, AUK_ERR_UNSUPPORTED,
                  "interval arithmetic needs a date or timestamp%s%s", "", "");
  int sign = sub ? -1 : 1;
  auk_expr *x;
  if (lower_expr(P, cx, other, &x)) return P->err->code;
  if (iv->months) {
    if (other->kind != AST_TYPED)
      return expr_release(x), err_at(P, iv->pos, AUK_ERR_UNSUPPORTED,
                                     "month and year intervals are supported on constant dates "
                                     "only%s%s",
                                     "", "");
    /* Fold: the literal date moved by whole months (day clamped). */
    int y, m, d;
    if (sscanf(other->sval, "%d-%d-%d", &y, &m, &d) != 3)
      return expr_release(x),
             err_at(P, other->pos, AUK_ERR_PARSE, "bad date '%s'%s", other->sval, "");
    int total = y * 12 + (m - 1) + sign * iv->months;
    y = total / 12;
    m = total % 12 + 1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int dim = mdays[m - 1] + (m == 2 && leap);
    if (d > dim) d = dim;
    expr_release(x);
    char buf[64];
    const char *rest = strchr(other->sval, ' ');
    snprintf(buf, sizeof buf, "%04d-%02d-%02d%s", y, m, d, rest ? rest : "");
    x = auk_cast(auk_lit_str(buf), other->type);
  }
  if (iv->days || iv->micros) {
    auk_type_id t =
        other->kind == AST_TYPED || other->kind == AST_CAST ? other->type : AUK_TYPE_COUNT_;
    if (other->kind == AST_COLUMN) {
      const scope_col *c = scope_resolve(P, cx->sc, other, 0);
      if (c) t = c->type;
    }
    if (t == AUK_TYPE_COUNT_) t = expr_type_over(cx->input, x); /* any expression */
    if (t == AUK_TYPE_DATE && !iv->micros) {
      x = auk_add(x, auk_lit_int(sign * iv->days));
    } else if (t == AUK_TYPE_DATE || t == AUK_TYPE_DATETIME) {
      x = auk_add(auk_cast(x, AUK_TYPE_DATETIME),
                  auk_lit_int(sign * (iv->days * 86400000000LL + iv->micros)));
    } else {
      expr_release(x);
      return err_at(P, other->pos, AUK_ERR_UNSUPPORTED,
                    "an interval can be added to a date or timestamp column or constant; cast "
                    "this expression to DATE or TIMESTAMP%s%s",
                    "", "");
    }
  }
  *out = x;
  return AUK_OK;
}

auk_status sql_check(planner *P, const auk_lazy *lf, auk_expr *x, check_kind kind, size_t pos) {
  if (!lf) return AUK_OK;
  auk_lazy *probe;
  if (auk_lazy_clone(lf, &probe, P->err)) return P->err->code;
  auk_expr *y = expr_retain(x);
  auk_status st = kind == CHECK_PREDICATE   ? auk_lazy_filter(probe, y, P->err)
                  : kind == CHECK_AGGREGATE ? auk_lazy_agg(probe, 1, &y, P->err)
                                            : auk_lazy_select(probe, 1, &y, P->err);
  auk_lazy_free(probe);
  if (!st) return AUK_OK;
  if (st == AUK_ERR_OUT_OF_MEMORY) return st;
  /* The message names the expression in the expression layer's terms
   * (with internal column names); the caret under the SQL says it better. */
  char msg[sizeof P->err->message];
  snprintf(msg, sizeof msg, "%s", P->err->message);
  char *cut = strstr(msg, " in `");
  if (!cut) cut = strstr(msg, " (`");
  if (cut) *cut = 0;
  const char *is = strstr(P->err->message, "` is ");
  if (kind == CHECK_PREDICATE && !strncmp(msg, "filter predicate", 16) && is)
    snprintf(msg, sizeof msg, "the condition must be boolean; this one%s", is + 1);
  return sql_error_at(P->err, st, P->text, pos, "%s", msg);
}

/* The type x has over the columns of lf, or AUK_TYPE_COUNT_ when unknown
 * (no plan, or x does not bind: its error comes later, in context). */
auk_expr *sql_cast_prepare(const auk_lazy *lf, auk_expr *x, auk_type_id to, int half_even) {
  auk_type_id t = expr_type_over(lf, x);
  /* SQL rounds a float cast to an integer; the expression layer
   * truncates, as Polars does. A DOUBLE rounds halves to even as DuckDB
   * does (2.5 -> 2, -0.5 -> 0: a half, x - floor(x) = 0.5, goes to
   * 2 * round(x / 2)); a literal such as 2.5, a DECIMAL in DuckDB,
   * rounds halves away from zero (3). */
  int float_to_int = to >= AUK_TYPE_INT8 && to <= AUK_TYPE_UINT64 &&
                     (t == AUK_TYPE_FLOAT32 || t == AUK_TYPE_FLOAT64);
  if (float_to_int && !half_even) {
    x = auk_call1("round", x);
  } else if (float_to_int) {
    auk_expr *half =
        auk_eq(auk_sub(expr_retain(x), auk_call1("floor", expr_retain(x))), auk_lit_double(0.5));
    auk_expr *even = auk_mul(auk_lit_double(2.0),
                             auk_call1("round", auk_div(expr_retain(x), auk_lit_double(2.0))));
    x = auk_when(half, even, auk_call1("round", x));
  }
  /* and text is read without surrounding blanks ('  42' is 42) */
  if (t == AUK_TYPE_STRING && to != AUK_TYPE_STRING) x = auk_call1("strip", x);
  return x;
}

auk_type_id expr_type_over(const auk_lazy *lf, const auk_expr *x) {
  if (!lf) return AUK_TYPE_COUNT_;
  int n = auk_lazy_num_columns(lf);
  auk_schema *s = auk_schema_new(n, NULL);
  if (!s) return AUK_TYPE_COUNT_;
  for (int i = 0; i < n; i++)
    if (auk_schema_set(s, i, auk_lazy_column_name(lf, i), auk_lazy_column_type(lf, i), NULL)) {
      auk_schema_release(s);
      return AUK_TYPE_COUNT_;
    }
  bexpr *b;
  auk_field f = {0};
  auk_error err;
  auk_type_id t = AUK_TYPE_COUNT_;
  if (!expr_bind(x, s, &b, &f, &err)) {
    t = f.type;
    bexpr_free(b);
  }
  auk_schema_release(s);
  return t;
}

static const struct {
  const char *op;
  auk_expr *(*fn)(auk_expr *, auk_expr *);
} binops[] = {{"+", auk_add},       {"-", auk_sub}, {"*", auk_mul}, {"/", auk_div},
              {"//", auk_floordiv}, {"%", auk_mod}, {"=", auk_eq},  {"<>", auk_ne},
              {"<", auk_lt},        {"<=", auk_le}, {">", auk_gt},  {">=", auk_ge},
              {"and", auk_and},     {"or", auk_or}};

/* SQL's a % b takes the sign of a (C's remainder); the expression layer's
 * mod is Python's (the sign of b). They differ by b when the signs do. */
static auk_expr *sql_remainder(auk_expr *a, auk_expr *b) {
  auk_expr *r = auk_mod(expr_retain(a), expr_retain(b));
  auk_expr *signs = auk_ne(auk_lt(a, auk_lit_int(0)), auk_lt(expr_retain(b), auk_lit_int(0)));
  auk_expr *fix = auk_and(auk_ne(expr_retain(r), auk_lit_int(0)), signs);
  return auk_when(fix, auk_sub(expr_retain(r), b), r);
}

/* SQL's a // b truncates toward zero (DuckDB; so a // b * b + a % b == a);
 * the expression layer's // floors, as Python does: one more when the
 * division is inexact and the signs differ. */
static auk_expr *sql_int_divide(auk_expr *a, auk_expr *b) {
  auk_expr *q = auk_floordiv(expr_retain(a), expr_retain(b));
  auk_expr *signs =
      auk_ne(auk_lt(expr_retain(a), auk_lit_int(0)), auk_lt(expr_retain(b), auk_lit_int(0)));
  auk_expr *inexact = auk_ne(auk_mod(a, b), auk_lit_int(0));
  return auk_when(auk_and(inexact, signs), auk_add(expr_retain(q), auk_lit_int(1)), q);
}

/* make_date(y, m, d): the date of that text, so out-of-range parts are an
 * error of the cast, naming the value; NULL when a part is NULL. */
static auk_expr *make_date3(auk_expr *y, auk_expr *m, auk_expr *d) {
  auk_expr *anynull = auk_or(auk_or(auk_is_null(expr_retain(y)), auk_is_null(expr_retain(m))),
                             auk_is_null(expr_retain(d)));
  auk_expr *two[3] = {auk_cast(m, AUK_TYPE_STRING), auk_lit_int(2), auk_lit_str("0")};
  auk_expr *mm = auk_call("lpad", 3, two);
  auk_expr *two_d[3] = {auk_cast(d, AUK_TYPE_STRING), auk_lit_int(2), auk_lit_str("0")};
  auk_expr *dd = auk_call("lpad", 3, two_d);
  auk_expr *parts[5] = {auk_cast(y, AUK_TYPE_STRING), auk_lit_str("-"), mm, auk_lit_str("-"), dd};
  return auk_cast(auk_when(anynull, auk_lit_null(), auk_call("concat", 5, parts)), AUK_TYPE_DATE);
}

/* date_diff(part, a, b): how many boundaries of `part` lie between a and b,
 * as DuckDB counts them (days between the dates; months and years by the
 * calendar fields; hours, minutes, seconds by whole units since the
 * epoch). args: the part (unused), a, b; taken. */
static auk_status date_diff(planner *P, const char *part, auk_expr **args, size_t pos,
                            auk_expr **out) {
  expr_release(args[0]);
  auk_expr *a = args[1], *b = args[2];
  char u[16] = {0};
  snprintf(u, sizeof u, "%s", part);
  size_t ul = strlen(u);
  if (ul > 1 && (u[ul - 1] == 's' || u[ul - 1] == 'S')) u[ul - 1] = 0;
  if (!strcasecmp(u, "day")) {
    *out = auk_sub(auk_cast(b, AUK_TYPE_DATE), auk_cast(a, AUK_TYPE_DATE));
    return AUK_OK;
  }
  if (!strcasecmp(u, "month") || !strcasecmp(u, "quarter") || !strcasecmp(u, "year")) {
    int per = !strcasecmp(u, "year") ? 0 : !strcasecmp(u, "quarter") ? 4 : 12;
    auk_expr *xs[2] = {a, b}, *v[2];
    for (int i = 0; i < 2; i++) {
      auk_expr *y = auk_call1("year", expr_retain(xs[i]));
      if (per == 0) {
        v[i] = y;
      } else {
        auk_expr *m = auk_sub(auk_call1("month", expr_retain(xs[i])), auk_lit_int(1));
        if (per == 4) m = auk_floordiv(m, auk_lit_int(3));
        v[i] = auk_add(auk_mul(y, auk_lit_int(per)), m);
      }
      expr_release(xs[i]);
    }
    *out = auk_sub(v[1], v[0]);
    return AUK_OK;
  }
  int64_t unit = !strcasecmp(u, "hour")     ? 3600000000LL
                 : !strcasecmp(u, "minute") ? 60000000LL
                 : !strcasecmp(u, "second") ? 1000000LL
                                            : 0;
  if (!unit) {
    expr_release(a);
    expr_release(b);
    return err_at(P, pos, AUK_ERR_INVALID_ARGUMENT,
                  "date_diff: unknown part '%s' (day, month, quarter, year, hour, minute, "
                  "second)%s",
                  part, "");
  }
  /* whole units since the epoch: floor division of the microseconds */
  auk_expr *epoch = auk_cast(auk_lit_str("1970-01-01 00:00:00"), AUK_TYPE_DATETIME);
  auk_expr *ub =
      auk_floordiv(auk_sub(auk_cast(b, AUK_TYPE_DATETIME), expr_retain(epoch)), auk_lit_int(unit));
  auk_expr *ua = auk_floordiv(auk_sub(auk_cast(a, AUK_TYPE_DATETIME), epoch), auk_lit_int(unit));
  *out = auk_sub(ub, ua);
  return AUK_OK;
}

/* Date parts as extract()/date_part() name them. */
static auk_status lower_date_part(planner *P, const char *part, auk_expr *x, size_t pos,
                                  auk_expr **out) {
  if (!strcasecmp(part, "dow")) { /* Sunday 0 .. Saturday 6 */
    *out = auk_mod(auk_call1("weekday", x), auk_lit_int(7));
    return AUK_OK;
  }
  if (!strcasecmp(part, "quarter")) {
    *out = auk_add(auk_floordiv(auk_sub(auk_call1("month", x), auk_lit_int(1)), auk_lit_int(3)),
                   auk_lit_int(1));
    return AUK_OK;
  }
  const char *fn = !strcasecmp(part, "doy") ? "day_of_year" : part;
  if (!strcasecmp(part, "years")) fn = "year";
  int f = expr_fn_lookup(fn);
  if (f < 0 || !(f == FN_YEAR || f == FN_MONTH || f == FN_DAY || f == FN_HOUR || f == FN_MINUTE ||
                 f == FN_SECOND || f == FN_WEEKDAY || f == FN_DAY_OF_YEAR)) {
    expr_release(x);
    return err_at(P, pos, AUK_ERR_UNSUPPORTED, "unknown date part '%s'%s", part, "");
  }
  *out = auk_call1(expr_fn_name((expr_fn)f), x);
  return AUK_OK;
}

static auk_status lower_func(planner *P, const lower_ctx *cx, const ast_expr *e, auk_expr **out) {
  const char *n = e->name;
  if (e->over)
    return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT,
                  "window functions are allowed in the select list and ORDER BY only%s%s", "", "");
  if (ast_is_aggregate(e)) {
    if (cx->agg && cx->agg->active)
      return err_at(P, e->pos, AUK_ERR_INTERNAL, "aggregate %s was not collected%s", n, "");
    if (cx->agg)
      return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT,
                    "aggregate function calls cannot be nested (%s)%s", n, "");
    return err_at(
        P, e->pos, AUK_ERR_INVALID_ARGUMENT,
        "aggregate function %s is not allowed here (only in SELECT, HAVING and ORDER BY)%s", n, "");
  }
  if (e->distinct)
    return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT, "DISTINCT is only allowed in aggregates%s%s",
                  "", "");
  if (e->nargs > 64)
    return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT, "too many arguments to %s%s", n, "");
  for (int i = 0; i < e->nargs; i++)
    if (e->args[i]->kind == AST_STAR)
      return err_at(P, e->args[i]->pos, AUK_ERR_INVALID_ARGUMENT, "* is not allowed in %s()%s", n,
                    "");
  if (!strcasecmp(n, "date_part") || !strcasecmp(n, "datepart")) {
    if (e->nargs != 2 || e->args[0]->kind != AST_STRING)
      return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT, "%s needs a part name and a value%s", n,
                    "");
    auk_expr *x;
    if (lower_expr(P, cx, e->args[1], &x)) return P->err->code;
    return lower_date_part(P, e->args[0]->sval, x, e->pos, out);
  }
  auk_expr *args[64];
  if (lower_args(P, cx, e, 0, args)) return P->err->code;
  int na = e->nargs;
  /* extract(part FROM x) arrives as part(x) */
  if (na == 1 &&
      (!strcasecmp(n, "dow") || !strcasecmp(n, "doy") || !strcasecmp(n, "quarter") ||
       !strcasecmp(n, "isodow") || !strcasecmp(n, "dayofweek") || !strcasecmp(n, "weekday")))
    /* SQL's weekday/dayofweek/dow count from Sunday = 0; isodow from Monday = 1 */
    return lower_date_part(P,
                           !strcasecmp(n, "isodow")    ? "weekday"
                           : !strcasecmp(n, "doy")     ? n
                           : !strcasecmp(n, "quarter") ? n
                                                       : "dow",
                           args[0], e->pos, out);
  if ((!strcasecmp(n, "isnan") || !strcasecmp(n, "is_nan")) && na == 1) {
    /* floats compare in a total order with NaN above +inf */
    *out = auk_gt(auk_cast(args[0], AUK_TYPE_FLOAT64), auk_lit_double(__builtin_inf()));
    return AUK_OK;
  }
  if ((!strcasecmp(n, "isinf") || !strcasecmp(n, "isfinite")) && na == 1) {
    auk_expr *x = auk_cast(args[0], AUK_TYPE_FLOAT64);
    auk_expr *inf = auk_or(auk_eq(expr_retain(x), auk_lit_double(__builtin_inf())),
                           auk_eq(expr_retain(x), auk_lit_double(-__builtin_inf())));
    if (n[2] == 'i' || n[2] == 'I') {
      expr_release(x);
      *out = inf;
    } else { /* neither infinite nor NaN */
      *out = auk_not(auk_or(inf, auk_gt(x, auk_lit_double(__builtin_inf()))));
    }
    return AUK_OK;
  }
  if ((!strcasecmp(n, "date_diff") || !strcasecmp(n, "datediff")) && na == 3) {
    if (e->args[0]->kind != AST_STRING) {
      for (int i = 0; i < na; i++) expr_release(args[i]);
      return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT,
                    "%s needs the part as a constant ('day', 'month', ...)%s", n, "");
    }
    return date_diff(P, e->args[0]->sval, args, e->args[0]->pos, out);
  }
  if (!strcasecmp(n, "make_date") && na == 3) {
    *out = make_date3(args[0], args[1], args[2]);
    return AUK_OK;
  }
  if (!strcasecmp(n, "concat_ws") && na >= 2) {
    /* concat_ws(sep, a, ...): the non-null values with sep between them
     * (NULL when sep is): each value as sep || value (null stays null),
     * concat skips the nulls, then the leading sep is cut off */
    auk_expr *sep = auk_cast(args[0], AUK_TYPE_STRING);
    auk_expr **parts = arena_alloc(P->a, sizeof *parts * (size_t)(na - 1));
    if (!parts) {
      for (int i = 0; i < na; i++) expr_release(i ? args[i] : sep);
      return P->err->code;
    }
    for (int i = 1; i < na; i++) {
      auk_expr *v = auk_cast(args[i], AUK_TYPE_STRING);
      auk_expr *two[2] = {expr_retain(sep), expr_retain(v)};
      parts[i - 1] = auk_when(auk_is_null(v), auk_lit_null(), auk_call("concat", 2, two));
    }
    auk_expr *all = auk_call("concat", na - 1, parts);
    if (e->args[0]->kind == AST_NULL) { /* a NULL separator: NULL */
      expr_release(all);
      expr_release(sep);
      *out = auk_cast(auk_lit_null(), AUK_TYPE_STRING);
      return AUK_OK;
    }
    if (e->args[0]->kind != AST_STRING) {
      expr_release(all);
      expr_release(sep);
      return err_at(P, e->args[0]->pos, AUK_ERR_UNSUPPORTED,
                    "concat_ws needs a constant text separator%s%s", "", "");
    }
    int64_t chars = 0; /* the separator's length in characters, as substr counts */
    for (const unsigned char *c = (const unsigned char *)e->args[0]->sval; *c; c++)
      chars += (*c & 0xC0) != 0x80;
    auk_expr *cut[2] = {all, auk_lit_int(chars + 1)};
    expr_release(sep);
    *out = auk_call("substr", 2, cut);
    return AUK_OK;
  }
  if (!strcasecmp(n, "last_day") && na == 1) {
    /* the first day of the next month, less one day */
    auk_expr *d = auk_cast(args[0], AUK_TYPE_DATE);
    auk_expr *m = auk_call1("month", expr_retain(d));
    auk_expr *y = auk_add(auk_call1("year", d),
                          auk_cast(auk_eq(expr_retain(m), auk_lit_int(12)), AUK_TYPE_INT64));
    auk_expr *nm = auk_add(auk_mod(m, auk_lit_int(12)), auk_lit_int(1));
    *out = auk_sub(make_date3(y, nm, auk_lit_int(1)), auk_lit_int(1));
    return AUK_OK;
  }
  if (!strcasecmp(n, "pi") && na == 0) {
    *out = auk_lit_double(3.14159265358979323846);
    return AUK_OK;
  }
  if (!strcasecmp(n, "sign") && na == 1) {
    auk_expr *conds[3] = {auk_gt(expr_retain(args[0]), auk_lit_int(0)),
                          auk_lt(expr_retain(args[0]), auk_lit_int(0)),
                          auk_eq(expr_retain(args[0]), auk_lit_int(0))};
    auk_expr *vals[3] = {auk_lit_int(1), auk_lit_int(-1), auk_lit_int(0)};
    expr_release(args[0]);
    *out = auk_when_chain(3, conds, vals, auk_lit_null());
    return AUK_OK;
  }
  if ((!strcasecmp(n, "mod") || !strcasecmp(n, "fmod")) && na == 2) {
    *out = sql_remainder(args[0], args[1]);
    return AUK_OK;
  }
  if (!strcasecmp(n, "nullif") && na == 2) {
    *out = auk_when(auk_eq(expr_retain(args[0]), args[1]), auk_lit_null(), args[0]);
    return AUK_OK;
  }
  if ((!strcasecmp(n, "greatest") || !strcasecmp(n, "least")) && na >= 1) {
    int g = n[0] == 'g' || n[0] == 'G';
    auk_expr *acc = args[0];
    for (int i = 1; i < na; i++) {
      /* nulls are skipped, as in DuckDB and Postgres */
      auk_expr *b = args[i];
      auk_expr *better =
          g ? auk_gt(expr_retain(b), expr_retain(acc)) : auk_lt(expr_retain(b), expr_retain(acc));
      auk_expr *conds[2] = {auk_is_null(expr_retain(acc)), better};
      auk_expr *vals[2] = {expr_retain(b), expr_retain(b)};
      acc = auk_when_chain(2, conds, vals, acc);
      expr_release(b);
    }
    *out = acc;
    return AUK_OK;
  }
  if (!strcasecmp(n, "len")) n = "length";
  if (!strcasecmp(n, "pow") || !strcasecmp(n, "power")) n = "pow";
  int fn = expr_fn_lookup(n);
  if (fn < 0) {
    for (int i = 0; i < na; i++) expr_release(args[i]);
    return err_at(P, e->pos, AUK_ERR_NOT_FOUND, "unknown function '%s'%s", n, "");
  }
  int lo, hi;
  expr_fn_arity((expr_fn)fn, &lo, &hi);
  if (na < lo || na > hi) {
    for (int i = 0; i < na; i++) expr_release(args[i]);
    return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT, "wrong number of arguments to %s()%s", n,
                  "");
  }
  *out = auk_call(expr_fn_name((expr_fn)fn), na, args);
  return AUK_OK;
}

static auk_status lower_case(planner *P, const lower_ctx *cx, const ast_expr *e, auk_expr **out) {
  int k = e->has_operand ? 1 : 0;
  int nwhen = (e->nargs - k - e->has_else) / 2;
  auk_expr *operand = NULL;
  if (e->has_operand && lower_expr(P, cx, e->args[0], &operand)) return P->err->code;
  auk_expr **conds = arena_alloc(P->a, sizeof *conds * (size_t)nwhen);
  auk_expr **vals = arena_alloc(P->a, sizeof *vals * (size_t)nwhen);
  if (!conds || !vals) return expr_release(operand), P->err->code;
  int done = 0;
  auk_status st = AUK_OK;
  for (; done < nwhen; done++) {
    auk_expr *c, *v;
    if ((st = lower_expr(P, cx, e->args[k + 2 * done], &c))) break;
    if ((st = lower_expr(P, cx, e->args[k + 2 * done + 1], &v))) {
      expr_release(c);
      break;
    }
    conds[done] = operand ? auk_eq(expr_retain(operand), c) : c;
    vals[done] = v;
  }
  auk_expr *otherwise = NULL;
  if (!st && e->has_else) st = lower_expr(P, cx, e->args[e->nargs - 1], &otherwise);
  expr_release(operand);
  if (st) {
    for (int i = 0; i < done; i++) {
      expr_release(conds[i]);
      expr_release(vals[i]);
    }
    return st;
  }
  *out = auk_when_chain(nwhen, conds, vals, otherwise ? otherwise : auk_lit_null());
  return AUK_OK;
}

static auk_status lower_in_list(planner *P, const lower_ctx *cx, const ast_expr *e,
                                auk_expr **out) {
  int all_lit = 1;
  for (int i = 1; i < e->nargs; i++)
    if (!is_literal(e->args[i])) all_lit = 0;
  auk_expr *x;
  if (lower_expr(P, cx, e->args[0], &x)) return P->err->code;
  auk_expr *r;
  if (all_lit) {
    auk_expr **vals = arena_alloc(P->a, sizeof *vals * (size_t)e->nargs);
    if (!vals) return expr_release(x), P->err->code;
    if (lower_args(P, cx, e, 1, vals)) return expr_release(x), P->err->code;
    r = auk_is_in(x, e->nargs - 1, vals);
  } else {
    /* x = a OR x = b ...: SQL's three-valued result with NULLs in the list */
    r = NULL;
    for (int i = 1; i < e->nargs; i++) {
      auk_expr *v;
      if (lower_expr(P, cx, e->args[i], &v)) {
        expr_release(x);
        expr_release(r);
        return P->err->code;
      }
      auk_expr *eq = auk_eq(expr_retain(x), v);
      r = r ? auk_or(r, eq) : eq;
    }
    expr_release(x);
  }
  *out = e->negated ? auk_not(r) : r;
  return AUK_OK;
}

auk_status lower_expr(planner *P, const lower_ctx *cx, const ast_expr *e, auk_expr **out) {
  *out = NULL;
  agg_ctx *ag = cx->agg;
  /* HAVING and QUALIFY may name a select alias that no column has */
  if (e->kind == AST_COLUMN && !e->qualifier && cx->aliases &&
      !scope_resolve(P, ag && ag->active ? ag->input : cx->sc, e, 0)) {
    for (int i = 0; i < cx->aliases->nitems; i++) {
      const ast_item *it = &cx->aliases->items[i];
      if (it->alias && !strcasecmp(it->alias, e->name) && it->expr->kind != AST_STAR) {
        lower_ctx inner = *cx;
        inner.aliases = NULL; /* an alias is not looked up inside itself */
        return lower_expr(P, &inner, it->expr, out);
      }
    }
  }
  if (ag && ag->active) {
    for (int i = 0; i < ag->nkeys; i++)
      if (ast_equal(ag->input, e, ag->keys[i])) {
        *out = auk_col(ag->key_names[i]);
        return AUK_OK;
      }
    if (ast_is_aggregate(e)) {
      for (int i = 0; i < ag->naggs; i++)
        if (ast_equal(ag->input, e, ag->aggs[i])) {
          *out = auk_col(ag->agg_names[i]);
          return AUK_OK;
        }
    }
    if (e->kind == AST_COLUMN) {
      if (scope_resolve(P, ag->input, e, 0))
        return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT,
                      "column '%s' must appear in the GROUP BY clause or be used in an aggregate "
                      "function%s",
                      e->name, "");
      if (!scope_resolve(P, ag->input, e, 1)) return P->err->code;
    }
  }
  for (int i = 0; i < P->nsubst; i++)
    if (P->substs[i].node == e) {
      *out = auk_col(P->substs[i].internal);
      return AUK_OK;
    }
  switch (e->kind) {
    case AST_COLUMN: {
      const scope_col *c = scope_resolve(P, cx->sc, e, 0);
      if (!c) {
        if (cx->outer && scope_resolve(P, cx->outer, e, 0))
          return err_at(P, e->pos, AUK_ERR_UNSUPPORTED,
                        "this use of the outer column '%s' in a subquery is not supported "
                        "(correlated subqueries are supported as equality conditions in WHERE)%s",
                        e->name, "");
        scope_resolve(P, cx->sc, e, 1);
        return P->err->code;
      }
      *out = auk_col(c->internal);
      return AUK_OK;
    }
    case AST_STAR:
      return err_at(P, e->pos, AUK_ERR_INVALID_ARGUMENT,
                    "* is only allowed in the select list and in count(*)%s%s", "", "");
    case AST_INT: *out = auk_lit_int(e->ival); return AUK_OK;
    case AST_FLOAT:
      if (auk_type_is_decimal(e->type)) { /* 1.5 is DECIMAL(2,1), as in DuckDB */
        expr_value v = {.type = e->type, .i = e->ival};
        *out = expr_new_lit(&v);
      } else {
        *out = auk_lit_double(e->dval);
      }
      return AUK_OK;
    case AST_STRING: *out = auk_lit_str(e->sval); return AUK_OK;
    case AST_BOOL: *out = auk_lit_bool((int)e->ival); return AUK_OK;
    case AST_NULL: *out = auk_lit_null(); return AUK_OK;
    case AST_TYPED: *out = auk_cast(auk_lit_str(e->sval), e->type); return AUK_OK;
    case AST_INTERVAL:
      return err_at(P, e->pos, AUK_ERR_UNSUPPORTED,
                    "an interval can only be added to or subtracted from a date or timestamp%s%s",
                    "", "");
    case AST_UNARY: {
      auk_expr *x;
      if (lower_expr(P, cx, e->args[0], &x)) return P->err->code;
      *out = !strcmp(e->name, "-") ? auk_neg(x) : auk_not(x);
      return AUK_OK;
    }
    case AST_BINARY: {
      if ((!strcmp(e->name, "+") || !strcmp(e->name, "-")) &&
          (e->args[0]->kind == AST_INTERVAL || e->args[1]->kind == AST_INTERVAL))
        return lower_interval_arith(P, cx, e, out);
      auk_expr *a[2];
      if (lower_args(P, cx, e, 0, a)) return P->err->code;
      if (!strcmp(e->name, "||")) {
        /* SQL: NULL when either side is NULL (concat() skips nulls) */
        auk_expr *either = auk_or(auk_is_null(expr_retain(a[0])), auk_is_null(expr_retain(a[1])));
        auk_expr *cargs[2] = {a[0], a[1]};
        *out = auk_when(either, auk_lit_null(), auk_call("concat", 2, cargs));
        return AUK_OK;
      }
      if (!strcmp(e->name, "%")) {
        *out = sql_remainder(a[0], a[1]);
        return AUK_OK;
      }
      if (!strcmp(e->name, "//")) {
        *out = sql_int_divide(a[0], a[1]);
        return AUK_OK;
      }
      for (size_t k = 0; k < sizeof binops / sizeof binops[0]; k++)
        if (!strcmp(binops[k].op, e->name)) {
          *out = binops[k].fn(a[0], a[1]);
          return AUK_OK;
        }
      expr_release(a[0]);
      expr_release(a[1]);
      return err_at(P, e->pos, AUK_ERR_INTERNAL, "unknown operator %s%s", e->name, "");
    }
    case AST_FUNC: return lower_func(P, cx, e, out);
    case AST_CASE: return lower_case(P, cx, e, out);
    case AST_CAST: {
      auk_expr *x;
      if (lower_expr(P, cx, e->args[0], &x)) return P->err->code;
      /* SQL rounds a float cast to an integer; the expression layer
       * truncates, as Polars does. */
      const ast_expr *lit = e->args[0];
      if (lit->kind == AST_UNARY && !strcmp(lit->name, "-")) lit = lit->args[0];
      x = sql_cast_prepare(cx->input, x, e->type, lit->kind != AST_FLOAT);
      *out = e->try_cast ? auk_try_cast(x, e->type) : auk_cast(x, e->type);
      return AUK_OK;
    }
    case AST_BETWEEN: {
      auk_expr *a[3];
      if (lower_args(P, cx, e, 0, a)) return P->err->code;
      auk_expr *b = auk_and(auk_ge(expr_retain(a[0]), a[1]), auk_le(a[0], a[2]));
      *out = e->negated ? auk_not(b) : b;
      return AUK_OK;
    }
    case AST_IN_LIST: return lower_in_list(P, cx, e, out);
    case AST_IS_NULL: {
      auk_expr *x;
      if (lower_expr(P, cx, e->args[0], &x)) return P->err->code;
      *out = e->negated ? auk_is_not_null(x) : auk_is_null(x);
      return AUK_OK;
    }
    case AST_LIKE: {
      auk_expr *a[2];
      if (lower_args(P, cx, e, 0, a)) return P->err->code;
      auk_expr *l = auk_call2(e->ilike ? "ilike" : "like", a[0], a[1]);
      *out = e->negated ? auk_not(l) : l;
      return AUK_OK;
    }
    case AST_DISTINCT_FROM: {
      auk_expr *a[2];
      if (lower_args(P, cx, e, 0, a)) return P->err->code;
      /* IS DISTINCT FROM: never null; two nulls are not distinct. */
      auk_expr *conds[2] = {auk_is_null(expr_retain(a[0])), auk_is_null(expr_retain(a[1]))};
      auk_expr *vals[2] = {auk_is_not_null(expr_retain(a[1])), auk_lit_bool(1)};
      auk_expr *d = auk_when_chain(2, conds, vals, auk_ne(a[0], a[1]));
      *out = e->negated ? auk_not(d) : d;
      return AUK_OK;
    }
    case AST_SUBQUERY: return eval_scalar_subquery(P, e, out);
    case AST_IN_QUERY:
    case AST_EXISTS: {
      /* Uncorrelated, outside a WHERE conjunct: run it now. */
      return err_at(P, e->pos, AUK_ERR_UNSUPPORTED,
                    "%s subqueries are supported as conditions in WHERE (joined with AND)%s",
                    e->kind == AST_EXISTS ? "EXISTS" : "IN", "");
    }
  }
  return err_at(P, e->pos, AUK_ERR_INTERNAL, "unhandled expression%s%s", "", "");
}
