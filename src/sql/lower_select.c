/* lower_select.c - one SELECT block:
 *   FROM items joined in an order chosen from the WHERE equalities (the
 *   largest known table first, then connected ones, smallest first), with
 *   single-table conditions applied before the joins;
 *   subquery conditions decorrelated into joins: [NOT] EXISTS and [NOT] IN
 *   become semi/anti joins on the correlation keys, and a correlated scalar
 *   subquery becomes a grouped relation left-joined on its keys;
 *   GROUP BY and aggregates into one aggregation; then HAVING, the select
 *   list, DISTINCT, ORDER BY (also on columns not selected) and LIMIT. */
#include "core/error.h"
#include "expr/expr.h"
#include "sql/lexer.h"
#include "sql/lower.h"

#include <string.h>
#include <strings.h>

typedef struct corr_list {
  int n, cap;
  const ast_expr **inner, **outer;
  /* One correlated comparison other than '=' (inner op outer), which an
   * EXISTS can answer from the group's min and max: TPC-H Q21's <>. */
  const ast_expr *res_inner, *res_outer;
  const char *res_op; /* "<", "<=", ">", ">=", "<>" with inner on the left */
  size_t res_pos;
} corr_list;

static const char *flip_op(const char *op) {
  if (!strcmp(op, "<")) return ">";
  if (!strcmp(op, "<=")) return ">=";
  if (!strcmp(op, ">")) return "<";
  if (!strcmp(op, ">=")) return "<=";
  return op;
}

typedef struct expr_list {
  int n, cap;
  const ast_expr **v;
} expr_list;

static int push_expr(planner *P, expr_list *l, const ast_expr *e) {
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 8;
    const ast_expr **v = arena_alloc(P->a, sizeof *v * (size_t)cap);
    if (!v) return 0;
    if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = e;
  return 1;
}

