/* lower_from.c - the FROM clause: tables, views, CTEs, files and
 * subqueries become relations with internal column names; explicit joins
 * split their ON condition into equality keys (joined on added key
 * columns, so every SQL-visible column keeps its own values) and the rest
 * (pushed to one side, or a filter after an inner join). */
#include "core/alloc.h"
#include "core/error.h"
#include "expr/expr.h"
#include "sql/catalog.h"
#include "sql/lexer.h"
#include "sql/lower.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *new_internal(planner *P, const char *qual, const char *name) {
  char buf[512];
  if (qual)
    snprintf(buf, sizeof buf, "%s.%s#%d", qual, name, ++P->counter);
  else
    snprintf(buf, sizeof buf, "%s#%d", name, ++P->counter);
  return arena_strdup(P->a, buf);
}

auk_status scope_add(planner *P, scope *sc, const char *qual, const char *name,
                     const char *internal, auk_type_id type) {
  if (sc->n == sc->cap) {
    int cap = sc->cap ? sc->cap * 2 : 16;
    scope_col *c = arena_alloc(P->a, sizeof *c * (size_t)cap);
    if (!c) return P->err->code;
    if (sc->n) memcpy(c, sc->cols, sizeof *c * (size_t)sc->n);
    sc->cols = c;
    sc->cap = cap;
  }
  sc->cols[sc->n++] = (scope_col){qual, name, internal, type, 0, 0};
  return AUK_OK;
}

void rel_free(rel *r) {
  auk_lazy_free(r->lf);
  r->lf = NULL;
}

/* Renames every column of lf to a fresh internal name; the scope gets
 * (qual, original name). */
static auk_status adopt(planner *P, auk_lazy *lf, const char *qual, double rows, rel *out) {
  memset(out, 0, sizeof *out);
  int n = auk_lazy_num_columns(lf);
  auk_expr **ex = arena_alloc(P->a, sizeof *ex * (size_t)(n ? n : 1));
  if (!ex) return auk_lazy_free(lf), P->err->code;
  for (int i = 0; i < n; i++) {
    const char *name = arena_strdup(P->a, auk_lazy_column_name(lf, i));
    const char *in = name ? new_internal(P, qual, name) : NULL;
    if (!in || scope_add(P, &out->sc, qual, name, in, auk_lazy_column_type(lf, i))) {
      for (int k = 0; k < i; k++) expr_release(ex[k]);
      auk_lazy_free(lf);
      return P->err->code;
    }
    ex[i] = auk_alias(auk_col(name), in);
  }
  if (auk_lazy_select(lf, n, ex, P->err)) return auk_lazy_free(lf), P->err->code;
  out->lf = lf;
  out->rows = rows;
  return AUK_OK;
}

