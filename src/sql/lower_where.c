/* lower_where.c - FROM and WHERE of one SELECT block: the FROM items are
 * planned, conditions on one item filter it before the joins, equalities
 * between items choose the join order (the largest known table first, then
 * repeatedly the smallest item connected to what is joined), and conditions
 * reading an enclosing query are returned as correlation pairs for the
 * subquery planner (lower_subquery.c). */
#include "core/error.h"
#include "expr/expr.h"
#include "sql/lexer.h"
#include "sql/lower.h"

#include <string.h>
#include <strings.h>

static const char *flip_op(const char *op) {
  if (!strcmp(op, "<")) return ">";
  if (!strcmp(op, "<=")) return ">=";
  if (!strcmp(op, ">")) return "<";
  if (!strcmp(op, ">=")) return "<=";
  return op;
}

int expr_list_push(planner *P, expr_list *l, const ast_expr *e) {
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

int ast_has_subquery(const ast_expr *e) {
  if (!e) return 0;
  if (e->kind == AST_SUBQUERY || e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return 1;
  for (int i = 0; i < e->nargs; i++)
    if (ast_has_subquery(e->args[i])) return 1;
  return 0;
}

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
auk_status plan_from_where(planner *P, const ast_query *q, const scope *outer, rel *out,
                           corr_list *corr, expr_list *deferred) {
  memset(out, 0, sizeof *out);
  if (!q->from) {
    if (one_row(P, out)) return P->err->code;
    auk_status st = AUK_OK;
    if (q->where) {
      if (ast_has_subquery(q->where))
        st = expr_list_push(P, deferred, q->where) ? AUK_OK : P->err->code;
      else
        st = rel_filter(P, out, outer, q->where);
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
    if (ast_has_subquery(c)) {
      if (!expr_list_push(P, deferred, c)) st = P->err->code;
      continue;
    }
    if (outer && ast_refs_outer(P, &all, outer, c)) {
      const ast_expr *in_side = NULL, *out_side = NULL;
      if (corr && c->kind == AST_BINARY && !strcmp(c->name, "=")) {
        for (int s = 0; s < 2; s++)
          if (ast_has_columns(c->args[s]) && ast_refs_only(P, &all, c->args[s]) &&
              ast_refs_only(P, outer, c->args[1 - s])) {
            in_side = c->args[s];
            out_side = c->args[1 - s];
          }
      }
      if (!in_side && corr && !corr->res_op && c->kind == AST_BINARY &&
          (!strcmp(c->name, "<>") || !strcmp(c->name, "<") || !strcmp(c->name, "<=") ||
           !strcmp(c->name, ">") || !strcmp(c->name, ">="))) {
        for (int s = 0; s < 2 && !corr->res_op; s++)
          if (ast_has_columns(c->args[s]) && ast_refs_only(P, &all, c->args[s]) &&
              ast_refs_only(P, outer, c->args[1 - s])) {
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
        if (ast_refs_only(P, &rels[r].sc, c)) {
          only = r;
          break;
        }
    if (only >= 0 && ast_has_columns(c)) {
      st = rel_filter(P, &rels[only], outer, c);
      continue;
    }
    if (n > 1 && c->kind == AST_BINARY && !strcmp(c->name, "=") && ast_has_columns(c->args[0]) &&
        ast_has_columns(c->args[1])) {
      if (!expr_list_push(P, &edges, c)) st = P->err->code;
      continue;
    }
    if (!expr_list_push(P, &post, c)) st = P->err->code;
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
          if (ast_refs_only(P, &cur.sc, c->args[s]) &&
              ast_refs_only(P, &rels[r].sc, c->args[1 - s]))
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
        if (ast_refs_only(P, &cur.sc, c->args[s]) &&
            ast_refs_only(P, &rels[best].sc, c->args[1 - s])) {
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
    if (!used[e]) st = rel_filter(P, &cur, outer, edges.v[e]);
  for (int i = 0; i < post.n && !st; i++) st = rel_filter(P, &cur, outer, post.v[i]);
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
