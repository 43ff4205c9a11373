/* auk_query.c - auk's side of the query benchmark (bench/run_query.py).
 *
 * Reads the H2O groupby CSV into memory once with auk_read_csv (the load,
 * timed on its own), then REPS times runs each of the six operations: it
 * builds a lazy plan over the frame (auk_frame_lazy), collects it and times
 * only the collect (CLOCK_MONOTONIC). Untimed, it computes a checksum of
 * every result with the cell getters and checks that every repetition gives
 * the same one. Prints one JSON line for the load and one per operation:
 *
 *   {"engine":"auk","op":"load","times":[s],"rows":N}
 *   {"engine":"auk","op":"filter_v3","times":[s,s,s],"check":{...}}
 *
 * The checksums are those of bench/engines/query_common.mjs, which the
 * Polars and DuckDB drivers share (keep the two in step):
 *   filter: rows, sum_v1, sum_v2, sum_v3, first and last [id3, v3]
 *   derive: rows, sum_v3, sum_d, d at positions 0, 999, n/2, n-1
 *   sort:   rows, sum_v3, and at positions 0, 999, n/2, n-1 (top-10: every
 *           row) v3 and the sorted id3 of the run of rows around the
 *           position with the same sort key (rows tied on the key may come
 *           in any order: the sort is not required to be stable across
 *           engines), "open" when that run reaches the edge of the rows
 *           looked at (a cut result: the tied rows past it are not known).
 * Sums of floats are compensated (Neumaier), so only the peers' rounding
 * matters in the comparison.
 *
 *   auk_query FILE.csv [REPS] [THREADS] [OPS]
 * THREADS: 0 or absent for AUK_THREADS; OPS: a comma-separated subset of the
 * operations (e.g. for perf), default all. */
#define _POSIX_C_SOURCE 200809L
#define BENCH_NAME "auk_query"
#include "auk.h"
#include "bench_common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REPS 64
#define WINDOW 16 /* rows looked at each side of a position for a tie run */

/* ------------------------------------------------------------ JSON text */

