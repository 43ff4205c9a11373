/* Dictionary-encoded string columns from Parquet (the group-by's keys):
 * every file of parquet-testing and crimes-2022-slim.parquet read with all
 * string columns kept dictionary-encoded decodes to the same values as the
 * plain read (or fails the same way); a file whose chunks are partly
 * dictionary-encoded and partly plain, with null keys, groups the same
 * from the file (codes) as from memory (strings), through the lazy API and
 * SQL, and in first-seen order; damaged files read in that mode give
 * errors, never a crash. */
#include "auk.h"
#include "check.h"
#include "core/array.h"
#include "core/frame.h"
#include "io/parquet.h"
#include "parquet_util.h"

#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_dir[256];
static int64_t dict_arrays, plain_string_arrays;

/* Reads path (all columns) plainly and with every string column allowed to
 * stay dictionary-encoded; both agree value by value. */
static int same_as_plain(const char *path) {
  pq_file f;
  auk_error err;
  if (pq_file_open(&f, path, &err)) return 0; /* bad files are test_parquet's */
  uint8_t dict[4096];
  memset(dict, 2, sizeof dict); /* any dictionary, however large */
  auk_frame *a = NULL, *b = NULL;
  auk_error ea, eb;
  pq_read_opts o = {-1, NULL, NULL, dict};
  auk_status sa = pq_file_read(&f, NULL, 0, NULL, &a, &ea);
  auk_status sb = f.ncols <= 4096 ? pq_file_read(&f, NULL, 0, &o, &b, &eb) : sa;
  pq_file_close(&f);
  CHECK_INT(sb, sa);
  if (sa || sb) {
    if (sa && sb) CHECK_STR(eb.message, ea.message);
    auk_frame_free(a);
    auk_frame_free(b);
    return 1;
  }
  CHECK_INT(b->nbatches, a->nbatches);
  int bad = 0;
  for (int64_t i = 0; i < a->nbatches && i < b->nbatches; i++)
    for (int c = 0; c < a->schema->nfields; c++) {
      auk_array *x = a->batches[i]->cols[c], *y = b->batches[i]->cols[c], *dec = NULL;
      CHECK(x->dict == NULL);
      if (y->dict) {
        dict_arrays++;
        CHECK(y->type == AUK_TYPE_STRING && y->null_count == 0 && !y->validity);
        y = dec = auk_array_dict_decode(y, &err);
        CHECK(dec != NULL);
        if (!dec) continue;
      } else if (y->type == AUK_TYPE_STRING) {
        plain_string_arrays++;
      }
      CHECK_INT(y->length, x->length);
      CHECK_INT(y->null_count, x->null_count);
      for (int64_t r = 0; r < x->length && r < y->length; r++) {
        int vx = auk_array_is_valid(x, r), vy = auk_array_is_valid(y, r);
        int same = vx == vy;
        if (same && vx && x->type == AUK_TYPE_STRING) {
          int64_t lx, ly;
          const char *px = auk_array_str(x, r, &lx), *py = auk_array_str(y, r, &ly);
          same = lx == ly && !memcmp(px, py, (size_t)lx);
        }
        if (!same && bad++ < 3)
          fprintf(stderr, "%s: batch %lld column %d row %lld differs\n", path, (long long)i, c,
                  (long long)r);
      }
      auk_array_release(dec);
    }
  CHECK_INT(bad, 0);
  auk_frame_free(a);
  auk_frame_free(b);
  return 1;
}

