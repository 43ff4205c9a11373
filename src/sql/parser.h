/* parser.h - the parser's shared state and helpers, for the files of the
 * recursive descent: parser.c (tokens, identifiers, errors, types),
 * parse_expr.c (expressions), parse_query.c (FROM, queries) and
 * parse_stmt.c (statements and sql_parse). Internal to src/sql. */
#ifndef AUK_SQL_PARSER_H
#define AUK_SQL_PARSER_H
#include "sql/ast.h"
#include "sql/lexer.h"

#include <string.h>
#include <strings.h>

typedef struct parser {
  const char *text;
  token_list toks;
  int i;
  arena *a;
  auk_error *err;
  int failed;
  int depth; /* nesting of the recursive descent, bounded (SQL_MAX_DEPTH) */
} parser;

/* A growable list of pointers in the arena. */
typedef struct plist {
  void **v;
  int n, cap;
} plist;

static inline token *cur(parser *p) {
  return &p->toks.toks[p->i];
}

static inline token *ahead(parser *p, int k) {
  int j = p->i + k;
  return j < p->toks.n ? &p->toks.toks[j] : &p->toks.toks[p->toks.n - 1];
}

static inline int kw_at(parser *p, int k, const char *w) {
  token *t = ahead(p, k);
  return t->type == TOK_WORD && !strcasecmp(t->text, w);
}

static inline int is_kw(parser *p, const char *w) {
  return kw_at(p, 0, w);
}

static inline int accept_kw(parser *p, const char *w) {
  if (!is_kw(p, w)) return 0;
  p->i++;
  return 1;
}

static inline int is_op(parser *p, const char *o) {
  token *t = cur(p);
  return t->type == TOK_OP && !strcmp(t->text, o);
}

static inline int accept_op(parser *p, const char *o) {
  if (!is_op(p, o)) return 0;
  p->i++;
  return 1;
}

/* How deep expressions may nest (parentheses, subqueries, operator chains)
 * before the parser refuses them: the parser and the layers below recurse
 * on the tree, and the stack is finite. */
#define SQL_MAX_DEPTH 200
/* Enters one level of nesting; 0 (with the error set) past the limit.
 * sqlp_leave undoes it. */
int sqlp_enter(parser *p);
static inline void sqlp_leave(parser *p) {
  p->depth--;
}
int sqlp_is_reserved(const char *w);
/* Records the first error (a %s format and its argument); returns 0. */
int sqlp_fail(parser *p, size_t pos, const char *fmt, const char *a1);
/* "syntax error at 'tok': expected <what>"; returns 0. */
int sqlp_fail_here(parser *p, const char *what);
int sqlp_expect_kw(parser *p, const char *w);
int sqlp_expect_op(parser *p, const char *o);
/* An identifier (quoted, or a word that is not reserved), or NULL. */
const char *sqlp_ident(parser *p, const char *what);
int sqlp_at_ident(parser *p);
ast_expr *sqlp_node(parser *p, ast_kind k, size_t pos);
/* The offset just after the last token taken. */
size_t sqlp_prev_end(parser *p);
ast_expr *sqlp_binary(parser *p, const char *op, ast_expr *l, ast_expr *r);
/* An AST_UNARY node `op x` starting at pos. */
ast_expr *sqlp_unary(parser *p, const char *op, ast_expr *x, size_t pos);
/* `a, b, c)` after an opening '(': the names into *names; 0 on error. */
int sqlp_ident_list(parser *p, int *n, const char ***names);
static inline int sqlp_accept_paren(parser *p) {
  token *t = cur(p);
  if (t->type != TOK_OP || strcmp(t->text, "(")) return 0;
  p->i++;
  return 1;
}
/* Appends x to l (in the arena); 0 when out of memory. */
int sqlp_push(parser *p, plist *l, void *x);
/* `BY e [ASC|DESC] [NULLS FIRST|LAST], ...` after ORDER (of a query or a
 * window); 0 on error. */
int sqlp_order_by(parser *p, int *n, ast_order **out);
/* A type name with its parameters (VARCHAR(10), DECIMAL(15,2)). */
int sqlp_type(parser *p, auk_type_id *out);
ast_expr *sqlp_expr(parser *p);
ast_query *sqlp_query(parser *p);
ast_ref *sqlp_table_primary(parser *p);
ast_query *sqlp_new_query(parser *p, query_kind k, size_t pos);

#endif
