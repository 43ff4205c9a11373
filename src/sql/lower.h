/* lower.h - the planner's shared state: lowering the syntax tree into
 * auk_lazy plans and auk_expr expressions.
 *
 * Every relation in FROM gets its columns renamed to unique internal names
 * ("alias.column", numbered on a clash), and a scope maps what SQL can
 * name (qualifier, column) to them; so joins never clash, `t.x` and `x`
 * resolve by the scope, and the final projection gives the user's names.
 * Aggregation lowers GROUP BY keys and the aggregate calls found in
 * SELECT, HAVING and ORDER BY into one group_by; the expressions above it
 * then read the key and aggregate columns (matched structurally). */
#ifndef AUK_SQL_LOWER_H
#define AUK_SQL_LOWER_H
#include "sql/ast.h"

typedef struct scope_col {
  const char *qual;     /* table alias or name, or NULL */
  const char *name;     /* name SQL uses */
  const char *internal; /* column name in the plan */
  auk_type_id type;
  int hide_star;   /* not part of SELECT * (USING duplicates, helpers) */
  int hide_unqual; /* only reachable qualified (USING duplicates) */
} scope_col;

typedef struct scope {
  int n, cap;
  scope_col *cols;
} scope;

/* A relation being built: a plan and the names it exposes. */
typedef struct rel {
  auk_lazy *lf;
  scope sc;
  double rows; /* estimated rows (-1 unknown), for choosing join order */
} rel;

typedef struct cte_env {
  int n;
  const ast_cte *ctes;
  struct cte_env *parent;
  /* A CTE the statement names more than once is run once, at its first
   * use, and its rows shared: every use then sees the same values (a
   * parallel float sum need not round the same way twice). */
  int *uses;
  auk_frame **rows;
} cte_env;

/* A correlated scalar subquery already joined onto the relation: its AST
 * node and the column holding its value. */
typedef struct subst {
  const ast_expr *node;
  const char *internal;
} subst;

/* The aggregation context of a SELECT: its group keys and aggregate calls
 * (ASTs, resolved against `input`) and the plan columns holding them. */
typedef struct agg_ctx {
  int active; /* lowering above the aggregation */
  const scope *input;
  int nkeys, naggs, cap_aggs;
  ast_expr **keys;
  const char **key_names;
  ast_expr **aggs;
  const char **agg_names;
} agg_ctx;

typedef struct planner {
  auk_db *db;
  const char *text; /* the whole SQL text (positions count from it) */
  arena *a;
  auk_error *err;
  int counter; /* for unique internal names */
  cte_env *ctes;
  int nsubst, cap_subst;
  subst *substs;
} planner;

/* Where an expression is lowered: its scope, an enclosing query's scope
 * (correlated references), and the aggregation context or NULL. */
typedef struct lower_ctx {
  const scope *sc;
  const scope *outer;
  agg_ctx *agg;
  const auk_lazy *input;    /* the plan the expression reads, when known (for
                               typing: CAST of a float to an integer rounds) */
  const ast_query *aliases; /* HAVING, QUALIFY: a name no column has may be
                               a select alias (as DuckDB allows), or NULL */
} lower_ctx;

/* --- lower_expr.c */
/* e as an auk_expr over the context's plan columns; errors carry e's
 * position. *out is a new reference. */
auk_status lower_expr(planner *P, const lower_ctx *cx, const ast_expr *e, auk_expr **out);
/* The scope column e names (AST_COLUMN), or NULL with an error set when
 * none or several match. */
const scope_col *scope_resolve(planner *P, const scope *sc, const ast_expr *e, int report);
/* 1 when a and b are the same expression (columns compared by what they
 * resolve to in sc, or by spelling when sc is NULL). */
int ast_equal(const scope *sc, const ast_expr *a, const ast_expr *b);
/* 1 when e is a call of an aggregate function. */
int ast_is_aggregate(const ast_expr *e);
/* Adds the aggregate calls in e to ctx (deduplicated); errors for nested
 * aggregates. */
auk_status collect_aggs(planner *P, agg_ctx *ctx, const ast_expr *e);
/* Lowers an aggregate call in the input scope (count(*), DISTINCT, ...). */
auk_status lower_agg_call(planner *P, const lower_ctx *cx, const ast_expr *e, auk_expr **out);
/* The name DuckDB gives an unaliased result column: the column name, or
 * the expression's text. */
const char *ast_default_name(planner *P, const ast_expr *e);
/* A NUL-terminated copy (in the arena) of the text e spans. */
const char *ast_text(planner *P, const ast_expr *e);
/* 1 when e reads a column of `outer` that `inner` does not have. */
int ast_refs_outer(planner *P, const scope *inner, const scope *outer, const ast_expr *e);

