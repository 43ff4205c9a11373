/* parser.c - the parser's shared helpers (tokens, keywords, identifiers,
 * errors at a token) and SQL type names. The grammar is in parse_expr.c,
 * parse_query.c and parse_stmt.c; keywords are words compared
 * case-insensitively, and the reserved ones cannot be bare aliases. The
 * first error stops the parse with the token's position. */
#include "core/error.h"
#include "core/decimal.h"
#include "sql/parser.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const reserved[] = {
    "select", "from",   "where",   "group",     "by",        "having",   "order",  "limit",
    "offset", "union",  "except",  "intersect", "join",      "inner",    "left",   "right",
    "full",   "outer",  "cross",   "on",        "using",     "and",      "or",     "not",
    "as",     "with",   "is",      "null",      "in",        "between",  "like",   "ilike",
    "case",   "when",   "then",    "else",      "end",       "distinct", "all",    "natural",
    "asc",    "desc",   "nulls",   "true",      "false",     "exists",   "values", "semi",
    "anti",   "window", "qualify", "into",      "returning", NULL};

int sqlp_is_reserved(const char *w) {
  for (int k = 0; reserved[k]; k++)
    if (!strcasecmp(reserved[k], w)) return 1;
  return 0;
}

int sqlp_fail(parser *p, size_t pos, const char *fmt, const char *a1) {
  if (!p->failed) sql_error_at(p->err, AUK_ERR_PARSE, p->text, pos, fmt, a1);
  p->failed = 1;
  return 0;
}

int sqlp_fail_here(parser *p, const char *what) {
  token *t = cur(p);
  if (t->type == TOK_END || t->type == TOK_SEMI) {
    char msg[160];
    snprintf(msg, sizeof msg, "syntax error: expected %s, found the end of the statement", what);
    return sqlp_fail(p, t->pos, "%s", msg);
  }
  char msg[200];
  snprintf(msg, sizeof msg, "syntax error at '%.40s': expected %s", t->text, what);
  return sqlp_fail(p, t->pos, "%s", msg);
}

int sqlp_expect_kw(parser *p, const char *w) {
  if (accept_kw(p, w)) return 1;
  char what[64];
  snprintf(what, sizeof what, "%s", w);
  for (char *c = what; *c; c++)
    if (*c >= 'a' && *c <= 'z') *c -= 32;
  return sqlp_fail_here(p, what);
}
int sqlp_expect_op(parser *p, const char *o) {
  if (accept_op(p, o)) return 1;
  char what[16];
  snprintf(what, sizeof what, "'%s'", o);
  return sqlp_fail_here(p, what);
}

/* An identifier: a quoted name, or a word that is not reserved. */
const char *sqlp_ident(parser *p, const char *what) {
  token *t = cur(p);
  if (t->type == TOK_QUOTED || (t->type == TOK_WORD && !sqlp_is_reserved(t->text))) {
    p->i++;
    return arena_strdup(p->a, t->text);
  }
  sqlp_fail_here(p, what);
  return NULL;
}
int sqlp_at_ident(parser *p) {
  token *t = cur(p);
  return t->type == TOK_QUOTED || (t->type == TOK_WORD && !sqlp_is_reserved(t->text));
}

ast_expr *sqlp_node(parser *p, ast_kind k, size_t pos) {
  ast_expr *e = arena_alloc(p->a, sizeof *e);
  if (!e) {
    p->failed = 1;
    return NULL;
  }
  e->kind = k;
  e->pos = pos;
  e->end = pos;
  return e;
}

size_t sqlp_prev_end(parser *p) {
  token *t = &p->toks.toks[p->i > 0 ? p->i - 1 : 0];
  return t->pos + t->len;
}

int sqlp_enter(parser *p) {
  if (++p->depth <= SQL_MAX_DEPTH) return 1;
  p->depth--;
  return sqlp_fail(p, cur(p)->pos, "%s", "the expression nests too deeply (over 200 levels)");
}

ast_expr *sqlp_binary(parser *p, const char *op, ast_expr *l, ast_expr *r) {
  if (!l || !r) return NULL;
  /* operator chains (1 + 1 + ...) grow the tree without recursing here */
  int h = (l->height > r->height ? l->height : r->height) + 1;
  if (h > 4 * SQL_MAX_DEPTH)
    return sqlp_fail(p, r->pos, "%s", "the expression is too long a chain of operators"), NULL;
  ast_expr *e = sqlp_node(p, AST_BINARY, l->pos);
  if (!e) return NULL;
  e->name = op;
  e->nargs = 2;
  e->args = arena_alloc(p->a, 2 * sizeof *e->args);
  if (!e->args) return NULL;
  e->args[0] = l;
  e->args[1] = r;
  e->end = r->end;
  e->height = h;
  return e;
}

int sqlp_push(parser *p, plist *l, void *x) {
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 8;
    void **v = arena_alloc(p->a, sizeof *v * (size_t)cap);
    if (!v) return 0;
    if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = x;
  return 1;
}

