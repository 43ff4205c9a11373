/* Unit tests of group_by and agg: every aggregate with nulls, a group of
 * only nulls, a single group, NaN, empty input, integer overflow of sums,
 * expressions over aggregates, value_counts, and the same answers with 1
 * and 2 threads on a larger random table checked against sums computed
 * here. */
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

static const char *cell(const auk_frame *f, const char *col, int64_t row) {
  static char bufs[8][128];
  static int k;
  char *b = bufs[k++ & 7];
  int is_null = 0;
  int c = auk_frame_column_index(f, col);
  if (c < 0 || auk_frame_format_cell(f, c, row, b, 128, &is_null, NULL)) return "<missing>";
  return is_null ? "null" : b;
}

/* group_by key (maintain order) over f with aggs; NULL on error (printed). */
static auk_frame *group(const auk_frame *f, const char *key, int n, auk_expr **aggs,
                        auk_error *err) {
  auk_lazy *lf;
  auk_frame *r = NULL;
  if (auk_frame_lazy(f, &lf, err)) return NULL;
  auk_expr *k = key ? auk_col(key) : NULL;
  auk_status st = auk_lazy_group_by(lf, key ? 1 : 0, key ? &k : NULL, n, aggs, 1, err);
  if (!st) st = auk_lazy_collect(lf, &r, err);
  auk_lazy_free(lf);
  return st ? NULL : r;
}

