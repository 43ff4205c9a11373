/* Parquet tests: every flat file of parquet-testing compared value by value
 * with DuckDB's reading of it (tests/data/parquet-expect, made by
 * tests/parquet/duckdb_expect.mjs), the *_expect.csv files shipped with
 * parquet-testing, known contents of the LZ4 files DuckDB cannot read,
 * nested files, crimes-2022-slim.parquet against the CSV reader, round
 * trips through the writer, damaged files (tests/data/bad-parquet) and
 * 1-thread vs N-thread agreement. Shared data parts skip when absent. */
#include "auk.h"
#include "check.h"
#include "core/frame.h"
#include "io/parquet.h"
#include "io/parquet_chunk.h"
#include "io/parquet_decode.h"
#include "parquet_util.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_dir[256]; /* files the tests write */
static char path_buf[4096];
static const char *shared(const char *name) {
  snprintf(path_buf, sizeof path_buf, "%s/%s", AUK_SHARED_DATA, name);
  return path_buf;
}

static int have_shared(void) {
  struct stat st;
  return stat(shared("parquet-testing"), &st) == 0;
}

static auk_frame *read_pq(const char *path, int64_t max_rows, auk_error *err) {
  auk_parquet_read_options o;
  auk_parquet_read_options_init(&o);
  o.max_rows = max_rows;
  auk_frame *f = NULL;
  if (auk_read_parquet(path, &o, &f, err)) return NULL;
  return f;
}

/* Every NAME.expect in expect_dir against pq_dir/NAME.parquet. */
static int vs_duckdb(const char *dir, const char *pq_dir) {
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  if (!d) return 0;
  int files = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n < 8 || strcmp(e->d_name + n - 7, ".expect")) continue;
    char ep[8200], pp[8200];
    snprintf(ep, sizeof ep, "%s/%s", dir, e->d_name);
    snprintf(pp, sizeof pp, "%s/%.*s.parquet", pq_dir, (int)(n - 7), e->d_name);
    int before = check_failures;
    auk_error err;
    auk_frame *f = read_pq(pp, -1, &err);
    if (!f) fprintf(stderr, "%s: %s\n", pp, err.message);
    CHECK(f != NULL);
    if (f) compare_expect(ep, f, pp);
    auk_frame_free(f);
    if (check_failures != before) fprintf(stderr, "  (in %s)\n", e->d_name);
    files++;
  }
  closedir(d);
  return files;
}

static void parquet_testing_vs_duckdb(void) {
  char dir[2048];
  snprintf(dir, sizeof dir, "%s/parquet-expect", AUK_TEST_DATA);
  int files = vs_duckdb(dir, AUK_SHARED_DATA "/parquet-testing");
  CHECK(files >= 40);
  printf("compared %d files with DuckDB's reading\n", files);
}

/* Logical types auk does not write (times, ms and ns timestamps, decimals, UUID,
 * enum, blob), in files DuckDB and Polars wrote (tests/parquet/make_*.mjs). */
static void duckdb_types(void) {
  char dir[2048];
  snprintf(dir, sizeof dir, "%s/parquet-types", AUK_TEST_DATA);
  CHECK_INT(vs_duckdb(dir, dir), 4); /* DuckDB's (v1, v2 pages, brotli) and Polars' */
  auk_error err;
  char path[2200];
  snprintf(path, sizeof path, "%s/duckdb_types.parquet", dir);
  auk_frame *f = read_pq(path, -1, &err);
  CHECK(f != NULL);
  if (!f) return;
  const char *names[] = {"i",     "t", "ts_ms", "ts_ns", "tstz", "dec4", "dec18",
                         "dec38", "u", "m",     "bl",    "ut",   "ub"};
  auk_type_id types[] = {AUK_TYPE_INT64,     AUK_TYPE_STRING,   AUK_TYPE_DATETIME,
                         AUK_TYPE_DATETIME,  AUK_TYPE_DATETIME, AUK_DECIMAL(4, 2),
                         AUK_DECIMAL(18, 6), AUK_TYPE_FLOAT64,  AUK_TYPE_STRING,
                         AUK_TYPE_STRING,    AUK_TYPE_STRING,   AUK_TYPE_UINT8,
                         AUK_TYPE_UINT64};
  for (int c = 0; c < 13; c++) {
    CHECK_STR(auk_frame_column_name(f, c), names[c]);
    CHECK_INT(auk_frame_column_type(f, c), types[c]);
  }
  CHECK(auk_frame_column_timezone(f, 4) != NULL);
  CHECK(auk_frame_column_timezone(f, 2) == NULL);
  char buf[64];
  auk_frame_format_cell(f, 1, 1, buf, sizeof buf, NULL, NULL);
  CHECK_STR(buf, "01:02:03.001");
  auk_frame_format_cell(f, 8, 1, buf, sizeof buf, NULL, NULL);
  CHECK_STR(buf, "00000001-aaaa-4bbb-8ccc-000000000001");
  auk_frame_free(f);
}

