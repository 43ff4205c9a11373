/* expr.c - unbound expression trees: construction, reference counting,
 * the function registry, printing, and the questions the planner asks
 * (output name, columns read). */
#include "expr/expr.h"

#include "core/decimal.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/types.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ registry */

static const struct {
  const char *name;
  int lo, hi;
} fn_table[FN_COUNT_] = {
#define EXPR_FN_ROW_(id, name, lo, hi) {name, lo, hi},
    EXPR_FN_LIST(EXPR_FN_ROW_)
#undef EXPR_FN_ROW_
};

const char *expr_fn_name(expr_fn fn) {
  return (unsigned)fn < FN_COUNT_ ? fn_table[fn].name : "?";
}

void expr_fn_arity(expr_fn fn, int *lo, int *hi) {
  *lo = fn_table[fn].lo;
  *hi = fn_table[fn].hi;
}

/* Other spellings users of SQL, Polars and pandas reach for. */
static const struct {
  const char *alias;
  expr_fn fn;
} fn_aliases[] = {
    {"len", FN_LENGTH},
    {"char_length", FN_LENGTH},
    {"str_len", FN_LENGTH},
    {"to_uppercase", FN_UPPER},
    {"to_lowercase", FN_LOWER},
    {"trim", FN_STRIP},
    {"strip_chars", FN_STRIP},
    {"substring", FN_SUBSTR},
    {"slice", FN_SUBSTR},
    {"fill_null", FN_COALESCE},
    {"ifnull", FN_COALESCE},
    {"isnull", FN_IS_NULL},
    {"notnull", FN_IS_NOT_NULL},
    {"between", FN_BETWEEN},
    {"in", FN_IS_IN},
    {"regexp_like", FN_REGEX},
    {"str_contains", FN_CONTAINS},
    {"prefix", FN_STARTS_WITH},
    {"suffix", FN_ENDS_WITH},
    {"to_timestamp", FN_STRPTIME},
    {"strptime", FN_STRPTIME},
    {"to_char", FN_STRFTIME},
    {"dayofmonth", FN_DAY},
    {"dayofyear", FN_DAY_OF_YEAR},
    {"ordinal_day", FN_DAY_OF_YEAR},
    {"isodow", FN_WEEKDAY},
    {"truncate", FN_DATE_TRUNC},
    {"power", FN_POW},
    {"ln", FN_LOG},
    {"instr", FN_STRPOS},
    {"str_find", FN_STRPOS},
    {"strip_chars_start", FN_LTRIM},
    {"strip_chars_end", FN_RTRIM},
    {"str_replace_all", FN_REGEXP_REPLACE},
    {"ceiling", FN_CEIL},
    {"add", FN_ADD},
    {"sub", FN_SUB},
    {"mul", FN_MUL},
    {"truediv", FN_DIV},
    {"floordiv", FN_FLOORDIV},
    {"mod", FN_MOD},
    {"eq", FN_EQ},
    {"ne", FN_NE},
    {"lt", FN_LT},
    {"le", FN_LE},
    {"gt", FN_GT},
    {"ge", FN_GE},
    {"negate", FN_NEG},
    {"avg", FN_MEAN},
    {"count_distinct", FN_N_UNIQUE},
    {"stddev", FN_STD},
    {"stddev_samp", FN_STD},
    {"var_samp", FN_VAR},
    {"variance", FN_VAR},
    {"bool_or", FN_ANY},
    {"bool_and", FN_ALL},
    {"covar_samp", FN_COV},
    {"argmin", FN_ARG_MIN},
    {"argmax", FN_ARG_MAX},
    {"quantile_cont", FN_QUANTILE},
    {"group_concat", FN_STRING_AGG},
    {"listagg", FN_STRING_AGG},
};