static int has_subquery(const ast_expr *e) {
  if (!e) return 0;
  if (e->kind == AST_SUBQUERY || e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return 1;
  for (int i = 0; i < e->nargs; i++)
    if (has_subquery(e->args[i])) return 1;
  return 0;
}

static int refs_within(planner *P, const scope *sc, const ast_expr *e) {
  if (e->kind == AST_COLUMN) return scope_resolve(P, sc, e, 0) != NULL;
  if (e->kind == AST_SUBQUERY || e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return 0;
  for (int i = 0; i < e->nargs; i++)
    if (!refs_within(P, sc, e->args[i])) return 0;
  return 1;
}

static int has_cols(const ast_expr *e) {
  if (e->kind == AST_COLUMN) return 1;
  for (int i = 0; i < e->nargs; i++)
    if (has_cols(e->args[i])) return 1;
  return 0;
}

static auk_status apply_deferred(planner *P, rel *in, const scope *outer, const expr_list *deferred,
                                 const ast_query *items);

/* One row, one column: the input of a SELECT without FROM. */
static auk_status one_row(planner *P, rel *out) {
  memset(out, 0, sizeof *out);
  auk_frame *f;
  if (auk_read_csv_buffer("__one\n0\n", 8, "(no FROM)", NULL, &f, P->err)) return P->err->code;
  auk_status st = auk_frame_lazy(f, &out->lf, P->err);
  auk_frame_free(f);
  out->rows = 1;
  if (!st) {
    st = scope_add(P, &out->sc, NULL, "__one", "__one", AUK_TYPE_INT64);
    if (!st) out->sc.cols[0].hide_star = out->sc.cols[0].hide_unqual = 1;
  }
  return st;
}

static auk_status filter_with(planner *P, rel *r, const scope *outer, const ast_expr *pred) {
  lower_ctx cx = {&r->sc, outer, NULL, r->lf};
  auk_expr *x;
  if (lower_expr(P, &cx, pred, &x)) return P->err->code;
  return auk_lazy_filter(r->lf, x, P->err);
}

static void flatten_from(const ast_ref *r, const ast_ref **items, int *n, int max) {
  if (r->kind == REF_JOIN && r->comma) {
    flatten_from(r->left, items, n, max);
    flatten_from(r->right, items, n, max);
    return;
  }
  if (*n < max) items[(*n)++] = r;
}

static int count_from(const ast_ref *r) {
  return r->kind == REF_JOIN && r->comma ? count_from(r->left) + count_from(r->right) : 1;
}

/* FROM and WHERE (without its subquery conditions, returned in `deferred`).
 * With corr, conditions reading the outer query are returned as pairs of
 * equal expressions (inner, outer). */
static auk_status plan_from_where(planner *P, const ast_query *q, const scope *outer, rel *out,
                                  corr_list *corr, expr_list *deferred) {
  memset(out, 0, sizeof *out);
  if (!q->from) {
    if (one_row(P, out)) return P->err->code;
    auk_status st = AUK_OK;
    if (q->where) {
      if (has_subquery(q->where))
        st = push_expr(P, deferred, q->where) ? AUK_OK : P->err->code;
      else
        st = filter_with(P, out, outer, q->where);
    }
    if (st) rel_free(out);
    return st;
  }
  int nitems = count_from(q->from);
  const ast_ref **items = arena_alloc(P->a, sizeof *items * (size_t)nitems);
  rel *rels = arena_alloc(P->a, sizeof *rels * (size_t)nitems);
  int *joined = arena_alloc(P->a, sizeof *joined * (size_t)nitems);
  if (!items || !rels || !joined) return P->err->code;
  int n = 0;
  flatten_from(q->from, items, &n, nitems);
  auk_status st = AUK_OK;
  for (int i = 0; i < n; i++)
    if ((st = plan_ref(P, items[i], outer, &rels[i]))) {
      for (int k = 0; k < i; k++) rel_free(&rels[k]);
      return st;
    }
  /* All columns together, to tell inner references from outer ones. */
  scope all = {0};
  for (int i = 0; i < n && !st; i++)
    for (int c = 0; c < rels[i].sc.n && !st; c++) {
      scope_col *sc = &rels[i].sc.cols[c];
      st = scope_add(P, &all, sc->qual, sc->name, sc->internal, sc->type);
      if (!st) {
        all.cols[all.n - 1].hide_unqual = sc->hide_unqual;
        all.cols[all.n - 1].hide_star = sc->hide_star;
      }
    }
  const ast_expr **conj = NULL;
  int nconj = 0, cap = 0;
  if (!st && q->where && !split_conjuncts(P, q->where, &conj, &nconj, &cap)) st = P->err->code;
  expr_list post = {0}, edges = {0};
  for (int i = 0; i < nconj && !st; i++) {
    const ast_expr *c = conj[i];
    if (has_subquery(c)) {
      if (!push_expr(P, deferred, c)) st = P->err->code;
      continue;
    }
    if (outer && ast_refs_outer(P, &all, outer, c)) {
      const ast_expr *in_side = NULL, *out_side = NULL;
      if (corr && c->kind == AST_BINARY && !strcmp(c->name, "=")) {
        for (int s = 0; s < 2; s++)
          if (has_cols(c->args[s]) && refs_within(P, &all, c->args[s]) &&
              refs_within(P, outer, c->args[1 - s])) {
            in_side = c->args[s];
            out_side = c->args[1 - s];
          }
      }
      if (!in_side && corr && !corr->res_op && c->kind == AST_BINARY &&
          (!strcmp(c->name, "<>") || !strcmp(c->name, "<") || !strcmp(c->name, "<=") ||
           !strcmp(c->name, ">") || !strcmp(c->name, ">="))) {
        for (int s = 0; s < 2 && !corr->res_op; s++)
          if (has_cols(c->args[s]) && refs_within(P, &all, c->args[s]) &&
              refs_within(P, outer, c->args[1 - s])) {
            corr->res_inner = c->args[s];
            corr->res_outer = c->args[1 - s];
            corr->res_op = s == 0 ? c->name : flip_op(c->name);
            corr->res_pos = c->pos;
          }
        if (corr->res_op) continue;
      }
      if (!in_side) {
        st = sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, c->pos,
                          "this condition on a column of the outer query is not supported (a "
                          "correlated subquery may compare inner and outer columns with '=' only)");
        break;
      }
      if (corr->n == corr->cap) {
        int cc = corr->cap ? corr->cap * 2 : 4;
        const ast_expr **a = arena_alloc(P->a, sizeof *a * (size_t)cc);
        const ast_expr **b = arena_alloc(P->a, sizeof *b * (size_t)cc);
        if (!a || !b) {
          st = P->err->code;
          break;
        }
        if (corr->n) {
          memcpy(a, corr->inner, sizeof *a * (size_t)corr->n);
          memcpy(b, corr->outer, sizeof *b * (size_t)corr->n);
        }
        corr->inner = a;
        corr->outer = b;
        corr->cap = cc;
      }
      corr->inner[corr->n] = in_side;
      corr->outer[corr->n++] = out_side;
      continue;
    }
    /* A condition on one FROM item filters it before the joins. */
    int only = -1;
    if (n > 1)
      for (int r = 0; r < n; r++)
        if (refs_within(P, &rels[r].sc, c)) {
          only = r;
          break;
        }
    if (only >= 0 && has_cols(c)) {
      st = filter_with(P, &rels[only], outer, c);
      continue;
    }
    if (n > 1 && c->kind == AST_BINARY && !strcmp(c->name, "=") && has_cols(c->args[0]) &&
        has_cols(c->args[1])) {
      if (!push_expr(P, &edges, c)) st = P->err->code;
      continue;
    }
    if (!push_expr(P, &post, c)) st = P->err->code;
  }
  if (st) {
    for (int k = 0; k < n; k++) rel_free(&rels[k]);
    return st;
  }
  /* Join order: start from the largest known relation; then repeatedly
   * the smallest relation connected to the joined set by equalities. */
  int start = 0;
  for (int i = 1; i < n; i++)
    if (rels[i].rows > rels[start].rows) start = i;
  rel cur = rels[start];
  rels[start].lf = NULL;
  memset(joined, 0, sizeof *joined * (size_t)n);
  joined[start] = 1;
  int *used = arena_alloc(P->a, sizeof *used * (size_t)(edges.n + 1));
  const ast_expr **lk = arena_alloc(P->a, sizeof *lk * (size_t)(edges.n + 1));
  const ast_expr **rk = arena_alloc(P->a, sizeof *rk * (size_t)(edges.n + 1));
  if (!used || !lk || !rk) st = P->err->code;
  for (int step = 1; step < n && !st; step++) {
    int best = -1;
    for (int r = 0; r < n; r++) {
      if (joined[r]) continue;
      int connected = 0;
      for (int e = 0; e < edges.n && !connected; e++) {
        if (used[e]) continue;
        const ast_expr *c = edges.v[e];
        for (int s = 0; s < 2; s++)
          if (refs_within(P, &cur.sc, c->args[s]) && refs_within(P, &rels[r].sc, c->args[1 - s]))
            connected = 1;
      }
      if (!connected) continue;
      if (best < 0 ||
          (rels[r].rows >= 0 && (rels[best].rows < 0 || rels[r].rows < rels[best].rows)))
        best = r;
    }
    if (best < 0) {
      for (int r = 0; r < n && best < 0; r++)
        if (!joined[r]) best = r;
    }
    int nk = 0;
    for (int e = 0; e < edges.n; e++) {
      if (used[e]) continue;
      const ast_expr *c = edges.v[e];
      for (int s = 0; s < 2; s++)
        if (refs_within(P, &cur.sc, c->args[s]) && refs_within(P, &rels[best].sc, c->args[1 - s])) {
          lk[nk] = c->args[s];
          rk[nk++] = c->args[1 - s];
          used[e] = 1;
          break;
        }
    }
    rel next = {0};
    st = join_rels(P, &cur, &rels[best], SJ_INNER, nk, lk, rk, outer, &next);
    rel_free(&cur);
    rel_free(&rels[best]);
    joined[best] = 1;
    cur = next;
  }
  for (int e = 0; e < edges.n && !st; e++)
    if (!used[e]) st = filter_with(P, &cur, outer, edges.v[e]);
  for (int i = 0; i < post.n && !st; i++) st = filter_with(P, &cur, outer, post.v[i]);
  for (int k = 0; k < n; k++) rel_free(&rels[k]);
  if (st) {
    rel_free(&cur);
    return st;
  }
  /* The scope in FROM order, whatever the join order was. */
  cur.sc = all;
  *out = cur;
  return AUK_OK;
}

/* --------------------------------------------------- subquery joins */

static int query_simple(const ast_query *q) {
  return q->kind == Q_SELECT && !q->distinct && !q->ngroup && !q->group_all && !q->having &&
         !q->norder && !q->limit && !q->offset && !q->nctes;
}

static int items_have_agg(const ast_query *q) {
  agg_ctx tmp = {0};
  (void)tmp;
  for (int i = 0; i < q->nitems; i++) {
    const ast_expr *e = q->items[i].expr;
    /* a shallow search is enough to choose the path */
    if (ast_is_aggregate(e)) return 1;
    for (int k = 0; k < e->nargs; k++)
      if (ast_is_aggregate(e->args[k])) return 1;
  }
  return 0;
}

/* Lowers the outer sides of correlation pairs over `in`. */
static auk_status lower_outer_keys(planner *P, const rel *in, const scope *outer_of_in,
                                   const corr_list *corr, auk_expr **out) {
  lower_ctx cx = {&in->sc, outer_of_in, NULL, in->lf};
  for (int i = 0; i < corr->n; i++)
    if (lower_expr(P, &cx, corr->outer[i], &out[i])) {
      for (int k = 0; k < i; k++) expr_release(out[k]);
      return P->err->code;
    }
  return AUK_OK;
}

/* Runs `probe` (a lazy plan) and tells whether it has any row. */
static auk_status plan_has_rows(planner *P, auk_lazy *lf, int *has) {
  if (auk_lazy_head(lf, 1, P->err)) return P->err->code;
  auk_frame *f;
  if (auk_lazy_collect(lf, &f, P->err)) return P->err->code;
  *has = auk_frame_num_rows(f) > 0;
  auk_frame_free(f);
  return AUK_OK;
}

/* Semi (or anti) joins `in` with sub (consumed) on lx[i] = rx[i] (taken);
 * `in` keeps its scope. */
static auk_status semi_join(planner *P, rel *in, rel *sub, int anti, int nk, auk_expr **lx,
                            auk_expr **rx) {
  rel joined = {0};
  scope keep = in->sc;
  auk_status st = join_rels_x(P, in, sub, anti ? SJ_ANTI : SJ_SEMI, nk, lx, rx, &joined);
  rel_free(sub);
  if (st) return st;
  rel_free(in);
  *in = joined;
  in->sc = keep;
  return AUK_OK;
}

/* x [NOT] IN sub, where sub (consumed) has one column. NOT IN follows
 * SQL: no row passes when the subquery holds a NULL, and a NULL x passes
 * only when the subquery is empty. */
static auk_status in_join(planner *P, rel *in, const scope *outer_of_in, const ast_expr *x,
                          int negated, rel *sub) {
  lower_ctx cx = {&in->sc, outer_of_in, NULL, in->lf};
  auk_expr *lx;
  if (lower_expr(P, &cx, x, &lx)) return rel_free(sub), P->err->code;
  const char *col = sub->sc.cols[0].internal;
  if (negated) {
    int has_null = 0, nonempty = 0;
    auk_lazy *probe = NULL;
    auk_status st = auk_lazy_clone(sub->lf, &probe, P->err);
    if (!st) st = auk_lazy_filter(probe, auk_is_null(auk_col(col)), P->err);
    if (!st) st = plan_has_rows(P, probe, &has_null);
    auk_lazy_free(probe);
    probe = NULL;
    if (!st && !has_null && !(st = auk_lazy_clone(sub->lf, &probe, P->err)))
      st = plan_has_rows(P, probe, &nonempty);
    auk_lazy_free(probe);
    if (!st && has_null) st = auk_lazy_filter(in->lf, auk_lit_bool(0), P->err);
    if (!st && nonempty) st = auk_lazy_filter(in->lf, auk_is_not_null(expr_retain(lx)), P->err);
    if (st) return expr_release(lx), rel_free(sub), st;
  }
  auk_expr *rx = auk_col(col);
  return semi_join(P, in, sub, negated, 1, &lx, &rx);
}

/* [NOT] EXISTS (... WHERE inner.k = outer.k AND inner.x OP outer.y): some
 * row of the key's group satisfies x OP y exactly when the group's max (for
 * > and >=), min (for < and <=), or either (for <>) does. So the subquery
 * is grouped by its keys with min(x) and max(x), left-joined, and the
 * condition tested on the joined values (a NULL comparison counts as no
 * such row, as in SQL). */
static auk_status exists_residual(planner *P, rel *in, const scope *outer_of_in, rel *sub,
                                  const corr_list *corr, int negated) {
  int nk = corr->n;
  lower_ctx sx = {&sub->sc, NULL, NULL, sub->lf};
  auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)nk);
  const char **kn = arena_alloc(P->a, sizeof *kn * (size_t)nk);
  const char *mn = new_internal(P, NULL, "__min"), *mx = new_internal(P, NULL, "__max");
  if (!keys || !kn || !mn || !mx) return rel_free(sub), P->err->code;
  for (int i = 0; i < nk; i++) {
    auk_expr *k;
    if (!(kn[i] = new_internal(P, NULL, "__ck")) || lower_expr(P, &sx, corr->inner[i], &k)) {
      for (int j = 0; j < i; j++) expr_release(keys[j]);
      return rel_free(sub), P->err->code;
    }
    keys[i] = auk_alias(k, kn[i]);
  }
  auk_expr *x;
  if (lower_expr(P, &sx, corr->res_inner, &x)) {
    for (int j = 0; j < nk; j++) expr_release(keys[j]);
    return rel_free(sub), P->err->code;
  }
  auk_expr *aggs[2] = {auk_alias(auk_min(expr_retain(x)), mn), auk_alias(auk_max(x), mx)};
  if (auk_lazy_group_by(sub->lf, nk, keys, 2, aggs, 0, P->err)) return rel_free(sub), P->err->code;
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)nk);
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)nk);
  if (!lx || !rx) return rel_free(sub), P->err->code;
  if (lower_outer_keys(P, in, outer_of_in, corr, lx)) return rel_free(sub), P->err->code;
  for (int i = 0; i < nk; i++) rx[i] = auk_col(kn[i]);
  lower_ctx ox = {&in->sc, outer_of_in, NULL, in->lf};
  auk_expr *y;
  if (lower_expr(P, &ox, corr->res_outer, &y)) {
    for (int i = 0; i < nk; i++) expr_release(lx[i]), expr_release(rx[i]);
    return rel_free(sub), P->err->code;
  }
  rel joined = {0};
  scope keep = in->sc;
  auk_status st = join_rels_x(P, in, sub, SJ_LEFT, nk, lx, rx, &joined);
  rel_free(sub);
  if (st) return expr_release(y), st;
  rel_free(in);
  *in = joined;
  in->sc = keep;
  const char *op = corr->res_op;
  auk_expr *cond;
  if (!strcmp(op, "<>"))
    cond = auk_or(auk_ne(auk_col(mn), expr_retain(y)), auk_ne(auk_col(mx), y));
  else if (!strcmp(op, ">"))
    cond = auk_gt(auk_col(mx), y);
  else if (!strcmp(op, ">="))
    cond = auk_ge(auk_col(mx), y);
  else if (!strcmp(op, "<"))
    cond = auk_lt(auk_col(mn), y);
  else
    cond = auk_le(auk_col(mn), y);
  auk_expr *args[2] = {cond, auk_lit_bool(0)};
  auk_expr *exists = auk_coalesce(2, args);
  return auk_lazy_filter(in->lf, negated ? auk_not(exists) : exists, P->err);
}

