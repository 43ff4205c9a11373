/* parse_expr.c - SQL expressions by recursive descent, climbing the usual
 * precedence ladder: OR < AND < NOT < comparison, IS, BETWEEN, IN, LIKE <
 * || < + - < * / % // < unary minus < :: < primary (literals, typed
 * literals, intervals, CASE, CAST, EXISTS, function calls with DISTINCT,
 * * and FILTER, columns, subqueries). */
#include "core/decimal.h"
#include "core/error.h"
#include "sql/parser.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static ast_expr *parse_case(parser *p, size_t pos) {
  ast_expr *e = sqlp_node(p, AST_CASE, pos);
  if (!e) return NULL;
  plist args = {0};
  if (!is_kw(p, "when")) {
    e->has_operand = 1;
    ast_expr *op = sqlp_expr(p);
    if (!op || !sqlp_push(p, &args, op)) return NULL;
  }
  if (!is_kw(p, "when")) return sqlp_fail_here(p, "WHEN"), NULL;
  while (accept_kw(p, "when")) {
    ast_expr *w = sqlp_expr(p);
    if (!w || !sqlp_expect_kw(p, "then")) return NULL;
    ast_expr *t = sqlp_expr(p);
    if (!t || !sqlp_push(p, &args, w) || !sqlp_push(p, &args, t)) return NULL;
  }
  if (accept_kw(p, "else")) {
    e->has_else = 1;
    ast_expr *x = sqlp_expr(p);
    if (!x || !sqlp_push(p, &args, x)) return NULL;
  }
  if (!sqlp_expect_kw(p, "end")) return NULL;
  e->nargs = args.n;
  e->args = (ast_expr **)args.v;
  e->end = sqlp_prev_end(p);
  return e;
}

