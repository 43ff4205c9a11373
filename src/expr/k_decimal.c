/* k_decimal.c - kernels over exact decimals (int64 unscaled values): casts
 * to and from every numeric type and text, + - * % with the scales aligned,
 * negation, abs, round, floor and ceil.
 *
 * Binding (bind.c) fixes each result's precision and scale the way DuckDB
 * does (capped at 18 digits) and casts integer arguments to DECIMAL(w, 0),
 * so a kernel sees decimal arguments only, each with its own scale. Every
 * step that could leave 64 bits or the result's digits is checked
 * (__builtin_*_overflow) and reported as "decimal overflow" naming the
 * values and the expression: never a wrong value. */
#include "core/decimal.h"
#include "core/textparse.h"
#include "expr/kernel.h"
#include "io/format.h"

#include <math.h>
#include <stdio.h>

static inline int64_t kv(const kd *d, int64_t i) {
  return d->a ? ((const int64_t *)k_vals(d->a))[i] : d->s->i;
}

static int valid_at(const auk_array *out, int64_t i) {
  return !out->validity || auk_bit_get(out->validity->data, i);
}

/* ---------------------------------------------------------------- casts */

/* bad[k] = 1 where value k does not convert; returns 1 when any does. */
static int from_decimal(const auk_array *a, auk_type_id to, int64_t n, void *out, uint8_t *bad) {
  const int64_t *x = k_vals(a);
  int s = auk_decimal_scale(a->type), any = 0;
  if (auk_type_is_decimal(to)) {
    int ts = auk_decimal_scale(to), tp = auk_decimal_precision(to);
    for (int64_t k = 0; k < n; k++) {
      int64_t v = 0;
      int b = !auk_decimal_rescale(x[k], s, ts, &v) || !auk_decimal_fits(v, tp);
      bad[k] = (uint8_t)b;
      any |= b;
      ((int64_t *)out)[k] = v;
    }
    return any;
  }
  switch (to) {
    case AUK_TYPE_FLOAT64:
      for (int64_t k = 0; k < n; k++) ((double *)out)[k] = auk_decimal_to_double(x[k], s);
      return 0;
    case AUK_TYPE_FLOAT32:
      for (int64_t k = 0; k < n; k++) ((float *)out)[k] = (float)auk_decimal_to_double(x[k], s);
      return 0;
    case AUK_TYPE_BOOL:
      memset(out, 0, (size_t)auk_bitmap_bytes(n));
      for (int64_t k = 0; k < n; k++)
        if (x[k]) auk_bit_set(out, k);
      return 0;
    default: break;
  }
  /* integers: round half away from zero, then check the range */
  int64_t lo, hi;
  switch (to) {
    case AUK_TYPE_INT8: lo = INT8_MIN, hi = INT8_MAX; break;
    case AUK_TYPE_INT16: lo = INT16_MIN, hi = INT16_MAX; break;
    case AUK_TYPE_INT32: lo = INT32_MIN, hi = INT32_MAX; break;
    case AUK_TYPE_UINT8: lo = 0, hi = UINT8_MAX; break;
    case AUK_TYPE_UINT16: lo = 0, hi = UINT16_MAX; break;
    case AUK_TYPE_UINT32: lo = 0, hi = UINT32_MAX; break;
    case AUK_TYPE_UINT64: lo = 0, hi = INT64_MAX; break;
    default: lo = INT64_MIN, hi = INT64_MAX; break;
  }
  for (int64_t k = 0; k < n; k++) {
    int64_t v;
    auk_decimal_rescale(x[k], s, 0, &v); /* dividing never fails */
    int b = v < lo || v > hi;
    bad[k] = (uint8_t)b;
    any |= b;
    switch (to) {
      case AUK_TYPE_INT8: ((int8_t *)out)[k] = (int8_t)v; break;
      case AUK_TYPE_INT16: ((int16_t *)out)[k] = (int16_t)v; break;
      case AUK_TYPE_INT32: ((int32_t *)out)[k] = (int32_t)v; break;
      case AUK_TYPE_UINT8: ((uint8_t *)out)[k] = (uint8_t)v; break;
      case AUK_TYPE_UINT16: ((uint16_t *)out)[k] = (uint16_t)v; break;
      case AUK_TYPE_UINT32: ((uint32_t *)out)[k] = (uint32_t)v; break;
      default: ((int64_t *)out)[k] = v; break;
    }
  }
  return any;
}

