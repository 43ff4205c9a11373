/* Unit tests of expressions, the optimizer rules and sorting: null
 * semantics, overflow and cast errors, date parsing, error messages, the
 * optimized plan of given queries, and sorts checked against a simple
 * reference (insertion order kept for ties). */
#include "auk.h"
#include "check.h"

#include <math.h>
#include <stdlib.h>

static auk_frame *csv(const char *text) {
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv_buffer(text, strlen(text), "t.csv", NULL, &f, &err))
    fprintf(stderr, "csv: %s\n", err.message);
  return f;
}

/* Evaluates e over f (select), returns the cell text of row r or the
 * error message. */
static char out[8][1200];
static int slot;
static const char *eval(const auk_frame *f, auk_expr *e, int64_t r) {
  char *buf = out[slot++ & 7];
  auk_frame *g;
  auk_error err;
  if (auk_frame_select(f, 1, &e, &g, &err)) {
    snprintf(buf, 1200, "error: %s", err.message);
    return buf;
  }
  int is_null;
  if (auk_frame_format_cell(g, 0, r, buf, 1024, &is_null, &err)) snprintf(buf, 1024, "bad cell");
  if (is_null) snprintf(buf, 1024, "null");
  auk_frame_free(g);
  return buf;
}

static void expressions(void) {
  auk_frame *f =
      csv("a,b,s,d,x\n9223372036854775807,0,abc,2022-03-04,1.5\n-7,2,,2021-12-31,nan\n3,,Hello "
          "World,,-2\n");
  if (!f) return;
  CHECK(strstr(eval(f, auk_add(auk_col("a"), auk_lit_int(1)), 0), "overflow") != NULL);
  CHECK_STR(eval(f, auk_floordiv(auk_col("a"), auk_col("b")), 0), "null");
  CHECK_STR(eval(f, auk_floordiv(auk_col("a"), auk_col("b")), 1), "-4");
  CHECK_STR(eval(f, auk_mod(auk_col("a"), auk_col("b")), 1), "1");
  CHECK_STR(eval(f, auk_div(auk_col("a"), auk_col("b")), 1), "-3.5");
  CHECK_STR(eval(f, auk_add(auk_col("a"), auk_col("b")), 2), "null");
  /* Kleene logic: null and false is false, null or true is true */
  CHECK_STR(eval(f, auk_and(auk_gt(auk_col("b"), auk_lit_int(0)), auk_lit_bool(0)), 2), "false");
  CHECK_STR(eval(f, auk_or(auk_gt(auk_col("b"), auk_lit_int(0)), auk_lit_bool(1)), 2), "true");
  CHECK_STR(eval(f, auk_or(auk_gt(auk_col("b"), auk_lit_int(0)), auk_lit_bool(0)), 2), "null");
  CHECK_STR(eval(f, auk_is_null(auk_col("b")), 2), "true");
  CHECK_STR(eval(f, auk_fill_null(auk_col("b"), auk_lit_int(42)), 2), "42");
  /* NaN equals NaN and is above every number */
  CHECK_STR(eval(f, auk_eq(auk_col("x"), auk_col("x")), 1), "true");
  CHECK_STR(eval(f, auk_gt(auk_col("x"), auk_lit_double(1e300)), 1), "true");
  /* casts */
  CHECK(strstr(eval(f, auk_cast(auk_col("s"), AUK_TYPE_INT64), 0), "cannot cast 'abc' to i64") !=
        NULL);
  CHECK_STR(eval(f, auk_try_cast(auk_col("s"), AUK_TYPE_INT64), 0), "null");
  CHECK_STR(eval(f, auk_try_cast(auk_col("x"), AUK_TYPE_INT64), 0), "1");
  CHECK_STR(eval(f, auk_try_cast(auk_col("x"), AUK_TYPE_INT64), 1), "null");
  CHECK(strstr(eval(f, auk_cast(auk_col("x"), AUK_TYPE_INT64), 0), "cannot cast NaN to i64") !=
        NULL);
  CHECK(strstr(eval(f, auk_cast(auk_col("a"), AUK_TYPE_INT32), 0), "out of range") != NULL);
  CHECK_STR(eval(f, auk_cast(auk_col("d"), AUK_TYPE_STRING), 0), "2022-03-04");
  /* strings */
  CHECK_STR(eval(f, auk_call1("upper", auk_col("s")), 2), "HELLO WORLD");
  CHECK_STR(eval(f, auk_call3("substr", auk_col("s"), auk_lit_int(2), auk_lit_int(3)), 2), "ell");
  CHECK_STR(eval(f, auk_call3("replace", auk_col("s"), auk_lit_str("o"), auk_lit_str("0")), 2),
            "Hell0 W0rld");
  CHECK_STR(eval(f, auk_call3("split_part", auk_col("s"), auk_lit_str(" "), auk_lit_int(2)), 2),
            "World");
  CHECK_STR(eval(f, auk_call2("regexp_matches", auk_col("s"), auk_lit_str("^H.*d$")), 2), "true");
  CHECK_STR(eval(f, auk_call2("ilike", auk_col("s"), auk_lit_str("hello%")), 2), "true");
  CHECK(strstr(eval(f, auk_call2("regexp_matches", auk_col("s"), auk_lit_str("(")), 2),
               "invalid regular expression") != NULL);
  /* dates */
  auk_frame *t = csv("when\n03/14/2022 01:05:09 PM\n12/31/2021 12:00:00 AM\n");
  if (t) {
    auk_expr *p = auk_call2("strptime", auk_col("when"), auk_lit_str("%m/%d/%Y %I:%M:%S %p"));
    CHECK_STR(eval(t, p, 0), "2022-03-14 13:05:09");
    p = auk_call2("strptime", auk_col("when"), auk_lit_str("%m/%d/%Y %I:%M:%S %p"));
    CHECK_STR(eval(t, p, 1), "2021-12-31 00:00:00");
    p = auk_call2("strptime", auk_col("when"), auk_lit_str("%d/%m/%Y"));
    CHECK(strstr(eval(t, p, 0), "does not match the format") != NULL);
    auk_frame_free(t);
  }
  CHECK_STR(eval(f, auk_call2("date_trunc", auk_lit_str("month"), auk_col("d")), 0), "2022-03-01");
  CHECK_STR(eval(f, auk_call1("weekday", auk_col("d")), 0), "5");
  CHECK_STR(eval(f, auk_gt(auk_col("d"), auk_lit_str("2022-01-01")), 0), "true");
  CHECK(strstr(eval(f, auk_gt(auk_col("d"), auk_lit_str("yesterday")), 0), "cannot cast") != NULL);
  /* resolution errors */
  CHECK(strstr(eval(f, auk_col("aa"), 0), "did you mean") != NULL);
  CHECK(strstr(eval(f, auk_add(auk_col("s"), auk_col("a")), 0), "must be numeric, not str") !=
        NULL);
  CHECK(strstr(eval(f, auk_call1("nosuchfn", auk_col("a")), 0), "unknown function 'nosuchfn'") !=
        NULL);
  auk_frame_free(f);
}

