/* Tests of the CSV reader on small inputs in memory, and of the parallel
 * path against the serial one on multi-megabyte inputs. */
#include "auk.h"
#include "check.h"

static auk_frame *read_str(const char *text, const auk_csv_read_options *o, auk_error *err) {
  auk_frame *f = NULL;
  if (auk_read_csv_buffer(text, strlen(text), "t.csv", o, &f, err) != AUK_OK) return NULL;
  return f;
}

static const char *cell(const auk_frame *f, int c, int64_t r) {
  static char buf[256];
  int is_null;
  auk_error err;
  if (auk_frame_format_cell(f, c, r, buf, sizeof buf, &is_null, &err)) return "<error>";
  return is_null ? "<null>" : buf;
}

static void test_rfc4180(void) {
  auk_error err;
  auk_frame *f = read_str(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, \"\"y\"\"\",\"multi\nline\"\r\n2,,\"\"\n3,z,w",
      NULL, &err);
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT(auk_frame_num_rows(f), 3);
  CHECK_INT(auk_frame_num_columns(f), 3);
  CHECK_STR(auk_frame_column_name(f, 0), "a");
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_INT64);
  CHECK_STR(cell(f, 1, 0), "x, \"y\"");
  CHECK_STR(cell(f, 2, 0), "multi\nline");
  CHECK_STR(cell(f, 1, 1), "<null>"); /* empty field = null */
  CHECK_STR(cell(f, 2, 1), "");       /* "" = empty string */
  CHECK_STR(cell(f, 2, 2), "w");      /* no final newline */
  auk_frame_free(f);
}

static void test_inference(void) {
  auk_error err;
  auk_frame *f = read_str(
      "i,f,b,d,t,s\n1,1.5,true,2022-01-02,2022-01-02 03:04:05,a\n-2,1e3,FALSE,1999-12-31,"
      "2022-01-02T03:04:05.25,b\n",
      NULL, &err);
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_INT64);
  CHECK_INT(auk_frame_column_type(f, 1), AUK_TYPE_FLOAT64);
  CHECK_INT(auk_frame_column_type(f, 2), AUK_TYPE_BOOL);
  CHECK_INT(auk_frame_column_type(f, 3), AUK_TYPE_DATE);
  CHECK_INT(auk_frame_column_type(f, 4), AUK_TYPE_DATETIME);
  CHECK_INT(auk_frame_column_type(f, 5), AUK_TYPE_STRING);
  CHECK_STR(cell(f, 4, 1), "2022-01-02 03:04:05.250000");
  CHECK_STR(cell(f, 1, 1), "1000.0");
  CHECK_STR(cell(f, 2, 1), "false");
  auk_frame_free(f);
}

static void test_timezones(void) {
  auk_error err;
  auk_frame *f = read_str(
      "t,mixed\n2022-01-01T10:00:00Z,2022-01-01 10:00:00\n2022-06-01 12:30:00+02:00,"
      "2022-01-01 10:00:00Z\n",
      NULL, &err);
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_DATETIME);
  CHECK_STR(auk_frame_column_timezone(f, 0), "UTC");
  CHECK_STR(cell(f, 0, 1), "2022-06-01 10:30:00");
  CHECK_INT(auk_frame_column_type(f, 1), AUK_TYPE_STRING); /* naive and zoned mixed */
  CHECK(auk_frame_column_timezone(f, 1) == NULL);
  auk_frame_free(f);
}

