/* TPC-H queries at scale 0.01 through the lazy API (joins, filters,
 * group-by, sorts, top-k), compared with the published answers in
 * ../shared/data/tpch-sf0.01/answers. The money columns are read as their
 * declared DECIMAL(15,2), so sums of money are decimals and compared
 * exactly (the answer's digits at the column's scale); other floats to the
 * cent or a relative 1e-9. Skipped when ../shared is absent. */
#include "auk.h"
#include "check.h"
#include "core/decimal.h"

#include <math.h>
#include <stdarg.h>

static char dir[1024];

#define OKE(call)                                                      \
  do {                                                                 \
    if (call) {                                                        \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, err.message); \
      CHECK(0);                                                        \
      return NULL;                                                     \
    }                                                                  \
  } while (0)

/* Table `name` with its columns named (names: comma-separated). */
static auk_lazy *table(const char *name, const char *names) {
  char path[1200];
  snprintf(path, sizeof path, "%s/%s.tbl", dir, name);
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.has_header = 0;
  o.delimiter = '|';
  /* the money columns as declared: DECIMAL(15,2), read exactly */
  static const char *money[] = {"l_quantity",    "l_extendedprice", "l_discount",
                                "l_tax",         "o_totalprice",    "c_acctbal",
                                "p_retailprice", "s_acctbal",       "ps_supplycost"};
  char cols[32][32];
  const char *dnames[32];
  auk_type_id dtypes[32];
  int nd = 0;
  auk_expr *sel[32];
  int n = 0;
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", names);
  for (char *tok = strtok(buf, ","); tok && n < 32; tok = strtok(NULL, ",")) {
    snprintf(cols[n], sizeof cols[n], "column_%d", n + 1);
    for (size_t m = 0; m < sizeof money / sizeof money[0]; m++)
      if (!strcmp(tok, money[m])) {
        dnames[nd] = cols[n];
        dtypes[nd++] = AUK_DECIMAL(15, 2);
      }
    sel[n] = auk_alias(auk_col(cols[n]), tok);
    n++;
  }
  o.type_names = dnames;
  o.types = dtypes;
  o.num_types = nd;
  auk_lazy *lf;
  auk_error err;
  OKE(auk_scan_csv(path, &o, &lf, &err));
  OKE(auk_lazy_select(lf, n, sel, &err));
  return lf;
}

static const char *LINEITEM =
    "l_orderkey,l_partkey,l_suppkey,l_linenumber,l_quantity,l_extendedprice,l_discount,l_tax,"
    "l_returnflag,l_linestatus,l_shipdate,l_commitdate,l_receiptdate,l_shipinstruct,l_shipmode,"
    "l_comment";
static const char *ORDERS =
    "o_orderkey,o_custkey,o_orderstatus,o_totalprice,o_orderdate,o_orderpriority,o_clerk,"
    "o_shippriority,o_comment";
static const char *CUSTOMER =
    "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,c_comment";
static const char *NATION = "n_nationkey,n_name,n_regionkey,n_comment";

/* Compares a result with answers/qNN.csv cell by cell, except the
 * columns in `skip` (a bit per column). */
static void compare_frame(const char *q, auk_frame *f, unsigned skip);
static const char *answer_path; /* overrides answers/<q>.csv when set */
static int64_t decimal_cells;   /* decimal result cells compared exactly */

static void compare_skip(const char *q, auk_lazy *lf, unsigned skip) {
  if (!lf) return;
  auk_frame *f;
  auk_error err;
  if (auk_lazy_collect(lf, &f, &err)) {
    fprintf(stderr, "%s: %s\n", q, err.message);
    CHECK(0);
    auk_lazy_free(lf);
    return;
  }
  auk_lazy_free(lf);
  compare_frame(q, f, skip);
}