static void aggregates(void) {
  auk_frame *f =
      csv("k,v,x,s\n"
          "a,1,1.5,p\n"
          "b,,2.5,q\n"
          "a,3,,r\n"
          "c,,,\n"
          "a,5,nan,p\n"
          "b,7,-1.0,z\n"
          ",9,4.0,y\n");
  if (!f) return;
  auk_expr *aggs[] = {auk_alias(auk_sum(auk_col("v")), "sum"),
                      auk_alias(auk_mean(auk_col("v")), "mean"),
                      auk_alias(auk_min(auk_col("v")), "min"),
                      auk_alias(auk_max(auk_col("x")), "maxx"),
                      auk_alias(auk_count(auk_col("v")), "count"),
                      auk_alias(auk_len(), "len"),
                      auk_alias(auk_median(auk_col("v")), "med"),
                      auk_alias(auk_std(auk_col("v"), 1), "std"),
                      auk_alias(auk_first(auk_col("v")), "first"),
                      auk_alias(auk_last(auk_col("s")), "last"),
                      auk_alias(auk_n_unique(auk_col("s")), "nu"),
                      auk_alias(auk_min(auk_col("s")), "mins"),
                      auk_alias(auk_call1("arg_max", auk_col("v")), "am"),
                      auk_alias(auk_quantile(auk_col("v"), 0.25), "q25"),
                      auk_alias(auk_sub(auk_max(auk_col("v")), auk_min(auk_col("v"))), "range")};
  auk_error err;
  auk_frame *r = group(f, "k", 15, aggs, &err);
  if (!r) {
    fprintf(stderr, "group: %s\n", err.message);
    CHECK(0);
    auk_frame_free(f);
    return;
  }
  CHECK_INT(auk_frame_num_rows(r), 4); /* a, b, c, null: first-seen order */
  CHECK_STR(cell(r, "k", 0), "a");
  CHECK_STR(cell(r, "k", 3), "null");
  CHECK_STR(cell(r, "sum", 0), "9");
  CHECK_STR(cell(r, "sum", 2), "0"); /* only nulls: 0, as in Polars */
  CHECK_STR(cell(r, "mean", 0), "3.0");
  CHECK_STR(cell(r, "mean", 2), "null");
  CHECK_STR(cell(r, "min", 1), "7");
  CHECK_STR(cell(r, "maxx", 0), "NaN"); /* NaN is largest */
  CHECK_STR(cell(r, "count", 1), "1");
  CHECK_STR(cell(r, "len", 1), "2");
  CHECK_STR(cell(r, "med", 0), "3.0");
  CHECK_STR(cell(r, "std", 0), "2.0");
  CHECK_STR(cell(r, "std", 1), "null");   /* one value: no sample std */
  CHECK_STR(cell(r, "first", 1), "null"); /* first keeps nulls */
  CHECK_STR(cell(r, "last", 0), "p");
  CHECK_STR(cell(r, "nu", 0), "2");
  CHECK_STR(cell(r, "nu", 2), "1"); /* null counts as a value */
  CHECK_STR(cell(r, "mins", 0), "p");
  CHECK_STR(cell(r, "am", 0), "2");
  CHECK_STR(cell(r, "q25", 0), "2.0");
  CHECK_STR(cell(r, "range", 0), "4");
  CHECK_STR(cell(r, "sum", 3), "9");
  auk_frame_free(r);

  /* a global aggregate, and one over no rows */
  auk_expr *g[] = {auk_alias(auk_sum(auk_col("v")), "sum"), auk_alias(auk_len(), "len"),
                   auk_alias(auk_mean(auk_col("x")), "mean")};
  r = group(f, NULL, 3, g, &err);
  CHECK(r != NULL);
  if (r) {
    CHECK_INT(auk_frame_num_rows(r), 1);
    CHECK_STR(cell(r, "sum", 0), "25");
    CHECK_STR(cell(r, "len", 0), "7");
    CHECK_STR(cell(r, "mean", 0), "NaN");
    auk_frame_free(r);
  }
  auk_frame *empty;
  if (!auk_frame_filter(f, auk_lit_bool(0), &empty, &err)) {
    auk_expr *g2[] = {auk_alias(auk_sum(auk_col("v")), "sum"), auk_alias(auk_len(), "len"),
                      auk_alias(auk_max(auk_col("s")), "maxs")};
    r = group(empty, NULL, 3, g2, &err);
    CHECK(r != NULL);
    if (r) {
      CHECK_INT(auk_frame_num_rows(r), 1);
      CHECK_STR(cell(r, "sum", 0), "0");
      CHECK_STR(cell(r, "len", 0), "0");
      CHECK_STR(cell(r, "maxs", 0), "null");
      auk_frame_free(r);
    }
    auk_expr *g3[] = {auk_len()};
    r = group(empty, "k", 1, g3, &err);
    CHECK(r && auk_frame_num_rows(r) == 0);
    auk_frame_free(r);
    auk_frame_free(empty);
  }
  /* errors: a non-aggregate in agg, an aggregate in a filter, a string sum */
  auk_expr *bad1[] = {auk_col("v")};
  CHECK(group(f, "k", 1, bad1, &err) == NULL && strstr(err.message, "not an aggregate"));
  auk_expr *bad2[] = {auk_sum(auk_col("s"))};
  CHECK(group(f, "k", 1, bad2, &err) == NULL && strstr(err.message, "numeric"));
  auk_frame *tmp;
  CHECK(auk_frame_filter(f, auk_gt(auk_sum(auk_col("v")), auk_lit_int(1)), &tmp, &err) != AUK_OK);
  CHECK(strstr(err.message, "can only be used in group_by"));
  auk_frame_free(f);
}

static void overflow(void) {
  auk_frame *f = csv("k,v\na,9223372036854775807\na,1\n");
  if (!f) return;
  auk_expr *a[] = {auk_sum(auk_col("v"))};
  auk_error err;
  auk_frame *r = group(f, "k", 1, a, &err);
  CHECK(r == NULL);
  CHECK(strstr(err.message, "overflow") != NULL);
  auk_frame_free(r);
  auk_frame_free(f);
}

/* Decimal values and keys: sum stays decimal with the scale (exact), min,
 * max and first keep the type, mean/median/std give f64; a decimal key
 * groups by value; a sum past 18 digits is an overflow error. The big
 * table is checked against exact integer sums with 1 and 2 threads. */
static auk_frame *dec_csv(const char *text, int n, const char **names, const auk_type_id *types) {
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.type_names = names;
  o.types = types;
  o.num_types = n;
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv_buffer(text, strlen(text), "d.csv", &o, &f, &err))
    fprintf(stderr, "csv: %s\n", err.message);
  return f;
}