/* [NOT] EXISTS (subquery) and [NOT] IN (subquery) conditions of WHERE. */
static auk_status apply_subquery_cond(planner *P, rel *in, const scope *outer_of_in,
                                      const ast_expr *c) {
  int negated = 0;
  if (c->kind == AST_UNARY && !strcmp(c->name, "not") &&
      (c->args[0]->kind == AST_EXISTS || c->args[0]->kind == AST_IN_QUERY)) {
    negated = 1;
    c = c->args[0];
  }
  if (c->kind != AST_EXISTS && c->kind != AST_IN_QUERY) return filter_with(P, in, outer_of_in, c);
  negated ^= c->negated;
  const ast_query *sq = c->query;
  rel sub;
  if (!query_simple(sq) || (c->kind == AST_EXISTS && items_have_agg(sq)) ||
      (c->kind == AST_IN_QUERY && (sq->nitems != 1 || items_have_agg(sq)))) {
    if (c->kind == AST_EXISTS)
      return sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, c->pos,
                          "this EXISTS subquery is not supported (GROUP BY, aggregates, DISTINCT, "
                          "ORDER BY or LIMIT inside it)");
    /* Not a plain SELECT (GROUP BY, DISTINCT, UNION...): plan it whole;
     * it must not be correlated. */
    if (plan_query(P, sq, NULL, &sub)) return P->err->code;
    if (sub.sc.n != 1) {
      rel_free(&sub);
      return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, c->pos,
                          "the subquery of IN must return one column, not %d", sub.sc.n);
    }
    return in_join(P, in, outer_of_in, c->args[0], negated, &sub);
  }
  /* A plain SELECT ... FROM ... WHERE: decorrelate. */
  corr_list corr = {0};
  expr_list deferred = {0};
  if (plan_from_where(P, sq, &in->sc, &sub, &corr, &deferred)) return P->err->code;
  auk_status st = apply_deferred(P, &sub, &in->sc, &deferred, NULL);
  if (st) return rel_free(&sub), st;
  if (corr.res_op && (c->kind != AST_EXISTS || corr.n == 0))
    return rel_free(&sub), sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, corr.res_pos,
                                        "a correlated comparison other than '=' is supported in "
                                        "[NOT] EXISTS with an equality on the outer query too");
  if (corr.res_op) return exists_residual(P, in, outer_of_in, &sub, &corr, negated);
  if (c->kind == AST_EXISTS && corr.n == 0) {
    int has = 0;
    st = plan_has_rows(P, sub.lf, &has);
    rel_free(&sub);
    if (st) return st;
    return auk_lazy_filter(in->lf, auk_lit_bool(has != negated), P->err);
  }
  if (c->kind == AST_IN_QUERY && corr.n == 0) {
    if (sq->items[0].expr->kind == AST_STAR)
      return rel_free(&sub), sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, c->pos,
                                          "the subquery of IN must name one column");
    lower_ctx sx = {&sub.sc, NULL, NULL, sub.lf};
    auk_expr *v;
    if (lower_expr(P, &sx, sq->items[0].expr, &v)) return rel_free(&sub), P->err->code;
    const char *vn = new_internal(P, NULL, "__in");
    if (!vn) return expr_release(v), rel_free(&sub), P->err->code;
    auk_expr *va = auk_alias(v, vn);
    if (auk_lazy_select(sub.lf, 1, &va, P->err)) return rel_free(&sub), P->err->code;
    memset(&sub.sc, 0, sizeof sub.sc);
    if (scope_add(P, &sub.sc, NULL, vn, vn, AUK_TYPE_NULL)) return rel_free(&sub), P->err->code;
    return in_join(P, in, outer_of_in, c->args[0], negated, &sub);
  }
  /* Correlated: semi/anti join on the correlation keys (and the IN value). */
  int nk = corr.n + (c->kind == AST_IN_QUERY);
  if (negated && c->kind == AST_IN_QUERY)
    return rel_free(&sub), sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, c->pos,
                                        "correlated NOT IN subqueries are not supported (use NOT "
                                        "EXISTS)");
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)nk);
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)nk);
  if (!lx || !rx) return rel_free(&sub), P->err->code;
  lower_ctx sx = {&sub.sc, NULL, NULL, sub.lf};
  for (int i = 0; i < corr.n; i++)
    if (lower_expr(P, &sx, corr.inner[i], &rx[i])) {
      for (int k = 0; k < i; k++) expr_release(rx[k]);
      return rel_free(&sub), P->err->code;
    }
  if (c->kind == AST_IN_QUERY && lower_expr(P, &sx, sq->items[0].expr, &rx[corr.n])) {
    for (int k = 0; k < corr.n; k++) expr_release(rx[k]);
    return rel_free(&sub), P->err->code;
  }
  if (lower_outer_keys(P, in, outer_of_in, &corr, lx)) {
    for (int k = 0; k < nk; k++) expr_release(rx[k]);
    return rel_free(&sub), P->err->code;
  }
  if (c->kind == AST_IN_QUERY) {
    lower_ctx cx = {&in->sc, outer_of_in, NULL, in->lf};
    if (lower_expr(P, &cx, c->args[0], &lx[corr.n])) {
      for (int k = 0; k < nk; k++) expr_release(rx[k]);
      for (int k = 0; k < corr.n; k++) expr_release(lx[k]);
      return rel_free(&sub), P->err->code;
    }
  }
  return semi_join(P, in, &sub, negated, nk, lx, rx);
}

