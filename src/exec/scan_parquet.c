/* scan_parquet.c - a Parquet scan of the query engine: the columns the
 * plan reads, its row limit, and what the pushed predicate lets the reader
 * leave out: its conjuncts `column op literal` are tested against each row
 * group's statistics and then against the page index of their columns
 * (io/parquet_pages.c), and the rows left are read. A string column the
 * group-by above takes as its key may come dictionary-encoded. */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/types.h"
#include "io/parquet.h"

#include <string.h>

/* A conjunct `column op value` on an integer-like column that statistics
 * can rule out. */
typedef struct bound_test {
  int col; /* index into the file's flat columns (= the source schema) */
  expr_fn op;
  int kind; /* 0: integer-like (v), 1: float (d), 2: string (s, slen) */
  int64_t v;
  double d;
  const char *s;
  int64_t slen;
} bound_test;

static void collect_tests(const bexpr *b, bound_test *t, int *n, int cap) {
  if (*n >= cap) return;
  if (b->kind == EXPR_CALL && b->fn == FN_AND) {
    collect_tests(b->args[0], t, n, cap);
    collect_tests(b->args[1], t, n, cap);
    return;
  }
  if (b->kind != EXPR_CALL || b->fn < FN_EQ || b->fn > FN_GE || b->fn == FN_NE) return;
  for (int side = 0; side < 2; side++) {
    const bexpr *c = b->args[side], *l = b->args[1 - side];
    /* an integer column widened to i64 keeps its order */
    if (c->kind == EXPR_CAST && c->args[0]->kind == EXPR_COL &&
        auk_type_is_integer(c->args[0]->type) && c->type == AUK_TYPE_INT64)
      c = c->args[0];
    /* so does a float column widened to f64 */
    if (c->kind == EXPR_CAST && c->args[0]->kind == EXPR_COL &&
        c->args[0]->type == AUK_TYPE_FLOAT32 && c->type == AUK_TYPE_FLOAT64)
      c = c->args[0];
    if (c->kind != EXPR_COL || l->kind != EXPR_LIT || l->lit.is_null) continue;
    auk_type_id ty = c->type;
    /* a decimal literal holds an unscaled value: in the column's units only
     * when the column is that same decimal type (binding gives a literal
     * the column's type when it fits exactly; an integer column meets 1.5
     * in k_decimal_compare, not here) */
    if ((auk_type_is_decimal(l->type) || auk_type_is_decimal(ty)) && l->type != ty) continue;
    int kind = auk_type_is_float(ty) ? 1 : ty == AUK_TYPE_STRING ? 2 : 0;
    if (kind == 0 && !auk_type_is_integer(ty) && ty != AUK_TYPE_DATE && ty != AUK_TYPE_DATETIME &&
        !auk_type_is_decimal(ty))
      continue;
    if (kind == 0 && (auk_type_is_float(l->type) || l->type == AUK_TYPE_STRING)) continue;
    if (kind == 1 && l->type != AUK_TYPE_FLOAT64 && l->type != AUK_TYPE_FLOAT32) continue;
    if (kind == 2 && l->type != AUK_TYPE_STRING) continue;
    expr_fn op = b->fn;
    if (side == 1) /* value op column: turn it around */
      op = op == FN_LT   ? FN_GT
           : op == FN_LE ? FN_GE
           : op == FN_GT ? FN_LT
           : op == FN_GE ? FN_LE
                         : op;
    t[*n].col = c->col;
    t[*n].op = op;
    t[*n].kind = kind;
    t[*n].v = l->lit.i;
    t[*n].d = l->lit.f;
    t[*n].s = l->lit.s;
    t[*n].slen = l->lit.len;
    (*n)++;
    return;
  }
}

/* 1 when no row of a group with values in [lo, hi] can pass the test;
 * cl and ch compare the test's value with lo and hi (<0, 0, >0). */
static int rules_out_cmp(expr_fn op, int cl, int ch) {
  switch (op) {
    case FN_EQ: return cl < 0 || ch > 0;
    case FN_LT: return cl <= 0; /* lo >= v */
    case FN_LE: return cl < 0;  /* lo > v */
    case FN_GT: return ch >= 0; /* hi <= v */
    default: return ch > 0;     /* FN_GE: hi < v */
  }
}

static int cmp_bytes(const char *a, int64_t an, const char *b, int64_t bn) {
  int64_t m = an < bn ? an : bn;
  int c = m ? memcmp(a, b, (size_t)m) : 0;
  return c ? c : (an > bn) - (an < bn);
}

/* Whether the statistics of row group g (ix NULL) or page p of its page
 * index ix rule out test t. A page of nulls only fails every comparison. */
static int ruled_out(const pq_file *f, const bound_test *t, int g, const pq_page_index *ix, int p) {
  if (ix && ix->null_page[p]) return 1;
  if (t->kind == 0) {
    int64_t lo, hi;
    return (ix ? pq_page_int_bounds(f, t->col, ix, p, &lo, &hi)
               : pq_rowgroup_int_bounds(f, t->col, g, &lo, &hi)) &&
           rules_out_cmp(t->op, (t->v > lo) - (t->v < lo), (t->v > hi) - (t->v < hi));
  }
  if (t->kind == 1) {
    double lo, hi;
    /* NaN sorts above every number and writers leave it out of the bounds,
     * so a group may hold NaNs that pass > and >=: only <, <= and = can
     * rule a group out. */
    if (t->d != t->d || t->op == FN_GT || t->op == FN_GE) return 0;
    return (ix ? pq_page_float_bounds(f, t->col, ix, p, &lo, &hi)
               : pq_rowgroup_float_bounds(f, t->col, g, &lo, &hi)) &&
           rules_out_cmp(t->op, (t->d > lo) - (t->d < lo), (t->d > hi) - (t->d < hi));
  }
  const char *lo, *hi;
  int64_t ln, hn;
  return (ix ? pq_page_str_bounds(f, t->col, ix, p, &lo, &ln, &hi, &hn)
             : pq_rowgroup_str_bounds(f, t->col, g, &lo, &ln, &hi, &hn)) &&
         rules_out_cmp(t->op, cmp_bytes(t->s, t->slen, lo, ln), cmp_bytes(t->s, t->slen, hi, hn));
}