int expr_fn_lookup(const char *name) {
  for (int i = 0; i < FN_COUNT_; i++)
    if (!strcasecmp(fn_table[i].name, name)) return i;
  for (size_t i = 0; i < sizeof fn_aliases / sizeof fn_aliases[0]; i++)
    if (!strcasecmp(fn_aliases[i].alias, name)) return (int)fn_aliases[i].fn;
  return -1;
}

/* ------------------------------------------------------------- values */

void expr_value_free(expr_value *v) {
  if (v && v->s) {
    auk_mem_free(v->s, (size_t)v->len + 1);
    v->s = NULL;
  }
}

auk_status expr_value_copy(expr_value *dst, const expr_value *src, auk_error *err) {
  *dst = *src;
  if (src->s) {
    dst->s = auk_mem_alloc((size_t)src->len + 1, err);
    if (!dst->s) return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
    memcpy(dst->s, src->s, (size_t)src->len + 1);
  }
  return AUK_OK;
}

/* -------------------------------------------------------- construction */

/* Returned when even an error node cannot be allocated; never freed. */
static struct auk_expr oom_expr = {
    .refs = 1 << 30, .kind = EXPR_ERROR, .name = "out of memory building an expression"};

static auk_expr *node(expr_kind kind, int nargs) {
  auk_expr *e = auk_mem_calloc(sizeof *e, NULL);
  if (!e) return NULL;
  e->refs = 1;
  e->kind = kind;
  if (nargs) {
    e->args = auk_mem_calloc(sizeof(auk_expr *) * (size_t)nargs, NULL);
    if (!e->args) {
      auk_mem_free(e, sizeof *e);
      return NULL;
    }
    e->nargs = nargs;
  }
  return e;
}

auk_expr *expr_new_error(const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  auk_expr *e = node(EXPR_ERROR, 0);
  if (!e) return &oom_expr;
  e->name = auk_str_dup(msg, NULL);
  if (!e->name) {
    auk_mem_free(e, sizeof *e);
    return &oom_expr;
  }
  return e;
}

auk_expr *expr_new_call(expr_fn fn, int nargs, auk_expr **args) {
  for (int i = 0; i < nargs; i++) {
    if (!args[i]) {
      for (int j = 0; j < nargs; j++) expr_release(args[j]);
      return expr_new_error("argument %d of %s is missing (NULL)", i + 1, expr_fn_name(fn));
    }
  }
  int lo, hi;
  expr_fn_arity(fn, &lo, &hi);
  if (nargs < lo || nargs > hi) {
    for (int j = 0; j < nargs; j++) expr_release(args[j]);
    return expr_new_error("%s takes %d%s argument%s, not %d", expr_fn_name(fn), lo,
                          hi > lo ? " or more" : "", lo == 1 && hi == lo ? "" : "s", nargs);
  }
  auk_expr *e = node(EXPR_CALL, nargs);
  if (!e) {
    for (int j = 0; j < nargs; j++) expr_release(args[j]);
    return &oom_expr;
  }
  e->fn = fn;
  if (nargs) memcpy(e->args, args, sizeof(auk_expr *) * (size_t)nargs);
  return e;
}

auk_expr *expr_new_lit(const expr_value *v) {
  auk_expr *e = node(EXPR_LIT, 0);
  if (!e) return &oom_expr;
  if (expr_value_copy(&e->lit, v, NULL)) {
    auk_mem_free(e, sizeof *e);
    return &oom_expr;
  }
  return e;
}

auk_expr *expr_new_col(const char *name) {
  if (!name) return expr_new_error("column name is NULL");
  auk_expr *e = node(EXPR_COL, 0);
  if (!e) return &oom_expr;
  if (!(e->name = auk_str_dup(name, NULL))) {
    auk_mem_free(e, sizeof *e);
    return &oom_expr;
  }
  return e;
}

