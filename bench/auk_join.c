/* auk_join.c - auk's side of the join benchmark (bench/run_join.py): the
 * five questions of the H2O db-benchmark join task, in memory.
 *
 * Reads the four CSV files (x, small, medium, big; bench/gen_join.c) into
 * memory once with auk_read_csv (the load, timed on its own), then runs each
 * question REPS times in a row (q1 run 1, q1 run 2, q2 run 1, ...). A run
 * builds a lazy plan over the frames (untimed) and times auk_lazy_collect
 * only. Untimed, it takes a checksum of the result: the row count, and for
 * v1 and v2 the sum of the non-null, non-NaN values, the null and NaN counts; every run
 * must give the same one. One JSON line for the load and one per question:
 *
 *   {"engine":"auk","op":"q1","times":[s,s],"check":{"rows":N,"sums":{"v1":..,"v2":..},...}}
 *
 *   q1  x inner join small on id1        q4  x inner join medium on id5
 *   q2  x inner join medium on id2       q5  x inner join big on id3
 *   q3  x left join medium on id2
 * (bench/engines/join_common.mjs has the same list for Polars and DuckDB.)
 *
 *   auk_join X.csv SMALL.csv MEDIUM.csv BIG.csv [REPS] [THREADS] [QUESTIONS]
 */
#define _POSIX_C_SOURCE 200809L
#define BENCH_NAME "auk_join"
#include "auk.h"
#include "bench_common.h"

#define MAX_REPS 64
#define NQ 5

static const char *key[NQ] = {"id1", "id2", "id2", "id5", "id3"};
static const int right_table[NQ] = {0, 1, 1, 1, 2};
static const auk_join_type how[NQ] = {AUK_JOIN_INNER, AUK_JOIN_INNER, AUK_JOIN_LEFT, AUK_JOIN_INNER,
                                      AUK_JOIN_INNER};

static auk_lazy *plan(auk_frame *const *df, int q) {
  auk_error err;
  auk_lazy *x, *y;
  if (auk_frame_lazy(df[0], &x, &err) || auk_frame_lazy(df[1 + right_table[q]], &y, &err))
    die("frame_lazy", &err);
  const char *on[] = {key[q]};
  if (auk_lazy_join(x, y, 1, on, on, how[q], NULL, &err)) die("join", &err);
  return x;
}

static void checksum(char *buf, size_t cap, const auk_frame *r) {
  static const char *m[2] = {"v1", "v2"};
  char *p = buf, *end = buf + cap;
  int64_t n = auk_frame_num_rows(r), nulls[2] = {0, 0}, nans[2] = {0, 0};
  p += snprintf(p, (size_t)(end - p), "{\"rows\":%lld,\"sums\":{", (long long)n);
  for (int j = 0; j < 2; j++) {
    int c = auk_frame_column_index(r, m[j]);
    if (c < 0) {
      fprintf(stderr, "auk_join: result has no column %s\n", m[j]);
      exit(1);
    }
    ksum k = {0, 0};
    auk_error err;
    for (int64_t i = 0; i < n; i++) {
      double v;
      int null;
      if (auk_frame_get_double(r, c, i, &v, &null, &err)) die("get_double", &err);
      if (null)
        nulls[j]++;
      else if (isnan(v))
        nans[j]++;
      else
        ks_add(&k, v);
    }
    p += snprintf(p, (size_t)(end - p), "%s\"%s\":", j ? "," : "", m[j]);
    p += shortest_double(p, (size_t)(end - p), k.sum + k.c);
  }
  snprintf(p, (size_t)(end - p),
           "},\"nulls\":{\"v1\":%lld,\"v2\":%lld},\"nans\":{\"v1\":%lld,\"v2\":%lld}}",
           (long long)nulls[0], (long long)nulls[1], (long long)nans[0], (long long)nans[1]);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: auk_join X.csv SMALL.csv MEDIUM.csv BIG.csv [REPS] [THREADS] [Qs]\n");
    return 2;
  }
  int reps = argc > 5 ? atoi(argv[5]) : 2;
  if (reps < 1 || reps > MAX_REPS) reps = 2;
  if (argc > 6 && atoi(argv[6]) > 0) auk_set_threads(atoi(argv[6]));
  int want[NQ];
  for (int i = 0; i < NQ; i++) want[i] = argc <= 7;
  for (const char *p = argc > 7 ? argv[7] : ""; *p;) {
    size_t len = strcspn(p, ",");
    int q = (p[0] == 'q' || p[0] == 'Q') ? atoi(p + 1) : 0;
    if (q < 1 || q > NQ) {
      fprintf(stderr, "auk_join: unknown question %.*s\n", (int)len, p);
      return 2;
    }
    want[q - 1] = 1;
    p += len + (p[len] == ',');
  }

  auk_error err;
  auk_frame *df[4];
  double t0 = now();
  for (int i = 0; i < 4; i++)
    if (auk_read_csv(argv[1 + i], NULL, &df[i], &err)) die("read_csv", &err);
  double tload = now() - t0;
  printf("{\"engine\":\"auk\",\"op\":\"load\",\"times\":[%.6f],\"rows\":%lld,\"threads\":%d}\n",
         tload, (long long)auk_frame_num_rows(df[0]), auk_get_threads());
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
      checksum(c, sizeof c, r);
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
  for (int i = 0; i < 4; i++) auk_frame_free(df[i]);
  return 0;
}