/* read_csv('x.csv', delim=';', header=true, ...) and friends. */
static auk_status plan_file(planner *P, const ast_ref *r, auk_lazy **out) {
  const char *fn = r->name;
  if (r->nargs < 1 || r->args[0]->kind != AST_STRING)
    return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, r->pos,
                        "%s needs a file name in quotes as its first argument",
                        fn[0] ? fn : "FROM");
  const char *path = r->args[0]->sval;
  size_t len = strlen(path);
  int parquet = !strcasecmp(fn, "read_parquet") || !strcasecmp(fn, "parquet_scan") ||
                (!fn[0] && len > 8 && !strcasecmp(path + len - 8, ".parquet"));
  int csv = !strcasecmp(fn, "read_csv") || !strcasecmp(fn, "read_csv_auto") || !fn[0];
  if (!parquet && !csv)
    return sql_error_at(P->err, AUK_ERR_NOT_FOUND, P->text, r->pos,
                        "unknown table function '%s' (read_csv and read_parquet are known)", fn);
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  const char *nulls[1];
  for (int i = 1; i < r->nargs; i++) {
    const ast_expr *a = r->args[i];
    if (a->kind != AST_BINARY || strcmp(a->name, "=") || a->args[0]->kind != AST_COLUMN)
      return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, a->pos,
                          "options are written name = value");
    const char *k = a->args[0]->name;
    const ast_expr *v = a->args[1];
    if (parquet)
      return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, a->pos,
                          "read_parquet takes no option '%s'", k);
    if ((!strcasecmp(k, "delim") || !strcasecmp(k, "sep") || !strcasecmp(k, "delimiter")) &&
        v->kind == AST_STRING && strlen(v->sval) == 1) {
      o.delimiter = v->sval[0];
    } else if (!strcasecmp(k, "header") && v->kind == AST_BOOL) {
      o.has_header = (int)v->ival;
    } else if (!strcasecmp(k, "quote") && v->kind == AST_STRING && strlen(v->sval) <= 1) {
      o.quote = v->sval[0];
    } else if (!strcasecmp(k, "skip") && v->kind == AST_INT && v->ival >= 0) {
      o.skip_rows = v->ival;
    } else if ((!strcasecmp(k, "nullstr") || !strcasecmp(k, "null")) && v->kind == AST_STRING) {
      nulls[0] = v->sval;
      o.null_values = nulls;
      o.num_null_values = 1;
    } else if (!strcasecmp(k, "encoding") && v->kind == AST_STRING) {
      if (!strcasecmp(v->sval, "latin1") || !strcasecmp(v->sval, "latin-1") ||
          !strcasecmp(v->sval, "iso-8859-1"))
        o.encoding = AUK_ENCODING_LATIN1;
      else if (strcasecmp(v->sval, "utf8") && strcasecmp(v->sval, "utf-8"))
        return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, v->pos,
                            "unknown encoding '%s' (utf8 or latin1)", v->sval);
    } else if (!strcasecmp(k, "sample_size") && v->kind == AST_INT) {
      o.infer_rows = v->ival;
    } else if (!strcasecmp(k, "null_padding") && v->kind == AST_BOOL) {
      o.ragged = v->ival ? AUK_RAGGED_PAD : AUK_RAGGED_ERROR;
    } else {
      return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, a->pos,
                          "unknown or malformed read_csv option '%s' (known: delim, header, quote, "
                          "skip, nullstr, encoding, sample_size, null_padding)",
                          k);
    }
  }
  return parquet ? auk_scan_parquet(path, out, P->err) : auk_scan_csv(path, &o, out, P->err);
}

static auk_status plan_named(planner *P, const ast_ref *r, const scope *outer, auk_lazy **lf,
                             double *rows) {
  (void)outer;
  *rows = -1;
  for (cte_env *env = P->ctes; env; env = env->parent)
    for (int i = env->n - 1; i >= 0; i--)
      if (!strcasecmp(env->ctes[i].name, r->name)) {
        if (env->rows && env->rows[i]) return auk_frame_lazy(env->rows[i], lf, P->err);
        /* A CTE sees the ones before it. */
        cte_env sub = {i, env->ctes, env->parent, env->uses, env->rows};
        cte_env *saved = P->ctes;
        P->ctes = &sub;
        auk_status st = plan_query_named(P, env->ctes[i].query, lf);
        P->ctes = saved;
        if (!st && env->uses && env->uses[i] > 1) { /* run it once, share the rows */
          st = auk_lazy_collect(*lf, &env->rows[i], P->err);
          auk_lazy_free(*lf);
          *lf = NULL;
          if (!st) st = auk_frame_lazy(env->rows[i], lf, P->err);
        }
        return st;
      }
  catalog_entry *e = catalog_find(P->db, r->name);
  if (!e) {
    const char *s = catalog_suggest(P->db, r->name);
    char hint[300] = "";
    if (s) snprintf(hint, sizeof hint, " (did you mean '%s'?)", s);
    return sql_error_at(P->err, AUK_ERR_NOT_FOUND, P->text, r->pos, "unknown table '%s'%s", r->name,
                        hint);
  }
  if (e->frame) *rows = (double)auk_frame_num_rows(e->frame);
  return auk_db_table(P->db, r->name, lf, P->err);
}

/* ------------------------------------------------------------- joins */

static int split_push(planner *P, const ast_expr *e, const ast_expr ***list, int *n, int *cap);

int ast_refs_only(planner *P, const scope *sc, const ast_expr *e) {
  if (e->kind == AST_COLUMN) return scope_resolve(P, sc, e, 0) != NULL;
  if (e->kind == AST_SUBQUERY || e->kind == AST_EXISTS || e->kind == AST_IN_QUERY) return 0;
  for (int i = 0; i < e->nargs; i++)
    if (!ast_refs_only(P, sc, e->args[i])) return 0;
  return 1;
}

