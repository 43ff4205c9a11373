/* alloc.c - the byte budget. A process-wide atomic counter; the limit
 * defaults to 80% of physical memory or AUK_MEMORY_LIMIT.
 *
 * Big blocks (256 KiB and more) come from mmap in power-of-two sizes and are
 * kept when freed (up to a cap) for the next allocation of their size: on
 * this machine first touching fresh memory costs about 1.6 us per 4 KiB
 * page, and a query that joins or copies whole columns spent most of its
 * time in page faults when every block went back to the kernel (so did a
 * Parquet read: a chunk's column of ~120K rows is 0.5-1 MiB, below the
 * first threshold of 1 MiB). Kept blocks do not count as used. */
#include "core/alloc.h"

#include "core/error.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ------------------------------------------------------- big-block cache */

enum { BIG_SHIFT = 18, CLASSES = 48, PER_CLASS = 256 };

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static void *big_free[CLASSES][PER_CLASS];
static int big_n[CLASSES];
static uint64_t big_cached; /* bytes held in the cache */

static int big_class(size_t n) {
  int c = BIG_SHIFT;
  while (((size_t)1 << c) < n) c++;
  return c;
}

static uint64_t big_cap(void) {
  uint64_t lim = auk_get_memory_limit() / 4, two = (uint64_t)2 << 30;
  return lim < two ? lim : two;
}

/* A block of at least n bytes (n >= 1 MiB); *fresh when it is new (zeroed). */
static void *big_alloc(size_t n, int *fresh) {
  int c = big_class(n);
  if (c >= CLASSES) return NULL;
  pthread_mutex_lock(&big_lock);
  if (big_n[c] > 0) {
    void *p = big_free[c][--big_n[c]];
    big_cached -= (uint64_t)1 << c;
    pthread_mutex_unlock(&big_lock);
    *fresh = 0;
    return p;
  }
  pthread_mutex_unlock(&big_lock);
  void *p = mmap(NULL, (size_t)1 << c, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *fresh = 1;
  return p == MAP_FAILED ? NULL : p;
}

static void big_release(void *p, size_t n) {
  int c = big_class(n);
  size_t size = (size_t)1 << c;
  pthread_mutex_lock(&big_lock);
  if (big_n[c] < PER_CLASS && big_cached + size <= big_cap()) {
    big_free[c][big_n[c]++] = p;
    big_cached += size;
    p = NULL;
  }
  pthread_mutex_unlock(&big_lock);
  if (p) munmap(p, size);
}

static _Atomic int64_t mem_used;
static _Atomic int64_t mem_peak;
static _Atomic uint64_t mem_limit; /* 0 = not yet computed */

static uint64_t default_limit(void) {
  const char *env = getenv("AUK_MEMORY_LIMIT");
  uint64_t v;
  if (env && *env && auk_parse_size(env, &v, NULL) == AUK_OK && v > 0) return v;
  long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || psize <= 0) return (uint64_t)8 << 30;
  return (uint64_t)((double)pages * (double)psize * 0.8);
}

uint64_t auk_get_memory_limit(void) {
  uint64_t l = atomic_load_explicit(&mem_limit, memory_order_relaxed);
  if (!l) {
    l = default_limit();
    atomic_store(&mem_limit, l);
  }
  return l;
}

void auk_set_memory_limit(uint64_t bytes) {
  atomic_store(&mem_limit, bytes ? bytes : default_limit());
}

uint64_t auk_memory_used(void) {
  int64_t u = atomic_load(&mem_used);
  return u > 0 ? (uint64_t)u : 0;
}
uint64_t auk_memory_peak(void) {
  return (uint64_t)atomic_load(&mem_peak);
}
void auk_memory_reset_peak(void) {
  atomic_store(&mem_peak, atomic_load(&mem_used));
}

static void fmt_bytes(char *buf, size_t cap, double b) {
  const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    u++;
  }
  snprintf(buf, cap, "%.1f %s", b, units[u]);
}

auk_status auk_mem_reserve(int64_t n, auk_error *err) {
  int64_t now = atomic_fetch_add_explicit(&mem_used, n, memory_order_relaxed) + n;
  if (n > 0) {
    uint64_t limit = auk_get_memory_limit();
    if ((uint64_t)now > limit) {
      atomic_fetch_sub_explicit(&mem_used, n, memory_order_relaxed);
      char a[32], b[32], c[32];
      fmt_bytes(a, sizeof a, (double)n);
      fmt_bytes(b, sizeof b, (double)(now - n));
      fmt_bytes(c, sizeof c, (double)limit);
      return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY,
                           "out of memory: allocating %s with %s in use would pass "
                           "the memory limit of %s (set it with --memory-limit or "
                           "AUK_MEMORY_LIMIT)",
                           a, b, c);
    }
    int64_t peak = atomic_load_explicit(&mem_peak, memory_order_relaxed);
    while (now > peak && !atomic_compare_exchange_weak_explicit(
                             &mem_peak, &peak, now, memory_order_relaxed, memory_order_relaxed)) {
    }
  }
  return AUK_OK;
}

