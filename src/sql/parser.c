/* parser.c - recursive descent from tokens to the syntax tree (ast.h).
 *
 * Expressions climb the usual precedence ladder: OR < AND < NOT <
 * comparison, IS, BETWEEN, IN, LIKE < || < + - < * / % // < unary minus <
 * :: < primary. Queries are WITH, then set operations (INTERSECT binds
 * tighter than UNION and EXCEPT), then ORDER BY / LIMIT / OFFSET for the
 * whole. Keywords are words compared case-insensitively; the reserved ones
 * cannot be bare aliases. The first error stops the parse with the token's
 * position. */
#include "core/error.h"
#include "sql/ast.h"
#include "sql/lexer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct parser {
  const char *text;
  token_list toks;
  int i;
  arena *a;
  auk_error *err;
  int failed;
} parser;

static const char *const reserved[] = {
    "select", "from",   "where",   "group",     "by",        "having",   "order",  "limit",
    "offset", "union",  "except",  "intersect", "join",      "inner",    "left",   "right",
    "full",   "outer",  "cross",   "on",        "using",     "and",      "or",     "not",
    "as",     "with",   "is",      "null",      "in",        "between",  "like",   "ilike",
    "case",   "when",   "then",    "else",      "end",       "distinct", "all",    "natural",
    "asc",    "desc",   "nulls",   "true",      "false",     "exists",   "values", "semi",
    "anti",   "window", "qualify", "into",      "returning", NULL};

static int is_reserved(const char *w) {
  for (int k = 0; reserved[k]; k++)
    if (!strcasecmp(reserved[k], w)) return 1;
  return 0;
}

static token *cur(parser *p) {
  return &p->toks.toks[p->i];
}
static token *ahead(parser *p, int k) {
  int j = p->i + k;
  return j < p->toks.n ? &p->toks.toks[j] : &p->toks.toks[p->toks.n - 1];
}

static int fail(parser *p, size_t pos, const char *fmt, const char *a1) {
  if (!p->failed) sql_error_at(p->err, AUK_ERR_PARSE, p->text, pos, fmt, a1);
  p->failed = 1;
  return 0;
}

static int fail_here(parser *p, const char *what) {
  token *t = cur(p);
  if (t->type == TOK_END || t->type == TOK_SEMI) {
    char msg[160];
    snprintf(msg, sizeof msg, "syntax error: expected %s, found the end of the statement", what);
    return fail(p, t->pos, "%s", msg);
  }
  char msg[200];
  snprintf(msg, sizeof msg, "syntax error at '%.40s': expected %s", t->text, what);
  return fail(p, t->pos, "%s", msg);
}

static int kw_at(parser *p, int k, const char *w) {
  token *t = ahead(p, k);
  return t->type == TOK_WORD && !strcasecmp(t->text, w);
}
static int is_kw(parser *p, const char *w) {
  return kw_at(p, 0, w);
}
static int accept_kw(parser *p, const char *w) {
  if (!is_kw(p, w)) return 0;
  p->i++;
  return 1;
}
static int expect_kw(parser *p, const char *w) {
  if (accept_kw(p, w)) return 1;
  char what[64];
  snprintf(what, sizeof what, "%s", w);
  for (char *c = what; *c; c++)
    if (*c >= 'a' && *c <= 'z') *c -= 32;
  return fail_here(p, what);
}
static int is_op(parser *p, const char *o) {
  token *t = cur(p);
  return t->type == TOK_OP && !strcmp(t->text, o);
}
static int accept_op(parser *p, const char *o) {
  if (!is_op(p, o)) return 0;
  p->i++;
  return 1;
}
static int expect_op(parser *p, const char *o) {
  if (accept_op(p, o)) return 1;
  char what[16];
  snprintf(what, sizeof what, "'%s'", o);
  return fail_here(p, what);
}

/* An identifier: a quoted name, or a word that is not reserved. */
static const char *ident(parser *p, const char *what) {
  token *t = cur(p);
  if (t->type == TOK_QUOTED || (t->type == TOK_WORD && !is_reserved(t->text))) {
    p->i++;
    return arena_strdup(p->a, t->text);
  }
  fail_here(p, what);
  return NULL;
}
static int at_ident(parser *p) {
  token *t = cur(p);
  return t->type == TOK_QUOTED || (t->type == TOK_WORD && !is_reserved(t->text));
}

