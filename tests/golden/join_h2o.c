/* join_h2o.c - the five H2O db-benchmark join questions on the 1M-row
 * tables of bench/gen_join.c, checked against DuckDB's answers
 * (tests/data/expected/join_h2o_1e6.txt, written by
 * tests/golden/duckdb_join_expected.mjs): the row count, the null count of
 * v2 exactly, the sums of v1 and v2 to a relative 1e-9; at 1 and 2
 * threads, which must also agree with each other exactly.
 *   test_join_h2o GEN_JOIN DIR EXPECTED
 * makes the tables in DIR with GEN_JOIN when they are not there. */
#define _POSIX_C_SOURCE 200809L
#include "auk.h"
#include "check.h"

#include <math.h>
#include <sys/stat.h>

static const char *right_file[5] = {"1e0", "1e3", "1e3", "1e3", "1e6"};
static const char *key[5] = {"id1", "id2", "id2", "id5", "id3"};
static const auk_join_type how[5] = {AUK_JOIN_INNER, AUK_JOIN_INNER, AUK_JOIN_LEFT, AUK_JOIN_INNER,
                                     AUK_JOIN_INNER};

static double sum_col(const auk_frame *f, const char *name, int64_t *nulls) {
  int c = auk_frame_column_index(f, name);
  double s = 0, comp = 0;
  *nulls = 0;
  for (int64_t i = 0; c >= 0 && i < auk_frame_num_rows(f); i++) {
    double v;
    int null;
    auk_frame_get_double(f, c, i, &v, &null, NULL);
    if (null) {
      (*nulls)++;
      continue;
    }
    double t = s + v; /* Neumaier */
    comp += fabs(s) >= fabs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return s + comp;
}

static auk_frame *load(const char *dir, const char *which) {
  char path[4096];
  snprintf(path, sizeof path, "%s/J1_1e6_%s_0_0.csv", dir, which);
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv(path, NULL, &f, &err)) fprintf(stderr, "%s: %s\n", path, err.message);
  return f;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: test_join_h2o GEN_JOIN DIR EXPECTED\n");
    return 2;
  }
  char probe[4096], cmd[8400];
  snprintf(probe, sizeof probe, "%s/J1_1e6_1e6_0_0.csv", argv[2]);
  struct stat st;
  if (stat(probe, &st)) {
    mkdir(argv[2], 0777);
    snprintf(cmd, sizeof cmd, "'%s' 1e6 '%s' >/dev/null", argv[1], argv[2]);
    if (system(cmd)) {
      fprintf(stderr, "test_join_h2o: %s failed\n", cmd);
      return 1;
    }
  }
  FILE *ef = fopen(argv[3], "r");
  if (!ef) {
    fprintf(stderr, "test_join_h2o: no %s\n", argv[3]);
    return 1;
  }
  long long erows[5], enulls[5];
  double ev1[5], ev2[5];
  char line[512];
  int nq = 0;
  while (nq < 5 && fgets(line, sizeof line, ef))
    if (line[0] == 'q' &&
        sscanf(line, "q%*d %lld %lf %lf %lld", &erows[nq], &ev1[nq], &ev2[nq], &enulls[nq]) == 4)
      nq++;
  fclose(ef);
  CHECK_INT(nq, 5);
  auk_frame *x = load(argv[2], "NA");
  CHECK(x != NULL);
  double first[5][2];
  for (int threads = 1; threads <= 2 && x; threads++) {
    auk_set_threads(threads);
    for (int q = 0; q < nq; q++) {
      auk_frame *y = load(argv[2], right_file[q]), *r = NULL;
      auk_lazy *lx = NULL, *ly = NULL;
      auk_error err;
      const char *on[] = {key[q]};
      if (!y || auk_frame_lazy(x, &lx, &err) || auk_frame_lazy(y, &ly, &err) ||
          auk_lazy_join(lx, ly, 1, on, on, how[q], NULL, &err) || auk_lazy_collect(lx, &r, &err)) {
        fprintf(stderr, "q%d: %s\n", q + 1, err.message);
        CHECK(0);
      } else {
        int64_t n1, n2;
        double s1 = sum_col(r, "v1", &n1), s2 = sum_col(r, "v2", &n2);
        CHECK_INT(auk_frame_num_rows(r), erows[q]);
        CHECK_INT(n1, 0);
        CHECK_INT(n2, enulls[q]);
        CHECK(fabs(s1 - ev1[q]) <= 1e-9 * fabs(ev1[q]));
        CHECK(fabs(s2 - ev2[q]) <= 1e-9 * fabs(ev2[q]));
        if (threads == 1) {
          first[q][0] = s1;
          first[q][1] = s2;
        } else {
          CHECK(s1 == first[q][0] && s2 == first[q][1]);
        }
      }
      auk_frame_free(r);
      auk_frame_free(y);
      auk_lazy_free(lx);
    }
  }
  auk_set_threads(0);
  auk_frame_free(x);
  return check_done();
}
