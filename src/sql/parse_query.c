/* parse_query.c - queries: WITH, set operations (INTERSECT binds tighter
 * than UNION and EXCEPT), SELECT and VALUES blocks, ORDER BY / LIMIT /
 * OFFSET for the whole, and FROM items (tables, files and table functions,
 * subqueries, joins with ON or USING, comma joins). */
#include "core/error.h"
#include "sql/parser.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    if (!(r->alias = sqlp_ident(p, "an alias"))) return 0;
  } else if (sqlp_at_ident(p)) {
    r->alias = sqlp_ident(p, "an alias");
  }
  /* t(a, b): names for the first columns */
  if (r->alias && accept_op(p, "(")) return sqlp_ident_list(p, &r->ncolalias, &r->colalias);
  return 1;
}

static ast_ref *parse_from(parser *p);

ast_ref *sqlp_table_primary(parser *p) {
  token *t = cur(p);
  size_t pos = t->pos;
  ast_ref *r;
  if (accept_op(p, "(")) {
    if (is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values")) {
      r = new_ref(p, REF_SUBQUERY, pos);
      if (!r || !(r->query = sqlp_query(p)) || !sqlp_expect_op(p, ")")) return NULL;
    } else {
      r = parse_from(p);
      if (!r || !sqlp_expect_op(p, ")")) return NULL;
      return r;
    }
  } else if (t->type == TOK_STRING) {
    p->i++;
    r = new_ref(p, REF_FILE, pos);
    if (!r) return NULL;
    r->name = "";
    r->nargs = 1;
    r->args = arena_alloc(p->a, sizeof *r->args);
    if (!r->args || !(r->args[0] = sqlp_node(p, AST_STRING, pos))) return NULL;
    r->args[0]->sval = arena_strdup(p->a, t->text);
  } else if (t->type == TOK_WORD && ahead(p, 1)->type == TOK_OP &&
             !strcmp(ahead(p, 1)->text, "(")) {
    r = new_ref(p, REF_FILE, pos);
    if (!r) return NULL;
    r->name = arena_strdup(p->a, t->text);
    p->i += 2;
    plist args = {0};
    while (!is_op(p, ")")) {
      ast_expr *x = sqlp_expr(p);
      if (!x || !sqlp_push(p, &args, x)) return NULL;
      if (!accept_op(p, ",")) break;
    }
    if (!sqlp_expect_op(p, ")")) return NULL;
    r->nargs = args.n;
    r->args = (ast_expr **)args.v;
  } else {
    r = new_ref(p, REF_TABLE, pos);
    if (!r || !(r->name = sqlp_ident(p, "a table name"))) return NULL;
    if (accept_op(p, ".")) { /* schema.table: the schema is ignored (main) */
      if (!(r->name = sqlp_ident(p, "a table name"))) return NULL;
    }
  }
  if (!parse_alias(p, r)) return NULL;
  return r;
}

static int join_kind(parser *p, sql_join *how, int *natural) {
  *natural = accept_kw(p, "natural");
  if (accept_kw(p, "join") || (accept_kw(p, "inner") && sqlp_expect_kw(p, "join"))) {
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
      return sqlp_expect_kw(p, "join") ? 1 : -1;
    }
  if (*natural) return sqlp_fail_here(p, "JOIN"), -1;
  return 0;
}