static void parquet_testing(void) {
  char dir[600], path[1200];
  snprintf(dir, sizeof dir, "%s/parquet-testing", AUK_SHARED_DATA);
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  if (!d) return;
  int files = 0;
  for (struct dirent *e; (e = readdir(d));) {
    size_t n = strlen(e->d_name);
    if (n < 8 || strcmp(e->d_name + n - 8, ".parquet")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    same_as_plain(path);
    files++;
  }
  closedir(d);
  CHECK(files > 30);
  snprintf(path, sizeof path, "%s/crimes-2022-slim.parquet", AUK_SHARED_DATA);
  CHECK(same_as_plain(path));
  /* the files hold dictionary-encoded and plain string chunks both */
  CHECK(dict_arrays >= 30);         /* 36 when written */
  CHECK(plain_string_arrays >= 20); /* 32 */
}

/* 9000 rows in three row groups: keys of few values with nulls in the
 * first two (dictionary-encoded chunks), distinct keys in the third
 * (written plain), and values v. */
static auk_frame *mixed_frame(void) {
  size_t cap = 1 << 20, len = 0;
  char *csv = malloc(cap);
  len += (size_t)snprintf(csv + len, cap - len, "k,v\n");
  for (int i = 0; i < 9000; i++) {
    if (i < 6000 && i % 7 == 3)
      len += (size_t)snprintf(csv + len, cap - len, ",%d\n", i);
    else if (i < 6000)
      len += (size_t)snprintf(csv + len, cap - len, "key%d%s,%d\n", (i * 31) % 13,
                              i % 5 ? "" : "-a-long-key-past-sixteen-bytes", i);
    else
      len += (size_t)snprintf(csv + len, cap - len, "u%d,%d\n", i % 4000, i);
  }
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv_buffer(csv, len, "mixed.csv", &o, &f, &err))
    fprintf(stderr, "%s\n", err.message);
  free(csv);
  return f;
}

static auk_frame *group(auk_lazy *lf, int two_keys) {
  auk_expr *keys[2] = {auk_col("k"), auk_alias(auk_mod(auk_col("v"), auk_lit_int(3)), "m")};
  auk_expr *aggs[4] = {auk_alias(auk_sum(auk_col("v")), "s"), auk_alias(auk_len(), "n"),
                       auk_alias(auk_first(auk_col("v")), "f"),
                       auk_alias(auk_max(auk_col("v")), "x")};
  if (!two_keys) auk_expr_free(keys[1]);
  auk_error err;
  auk_frame *out = NULL;
  if (auk_lazy_group_by(lf, two_keys ? 2 : 1, keys, 4, aggs, 1, &err) ||
      auk_lazy_collect(lf, &out, &err))
    fprintf(stderr, "group: %s\n", err.message);
  auk_lazy_free(lf);
  return out;
}

static void group_by_from_file(void) {
  auk_frame *mem = mixed_frame();
  CHECK(mem != NULL);
  if (!mem) return;
  char path[600];
  snprintf(path, sizeof path, "%s/mixed.parquet", tmp_dir);
  auk_parquet_write_options wo;
  auk_parquet_write_options_init(&wo);
  wo.row_group_rows = 3000;
  auk_error err;
  CHECK_INT(auk_write_parquet(mem, path, &wo, &err), AUK_OK);
  /* the file is what the test needs: chunks of both kinds */
  int64_t before_d = dict_arrays, before_p = plain_string_arrays;
  CHECK(same_as_plain(path));
  CHECK(dict_arrays > before_d);
  CHECK(plain_string_arrays > before_p);
  for (int two = 0; two < 2; two++) {
    auk_lazy *lm, *lp;
    CHECK_INT(auk_frame_lazy(mem, &lm, &err), AUK_OK);
    CHECK_INT(auk_scan_parquet(path, &lp, &err), AUK_OK);
    auk_frame *gm = group(lm, two), *gp = group(lp, two);
    CHECK(gm && gp);
    if (gm && gp) {
      CHECK_INT(auk_frame_num_rows(gm), two ? 3000 + 3 * 27 : 3000 + 27);
      same_frames(gm, gp, two ? "two keys" : "one key");
    }
    auk_frame_free(gm);
    auk_frame_free(gp);
  }
  /* SQL: the key alone (codes), the key also read by an aggregate (plain),
   * and a filter below the group-by (plain) */
  const char *qs[] = {
      "SELECT k, sum(v) s, count(*) n, min(v) lo FROM %s GROUP BY k",
      "SELECT k, count(k) c, max(k) mk, sum(v) s FROM %s GROUP BY k",
      "SELECT k AS kk, avg(v) a FROM (SELECT v, k FROM %s) GROUP BY kk",
      "SELECT k, sum(v) s FROM %s WHERE v > 100 GROUP BY k",
  };
  auk_db *db;
  CHECK_INT(auk_db_open(&db, &err), AUK_OK);
  CHECK_INT(auk_db_register(db, "mem", mem, &err), AUK_OK);
  for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
    char qf[1400], qm[1400];
    char quoted[700];
    snprintf(quoted, sizeof quoted, "'%s'", path);
    snprintf(qf, sizeof qf, qs[i], quoted);
    snprintf(qm, sizeof qm, qs[i], "mem");
    auk_frame *a = NULL, *b = NULL;
    CHECK_INT(auk_sql(db, qm, &a, &err), AUK_OK);
    CHECK_INT(auk_sql(db, qf, &b, &err), AUK_OK);
    if (a && b) same_frames(a, b, qs[i]);
    auk_frame_free(a);
    auk_frame_free(b);
  }
  /* out of memory anywhere in the read or the group-by is an error, never
   * a crash or a leak (ASan), and the budget comes back */
  char q[1400];
  snprintf(q, sizeof q, "SELECT k, sum(v) FROM '%s' GROUP BY k", path);
  int64_t base = (int64_t)auk_memory_used();
  int oom = 0, ok = 0;
  for (int64_t room = 16 << 10; room <= (8 << 20); room += room / 2) {
    auk_set_memory_limit((uint64_t)(base + room));
    auk_frame *r = NULL;
    auk_status st = auk_sql(db, q, &r, &err);
    auk_set_memory_limit(0);
    if (st == AUK_ERR_OUT_OF_MEMORY)
      oom++;
    else if (st == AUK_OK)
      ok++;
    else
      CHECK_INT(st, AUK_OK);
    auk_frame_free(r);
    CHECK_INT(auk_memory_used(), base);
  }
  CHECK(oom > 0 && ok > 0);
  auk_db_close(db);
  auk_frame_free(mem);
  unlink(path);
}

