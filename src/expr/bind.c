/* bind.c - type resolution: column names to indices, argument types
 * checked and unified, implicit casts inserted, literals converted once.
 *
 * After binding, kernels see few type combinations: arithmetic on i64 or
 * f64 pairs, comparisons between equal storage types, strings as utf8. The
 * rules follow Polars and DuckDB where they agree: integers compute in i64
 * (overflow is an error), any float makes f64, `/` always gives f64, a
 * date meets a datetime as a datetime, and a string literal compared with
 * a date or datetime is parsed as one (an unparseable one is an error
 * here, not a silent false per row). */
#include "core/alloc.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/types.h"
#include "expr/kernel.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bexpr *bnew(expr_kind kind, int nargs, const auk_expr *src, auk_error *err) {
  bexpr *b = auk_mem_calloc(sizeof *b, err);
  if (!b) return NULL;
  b->kind = kind;
  b->src = src;
  b->col = -1;
  if (nargs) {
    b->args = auk_mem_calloc(sizeof(bexpr *) * (size_t)nargs, err);
    if (!b->args) {
      auk_mem_free(b, sizeof *b);
      return NULL;
    }
    b->nargs = nargs;
  }
  return b;
}

void bexpr_free(bexpr *b) {
  if (!b) return;
  for (int i = 0; i < b->nargs; i++) bexpr_free(b->args[i]);
  if (b->args) auk_mem_free(b->args, sizeof(bexpr *) * (size_t)b->nargs);
  expr_value_free(&b->lit);
  auk_str_free(b->tz);
  if (b->aux && b->aux_free) b->aux_free(b->aux);
  auk_mem_free(b, sizeof *b);
}

static auk_status type_error(const auk_expr *src, auk_error *err, const char *fmt, ...)
    AUK_PRINTF(3, 4);
