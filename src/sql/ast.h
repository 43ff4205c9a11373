/* ast.h - the SQL syntax tree the parser builds and the planner lowers.
 * Every node lives in one arena per statement (freed at once), and knows
 * the byte range of the text it came from, for errors with a caret and for
 * naming unaliased result columns after their text, as DuckDB does. */
#ifndef AUK_SQL_AST_H
#define AUK_SQL_AST_H
#include "auk.h"

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- arena */

typedef struct arena_block arena_block;
typedef struct arena {
  arena_block *head;
  auk_error *err; /* where an allocation failure is reported */
  int failed;
} arena;

void arena_init(arena *a, auk_error *err);
void arena_free(arena *a);
/* Zeroed memory, or NULL (and a->failed) when out of memory. */
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);

/* -------------------------------------------------------- expressions */

typedef enum {
  AST_COLUMN,       /* [qualifier.]name */
  AST_STAR,         /* * or qualifier.* (only in select lists and count(*)) */
  AST_INT,          /* ival */
  AST_FLOAT,        /* dval */
  AST_STRING,       /* sval */
  AST_BOOL,         /* ival */
  AST_NULL,         /* NULL */
  AST_TYPED,        /* DATE 'x', TIMESTAMP 'x': sval cast to type */
  AST_INTERVAL,     /* months, days, micros */
  AST_UNARY,        /* op args[0]: "-", "not" */
  AST_BINARY,       /* args[0] op args[1] */
  AST_FUNC,         /* name(args...), distinct, star (count(*)) */
  AST_CASE,         /* args: [operand?] when, then, when, then, ..., [else] */
  AST_CAST,         /* args[0] as type; try_cast */
  AST_BETWEEN,      /* args[0] BETWEEN args[1] AND args[2]; negated */
  AST_IN_LIST,      /* args[0] IN (args[1..]); negated */
  AST_IN_QUERY,     /* args[0] IN (query); negated */
  AST_EXISTS,       /* EXISTS (query); negated */
  AST_SUBQUERY,     /* (query) as a scalar */
  AST_IS_NULL,      /* args[0] IS [NOT] NULL; negated */
  AST_LIKE,         /* args[0] [NOT] LIKE|ILIKE args[1]; negated, ilike */
  AST_DISTINCT_FROM /* args[0] IS [NOT] DISTINCT FROM args[1]; negated */
} ast_kind;

struct ast_query;
struct ast_expr;
struct ast_order;

/* OVER (PARTITION BY ... ORDER BY ...) of a window function call. */
typedef struct ast_window {
  int npart;
  struct ast_expr **part;
  int norder;
  struct ast_order *order;
  int rows_frame;               /* ROWS BETWEEN ...: the rows from k - preceding */
  int64_t preceding, following; /* to k + following (INT64_MAX: unbounded) */
} ast_window;

typedef struct ast_expr {
  ast_kind kind;
  size_t pos, end;       /* source text [pos, end) */
  const char *name;      /* column or function name; operator text */
  const char *qualifier; /* table alias of a column or star, or NULL */
  int64_t ival;
  double dval;
  const char *sval;
  int32_t months;
  int64_t days, micros; /* interval */
  auk_type_id type;     /* cast or typed literal */
  int try_cast, negated, distinct, ilike, has_operand, has_else;
  int nargs;
  struct ast_expr **args;
  struct ast_query *query; /* subqueries */
  struct ast_expr *filter; /* aggregate FILTER (WHERE ...) */
  struct ast_order *order; /* aggregate ORDER BY (string_agg(x, ',' ORDER BY y)) */
  int norder;
  ast_window *over; /* window function call */
  int height;       /* levels of operators below (bounded by the parser) */
  int nexclude;     /* * EXCLUDE (a, b): the columns left out */
  const char **exclude;
} ast_expr;

/* --------------------------------------------------------------- FROM */

typedef enum {
  REF_TABLE,    /* name (a CTE, table or view) */
  REF_FILE,     /* 'path' or read_csv(...)/read_parquet(...): func, args */
  REF_SUBQUERY, /* (query) */
  REF_JOIN      /* left JOIN right ON on | USING (using) ; comma joins too */
} ref_kind;