/* Decimals through the DataFrame API: casts from text, floats and integers
 * (rounding half away from zero), arithmetic with DuckDB's result scales,
 * overflow errors, comparisons across scales, sort, unique and filter. */
static void decimal_exprs(void) {
  /* s and big are text (explicit types), x and i numbers */
  const char *tn[] = {"s", "big"};
  auk_type_id tt[] = {AUK_TYPE_STRING, AUK_TYPE_STRING};
  auk_csv_read_options to;
  auk_csv_read_options_init(&to);
  to.type_names = tn;
  to.types = tt;
  to.num_types = 2;
  const char *ftext =
      "s,x,i,big\n1.005,2.5,7,99999999999999999.9\n-1.005,-2.5,-3,1\n"
      "0.5,0.125,,1e3\n";
  auk_frame *f = NULL;
  auk_error ferr;
  if (auk_read_csv_buffer(ftext, strlen(ftext), "f.csv", &to, &f, &ferr)) return;
  auk_type_id d42 = AUK_DECIMAL(4, 2), d18 = AUK_DECIMAL(18, 1);
  CHECK_STR(eval(f, auk_cast(auk_col("s"), d42), 0), "1.01");
  CHECK_STR(eval(f, auk_cast(auk_col("s"), d42), 1), "-1.01");
  CHECK(strstr(eval(f, auk_cast(auk_col("big"), d42), 0),
               "cannot cast '99999999999999999.9' to "
               "decimal(4,2)") != NULL);
  CHECK_STR(eval(f, auk_try_cast(auk_col("big"), d42), 0), "null");
  CHECK_STR(eval(f, auk_try_cast(auk_col("big"), d42), 2), "null");
  CHECK_STR(eval(f, auk_cast(auk_col("big"), d18), 0), "99999999999999999.9");
  CHECK_STR(eval(f, auk_cast(auk_col("big"), d18), 2), "1000.0");
  CHECK_STR(eval(f, auk_cast(auk_col("x"), AUK_DECIMAL(3, 0)), 0), "3");
  CHECK_STR(eval(f, auk_cast(auk_col("x"), AUK_DECIMAL(3, 0)), 1), "-3");
  CHECK_STR(eval(f, auk_cast(auk_col("x"), AUK_DECIMAL(4, 2)), 2), "0.13");
  CHECK_STR(eval(f, auk_cast(auk_col("i"), AUK_DECIMAL(5, 3)), 1), "-3.000");
  CHECK(strstr(eval(f, auk_cast(auk_col("i"), AUK_DECIMAL(3, 3)), 0), "out of range") != NULL);
  /* decimal -> integer rounds, -> f64 divides, -> str prints the scale */
  CHECK_STR(eval(f, auk_cast(auk_cast(auk_col("x"), AUK_DECIMAL(3, 1)), AUK_TYPE_INT32), 0), "3");
  CHECK_STR(eval(f, auk_cast(auk_cast(auk_col("x"), AUK_DECIMAL(3, 1)), AUK_TYPE_INT32), 1), "-3");
  CHECK_STR(eval(f, auk_cast(auk_cast(auk_col("x"), AUK_DECIMAL(5, 3)), AUK_TYPE_FLOAT64), 2),
            "0.125");
  CHECK_STR(eval(f, auk_cast(auk_cast(auk_col("x"), AUK_DECIMAL(5, 3)), AUK_TYPE_STRING), 0),
            "2.500");
  /* arithmetic: + aligns scales, * adds them, / is f64, integers join in */
#define DA auk_cast(auk_col("s"), d42)
#define DB auk_cast(auk_col("x"), AUK_DECIMAL(5, 3))
  CHECK_STR(eval(f, auk_add(DA, DB), 0), "3.510");
  CHECK_STR(eval(f, auk_mul(DA, DB), 1), "2.52500");
  CHECK_STR(eval(f, auk_sub(DA, auk_col("i")), 0), "-5.99");
  CHECK_STR(eval(f, auk_div(DA, auk_lit_int(2)), 0), "0.505");
  CHECK_STR(eval(f, auk_add(DA, auk_lit_double(0.5)), 0), "1.51");
  CHECK_STR(eval(f, auk_mod(DB, auk_lit_int(1)), 1), "0.500");
  CHECK_STR(eval(f, auk_call2("round", DB, auk_lit_int(1)), 2), "0.1");
  CHECK_STR(eval(f, auk_call1("floor", DB), 1), "-3");
  CHECK_STR(eval(f, auk_call1("abs", DA), 1), "1.01");
  /* 18 digits times ten does not fit 64 bits: an error, not a wrong value */
  auk_expr *big = auk_cast(auk_col("big"), d18);
  CHECK(strstr(eval(f, auk_mul(big, auk_lit_int(100)), 0), "decimal overflow") != NULL);
  /* comparisons across scales */
  CHECK_STR(eval(f,
                 auk_eq(auk_cast(auk_col("x"), AUK_DECIMAL(3, 1)),
                        auk_cast(auk_col("x"), AUK_DECIMAL(6, 4))),
                 0),
            "true");
  CHECK_STR(eval(f, auk_gt(DA, auk_lit_int(1)), 0), "true");
  CHECK_STR(eval(f, auk_add(DA, auk_lit_decimal(-5, 3, 3)), 0), "1.005");
  CHECK_STR(eval(f, auk_eq(DA, auk_lit_decimal(101, 3, 2)), 0), "true");
  CHECK(strstr(eval(f, auk_lit_decimal(1000, 3, 2), 0), "more than 3 digits") != NULL);
  CHECK(strstr(eval(f, auk_lit_decimal(1, 19, 2), 0), "decimal(19,2)") != NULL);
  /* every decimal column by the bare type id */
  auk_frame *g2 = NULL;
  auk_expr *casts[] = {auk_alias(DA, "a"), auk_alias(DB, "b"), auk_col("i")};
  CHECK_INT(auk_frame_select(f, 3, casts, &g2, &ferr), AUK_OK);
  if (g2) {
    auk_expr *all = auk_all_of_type(AUK_TYPE_DECIMAL);
    auk_frame *g3 = NULL;
    CHECK_INT(auk_frame_select(g2, 1, &all, &g3, &ferr), AUK_OK);
    CHECK(g3 && auk_frame_num_columns(g3) == 2);
    auk_frame_free(g3);
    auk_frame_free(g2);
  }
  CHECK_STR(eval(f, auk_lt(DA, auk_lit_double(-1.009)), 1), "true");
#undef DA
#undef DB
  auk_frame_free(f);
  /* sort, unique and filter on a decimal column of mixed scales' values */
  const char *names[] = {"v"};
  auk_type_id t = AUK_DECIMAL(6, 2);
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.type_names = names;
  o.types = &t;
  o.num_types = 1;
  auk_frame *g = NULL;
  auk_error err;
  const char *text = "v\n1.5\n-2\n1.50\n\n0.01\n-2.00\n1000\n";
  CHECK_INT(auk_read_csv_buffer(text, strlen(text), "v.csv", &o, &g, &err), AUK_OK);
  if (!g) return;
  auk_lazy *lf;
  auk_frame_lazy(g, &lf, &err);
  auk_expr *k = auk_col("v");
  int desc = 1, nl = 1;
  CHECK_INT(auk_lazy_sort(lf, 1, &k, &desc, &nl, &err), AUK_OK);
  auk_frame *r = NULL;
  CHECK_INT(auk_lazy_collect(lf, &r, &err), AUK_OK);
  auk_lazy_free(lf);
  const char *want[] = {"1000.00", "1.50", "1.50", "0.01", "-2.00", "-2.00", "null"};
  for (int i = 0; r && i < 7; i++) CHECK_STR(eval(r, auk_col("v"), i), want[i]);
  auk_frame_free(r);
  auk_frame_lazy(g, &lf, &err);
  CHECK_INT(auk_lazy_unique(lf, 0, NULL, AUK_KEEP_FIRST, &err), AUK_OK);
  CHECK_INT(auk_lazy_filter(lf, auk_ge(auk_col("v"), auk_lit_double(-2)), &err), AUK_OK);
  CHECK_INT(auk_lazy_collect(lf, &r, &err), AUK_OK);
  auk_lazy_free(lf);
  CHECK(r && auk_frame_num_rows(r) == 4); /* 1.50, -2.00, 0.01, 1000.00 */
  if (r) CHECK_STR(eval(r, auk_col("v"), 1), "-2.00");
  auk_frame_free(r);
  /* describe: f64 statistics of the values (not of the unscaled integers) */
  CHECK_INT(auk_frame_describe(g, &r, &err), AUK_OK);
  if (r) {
    CHECK_INT(auk_frame_column_type(r, 1), AUK_TYPE_FLOAT64);
    const char *want_d[] = {"6.0", "1.0", "166.50166666666", "408.33213688940", "-2.0", "1000.0"};
    for (int i = 0; i < 6; i++) {
      const char *got = eval(r, auk_col("v"), i);
      CHECK(!strncmp(got, want_d[i], strlen(want_d[i])));
    }
    auk_frame_free(r);
  }
  auk_frame_free(g);
}

