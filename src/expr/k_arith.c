/* k_arith.c - arithmetic and math kernels over i64 and f64 columns.
 *
 * Each operator is one loop per shape (column op column, column op scalar,
 * scalar op column). Integer +, -, * accumulate an overflow flag inside the
 * loop instead of branching, and only when it is set is the column scanned
 * again to name the offending row; overflow in a null slot is ignored.
 * Integer // and % by zero give null, as in Polars and DuckDB. */
#include "expr/kernel.h"

#include <math.h>

#define SHAPES(TA, TB, TR, XA, XB, BODY) \
  do {                                   \
    TR *r = auk_array_data(out);         \
    if (args[0].a && args[1].a) {        \
      const TA *xa = k_vals(args[0].a);  \
      const TB *xb = k_vals(args[1].a);  \
      for (int64_t i = 0; i < n; i++) {  \
        TA a = xa[i];                    \
        TB b = xb[i];                    \
        BODY;                            \
      }                                  \
    } else if (args[0].a) {              \
      const TA *xa = k_vals(args[0].a);  \
      const TB b = (TB)(XB);             \
      for (int64_t i = 0; i < n; i++) {  \
        TA a = xa[i];                    \
        BODY;                            \
      }                                  \
    } else {                             \
      const TA a = (TA)(XA);             \
      const TB *xb = k_vals(args[1].a);  \
      for (int64_t i = 0; i < n; i++) {  \
        TB b = xb[i];                    \
        BODY;                            \
      }                                  \
    }                                    \
  } while (0)

static int valid_at(const auk_array *out, int64_t i) {
  return !out->validity || auk_bit_get(out->validity->data, i);
}

static auk_status overflow_error(const bexpr *b, kd *args, auk_array *out, int64_t n,
                                 auk_error *err) {
  for (int64_t i = 0; i < n; i++) {
    if (!valid_at(out, i)) continue;
    int64_t a = args[0].a ? ((const int64_t *)k_vals(args[0].a))[i] : args[0].s->i;
    int64_t c =
        b->nargs > 1 ? (args[1].a ? ((const int64_t *)k_vals(args[1].a))[i] : args[1].s->i) : 0;
    int64_t r;
    int ov = 0;
    switch (b->fn) {
      case FN_ADD: ov = __builtin_add_overflow(a, c, &r); break;
      case FN_SUB: ov = __builtin_sub_overflow(a, c, &r); break;
      case FN_MUL: ov = __builtin_mul_overflow(a, c, &r); break;
      case FN_NEG:
      case FN_ABS: ov = a == INT64_MIN; break;
      default: ov = a == INT64_MIN && c == -1; break;
    }
    if (ov) {
      if (b->nargs > 1)
        return k_value_error(b, err, "integer overflow: %lld %s %lld does not fit in i64",
                             (long long)a, expr_fn_name(b->fn), (long long)c);
      return k_value_error(b, err, "integer overflow: %s of %lld does not fit in i64",
                           expr_fn_name(b->fn), (long long)a);
    }
  }
  return AUK_OK;
}

/* Nulls where the divisor is zero (integer // and %). */
static auk_status null_zero_divisors(auk_array *out, const kd *d, int64_t n, auk_error *err) {
  if (!d->a) return AUK_OK;
  const int64_t *y = k_vals(d->a);
  int64_t zeros = 0;
  for (int64_t i = 0; i < n; i++) zeros += y[i] == 0;
  if (!zeros) return AUK_OK;
  if (!out->validity && auk_array_add_validity(out, err)) return err->code;
  for (int64_t i = 0; i < n; i++)
    if (y[i] == 0) auk_bit_clear(out->validity->data, i);
  out->null_count = n - auk_bitmap_count(out->validity->data, 0, n);
  return AUK_OK;
}

