/* expr.h - expressions: the unbound trees users and SQL build, and the
 * bound trees the executor evaluates.
 *
 * An auk_expr is an immutable, refcounted tree: builders take ownership of
 * their arguments, so `auk_gt(auk_col("x"), auk_lit_int(3))` composes with
 * no leaks, and a rewrite shares the subtrees it keeps. A builder never
 * fails: a bad argument or an allocation failure gives an ERROR node whose
 * message surfaces when the expression is bound against a schema.
 *
 * Binding (bind.c) resolves column names to indices, checks and infers
 * types, and inserts the implicit casts, giving a bexpr that the kernels
 * (k_*.c) evaluate one batch at a time. */
#ifndef AUK_EXPR_EXPR_H
#define AUK_EXPR_EXPR_H
#include "auk.h"
#include "core/array.h"
#include "core/batch.h"
#include "core/schema.h"

#include <stdatomic.h>

typedef enum {
  EXPR_COL,   /* name */
  EXPR_LIT,   /* lit */
  EXPR_ALIAS, /* args[0] AS name */
  EXPR_CALL,  /* fn(args...) */
  EXPR_CAST,  /* args[0] as cast_type (strict or not) */
  EXPR_ERROR  /* name holds the message */
} expr_kind;

/* Every function and operator. The registry (registry.c) gives each its
 * user-facing name and argument count. */
