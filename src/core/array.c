/* array.c - creating, slicing and releasing arrays; the string builder. */
#include "core/array.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/types.h"

#include <string.h>

int64_t auk_bitmap_count(const uint8_t *bits, int64_t offset, int64_t len) {
  int64_t n = 0, i = offset, end = offset + len;
  while (i < end && (i & 7)) n += auk_bit_get(bits, i++);
  for (; i + 64 <= end; i += 64) {
    uint64_t w;
    memcpy(&w, bits + (i >> 3), 8);
    n += __builtin_popcountll(w);
  }
  while (i < end) n += auk_bit_get(bits, i++);
  return n;
}

static auk_array *array_alloc(auk_type_id type, int64_t length, auk_error *err) {
  auk_array *a = auk_mem_alloc(sizeof *a, err);
  if (!a) return NULL;
  memset(a, 0, sizeof *a);
  atomic_init(&a->refs, 1);
  a->type = type;
  a->length = length;
  return a;
}

static int64_t values_bytes(auk_type_id type, int64_t length) {
  if (type == AUK_TYPE_BOOL) return auk_bitmap_bytes(length);
  return (int64_t)auk_type_width(type) * length;
}

auk_array *auk_array_new_fixed(auk_type_id type, int64_t length, auk_error *err) {
  if (type == AUK_TYPE_STRING || type == AUK_TYPE_NULL) {
    auk_error_set(err, AUK_ERR_INTERNAL, "auk_array_new_fixed on a %s type", auk_type_name(type));
    return NULL;
  }
  auk_array *a = array_alloc(type, length, err);
  if (!a) return NULL;
  int64_t n = values_bytes(type, length);
  a->values = auk_buffer_new(n, err);
  if (!a->values) {
    auk_array_release(a);
    return NULL;
  }
  a->values->size = n;
  if (type == AUK_TYPE_BOOL && n) a->values->data[n - 1] = 0;
  return a;
}

auk_array *auk_array_new_nulls(auk_type_id type, int64_t length, auk_error *err) {
  auk_array *a = array_alloc(type, length, err);
  if (!a) return NULL;
  a->null_count = length;
  int64_t vb = auk_bitmap_bytes(length);
  a->validity = auk_buffer_new(vb, err);
  if (!a->validity) goto fail;
  memset(a->validity->data, 0, (size_t)vb);
  a->validity->size = vb;
  if (type == AUK_TYPE_STRING) {
    a->offsets = auk_buffer_new((length + 1) * 8, err);
    a->values = auk_buffer_new(0, err);
    if (!a->offsets || !a->values) goto fail;
    memset(a->offsets->data, 0, (size_t)(length + 1) * 8);
    a->offsets->size = (length + 1) * 8;
  } else if (type != AUK_TYPE_NULL) {
    int64_t n = values_bytes(type, length);
    a->values = auk_buffer_new(n, err);
    if (!a->values) goto fail;
    memset(a->values->data, 0, (size_t)n);
    a->values->size = n;
  }
  return a;
fail:
  auk_array_release(a);
  return NULL;
}

auk_array *auk_array_new_from(auk_type_id type, int64_t length, int64_t null_count,
                              auk_buffer *validity, auk_buffer *values, auk_buffer *offsets,
                              auk_error *err) {
  auk_array *a = array_alloc(type, length, err);
  if (!a) return NULL;
  a->null_count = null_count;
  a->validity = auk_buffer_retain(validity);
  a->values = auk_buffer_retain(values);
  a->offsets = auk_buffer_retain(offsets);
  return a;
}

auk_status auk_array_add_validity(auk_array *a, auk_error *err) {
  if (a->validity) return AUK_OK;
  int64_t n = auk_bitmap_bytes(a->offset + a->length);
  a->validity = auk_buffer_new(n, err);
  if (!a->validity) return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  memset(a->validity->data, 0xff, (size_t)n);
  a->validity->size = n;
  return AUK_OK;
}

