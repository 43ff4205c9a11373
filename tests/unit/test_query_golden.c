/* End-to-end tests of the query engine on the shipped Chicago crimes
 * sample: each query runs through the lazy API and is compared cell by
 * cell with the answer DuckDB gave for the same query in SQL
 * (tests/data/expected/, written by tests/golden/duckdb_expected.mjs). The
 * queries run with 1 thread and with 2, and both must match. */
#include "auk.h"
#include "check.h"

#include <math.h>

#define DATA AUK_TEST_DATA "/../../examples/data/crimes-2022-slim.csv.gz"

static const char *text(const auk_frame *f, int c, int64_t r, char *buf) {
  int is_null = 0;
  auk_error err;
  if (auk_frame_format_cell(f, c, r, buf, 256, &is_null, &err)) return "<error>";
  return is_null ? "" : buf;
}

/* Compares f with the expected CSV (header included) as text; numbers
 * that differ as text are compared as doubles with a tolerance. */
static void compare(const char *name, const auk_frame *f) {
  char path[512];
  snprintf(path, sizeof path, "%s/expected/%s.csv", AUK_TEST_DATA, name);
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  auk_frame *e;
  auk_error err;
  if (auk_read_csv(path, &o, &e, &err)) {
    fprintf(stderr, "%s: %s\n", name, err.message);
    CHECK(0);
    return;
  }
  CHECK_INT(auk_frame_num_columns(f), auk_frame_num_columns(e));
  CHECK_INT(auk_frame_num_rows(f), auk_frame_num_rows(e));
  int bad = 0;
  for (int c = 0; c < auk_frame_num_columns(e) && c < auk_frame_num_columns(f); c++) {
    CHECK_STR(auk_frame_column_name(f, c), auk_frame_column_name(e, c));
    for (int64_t r = 0; r < auk_frame_num_rows(e) && r < auk_frame_num_rows(f) && bad < 5; r++) {
      char a[256], b[256];
      const char *x = text(f, c, r, a), *y = text(e, c, r, b);
      if (!strcmp(x, y)) continue;
      char *ex, *ey;
      double dx = strtod(x, &ex), dy = strtod(y, &ey);
      if (*x && *y && !*ex && !*ey && fabs(dx - dy) <= 1e-9 * fmax(1, fabs(dy))) continue;
      fprintf(stderr, "%s: row %lld column %s: auk '%s', DuckDB '%s'\n", name, (long long)r,
              auk_frame_column_name(e, c), x, y);
      bad++;
    }
  }
  CHECK(bad == 0);
  auk_frame_free(e);
}

/* The same queries over the CSV sample and over the DuckDB-written
 * Parquet file of the same rows (../shared/data, when present). */
static const char *parquet_path;

static auk_lazy *scan(void) {
  auk_lazy *lf = NULL;
  auk_error err;
  auk_status st = parquet_path ? auk_scan_parquet(parquet_path, &lf, &err)
                               : auk_scan_csv(DATA, NULL, &lf, &err);
  if (st) fprintf(stderr, "scan: %s\n", err.message);
  return lf;
}

static void run(const char *name, auk_lazy *lf) {
  for (int threads = 1; threads <= 2; threads++) {
    auk_set_threads(threads);
    auk_frame *f;
    auk_error err;
    if (auk_lazy_collect(lf, &f, &err)) {
      fprintf(stderr, "%s: %s\n", name, err.message);
      CHECK(0);
      continue;
    }
    compare(name, f);
    auk_frame_free(f);
  }
  auk_set_threads(0);
  auk_lazy_free(lf);
}

#define OK(call)                                                      \
  do {                                                                \
    auk_error e_;                                                     \
    if (call) {                                                       \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, e_.message); \
      CHECK(0);                                                       \
      return;                                                         \
    }                                                                 \
  } while (0)
#define E (&e_)

static auk_expr *ts(const char *col) {
  return auk_alias(auk_call2("strftime", auk_col(col), auk_lit_str("%Y-%m-%d %H:%M:%S")), col);
}

