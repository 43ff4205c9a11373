/* Golden tests on the real data sets in ../shared/data. Expected numbers
 * come from the files themselves, counted independently with Python's csv
 * module (see the comments), never from auk. Skips when the data is absent. */
#include "auk.h"
#include "check.h"

#include <unistd.h>

static char path[4096];
static const char *data(const char *name) {
  snprintf(path, sizeof path, "%s/%s", AUK_SHARED_DATA, name);
  return path;
}

static int64_t count_nulls(const auk_frame *f, int col) {
  int64_t n = 0;
  for (int64_t r = 0; r < auk_frame_num_rows(f); r++) {
    int is_null;
    auk_frame_is_null(f, col, r, &is_null, NULL);
    n += is_null;
  }
  return n;
}

static auk_frame *read_with(const char *file, const auk_csv_read_options *o, int threads) {
  auk_error err;
  auk_frame *f = NULL;
  auk_set_threads(threads);
  if (auk_read_csv(data(file), o, &f, &err)) fprintf(stderr, "%s\n", err.message);
  auk_set_threads(0);
  return f;
}

static void same(const auk_frame *a, const auk_frame *b) {
  CHECK_INT(auk_frame_num_rows(a), auk_frame_num_rows(b));
  int bad = 0;
  for (int c = 0; c < auk_frame_num_columns(a) && !bad; c++)
    for (int64_t r = 0; r < auk_frame_num_rows(a) && !bad; r++) {
      char x[512], y[512];
      int nx, ny;
      auk_frame_format_cell(a, c, r, x, sizeof x, &nx, NULL);
      auk_frame_format_cell(b, c, r, y, sizeof y, &ny, NULL);
      bad = nx != ny || strcmp(x, y);
    }
  CHECK(!bad);
}

static void crimes(void) {
  auk_frame *f = read_with("crimes-2022-slim.csv.gz", NULL, 2);
  auk_frame *g = read_with("crimes-2022-slim.csv.gz", NULL, 1);
  CHECK(f && g);
  if (!f || !g) return;
  CHECK_INT(auk_frame_num_rows(f), 215551);
  CHECK_INT(auk_frame_num_columns(f), 8);
  CHECK_INT(auk_frame_column_type(f, 0), AUK_TYPE_DATETIME);
  CHECK_INT(auk_frame_column_type(f, 5), AUK_TYPE_BOOL);
  CHECK_INT(auk_frame_column_type(f, 6), AUK_TYPE_BOOL);
  CHECK_INT(auk_frame_column_type(f, 7), AUK_TYPE_INT64);
  /* python3 csv: 611 empty 'Location Description' fields */
  CHECK_INT(count_nulls(f, auk_frame_column_index(f, "Location Description")), 611);
  char buf[256];
  auk_frame_format_cell(f, 0, 0, buf, sizeof buf, NULL, NULL);
  CHECK_STR(buf, "2022-09-16 21:30:00");
  auk_frame_format_cell(f, 1, 0, buf, sizeof buf, NULL, NULL);
  CHECK_STR(buf, "026XX S KEDVALE AVE");
  /* python3 csv: 24133 rows with Arrest == 'true' */
  int64_t arrests = 0;
  for (int64_t r = 0; r < auk_frame_num_rows(f); r++) {
    int64_t v;
    auk_frame_get_int(f, 5, r, &v, NULL, NULL);
    arrests += v;
  }
  CHECK_INT(arrests, 24133);
  same(f, g);
  auk_frame_free(f);
  auk_frame_free(g);
}

static void titanic(void) {
  auk_frame *f = read_with("titanic.csv", NULL, 2);
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT(auk_frame_num_rows(f), 891);
  CHECK_INT(auk_frame_num_columns(f), 12);
  char buf[256];
  auk_frame_format_cell(f, auk_frame_column_index(f, "Name"), 0, buf, sizeof buf, NULL, NULL);
  CHECK_STR(buf, "Braund, Mr. Owen Harris");
  CHECK_INT(auk_frame_column_type(f, auk_frame_column_index(f, "Age")), AUK_TYPE_FLOAT64);
  CHECK_INT(count_nulls(f, auk_frame_column_index(f, "Age")), 177);
  CHECK_INT(count_nulls(f, auk_frame_column_index(f, "Cabin")), 687);
  auk_frame_free(f);
}

static void seoul(void) {
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.encoding = AUK_ENCODING_LATIN1;
  auk_frame *f = read_with("SeoulBikeData.csv.gz", &o, 2);
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT(auk_frame_num_rows(f), 8760);
  CHECK(auk_frame_column_index(f,
                               "Temperature(\xc2\xb0"
                               "C)") == 3);
  auk_frame_free(f);
  /* read as UTF-8 the same file is an error naming the encoding */
  auk_error err;
  CHECK(auk_read_csv(data("SeoulBikeData.csv.gz"), NULL, &f, &err) != AUK_OK);
  CHECK_CONTAINS(err.message, "line 1: invalid UTF-8 in the name of column 4");
}

static void lineitem(void) {
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.has_header = 0;
  o.delimiter = '|';
  auk_frame *f = read_with("tpch-sf0.01/lineitem.tbl", &o, 2);
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT(auk_frame_num_rows(f), 60175); /* wc -l */
  CHECK_INT(auk_frame_num_columns(f), 16);
  CHECK_INT(auk_frame_column_type(f, 10), AUK_TYPE_DATE);
  CHECK_INT(auk_frame_column_type(f, 5), AUK_TYPE_FLOAT64);
  auk_frame_free(f);
  int64_t rows = 0;
  auk_error err;
  CHECK(auk_count_csv(data("tpch-sf0.01/lineitem.tbl"), &o, &rows, &err) == AUK_OK);
  CHECK_INT(rows, 60175);
}

int main(void) {
  if (access(data("titanic.csv"), R_OK) != 0) {
    printf("skipped: %s not found (../shared/data is absent)\n", path);
    return 77;
  }
  crimes();
  titanic();
  seoul();
  lineitem();
  return check_done();
}