static ast_expr *node(parser *p, ast_kind k, size_t pos) {
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

static size_t prev_end(parser *p) {
  token *t = &p->toks.toks[p->i > 0 ? p->i - 1 : 0];
  return t->pos + t->len;
}

static ast_expr *binary(parser *p, const char *op, ast_expr *l, ast_expr *r) {
  if (!l || !r) return NULL;
  ast_expr *e = node(p, AST_BINARY, l->pos);
  if (!e) return NULL;
  e->name = op;
  e->nargs = 2;
  e->args = arena_alloc(p->a, 2 * sizeof *e->args);
  if (!e->args) return NULL;
  e->args[0] = l;
  e->args[1] = r;
  e->end = r->end;
  return e;
}

/* A growable list of pointers in the arena. */
typedef struct plist {
  void **v;
  int n, cap;
} plist;
static int plist_push(parser *p, plist *l, void *x) {
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

static ast_expr *parse_expr(parser *p);
static ast_query *parse_query(parser *p);

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
      {"decimal", AUK_TYPE_FLOAT64},   {"numeric", AUK_TYPE_FLOAT64},
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

/* type := word [PRECISION | VARYING] [ '(' int [, int] ')' ] */
static int parse_type(parser *p, auk_type_id *out) {
  token *t = cur(p);
  if (t->type != TOK_WORD) return fail_here(p, "a type name");
  *out = sql_type_lookup(t->text);
  if (*out == AUK_TYPE_COUNT_) return fail(p, t->pos, "unknown type '%s'", t->text);
  p->i++;
  if (is_kw(p, "precision") || is_kw(p, "varying")) p->i++;
  if (accept_op(p, "(")) {
    while (cur(p)->type == TOK_INT || is_op(p, ",")) p->i++;
    if (!expect_op(p, ")")) return 0;
  }
  return 1;
}

static ast_expr *parse_case(parser *p, size_t pos) {
  ast_expr *e = node(p, AST_CASE, pos);
  if (!e) return NULL;
  plist args = {0};
  if (!is_kw(p, "when")) {
    e->has_operand = 1;
    ast_expr *op = parse_expr(p);
    if (!op || !plist_push(p, &args, op)) return NULL;
  }
  if (!is_kw(p, "when")) return fail_here(p, "WHEN"), NULL;
  while (accept_kw(p, "when")) {
    ast_expr *w = parse_expr(p);
    if (!w || !expect_kw(p, "then")) return NULL;
    ast_expr *t = parse_expr(p);
    if (!t || !plist_push(p, &args, w) || !plist_push(p, &args, t)) return NULL;
  }
  if (accept_kw(p, "else")) {
    e->has_else = 1;
    ast_expr *x = parse_expr(p);
    if (!x || !plist_push(p, &args, x)) return NULL;
  }
  if (!expect_kw(p, "end")) return NULL;
  e->nargs = args.n;
  e->args = (ast_expr **)args.v;
  e->end = prev_end(p);
  return e;
}

/* INTERVAL '3' DAY | INTERVAL 3 DAYS | INTERVAL '3 days' */
static ast_expr *parse_interval(parser *p, size_t pos) {
  ast_expr *e = node(p, AST_INTERVAL, pos);
  if (!e) return NULL;
  token *t = cur(p);
  char buf[64] = {0};
  if (t->type == TOK_STRING || t->type == TOK_INT || t->type == TOK_NUMBER) {
    snprintf(buf, sizeof buf, "%s", t->text);
    p->i++;
  } else {
    return fail_here(p, "an interval quantity"), NULL;
  }
  char *unit_in_text = buf;
  while (*unit_in_text == ' ') unit_in_text++;
  errno = 0;
  char *endp;
  long long n = strtoll(unit_in_text, &endp, 10);
  if (endp == unit_in_text || errno)
    return fail(p, t->pos, "bad interval quantity '%s'", t->text), NULL;
  while (*endp == ' ') endp++;
  const char *unit = *endp ? endp : NULL;
  if (!unit) {
    token *u = cur(p);
    if (u->type != TOK_WORD) return fail_here(p, "an interval unit (DAY, MONTH, YEAR, ...)"), NULL;
    unit = u->text;
    p->i++;
  }
  char us[16] = {0};
  snprintf(us, sizeof us, "%s", unit);
  size_t ul = strlen(us);
  if (ul > 1 && (us[ul - 1] == 's' || us[ul - 1] == 'S')) us[ul - 1] = 0;
  if (!strcasecmp(us, "year"))
    e->months = (int32_t)(n * 12);
  else if (!strcasecmp(us, "month"))
    e->months = (int32_t)n;
  else if (!strcasecmp(us, "week"))
    e->days = n * 7;
  else if (!strcasecmp(us, "day"))
    e->days = n;
  else if (!strcasecmp(us, "hour"))
    e->micros = n * 3600000000LL;
  else if (!strcasecmp(us, "minute"))
    e->micros = n * 60000000LL;
  else if (!strcasecmp(us, "second"))
    e->micros = n * 1000000LL;
  else
    return fail(p, pos, "unknown interval unit '%s'", unit), NULL;
  e->end = prev_end(p);
  return e;
}

/* name(args) after the '(' has been seen; handles DISTINCT, *, and the
 * SQL forms EXTRACT(f FROM x), SUBSTRING(x FROM a FOR b), TRIM(x),
 * POSITION is not supported. */
static ast_expr *parse_call(parser *p, const char *name, size_t pos) {
  ast_expr *e = node(p, AST_FUNC, pos);
  if (!e) return NULL;
  e->name = name;
  plist args = {0};
  if (!strcasecmp(name, "extract")) {
    token *f = cur(p);
    if (f->type != TOK_WORD && f->type != TOK_STRING) return fail_here(p, "a date part"), NULL;
    e->name = arena_strdup(p->a, f->text);
    p->i++;
    if (!expect_kw(p, "from")) return NULL;
    ast_expr *x = parse_expr(p);
    if (!x || !plist_push(p, &args, x) || !expect_op(p, ")")) return NULL;
    e->nargs = 1;
    e->args = (ast_expr **)args.v;
    e->end = prev_end(p);
    return e;
  }
  if (accept_op(p, ")")) {
    e->end = prev_end(p);
    return e;
  }
  if (accept_kw(p, "distinct"))
    e->distinct = 1;
  else
    accept_kw(p, "all");
  if (is_op(p, "*") && (ahead(p, 1)->type == TOK_OP && !strcmp(ahead(p, 1)->text, ")"))) {
    p->i += 1;
    ast_expr *s = node(p, AST_STAR, pos);
    if (!s || !plist_push(p, &args, s)) return NULL;
    goto close;
  }
  for (;;) {
    ast_expr *x = parse_expr(p);
    if (!x || !plist_push(p, &args, x)) return NULL;
    if (accept_op(p, ",")) continue;
    if (!strcasecmp(name, "substring") || !strcasecmp(name, "substr")) {
      if (accept_kw(p, "from")) {
        ast_expr *y = parse_expr(p);
        if (!y || !plist_push(p, &args, y)) return NULL;
      }
      if (accept_kw(p, "for")) {
        ast_expr *y = parse_expr(p);
        if (!y || !plist_push(p, &args, y)) return NULL;
      }
    }
    break;
  }
  if (is_kw(p, "order"))
    return fail(p, cur(p)->pos, "%s", "ORDER BY inside an aggregate is not supported"), NULL;
close:
  if (!expect_op(p, ")")) return NULL;
  if (is_kw(p, "over"))
    return fail(p, cur(p)->pos, "%s", "window functions (OVER) are not supported yet"), NULL;
  if (accept_kw(p, "filter")) {
    if (!expect_op(p, "(") || !expect_kw(p, "where") || !(e->filter = parse_expr(p)) ||
        !expect_op(p, ")"))
      return NULL;
  }
  e->nargs = args.n;
  e->args = (ast_expr **)args.v;
  e->end = prev_end(p);
  return e;
}

static ast_expr *parse_primary(parser *p) {
  token *t = cur(p);
  size_t pos = t->pos;
  ast_expr *e = NULL;
  switch (t->type) {
    case TOK_INT: {
      p->i++;
      errno = 0;
      char *endp;
      long long v = strtoll(t->text, &endp, 10);
      if (errno == ERANGE) {
        e = node(p, AST_FLOAT, pos);
        if (e) e->dval = strtod(t->text, NULL);
      } else {
        e = node(p, AST_INT, pos);
        if (e) e->ival = v;
      }
      break;
    }
    case TOK_NUMBER:
      p->i++;
      e = node(p, AST_FLOAT, pos);
      if (e) e->dval = strtod(t->text, NULL);
      break;
    case TOK_STRING:
      p->i++;
      e = node(p, AST_STRING, pos);
      if (e) e->sval = arena_strdup(p->a, t->text);
      break;
    case TOK_OP:
      if (is_op(p, "(")) {
        p->i++;
        if (is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values")) {
          e = node(p, AST_SUBQUERY, pos);
          if (!e || !(e->query = parse_query(p))) return NULL;
        } else {
          e = parse_expr(p);
          if (!e) return NULL;
        }
        if (!expect_op(p, ")")) return NULL;
        e->pos = pos;
        e->end = prev_end(p);
        return e;
      }
      if (is_op(p, "*")) {
        p->i++;
        e = node(p, AST_STAR, pos);
        break;
      }
      fail_here(p, "an expression");
      return NULL;
    case TOK_QUOTED:
    case TOK_WORD: {
      if (t->type == TOK_WORD) {
        if (accept_kw(p, "null")) {
          e = node(p, AST_NULL, pos);
          break;
        }
        if (accept_kw(p, "true") || accept_kw(p, "false")) {
          e = node(p, AST_BOOL, pos);
          if (e) e->ival = !strcasecmp(t->text, "true");
          break;
        }
        if (accept_kw(p, "case")) return parse_case(p, pos);
        if ((is_kw(p, "date") || is_kw(p, "timestamp")) && ahead(p, 1)->type == TOK_STRING) {
          e = node(p, AST_TYPED, pos);
          if (!e) return NULL;
          e->type = is_kw(p, "date") ? AUK_TYPE_DATE : AUK_TYPE_DATETIME;
          e->sval = arena_strdup(p->a, ahead(p, 1)->text);
          p->i += 2;
          break;
        }
        if (accept_kw(p, "interval")) return parse_interval(p, pos);
        if ((is_kw(p, "cast") || is_kw(p, "try_cast")) && kw_at(p, 0, t->text) &&
            ahead(p, 1)->type == TOK_OP && !strcmp(ahead(p, 1)->text, "(")) {
          int try_cast = is_kw(p, "try_cast");
          p->i += 2;
          e = node(p, AST_CAST, pos);
          if (!e) return NULL;
          e->try_cast = try_cast;
          e->nargs = 1;
          e->args = arena_alloc(p->a, sizeof *e->args);
          if (!e->args || !(e->args[0] = parse_expr(p)) || !expect_kw(p, "as") ||
              !parse_type(p, &e->type) || !expect_op(p, ")"))
            return NULL;
          break;
        }
        if (is_kw(p, "exists") && ahead(p, 1)->type == TOK_OP && !strcmp(ahead(p, 1)->text, "(")) {
          p->i += 2;
          e = node(p, AST_EXISTS, pos);
          if (!e || !(e->query = parse_query(p)) || !expect_op(p, ")")) return NULL;
          break;
        }
        if (is_reserved(t->text)) {
          fail_here(p, "an expression");
          return NULL;
        }
      }
      const char *name = arena_strdup(p->a, t->text);
      p->i++;
      if (t->type == TOK_WORD && is_op(p, "(")) {
        p->i++;
        return parse_call(p, name, pos);
      }
      if (accept_op(p, ".")) {
        if (is_op(p, "*")) {
          p->i++;
          e = node(p, AST_STAR, pos);
          if (e) e->qualifier = name;
          break;
        }
        const char *col = ident(p, "a column name");
        if (!col) return NULL;
        e = node(p, AST_COLUMN, pos);
        if (e) {
          e->qualifier = name;
          e->name = col;
        }
        break;
      }
      e = node(p, AST_COLUMN, pos);
      if (e) e->name = name;
      break;
    }
    default: fail_here(p, "an expression"); return NULL;
  }
  if (e) e->end = prev_end(p);
  return e;
}

static ast_expr *parse_postfix(parser *p) {
  ast_expr *e = parse_primary(p);
  while (e && is_op(p, "::")) {
    p->i++;
    ast_expr *c = node(p, AST_CAST, e->pos);
    if (!c) return NULL;
    c->nargs = 1;
    c->args = arena_alloc(p->a, sizeof *c->args);
    if (!c->args || !parse_type(p, &c->type)) return NULL;
    c->args[0] = e;
    c->end = prev_end(p);
    e = c;
  }
  return e;
}

static ast_expr *parse_unary(parser *p) {
  if (is_op(p, "-") || is_op(p, "+")) {
    size_t pos = cur(p)->pos;
    int neg = is_op(p, "-");
    p->i++;
    ast_expr *x = parse_unary(p);
    if (!x || !neg) return x;
    if (x->kind == AST_INT && x->pos == pos + 1) {
      x->ival = -x->ival;
      x->pos = pos;
      return x;
    }
    if (x->kind == AST_FLOAT && x->pos == pos + 1) {
      x->dval = -x->dval;
      x->pos = pos;
      return x;
    }
    ast_expr *e = node(p, AST_UNARY, pos);
    if (!e) return NULL;
    e->name = "-";
    e->nargs = 1;
    e->args = arena_alloc(p->a, sizeof *e->args);
    if (!e->args) return NULL;
    e->args[0] = x;
    e->end = x->end;
    return e;
  }
  return parse_postfix(p);
}

static ast_expr *parse_mul(parser *p) {
  ast_expr *e = parse_unary(p);
  while (e && (is_op(p, "*") || is_op(p, "/") || is_op(p, "%") || is_op(p, "//"))) {
    const char *op = cur(p)->text;
    op = !strcmp(op, "*") ? "*" : !strcmp(op, "/") ? "/" : !strcmp(op, "%") ? "%" : "//";
    p->i++;
    e = binary(p, op, e, parse_unary(p));
  }
  return e;
}

static ast_expr *parse_add(parser *p) {
  ast_expr *e = parse_mul(p);
  while (e && (is_op(p, "+") || is_op(p, "-"))) {
    const char *op = is_op(p, "+") ? "+" : "-";
    p->i++;
    e = binary(p, op, e, parse_mul(p));
  }
  return e;
}

static ast_expr *parse_concat(parser *p) {
  ast_expr *e = parse_add(p);
  while (e && is_op(p, "||")) {
    p->i++;
    e = binary(p, "||", e, parse_add(p));
  }
  return e;
}

static const char *comparison_op(parser *p) {
  static const char *const ops[] = {"=", "==", "!=", "<>", "<", "<=", ">", ">=", NULL};
  static const char *const canon[] = {"=", "=", "<>", "<>", "<", "<=", ">", ">="};
  for (int k = 0; ops[k]; k++)
    if (is_op(p, ops[k])) return canon[k];
  return NULL;
}

static ast_expr *wrap1(parser *p, ast_kind k, ast_expr *x, int negated) {
  ast_expr *e = node(p, k, x->pos);
  if (!e) return NULL;
  e->negated = negated;
  e->nargs = 1;
  e->args = arena_alloc(p->a, sizeof *e->args);
  if (!e->args) return NULL;
  e->args[0] = x;
  e->end = prev_end(p);
  return e;
}

static ast_expr *parse_comparison(parser *p) {
  ast_expr *e = parse_concat(p);
  while (e) {
    const char *op = comparison_op(p);
    if (op) {
      p->i++;
      e = binary(p, op, e, parse_concat(p));
      continue;
    }
    if (is_kw(p, "is")) {
      p->i++;
      int neg = accept_kw(p, "not");
      if (accept_kw(p, "null")) {
        e = wrap1(p, AST_IS_NULL, e, neg);
      } else if (accept_kw(p, "distinct")) {
        if (!expect_kw(p, "from")) return NULL;
        ast_expr *r = parse_concat(p);
        if (!r) return NULL;
        ast_expr *d = binary(p, "distinct", e, r);
        if (!d) return NULL;
        d->kind = AST_DISTINCT_FROM;
        d->negated = neg;
        e = d;
      } else if (is_kw(p, "true") || is_kw(p, "false")) {
        /* x IS [NOT] TRUE: coalesce(x = true, false) */
        int want = is_kw(p, "true");
        p->i++;
        ast_expr *b = node(p, AST_BOOL, e->pos);
        if (!b) return NULL;
        b->ival = want;
        ast_expr *d = binary(p, "distinct", e, b);
        if (!d) return NULL;
        d->kind = AST_DISTINCT_FROM;
        d->negated = !neg;
        e = d;
      } else {
        return fail_here(p, "NULL, DISTINCT FROM, TRUE or FALSE after IS"), NULL;
      }
      continue;
    }
    int save = p->i;
    int neg = accept_kw(p, "not");
    if (accept_kw(p, "between")) {
      ast_expr *lo = parse_concat(p);
      if (!lo || !expect_kw(p, "and")) return NULL;
      ast_expr *hi = parse_concat(p);
      if (!hi) return NULL;
      ast_expr *b = node(p, AST_BETWEEN, e->pos);
      if (!b) return NULL;
      b->negated = neg;
      b->nargs = 3;
      b->args = arena_alloc(p->a, 3 * sizeof *b->args);
      if (!b->args) return NULL;
      b->args[0] = e;
      b->args[1] = lo;
      b->args[2] = hi;
      b->end = hi->end;
      e = b;
      continue;
    }
    if (accept_kw(p, "in")) {
      if (!expect_op(p, "(")) return NULL;
      if (is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values")) {
        ast_expr *q = wrap1(p, AST_IN_QUERY, e, neg);
        if (!q || !(q->query = parse_query(p)) || !expect_op(p, ")")) return NULL;
        q->end = prev_end(p);
        e = q;
        continue;
      }
      plist args = {0};
      if (!plist_push(p, &args, e)) return NULL;
      for (;;) {
        ast_expr *x = parse_expr(p);
        if (!x || !plist_push(p, &args, x)) return NULL;
        if (!accept_op(p, ",")) break;
      }
      if (!expect_op(p, ")")) return NULL;
      ast_expr *in = node(p, AST_IN_LIST, e->pos);
      if (!in) return NULL;
      in->negated = neg;
      in->nargs = args.n;
      in->args = (ast_expr **)args.v;
      in->end = prev_end(p);
      e = in;
      continue;
    }
    if (is_kw(p, "like") || is_kw(p, "ilike")) {
      int il = is_kw(p, "ilike");
      p->i++;
      ast_expr *r = parse_concat(p);
      if (!r) return NULL;
      ast_expr *l = binary(p, il ? "ilike" : "like", e, r);
      if (!l) return NULL;
      l->kind = AST_LIKE;
      l->ilike = il;
      l->negated = neg;
      e = l;
      continue;
    }
    p->i = save;
    break;
  }
  return e;
}

static ast_expr *parse_not(parser *p) {
  if (is_kw(p, "not")) {
    size_t pos = cur(p)->pos;
    p->i++;
    ast_expr *x = parse_not(p);
    if (!x) return NULL;
    ast_expr *e = node(p, AST_UNARY, pos);
    if (!e) return NULL;
    e->name = "not";
    e->nargs = 1;
    e->args = arena_alloc(p->a, sizeof *e->args);
    if (!e->args) return NULL;
    e->args[0] = x;
    e->end = x->end;
    return e;
  }
  return parse_comparison(p);
}

static ast_expr *parse_and(parser *p) {
  ast_expr *e = parse_not(p);
  while (e && accept_kw(p, "and")) e = binary(p, "and", e, parse_not(p));
  return e;
}

static ast_expr *parse_expr(parser *p) {
  ast_expr *e = parse_and(p);
  while (e && accept_kw(p, "or")) e = binary(p, "or", e, parse_and(p));
  return e;
}

/* ------------------------------------------------------------- FROM */

static ast_ref *new_ref(parser *p, ref_kind k, size_t pos) {
  ast_ref *r = arena_alloc(p->a, sizeof *r);
  if (!r) {
    p->failed = 1;
    return NULL;
  }
  r->kind = k;
  r->pos = pos;
  return r;
}

static int parse_alias(parser *p, ast_ref *r) {
  if (accept_kw(p, "as")) {
    if (!(r->alias = ident(p, "an alias"))) return 0;
  } else if (at_ident(p)) {
    r->alias = ident(p, "an alias");
  }
  if (r->alias && accept_op(p, "(")) { /* t(a, b): names for the first columns */
    plist names = {0};
    for (;;) {
      const char *n = ident(p, "a column name");
      if (!n || !plist_push(p, &names, (void *)n)) return 0;
      if (!accept_op(p, ",")) break;
    }
    if (!expect_op(p, ")")) return 0;
    r->ncolalias = names.n;
    r->colalias = (const char **)names.v;
  }
  return 1;
}

static ast_ref *parse_from(parser *p);

static ast_ref *parse_table_primary(parser *p) {
  token *t = cur(p);
  size_t pos = t->pos;
  ast_ref *r;
  if (accept_op(p, "(")) {
    if (is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values")) {
      r = new_ref(p, REF_SUBQUERY, pos);
      if (!r || !(r->query = parse_query(p)) || !expect_op(p, ")")) return NULL;
    } else {
      r = parse_from(p);
      if (!r || !expect_op(p, ")")) return NULL;
      return r;
    }
  } else if (t->type == TOK_STRING) {
    p->i++;
    r = new_ref(p, REF_FILE, pos);
    if (!r) return NULL;
    r->name = "";
    r->nargs = 1;
    r->args = arena_alloc(p->a, sizeof *r->args);
    if (!r->args || !(r->args[0] = node(p, AST_STRING, pos))) return NULL;
    r->args[0]->sval = arena_strdup(p->a, t->text);
  } else if (t->type == TOK_WORD && ahead(p, 1)->type == TOK_OP &&
             !strcmp(ahead(p, 1)->text, "(")) {
    r = new_ref(p, REF_FILE, pos);
    if (!r) return NULL;
    r->name = arena_strdup(p->a, t->text);
    p->i += 2;
    plist args = {0};
    while (!is_op(p, ")")) {
      ast_expr *x = parse_expr(p);
      if (!x || !plist_push(p, &args, x)) return NULL;
      if (!accept_op(p, ",")) break;
    }
    if (!expect_op(p, ")")) return NULL;
    r->nargs = args.n;
    r->args = (ast_expr **)args.v;
  } else {
    r = new_ref(p, REF_TABLE, pos);
    if (!r || !(r->name = ident(p, "a table name"))) return NULL;
    if (accept_op(p, ".")) { /* schema.table: the schema is ignored (main) */
      if (!(r->name = ident(p, "a table name"))) return NULL;
    }
  }
  if (!parse_alias(p, r)) return NULL;
  return r;
}

static int join_kind(parser *p, sql_join *how, int *natural) {
  *natural = accept_kw(p, "natural");
  if (accept_kw(p, "join") || (accept_kw(p, "inner") && expect_kw(p, "join"))) {
    *how = SJ_INNER;
    return 1;
  }
  struct {
    const char *w;
    sql_join j;
  } kinds[] = {{"left", SJ_LEFT},   {"right", SJ_RIGHT}, {"full", SJ_FULL},
               {"cross", SJ_CROSS}, {"semi", SJ_SEMI},   {"anti", SJ_ANTI}};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
    if (is_kw(p, kinds[k].w)) {
      p->i++;
      if (kinds[k].j == SJ_LEFT && (is_kw(p, "semi") || is_kw(p, "anti"))) {
        *how = is_kw(p, "semi") ? SJ_SEMI : SJ_ANTI;
        p->i++;
      } else {
        *how = kinds[k].j;
        accept_kw(p, "outer");
      }
      return expect_kw(p, "join") ? 1 : -1;
    }
  if (*natural) return fail_here(p, "JOIN"), -1;
  return 0;
}

static ast_ref *parse_from(parser *p) {
  ast_ref *left = parse_table_primary(p);
  while (left) {
    size_t pos = cur(p)->pos;
    if (accept_op(p, ",")) {
      ast_ref *j = new_ref(p, REF_JOIN, pos);
      if (!j || !(j->right = parse_table_primary(p))) return NULL;
      j->left = left;
      j->how = SJ_CROSS;
      j->comma = 1;
      left = j;
      continue;
    }
    sql_join how;
    int natural;
    int k = join_kind(p, &how, &natural);
    if (k < 0) return NULL;
    if (k == 0) break;
    ast_ref *j = new_ref(p, REF_JOIN, pos);
    if (!j || !(j->right = parse_table_primary(p))) return NULL;
    j->left = left;
    j->how = how;
    if (natural)
      return fail(p, pos, "%s", "NATURAL joins are not supported; name the columns with USING"),
             NULL;
    if (how != SJ_CROSS) {
      if (accept_kw(p, "on")) {
        if (!(j->on = parse_expr(p))) return NULL;
      } else if (accept_kw(p, "using")) {
        if (!expect_op(p, "(")) return NULL;
        plist cols = {0};
        for (;;) {
          const char *c = ident(p, "a column name");
          if (!c || !plist_push(p, &cols, (void *)c)) return NULL;
          if (!accept_op(p, ",")) break;
        }
        if (!expect_op(p, ")")) return NULL;
        j->nusing = cols.n;
        j->using_cols = (const char **)cols.v;
      } else {
        return fail_here(p, "ON or USING"), NULL;
      }
    }
    left = j;
  }
  return left;
}

/* ----------------------------------------------------------- queries */

static ast_query *new_query(parser *p, query_kind k, size_t pos) {
  ast_query *q = arena_alloc(p->a, sizeof *q);
  if (!q) {
    p->failed = 1;
    return NULL;
  }
  q->kind = k;
  q->pos = pos;
  return q;
}

static ast_query *parse_select(parser *p) {
  ast_query *q = new_query(p, Q_SELECT, cur(p)->pos);
  if (!q || !expect_kw(p, "select")) return NULL;
  if (accept_kw(p, "distinct")) {
    if (is_kw(p, "on")) return fail(p, cur(p)->pos, "%s", "DISTINCT ON is not supported"), NULL;
    q->distinct = 1;
  } else {
    accept_kw(p, "all");
  }
  plist items = {0};
  for (;;) {
    ast_item *it = arena_alloc(p->a, sizeof *it);
    if (!it || !(it->expr = parse_expr(p))) return NULL;
    if (accept_kw(p, "as")) {
      token *t = cur(p);
      if (t->type == TOK_STRING) { /* AS 'name' */
        p->i++;
        it->alias = arena_strdup(p->a, t->text);
      } else if (!(it->alias = ident(p, "an alias"))) {
        return NULL;
      }
    } else if (at_ident(p)) {
      it->alias = ident(p, "an alias");
    }
    if (!plist_push(p, &items, it)) return NULL;
    if (!accept_op(p, ",")) break;
    if (is_kw(p, "from")) break; /* trailing comma, as DuckDB allows */
  }
  q->nitems = items.n;
  q->items = arena_alloc(p->a, sizeof *q->items * (size_t)(items.n ? items.n : 1));
  if (!q->items) return NULL;
  for (int k = 0; k < items.n; k++) q->items[k] = *(ast_item *)items.v[k];
  if (accept_kw(p, "from") && !(q->from = parse_from(p))) return NULL;
  if (accept_kw(p, "where") && !(q->where = parse_expr(p))) return NULL;
  if (accept_kw(p, "group")) {
    if (!expect_kw(p, "by")) return NULL;
    if (accept_kw(p, "all")) {
      q->group_all = 1;
    } else {
      plist g = {0};
      for (;;) {
        ast_expr *x = parse_expr(p);
        if (!x || !plist_push(p, &g, x)) return NULL;
        if (!accept_op(p, ",")) break;
      }
      q->ngroup = g.n;
      q->group = (ast_expr **)g.v;
    }
  }
  if (accept_kw(p, "having") && !(q->having = parse_expr(p))) return NULL;
  if (is_kw(p, "window") || is_kw(p, "qualify"))
    return fail(p, cur(p)->pos, "%s", "window functions are not supported yet"), NULL;
  return q;
}

static ast_query *parse_values(parser *p) {
  ast_query *q = new_query(p, Q_VALUES, cur(p)->pos);
  if (!q || !expect_kw(p, "values")) return NULL;
  plist rows = {0};
  for (;;) {
    size_t pos = cur(p)->pos;
    if (!expect_op(p, "(")) return NULL;
    plist vals = {0};
    for (;;) {
      ast_expr *x = parse_expr(p);
      if (!x || !plist_push(p, &vals, x)) return NULL;
      if (!accept_op(p, ",")) break;
    }
    if (!expect_op(p, ")")) return NULL;
    if (rows.n == 0) q->ncols = vals.n;
    if (vals.n != q->ncols)
      return fail(p, pos, "%s", "VALUES rows have different numbers of values"), NULL;
    if (!plist_push(p, &rows, vals.v)) return NULL;
    if (!accept_op(p, ",")) break;
  }
  q->nrows = rows.n;
  q->rows = (ast_expr ***)rows.v;
  return q;
}

static ast_query *parse_query_primary(parser *p) {
  if (is_op(p, "(")) {
    p->i++;
    ast_query *q = parse_query(p);
    if (!q || !expect_op(p, ")")) return NULL;
    return q;
  }
  if (is_kw(p, "values")) return parse_values(p);
  if (is_kw(p, "select")) return parse_select(p);
  return fail_here(p, "SELECT, VALUES or '('"), NULL;
}

static ast_query *setop(parser *p, set_op op, ast_query *l, ast_query *r, int all, size_t pos) {
  if (!l || !r) return NULL;
  ast_query *q = new_query(p, Q_SETOP, pos);
  if (!q) return NULL;
  q->op = op;
  q->left = l;
  q->right = r;
  q->all = all;
  return q;
}

static int accept_all(parser *p) {
  if (accept_kw(p, "all")) return 1;
  accept_kw(p, "distinct");
  return 0;
}

static ast_query *parse_intersect(parser *p) {
  ast_query *q = parse_query_primary(p);
  while (q && is_kw(p, "intersect")) {
    size_t pos = cur(p)->pos;
    p->i++;
    int all = accept_all(p);
    q = setop(p, SET_INTERSECT, q, parse_query_primary(p), all, pos);
  }
  return q;
}

static int parse_order_limit(parser *p, ast_query *q) {
  if (accept_kw(p, "order")) {
    if (!expect_kw(p, "by")) return 0;
    plist o = {0};
    for (;;) {
      ast_order *it = arena_alloc(p->a, sizeof *it);
      if (!it || !(it->expr = parse_expr(p))) return 0;
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
          return fail_here(p, "FIRST or LAST");
      }
      if (!plist_push(p, &o, it)) return 0;
      if (!accept_op(p, ",")) break;
    }
    q->norder = o.n;
    q->order = arena_alloc(p->a, sizeof *q->order * (size_t)o.n);
    if (!q->order) return 0;
    for (int k = 0; k < o.n; k++) q->order[k] = *(ast_order *)o.v[k];
  }
  for (int round = 0; round < 2; round++) {
    if (accept_kw(p, "limit")) {
      if (!(q->limit = parse_expr(p))) return 0;
    } else if (accept_kw(p, "offset")) {
      if (!(q->offset = parse_expr(p))) return 0;
      accept_kw(p, "rows");
    }
  }
  return 1;
}

static ast_query *parse_query(parser *p) {
  size_t pos = cur(p)->pos;
  int nctes = 0;
  ast_cte *ctes = NULL;
  if (accept_kw(p, "with")) {
    accept_kw(p, "recursive");
    plist l = {0};
    for (;;) {
      ast_cte *c = arena_alloc(p->a, sizeof *c);
      if (!c || !(c->name = ident(p, "a name for the WITH query"))) return NULL;
      if (is_op(p, "("))
        return fail(p, cur(p)->pos, "%s", "column lists on WITH queries are not supported"), NULL;
      if (!expect_kw(p, "as")) return NULL;
      if (accept_kw(p, "materialized") || (accept_kw(p, "not") && expect_kw(p, "materialized"))) {
      }
      if (!expect_op(p, "(") || !(c->query = parse_query(p)) || !expect_op(p, ")")) return NULL;
      if (!plist_push(p, &l, c)) return NULL;
      if (!accept_op(p, ",")) break;
    }
    nctes = l.n;
    ctes = arena_alloc(p->a, sizeof *ctes * (size_t)l.n);
    if (!ctes) return NULL;
    for (int k = 0; k < l.n; k++) ctes[k] = *(ast_cte *)l.v[k];
  }
  ast_query *q = parse_intersect(p);
  while (q && (is_kw(p, "union") || is_kw(p, "except"))) {
    size_t opos = cur(p)->pos;
    set_op op = is_kw(p, "union") ? SET_UNION : SET_EXCEPT;
    p->i++;
    int all = accept_all(p);
    q = setop(p, op, q, parse_intersect(p), all, opos);
  }
  if (!q) return NULL;
  if (q->norder || q->limit || q->offset || q->nctes) {
    /* (SELECT ... ORDER BY ... LIMIT ...) ORDER BY ...: wrap as a set
     * operation of one input so both levels keep their clauses. */
    if (is_kw(p, "order") || is_kw(p, "limit") || is_kw(p, "offset") || nctes) {
      ast_query *w = new_query(p, Q_SETOP, q->pos);
      if (!w) return NULL;
      w->op = SET_UNION;
      w->all = 1;
      w->left = q;
      w->right = NULL; /* a pass-through wrapper */
      q = w;
    }
  }
  q->pos = pos;
  q->nctes = nctes;
  q->ctes = ctes;
  if (!parse_order_limit(p, q)) return NULL;
  return q;
}

/* -------------------------------------------------------- statements */

static int at_end(parser *p) {
  return cur(p)->type == TOK_END || cur(p)->type == TOK_SEMI;
}

static int parse_options(parser *p, ast_stmt *s) {
  /* (opt [=] value, ...) or WITH (...) */
  accept_kw(p, "with");
  if (!accept_op(p, "(")) return 1;
  plist names = {0}, values = {0};
  for (;;) {
    token *t = cur(p);
    if (t->type != TOK_WORD) return fail_here(p, "an option name");
    const char *n = arena_strdup(p->a, t->text);
    p->i++;
    accept_op(p, "=");
    ast_expr *v = NULL;
    if (!is_op(p, ",") && !is_op(p, ")")) {
      token *vt = cur(p);
      if (vt->type == TOK_WORD && !is_kw(p, "true") && !is_kw(p, "false")) {
        v = node(p, AST_STRING, vt->pos);
        if (!v) return 0;
        v->sval = arena_strdup(p->a, vt->text);
        p->i++;
      } else if (!(v = parse_expr(p))) {
        return 0;
      }
    }
    if (!plist_push(p, &names, (void *)n) || !plist_push(p, &values, v)) return 0;
    if (!accept_op(p, ",")) break;
  }
  if (!expect_op(p, ")")) return 0;
  s->nopts = names.n;
  s->opt_names = (const char **)names.v;
  s->opt_values = (ast_expr **)values.v;
  return 1;
}

static int parse_query_into(parser *p, ast_stmt *s) {
  s->query_pos = cur(p)->pos;
  s->query = parse_query(p);
  s->query_end = prev_end(p);
  return s->query != NULL;
}

static int is_query_start(parser *p) {
  return is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values") || is_op(p, "(");
}

static int parse_create(parser *p, ast_stmt *s) {
  if (accept_kw(p, "or")) {
    if (!expect_kw(p, "replace")) return 0;
    s->or_replace = 1;
  }
  if (!accept_kw(p, "temp")) accept_kw(p, "temporary");
  if (accept_kw(p, "view")) {
    s->kind = STMT_CREATE_VIEW;
    s->is_view = 1;
  } else if (accept_kw(p, "table")) {
    s->kind = STMT_CREATE_TABLE;
  } else {
    return fail_here(p, "TABLE or VIEW");
  }
  if (accept_kw(p, "if")) {
    if (!expect_kw(p, "not") || !expect_kw(p, "exists")) return 0;
    s->if_not_exists = 1;
  }
  s->name_pos = cur(p)->pos;
  if (!(s->name = ident(p, "a name"))) return 0;
  if (accept_op(p, ".") && !(s->name = ident(p, "a name"))) return 0;
  if (s->kind == STMT_CREATE_TABLE && accept_op(p, "(")) {
    plist names = {0};
    int cap = 0;
    for (;;) {
      if (is_kw(p, "primary") || is_kw(p, "unique") || is_kw(p, "constraint") ||
          is_kw(p, "foreign") || is_kw(p, "check"))
        return fail(p, cur(p)->pos, "%s", "table constraints are not supported");
      const char *n = ident(p, "a column name");
      if (!n || !plist_push(p, &names, (void *)n)) return 0;
      if (names.n > cap) {
        int nc = cap ? cap * 2 : 16;
        auk_type_id *t = arena_alloc(p->a, sizeof *t * (size_t)nc);
        if (!t) return 0;
        if (cap) memcpy(t, s->col_types, sizeof *t * (size_t)cap);
        s->col_types = t;
        cap = nc;
      }
      if (!parse_type(p, &s->col_types[names.n - 1])) return 0;
      /* Column constraints that do not change the data are accepted. */
      for (;;) {
        if (accept_kw(p, "not") && expect_kw(p, "null")) continue;
        if (accept_kw(p, "null")) continue;
        if (accept_kw(p, "primary") && expect_kw(p, "key")) continue;
        if (accept_kw(p, "unique")) continue;
        break;
      }
      if (p->failed) return 0;
      if (!accept_op(p, ",")) break;
    }
    if (!expect_op(p, ")")) return 0;
    s->ncols = names.n;
    s->col_names = (const char **)names.v;
    return 1;
  }
  if (!expect_kw(p, "as")) return 0;
  return parse_query_into(p, s);
}

static int parse_statement(parser *p, ast_stmt *s) {
  s->pos = cur(p)->pos;
  if (is_query_start(p)) {
    s->kind = STMT_QUERY;
    return parse_query_into(p, s);
  }
  if (accept_kw(p, "create")) return parse_create(p, s);
  if (accept_kw(p, "explain")) {
    s->kind = STMT_EXPLAIN;
    accept_kw(p, "analyze");
    return parse_query_into(p, s);
  }
  if (accept_kw(p, "insert")) {
    s->kind = STMT_INSERT;
    if (!expect_kw(p, "into")) return 0;
    s->name_pos = cur(p)->pos;
    if (!(s->name = ident(p, "a table name"))) return 0;
    if (is_op(p, "(") && !(kw_at(p, 1, "select") || kw_at(p, 1, "with") || kw_at(p, 1, "values"))) {
      p->i++;
      plist names = {0};
      for (;;) {
        const char *n = ident(p, "a column name");
        if (!n || !plist_push(p, &names, (void *)n)) return 0;
        if (!accept_op(p, ",")) break;
      }
      if (!expect_op(p, ")")) return 0;
      s->ncols = names.n;
      s->col_names = (const char **)names.v;
    }
    return parse_query_into(p, s);
  }
  if (accept_kw(p, "drop")) {
    s->kind = STMT_DROP;
    if (accept_kw(p, "view"))
      s->is_view = 1;
    else if (!expect_kw(p, "table"))
      return 0;
    if (accept_kw(p, "if")) {
      if (!expect_kw(p, "exists")) return 0;
      s->if_exists = 1;
    }
    s->name_pos = cur(p)->pos;
    return (s->name = ident(p, "a name")) != NULL;
  }
  if (accept_kw(p, "copy")) {
    s->kind = STMT_COPY;
    if (is_op(p, "(")) {
      p->i++;
      if (!parse_query_into(p, s) || !expect_op(p, ")")) return 0;
    } else {
      s->name_pos = cur(p)->pos;
      if (!(s->name = ident(p, "a table name"))) return 0;
    }
    if (accept_kw(p, "to"))
      s->to = 1;
    else if (!expect_kw(p, "from"))
      return 0;
    if (!s->to && s->query) return fail(p, s->pos, "%s", "COPY FROM needs a table, not a query");
    token *t = cur(p);
    if (t->type != TOK_STRING) return fail_here(p, "a file name in quotes");
    s->path = arena_strdup(p->a, t->text);
    p->i++;
    return parse_options(p, s);
  }
  if (accept_kw(p, "show")) {
    if (accept_kw(p, "tables") || (accept_kw(p, "all") && expect_kw(p, "tables"))) {
      s->kind = STMT_SHOW_TABLES;
      return 1;
    }
    s->kind = STMT_DESCRIBE;
    s->name_pos = cur(p)->pos;
    return (s->name = ident(p, "TABLES or a table name")) != NULL;
  }
  if (is_kw(p, "describe") || is_kw(p, "summarize")) {
    s->kind = is_kw(p, "describe") ? STMT_DESCRIBE : STMT_SUMMARIZE;
    p->i++;
    if (accept_kw(p, "table")) {
    }
    if (is_query_start(p)) return parse_query_into(p, s);
    s->name_pos = cur(p)->pos;
    if (cur(p)->type == TOK_STRING) { /* DESCRIBE 'file.csv' */
      s->query_pos = cur(p)->pos;
      ast_ref *r = parse_table_primary(p);
      if (!r) return 0;
      ast_query *q = new_query(p, Q_SELECT, s->query_pos);
      ast_item *it = arena_alloc(p->a, sizeof *it);
      if (!q || !it || !(it->expr = node(p, AST_STAR, s->query_pos))) return 0;
      q->nitems = 1;
      q->items = it;
      q->from = r;
      s->query = q;
      s->query_end = prev_end(p);
      return 1;
    }
    return (s->name = ident(p, "a table name or a query")) != NULL;
  }
  if (accept_kw(p, "set") || accept_kw(p, "pragma")) {
    s->kind = STMT_SET;
    accept_kw(p, "global");
    accept_kw(p, "session");
    token *t = cur(p);
    if (t->type != TOK_WORD) return fail_here(p, "a setting name");
    s->name = arena_strdup(p->a, t->text);
    s->name_pos = t->pos;
    p->i++;
    if (!accept_op(p, "=") && !accept_kw(p, "to")) return fail_here(p, "'=' or TO");
    s->nopts = 1;
    s->opt_values = arena_alloc(p->a, sizeof *s->opt_values);
    if (!s->opt_values) return 0;
    return (s->opt_values[0] = parse_expr(p)) != NULL;
  }
  return fail_here(p, "a statement (SELECT, CREATE, INSERT, DROP, COPY, SHOW, DESCRIBE, ...)");
}

auk_status sql_parse(const char *text, size_t start, arena *a, ast_stmt **out, size_t *end,
                     auk_error *err) {
  *out = NULL;
  parser p = {.text = text, .a = a, .err = err};
  if (sql_lex(text, start, &p.toks, err)) return err->code;
  *end = p.toks.end;
  if (at_end(&p)) {
    token_list_free(&p.toks);
    return AUK_OK;
  }
  ast_stmt *s = arena_alloc(a, sizeof *s);
  if (s && parse_statement(&p, s) && !p.failed && !a->failed && !at_end(&p))
    fail_here(&p, "the end of the statement");
  if (!s || a->failed) p.failed = 1;
  token_list_free(&p.toks);
  if (p.failed) return err->code ? err->code : AUK_ERR_PARSE;
  *out = s;
  return AUK_OK;
}
