/* Unit tests of src/core: arrays and slices, bitmaps, the string builder,
 * schemas and the "did you mean" hint, the memory budget, sizes, status
 * names, the calendar, decimals (type ids, names, parsing, rescaling,
 * text), and the thread pool. */
#include "auk.h"
#include "check.h"
#include "core/alloc.h"
#include "core/array.h"
#include "core/datetime.h"
#include "core/decimal.h"
#include "core/hash.h"
#include "core/types.h"
#include "core/pool.h"
#include "core/schema.h"

#include <math.h>
#include <stdatomic.h>

static void arrays(void) {
  auk_error err;
  auk_array *a = auk_array_new_fixed(AUK_TYPE_INT64, 100, &err);
  CHECK(a != NULL);
  int64_t *v = auk_array_data(a);
  for (int i = 0; i < 100; i++) v[i] = i * 10;
  CHECK(auk_array_add_validity(a, &err) == AUK_OK);
  auk_bit_clear(a->validity->data, 50);
  a->null_count = 1;
  auk_array *s = auk_array_slice(a, 40, 20, &err);
  CHECK_INT(s->length, 20);
  CHECK_INT(s->null_count, 1);
  CHECK(!auk_array_is_valid(s, 10));
  CHECK(auk_array_is_valid(s, 9));
  CHECK_INT(((int64_t *)auk_array_data(s))[s->offset + 9], 490);
  CHECK(s->values == a->values);                     /* zero-copy */
  auk_array *s2 = auk_array_slice(a, 90, 100, &err); /* clamped */
  CHECK_INT(s2->length, 10);
  CHECK_INT(s2->null_count, 0);
  /* the integer range reads at the slice's offset and skips nulls */
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  auk_array_int_range(s, &lo, &hi);
  CHECK_INT(lo, 400);
  CHECK_INT(hi, 590);
  auk_array *u = auk_array_new_fixed(AUK_TYPE_UINT8, 3, &err);
  CHECK(u != NULL);
  uint8_t *uv = auk_array_data(u);
  uv[0] = 7, uv[1] = 200, uv[2] = 255; /* unsigned: not -56 and -1 */
  auk_array_int_range(u, &lo, &hi);
  CHECK_INT(lo, 7);
  CHECK_INT(hi, 590);
  lo = INT64_MAX, hi = INT64_MIN;
  auk_array_int_range(u, &lo, &hi);
  CHECK_INT(hi, 255);
  auk_array_release(u);
  auk_array_release(a);
  CHECK_INT(((int64_t *)auk_array_data(s))[s->offset + 0], 400); /* still alive */
  auk_array_release(s);
  auk_array_release(s2);

  /* without nulls the range is read four lanes at a time and a tail: the
   * smallest and largest value at every position of lengths 1..11 */
  int range_ok = 1;
  for (int len = 1; len <= 11; len++)
    for (int at = 0; at < len; at++) {
      auk_array *r = auk_array_new_fixed(AUK_TYPE_INT64, len, &err);
      if (!r) {
        range_ok = 0;
        break;
      }
      int64_t *rv = auk_array_data(r);
      for (int i = 0; i < len; i++) rv[i] = 10 + i % 3;
      rv[at] = -5;
      rv[len - 1 - at] = 99; /* (the same position when at is the middle) */
      int64_t want_lo = INT64_MAX, want_hi = INT64_MIN; /* the plain loop */
      for (int i = 0; i < len; i++) {
        want_lo = rv[i] < want_lo ? rv[i] : want_lo;
        want_hi = rv[i] > want_hi ? rv[i] : want_hi;
      }
      lo = INT64_MAX, hi = INT64_MIN;
      auk_array_int_range(r, &lo, &hi);
      range_ok &= lo == want_lo && hi == want_hi && (len == 1 || want_hi == 99);
      auk_array_release(r);
    }
  CHECK(range_ok);

  uint8_t bits[20] = {0};
  for (int i = 0; i < 160; i += 3) auk_bit_set(bits, i);
  CHECK_INT(auk_bitmap_count(bits, 0, 160), 54);
  CHECK_INT(auk_bitmap_count(bits, 5, 100), 33);

  auk_string_builder sb;
  CHECK(auk_string_builder_init(&sb, 1, 1, &err) == AUK_OK);
  for (int i = 0; i < 1000; i++) {
    if (i % 10 == 0)
      auk_string_builder_append_null(&sb, &err);
    else
      auk_string_builder_append(&sb, "hello", i % 6, &err);
  }
  auk_array *str = auk_string_builder_finish(&sb, &err);
  CHECK_INT(str->length, 1000);
  CHECK_INT(str->null_count, 100);
  int64_t len;
  const char *p = auk_array_str(str, 5, &len);
  CHECK_INT(len, 5);
  CHECK(!memcmp(p, "hello", 5));
  CHECK(!auk_array_is_valid(str, 990));
  CHECK(auk_array_is_valid(str, 991));
  auk_array_release(str);
}