/* parquet-testing's own expected values (CSV with a header). */
static void expect_csv(const char *name) {
  char pq[512], csv[512];
  snprintf(pq, sizeof pq, "parquet-testing/%s.parquet", name);
  auk_error err;
  auk_frame *f = read_pq(shared(pq), -1, &err);
  snprintf(csv, sizeof csv, "parquet-testing/%s_expect.csv", name);
  auk_frame *g = NULL;
  if (auk_read_csv(shared(csv), NULL, &g, &err)) fprintf(stderr, "%s\n", err.message);
  CHECK(f && g);
  if (f && g) {
    CHECK_INT(auk_frame_num_rows(f), auk_frame_num_rows(g));
    CHECK_INT(auk_frame_num_columns(f), auk_frame_num_columns(g));
    int bad = 0;
    for (int c = 0; c < auk_frame_num_columns(g); c++) {
      const char *name = auk_frame_column_name(g, c);
      while (*name == ' ') name++; /* one header has a stray space */
      int fc = auk_frame_column_index(f, name);
      CHECK(fc >= 0);
      if (fc < 0) continue;
      for (int64_t r = 0; r < auk_frame_num_rows(g); r++) {
        char x[512], y[512];
        int nx, ny;
        auk_frame_format_cell(f, fc, r, x, sizeof x, &nx, NULL);
        auk_frame_format_cell(g, c, r, y, sizeof y, &ny, NULL);
        /* the CSV cannot tell an empty string from a missing value */
        if (nx && !ny && !*y) continue;
        if (nx != ny || (strcmp(x, y) && strtod(x, NULL) != strtod(y, NULL))) {
          if (bad++ < 3)
            fprintf(stderr, "%s row %lld col %s: '%s' vs '%s'\n", name, (long long)r,
                    auk_frame_column_name(g, c), x, y);
        }
      }
    }
    CHECK_INT(bad, 0);
  }
  auk_frame_free(f);
  auk_frame_free(g);
}

/* LZ4 files DuckDB cannot read: contents as published with parquet-testing
 * (and read by Arrow's tests). */
static void lz4_files(void) {
  const char *names[] = {"hadoop_lz4_compressed", "non_hadoop_lz4_compressed"};
  for (int i = 0; i < 2; i++) {
    char p[256];
    snprintf(p, sizeof p, "parquet-testing/%s.parquet", names[i]);
    auk_error err;
    auk_frame *f = read_pq(shared(p), -1, &err);
    CHECK(f != NULL);
    if (!f) {
      fprintf(stderr, "%s\n", err.message);
      continue;
    }
    CHECK_INT(auk_frame_num_rows(f), 4);
    int64_t ts[] = {1593604800, 1593604800, 1593604801, 1593604801};
    const char *s[] = {"abc", "def", "abc", "def"};
    double v[] = {42.0, 7.7, 42.125, 7.7};
    for (int r = 0; r < 4; r++) {
      int64_t x;
      double d;
      char buf[64];
      auk_frame_get_int(f, 0, r, &x, NULL, NULL);
      CHECK_INT(x, ts[r]);
      auk_frame_format_cell(f, 1, r, buf, sizeof buf, NULL, NULL);
      CHECK_STR(buf, s[r]);
      auk_frame_get_double(f, 2, r, &d, NULL, NULL);
      CHECK(d == v[r]);
    }
    auk_frame_free(f);
  }
  auk_error err;
  auk_frame *f = read_pq(shared("parquet-testing/hadoop_lz4_compressed_larger.parquet"), -1, &err);
  CHECK(f != NULL);
  if (f) {
    CHECK_INT(auk_frame_num_rows(f), 10000);
    char buf[64];
    auk_frame_format_cell(f, 0, 0, buf, sizeof buf, NULL, NULL);
    CHECK_STR(buf, "c7ce6bef-d5b0-4863-b199-8ea8c7fb117b");
    auk_frame_format_cell(f, 0, 9999, buf, sizeof buf, NULL, NULL);
    CHECK_INT(strlen(buf), 36);
  }
  auk_frame_free(f);
}

/* Files with nested columns: the flat ones are read and the nested ones
 * named in a note; files with nothing flat fail naming the columns. */
