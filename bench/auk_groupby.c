/* auk_groupby.c - auk's side of the groupby benchmark (bench/run_groupby.py):
 * the ten questions of the H2O db-benchmark groupby task, in memory.
 *
 * Reads the CSV into memory once with auk_read_csv (the load, timed on its
 * own), then runs each question REPS times in a row (as db-benchmark does:
 * q1 run 1, q1 run 2, q2 run 1, ...). A run builds a lazy plan over the
 * frame (auk_frame_lazy, untimed) and times auk_lazy_collect only
 * (CLOCK_MONOTONIC). Untimed, it takes a checksum of every result, as
 * db-benchmark's `chk`: the row count, and per measure column the sum of its
 * non-null, non-NaN values, its null count, its NaN count and its count of
 * values equal to 0; every run must give the same one.
 * Prints one JSON line for the load and one per question:
 *
 *   {"engine":"auk","op":"load","times":[s],"rows":N,...}
 *   {"engine":"auk","op":"q1","times":[s,s],"check":{"rows":96,"sums":{"v1":..},"nulls":{"v1":0}}}
 *
 * The questions and their measure columns (bench/engines/groupby_common.mjs
 * has the same list for the Polars and DuckDB drivers; keep them in step):
 *   q1  sum v1 by id1                          v1
 *   q2  sum v1 by id1:id2                      v1
 *   q3  sum v1 mean v3 by id3                  v1, v3
 *   q4  mean v1:v3 by id4                      v1, v2, v3
 *   q5  sum v1:v3 by id6                       v1, v2, v3
 *   q6  median v3 sd v3 by id4 id5             median_v3, sd_v3
 *   q7  max v1 - min v2 by id3                 range_v1_v2
 *   q8  largest two v3 by id6                  largest2_v3
 *   q9  regression v1 v2 by id2 id4            r2
 *   q10 sum v3 count by id1:id6                v3, count
 * Sums of floats are compensated (Neumaier); sums of integers exact.
 *
 *   auk_groupby FILE.csv [REPS] [THREADS] [QUESTIONS]
 * THREADS: 0 or absent for AUK_THREADS; QUESTIONS: comma-separated subset
 * (q1,q8), default all. */
#define _POSIX_C_SOURCE 200809L
#define BENCH_NAME "auk_groupby"
#include "auk.h"
#include "bench_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REPS 64
#define NQ 10

static const char *measures[NQ][4] = {
    {"v1"},        {"v1"},          {"v1", "v3"}, {"v1", "v2", "v3"}, {"v1", "v2", "v3"},
    {"median_v3", "sd_v3"}, {"range_v1_v2"}, {"largest2_v3"}, {"r2"}, {"v3", "count"}};

static auk_expr *al(auk_expr *e, const char *name) {
  return auk_alias(e, name);
}