static void decimals(int threads) {
  auk_set_threads(threads);
  const char *names[] = {"k", "v"};
  auk_type_id types[] = {AUK_DECIMAL(4, 1), AUK_DECIMAL(12, 2)};
  auk_frame *f =
      dec_csv("k,v\n1.5,0.10\n2,0.20\n1.50,0.30\n,-1.25\n2.0,\n1.5,7\n", 2, names, types);
  CHECK(f != NULL);
  if (f) {
    auk_expr *aggs[] = {
        auk_alias(auk_sum(auk_col("v")), "sum"),    auk_alias(auk_min(auk_col("v")), "min"),
        auk_alias(auk_max(auk_col("v")), "max"),    auk_alias(auk_mean(auk_col("v")), "mean"),
        auk_alias(auk_median(auk_col("v")), "med"), auk_alias(auk_first(auk_col("v")), "first"),
        auk_alias(auk_count(auk_col("v")), "n"),    auk_alias(auk_n_unique(auk_col("v")), "nu")};
    auk_error err;
    auk_frame *r = group(f, "k", 8, aggs, &err);
    CHECK(r != NULL);
    if (r) {
      CHECK_INT(auk_frame_num_rows(r), 3);
      CHECK_INT(auk_frame_column_type(r, 0), AUK_DECIMAL(4, 1));
      CHECK_INT(auk_frame_column_type(r, 1), AUK_DECIMAL(18, 2));
      CHECK_INT(auk_frame_column_type(r, 2), AUK_DECIMAL(12, 2));
      CHECK_INT(auk_frame_column_type(r, 4), AUK_TYPE_FLOAT64);
      CHECK_STR(cell(r, "k", 0), "1.5");
      CHECK_STR(cell(r, "sum", 0), "7.40");
      CHECK_STR(cell(r, "min", 0), "0.10");
      CHECK_STR(cell(r, "max", 0), "7.00");
      CHECK_STR(cell(r, "first", 0), "0.10");
      CHECK_STR(cell(r, "nu", 0), "3");
      CHECK_STR(cell(r, "k", 1), "2.0");
      CHECK_STR(cell(r, "sum", 1), "0.20");
      CHECK_STR(cell(r, "n", 1), "1");
      CHECK_STR(cell(r, "k", 2), "null");
      CHECK_STR(cell(r, "sum", 2), "-1.25");
      double m;
      auk_frame_get_double(r, 4, 0, &m, NULL, &err);
      CHECK(fabs(m - 7.4 / 3) < 1e-12);
      auk_frame_get_double(r, 5, 0, &m, NULL, &err);
      CHECK(m == 0.3);
    }
    auk_frame_free(r);
    auk_frame_free(f);
  }
  /* 200000 rows, 1000 decimal keys: sums exact against integers */
  size_t cap = 200000 * 40, len = 0;
  char *text = malloc(cap);
  len += (size_t)snprintf(text, cap, "k,v\n");
  int64_t want[1000] = {0};
  unsigned x = 12345;
  for (int i = 0; i < 200000; i++) {
    x = x * 1103515245u + 12345u;
    int k = (int)(x >> 8) % 1000;
    int64_t v = (int64_t)(x % 2000001) - 1000000; /* cents */
    want[k] += v;
    len += (size_t)snprintf(text + len, cap - len, "%d.%d,%s%lld.%02lld\n", k / 10, k % 10,
                            v < 0 ? "-" : "", (long long)(llabs(v) / 100),
                            (long long)(llabs(v) % 100));
  }
  types[0] = AUK_DECIMAL(5, 1);
  f = dec_csv(text, 2, names, types);
  free(text);
  CHECK(f != NULL);
  if (f) {
    auk_expr *aggs[] = {auk_alias(auk_sum(auk_col("v")), "sum")};
    auk_error err;
    auk_frame *r = group(f, "k", 1, aggs, &err);
    CHECK(r && auk_frame_num_rows(r) == 1000);
    int bad = 0;
    for (int64_t g = 0; r && g < auk_frame_num_rows(r); g++) {
      int64_t k, v;
      auk_frame_get_int(r, 0, g, &k, NULL, &err); /* unscaled: key 12.3 is 123 */
      auk_frame_get_int(r, 1, g, &v, NULL, &err);
      bad += k < 0 || k >= 1000 || v != want[k];
    }
    CHECK_INT(bad, 0);
    auk_frame_free(r);
    auk_frame_free(f);
  }
  /* a sum past 18 digits */
  types[0] = AUK_DECIMAL(1, 0);
  types[1] = AUK_DECIMAL(18, 0);
  f = dec_csv("k,v\n1,999999999999999999\n1,1\n", 2, names, types);
  if (f) {
    auk_expr *aggs[] = {auk_sum(auk_col("v"))};
    auk_error err;
    auk_frame *r = group(f, "k", 1, aggs, &err);
    CHECK(r == NULL);
    if (!r) CHECK_CONTAINS(err.message, "decimal overflow");
    auk_frame_free(r);
    auk_frame_free(f);
  }
  auk_set_threads(0);
}

