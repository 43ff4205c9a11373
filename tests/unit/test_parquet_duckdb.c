/* Files auk writes, read by DuckDB and by Polars (npm @duckdb/node-api from bench/, run by
 * tests/parquet/duckdb_expect.mjs): every type with nulls and empty
 * strings, each codec, dictionary and plain pages, several row groups, a
 * single row, an empty frame, and the crimes data. DuckDB's values are
 * compared with the frames written. Skips (77) when node or bench's
 * node_modules is missing (bench/setup.sh installs them). */
#include "parquet_util.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#define SRC_DIR AUK_TEST_DATA "/../.."

static char dir[256];

typedef struct written {
  char name[64];
  auk_frame *f;
} written;

static written files[32];
static int nfiles;

static void write_one(auk_frame *f, const char *name, const auk_parquet_write_options *o) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s.parquet", dir, name);
  auk_error err;
  auk_status st = auk_write_parquet(f, path, o, &err);
  CHECK_INT(st, AUK_OK);
  if (st) {
    fprintf(stderr, "%s: %s\n", name, err.message);
    auk_frame_free(f);
    return;
  }
  snprintf(files[nfiles].name, sizeof files[nfiles].name, "%s", name);
  files[nfiles++].f = f;
}

/* The same files read by Polars: rows, null counts and sums per column
 * against the frames written. */
static void polars_check(void) {
  char cmd[8192];
  int n = snprintf(cmd, sizeof cmd, "node %s/tests/parquet/polars_check.mjs", SRC_DIR);
  for (int i = 0; i < nfiles; i++)
    n += snprintf(cmd + n, sizeof cmd - (size_t)n, " %s/%s.parquet", dir, files[i].name);
  FILE *p = popen(cmd, "r");
  if (!p) {
    CHECK(0);
    return;
  }
  char line[4096];
  int lines = 0;
  while (fgets(line, sizeof line, p)) {
    char *fields[5] = {0};
    int k = 0;
    line[strcspn(line, "\n")] = 0;
    for (char *t = strtok(line, "|"); t && k < 5; t = strtok(NULL, "|")) fields[k++] = t;
    if (k < 3 || !strcmp(fields[1], "error")) {
      fprintf(stderr, "polars: %s: %s\n", fields[0], k > 2 ? fields[2] : "?");
      CHECK(0);
      continue;
    }
    if (k < 5) continue;
    const auk_frame *f = NULL;
    for (int i = 0; i < nfiles; i++) {
      char fn[4096];
      snprintf(fn, sizeof fn, "%.64s.parquet", files[i].name);
      if (!strcmp(fn, fields[0])) f = files[i].f;
    }
    if (!f) continue;
    lines++;
    CHECK_INT(atoll(fields[1]), auk_frame_num_rows(f));
    int c = auk_frame_column_index(f, fields[2]);
    CHECK(c >= 0);
    if (c < 0) continue;
    int64_t nulls = 0;
    double sum = 0;
    auk_type_id t = auk_frame_column_type(f, c);
    for (int64_t r = 0; r < auk_frame_num_rows(f); r++) {
      int is_null = 0;
      auk_frame_is_null(f, c, r, &is_null, NULL);
      nulls += is_null;
      if (is_null) continue;
      if (t == AUK_TYPE_STRING) {
        const char *s;
        int64_t len;
        auk_frame_get_string(f, c, r, &s, &len, NULL, NULL);
        sum += (double)len;
      } else if (t == AUK_TYPE_BOOL) {
        char b[8];
        auk_frame_format_cell(f, c, r, b, sizeof b, NULL, NULL);
        sum += !strcmp(b, "true");
      } else {
        double d = 0;
        if (auk_frame_get_double(f, c, r, &d, NULL, NULL) == AUK_OK) sum += d;
      }
    }
    CHECK_INT(atoll(fields[3]), nulls);
    if (strcmp(fields[4], "-")) {
      double ps = strtod(fields[4], NULL);
      int ok =
          ps == sum || fabs(ps - sum) <= 1e-9 * fmax(1.0, fabs(sum)) || (isnan(ps) && isnan(sum));
      if (!ok)
        fprintf(stderr, "polars: %s column %s: sum %.17g, auk %.17g\n", fields[0], fields[2], ps,
                sum);
      CHECK(ok);
    }
  }
  CHECK_INT(pclose(p), 0);
  CHECK(lines > 0);
  printf("Polars read %d columns of the files auk wrote\n", lines);
}

