/* parquet_util.h - helpers the Parquet tests share: a frame of every type
 * built from CSV text, and the comparison of a frame with DuckDB's reading
 * of a Parquet file (the format tests/parquet/duckdb_expect.mjs writes). */
#ifndef AUK_TEST_PARQUET_UTIL_H
#define AUK_TEST_PARQUET_UTIL_H

#include "auk.h"
#include "check.h"

#include <math.h>
#include <stdint.h>

static inline char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, fp) != (size_t)n) n = 0;
  buf[n] = 0;
  fclose(fp);
  if (len) *len = (size_t)n;
  return buf;
}

static inline void hex(const char *s, int64_t n, char *out) {
  static const char d[] = "0123456789ABCDEF";
  for (int64_t i = 0; i < n; i++) {
    out[2 * i] = d[(uint8_t)s[i] >> 4];
    out[2 * i + 1] = d[(uint8_t)s[i] & 15];
  }
  out[2 * n] = 0;
}

/* One auk cell against DuckDB's text for it; 1 when they agree. */
static inline int cell_matches(const auk_frame *f, int c, int64_t r, const char *want) {
  int is_null;
  auk_frame_is_null(f, c, r, &is_null, NULL);
  if (!strcmp(want, "\\N")) return is_null;
  if (is_null) return 0;
  auk_type_id t = auk_frame_column_type(f, c);
  static char buf[1 << 17];
  if (t == AUK_TYPE_STRING) {
    const char *s;
    int64_t n;
    auk_frame_get_string(f, c, r, &s, &n, NULL, NULL);
    if (n * 2 >= (int64_t)sizeof buf) return 0;
    hex(s, n, buf);
    return !strcmp(buf, want);
  }
  if (auk_type_is_decimal(t)) { /* exactly DuckDB's text: "-38.75", "1.00" */
    auk_frame_format_cell(f, c, r, buf, sizeof buf, NULL, NULL);
    return !strcmp(buf, want);
  }
  if (t == AUK_TYPE_FLOAT32 || t == AUK_TYPE_FLOAT64) {
    double v, w = strtod(want, NULL);
    auk_frame_get_double(f, c, r, &v, NULL, NULL);
    if (isnan(w) || isnan(v)) return isnan(w) && isnan(v);
    if (isinf(w) || isinf(v)) return v == w;
    double tol = t == AUK_TYPE_FLOAT32 ? 1e-6 : 1e-12;
    return fabs(v - w) <= tol * fmax(1.0, fabs(w)) && signbit(v) == signbit(w);
  }
  if (t == AUK_TYPE_DATETIME || (t != AUK_TYPE_BOOL && t != AUK_TYPE_DATE)) {
    int64_t v;
    if (t == AUK_TYPE_UINT64) {
      auk_frame_format_cell(f, c, r, buf, sizeof buf, NULL, NULL);
      return !strcmp(buf, want);
    }
    auk_frame_get_int(f, c, r, &v, NULL, NULL);
    return v == strtoll(want, NULL, 10);
  }
  auk_frame_format_cell(f, c, r, buf, sizeof buf, NULL, NULL);
  return !strcmp(buf, want);
}

/* Compares auk's reading of one file with DuckDB's (an .expect file). */
static inline void compare_expect(const char *expect_path, const auk_frame *f,
                                  const char *pq_path) {
  size_t len;
  char *text = slurp(expect_path, &len);
  CHECK(text != NULL);
  if (!text) return;
  char *save = NULL;
  char *line = strtok_r(text, "\n", &save);
  CHECK_INT(auk_frame_num_rows(f), strtoll(line, NULL, 10));
  line = strtok_r(NULL, "\n", &save);
  /* columns by name: auk may have skipped nested ones DuckDB kept */
  int map[256], ncols = 0;
  char *s2 = NULL;
  for (char *name = strtok_r(line, "|", &s2); name && ncols < 256; name = strtok_r(NULL, "|", &s2))
    map[ncols++] = auk_frame_column_index(f, name);
  int64_t r = 0;
  int mismatches = 0;
  for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save), r++) {
    char *s3 = NULL, *cellp = line;
    for (int c = 0; c < ncols; c++) {
      char *bar = strchr(cellp, '|');
      if (bar) *bar = 0;
      if (map[c] >= 0 && r < auk_frame_num_rows(f) && !cell_matches(f, map[c], r, cellp)) {
        if (mismatches++ < 5)
          fprintf(stderr, "%s: row %lld column '%s': DuckDB has '%.60s'\n", pq_path, (long long)r,
                  auk_frame_column_name(f, map[c]), cellp);
      }
      cellp = bar ? bar + 1 : cellp + strlen(cellp);
    }
    (void)s3;
  }
  CHECK_INT(mismatches, 0);
  free(text);
}

