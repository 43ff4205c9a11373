/* format.c - formatting values as text. */
#include "io/format.h"

#include "core/datetime.h"
#include "core/decimal.h"
#include "core/types.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int auk_format_uint(uint64_t v, char *out) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  out[n] = 0;
  return n;
}

int auk_format_int(int64_t v, char *out) {
  if (v < 0) {
    out[0] = '-';
    return 1 + auk_format_uint(0 - (uint64_t)v, out + 1);
  }
  return auk_format_uint((uint64_t)v, out);
}

static int finish_float(char *out, int n) {
  if (!strpbrk(out, ".eEni")) { /* integral: keep it visibly a float */
    out[n++] = '.';
    out[n++] = '0';
    out[n] = 0;
  }
  return n;
}

static const double pow10_tab[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* Fixed notation with the fewest fraction digits k that read back exactly:
 * m = v * 10^k rounded, accepted when m / 10^k == v. Below 2^53 that
 * division is exact-then-rounded, the same as any correct parser's reading
 * of the text, so the check is the round trip itself. Returns 0 when no k
 * up to 15 works (or v is out of range) and snprintf must decide. */
static int format_fixed(double v, char *out) {
  double a = fabs(v);
  if (!(a < 1e15) || (a != 0 && a < 1e-5)) return 0;
  for (int k = 0; k < 16; k++) {
    double m = nearbyint(v * pow10_tab[k]);
    if (fabs(m) >= 9007199254740992.0) return 0;
    if (m / pow10_tab[k] != v) continue;
    uint64_t um = (uint64_t)fabs(m), p = (uint64_t)pow10_tab[k];
    int n = 0;
    if (signbit(v)) out[n++] = '-';
    n += auk_format_uint(um / p, out + n);
    out[n++] = '.';
    if (k == 0) {
      out[n++] = '0';
    } else {
      uint64_t frac = um % p;
      for (int i = k - 1; i >= 0; i--) {
        out[n + i] = (char)('0' + frac % 10);
        frac /= 10;
      }
      n += k;
    }
    out[n] = 0;
    return n;
  }
  return 0;
}

int auk_format_double(double v, char *out) {
  if (isnan(v)) return (int)(strcpy(out, "NaN"), 3);
  if (isinf(v)) return v > 0 ? (int)(strcpy(out, "inf"), 3) : (int)(strcpy(out, "-inf"), 4);
  int n = format_fixed(v, out);
  if (n) return n;
  for (int prec = 15; prec <= 17; prec++) {
    n = snprintf(out, AUK_FORMAT_MAX, "%.*g", prec, v);
    if (strtod(out, NULL) == v) break;
  }
  return finish_float(out, n);
}

int auk_format_float(float v, char *out) {
  if (isnan(v) || isinf(v)) return auk_format_double(v, out);
  int n = 0;
  for (int prec = 6; prec <= 9; prec++) {
    n = snprintf(out, AUK_FORMAT_MAX, "%.*g", prec, (double)v);
    if (strtof(out, NULL) == v) break;
  }
  return finish_float(out, n);
}

int auk_format_value(const auk_array *a, int64_t i, char *out) {
  const void *d = a->values ? a->values->data : NULL;
  int64_t k = a->offset + i;
  if (auk_type_is_decimal(a->type))
    return auk_decimal_format(((const int64_t *)d)[k], auk_decimal_scale(a->type), out);
  switch (a->type) {
    case AUK_TYPE_BOOL:
      return auk_bit_get(d, k) ? (int)(strcpy(out, "true"), 4) : (int)(strcpy(out, "false"), 5);
    case AUK_TYPE_INT8: return auk_format_int(((const int8_t *)d)[k], out);
    case AUK_TYPE_INT16: return auk_format_int(((const int16_t *)d)[k], out);
    case AUK_TYPE_INT32: return auk_format_int(((const int32_t *)d)[k], out);
    case AUK_TYPE_INT64: return auk_format_int(((const int64_t *)d)[k], out);
    case AUK_TYPE_UINT8: return auk_format_uint(((const uint8_t *)d)[k], out);
    case AUK_TYPE_UINT16: return auk_format_uint(((const uint16_t *)d)[k], out);
    case AUK_TYPE_UINT32: return auk_format_uint(((const uint32_t *)d)[k], out);
    case AUK_TYPE_UINT64: return auk_format_uint(((const uint64_t *)d)[k], out);
    case AUK_TYPE_FLOAT32: return auk_format_float(((const float *)d)[k], out);
    case AUK_TYPE_FLOAT64: return auk_format_double(((const double *)d)[k], out);
    case AUK_TYPE_DATE: return auk_format_date(((const int32_t *)d)[k], out);
    case AUK_TYPE_DATETIME: return auk_format_datetime(((const int64_t *)d)[k], out);
    default: out[0] = 0; return 0;
  }
}
