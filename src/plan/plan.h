/* plan.h - the logical plan: one tree that the DataFrame API builds now
 * and SQL will build later.
 *
 * Nodes are refcounted and immutable once a lazy frame holds them, so
 * clones share them. The optimizer works on its own deep copy (plan_copy),
 * where it may rewrite nodes in place; the executor runs that copy.
 * Expressions in a node are unbound (auk_expr); every node knows its
 * output schema, and the executor binds expressions again against the
 * schema the data really has (a CSV column may widen past the sample). */
#ifndef AUK_PLAN_PLAN_H
#define AUK_PLAN_PLAN_H
#include "auk.h"
#include "core/frame.h"
#include "core/schema.h"
#include "expr/expr.h"

typedef enum {
  PLAN_SCAN,      /* a CSV file or an in-memory frame */
  PLAN_PROJECT,   /* exprs, each giving a column (select, with_columns) */
  PLAN_FILTER,    /* pred */
  PLAN_SORT,      /* exprs = keys, desc, nulls_last; limit: top-k when >= 0 */
  PLAN_SLICE,     /* offset (negative: from the end), length (-1: to end) */
  PLAN_CONCAT,    /* inputs in order */
  PLAN_UNIQUE,    /* exprs = subset columns (none: all), keep */
  PLAN_AGGREGATE, /* exprs = keys (none: one group), aggs, maintain_order */
  PLAN_JOIN,      /* inputs left, right; exprs = left keys, aggs = right keys,
                     keep = an auk_join_type, suffix, nulls_equal, validate */
  PLAN_HCONCAT,   /* inputs side by side (same row counts, distinct names) */
  PLAN_WINDOW     /* a window column: exprs = order keys (desc, nulls_last),
                     aggs = partition keys, keep = an auk_window_fn, pred =
                     its argument or NULL, suffix = the new column's name */
} plan_kind;

typedef struct scan_source {
  _Atomic int64_t refs;
  int is_csv;     /* a CSV file */
  int is_parquet; /* a Parquet file (path; projection and limit pushed) */
  char *path;
  auk_csv_read_options opts; /* deep copy; columns/types replaced per scan */
  auk_frame *frame;          /* in-memory source (shares the caller's arrays) */
  auk_schema *schema;        /* full schema of the source */
} scan_source;

typedef struct plan_node {
  _Atomic int64_t refs;
  plan_kind kind;
  auk_schema *schema; /* output */
  int ninputs;
  struct plan_node **inputs;
  int nexprs;
  auk_expr **exprs;
  int *desc, *nulls_last; /* sort flags, nexprs each */
  auk_expr *pred;         /* filter; scan: pushed-down predicate or NULL */
  int64_t offset, length; /* slice */
  int64_t limit;          /* scan: rows to read (-1 all); sort: top-k (-1 all) */
  scan_source *src;       /* scan */
  int nproj;              /* scan: columns of src->schema read, -1 all */
  int *proj;
  int with_columns; /* project: built by with_columns (for explain) */
  int keep;         /* unique: an auk_keep */
  int naggs;        /* aggregate: output expressions over aggregates */
  auk_expr **aggs;
  int maintain_order;
  char *suffix;  /* join: for right columns whose names are taken */
  int has_frame; /* window: a ROWS frame (frame_preceding .. frame_following) */
  int64_t frame_preceding, frame_following;
  int nulls_equal; /* join: null keys match each other */
  int validate;    /* join: an auk_join_validate */
} plan_node;

/* Constructors. Each takes ownership of the input node reference(s) and the
 * expressions, also on failure, and checks names and types now. */
auk_status plan_scan(scan_source *src, plan_node **out, auk_error *err);
auk_status plan_project(plan_node *in, int n, auk_expr **exprs, int with_columns, plan_node **out,
                        auk_error *err);
auk_status plan_filter(plan_node *in, auk_expr *pred, plan_node **out, auk_error *err);
auk_status plan_sort(plan_node *in, int n, auk_expr **keys, const int *desc, const int *nulls_last,
                     plan_node **out, auk_error *err);
auk_status plan_slice(plan_node *in, int64_t offset, int64_t length, plan_node **out,
                      auk_error *err);
auk_status plan_concat(plan_node *a, plan_node *b, plan_node **out, auk_error *err);
auk_status plan_hconcat(plan_node *a, plan_node *b, plan_node **out, auk_error *err);
auk_status plan_unique(plan_node *in, int n, auk_expr **subset, int keep, plan_node **out,
                       auk_error *err);

/* Expands wildcard columns (auk_all, auk_all_of_type) in exprs[0..n)
 * (taken) against schema: *out (auk_mem, *nout entries) gets one
 * expression per matching column for each expression that has one. */
auk_status plan_expand_wildcards(const auk_schema *s, int n, auk_expr **exprs, int *nout,
                                 auk_expr ***out, auk_error *err);
