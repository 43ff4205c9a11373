/* exec.h - running a logical plan: lowering to pipelines of per-batch
 * operators (filter, project) over a source (a scan or a materialized
 * pipeline breaker), run on every worker, with breakers (sort, slice,
 * concat) between them. */
#ifndef AUK_EXEC_EXEC_H
#define AUK_EXEC_EXEC_H
#include "core/frame.h"
#include "expr/expr.h"
#include "plan/plan.h"

#include <string.h>

/* Runs an optimized plan; the caller frees *out. */
auk_status exec_plan(const plan_node *root, auk_frame **out, auk_error *err);

/* A Parquet scan node's rows: the columns names[0..n) (n = 0: all), row
 * groups and pages the pushed predicate rules out left unread, and
 * dict_col (or NULL) given dictionary-encoded where it pays
 * (scan_parquet.c). */
auk_status exec_scan_parquet(const plan_node *scan, const char *const *names, int n,
                             const char *dict_col, auk_frame **out, auk_error *err);
/* Sorts the rows of in by bound keys (stable); limit >= 0 keeps only the
 * first limit rows (top-k). */
auk_status exec_sort(const auk_frame *in, bexpr *const *keys, const int *desc,
                     const int *nulls_last, int nkeys, int64_t limit, auk_frame **out,
                     auk_error *err);
/* Distinct rows of in on the columns keycols[0..nkeys) (nkeys = 0: all),
 * keeping one of each (an auk_keep), in input order; with keep first,
 * `head` rows of each are kept (group_head). */
auk_status exec_unique(const auk_frame *in, const int *keycols, int nkeys, int keep, int64_t head,
                       auk_frame **out, auk_error *err);
/* For group_head(keycols, k) over a sort on one key: the rows of in that
 * could be among their group's first k rows after a stable sort by key
 * (descending when desc), in input order (group_topk.c). Sorting *out and
 * taking its group heads gives the same rows as over the whole of in.
 * *out is NULL when this path does not apply: the key has nulls. */
auk_status exec_group_topk(const auk_frame *in, const bexpr *key, int desc, const int *keycols,
                           int nkeys, int64_t k, auk_frame **out, auk_error *err);
/* 1 when exec_group_topk takes a sort key of type t (signed integers,
 * floats, dates, timestamps). */
int exec_group_topk_key_ok(auk_type_id t);
/* The primitive aggregates of aggregate node n over in: a frame of
 * [keys..., __agg0, ...] (the node's output expressions are applied by the
 * caller). */
auk_status exec_aggregate(const plan_node *n, const auk_frame *in, auk_frame **out, auk_error *err);
/* Join node n over its materialized inputs. */
auk_status exec_join(const plan_node *n, const auk_frame *left, const auk_frame *right,
                     auk_frame **out, auk_error *err);
/* Window node n over its materialized input: in's columns and the rank
 * column (window.c). */
auk_status exec_window(const plan_node *n, const auk_frame *in, auk_frame **out, auk_error *err);
/* The k-th smallest (0-based) of v[0..n), by quickselect (v reordered). */
uint64_t exec_select_kth(uint64_t *v, int64_t n, int64_t k);
/* Doubles as unsigned keys in the same total order (NaN largest) and back. */
static inline uint64_t exec_f64_key(double d) {
  if (d != d) d = __builtin_nan("");
  d += 0.0;
  uint64_t b;
  memcpy(&b, &d, 8);
  return (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
}
static inline double exec_key_f64(uint64_t u) {
  uint64_t b = (u >> 63) ? u & ~(UINT64_C(1) << 63) : ~u;
  double d;
  memcpy(&d, &b, 8);
  return d;
}
/* perm = the stable ascending order of keys[0..n). */
auk_status exec_argsort_i64(const int64_t *keys, int64_t n, int64_t *perm, auk_error *err);
#endif