int ast_has_columns(const ast_expr *e) {
  if (e->kind == AST_COLUMN) return 1;
  for (int i = 0; i < e->nargs; i++)
    if (ast_has_columns(e->args[i])) return 1;
  return 0;
}

static int is_and(const ast_expr *e) {
  return e->kind == AST_BINARY && !strcmp(e->name, "and");
}
static int is_or(const ast_expr *e) {
  return e->kind == AST_BINARY && !strcmp(e->name, "or");
}

static void flat(const ast_expr *e, int want_or, const ast_expr **v, int *n, int max) {
  if (want_or ? is_or(e) : is_and(e)) {
    flat(e->args[0], want_or, v, n, max);
    flat(e->args[1], want_or, v, n, max);
  } else if (*n < max) {
    v[(*n)++] = e;
  }
}

static ast_expr *join_with(planner *P, const char *op, const ast_expr **v, int n) {
  ast_expr *acc = (ast_expr *)v[0];
  for (int i = 1; i < n && acc; i++) {
    ast_expr *b = arena_alloc(P->a, sizeof *b);
    ast_expr **args = arena_alloc(P->a, 2 * sizeof *args);
    if (!b || !args) return NULL;
    b->kind = AST_BINARY;
    b->name = op;
    b->pos = acc->pos;
    b->end = v[i]->end;
    b->nargs = 2;
    b->args = args;
    args[0] = acc;
    args[1] = (ast_expr *)v[i];
    acc = b;
  }
  return acc;
}

/* (A AND X) OR (A AND Y) -> A AND (X OR Y): the terms every branch of an
 * OR shares become conditions of their own (TPC-H Q19's join key). */
static int factor_or(planner *P, const ast_expr *e, const ast_expr ***list, int *n, int *cap) {
  enum { MAXT = 64 };
  const ast_expr *dis[MAXT];
  int nd = 0;
  flat(e, 1, dis, &nd, MAXT);
  const ast_expr *terms[MAXT][MAXT];
  int nt[MAXT];
  for (int d = 0; d < nd; d++) {
    nt[d] = 0;
    flat(dis[d], 0, terms[d], &nt[d], MAXT);
  }
  const ast_expr *common[MAXT];
  int nc = 0;
  for (int t = 0; t < nt[0]; t++) {
    int everywhere = 1;
    for (int d = 1; d < nd && everywhere; d++) {
      int found = 0;
      for (int k = 0; k < nt[d] && !found; k++) found = ast_equal(NULL, terms[0][t], terms[d][k]);
      everywhere = found;
    }
    if (everywhere) common[nc++] = terms[0][t];
  }
  if (!nc || nd >= MAXT) return split_push(P, e, list, n, cap);
  for (int i = 0; i < nc; i++)
    if (!split_conjuncts(P, common[i], list, n, cap)) return 0;
  const ast_expr *rest[MAXT];
  for (int d = 0; d < nd; d++) {
    const ast_expr *left[MAXT];
    int nl = 0;
    for (int k = 0; k < nt[d]; k++) {
      int is_common = 0;
      for (int i = 0; i < nc && !is_common; i++)
        is_common = ast_equal(NULL, terms[d][k], common[i]);
      if (!is_common) left[nl++] = terms[d][k];
    }
    if (nl == 0) return 1; /* one branch is just the common part: the OR holds */
    if (!(rest[d] = join_with(P, "and", left, nl))) return 0;
  }
  ast_expr *o = join_with(P, "or", rest, nd);
  return o && split_push(P, o, list, n, cap);
}

/* Splits e's top-level ANDs into list (arena). */
int split_conjuncts(planner *P, const ast_expr *e, const ast_expr ***list, int *n, int *cap) {
  if (is_and(e))
    return split_conjuncts(P, e->args[0], list, n, cap) &&
           split_conjuncts(P, e->args[1], list, n, cap);
  if (is_or(e)) return factor_or(P, e, list, n, cap);
  return split_push(P, e, list, n, cap);
}

static int split_push(planner *P, const ast_expr *e, const ast_expr ***list, int *n, int *cap) {
  if (*n == *cap) {
    int c = *cap ? *cap * 2 : 8;
    const ast_expr **l = arena_alloc(P->a, sizeof *l * (size_t)c);
    if (!l) return 0;
    if (*n) memcpy(l, *list, sizeof *l * (size_t)*n);
    *list = l;
    *cap = c;
  }
  (*list)[(*n)++] = e;
  return 1;
}

