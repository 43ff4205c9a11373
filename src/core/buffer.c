/* buffer.c - refcounted buffers on the memory budget. */
#include "core/buffer.h"

#include "core/alloc.h"
#include "core/error.h"

#include <string.h>

auk_buffer *auk_buffer_new(int64_t capacity, auk_error *err) {
  if (capacity < 0) capacity = 0;
  auk_buffer *b = auk_mem_alloc(sizeof *b, err);
  if (!b) return NULL;
  b->data = auk_mem_alloc((size_t)capacity, err);
  if (!b->data) {
    auk_mem_free(b, sizeof *b);
    return NULL;
  }
  atomic_init(&b->refs, 1);
  b->size = 0;
  b->capacity = capacity;
  b->release = NULL;
  b->owner = NULL;
  return b;
}

auk_buffer *auk_buffer_wrap(void *data, int64_t size, auk_buffer_release_fn release, void *owner,
                            auk_error *err) {
  auk_buffer *b = auk_mem_alloc(sizeof *b, err);
  if (!b) return NULL;
  atomic_init(&b->refs, 1);
  b->data = data;
  b->size = size;
  b->capacity = size;
  b->release = release;
  b->owner = owner;
  return b;
}

auk_status auk_buffer_reserve(auk_buffer *b, int64_t capacity, auk_error *err) {
  AUK_ASSERT(!b->release && atomic_load(&b->refs) == 1);
  if (capacity <= b->capacity) return AUK_OK;
  int64_t cap = b->capacity * 2;
  if (cap < capacity) cap = capacity;
  if (cap < 64) cap = 64;
  uint8_t *d = auk_mem_realloc(b->data, (size_t)b->capacity, (size_t)cap, err);
  if (!d) return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  b->data = d;
  b->capacity = cap;
  return AUK_OK;
}

void auk_buffer_release(auk_buffer *b) {
  if (!b) return;
  if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) != 1) return;
  if (b->release)
    b->release(b->owner, b->data, b->size);
  else
    auk_mem_free(b->data, (size_t)b->capacity);
  auk_mem_free(b, sizeof *b);
}