auk_array *auk_array_slice(auk_array *a, int64_t start, int64_t len, auk_error *err) {
  if (start < 0) start = 0;
  if (start > a->length) start = a->length;
  if (len < 0 || start + len > a->length) len = a->length - start;
  auk_array *s = array_alloc(a->type, len, err);
  if (!s) return NULL;
  s->offset = a->offset + start;
  s->validity = auk_buffer_retain(a->validity);
  s->values = auk_buffer_retain(a->values);
  s->offsets = auk_buffer_retain(a->offsets);
  s->dict = auk_array_retain(a->dict);
  if (a->null_count == 0)
    s->null_count = 0;
  else if (a->null_count == a->length)
    s->null_count = len;
  else
    s->null_count = len - auk_bitmap_count(a->validity->data, s->offset, len);
  return s;
}

void auk_array_release(auk_array *a) {
  if (!a) return;
  if (atomic_fetch_sub_explicit(&a->refs, 1, memory_order_acq_rel) != 1) return;
  auk_buffer_release(a->validity);
  auk_buffer_release(a->values);
  auk_buffer_release(a->offsets);
  auk_array_release(a->dict);
  auk_mem_free(a, sizeof *a);
}

auk_array *auk_array_new_dict(int64_t length, auk_buffer *codes, auk_array *dict, auk_error *err) {
  auk_array *a = array_alloc(AUK_TYPE_STRING, length, err);
  if (!a) return NULL;
  a->values = auk_buffer_retain(codes);
  a->dict = auk_array_retain(dict);
  return a;
}

auk_array *auk_array_dict_decode(const auk_array *a, auk_error *err) {
  const auk_array *d = a->dict;
  const int32_t *code = auk_array_codes(a);
  int64_t n = a->length, bytes = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t len;
    auk_array_str(d, code[i], &len);
    bytes += len;
  }
  auk_string_builder b;
  if (auk_string_builder_init(&b, n, bytes + 1, err)) return NULL;
  for (int64_t i = 0; i < n; i++) {
    int64_t len;
    const char *s = auk_array_str(d, code[i], &len);
    auk_status st = auk_array_is_valid(d, code[i]) ? auk_string_builder_append(&b, s, len, err)
                                                   : auk_string_builder_append_null(&b, err);
    if (st) {
      auk_string_builder_reset(&b);
      return NULL;
    }
  }
  return auk_string_builder_finish(&b, err);
}

/* ------------------------------------------------------- string builder */

auk_status auk_string_builder_init(auk_string_builder *b, int64_t rows, int64_t bytes,
                                   auk_error *err) {
  memset(b, 0, sizeof *b);
  b->offsets = auk_buffer_new((rows + 1) * 8, err);
  b->bytes = auk_buffer_new(bytes, err);
  if (!b->offsets || !b->bytes) {
    auk_string_builder_reset(b);
    return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  }
  ((int64_t *)b->offsets->data)[0] = 0;
  b->offsets->size = 8;
  return AUK_OK;
}

static auk_status sb_grow(auk_string_builder *b, int64_t extra_bytes, auk_error *err) {
  if (b->offsets->size + 8 > b->offsets->capacity &&
      auk_buffer_reserve(b->offsets, b->offsets->size + 8, err))
    return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  if (b->bytes->size + extra_bytes > b->bytes->capacity &&
      auk_buffer_reserve(b->bytes, b->bytes->size + extra_bytes, err))
    return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  if (b->validity && auk_bitmap_bytes(b->length + 1) > b->validity->capacity) {
    if (auk_buffer_reserve(b->validity, auk_bitmap_bytes(b->length + 1), err))
      return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  }
  return AUK_OK;
}

auk_status auk_string_builder_append(auk_string_builder *b, const char *s, int64_t len,
                                     auk_error *err) {
  if (sb_grow(b, len, err)) return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  memcpy(b->bytes->data + b->bytes->size, s, (size_t)len);
  b->bytes->size += len;
  ((int64_t *)b->offsets->data)[b->length + 1] = b->bytes->size;
  b->offsets->size += 8;
  if (b->validity) {
    auk_bit_set(b->validity->data, b->length);
    b->validity->size = auk_bitmap_bytes(b->length + 1);
  }
  b->length++;
  return AUK_OK;
}