/* ------------------------------------------- correlated scalar subqueries */

static void find_subqueries(planner *P, const ast_expr *e, expr_list *out) {
  if (!e) return;
  if (e->kind == AST_SUBQUERY) {
    push_expr(P, out, e);
    return;
  }
  if (e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return;
  for (int i = 0; i < e->nargs; i++) find_subqueries(P, e->args[i], out);
}

static auk_status add_subst(planner *P, const ast_expr *node, const char *internal) {
  if (P->nsubst == P->cap_subst) {
    int cap = P->cap_subst ? P->cap_subst * 2 : 8;
    subst *s = arena_alloc(P->a, sizeof *s * (size_t)cap);
    if (!s) return P->err->code;
    if (P->nsubst) memcpy(s, P->substs, sizeof *s * (size_t)P->nsubst);
    P->substs = s;
    P->cap_subst = cap;
  }
  P->substs[P->nsubst++] = (subst){node, internal};
  return AUK_OK;
}

/* (SELECT agg(...) FROM ... WHERE inner = outer AND ...): grouped by the
 * inner keys and left-joined onto `in`; the node then reads that column.
 * An uncorrelated subquery is left alone (it runs once when lowered). */
static auk_status decorrelate_scalar(planner *P, rel *in, const ast_expr *node) {
  const ast_query *sq = node->query;
  if (!query_simple(sq) || sq->nitems != 1 || !sq->from) return AUK_OK;
  corr_list corr = {0};
  expr_list deferred = {0};
  rel sub;
  if (plan_from_where(P, sq, &in->sc, &sub, &corr, &deferred)) return P->err->code;
  if (corr.n == 0) return rel_free(&sub), AUK_OK;
  if (corr.res_op)
    return rel_free(&sub), sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, corr.res_pos,
                                        "a correlated comparison other than '=' is not supported "
                                        "in a scalar subquery");
  auk_status st = apply_deferred(P, &sub, &in->sc, &deferred, NULL);
  if (st) return rel_free(&sub), st;
  const ast_expr *item = sq->items[0].expr;
  agg_ctx ag = {0};
  ag.input = &sub.sc;
  if (collect_aggs(P, &ag, item)) return rel_free(&sub), P->err->code;
  if (ag.naggs == 0)
    return rel_free(&sub), sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, node->pos,
                                        "a correlated scalar subquery must compute an aggregate");
  int nk = corr.n;
  auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)nk);
  auk_expr **aggs = arena_alloc(P->a, sizeof *aggs * (size_t)ag.naggs);
  ag.keys = arena_alloc(P->a, sizeof *ag.keys * (size_t)nk);
  ag.key_names = arena_alloc(P->a, sizeof *ag.key_names * (size_t)nk);
  if (!keys || !aggs || !ag.keys || !ag.key_names) return rel_free(&sub), P->err->code;
  lower_ctx sx = {&sub.sc, NULL, NULL, sub.lf};
  int made = 0;
  for (; made < nk && !st; made++) {
    ag.keys[made] = (ast_expr *)corr.inner[made];
    ag.key_names[made] = new_internal(P, NULL, "__ck");
    auk_expr *k;
    if (!ag.key_names[made] || (st = lower_expr(P, &sx, corr.inner[made], &k))) break;
    keys[made] = auk_alias(k, ag.key_names[made]);
  }
  int madeaggs = 0;
  for (; !st && madeaggs < ag.naggs; madeaggs++) {
    auk_expr *a;
    if ((st = lower_agg_call(P, &sx, ag.aggs[madeaggs], &a))) break;
    aggs[madeaggs] = auk_alias(a, ag.agg_names[madeaggs]);
  }
  if (st) {
    for (int k = 0; k < made; k++) expr_release(keys[k]);
    for (int k = 0; k < madeaggs; k++) expr_release(aggs[k]);
    return rel_free(&sub), st;
  }
  if (auk_lazy_group_by(sub.lf, nk, keys, ag.naggs, aggs, 0, P->err))
    return rel_free(&sub), P->err->code;
  ag.active = 1;
  lower_ctx px = {&sub.sc, NULL, &ag, sub.lf};
  auk_expr *v;
  if (lower_expr(P, &px, item, &v)) return rel_free(&sub), P->err->code;
  const char *vn = new_internal(P, NULL, "__scalar");
  auk_expr **sel = arena_alloc(P->a, sizeof *sel * (size_t)(nk + 1));
  if (!vn || !sel) return expr_release(v), rel_free(&sub), P->err->code;
  for (int k = 0; k < nk; k++) sel[k] = auk_col(ag.key_names[k]);
  sel[nk] = auk_alias(v, vn);
  if (auk_lazy_select(sub.lf, nk + 1, sel, P->err)) return rel_free(&sub), P->err->code;
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)nk);
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)nk);
  if (!lx || !rx) return rel_free(&sub), P->err->code;
  if (lower_outer_keys(P, in, NULL, &corr, lx)) return rel_free(&sub), P->err->code;
  for (int k = 0; k < nk; k++) rx[k] = auk_col(ag.key_names[k]);
  rel joined = {0};
  scope keep = in->sc;
  st = join_rels_x(P, in, &sub, SJ_LEFT, nk, lx, rx, &joined);
  rel_free(&sub);
  if (st) return st;
  rel_free(in);
  *in = joined;
  in->sc = keep;
  /* count() of no rows is 0, not NULL (the "count bug" of decorrelation). */
  if (item->kind == AST_FUNC && !strcasecmp(item->name, "count")) {
    const char *cn = new_internal(P, NULL, "__scalar");
    if (!cn) return P->err->code;
    auk_expr *args[2] = {auk_col(vn), auk_lit_int(0)};
    auk_expr *co = auk_alias(auk_coalesce(2, args), cn);
    if (auk_lazy_with_columns(in->lf, 1, &co, P->err)) return P->err->code;
    vn = cn;
  }
  return add_subst(P, node, vn);
}