static char *explain(auk_lazy *lf) {
  char *t = NULL;
  auk_error err;
  if (auk_lazy_explain(lf, 1, &t, &err)) fprintf(stderr, "explain: %s\n", err.message);
  return t;
}

static void optimizer(void) {
  const char *path = "/tmp/auk_test_query.csv";
  FILE *fp = fopen(path, "w");
  if (!fp) return;
  fputs("a,b,c\n1,x,2.5\n2,y,3.5\n3,z,4.5\n", fp);
  fclose(fp);
  auk_lazy *lf;
  auk_error err;
  if (auk_scan_csv(path, NULL, &lf, &err)) return;
  auk_expr *sel[] = {auk_col("a"), auk_alias(auk_col("b"), "bb")};
  CHECK(!auk_lazy_select(lf, 2, sel, &err));
  CHECK(!auk_lazy_filter(
      lf, auk_and(auk_gt(auk_col("a"), auk_add(auk_lit_int(1), auk_lit_int(0))), auk_lit_bool(1)),
      &err));
  char *t = explain(lf);
  /* the filter went into the scan, folded, renamed back; c is not read */
  CHECK(t && strstr(t, "filter: (col(\"a\") > 1)"));
  CHECK(t && !strstr(t, "FILTER"));
  CHECK(t && strstr(t, "columns: a, b (2 of 3)"));
  auk_free(t);
  auk_frame *r;
  CHECK(!auk_lazy_collect(lf, &r, &err));
  CHECK_INT(auk_frame_num_rows(r), 2);
  CHECK_STR(auk_frame_column_name(r, 1), "bb");
  auk_frame_free(r);
  /* slice pushdown: a head stops the scan */
  CHECK(!auk_lazy_head(lf, 1, &err));
  t = explain(lf);
  CHECK(t && !strstr(t, "limit:")); /* not through a filter */
  auk_free(t);
  auk_lazy_free(lf);
  if (auk_scan_csv(path, NULL, &lf, &err)) return;
  auk_expr *w = auk_alias(auk_mul(auk_col("c"), auk_lit_int(2)), "c2");
  CHECK(!auk_lazy_with_columns(lf, 1, &w, &err));
  CHECK(!auk_lazy_head(lf, 2, &err));
  t = explain(lf);
  CHECK(t && strstr(t, "limit: 2 rows"));
  auk_free(t);
  /* merging: two projections that rename become one; a sort between two
   * filters lets both reach the scan as one predicate */
  {
    auk_lazy *m;
    if (!auk_scan_csv(path, NULL, &m, &err)) {
      auk_expr *s1[] = {auk_alias(auk_col("a"), "x"), auk_col("c")};
      auk_expr *s2[] = {auk_alias(auk_mul(auk_col("x"), auk_lit_int(2)), "y")};
      auk_expr *key = auk_col("c");
      CHECK(!auk_lazy_select(m, 2, s1, &err));
      CHECK(!auk_lazy_filter(m, auk_gt(auk_col("x"), auk_lit_int(1)), &err));
      CHECK(!auk_lazy_sort(m, 1, &key, NULL, NULL, &err));
      CHECK(!auk_lazy_filter(m, auk_lt(auk_col("c"), auk_lit_double(4.0)), &err));
      CHECK(!auk_lazy_select(m, 1, s2, &err));
      t = explain(m);
      CHECK(t && strstr(t, "filter: ((col(\"c\") < 4) and (col(\"a\") > 1))"));
      CHECK(t && !strstr(t, "FILTER"));
      auk_free(t);
      auk_frame *r2;
      CHECK(!auk_lazy_collect(m, &r2, &err));
      if (r2) {
        CHECK_INT(auk_frame_num_rows(r2), 1);
        CHECK_STR(auk_frame_column_name(r2, 0), "y");
        auk_frame_free(r2);
      }
      auk_lazy_free(m);
    }
  }
  /* an unknown column is reported by the operation, with a suggestion */
  CHECK(auk_lazy_filter(lf, auk_gt(auk_col("cc"), auk_lit_int(1)), &err) == AUK_ERR_NOT_FOUND);
  CHECK(strstr(err.message, "did you mean"));
  CHECK(auk_lazy_filter(lf, auk_col("a"), &err) == AUK_ERR_TYPE);
  CHECK(auk_lazy_collect(lf, &r, &err) == AUK_OK);
  CHECK_INT(auk_frame_num_rows(r), 2);
  auk_frame_free(r);
  auk_lazy_free(lf);
  /* a max_rows option of the scan holds through a filter */
  {
    auk_csv_read_options o;
    auk_csv_read_options_init(&o);
    o.max_rows = 2;
    auk_lazy *m;
    if (!auk_scan_csv(path, &o, &m, &err)) {
      CHECK(!auk_lazy_filter(m, auk_gt(auk_col("a"), auk_lit_int(0)), &err));
      auk_frame *r2;
      CHECK(!auk_lazy_collect(m, &r2, &err));
      if (r2) CHECK_INT(auk_frame_num_rows(r2), 2);
      auk_frame_free(r2);
      auk_lazy_free(m);
    }
  }
  /* misuse is an error, not a crash */
  {
    auk_lazy *m;
    if (!auk_scan_csv(path, NULL, &m, &err)) {
      auk_expr *bad[] = {auk_col(NULL),
                         auk_call("abs", 2, (auk_expr *[]){auk_col("a"), auk_col("a")}),
                         auk_add(NULL, auk_lit_int(1)), auk_call1("no_such", auk_col("a"))};
      for (int i = 0; i < 4; i++) {
        auk_status st = auk_lazy_select(m, 1, &bad[i], &err);
        CHECK(st != AUK_OK);
        CHECK(err.message[0] != 0);
      }
      CHECK(auk_lazy_select(m, 1, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
      CHECK(auk_lazy_sort(m, 0, NULL, NULL, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
      CHECK(auk_lazy_rename(m, "zz", "y", &err) == AUK_ERR_NOT_FOUND);
      const char *nope[] = {"nope"};
      CHECK(auk_lazy_drop(m, 1, nope, &err) == AUK_ERR_NOT_FOUND);
      CHECK(auk_lazy_unique(m, 1, nope, AUK_KEEP_FIRST, &err) == AUK_ERR_NOT_FOUND);
      /* the lazy frame is unchanged by the failures */
      CHECK(auk_lazy_collect(m, &r, &err) == AUK_OK);
      CHECK_INT(auk_frame_num_rows(r), 3);
      auk_frame_free(r);
      auk_lazy_free(m);
    }
  }
  CHECK(auk_lazy_filter(NULL, auk_col("a"), &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK(auk_lazy_collect(NULL, &r, &err) == AUK_ERR_INVALID_ARGUMENT);
  remove(path);
}

/* Sorting: random data with duplicates and nulls, each key direction and
 * null placement, against an insertion-stable reference. */
static void sorting(int64_t n, int threads) {
  auk_set_threads(threads);
  size_t cap = (size_t)n * 40 + 64;
  char *text = malloc(cap);
  int64_t *k1 = malloc(sizeof(int64_t) * (size_t)n);
  char(*k2)[16] = malloc(16 * (size_t)n);
  size_t w = (size_t)sprintf(text, "i,k1,k2\n");
  srand(7);
  for (int64_t i = 0; i < n; i++) {
    k1[i] = rand() % 50 - 25;
    int null1 = rand() % 17 == 0;
    if (null1) k1[i] = INT64_MIN;
    snprintf(k2[i], 16, "prefix%03d", rand() % 20);
    if (null1)
      w += (size_t)sprintf(text + w, "%lld,,%s\n", (long long)i, k2[i]);
    else
      w += (size_t)sprintf(text + w, "%lld,%lld,%s\n", (long long)i, (long long)k1[i], k2[i]);
  }
  auk_frame *f = csv(text);
  for (int mode = 0; f && mode < 4; mode++) {
    int desc[2] = {mode & 1, mode >> 1 & 1}, nl[2] = {mode >> 1 & 1, 0};
    auk_expr *keys[2] = {auk_col("k1"), auk_col("k2")};
    auk_frame *s;
    auk_error err;
    if (auk_frame_sort(f, 2, keys, desc, nl, &s, &err)) {
      fprintf(stderr, "sort: %s\n", err.message);
      CHECK(0);
      continue;
    }
    int ok = auk_frame_num_rows(s) == n;
    for (int64_t r = 1; r < n && ok; r++) {
      int64_t a, b, null_a, null_b;
      int na, nb;
      auk_frame_get_int(s, 0, r - 1, &a, &na, NULL);
      auk_frame_get_int(s, 0, r, &b, &nb, NULL);
      null_a = k1[a] == INT64_MIN;
      null_b = k1[b] == INT64_MIN;
      int c;
      if (null_a || null_b)
        c = null_a == null_b ? 0 : (null_a ? -1 : 1) * (nl[0] ? -1 : 1);
      else
        c = (k1[a] > k1[b]) - (k1[a] < k1[b]), c = desc[0] ? -c : c;
      if (!c) c = strcmp(k2[a], k2[b]), c = (c > 0) - (c < 0), c = desc[1] ? -c : c;
      if (!c) c = a < b ? -1 : 1; /* stable */
      ok = c < 0;
      if (!ok)
        fprintf(stderr, "sort mode %d: rows %lld and %lld out of order\n", mode, (long long)a,
                (long long)b);
    }
    CHECK(ok);
    auk_frame_free(s);
  }
  /* top-k (sort + head) equals the head of the full sort, with one key
   * (many ties: stable by row) and with two */
  for (int nk = 1; f && nk <= 2; nk++) {
    for (int d = 0; d < 2; d++) {
      int desc[2] = {d, 0}, nl[2] = {d, 0};
      auk_frame *full = NULL, *top = NULL;
      auk_error err;
      auk_lazy *lf;
      auk_expr *k_full[2] = {auk_col("k1"), auk_col("k2")};
      if (nk == 1) auk_expr_free(k_full[1]);
      CHECK(!auk_frame_sort(f, nk, k_full, desc, nl, &full, &err));
      if (!auk_frame_lazy(f, &lf, &err)) {
        auk_expr *k_top[2] = {auk_col("k1"), auk_col("k2")};
        if (nk == 1) auk_expr_free(k_top[1]);
        CHECK(!auk_lazy_sort(lf, nk, k_top, desc, nl, &err));
        CHECK(!auk_lazy_head(lf, 25, &err));
        CHECK(!auk_lazy_collect(lf, &top, &err));
        auk_lazy_free(lf);
      }
      if (full && top) {
        CHECK_INT(auk_frame_num_rows(top), 25 < n ? 25 : n);
        int same = 1;
        for (int64_t r = 0; r < auk_frame_num_rows(top) && same; r++) {
          int64_t a, b;
          auk_frame_get_int(full, 0, r, &a, NULL, NULL);
          auk_frame_get_int(top, 0, r, &b, NULL, NULL);
          same = a == b;
        }
        CHECK(same);
      }
      auk_frame_free(full);
      auk_frame_free(top);
    }
  }
  auk_frame_free(f);
  free(text);
  free(k1);
  free(k2);
  auk_set_threads(0);
}

static void unique_and_wildcards(void) {
  auk_frame *f = csv("k,v,w\na,1,1.5\nb,2,2.5\na,3,-3.5\n,4,4.5\nb,5,5.5\n,6,6.5\nc,7,7.5\n");
  if (!f) return;
  const char *subset[] = {"k"};
  const char *want[3] = {"1,2,4,7", "3,5,6,7", "7"};
  for (int keep = 0; keep < 3; keep++) {
    auk_lazy *lf;
    auk_error err;
    auk_frame *r;
    if (auk_frame_lazy(f, &lf, &err) || auk_lazy_unique(lf, 1, subset, (auk_keep)keep, &err) ||
        auk_lazy_collect(lf, &r, &err)) {
      fprintf(stderr, "unique: %s\n", err.message);
      CHECK(0);
      auk_lazy_free(lf);
      continue;
    }
    char got[64] = "";
    for (int64_t i = 0; i < auk_frame_num_rows(r); i++) {
      int64_t v;
      auk_frame_get_int(r, 1, i, &v, NULL, NULL);
      snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld", i ? "," : "", (long long)v);
    }
    CHECK_STR(got, want[keep]);
    auk_frame_free(r);
    auk_lazy_free(lf);
  }
  /* many rows over all workers: the first occurrence of each key, in order */
  {
    int64_t rows = 200000;
    char *text = malloc((size_t)rows * 24 + 16);
    int seen[1000] = {0}, order[1000], norder = 0;
    size_t w = (size_t)sprintf(text, "k,s\n");
    srand(11);
    for (int64_t i = 0; i < rows; i++) {
      int k = rand() % 1000;
      if (!seen[k]) order[norder++] = k;
      seen[k] = 1;
      w += (size_t)sprintf(text + w, "%d,s%d\n", k, k % 7);
    }
    auk_frame *big = csv(text);
    free(text);
    auk_lazy *lf;
    auk_error err2;
    auk_frame *r = NULL;
    const char *both[] = {"k", "s"};
    auk_set_threads(2);
    if (big && !auk_frame_lazy(big, &lf, &err2)) {
      if (!auk_lazy_unique(lf, 2, both, AUK_KEEP_FIRST, &err2) &&
          !auk_lazy_collect(lf, &r, &err2)) {
        CHECK_INT(auk_frame_num_rows(r), norder);
        int ok = 1;
        for (int64_t i = 0; i < auk_frame_num_rows(r) && ok; i++) {
          int64_t v;
          auk_frame_get_int(r, 0, i, &v, NULL, NULL);
          ok = v == order[i];
        }
        CHECK(ok);
        auk_frame_free(r);
      }
      auk_lazy_free(lf);
    }
    auk_set_threads(0);
    auk_frame_free(big);
  }
  /* every float column through abs, named after its column */
  auk_expr *e = auk_call1("abs", auk_all_of_type(AUK_TYPE_FLOAT64));
  auk_frame *g;
  auk_error err;
  CHECK(!auk_frame_with_columns(f, 1, &e, &g, &err));
  if (g) {
    CHECK_INT(auk_frame_num_columns(g), 3);
    double d;
    auk_frame_get_double(g, 2, 2, &d, NULL, NULL);
    CHECK(d == 3.5);
    auk_frame_free(g);
  }
  e = auk_all();
  g = NULL;
  CHECK(!auk_frame_select(f, 1, &e, &g, &err));
  if (g) CHECK_INT(auk_frame_num_columns(g), 3);
  auk_frame_free(g);
  auk_frame_free(f);
}

/* Parquet scans skip row groups whose statistics rule a filter out; the
 * answers must be those of the same filter over the frame in memory. */
static void parquet_row_groups(void) {
  int64_t n = 50000;
  char *text = malloc((size_t)n * 80 + 32);
  /* t: sorted strings; g: sorted floats with NaNs in the last row group */
  size_t w = (size_t)sprintf(text, "i,d,s,x,t,g\n");
  for (int64_t i = 0; i < n; i++) {
    char g[32];
    if (i >= 45000 && i % 7 == 0)
      snprintf(g, sizeof g, "NaN");
    else
      snprintf(g, sizeof g, "%.1f", (double)i * 0.5);
    w += (size_t)sprintf(text + w, "%lld,2022-%02d-%02d,s%lld,%s,k%06lld,%s\n", (long long)i,
                         (int)(i / 4200 % 12) + 1, (int)(i % 28) + 1, (long long)(i % 97),
                         i % 11 ? "1.5" : "", (long long)i, g);
  }
  auk_frame *f = csv(text);
  free(text);
  if (!f) return;
  const char *path = "/tmp/auk_test_rg.parquet";
  auk_parquet_write_options o;
  auk_parquet_write_options_init(&o);
  o.row_group_rows = 5000;
  auk_error err;
  CHECK(!auk_write_parquet(f, path, &o, &err));
  struct {
    auk_expr *(*make)(void);
  } cases[6];
  (void)cases;
  for (int k = 0; k < 16; k++) {
    auk_expr *p1, *p2;
    for (int twice = 0; twice < 2; twice++) {
      auk_expr *p;
      switch (k) {
        case 0: p = auk_gt(auk_col("i"), auk_lit_int(44000)); break;
        case 1: p = auk_le(auk_col("i"), auk_lit_int(4999)); break;
        case 2: p = auk_eq(auk_col("i"), auk_lit_int(12345)); break;
        case 3:
          p = auk_and(auk_ge(auk_col("i"), auk_lit_int(10000)),
                      auk_lt(auk_col("i"), auk_lit_int(10010)));
          break;
        case 4: p = auk_lt(auk_lit_int(49990), auk_col("i")); break;
        case 5:
          p = auk_and(auk_gt(auk_col("d"), auk_lit_str("2022-11-30")),
                      auk_is_not_null(auk_col("x")));
          break;
        /* strings and floats: row groups skipped by their min/max values */
        case 7: p = auk_eq(auk_col("t"), auk_lit_str("k012345")); break;
        case 8: p = auk_lt(auk_col("t"), auk_lit_str("k000100")); break;
        case 9: p = auk_ge(auk_lit_str("k049990"), auk_col("t")); break;
        case 10: p = auk_lt(auk_col("g"), auk_lit_double(100.5)); break;
        case 11: p = auk_eq(auk_col("g"), auk_lit_double(12000.0)); break;
        /* NaN is above every number: > keeps the NaN rows of the last group */
        case 12: p = auk_gt(auk_col("g"), auk_lit_double(24990.0)); break;
        case 13: p = auk_ge(auk_col("g"), auk_lit_double(1e9)); break;
        /* an integer column against a decimal literal (its unscaled value
         * is not in the column's units: no pruning from it) */
        case 14: p = auk_gt(auk_col("i"), auk_lit_decimal(440005, 6, 1)); break;
        case 15: p = auk_lt(auk_col("i"), auk_lit_decimal(49995, 5, 1)); break;
        default:
          p = auk_or(auk_lt(auk_col("i"), auk_lit_int(3)),
                     auk_gt(auk_col("i"), auk_lit_int(49997)));
          break;
      }
      if (twice)
        p2 = p;
      else
        p1 = p;
    }
    auk_frame *want = NULL, *got = NULL;
    CHECK(!auk_frame_filter(f, p1, &want, &err));
    auk_lazy *lf;
    if (!auk_scan_parquet(path, &lf, &err)) {
      CHECK(!auk_lazy_filter(lf, p2, &err));
      CHECK(!auk_lazy_collect(lf, &got, &err));
      auk_lazy_free(lf);
    } else {
      auk_expr_free(p2);
    }
    if (want && got) {
      CHECK_INT(auk_frame_num_rows(got), auk_frame_num_rows(want));
      int same = auk_frame_num_rows(got) == auk_frame_num_rows(want);
      for (int64_t r = 0; same && r < auk_frame_num_rows(want); r++) {
        int64_t a, b;
        auk_frame_get_int(want, 0, r, &a, NULL, NULL);
        auk_frame_get_int(got, 0, r, &b, NULL, NULL);
        same = a == b;
      }
      CHECK(same);
    } else {
      fprintf(stderr, "row groups case %d: %s\n", k, err.message);
      CHECK(0);
    }
    auk_frame_free(want);
    auk_frame_free(got);
  }
  remove(path);
  auk_frame_free(f);
}

/* Row groups of a decimal column skipped by their statistics (unscaled
 * values) give the same rows as filtering in memory: literals of the
 * column's type, of a finer scale, integers, on both sides. */
static void parquet_decimal_row_groups(void) {
  int64_t n = 50000;
  char *text = malloc((size_t)n * 24 + 8);
  size_t w = (size_t)sprintf(text, "v,i\n");
  for (int64_t i = 0; i < n; i++)
    w += (size_t)sprintf(text + w, "%lld.%02lld,%lld\n", (long long)(i / 100 - 100),
                         (long long)(i % 100), (long long)i);
  const char *names[] = {"v"};
  auk_type_id types[] = {AUK_DECIMAL(10, 2)};
  auk_csv_read_options ro;
  auk_csv_read_options_init(&ro);
  ro.type_names = names;
  ro.types = types;
  ro.num_types = 1;
  auk_frame *f = NULL;
  auk_error err;
  CHECK_INT(auk_read_csv_buffer(text, w, "v.csv", &ro, &f, &err), AUK_OK);
  free(text);
  if (!f) return;
  const char *path = "/tmp/auk_test_dec_rg.parquet";
  auk_parquet_write_options o;
  auk_parquet_write_options_init(&o);
  o.row_group_rows = 5000;
  CHECK(!auk_write_parquet(f, path, &o, &err));
  for (int k = 0; k < 8; k++) {
    auk_expr *p[2];
    for (int twice = 0; twice < 2; twice++) {
      switch (k) {
        case 0: p[twice] = auk_gt(auk_col("v"), auk_lit_decimal(39000, 10, 2)); break;
        case 1: p[twice] = auk_le(auk_col("v"), auk_lit_decimal(-5001, 5, 2)); break;
        case 2: p[twice] = auk_eq(auk_col("v"), auk_lit_decimal(12345, 5, 2)); break;
        case 3: p[twice] = auk_gt(auk_col("v"), auk_lit_decimal(389995, 6, 3)); break;
        case 4: p[twice] = auk_lt(auk_col("v"), auk_lit_int(-95)); break;
        case 5: p[twice] = auk_ge(auk_lit_decimal(-999, 4, 1), auk_col("v")); break;
        case 6: p[twice] = auk_gt(auk_col("v"), auk_lit_double(390.5)); break;
        default: p[twice] = auk_eq(auk_col("v"), auk_lit_int(7)); break;
      }
    }
    auk_frame *want = NULL, *got = NULL;
    CHECK(!auk_frame_filter(f, p[0], &want, &err));
    auk_lazy *lf;
    if (!auk_scan_parquet(path, &lf, &err)) {
      CHECK(!auk_lazy_filter(lf, p[1], &err));
      CHECK(!auk_lazy_collect(lf, &got, &err));
      auk_lazy_free(lf);
    } else {
      auk_expr_free(p[1]);
    }
    CHECK(want && got);
    if (want && got) {
      if (auk_frame_num_rows(got) != auk_frame_num_rows(want))
        fprintf(stderr, "decimal row groups case %d: %lld rows, want %lld\n", k,
                (long long)auk_frame_num_rows(got), (long long)auk_frame_num_rows(want));
      CHECK_INT(auk_frame_num_rows(got), auk_frame_num_rows(want));
      CHECK(auk_frame_num_rows(want) > 0);
    }
    auk_frame_free(want);
    auk_frame_free(got);
  }
  remove(path);
  auk_frame_free(f);
}

int main(void) {
  decimal_exprs();
  parquet_decimal_row_groups();
  parquet_row_groups();
  unique_and_wildcards();
  expressions();
  optimizer();
  sorting(1000, 1);
  sorting(300000, 2);
  return check_done();
}