static auk_status int_binary(const bexpr *b, kd *args, int64_t n, auk_array *out, auk_error *err) {
  int ov = 0;
  const int64_t sa = args[0].s ? args[0].s->i : 0, sb = args[1].s ? args[1].s->i : 0;
  switch (b->fn) {
    case FN_ADD:
      SHAPES(int64_t, int64_t, int64_t, sa, sb, ov |= __builtin_add_overflow(a, b, &r[i]));
      break;
    case FN_SUB:
      SHAPES(int64_t, int64_t, int64_t, sa, sb, ov |= __builtin_sub_overflow(a, b, &r[i]));
      break;
    case FN_MUL:
      SHAPES(int64_t, int64_t, int64_t, sa, sb, ov |= __builtin_mul_overflow(a, b, &r[i]));
      break;
    case FN_FLOORDIV:
      if (!args[1].a && sb == 0)
        return k_and_validity(out, &(kd){NULL, &(expr_value){.is_null = 1}}, 1, err);
      SHAPES(int64_t, int64_t, int64_t, sa, sb, {
        if (b == 0 || (a == INT64_MIN && b == -1)) {
          ov |= b == -1;
          r[i] = 0;
        } else {
          int64_t q = a / b;
          r[i] = q - ((a % b != 0) & ((a < 0) != (b < 0)));
        }
      });
      if (null_zero_divisors(out, &args[1], n, err)) return err->code;
      break;
    case FN_MOD:
      if (!args[1].a && sb == 0)
        return k_and_validity(out, &(kd){NULL, &(expr_value){.is_null = 1}}, 1, err);
      SHAPES(int64_t, int64_t, int64_t, sa, sb, {
        if (b == 0 || b == -1) {
          r[i] = 0;
        } else {
          int64_t m = a % b;
          r[i] = m + ((m != 0 && ((m < 0) != (b < 0))) ? b : 0);
        }
      });
      if (null_zero_divisors(out, &args[1], n, err)) return err->code;
      break;
    default: return auk_error_set(err, AUK_ERR_INTERNAL, "int_binary: %s", expr_fn_name(b->fn));
  }
  if (ov) return overflow_error(b, args, out, n, err);
  return AUK_OK;
}

static auk_status float_binary(const bexpr *b, kd *args, int64_t n, auk_array *out,
                               auk_error *err) {
  const double sa = args[0].s ? args[0].s->f : 0, sb = args[1].s ? args[1].s->f : 0;
  switch (b->fn) {
    case FN_ADD: SHAPES(double, double, double, sa, sb, r[i] = a + b); break;
    case FN_SUB: SHAPES(double, double, double, sa, sb, r[i] = a - b); break;
    case FN_MUL: SHAPES(double, double, double, sa, sb, r[i] = a * b); break;
    case FN_DIV: SHAPES(double, double, double, sa, sb, r[i] = a / b); break;
    case FN_FLOORDIV: SHAPES(double, double, double, sa, sb, r[i] = floor(a / b)); break;
    case FN_MOD:
      SHAPES(double, double, double, sa, sb, {
        double m = fmod(a, b);
        r[i] = (m != 0 && ((m < 0) != (b < 0))) ? m + b : m;
      });
      break;
    default: return auk_error_set(err, AUK_ERR_INTERNAL, "float_binary: %s", expr_fn_name(b->fn));
  }
  return AUK_OK;
}

/* date ± days, datetime ± microseconds, and differences of the two. */
static auk_status temporal_binary(const bexpr *b, kd *args, int64_t n, auk_array *out,
                                  auk_error *err) {
  const int64_t sa = args[0].s ? args[0].s->i : 0, sb = args[1].s ? args[1].s->i : 0;
  int ov = 0;
  auk_type_id l = b->args[0]->type;
  if (l == AUK_TYPE_DATE && b->type == AUK_TYPE_INT64) {
    SHAPES(int32_t, int32_t, int64_t, sa, sb, r[i] = (int64_t)a - b);
  } else if (l == AUK_TYPE_DATE) {
    int64_t sign = b->fn == FN_SUB ? -1 : 1;
    SHAPES(int32_t, int64_t, int32_t, sa, sb, {
      int64_t v = (int64_t)a + sign * b;
      ov |= v < INT32_MIN || v > INT32_MAX;
      r[i] = (int32_t)v;
    });
  } else if (b->fn == FN_SUB) {
    SHAPES(int64_t, int64_t, int64_t, sa, sb, ov |= __builtin_sub_overflow(a, b, &r[i]));
  } else {
    SHAPES(int64_t, int64_t, int64_t, sa, sb, ov |= __builtin_add_overflow(a, b, &r[i]));
  }
  if (ov) return k_value_error(b, err, "date arithmetic out of range");
  return AUK_OK;
}

