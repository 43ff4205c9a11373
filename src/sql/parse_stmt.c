/* parse_stmt.c - statements (queries, CREATE, INSERT, DROP, COPY, SHOW,
 * DESCRIBE, SUMMARIZE, EXPLAIN, SET) and sql_parse, the entry point. */
#include "core/error.h"
#include "sql/parser.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    if (t->type != TOK_WORD) return sqlp_fail_here(p, "an option name");
    const char *n = arena_strdup(p->a, t->text);
    p->i++;
    accept_op(p, "=");
    ast_expr *v = NULL;
    if (!is_op(p, ",") && !is_op(p, ")")) {
      token *vt = cur(p);
      if (vt->type == TOK_WORD && !is_kw(p, "true") && !is_kw(p, "false")) {
        v = sqlp_node(p, AST_STRING, vt->pos);
        if (!v) return 0;
        v->sval = arena_strdup(p->a, vt->text);
        p->i++;
      } else if (!(v = sqlp_expr(p))) {
        return 0;
      }
    }
    if (!sqlp_push(p, &names, (void *)n) || !sqlp_push(p, &values, v)) return 0;
    if (!accept_op(p, ",")) break;
  }
  if (!sqlp_expect_op(p, ")")) return 0;
  s->nopts = names.n;
  s->opt_names = (const char **)names.v;
  s->opt_values = (ast_expr **)values.v;
  return 1;
}

static int parse_query_into(parser *p, ast_stmt *s) {
  s->query_pos = cur(p)->pos;
  s->query = sqlp_query(p);
  s->query_end = sqlp_prev_end(p);
  return s->query != NULL;
}

