/* auk_parquet.c - auk's side of the Parquet benchmark (bench/run_parquet.py)
 * on the H2O groupby table written as Parquet.
 *
 *   auk_parquet read FILE.parquet [REPS] [THREADS]
 *     Each repetition runs, in this order, timing each with CLOCK_MONOTONIC:
 *       full  auk_read_parquet(FILE, NULL)                 every column into memory
 *       v3    auk_read_parquet(FILE, {columns = {"v3"}})   one column
 *       q1    auk_scan_parquet + auk_lazy_group_by(id1; sum(v1) as v1)
 *             + auk_lazy_collect                           straight from the file
 *       q3    the same by id3; sum(v1) as v1, mean(v3) as v3
 *     The plan is built inside the timed span (the scan reads the footer).
 *
 *   auk_parquet write FILE.csv OUT.parquet [REPS] [THREADS]
 *     auk_read_csv(FILE) once (the `load_csv` line, timed on its own), then
 *     REPS times auk_write_parquet(frame, OUT, {compression = ZSTD, other
 *     options default}) (`write_zstd`). Untimed afterwards: OUT is read back
 *     with auk_read_parquet and checksummed as `full` is; its size is given.
 *
 * Checksums (untimed; bench/engines/parquet_common.mjs computes the same for
 * the peers; keep them in step): the row count, and per result column its
 * null count and "sum": integers summed exactly, floats compensated
 * (Neumaier), strings the total of their lengths in bytes. The scans also
 * give the first and last value of v3 (and of id3 for `full`), since row
 * order must survive a read. Every rep's checksum must be the same; the
 * first rep's and the last rep's are taken.
 * Prints one JSON line per operation:
 *   {"engine":"auk","op":"q1","times":[s,..],"check":{"rows":100,"cols":{"id1":{"sum":500,"nulls":0},..}}}
 */
#define _POSIX_C_SOURCE 200809L
#define BENCH_NAME "auk_parquet"
#include "auk.h"
#include "bench_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_REPS 64
#define CHK 4096

/* ------------------------------------------------------------ checksums */

static int put_double(char *p, size_t cap, double v) {
  return shortest_double(p, cap, v);
}

static int is_int_type(auk_type_id t) {
  return t >= AUK_TYPE_INT8 && t <= AUK_TYPE_UINT64;
}

/* value of column `name` at row as JSON (number or string) */
static int put_cell(char *p, size_t cap, const auk_frame *r, const char *name, int64_t row) {
  int c = auk_frame_column_index(r, name);
  auk_error err;
  int null = 0;
  if (c < 0) return snprintf(p, cap, "null");
  auk_type_id t = auk_frame_column_type(r, c);
  if (t == AUK_TYPE_STRING) {
    const char *d;
    int64_t len;
    if (auk_frame_get_string(r, c, row, &d, &len, &null, &err)) die("get_string", &err);
    return null ? snprintf(p, cap, "null") : snprintf(p, cap, "\"%.*s\"", (int)len, d);
  }
  if (is_int_type(t)) {
    int64_t v;
    if (auk_frame_get_int(r, c, row, &v, &null, &err)) die("get_int", &err);
    return null ? snprintf(p, cap, "null") : snprintf(p, cap, "%lld", (long long)v);
  }
  double v;
  if (auk_frame_get_double(r, c, row, &v, &null, &err)) die("get_double", &err);
  return null ? snprintf(p, cap, "null") : put_double(p, cap, v);
}

/* edges: 0 none, 1 v3 first/last, 2 also id3 first/last */
static void checksum(char *buf, size_t cap, const auk_frame *r, int edges) {
  char *p = buf, *end = buf + cap;
  int64_t n = auk_frame_num_rows(r);
  p += snprintf(p, (size_t)(end - p), "{\"rows\":%lld,\"cols\":{", (long long)n);
  for (int c = 0; c < auk_frame_num_columns(r); c++) {
    auk_error err;
    int null;
    int64_t nulls = 0;
    auk_type_id t = auk_frame_column_type(r, c);
    p += snprintf(p, (size_t)(end - p), "%s\"%s\":{\"sum\":", c ? "," : "",
                  auk_frame_column_name(r, c));
    if (t == AUK_TYPE_STRING) {
      long long s = 0;
      for (int64_t i = 0; i < n; i++) {
        const char *d;
        int64_t len;
        if (auk_frame_get_string(r, c, i, &d, &len, &null, &err)) die("get_string", &err);
        if (null)
          nulls++;
        else
          s += len;
      }
      p += snprintf(p, (size_t)(end - p), "%lld", s);
    } else if (is_int_type(t)) {
      long long s = 0;
      for (int64_t i = 0; i < n; i++) {
        int64_t v;
        if (auk_frame_get_int(r, c, i, &v, &null, &err)) die("get_int", &err);
        if (null)
          nulls++;
        else
          s += v;
      }
      p += snprintf(p, (size_t)(end - p), "%lld", s);
    } else {
      ksum k = {0, 0};
      for (int64_t i = 0; i < n; i++) {
        double v;
        if (auk_frame_get_double(r, c, i, &v, &null, &err)) die("get_double", &err);
        if (null)
          nulls++;
        else
          ks_add(&k, v);
      }
      p += put_double(p, (size_t)(end - p), k.sum + k.c);
    }
    p += snprintf(p, (size_t)(end - p), ",\"nulls\":%lld}", (long long)nulls);
  }
  p += snprintf(p, (size_t)(end - p), "}");
  if (edges && n > 0) {
    const char *names[] = {"v3", "id3"};
    for (int e = 0; e < edges; e++) {
      p += snprintf(p, (size_t)(end - p), ",\"%s_first\":", names[e]);
      p += put_cell(p, (size_t)(end - p), r, names[e], 0);
      p += snprintf(p, (size_t)(end - p), ",\"%s_last\":", names[e]);
      p += put_cell(p, (size_t)(end - p), r, names[e], n - 1);
    }
  }
  snprintf(p, (size_t)(end - p), "}");
}