/* Compares f (taken) with the answer file. */
static void compare_frame(const char *q, auk_frame *f, unsigned skip) {
  auk_error err;
  char path[1200];
  if (answer_path)
    snprintf(path, sizeof path, "%s", answer_path);
  else
    snprintf(path, sizeof path, "%s/answers/%s.csv", dir, q);
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.delimiter = '|';
  auk_frame *e;
  if (auk_read_csv(path, &o, &e, &err)) {
    fprintf(stderr, "%s: %s\n", q, err.message);
    CHECK(0);
    auk_frame_free(f);
    return;
  }
  if (auk_frame_num_rows(f) != auk_frame_num_rows(e))
    fprintf(stderr, "%s (threads %d): %lld rows, the answer has %lld\n", q, auk_get_threads(),
            (long long)auk_frame_num_rows(f), (long long)auk_frame_num_rows(e));
  CHECK_INT(auk_frame_num_rows(f), auk_frame_num_rows(e));
  CHECK_INT(auk_frame_num_columns(f), auk_frame_num_columns(e));
  int bad = 0;
  for (int c = 0; c < auk_frame_num_columns(e) && c < auk_frame_num_columns(f); c++)
    for (int64_t r = 0;
         !(skip >> c & 1) && r < auk_frame_num_rows(e) && r < auk_frame_num_rows(f) && bad < 5;
         r++) {
      char a[256], b[256];
      int na = 0, nb = 0;
      auk_frame_format_cell(f, c, r, a, sizeof a, &na, NULL);
      auk_frame_format_cell(e, c, r, b, sizeof b, &nb, NULL);
      decimal_cells += auk_type_is_decimal(auk_frame_column_type(f, c));
      if (!strcmp(a, b)) continue;
      auk_type_id t = auk_frame_column_type(f, c);
      if (auk_type_is_decimal(t)) { /* exact: the answer's text at the column's scale */
        int64_t x, y;
        int s = auk_decimal_scale(t);
        if (!na && !nb && auk_decimal_parse(a, (int64_t)strlen(a), 18, s, &x) &&
            auk_decimal_parse(b, (int64_t)strlen(b), 18, s, &y) && x == y)
          continue;
        fprintf(stderr, "%s: row %lld column %d (%s): auk '%s', answer '%s'\n", q, (long long)r, c,
                auk_type_name(t), a, b);
        bad++;
        continue;
      }
      char *ea, *eb;
      double x = strtod(a, &ea), y = strtod(b, &eb);
      if (!*ea && !*eb && fabs(x - y) <= fmax(0.005, 1e-9 * fabs(y))) continue;
      fprintf(stderr, "%s: row %lld column %d: auk '%s', answer '%s'\n", q, (long long)r, c, a, b);
      bad++;
    }
  CHECK(bad == 0);
  auk_frame_free(f);
  auk_frame_free(e);
}

static void compare(const char *q, auk_lazy *lf) {
  compare_skip(q, lf, 0);
}

static auk_expr *c(const char *n) {
  return auk_col(n);
}
static auk_expr *one_minus(const char *n) {
  return auk_sub(auk_lit_int(1), c(n));
}

static auk_lazy *q01(void) {
  auk_error err;
  auk_lazy *l = table("lineitem", LINEITEM);
  if (!l) return NULL;
  OKE(auk_lazy_filter(l, auk_le(c("l_shipdate"), auk_lit_str("1998-09-02")), &err));
  auk_expr *keys[] = {c("l_returnflag"), c("l_linestatus")};
  auk_expr *aggs[] = {
      auk_alias(auk_sum(c("l_quantity")), "sum_qty"),
      auk_alias(auk_sum(c("l_extendedprice")), "sum_base_price"),
      auk_alias(auk_sum(auk_mul(c("l_extendedprice"), one_minus("l_discount"))), "sum_disc_price"),
      auk_alias(auk_sum(auk_mul(auk_mul(c("l_extendedprice"), one_minus("l_discount")),
                                auk_add(auk_lit_int(1), c("l_tax")))),
                "sum_charge"),
      auk_alias(auk_mean(c("l_quantity")), "avg_qty"),
      auk_alias(auk_mean(c("l_extendedprice")), "avg_price"),
      auk_alias(auk_mean(c("l_discount")), "avg_disc"),
      auk_alias(auk_len(), "count_order")};
  OKE(auk_lazy_group_by(l, 2, keys, 8, aggs, 0, &err));
  auk_expr *by[] = {c("l_returnflag"), c("l_linestatus")};
  OKE(auk_lazy_sort(l, 2, by, NULL, NULL, &err));
  return l;
}

