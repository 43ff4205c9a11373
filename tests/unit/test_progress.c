/* test_progress.c - auk_progress: the counters' arithmetic (weights, the
 * scaling of a reader's units, nested and limited scans, exact totals from
 * many threads), then real reads sampled from another thread while they
 * run: a CSV read, a Parquet read, SQL over several scans (a union and a
 * join: one fraction that only rises), a filter over a frame in memory,
 * and a group-by over a frame (no fraction). The files are generated big
 * enough to take a while, so the sampler sees values between 0 and 1. */
#include "auk.h"
#include "check.h"
#include "core/progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

static char dir[256];

/* A fresh start between cases: the outermost enter clears the counters. */
static void clear(void) {
  auk_progress_enter();
  auk_progress_leave();
}

static void test_counters(void) {
  clear();
  CHECK(auk_progress() == -1); /* nothing counted: unknown */

  /* a read on its own: its units are its weight */
  auk_progress_scan s;
  auk_progress_scan_begin(&s, 1000, 0);
  CHECK(auk_progress() == 0);
  auk_progress_scan_add(250);
  CHECK(auk_progress() == 0.25);
  auk_progress_scan_add(250);
  CHECK(auk_progress() == 0.5);
  auk_progress_scan_end(&s); /* stopped early (a head): the rest counts as done */
  CHECK(auk_progress() == 1);
  auk_progress_scan_add(100); /* after the end: nothing */
  CHECK(auk_progress() == 1);

  /* a query of two announced scans; the readers' units are scaled */
  auk_progress_enter();
  auk_progress_plan(100);
  auk_progress_plan(300);
  CHECK(auk_progress() == 0);
  auk_progress_expect(100);
  auk_progress_scan_begin(&s, 7, 0);
  auk_progress_scan t;
  auk_progress_scan_begin(&t, 5, 0); /* nested: folded into the outer scan */
  CHECK(!t.active);
  auk_progress_scan_add(7);
  auk_progress_scan_end(&t);
  CHECK(auk_progress() == 0.25);
  auk_progress_scan_end(&s);
  CHECK(auk_progress() == 0.25);
  auk_progress_scan u;
  auk_progress_scan_begin(&u, 10, 1); /* a head read while planning: not counted */
  CHECK(!u.active);
  auk_progress_scan_end(&u);
  auk_progress_expect(300);
  auk_progress_scan_begin(&s, (int64_t)1 << 50, 1); /* announced: counted though limited */
  CHECK(s.active);
  auk_progress_scan_add((int64_t)1 << 49);
  CHECK(auk_progress() == 0.625);
  auk_progress_scan_end(&s);
  CHECK(auk_progress() == 1);
  /* a second query inside the same statement adds to the totals */
  auk_progress_enter();
  auk_progress_plan(400);
  CHECK(auk_progress() == 0.5);
  auk_progress_leave();
  auk_progress_leave();
  auk_progress_enter(); /* the next statement starts from nothing */
  CHECK(auk_progress() == -1);
  auk_progress_leave();

  /* a scan announced but never begun (its query failed first) leaves
   * nothing behind: the next read on its own starts afresh */
  auk_progress_enter();
  auk_progress_plan(500);
  auk_progress_expect(500);
  auk_progress_leave();
  auk_progress_scan_begin(&s, 100, 0);
  auk_progress_scan_add(50);
  CHECK(auk_progress() == 0.5);
  auk_progress_scan_end(&s);
  CHECK(auk_progress() == 1);
}

/* Many threads adding to one scan whose units do not divide its weight:
 * the scaled parts still sum to the weight exactly. */
static void *adder(void *arg) {
  (void)arg;
  for (int i = 0; i < 10000; i++) auk_progress_scan_add(1);
  return NULL;
}

static void test_threads(void) {
  clear();
  auk_progress_scan s;
  auk_progress_scan_begin(&s, 40000, 0);
  auk_progress_scan_end(&s);
  auk_progress_enter();
  auk_progress_plan(1000000007);
  auk_progress_expect(1000000007);
  auk_progress_scan_begin(&s, 40000, 0);
  pthread_t th[4];
  for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, adder, NULL);
  for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  CHECK(auk_progress() == 1); /* before the end tops anything up */
  auk_progress_scan_end(&s);
  CHECK(auk_progress() == 1);
  auk_progress_leave();
}

/* ------------------------------------------------ sampling real reads */

typedef struct sampler {
  pthread_t th;
  atomic_int stop;
  int64_t n, between, drops; /* samples, samples in (0, 1), falls */
  double first, last, worst_prev, worst_next;
} sampler;

static void *sample_main(void *arg) {
  sampler *s = arg;
  double prev = -1;
  while (!atomic_load(&s->stop)) {
    double v = auk_progress();
    s->n++;
    if (v > 0 && v < 1) s->between++;
    if (prev >= 0 && v < prev) { /* once known, the value must never fall */
      s->drops++;
      s->worst_prev = prev;
      s->worst_next = v;
    }
    if (s->first < 0 && v >= 0) s->first = v;
    if (v >= 0 || prev < 0)
      prev = v;
    else
      prev = 2; /* known, then unknown: counts as a fall next time */
    usleep(20); /* thousands of samples a second, without taking a core */
  }
  return NULL;
}