static ast_ref *parse_from(parser *p) {
  ast_ref *left = sqlp_table_primary(p);
  while (left) {
    size_t pos = cur(p)->pos;
    if (accept_op(p, ",")) {
      ast_ref *j = new_ref(p, REF_JOIN, pos);
      if (!j || !(j->right = sqlp_table_primary(p))) return NULL;
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
    if (!j || !(j->right = sqlp_table_primary(p))) return NULL;
    j->left = left;
    j->how = how;
    if (natural)
      return sqlp_fail(p, pos, "%s",
                       "NATURAL joins are not supported; name the columns with USING"),
             NULL;
    if (how != SJ_CROSS) {
      if (accept_kw(p, "on")) {
        if (!(j->on = sqlp_expr(p))) return NULL;
      } else if (accept_kw(p, "using")) {
        if (!sqlp_expect_op(p, "(")) return NULL;
        if (!sqlp_ident_list(p, &j->nusing, &j->using_cols)) return NULL;
      } else {
        return sqlp_fail_here(p, "ON or USING"), NULL;
      }
    }
    left = j;
  }
  return left;
}

/* ----------------------------------------------------------- queries */

ast_query *sqlp_new_query(parser *p, query_kind k, size_t pos) {
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
  ast_query *q = sqlp_new_query(p, Q_SELECT, cur(p)->pos);
  if (!q || !sqlp_expect_kw(p, "select")) return NULL;
  if (accept_kw(p, "distinct")) {
    if (is_kw(p, "on"))
      return sqlp_fail(p, cur(p)->pos, "%s", "DISTINCT ON is not supported"), NULL;
    q->distinct = 1;
  } else {
    accept_kw(p, "all");
  }
  plist items = {0};
  for (;;) {
    ast_item *it = arena_alloc(p->a, sizeof *it);
    if (!it || !(it->expr = sqlp_expr(p))) return NULL;
    if (it->expr->kind == AST_STAR && accept_kw(p, "exclude")) { /* DuckDB's * EXCLUDE */
      ast_expr *star = it->expr;
      if (sqlp_accept_paren(p)) {
        if (!sqlp_ident_list(p, &star->nexclude, &star->exclude)) return NULL;
      } else {
        const char **one = arena_alloc(p->a, sizeof *one);
        if (!one || !(one[0] = sqlp_ident(p, "a column name"))) return NULL;
        star->nexclude = 1;
        star->exclude = one;
      }
    }
    if (accept_kw(p, "as")) {
      token *t = cur(p);
      if (t->type == TOK_STRING) { /* AS 'name' */
        p->i++;
        it->alias = arena_strdup(p->a, t->text);
      } else if (!(it->alias = sqlp_ident(p, "an alias"))) {
        return NULL;
      }
    } else if (sqlp_at_ident(p)) {
      it->alias = sqlp_ident(p, "an alias");
    }
    if (!sqlp_push(p, &items, it)) return NULL;
    if (!accept_op(p, ",")) break;
    if (is_kw(p, "from")) break; /* trailing comma, as DuckDB allows */
  }
  q->nitems = items.n;
  q->items = arena_alloc(p->a, sizeof *q->items * (size_t)(items.n ? items.n : 1));
  if (!q->items) return NULL;
  for (int k = 0; k < items.n; k++) q->items[k] = *(ast_item *)items.v[k];
  if (accept_kw(p, "from") && !(q->from = parse_from(p))) return NULL;
  if (accept_kw(p, "where") && !(q->where = sqlp_expr(p))) return NULL;
  if (accept_kw(p, "group")) {
    if (!sqlp_expect_kw(p, "by")) return NULL;
    if (accept_kw(p, "all")) {
      q->group_all = 1;
    } else {
      plist g = {0};
      for (;;) {
        ast_expr *x = sqlp_expr(p);
        if (!x || !sqlp_push(p, &g, x)) return NULL;
        if (!accept_op(p, ",")) break;
      }
      q->ngroup = g.n;
      q->group = (ast_expr **)g.v;
    }
  }
  if (accept_kw(p, "having") && !(q->having = sqlp_expr(p))) return NULL;
  if (is_kw(p, "window"))
    return sqlp_fail(p, cur(p)->pos, "%s", "named windows (WINDOW) are not supported yet"), NULL;
  if (accept_kw(p, "qualify") && !(q->qualify = sqlp_expr(p))) return NULL;
  return q;
}

static ast_query *parse_values(parser *p) {
  ast_query *q = sqlp_new_query(p, Q_VALUES, cur(p)->pos);
  if (!q || !sqlp_expect_kw(p, "values")) return NULL;
  plist rows = {0};
  for (;;) {
    size_t pos = cur(p)->pos;
    if (!sqlp_expect_op(p, "(")) return NULL;
    plist vals = {0};
    for (;;) {
      ast_expr *x = sqlp_expr(p);
      if (!x || !sqlp_push(p, &vals, x)) return NULL;
      if (!accept_op(p, ",")) break;
    }
    if (!sqlp_expect_op(p, ")")) return NULL;
    if (rows.n == 0) q->ncols = vals.n;
    if (vals.n != q->ncols)
      return sqlp_fail(p, pos, "%s", "VALUES rows have different numbers of values"), NULL;
    if (!sqlp_push(p, &rows, vals.v)) return NULL;
    if (!accept_op(p, ",")) break;
  }
  q->nrows = rows.n;
  q->rows = (ast_expr ***)rows.v;
  return q;
}

static ast_query *parse_query_primary(parser *p) {
  if (is_op(p, "(")) {
    p->i++;
    ast_query *q = sqlp_query(p);
    if (!q || !sqlp_expect_op(p, ")")) return NULL;
    return q;
  }
  if (is_kw(p, "values")) return parse_values(p);
  if (is_kw(p, "select")) return parse_select(p);
  return sqlp_fail_here(p, "SELECT, VALUES or '('"), NULL;
}

static ast_query *setop(parser *p, set_op op, ast_query *l, ast_query *r, int all, size_t pos) {
  if (!l || !r) return NULL;
  ast_query *q = sqlp_new_query(p, Q_SETOP, pos);
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
  if (accept_kw(p, "order") && !sqlp_order_by(p, &q->norder, &q->order)) return 0;
  for (int round = 0; round < 2; round++) {
    if (accept_kw(p, "limit")) {
      if (!(q->limit = sqlp_expr(p))) return 0;
    } else if (accept_kw(p, "offset")) {
      if (!(q->offset = sqlp_expr(p))) return 0;
      accept_kw(p, "rows");
    }
  }
  return 1;
}

ast_query *sqlp_query(parser *p) {
  size_t pos = cur(p)->pos;
  int nctes = 0;
  ast_cte *ctes = NULL;
  if (accept_kw(p, "with")) {
    accept_kw(p, "recursive");
    plist l = {0};
    for (;;) {
      ast_cte *c = arena_alloc(p->a, sizeof *c);
      if (!c || !(c->name = sqlp_ident(p, "a name for the WITH query"))) return NULL;
      if (is_op(p, "("))
        return sqlp_fail(p, cur(p)->pos, "%s", "column lists on WITH queries are not supported"),
               NULL;
      if (!sqlp_expect_kw(p, "as")) return NULL;
      if (accept_kw(p, "materialized") ||
          (accept_kw(p, "not") && sqlp_expect_kw(p, "materialized"))) {
      }
      if (!sqlp_expect_op(p, "(") || !(c->query = sqlp_query(p)) || !sqlp_expect_op(p, ")"))
        return NULL;
      if (!sqlp_push(p, &l, c)) return NULL;
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
      ast_query *w = sqlp_new_query(p, Q_SETOP, q->pos);
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