static void test_options(void) {
  auk_error err;
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  const char *nulls[] = {"NA"};
  o.null_values = nulls;
  o.num_null_values = 1;
  o.skip_rows = 1;
  auk_frame *f = read_str("junk line\nx;y\n1;NA\nNA;2\n", &o, &err);
  CHECK(f != NULL);
  if (f) {
    CHECK_STR(auk_frame_column_name(f, 1), "y"); /* ; detected */
    CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_INT64);
    CHECK_STR(cell(f, 1, 0), "<null>");
    CHECK_STR(cell(f, 0, 1), "<null>");
    auk_frame_free(f);
  }
  auk_csv_read_options_init(&o);
  o.has_header = 0;
  o.max_rows = 2;
  f = read_str("1|a\n2|b\n3|c\n", &o, &err);
  CHECK(f != NULL);
  if (f) {
    CHECK_STR(auk_frame_column_name(f, 0), "column_1");
    CHECK_INT(auk_frame_num_rows(f), 2);
    auk_frame_free(f);
  }
  /* projection and explicit types */
  auk_csv_read_options_init(&o);
  const char *cols[] = {"c", "a"};
  const char *tn[] = {"c"};
  auk_type_id tt[] = {AUK_TYPE_STRING};
  o.columns = cols;
  o.num_columns = 2;
  o.type_names = tn;
  o.types = tt;
  o.num_types = 1;
  f = read_str("a,b,c\n1,2,3\n4,5,6\n", &o, &err);
  CHECK(f != NULL);
  if (f) {
    CHECK_INT(auk_frame_num_columns(f), 2);
    CHECK_STR(auk_frame_column_name(f, 0), "c");
    CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_STRING);
    CHECK_STR(cell(f, 1, 1), "4");
    auk_frame_free(f);
  }
  const char *bad[] = {"cc"};
  o.columns = bad;
  o.num_columns = 1;
  o.num_types = 0;
  f = read_str("a,b,c\n1,2,3\n", &o, &err);
  CHECK(f == NULL);
  CHECK_CONTAINS(err.message, "did you mean 'c'?");
  /* Latin-1 */
  auk_csv_read_options_init(&o);
  o.encoding = AUK_ENCODING_LATIN1;
  f = read_str(
      "T(\xb0"
      "C)\n-5.2\n",
      &o, &err);
  CHECK(f != NULL);
  if (f) {
    CHECK_STR(auk_frame_column_name(f, 0),
              "T(\xc2\xb0"
              "C)");
    auk_frame_free(f);
  }
  /* ragged rows padded */
  auk_csv_read_options_init(&o);
  o.ragged = AUK_RAGGED_PAD;
  f = read_str("a,b,c\n1,2\n3,4,5,6\n", &o, &err);
  CHECK(f != NULL);
  if (f) {
    CHECK_STR(cell(f, 2, 0), "<null>");
    CHECK_STR(cell(f, 2, 1), "5");
    auk_frame_free(f);
  }
}

