/* bench_common.h - what the auk benchmark drivers (auk_query.c,
 * auk_groupby.c, auk_parquet.c) share: a monotonic clock, dying with a
 * message, Neumaier-compensated sums, and doubles printed as the shortest
 * text that reads back (as JavaScript prints them, so checksums compare
 * with the peers' as text). Define BENCH_NAME before including it. */
#ifndef AUK_BENCH_COMMON_H
#define AUK_BENCH_COMMON_H

#include "auk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline void die(const char *what, const auk_error *err) {
  fprintf(stderr, "%s: %s: %s\n", BENCH_NAME, what, err ? err->message : "");
  exit(1);
}

typedef struct {
  double sum, c;
} ksum; /* Neumaier's compensated sum: total is sum + c */

static inline void ks_add(ksum *k, double x) {
  double t = k->sum + x;
  if (fabs(k->sum) >= fabs(x))
    k->c += (k->sum - t) + x;
  else
    k->c += (x - t) + k->sum;
  k->sum = t;
}

/* v as the shortest text that reads back as v ("null" when not finite). */
static inline int shortest_double(char *p, size_t cap, double v) {
  if (!isfinite(v)) return snprintf(p, cap, "null");
  char tmp[32];
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, v);
    if (strtod(tmp, NULL) == v) break;
  }
  return snprintf(p, cap, "%s", tmp);
}

#endif
