/* Unit tests of the CSV writer (quoting, nulls, atomic replace), the table
 * printer and describe. */
#include "auk.h"
#include "check.h"
#include "io/format.h"

#include <math.h>

#include <sys/stat.h>
#include <unistd.h>

static auk_frame *read_str(const char *text) {
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv_buffer(text, strlen(text), "t.csv", NULL, &f, &err))
    fprintf(stderr, "%s\n", err.message);
  return f;
}

static char *slurp(const char *path) {
  static char buf[1 << 16];
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  return buf;
}

static char *print_to_string(const auk_frame *f, const auk_print_options *o);

static void writer(void) {
  char dir[] = "/tmp/auk-test-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256], bad[256];
  snprintf(path, sizeof path, "%s/out.csv", dir);
  snprintf(bad, sizeof bad, "%s/missing/out.csv", dir);
  auk_frame *f = read_str("s,i,f,b\n\"a,b\",1,1.5,true\n\"\",,2,false\n\"q\"\"x\",3,,\n");
  CHECK(f != NULL);
  if (!f) return;
  auk_error err;
  CHECK(auk_write_csv(f, path, NULL, &err) == AUK_OK);
  CHECK_STR(slurp(path), "s,i,f,b\n\"a,b\",1,1.5,true\n\"\",,2.0,false\n\"q\"\"x\",3,,\n");
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0444) == 0444);
  auk_csv_write_options o;
  auk_csv_write_options_init(&o);
  o.delimiter = ';';
  o.header = 0;
  CHECK(auk_write_csv(f, path, &o, &err) == AUK_OK); /* replaces the file */
  CHECK_STR(slurp(path), "a,b;1;1.5;true\n\"\";;2.0;false\n\"q\"\"x\";3;;\n");
  CHECK(auk_write_csv(f, bad, NULL, &err) != AUK_OK);
  CHECK_CONTAINS(err.message, "missing/out.csv");
  snprintf(bad, sizeof bad, "%s/missing", dir);
  CHECK(access(bad, F_OK) != 0);
  /* round trip */
  auk_frame *g = NULL;
  CHECK(auk_write_csv(f, path, NULL, &err) == AUK_OK);
  CHECK(auk_read_csv(path, NULL, &g, &err) == AUK_OK);
  if (g) {
    char x[64], y[64];
    int nx, ny, same = 1;
    for (int c = 0; c < 4; c++)
      for (int r = 0; r < 3; r++) {
        auk_frame_format_cell(f, c, r, x, sizeof x, &nx, NULL);
        auk_frame_format_cell(g, c, r, y, sizeof y, &ny, NULL);
        same &= nx == ny && !strcmp(x, y);
      }
    CHECK(same);
    auk_frame_free(g);
  }
  auk_frame_free(f);
  /* decimals: exactly their scale's digits, read back exactly with the type */
  const char *dn[] = {"d"};
  auk_type_id dt[] = {AUK_DECIMAL(18, 3)};
  auk_csv_read_options ro;
  auk_csv_read_options_init(&ro);
  ro.type_names = dn;
  ro.types = dt;
  ro.num_types = 1;
  const char *dtext = "d\n1.5\n\n-0.0005\n999999999999999.999\n2\n";
  f = NULL;
  CHECK(auk_read_csv_buffer(dtext, strlen(dtext), "d.csv", &ro, &f, &err) == AUK_OK);
  if (f) {
    CHECK(auk_write_csv(f, path, NULL, &err) == AUK_OK);
    CHECK_STR(slurp(path), "d\n1.500\n\n-0.001\n999999999999999.999\n2.000\n");
    g = NULL;
    CHECK(auk_read_csv(path, &ro, &g, &err) == AUK_OK);
    int64_t v = 0;
    if (g) CHECK(auk_frame_get_int(g, 0, 3, &v, NULL, &err) == AUK_OK);
    CHECK(v == INT64_C(999999999999999999));
    auk_frame_free(g);
    /* the printer shows the same text */
    char *t = print_to_string(f, NULL);
    CHECK(strstr(t, "decimal(18,3)") != NULL && strstr(t, "-0.001") != NULL);
    auk_frame_free(f);
  }
  unlink(path);
  rmdir(dir);
}

static char *print_to_string(const auk_frame *f, const auk_print_options *o) {
  static char buf[1 << 16];
  FILE *m = fmemopen(buf, sizeof buf, "w");
  auk_frame_print(f, m, o, NULL);
  fclose(m);
  return buf;
}