/* Element k of an integer, bool or float array into a decimal of type to. */
static int to_decimal_one(const auk_array *a, int64_t k, auk_type_id to, int64_t *out) {
  int p = auk_decimal_precision(to), s = auk_decimal_scale(to);
  const void *d = k_vals(a);
  int64_t v;
  switch (a->type) {
    case AUK_TYPE_FLOAT64: return auk_decimal_from_double(((const double *)d)[k], p, s, out);
    case AUK_TYPE_FLOAT32: return auk_decimal_from_double(((const float *)d)[k], p, s, out);
    case AUK_TYPE_BOOL: v = auk_bit_get(k_bits(a), k); break;
    case AUK_TYPE_INT8: v = ((const int8_t *)d)[k]; break;
    case AUK_TYPE_INT16: v = ((const int16_t *)d)[k]; break;
    case AUK_TYPE_INT32: v = ((const int32_t *)d)[k]; break;
    case AUK_TYPE_UINT8: v = ((const uint8_t *)d)[k]; break;
    case AUK_TYPE_UINT16: v = ((const uint16_t *)d)[k]; break;
    case AUK_TYPE_UINT32: v = ((const uint32_t *)d)[k]; break;
    case AUK_TYPE_UINT64:
      if (((const uint64_t *)d)[k] > INT64_MAX) return 0;
      v = ((const int64_t *)d)[k];
      break;
    case AUK_TYPE_INT64: v = ((const int64_t *)d)[k]; break;
    default: return 0;
  }
  return !__builtin_mul_overflow(v, auk_pow10_i64[s], out) && auk_decimal_fits(*out, p);
}

auk_status k_decimal_cast(const bexpr *b, auk_array *a, auk_type_id to, int strict, auk_array **out,
                          auk_error *err) {
  int64_t n = a->length;
  auk_array *o = k_new(to, n, err);
  if (!o) return err->code;
  kd self = {a, NULL};
  uint8_t *bad = NULL;
  auk_status st = k_and_validity(o, &self, 1, err);
  if (st) goto fail;
  if (!(bad = auk_mem_calloc((size_t)n + 1, err))) goto fail;
  void *r = auk_array_data(o);
  int any = 0;
  if (auk_type_is_decimal(a->type)) {
    any = from_decimal(a, to, n, r, bad);
  } else if (a->type == AUK_TYPE_STRING) {
    int p = auk_decimal_precision(to), s = auk_decimal_scale(to);
    for (int64_t k = 0; k < n; k++) {
      if (!auk_array_is_valid(a, k)) continue;
      int64_t len;
      const char *t = auk_array_str(a, k, &len);
      if (auk_decimal_parse(t, len, p, s, &((int64_t *)r)[k])) continue;
      if (strict) {
        char q[200] = "";
        auk_error_quote(q, sizeof q, t, (size_t)len);
        st = k_value_error(b, err, "cannot cast %s to %s: not a number or out of range", q,
                           auk_type_name(to));
        goto fail;
      }
      bad[k] = 1;
      any = 1;
    }
  } else {
    for (int64_t k = 0; k < n; k++)
      if (auk_array_is_valid(a, k) && !to_decimal_one(a, k, to, &((int64_t *)r)[k])) {
        bad[k] = 1;
        any = 1;
      }
  }
  if (any && (st = k_cast_unfit(b, a, o, bad, to, strict, err))) goto fail;
  auk_mem_free(bad, (size_t)n + 1);
  *out = o;
  return AUK_OK;
fail:
  if (bad) auk_mem_free(bad, (size_t)n + 1);
  auk_array_release(o);
  return st ? st : err->code;
}

/* ----------------------------------------------------------- arithmetic */

static auk_status overflow(const bexpr *b, const kd *args, int64_t i, auk_error *err) {
  char x[32], y[32];
  auk_decimal_format(kv(&args[0], i), auk_decimal_scale(b->args[0]->type), x);
  if (b->nargs < 2)
    return k_value_error(b, err, "decimal overflow: %s of %s does not fit %s", expr_fn_name(b->fn),
                         x, auk_type_name(b->type));
  auk_decimal_format(kv(&args[1], i), auk_decimal_scale(b->args[1]->type), y);
  return k_value_error(b, err, "decimal overflow: %s %s %s does not fit %s", x, expr_fn_name(b->fn),
                       y, auk_type_name(b->type));
}

/* One value of a op b; 0 on overflow. */
static inline int arith_one(expr_fn fn, int64_t a, int64_t c, int sa, int sc, int rs, int rp,
                            int64_t *r) {
  int64_t x, y;
  switch (fn) {
    case FN_MUL:
      if (__builtin_mul_overflow(a, c, r)) return 0;
      break;
    case FN_NEG:
      if (__builtin_sub_overflow((int64_t)0, a, r)) return 0;
      break;
    default:
      if (!auk_decimal_rescale(a, sa, rs, &x) || !auk_decimal_rescale(c, sc, rs, &y)) return 0;
      if (fn == FN_ADD) {
        if (__builtin_add_overflow(x, y, r)) return 0;
      } else if (fn == FN_SUB) {
        if (__builtin_sub_overflow(x, y, r)) return 0;
      } else { /* FN_MOD: floored, as the expression layer's integer % */
        if (y == 0) return -1;
        int64_t m = y == -1 ? 0 : x % y;
        *r = m + ((m != 0 && ((m < 0) != (y < 0))) ? y : 0);
      }
      break;
  }
  return auk_decimal_fits(*r, rp);
}