static void sample_start(sampler *s) {
  clear();
  memset(s, 0, sizeof *s);
  s->first = -1;
  atomic_init(&s->stop, 0);
  pthread_create(&s->th, NULL, sample_main, s);
}

/* Stops the sampler and checks what it saw: a fraction that only rose,
 * some values on the way, and 1 at the end (or -1 throughout). */
static void sample_check(sampler *s, const char *what, int known) {
  atomic_store(&s->stop, 1);
  pthread_join(s->th, NULL);
  s->last = auk_progress();
  int ok = known ? s->drops == 0 && s->between > 0 && s->last == 1 : s->last == -1 && s->first < 0;
  if (!ok)
    fprintf(stderr, "%s: %lld samples, %lld between 0 and 1, %lld falls (%g -> %g), last %g\n",
            what, (long long)s->n, (long long)s->between, (long long)s->drops, s->worst_prev,
            s->worst_next, s->last);
  CHECK(ok);
}

static int write_csv(const char *path, int64_t rows) {
  FILE *f = fopen(path, "w");
  if (!f) return 1;
  fputs("a,b,s\n", f);
  for (int64_t i = 0; i < rows; i++)
    fprintf(f, "%lld,%s,name%lld\n", (long long)i, i % 7 ? "false" : "true", (long long)(i % 997));
  return fclose(f) != 0;
}

static void test_reads(void) {
  char csv[300], pq[300], sql[1200];
  snprintf(csv, sizeof csv, "%s/p.csv", dir);
  snprintf(pq, sizeof pq, "%s/p.parquet", dir);
  const int64_t rows = 3000000;
  if (write_csv(csv, rows)) {
    CHECK(!"cannot write the CSV file");
    return;
  }
  auk_error err;
  sampler s;

  auk_frame *f = NULL;
  sample_start(&s);
  CHECK_INT(auk_read_csv(csv, NULL, &f, &err), AUK_OK);
  sample_check(&s, "CSV read", 1);
  if (!f) return;
  CHECK_INT(auk_frame_num_rows(f), rows);

  auk_parquet_write_options wo;
  auk_parquet_write_options_init(&wo);
  wo.row_group_rows = 65536; /* 46 row groups x 3 columns */
  CHECK_INT(auk_write_parquet(f, pq, &wo, &err), AUK_OK);
  auk_frame *g = NULL;
  sample_start(&s);
  CHECK_INT(auk_read_parquet(pq, NULL, &g, &err), AUK_OK);
  sample_check(&s, "Parquet read", 1);
  CHECK_INT(g ? auk_frame_num_rows(g) : -1, rows);
  auk_frame_free(g);

  auk_db *db;
  if (auk_db_open(&db, &err)) {
    CHECK(!"auk_db_open");
    auk_frame_free(f);
    return;
  }
  /* three scans of two files: one fraction for all, from the start */
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM (SELECT a FROM '%s' WHERE b UNION ALL SELECT a FROM '%s' WHERE "
           "b UNION ALL SELECT a FROM '%s')",
           csv, pq, csv);
  auk_frame *r = NULL;
  sample_start(&s);
  CHECK_INT(auk_sql(db, sql, &r, &err), AUK_OK);
  sample_check(&s, "SQL union of three scans", 1);
  auk_frame_free(r);
  /* a join: the right side is read first, then the left */
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM '%s' c JOIN (SELECT * FROM '%s' WHERE a %% 3 = 0) p ON c.a = p.a",
           csv, pq);
  r = NULL;
  sample_start(&s);
  CHECK_INT(auk_sql(db, sql, &r, &err), AUK_OK);
  sample_check(&s, "SQL join of two files", 1);
  int64_t n = -1;
  int is_null;
  if (r) CHECK_INT(auk_frame_get_int(r, 0, 0, &n, &is_null, &err), AUK_OK);
  CHECK_INT(n, rows / 3);
  auk_frame_free(r);

  /* a frame in memory: a filter over its batches counts them; a group-by
   * with keys over it tells nothing (the group-by does the work) */
  CHECK_INT(auk_db_register(db, "t", f, &err), AUK_OK);
  sample_start(&s);
  r = NULL;
  CHECK_INT(auk_sql(db, "SELECT count(*) FROM t WHERE s LIKE '%7%' OR a % 5 = 1", &r, &err),
            AUK_OK);
  sample_check(&s, "filter over a frame", 1);
  auk_frame_free(r);
  sample_start(&s);
  r = NULL;
  CHECK_INT(auk_sql(db, "SELECT s, count(*) FROM t WHERE a % 5 = 1 GROUP BY s", &r, &err), AUK_OK);
  sample_check(&s, "group-by over a frame", 0);
  auk_frame_free(r);
  /* a SELECT without FROM reads a one-row source from memory while it is
   * planned: not progress, so a join with it still knows nothing */
  sample_start(&s);
  r = NULL;
  CHECK_INT(
      auk_sql(db, "SELECT count(*) FROM t JOIN (SELECT 3 AS k) AS y ON t.a % 7 = y.k", &r, &err),
      AUK_OK);
  sample_check(&s, "join of a frame with a SELECT without FROM", 0);
  auk_frame_free(r);
  auk_db_close(db);
  auk_frame_free(f);
  unlink(csv);
  unlink(pq);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/auk_progress_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_counters();
  test_threads();
  test_reads();
  rmdir(dir);
  return check_done();
}