#define EXPR_FN_LIST(X)                                                     \
  X(FN_ADD, "+", 2, 2)                                                      \
  X(FN_SUB, "-", 2, 2)                                                      \
  X(FN_MUL, "*", 2, 2)                                                      \
  X(FN_DIV, "/", 2, 2)                                                      \
  X(FN_FLOORDIV, "//", 2, 2)                                                \
  X(FN_MOD, "%", 2, 2)                                                      \
  X(FN_NEG, "neg", 1, 1)                                                    \
  X(FN_EQ, "==", 2, 2)                                                      \
  X(FN_NE, "!=", 2, 2)                                                      \
  X(FN_LT, "<", 2, 2)                                                       \
  X(FN_LE, "<=", 2, 2)                                                      \
  X(FN_GT, ">", 2, 2)                                                       \
  X(FN_GE, ">=", 2, 2)                                                      \
  X(FN_AND, "and", 2, 2)                                                    \
  X(FN_OR, "or", 2, 2)                                                      \
  X(FN_NOT, "not", 1, 1)                                                    \
  X(FN_IS_NULL, "is_null", 1, 1)                                            \
  X(FN_IS_NOT_NULL, "is_not_null", 1, 1)                                    \
  X(FN_COALESCE, "coalesce", 1, 64)                                         \
  X(FN_IS_IN, "is_in", 1, 1 << 20)                                          \
  X(FN_BETWEEN, "is_between", 3, 3)                                         \
  X(FN_WHEN, "when", 3, 1 << 20) /* cond, then, ..., otherwise */           \
  X(FN_LENGTH, "length", 1, 1)                                              \
  X(FN_UPPER, "upper", 1, 1)                                                \
  X(FN_LOWER, "lower", 1, 1)                                                \
  X(FN_STRIP, "strip", 1, 2) /* [characters, else white space] */           \
  X(FN_CONTAINS, "contains", 2, 2)                                          \
  X(FN_REGEX, "regexp_matches", 2, 2)                                       \
  X(FN_STARTS_WITH, "starts_with", 2, 2)                                    \
  X(FN_ENDS_WITH, "ends_with", 2, 2)                                        \
  X(FN_LIKE, "like", 2, 2)                                                  \
  X(FN_ILIKE, "ilike", 2, 2)                                                \
  X(FN_SUBSTR, "substr", 2, 3) /* 1-based start as in SQL */                \
  X(FN_REPLACE, "replace", 3, 3)                                            \
  X(FN_SPLIT_PART, "split_part", 3, 3)                                      \
  X(FN_LTRIM, "ltrim", 1, 2)                                                \
  X(FN_RTRIM, "rtrim", 1, 2)                                                \
  X(FN_REVERSE, "reverse", 1, 1)                                            \
  X(FN_REPEAT, "repeat", 2, 2) /* text, count literal */                    \
  X(FN_LEFT, "left", 2, 2)     /* first n characters */                     \
  X(FN_RIGHT, "right", 2, 2)   /* last n characters */                      \
  X(FN_LPAD, "lpad", 3, 3)     /* text, length, fill */                     \
  X(FN_RPAD, "rpad", 3, 3)                                                  \
  X(FN_REGEXP_REPLACE, "regexp_replace", 3, 4) /* flag 'g': all */          \
  X(FN_REGEXP_EXTRACT, "regexp_extract", 2, 3) /* [group]; '' when none */  \
  X(FN_STRPOS, "strpos", 2, 2)                 /* 1-based, 0 when absent */ \
  X(FN_CONCAT, "concat", 1, 64)                                             \
  X(FN_STRPTIME, "strptime", 2, 2)                                          \
  X(FN_STRFTIME, "strftime", 2, 2)                                          \
  X(FN_YEAR, "year", 1, 1)                                                  \
  X(FN_MONTH, "month", 1, 1)                                                \
  X(FN_DAY, "day", 1, 1)                                                    \
  X(FN_HOUR, "hour", 1, 1)                                                  \
  X(FN_MINUTE, "minute", 1, 1)                                              \
  X(FN_SECOND, "second", 1, 1)                                              \
  X(FN_WEEKDAY, "weekday", 1, 1) /* ISO: Monday 1 .. Sunday 7 */            \
  X(FN_DAY_OF_YEAR, "day_of_year", 1, 1)                                    \
  X(FN_DATE_TRUNC, "date_trunc", 2, 2) /* unit text, value */               \
  X(FN_ABS, "abs", 1, 1)                                                    \
  X(FN_ROUND, "round", 1, 2)                                                \
  X(FN_FLOOR, "floor", 1, 1)                                                \
  X(FN_CEIL, "ceil", 1, 1)                                                  \
  X(FN_SQRT, "sqrt", 1, 1)                                                  \
  X(FN_POW, "pow", 2, 2)                                                    \
  X(FN_LOG, "log", 1, 1)                                                    \
  X(FN_LOG10, "log10", 1, 1)                                                \
  X(FN_LOG2, "log2", 1, 1)                                                  \
  X(FN_EXP, "exp", 1, 1)                                                    \
  /* aggregates (group_by ... agg); FN_SUM is the first */                  \
  X(FN_SUM, "sum", 1, 1)                                                    \
  X(FN_MEAN, "mean", 1, 1)                                                  \
  X(FN_MIN, "min", 1, 1)                                                    \
  X(FN_MAX, "max", 1, 1)                                                    \
  X(FN_COUNT, "count", 1, 1) /* non-null values */                          \
  X(FN_LEN, "len", 0, 0)     /* rows */                                     \
  X(FN_N_UNIQUE, "n_unique", 1, 1)                                          \
  X(FN_MEDIAN, "median", 1, 1)                                              \
  X(FN_QUANTILE, "quantile", 2, 2) /* value, q literal */                   \
  X(FN_STD, "std", 1, 2)           /* value [, ddof literal] */             \
  X(FN_VAR, "var", 1, 2)                                                    \
  X(FN_FIRST, "first", 1, 1)                                                \
  X(FN_LAST, "last", 1, 1)                                                  \
  X(FN_ANY, "any", 1, 1)                                                    \
  X(FN_ALL, "all", 1, 1)                                                    \
  X(FN_CORR, "corr", 2, 2)                                                  \
  X(FN_COV, "cov", 2, 2)                                                    \
  X(FN_ARG_MIN, "arg_min", 1, 1)                                            \
  X(FN_ARG_MAX, "arg_max", 1, 1)                                            \
  X(FN_STRING_AGG, "string_agg", 2, 2) /* values as text, separator literal */

typedef enum {
#define EXPR_FN_ENUM_(id, name, lo, hi) id,
  EXPR_FN_LIST(EXPR_FN_ENUM_)
#undef EXPR_FN_ENUM_
      FN_COUNT_
} expr_fn;

/* A typed scalar. Dates and datetimes are held in i. */
typedef struct expr_value {
  auk_type_id type;
  int is_null;
  int64_t i;
  double f;
  char *s; /* strings: owned, NUL-terminated; len bytes */
  int64_t len;
} expr_value;