static auk_lazy *plan(const auk_frame *df, int q) {
  auk_error err;
  auk_lazy *lf;
  if (auk_frame_lazy(df, &lf, &err)) die("frame_lazy", &err);
  auk_status st = AUK_OK;
  auk_expr *k[6], *a[4];
  int nk = 0, na = 0;
  switch (q) {
    case 0: /* sum v1 by id1 */
      k[nk++] = auk_col("id1");
      a[na++] = al(auk_sum(auk_col("v1")), "v1");
      break;
    case 1: /* sum v1 by id1:id2 */
      k[nk++] = auk_col("id1");
      k[nk++] = auk_col("id2");
      a[na++] = al(auk_sum(auk_col("v1")), "v1");
      break;
    case 2: /* sum v1 mean v3 by id3 */
      k[nk++] = auk_col("id3");
      a[na++] = al(auk_sum(auk_col("v1")), "v1");
      a[na++] = al(auk_mean(auk_col("v3")), "v3");
      break;
    case 3: /* mean v1:v3 by id4 */
      k[nk++] = auk_col("id4");
      a[na++] = al(auk_mean(auk_col("v1")), "v1");
      a[na++] = al(auk_mean(auk_col("v2")), "v2");
      a[na++] = al(auk_mean(auk_col("v3")), "v3");
      break;
    case 4: /* sum v1:v3 by id6 */
      k[nk++] = auk_col("id6");
      a[na++] = al(auk_sum(auk_col("v1")), "v1");
      a[na++] = al(auk_sum(auk_col("v2")), "v2");
      a[na++] = al(auk_sum(auk_col("v3")), "v3");
      break;
    case 5: /* median v3 sd v3 by id4 id5 */
      k[nk++] = auk_col("id4");
      k[nk++] = auk_col("id5");
      a[na++] = al(auk_median(auk_col("v3")), "median_v3");
      a[na++] = al(auk_std(auk_col("v3"), 1), "sd_v3");
      break;
    case 6: /* max v1 - min v2 by id3 */
      k[nk++] = auk_col("id3");
      a[na++] = al(auk_sub(auk_max(auk_col("v1")), auk_min(auk_col("v2"))), "range_v1_v2");
      break;
    case 7: { /* largest two v3 by id6 */
      const char *v3[] = {"v3"}, *id6[] = {"id6"};
      auk_expr *sk[] = {auk_col("v3")};
      int desc[] = {1};
      st = auk_lazy_drop_nulls(lf, 1, v3, &err);
      if (!st) st = auk_lazy_sort(lf, 1, sk, desc, NULL, &err);
      if (!st) st = auk_lazy_group_head(lf, 1, id6, 2, &err);
      if (!st) {
        auk_expr *sel[] = {auk_col("id6"), al(auk_col("v3"), "largest2_v3")};
        st = auk_lazy_select(lf, 2, sel, &err);
      }
      break;
    }
    case 8: /* regression v1 v2 by id2 id4: corr^2 */
      k[nk++] = auk_col("id2");
      k[nk++] = auk_col("id4");
      a[na++] = al(auk_call2("pow", auk_corr(auk_col("v1"), auk_col("v2")), auk_lit_int(2)), "r2");
      break;
    case 9: /* sum v3 count by id1:id6 */
      k[nk++] = auk_col("id1");
      k[nk++] = auk_col("id2");
      k[nk++] = auk_col("id3");
      k[nk++] = auk_col("id4");
      k[nk++] = auk_col("id5");
      k[nk++] = auk_col("id6");
      a[na++] = al(auk_sum(auk_col("v3")), "v3");
      a[na++] = al(auk_len(), "count");
      break;
  }
  if (nk) st = auk_lazy_group_by(lf, nk, k, na, a, 0, &err);
  if (st) {
    char what[16];
    snprintf(what, sizeof what, "q%d", q + 1);
    die(what, &err);
  }
  return lf;
}

/* ------------------------------------------------------------ checksums */

static void put_double(char **p, char *end, double v) {
  *p += shortest_double(*p, (size_t)(end - *p), v);
}

static int is_int_type(auk_type_id t) {
  return t >= AUK_TYPE_INT8 && t <= AUK_TYPE_UINT64;
}

