/* array.h - Arrow-compatible columnar arrays.
 *
 * Layout follows the Arrow columnar format: an optional validity bitmap
 * (NULL when every value is valid), fixed-width values, booleans bit-packed,
 * strings as int64 offsets plus UTF-8 bytes (Arrow "large_utf8"). `offset`
 * makes slices zero-copy: element i lives at physical index offset + i in
 * every buffer. Arrays are refcounted and immutable once shared. */
#ifndef AUK_CORE_ARRAY_H
#define AUK_CORE_ARRAY_H

#include "core/bitmap.h"
#include "core/buffer.h"

typedef struct auk_array {
  _Atomic int64_t refs;
  auk_type_id type;
  int64_t length;
  int64_t offset;
  int64_t null_count;
  auk_buffer *validity; /* NULL: all valid */
  auk_buffer *values;   /* fixed width values, bool bits, or string bytes */
  auk_buffer *offsets;  /* strings: int64, physical length + 1 entries */
  /* Dictionary-encoded strings (only where an operator asked for them: the
   * group-by's key read from Parquet): type is STRING, `values` holds one
   * int32 code per row into `dict` (a plain string array), `offsets` and
   * `validity` are NULL and null_count is 0: a null row's code names a null
   * entry of dict. NULL for every other array. */
  struct auk_array *dict;
} auk_array;

/* A fixed-width (or bool) array of `length` values with uninitialized data
 * and no validity bitmap; refs = 1. Fill values through auk_array_data. */
auk_array *auk_array_new_fixed(auk_type_id type, int64_t length, auk_error *err);
/* An array of `length` nulls of any type. */
auk_array *auk_array_new_nulls(auk_type_id type, int64_t length, auk_error *err);
/* An array over existing buffers (retained); null_count must be exact. */
auk_array *auk_array_new_from(auk_type_id type, int64_t length, int64_t null_count,
                              auk_buffer *validity, auk_buffer *values, auk_buffer *offsets,
                              auk_error *err);
/* Adds an all-valid bitmap to an unshared array being built. */
auk_status auk_array_add_validity(auk_array *a, auk_error *err);
/* Zero-copy slice of [start, start + len) (clamped). */
auk_array *auk_array_slice(auk_array *a, int64_t start, int64_t len, auk_error *err);

/* A dictionary-encoded string array of `length` codes (int32, retained
 * buffer) into dict (retained). */
auk_array *auk_array_new_dict(int64_t length, auk_buffer *codes, auk_array *dict, auk_error *err);
/* The plain string array a dictionary-encoded array stands for. */
auk_array *auk_array_dict_decode(const auk_array *a, auk_error *err);
static inline const int32_t *auk_array_codes(const auk_array *a) {
  return (const int32_t *)a->values->data + a->offset;
}

/* Widens [*lo, *hi] to hold every valid value of a, an integer array
 * (signed or unsigned, at most 32 bits unsigned) or a DATE or DATETIME.
 * Start from *lo = INT64_MAX, *hi = INT64_MIN: *lo > *hi after it means no
 * valid value. */
void auk_array_int_range(const auk_array *a, int64_t *lo, int64_t *hi);
static inline auk_array *auk_array_retain(auk_array *a) {
  if (a) atomic_fetch_add_explicit(&a->refs, 1, memory_order_relaxed);
  return a;
}
void auk_array_release(auk_array *a);

static inline void *auk_array_data(const auk_array *a) {
  return a->values->data;
}
static inline int auk_array_is_valid(const auk_array *a, int64_t i) {
  return !a->validity || auk_bit_get(a->validity->data, a->offset + i);
}
static inline const int64_t *auk_array_offsets(const auk_array *a) {
  return (const int64_t *)a->offsets->data + a->offset;
}
/* String element i: pointer and length (valid or not). */
static inline const char *auk_array_str(const auk_array *a, int64_t i, int64_t *len) {
  const int64_t *o = auk_array_offsets(a);
  *len = o[i + 1] - o[i];
  return (const char *)a->values->data + o[i];
}

/* Growable builder for string arrays. */
typedef struct auk_string_builder {
  auk_buffer *offsets;
  auk_buffer *bytes;
  auk_buffer *validity;
  int64_t length;
  int64_t null_count;
} auk_string_builder;

auk_status auk_string_builder_init(auk_string_builder *b, int64_t rows, int64_t bytes,
                                   auk_error *err);
auk_status auk_string_builder_append(auk_string_builder *b, const char *s, int64_t len,
                                     auk_error *err);
auk_status auk_string_builder_append_null(auk_string_builder *b, auk_error *err);
/* Hands the buffers to a new array and resets the builder. */
auk_array *auk_string_builder_finish(auk_string_builder *b, auk_error *err);
void auk_string_builder_reset(auk_string_builder *b);

#endif
