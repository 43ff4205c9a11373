/* expr_api.c - the public expression builders: thin wrappers over
 * src/expr that keep the promise of auk.h (arguments taken, never NULL). */
#include "core/decimal.h"
#include "core/alloc.h"
#include "core/datetime.h"
#include "expr/expr.h"

#include <stdio.h>
#include <string.h>

auk_expr *auk_col(const char *name) {
  return expr_new_col(name);
}

auk_expr *auk_all(void) {
  return auk_all_of_type(AUK_TYPE_COUNT_);
}

auk_expr *auk_all_of_type(auk_type_id type) {
  auk_expr *e = expr_new_col("*");
  if (e->kind == EXPR_COL) e->cast_type = type;
  return e;
}

static auk_expr *lit(expr_value v) {
  return expr_new_lit(&v);
}

auk_expr *auk_lit_int(int64_t value) {
  return lit((expr_value){.type = AUK_TYPE_INT64, .i = value});
}
auk_expr *auk_lit_double(double value) {
  return lit((expr_value){.type = AUK_TYPE_FLOAT64, .f = value});
}
auk_expr *auk_lit_decimal(int64_t unscaled, int precision, int scale) {
  if (!auk_decimal_valid(precision, scale))
    return expr_new_error(
        "auk_lit_decimal: decimal(%d,%d) is not a type auk stores (precision "
        "1..18, scale 0..precision)",
        precision, scale);
  if (!auk_decimal_fits(unscaled, precision))
    return expr_new_error("auk_lit_decimal: %lld has more than %d digits", (long long)unscaled,
                          precision);
  return lit((expr_value){.type = AUK_DECIMAL(precision, scale), .i = unscaled});
}

auk_expr *auk_lit_bool(int value) {
  return lit((expr_value){.type = AUK_TYPE_BOOL, .i = value != 0});
}
auk_expr *auk_lit_null(void) {
  return lit((expr_value){.type = AUK_TYPE_NULL, .is_null = 1});
}
auk_expr *auk_lit_str(const char *value) {
  if (!value) return expr_new_error("string literal is NULL");
  return lit(
      (expr_value){.type = AUK_TYPE_STRING, .s = (char *)value, .len = (int64_t)strlen(value)});
}
auk_expr *auk_lit_date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return expr_new_error("invalid date %04d-%02d-%02d", year, month, day);
  return lit((expr_value){.type = AUK_TYPE_DATE, .i = auk_days_from_civil(year, month, day)});
}

auk_expr *auk_alias(auk_expr *e, const char *name) {
  return expr_new_alias(e, name);
}
auk_expr *auk_cast(auk_expr *e, auk_type_id type) {
  return expr_new_cast(e, type, 1);
}
auk_expr *auk_try_cast(auk_expr *e, auk_type_id type) {
  return expr_new_cast(e, type, 0);
}

static auk_expr *call2(expr_fn fn, auk_expr *a, auk_expr *b) {
  auk_expr *args[2] = {a, b};
  return expr_new_call(fn, 2, args);
}
static auk_expr *call1(expr_fn fn, auk_expr *a) {
  return expr_new_call(fn, 1, &a);
}

auk_expr *auk_add(auk_expr *a, auk_expr *b) {
  return call2(FN_ADD, a, b);
}
auk_expr *auk_sub(auk_expr *a, auk_expr *b) {
  return call2(FN_SUB, a, b);
}
auk_expr *auk_mul(auk_expr *a, auk_expr *b) {
  return call2(FN_MUL, a, b);
}
auk_expr *auk_div(auk_expr *a, auk_expr *b) {
  return call2(FN_DIV, a, b);
}
auk_expr *auk_floordiv(auk_expr *a, auk_expr *b) {
  return call2(FN_FLOORDIV, a, b);
}
auk_expr *auk_mod(auk_expr *a, auk_expr *b) {
  return call2(FN_MOD, a, b);
}
auk_expr *auk_neg(auk_expr *a) {
  return call1(FN_NEG, a);
}
auk_expr *auk_eq(auk_expr *a, auk_expr *b) {
  return call2(FN_EQ, a, b);
}
auk_expr *auk_ne(auk_expr *a, auk_expr *b) {
  return call2(FN_NE, a, b);
}
auk_expr *auk_lt(auk_expr *a, auk_expr *b) {
  return call2(FN_LT, a, b);
}
auk_expr *auk_le(auk_expr *a, auk_expr *b) {
  return call2(FN_LE, a, b);
}
auk_expr *auk_gt(auk_expr *a, auk_expr *b) {
  return call2(FN_GT, a, b);
}
auk_expr *auk_ge(auk_expr *a, auk_expr *b) {
  return call2(FN_GE, a, b);
}
auk_expr *auk_and(auk_expr *a, auk_expr *b) {
  return call2(FN_AND, a, b);
}
auk_expr *auk_or(auk_expr *a, auk_expr *b) {
  return call2(FN_OR, a, b);
}
auk_expr *auk_not(auk_expr *a) {
  return call1(FN_NOT, a);
}
auk_expr *auk_is_null(auk_expr *a) {
  return call1(FN_IS_NULL, a);
}
auk_expr *auk_is_not_null(auk_expr *a) {
  return call1(FN_IS_NOT_NULL, a);
}
auk_expr *auk_fill_null(auk_expr *a, auk_expr *b) {
  return call2(FN_COALESCE, a, b);
}

auk_expr *auk_coalesce(int n, auk_expr **args) {
  if (n < 0 || (n > 0 && !args)) return expr_new_error("coalesce: bad argument list");
  return expr_new_call(FN_COALESCE, n, args);
}