static int is_query_start(parser *p) {
  return is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values") || is_op(p, "(");
}

static int parse_create(parser *p, ast_stmt *s) {
  if (accept_kw(p, "or")) {
    if (!sqlp_expect_kw(p, "replace")) return 0;
    s->or_replace = 1;
  }
  if (!accept_kw(p, "temp")) accept_kw(p, "temporary");
  if (accept_kw(p, "view")) {
    s->kind = STMT_CREATE_VIEW;
    s->is_view = 1;
  } else if (accept_kw(p, "table")) {
    s->kind = STMT_CREATE_TABLE;
  } else {
    return sqlp_fail_here(p, "TABLE or VIEW");
  }
  if (accept_kw(p, "if")) {
    if (!sqlp_expect_kw(p, "not") || !sqlp_expect_kw(p, "exists")) return 0;
    s->if_not_exists = 1;
  }
  s->name_pos = cur(p)->pos;
  if (!(s->name = sqlp_ident(p, "a name"))) return 0;
  if (accept_op(p, ".") && !(s->name = sqlp_ident(p, "a name"))) return 0;
  if (s->kind == STMT_CREATE_TABLE && accept_op(p, "(")) {
    plist names = {0};
    int cap = 0;
    for (;;) {
      if (is_kw(p, "primary") || is_kw(p, "unique") || is_kw(p, "constraint") ||
          is_kw(p, "foreign") || is_kw(p, "check"))
        return sqlp_fail(p, cur(p)->pos, "%s", "table constraints are not supported");
      const char *n = sqlp_ident(p, "a column name");
      if (!n || !sqlp_push(p, &names, (void *)n)) return 0;
      if (names.n > cap) {
        int nc = cap ? cap * 2 : 16;
        auk_type_id *t = arena_alloc(p->a, sizeof *t * (size_t)nc);
        if (!t) return 0;
        if (cap) memcpy(t, s->col_types, sizeof *t * (size_t)cap);
        s->col_types = t;
        cap = nc;
      }
      if (!sqlp_type(p, &s->col_types[names.n - 1])) return 0;
      /* Column constraints that do not change the data are accepted. */
      for (;;) {
        if (accept_kw(p, "not") && sqlp_expect_kw(p, "null")) continue;
        if (accept_kw(p, "null")) continue;
        if (accept_kw(p, "primary") && sqlp_expect_kw(p, "key")) continue;
        if (accept_kw(p, "unique")) continue;
        break;
      }
      if (p->failed) return 0;
      if (!accept_op(p, ",")) break;
    }
    if (!sqlp_expect_op(p, ")")) return 0;
    s->ncols = names.n;
    s->col_names = (const char **)names.v;
    return 1;
  }
  if (!sqlp_expect_kw(p, "as")) return 0;
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
    if (!sqlp_expect_kw(p, "into")) return 0;
    s->name_pos = cur(p)->pos;
    if (!(s->name = sqlp_ident(p, "a table name"))) return 0;
    if (is_op(p, "(") && !(kw_at(p, 1, "select") || kw_at(p, 1, "with") || kw_at(p, 1, "values"))) {
      p->i++;
      if (!sqlp_ident_list(p, &s->ncols, &s->col_names)) return 0;
    }
    return parse_query_into(p, s);
  }
  if (accept_kw(p, "drop")) {
    s->kind = STMT_DROP;
    if (accept_kw(p, "view"))
      s->is_view = 1;
    else if (!sqlp_expect_kw(p, "table"))
      return 0;
    if (accept_kw(p, "if")) {
      if (!sqlp_expect_kw(p, "exists")) return 0;
      s->if_exists = 1;
    }
    s->name_pos = cur(p)->pos;
    return (s->name = sqlp_ident(p, "a name")) != NULL;
  }
  if (accept_kw(p, "copy")) {
    s->kind = STMT_COPY;
    if (is_op(p, "(")) {
      p->i++;
      if (!parse_query_into(p, s) || !sqlp_expect_op(p, ")")) return 0;
    } else {
      s->name_pos = cur(p)->pos;
      if (!(s->name = sqlp_ident(p, "a table name"))) return 0;
    }
    if (accept_kw(p, "to"))
      s->to = 1;
    else if (!sqlp_expect_kw(p, "from"))
      return 0;
    if (!s->to && s->query)
      return sqlp_fail(p, s->pos, "%s", "COPY FROM needs a table, not a query");
    token *t = cur(p);
    if (t->type != TOK_STRING) return sqlp_fail_here(p, "a file name in quotes");
    s->path = arena_strdup(p->a, t->text);
    p->i++;
    return parse_options(p, s);
  }
  if (accept_kw(p, "show")) {
    if (accept_kw(p, "tables") || (accept_kw(p, "all") && sqlp_expect_kw(p, "tables"))) {
      s->kind = STMT_SHOW_TABLES;
      return 1;
    }
    s->kind = STMT_DESCRIBE;
    s->name_pos = cur(p)->pos;
    return (s->name = sqlp_ident(p, "TABLES or a table name")) != NULL;
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
      ast_ref *r = sqlp_table_primary(p);
      if (!r) return 0;
      ast_query *q = sqlp_new_query(p, Q_SELECT, s->query_pos);
      ast_item *it = arena_alloc(p->a, sizeof *it);
      if (!q || !it || !(it->expr = sqlp_node(p, AST_STAR, s->query_pos))) return 0;
      q->nitems = 1;
      q->items = it;
      q->from = r;
      s->query = q;
      s->query_end = sqlp_prev_end(p);
      return 1;
    }
    return (s->name = sqlp_ident(p, "a table name or a query")) != NULL;
  }
  if (accept_kw(p, "delete")) {
    s->kind = STMT_DELETE;
    if (!sqlp_expect_kw(p, "from")) return 0;
    s->name_pos = cur(p)->pos;
    if (!(s->name = sqlp_ident(p, "a table name"))) return 0;
    if (accept_kw(p, "where") && !(s->where = sqlp_expr(p))) return 0;
    return 1;
  }
  if (accept_kw(p, "update")) {
    s->kind = STMT_UPDATE;
    s->name_pos = cur(p)->pos;
    if (!(s->name = sqlp_ident(p, "a table name")) || !sqlp_expect_kw(p, "set")) return 0;
    plist names = {0}, values = {0};
    for (;;) {
      const char *c = sqlp_ident(p, "a column name");
      if (!c || !sqlp_expect_op(p, "=")) return 0;
      ast_expr *v = sqlp_expr(p);
      if (!v || !sqlp_push(p, &names, (void *)c) || !sqlp_push(p, &values, v)) return 0;
      if (!accept_op(p, ",")) break;
    }
    s->nopts = names.n;
    s->opt_names = (const char **)names.v;
    s->opt_values = (ast_expr **)values.v;
    if (accept_kw(p, "where") && !(s->where = sqlp_expr(p))) return 0;
    return 1;
  }
  if (accept_kw(p, "set") || accept_kw(p, "pragma")) {
    s->kind = STMT_SET;
    accept_kw(p, "global");
    accept_kw(p, "session");
    token *t = cur(p);
    if (t->type != TOK_WORD) return sqlp_fail_here(p, "a setting name");
    s->name = arena_strdup(p->a, t->text);
    s->name_pos = t->pos;
    p->i++;
    if (!accept_op(p, "=") && !accept_kw(p, "to")) return sqlp_fail_here(p, "'=' or TO");
    s->nopts = 1;
    s->opt_values = arena_alloc(p->a, sizeof *s->opt_values);
    if (!s->opt_values) return 0;
    return (s->opt_values[0] = sqlp_expr(p)) != NULL;
  }
  return sqlp_fail_here(p, "a statement (SELECT, CREATE, INSERT, DROP, COPY, SHOW, DESCRIBE, ...)");
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
    sqlp_fail_here(&p, "the end of the statement");
  if (!s || a->failed) p.failed = 1;
  token_list_free(&p.toks);
  if (p.failed) return err->code ? err->code : AUK_ERR_PARSE;
  *out = s;
  return AUK_OK;
}