/* The WHERE conditions holding subqueries: correlated scalar subqueries
 * (there and in the select list of `items`) become left joins first, then
 * each condition is applied. */
static auk_status apply_deferred(planner *P, rel *in, const scope *outer, const expr_list *deferred,
                                 const ast_query *items) {
  expr_list subs = {0};
  for (int i = 0; i < deferred->n; i++) find_subqueries(P, deferred->v[i], &subs);
  for (int i = 0; items && i < items->nitems; i++) find_subqueries(P, items->items[i].expr, &subs);
  auk_status st = AUK_OK;
  for (int i = 0; i < subs.n && !st; i++) st = decorrelate_scalar(P, in, subs.v[i]);
  for (int i = 0; i < deferred->n && !st; i++)
    st = apply_subquery_cond(P, in, outer, deferred->v[i]);
  return st;
}

/* ------------------------------------------------------------- SELECT */

static int expr_has_agg_ast(const ast_expr *e) {
  if (!e) return 0;
  if (ast_is_aggregate(e)) return 1;
  if (e->kind == AST_SUBQUERY || e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return 0;
  for (int i = 0; i < e->nargs; i++)
    if (expr_has_agg_ast(e->args[i])) return 1;
  return 0;
}

/* GROUP BY 2, GROUP BY alias: the select item meant. */
static const ast_expr *group_target(planner *P, const ast_query *q, const scope *sc,
                                    const ast_expr *g) {
  if (g->kind == AST_INT) {
    if (g->ival < 1 || g->ival > q->nitems) {
      sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, g->pos,
                   "GROUP BY position %lld is not in the select list (1 to %d)", (long long)g->ival,
                   q->nitems);
      return NULL;
    }
    return q->items[g->ival - 1].expr;
  }
  if (g->kind == AST_COLUMN && !g->qualifier && !scope_resolve(P, sc, g, 0))
    for (int i = 0; i < q->nitems; i++)
      if (q->items[i].alias && !strcasecmp(q->items[i].alias, g->name)) return q->items[i].expr;
  return g;
}