static void printer(void) {
  char text[8192] = "id,name\n";
  for (int i = 0; i < 30; i++)
    snprintf(text + strlen(text), sizeof text - strlen(text), "%d,%s\n", i,
             i == 0 ? "a very long string that goes on and on and on" : "x");
  auk_frame *f = read_str(text);
  CHECK(f != NULL);
  if (!f) return;
  auk_print_options o;
  auk_print_options_init(&o);
  char *s = print_to_string(f, &o);
  CHECK_CONTAINS(s, "shape: (30, 2)");
  CHECK_CONTAINS(s, "│ id  ┆ name");
  CHECK_CONTAINS(s, "│ i64 ┆ str");
  CHECK_CONTAINS(s, "\"a very long string that goes on …");
  CHECK_CONTAINS(s, "│ …   ┆ …");
  CHECK_CONTAINS(s, "│ 29  ┆ \"x\"");
  CHECK(strstr(s, "│ 15 ") == NULL); /* elided */
  o.max_rows = -1;
  s = print_to_string(f, &o);
  CHECK_CONTAINS(s, "│ 15 ");
  auk_frame_free(f);
  f = read_str("aaaaaaaaaa,bbbbbbbbbb,cccccccccc,dddddddddd,eeeeeeeeee\n1,2,3,4,5\n");
  auk_print_options_init(&o);
  o.max_width = 40;
  s = print_to_string(f, &o);
  CHECK_CONTAINS(s, "aaaaaaaaaa ┆ … ┆ eeeeeeeeee");
  CHECK(strstr(s, "cccccccccc") == NULL);
  auk_frame_free(f);
}

static void describe(void) {
  auk_frame *f = read_str("x,s,b\n1,b,true\n,a,false\n3,,true\n4,c,\n");
  CHECK(f != NULL);
  if (!f) return;
  auk_frame *d = NULL;
  auk_error err;
  CHECK(auk_frame_describe(f, &d, &err) == AUK_OK);
  if (!d) return;
  double v;
  int is_null;
  auk_frame_get_double(d, 1, 0, &v, NULL, NULL);
  CHECK(v == 3);
  auk_frame_get_double(d, 1, 1, &v, NULL, NULL);
  CHECK(v == 1);
  auk_frame_get_double(d, 1, 2, &v, NULL, NULL); /* mean of 1,3,4 */
  CHECK(v > 2.6666 && v < 2.6667);
  auk_frame_get_double(d, 1, 3, &v, NULL, NULL); /* sample std: sqrt(7/3) */
  CHECK(v > 1.5275 && v < 1.5276);
  auk_frame_get_double(d, 1, 4, &v, NULL, NULL);
  CHECK(v == 1);
  auk_frame_get_double(d, 1, 5, &v, NULL, NULL);
  CHECK(v == 4);
  char buf[32];
  auk_frame_format_cell(d, 2, 4, buf, sizeof buf, NULL, NULL);
  CHECK_STR(buf, "a");
  auk_frame_format_cell(d, 2, 5, buf, sizeof buf, NULL, NULL);
  CHECK_STR(buf, "c");
  auk_frame_format_cell(d, 2, 2, buf, sizeof buf, &is_null, NULL);
  CHECK(is_null);
  auk_frame_get_double(d, 3, 2, &v, NULL, NULL); /* 2 of 3 true */
  CHECK(v > 0.6666 && v < 0.6667);
  auk_frame_free(d);
  auk_frame_free(f);
}

static void misuse(void) {
  auk_error err;
  int64_t v;
  CHECK(auk_frame_get_int(NULL, 0, 0, &v, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
  auk_frame *f = read_str("a,b\n1,x\n");
  CHECK(auk_frame_get_int(f, 5, 0, &v, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK(auk_frame_get_int(f, 0, 9, &v, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK(auk_frame_get_int(f, 1, 0, &v, NULL, &err) == AUK_ERR_TYPE);
  CHECK_CONTAINS(err.message, "column 'b' is str");
  CHECK(auk_frame_get_int(f, 0, 0, &v, NULL, NULL) == AUK_OK && v == 1);
  CHECK(auk_frame_column_name(f, -1) == NULL);
  CHECK(auk_read_csv(NULL, NULL, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK(auk_frame_print(NULL, stdout, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
  auk_frame *s = NULL;
  CHECK(auk_frame_slice(f, 0, 1, &s, &err) == AUK_OK && auk_frame_num_rows(s) == 1);
  auk_frame_free(s);
  auk_frame_free(f);
  auk_frame_free(NULL);
}

/* Floats print as the shortest text that reads back to the same double. */
static void floats(void) {
  char buf[AUK_FORMAT_MAX];
  const struct {
    double v;
    const char *text;
  } cases[] = {{0.1, "0.1"},     {1.0 / 3, "0.3333333333333333"}, {-2.5, "-2.5"},
               {1000, "1000.0"}, {0.000099, "0.000099"},          {1e300, "1e+300"},
               {-0.0, "-0.0"},   {47.562138, "47.562138"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    auk_format_double(cases[i].v, buf);
    CHECK_STR(buf, cases[i].text);
  }
  uint64_t s = 1;
  int bad = 0;
  for (int i = 0; i < 200000; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    double v;
    memcpy(&v, &s, 8);
    if (i % 2) v = (double)(s >> 20) / 1e6;
    if (isnan(v) || isinf(v)) continue;
    auk_format_double(v, buf);
    bad += strtod(buf, NULL) != v;
  }
  CHECK_INT(bad, 0);
}

int main(void) {
  floats();
  writer();
  printer();
  describe();
  misuse();
  CHECK_INT(auk_memory_used(), 0); /* every byte was given back */
  return check_done();
}
