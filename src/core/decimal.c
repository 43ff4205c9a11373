/* decimal.c - rescaling, parsing and printing of int64 decimals. */
#include "core/decimal.h"

#include <math.h>
#include <string.h>

const int64_t auk_pow10_i64[19] = {1,
                                   10,
                                   100,
                                   1000,
                                   10000,
                                   100000,
                                   1000000,
                                   10000000,
                                   100000000,
                                   1000000000,
                                   10000000000,
                                   100000000000,
                                   1000000000000,
                                   10000000000000,
                                   100000000000000,
                                   1000000000000000,
                                   10000000000000000,
                                   100000000000000000,
                                   1000000000000000000};

int auk_decimal_rescale(int64_t v, int from, int to, int64_t *out) {
  if (to >= from) {
    if (to - from > 18) return v == 0 ? (*out = 0, 1) : 0;
    return !__builtin_mul_overflow(v, auk_pow10_i64[to - from], out);
  }
  if (from - to > 18) {
    *out = 0;
    return 1;
  }
  int64_t p = auk_pow10_i64[from - to], q = v / p, r = v % p;
  /* half away from zero: |r| >= p / 2, written without overflow */
  if (r > 0 && r >= p - r) q++;
  if (r < 0 && -r >= p + r) q--;
  *out = q;
  return 1;
}

int auk_decimal_parse(const char *t, int64_t n, int p, int s, int64_t *out) {
  int64_t i = 0;
  while (i < n && (t[i] == ' ' || t[i] == '\t')) i++;
  while (n > i && (t[n - 1] == ' ' || t[n - 1] == '\t')) n--;
  int neg = 0;
  if (i < n && (t[i] == '-' || t[i] == '+')) neg = t[i++] == '-';
  /* value = m * 10^e, m holding the first 19 significant digits; only the
   * first digit dropped after them matters for rounding half away */
  uint64_t m = 0;
  int kept = 0, ndigits = 0, seen_point = 0, dropped = -1, e = 0;
  for (; i < n; i++) {
    char c = t[i];
    if (c == '.') {
      if (seen_point) return 0;
      seen_point = 1;
      continue;
    }
    if (c < '0' || c > '9') break;
    ndigits = 1;
    if (kept < 19) {
      m = m * 10 + (uint64_t)(c - '0');
      kept += m != 0;
      if (e > -100000) e -= seen_point;
    } else {
      if (dropped < 0) dropped = c - '0';
      if (e < 100000) e += !seen_point; /* past that it cannot fit anyway */
    }
  }
  if (ndigits == 0) return 0;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    i++;
    int eneg = 0, x = 0;
    if (i < n && (t[i] == '-' || t[i] == '+')) eneg = t[i++] == '-';
    if (i >= n) return 0;
    for (; i < n; i++) {
      if (t[i] < '0' || t[i] > '9') return 0;
      if (x < 10000) x = x * 10 + (t[i] - '0');
    }
    e += eneg ? -x : x;
  }
  if (i != n) return 0;
  uint64_t r;
  int sh = e + s; /* r = m * 10^sh */
  if (m == 0) {
    r = 0;
  } else if (sh >= 0) {
    if (sh > 18 || (dropped >= 0 && sh > 0)) return 0;
    if (__builtin_mul_overflow(m, (uint64_t)auk_pow10_i64[sh], &r)) return 0;
    if (dropped >= 5) r++;
  } else if (-sh > 19) {
    r = 0; /* m < 10^19: below half of the last kept digit */
  } else {
    uint64_t pw = -sh == 19 ? UINT64_C(10000000000000000000) : (uint64_t)auk_pow10_i64[-sh];
    uint64_t rem = m % pw;
    r = m / pw + (rem >= pw - rem);
  }
  if (r >= (uint64_t)auk_pow10_i64[p]) return 0;
  *out = neg ? -(int64_t)r : (int64_t)r;
  return 1;
}

int auk_decimal_format(int64_t v, int s, char *out) {
  char tmp[24];
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  int n = 0;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  while (n < s + 1) tmp[n++] = '0'; /* at least one integer digit */
  int o = 0;
  if (v < 0) out[o++] = '-';
  for (int i = n - 1; i >= 0; i--) {
    out[o++] = tmp[i];
    if (i == s && s > 0) out[o++] = '.';
  }
  out[o] = 0;
  return o;
}

int auk_decimal_from_double(double d, int p, int s, int64_t *out) {
  if (!isfinite(d)) return 0;
  double x = d * (double)auk_pow10_i64[s];
  x = round(x); /* half away from zero */
  if (!(fabs(x) < (double)auk_pow10_i64[p])) return 0;
  int64_t v = (int64_t)x;
  if (!auk_decimal_fits(v, p)) return 0;
  *out = v;
  return 1;
}

auk_type_id auk_decimal_of_integer(auk_type_id t) {
  switch (t) {
    case AUK_TYPE_BOOL: return AUK_DECIMAL(1, 0);
    case AUK_TYPE_INT8:
    case AUK_TYPE_UINT8: return AUK_DECIMAL(3, 0);
    case AUK_TYPE_INT16:
    case AUK_TYPE_UINT16: return AUK_DECIMAL(5, 0);
    case AUK_TYPE_INT32:
    case AUK_TYPE_UINT32: return AUK_DECIMAL(10, 0);
    default: return AUK_DECIMAL(18, 0);
  }
}

auk_type_id auk_decimal_common(auk_type_id a, auk_type_id b) {
  if (a == AUK_TYPE_BOOL || (a >= AUK_TYPE_INT8 && a <= AUK_TYPE_UINT64))
    a = auk_decimal_of_integer(a);
  if (b == AUK_TYPE_BOOL || (b >= AUK_TYPE_INT8 && b <= AUK_TYPE_UINT64))
    b = auk_decimal_of_integer(b);
  if (auk_type_is_decimal(a) && auk_type_is_decimal(b)) {
    int pa = auk_decimal_precision(a), sa = auk_decimal_scale(a);
    int pb = auk_decimal_precision(b), sb = auk_decimal_scale(b);
    int s = sa > sb ? sa : sb, ia = pa - sa, ib = pb - sb;
    int p = (ia > ib ? ia : ib) + s;
    return AUK_DECIMAL(p > AUK_DECIMAL_MAX_PRECISION ? AUK_DECIMAL_MAX_PRECISION : p, s);
  }
  if (a == AUK_TYPE_FLOAT32 || a == AUK_TYPE_FLOAT64 || b == AUK_TYPE_FLOAT32 ||
      b == AUK_TYPE_FLOAT64)
    return AUK_TYPE_FLOAT64;
  return AUK_TYPE_COUNT_;
}