/* Builds fn(first, rest[0..n)) taking all of them. */
static auk_expr *call_list(expr_fn fn, auk_expr *first, int n, auk_expr **rest) {
  if (n < 0 || (n > 0 && !rest)) {
    expr_release(first);
    return expr_new_error("%s: bad argument list", expr_fn_name(fn));
  }
  auk_expr **args = auk_mem_alloc(sizeof(auk_expr *) * (size_t)(n + 1), NULL);
  if (!args) {
    expr_release(first);
    for (int i = 0; i < n; i++) expr_release(rest[i]);
    return expr_new_error("out of memory building %s", expr_fn_name(fn));
  }
  args[0] = first;
  memcpy(args + 1, rest, sizeof(auk_expr *) * (size_t)n);
  auk_expr *e = expr_new_call(fn, n + 1, args);
  auk_mem_free(args, sizeof(auk_expr *) * (size_t)(n + 1));
  return e;
}

auk_expr *auk_is_in(auk_expr *e, int n, auk_expr **values) {
  return call_list(FN_IS_IN, e, n, values);
}

auk_expr *auk_is_between(auk_expr *e, auk_expr *lo, auk_expr *hi) {
  auk_expr *args[3] = {e, lo, hi};
  return expr_new_call(FN_BETWEEN, 3, args);
}

auk_expr *auk_when(auk_expr *cond, auk_expr *value, auk_expr *otherwise) {
  auk_expr *args[3] = {cond, value, otherwise};
  return expr_new_call(FN_WHEN, 3, args);
}

auk_expr *auk_when_chain(int n, auk_expr **conds, auk_expr **values, auk_expr *otherwise) {
  if (n < 1 || !conds || !values) {
    expr_release(otherwise);
    return expr_new_error("when chain needs at least one condition");
  }
  auk_expr **args = auk_mem_alloc(sizeof(auk_expr *) * (size_t)(2 * n + 1), NULL);
  if (!args) return expr_new_error("out of memory building when");
  for (int i = 0; i < n; i++) {
    args[2 * i] = conds[i];
    args[2 * i + 1] = values[i];
  }
  args[2 * n] = otherwise;
  auk_expr *e = expr_new_call(FN_WHEN, 2 * n + 1, args);
  auk_mem_free(args, sizeof(auk_expr *) * (size_t)(2 * n + 1));
  return e;
}

auk_expr *auk_call(const char *function, int nargs, auk_expr **args) {
  int fn = function ? expr_fn_lookup(function) : -1;
  if (fn < 0 || nargs < 0 || (nargs > 0 && !args)) {
    for (int i = 0; i < nargs && args; i++) expr_release(args[i]);
    return expr_new_error("unknown function '%s'", function ? function : "(null)");
  }
  return expr_new_call((expr_fn)fn, nargs, args);
}

auk_expr *auk_call1(const char *function, auk_expr *a) {
  return auk_call(function, 1, &a);
}
auk_expr *auk_call2(const char *function, auk_expr *a, auk_expr *b) {
  auk_expr *args[2] = {a, b};
  return auk_call(function, 2, args);
}
auk_expr *auk_call3(const char *function, auk_expr *a, auk_expr *b, auk_expr *c) {
  auk_expr *args[3] = {a, b, c};
  return auk_call(function, 3, args);
}

auk_expr *auk_expr_clone(const auk_expr *e) {
  return e ? expr_retain((auk_expr *)e) : expr_new_error("clone of a NULL expression");
}

void auk_expr_free(auk_expr *e) {
  expr_release(e);
}

void auk_expr_to_string(const auk_expr *e, char *buf, size_t cap) {
  if (!buf || !cap) return;
  if (!e) {
    snprintf(buf, cap, "(null)");
    return;
  }
  expr_to_string(e, buf, cap);
}

/* ------------------------------------------------------------ aggregates */

auk_expr *auk_sum(auk_expr *e) {
  return call1(FN_SUM, e);
}
auk_expr *auk_mean(auk_expr *e) {
  return call1(FN_MEAN, e);
}
auk_expr *auk_min(auk_expr *e) {
  return call1(FN_MIN, e);
}
auk_expr *auk_max(auk_expr *e) {
  return call1(FN_MAX, e);
}
auk_expr *auk_count(auk_expr *e) {
  return call1(FN_COUNT, e);
}
auk_expr *auk_len(void) {
  return expr_new_call(FN_LEN, 0, NULL);
}
auk_expr *auk_median(auk_expr *e) {
  return call1(FN_MEDIAN, e);
}
auk_expr *auk_quantile(auk_expr *e, double q) {
  return call2(FN_QUANTILE, e, auk_lit_double(q));
}
auk_expr *auk_std(auk_expr *e, int ddof) {
  return call2(FN_STD, e, auk_lit_int(ddof));
}
auk_expr *auk_var(auk_expr *e, int ddof) {
  return call2(FN_VAR, e, auk_lit_int(ddof));
}
auk_expr *auk_first(auk_expr *e) {
  return call1(FN_FIRST, e);
}
auk_expr *auk_last(auk_expr *e) {
  return call1(FN_LAST, e);
}
auk_expr *auk_n_unique(auk_expr *e) {
  return call1(FN_N_UNIQUE, e);
}
auk_expr *auk_corr(auk_expr *a, auk_expr *b) {
  return call2(FN_CORR, a, b);
}
auk_expr *auk_cov(auk_expr *a, auk_expr *b) {
  return call2(FN_COV, a, b);
}
auk_expr *auk_string_agg(auk_expr *e, const char *sep) {
  return call2(FN_STRING_AGG, e, auk_lit_str(sep ? sep : ""));
}
