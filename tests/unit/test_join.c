/* Unit tests of joins: every join type with duplicate keys on both sides,
 * null keys (never matching, or matching with nulls_equal), no matches,
 * empty inputs, two keys of mixed types with integer/float widening,
 * suffixes for clashing names, an incompatible key pair, validation
 * (1:1, 1:m, m:1 failing and passing), cross joins, concatenation by
 * name and side by side, filters and projections pushed through joins, a
 * build side of many partitions with two keys on 2 threads, and joins
 * under a memory limit. Expected rows are written out by hand. */
#include "auk.h"
#include "check.h"
#include "core/cancel.h"

static auk_lazy *lazy(const char *text) {
  auk_frame *f = NULL;
  auk_lazy *lf = NULL;
  auk_error err;
  if (auk_read_csv_buffer(text, strlen(text), "t.csv", NULL, &f, &err) ||
      auk_frame_lazy(f, &lf, &err))
    fprintf(stderr, "lazy: %s\n", err.message);
  auk_frame_free(f);
  return lf;
}

/* The rows of the join as "a|b|c;..." text (nulls as "null"). */
static const char *rows_text(auk_lazy *lf) {
  static char out[4096];
  out[0] = 0;
  auk_frame *f;
  auk_error err;
  if (auk_lazy_collect(lf, &f, &err)) {
    snprintf(out, sizeof out, "error: %s", err.message);
    return out;
  }
  for (int64_t r = 0; r < auk_frame_num_rows(f); r++) {
    for (int c = 0; c < auk_frame_num_columns(f); c++) {
      char b[128];
      int is_null = 0;
      auk_frame_format_cell(f, c, r, b, sizeof b, &is_null, NULL);
      snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", c ? "|" : "",
               is_null ? "null" : b);
    }
    snprintf(out + strlen(out), sizeof out - strlen(out), ";");
  }
  auk_frame_free(f);
  return out;
}

static const char *L = "k,a\n1,x\n2,y\n2,y2\n,n\n4,w\n";
static const char *R = "k,b\n2,p\n1,q\n2,r\n,s\n5,t\n";

static const char *join(auk_join_type how) {
  auk_lazy *l = lazy(L), *r = lazy(R);
  const char *on[] = {"k"};
  auk_error err;
  static char msg[1200];
  if (auk_lazy_join(l, r, 1, on, on, how, NULL, &err)) {
    snprintf(msg, sizeof msg, "error: %s", err.message);
    auk_lazy_free(l);
    return msg;
  }
  const char *t = rows_text(l);
  auk_lazy_free(l);
  return t;
}

/* A lazy frame of CSV text with column k read as decimal type t. */
static auk_lazy *lazy_dec(const char *text, auk_type_id t) {
  const char *names[] = {"k"};
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.type_names = names;
  o.types = &t;
  o.num_types = 1;
  auk_frame *f = NULL;
  auk_lazy *lf = NULL;
  auk_error err;
  if (auk_read_csv_buffer(text, strlen(text), "d.csv", &o, &f, &err) ||
      auk_frame_lazy(f, &lf, &err))
    fprintf(stderr, "lazy_dec: %s\n", err.message);
  auk_frame_free(f);
  return lf;
}

/* Decimal keys join by value: the same scale on both sides, different
 * scales (1.5 in decimal(4,1) meets 1.50 in decimal(6,2)), and a decimal
 * against an integer key (2 meets 2.00); nulls never match. */
