/* textparse.h - strict text to value parsers shared by the CSV reader and
 * casts: the whole text must be the value (no spaces, no trailing junk).
 * Each returns 1 and stores the value, or 0 when the text is not one. */
#ifndef AUK_CORE_TEXTPARSE_H
#define AUK_CORE_TEXTPARSE_H
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static inline int auk_parse_i64(const char *s, int64_t n, int64_t *out) {
  int64_t i = 0;
  int neg = 0;
  if (n > 0 && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    i = 1;
  }
  if (i >= n) return 0;
  uint64_t v = 0;
  if (n - i <= 18) {
    for (; i < n; i++) {
      unsigned dgt = (unsigned)((unsigned char)s[i] - '0');
      if (dgt > 9) return 0;
      v = v * 10 + dgt;
    }
  } else {
    for (; i < n; i++) {
      unsigned dgt = (unsigned)((unsigned char)s[i] - '0');
      if (dgt > 9 || v > (UINT64_MAX - dgt) / 10) return 0;
      v = v * 10 + dgt;
    }
    if (v > (uint64_t)INT64_MAX + (uint64_t)neg) return 0;
  }
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 1;
}

static inline int auk_parse_u64(const char *s, int64_t n, uint64_t *out) {
  int64_t i = (n > 0 && s[0] == '+') ? 1 : 0;
  if (i >= n) return 0;
  uint64_t v = 0;
  for (; i < n; i++) {
    unsigned dgt = (unsigned)((unsigned char)s[i] - '0');
    if (dgt > 9 || v > (UINT64_MAX - dgt) / 10) return 0;
    v = v * 10 + dgt;
  }
  *out = v;
  return 1;
}

static const double auk_pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                           1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                           1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static inline int auk_parse_special(const char *s, int64_t n, double *out) {
  int neg = 0;
  if (n > 0 && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s++;
    n--;
  }
  if ((n == 3 && !strncasecmp(s, "nan", 3))) {
    *out = NAN;
    return 1;
  }
  if ((n == 3 && !strncasecmp(s, "inf", 3)) || (n == 8 && !strncasecmp(s, "infinity", 8))) {
    *out = neg ? -INFINITY : INFINITY;
    return 1;
  }
  return 0;
}

/* Decimal text to the correctly rounded double. Exact cases (up to 19
 * significant digits, a mantissa below 2^53 and a power of ten up to 22)
 * take Clinger's fast path; the rest go through strtod after our own
 * syntax check (strtod alone would accept hex floats and spaces). */
static inline int auk_parse_f64(const char *s, int64_t n, double *out) {
  int64_t i = 0;
  int neg = 0;
  if (n > 0 && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    i = 1;
  }
  uint64_t m = 0;
  int nd = 0, exp10 = 0, truncated = 0, digits = 0;
  for (; i < n; i++) {
    unsigned dgt = (unsigned)((unsigned char)s[i] - '0');
    if (dgt > 9) break;
    digits++;
    if (nd < 19) {
      m = m * 10 + dgt;
      nd += m != 0;
    } else {
      exp10++;
      truncated |= dgt != 0;
    }
  }
  if (i < n && s[i] == '.') {
    for (i++; i < n; i++) {
      unsigned dgt = (unsigned)((unsigned char)s[i] - '0');
      if (dgt > 9) break;
      digits++;
      if (nd < 19) {
        m = m * 10 + dgt;
        nd += m != 0;
        exp10--;
      } else {
        truncated |= dgt != 0;
      }
    }
  }
  if (!digits) return auk_parse_special(s, n, out);
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    int eneg = 0, ev = 0, edigits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    for (; i < n; i++) {
      unsigned dgt = (unsigned)((unsigned char)s[i] - '0');
      if (dgt > 9) break;
      if (ev < 100000) ev = ev * 10 + (int)dgt;
      edigits++;
    }
    if (!edigits) return 0;
    exp10 += eneg ? -ev : ev;
  }
  if (i != n) return 0;
  if (!truncated && m <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
    double d = (double)m;
    d = exp10 < 0 ? d / auk_pow10_exact[-exp10] : d * auk_pow10_exact[exp10];
    *out = neg ? -d : d;
    return 1;
  }
  char stackbuf[128];
  char *buf = n < (int64_t)sizeof stackbuf ? stackbuf : malloc((size_t)n + 1);
  if (!buf) return 0;
  memcpy(buf, s, (size_t)n);
  buf[n] = 0;
  *out = strtod(buf, NULL);
  if (buf != stackbuf) free(buf);
  return 1;
}

static inline int auk_parse_bool(const char *s, int64_t n, int *out) {
  if (n == 4 && !strncasecmp(s, "true", 4)) {
    *out = 1;
    return 1;
  }
  if (n == 5 && !strncasecmp(s, "false", 5)) {
    *out = 0;
    return 1;
  }
  return 0;
}

#endif