auk_type_id sql_type_lookup(const char *name) {
  static const struct {
    const char *n;
    auk_type_id t;
  } sql_types[] = {
      {"boolean", AUK_TYPE_BOOL},      {"bool", AUK_TYPE_BOOL},
      {"tinyint", AUK_TYPE_INT8},      {"int1", AUK_TYPE_INT8},
      {"smallint", AUK_TYPE_INT16},    {"int2", AUK_TYPE_INT16},
      {"short", AUK_TYPE_INT16},       {"integer", AUK_TYPE_INT32},
      {"int", AUK_TYPE_INT32},         {"int4", AUK_TYPE_INT32},
      {"signed", AUK_TYPE_INT32},      {"bigint", AUK_TYPE_INT64},
      {"int8", AUK_TYPE_INT64},        {"long", AUK_TYPE_INT64},
      {"hugeint", AUK_TYPE_INT64},     {"utinyint", AUK_TYPE_UINT8},
      {"usmallint", AUK_TYPE_UINT16},  {"uinteger", AUK_TYPE_UINT32},
      {"ubigint", AUK_TYPE_UINT64},    {"real", AUK_TYPE_FLOAT32},
      {"float4", AUK_TYPE_FLOAT32},    {"float", AUK_TYPE_FLOAT32},
      {"double", AUK_TYPE_FLOAT64},    {"float8", AUK_TYPE_FLOAT64},
      {"varchar", AUK_TYPE_STRING},    {"char", AUK_TYPE_STRING},
      {"bpchar", AUK_TYPE_STRING},     {"text", AUK_TYPE_STRING},
      {"string", AUK_TYPE_STRING},     {"character", AUK_TYPE_STRING},
      {"date", AUK_TYPE_DATE},         {"timestamp", AUK_TYPE_DATETIME},
      {"datetime", AUK_TYPE_DATETIME},
  };
  for (size_t k = 0; k < sizeof sql_types / sizeof sql_types[0]; k++)
    if (!strcasecmp(sql_types[k].n, name)) return sql_types[k].t;
  auk_type_id t;
  if (auk_type_parse(name, &t, NULL) == AUK_OK) return t;
  return AUK_TYPE_COUNT_;
}

/* DECIMAL / NUMERIC [ '(' precision [, scale] ')' ]: without parameters
 * DuckDB's DECIMAL(18,3); a precision past 18 is an error at the type (auk
 * stores decimals as 64-bit integers). */
static int decimal_params(parser *p, const token *name, auk_type_id *out) {
  if (!accept_op(p, "(")) return 1;
  long v[2] = {0, 0};
  int n = 0;
  while (n < 2) {
    token *t = cur(p);
    if (t->type != TOK_INT) return sqlp_fail_here(p, n ? "a decimal scale" : "a decimal precision");
    v[n++] = strtol(t->text, NULL, 10);
    p->i++;
    if (!accept_op(p, ",")) break;
  }
  if (!sqlp_expect_op(p, ")")) return 0;
  char text[64];
  snprintf(text, sizeof text, "%s(%ld,%ld)", name->text, v[0], v[1]);
  if (v[0] > AUK_DECIMAL_MAX_PRECISION)
    return sqlp_fail(p, name->pos,
                     "%s: precision above 18 is not supported (auk stores decimals in 64 bits; "
                     "use DOUBLE)",
                     text);
  if (!auk_decimal_valid((int)v[0], (int)v[1]))
    return sqlp_fail(p, name->pos, "%s: the precision must be 1..18 and the scale 0..precision",
                     text);
  *out = AUK_DECIMAL(v[0], v[1]);
  return 1;
}

/* type := word [PRECISION | VARYING] [ '(' int [, int] ')' ] */
int sqlp_type(parser *p, auk_type_id *out) {
  token *t = cur(p);
  if (t->type != TOK_WORD) return sqlp_fail_here(p, "a type name");
  *out = sql_type_lookup(t->text);
  if (*out == AUK_TYPE_COUNT_) return sqlp_fail(p, t->pos, "unknown type '%s'", t->text);
  p->i++;
  if (auk_type_is_decimal(*out)) return decimal_params(p, t, out);
  if (is_kw(p, "precision") || is_kw(p, "varying")) p->i++;
  if (accept_op(p, "(")) {
    while (cur(p)->type == TOK_INT || is_op(p, ",")) p->i++;
    if (!sqlp_expect_op(p, ")")) return 0;
  }
  return 1;
}

ast_expr *sqlp_unary(parser *p, const char *op, ast_expr *x, size_t pos) {
  if (!x) return NULL;
  ast_expr *e = sqlp_node(p, AST_UNARY, pos);
  if (!e) return NULL;
  e->name = op;
  e->nargs = 1;
  e->args = arena_alloc(p->a, sizeof *e->args);
  if (!e->args) return NULL;
  e->args[0] = x;
  e->end = x->end;
  e->height = x->height + 1;
  return e;
}

int sqlp_ident_list(parser *p, int *n, const char ***names) {
  plist l = {0};
  for (;;) {
    const char *c = sqlp_ident(p, "a column name");
    if (!c || !sqlp_push(p, &l, (void *)c)) return 0;
    if (!accept_op(p, ",")) break;
  }
  if (!sqlp_expect_op(p, ")")) return 0;
  *n = l.n;
  *names = (const char **)l.v;
  return 1;
}

int sqlp_order_by(parser *p, int *n, ast_order **out) {
  if (!sqlp_expect_kw(p, "by")) return 0;
  plist o = {0};
  for (;;) {
    ast_order *it = arena_alloc(p->a, sizeof *it);
    if (!it || !(it->expr = sqlp_expr(p))) return 0;
    if (accept_kw(p, "desc"))
      it->desc = 1;
    else
      accept_kw(p, "asc");
    if (accept_kw(p, "nulls")) {
      if (accept_kw(p, "first"))
        it->nulls = 1;
      else if (accept_kw(p, "last"))
        it->nulls = 2;
      else
        return sqlp_fail_here(p, "FIRST or LAST");
    }
    if (!sqlp_push(p, &o, it)) return 0;
    if (!accept_op(p, ",")) break;
  }
  *out = arena_alloc(p->a, sizeof **out * (size_t)o.n);
  if (!*out) return 0;
  for (int k = 0; k < o.n; k++) (*out)[k] = *(ast_order *)o.v[k];
  *n = o.n;
  return 1;
}