auk_status rel_filter(planner *P, rel *r, const scope *outer, const ast_expr *pred) {
  lower_ctx cx = {&r->sc, outer, NULL, r->lf, NULL};
  auk_expr *x;
  if (lower_expr(P, &cx, pred, &x)) return P->err->code;
  if (sql_check(P, r->lf, x, CHECK_PREDICATE, pred->pos)) return expr_release(x), P->err->code;
  return auk_lazy_filter(r->lf, x, P->err);
}

static auk_status merge_scopes(planner *P, scope *dst, const scope *a, const scope *b) {
  memset(dst, 0, sizeof *dst);
  for (int i = 0; i < a->n; i++) {
    if (scope_add(P, dst, a->cols[i].qual, a->cols[i].name, a->cols[i].internal, a->cols[i].type))
      return P->err->code;
    dst->cols[dst->n - 1].hide_star = a->cols[i].hide_star;
    dst->cols[dst->n - 1].hide_unqual = a->cols[i].hide_unqual;
  }
  for (int i = 0; b && i < b->n; i++) {
    if (scope_add(P, dst, b->cols[i].qual, b->cols[i].name, b->cols[i].internal, b->cols[i].type))
      return P->err->code;
    dst->cols[dst->n - 1].hide_star = b->cols[i].hide_star;
    dst->cols[dst->n - 1].hide_unqual = b->cols[i].hide_unqual;
  }
  return AUK_OK;
}

static const int join_types[] = {AUK_JOIN_INNER, AUK_JOIN_LEFT, AUK_JOIN_RIGHT, AUK_JOIN_FULL,
                                 AUK_JOIN_INNER, AUK_JOIN_SEMI, AUK_JOIN_ANTI};

auk_status join_rels(planner *P, rel *l, rel *r, sql_join how, int nkeys, const ast_expr **lk,
                     const ast_expr **rk, const scope *outer, rel *out) {
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)(nkeys + 1));
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)(nkeys + 1));
  if (!lx || !rx) return P->err->code;
  lower_ctx lc = {&l->sc, outer, NULL, l->lf, NULL}, rc = {&r->sc, outer, NULL, r->lf, NULL};
  for (int i = 0; i < nkeys; i++) {
    if (lower_expr(P, &lc, lk[i], &lx[i])) {
      for (int k = 0; k < i; k++) expr_release(lx[k]), expr_release(rx[k]);
      return P->err->code;
    }
    if (lower_expr(P, &rc, rk[i], &rx[i])) {
      expr_release(lx[i]);
      for (int k = 0; k < i; k++) expr_release(lx[k]), expr_release(rx[k]);
      return P->err->code;
    }
  }
  return join_rels_x(P, l, r, how, nkeys, lx, rx, out);
}

auk_status join_rels_x(planner *P, rel *l, rel *r, sql_join how, int nkeys, auk_expr **lk,
                       auk_expr **rk, rel *out) {
  if (nkeys == 0) { /* no equality between the sides: every pair of rows */
    if (how != SJ_INNER && how != SJ_CROSS)
      return sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, 0,
                          "an outer, semi or anti join needs an equality between the two sides");
    auk_lazy *right = r->lf;
    r->lf = NULL;
    if (auk_lazy_join(l->lf, right, 0, NULL, NULL, AUK_JOIN_CROSS, "__dup", P->err))
      return P->err->code;
    out->lf = l->lf;
    l->lf = NULL;
    out->rows = l->rows >= 0 && r->rows >= 0 ? l->rows * r->rows : -1;
    return merge_scopes(P, &out->sc, &l->sc, &r->sc);
  }
  const char **ln = arena_alloc(P->a, sizeof *ln * (size_t)nkeys);
  const char **rn = arena_alloc(P->a, sizeof *rn * (size_t)nkeys);
  auk_expr **lx = arena_alloc(P->a, sizeof *lx * (size_t)nkeys);
  auk_expr **rx = arena_alloc(P->a, sizeof *rx * (size_t)nkeys);
  if (!ln || !rn || !lx || !rx) return P->err->code;
  for (int i = 0; i < nkeys; i++) {
    ln[i] = new_internal(P, NULL, "__lkey");
    rn[i] = new_internal(P, NULL, "__rkey");
    if (!ln[i] || !rn[i]) return P->err->code;
    lx[i] = auk_alias(lk[i], ln[i]);
    rx[i] = auk_alias(rk[i], rn[i]);
  }
  if (auk_lazy_with_columns(l->lf, nkeys, lx, P->err) ||
      auk_lazy_with_columns(r->lf, nkeys, rx, P->err))
    return P->err->code;
  auk_lazy *right = r->lf;
  r->lf = NULL;
  if (auk_lazy_join(l->lf, right, nkeys, ln, rn, join_types[how], "__dup", P->err))
    return P->err->code;
  /* The left key columns remain (the right ones merged into them). */
  if (auk_lazy_drop(l->lf, nkeys, ln, P->err)) return P->err->code;
  out->lf = l->lf;
  l->lf = NULL;
  out->rows = l->rows > r->rows ? l->rows : r->rows;
  int semi = how == SJ_SEMI || how == SJ_ANTI;
  return merge_scopes(P, &out->sc, &l->sc, semi ? NULL : &r->sc);
}