typedef struct {
  char *p;
  size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) die("out of memory", NULL);
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}
static void sb_str(sbuf *b, const char *s) {
  sb_put(b, s, strlen(s));
}
static void sb_fmt(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_fmt(sbuf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  sb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}
static void sb_double(sbuf *b, double v) {
  char tmp[32];
  shortest_double(tmp, sizeof tmp, v);
  sb_str(b, tmp);
}
static void sb_jstr(sbuf *b, const char *s, int64_t n) {
  sb_str(b, "\"");
  for (int64_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      sb_fmt(b, "\\%c", c);
    else if (c < 0x20)
      sb_fmt(b, "\\u%04x", c);
    else
      sb_put(b, (const char *)&c, 1);
  }
  sb_str(b, "\"");
}

/* ------------------------------------------------------------ checksums */

static double ks_get(const ksum *k) {
  return k->sum + k->c;
}

static int col_of(const auk_frame *f, const char *name) {
  int c = auk_frame_column_index(f, name);
  if (c < 0) {
    fprintf(stderr, "auk_query: result has no column %s\n", name);
    exit(1);
  }
  return c;
}

static double get_d(const auk_frame *f, int c, int64_t r) {
  auk_error err;
  double v;
  int null;
  if (auk_frame_get_double(f, c, r, &v, &null, &err)) die("get_double", &err);
  return null ? NAN : v;
}
static int64_t get_i(const auk_frame *f, int c, int64_t r) {
  auk_error err;
  int64_t v;
  int null;
  if (auk_frame_get_int(f, c, r, &v, &null, &err)) die("get_int", &err);
  return v;
}
static const char *get_s(const auk_frame *f, int c, int64_t r, int64_t *n) {
  auk_error err;
  const char *s;
  int null;
  if (auk_frame_get_string(f, c, r, &s, n, &null, &err)) die("get_string", &err);
  return s;
}

static double sum_col(const auk_frame *f, int c) {
  ksum k = {0, 0};
  int64_t n = auk_frame_num_rows(f);
  for (int64_t r = 0; r < n; r++) ks_add(&k, get_d(f, c, r));
  return ks_get(&k);
}
static int64_t sum_int(const auk_frame *f, int c) {
  int64_t s = 0, n = auk_frame_num_rows(f);
  for (int64_t r = 0; r < n; r++) s += get_i(f, c, r);
  return s;
}

static void row_id3_v3(sbuf *b, const auk_frame *f, int64_t r) {
  if (r < 0) {
    sb_str(b, "null");
    return;
  }
  int64_t n;
  const char *s = get_s(f, col_of(f, "id3"), r, &n);
  sb_str(b, "[");
  sb_jstr(b, s, n);
  sb_str(b, ",");
  sb_double(b, get_d(f, col_of(f, "v3"), r));
  sb_str(b, "]");
}

static void check_filter(sbuf *b, const auk_frame *f) {
  int64_t n = auk_frame_num_rows(f);
  sb_fmt(b, "{\"rows\":%lld,\"sum_v1\":%lld,\"sum_v2\":%lld,\"sum_v3\":", (long long)n,
         (long long)sum_int(f, col_of(f, "v1")), (long long)sum_int(f, col_of(f, "v2")));
  sb_double(b, sum_col(f, col_of(f, "v3")));
  sb_str(b, ",\"first\":");
  row_id3_v3(b, f, n > 0 ? 0 : -1);
  sb_str(b, ",\"last\":");
  row_id3_v3(b, f, n > 0 ? n - 1 : -1);
  sb_str(b, "}");
}

/* The positions looked at: 0, 999, n/2, n-1 (those < n, without repeats),
 * or every row when all_rows. Returns how many. */
static int positions(int64_t n, int all_rows, int64_t *pos) {
  int k = 0;
  if (all_rows) {
    for (int64_t i = 0; i < n && k < 64; i++) pos[k++] = i;
    return k;
  }
  int64_t want[4] = {0, 999, n / 2, n - 1};
  for (int i = 0; i < 4; i++) {
    if (want[i] < 0 || want[i] >= n) continue;
    int dup = 0;
    for (int j = 0; j < k; j++) dup |= pos[j] == want[i];
    if (!dup) pos[k++] = want[i];
  }
  /* ascending, so the output reads in order */
  for (int i = 1; i < k; i++)
    for (int j = i; j > 0 && pos[j - 1] > pos[j]; j--) {
      int64_t t = pos[j];
      pos[j] = pos[j - 1];
      pos[j - 1] = t;
    }
  return k;
}

static void check_derive(sbuf *b, const auk_frame *f) {
  int64_t n = auk_frame_num_rows(f), pos[64];
  int cd = col_of(f, "d");
  sb_fmt(b, "{\"rows\":%lld,\"sum_v3\":", (long long)n);
  sb_double(b, sum_col(f, col_of(f, "v3")));
  sb_str(b, ",\"sum_d\":");
  sb_double(b, sum_col(f, cd));
  sb_str(b, ",\"d_at\":[");
  int k = positions(n, 0, pos);
  for (int i = 0; i < k; i++) {
    sb_fmt(b, "%s[%lld,", i ? "," : "", (long long)pos[i]);
    sb_double(b, get_d(f, cd, pos[i]));
    sb_str(b, "]");
  }
  sb_str(b, "]}");
}

typedef struct {
  const char *s;
  int64_t n;
} str;

static int str_cmp(const void *a, const void *b) {
  const str *x = a, *y = b;
  int64_t m = x->n < y->n ? x->n : y->n;
  int c = memcmp(x->s, y->s, (size_t)m);
  return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* Same sort key at rows r and q: v3, and id3 too when key_id3. */
static int same_key(const auk_frame *f, int cid3, int cv3, int key_id3, int64_t r, int64_t q) {
  if (get_d(f, cv3, r) != get_d(f, cv3, q)) return 0;
  if (!key_id3) return 1;
  int64_t a, b;
  const char *s = get_s(f, cid3, r, &a), *t = get_s(f, cid3, q, &b);
  return a == b && memcmp(s, t, (size_t)a) == 0;
}

/* truncated: the result is the head of a longer sorted sequence, so a run
 * reaching its last row may continue past it. */
static void check_sort(sbuf *b, const auk_frame *f, int key_id3, int all_rows, int truncated) {
  int64_t n = auk_frame_num_rows(f), pos[64];
  int cid3 = col_of(f, "id3"), cv3 = col_of(f, "v3");
  sb_fmt(b, "{\"rows\":%lld,\"sum_v3\":", (long long)n);
  sb_double(b, sum_col(f, cv3));
  sb_str(b, ",\"at\":[");
  int k = positions(n, all_rows, pos);
  for (int i = 0; i < k; i++) {
    int64_t p = pos[i], lo = p - WINDOW < 0 ? 0 : p - WINDOW;
    int64_t hi = p + WINDOW > n - 1 ? n - 1 : p + WINDOW;
    int64_t a = p, z = p;
    while (a > lo && same_key(f, cid3, cv3, key_id3, a - 1, p)) a--;
    while (z < hi && same_key(f, cid3, cv3, key_id3, z + 1, p)) z++;
    int open = (a == lo && lo > 0) || (z == hi && (hi < n - 1 || truncated));
    str run[2 * WINDOW + 1];
    int m = 0;
    for (int64_t r = a; r <= z; r++) {
      run[m].s = get_s(f, cid3, r, &run[m].n);
      m++;
    }
    qsort(run, (size_t)m, sizeof run[0], str_cmp);
    sb_fmt(b, "%s{\"pos\":%lld,\"v3\":", i ? "," : "", (long long)p);
    sb_double(b, get_d(f, cv3, p));
    sb_str(b, ",\"id3\":[");
    for (int j = 0; j < m; j++) {
      if (j) sb_str(b, ",");
      sb_jstr(b, run[j].s, run[j].n);
    }
    sb_fmt(b, "],\"open\":%s}", open ? "true" : "false");
  }
  sb_str(b, "]}");
}

/* ------------------------------------------------------------ operations */

enum { OP_FILTER_V3, OP_FILTER_ID1, OP_DERIVE, OP_SORT_V3, OP_SORT_ID3_V3, OP_TOP10, NOPS };
static const char *op_names[NOPS] = {"filter_v3",  "filter_id1_v2", "derive",
                                     "sort_v3",    "sort_id3_v3",   "top10_v3"};

static auk_lazy *plan(const auk_frame *df, int op) {
  auk_error err;
  auk_lazy *lf;
  if (auk_frame_lazy(df, &lf, &err)) die("frame_lazy", &err);
  auk_status st = AUK_OK;
  switch (op) {
    case OP_FILTER_V3: /* v3 > 99.9 */
      st = auk_lazy_filter(lf, auk_gt(auk_col("v3"), auk_lit_double(99.9)), &err);
      break;
    case OP_FILTER_ID1: /* id1 = 'id042' and v2 > 10 */
      st = auk_lazy_filter(lf,
                           auk_and(auk_eq(auk_col("id1"), auk_lit_str("id042")),
                                   auk_gt(auk_col("v2"), auk_lit_int(10))),
                           &err);
      break;
    case OP_DERIVE: { /* d = v1 * v2 + v3 */
      auk_expr *d = auk_alias(auk_add(auk_mul(auk_col("v1"), auk_col("v2")), auk_col("v3")), "d");
      st = auk_lazy_with_columns(lf, 1, &d, &err);
      break;
    }
    case OP_SORT_V3: {
      auk_expr *k[] = {auk_col("v3")};
      st = auk_lazy_sort(lf, 1, k, NULL, NULL, &err);
      break;
    }
    case OP_SORT_ID3_V3: { /* id3 desc, v3 */
      auk_expr *k[] = {auk_col("id3"), auk_col("v3")};
      int desc[] = {1, 0};
      st = auk_lazy_sort(lf, 2, k, desc, NULL, &err);
      break;
    }
    case OP_TOP10: {
      auk_expr *k[] = {auk_col("v3")};
      st = auk_lazy_sort(lf, 1, k, NULL, NULL, &err);
      if (!st) st = auk_lazy_head(lf, 10, &err);
      break;
    }
  }
  if (st) die(op_names[op], &err);
  return lf;
}

static void checksum(sbuf *b, const auk_frame *r, int op) {
  switch (op) {
    case OP_FILTER_V3:
    case OP_FILTER_ID1: check_filter(b, r); break;
    case OP_DERIVE: check_derive(b, r); break;
    case OP_SORT_V3: check_sort(b, r, 0, 0, 0); break;
    case OP_SORT_ID3_V3: check_sort(b, r, 1, 0, 0); break;
    case OP_TOP10: check_sort(b, r, 0, 1, 1); break;
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: auk_query FILE.csv [REPS] [THREADS] [OPS]\n");
    return 2;
  }
  const char *path = argv[1];
  int reps = argc > 2 ? atoi(argv[2]) : 3;
  if (reps < 1 || reps > MAX_REPS) reps = 3;
  if (argc > 3 && atoi(argv[3]) > 0) auk_set_threads(atoi(argv[3]));
  /* optional comma-separated subset of the operations (for profiling) */
  int want[NOPS];
  for (int i = 0; i < NOPS; i++) want[i] = argc <= 4;
  for (const char *p = argc > 4 ? argv[4] : ""; *p;) {
    size_t len = strcspn(p, ",");
    int found = 0;
    for (int i = 0; i < NOPS; i++)
      if (strlen(op_names[i]) == len && strncmp(p, op_names[i], len) == 0) want[i] = found = 1;
    if (!found) {
      fprintf(stderr, "auk_query: unknown operation %.*s\n", (int)len, p);
      return 2;
    }
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

  double times[NOPS][MAX_REPS];
  sbuf checks[NOPS] = {{0}};
  char *mismatch[NOPS] = {0};
  /* operations interleaved within each repetition, so that the machine's
   * noise falls on all of them alike */
  for (int rep = 0; rep < reps; rep++) {
    for (int op = 0; op < NOPS; op++) {
      if (!want[op]) continue;
      auk_lazy *lf = plan(df, op);
      auk_frame *r;
      double t = now();
      if (auk_lazy_collect(lf, &r, &err)) die(op_names[op], &err);
      times[op][rep] = now() - t;
      auk_lazy_free(lf);
      sbuf b = {0};
      checksum(&b, r, op);
      auk_frame_free(r);
      if (rep == 0)
        checks[op] = b;
      else {
        if (strcmp(b.p, checks[op].p) != 0 && !mismatch[op]) mismatch[op] = strdup(b.p);
        free(b.p);
      }
    }
  }
  for (int op = 0; op < NOPS; op++) {
    if (!want[op]) continue;
    printf("{\"engine\":\"auk\",\"op\":\"%s\",\"times\":[", op_names[op]);
    for (int rep = 0; rep < reps; rep++) printf("%s%.6f", rep ? "," : "", times[op][rep]);
    printf("],\"check\":%s", checks[op].p);
    if (mismatch[op]) printf(",\"check_other_rep\":%s", mismatch[op]);
    printf("}\n");
    free(checks[op].p);
    free(mismatch[op]);
  }
  auk_frame_free(df);
  return 0;
}