auk_status k_decimal_arith(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  auk_array *o = k_new(b->type, n, err);
  if (!o) return err->code;
  int nv = b->fn == FN_NEG ? 1 : 2;
  auk_status st = k_and_validity(o, args, nv, err);
  if (st || (o->null_count == n && n > 0)) goto done;
  int64_t *r = auk_array_data(o);
  int sa = auk_decimal_scale(b->args[0]->type);
  int sc = nv > 1 ? auk_decimal_scale(b->args[1]->type) : 0;
  int rs = auk_decimal_scale(b->type), rp = auk_decimal_precision(b->type);
  int64_t zeros = 0;
  for (int64_t i = 0; i < n; i++) {
    int ok = arith_one(b->fn, kv(&args[0], i), nv > 1 ? kv(&args[1], i) : 0, sa, sc, rs, rp, &r[i]);
    if (ok == 1) continue;
    if (!valid_at(o, i)) { /* a null slot's garbage */
      r[i] = 0;
      continue;
    }
    if (ok < 0) { /* % by zero: null, as for integers */
      r[i] = 0;
      if (!o->validity && (st = auk_array_add_validity(o, err))) goto done;
      auk_bit_clear(o->validity->data, i);
      zeros++;
      continue;
    }
    st = overflow(b, args, i, err);
    goto done;
  }
  if (zeros) o->null_count = n - auk_bitmap_count(o->validity->data, 0, n);
done:
  if (st) {
    auk_array_release(o);
    return st;
  }
  *out = o;
  return AUK_OK;
}

/* abs, round(x [, digits]), floor, ceil: the result type (bind.c) has the
 * scale the value is rounded to. */
auk_status k_decimal_math(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  auk_array *o = k_new(b->type, n, err);
  if (!o) return err->code;
  auk_status st = k_and_validity(o, args, 1, err);
  if (st || (o->null_count == n && n > 0)) goto done;
  int64_t *r = auk_array_data(o);
  int s = auk_decimal_scale(b->args[0]->type);
  int rs = auk_decimal_scale(b->type), rp = auk_decimal_precision(b->type);
  /* digits to keep: round(x, d) with d < 0 rounds to tens, hundreds... */
  int64_t d = b->fn == FN_ROUND ? (b->nargs > 1 ? args[1].s->i : 0) : 0;
  if (d > s) d = s;
  if (d < -18) d = -18;
  for (int64_t i = 0; i < n; i++) {
    int64_t x = kv(&args[0], i), v = x;
    int ok = 1;
    if (b->fn == FN_ABS) {
      v = x < 0 ? -x : x; /* |x| < 10^18: no overflow */
    } else if (b->fn == FN_FLOOR || b->fn == FN_CEIL) {
      int64_t p = auk_pow10_i64[s], q = x / p, m = x % p;
      if (b->fn == FN_FLOOR && m < 0) q--;
      if (b->fn == FN_CEIL && m > 0) q++;
      v = q;
    } else { /* FN_ROUND */
      int64_t t;
      if (d >= 0) {
        auk_decimal_rescale(x, s, (int)d, &t); /* to d digits */
        ok = auk_decimal_rescale(t, (int)d, rs, &v);
      } else {
        auk_decimal_rescale(x, s, 0, &t);
        int64_t p = auk_pow10_i64[-d], q = t / p, m = t % p;
        if (m > 0 && m >= p - m) q++;
        if (m < 0 && -m >= p + m) q--;
        ok = !__builtin_mul_overflow(q, p, &t) && auk_decimal_rescale(t, 0, rs, &v);
      }
    }
    if (ok && auk_decimal_fits(v, rp)) {
      r[i] = v;
      continue;
    }
    if (!valid_at(o, i)) continue;
    st = overflow(b, args, i, err);
    goto done;
  }
done:
  if (st) {
    auk_array_release(o);
    return st;
  }
  *out = o;
  return AUK_OK;
}

/* ---------------------------------------------------------- comparisons */

void k_decimal_compare(expr_fn fn, auk_type_id tx, auk_type_id ty, const kd *x, const kd *y,
                       int64_t n, uint8_t *bits) {
  int sx = auk_decimal_scale(tx), sy = auk_decimal_scale(ty), s = sx > sy ? sx : sy;
  /* |v| < 2^63 times 10^18 < 2^123: the aligned values fit 128 bits */
  __int128 mx = auk_pow10_i64[s - sx], my = auk_pow10_i64[s - sy];
  memset(bits, 0, (size_t)auk_bitmap_bytes(n));
  for (int64_t i = 0; i < n; i++) {
    __int128 a = (__int128)kv(x, i) * mx, c = (__int128)kv(y, i) * my;
    int r;
    switch (fn) {
      case FN_EQ: r = a == c; break;
      case FN_NE: r = a != c; break;
      case FN_LT: r = a < c; break;
      case FN_LE: r = a <= c; break;
      case FN_GT: r = a > c; break;
      default: r = a >= c; break;
    }
    if (r) auk_bit_set(bits, i);
  }
}
