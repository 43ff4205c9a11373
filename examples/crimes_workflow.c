/* crimes_workflow.c - the Chicago crimes workflow through auk's C API:
 * scan the CSV lazily, keep the thefts that led to an arrest, derive the
 * hour of day from Date, sort by hour then Date, write the result as CSV,
 * and print the optimized plan and the first rows.
 *
 *   crimes_workflow [INPUT.csv[.gz]] [OUTPUT.csv] */
#include "auk.h"

#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what, const auk_error *err) {
  fprintf(stderr, "crimes_workflow: %s: %s\n", what, err->message);
  return 1;
}

int main(int argc, char **argv) {
  const char *in = argc > 1 ? argv[1] : "examples/data/crimes-2022-slim.csv.gz";
  const char *out = argc > 2 ? argv[2] : "build/thefts-with-arrest.csv";
  auk_error err;
  auk_lazy *lf;
  if (auk_scan_csv(in, NULL, &lf, &err)) return fail("scan", &err);

  /* filter: Primary Type == "THEFT" and Arrest */
  auk_expr *pred =
      auk_and(auk_eq(auk_col("Primary Type"), auk_lit_str("THEFT")), auk_col("Arrest"));
  if (auk_lazy_filter(lf, pred, &err)) return fail("filter", &err);

  /* with_columns: hour(Date) as hour */
  auk_expr *hour = auk_alias(auk_call1("hour", auk_col("Date")), "hour");
  if (auk_lazy_with_columns(lf, 1, &hour, &err)) return fail("with_columns", &err);

  /* select the columns of interest, then sort by hour, Date */
  auk_expr *cols[] = {auk_col("Date"),
                      auk_col("hour"),
                      auk_col("Block"),
                      auk_col("Description"),
                      auk_col("Location Description"),
                      auk_col("Community Area")};
  if (auk_lazy_select(lf, 6, cols, &err)) return fail("select", &err);
  auk_expr *keys[] = {auk_col("hour"), auk_col("Date")};
  if (auk_lazy_sort(lf, 2, keys, NULL, NULL, &err)) return fail("sort", &err);

  char *plan;
  if (auk_lazy_explain(lf, 1, &plan, &err)) return fail("explain", &err);
  printf("optimized plan:\n%s\n", plan);
  auk_free(plan);

  auk_frame *result;
  if (auk_lazy_collect(lf, &result, &err)) return fail("collect", &err);
  auk_lazy_free(lf);
  if (auk_write_csv(result, out, NULL, &err)) return fail("write", &err);
  printf("%lld thefts with an arrest, written to %s\n", (long long)auk_frame_num_rows(result), out);
  auk_print_options po;
  auk_print_options_init(&po);
  po.max_rows = 8;
  if (auk_frame_print(result, stdout, &po, &err)) return fail("print", &err);
  auk_frame_free(result);
  return 0;
}