/* An explicit JOIN with ON or USING. */
static auk_status plan_join_ref(planner *P, const ast_ref *j, const scope *outer, rel *out) {
  rel l = {0}, r = {0};
  if (plan_ref(P, j->left, outer, &l)) return P->err->code;
  if (plan_ref(P, j->right, outer, &r)) return rel_free(&l), P->err->code;
  const ast_expr **conj = NULL, **lk = NULL, **rk = NULL, **rest = NULL;
  int n = 0, cap = 0, nk = 0, nrest = 0;
  auk_status st = AUK_OK;
  if (j->on && !split_conjuncts(P, j->on, &conj, &n, &cap)) goto fail;
  int total = n + j->nusing;
  lk = arena_alloc(P->a, sizeof *lk * (size_t)(total + 1));
  rk = arena_alloc(P->a, sizeof *rk * (size_t)(total + 1));
  rest = arena_alloc(P->a, sizeof *rest * (size_t)(total + 1));
  if (!lk || !rk || !rest) goto fail;
  for (int i = 0; i < j->nusing; i++) {
    ast_expr *a = arena_alloc(P->a, sizeof *a), *b = arena_alloc(P->a, sizeof *b);
    if (!a || !b) goto fail;
    a->kind = b->kind = AST_COLUMN;
    a->name = b->name = j->using_cols[i];
    a->pos = b->pos = j->pos;
    const scope_col *lc = scope_resolve(P, &l.sc, a, 1);
    if (!lc) goto fail;
    const scope_col *rc = scope_resolve(P, &r.sc, b, 1);
    if (!rc) goto fail;
    lk[nk] = a;
    rk[nk++] = b;
  }
  for (int i = 0; i < n; i++) {
    const ast_expr *c = conj[i];
    if (c->kind == AST_BINARY && !strcmp(c->name, "=") && ast_has_columns(c->args[0]) &&
        ast_has_columns(c->args[1])) {
      if (ast_refs_only(P, &l.sc, c->args[0]) && ast_refs_only(P, &r.sc, c->args[1])) {
        lk[nk] = c->args[0];
        rk[nk++] = c->args[1];
        continue;
      }
      if (ast_refs_only(P, &r.sc, c->args[0]) && ast_refs_only(P, &l.sc, c->args[1])) {
        lk[nk] = c->args[1];
        rk[nk++] = c->args[0];
        continue;
      }
    }
    if (ast_refs_only(P, &r.sc, c) && (j->how == SJ_INNER || j->how == SJ_LEFT)) {
      if (rel_filter(P, &r, outer, c)) goto fail;
    } else if (ast_refs_only(P, &l.sc, c) && (j->how == SJ_INNER || j->how == SJ_RIGHT)) {
      if (rel_filter(P, &l, outer, c)) goto fail;
    } else if (j->how == SJ_INNER) {
      rest[nrest++] = c;
    } else {
      st = sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, c->pos,
                        "this condition in the ON clause of an outer join is not supported (only "
                        "equalities between the two sides, and conditions on the outer join's "
                        "optional side)");
      goto fail;
    }
  }
  if (j->how == SJ_CROSS && nk == 0) {
    st = join_rels(P, &l, &r, SJ_CROSS, 0, NULL, NULL, outer, out);
    goto done;
  }
  if (join_rels(P, &l, &r, j->how, nk, lk, rk, outer, out)) goto fail;
  /* USING: the key is visible once, unqualified. */
  for (int i = 0; i < j->nusing; i++) {
    const scope_col *lc = scope_resolve(P, &l.sc, lk[i], 0);
    const scope_col *rc = scope_resolve(P, &r.sc, rk[i], 0);
    int hide_left = j->how == SJ_RIGHT;
    for (int c = 0; c < out->sc.n; c++) {
      scope_col *sc = &out->sc.cols[c];
      if ((hide_left && sc->internal == lc->internal) ||
          (!hide_left && sc->internal == rc->internal)) {
        sc->hide_star = 1;
        sc->hide_unqual = 1;
      }
    }
    if (j->how == SJ_FULL) {
      /* The visible key is coalesce(left, right); both originals stay
       * reachable qualified. */
      const char *in = new_internal(P, NULL, lc->name);
      if (!in) goto fail;
      auk_expr *args[2] = {auk_col(lc->internal), auk_col(rc->internal)};
      auk_expr *co = auk_alias(auk_coalesce(2, args), in);
      if (auk_lazy_with_columns(out->lf, 1, &co, P->err)) goto fail;
      for (int c = 0; c < out->sc.n; c++)
        if (out->sc.cols[c].internal == lc->internal) {
          out->sc.cols[c].internal = in;
          out->sc.cols[c].qual = NULL;
        }
    }
  }
  for (int i = 0; i < nrest; i++)
    if (rel_filter(P, out, outer, rest[i])) goto fail;
  goto done;