void plan_free_exprs(int n, auk_expr **exprs);

auk_status plan_join(plan_node *left, plan_node *right, int nkeys, auk_expr **left_on,
                     auk_expr **right_on, int how, const char *suffix, plan_node **out,
                     auk_error *err);
/* The output columns of a join: for each, the side (0 left, 1 right) and
 * the column index there, and whether it is a key to coalesce (full and
 * right joins: the left key, or the right one where the left is missing). */
typedef struct join_col {
  int side, index, coalesce_with; /* coalesce_with: right key index or -1 */
} join_col;
auk_status join_columns(const plan_node *n, const auk_schema *l, const auk_schema *r,
                        join_col **cols, int *ncols, auk_schema **schema, auk_error *err);
/* The type a pair of join keys is compared in, or AUK_TYPE_COUNT_. */
auk_type_id join_key_type(auk_type_id a, auk_type_id b);
auk_status plan_aggregate(plan_node *in, int nkeys, auk_expr **keys, int naggs, auk_expr **aggs,
                          int maintain_order, plan_node **out, auk_error *err);

/* An aggregate node split for execution: the primitive aggregates (one
 * function over argument expressions of the input) and the output
 * expressions rewritten over a frame of [keys..., "__agg0", "__agg1", ...]. */
typedef struct agg_prim {
  expr_fn fn;
  int nargs;
  auk_expr *args[2]; /* over the input (no aggregates inside) */
  double param;      /* quantile q, or ddof for std/var */
} agg_prim;

typedef struct agg_split {
  int nprims, cap_prims;
  agg_prim *prims;
  int npost;
  auk_expr **post; /* aliased to the user's output names */
} agg_split;

auk_status agg_split_build(const plan_node *n, agg_split *out, auk_error *err);
void agg_split_free(agg_split *s);
/* Result type of a primitive over an input of type `in`. */
auk_type_id agg_result_type(expr_fn fn, auk_type_id in);
/* The schema of [keys..., __agg0, ...] the primitives produce over input,
 * and the types of the primitives' arguments. */
auk_status agg_inner_schema(const plan_node *n, const agg_split *s, const auk_schema *input,
                            auk_schema **out, auk_error *err);

/* window.c: adds column `name`, the rank of each row within its partition
 * (rows equal on part[0..npart)) in the order of order[0..norder); takes
 * the expressions. */
auk_status plan_window(plan_node *in, const char *name, int fn, auk_expr *arg, int npart,
                       auk_expr **part, int norder, auk_expr **order, const int *desc,
                       const int *nulls_last, plan_node **out, auk_error *err);
/* The type of the window column over an argument of type `arg`, or
 * AUK_TYPE_COUNT_ when the function does not take that type. */
auk_type_id window_result_type(int fn, auk_type_id arg);
auk_status resolve_window(plan_node *n, auk_error *err);

plan_node *plan_retain(plan_node *n);
void plan_release(plan_node *n);
/* A deep copy with fresh nodes (sources and expressions shared). */
auk_status plan_copy(const plan_node *n, plan_node **out, auk_error *err);
/* Recomputes n's output schema from its inputs (after a rewrite). */
auk_status plan_resolve(plan_node *n, auk_error *err);

void scan_source_release(scan_source *s);
scan_source *scan_source_retain(scan_source *s);
/* Sources: a CSV file (its schema read from a sample) and a frame. */
auk_status scan_source_csv(const char *path, const auk_csv_read_options *opts, scan_source **out,
                           auk_error *err);
auk_status scan_source_frame(const auk_frame *f, scan_source **out, auk_error *err);
auk_status scan_source_parquet(const char *path, scan_source **out, auk_error *err);
/* A new frame sharing f's arrays. */
auk_status frame_share(const auk_frame *f, auk_frame **out, auk_error *err);

/* The tree as indented text (malloc'd through auk_mem; free with
 * auk_str_free). */
auk_status plan_explain(const plan_node *n, char **text, auk_error *err);

/* The optimizer: runs every rule over a deep copy of root; *out is the
 * optimized copy. */
auk_status plan_optimize(const plan_node *root, plan_node **out, auk_error *err);
/* The rules, one file each under optimizer/, each rewriting the tree in place. */
auk_status opt_fold_constants(plan_node *n, auk_error *err);
auk_status opt_merge(plan_node *n, auk_error *err);
auk_status opt_push_predicates(plan_node **n, auk_error *err);
auk_status opt_push_projections(plan_node *n, auk_error *err);
auk_status opt_push_slices(plan_node **n, auk_error *err);
auk_status opt_window_topk(plan_node *n, auk_error *err);
/* Group-bys whose aggregates need only one column's distinct values per
 * group run as two group-bys (distinct_aggs.c). */
auk_status opt_distinct_aggs(plan_node *n, auk_error *err);

#endif
