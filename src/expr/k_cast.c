/* k_cast.c - casts between every pair of types binding allows.
 *
 * Numbers go through one wide intermediate column (i64 for integers,
 * booleans and temporal storage; f64 for floats; u64 above i64's range),
 * so each direction is two tight loops instead of a loop per type pair.
 * A value that does not convert (out of range, NaN to integer, text that
 * is not a number) is an error naming it under a strict cast, and null
 * otherwise. Floats cast to integers truncate toward zero, as in Polars. */
#include "core/textparse.h"
#include "core/datetime.h"
#include "core/decimal.h"
#include "expr/kernel.h"
#include "io/format.h"

#include <math.h>
#include <stdio.h>

#define USEC_PER_DAY INT64_C(86400000000)

typedef struct wide {
  int is_float;
  int64_t *i;
  double *f;
} wide;

static void load(const auk_array *a, int64_t n, wide *w) {
  const void *d = k_vals(a);
  switch (a->type) {
#define L(T, DST) \
  for (int64_t k = 0; k < n; k++) w->DST[k] = ((const T *)d)[k];
    case AUK_TYPE_INT8: L(int8_t, i) break;
    case AUK_TYPE_INT16: L(int16_t, i) break;
    case AUK_TYPE_INT32:
    case AUK_TYPE_DATE: L(int32_t, i) break;
    case AUK_TYPE_INT64:
    case AUK_TYPE_DATETIME:
    case AUK_TYPE_UINT64: /* checked by the caller */ L(int64_t, i) break;
    case AUK_TYPE_UINT8: L(uint8_t, i) break;
    case AUK_TYPE_UINT16: L(uint16_t, i) break;
    case AUK_TYPE_UINT32: L(uint32_t, i) break;
    case AUK_TYPE_FLOAT32: L(float, f) break;
    case AUK_TYPE_FLOAT64: L(double, f) break;
    case AUK_TYPE_BOOL:
      for (int64_t k = 0; k < n; k++) w->i[k] = auk_bit_get(k_bits(a), k);
      break;
    default: break;
#undef L
  }
}