void *auk_mem_alloc(size_t n, auk_error *err) {
  if (n > (size_t)INT64_MAX / 2) {
    auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "out of memory: allocation of %zu bytes", n);
    return NULL;
  }
  if (auk_mem_reserve((int64_t)n, err) != AUK_OK) return NULL;
  void *p = NULL;
  if (n >= ((size_t)1 << BIG_SHIFT)) {
    int fresh;
    if ((p = big_alloc(n, &fresh))) return p;
    auk_mem_reserve(-(int64_t)n, NULL);
    auk_error_set(err, AUK_ERR_OUT_OF_MEMORY,
                  "out of memory: the system refused an allocation of %zu bytes", n);
    return NULL;
  }
  size_t rounded = (n + 63) & ~(size_t)63;
  if (posix_memalign(&p, 64, rounded ? rounded : 64) != 0) {
    auk_mem_reserve(-(int64_t)n, NULL);
    auk_error_set(err, AUK_ERR_OUT_OF_MEMORY,
                  "out of memory: the system refused an allocation of %zu bytes", n);
    return NULL;
  }
  return p;
}

void *auk_mem_calloc(size_t n, auk_error *err) {
  if (n >= ((size_t)1 << BIG_SHIFT) && n <= (size_t)INT64_MAX / 2) {
    /* fresh mappings are zero already: no need to touch their pages */
    if (auk_mem_reserve((int64_t)n, err) != AUK_OK) return NULL;
    int fresh;
    void *p = big_alloc(n, &fresh);
    if (!p) {
      auk_mem_reserve(-(int64_t)n, NULL);
      auk_error_set(err, AUK_ERR_OUT_OF_MEMORY,
                    "out of memory: the system refused an allocation of %zu bytes", n);
      return NULL;
    }
    if (!fresh) memset(p, 0, n);
    return p;
  }
  void *p = auk_mem_alloc(n, err);
  if (p) memset(p, 0, n);
  return p;
}

void *auk_mem_realloc(void *p, size_t old_n, size_t new_n, auk_error *err) {
  if (!p) return auk_mem_alloc(new_n, err);
  void *q = auk_mem_alloc(new_n, err);
  if (!q) return NULL;
  memcpy(q, p, old_n < new_n ? old_n : new_n);
  auk_mem_free(p, old_n);
  return q;
}

void auk_mem_free(void *p, size_t n) {
  if (!p) return;
  if (n >= ((size_t)1 << BIG_SHIFT))
    big_release(p, n);
  else
    free(p);
  atomic_fetch_sub_explicit(&mem_used, (int64_t)n, memory_order_relaxed);
}

char *auk_str_dup(const char *s, auk_error *err) {
  size_t n = strlen(s) + 1;
  char *d = auk_mem_alloc(n, err);
  if (d) memcpy(d, s, n);
  return d;
}

void auk_str_free(char *s) {
  if (s) auk_mem_free(s, strlen(s) + 1);
}

auk_status auk_parse_size(const char *text, uint64_t *out, auk_error *err) {
  if (!text || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "size: missing text");
  char *end;
  double v = strtod(text, &end);
  if (end == text || !(v >= 0) || isinf(v))
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "cannot read '%s' as a size (expected e.g. 512MB or 2GiB)", text);
  while (*end == ' ') end++;
  char unit[8] = {0};
  size_t k = 0;
  while (*end && k < sizeof unit - 1) unit[k++] = (char)tolower((unsigned char)*end++);
  if (*end) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "cannot read '%s' as a size", text);
  double mult = 1;
  static const struct {
    const char *u;
    double m;
  } units[] = {{"", 1},          {"b", 1},
               {"k", 1024},      {"kb", 1e3},
               {"kib", 1024},    {"m", 1048576.0},
               {"mb", 1e6},      {"mib", 1048576.0},
               {"g", 1 << 30},   {"gb", 1e9},
               {"gib", 1 << 30}, {"t", 1099511627776.0},
               {"tb", 1e12},     {"tib", 1099511627776.0}};
  int found = 0;
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (!strcmp(unit, units[i].u)) {
      mult = units[i].m;
      found = 1;
    }
  if (!found)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "unknown size unit '%s' in '%s' (use B, KB, MB, GB, KiB, MiB, GiB)", unit,
                         text);
  *out = (uint64_t)(v * mult);
  return AUK_OK;
}