static void checksum(char *buf, size_t cap, const auk_frame *r, int q) {
  char *p = buf, *end = buf + cap;
  int64_t n = auk_frame_num_rows(r);
  int64_t nulls[4] = {0}, nans[4] = {0}, zeros[4] = {0};
  p += snprintf(p, (size_t)(end - p), "{\"rows\":%lld,\"sums\":{", (long long)n);
  int m = 0;
  for (; m < 4 && measures[q][m]; m++) {
    const char *name = measures[q][m];
    int c = auk_frame_column_index(r, name);
    if (c < 0) {
      fprintf(stderr, "auk_groupby: q%d result has no column %s\n", q + 1, name);
      exit(1);
    }
    auk_error err;
    int null;
    p += snprintf(p, (size_t)(end - p), "%s\"%s\":", m ? "," : "", name);
    if (is_int_type(auk_frame_column_type(r, c))) {
      long long s = 0;
      for (int64_t i = 0; i < n; i++) {
        int64_t v;
        if (auk_frame_get_int(r, c, i, &v, &null, &err)) die("get_int", &err);
        if (null) {
          nulls[m]++;
        } else {
          s += v;
          zeros[m] += v == 0;
        }
      }
      p += snprintf(p, (size_t)(end - p), "%lld", s);
    } else {
      ksum k = {0, 0};
      for (int64_t i = 0; i < n; i++) {
        double v;
        if (auk_frame_get_double(r, c, i, &v, &null, &err)) die("get_double", &err);
        if (null) {
          nulls[m]++;
        } else if (isnan(v)) {
          nans[m]++;
        } else {
          ks_add(&k, v);
          zeros[m] += v == 0;
        }
      }
      put_double(&p, end, k.sum + k.c);
    }
  }
  p += snprintf(p, (size_t)(end - p), "},\"nulls\":{");
  for (int j = 0; j < m; j++)
    p += snprintf(p, (size_t)(end - p), "%s\"%s\":%lld", j ? "," : "", measures[q][j],
                  (long long)nulls[j]);
  p += snprintf(p, (size_t)(end - p), "},\"nans\":{");
  for (int j = 0; j < m; j++)
    p += snprintf(p, (size_t)(end - p), "%s\"%s\":%lld", j ? "," : "", measures[q][j],
                  (long long)nans[j]);
  p += snprintf(p, (size_t)(end - p), "},\"zeros\":{");
  for (int j = 0; j < m; j++)
    p += snprintf(p, (size_t)(end - p), "%s\"%s\":%lld", j ? "," : "", measures[q][j],
                  (long long)zeros[j]);
  snprintf(p, (size_t)(end - p), "}}");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: auk_groupby FILE.csv [REPS] [THREADS] [QUESTIONS]\n");
    return 2;
  }
  const char *path = argv[1];
  int reps = argc > 2 ? atoi(argv[2]) : 2;
  if (reps < 1 || reps > MAX_REPS) reps = 2;
  if (argc > 3 && atoi(argv[3]) > 0) auk_set_threads(atoi(argv[3]));
  int want[NQ];
  for (int i = 0; i < NQ; i++) want[i] = argc <= 4;
  for (const char *p = argc > 4 ? argv[4] : ""; *p;) {
    size_t len = strcspn(p, ",");
    int q = (p[0] == 'q' || p[0] == 'Q') ? atoi(p + 1) : 0;
    if (q < 1 || q > NQ) {
      fprintf(stderr, "auk_groupby: unknown question %.*s\n", (int)len, p);
      return 2;
    }
    want[q - 1] = 1;
    p += len + (p[len] == ',');
  }

  auk_error err;
  auk_frame *df;
  double t0 = now();
  if (auk_read_csv(path, NULL, &df, &err)) die("read_csv", &err);
  double tload = now() - t0;
  printf("{\"engine\":\"auk\",\"op\":\"load\",\"times\":[%.6f],\"rows\":%lld,\"threads\":%d,"
         "\"types\":{",
         tload, (long long)auk_frame_num_rows(df), auk_get_threads());
  for (int c = 0; c < auk_frame_num_columns(df); c++)
    printf("%s\"%s\":\"%s\"", c ? "," : "", auk_frame_column_name(df, c),
           auk_type_name(auk_frame_column_type(df, c)));
  printf("}}\n");
  fflush(stdout);

  for (int q = 0; q < NQ; q++) {
    if (!want[q]) continue;
    double times[MAX_REPS];
    char first[1024] = "", other[1024] = "";
    for (int rep = 0; rep < reps; rep++) {
      auk_lazy *lf = plan(df, q);
      auk_frame *r;
      double t = now();
      if (auk_lazy_collect(lf, &r, &err)) {
        char what[16];
        snprintf(what, sizeof what, "q%d", q + 1);
        die(what, &err);
      }
      times[rep] = now() - t;
      auk_lazy_free(lf);
      char c[1024];
      checksum(c, sizeof c, r, q);
      auk_frame_free(r);
      if (rep == 0)
        strcpy(first, c);
      else if (strcmp(c, first) != 0 && !other[0])
        strcpy(other, c);
    }
    printf("{\"engine\":\"auk\",\"op\":\"q%d\",\"times\":[", q + 1);
    for (int rep = 0; rep < reps; rep++) printf("%s%.6f", rep ? "," : "", times[rep]);
    printf("],\"check\":%s", first);
    if (other[0]) printf(",\"check_other_rep\":%s", other);
    printf("}\n");
    fflush(stdout);
  }
  auk_frame_free(df);
  return 0;
}