int main(void) {
  struct stat st;
  if (stat(SRC_DIR "/bench/node_modules/@duckdb/node-api", &st) != 0 ||
      system("node --version >/dev/null 2>&1") != 0) {
    printf("skipped: node or bench/node_modules is missing (run bench/setup.sh)\n");
    return 77;
  }
  snprintf(dir, sizeof dir, "/tmp/auk-test-pq-duckdb-XXXXXX");
  if (!mkdtemp(dir)) return 1;
  auk_parquet_write_options o;
  const auk_parquet_compression codecs[] = {AUK_PARQUET_SNAPPY, AUK_PARQUET_UNCOMPRESSED,
                                            AUK_PARQUET_ZSTD, AUK_PARQUET_GZIP};
  const char *cnames[] = {"snappy", "none", "zstd", "gzip"};
  for (int k = 0; k < 4; k++)
    for (int dict = 0; dict < 2; dict++) {
      auk_parquet_write_options_init(&o);
      o.compression = codecs[k];
      o.dictionary = dict;
      char name[64];
      snprintf(name, sizeof name, "all_%s_%s", cnames[k], dict ? "dict" : "plain");
      write_one(all_types_frame(1), name, &o);
    }
  auk_parquet_write_options_init(&o);
  o.row_group_rows = 50000;
  write_one(all_types_frame(30000), "many_rows", &o);
  /* data pages v2, compressed and not, with and without a dictionary */
  for (int k = 0; k < 2; k++)
    for (int dict = 0; dict < 2; dict++) {
      auk_parquet_write_options_init(&o);
      o.data_page_v2 = 1;
      o.dictionary = dict;
      o.compression = k ? AUK_PARQUET_ZSTD : AUK_PARQUET_UNCOMPRESSED;
      o.row_group_rows = 7000;
      char name[64];
      snprintf(name, sizeof name, "v2_%s_%s", k ? "zstd" : "none", dict ? "dict" : "plain");
      write_one(all_types_frame(1000), name, &o);
    }
  {
    /* long strings: several pages per batch */
    size_t cap = 100000 * 64 + 16, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text, cap, "i,s\n");
    for (int i = 0; i < 100000; i++)
      len += (size_t)snprintf(text + len, cap - len, i % 9 ? "%d,row-%d-%040d\n" : "%d,\n", i, i,
                              i * 7);
    auk_frame *g = NULL;
    if (auk_read_csv_buffer(text, len, "long.csv", NULL, &g, NULL) == AUK_OK) {
      auk_parquet_write_options_init(&o);
      o.dictionary = 0;
      write_one(g, "long_strings", &o);
    }
    free(text);
  }
  auk_frame *f = all_types_frame(1), *s = NULL;
  auk_frame_slice(f, 3, 1, &s, NULL);
  write_one(s, "single_row", NULL);
  s = NULL;
  auk_frame_slice(f, 0, 0, &s, NULL);
  write_one(s, "empty", NULL);
  auk_frame_free(f);
  f = NULL;
  auk_error err;
  if (auk_read_csv(AUK_SHARED_DATA "/crimes-2022-slim.csv.gz", NULL, &f, &err) == AUK_OK)
    write_one(f, "crimes", NULL);
  char cmd[8192];
  /* every row of these files is compared */
  int n = snprintf(cmd, sizeof cmd,
                   "AUK_EXPECT_LIMIT=100000000 node %s/tests/parquet/duckdb_expect.mjs %s", SRC_DIR,
                   dir);
  for (int i = 0; i < nfiles; i++)
    n += snprintf(cmd + n, sizeof cmd - (size_t)n, " %s/%s.parquet", dir, files[i].name);
  CHECK_INT(system(cmd), 0);
  polars_check();
  for (int i = 0; i < nfiles; i++) {
    char ep[4096], pp[4096];
    snprintf(ep, sizeof ep, "%s/%s.expect", dir, files[i].name);
    snprintf(pp, sizeof pp, "%s/%s.parquet", dir, files[i].name);
    int before = check_failures;
    compare_expect(ep, files[i].f, pp);
    if (check_failures != before) fprintf(stderr, "  (in %s)\n", files[i].name);
    unlink(ep);
    unlink(pp);
    auk_frame_free(files[i].f);
  }
  rmdir(dir);
  printf("DuckDB read %d files auk wrote\n", nfiles);
  return check_done();
}