static void value_counts(void) {
  auk_frame *f = csv("c\nx\ny\nx\nz\nx\ny\n");
  if (!f) return;
  auk_lazy *lf;
  auk_error err;
  auk_frame *r = NULL;
  if (!auk_frame_lazy(f, &lf, &err)) {
    if (!auk_lazy_value_counts(lf, "c", &err) && !auk_lazy_collect(lf, &r, &err)) {
      CHECK_STR(cell(r, "c", 0), "x");
      CHECK_STR(cell(r, "count", 0), "3");
      CHECK_STR(cell(r, "c", 2), "z");
      auk_frame_free(r);
    }
    auk_lazy_free(lf);
  }
  auk_frame_free(f);
}

/* Many groups over both workers: sums per key against a reference. */
static void many_groups(int threads) {
  auk_set_threads(threads);
  int64_t rows = 300000;
  int keys = 5000;
  char *text = malloc((size_t)rows * 32 + 16);
  int64_t *sum = calloc((size_t)keys, sizeof(int64_t)),
          *cnt = calloc((size_t)keys, sizeof(int64_t));
  size_t w = (size_t)sprintf(text, "k,s,v\n");
  srand(5);
  for (int64_t i = 0; i < rows; i++) {
    int k = rand() % keys, v = rand() % 1000 - 500;
    sum[k] += v;
    cnt[k]++;
    w += (size_t)sprintf(text + w, "%d,key%d,%d\n", k, k, v);
  }
  auk_frame *f = csv(text);
  free(text);
  auk_lazy *lf;
  auk_error err;
  auk_frame *r = NULL;
  if (f && !auk_frame_lazy(f, &lf, &err)) {
    auk_expr *k2[] = {auk_col("s"), auk_col("k")};
    auk_expr *a[] = {auk_alias(auk_sum(auk_col("v")), "sum"), auk_alias(auk_len(), "n")};
    if (!auk_lazy_group_by(lf, 2, k2, 2, a, 0, &err) && !auk_lazy_collect(lf, &r, &err)) {
      int ok = 1;
      int64_t groups = 0;
      for (int k = 0; k < keys; k++) groups += cnt[k] > 0;
      CHECK_INT(auk_frame_num_rows(r), groups);
      for (int64_t i = 0; i < auk_frame_num_rows(r) && ok; i++) {
        int64_t k, s, n;
        auk_frame_get_int(r, 1, i, &k, NULL, NULL);
        auk_frame_get_int(r, 2, i, &s, NULL, NULL);
        auk_frame_get_int(r, 3, i, &n, NULL, NULL);
        ok = k >= 0 && k < keys && s == sum[k] && n == cnt[k];
      }
      CHECK(ok);
      auk_frame_free(r);
    } else {
      fprintf(stderr, "many_groups: %s\n", err.message);
      CHECK(0);
    }
    auk_lazy_free(lf);
  }
  auk_frame_free(f);
  free(sum);
  free(cnt);
  auk_set_threads(0);
}