/* The rows of row group g the page indexes of the tests' columns leave
 * in: ranges in *out (from a), their count, or -1 when no index narrows
 * anything (-2 on out of memory). Each test keeps the pages it cannot rule
 * out; the tests hold together, so the ranges are intersected. */
static int page_ranges(const pq_file *f, const bound_test *t, int nt, int g, pq_arena *a,
                       int64_t **out, auk_error *err) {
  int64_t rows = f->meta.rgs[g].num_rows;
  int64_t *cur = pq_arena_alloc(a, sizeof(int64_t) * 2, err);
  if (!cur) return -2;
  cur[0] = 0;
  cur[1] = rows;
  int ncur = 1, narrowed = 0;
  for (int i = 0; i < nt && ncur > 0; i++) {
    pq_page_index ix;
    if (pq_page_index_load(f, t[i].col, g, &ix, a, err)) return -2;
    if (!ix.npages || !ix.has_bounds) continue;
    int64_t *k = pq_arena_alloc(a, sizeof(int64_t) * 2 * (size_t)ix.npages, err);
    int64_t *both =
        k ? pq_arena_alloc(a, sizeof(int64_t) * 2 * (size_t)(ix.npages + ncur), err) : NULL;
    if (!both) return -2;
    int nk = 0;
    for (int p = 0; p < ix.npages; p++) {
      if (ruled_out(f, &t[i], g, &ix, p)) continue;
      if (nk && k[2 * nk - 1] == ix.first_row[p])
        k[2 * nk - 1] = ix.first_row[p + 1];
      else
        k[2 * nk] = ix.first_row[p], k[2 * nk + 1] = ix.first_row[p + 1], nk++;
    }
    int nb = 0;
    for (int x = 0, y = 0; x < ncur && y < nk;) {
      int64_t lo = cur[2 * x] > k[2 * y] ? cur[2 * x] : k[2 * y];
      int64_t hi = cur[2 * x + 1] < k[2 * y + 1] ? cur[2 * x + 1] : k[2 * y + 1];
      if (lo < hi) both[2 * nb] = lo, both[2 * nb + 1] = hi, nb++;
      if (cur[2 * x + 1] < k[2 * y + 1])
        x++;
      else
        y++;
    }
    cur = both;
    ncur = nb;
    narrowed = 1;
  }
  *out = cur;
  return narrowed ? ncur : -1;
}

/* A Parquet scan: the columns asked for, the row limit, and row groups
 * whose statistics rule out the pushed predicate left unread. */
auk_status exec_scan_parquet(const plan_node *scan, const char *const *names, int n,
                             const char *dict_col, auk_frame **out, auk_error *err) {
  const scan_source *s = scan->src;
  pq_file f;
  if (pq_file_open(&f, s->path, err)) return err->code;
  uint8_t *skip = NULL, dict[4096];
  pq_keep *keep = NULL;
  pq_arena arena = {0};
  auk_status st = AUK_OK;
  for (int i = 0; dict_col && i < (n ? n : f.ncols) && i < 4096; i++)
    dict[i] = !strcmp(n ? names[i] : f.cols[i].name, dict_col);
  if (scan->pred) {
    bexpr *b;
    auk_error ignore;
    if (!expr_bind(scan->pred, s->schema, &b, NULL, &ignore)) {
      bound_test tests[64];
      int nt = 0;
      collect_tests(b, tests, &nt, 64);
      if (nt && (skip = auk_mem_calloc((size_t)f.meta.nrgs, err))) {
        for (int g = 0; g < f.meta.nrgs; g++)
          for (int i = 0; i < nt && !skip[g]; i++)
            if (ruled_out(&f, &tests[i], g, NULL, 0)) skip[g] = 1;
      } else if (nt) {
        st = err->code;
      }
      /* pages: without a row limit (it would apply before the filter) */
      if (!st && nt && scan->limit < 0 &&
          !(keep = auk_mem_calloc(sizeof(pq_keep) * (size_t)f.meta.nrgs, err)))
        st = err->code;
      for (int g = 0; keep && !st && g < f.meta.nrgs; g++) {
        int64_t *r = NULL;
        int nr = skip[g] ? -1 : page_ranges(&f, tests, nt, g, &arena, &r, err);
        if (nr == -2) st = err->code;
        keep[g].n = nr;
        keep[g].r = r;
        if (nr == 0) skip[g] = 1;
      }
      bexpr_free(b);
    }
  }
  if (!st && (n ? n : f.ncols) > 4096) dict_col = NULL;
  pq_read_opts o = {scan->limit, skip, keep, dict_col ? dict : NULL};
  if (!st) st = pq_file_read(&f, names, n, &o, out, err);
  if (skip) auk_mem_free(skip, (size_t)f.meta.nrgs);
  if (keep) auk_mem_free(keep, sizeof(pq_keep) * (size_t)f.meta.nrgs);
  pq_arena_free(&arena);
  pq_file_close(&f);
  return st;
}
