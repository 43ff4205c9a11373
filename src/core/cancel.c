/* cancel.c - the interrupt flag behind auk_interrupt. A lock-free atomic
 * int, so setting it from a signal handler is safe. */
#include "core/cancel.h"

#include "auk.h"

#include <stdatomic.h>

static atomic_int cancel_flag;

void auk_interrupt(void) {
  atomic_store_explicit(&cancel_flag, 1, memory_order_relaxed);
}

int auk_cancel_requested(void) {
  return atomic_load_explicit(&cancel_flag, memory_order_relaxed);
}

void auk_cancel_reset(void) {
  atomic_store_explicit(&cancel_flag, 0, memory_order_relaxed);
}