static void thefts(void) {
  auk_lazy *lf = scan();
  if (!lf) {
    CHECK(0);
    return;
  }
  OK(auk_lazy_filter(
      lf, auk_and(auk_eq(auk_col("Primary Type"), auk_lit_str("THEFT")), auk_col("Arrest")), E));
  auk_expr *h = auk_alias(auk_call1("hour", auk_col("Date")), "hour");
  OK(auk_lazy_with_columns(lf, 1, &h, E));
  auk_expr *keys[] = {auk_col("hour"),
                      auk_col("Date"),
                      auk_col("Block"),
                      auk_col("Description"),
                      auk_col("Location Description"),
                      auk_col("Community Area")};
  OK(auk_lazy_sort(lf, 6, keys, NULL, NULL, E));
  auk_expr *sel[] = {ts("Date"),
                     auk_col("hour"),
                     auk_col("Block"),
                     auk_col("Description"),
                     auk_col("Location Description"),
                     auk_col("Community Area")};
  OK(auk_lazy_select(lf, 6, sel, E));
  run("thefts_with_arrest", lf);
}

static void strings(void) {
  auk_lazy *lf = scan();
  if (!lf) {
    CHECK(0);
    return;
  }
  auk_expr *types[] = {auk_lit_str("BATTERY"), auk_lit_str("ASSAULT")};
  auk_expr *p = auk_and(auk_and(auk_call2("like", auk_col("Block"), auk_lit_str("%MICHIGAN%")),
                                auk_is_in(auk_col("Primary Type"), 2, types)),
                        auk_not(auk_col("Domestic")));
  OK(auk_lazy_filter(lf, p, E));
  auk_expr *sel[] = {
      auk_alias(auk_call1("upper", auk_col("Block")), "b"),
      auk_alias(auk_call1("length", auk_col("Description")), "len"),
      auk_alias(auk_fill_null(auk_col("Location Description"), auk_lit_str("UNKNOWN")), "loc")};
  OK(auk_lazy_select(lf, 3, sel, E));
  auk_expr *keys[] = {auk_col("b"), auk_col("len"), auk_col("loc")};
  OK(auk_lazy_sort(lf, 3, keys, NULL, NULL, E));
  run("strings", lf);
}

static void june(void) {
  auk_lazy *lf = scan();
  if (!lf) {
    CHECK(0);
    return;
  }
  OK(auk_lazy_filter(lf,
                     auk_and(auk_ge(auk_col("Date"), auk_lit_str("2022-06-01")),
                             auk_lt(auk_col("Date"), auk_lit_str("2022-06-02"))),
                     E));
  auk_expr *keys[] = {auk_col("Date"), auk_col("Block"), auk_col("Description")};
  OK(auk_lazy_sort(lf, 3, keys, NULL, NULL, E));
  auk_expr *ca = auk_col("Community Area");
  auk_expr *sel[] = {
      auk_alias(auk_call2("strftime", auk_col("Date"), auk_lit_str("%d/%m/%Y")), "d"),
      auk_alias(auk_call1("year", auk_col("Date")), "y"),
      auk_alias(auk_call1("month", auk_col("Date")), "m"),
      auk_alias(auk_call1("day", auk_col("Date")), "day"),
      auk_alias(auk_call1("weekday", auk_col("Date")), "wd"),
      auk_alias(auk_call1("day_of_year", auk_col("Date")), "doy"),
      auk_alias(auk_add(auk_mul(auk_expr_clone(ca), auk_lit_int(2)), auk_lit_int(1)), "ca"),
      auk_alias(auk_floordiv(auk_expr_clone(ca), auk_lit_int(7)), "q"),
      auk_alias(auk_mod(auk_expr_clone(ca), auk_lit_int(7)), "r"),
      auk_alias(auk_div(ca, auk_lit_int(4)), "t")};
  OK(auk_lazy_select(lf, 10, sel, E));
  run("june_by_day", lf);
}

static void top10(void) {
  auk_lazy *lf = scan();
  if (!lf) {
    CHECK(0);
    return;
  }
  auk_expr *keys[] = {auk_col("Date"), auk_col("Block"), auk_col("Primary Type"),
                      auk_col("Description")};
  int desc[] = {1, 0, 0, 0};
  OK(auk_lazy_sort(lf, 4, keys, desc, NULL, E));
  OK(auk_lazy_head(lf, 10, E));
  auk_expr *sel[] = {ts("Date"), auk_col("Block"), auk_col("Primary Type")};
  OK(auk_lazy_select(lf, 3, sel, E));
  char *plan;
  OK(auk_lazy_explain(lf, 1, &plan, E));
  CHECK(strstr(plan, "TOP 10") != NULL);
  auk_free(plan);
  run("top10_latest", lf);
}