/* INTERVAL '3' DAY | INTERVAL 3 DAYS | INTERVAL '3 days' */
static ast_expr *parse_interval(parser *p, size_t pos) {
  ast_expr *e = sqlp_node(p, AST_INTERVAL, pos);
  if (!e) return NULL;
  token *t = cur(p);
  char buf[64] = {0};
  if (t->type == TOK_STRING || t->type == TOK_INT || t->type == TOK_NUMBER) {
    snprintf(buf, sizeof buf, "%s", t->text);
    p->i++;
  } else {
    return sqlp_fail_here(p, "an interval quantity"), NULL;
  }
  char *unit_in_text = buf;
  while (*unit_in_text == ' ') unit_in_text++;
  errno = 0;
  char *endp;
  long long n = strtoll(unit_in_text, &endp, 10);
  if (endp == unit_in_text || errno)
    return sqlp_fail(p, t->pos, "bad interval quantity '%s'", t->text), NULL;
  while (*endp == ' ') endp++;
  const char *unit = *endp ? endp : NULL;
  if (!unit) {
    token *u = cur(p);
    if (u->type != TOK_WORD)
      return sqlp_fail_here(p, "an interval unit (DAY, MONTH, YEAR, ...)"), NULL;
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
    return sqlp_fail(p, pos, "unknown interval unit '%s'", unit), NULL;
  e->end = sqlp_prev_end(p);
  return e;
}

/* OVER ( [PARTITION BY e, ...] [ORDER BY e [ASC|DESC] [NULLS FIRST|LAST], ...] ) */
static ast_window *parse_over(parser *p) {
  ast_window *w = arena_alloc(p->a, sizeof *w);
  if (!w || !sqlp_expect_op(p, "(")) return NULL;
  if (accept_kw(p, "partition")) {
    if (!sqlp_expect_kw(p, "by")) return NULL;
    plist l = {0};
    for (;;) {
      ast_expr *x = sqlp_expr(p);
      if (!x || !sqlp_push(p, &l, x)) return NULL;
      if (!accept_op(p, ",")) break;
    }
    w->npart = l.n;
    w->part = (ast_expr **)l.v;
  }
  if (accept_kw(p, "order") && !sqlp_order_by(p, &w->norder, &w->order)) return NULL;
  if (accept_kw(p, "rows")) {
    w->rows_frame = 1;
    int between = accept_kw(p, "between");
    w->following = 0; /* ROWS x: from x to the current row */
    for (int side = 0; side < (between ? 2 : 1); side++) {
      if (side && !sqlp_expect_kw(p, "and")) return NULL;
      /* a bound as rows before the current row (side 0) or after it
       * (side 1); negative counts the other way */
      int64_t v, *bound = side ? &w->following : &w->preceding;
      if (accept_kw(p, "current")) {
        if (!sqlp_expect_kw(p, "row")) return NULL;
        *bound = 0;
        continue;
      }
      if (accept_kw(p, "unbounded")) {
        v = INT64_MAX;
      } else if (cur(p)->type == TOK_INT) {
        v = strtoll(cur(p)->text, NULL, 10);
        p->i++;
      } else {
        return sqlp_fail_here(p, "UNBOUNDED, CURRENT ROW or a number of rows"), NULL;
      }
      int preceding = accept_kw(p, "preceding");
      if (!preceding && !accept_kw(p, "following"))
        return sqlp_fail_here(p, "PRECEDING or FOLLOWING"), NULL;
      *bound = preceding == (side == 0) ? v : (v == INT64_MAX ? -INT64_MAX : -v);
    }
  } else if (accept_kw(p, "range")) { /* only the default frame */
    if (!sqlp_expect_kw(p, "between") || !sqlp_expect_kw(p, "unbounded") ||
        !sqlp_expect_kw(p, "preceding") || !sqlp_expect_kw(p, "and") ||
        !sqlp_expect_kw(p, "current") || !sqlp_expect_kw(p, "row"))
      return sqlp_fail(p, cur(p)->pos, "%s",
                       "RANGE frames other than the default (UNBOUNDED PRECEDING AND CURRENT "
                       "ROW) are not supported; use ROWS"),
             NULL;
  } else if (is_kw(p, "groups")) {
    return sqlp_fail(p, cur(p)->pos, "%s", "GROUPS frames are not supported; use ROWS"), NULL;
  }
  if (!sqlp_expect_op(p, ")")) return NULL;
  return w;
}

/* name(args) after the '(' has been seen; handles DISTINCT, *, and the
 * SQL forms EXTRACT(f FROM x), SUBSTRING(x FROM a FOR b),
 * TRIM([BOTH|LEADING|TRAILING] [characters] FROM x), TRIM(x[, characters]);
 * POSITION is not supported. */
static ast_expr *parse_call(parser *p, const char *name, size_t pos) {
  ast_expr *e = sqlp_node(p, AST_FUNC, pos);
  if (!e) return NULL;
  e->name = name;
  plist args = {0};
  if (!strcasecmp(name, "extract")) {
    token *f = cur(p);
    if (f->type != TOK_WORD && f->type != TOK_STRING) return sqlp_fail_here(p, "a date part"), NULL;
    e->name = arena_strdup(p->a, f->text);
    p->i++;
    if (!sqlp_expect_kw(p, "from")) return NULL;
    ast_expr *x = sqlp_expr(p);
    if (!x || !sqlp_push(p, &args, x) || !sqlp_expect_op(p, ")")) return NULL;
    e->nargs = 1;
    e->args = (ast_expr **)args.v;
    e->end = sqlp_prev_end(p);
    return e;
  }
  if (!strcasecmp(name, "trim") &&
      (is_kw(p, "both") || is_kw(p, "leading") || is_kw(p, "trailing"))) {
    /* TRIM(BOTH|LEADING|TRAILING [characters] FROM x) */
    e->name = accept_kw(p, "leading") ? "ltrim" : accept_kw(p, "trailing") ? "rtrim" : "trim";
    accept_kw(p, "both");
    ast_expr *chars = NULL, *x;
    if (!accept_kw(p, "from")) {
      if (!(chars = sqlp_expr(p)) || !sqlp_expect_kw(p, "from")) return NULL;
    }
    if (!(x = sqlp_expr(p)) || !sqlp_push(p, &args, x) || (chars && !sqlp_push(p, &args, chars)))
      return NULL;
    goto close;
  }
  if (is_op(p, ")")) goto close;
  if (accept_kw(p, "distinct"))
    e->distinct = 1;
  else
    accept_kw(p, "all");
  if (is_op(p, "*") && (ahead(p, 1)->type == TOK_OP && !strcmp(ahead(p, 1)->text, ")"))) {
    p->i += 1;
    ast_expr *s = sqlp_node(p, AST_STAR, pos);
    if (!s || !sqlp_push(p, &args, s)) return NULL;
    goto close;
  }
  for (;;) {
    ast_expr *x = sqlp_expr(p);
    if (!x || !sqlp_push(p, &args, x)) return NULL;
    if (accept_op(p, ",")) continue;
    if (!strcasecmp(name, "trim") && args.n == 1 && accept_kw(p, "from")) {
      /* TRIM(characters FROM x): x first, as trim(x, characters) */
      ast_expr *y = sqlp_expr(p);
      if (!y || !sqlp_push(p, &args, y)) return NULL;
      void *t = args.v[0];
      args.v[0] = args.v[1];
      args.v[1] = t;
      break;
    }
    if (!strcasecmp(name, "substring") || !strcasecmp(name, "substr")) {
      if (accept_kw(p, "from")) {
        ast_expr *y = sqlp_expr(p);
        if (!y || !sqlp_push(p, &args, y)) return NULL;
      }
      if (accept_kw(p, "for")) {
        ast_expr *y = sqlp_expr(p);
        if (!y || !sqlp_push(p, &args, y)) return NULL;
      }
    }
    break;
  }
  if (accept_kw(p, "order") && !sqlp_order_by(p, &e->norder, &e->order)) return NULL;
close:
  if (!sqlp_expect_op(p, ")")) return NULL;
  if (accept_kw(p, "filter")) {
    if (!sqlp_expect_op(p, "(") || !sqlp_expect_kw(p, "where") || !(e->filter = sqlp_expr(p)) ||
        !sqlp_expect_op(p, ")"))
      return NULL;
  }
  if (accept_kw(p, "over") && !(e->over = parse_over(p))) return NULL;
  e->nargs = args.n;
  e->args = (ast_expr **)args.v;
  e->end = sqlp_prev_end(p);
  return e;
}

/* DuckDB types a number with a point and no exponent as DECIMAL(digits,
 * fraction digits), so 0.1 + 0.2 = 0.3 holds; past 18 digits (or with an
 * exponent) it stays a DOUBLE. Sets e->type and the unscaled e->ival. */
static void decimal_literal(const char *text, ast_expr *e) {
  const char *dot = strchr(text, '.');
  if (!dot || strpbrk(text, "eE")) return;
  int digits = 0, scale = (int)strlen(dot + 1);
  for (const char *c = text; *c; c++) digits += *c >= '0' && *c <= '9';
  int prec = digits > scale ? digits : scale;
  if (prec < 1 || !auk_decimal_valid(prec, scale)) return;
  int64_t v;
  if (!auk_decimal_parse(text, (int64_t)strlen(text), prec, scale, &v)) return;
  e->type = AUK_DECIMAL(prec, scale);
  e->ival = v;
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
        e = sqlp_node(p, AST_FLOAT, pos);
        if (e) e->dval = strtod(t->text, NULL);
      } else {
        e = sqlp_node(p, AST_INT, pos);
        if (e) e->ival = v;
      }
      break;
    }
    case TOK_NUMBER:
      p->i++;
      e = sqlp_node(p, AST_FLOAT, pos);
      if (e) {
        e->dval = strtod(t->text, NULL);
        decimal_literal(t->text, e);
      }
      break;
    case TOK_STRING:
      p->i++;
      e = sqlp_node(p, AST_STRING, pos);
      if (e) e->sval = arena_strdup(p->a, t->text);
      break;
    case TOK_OP:
      if (is_op(p, "(")) {
        p->i++;
        if (is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values")) {
          e = sqlp_node(p, AST_SUBQUERY, pos);
          if (!e || !(e->query = sqlp_query(p))) return NULL;
        } else {
          e = sqlp_expr(p);
          if (!e) return NULL;
        }
        if (!sqlp_expect_op(p, ")")) return NULL;
        e->pos = pos;
        e->end = sqlp_prev_end(p);
        return e;
      }
      if (is_op(p, "*")) {
        p->i++;
        e = sqlp_node(p, AST_STAR, pos);
        break;
      }
      sqlp_fail_here(p, "an expression");
      return NULL;
    case TOK_QUOTED:
    case TOK_WORD: {
      if (t->type == TOK_WORD) {
        if (accept_kw(p, "null")) {
          e = sqlp_node(p, AST_NULL, pos);
          break;
        }
        if (accept_kw(p, "true") || accept_kw(p, "false")) {
          e = sqlp_node(p, AST_BOOL, pos);
          if (e) e->ival = !strcasecmp(t->text, "true");
          break;
        }
        if (accept_kw(p, "case")) return parse_case(p, pos);
        if ((is_kw(p, "date") || is_kw(p, "timestamp")) && ahead(p, 1)->type == TOK_STRING) {
          e = sqlp_node(p, AST_TYPED, pos);
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
          e = sqlp_node(p, AST_CAST, pos);
          if (!e) return NULL;
          e->try_cast = try_cast;
          e->nargs = 1;
          e->args = arena_alloc(p->a, sizeof *e->args);
          if (!e->args || !(e->args[0] = sqlp_expr(p)) || !sqlp_expect_kw(p, "as") ||
              !sqlp_type(p, &e->type) || !sqlp_expect_op(p, ")"))
            return NULL;
          break;
        }
        if (is_kw(p, "exists") && ahead(p, 1)->type == TOK_OP && !strcmp(ahead(p, 1)->text, "(")) {
          p->i += 2;
          e = sqlp_node(p, AST_EXISTS, pos);
          if (!e || !(e->query = sqlp_query(p)) || !sqlp_expect_op(p, ")")) return NULL;
          break;
        }
        /* left(s, n) and right(s, n) are functions although LEFT and RIGHT
         * are reserved (joins) */
        int reserved_call = (!strcasecmp(t->text, "left") || !strcasecmp(t->text, "right")) &&
                            ahead(p, 1)->type == TOK_OP && !strcmp(ahead(p, 1)->text, "(");
        if (sqlp_is_reserved(t->text) && !reserved_call) {
          sqlp_fail_here(p, "an expression");
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
          e = sqlp_node(p, AST_STAR, pos);
          if (e) e->qualifier = name;
          break;
        }
        const char *col = sqlp_ident(p, "a column name");
        if (!col) return NULL;
        e = sqlp_node(p, AST_COLUMN, pos);
        if (e) {
          e->qualifier = name;
          e->name = col;
        }
        break;
      }
      e = sqlp_node(p, AST_COLUMN, pos);
      if (e) e->name = name;
      break;
    }
    default: sqlp_fail_here(p, "an expression"); return NULL;
  }
  if (e) e->end = sqlp_prev_end(p);
  return e;
}