auk_expr *expr_new_alias(auk_expr *c, const char *name) {
  if (!c) return expr_new_error("alias of a NULL expression");
  if (!name) {
    expr_release(c);
    return expr_new_error("alias name is NULL");
  }
  auk_expr *e = node(EXPR_ALIAS, 1);
  if (!e || !(e->name = auk_str_dup(name, NULL))) {
    if (e) auk_mem_free(e->args, sizeof(auk_expr *)), auk_mem_free(e, sizeof *e);
    expr_release(c);
    return &oom_expr;
  }
  e->args[0] = c;
  return e;
}

auk_expr *expr_new_cast(auk_expr *c, auk_type_id type, int strict) {
  if (!c) return expr_new_error("cast of a NULL expression");
  if (!auk_type_valid(type)) {
    expr_release(c);
    return expr_new_error("cast to an unknown type id %d", (int)type);
  }
  auk_expr *e = node(EXPR_CAST, 1);
  if (!e) {
    expr_release(c);
    return &oom_expr;
  }
  e->args[0] = c;
  e->cast_type = type;
  e->strict = strict;
  return e;
}

auk_expr *expr_substitute(auk_expr *e, auk_expr *(*lookup)(void *ctx, const char *name),
                          void *ctx) {
  if (e->kind == EXPR_COL) {
    auk_expr *r = lookup(ctx, e->name);
    return r ? expr_retain(r) : expr_retain(e);
  }
  if (!e->nargs) return expr_retain(e);
  auk_expr *args[64];
  int n = e->nargs, changed = 0;
  if (n > 64) return expr_retain(e);
  for (int i = 0; i < n; i++) {
    args[i] = expr_substitute(e->args[i], lookup, ctx);
    changed |= args[i] != e->args[i];
  }
  if (!changed) {
    for (int i = 0; i < n; i++) expr_release(args[i]);
    return expr_retain(e);
  }
  return expr_with_args(e, args);
}

auk_expr *expr_with_args(const auk_expr *e, auk_expr **args) {
  int n = e->nargs;
  auk_expr *c = node(e->kind, n);
  if (!c || (e->name && !(c->name = auk_str_dup(e->name, NULL))) ||
      expr_value_copy(&c->lit, &e->lit, NULL)) {
    for (int i = 0; i < n; i++) expr_release(args[i]);
    expr_release(c);
    return &oom_expr;
  }
  c->fn = e->fn;
  c->cast_type = e->cast_type;
  c->strict = e->strict;
  if (n) memcpy(c->args, args, sizeof(auk_expr *) * (size_t)n);
  return c;
}

auk_expr *expr_retain(auk_expr *e) {
  if (e) atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
  return e;
}

void expr_release(auk_expr *e) {
  if (!e || e == &oom_expr) return;
  if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1) return;
  for (int i = 0; i < e->nargs; i++) expr_release(e->args[i]);
  if (e->args) auk_mem_free(e->args, sizeof(auk_expr *) * (size_t)e->nargs);
  auk_str_free(e->name);
  expr_value_free(&e->lit);
  auk_mem_free(e, sizeof *e);
}

/* ------------------------------------------------------------ printing */

typedef struct sbuf {
  char *p;
  size_t cap, len;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) AUK_PRINTF(2, 3);
