/* decimal.h - exact decimals as int64 unscaled values (AUK_DECIMAL(p, s):
 * value = unscaled / 10^s, |unscaled| < 10^p, p <= 18).
 *
 * The helpers every layer shares: powers of ten, rescaling with rounding
 * half away from zero (DuckDB's rule) and overflow checks, the exact text
 * parser and printer, and conversions from doubles. Each returns 1 on
 * success and 0 when the value does not fit (or the text is not a number);
 * callers turn that into an error naming the value and the type. */
#ifndef AUK_CORE_DECIMAL_H
#define AUK_CORE_DECIMAL_H

#include "auk.h"

#include <stdint.h>

#define AUK_DECIMAL_MAX_PRECISION 18
/* DuckDB's DECIMAL without parameters. */
#define AUK_DECIMAL_DEFAULT AUK_DECIMAL(18, 3)

extern const int64_t auk_pow10_i64[19];

/* 1 when p and s make a decimal type auk stores (1 <= p <= 18, 0 <= s <= p). */
static inline int auk_decimal_valid(int p, int s) {
  return p >= 1 && p <= AUK_DECIMAL_MAX_PRECISION && s >= 0 && s <= p;
}
/* 1 when |v| < 10^p. */
static inline int auk_decimal_fits(int64_t v, int p) {
  return v < auk_pow10_i64[p] && v > -auk_pow10_i64[p];
}
/* v (scale from) at scale to: more digits multiply (overflow checked),
 * fewer divide rounding half away from zero. */
int auk_decimal_rescale(int64_t v, int from, int to, int64_t *out);
/* Text to DECIMAL(p, s): optional spaces around, sign, digits with one
 * optional point, optional exponent; digits past s round half away from
 * zero. 0 for text that is not a number or does not fit p. */
int auk_decimal_parse(const char *text, int64_t n, int p, int s, int64_t *out);
/* v at scale s as text with exactly s fraction digits ("1.50", "-0.05");
 * returns the length (at most 21 bytes + NUL). */
int auk_decimal_format(int64_t v, int s, char *out);
/* A double to DECIMAL(p, s), rounded half away from zero; 0 for NaN,
 * infinities and values that do not fit p. */
int auk_decimal_from_double(double d, int p, int s, int64_t *out);
/* The value as the nearest double. */
static inline double auk_decimal_to_double(int64_t v, int s) {
  return (double)v / (double)auk_pow10_i64[s];
}
/* The decimal type an integer type converts to exactly (i32: decimal(10,0));
 * 64-bit integers give decimal(18,0), whose range the cast checks. */
auk_type_id auk_decimal_of_integer(auk_type_id t);
/* The type a decimal meets another in (comparisons, joins, unions, when):
 * two decimals (an integer or bool counts as DECIMAL(w, 0)) give the
 * decimal holding both, capped at 18 digits (DuckDB's rule; a value past
 * it fails its cast); a float gives f64; anything else AUK_TYPE_COUNT_.
 * Call it when a or b is a decimal. */
auk_type_id auk_decimal_common(auk_type_id a, auk_type_id b);

#endif