struct auk_expr {
  _Atomic int64_t refs;
  expr_kind kind;
  expr_fn fn;
  char *name; /* column, alias, or error message */
  expr_value lit;
  auk_type_id cast_type;
  int strict;
  int nargs;
  struct auk_expr **args;
};

/* ------------------------------------------------------------ registry */

const char *expr_fn_name(expr_fn fn);
static inline int expr_fn_is_agg(expr_fn fn) {
  return fn >= FN_SUM && fn < FN_COUNT_;
}
/* 1 when e contains an aggregate call. */
int expr_has_agg(const auk_expr *e);
void expr_fn_arity(expr_fn fn, int *lo, int *hi);
/* The function named `name` (case-insensitive; SQL spellings included), or
 * -1. */
int expr_fn_lookup(const char *name);

/* ---------------------------------------------------------- unbound API */

/* Builders return a new reference; they take ownership of args. */
auk_expr *expr_new_call(expr_fn fn, int nargs, auk_expr **args);
auk_expr *expr_new_error(const char *fmt, ...);
auk_expr *expr_new_lit(const expr_value *v); /* copies v */
auk_expr *expr_new_col(const char *name);
auk_expr *expr_new_alias(auk_expr *e, const char *name);
auk_expr *expr_new_cast(auk_expr *e, auk_type_id type, int strict);
/* e with every col(name) that `lookup` maps replaced (new reference). */
auk_expr *expr_substitute(auk_expr *e, auk_expr *(*lookup)(void *ctx, const char *name), void *ctx);
/* A copy of e's node over args[0..e->nargs) (taken; on failure they are
 * released and an error node returned). */
auk_expr *expr_with_args(const auk_expr *e, auk_expr **args);
auk_expr *expr_retain(auk_expr *e);
void expr_release(auk_expr *e);
/* e below any aliases (col("x").alias("y") is col("x")). */
static inline const auk_expr *expr_unalias(const auk_expr *e) {
  while (e->kind == EXPR_ALIAS) e = e->args[0];
  return e;
}
/* The expression as text, e.g. `(col("v1") * 2) > 10` (truncated to cap). */
void expr_to_string(const auk_expr *e, char *buf, size_t cap);
/* Name of the column the expression produces: an alias, else the leftmost
 * column it reads, else "literal". */
const char *expr_output_name(const auk_expr *e);
/* 1 when e is EXPR_ERROR anywhere in the tree; msg gets the first one. */
int expr_find_error(const auk_expr *e, const char **msg);
/* Column names the expression reads, appended to names (deduplicated). */
typedef struct expr_names {
  const char **names;
  int n, cap;
} expr_names;
auk_status expr_collect_columns(const auk_expr *e, expr_names *out, auk_error *err);
void expr_names_free(expr_names *n);
void expr_value_free(expr_value *v);
auk_status expr_value_copy(expr_value *dst, const expr_value *src, auk_error *err);

/* ------------------------------------------------------------ bound API */

typedef struct bexpr {
  expr_kind kind; /* COL, LIT, CALL or CAST (aliases are dropped) */
  expr_fn fn;
  auk_type_id type; /* result type */
  char *tz;         /* datetime result zone, or NULL */
  int col;          /* EXPR_COL: input column index */
  expr_value lit;   /* EXPR_LIT */
  int strict;       /* EXPR_CAST */
  int nargs;
  struct bexpr **args;
  const auk_expr *src; /* for error messages */
  void *aux;           /* kernel state prepared at bind time (regex, sets) */
  void (*aux_free)(void *);
} bexpr;

/* Binds e against schema: *out gets a bound tree, *field (optional) the
 * output name and type. Errors name the expression and, for an unknown
 * column, the closest existing names. */
auk_status expr_bind(const auk_expr *e, const auk_schema *schema, bexpr **out, auk_field *field,
                     auk_error *err);
void bexpr_free(bexpr *b);

/* Evaluates b over the rows of batch; *out gets a new array of
 * batch->nrows values. Thread-safe: a bexpr may be evaluated by many
 * threads at once. */
auk_status bexpr_eval(const bexpr *b, const auk_batch *batch, auk_array **out, auk_error *err);

/* Evaluates an expression that reads no column (constant folding). */
auk_status bexpr_eval_const(const bexpr *b, expr_value *out, auk_error *err);

#endif