static auk_lazy *q03(void) {
  auk_error err;
  auk_lazy *cu = table("customer", CUSTOMER), *o = table("orders", ORDERS),
           *l = table("lineitem", LINEITEM);
  if (!cu || !o || !l) return NULL;
  OKE(auk_lazy_filter(cu, auk_eq(c("c_mktsegment"), auk_lit_str("BUILDING")), &err));
  OKE(auk_lazy_filter(o, auk_lt(c("o_orderdate"), auk_lit_str("1995-03-15")), &err));
  OKE(auk_lazy_filter(l, auk_gt(c("l_shipdate"), auk_lit_str("1995-03-15")), &err));
  const char *ck[] = {"c_custkey"}, *ok[] = {"o_custkey"};
  OKE(auk_lazy_join(cu, o, 1, ck, ok, AUK_JOIN_INNER, NULL, &err));
  const char *lk[] = {"l_orderkey"}, *ok2[] = {"o_orderkey"};
  OKE(auk_lazy_join(l, cu, 1, lk, ok2, AUK_JOIN_INNER, NULL, &err));
  auk_expr *keys[] = {c("l_orderkey"), c("o_orderdate"), c("o_shippriority")};
  auk_expr *aggs[] = {
      auk_alias(auk_sum(auk_mul(c("l_extendedprice"), one_minus("l_discount"))), "revenue")};
  OKE(auk_lazy_group_by(l, 3, keys, 1, aggs, 0, &err));
  auk_expr *sel[] = {c("l_orderkey"), c("revenue"), c("o_orderdate"), c("o_shippriority")};
  OKE(auk_lazy_select(l, 4, sel, &err));
  auk_expr *by[] = {c("revenue"), c("o_orderdate")};
  int desc[] = {1, 0};
  OKE(auk_lazy_sort(l, 2, by, desc, NULL, &err));
  OKE(auk_lazy_head(l, 10, &err));
  return l;
}

static auk_lazy *q06(void) {
  auk_error err;
  auk_lazy *l = table("lineitem", LINEITEM);
  if (!l) return NULL;
  auk_expr *p =
      auk_and(auk_and(auk_ge(c("l_shipdate"), auk_lit_str("1994-01-01")),
                      auk_lt(c("l_shipdate"), auk_lit_str("1995-01-01"))),
              auk_and(auk_is_between(c("l_discount"), auk_lit_double(0.05), auk_lit_double(0.07)),
                      auk_lt(c("l_quantity"), auk_lit_int(24))));
  OKE(auk_lazy_filter(l, p, &err));
  auk_expr *aggs[] = {
      auk_alias(auk_sum(auk_mul(c("l_extendedprice"), c("l_discount"))), "revenue")};
  OKE(auk_lazy_agg(l, 1, aggs, &err));
  return l;
}

static auk_lazy *q10(void) {
  auk_error err;
  auk_lazy *cu = table("customer", CUSTOMER), *o = table("orders", ORDERS),
           *l = table("lineitem", LINEITEM), *na = table("nation", NATION);
  if (!cu || !o || !l || !na) return NULL;
  OKE(auk_lazy_filter(o,
                      auk_and(auk_ge(c("o_orderdate"), auk_lit_str("1993-10-01")),
                              auk_lt(c("o_orderdate"), auk_lit_str("1994-01-01"))),
                      &err));
  OKE(auk_lazy_filter(l, auk_eq(c("l_returnflag"), auk_lit_str("R")), &err));
  const char *k1[] = {"c_custkey"}, *k2[] = {"o_custkey"};
  OKE(auk_lazy_join(cu, o, 1, k1, k2, AUK_JOIN_INNER, NULL, &err));
  const char *k3[] = {"o_orderkey"}, *k4[] = {"l_orderkey"};
  OKE(auk_lazy_join(cu, l, 1, k3, k4, AUK_JOIN_INNER, NULL, &err));
  const char *k5[] = {"c_nationkey"}, *k6[] = {"n_nationkey"};
  OKE(auk_lazy_join(cu, na, 1, k5, k6, AUK_JOIN_INNER, NULL, &err));
  auk_expr *keys[] = {c("c_custkey"), c("c_name"),    c("c_acctbal"), c("c_phone"),
                      c("n_name"),    c("c_address"), c("c_comment")};
  auk_expr *aggs[] = {
      auk_alias(auk_sum(auk_mul(c("l_extendedprice"), one_minus("l_discount"))), "revenue")};
  OKE(auk_lazy_group_by(cu, 7, keys, 1, aggs, 0, &err));
  auk_expr *sel[] = {c("c_custkey"), c("c_name"),    c("revenue"), c("c_acctbal"),
                     c("n_name"),    c("c_address"), c("c_phone"), c("c_comment")};
  OKE(auk_lazy_select(cu, 8, sel, &err));
  auk_expr *by[] = {c("revenue")};
  int desc[] = {1};
  OKE(auk_lazy_sort(cu, 1, by, desc, NULL, &err));
  OKE(auk_lazy_head(cu, 20, &err));
  return cu;
}