/* Bytes of a small dictionary-encoded file changed one at a time: read in
 * dictionary mode each gives a result or an error naming the file. */
static void damaged(void) {
  auk_frame *mem = mixed_frame();
  if (!mem) return;
  auk_frame *head = NULL;
  auk_error err;
  CHECK_INT(auk_frame_slice(mem, 0, 500, &head, &err), AUK_OK);
  char path[600];
  snprintf(path, sizeof path, "%s/small.parquet", tmp_dir);
  CHECK_INT(auk_write_parquet(head, path, NULL, &err), AUK_OK);
  size_t len;
  char *bytes = slurp(path, &len);
  CHECK(bytes && len > 100);
  uint8_t dict[2] = {1, 1};
  int errors = 0;
  for (size_t at = 4; bytes && at + 8 < len; at++) {
    char *copy = malloc(len);
    memcpy(copy, bytes, len);
    copy[at] ^= (char)(at % 2 ? 0x5a : 0xff);
    pq_file f;
    if (pq_file_open_memory(&f, copy, len, "damaged.parquet", &err) == AUK_OK) {
      auk_frame *out = NULL;
      pq_read_opts o = {-1, NULL, NULL, f.ncols <= 2 ? dict : NULL};
      if (pq_file_read(&f, NULL, 0, &o, &out, &err)) {
        CHECK_CONTAINS(err.message, "damaged.parquet");
        errors++;
      }
      auk_frame_free(out);
      pq_file_close(&f);
    }
    free(copy);
  }
  CHECK(errors > 0);
  free(bytes);
  auk_frame_free(head);
  auk_frame_free(mem);
  unlink(path);
}

int main(void) {
  snprintf(tmp_dir, sizeof tmp_dir, "/tmp/auk-test-pqdict-XXXXXX");
  if (!mkdtemp(tmp_dir)) return 1;
  group_by_from_file();
  damaged();
  struct stat st;
  char dir[600];
  snprintf(dir, sizeof dir, "%s/parquet-testing", AUK_SHARED_DATA);
  if (stat(dir, &st) == 0)
    parquet_testing();
  else
    printf("skipped the shared data: %s is absent\n", dir);
  rmdir(tmp_dir);
  return check_done();
}