static void put(sbuf *b, const char *fmt, ...) {
  if (b->len + 1 >= b->cap) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (n > 0) b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

static void put_value(sbuf *b, const expr_value *v) {
  if (v->is_null) return put(b, "null");
  switch (v->type) {
    case AUK_TYPE_BOOL: return put(b, "%s", v->i ? "true" : "false");
    case AUK_TYPE_FLOAT32:
    case AUK_TYPE_FLOAT64: return put(b, "%.17g", v->f);
    case AUK_TYPE_STRING: return put(b, "\"%.*s\"", (int)(v->len > 200 ? 200 : v->len), v->s);
    case AUK_TYPE_DATE: return put(b, "date(%lld)", (long long)v->i);
    case AUK_TYPE_DATETIME: return put(b, "datetime(%lld)", (long long)v->i);
    default:
      if (auk_type_is_decimal(v->type)) {
        char t[32];
        auk_decimal_format(v->i, auk_decimal_scale(v->type), t);
        return put(b, "%s", t);
      }
      return put(b, "%lld", (long long)v->i);
  }
}

static int is_infix(expr_fn fn) {
  return fn <= FN_OR && fn != FN_NEG;
}

static void put_expr(sbuf *b, const auk_expr *e) {
  switch (e->kind) {
    case EXPR_COL: return put(b, "col(\"%s\")", e->name);
    case EXPR_LIT: return put_value(b, &e->lit);
    case EXPR_ALIAS: put_expr(b, e->args[0]); return put(b, ".alias(\"%s\")", e->name);
    case EXPR_CAST:
      put_expr(b, e->args[0]);
      return put(b, ".%s(%s)", e->strict ? "cast" : "try_cast", auk_type_name(e->cast_type));
    case EXPR_ERROR: return put(b, "<error: %s>", e->name);
    case EXPR_CALL: break;
  }
  if (is_infix(e->fn)) {
    put(b, "(");
    put_expr(b, e->args[0]);
    put(b, " %s ", expr_fn_name(e->fn));
    put_expr(b, e->args[1]);
    put(b, ")");
    return;
  }
  put(b, "%s(", expr_fn_name(e->fn));
  for (int i = 0; i < e->nargs; i++) {
    if (i) put(b, ", ");
    put_expr(b, e->args[i]);
  }
  put(b, ")");
}

void expr_to_string(const auk_expr *e, char *buf, size_t cap) {
  sbuf b = {buf, cap, 0};
  if (cap) buf[0] = 0;
  put_expr(&b, e);
}

/* ----------------------------------------------------------- questions */

static const char *leftmost_column(const auk_expr *e) {
  if (e->kind == EXPR_COL) return e->name;
  if (e->kind == EXPR_ALIAS) return e->name;
  for (int i = 0; i < e->nargs; i++) {
    const char *n = leftmost_column(e->args[i]);
    if (n) return n;
  }
  return NULL;
}

const char *expr_output_name(const auk_expr *e) {
  const char *n = leftmost_column(e);
  if (n) return n;
  /* no column: a function's name (len() is "len"), else "literal" */
  return e->kind == EXPR_CALL && expr_fn_is_agg(e->fn) ? expr_fn_name(e->fn) : "literal";
}

int expr_has_agg(const auk_expr *e) {
  if (e->kind == EXPR_CALL && expr_fn_is_agg(e->fn)) return 1;
  for (int i = 0; i < e->nargs; i++)
    if (expr_has_agg(e->args[i])) return 1;
  return 0;
}

int expr_find_error(const auk_expr *e, const char **msg) {
  if (e->kind == EXPR_ERROR) {
    *msg = e->name;
    return 1;
  }
  for (int i = 0; i < e->nargs; i++)
    if (expr_find_error(e->args[i], msg)) return 1;
  return 0;
}

auk_status expr_collect_columns(const auk_expr *e, expr_names *out, auk_error *err) {
  if (e->kind == EXPR_COL) {
    for (int i = 0; i < out->n; i++)
      if (!strcmp(out->names[i], e->name)) return AUK_OK;
    if (out->n == out->cap) {
      int cap = out->cap ? out->cap * 2 : 8;
      const char **p = auk_mem_realloc(out->names, sizeof(char *) * (size_t)out->cap,
                                       sizeof(char *) * (size_t)cap, err);
      if (!p) return err->code;
      out->names = p;
      out->cap = cap;
    }
    out->names[out->n++] = e->name;
    return AUK_OK;
  }
  for (int i = 0; i < e->nargs; i++)
    if (expr_collect_columns(e->args[i], out, err)) return err->code;
  return AUK_OK;
}

void expr_names_free(expr_names *n) {
  if (n->names) auk_mem_free(n->names, sizeof(char *) * (size_t)n->cap);
  memset(n, 0, sizeof *n);
}