typedef struct out_col {
  auk_expr *expr; /* taken by the projection */
  const char *name, *internal;
  const ast_expr *src; /* the select item, or NULL for a star column */
  int hidden;
} out_col;

static auk_status add_out(planner *P, out_col **cols, int *n, int *cap, out_col c) {
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 16;
    out_col *v = arena_alloc(P->a, sizeof *v * (size_t)nc);
    if (!v) return expr_release(c.expr), P->err->code;
    if (*n) memcpy(v, *cols, sizeof *v * (size_t)*n);
    *cols = v;
    *cap = nc;
  }
  (*cols)[(*n)++] = c;
  return AUK_OK;
}

static auk_status const_int(planner *P, const ast_expr *e, const char *what, int64_t *out) {
  if (e->kind != AST_INT || e->ival < 0)
    return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                        "%s must be a non-negative integer constant", what);
  *out = e->ival;
  return AUK_OK;
}

auk_status apply_limit(planner *P, const ast_query *q, auk_lazy *lf) {
  int64_t lim = -1, off = 0;
  if (q->limit && const_int(P, q->limit, "LIMIT", &lim)) return P->err->code;
  if (q->offset && const_int(P, q->offset, "OFFSET", &off)) return P->err->code;
  if (q->limit || q->offset) return auk_lazy_slice(lf, off, lim, P->err);
  return AUK_OK;
}

