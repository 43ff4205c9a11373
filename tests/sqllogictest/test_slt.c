/* test_slt.c - the sqllogictest runner's own logic: query headers,
 * expected values in both layouts, the numeric tolerance, sorting,
 * substitution, result formatting, and whole files run through
 * slt_run_file (passing, failing and skipped ones). */
#include "slt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
#define CHECK(cond)                                          \
  do {                                                       \
    if (!(cond)) {                                           \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                            \
    }                                                        \
  } while (0)

static void test_header(void) {
  slt_query_header h;
  char why[256];
  CHECK(slt_parse_query_header(" ITR rowsort", &h, why, sizeof why) == 0);
  CHECK(h.ncols == 3 && h.sort == SLT_ROWSORT);
  CHECK(slt_parse_query_header(" I valuesort lbl", &h, why, sizeof why) == 0);
  CHECK(h.ncols == 1 && h.sort == SLT_VALUESORT);
  CHECK(slt_parse_query_header(" TT mylabel", &h, why, sizeof why) == 0);
  CHECK(h.ncols == 2 && h.sort == SLT_NOSORT);
  CHECK(slt_parse_query_header(" IX", &h, why, sizeof why) == -1 && strstr(why, "'X'"));
  CHECK(slt_parse_query_header("", &h, why, sizeof why) == -1);
  CHECK(slt_parse_query_header(" I sometimes lbl", &h, why, sizeof why) == -1);
}

static void test_expected(void) {
  char why[256];
  char *rows[] = {"1\ta", "2\t(empty)"};
  slt_strs v = {0};
  CHECK(slt_split_expected(rows, 2, 2, &v, why, sizeof why) == 0);
  CHECK(v.n == 4 && !strcmp(v.v[1], "a") && !strcmp(v.v[3], "(empty)"));
  slt_strs_free(&v);
  char *values[] = {"1", "a", "2", "b"}; /* one value per line */
  CHECK(slt_split_expected(values, 4, 2, &v, why, sizeof why) == 0);
  CHECK(v.n == 4 && !strcmp(v.v[2], "2"));
  slt_strs_free(&v);
  CHECK(slt_split_expected(values, 3, 2, &v, why, sizeof why) == -1);
  slt_strs_free(&v);
  char *ragged[] = {"1\ta", "2"};
  CHECK(slt_split_expected(ragged, 2, 2, &v, why, sizeof why) == -1 && strstr(why, "row 2"));
  slt_strs_free(&v);
  char *spaces[] = {"a b"}; /* one column: spaces belong to the value */
  CHECK(slt_split_expected(spaces, 1, 1, &v, why, sizeof why) == 0 && !strcmp(v.v[0], "a b"));
  slt_strs_free(&v);
}

static void test_equal(void) {
  CHECK(slt_values_equal("abc", "abc"));
  CHECK(!slt_values_equal("abc", "abd"));
  CHECK(slt_values_equal("0.1", "0.1000000000001"));
  CHECK(!slt_values_equal("0.1", "0.1001"));
  CHECK(slt_values_equal("3", "3.0"));
  CHECK(slt_values_equal("0", "1e-13"));
  CHECK(!slt_values_equal("0", "1e-9"));
  CHECK(slt_values_equal("1e20", "100000000000000000000.0"));
  CHECK(!slt_values_equal("NULL", "0"));
  CHECK(!slt_values_equal("", "0"));
  CHECK(!slt_values_equal("1", "1x"));
  CHECK(slt_values_equal("inf", "inf") && !slt_values_equal("inf", "-inf"));
  CHECK(slt_values_equal("NaN", "NaN"));
}

static void test_sort(void) {
  slt_strs v = {0};
  const char *in[] = {"b", "2", "a", "9", "a", "1"};
  for (int i = 0; i < 6; i++) slt_strs_push(&v, in[i], strlen(in[i]));
  slt_sort_values(&v, 2, SLT_ROWSORT);
  CHECK(!strcmp(v.v[0], "a") && !strcmp(v.v[1], "1") && !strcmp(v.v[3], "9") &&
        !strcmp(v.v[4], "b") && !strcmp(v.v[5], "2"));
  slt_sort_values(&v, 2, SLT_VALUESORT);
  CHECK(!strcmp(v.v[0], "1") && !strcmp(v.v[5], "b"));
  slt_strs_free(&v);
}

