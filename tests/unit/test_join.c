/* Unit tests of joins: every join type with duplicate keys on both sides,
 * null keys (never matching), no matches, empty inputs, two keys of mixed
 * types with integer/float widening, suffixes for clashing names, and an
 * incompatible key pair. Expected rows are written out by hand. */
#include "auk.h"
#include "check.h"

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

int main(void) {
  types();
  edges();
  big(1);
  big(2);
  return check_done();
}