auk_status plan_select(planner *P, const ast_query *q, const scope *outer, rel *out) {
  rel in;
  expr_list deferred = {0};
  if (plan_from_where(P, q, outer, &in, NULL, &deferred)) return P->err->code;
  auk_status st = apply_deferred(P, &in, outer, &deferred, q);
  if (st) return rel_free(&in), st;

  lower_ctx cx = {&in.sc, outer, NULL, in.lf};
  agg_ctx ag = {0};
  ag.input = &in.sc;
  int is_agg = q->ngroup || q->group_all || q->having != NULL;
  for (int i = 0; i < q->nitems && !is_agg; i++) is_agg = expr_has_agg_ast(q->items[i].expr);
  for (int i = 0; i < q->norder && !is_agg; i++) is_agg = expr_has_agg_ast(q->order[i].expr);
  if (is_agg) {
    int cap = q->ngroup + q->nitems + 1;
    ag.keys = arena_alloc(P->a, sizeof *ag.keys * (size_t)cap);
    ag.key_names = arena_alloc(P->a, sizeof *ag.key_names * (size_t)cap);
    if (!ag.keys || !ag.key_names) return rel_free(&in), P->err->code;
    for (int i = 0; i < q->ngroup; i++) {
      const ast_expr *g = group_target(P, q, &in.sc, q->group[i]);
      if (!g) return rel_free(&in), P->err->code;
      if (expr_has_agg_ast(g))
        return rel_free(&in), sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text,
                                           q->group[i]->pos, "GROUP BY cannot use an aggregate");
      ag.keys[ag.nkeys++] = (ast_expr *)g;
    }
    if (q->group_all)
      for (int i = 0; i < q->nitems; i++)
        if (!expr_has_agg_ast(q->items[i].expr) && q->items[i].expr->kind != AST_STAR)
          ag.keys[ag.nkeys++] = q->items[i].expr;
    for (int i = 0; i < q->nitems && !st; i++) st = collect_aggs(P, &ag, q->items[i].expr);
    if (!st && q->having) st = collect_aggs(P, &ag, q->having);
    for (int i = 0; i < q->norder && !st; i++) st = collect_aggs(P, &ag, q->order[i].expr);
    if (st) return rel_free(&in), st;
    auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)(ag.nkeys + 1));
    auk_expr **aggs = arena_alloc(P->a, sizeof *aggs * (size_t)(ag.naggs + 1));
    if (!keys || !aggs) return rel_free(&in), P->err->code;
    int nk = 0, na = 0;
    for (; nk < ag.nkeys && !st; nk++) {
      auk_expr *k;
      ag.key_names[nk] = new_internal(P, NULL, "__group");
      if (!ag.key_names[nk] || (st = lower_expr(P, &cx, ag.keys[nk], &k))) break;
      keys[nk] = auk_alias(k, ag.key_names[nk]);
    }
    for (; na < ag.naggs && !st; na++) {
      auk_expr *a;
      if ((st = lower_agg_call(P, &cx, ag.aggs[na], &a))) break;
      aggs[na] = auk_alias(a, ag.agg_names[na]);
    }
    if (st) {
      for (int k = 0; k < nk; k++) expr_release(keys[k]);
      for (int k = 0; k < na; k++) expr_release(aggs[k]);
      return rel_free(&in), st;
    }
    if (auk_lazy_group_by(in.lf, ag.nkeys, keys, ag.naggs, aggs, 0, P->err))
      return rel_free(&in), P->err->code;
    ag.active = 1;
    cx.agg = &ag;
    if (q->having) {
      auk_expr *h;
      if (lower_expr(P, &cx, q->having, &h) || auk_lazy_filter(in.lf, h, P->err))
        return rel_free(&in), P->err->code;
    }
  }

  /* The select list, stars expanded. */
  out_col *cols = NULL;
  int ncols = 0, capc = 0;
  for (int i = 0; i < q->nitems && !st; i++) {
    const ast_expr *e = q->items[i].expr;
    if (e->kind == AST_STAR) {
      if (is_agg) {
        st = sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                          "SELECT * cannot be used with GROUP BY or aggregates");
        break;
      }
      int any = 0;
      for (int c = 0; c < in.sc.n && !st; c++) {
        const scope_col *sc = &in.sc.cols[c];
        if (sc->hide_star) continue;
        if (e->qualifier && (!sc->qual || strcasecmp(sc->qual, e->qualifier))) continue;
        any = 1;
        const char *inn = new_internal(P, NULL, sc->name);
        if (!inn)
          st = P->err->code;
        else
          st = add_out(P, &cols, &ncols, &capc,
                       (out_col){auk_alias(auk_col(sc->internal), inn), sc->name, inn, NULL, 0});
      }
      if (!st && !any && e->qualifier)
        st = sql_error_at(P->err, AUK_ERR_NOT_FOUND, P->text, e->pos, "unknown table or alias '%s'",
                          e->qualifier);
      continue;
    }
    auk_expr *x;
    if ((st = lower_expr(P, &cx, e, &x))) break;
    const char *name = q->items[i].alias ? q->items[i].alias : ast_default_name(P, e);
    const char *inn = new_internal(P, NULL, name);
    if (!inn) {
      expr_release(x);
      st = P->err->code;
      break;
    }
    st = add_out(P, &cols, &ncols, &capc, (out_col){auk_alias(x, inn), name, inn, e, 0});
  }
  int nvisible = ncols;
  /* ORDER BY: an output column (position, name, or the same expression),
   * else a hidden column computed beside the select list. */
  int *okey = q->norder ? arena_alloc(P->a, sizeof *okey * (size_t)q->norder) : NULL;
  if (q->norder && !okey) st = P->err->code;
  for (int i = 0; i < q->norder && !st; i++) {
    const ast_expr *e = q->order[i].expr;
    int found = -1;
    if (e->kind == AST_INT) {
      if (e->ival < 1 || e->ival > nvisible) {
        st = sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
                          "ORDER BY position %lld is not in the select list (1 to %d)",
                          (long long)e->ival, nvisible);
        break;
      }
      found = (int)e->ival - 1;
    }
    if (found < 0 && e->kind == AST_COLUMN && !e->qualifier) {
      for (int c = 0; c < nvisible && found < 0; c++)
        if (!strcmp(cols[c].name, e->name)) found = c;
      for (int c = 0; c < nvisible && found < 0; c++)
        if (!strcasecmp(cols[c].name, e->name)) found = c;
    }
    for (int c = 0; c < nvisible && found < 0; c++)
      if (cols[c].src && ast_equal(&in.sc, cols[c].src, e)) found = c;
    if (found < 0) {
      if (q->distinct) {
        st = sql_error_at(
            P->err, AUK_ERR_INVALID_ARGUMENT, P->text, e->pos,
            "with SELECT DISTINCT, ORDER BY expressions must appear in the select list");
        break;
      }
      auk_expr *x;
      if ((st = lower_expr(P, &cx, e, &x))) break;
      const char *inn = new_internal(P, NULL, "__order");
      if (!inn) {
        expr_release(x);
        st = P->err->code;
        break;
      }
      found = ncols;
      st = add_out(P, &cols, &ncols, &capc, (out_col){auk_alias(x, inn), inn, inn, e, 1});
    }
    okey[i] = found;
  }
  if (st) {
    for (int c = 0; c < ncols; c++) expr_release(cols[c].expr);
    return rel_free(&in), st;
  }
  auk_expr **sel = arena_alloc(P->a, sizeof *sel * (size_t)(ncols ? ncols : 1));
  if (!sel) {
    for (int c = 0; c < ncols; c++) expr_release(cols[c].expr);
    return rel_free(&in), P->err->code;
  }
  for (int c = 0; c < ncols; c++) sel[c] = cols[c].expr;
  if (auk_lazy_select(in.lf, ncols, sel, P->err)) return rel_free(&in), P->err->code;
  if (q->distinct && auk_lazy_unique(in.lf, 0, NULL, AUK_KEEP_FIRST, P->err))
    return rel_free(&in), P->err->code;
  if (q->norder) {
    auk_expr **keys = arena_alloc(P->a, sizeof *keys * (size_t)q->norder);
    int *desc = arena_alloc(P->a, sizeof *desc * (size_t)q->norder);
    int *nl = arena_alloc(P->a, sizeof *nl * (size_t)q->norder);
    if (!keys || !desc || !nl) return rel_free(&in), P->err->code;
    for (int i = 0; i < q->norder; i++) {
      keys[i] = auk_col(cols[okey[i]].internal);
      desc[i] = q->order[i].desc;
      nl[i] = q->order[i].nulls != 1; /* NULLS LAST unless asked, as DuckDB */
    }
    if (auk_lazy_sort(in.lf, q->norder, keys, desc, nl, P->err)) return rel_free(&in), P->err->code;
  }
  if (apply_limit(P, q, in.lf)) return rel_free(&in), P->err->code;
  if (ncols > nvisible) {
    auk_expr **vis = arena_alloc(P->a, sizeof *vis * (size_t)nvisible);
    if (!vis) return rel_free(&in), P->err->code;
    for (int c = 0; c < nvisible; c++) vis[c] = auk_col(cols[c].internal);
    if (auk_lazy_select(in.lf, nvisible, vis, P->err)) return rel_free(&in), P->err->code;
  }
  memset(out, 0, sizeof *out);
  out->lf = in.lf;
  out->rows = -1;
  for (int c = 0; c < nvisible; c++)
    if (scope_add(P, &out->sc, NULL, cols[c].name, cols[c].internal,
                  auk_lazy_column_type(out->lf, c)))
      return rel_free(out), P->err->code;
  return AUK_OK;
}
