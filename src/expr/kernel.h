/* kernel.h - what the vectorized kernels share: datums (an array or a
 * scalar), result allocation, and validity combination.
 *
 * Kernels see arrays whose offset is a multiple of 8 when they carry a
 * bitmap (bexpr_eval compacts the rare unaligned slice first), so a bitmap
 * is read a byte at a time from offset / 8. Results always have offset 0. */
#ifndef AUK_EXPR_KERNEL_H
#define AUK_EXPR_KERNEL_H
#include "core/alloc.h"
#include "core/error.h"
#include "core/types.h"
#include "expr/expr.h"

/* A kernel argument: an array of n rows, or a scalar for every row. */
typedef struct kd {
  auk_array *a;        /* NULL for a scalar */
  const expr_value *s; /* the scalar (EXPR_LIT) */
} kd;

static inline const uint8_t *k_valid(const auk_array *a) {
  return a->validity ? a->validity->data + (a->offset >> 3) : NULL;
}
static inline const uint8_t *k_bits(const auk_array *a) {
  return a->values->data + (a->offset >> 3);
}
static inline const void *k_vals(const auk_array *a) {
  return a->values->data + a->offset * auk_type_width(a->type);
}
/* 1 when the datum is a null scalar. */
static inline int kd_null_scalar(const kd *d) {
  return !d->a && d->s->is_null;
}

/* A fixed-width (or bool) result of n values, no bitmap yet. */
auk_array *k_new(auk_type_id type, int64_t n, auk_error *err);
/* Gives out the validity AND of the datums (array bitmaps; a null scalar
 * makes everything null). */
auk_status k_and_validity(auk_array *out, const kd *args, int nargs, auk_error *err);
/* Sets out's bitmap from bits (n bits, copied; NULL: all valid). */
auk_status k_set_validity(auk_array *out, const uint8_t *bits, auk_error *err);
/* The datum as an array of n rows (a scalar is broadcast); new reference. */
auk_status k_materialize(const kd *d, auk_type_id type, int64_t n, auk_array **out, auk_error *err);
/* An array of n copies of scalar v (or n nulls). */
auk_status k_broadcast(const expr_value *v, int64_t n, auk_array **out, auk_error *err);
/* Error for a bad value at row r of the expression: "<what> in <expr>:
 * <detail>". */
auk_status k_value_error(const bexpr *b, auk_error *err, const char *fmt, ...) AUK_PRINTF(3, 4);

/* Kernel families; each handles the functions of its file. */
auk_status k_arith(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
auk_status k_math(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
auk_status k_compare(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
auk_status k_logic(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
auk_status k_nulls(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
auk_status k_string(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
auk_status k_temporal(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
/* Casts array a to `to`; strict: a value that does not convert is an error
 * naming it, else it becomes null. */
/* After a cast of a into o that flagged bad[k] where a value does not fit
 * `to`: an error naming the first such value (strict), or those rows made
 * null (flags on rows null in a are cleared). Shared by k_cast.c and
 * k_decimal.c. */
auk_status k_cast_unfit(const bexpr *b, const auk_array *a, auk_array *o, uint8_t *bad,
                        auk_type_id to, int strict, auk_error *err);
auk_status k_cast_array(const bexpr *b, auk_array *a, auk_type_id to, int strict, auk_array **out,
                        auk_error *err);
/* Decimal kernels (k_decimal.c): casts where either side is a decimal
 * (text targets go through the formatter), + - * % and negation, and
 * abs/round/floor/ceil, with the result types bind.c fixed. */
auk_status k_decimal_cast(const bexpr *b, auk_array *a, auk_type_id to, int strict, auk_array **out,
                          auk_error *err);
auk_status k_decimal_arith(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
auk_status k_decimal_math(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err);
/* bits = x fn y (a comparison) for decimals of types tx and ty (or i64:
 * scale 0), whose scales are aligned in 128 bits: exact, never an
 * overflow. */
void k_decimal_compare(expr_fn fn, auk_type_id tx, auk_type_id ty, const kd *x, const kd *y,
                       int64_t n, uint8_t *bits);
/* Casts a scalar the same way (used at bind time for literals). */
auk_status k_cast_value(const expr_value *v, auk_type_id to, int strict, expr_value *out,
                        auk_error *err);
/* Row i of a as a scalar (strings copied; free with expr_value_free). */
auk_status k_array_value(const auk_array *a, int64_t i, expr_value *v, auk_error *err);
/* A scalar's value as text in buf (for messages). */
void k_value_text(const expr_value *v, char *buf, size_t cap);

#endif