auk_status k_arith(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  if (auk_type_is_decimal(b->type)) return k_decimal_arith(b, args, n, out, err);
  auk_array *o = k_new(b->type, n, err);
  if (!o) return err->code;
  auk_status st = k_and_validity(o, args, b->nargs, err);
  if (!st && !(o->null_count == n && n > 0)) {
    if (b->fn == FN_NEG) {
      if (b->type == AUK_TYPE_FLOAT64) {
        const double *x = k_vals(args[0].a);
        double *r = auk_array_data(o);
        for (int64_t i = 0; i < n; i++) r[i] = -x[i];
      } else {
        const int64_t *x = k_vals(args[0].a);
        int64_t *r = auk_array_data(o);
        int ov = 0;
        for (int64_t i = 0; i < n; i++) ov |= __builtin_sub_overflow((int64_t)0, x[i], &r[i]);
        if (ov) st = overflow_error(b, args, o, n, err);
      }
    } else if (auk_type_is_temporal(b->args[0]->type)) {
      st = temporal_binary(b, args, n, o, err);
    } else if (b->args[0]->type == AUK_TYPE_FLOAT64) {
      st = float_binary(b, args, n, o, err);
    } else {
      st = int_binary(b, args, n, o, err);
    }
  }
  if (st) {
    auk_array_release(o);
    return st;
  }
  *out = o;
  return AUK_OK;
}

/* ---------------------------------------------------------------- math */

static double round_to(double x, int64_t digits) {
  if (digits == 0) return round(x);
  if (digits > 15 || digits < -15) return digits > 0 ? x : 0;
  double s = pow(10.0, (double)(digits < 0 ? -digits : digits));
  return digits > 0 ? round(x * s) / s : round(x / s) * s;
}

auk_status k_math(const bexpr *b, kd *args, int64_t n, auk_array **result, auk_error *err) {
  if (auk_type_is_decimal(b->type)) return k_decimal_math(b, args, n, result, err);
  auk_array *o = k_new(b->type, n, err);
  if (!o) return err->code;
  int nv = b->fn == FN_POW ? 2 : 1;
  auk_status st = k_and_validity(o, args, nv, err);
  if (st) goto done;
  if (o->null_count == n && n > 0) goto done;
  if (b->type == AUK_TYPE_INT64) {
    const int64_t *x = k_vals(args[0].a);
    int64_t *r = auk_array_data(o);
    if (b->fn == FN_ABS) {
      int ov = 0;
      for (int64_t i = 0; i < n; i++) {
        ov |= x[i] == INT64_MIN;
        r[i] = x[i] < 0 && x[i] != INT64_MIN ? -x[i] : x[i]; /* INT64_MIN: overflow, below */
      }
      if (ov) st = overflow_error(b, args, o, n, err);
    } else if (b->fn == FN_ROUND && b->nargs > 1 && args[1].s->i < 0) {
      int64_t d = args[1].s->i < -18 ? -18 : args[1].s->i, s = 1;
      for (int64_t k = 0; k < -d; k++) s *= 10;
      for (int64_t i = 0; i < n; i++) {
        int64_t q = x[i] / s, m = x[i] % s;
        if (m * 2 >= s) q++;
        if (m * 2 <= -s) q--;
        r[i] = q * s;
      }
    } else {
      memcpy(r, x, sizeof(int64_t) * (size_t)n); /* floor, ceil, round of integers */
    }
    goto done;
  }
  const double *x = args[0].a ? k_vals(args[0].a) : NULL;
  double *r = auk_array_data(o);
  switch (b->fn) {
    case FN_ABS:
      for (int64_t i = 0; i < n; i++) r[i] = fabs(x[i]);
      break;
    case FN_ROUND: {
      int64_t d = b->nargs > 1 ? args[1].s->i : 0;
      for (int64_t i = 0; i < n; i++) r[i] = round_to(x[i], d);
      break;
    }
    case FN_FLOOR:
      for (int64_t i = 0; i < n; i++) r[i] = floor(x[i]);
      break;
    case FN_CEIL:
      for (int64_t i = 0; i < n; i++) r[i] = ceil(x[i]);
      break;
    case FN_SQRT:
      for (int64_t i = 0; i < n; i++) r[i] = sqrt(x[i]);
      break;
    case FN_LOG:
      for (int64_t i = 0; i < n; i++) r[i] = log(x[i]);
      break;
    case FN_EXP:
      for (int64_t i = 0; i < n; i++) r[i] = exp(x[i]);
      break;
    case FN_LOG10:
      for (int64_t i = 0; i < n; i++) r[i] = log10(x[i]);
      break;
    case FN_LOG2:
      for (int64_t i = 0; i < n; i++) r[i] = log2(x[i]);
      break;
    case FN_POW: {
      const double sa = args[0].s ? args[0].s->f : 0, sb = args[1].s ? args[1].s->f : 0;
      auk_array *out = o;
      SHAPES(double, double, double, sa, sb, r[i] = pow(a, b));
      break;
    }
    default: st = auk_error_set(err, AUK_ERR_INTERNAL, "k_math: %s", expr_fn_name(b->fn));
  }
done:
  if (st) {
    auk_array_release(o);
    return st;
  }
  *result = o;
  return AUK_OK;
}