static void labels(void) {
  auk_lazy *lf = scan();
  if (!lf) {
    CHECK(0);
    return;
  }
  OK(auk_lazy_filter(
      lf, auk_is_between(auk_col("Community Area"), auk_lit_int(40), auk_lit_int(41)), E));
  auk_expr *conds[] = {auk_col("Arrest"), auk_col("Domestic")};
  auk_expr *vals[] = {auk_lit_str("arrest"), auk_lit_str("domestic")};
  auk_expr *label = auk_alias(auk_when_chain(2, conds, vals, auk_lit_str("other")), "label");
  OK(auk_lazy_with_columns(lf, 1, &label, E));
  auk_expr *keys[] = {auk_col("Date"), auk_col("Block"), auk_col("Description"), auk_col("label")};
  OK(auk_lazy_sort(lf, 4, keys, NULL, NULL, E));
  auk_expr *sel[] = {auk_col("label"),
                     auk_alias(auk_is_null(auk_col("Location Description")), "no_loc")};
  OK(auk_lazy_select(lf, 2, sel, E));
  run("arrest_labels", lf);
}

static void groupby_type(void) {
  auk_lazy *lf = scan();
  if (!lf) {
    CHECK(0);
    return;
  }
  auk_expr *key = auk_col("Primary Type");
  auk_expr *ca = auk_col("Community Area");
  auk_expr *aggs[] = {
      auk_alias(auk_len(), "n"),
      auk_alias(auk_sum(auk_cast(auk_col("Arrest"), AUK_TYPE_INT32)), "arrests"),
      auk_alias(auk_mean(auk_expr_clone(ca)), "mean_ca"),
      auk_alias(auk_call2("strftime", auk_min(auk_col("Date")), auk_lit_str("%Y-%m-%d %H:%M:%S")),
                "first_date"),
      auk_alias(auk_max(auk_col("Block")), "maxblock"),
      auk_alias(auk_n_unique(auk_expr_clone(ca)), "nu"),
      auk_alias(auk_median(auk_expr_clone(ca)), "med"),
      auk_alias(auk_std(auk_expr_clone(ca), 1), "sd"),
      auk_alias(auk_var(auk_expr_clone(ca), 1), "v"),
      auk_alias(auk_sub(auk_max(auk_expr_clone(ca)), auk_min(auk_expr_clone(ca))), "rng"),
      auk_alias(auk_call1("any", auk_col("Domestic")), "any_dom"),
      auk_alias(auk_quantile(auk_expr_clone(ca), 0.9), "q90"),
      auk_alias(auk_count(auk_col("Location Description")), "with_loc")};
  auk_expr_free(ca);
  OK(auk_lazy_group_by(lf, 1, &key, 13, aggs, 0, E));
  auk_expr *by = auk_col("Primary Type");
  OK(auk_lazy_sort(lf, 1, &by, NULL, NULL, E));
  run("groupby_type", lf);
}

static void groupby_month_type(void) {
  auk_lazy *lf = scan();
  if (!lf) {
    CHECK(0);
    return;
  }
  auk_expr *keys[] = {auk_call1("month", auk_col("Date")), auk_col("Primary Type")};
  auk_expr *aggs[] = {
      auk_alias(auk_len(), "n"),
      auk_alias(auk_corr(auk_col("Community Area"), auk_call1("hour", auk_col("Date"))), "r")};
  OK(auk_lazy_group_by(lf, 2, keys, 2, aggs, 1, E));
  auk_expr *by[] = {auk_col("Date"), auk_col("Primary Type")};
  OK(auk_lazy_sort(lf, 2, by, NULL, NULL, E));
  run("groupby_month_type", lf);
}

static void global_agg(void) {
  auk_lazy *lf = scan();
  if (!lf) {
    CHECK(0);
    return;
  }
  auk_expr *aggs[] = {
      auk_len(), auk_alias(auk_sum(auk_col("Community Area")), "ca"),
      auk_alias(auk_mean(auk_col("Community Area")), "mean"),
      auk_alias(auk_min(auk_col("Block")), "b"),
      auk_alias(auk_cov(auk_col("Community Area"), auk_call1("hour", auk_col("Date"))), "cv")};
  OK(auk_lazy_agg(lf, 5, aggs, E));
  run("global_agg", lf);
}

static void all_queries(void) {
  groupby_type();
  groupby_month_type();
  global_agg();
  thefts();
  strings();
  june();
  top10();
  labels();
}

int main(void) {
  all_queries();
  static char path[1024];
  snprintf(path, sizeof path, "%s/crimes-2022-slim.parquet", AUK_SHARED_DATA);
  FILE *fp = fopen(path, "rb");
  if (fp) {
    fclose(fp);
    parquet_path = path;
    all_queries();
  } else {
    fprintf(stderr, "note: %s not found; the Parquet pass is skipped\n", path);
  }
  return check_done();
}