/* string_agg joins each group's non-null values in row order, across
 * batches, chunks and workers: group k = i % 7 of 640K rows gets the
 * numbers i of its rows in order (i % 5 == 0 rows are null, skipped). */
static void string_agg_order(int threads) {
  auk_set_threads(threads);
  int64_t rows = 640000; /* 10 batches: chunks spread over the workers */
  char *text = malloc((size_t)rows * 24 + 16);
  size_t w = (size_t)sprintf(text, "k,v\n");
  for (int64_t i = 0; i < rows; i++)
    w += i % 5 ? (size_t)sprintf(text + w, "%d,%lld\n", (int)(i % 7), (long long)i)
               : (size_t)sprintf(text + w, "%d,\n", (int)(i % 7));
  auk_frame *f = csv(text);
  auk_error err;
  auk_expr *a[] = {auk_alias(auk_string_agg(auk_col("v"), ";"), "s"),
                   auk_alias(auk_string_agg(auk_col("v"), ""), "t")};
  auk_frame *r = f ? group(f, "k", 2, a, &err) : NULL;
  CHECK(r != NULL);
  if (r) {
    CHECK_INT(auk_frame_num_rows(r), 7);
    char *want = malloc((size_t)rows * 8), *want2 = malloc((size_t)rows * 8);
    int bad = 0;
    for (int64_t g = 0; g < 7 && g < auk_frame_num_rows(r); g++) {
      int64_t key, n = 0, n2 = 0;
      auk_frame_get_int(r, 0, g, &key, NULL, NULL);
      for (int64_t i = key; i < rows; i += 7) {
        if (i % 5 == 0) continue;
        n += sprintf(want + n, "%s%lld", n ? ";" : "", (long long)i);
        n2 += sprintf(want2 + n2, "%lld", (long long)i);
      }
      const char *got, *got2;
      int64_t len, len2;
      auk_frame_get_string(r, 1, g, &got, &len, NULL, NULL);
      auk_frame_get_string(r, 2, g, &got2, &len2, NULL, NULL);
      bad +=
          len != n || memcmp(got, want, (size_t)n) || len2 != n2 || memcmp(got2, want2, (size_t)n2);
    }
    CHECK_INT(bad, 0);
    free(want);
    free(want2);
  }
  /* a group of only nulls gives null; the separator must be text */
  auk_frame *g = csv("k,v\n1,\n1,\n2,a\n");
  auk_expr *b[] = {auk_alias(auk_string_agg(auk_col("v"), ","), "s")};
  auk_frame *q = g ? group(g, "k", 1, b, &err) : NULL;
  CHECK(q != NULL);
  if (q) {
    CHECK_STR(cell(q, "s", 0), "null");
    CHECK_STR(cell(q, "s", 1), "a");
  }
  auk_expr *c[] = {auk_call("string_agg", 2, (auk_expr *[]){auk_col("v"), auk_lit_int(1)})};
  CHECK(group(g, "k", 1, c, &err) == NULL);
  CHECK_CONTAINS(err.message, "separator");
  auk_frame_free(q);
  auk_frame_free(g);
  auk_frame_free(r);
  auk_frame_free(f);
  free(text);
  auk_set_threads(0);
}

/* Two keys matched on key words: strings longer than 16 bytes that share
 * their first 16 bytes (the words hold the first 8 and a hash of all),
 * strings of 15-17 bytes, short ones, and null in either key, over both
 * workers and their merge; sums and counts per key against a reference. */
