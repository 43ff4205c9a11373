/* csv_convert.c - turning a column of field spans into a typed array, and
 * classifying values for type inference. One tight loop per target type;
 * a validity bitmap is made only when the first null appears. */
#include "core/alloc.h"
#include "core/datetime.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/textparse.h"
#include "core/types.h"
#include "io/csv_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int csv_is_null(const csv_convert_opts *o, const char *s, int64_t len, uint32_t flags) {
  if (flags & CSV_QUOTED) return 0;
  if (len == 0) return 1;
  for (int i = 0; i < o->num_null_values; i++) {
    const char *nv = o->null_values[i];
    if ((int64_t)strlen(nv) == len && !memcmp(nv, s, (size_t)len)) return 1;
  }
  return 0;
}

/* --------------------------------------------------------- inference */

auk_type_id csv_classify(const char *s, int64_t len) {
  if (len == 0) return AUK_TYPE_NULL;
  int64_t iv;
  double dv;
  int bv;
  int32_t days;
  unsigned char c0 = (unsigned char)s[0];
  if ((c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '+' || c0 == '.') {
    if (auk_parse_i64(s, len, &iv)) return AUK_TYPE_INT64;
    if (len == 10 && auk_parse_date(s, (size_t)len, &days)) return AUK_TYPE_DATE;
    if (len > 10 && auk_parse_datetime(s, (size_t)len, &iv)) return AUK_TYPE_DATETIME;
    if (len > 16 && auk_parse_datetime_tz(s, (size_t)len, &iv)) return CSV_TYPE_DATETIME_UTC;
    if (auk_parse_f64(s, len, &dv)) return AUK_TYPE_FLOAT64;
    return AUK_TYPE_STRING;
  }
  if (auk_parse_bool(s, len, &bv)) return AUK_TYPE_BOOL;
  if (auk_parse_special(s, len, &dv)) return AUK_TYPE_FLOAT64;
  return AUK_TYPE_STRING;
}

auk_type_id csv_type_join(auk_type_id a, auk_type_id b) {
  if (a == b) return a;
  if (a == AUK_TYPE_NULL) return b;
  if (b == AUK_TYPE_NULL) return a;
  if ((a == AUK_TYPE_INT64 && b == AUK_TYPE_FLOAT64) ||
      (a == AUK_TYPE_FLOAT64 && b == AUK_TYPE_INT64))
    return AUK_TYPE_FLOAT64;
  if ((a == AUK_TYPE_DATE && b == AUK_TYPE_DATETIME) ||
      (a == AUK_TYPE_DATETIME && b == AUK_TYPE_DATE))
    return AUK_TYPE_DATETIME;
  return AUK_TYPE_STRING;
}

auk_type_id csv_infer_column(const csv_fields *f, int col, const csv_convert_opts *o,
                             auk_type_id t) {
  for (int64_t r = 0; r < f->nrows && t != AUK_TYPE_STRING; r++) {
    int64_t len;
    uint32_t flags;
    const char *s = csv_field(f, col, r, &len, &flags);
    if (csv_is_null(o, s, len, flags)) continue;
    if (flags & CSV_QUOTED && len == 0) continue; /* "" is null for non-strings */
    t = csv_type_join(t, csv_classify(s, len));
  }
  return t;
}

/* ------------------------------------------------------------ converting */

typedef struct conv {
  const csv_fields *f;
  int col;
  const csv_convert_opts *o;
  auk_array *a;
  csv_issue *issue;
  auk_error *err;
} conv;

static auk_status mark_null(conv *c, int64_t r) {
  if (!c->a->validity && auk_array_add_validity(c->a, c->err)) return c->err->code;
  auk_bit_clear(c->a->validity->data, r);
  c->a->null_count++;
  return AUK_OK;
}

static auk_status bad_value(conv *c, int64_t r, const char *s, int64_t len, csv_issue_kind kind) {
  c->issue->kind = kind;
  c->issue->pos = c->f->base_pos + (int64_t)(s - (const char *)c->f->base);
  c->issue->col = c->col;
  c->issue->len = len;
  (void)r;
  return AUK_ERR_PARSE;
}

/* Loop over the rows of the column, binding s/len/flags, skipping nulls. */
#define FOR_EACH_VALUE(c, body)                                          \
  for (int64_t r = 0; r < (c)->f->nrows; r++) {                          \
    int64_t len;                                                         \
    uint32_t flags;                                                      \
    const char *s = csv_field((c)->f, (c)->col, r, &len, &flags);        \
    if ((len == 0) || (o_nulls && csv_is_null((c)->o, s, len, flags))) { \
      if (mark_null((c), r)) return (c)->err->code;                      \
      continue;                                                          \
    }                                                                    \
    body                                                                 \
  }

static auk_status conv_int(conv *c, auk_type_id t) {
  const int o_nulls = c->o->num_null_values > 0;
  void *data = auk_array_data(c->a);
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  switch (t) {
    case AUK_TYPE_INT8:
      lo = INT8_MIN;
      hi = INT8_MAX;
      break;
    case AUK_TYPE_INT16:
      lo = INT16_MIN;
      hi = INT16_MAX;
      break;
    case AUK_TYPE_INT32:
      lo = INT32_MIN;
      hi = INT32_MAX;
      break;
    case AUK_TYPE_UINT8:
      lo = 0;
      hi = UINT8_MAX;
      break;
    case AUK_TYPE_UINT16:
      lo = 0;
      hi = UINT16_MAX;
      break;
    case AUK_TYPE_UINT32:
      lo = 0;
      hi = UINT32_MAX;
      break;
    default: break;
  }
  if (t == AUK_TYPE_INT64) {
    int64_t *out = data;
    FOR_EACH_VALUE(c, {
      if (!auk_parse_i64(s, len, &out[r])) return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
    })
    return AUK_OK;
  }
  if (t == AUK_TYPE_UINT64) {
    uint64_t *out = data;
    FOR_EACH_VALUE(c, {
      if (!auk_parse_u64(s, len, &out[r])) return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
    })
    return AUK_OK;
  }
  int w = auk_type_width(t);
  FOR_EACH_VALUE(c, {
    int64_t v;
    if (!auk_parse_i64(s, len, &v) || v < lo || v > hi)
      return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
    switch (w) {
      case 1: ((int8_t *)data)[r] = (int8_t)v; break;
      case 2: ((int16_t *)data)[r] = (int16_t)v; break;
      default: ((int32_t *)data)[r] = (int32_t)v; break;
    }
  })
  return AUK_OK;
}

static auk_status conv_float(conv *c, auk_type_id t) {
  const int o_nulls = c->o->num_null_values > 0;
  if (t == AUK_TYPE_FLOAT64) {
    double *out = auk_array_data(c->a);
    FOR_EACH_VALUE(c, {
      if (!auk_parse_f64(s, len, &out[r])) return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
    })
  } else {
    float *out = auk_array_data(c->a);
    FOR_EACH_VALUE(c, {
      double d;
      if (!auk_parse_f64(s, len, &d)) return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
      out[r] = (float)d;
    })
  }
  return AUK_OK;
}

/* Exact decimals: digits past the scale round half away from zero; text
 * that is not a number or does not fit the precision is an error. */
static auk_status conv_decimal(conv *c, auk_type_id t) {
  const int o_nulls = c->o->num_null_values > 0;
  int p = auk_decimal_precision(t), sc = auk_decimal_scale(t);
  int64_t *out = auk_array_data(c->a);
  FOR_EACH_VALUE(c, {
    if (!auk_decimal_parse(s, len, p, sc, &out[r])) return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
  })
  return AUK_OK;
}

static auk_status conv_bool(conv *c) {
  const int o_nulls = c->o->num_null_values > 0;
  uint8_t *bits = auk_array_data(c->a);
  memset(bits, 0, (size_t)auk_bitmap_bytes(c->f->nrows));
  FOR_EACH_VALUE(c, {
    int v;
    if (!auk_parse_bool(s, len, &v)) return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
    if (v) auk_bit_set(bits, r);
  })
  return AUK_OK;
}

static auk_status conv_temporal(conv *c, auk_type_id t) {
  const int o_nulls = c->o->num_null_values > 0;
  if (t == AUK_TYPE_DATE) {
    int32_t *out = auk_array_data(c->a);
    FOR_EACH_VALUE(c, {
      if (!auk_parse_date(s, (size_t)len, &out[r])) return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
    })
  } else if (t == CSV_TYPE_DATETIME_UTC) {
    int64_t *out = auk_array_data(c->a);
    FOR_EACH_VALUE(c, {
      if (!auk_parse_datetime_tz(s, (size_t)len, &out[r]))
        return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
    })
  } else {
    int64_t *out = auk_array_data(c->a);
    FOR_EACH_VALUE(c, {
      if (!auk_parse_datetime(s, (size_t)len, &out[r]))
        return bad_value(c, r, s, len, CSV_ISSUE_VALUE);
    })
  }
  return AUK_OK;
}

/* Length of the longest valid UTF-8 prefix of s[0, n). */
int64_t csv_utf8_valid_prefix(const uint8_t *s, int64_t n) {
  int64_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (!(w & 0x8080808080808080ull)) {
        i += 8;
        continue;
      }
    }
    uint8_t c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    int k;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      k = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      k = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      k = 3;
      cp = c & 0x07;
    } else {
      return i;
    }
    for (int j = 1; j <= k; j++) {
      if (i + j >= n || (s[i + j] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return i;
    i += k + 1;
  }
  return n;
}

static auk_status conv_string(conv *c) {
  const csv_fields *f = c->f;
  const int64_t n = f->nrows;
  const uint32_t *S = f->start + (int64_t)c->col * f->cap;
  const uint32_t *E = f->end + (int64_t)c->col * f->cap;
  int64_t total = 0;
  for (int64_t r = 0; r < n; r++) total += (int64_t)(E[r] & CSV_OFF_MASK) - S[r];
  auk_buffer *bytes = auk_buffer_new(total + 16, c->err);
  auk_buffer *offs = auk_buffer_new((n + 1) * 8, c->err);
  if (!bytes || !offs) {
    auk_buffer_release(bytes);
    auk_buffer_release(offs);
    return c->err->code;
  }
  c->a->values = bytes;
  c->a->offsets = offs;
  offs->size = (n + 1) * 8;
  int64_t *o = (int64_t *)offs->data;
  uint8_t *dst = bytes->data;
  const uint8_t *base = f->base;
  const int o_nulls = c->o->num_null_values > 0;
  int64_t pos = 0;
  o[0] = 0;
  for (int64_t r = 0; r < n; r++) {
    uint32_t e = E[r], flags = e & (CSV_QUOTED | CSV_ESCAPED);
    int64_t len = (int64_t)(e & CSV_OFF_MASK) - S[r];
    const uint8_t *s = base + S[r];
    if ((len == 0 && !flags) || (o_nulls && csv_is_null(c->o, (const char *)s, len, flags))) {
      if (mark_null(c, r)) return c->err->code;
    } else if (flags & CSV_ESCAPED) {
      const uint8_t q = s[-1]; /* the opening quote */
      for (int64_t i = 0; i < len; i++) {
        dst[pos++] = s[i];
        if (s[i] == q) i++; /* a doubled quote */
      }
    } else if (len <= 16 && s + 16 <= f->data_end) {
      memcpy(dst + pos, s, 16); /* over-copy: the slack is overwritten next */
      pos += len;
    } else {
      memcpy(dst + pos, s, (size_t)len);
      pos += len;
    }
    o[r + 1] = pos;
  }
  bytes->size = pos;
  if (c->o->validate_utf8) {
    int64_t ok = csv_utf8_valid_prefix(dst, pos);
    if (ok < pos) { /* find the row */
      int64_t r = 0;
      while (o[r + 1] <= ok) r++;
      int64_t len;
      uint32_t flags;
      const char *s = csv_field(f, c->col, r, &len, &flags);
      return bad_value(c, r, s, len, CSV_ISSUE_UTF8);
    }
  }
  return AUK_OK;
}

auk_status csv_convert_column(const csv_fields *f, int col, auk_type_id type,
                              const csv_convert_opts *o, auk_array **out, csv_issue *issue,
                              auk_error *err) {
  *out = NULL;
  auk_array *a;
  if (type == AUK_TYPE_STRING) {
    a = auk_array_new_from(AUK_TYPE_STRING, f->nrows, 0, NULL, NULL, NULL, err);
  } else if (type == AUK_TYPE_NULL) {
    a = auk_array_new_nulls(AUK_TYPE_NULL, f->nrows, err);
    if (a) *out = a;
    return a ? AUK_OK : err->code;
  } else {
    a = auk_array_new_fixed(csv_storage_type(type), f->nrows, err);
  }
  if (!a) return err->code;
  conv c = {f, col, o, a, issue, err};
  auk_status st;
  if (type == AUK_TYPE_STRING)
    st = conv_string(&c);
  else if (type == AUK_TYPE_BOOL)
    st = conv_bool(&c);
  else if (auk_type_is_integer(type))
    st = conv_int(&c, type);
  else if (auk_type_is_float(type))
    st = conv_float(&c, type);
  else if (auk_type_is_decimal(type))
    st = conv_decimal(&c, type);
  else
    st = conv_temporal(&c, type);
  if (st) {
    auk_array_release(a);
    return st;
  }
  if (a->validity) a->validity->size = auk_bitmap_bytes(a->length);
  *out = a;
  return AUK_OK;
}