auk_status auk_string_builder_append_null(auk_string_builder *b, auk_error *err) {
  if (!b->validity) {
    int64_t cap = auk_bitmap_bytes((b->offsets->capacity / 8) + 1);
    b->validity = auk_buffer_new(cap, err);
    if (!b->validity) return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
    memset(b->validity->data, 0xff, (size_t)cap);
  }
  if (sb_grow(b, 0, err)) return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  ((int64_t *)b->offsets->data)[b->length + 1] = b->bytes->size;
  b->offsets->size += 8;
  auk_bit_clear(b->validity->data, b->length);
  b->length++;
  b->validity->size = auk_bitmap_bytes(b->length);
  b->null_count++;
  return AUK_OK;
}

auk_array *auk_string_builder_finish(auk_string_builder *b, auk_error *err) {
  auk_array *a = array_alloc(AUK_TYPE_STRING, b->length, err);
  if (!a) return NULL;
  a->null_count = b->null_count;
  a->offsets = b->offsets;
  a->values = b->bytes;
  a->validity = b->validity;
  memset(b, 0, sizeof *b);
  return a;
}

void auk_string_builder_reset(auk_string_builder *b) {
  auk_buffer_release(b->offsets);
  auk_buffer_release(b->bytes);
  auk_buffer_release(b->validity);
  memset(b, 0, sizeof *b);
}

/* mn/mx over the valid values of a, read as T; without nulls four
 * independent minima and maxima (one chain of compares per pair would
 * bound the loop by its latency) */
#define INT_RANGE(T)                                                                  \
  do {                                                                                \
    const T *d = (const T *)a->values->data + a->offset;                              \
    int64_t i = 0;                                                                    \
    if (!nulls) {                                                                     \
      int64_t n0 = mn, n1 = mn, n2 = mn, n3 = mn, x0 = mx, x1 = mx, x2 = mx, x3 = mx; \
      for (; i + 4 <= a->length; i += 4) {                                            \
        int64_t v0 = d[i], v1 = d[i + 1], v2 = d[i + 2], v3 = d[i + 3];               \
        n0 = v0 < n0 ? v0 : n0;                                                       \
        n1 = v1 < n1 ? v1 : n1;                                                       \
        n2 = v2 < n2 ? v2 : n2;                                                       \
        n3 = v3 < n3 ? v3 : n3;                                                       \
        x0 = v0 > x0 ? v0 : x0;                                                       \
        x1 = v1 > x1 ? v1 : x1;                                                       \
        x2 = v2 > x2 ? v2 : x2;                                                       \
        x3 = v3 > x3 ? v3 : x3;                                                       \
      }                                                                               \
      n0 = n1 < n0 ? n1 : n0;                                                         \
      n2 = n3 < n2 ? n3 : n2;                                                         \
      mn = n2 < n0 ? n2 : n0;                                                         \
      x0 = x1 > x0 ? x1 : x0;                                                         \
      x2 = x3 > x2 ? x3 : x2;                                                         \
      mx = x2 > x0 ? x2 : x0;                                                         \
    }                                                                                 \
    for (; i < a->length; i++) {                                                      \
      if (nulls && !auk_array_is_valid(a, i)) continue;                               \
      int64_t v = (int64_t)d[i];                                                      \
      mn = v < mn ? v : mn;                                                           \
      mx = v > mx ? v : mx;                                                           \
    }                                                                                 \
  } while (0)

void auk_array_int_range(const auk_array *a, int64_t *lo, int64_t *hi) {
  int64_t mn = *lo, mx = *hi;
  int nulls = a->null_count != 0;
  switch (auk_type_storage(a->type)) {
    case AUK_TYPE_INT8: INT_RANGE(int8_t); break;
    case AUK_TYPE_UINT8: INT_RANGE(uint8_t); break;
    case AUK_TYPE_INT16: INT_RANGE(int16_t); break;
    case AUK_TYPE_UINT16: INT_RANGE(uint16_t); break;
    case AUK_TYPE_INT32:
    case AUK_TYPE_DATE: INT_RANGE(int32_t); break;
    case AUK_TYPE_UINT32: INT_RANGE(uint32_t); break;
    default: INT_RANGE(int64_t); break;
  }
  *lo = mn;
  *hi = mx;
}