static void nested_files(void) {
  const char *all_nested[] = {"incorrect_map_schema", "large_string_map.brotli",   "list_columns",
                              "map_no_value",         "nested_structs.rust",       "null_list",
                              "old_list_structure",   "repeated_primitive_no_list"};
  for (size_t i = 0; i < sizeof all_nested / sizeof *all_nested; i++) {
    char p[256];
    snprintf(p, sizeof p, "parquet-testing/%s.parquet", all_nested[i]);
    auk_error err;
    auk_frame *f = read_pq(shared(p), -1, &err);
    CHECK(f == NULL);
    CHECK_INT(err.code, AUK_ERR_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "nested");
    CHECK_CONTAINS(err.message, all_nested[i]);
    auk_frame_free(f);
  }
  auk_error err;
  auk_frame *f = read_pq(shared("parquet-testing/nullable.impala.parquet"), -1, &err);
  CHECK(f != NULL);
  if (f) {
    CHECK_INT(auk_frame_num_columns(f), 1);
    CHECK_STR(auk_frame_column_name(f, 0), "id");
    CHECK_CONTAINS(auk_frame_notes(f), "'int_array'");
    CHECK_CONTAINS(auk_frame_notes(f), "nested");
  }
  auk_frame_free(f);
  /* asking for a nested column by name is an error naming it */
  auk_parquet_read_options o;
  auk_parquet_read_options_init(&o);
  const char *want[] = {"nested_struct"};
  o.columns = want;
  o.num_columns = 1;
  f = NULL;
  CHECK_INT(auk_read_parquet(shared("parquet-testing/nullable.impala.parquet"), &o, &f, &err),
            AUK_ERR_UNSUPPORTED);
  CHECK_CONTAINS(err.message, "'nested_struct' is nested");
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Rows as text lines, sorted: for files whose writer reordered rows. */
static char **sorted_rows(const auk_frame *f) {
  int64_t n = auk_frame_num_rows(f);
  char **rows = malloc(sizeof(char *) * (size_t)(n ? n : 1));
  for (int64_t r = 0; r < n; r++) {
    char line[4096];
    size_t len = 0;
    for (int c = 0; c < auk_frame_num_columns(f); c++) {
      char cell[1024];
      int is_null;
      auk_frame_format_cell(f, c, r, cell, sizeof cell, &is_null, NULL);
      len += (size_t)snprintf(line + len, sizeof line - len, "%s\x1f", is_null ? "\\N" : cell);
      if (len >= sizeof line) len = sizeof line - 1;
    }
    rows[r] = strdup(line);
  }
  qsort(rows, (size_t)n, sizeof(char *), cmp_str);
  return rows;
}

static void same_rows_any_order(const auk_frame *a, const auk_frame *b) {
  CHECK_INT(auk_frame_num_rows(a), auk_frame_num_rows(b));
  if (auk_frame_num_rows(a) != auk_frame_num_rows(b)) return;
  int64_t n = auk_frame_num_rows(a);
  char **x = sorted_rows(a), **y = sorted_rows(b);
  int64_t bad = 0;
  for (int64_t r = 0; r < n; r++) {
    if (strcmp(x[r], y[r]) && bad++ < 3) fprintf(stderr, "row '%s' vs '%s'\n", x[r], y[r]);
  }
  CHECK_INT(bad, 0);
  for (int64_t r = 0; r < n; r++) free(x[r]), free(y[r]);
  free(x);
  free(y);
}

static void crimes(void) {
  auk_error err;
  auk_frame *p = read_pq(shared("crimes-2022-slim.parquet"), -1, &err);
  if (!p) fprintf(stderr, "%s\n", err.message);
  auk_frame *c = NULL;
  if (auk_read_csv(shared("crimes-2022-slim.csv.gz"), NULL, &c, &err))
    fprintf(stderr, "%s\n", err.message);
  CHECK(p && c);
  if (p && c) {
    CHECK_INT(auk_frame_num_rows(p), 215551);
    /* DuckDB wrote the rows in another order than the CSV's */
    same_rows_any_order(p, c);
    for (int k = 0; k < auk_frame_num_columns(c); k++) {
      CHECK_STR(auk_frame_column_name(p, k), auk_frame_column_name(c, k));
      /* DuckDB stored Community Area as INTEGER; the CSV reader infers i64 */
      if (k == 7)
        CHECK_INT(auk_frame_column_type(p, k), AUK_TYPE_INT32);
      else
        CHECK_INT(auk_frame_column_type(p, k), auk_frame_column_type(c, k));
    }
    int64_t n = 0;
    CHECK_INT(auk_count_parquet(shared("crimes-2022-slim.parquet"), &n, &err), AUK_OK);
    CHECK_INT(n, 215551);
    /* one thread reads the same */
    auk_set_threads(1);
    auk_frame *q = read_pq(shared("crimes-2022-slim.parquet"), -1, &err);
    auk_set_threads(0);
    CHECK(q != NULL);
    if (q) same_frames(p, q, "crimes 1 thread vs N");
    auk_frame_free(q);
    /* slice pushdown */
    q = read_pq(shared("crimes-2022-slim.parquet"), 130000, &err);
    CHECK(q != NULL);
    if (q) {
      CHECK_INT(auk_frame_num_rows(q), 130000);
      auk_frame *s = NULL;
      auk_frame_slice(p, 0, 130000, &s, NULL);
      same_frames(s, q, "crimes head");
      auk_frame_free(s);
    }
    auk_frame_free(q);
    /* projection */
    auk_parquet_read_options o;
    auk_parquet_read_options_init(&o);
    const char *cols[] = {"Community Area", "Block"};
    o.columns = cols;
    o.num_columns = 2;
    CHECK_INT(auk_read_parquet(shared("crimes-2022-slim.parquet"), &o, &q, &err), AUK_OK);
    if (q) {
      CHECK_INT(auk_frame_num_columns(q), 2);
      CHECK_STR(auk_frame_column_name(q, 0), "Community Area");
    }
    auk_frame_free(q);
    /* a memory budget too small for the data is an error, not a crash */
    auk_set_memory_limit(2 << 20);
    q = read_pq(shared("crimes-2022-slim.parquet"), -1, &err);
    CHECK(q == NULL);
    CHECK_INT(err.code, AUK_ERR_OUT_OF_MEMORY);
    auk_set_memory_limit(0);
    auk_frame_free(q);
    char out[600];
    snprintf(out, sizeof out, "%s/oom.parquet", tmp_dir);
    auk_set_memory_limit(auk_memory_used() + (1 << 20));
    CHECK_INT(auk_write_parquet(p, out, NULL, &err), AUK_ERR_OUT_OF_MEMORY);
    auk_set_memory_limit(0);
    CHECK(access(out, F_OK) != 0); /* no partial file */
    const char *typo[] = {"Blok"};
    o.columns = typo;
    o.num_columns = 1;
    CHECK_INT(auk_read_parquet(shared("crimes-2022-slim.parquet"), &o, &q, &err),
              AUK_ERR_NOT_FOUND);
    CHECK_CONTAINS(err.message, "Block");
  }
  auk_frame_free(p);
  auk_frame_free(c);
}

/* ------------------------------------------------------------ round trips */

static void round_trip(const auk_frame *f, const auk_parquet_write_options *wo, const char *what) {
  char path[512];
  snprintf(path, sizeof path, "%s/rt.parquet", tmp_dir);
  auk_error err;
  if (auk_write_parquet(f, path, wo, &err)) {
    fprintf(stderr, "%s: %s\n", what, err.message);
    CHECK(0);
    return;
  }
  auk_frame *g = read_pq(path, -1, &err);
  CHECK(g != NULL);
  if (!g) {
    fprintf(stderr, "%s: %s\n", what, err.message);
    return;
  }
  same_frames(f, g, what);
  for (int c = 0; c < auk_frame_num_columns(f); c++) {
    CHECK_INT(auk_frame_column_type(g, c), auk_frame_column_type(f, c));
    const char *a = auk_frame_column_timezone(f, c), *b = auk_frame_column_timezone(g, c);
    CHECK((a == NULL) == (b == NULL));
  }
  int64_t n = -1;
  CHECK_INT(auk_count_parquet(path, &n, &err), AUK_OK);
  CHECK_INT(n, auk_frame_num_rows(f));
  auk_frame_free(g);
}

/* Decimals as written: INT32 for precision <= 9, else INT64, the DECIMAL
 * logical and converted types with scale and precision, and min/max
 * statistics of the unscaled values. */
static void decimal_footer(void) {
  const char *names[] = {"a", "b"};
  auk_type_id types[] = {AUK_DECIMAL(9, 2), AUK_DECIMAL(18, 4)};
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.type_names = names;
  o.types = types;
  o.num_types = 2;
  const char *text = "a,b\n1.25,-99999999999999.9999\n,0.0001\n-3.5,12\n";
  auk_frame *f = NULL;
  auk_error err;
  CHECK_INT(auk_read_csv_buffer(text, strlen(text), "d.csv", &o, &f, &err), AUK_OK);
  if (!f) return;
  char path[512];
  snprintf(path, sizeof path, "%s/dec.parquet", tmp_dir);
  CHECK_INT(auk_write_parquet(f, path, NULL, &err), AUK_OK);
  auk_frame_free(f);
  pq_file pf;
  if (pq_file_open(&pf, path, &err)) {
    fprintf(stderr, "%s\n", err.message);
    CHECK(0);
    return;
  }
  const pq_file_meta *m = &pf.meta;
  CHECK(m->nschema == 3 && m->nrgs == 1);
  if (m->nschema == 3 && m->nrgs == 1) {
    const pq_schema_el *a = &m->schema[1], *b = &m->schema[2];
    CHECK_INT(a->type, PQ_INT32);
    CHECK_INT(b->type, PQ_INT64);
    CHECK_INT(a->logical, PQ_LT_DECIMAL);
    CHECK_INT(a->converted, PQ_CT_DECIMAL);
    CHECK(a->lt_precision == 9 && a->lt_scale == 2 && a->precision == 9 && a->scale == 2);
    CHECK(b->lt_precision == 18 && b->lt_scale == 4 && b->precision == 18 && b->scale == 4);
    const pq_column_meta *ca = &m->rgs[0].cols[0].meta, *cb = &m->rgs[0].cols[1].meta;
    CHECK(ca->has_stats && ca->stats.min.n == 4 && ca->stats.max.n == 4);
    CHECK(cb->has_stats && cb->stats.min.n == 8 && cb->stats.max.n == 8);
    if (ca->stats.min.n == 4 && cb->stats.min.n == 8) {
      int32_t lo, hi;
      memcpy(&lo, ca->stats.min.p, 4);
      memcpy(&hi, ca->stats.max.p, 4);
      CHECK(lo == -350 && hi == 125);
      CHECK_INT(ca->stats.null_count, 1);
      int64_t lo8, hi8;
      memcpy(&lo8, cb->stats.min.p, 8);
      memcpy(&hi8, cb->stats.max.p, 8);
      CHECK(lo8 == -999999999999999999 && hi8 == 120000);
    }
  }
  pq_file_close(&pf);
  remove(path);
}

/* A frame with a column of the null type (only built internally). */
static auk_frame *null_frame(void) {
  auk_schema *sc = auk_schema_new(2, NULL);
  auk_schema_set(sc, 0, "nothing", AUK_TYPE_NULL, NULL);
  auk_schema_set(sc, 1, "x", AUK_TYPE_INT32, NULL);
  auk_frame *f = auk_frame_new(sc, NULL);
  auk_batch *b = auk_batch_new(sc, 3, NULL);
  b->cols[0] = auk_array_new_nulls(AUK_TYPE_NULL, 3, NULL);
  b->cols[1] = auk_array_new_fixed(AUK_TYPE_INT32, 3, NULL);
  for (int i = 0; i < 3; i++) ((int32_t *)auk_array_data(b->cols[1]))[i] = i * 7;
  auk_frame_append(f, b, NULL);
  auk_schema_release(sc);
  return f;
}

static void round_trips(void) {
  auk_frame *nf = null_frame();
  round_trip(nf, NULL, "null column");
  auk_frame_free(nf);
  auk_frame *f = all_types_frame(1);
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT(auk_frame_column_type(f, 15), AUK_TYPE_STRING); /* all empty: read as str */
  CHECK(auk_frame_column_timezone(f, 14) != NULL);
  CHECK_INT(auk_frame_column_type(f, 16), AUK_DECIMAL(9, 2));  /* written as INT32 */
  CHECK_INT(auk_frame_column_type(f, 17), AUK_DECIMAL(18, 4)); /* written as INT64 */
  auk_parquet_write_options wo;
  auk_parquet_write_options_init(&wo);
  auk_parquet_compression codecs[] = {AUK_PARQUET_SNAPPY, AUK_PARQUET_UNCOMPRESSED,
                                      AUK_PARQUET_ZSTD, AUK_PARQUET_GZIP};
  for (int v2 = 0; v2 < 2; v2++)
    for (int dict = 0; dict < 2; dict++)
      for (int k = 0; k < 4; k++) {
        wo.compression = codecs[k];
        wo.dictionary = dict;
        wo.data_page_v2 = v2;
        round_trip(f, &wo, v2 ? "all types, data page v2" : "all types");
      }
  /* row groups of 1 row, 3 rows */
  auk_parquet_write_options_init(&wo);
  wo.row_group_rows = 1;
  round_trip(f, &wo, "1-row groups");
  wo.row_group_rows = 3;
  round_trip(f, &wo, "3-row groups");
  /* single row, empty frame (schema only) */
  auk_frame *s = NULL;
  auk_frame_slice(f, 2, 1, &s, NULL);
  round_trip(s, NULL, "single row");
  auk_frame_free(s);
  auk_frame_slice(f, 0, 0, &s, NULL);
  round_trip(s, NULL, "empty");
  auk_frame_free(s);
  auk_frame_free(f);
  /* many rows: several batches and row groups, dictionary and plain pages */
  f = all_types_frame(40000);
  CHECK(f != NULL);
  if (f) {
    CHECK_INT(auk_frame_num_rows(f), 160000);
    auk_parquet_write_options_init(&wo);
    wo.row_group_rows = 100000;
    round_trip(f, &wo, "160000 rows");
    /* 1 thread and N threads read the same */
    char path[512];
    snprintf(path, sizeof path, "%s/rt.parquet", tmp_dir);
    auk_error err;
    auk_set_threads(1);
    auk_frame *g = read_pq(path, -1, &err);
    auk_set_threads(0);
    CHECK(g != NULL);
    if (g) same_frames(f, g, "160000 rows, 1 thread");
    auk_frame_free(g);
    /* the bytes written do not depend on the thread count */
    char p1[600];
    snprintf(p1, sizeof p1, "%s/t1.parquet", tmp_dir);
    auk_set_threads(1);
    CHECK_INT(auk_write_parquet(f, p1, &wo, &err), AUK_OK);
    auk_set_threads(0);
    size_t n1, n2;
    char *b1 = slurp(p1, &n1), *b2 = slurp(path, &n2);
    CHECK(b1 && b2 && n1 == n2 && !memcmp(b1, b2, n1));
    free(b1);
    free(b2);
    unlink(p1);
    /* max_rows across a row group boundary */
    g = read_pq(path, 100003, &err);
    CHECK(g != NULL);
    if (g) {
      CHECK_INT(auk_frame_num_rows(g), 100003);
      auk_frame *h = NULL;
      auk_frame_slice(f, 0, 100003, &h, NULL);
      same_frames(h, g, "head 100003");
      auk_frame_free(h);
    }
    auk_frame_free(g);
    g = read_pq(path, 0, &err);
    CHECK(g && auk_frame_num_rows(g) == 0 && auk_frame_num_columns(g) == 18);
    auk_frame_free(g);
  }
  auk_frame_free(f);
  /* long strings: pages are cut near 1 MiB inside a batch */
  {
    size_t cap = 100000 * 64 + 16, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text, cap, "i,s\n");
    for (int i = 0; i < 100000; i++)
      len += (size_t)snprintf(text + len, cap - len, i % 9 ? "%d,row-%d-%040d\n" : "%d,\n", i, i,
                              i * 7);
    auk_frame *g = NULL;
    auk_error err;
    CHECK_INT(auk_read_csv_buffer(text, len, "long.csv", NULL, &g, &err), AUK_OK);
    free(text);
    if (g) {
      auk_parquet_write_options_init(&wo);
      round_trip(g, &wo, "long strings");
      wo.dictionary = 0;
      wo.compression = AUK_PARQUET_UNCOMPRESSED;
      round_trip(g, &wo, "long strings, plain");
      char path[512];
      snprintf(path, sizeof path, "%s/rt.parquet", tmp_dir);
      struct stat st;
      CHECK(stat(path, &st) == 0 && st.st_size > 4 * 1000000);
    }
    auk_frame_free(g);
  }
  /* a failed write leaves no file */
  auk_error err;
  f = all_types_frame(1);
  CHECK_INT(auk_write_parquet(f, "/nonexistent-dir/x.parquet", NULL, &err), AUK_ERR_IO);
  CHECK_CONTAINS(err.message, "/nonexistent-dir/x.parquet");
  auk_frame_free(f);
}