static void schemas(void) {
  auk_error err;
  auk_schema *s = auk_schema_new(3, &err);
  auk_schema_set(s, 0, "Primary Type", AUK_TYPE_STRING, &err);
  auk_schema_set(s, 1, "Arrest", AUK_TYPE_BOOL, &err);
  auk_schema_set(s, 2, "Community Area", AUK_TYPE_INT64, &err);
  CHECK_INT(auk_schema_find(s, "Arrest"), 1);
  CHECK_INT(auk_schema_find(s, "arrest"), -1);
  char msg[256];
  auk_schema_suggest(s, "Primary_Type", msg, sizeof msg);
  CHECK_STR(msg, "did you mean 'Primary Type'?");
  auk_schema_suggest(s, "zzzzzzzzzzzz", msg, sizeof msg);
  CHECK_CONTAINS(msg, "columns are: 'Primary Type', 'Arrest', 'Community Area'");
  auk_schema_release(s);
}

static void budget(void) {
  auk_error err;
  uint64_t before = auk_memory_used();
  auk_set_memory_limit(before + 4096);
  void *p = auk_mem_alloc(1 << 20, &err);
  CHECK(p == NULL);
  CHECK_INT(err.code, AUK_ERR_OUT_OF_MEMORY);
  CHECK_CONTAINS(err.message, "memory limit");
  CHECK_INT(auk_memory_used(), before);
  auk_set_memory_limit(0);
  p = auk_mem_alloc(1 << 20, &err);
  CHECK(p != NULL);
  CHECK_INT(auk_memory_used(), before + (1 << 20));
  auk_mem_free(p, 1 << 20);
  CHECK_INT(auk_memory_used(), before);
  uint64_t v;
  CHECK(auk_parse_size("512MB", &v, &err) == AUK_OK && v == 512000000ull);
  CHECK(auk_parse_size("2GiB", &v, &err) == AUK_OK && v == (2ull << 30));
  CHECK(auk_parse_size("1.5k", &v, &err) == AUK_OK && v == 1536);
  CHECK(auk_parse_size("12 parsecs", &v, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK_STR(auk_status_name(AUK_ERR_OUT_OF_MEMORY), "out of memory");
  CHECK_STR(auk_status_name(AUK_OK), "ok");
  auk_type_id t;
  CHECK(auk_type_parse("BIGINT", &t, &err) == AUK_OK && t == AUK_TYPE_INT64);
  CHECK(auk_type_parse("nope", &t, &err) != AUK_OK);
  CHECK_STR(auk_type_name(AUK_TYPE_FLOAT64), "f64");
}

static void calendar(void) {
  CHECK_INT(auk_days_from_civil(1970, 1, 1), 0);
  CHECK_INT(auk_days_from_civil(2000, 3, 1), 11017);
  CHECK_INT(auk_days_from_civil(1969, 12, 31), -1);
  int bad = 0;
  for (int64_t d = -800000; d <= 800000; d += 7) {
    int64_t y;
    int m, dd;
    auk_civil_from_days(d, &y, &m, &dd);
    bad += auk_days_from_civil(y, m, dd) != d;
  }
  CHECK_INT(bad, 0);
  int32_t days;
  CHECK(auk_parse_date("2024-02-29", 10, &days));
  CHECK(!auk_parse_date("2023-02-29", 10, &days));
  CHECK(!auk_parse_date("2022-02-30", 10, &days));
  CHECK(!auk_parse_date("2022-13-01", 10, &days));
  int64_t us;
  CHECK(auk_parse_datetime("2022-09-16 21:30:00", 19, &us));
  char buf[40];
  auk_format_datetime(us, buf);
  CHECK_STR(buf, "2022-09-16 21:30:00");
  CHECK(auk_parse_datetime("1969-12-31T23:59:59.5", 21, &us));
  CHECK_INT(us, -500000);
  auk_format_datetime(us, buf);
  CHECK_STR(buf, "1969-12-31 23:59:59.500000");
  CHECK(!auk_parse_datetime("2022-09-16 25:00:00", 19, &us));
  CHECK(!auk_parse_datetime("2022-09-16 21:30:00.", 20, &us));
  /* offsets give UTC instants */
  int64_t base;
  CHECK(auk_parse_datetime("2022-06-01 10:30:00", 19, &base));
  CHECK(auk_parse_datetime_tz("2022-06-01 12:30:00+02:00", 25, &us) && us == base);
  CHECK(auk_parse_datetime_tz("2022-06-01T12:30:00+0200", 24, &us) && us == base);
  CHECK(auk_parse_datetime_tz("2022-06-01 10:30:00Z", 20, &us) && us == base);
  CHECK(auk_parse_datetime_tz("2022-06-01 09:30:00-01", 22, &us) && us == base);
  CHECK(!auk_parse_datetime_tz("2022-06-01 10:30:00", 19, &us));
  CHECK(!auk_parse_datetime_tz("2022-06-01 10:30:00+25:00", 25, &us));
  CHECK(!auk_parse_datetime_tz("2022-06-01Z", 11, &us));
  auk_format_date(-1, buf);
  CHECK_STR(buf, "1969-12-31");
}

static _Atomic int hits[10000];
static _Atomic int max_worker;

/* Decimal type ids pack precision and scale; names, parsing, widths; the
 * exact text parser and printer; rescaling with rounding half away from
 * zero and overflow; storage-based hashing treats them as int64. */
static void decimals(void) {
  auk_error err;
  auk_type_id t = AUK_DECIMAL(15, 2);
  CHECK(auk_type_is_decimal(t));
  CHECK_INT(auk_type_base(t), AUK_TYPE_DECIMAL);
  CHECK_INT(auk_decimal_precision(t), 15);
  CHECK_INT(auk_decimal_scale(t), 2);
  CHECK_INT(auk_type_width(t), 8);
  CHECK_INT(auk_type_storage(t), AUK_TYPE_INT64);
  CHECK(!auk_type_is_integer(t) && !auk_type_is_numeric(t) && !auk_type_is_float(t));
  CHECK(t != AUK_TYPE_COUNT_ && !auk_type_is_decimal(AUK_TYPE_COUNT_));
  CHECK_STR(auk_type_name(t), "decimal(15,2)");
  CHECK_STR(auk_type_name(AUK_DECIMAL(18, 18)), "decimal(18,18)");
  CHECK_STR(auk_type_name(AUK_DECIMAL(19, 2)), "?"); /* not a type auk stores */
  CHECK_STR(auk_type_name(AUK_TYPE_DECIMAL), "?");   /* the bare id needs parameters */
  CHECK(auk_type_parse("decimal(10,3)", &t, &err) == AUK_OK && t == AUK_DECIMAL(10, 3));
  CHECK(auk_type_parse("DECIMAL( 7 , 0 )", &t, &err) == AUK_OK && t == AUK_DECIMAL(7, 0));
  CHECK(auk_type_parse("numeric(4)", &t, &err) == AUK_OK && t == AUK_DECIMAL(4, 0));
  CHECK(auk_type_parse("decimal", &t, &err) == AUK_OK && t == AUK_DECIMAL(18, 3));
  CHECK(auk_type_parse("NUMERIC", &t, &err) == AUK_OK && t == AUK_DECIMAL(18, 3));
  CHECK(auk_type_parse("decimal(19,2)", &t, &err) == AUK_ERR_INVALID_ARGUMENT);
  CHECK_CONTAINS(err.message, "decimal(19,2)");
  CHECK(auk_type_parse("decimal(4,5)", &t, &err) != AUK_OK);
  CHECK(auk_type_parse("decimal(0)", &t, &err) != AUK_OK);
  CHECK(auk_type_parse("decimal(4,2", &t, &err) != AUK_OK);
  CHECK(auk_type_parse("decimal(a)", &t, &err) != AUK_OK);
  /* every name parses back */
  for (int p = 1; p <= 18; p++)
    for (int sc = 0; sc <= p; sc++) {
      auk_type_id back;
      CHECK(auk_type_parse(auk_type_name(AUK_DECIMAL(p, sc)), &back, &err) == AUK_OK &&
            back == AUK_DECIMAL(p, sc));
    }
  /* text -> unscaled */
  struct {
    const char *text;
    int p, s;
    int ok;
    int64_t v;
  } cases[] = {
      {"123.45", 10, 2, 1, 12345},
      {"1.005", 4, 2, 1, 101},
      {"-1.005", 4, 2, 1, -101},
      {"1.0049999", 4, 2, 1, 100},
      {"0.5", 3, 0, 1, 1},
      {"-0.5", 3, 0, 1, -1},
      {"0.4", 3, 0, 1, 0},
      {".5", 3, 1, 1, 5},
      {"5.", 3, 1, 1, 50},
      {"+7", 3, 1, 1, 70},
      {" 12.5 ", 4, 1, 1, 125},
      {"1e2", 5, 1, 1, 1000},
      {"1.5E-1", 5, 2, 1, 15},
      {"-0", 3, 1, 1, 0},
      {"000000000000000000000001.5", 3, 1, 1, 15},
      {"999999999999999999", 18, 0, 1, INT64_C(999999999999999999)},
      {"-999999999999999999", 18, 0, 1, -INT64_C(999999999999999999)},
      {"0.123456789012345678", 18, 18, 1, INT64_C(123456789012345678)},
      {"0.1234567890123456789", 18, 18, 1, INT64_C(123456789012345679)},
      {"1000000000000000000", 18, 0, 0, 0},
      {"99.95", 3, 1, 0, 0}, /* rounds to 100.0: past 3 digits */
      {"123.4", 3, 1, 0, 0},
      {"", 3, 1, 0, 0},
      {"-", 3, 1, 0, 0},
      {".", 3, 1, 0, 0},
      {"1.2.3", 5, 2, 0, 0},
      {"1,5", 5, 2, 0, 0},
      {"1e", 5, 2, 0, 0},
      {"abc", 5, 2, 0, 0},
      {"0x10", 5, 2, 0, 0},
      {"1e400", 5, 2, 0, 0},
      {"1e-400", 5, 2, 1, 0},
      {"12345678901234567890123", 18, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t v = -42;
    int ok = auk_decimal_parse(cases[i].text, (int64_t)strlen(cases[i].text), cases[i].p,
                               cases[i].s, &v);
    if (ok != cases[i].ok || (ok && v != cases[i].v))
      fprintf(stderr, "decimal parse '%s' (%d,%d): ok %d v %lld\n", cases[i].text, cases[i].p,
              cases[i].s, ok, (long long)v);
    CHECK(ok == cases[i].ok && (!ok || v == cases[i].v));
  }
  /* unscaled -> text: exactly s fraction digits */
  char buf[32];
  auk_decimal_format(150, 2, buf);
  CHECK_STR(buf, "1.50");
  auk_decimal_format(-5, 2, buf);
  CHECK_STR(buf, "-0.05");
  auk_decimal_format(0, 3, buf);
  CHECK_STR(buf, "0.000");
  auk_decimal_format(-7, 0, buf);
  CHECK_STR(buf, "-7");
  auk_decimal_format(-INT64_C(999999999999999999), 18, buf);
  CHECK_STR(buf, "-0.999999999999999999");
  auk_decimal_format(INT64_MIN, 4, buf);
  CHECK_STR(buf, "-922337203685477.5808");
  /* rescale: half away from zero down, overflow up */
  int64_t r;
  CHECK(auk_decimal_rescale(125, 2, 1, &r) && r == 13);
  CHECK(auk_decimal_rescale(-125, 2, 1, &r) && r == -13);
  CHECK(auk_decimal_rescale(124, 2, 1, &r) && r == 12);
  CHECK(auk_decimal_rescale(-149, 2, 0, &r) && r == -1);
  CHECK(auk_decimal_rescale(-150, 2, 0, &r) && r == -2);
  CHECK(auk_decimal_rescale(INT64_MAX, 18, 0, &r) && r == 9);
  CHECK(!auk_decimal_rescale(INT64_MAX, 0, 18, &r));
  CHECK(auk_decimal_rescale(12, 1, 3, &r) && r == 1200);
  CHECK(!auk_decimal_rescale(INT64_C(100000000000), 0, 9, &r));
  CHECK(auk_decimal_rescale(0, 0, 30, &r) && r == 0);
  CHECK(!auk_decimal_rescale(1, 0, 30, &r));
  /* doubles */
  CHECK(auk_decimal_from_double(2.5, 3, 0, &r) && r == 3);
  CHECK(auk_decimal_from_double(-2.5, 3, 0, &r) && r == -3);
  CHECK(auk_decimal_from_double(1.005, 4, 2, &r) && r == 100); /* 1.00499999... */
  CHECK(!auk_decimal_from_double(1000, 3, 0, &r));
  CHECK(!auk_decimal_from_double(NAN, 3, 0, &r));
  CHECK(!auk_decimal_from_double(1e300, 18, 0, &r));
  CHECK(auk_decimal_to_double(12345, 2) == 123.45);
  /* the common type of two decimals (DuckDB's rule, capped at 18) */
  CHECK_INT(auk_decimal_common(AUK_DECIMAL(10, 2), AUK_DECIMAL(5, 4)), AUK_DECIMAL(12, 4));
  CHECK_INT(auk_decimal_common(AUK_DECIMAL(10, 2), AUK_TYPE_INT32), AUK_DECIMAL(12, 2));
  CHECK_INT(auk_decimal_common(AUK_DECIMAL(15, 2), AUK_TYPE_INT64), AUK_DECIMAL(18, 2));
  CHECK_INT(auk_decimal_common(AUK_DECIMAL(15, 2), AUK_TYPE_FLOAT32), AUK_TYPE_FLOAT64);
  CHECK_INT(auk_decimal_common(AUK_DECIMAL(15, 2), AUK_TYPE_STRING), AUK_TYPE_COUNT_);
  /* storage operations: a decimal column hashes as its int64 values */
  auk_array *d = auk_array_new_fixed(AUK_DECIMAL(10, 2), 3, &err);
  auk_array *i = auk_array_new_fixed(AUK_TYPE_INT64, 3, &err);
  for (int k = 0; k < 3; k++)
    ((int64_t *)auk_array_data(d))[k] = ((int64_t *)auk_array_data(i))[k] = k * 1000 - 7;
  uint64_t hd[3], hi[3];
  auk_hash_column(d, hd, 0);
  auk_hash_column(i, hi, 0);
  CHECK(!memcmp(hd, hi, sizeof hd));
  CHECK(hd[0] != hd[1]);
  auk_array_release(d);
  auk_array_release(i);
}

static void task(void *ctx, int64_t i, int worker) {
  (void)ctx;
  atomic_fetch_add(&hits[i], 1);
  int m = atomic_load(&max_worker);
  while (worker > m && !atomic_compare_exchange_weak(&max_worker, &m, worker)) {
  }
}
static void nested(void *ctx, int64_t i, int worker) {
  (void)worker;
  (void)i;
  auk_pool_run(10, task, ctx); /* runs inline */
}

static void pool(void) {
  int threads[] = {1, 2, 4};
  for (int k = 0; k < 3; k++) {
    auk_set_threads(threads[k]);
    memset((void *)hits, 0, sizeof hits);
    atomic_store(&max_worker, 0);
    auk_pool_run(10000, task, NULL);
    int bad = 0;
    for (int i = 0; i < 10000; i++) bad += hits[i] != 1;
    CHECK_INT(bad, 0);
    CHECK(atomic_load(&max_worker) < threads[k]);
    CHECK_INT(auk_get_threads(), threads[k]);
  }
  memset((void *)hits, 0, sizeof hits);
  auk_pool_run(8, nested, NULL);
  int total = 0;
  for (int i = 0; i < 10; i++) total += hits[i];
  CHECK_INT(total, 80);
  auk_set_threads(0);
}

int main(void) {
  arrays();
  schemas();
  budget();
  calendar();
  decimals();
  pool();
  return check_done();
}