typedef enum { SJ_INNER, SJ_LEFT, SJ_RIGHT, SJ_FULL, SJ_CROSS, SJ_SEMI, SJ_ANTI } sql_join;

typedef struct ast_ref {
  ref_kind kind;
  size_t pos;
  const char *name;  /* table name, or file function name */
  const char *alias; /* AS alias, or NULL */
  int ncolalias;     /* AS alias(c1, c2, ...): new names of the first columns */
  const char **colalias;
  int nargs;       /* file function arguments: args[0] the path */
  ast_expr **args; /* named options are AST_BINARY "=" with a column */
  struct ast_query *query;
  struct ast_ref *left, *right;
  sql_join how;
  int comma; /* FROM a, b */
  ast_expr *on;
  int nusing;
  const char **using_cols;
} ast_ref;

/* ------------------------------------------------------------ queries */

typedef struct ast_item {
  ast_expr *expr;
  const char *alias;
} ast_item;

typedef struct ast_order {
  ast_expr *expr;
  int desc;
  int nulls; /* 0 default, 1 first, 2 last */
} ast_order;

typedef struct ast_cte {
  const char *name;
  struct ast_query *query;
} ast_cte;

typedef enum { Q_SELECT, Q_VALUES, Q_SETOP } query_kind;
typedef enum { SET_UNION, SET_INTERSECT, SET_EXCEPT } set_op;

typedef struct ast_query {
  query_kind kind;
  size_t pos;
  int nctes;
  ast_cte *ctes;
  /* Q_SELECT */
  int distinct;
  int nitems;
  ast_item *items;
  ast_ref *from; /* NULL: one row of no columns */
  ast_expr *where;
  int ngroup;
  ast_expr **group;
  int group_all;
  ast_expr *having;
  ast_expr *qualify; /* filter after the window functions (DuckDB) */
  /* Q_VALUES: rows of expressions */
  int nrows, ncols;
  ast_expr ***rows;
  /* Q_SETOP */
  set_op op;
  int all;
  struct ast_query *left, *right;
  /* for every kind: the whole query's ORDER BY / LIMIT / OFFSET */
  int norder;
  ast_order *order;
  ast_expr *limit, *offset;
} ast_query;

/* --------------------------------------------------------- statements */

typedef enum {
  STMT_QUERY,
  STMT_CREATE_TABLE, /* name, columns (ncols names/types) or query */
  STMT_CREATE_VIEW,  /* name, query (and its text) */
  STMT_INSERT,       /* name, optional column list, query */
  STMT_DROP,         /* name, is_view, if_exists */
  STMT_COPY,         /* name or query, path, to (1) or from (0), options */
  STMT_SHOW_TABLES,
  STMT_DESCRIBE, /* name or query */
  STMT_SUMMARIZE,
  STMT_EXPLAIN, /* query */
  STMT_SET,     /* name = value */
  STMT_UPDATE,  /* name SET opt_names[i] = opt_values[i], where */
  STMT_DELETE   /* name, where */
} stmt_kind;

typedef struct ast_stmt {
  stmt_kind kind;
  size_t pos;
  const char *name;
  size_t name_pos;
  ast_query *query;
  size_t query_pos, query_end; /* text of the query (views) */
  int or_replace, if_exists, if_not_exists, is_view, to;
  int ncols;
  const char **col_names;
  auk_type_id *col_types;
  const char *path;
  int nopts; /* COPY / SET options: name = value */
  const char **opt_names;
  ast_expr **opt_values;
  ast_expr *where; /* UPDATE, DELETE */
} ast_stmt;

/* Parses the statement starting at text + start. *out lives in a (which
 * the caller frees); *end is the offset after the statement's ';' (or the
 * end of text). An empty statement gives *out NULL. */
auk_status sql_parse(const char *text, size_t start, arena *a, ast_stmt **out, size_t *end,
                     auk_error *err);

/* Maps a SQL type name (with its parameters already skipped) to an auk
 * type, or returns AUK_TYPE_COUNT_. */
auk_type_id sql_type_lookup(const char *name);

#endif