/* tests/data/bad-parquet: each damaged file fails with an error naming the
 * file and containing the text of its .expect file. */
static void bad_files(void) {
  char dir[2048];
  snprintf(dir, sizeof dir, "%s/bad-parquet", AUK_TEST_DATA);
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  if (!d) return;
  int files = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n < 9 || strcmp(e->d_name + n - 8, ".parquet")) continue;
    char pp[4200], ep[4200];
    snprintf(pp, sizeof pp, "%s/%s", dir, e->d_name);
    snprintf(ep, sizeof ep, "%s/%.*s.expect", dir, (int)(n - 8), e->d_name);
    char *want = slurp(ep, NULL);
    CHECK(want != NULL);
    if (!want) continue;
    want[strcspn(want, "\n")] = 0;
    auk_error err;
    auk_frame *f = read_pq(pp, -1, &err);
    CHECK(f == NULL);
    if (!f) {
      CHECK_CONTAINS(err.message, want);
      CHECK_CONTAINS(err.message, e->d_name);
    }
    auk_frame_free(f);
    free(want);
    files++;
  }
  closedir(d);
  CHECK(files >= 14);
}

/* Every prefix of a small good file, and every byte of it replaced, reads
 * or fails cleanly (the sanitizer builds catch any stray access). */
static void damage_sweep(void) {
  char path[2048];
  snprintf(path, sizeof path, "%s/bad-parquet/good.parquet.base", AUK_TEST_DATA);
  size_t n;
  char *good = slurp(path, &n);
  CHECK(good != NULL && n > 100);
  if (!good) return;
  auk_error err;
  auk_frame *f = NULL;
  CHECK_INT(auk_read_parquet_buffer(good, n, "good.parquet", NULL, &f, &err), AUK_OK);
  CHECK_INT(auk_frame_num_rows(f), 4);
  auk_frame_free(f);
  for (size_t len = 0; len < n; len++) {
    char *copy = malloc(len + 1);
    memcpy(copy, good, len);
    f = NULL;
    CHECK(auk_read_parquet_buffer(copy, len, "cut.parquet", NULL, &f, &err) != AUK_OK);
    free(copy);
  }
  int ok = 0;
  const uint8_t vals[] = {0x00, 0xFF, 0x7F, 0x15};
  char *copy = malloc(n);
  for (size_t i = 0; i < n; i++)
    for (int v = 0; v < 4; v++) {
      memcpy(copy, good, n);
      copy[i] = (char)vals[v];
      f = NULL;
      if (auk_read_parquet_buffer(copy, n, "flip.parquet", NULL, &f, &err) == AUK_OK) {
        ok++;
        auk_frame *d = NULL;
        if (auk_frame_describe(f, &d, &err) == AUK_OK) auk_frame_free(d);
      } else {
        CHECK_CONTAINS(err.message, "flip.parquet");
      }
      auk_frame_free(f);
    }
  free(copy);
  free(good);
  printf("byte sweep: %d of %zu damaged copies still read\n", ok, n * 4);
}