static void test_errors(void) {
  auk_error err;
  CHECK(read_str("a,b,c\n1,2,3\n4,5\n", NULL, &err) == NULL);
  CHECK_INT(err.code, AUK_ERR_PARSE);
  CHECK_CONTAINS(err.message, "t.csv: line 3: expected 3 fields but found 2");
  CHECK(read_str("a,b\n1,\"open\n2,3\n", NULL, &err) == NULL);
  CHECK_CONTAINS(err.message, "line 2, column 'b': quoted field is never closed");
  CHECK(read_str("a,b\n1,\"x\"y\n", NULL, &err) == NULL);
  CHECK_CONTAINS(err.message, "unexpected text 'y' after a closing quote");
  CHECK(read_str("a\n\xff\xfe\n", NULL, &err) == NULL);
  CHECK_CONTAINS(err.message, "line 2, column 'a': invalid UTF-8");
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  const char *tn[] = {"n"};
  auk_type_id tt[] = {AUK_TYPE_INT32};
  o.type_names = tn;
  o.types = tt;
  o.num_types = 1;
  CHECK(read_str("n\n1\n2\nabc\n", &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "line 4, column 'n': cannot read 'abc' as i32");
  CHECK(read_str("n\n1\n99999999999\n", &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "line 3");
}

/* A few MB of CSV: quoted fields with commas, newlines and doubled quotes,
 * and a column that turns from int to float and then to string late. */
static char *big_csv(int rows, int stray, int error_at) {
  size_t cap = (size_t)rows * 80 + 100;
  char *s = malloc(cap);
  size_t n = (size_t)sprintf(s, "id,name,v,w\n");
  for (int i = 0; i < rows; i++) {
    if (i == error_at) {
      n += (size_t)sprintf(s + n, "%d,only two\n", i);
      continue;
    }
    const char *w = i == rows - 10 ? "late text" : (i == rows / 2 ? "2.5" : "7");
    if (i % 7 == 0)
      n += (size_t)sprintf(s + n, "%d,\"Doe, J\"\"%d\"\"\nsecond line\",%d,%s\n", i, i, i % 100, w);
    else if (stray && i % 11 == 0)
      n += (size_t)sprintf(s + n, "%d,5'10\" tall,%d,%s\n", i, i % 100, w);
    else
      n += (size_t)sprintf(s + n, "%d,name%d,%d,%s\n", i, i, i % 100, w);
  }
  s[n] = 0;
  return s;
}

static void compare_frames(const auk_frame *a, const auk_frame *b) {
  CHECK_INT(auk_frame_num_rows(a), auk_frame_num_rows(b));
  CHECK_INT(auk_frame_num_columns(a), auk_frame_num_columns(b));
  int bad = 0;
  for (int c = 0; c < auk_frame_num_columns(a) && !bad; c++) {
    CHECK_INT(auk_frame_column_type(a, c), auk_frame_column_type(b, c));
    for (int64_t r = 0; r < auk_frame_num_rows(a) && !bad; r++) {
      char x[256], y[256];
      int nx, ny;
      auk_frame_format_cell(a, c, r, x, sizeof x, &nx, NULL);
      auk_frame_format_cell(b, c, r, y, sizeof y, &ny, NULL);
      if (nx != ny || strcmp(x, y)) {
        fprintf(stderr, "cell %d,%lld differs: '%s' vs '%s'\n", c, (long long)r, x, y);
        bad = 1;
      }
    }
  }
  CHECK(!bad);
}

static void test_parallel(int stray) {
  int rows = 120000;
  char *text = big_csv(rows, stray, -1);
  auk_error e1, e2;
  auk_set_threads(1);
  auk_frame *a = read_str(text, NULL, &e1);
  auk_set_threads(4);
  auk_frame *b = read_str(text, NULL, &e2);
  CHECK(a && b);
  if (a && b) {
    CHECK_INT(auk_frame_num_rows(a), rows);
    CHECK_INT(auk_frame_column_type(a, 3), AUK_TYPE_STRING); /* widened late */
    CHECK_CONTAINS(auk_frame_notes(b), "column 'w'");
    CHECK_STR(cell(b, 3, rows / 2), "2.5");
    CHECK_STR(cell(b, 3, 0), "7");
    CHECK_STR(cell(b, 1, 7), "Doe, J\"7\"\nsecond line");
    compare_frames(a, b);
  }
  auk_frame_free(a);
  auk_frame_free(b);
  free(text);
  /* an error deep in the file: same message either way */
  text = big_csv(rows, stray, rows - 1000);
  auk_set_threads(1);
  a = read_str(text, NULL, &e1);
  auk_set_threads(4);
  b = read_str(text, NULL, &e2);
  CHECK(!a && !b);
  CHECK_STR(e1.message, e2.message);
  CHECK_CONTAINS(e2.message, "expected 4 fields but found 2");
  auk_frame_free(a);
  auk_frame_free(b);
  free(text);
  auk_set_threads(0);
}

static void test_empty(void) {
  auk_error err;
  auk_frame *f = read_str("", NULL, &err);
  CHECK(f != NULL);
  if (f) CHECK_INT(auk_frame_num_rows(f), 0);
  auk_frame_free(f);
  f = read_str("a,b\n", NULL, &err);
  CHECK(f != NULL);
  if (f) {
    CHECK_INT(auk_frame_num_rows(f), 0);
    CHECK_INT(auk_frame_num_columns(f), 2);
  }
  auk_frame_free(f);
}

static void test_memory_limit(void) {
  char *text = big_csv(50000, 0, -1);
  auk_error err;
  auk_set_memory_limit(1 << 20);
  auk_frame *f = read_str(text, NULL, &err);
  CHECK(f == NULL);
  CHECK_INT(err.code, AUK_ERR_OUT_OF_MEMORY);
  CHECK_CONTAINS(err.message, "memory limit");
  auk_set_memory_limit(0);
  f = read_str(text, NULL, &err);
  CHECK(f != NULL);
  auk_frame_free(f);
  free(text);
}

int main(void) {
  test_rfc4180();
  test_inference();
  test_timezones();
  test_options();
  test_errors();
  test_empty();
  test_parallel(0);
  test_parallel(1);
  test_memory_limit();
  CHECK_INT(auk_memory_used(), 0); /* every byte was given back */
  return check_done();
}