static void decimal_keys(void) {
  const char *on[] = {"k"};
  auk_error err;
  struct {
    auk_type_id lt, rt;
    const char *ltext, *rtext, *want;
  } cases[] = {
      {AUK_DECIMAL(6, 2), AUK_DECIMAL(6, 2), "k,a\n1.50,x\n2,y\n,n\n", "k,b\n1.5,p\n,q\n2.00,r\n",
       "1.50|x|p;2.00|y|r;"},
      {AUK_DECIMAL(4, 1), AUK_DECIMAL(6, 2), "k,a\n1.5,x\n2,y\n,n\n", "k,b\n1.50,p\n,q\n2.01,r\n",
       "1.5|x|p;"},
      {AUK_DECIMAL(6, 2), AUK_TYPE_COUNT_, "k,a\n1.50,x\n2,y\n", "k,b\n2,p\n1,q\n", "2.00|y|p;"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    auk_lazy *l = lazy_dec(cases[i].ltext, cases[i].lt);
    auk_lazy *r = cases[i].rt == AUK_TYPE_COUNT_ ? lazy(cases[i].rtext)
                                                 : lazy_dec(cases[i].rtext, cases[i].rt);
    if (!l || !r) {
      CHECK(0);
      continue;
    }
    CHECK_INT(auk_lazy_join(l, r, 1, on, on, AUK_JOIN_INNER, NULL, &err), AUK_OK);
    CHECK_STR(rows_text(l), cases[i].want);
    auk_lazy_free(l);
  }
}

static void types(void) {
  CHECK_STR(join(AUK_JOIN_INNER), "1|x|q;2|y|p;2|y|r;2|y2|p;2|y2|r;");
  CHECK_STR(join(AUK_JOIN_LEFT), "1|x|q;2|y|p;2|y|r;2|y2|p;2|y2|r;null|n|null;4|w|null;");
  CHECK_STR(join(AUK_JOIN_RIGHT), "2|y|p;2|y2|p;1|x|q;2|y|r;2|y2|r;null|null|s;5|null|t;");
  CHECK_STR(join(AUK_JOIN_FULL),
            "1|x|q;2|y|p;2|y|r;2|y2|p;2|y2|r;null|n|null;4|w|null;null|null|s;5|null|t;");
  CHECK_STR(join(AUK_JOIN_SEMI), "1|x;2|y;2|y2;");
  CHECK_STR(join(AUK_JOIN_ANTI), "null|n;4|w;");
}

static void edges(void) {
  auk_error err;
  /* no matches, and an empty right side */
  auk_lazy *l = lazy("k,a\n1,x\n"), *r = lazy("k,b\n9,z\n");
  const char *on[] = {"k"};
  CHECK(!auk_lazy_join(l, r, 1, on, on, AUK_JOIN_INNER, NULL, &err));
  CHECK_STR(rows_text(l), "");
  auk_lazy_free(l);
  l = lazy("k,a\n1,x\n");
  r = lazy("k,b\n9,z\n");
  CHECK(!auk_lazy_drop_nulls(r, 0, NULL, &err));
  CHECK(!auk_lazy_filter(r, auk_lit_bool(0), &err));
  CHECK(!auk_lazy_join(l, r, 1, on, on, AUK_JOIN_LEFT, NULL, &err));
  CHECK_STR(rows_text(l), "1|x|null;");
  auk_lazy_free(l);
  /* two keys, i64 against f64 and str against str; clashing name gets a suffix */
  l = lazy("id,name,v\n1,a,10\n2,b,20\n3,a,30\n");
  r = lazy("rid,rname,v\n1.0,a,100\n2.5,b,200\n3,a,300\n");
  const char *lo[] = {"id", "name"}, *ro[] = {"rid", "rname"};
  CHECK(!auk_lazy_join(l, r, 2, lo, ro, AUK_JOIN_INNER, "_r", &err));
  CHECK_STR(auk_lazy_column_name(l, 3), "v_r");
  CHECK_STR(rows_text(l), "1|a|10|100;3|a|30|300;");
  auk_lazy_free(l);
  /* incompatible keys and unknown names are errors at the call */
  l = lazy("k,a\n1,x\n");
  r = lazy("k,b\nu,z\n");
  CHECK(auk_lazy_join(l, r, 1, on, on, AUK_JOIN_INNER, NULL, &err) == AUK_ERR_TYPE);
  CHECK(strstr(err.message, "i64 on the left") != NULL);
  r = lazy("kk,b\n1,z\n");
  CHECK(auk_lazy_join(l, r, 1, on, on, AUK_JOIN_INNER, NULL, &err) == AUK_ERR_NOT_FOUND);
  CHECK(strstr(err.message, "did you mean") != NULL);
  CHECK(auk_lazy_join(l, NULL, 1, on, on, AUK_JOIN_INNER, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
  auk_lazy_free(l);
}

/* Many rows on all workers: a left join keeps the left order. */
static void big(int threads) {
  auk_set_threads(threads);
  int64_t n = 200000;
  char *lt = malloc((size_t)n * 16 + 16), *rt = malloc(1000 * 24 + 16);
  size_t w = (size_t)sprintf(lt, "k,i\n");
  for (int64_t i = 0; i < n; i++)
    w += (size_t)sprintf(lt + w, "%lld,%lld\n", (long long)(i * 7 % 1500), (long long)i);
  w = (size_t)sprintf(rt, "k,sq\n");
  for (int i = 0; i < 1000; i++) w += (size_t)sprintf(rt + w, "%d,%d\n", i, i * i);
  auk_lazy *l = lazy(lt), *r = lazy(rt);
  free(lt);
  free(rt);
  const char *on[] = {"k"};
  auk_error err;
  auk_frame *f = NULL;
  if (l && r && !auk_lazy_join(l, r, 1, on, on, AUK_JOIN_LEFT, NULL, &err) &&
      !auk_lazy_collect(l, &f, &err)) {
    CHECK_INT(auk_frame_num_rows(f), n);
    int ok = 1;
    for (int64_t i = 0; i < n && ok; i++) {
      int64_t k, idx, sq;
      int is_null = 0;
      auk_frame_get_int(f, 0, i, &k, NULL, NULL);
      auk_frame_get_int(f, 1, i, &idx, NULL, NULL);
      auk_frame_get_int(f, 2, i, &sq, &is_null, NULL);
      ok = idx == i && k == i * 7 % 1500 && (k < 1000 ? !is_null && sq == k * k : is_null);
    }
    CHECK(ok);
    auk_frame_free(f);
  } else {
    CHECK(0);
  }
  auk_lazy_free(l);
  auk_set_threads(0);
}

static const char *join_opts(const char *lt, const char *rt, auk_join_type how, int nulls_equal,
                             auk_join_validate v) {
  auk_lazy *l = lazy(lt), *r = lazy(rt);
  const char *on[] = {"k"};
  auk_join_options o;
  auk_join_options_init(&o);
  o.nulls_equal = nulls_equal;
  o.validate = v;
  auk_error err;
  static char msg[1200];
  if (auk_lazy_join_opts(l, r, how == AUK_JOIN_CROSS ? 0 : 1, on, on, how, &o, &err)) {
    snprintf(msg, sizeof msg, "error: %s", err.message);
    auk_lazy_free(l);
    return msg;
  }
  const char *t = rows_text(l);
  auk_lazy_free(l);
  return t;
}

static void options(void) {
  /* null keys match each other on request */
  CHECK_STR(join_opts(L, R, AUK_JOIN_INNER, 1, 0), "1|x|q;2|y|p;2|y|r;2|y2|p;2|y2|r;null|n|s;");
  CHECK_STR(join_opts(L, R, AUK_JOIN_ANTI, 1, 0), "4|w;");
  CHECK_STR(join_opts(L, R, AUK_JOIN_RIGHT, 1, 0),
            "2|y|p;2|y2|p;1|x|q;2|y|r;2|y2|r;null|n|s;5|null|t;");
  /* validation: L has 2 twice, R has 2 twice */
  const char *u = "k,a\n1,x\n2,y\n,n\n,m\n", *ur = "k,b\n1,p\n3,q\n,s\n,t\n";
  CHECK_STR(join_opts(L, R, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_1_1),
            "error: join validation failed: the right side has key (2) more than once (rows 0 "
            "and 2)");
  CHECK_STR(join_opts(L, ur, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_1_1),
            "error: join validation failed: the left side has key (2) more than once (rows 1 "
            "and 2)");
  CHECK_STR(join_opts(L, ur, AUK_JOIN_LEFT, 0, AUK_JOIN_VALIDATE_1_M),
            "error: join validation failed: the left side has key (2) more than once (rows 1 "
            "and 2)");
  CHECK_STR(join_opts(u, R, AUK_JOIN_LEFT, 0, AUK_JOIN_VALIDATE_M_1),
            "error: join validation failed: the right side has key (2) more than once (rows 0 "
            "and 2)");
  CHECK_STR(join_opts(u, R, AUK_JOIN_RIGHT, 0, AUK_JOIN_VALIDATE_M_1),
            "error: join validation failed: the right side has key (2) more than once (rows 0 "
            "and 2)");
  CHECK_STR(join_opts(L, ur, AUK_JOIN_RIGHT, 0, AUK_JOIN_VALIDATE_1_M),
            "error: join validation failed: the left side has key (2) more than once (rows 1 "
            "and 2)");
  /* passing: unique sides (nulls are not values unless nulls_equal) */
  CHECK_STR(join_opts(u, ur, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_1_1), "1|x|p;");
  CHECK_STR(join_opts(u, R, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_1_M), "1|x|q;2|y|p;2|y|r;");
  CHECK_STR(join_opts(L, ur, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_M_1), "1|x|p;");
  CHECK_STR(join_opts(u, ur, AUK_JOIN_INNER, 1, AUK_JOIN_VALIDATE_1_1),
            "error: join validation failed: the right side has key (null) more than once (rows 2 "
            "and 3)");
  const char *s1 = "k,a\nab,1\nab,2\n", *s2 = "k,b\nab,3\n";
  CHECK_STR(join_opts(s1, s2, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_1_1),
            "error: join validation failed: the left side has key ('ab') more than once (rows 0 "
            "and 1)");
  CHECK_STR(join_opts(s1, s2, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_M_1), "ab|1|3;ab|2|3;");
  /* empty sides validate */
  CHECK_STR(join_opts("k,a\n", s2, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_1_1), "");
}

/* An inner join with a right side over 4 times larger builds the left
 * side: right order, a right row's matches in left order. */
static void swapped(void) {
  const char *l = "k,a\n2,x\n1,y\n2,z\n",
             *r = "k,b\n1,p\n3,q\n2,r\n9,s\n1,t\n9,u\n9,v\n9,w\n9,o\n9,n\n9,m\n9,l\n9,j\n";
  CHECK_STR(join_opts(l, r, AUK_JOIN_INNER, 0, 0), "1|y|p;2|x|r;2|z|r;1|y|t;");
  CHECK_STR(join_opts(l, r, AUK_JOIN_LEFT, 0, 0), "2|x|r;1|y|p;1|y|t;2|z|r;");
  CHECK_STR(join_opts(l, r, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_1_1),
            "error: join validation failed: the left side has key (2) more than once (rows 0 "
            "and 2)");
  CHECK_STR(join_opts(l, r, AUK_JOIN_INNER, 0, AUK_JOIN_VALIDATE_M_1),
            "error: join validation failed: the right side has key (1) more than once (rows 0 "
            "and 4)");
}

static void cross(void) {
  const char *a = "k,a\n1,x\n2,y\n", *b = "k,b\n7,p\n8,q\n9,r\n";
  CHECK_STR(join_opts(a, b, AUK_JOIN_CROSS, 0, 0),
            "1|x|7|p;1|x|8|q;1|x|9|r;2|y|7|p;2|y|8|q;2|y|9|r;");
  CHECK_STR(join_opts(a, "k,b\n", AUK_JOIN_CROSS, 0, 0), "");
  CHECK_STR(join_opts("k,a\n", b, AUK_JOIN_CROSS, 0, 0), "");
  auk_error err;
  auk_lazy *l = lazy(a), *r = lazy(b);
  const char *on[] = {"k"};
  CHECK(auk_lazy_join(l, r, 1, on, on, AUK_JOIN_CROSS, NULL, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK(strstr(err.message, "no keys") != NULL);
  CHECK_STR(auk_lazy_column_name(l, 0), "k");
  auk_lazy_free(l);
  /* sizes over several batches, on 2 threads */
  auk_set_threads(2);
  char lt[8192], rt[8192];
  size_t w = (size_t)sprintf(lt, "i\n");
  for (int i = 0; i < 300; i++) w += (size_t)sprintf(lt + w, "%d\n", i);
  w = (size_t)sprintf(rt, "j\n");
  for (int i = 0; i < 400; i++) w += (size_t)sprintf(rt + w, "%d\n", i);
  l = lazy(lt);
  r = lazy(rt);
  auk_frame *f = NULL;
  CHECK(!auk_lazy_join(l, r, 0, NULL, NULL, AUK_JOIN_CROSS, NULL, &err));
  CHECK(!auk_lazy_collect(l, &f, &err));
  CHECK_INT(auk_frame_num_rows(f), 120000);
  int ok = 1;
  for (int64_t x = 0; f && x < 120000 && ok; x += 997) {
    int64_t i, j;
    auk_frame_get_int(f, 0, x, &i, NULL, NULL);
    auk_frame_get_int(f, 1, x, &j, NULL, NULL);
    ok = i == x / 400 && j == x % 400;
  }
  CHECK(ok);
  auk_frame_free(f);
  auk_lazy_free(l);
  /* an interrupt stops it */
  l = lazy(lt);
  r = lazy(rt);
  /* (held, as a SQL statement holds it: a query start would clear it) */
  auk_cancel_hold(1);
  auk_interrupt();
  CHECK(!auk_lazy_join(l, r, 0, NULL, NULL, AUK_JOIN_CROSS, NULL, &err));
  CHECK(auk_lazy_collect(l, &f, &err) == AUK_ERR_CANCELLED);
  auk_cancel_hold(-1);
  auk_cancel_reset();
  auk_lazy_free(l);
  auk_set_threads(0);
}

static void concat(void) {
  auk_error err;
  auk_lazy *a = lazy("a,b\n1,x\n"), *b = lazy("b,c,a\nyy,2.5,3\nzz,,4\n");
  CHECK(!auk_lazy_concat_by_name(a, b, &err));
  CHECK_INT(auk_lazy_num_columns(a), 3);
  CHECK_STR(auk_lazy_column_name(a, 2), "c");
  CHECK_STR(rows_text(a), "1|x|null;3|yy|2.5;4|zz|null;");
  auk_lazy_free(a);
  /* i64 meets f64 as f64; a column only in the first frame */
  a = lazy("a,d\n1,7\n");
  b = lazy("a\n2.5\n");
  CHECK(!auk_lazy_concat_by_name(a, b, &err));
  CHECK(auk_lazy_column_type(a, 0) == AUK_TYPE_FLOAT64);
  CHECK_STR(rows_text(a), "1.0|7;2.5|null;");
  auk_lazy_free(a);
  a = lazy("a\n1\n");
  b = lazy("a\nx\n");
  CHECK(auk_lazy_concat_by_name(a, b, &err) == AUK_ERR_TYPE);
  CHECK(strstr(err.message, "'a' is i64") != NULL);
  auk_lazy_free(a);
  /* side by side */
  a = lazy("a\n1\n2\n");
  b = lazy("b,c\nx,true\ny,false\n");
  CHECK(!auk_lazy_concat_horizontal(a, b, &err));
  CHECK_STR(rows_text(a), "1|x|true;2|y|false;");
  auk_lazy_free(a);
  a = lazy("a\n1\n2\n");
  b = lazy("b,a\nx,1\n");
  CHECK(auk_lazy_concat_horizontal(a, b, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK(strstr(err.message, "'a'") != NULL);
  b = lazy("b\nx\n");
  CHECK(!auk_lazy_concat_horizontal(a, b, &err));
  CHECK_STR(rows_text(a), "error: concat_horizontal: the frames have 2 and 1 rows");
  auk_lazy_free(a);
}

/* The join of PL and PR (how), filtered by pred, then k and v_right: the
 * rows, and the optimized plan in *plan. */
static const char *pushed(auk_join_type how, auk_expr *pred, char *plan, size_t cap) {
  auk_lazy *l = lazy("k,v,w\n1,2,3\n2,0,4\n3,5,6\n"), *r = lazy("k,v,z\n1,5,6\n2,7,8\n4,9,9\n");
  const char *on[] = {"k"};
  auk_error err;
  auk_expr *sel[] = {auk_col("k"), auk_col("v_right")};
  char *t = NULL;
  if (auk_lazy_join(l, r, 1, on, on, how, NULL, &err) || auk_lazy_filter(l, pred, &err) ||
      auk_lazy_select(l, 2, sel, &err) || auk_lazy_explain(l, 1, &t, &err)) {
    auk_lazy_free(l);
    return "error";
  }
  snprintf(plan, cap, "%s", t);
  auk_free(t);
  const char *rows = rows_text(l);
  auk_lazy_free(l);
  return rows;
}

static void optimizer(void) {
  char plan[2048];
  auk_expr *both =
      auk_and(auk_gt(auk_col("v"), auk_lit_int(0)), auk_gt(auk_col("v_right"), auk_lit_int(1)));
  /* inner: each conjunct goes to its side (the right one renamed back to v);
   * each side reads only k and v */
  CHECK_STR(pushed(AUK_JOIN_INNER, both, plan, sizeof plan), "1|5;");
  CHECK(strstr(plan, "FILTER") == NULL);
  CHECK(strstr(plan, "filter: (col(\"v\") > 0)") != NULL);
  CHECK(strstr(plan, "filter: (col(\"v\") > 1)") != NULL);
  CHECK(strstr(plan, "columns: k, v (2 of 3)") != NULL);
  CHECK(strstr(strstr(plan, "columns: k, v (2 of 3)") + 1, "columns: k, v (2 of 3)") != NULL);
  /* left: the right conjunct stays above the join (it removes null rows) */
  both = auk_and(auk_gt(auk_col("v"), auk_lit_int(0)), auk_gt(auk_col("v_right"), auk_lit_int(1)));
  CHECK_STR(pushed(AUK_JOIN_LEFT, both, plan, sizeof plan), "1|5;");
  CHECK(strstr(plan, "FILTER (col(\"v_right\") > 1)") != NULL);
  CHECK(strstr(plan, "filter: (col(\"v\") > 0)") != NULL);
  CHECK_STR(pushed(AUK_JOIN_LEFT, auk_gt(auk_col("v"), auk_lit_int(0)), plan, sizeof plan),
            "1|5;3|null;");
  /* right: only the right conjunct moves down */
  both = auk_and(auk_gt(auk_col("v"), auk_lit_int(0)), auk_gt(auk_col("v_right"), auk_lit_int(1)));
  CHECK_STR(pushed(AUK_JOIN_RIGHT, both, plan, sizeof plan), "1|5;");
  CHECK(strstr(plan, "FILTER (col(\"v\") > 0)") != NULL);
  CHECK(strstr(plan, "filter: (col(\"v\") > 1)") != NULL);
  /* full: nothing moves; a predicate on a coalesced key stays too */
  CHECK_STR(pushed(AUK_JOIN_FULL, auk_gt(auk_col("k"), auk_lit_int(3)), plan, sizeof plan), "4|9;");
  CHECK(strstr(plan, "FILTER (col(\"k\") > 3)") != NULL);
}

static auk_frame *frame_of(const char *text) {
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv_buffer(text, strlen(text), "t.csv", NULL, &f, &err))
    fprintf(stderr, "frame_of: %s\n", err.message);
  return f;
}

/* Two keys (an integer and a string: the table compares hashes, then the
 * keys) over a build side of many partitions, on 2 threads: left rows
 * i < 30000 match right row i; right rows 30000.. ("zz") match nothing. */
static auk_frame *wide_l, *wide_r;

static void make_wide(void) {
  char *lt = malloc(100000 * 32 + 64), *rt = malloc(35000 * 32 + 64);
  size_t w = (size_t)sprintf(lt, "k1,k2,i\n");
  for (int i = 0; i < 100000; i++) w += (size_t)sprintf(lt + w, "%d,s%d,%d\n", i % 30000, i % 7, i);
  w = (size_t)sprintf(rt, "k1,k2,j\n");
  for (int j = 0; j < 35000; j++)
    w += j < 30000 ? (size_t)sprintf(rt + w, "%d,s%d,%d\n", j, j % 7, j)
                   : (size_t)sprintf(rt + w, "%d,zz,%d\n", j % 30000, j);
  wide_l = frame_of(lt);
  wide_r = frame_of(rt);
  free(lt);
  free(rt);
}

static auk_status wide_join(auk_join_type how, auk_frame **out, auk_error *err) {
  auk_lazy *l = NULL, *r = NULL;
  const char *on[] = {"k1", "k2"};
  auk_join_options o;
  auk_join_options_init(&o);
  o.validate = AUK_JOIN_VALIDATE_M_1;
  auk_status st = auk_frame_lazy(wide_l, &l, err);
  if (!st) st = auk_frame_lazy(wide_r, &r, err);
  if (!st) {
    st = auk_lazy_join_opts(l, r, 2, on, on, how, &o, err);
    r = NULL;
  }
  if (!st) st = auk_lazy_collect(l, out, err);
  auk_lazy_free(l);
  auk_lazy_free(r);
  return st;
}

static void wide(void) {
  auk_set_threads(2);
  auk_error err;
  auk_frame *f = NULL;
  CHECK(!wide_join(AUK_JOIN_INNER, &f, &err));
  CHECK_INT(auk_frame_num_rows(f), 30000);
  int ok = 1;
  for (int64_t r = 0; f && r < 30000 && ok; r++) {
    int64_t i, j;
    auk_frame_get_int(f, 2, r, &i, NULL, NULL);
    auk_frame_get_int(f, 3, r, &j, NULL, NULL);
    ok = i == r && j == r;
  }
  CHECK(ok);
  auk_frame_free(f);
  CHECK(!wide_join(AUK_JOIN_FULL, &f, &err));
  CHECK_INT(auk_frame_num_rows(f), 105000);
  ok = 1;
  for (int64_t r = 0; f && r < 105000 && ok; r++) {
    int64_t i, j, k1;
    int ni, nj;
    auk_frame_get_int(f, 0, r, &k1, NULL, NULL);
    auk_frame_get_int(f, 2, r, &i, &ni, NULL);
    auk_frame_get_int(f, 3, r, &j, &nj, NULL);
    if (r < 100000)
      ok = !ni && i == r && (r < 30000 ? !nj && j == r : nj) && k1 == r % 30000;
    else /* unmatched right rows, in right order, keys from the right */
      ok = ni && !nj && j == 30000 + (r - 100000) && k1 == j % 30000;
  }
  CHECK(ok);
  auk_frame_free(f);
  auk_set_threads(0);
}

/* Under a memory limit a join either succeeds or fails with an
 * out-of-memory error, and gives back everything it took (the limits
 * start far below what the join needs: about 5 MB, 11 MB for the full
 * join). */
static void out_of_memory(void) {
  auk_set_threads(2);
  auk_join_type hows[] = {AUK_JOIN_INNER, AUK_JOIN_FULL, AUK_JOIN_SEMI};
  for (int h = 0; h < 3; h++) {
    uint64_t base = auk_memory_used();
    int fails = 0, leaks = 0, done = 0, tries = 0;
    for (uint64_t limit = 1024; limit < ((uint64_t)1 << 32) && !done; limit = limit * 5 / 4) {
      auk_error err;
      auk_frame *f = NULL;
      auk_set_memory_limit(base + limit);
      auk_status st = wide_join(hows[h], &f, &err);
      auk_set_memory_limit(0);
      tries++;
      if (st) {
        fails += st != AUK_ERR_OUT_OF_MEMORY;
        leaks += auk_memory_used() != base;
        continue;
      }
      done = 1;
      CHECK_INT(auk_frame_num_rows(f), hows[h] == AUK_JOIN_FULL ? 105000 : 30000);
      auk_frame_free(f);
    }
    CHECK(done);
    CHECK(tries > 20);
    CHECK_INT(fails, 0);
    CHECK_INT(leaks, 0);
  }
  auk_set_threads(0);
}

/* Keys that are expressions: computed for the join, both sides keep every
 * column (the right key too, when compared with an expression). */
static void expression_keys(void) {
  auk_lazy *l = lazy("k,a\n1,x\n2,y\n3,z\n"), *r = lazy("k2,b\n2,p\n4,q\n6,r\n");
  auk_expr *lk[1] = {auk_mul(auk_col("k"), auk_lit_int(2))}, *rk[1] = {auk_col("k2")};
  auk_error err;
  CHECK(auk_lazy_join_on(l, r, 1, lk, rk, AUK_JOIN_INNER, NULL, &err) == AUK_OK);
  CHECK_STR(rows_text(l), "1|x|2|p;2|y|4|q;3|z|6|r;");
  CHECK_INT(auk_lazy_num_columns(l), 4);
  auk_lazy_free(l);
  /* plain column pairs behave as auk_lazy_join_opts (the key once) */
  l = lazy("k,a\n1,x\n2,y\n");
  r = lazy("k,b\n2,p\n");
  auk_expr *lk2[1] = {auk_col("k")}, *rk2[1] = {auk_col("k")};
  CHECK(auk_lazy_join_on(l, r, 1, lk2, rk2, AUK_JOIN_LEFT, NULL, &err) == AUK_OK);
  CHECK_STR(rows_text(l), "1|x|null;2|y|p;");
  /* a key that does not bind leaves the frame as it was */
  auk_expr *bad[1] = {auk_col("nope")}, *rk3[1] = {auk_col("k")};
  CHECK(auk_lazy_join_on(l, lazy("k\n1\n"), 1, bad, rk3, AUK_JOIN_INNER, NULL, &err) ==
        AUK_ERR_NOT_FOUND);
  CHECK_INT(auk_lazy_num_columns(l), 3);
  auk_lazy_free(l);
}

/* A join whose left side is a file scan reads it narrowed to the right
 * side's key range (row groups skipped, rows dropped while parsed); the
 * rows must be those of the same join over the data in memory. */
static void bounded_scan(void) {
  char *text = malloc(20000 * 24 + 16);
  size_t w = (size_t)sprintf(text, "k,v\n");
  for (int i = 0; i < 20000; i++) w += (size_t)sprintf(text + w, "%d,v%d\n", i, i % 7);
  auk_frame *f = NULL;
  auk_error err;
  CHECK(!auk_read_csv_buffer(text, w, "k.csv", NULL, &f, &err));
  const char *pq = "/tmp/auk_test_join_bounded.parquet", *cs = "/tmp/auk_test_join_bounded.csv";
  auk_parquet_write_options o;
  auk_parquet_write_options_init(&o);
  o.row_group_rows = 2000;
  CHECK(!auk_write_parquet(f, pq, &o, &err));
  FILE *fp = fopen(cs, "w");
  if (fp) {
    fwrite(text, 1, w, fp);
    fclose(fp);
  }
  free(text);
  const char *right = "k,b\n5000,p\n5001,q\n9999,r\n123456,s\n5000,t\n";
  auk_join_type hows[] = {AUK_JOIN_INNER, AUK_JOIN_SEMI, AUK_JOIN_RIGHT, AUK_JOIN_LEFT};
  const char *on[] = {"k"};
  for (int src = 0; src < 3; src++)
    for (int h = 0; h < 4; h++) {
      auk_lazy *l = NULL;
      if (src == 0)
        CHECK(!auk_scan_parquet(pq, &l, &err));
      else if (src == 1)
        CHECK(!auk_scan_csv(cs, NULL, &l, &err));
      else
        CHECK(!auk_frame_lazy(f, &l, &err));
      if (!l) continue;
      CHECK(!auk_lazy_join(l, lazy(right), 1, on, on, hows[h], NULL, &err));
      auk_expr *keys[] = {auk_col("k")};
      CHECK(!auk_lazy_sort(l, 1, keys, NULL, NULL, &err));
      auk_frame *got = NULL;
      CHECK(!auk_lazy_collect(l, &got, &err));
      auk_lazy_free(l);
      int64_t want[] = {4, 3, 5, 20001}; /* 5000 matches twice */
      CHECK_INT(got ? auk_frame_num_rows(got) : -1, want[h]);
      auk_frame_free(got);
    }
  /* a right side whose batch is a slice (an offset into its buffers): the
   * key range must be read at the offset (rows 9999 and 12000, not 1 and
   * 9999) */
  auk_frame *rf = NULL, *sl = NULL;
  const char *rt = "k,b\n1,a\n9999,b\n12000,c\n";
  CHECK(!auk_read_csv_buffer(rt, strlen(rt), "r.csv", NULL, &rf, &err));
  CHECK(rf && !auk_frame_slice(rf, 1, 2, &sl, &err));
  auk_lazy *l = NULL, *r = NULL;
  CHECK(!auk_scan_parquet(pq, &l, &err));
  CHECK(sl && !auk_frame_lazy(sl, &r, &err));
  if (l && r) {
    CHECK(!auk_lazy_join(l, r, 1, on, on, AUK_JOIN_INNER, NULL, &err));
    CHECK_STR(rows_text(l), "9999|v3|b;12000|v2|c;");
  }
  auk_lazy_free(l);
  auk_frame_free(sl);
  auk_frame_free(rf);
  remove(pq);
  remove(cs);
  auk_frame_free(f);
}

int main(void) {
  decimal_keys();
  bounded_scan();
  expression_keys();
  types();
  make_wide();
  wide();
  out_of_memory();
  auk_frame_free(wide_l);
  auk_frame_free(wide_r);
  optimizer();
  options();
  swapped();
  cross();
  concat();
  edges();
  big(1);
  big(2);
  return check_done();
}