/* The hybrid RLE/bit-packed encoder and decoder agree at every bit width,
 * on runs, noise and mixtures; the bitmap decoder agrees for width 1. */
static void rle_round_trip(void) {
  uint64_t seed = 42;
  int64_t n = 5000;
  uint32_t *v = malloc(sizeof(uint32_t) * (size_t)n), *back = malloc(sizeof(uint32_t) * (size_t)n);
  int bad = 0;
  for (int bw = 0; bw <= 32; bw++) {
    for (int kind = 0; kind < 3; kind++) {
      uint64_t mask = bw == 32 ? 0xFFFFFFFFu : ((1ull << bw) - 1);
      for (int64_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(seed >> 32) & (uint32_t)mask;
        v[i] = kind == 0 ? r : kind == 1 ? (uint32_t)((i / 37) & mask) : (i % 100 < 50 ? r : 0);
      }
      pq_writer w;
      auk_error err;
      pq_writer_init(&w, &err);
      pq_rle_encode(&w, v, n, bw);
      int64_t used = pq_rle_decode(w.data, (int64_t)w.len, bw, back, n);
      if (used != (int64_t)w.len || memcmp(v, back, sizeof(uint32_t) * (size_t)n)) {
        bad++;
        fprintf(stderr, "rle bw %d kind %d used %lld of %zu\n", bw, kind, (long long)used, w.len);
      }
      if (bw == 1) {
        uint8_t bits[5000 / 8 + 16];
        memset(bits, 0, sizeof bits);
        if (pq_rle_decode_bits(w.data, (int64_t)w.len, bits, 3, n) != (int64_t)w.len) bad++;
        int64_t wrong = 0;
        for (int64_t i = 0; i < n; i++)
          wrong += ((bits[(i + 3) >> 3] >> ((i + 3) & 7)) & 1) != v[i];
        if (wrong) fprintf(stderr, "rle bits kind %d: %lld wrong\n", kind, (long long)wrong);
        bad += wrong != 0;
      }
      /* cut short: an error (or, when only padding was cut, the same
       * values), never a read past the end */
      memset(back, 0xAB, sizeof(uint32_t) * (size_t)n);
      if (w.len > 2 && pq_rle_decode(w.data, (int64_t)w.len - 2, bw, back, n) >= 0 &&
          memcmp(v, back, sizeof(uint32_t) * (size_t)n)) {
        fprintf(stderr, "rle bw %d kind %d: a cut stream decoded wrongly\n", bw, kind);
        bad++;
      }
      pq_writer_free(&w);
    }
  }
  CHECK_INT(bad, 0);
  free(v);
  free(back);
}