static ast_expr *parse_postfix(parser *p) {
  ast_expr *e = parse_primary(p);
  while (e && is_op(p, "::")) {
    p->i++;
    ast_expr *c = sqlp_node(p, AST_CAST, e->pos);
    if (!c) return NULL;
    c->nargs = 1;
    c->args = arena_alloc(p->a, sizeof *c->args);
    if (!c->args || !sqlp_type(p, &c->type)) return NULL;
    c->args[0] = e;
    c->end = sqlp_prev_end(p);
    e = c;
  }
  return e;
}

static ast_expr *parse_sign(parser *p);

static ast_expr *parse_unary(parser *p) {
  if (is_op(p, "-") || is_op(p, "+")) {
    if (!sqlp_enter(p)) return NULL;
    ast_expr *r = parse_sign(p);
    sqlp_leave(p);
    return r;
  }
  return parse_postfix(p);
}

/* a sign and what follows: -5 folds into the literal */
static ast_expr *parse_sign(parser *p) {
  {
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
      x->ival = -x->ival; /* a decimal literal's unscaled value */
      x->pos = pos;
      return x;
    }
    return sqlp_unary(p, "-", x, pos);
  }
}

static ast_expr *parse_mul(parser *p) {
  ast_expr *e = parse_unary(p);
  while (e && (is_op(p, "*") || is_op(p, "/") || is_op(p, "%") || is_op(p, "//"))) {
    const char *op = cur(p)->text;
    op = !strcmp(op, "*") ? "*" : !strcmp(op, "/") ? "/" : !strcmp(op, "%") ? "%" : "//";
    p->i++;
    e = sqlp_binary(p, op, e, parse_unary(p));
  }
  return e;
}