/* bad[k] = 1 where the wide value does not fit `to`. */
static int store(const wide *w, auk_type_id from, auk_type_id to, int64_t n, void *out,
                 uint8_t *bad) {
  int any = 0;
  if (w->is_float) {
    const double *f = w->f;
    switch (to) {
      case AUK_TYPE_FLOAT64: memcpy(out, f, sizeof(double) * (size_t)n); return 0;
      case AUK_TYPE_FLOAT32:
        for (int64_t k = 0; k < n; k++) ((float *)out)[k] = (float)f[k];
        return 0;
      case AUK_TYPE_BOOL:
        memset(out, 0, (size_t)auk_bitmap_bytes(n));
        for (int64_t k = 0; k < n; k++)
          if (f[k] != 0) auk_bit_set(out, k);
        return 0;
      default: break;
    }
    double lo, hi; /* the open interval that truncates into range */
    switch (to) {
      case AUK_TYPE_INT8: lo = -129.0, hi = 128.0; break;
      case AUK_TYPE_INT16: lo = -32769.0, hi = 32768.0; break;
      case AUK_TYPE_INT32:
      case AUK_TYPE_DATE: lo = -2147483649.0, hi = 2147483648.0; break;
      case AUK_TYPE_UINT8: lo = -1.0, hi = 256.0; break;
      case AUK_TYPE_UINT16: lo = -1.0, hi = 65536.0; break;
      case AUK_TYPE_UINT32: lo = -1.0, hi = 4294967296.0; break;
      case AUK_TYPE_UINT64: lo = -1.0, hi = 18446744073709551616.0; break;
      default: lo = -9223372036854777856.0, hi = 9223372036854775808.0; break;
    }
    for (int64_t k = 0; k < n; k++) {
      double v = f[k];
      int b = !(v > lo && v < hi);
      bad[k] = (uint8_t)b;
      any |= b;
      double t = b ? 0 : trunc(v);
      switch (to) {
        case AUK_TYPE_INT8: ((int8_t *)out)[k] = (int8_t)t; break;
        case AUK_TYPE_INT16: ((int16_t *)out)[k] = (int16_t)t; break;
        case AUK_TYPE_INT32:
        case AUK_TYPE_DATE: ((int32_t *)out)[k] = (int32_t)t; break;
        case AUK_TYPE_UINT8: ((uint8_t *)out)[k] = (uint8_t)t; break;
        case AUK_TYPE_UINT16: ((uint16_t *)out)[k] = (uint16_t)t; break;
        case AUK_TYPE_UINT32: ((uint32_t *)out)[k] = (uint32_t)t; break;
        case AUK_TYPE_UINT64: ((uint64_t *)out)[k] = (uint64_t)t; break;
        default: ((int64_t *)out)[k] = (int64_t)t; break;
      }
    }
    return any;
  }
  const int64_t *x = w->i;
  int from_u64 = from == AUK_TYPE_UINT64;
  /* temporal <-> temporal changes units */
  if (from == AUK_TYPE_DATE && to == AUK_TYPE_DATETIME) {
    for (int64_t k = 0; k < n; k++) ((int64_t *)out)[k] = x[k] * USEC_PER_DAY;
    return 0;
  }
  if (from == AUK_TYPE_DATETIME && to == AUK_TYPE_DATE) {
    for (int64_t k = 0; k < n; k++) {
      int64_t q = x[k] / USEC_PER_DAY;
      ((int32_t *)out)[k] = (int32_t)(q - (x[k] % USEC_PER_DAY < 0));
    }
    return 0;
  }
  switch (to) {
    case AUK_TYPE_FLOAT64:
      for (int64_t k = 0; k < n; k++)
        ((double *)out)[k] = from_u64 ? (double)(uint64_t)x[k] : (double)x[k];
      return 0;
    case AUK_TYPE_FLOAT32:
      for (int64_t k = 0; k < n; k++)
        ((float *)out)[k] = from_u64 ? (float)(uint64_t)x[k] : (float)x[k];
      return 0;
    case AUK_TYPE_BOOL:
      memset(out, 0, (size_t)auk_bitmap_bytes(n));
      for (int64_t k = 0; k < n; k++)
        if (x[k]) auk_bit_set(out, k);
      return 0;
    case AUK_TYPE_UINT64:
      for (int64_t k = 0; k < n; k++) {
        bad[k] = (uint8_t)(!from_u64 && x[k] < 0);
        any |= bad[k];
        ((int64_t *)out)[k] = x[k];
      }
      return any;
    case AUK_TYPE_INT64:
    case AUK_TYPE_DATETIME:
      for (int64_t k = 0; k < n; k++) {
        bad[k] = (uint8_t)(from_u64 && x[k] < 0);
        any |= bad[k];
        ((int64_t *)out)[k] = x[k];
      }
      return any;
    default: break;
  }
  int64_t lo, hi;
  switch (to) {
    case AUK_TYPE_INT8: lo = INT8_MIN, hi = INT8_MAX; break;
    case AUK_TYPE_INT16: lo = INT16_MIN, hi = INT16_MAX; break;
    case AUK_TYPE_UINT8: lo = 0, hi = UINT8_MAX; break;
    case AUK_TYPE_UINT16: lo = 0, hi = UINT16_MAX; break;
    case AUK_TYPE_UINT32: lo = 0, hi = UINT32_MAX; break;
    default: lo = INT32_MIN, hi = INT32_MAX; break;
  }
  for (int64_t k = 0; k < n; k++) {
    int b = x[k] < lo || x[k] > hi || (from_u64 && x[k] < 0);
    bad[k] = (uint8_t)b;
    any |= b;
    switch (to) {
      case AUK_TYPE_INT8: ((int8_t *)out)[k] = (int8_t)x[k]; break;
      case AUK_TYPE_INT16: ((int16_t *)out)[k] = (int16_t)x[k]; break;
      case AUK_TYPE_UINT8: ((uint8_t *)out)[k] = (uint8_t)x[k]; break;
      case AUK_TYPE_UINT16: ((uint16_t *)out)[k] = (uint16_t)x[k]; break;
      case AUK_TYPE_UINT32: ((uint32_t *)out)[k] = (uint32_t)x[k]; break;
      default: ((int32_t *)out)[k] = (int32_t)x[k]; break;
    }
  }
  return any;
}