/* Booleans in the RLE encoding (data pages v2 may use it; no test file
 * does): a 4-byte length, then the hybrid runs at bit width 1. */
static void rle_booleans(void) {
  uint32_t v[100];
  for (int i = 0; i < 100; i++) v[i] = i < 40 ? 1 : (i * 7) % 3 == 0;
  auk_error err;
  pq_writer w;
  pq_writer_init(&w, &err);
  pq_write_bytes(&w, "\0\0\0\0", 4);
  pq_rle_encode(&w, v, 100, 1);
  uint32_t l = (uint32_t)w.len - 4;
  memcpy(w.data, &l, 4);
  pq_schema_el el;
  memset(&el, 0, sizeof el);
  el.type = PQ_BOOLEAN;
  pq_column col;
  memset(&col, 0, sizeof col);
  col.el = &el;
  col.name = "b";
  pq_file pf;
  memset(&pf, 0, sizeof pf);
  pf.src.name = "rle.parquet";
  pq_worker_mem mem;
  memset(&mem, 0, sizeof mem);
  pq_chunk_job j;
  memset(&j, 0, sizeof j);
  j.f = &pf;
  j.col = &col;
  j.w = &mem;
  j.err = &err;
  pq_dense d;
  CHECK_INT(pq_decode_values(&j, PQ_ENC_RLE, w.data, (int64_t)w.len, 100, &d), AUK_OK);
  int bad = 0;
  for (int i = 0; i < 100; i++) bad += ((d.fixed[i >> 3] >> (i & 7)) & 1) != (int)v[i];
  CHECK_INT(bad, 0);
  /* a length past the page is an error naming the file and column */
  l = 1000;
  memcpy(w.data, &l, 4);
  CHECK_INT(pq_decode_values(&j, PQ_ENC_RLE, w.data, (int64_t)w.len, 100, &d), AUK_ERR_PARSE);
  CHECK_CONTAINS(err.message, "rle.parquet: column 'b'");
  pq_writer_free(&w);
  pq_scratch_free(&mem.levels);
  pq_scratch_free(&mem.vals);
  /* the deprecated BIT_PACKED levels, most significant bit first: the
   * example of the format's Encodings.md, 0..7 at width 3 */
  const uint8_t packed[] = {0x05, 0x39, 0x77};
  uint32_t out[8];
  CHECK_INT(pq_bitpacked_msb_decode(packed, 3, 3, out, 8), 3);
  for (int i = 0; i < 8; i++) CHECK_INT(out[i], i);
  CHECK_INT(pq_bitpacked_msb_decode(packed, 2, 3, out, 8), -1);
}