static void string_key_words(int threads) {
  auk_set_threads(threads);
  int64_t rows = 200000;
  int keys = 3000;
  char *text = malloc((size_t)rows * 64 + 16);
  int64_t *sum = calloc((size_t)keys, sizeof(int64_t)),
          *cnt = calloc((size_t)keys, sizeof(int64_t));
  size_t w = (size_t)sprintf(text, "s,t,v\n");
  srand(11);
  for (int64_t i = 0; i < rows; i++) {
    int k = rand() % keys, v = rand() % 1000 - 500;
    sum[k] += v;
    cnt[k]++;
    /* s: empty (null) when k % 11 == 0; k % 4 picks a long, a 15-17 byte
     * or a short form; t: null when k % 7 == 0 */
    const char *form[] = {"the-same-16-byte%d", "k-%012d", "%d", "0123456789abcde%d"};
    if (k % 11 == 0)
      w += (size_t)sprintf(text + w, ",");
    else {
      w += (size_t)sprintf(text + w, form[k % 4], k);
      text[w++] = ',';
    }
    if (k % 7 == 0)
      w += (size_t)sprintf(text + w, ",%d\n", v);
    else
      w += (size_t)sprintf(text + w, "%d,%d\n", k, v);
  }
  auk_frame *f = csv(text);
  free(text);
  auk_lazy *lf;
  auk_error err;
  auk_frame *r = NULL;
  if (f && !auk_frame_lazy(f, &lf, &err)) {
    auk_expr *k2[] = {auk_col("s"), auk_col("t")};
    auk_expr *a[] = {auk_alias(auk_sum(auk_col("v")), "sum"), auk_alias(auk_len(), "n")};
    if (!auk_lazy_group_by(lf, 2, k2, 2, a, 0, &err) && !auk_lazy_collect(lf, &r, &err)) {
      /* keys with k % 77 == 0 are (null, null): one group for all of them */
      int64_t groups = 0, nsum = 0, ncnt = 0;
      for (int k = 0; k < keys; k++) {
        if (k % 77 == 0) {
          nsum += sum[k];
          ncnt += cnt[k];
          continue;
        }
        groups += cnt[k] > 0;
      }
      groups += ncnt > 0;
      CHECK_INT(auk_frame_num_rows(r), groups);
      int ok = 1;
      for (int64_t i = 0; i < auk_frame_num_rows(r) && ok; i++) {
        int64_t t, s, n;
        int tnull = 0, snull = 0;
        const char *sv = cell(r, "s", i);
        snull = !strcmp(sv, "null");
        auk_frame_get_int(r, 1, i, &t, &tnull, NULL);
        auk_frame_get_int(r, 2, i, &s, NULL, NULL);
        auk_frame_get_int(r, 3, i, &n, NULL, NULL);
        if (snull && tnull) {
          ok = s == nsum && n == ncnt;
          continue;
        }
        /* the key's number: t, or the digits that end s */
        int64_t k = t;
        if (tnull) {
          const char *e = sv + strlen(sv);
          while (e > sv && e[-1] >= '0' && e[-1] <= '9') e--;
          k = atoll(e);
        }
        const char *form[] = {"the-same-16-byte%d", "k-%012d", "%d", "0123456789abcde%d"};
        char want[64];
        snprintf(want, sizeof want, form[k % 4], (int)k);
        ok = k >= 0 && k < keys && s == sum[k] && n == cnt[k] && (k % 7 == 0) == tnull &&
             (k % 11 == 0 ? snull : !strcmp(sv, want));
        if (!ok)
          fprintf(stderr, "string_key_words: row %lld key %lld\n", (long long)i, (long long)k);
      }
      CHECK(ok);
      auk_frame_free(r);
    } else {
      fprintf(stderr, "string_key_words: %s\n", err.message);
      CHECK(0);
    }
    auk_lazy_free(lf);
  }
  auk_frame_free(f);
  free(sum);
  free(cnt);
  auk_set_threads(0);
}