static ast_expr *parse_add(parser *p) {
  ast_expr *e = parse_mul(p);
  while (e && (is_op(p, "+") || is_op(p, "-"))) {
    const char *op = is_op(p, "+") ? "+" : "-";
    p->i++;
    e = sqlp_binary(p, op, e, parse_mul(p));
  }
  return e;
}

static ast_expr *parse_concat(parser *p) {
  ast_expr *e = parse_add(p);
  while (e && is_op(p, "||")) {
    p->i++;
    e = sqlp_binary(p, "||", e, parse_add(p));
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
  ast_expr *e = sqlp_node(p, k, x->pos);
  if (!e) return NULL;
  e->negated = negated;
  e->nargs = 1;
  e->args = arena_alloc(p->a, sizeof *e->args);
  if (!e->args) return NULL;
  e->args[0] = x;
  e->end = sqlp_prev_end(p);
  return e;
}

static ast_expr *parse_comparison(parser *p) {
  ast_expr *e = parse_concat(p);
  while (e) {
    const char *op = comparison_op(p);
    if (op) {
      p->i++;
      e = sqlp_binary(p, op, e, parse_concat(p));
      continue;
    }
    if (is_kw(p, "is")) {
      p->i++;
      int neg = accept_kw(p, "not");
      if (accept_kw(p, "null")) {
        e = wrap1(p, AST_IS_NULL, e, neg);
      } else if (accept_kw(p, "distinct")) {
        if (!sqlp_expect_kw(p, "from")) return NULL;
        ast_expr *r = parse_concat(p);
        if (!r) return NULL;
        ast_expr *d = sqlp_binary(p, "distinct", e, r);
        if (!d) return NULL;
        d->kind = AST_DISTINCT_FROM;
        d->negated = neg;
        e = d;
      } else if (is_kw(p, "true") || is_kw(p, "false")) {
        /* x IS [NOT] TRUE: coalesce(x = true, false) */
        int want = is_kw(p, "true");
        p->i++;
        ast_expr *b = sqlp_node(p, AST_BOOL, e->pos);
        if (!b) return NULL;
        b->ival = want;
        ast_expr *d = sqlp_binary(p, "distinct", e, b);
        if (!d) return NULL;
        d->kind = AST_DISTINCT_FROM;
        d->negated = !neg;
        e = d;
      } else {
        return sqlp_fail_here(p, "NULL, DISTINCT FROM, TRUE or FALSE after IS"), NULL;
      }
      continue;
    }
    int save = p->i;
    int neg = accept_kw(p, "not");
    if (accept_kw(p, "between")) {
      ast_expr *lo = parse_concat(p);
      if (!lo || !sqlp_expect_kw(p, "and")) return NULL;
      ast_expr *hi = parse_concat(p);
      if (!hi) return NULL;
      ast_expr *b = sqlp_node(p, AST_BETWEEN, e->pos);
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
      if (!sqlp_expect_op(p, "(")) return NULL;
      if (is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values")) {
        ast_expr *q = wrap1(p, AST_IN_QUERY, e, neg);
        if (!q || !(q->query = sqlp_query(p)) || !sqlp_expect_op(p, ")")) return NULL;
        q->end = sqlp_prev_end(p);
        e = q;
        continue;
      }
      plist args = {0};
      if (!sqlp_push(p, &args, e)) return NULL;
      for (;;) {
        ast_expr *x = sqlp_expr(p);
        if (!x || !sqlp_push(p, &args, x)) return NULL;
        if (!accept_op(p, ",")) break;
      }
      if (!sqlp_expect_op(p, ")")) return NULL;
      ast_expr *in = sqlp_node(p, AST_IN_LIST, e->pos);
      if (!in) return NULL;
      in->negated = neg;
      in->nargs = args.n;
      in->args = (ast_expr **)args.v;
      in->end = sqlp_prev_end(p);
      e = in;
      continue;
    }
    if (is_kw(p, "like") || is_kw(p, "ilike")) {
      int il = is_kw(p, "ilike");
      p->i++;
      ast_expr *r = parse_concat(p);
      if (!r) return NULL;
      ast_expr *l = sqlp_binary(p, il ? "ilike" : "like", e, r);
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
    if (!sqlp_enter(p)) return NULL;
    p->i++;
    ast_expr *r = sqlp_unary(p, "not", parse_not(p), pos);
    sqlp_leave(p);
    return r;
  }
  return parse_comparison(p);
}

static ast_expr *parse_and(parser *p) {
  ast_expr *e = parse_not(p);
  while (e && accept_kw(p, "and")) e = sqlp_binary(p, "and", e, parse_not(p));
  return e;
}

ast_expr *sqlp_expr(parser *p) {
  if (!sqlp_enter(p)) return NULL;
  ast_expr *e = parse_and(p);
  while (e && accept_kw(p, "or")) e = sqlp_binary(p, "or", e, parse_and(p));
  sqlp_leave(p);
  return e;
}