static void test_substitute(void) {
  slt_var vars[] = {{"${i}", "42"}, {"{DATA_DIR}", "/d"}, {"__DATA_DIR__", "/d"}};
  char *s =
      slt_substitute("SELECT ${i} FROM '{DATA_DIR}/x.csv', '__DATA_DIR__/y' -- ${j}", vars, 3);
  CHECK(s && !strcmp(s, "SELECT 42 FROM '/d/x.csv', '/d/y' -- ${j}"));
  free(s);
}

static void test_format(void) {
  const char csv[] = "a,b,c,d\n1,x,2.5,true\n,\"\",,\n";
  auk_frame *f = NULL;
  auk_error err;
  CHECK(auk_read_csv_buffer(csv, sizeof csv - 1, "t.csv", NULL, &f, &err) == AUK_OK);
  slt_strs v = {0};
  /* the reader reads an empty field as null; a quoted "" stays a string? */
  CHECK(f && slt_format_frame(f, &v, &err) == 0 && v.n == 8);
  if (v.n == 8) {
    CHECK(!strcmp(v.v[0], "1") && !strcmp(v.v[1], "x") && !strcmp(v.v[2], "2.5") &&
          !strcmp(v.v[3], "true"));
    CHECK(!strcmp(v.v[4], "NULL") && !strcmp(v.v[6], "NULL") && !strcmp(v.v[7], "NULL"));
    CHECK(!strcmp(v.v[5], "NULL") || !strcmp(v.v[5], "(empty)"));
  }
  slt_strs_free(&v);
  auk_frame_free(f);
}

/* Whole files: the interpreter's records, loops and reports. */
static int run_text(const char *text, const char *data_dir) {
  char path[] = "/tmp/test_slt_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return -1;
  if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) return -1;
  close(fd);
  slt_config cfg = {data_dir, "/tmp", 0};
  int rc = slt_run_file(path, &cfg);
  unlink(path);
  return rc;
}

static void test_files(void) {
  /* SQL is not necessarily on this branch: these files only use records
   * whose outcome does not depend on it, or errors the lexer gives. */
  CHECK(run_text("# comment\nhash-threshold 8\n\nstatement error\nSELECT 'x\n----\nunterminated "
                 "string\n",
                 NULL) == 0);
  CHECK(run_text("statement error\nSELECT 'x\n----\nsome other message\n", NULL) == 1);
  CHECK(run_text("statement ok\nSELECT 'x\n", NULL) == 1);
  CHECK(run_text("skipif auk\nstatement ok\nSELECT 'x\n\nonlyif duckdb\nstatement ok\nSELECT 'x\n",
                 NULL) == 0);
  CHECK(run_text("mode skip\n\nstatement ok\nSELECT 'x\n\nmode unskip\n", NULL) == 0);
  CHECK(run_text("halt\n\nstatement ok\nSELECT 'x\n", NULL) == 0);
  CHECK(run_text("require spatial\n\nstatement ok\nSELECT 'x\n", NULL) == 2);
  CHECK(run_text("statement ok\nSELECT '{DATA_DIR}/x'\n", "/nonexistent/dir") == 2);
  CHECK(run_text("loop i 0 3\n\nstatement error\nSELECT '${i}\n----\nunterminated\n\nendloop\n",
                 NULL) == 0);
  CHECK(run_text("foreach t a b\n\nstatement ok\nSELECT '${t}\n\nendloop\n", NULL) == 1);
  CHECK(run_text("loop i 0 2\n\nstatement ok\nSELECT 1\n", NULL) == 1); /* no endloop */
  CHECK(run_text("query IX\nSELECT 1\n----\n1\n", NULL) == 1);
  CHECK(run_text("frobnicate\n", NULL) == 1);
}

int main(void) {
  test_header();
  test_expected();
  test_equal();
  test_sort();
  test_substitute();
  test_format();
  test_files();
  printf("%s\n", failures ? "FAILED" : "ok");
  return failures != 0;
}