static const char *PART =
    "p_partkey,p_name,p_mfgr,p_brand,p_type,p_size,p_container,p_retailprice,p_comment";
static const char *SUPPLIER = "s_suppkey,s_name,s_address,s_nationkey,s_phone,s_acctbal,s_comment";
static const char *PARTSUPP = "ps_partkey,ps_suppkey,ps_availqty,ps_supplycost,ps_comment";
static const char *REGION = "r_regionkey,r_name,r_comment";

/* The 22 query files through SQL, over tables registered in a database. */
static void sql_queries(void) {
  const char *tables[][2] = {{"lineitem", LINEITEM}, {"orders", ORDERS},    {"customer", CUSTOMER},
                             {"nation", NATION},     {"region", REGION},    {"part", PART},
                             {"supplier", SUPPLIER}, {"partsupp", PARTSUPP}};
  auk_db *db;
  auk_error err;
  CHECK(auk_db_open(&db, &err) == AUK_OK);
  for (int t = 0; t < 8; t++) {
    auk_lazy *lf = table(tables[t][0], tables[t][1]);
    auk_frame *f;
    CHECK(lf && auk_lazy_collect(lf, &f, &err) == AUK_OK);
    auk_lazy_free(lf);
    CHECK(auk_db_register(db, tables[t][0], f, &err) == AUK_OK);
    auk_frame_free(f);
  }
  for (int q = 1; q <= 22; q++) {
    char path[1200], name[8];
    snprintf(name, sizeof name, "q%02d", q);
    snprintf(path, sizeof path, "%s/queries/%s.sql", dir, name);
    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL);
    if (!fp) continue;
    static char text[16384];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = 0;
    auk_frame *f = NULL;
    auk_status st = auk_sql(db, text, &f, &err);
    if (st) {
      fprintf(stderr, "%s (SQL): %s\n", name, err.message);
      CHECK(0);
      continue;
    }
    /* Text columns the answer files took from another dbgen text stream
     * than the .tbl files: customer and supplier addresses and comments
     * (Q2, Q10, Q15, Q20) are not compared; Q13 counts orders by their
     * comment text, so it is compared with DuckDB's result on these files
     * (tests/golden/duckdb_expected.mjs). */
    unsigned skip = q == 10   ? (1u << 5 | 1u << 7)
                    : q == 2  ? (1u << 5 | 1u << 7)
                    : q == 15 ? 1u << 2
                    : q == 20 ? 1u << 1
                              : 0;
    answer_path = q == 13 ? AUK_TEST_DATA "/expected/tpch_q13.csv" : NULL;
    compare_frame(name, f, skip);
    answer_path = NULL;
  }
  auk_db_close(db);
}

int main(void) {
  snprintf(dir, sizeof dir, "%s/tpch-sf0.01", AUK_SHARED_DATA);
  char probe[1200];
  snprintf(probe, sizeof probe, "%s/lineitem.tbl", dir);
  FILE *fp = fopen(probe, "r");
  if (!fp) {
    fprintf(stderr, "skipped: %s not found\n", probe);
    return 77;
  }
  fclose(fp);
  for (int threads = 1; threads <= 2; threads++) {
    auk_set_threads(threads);
    compare("q01", q01());
    compare("q03", q03());
    compare("q06", q06());
    /* the answer file's c_address and c_comment texts differ from the
     * .tbl files (another dbgen text stream: customer 679's address in
     * customer.tbl is not the one in q10.csv); every other column is
     * compared */
    compare_skip("q10", q10(), 1u << 5 | 1u << 7);
    sql_queries();
  }
  printf("%lld decimal cells matched the answers exactly\n", (long long)decimal_cells);
  CHECK(decimal_cells > 1000);
  return check_done();
}