static auk_status type_error(const auk_expr *src, auk_error *err, const char *fmt, ...) {
  char what[512], text[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  expr_to_string(src, text, sizeof text);
  return auk_error_set(err, AUK_ERR_TYPE, "%s in `%s`", what, text);
}

static int is_intlike(auk_type_id t) {
  return auk_type_is_integer(t) || t == AUK_TYPE_BOOL;
}

/* A decimal's view of an integer or bool type (integers are DECIMAL(w, 0));
 * other types stay as they are. */
static auk_type_id as_decimal(auk_type_id t) {
  return is_intlike(t) ? auk_decimal_of_integer(t) : t;
}

static int min_int(int a, int b) {
  return a < b ? a : b;
}
static int max_int(int a, int b) {
  return a > b ? a : b;
}

/* The type both sides meet in, or AUK_TYPE_COUNT_ when they cannot. */
static auk_type_id supertype(auk_type_id a, auk_type_id b) {
  if (a == b) return a;
  if (a == AUK_TYPE_NULL) return b;
  if (b == AUK_TYPE_NULL) return a;
  if (auk_type_is_decimal(a) || auk_type_is_decimal(b)) return auk_decimal_common(a, b);
  if (is_intlike(a) && is_intlike(b)) return AUK_TYPE_INT64;
  if ((auk_type_is_numeric(a) || a == AUK_TYPE_BOOL) &&
      (auk_type_is_numeric(b) || b == AUK_TYPE_BOOL))
    return AUK_TYPE_FLOAT64;
  if (auk_type_is_temporal(a) && auk_type_is_temporal(b)) return AUK_TYPE_DATETIME;
  return AUK_TYPE_COUNT_;
}

/* The storage a type computes in: small integers widen to i64, f32 to f64. */
static auk_type_id compute_type(auk_type_id t) {
  if (auk_type_is_integer(t)) return AUK_TYPE_INT64;
  if (t == AUK_TYPE_FLOAT32) return AUK_TYPE_FLOAT64;
  return t;
}

/* Makes *slot produce `to`: a literal is converted now (strictly: a bad
 * literal is an error naming it), anything else gets a cast node. */
static auk_status coerce(bexpr **slot, auk_type_id to, auk_error *err) {
  bexpr *c = *slot;
  if (c->type == to) return AUK_OK;
  if (c->kind == EXPR_LIT) {
    expr_value v;
    if (k_cast_value(&c->lit, to, 1, &v, err)) {
      char text[400];
      expr_to_string(c->src, text, sizeof text);
      auk_error_prefix(err, "in `%s`: ", text);
      return err->code;
    }
    expr_value_free(&c->lit);
    c->lit = v;
    c->type = to;
    return AUK_OK;
  }
  bexpr *k = bnew(EXPR_CAST, 1, c->src, err);
  if (!k) return err->code;
  k->args[0] = c;
  k->type = to;
  k->strict = 1;
  if (c->tz) k->tz = auk_str_dup(c->tz, err);
  *slot = k;
  return AUK_OK;
}

static auk_status set_tz(bexpr *b, const char *tz, auk_error *err) {
  if (!tz || b->tz) return AUK_OK;
  b->tz = auk_str_dup(tz, err);
  return b->tz ? AUK_OK : err->code;
}

static auk_type_id decimal_view(const bexpr *a);

/* The type argument i of [from, to) brings to a supertype: among decimals
 * an integer literal counts with its own digits (DuckDB's integer
 * literals), so coalesce(price, 0) stays price's type. */
static auk_type_id unify_type(const bexpr *b, int i, int from, int to, int step) {
  const bexpr *a = b->args[i];
  if (a->kind != EXPR_LIT || !auk_type_is_integer(a->type)) return a->type;
  for (int k = from; k < to; k += step)
    if (auk_type_is_decimal(b->args[k]->type)) return decimal_view(a);
  return a->type;
}

/* Unifies every argument in [from, to) (step) to their supertype. */
static auk_status unify(bexpr *b, int from, int to, int step, auk_error *err) {
  auk_type_id t = AUK_TYPE_NULL;
  for (int i = from; i < to; i += step) {
    auk_type_id s = supertype(t, unify_type(b, i, from, to, step));
    if (s == AUK_TYPE_COUNT_)
      return type_error(b->src, err, "cannot combine %s and %s", auk_type_name(t),
                        auk_type_name(b->args[i]->type));
    t = s;
  }
  t = compute_type(t);
  for (int i = from; i < to; i += step) {
    if (coerce(&b->args[i], t, err)) return err->code;
    if (set_tz(b, b->args[i]->tz, err)) return err->code;
  }
  b->type = t;
  return AUK_OK;
}

static auk_status need(bexpr *b, int i, int ok, const char *what, auk_error *err) {
  if (ok) return AUK_OK;
  return type_error(b->src, err, "argument %d of %s must be %s, not %s", i + 1, expr_fn_name(b->fn),
                    what, auk_type_name(b->args[i]->type));
}

static auk_status need_string(bexpr *b, int i, auk_error *err) {
  auk_type_id t = b->args[i]->type;
  if (t == AUK_TYPE_NULL) return coerce(&b->args[i], AUK_TYPE_STRING, err);
  return need(b, i, t == AUK_TYPE_STRING, "a string", err);
}

static auk_status need_literal(bexpr *b, int i, auk_error *err) {
  if (b->args[i]->kind == EXPR_LIT) return AUK_OK;
  return type_error(b->src, err, "argument %d of %s must be a literal", i + 1, expr_fn_name(b->fn));
}

static auk_status need_numeric(bexpr *b, int i, auk_error *err) {
  auk_type_id t = b->args[i]->type;
  if (t == AUK_TYPE_NULL || t == AUK_TYPE_BOOL) return coerce(&b->args[i], AUK_TYPE_INT64, err);
  if (auk_type_is_decimal(t)) return AUK_OK;
  if (need(b, i, auk_type_is_numeric(t), "numeric", err)) return err->code;
  return coerce(&b->args[i], compute_type(t), err);
}

static auk_status need_temporal(bexpr *b, int i, auk_error *err) {
  auk_type_id t = b->args[i]->type;
  if (t == AUK_TYPE_NULL) return coerce(&b->args[i], AUK_TYPE_DATETIME, err);
  return need(b, i, auk_type_is_temporal(t), "a date or datetime", err);
}

static auk_status need_bool(bexpr *b, int i, auk_error *err) {
  auk_type_id t = b->args[i]->type;
  if (t == AUK_TYPE_NULL) return coerce(&b->args[i], AUK_TYPE_BOOL, err);
  return need(b, i, t == AUK_TYPE_BOOL, "boolean", err);
}

/* A side's decimal view in a decimal context: integers as DECIMAL(w, 0),
 * an integer literal with just its digits (DuckDB's integer literals), so
 * `price < 24` does not widen price's type. */
static auk_type_id decimal_view(const bexpr *a) {
  if (a->kind == EXPR_LIT && !a->lit.is_null && auk_type_is_integer(a->type) &&
      a->type != AUK_TYPE_UINT64) {
    int64_t v = a->lit.i;
    if (v < 0 && v != INT64_MIN) v = -v;
    int d = 1;
    while (d < 18 && v >= auk_pow10_i64[d]) d++;
    if (v >= 0 && v < auk_pow10_i64[d]) return AUK_DECIMAL(d, 0);
  }
  return as_decimal(a->type);
}

/* Comparisons: a decimal meets a decimal or an integer exactly in its own
 * type (below); a string literal against a temporal side becomes that
 * temporal type; otherwise the supertype. */
static auk_status bind_compare(bexpr *b, auk_error *err) {
  auk_type_id l = b->args[0]->type, r = b->args[1]->type;
  if (auk_type_is_decimal(l) || auk_type_is_decimal(r)) {
    /* decimals compare exactly in their own scales, integers as i64 (scale
     * 0): k_decimal_compare aligns them in 128 bits, so there is no common
     * type to overflow (a bigint of 19 digits meets 1.5 fine) */
    auk_type_id x = l == AUK_TYPE_NULL ? r : l, y = r == AUK_TYPE_NULL ? l : r;
    auk_type_id t[2] = {x, y};
    int ok = 1;
    for (int i = 0; i < 2; i++) {
      if (auk_type_is_decimal(t[i])) continue;
      if (t[i] == AUK_TYPE_UINT64)
        t[i] = AUK_DECIMAL(18, 0); /* past INT64_MAX: a cast error */
      else if (is_intlike(t[i]))
        t[i] = AUK_TYPE_INT64;
      else
        ok = 0;
    }
    if (ok) {
      /* a literal that the other side's decimal type holds exactly takes
       * that type, so the common case (price < 24.5) compares two equal
       * types in the vectorized loop */
      for (int i = 0; i < 2; i++) {
        const bexpr *v = b->args[i];
        auk_type_id o = t[1 - i];
        if (v->kind != EXPR_LIT || v->lit.is_null || !auk_type_is_decimal(o)) continue;
        int vs = auk_type_is_decimal(v->type) ? auk_decimal_scale(v->type) : 0;
        int64_t u;
        if ((auk_type_is_decimal(v->type) ||
             (auk_type_is_integer(v->type) && v->type != AUK_TYPE_UINT64)) &&
            vs <= auk_decimal_scale(o) &&
            auk_decimal_rescale(v->lit.i, vs, auk_decimal_scale(o), &u) &&
            auk_decimal_fits(u, auk_decimal_precision(o)))
          t[i] = o;
      }
      if (coerce(&b->args[0], t[0], err) || coerce(&b->args[1], t[1], err)) return err->code;
      b->type = AUK_TYPE_BOOL;
      return AUK_OK;
    }
  }
  for (int i = 0; i < 2; i++) {
    bexpr *s = b->args[i], *o = b->args[1 - i];
    if (s->kind == EXPR_LIT && s->type == AUK_TYPE_STRING && auk_type_is_temporal(o->type))
      if (coerce(&b->args[i], o->type, err)) return err->code;
  }
  if (unify(b, 0, 2, 1, err)) return err->code;
  b->type = AUK_TYPE_BOOL;
  auk_str_free(b->tz);
  b->tz = NULL;
  return AUK_OK;
}

/* Arithmetic with a decimal side (DuckDB's result types, capped at 18
 * digits; the kernel checks every value against them): integers act as
 * DECIMAL(w, 0), a float side makes it all f64, and / and // give f64. */
static auk_status bind_decimal_arith(bexpr *b, auk_error *err) {
  auk_type_id l = b->args[0]->type, r = b->args[1]->type;
  if (l == AUK_TYPE_NULL) l = r;
  if (r == AUK_TYPE_NULL) r = l;
  l = b->args[0]->type == AUK_TYPE_NULL ? as_decimal(l) : decimal_view(b->args[0]);
  r = b->args[1]->type == AUK_TYPE_NULL ? as_decimal(r) : decimal_view(b->args[1]);
  int fl = auk_type_is_float(l) || auk_type_is_float(r);
  if (!fl && !(auk_type_is_decimal(l) && auk_type_is_decimal(r)))
    return type_error(b->src, err, "cannot compute %s with %s and %s", expr_fn_name(b->fn),
                      auk_type_name(b->args[0]->type), auk_type_name(b->args[1]->type));
  if (fl || b->fn == FN_DIV || b->fn == FN_FLOORDIV) {
    for (int i = 0; i < 2; i++)
      if (coerce(&b->args[i], AUK_TYPE_FLOAT64, err)) return err->code;
    b->type = AUK_TYPE_FLOAT64;
    return AUK_OK;
  }
  if (coerce(&b->args[0], l, err) || coerce(&b->args[1], r, err)) return err->code;
  int pa = auk_decimal_precision(l), sa = auk_decimal_scale(l);
  int pb = auk_decimal_precision(r), sb = auk_decimal_scale(r);
  int p, s;
  if (b->fn == FN_MUL) {
    s = sa + sb;
    if (s > AUK_DECIMAL_MAX_PRECISION)
      return type_error(b->src, err,
                        "decimal multiplication of %s and %s needs scale %d, past the 18 digits "
                        "auk keeps (cast a side to a smaller scale or to double)",
                        auk_type_name(l), auk_type_name(r), s);
    p = max_int(s, min_int(AUK_DECIMAL_MAX_PRECISION, pa + pb));
  } else {
    s = max_int(sa, sb);
    p = max_int(pa - sa, pb - sb) + s + (b->fn != FN_MOD);
    p = min_int(AUK_DECIMAL_MAX_PRECISION, p);
  }
  b->type = AUK_DECIMAL(p, s);
  return AUK_OK;
}

static auk_status bind_arith(bexpr *b, auk_error *err) {
  auk_type_id l = b->args[0]->type, r = b->args[1]->type;
  if (auk_type_is_decimal(l) || auk_type_is_decimal(r)) return bind_decimal_arith(b, err);
  if (b->fn == FN_SUB && auk_type_is_temporal(l) && auk_type_is_temporal(r)) {
    /* date - date: days; datetime - datetime: microseconds. */
    if (unify(b, 0, 2, 1, err)) return err->code;
    b->type = AUK_TYPE_INT64;
    return AUK_OK;
  }
  if ((b->fn == FN_ADD || b->fn == FN_SUB) && auk_type_is_temporal(l) && is_intlike(r)) {
    /* date ± days, datetime ± microseconds. */
    if (coerce(&b->args[1], AUK_TYPE_INT64, err)) return err->code;
    b->type = l;
    return set_tz(b, b->args[0]->tz, err);
  }
  for (int i = 0; i < 2; i++)
    if (need_numeric(b, i, err)) return err->code;
  if (unify(b, 0, 2, 1, err)) return err->code;
  if (b->fn == FN_DIV) {
    if (coerce(&b->args[0], AUK_TYPE_FLOAT64, err) || coerce(&b->args[1], AUK_TYPE_FLOAT64, err))
      return err->code;
    b->type = AUK_TYPE_FLOAT64;
  }
  return AUK_OK;
}

static auk_status bind_call(bexpr *b, auk_error *err) {
  int n = b->nargs;
  switch (b->fn) {
    case FN_ADD:
    case FN_SUB:
    case FN_MUL:
    case FN_DIV:
    case FN_FLOORDIV:
    case FN_MOD: return bind_arith(b, err);
    case FN_NEG:
    case FN_ABS:
      if (need_numeric(b, 0, err)) return err->code;
      b->type = b->args[0]->type;
      return AUK_OK;
    case FN_EQ:
    case FN_NE:
    case FN_LT:
    case FN_LE:
    case FN_GT:
    case FN_GE: return bind_compare(b, err);
    case FN_AND:
    case FN_OR:
    case FN_NOT:
      for (int i = 0; i < n; i++)
        if (need_bool(b, i, err)) return err->code;
      b->type = AUK_TYPE_BOOL;
      return AUK_OK;
    case FN_IS_NULL:
    case FN_IS_NOT_NULL: b->type = AUK_TYPE_BOOL; return AUK_OK;
    case FN_COALESCE: return unify(b, 0, n, 1, err);
    case FN_IS_IN: {
      auk_type_id t = compute_type(b->args[0]->type);
      /* an integer column looking for 2.5 (a fraction, decimal or float)
       * compares in their common type: cast to the column's, 2.5 would
       * become 2 or 3 and match */
      int widen = auk_type_is_decimal(t);
      for (int i = 1; i < n && auk_type_is_integer(t); i++) {
        const bexpr *v = b->args[i];
        if (v->kind != EXPR_LIT || v->lit.is_null) continue;
        if (auk_type_is_decimal(v->type))
          widen |= v->lit.i % auk_pow10_i64[auk_decimal_scale(v->type)] != 0;
        else if (auk_type_is_float(v->type))
          widen |= v->lit.f != trunc(v->lit.f);
      }
      if (widen) /* compared exactly in a type holding every value */
        for (int i = 1; i < n; i++) {
          auk_type_id s = supertype(t, unify_type(b, i, 0, n, 1));
          if (s != AUK_TYPE_COUNT_) t = s;
        }
      for (int i = 1; i < n; i++) {
        if (need_literal(b, i, err)) return err->code;
        if (b->args[i]->type == AUK_TYPE_NULL) continue;
        if (supertype(t, b->args[i]->type) == AUK_TYPE_COUNT_ &&
            !(b->args[i]->type == AUK_TYPE_STRING && auk_type_is_temporal(t)))
          return type_error(b->src, err, "cannot look for %s values in a %s column",
                            auk_type_name(b->args[i]->type), auk_type_name(t));
      }
      if (t == AUK_TYPE_NULL) t = AUK_TYPE_INT64;
      for (int i = 0; i < n; i++)
        if (b->args[i]->type != AUK_TYPE_NULL && coerce(&b->args[i], t, err)) return err->code;
      b->type = AUK_TYPE_BOOL;
      return AUK_OK;
    }
    case FN_BETWEEN:
      for (int i = 1; i < 3; i++) {
        bexpr *s = b->args[i];
        if (s->kind == EXPR_LIT && s->type == AUK_TYPE_STRING &&
            auk_type_is_temporal(b->args[0]->type))
          if (coerce(&b->args[i], b->args[0]->type, err)) return err->code;
      }
      if (unify(b, 0, 3, 1, err)) return err->code;
      b->type = AUK_TYPE_BOOL;
      auk_str_free(b->tz);
      b->tz = NULL;
      return AUK_OK;
    case FN_WHEN: {
      if (n % 2 == 0)
        return type_error(b->src, err, "when needs pairs of condition and value, then otherwise");
      for (int i = 0; i + 1 < n; i += 2)
        if (need_bool(b, i, err)) return err->code;
      /* values at 1, 3, ..., n-2 and the otherwise at n-1 */
      auk_type_id t = AUK_TYPE_NULL;
      int dec = 0; /* among decimals, integer literals count with their digits */
      for (int i = 1; i <= n; i += 2) dec |= auk_type_is_decimal(b->args[i < n ? i : n - 1]->type);
      for (int i = 1; i <= n; i += 2) {
        int at = i < n ? i : n - 1; /* the thens, then the otherwise */
        const bexpr *v = b->args[at];
        auk_type_id vt =
            dec && v->kind == EXPR_LIT && auk_type_is_integer(v->type) ? decimal_view(v) : v->type;
        auk_type_id s = supertype(t, vt);
        if (s == AUK_TYPE_COUNT_ && t == AUK_TYPE_STRING) s = AUK_TYPE_COUNT_;
        if (s == AUK_TYPE_COUNT_)
          return type_error(b->src, err, "when/then values of types %s and %s do not combine",
                            auk_type_name(t), auk_type_name(b->args[at]->type));
        t = s;
      }
      t = compute_type(t);
      int last = n - 1;
      if (coerce(&b->args[last], t, err)) return err->code;
      for (int i = 1; i < last; i += 2)
        if (coerce(&b->args[i], t, err)) return err->code;
      for (int i = 1; i < n; i += 2)
        if (set_tz(b, b->args[i]->tz, err)) return err->code;
      b->type = t;
      return AUK_OK;
    }
    case FN_LENGTH:
      if (need_string(b, 0, err)) return err->code;
      b->type = AUK_TYPE_INT64;
      return AUK_OK;
    case FN_UPPER:
    case FN_LOWER:
      if (need_string(b, 0, err)) return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_STRIP:
    case FN_LTRIM:
    case FN_RTRIM: /* [the characters to cut, a literal] */
      if (need_string(b, 0, err) || (n > 1 && (need_string(b, 1, err) || need_literal(b, 1, err))))
        return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_CONTAINS:
    case FN_REGEX:
    case FN_STARTS_WITH:
    case FN_ENDS_WITH:
    case FN_LIKE:
    case FN_ILIKE:
      if (need_string(b, 0, err) || need_string(b, 1, err) || need_literal(b, 1, err))
        return err->code;
      b->type = AUK_TYPE_BOOL;
      return AUK_OK;
    case FN_SUBSTR:
      if (need_string(b, 0, err)) return err->code;
      for (int i = 1; i < n; i++)
        if (need_literal(b, i, err) || coerce(&b->args[i], AUK_TYPE_INT64, err)) return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_REPLACE:
      for (int i = 0; i < 3; i++)
        if (need_string(b, i, err) || (i && need_literal(b, i, err))) return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_REVERSE:
      if (need_string(b, 0, err)) return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_REPEAT:
    case FN_LEFT:
    case FN_RIGHT:
    case FN_LPAD:
    case FN_RPAD:
      if (need_string(b, 0, err) || need_literal(b, 1, err) ||
          coerce(&b->args[1], AUK_TYPE_INT64, err))
        return err->code;
      if (n > 2 && (need_string(b, 2, err) || need_literal(b, 2, err))) return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_REGEXP_REPLACE:
      for (int i = 0; i < n; i++)
        if (need_string(b, i, err) || (i && need_literal(b, i, err))) return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_REGEXP_EXTRACT:
      if (need_string(b, 0, err) || need_string(b, 1, err) || need_literal(b, 1, err))
        return err->code;
      if (n > 2 && (need_literal(b, 2, err) || coerce(&b->args[2], AUK_TYPE_INT64, err)))
        return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_STRPOS:
      if (need_string(b, 0, err) || need_string(b, 1, err) || need_literal(b, 1, err))
        return err->code;
      b->type = AUK_TYPE_INT64;
      return AUK_OK;
    case FN_SPLIT_PART:
      if (need_string(b, 0, err) || need_string(b, 1, err) || need_literal(b, 1, err) ||
          need_literal(b, 2, err) || coerce(&b->args[2], AUK_TYPE_INT64, err))
        return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_CONCAT:
      for (int i = 0; i < n; i++)
        if (coerce(&b->args[i], AUK_TYPE_STRING, err)) return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_STRPTIME:
      if (need_string(b, 0, err) || need_string(b, 1, err) || need_literal(b, 1, err))
        return err->code;
      /* A format without time fields gives a date, as Polars' to_date. */
      b->type = AUK_TYPE_DATE;
      for (const char *f = b->args[1]->lit.s; f && *f; f++)
        if (f[0] == '%' && f[1] && strchr("HIMSTRcs", f[1])) b->type = AUK_TYPE_DATETIME;
      return AUK_OK;
    case FN_STRFTIME:
      if (need_temporal(b, 0, err) || need_string(b, 1, err) || need_literal(b, 1, err))
        return err->code;
      b->type = AUK_TYPE_STRING;
      return AUK_OK;
    case FN_YEAR:
    case FN_MONTH:
    case FN_DAY:
    case FN_HOUR:
    case FN_MINUTE:
    case FN_SECOND:
    case FN_WEEKDAY:
    case FN_DAY_OF_YEAR:
      if (need_temporal(b, 0, err)) return err->code;
      b->type = AUK_TYPE_INT32;
      return AUK_OK;
    case FN_DATE_TRUNC:
      if (need_string(b, 0, err) || need_literal(b, 0, err) || need_temporal(b, 1, err))
        return err->code;
      b->type = b->args[1]->type;
      return set_tz(b, b->args[1]->tz, err);
    case FN_ROUND:
      if (need_numeric(b, 0, err)) return err->code;
      if (n > 1 && (need_literal(b, 1, err) || coerce(&b->args[1], AUK_TYPE_INT64, err)))
        return err->code;
      b->type = b->args[0]->type;
      if (auk_type_is_decimal(b->type)) {
        /* DuckDB: round(DECIMAL(p, s), d) is DECIMAL(p, d) for 0 <= d < s,
         * DECIMAL(p, 0) for d < 0, the same type for d >= s */
        int64_t d = n > 1 && !b->args[1]->lit.is_null ? b->args[1]->lit.i : 0;
        int p = auk_decimal_precision(b->type), s = auk_decimal_scale(b->type);
        if (d < s) b->type = AUK_DECIMAL(p, d < 0 ? 0 : (int)d);
      }
      return AUK_OK;
    case FN_FLOOR:
    case FN_CEIL:
      if (need_numeric(b, 0, err)) return err->code;
      b->type = b->args[0]->type;
      if (auk_type_is_decimal(b->type)) b->type = AUK_DECIMAL(auk_decimal_precision(b->type), 0);
      return AUK_OK;
    case FN_SQRT:
    case FN_LOG:
    case FN_LOG10:
    case FN_LOG2:
    case FN_EXP:
    case FN_POW:
      for (int i = 0; i < n; i++)
        if (need_numeric(b, i, err) || coerce(&b->args[i], AUK_TYPE_FLOAT64, err)) return err->code;
      b->type = AUK_TYPE_FLOAT64;
      return AUK_OK;
    case FN_COUNT_: break;
    default:
      if (expr_fn_is_agg(b->fn))
        return type_error(b->src, err,
                          "the aggregate %s can only be used in group_by(...).agg(...) or agg",
                          expr_fn_name(b->fn));
      break;
  }
  return auk_error_set(err, AUK_ERR_INTERNAL, "unbound function %d", (int)b->fn);
}

static int cast_supported(auk_type_id from, auk_type_id to) {
  if (from == to || from == AUK_TYPE_NULL) return 1;
  if (to == AUK_TYPE_NULL) return 0;
  if (to == AUK_TYPE_STRING || from == AUK_TYPE_STRING) return 1;
  if (!auk_type_valid(to)) return 0;
  int fn = auk_type_is_numeric(from) || from == AUK_TYPE_BOOL || auk_type_is_decimal(from);
  int tn = auk_type_is_numeric(to) || to == AUK_TYPE_BOOL || auk_type_is_decimal(to);
  if (fn && tn) return 1;
  if (auk_type_is_temporal(from) && auk_type_is_temporal(to)) return 1;
  /* Dates and datetimes to and from their integer storage. */
  if (auk_type_is_temporal(from) && auk_type_is_integer(to)) return 1;
  if (auk_type_is_integer(from) && auk_type_is_temporal(to)) return 1;
  return 0;
}

static auk_status bind_rec(const auk_expr *e, const auk_schema *s, bexpr **out, auk_error *err) {
  char text[400];
  bexpr *b = NULL;
  *out = NULL;
  switch (e->kind) {
    case EXPR_ERROR: return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "%s", e->name);
    case EXPR_ALIAS: return bind_rec(e->args[0], s, out, err);
    case EXPR_COL: {
      int i = auk_schema_find(s, e->name);
      if (i < 0) {
        char hint[512];
        auk_schema_suggest(s, e->name, hint, sizeof hint);
        return auk_error_set(err, AUK_ERR_NOT_FOUND, "column '%s' not found; %s", e->name, hint);
      }
      if (!(b = bnew(EXPR_COL, 0, e, err))) return err->code;
      b->col = i;
      b->type = s->fields[i].type;
      if (set_tz(b, s->fields[i].timezone, err)) break;
      *out = b;
      return AUK_OK;
    }
    case EXPR_LIT:
      if (!(b = bnew(EXPR_LIT, 0, e, err))) return err->code;
      if (expr_value_copy(&b->lit, &e->lit, err)) break;
      b->type = e->lit.is_null ? AUK_TYPE_NULL : e->lit.type;
      if (b->lit.is_null) b->lit.type = AUK_TYPE_NULL;
      *out = b;
      return AUK_OK;
    case EXPR_CAST: {
      bexpr *c;
      if (bind_rec(e->args[0], s, &c, err)) return err->code;
      if (!cast_supported(c->type, e->cast_type)) {
        bexpr_free(c);
        expr_to_string(e, text, sizeof text);
        return auk_error_set(err, AUK_ERR_TYPE, "cannot cast %s to %s in `%s`",
                             auk_type_name(c->type), auk_type_name(e->cast_type), text);
      }
      if (c->type == e->cast_type) {
        *out = c;
        return AUK_OK;
      }
      if (c->kind == EXPR_LIT) {
        expr_value v;
        if (k_cast_value(&c->lit, e->cast_type, e->strict, &v, err)) {
          bexpr_free(c);
          expr_to_string(e, text, sizeof text);
          auk_error_prefix(err, "in `%s`: ", text);
          return err->code;
        }
        expr_value_free(&c->lit);
        c->lit = v;
        c->type = e->cast_type;
        c->src = e;
        *out = c;
        return AUK_OK;
      }
      if (!(b = bnew(EXPR_CAST, 1, e, err))) {
        bexpr_free(c);
        return err->code;
      }
      b->args[0] = c;
      b->type = e->cast_type;
      b->strict = e->strict;
      if (e->cast_type == AUK_TYPE_DATETIME && set_tz(b, c->tz, err)) break;
      *out = b;
      return AUK_OK;
    }
    case EXPR_CALL:
      if (!(b = bnew(EXPR_CALL, e->nargs, e, err))) return err->code;
      b->fn = e->fn;
      for (int i = 0; i < e->nargs; i++)
        if (bind_rec(e->args[i], s, &b->args[i], err)) goto fail;
      if (bind_call(b, err)) goto fail;
      *out = b;
      return AUK_OK;
  }
fail:
  bexpr_free(b);
  return err->code;
}

auk_status expr_bind(const auk_expr *e, const auk_schema *schema, bexpr **out, auk_field *field,
                     auk_error *err) {
  if (!e) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "expression is NULL");
  const char *msg;
  if (expr_find_error(e, &msg)) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "%s", msg);
  if (bind_rec(e, schema, out, err)) return err->code;
  if (field) {
    field->name = (char *)expr_output_name(e);
    field->type = (*out)->type;
    field->timezone = (*out)->tz;
  }
  return AUK_OK;
}