/* ----------------------------------------------------------- operations */

enum { OP_FULL, OP_V3, OP_Q1, OP_Q3, NOPS };
static const char *op_names[NOPS] = {"full", "v3", "q1", "q3"};

static auk_frame *run_op(const char *path, int op) {
  auk_error err;
  auk_frame *r = NULL;
  if (op == OP_FULL) {
    if (auk_read_parquet(path, NULL, &r, &err)) die("read_parquet", &err);
  } else if (op == OP_V3) {
    const char *cols[] = {"v3"};
    auk_parquet_read_options o;
    auk_parquet_read_options_init(&o);
    o.columns = cols;
    o.num_columns = 1;
    if (auk_read_parquet(path, &o, &r, &err)) die("read_parquet v3", &err);
  } else {
    auk_lazy *lf;
    if (auk_scan_parquet(path, &lf, &err)) die("scan_parquet", &err);
    auk_expr *k[1], *a[2];
    int na = 0;
    if (op == OP_Q1) {
      k[0] = auk_col("id1");
      a[na++] = auk_alias(auk_sum(auk_col("v1")), "v1");
    } else {
      k[0] = auk_col("id3");
      a[na++] = auk_alias(auk_sum(auk_col("v1")), "v1");
      a[na++] = auk_alias(auk_mean(auk_col("v3")), "v3");
    }
    if (auk_lazy_group_by(lf, 1, k, na, a, 0, &err)) die(op_names[op], &err);
    if (auk_lazy_collect(lf, &r, &err)) die(op_names[op], &err);
    auk_lazy_free(lf);
  }
  return r;
}

static void print_op(const char *op, const double *times, int reps, const char *first,
                     const char *other, const char *extra) {
  printf("{\"engine\":\"auk\",\"op\":\"%s\",\"times\":[", op);
  for (int i = 0; i < reps; i++) printf("%s%.6f", i ? "," : "", times[i]);
  printf("]");
  if (first) printf(",\"check\":%s", first);
  if (other && other[0]) printf(",\"check_other_rep\":%s", other);
  if (extra) printf("%s", extra);
  printf("}\n");
  fflush(stdout);
}

static int read_mode(const char *path, int reps) {
  static double times[NOPS][MAX_REPS];
  static char first[NOPS][CHK], other[NOPS][CHK];
  for (int rep = 0; rep < reps; rep++) {
    for (int op = 0; op < NOPS; op++) {
      double t = now();
      auk_frame *r = run_op(path, op);
      times[op][rep] = now() - t;
      if (rep == 0 || rep == reps - 1) {
        char c[CHK];
        checksum(c, sizeof c, r, op == OP_FULL ? 2 : op == OP_V3 ? 1 : 0);
        if (rep == 0)
          strcpy(first[op], c);
        else if (strcmp(c, first[op]) != 0)
          strcpy(other[op], c);
      }
      auk_frame_free(r);
    }
  }
  for (int op = 0; op < NOPS; op++) print_op(op_names[op], times[op], reps, first[op], other[op], NULL);
  return 0;
}

static int write_mode(const char *csv, const char *out, int reps) {
  auk_error err;
  auk_frame *df;
  double t = now();
  if (auk_read_csv(csv, NULL, &df, &err)) die("read_csv", &err);
  double tl = now() - t;
  char extra[64];
  snprintf(extra, sizeof extra, ",\"rows\":%lld", (long long)auk_frame_num_rows(df));
  print_op("load_csv", &tl, 1, NULL, NULL, extra);
  double times[MAX_REPS];
  auk_parquet_write_options o;
  auk_parquet_write_options_init(&o);
  o.compression = AUK_PARQUET_ZSTD;
  for (int rep = 0; rep < reps; rep++) {
    remove(out);
    t = now();
    if (auk_write_parquet(df, out, &o, &err)) die("write_parquet", &err);
    times[rep] = now() - t;
  }
  auk_frame_free(df);
  struct stat st;
  if (stat(out, &st)) {
    perror(out);
    return 1;
  }
  auk_frame *back;
  if (auk_read_parquet(out, NULL, &back, &err)) die("read back", &err);
  char c[CHK];
  checksum(c, sizeof c, back, 2);
  auk_frame_free(back);
  snprintf(extra, sizeof extra, ",\"bytes\":%lld", (long long)st.st_size);
  print_op("write_zstd", times, reps, c, NULL, extra);
  return 0;
}

int main(int argc, char **argv) {
  int wr = argc >= 4 && !strcmp(argv[1], "write");
  if (!(wr || (argc >= 3 && !strcmp(argv[1], "read")))) {
    fprintf(stderr,
            "usage: auk_parquet read FILE.parquet [REPS] [THREADS]\n"
            "       auk_parquet write FILE.csv OUT.parquet [REPS] [THREADS]\n");
    return 2;
  }
  int a = wr ? 4 : 3;
  int reps = argc > a ? atoi(argv[a]) : 3;
  if (reps < 1 || reps > MAX_REPS) reps = 3;
  if (argc > a + 1 && atoi(argv[a + 1]) > 0) auk_set_threads(atoi(argv[a + 1]));
  return wr ? write_mode(argv[2], argv[3], reps) : read_mode(argv[2], reps);
}
