/* format.c - formatting values as text. */
#include "io/format.h"

#include "core/datetime.h"
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

int auk_format_double(double v, char *out) {
  if (isnan(v)) return (int)(strcpy(out, "NaN"), 3);
  if (isinf(v)) return v > 0 ? (int)(strcpy(out, "inf"), 3) : (int)(strcpy(out, "-inf"), 4);
  int n = 0;
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