/* A frame of every type, with nulls and empty strings, from CSV text. */
static const char *all_types_csv =
    "b,i8,i16,i32,i64,u8,u16,u32,u64,f32,f64,s,d,t,tz,n,d9,d18\n"
    "true,-128,-32768,-2147483648,-9223372036854775807,0,0,0,0,1.5,-0.25,\"\",1970-01-01,"
    "1970-01-01 00:00:00,2022-01-01T00:00:00Z,,-9999999.99,-99999999999999.9999\n"
    ",,,,,,,,,,,,,,,,,\n"
    "false,127,32767,2147483647,9223372036854775807,255,65535,4294967295,18446744073709551615,"
    "-3.25,1e300,\"h\xc3\xa9llo, \"\"w\"\"\",2024-02-29,1900-03-04 05:06:07.123456,"
    "2023-06-30T12:00:00+02:00,,9999999.99,12345678901234.5678\n"
    "true,0,1,2,3,4,5,6,7,nan,inf,x,1969-12-31,2262-01-01 00:00:00,2020-01-01T00:00:00Z,,0.05,"
    "-0.0001\n";

static inline auk_frame *all_types_frame(int repeat) {
  const char *names[] = {"b",   "i8",  "i16", "i32", "i64", "u8", "u16", "u32", "u64",
                         "f32", "f64", "s",   "d",   "t",   "n",  "d9",  "d18"};
  auk_type_id types[] = {AUK_TYPE_BOOL,     AUK_TYPE_INT8,     AUK_TYPE_INT16,   AUK_TYPE_INT32,
                         AUK_TYPE_INT64,    AUK_TYPE_UINT8,    AUK_TYPE_UINT16,  AUK_TYPE_UINT32,
                         AUK_TYPE_UINT64,   AUK_TYPE_FLOAT32,  AUK_TYPE_FLOAT64, AUK_TYPE_STRING,
                         AUK_TYPE_DATE,     AUK_TYPE_DATETIME, AUK_TYPE_NULL,    AUK_DECIMAL(9, 2),
                         AUK_DECIMAL(18, 4)};
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.type_names = names;
  o.types = types;
  o.num_types = 17;
  size_t one = strlen(all_types_csv), head = strchr(all_types_csv, '\n') - all_types_csv + 1;
  size_t cap = head + (one - head) * (size_t)repeat + 1;
  char *text = malloc(cap);
  memcpy(text, all_types_csv, head);
  size_t len = head;
  for (int i = 0; i < repeat; i++) {
    memcpy(text + len, all_types_csv + head, one - head);
    len += one - head;
  }
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv_buffer(text, len, "all_types.csv", &o, &f, &err))
    fprintf(stderr, "%s\n", err.message);
  free(text);
  return f;
}

/* Two frames with the same names and the same cells (as text). */
static inline void same_frames(const auk_frame *a, const auk_frame *b, const char *what) {
  CHECK_INT(auk_frame_num_rows(a), auk_frame_num_rows(b));
  CHECK_INT(auk_frame_num_columns(a), auk_frame_num_columns(b));
  int bad = 0;
  for (int c = 0; c < auk_frame_num_columns(a) && c < auk_frame_num_columns(b); c++) {
    CHECK_STR(auk_frame_column_name(a, c), auk_frame_column_name(b, c));
    for (int64_t r = 0; r < auk_frame_num_rows(a) && r < auk_frame_num_rows(b); r++) {
      char x[512], y[512];
      int nx, ny;
      auk_frame_format_cell(a, c, r, x, sizeof x, &nx, NULL);
      auk_frame_format_cell(b, c, r, y, sizeof y, &ny, NULL);
      if (nx != ny || strcmp(x, y)) {
        if (bad++ < 3)
          fprintf(stderr, "%s: row %lld column '%s': '%s' vs '%s'\n", what, (long long)r,
                  auk_frame_column_name(a, c), x, y);
      }
    }
  }
  CHECK_INT(bad, 0);
}

#endif