static auk_status cast_failed(const bexpr *b, const char *text, int64_t len, auk_type_id to,
                              auk_error *err) {
  char q[200] = "";
  auk_error_quote(q, sizeof q, text, (size_t)len);
  return k_value_error(b, err, "cannot cast %s to %s", q, auk_type_name(to));
}

/* Text to `to`, one value; 1 on success. */
static int parse_text(const char *s, int64_t len, auk_type_id to, void *out, int64_t k) {
  switch (to) {
    case AUK_TYPE_BOOL: {
      int v;
      if (!auk_parse_bool(s, len, &v)) return 0;
      if (v)
        auk_bit_set(out, k);
      else
        auk_bit_clear(out, k);
      return 1;
    }
    case AUK_TYPE_FLOAT64: return auk_parse_f64(s, len, &((double *)out)[k]);
    case AUK_TYPE_FLOAT32: {
      double d;
      if (!auk_parse_f64(s, len, &d)) return 0;
      ((float *)out)[k] = (float)d;
      return 1;
    }
    case AUK_TYPE_DATE: return auk_parse_date(s, (size_t)len, &((int32_t *)out)[k]);
    case AUK_TYPE_DATETIME:
      return auk_parse_datetime(s, (size_t)len, &((int64_t *)out)[k]) ||
             auk_parse_datetime_tz(s, (size_t)len, &((int64_t *)out)[k]);
    case AUK_TYPE_UINT64: {
      uint64_t v;
      if (!auk_parse_u64(s, len, &v)) return 0;
      ((uint64_t *)out)[k] = v;
      return 1;
    }
    default: {
      int64_t v;
      if (!auk_parse_i64(s, len, &v)) return 0;
      wide w = {0, &v, NULL};
      uint8_t bad = 0;
      store(&w, AUK_TYPE_INT64, to, 1, (uint8_t *)out + k * auk_type_width(to), &bad);
      return !bad;
    }
  }
}

static auk_status to_string(auk_array *a, int64_t n, auk_array **out, auk_error *err) {
  auk_string_builder sb;
  if (auk_string_builder_init(&sb, n, n * 8, err)) return err->code;
  char buf[AUK_FORMAT_MAX];
  for (int64_t k = 0; k < n; k++) {
    auk_status st;
    if (!auk_array_is_valid(a, k) || a->type == AUK_TYPE_NULL) {
      st = auk_string_builder_append_null(&sb, err);
    } else {
      int len = auk_format_value(a, k, buf);
      st = auk_string_builder_append(&sb, buf, len, err);
    }
    if (st) {
      auk_string_builder_reset(&sb);
      return st;
    }
  }
  *out = auk_string_builder_finish(&sb, err);
  return *out ? AUK_OK : err->code;
}

auk_status k_cast_unfit(const bexpr *b, const auk_array *a, auk_array *o, uint8_t *bad,
                        auk_type_id to, int strict, auk_error *err) {
  int64_t n = a->length, nbad = 0;
  for (int64_t k = 0; k < n; k++) {
    if (!bad[k]) continue;
    if (!auk_array_is_valid(a, k)) {
      bad[k] = 0;
      continue;
    }
    if (strict) {
      char text[AUK_FORMAT_MAX];
      int len = auk_format_value(a, k, text);
      return k_value_error(b, err, "cannot cast %.*s to %s: out of range", len, text,
                           auk_type_name(to));
    }
    nbad++;
  }
  if (!nbad) return AUK_OK;
  if (!o->validity && auk_array_add_validity(o, err)) return err->code;
  for (int64_t k = 0; k < n; k++)
    if (bad[k]) auk_bit_clear(o->validity->data, k);
  o->null_count = n - auk_bitmap_count(o->validity->data, 0, n);
  return AUK_OK;
}