/* Checks that x (not taken) can be computed over lf: as a column (CHECK_VALUE),
 * a filter predicate (CHECK_PREDICATE) or an aggregate (CHECK_AGGREGATE).
 * A type error is reported at pos in the SQL text, without the internal
 * column names the expression layer would show. */
typedef enum { CHECK_VALUE, CHECK_PREDICATE, CHECK_AGGREGATE } check_kind;
auk_status sql_check(planner *P, const auk_lazy *lf, auk_expr *x, check_kind kind, size_t pos);

/* x made ready for SQL's cast to `to` over lf's columns (taken; a new
 * reference): floats rounded for integers (halves to even, or away from
 * zero for a decimal literal: half_even 0), text trimmed for numbers. */
auk_expr *sql_cast_prepare(const auk_lazy *lf, auk_expr *x, auk_type_id to, int half_even);
/* The type x has over lf's columns, or AUK_TYPE_COUNT_ when unknown. */
auk_type_id expr_type_over(const auk_lazy *lf, const auk_expr *x);

/* --- lower_query.c */
auk_status plan_query(planner *P, const ast_query *q, const scope *outer, rel *out);
/* A query planned and renamed to its result names: what a user sees. */
auk_status plan_query_named(planner *P, const ast_query *q, auk_lazy **out);
/* Runs an uncorrelated scalar subquery now; *out is its value as a literal. */
auk_status eval_scalar_subquery(planner *P, const ast_expr *e, auk_expr **out);
const char *new_internal(planner *P, const char *qual, const char *name);

/* --- lower_from.c */
/* One FROM item (a table, file, subquery or explicit join). */
auk_status plan_ref(planner *P, const ast_ref *r, const scope *outer, rel *out);
/* Joins l and r (both consumed) on lk[i] = rk[i] (ASTs over each side,
 * or already lowered expressions in the _x form, taken). */
auk_status join_rels(planner *P, rel *l, rel *r, sql_join how, int nkeys, const ast_expr **lk,
                     const ast_expr **rk, const scope *outer, rel *out);
auk_status join_rels_x(planner *P, rel *l, rel *r, sql_join how, int nkeys, auk_expr **lk,
                       auk_expr **rk, rel *out);
/* Appends e's top-level AND terms to *list (arena); 0 when out of memory. */
int split_conjuncts(planner *P, const ast_expr *e, const ast_expr ***list, int *n, int *cap);

/* A list of expressions (arena). */
typedef struct expr_list {
  int n, cap;
  const ast_expr **v;
} expr_list;

int expr_list_push(planner *P, expr_list *l, const ast_expr *e);

typedef struct corr_list {
  int n, cap;
  const ast_expr **inner, **outer;
  /* One correlated comparison other than '=' (inner op outer), which an
   * EXISTS can answer from the group's min and max: TPC-H Q21's <>. */
  const ast_expr *res_inner, *res_outer;
  const char *res_op; /* "<", "<=", ">", ">=", "<>" with inner on the left */
  size_t res_pos;
} corr_list;

/* 1 when every column e reads is in sc (and it holds no subquery). */
int ast_refs_only(planner *P, const scope *sc, const ast_expr *e);
/* 1 when e reads a column; when it holds a subquery. */
int ast_has_columns(const ast_expr *e);
int ast_has_subquery(const ast_expr *e);
/* Filters r by pred (lowered over r's scope). */
auk_status rel_filter(planner *P, rel *r, const scope *outer, const ast_expr *pred);

/* --- lower_where.c */
/* FROM and WHERE of q; conditions holding subqueries go to `deferred`;
 * with corr, conditions reading `outer` come back as correlation pairs. */
auk_status plan_from_where(planner *P, const ast_query *q, const scope *outer, rel *out,
                           corr_list *corr, expr_list *deferred);

/* --- lower_subquery.c */
/* Applies the deferred conditions (subqueries) to in; correlated scalar
 * subqueries there and in the select list of `items` become joins first. */
auk_status apply_deferred(planner *P, rel *in, const scope *outer, const expr_list *deferred,
                          const ast_query *items);
/* From now on the AST node reads plan column `internal`. */
auk_status sql_add_subst(planner *P, const ast_expr *node, const char *internal);
/* Whether lf has a row (runs it with a limit of one). */
auk_status plan_has_rows(planner *P, auk_lazy *lf, int *has);

/* --- lower_select.c */
/* SELECT ... with its ORDER BY / LIMIT; outer: the enclosing query's scope. */
auk_status plan_select(planner *P, const ast_query *q, const scope *outer, rel *out);
/* LIMIT / OFFSET of q applied to lf. */
auk_status apply_limit(planner *P, const ast_query *q, auk_lazy *lf);

/* --- scope helpers (lower_from.c) */
auk_status scope_add(planner *P, scope *sc, const char *qual, const char *name,
                     const char *internal, auk_type_id type);
void rel_free(rel *r);

#endif