fail:
  st = P->err->code ? P->err->code : AUK_ERR_INTERNAL;
done:
  rel_free(&l);
  rel_free(&r);
  if (st) rel_free(out); /* a join made before a later step failed */
  return st;
}

auk_status plan_ref(planner *P, const ast_ref *r, const scope *outer, rel *out) {
  memset(out, 0, sizeof *out);
  auk_lazy *lf = NULL;
  double rows = -1;
  const char *qual = r->alias;
  switch (r->kind) {
    case REF_TABLE:
      if (plan_named(P, r, outer, &lf, &rows)) return P->err->code;
      if (!qual) qual = r->name;
      break;
    case REF_FILE:
      if (plan_file(P, r, &lf)) return P->err->code;
      if (!qual) {
        /* The file's base name without extension names it, as in DuckDB. */
        const char *path = r->args[0]->sval, *slash = strrchr(path, '/');
        char *b = arena_strdup(P->a, slash ? slash + 1 : path);
        if (!b) return auk_lazy_free(lf), P->err->code;
        char *dot = strchr(b, '.');
        if (dot) *dot = 0;
        qual = b;
      }
      break;
    case REF_SUBQUERY:
      if (plan_query_named(P, r->query, &lf)) return P->err->code;
      break;
    case REF_JOIN: {
      if (r->comma)
        return sql_error_at(P->err, AUK_ERR_INTERNAL, P->text, r->pos,
                            "comma join in a nested FROM");
      if (r->ncolalias)
        return sql_error_at(P->err, AUK_ERR_UNSUPPORTED, P->text, r->pos,
                            "column names for a join are not supported");
      if (plan_join_ref(P, r, outer, out)) return P->err->code;
      if (r->alias) /* (a JOIN b) AS x: x qualifies every column */
        for (int i = 0; i < out->sc.n; i++) out->sc.cols[i].qual = r->alias;
      return AUK_OK;
    }
  }
  if (r->ncolalias > auk_lazy_num_columns(lf)) {
    int n = auk_lazy_num_columns(lf);
    auk_lazy_free(lf);
    return sql_error_at(P->err, AUK_ERR_INVALID_ARGUMENT, P->text, r->pos,
                        "%d column names given for a table of %d columns", r->ncolalias, n);
  }
  if (adopt(P, lf, qual, rows, out)) return P->err->code;
  for (int i = 0; i < r->ncolalias; i++) out->sc.cols[i].name = r->colalias[i];
  return AUK_OK;
}
