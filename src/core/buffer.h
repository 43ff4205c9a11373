/* buffer.h - refcounted byte buffers. A buffer is written only while its
 * builder holds the single reference; once shared it is immutable. Foreign
 * memory (a mapped file, an imported Arrow array) is wrapped with a release
 * callback so that slices and projections share it without copying. */
#ifndef AUK_CORE_BUFFER_H
#define AUK_CORE_BUFFER_H

#include "auk.h"

#include <stdatomic.h>
#include <stdint.h>

typedef struct auk_buffer auk_buffer;
typedef void (*auk_buffer_release_fn)(void *owner, void *data, int64_t size);

struct auk_buffer {
  _Atomic int64_t refs;
  uint8_t *data;
  int64_t size;                  /* bytes in use */
  int64_t capacity;              /* bytes allocated (owned buffers only) */
  auk_buffer_release_fn release; /* NULL: data came from auk_mem_alloc */
  void *owner;
};

/* A new owned buffer with room for `capacity` bytes and size 0; refs = 1. */
auk_buffer *auk_buffer_new(int64_t capacity, auk_error *err);
/* Wraps foreign memory; release(owner, data, size) runs at the last release. */
auk_buffer *auk_buffer_wrap(void *data, int64_t size, auk_buffer_release_fn release, void *owner,
                            auk_error *err);
/* Grows an owned, unshared buffer to hold at least `capacity` bytes. */
auk_status auk_buffer_reserve(auk_buffer *buf, int64_t capacity, auk_error *err);
static inline auk_buffer *auk_buffer_retain(auk_buffer *buf) {
  if (buf) atomic_fetch_add_explicit(&buf->refs, 1, memory_order_relaxed);
  return buf;
}
void auk_buffer_release(auk_buffer *buf);

#endif