/* H2O q8: the two largest v per k. */
static void group_head(void) {
  auk_frame *f = csv("k,v\na,1\nb,5\na,7\na,3\nb,2\nc,4\nb,9\n");
  if (!f) return;
  auk_lazy *lf;
  auk_error err;
  auk_frame *r = NULL;
  const char *keys[] = {"k"};
  auk_expr *by = auk_col("v");
  int desc = 1;
  if (!auk_frame_lazy(f, &lf, &err) && !auk_lazy_sort(lf, 1, &by, &desc, NULL, &err) &&
      !auk_lazy_group_head(lf, 1, keys, 2, &err) && !auk_lazy_collect(lf, &r, &err)) {
    char got[64] = "";
    for (int64_t i = 0; i < auk_frame_num_rows(r); i++)
      snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", cell(r, "k", i),
               cell(r, "v", i));
    CHECK_STR(got, "b9a7b5c4a3");
    auk_frame_free(r);
  } else {
    fprintf(stderr, "group_head: %s\n", err.message);
    CHECK(0);
  }
  auk_lazy_free(lf);
  auk_frame_free(f);
}

/* group_head over a sort on one key takes the per-group top-k path
 * (exec/group_topk.c); sorting by the key and then the row number takes
 * the full sort, and must keep the same rows in the same order: ties in v,
 * null group keys, an integer key (direct index), a string key and two
 * keys, k = 1 and 3, ascending and descending. */
static void group_head_topk(int threads) {
  auk_set_threads(threads);
  int64_t n = 200000;
  char *text = malloc((size_t)n * 40 + 32);
  size_t w = (size_t)sprintf(text, "i,k,s,v,x\n");
  srand(5);
  for (int64_t i = 0; i < n; i++) {
    int k = rand() % 900;
    if (rand() % 40 == 0)
      w += (size_t)sprintf(text + w, "%lld,,,%d,%d.5\n", (long long)i, rand() % 20, rand() % 7);
    else
      w += (size_t)sprintf(text + w, "%lld,%d,s%d,%d,%d.5\n", (long long)i, k, k % 37, rand() % 20,
                           rand() % 7 - 3);
  }
  auk_frame *f = csv(text);
  free(text);
  const char *keysets[3][2] = {{"k"}, {"s"}, {"s", "k"}};
  int nks[3] = {1, 1, 2};
  for (int t = 0; f && t < 6; t++) {
    int ks = t % 3, desc = t < 3, k = t % 2 ? 1 : 3;
    const char *key = t % 2 ? "x" : "v";
    auk_frame *r[2] = {NULL, NULL};
    auk_error err;
    for (int full = 0; full < 2; full++) {
      auk_lazy *lf;
      if (auk_frame_lazy(f, &lf, &err)) break;
      auk_expr *by[2] = {auk_col(key), full ? auk_col("i") : NULL};
      int d[2] = {desc, 0};
      if (auk_lazy_sort(lf, full ? 2 : 1, by, d, NULL, &err) ||
          auk_lazy_group_head(lf, nks[ks], keysets[ks], k, &err) ||
          auk_lazy_collect(lf, &r[full], &err))
        fprintf(stderr, "group_head_topk: %s\n", err.message);
      auk_lazy_free(lf);
    }
    CHECK(r[0] && r[1]);
    if (r[0] && r[1]) {
      CHECK_INT(auk_frame_num_rows(r[0]), auk_frame_num_rows(r[1]));
      int same = auk_frame_num_rows(r[0]) == auk_frame_num_rows(r[1]);
      for (int64_t i = 0; same && i < auk_frame_num_rows(r[0]); i++)
        same = !strcmp(cell(r[0], "i", i), cell(r[1], "i", i));
      CHECK(same);
    }
    auk_frame_free(r[0]);
    auk_frame_free(r[1]);
  }
  auk_frame_free(f);
  auk_set_threads(0);
}

/* corr and cov over two integer columns read them as integers; the answers
 * must be those over the same values as f64, nulls included. */