static void api_misuse(void) {
  auk_error err;
  auk_frame *f = NULL;
  CHECK_INT(auk_read_parquet(NULL, NULL, &f, &err), AUK_ERR_INVALID_ARGUMENT);
  CHECK_INT(auk_read_parquet("/nonexistent/x.parquet", NULL, &f, &err), AUK_ERR_NOT_FOUND);
  CHECK_CONTAINS(err.message, "/nonexistent/x.parquet");
  CHECK_INT(auk_read_parquet_buffer("PAR1", 4, "tiny.parquet", NULL, &f, &err), AUK_ERR_PARSE);
  CHECK_CONTAINS(err.message, "tiny.parquet");
  CHECK_INT(auk_write_parquet(NULL, "x.parquet", NULL, &err), AUK_ERR_INVALID_ARGUMENT);
}

int main(void) {
  snprintf(tmp_dir, sizeof tmp_dir, "/tmp/auk-test-parquet-XXXXXX");
  if (!mkdtemp(tmp_dir)) return 1;
  decimal_footer();
  api_misuse();
  rle_round_trip();
  rle_booleans();
  round_trips();
  duckdb_types();
  bad_files();
  damage_sweep();
  char rt[600];
  snprintf(rt, sizeof rt, "%s/rt.parquet", tmp_dir);
  if (!have_shared()) {
    printf("skipped the shared data: %s/parquet-testing is absent\n", AUK_SHARED_DATA);
    unlink(rt);
    rmdir(tmp_dir);
    return check_done() ? 1 : 77;
  }
  parquet_testing_vs_duckdb();
  expect_csv("delta_byte_array");
  expect_csv("delta_encoding_optional_column");
  lz4_files();
  nested_files();
  crimes();
  unlink(rt);
  rmdir(tmp_dir);
  return check_done();
}
