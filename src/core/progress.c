/* progress.c - the counters behind auk_progress. Every value is a relaxed
 * atomic: readers poll them from another thread, workers add to them once
 * per chunk or batch. A scan's units map to its weight through
 * f(x) = min(w, w * x / units), which is monotonic; each add puts
 * f(new) - f(old) of its own range into `done`, so the adds of all workers
 * sum to exactly f(final), and the end adds w - f(final). */
#include "core/progress.h"

#include "auk.h"

#include <stdatomic.h>

static atomic_llong total, done; /* weights of the statement's scans */
static atomic_llong next_weight; /* announced by the executor; -1: none */
static atomic_int scan_on;       /* a scan is counting */
static atomic_llong scan_w, scan_units, scan_at;
static _Thread_local int depth; /* queries and statements running here */
static _Thread_local int quiet; /* reads begun here are not counted */

static void reset(void) {
  atomic_store_explicit(&scan_on, 0, memory_order_relaxed);
  atomic_store_explicit(&next_weight, -1, memory_order_relaxed);
  atomic_store_explicit(&done, 0, memory_order_relaxed);
  atomic_store_explicit(&total, 0, memory_order_relaxed);
}

void auk_progress_enter(void) {
  if (depth++ == 0) reset();
}

void auk_progress_leave(void) {
  if (depth > 0 && --depth == 0) /* a scan announced but never begun (an error) */
    atomic_store_explicit(&next_weight, -1, memory_order_relaxed);
}

void auk_progress_quiet(int delta) {
  quiet += delta;
}

void auk_progress_plan(int64_t weight) {
  if (weight > 0) atomic_fetch_add_explicit(&total, weight, memory_order_relaxed);
}

void auk_progress_expect(int64_t weight) {
  atomic_store_explicit(&next_weight, weight > 0 ? weight : 0, memory_order_relaxed);
}

static int64_t scaled(int64_t w, int64_t units, int64_t x) {
  if (units <= 0 || x >= units) return w;
  int64_t v = (int64_t)((double)w * ((double)x / (double)units));
  return v < 0 ? 0 : v > w ? w : v;
}

void auk_progress_scan_begin(auk_progress_scan *s, int64_t units, int limited) {
  s->active = 0;
  if (quiet || atomic_load_explicit(&scan_on, memory_order_relaxed)) return; /* or nested */
  int64_t w = atomic_exchange_explicit(&next_weight, -1, memory_order_relaxed);
  if (depth == 0) w = -1; /* no query runs on this thread: nothing was announced */
  if (w < 0) {            /* not announced: a direct read, or one inside a statement */
    if (limited) return;
    if (depth == 0) reset(); /* a read on its own is a query of its own */
    w = units > 0 ? units : 0;
    atomic_fetch_add_explicit(&total, w, memory_order_relaxed);
  }
  atomic_store_explicit(&scan_w, w, memory_order_relaxed);
  atomic_store_explicit(&scan_units, units, memory_order_relaxed);
  atomic_store_explicit(&scan_at, 0, memory_order_relaxed);
  atomic_store_explicit(&scan_on, 1, memory_order_relaxed);
  s->active = 1;
}

void auk_progress_scan_add(int64_t units) {
  if (units <= 0 || !atomic_load_explicit(&scan_on, memory_order_relaxed)) return;
  int64_t w = atomic_load_explicit(&scan_w, memory_order_relaxed);
  int64_t n = atomic_load_explicit(&scan_units, memory_order_relaxed);
  int64_t old = atomic_fetch_add_explicit(&scan_at, units, memory_order_relaxed);
  int64_t d = scaled(w, n, old + units) - scaled(w, n, old);
  if (d > 0) atomic_fetch_add_explicit(&done, d, memory_order_relaxed);
}

void auk_progress_scan_end(auk_progress_scan *s) {
  if (!s->active) return;
  s->active = 0;
  int64_t w = atomic_load_explicit(&scan_w, memory_order_relaxed);
  int64_t n = atomic_load_explicit(&scan_units, memory_order_relaxed);
  int64_t d = w - scaled(w, n, atomic_load_explicit(&scan_at, memory_order_relaxed));
  if (d > 0) atomic_fetch_add_explicit(&done, d, memory_order_relaxed);
  atomic_store_explicit(&scan_on, 0, memory_order_relaxed);
}

/* done is read before total: within a query total only grows, and grows
 * before the work it counts is done, so the fraction stays within [0, 1]
 * and a poller sees it rise. */
double auk_progress(void) {
  int64_t d = atomic_load_explicit(&done, memory_order_relaxed);
  int64_t t = atomic_load_explicit(&total, memory_order_relaxed);
  if (t <= 0) return -1;
  double f = (double)d / (double)t;
  return f < 0 ? 0 : f > 1 ? 1 : f;
}