static void cov_ints(void) {
  auk_frame *f = csv("k,x,y\na,1,2\na,3,7\nb,2,\na,4,1\nb,5,5\nb,6,9\na,,3\nb,8,4\n");
  if (!f) return;
  auk_expr *aggs[] = {
      auk_alias(auk_corr(auk_col("x"), auk_col("y")), "ci"),
      auk_alias(auk_cov(auk_col("x"), auk_col("y")), "vi"),
      auk_alias(auk_corr(auk_cast(auk_col("x"), AUK_TYPE_FLOAT64), auk_col("y")), "cf"),
      auk_alias(auk_cov(auk_col("x"), auk_cast(auk_col("y"), AUK_TYPE_FLOAT64)), "vf")};
  auk_error err;
  auk_frame *r = group(f, "k", 4, aggs, &err);
  CHECK(r != NULL);
  for (int64_t i = 0; r && i < auk_frame_num_rows(r); i++) {
    CHECK_STR(cell(r, "ci", i), cell(r, "cf", i));
    CHECK_STR(cell(r, "vi", i), cell(r, "vf", i));
  }
  /* a: (1,2) (3,7) (4,1): co-moment 1/3 over n - 1 = 2 */
  if (r) CHECK(!strncmp(cell(r, "vi", 0), "0.1666666666666", 15));
  auk_frame_free(r);
  auk_frame_free(f);
}

/* One integer key of a small range takes the direct-index path; it must
 * give what the hashed path gives (two keys, one constant). */
static void direct_keys(int threads) {
  auk_set_threads(threads);
  int64_t n = 300000;
  char *text = malloc((size_t)n * 24 + 16);
  size_t w = (size_t)sprintf(text, "k,c,v\n");
  srand(3);
  for (int64_t i = 0; i < n; i++) {
    int k = rand() % 700 - 350;
    if (rand() % 50 == 0)
      w += (size_t)sprintf(text + w, ",x,%d\n", rand() % 10);
    else
      w += (size_t)sprintf(text + w, "%d,x,%d\n", k, rand() % 10);
  }
  auk_frame *f = csv(text);
  free(text);
  auk_error err;
  auk_frame *r1 = NULL, *r2 = NULL;
  auk_lazy *l1, *l2;
  if (f && !auk_frame_lazy(f, &l1, &err) && !auk_frame_lazy(f, &l2, &err)) {
    auk_expr *k1[] = {auk_col("k")}, *k2[] = {auk_col("k"), auk_col("c")};
    auk_expr *a1[] = {auk_alias(auk_sum(auk_col("v")), "s"), auk_alias(auk_len(), "n"),
                      auk_alias(auk_median(auk_col("v")), "m")};
    auk_expr *a2[] = {auk_alias(auk_sum(auk_col("v")), "s"), auk_alias(auk_len(), "n"),
                      auk_alias(auk_median(auk_col("v")), "m")};
    CHECK(!auk_lazy_group_by(l1, 1, k1, 3, a1, 1, &err));
    CHECK(!auk_lazy_group_by(l2, 2, k2, 3, a2, 1, &err));
    CHECK(!auk_lazy_collect(l1, &r1, &err));
    CHECK(!auk_lazy_collect(l2, &r2, &err));
    auk_lazy_free(l1);
    auk_lazy_free(l2);
  }
  if (r1 && r2) {
    CHECK_INT(auk_frame_num_rows(r1), auk_frame_num_rows(r2));
    int same = auk_frame_num_rows(r1) == auk_frame_num_rows(r2);
    for (int64_t i = 0; same && i < auk_frame_num_rows(r1); i++)
      same = !strcmp(cell(r1, "k", i), cell(r2, "k", i)) &&
             !strcmp(cell(r1, "s", i), cell(r2, "s", i)) &&
             !strcmp(cell(r1, "n", i), cell(r2, "n", i)) &&
             !strcmp(cell(r1, "m", i), cell(r2, "m", i));
    CHECK(same);
  }
  auk_frame_free(r1);
  auk_frame_free(r2);
  auk_frame_free(f);
  auk_set_threads(0);
}

int main(void) {
  direct_keys(1);
  direct_keys(2);
  group_head();
  group_head_topk(1);
  group_head_topk(2);
  cov_ints();
  aggregates();
  overflow();
  value_counts();
  decimals(1);
  decimals(2);
  many_groups(1);
  many_groups(2);
  string_agg_order(1);
  string_agg_order(2);
  string_key_words(1);
  string_key_words(2);
  return check_done();
}