auk_status k_cast_array(const bexpr *b, auk_array *a, auk_type_id to, int strict, auk_array **out,
                        auk_error *err) {
  int64_t n = a->length;
  if (a->type == to) {
    *out = auk_array_retain(a);
    return AUK_OK;
  }
  if (a->type == AUK_TYPE_NULL || (n > 0 && a->null_count == n)) {
    *out = auk_array_new_nulls(to, n, err);
    return *out ? AUK_OK : err->code;
  }
  if (to == AUK_TYPE_STRING) return to_string(a, n, out, err);
  if (auk_type_is_decimal(to) || auk_type_is_decimal(a->type))
    return k_decimal_cast(b, a, to, strict, out, err);
  auk_array *o = k_new(to, n, err);
  if (!o) return err->code;
  kd self = {a, NULL};
  auk_status st = k_and_validity(o, &self, 1, err);
  uint8_t *bad = NULL;
  wide w = {0, NULL, NULL};
  if (st) goto fail;
  if (!(bad = auk_mem_calloc((size_t)n + 1, err))) goto fail;
  void *r = auk_array_data(o);
  if (a->type == AUK_TYPE_STRING) {
    if (to == AUK_TYPE_BOOL) memset(r, 0, (size_t)auk_bitmap_bytes(n));
    for (int64_t k = 0; k < n; k++) {
      if (!auk_array_is_valid(a, k)) continue;
      int64_t len;
      const char *s = auk_array_str(a, k, &len);
      if (parse_text(s, len, to, r, k)) continue;
      if (strict) {
        st = cast_failed(b, s, len, to, err);
        goto fail;
      }
      bad[k] = 1;
    }
  } else {
    w.is_float = auk_type_is_float(a->type);
    size_t bytes = sizeof(int64_t) * (size_t)n;
    if (w.is_float)
      w.f = auk_mem_alloc(bytes, err);
    else
      w.i = auk_mem_alloc(bytes, err);
    if (!w.f && !w.i) goto fail;
    load(a, n, &w);
    store(&w, a->type, to, n, r, bad);
  }
  if ((st = k_cast_unfit(b, a, o, bad, to, strict, err))) goto fail;
  if (w.f) auk_mem_free(w.f, sizeof(int64_t) * (size_t)n);
  if (w.i) auk_mem_free(w.i, sizeof(int64_t) * (size_t)n);
  auk_mem_free(bad, (size_t)n + 1);
  *out = o;
  return AUK_OK;
fail:
  if (w.f) auk_mem_free(w.f, sizeof(int64_t) * (size_t)n);
  if (w.i) auk_mem_free(w.i, sizeof(int64_t) * (size_t)n);
  if (bad) auk_mem_free(bad, (size_t)n + 1);
  auk_array_release(o);
  return st ? st : err->code;
}

auk_status k_cast_value(const expr_value *v, auk_type_id to, int strict, expr_value *out,
                        auk_error *err) {
  memset(out, 0, sizeof *out);
  out->type = to;
  if (v->is_null || v->type == AUK_TYPE_NULL) {
    out->is_null = 1;
    return AUK_OK;
  }
  auk_array *a, *c;
  if (k_broadcast(v, 1, &a, err)) return err->code;
  auk_status st = k_cast_array(NULL, a, to, strict, &c, err);
  auk_array_release(a);
  if (st) return st;
  st = k_array_value(c, 0, out, err);
  auk_array_release(c);
  return st;
}

void k_value_text(const expr_value *v, char *buf, size_t cap) {
  if (v->is_null) {
    snprintf(buf, cap, "null");
  } else if (v->type == AUK_TYPE_STRING) {
    if (cap) buf[0] = 0;
    auk_error_quote(buf, cap, v->s, (size_t)v->len);
  } else if (v->type == AUK_TYPE_FLOAT64 || v->type == AUK_TYPE_FLOAT32) {
    snprintf(buf, cap, "%.17g", v->f);
  } else if (auk_type_is_decimal(v->type)) {
    char t[32];
    auk_decimal_format(v->i, auk_decimal_scale(v->type), t);
    snprintf(buf, cap, "%s", t);
  } else {
    snprintf(buf, cap, "%lld", (long long)v->i);
  }
}
