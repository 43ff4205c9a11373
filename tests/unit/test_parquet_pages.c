/* Page-index pruning: queries whose filters the page index narrows
 * (alltypes_tiny_pages_plain.parquet: one row group of 7300 rows in 5713
 * pages, written by parquet-mr with ColumnIndex and OffsetIndex;
 * int32_with_null_pages.parquet: pages of nulls only) give the same rows
 * as the same query over the file's rows in memory, where nothing is
 * pruned, and leave pages unread; every byte of a page index damaged in
 * turn gives an answer or an error naming the file. The Polars-written file of the
 * benchmark has page indexes too, but it is not shipped. */
#include "auk.h"
#include "check.h"
#include "io/parquet.h"
#include "parquet_util.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static void same_as_memory(auk_db *db, const char *file, const char *where, int expect_skips) {
  char q_file[2048], q_mem[2048];
  snprintf(q_file, sizeof q_file, "SELECT * FROM '%s/parquet-testing/%s' WHERE %s", AUK_SHARED_DATA,
           file, where);
  snprintf(q_mem, sizeof q_mem, "SELECT * FROM mem WHERE %s", where);
  auk_error err;
  auk_frame *mem_all = NULL, *a = NULL, *b = NULL;
  char path[1024];
  snprintf(path, sizeof path, "%s/parquet-testing/%s", AUK_SHARED_DATA, file);
  CHECK_INT(auk_read_parquet(path, NULL, &mem_all, &err), AUK_OK);
  CHECK_INT(auk_db_register(db, "mem", mem_all, &err), AUK_OK);
  int64_t before = pq_pages_skipped();
  CHECK_INT(auk_sql(db, q_file, &a, &err), AUK_OK);
  int64_t skipped = pq_pages_skipped() - before;
  CHECK_INT(auk_sql(db, q_mem, &b, &err), AUK_OK);
  if (a && b) same_frames(b, a, where);
  if (expect_skips && skipped == 0) fprintf(stderr, "no page skipped for: %s\n", where);
  if (expect_skips)
    CHECK(skipped > 0);
  else
    CHECK_INT(skipped, 0);
  auk_frame_free(a);
  auk_frame_free(b);
  auk_frame_free(mem_all);
}

/* Every byte of a file's page index changed in turn: a filtered query
 * either answers or fails naming the file, never crashes (ASan); a damaged
 * index can at worst narrow what is read, as statistics do. */
static void damaged_index(auk_db *db, const char *file) {
  char path[1024], tmp[] = "/tmp/auk-pq-index-XXXXXX.parquet";
  snprintf(path, sizeof path, "%s/parquet-testing/%s", AUK_SHARED_DATA, file);
  size_t len;
  char *bytes = slurp(path, &len);
  CHECK(bytes != NULL);
  pq_file f;
  auk_error err;
  if (!bytes || pq_file_open(&f, path, &err)) {
    free(bytes);
    return;
  }
  int64_t lo = INT64_MAX, hi = 0;
  for (int g = 0; g < f.meta.nrgs; g++)
    for (int c = 0; c < f.meta.rgs[g].ncols; c++) {
      const pq_chunk *ch = &f.meta.rgs[g].cols[c];
      if (ch->oi_length > 0 && ch->oi_offset < lo) lo = ch->oi_offset;
      if (ch->ci_length > 0 && ch->ci_offset < lo) lo = ch->ci_offset;
      if (ch->oi_length > 0 && ch->oi_offset + ch->oi_length > hi)
        hi = ch->oi_offset + ch->oi_length;
      if (ch->ci_length > 0 && ch->ci_offset + ch->ci_length > hi)
        hi = ch->ci_offset + ch->ci_length;
    }
  pq_file_close(&f);
  CHECK(lo < hi && hi <= (int64_t)len);
  int fd = mkstemps(tmp, 8);
  CHECK(fd >= 0);
  if (fd >= 0) close(fd);
  char q[2048];
  snprintf(q, sizeof q, "SELECT count(*) FROM '%s' WHERE int32_field > 0", tmp);
  int answered = 0;
  for (int64_t at = lo; fd >= 0 && at < hi && at < (int64_t)len; at++) {
    char *copy = malloc(len);
    memcpy(copy, bytes, len);
    copy[at] ^= (char)(at % 3 ? 0x5a : 0xff);
    FILE *fp = fopen(tmp, "wb");
    fwrite(copy, 1, len, fp);
    fclose(fp);
    free(copy);
    auk_frame *r = NULL;
    if (auk_sql(db, q, &r, &err) == AUK_OK)
      answered++;
    else
      CHECK_CONTAINS(err.message, tmp);
    auk_frame_free(r);
  }
  CHECK(answered > 0);
  unlink(tmp);
  free(bytes);
}

int main(void) {
  struct stat st;
  char dir[600];
  snprintf(dir, sizeof dir, "%s/parquet-testing", AUK_SHARED_DATA);
  if (stat(dir, &st) != 0) {
    printf("skipped: %s is absent\n", dir);
    return 77;
  }
  auk_db *db;
  auk_error err;
  CHECK_INT(auk_db_open(&db, &err), AUK_OK);
  const char *tiny = "alltypes_tiny_pages_plain.parquet";
  /* narrowing filters, alone and together (the index of each column is
   * consulted; the ranges intersect), on integers, floats, strings */
  same_as_memory(db, tiny, "id < 100", 1);
  same_as_memory(db, tiny, "id BETWEEN 3000 AND 3050", 1);
  same_as_memory(db, tiny, "id = 7000", 1);
  same_as_memory(db, tiny, "id >= 7250", 1);
  same_as_memory(db, tiny, "id > 1000 AND id <= 1010 AND bigint_col >= 0", 1);
  same_as_memory(db, tiny, "month = 7 AND id > 4000", 1);
  same_as_memory(db, tiny, "date_string_col = '03/01/09'", 1);
  same_as_memory(db, tiny, "double_col < 1.0 AND id < 2000", 1);
  /* filters no page can be ruled out for, or that the index cannot judge */
  same_as_memory(db, tiny, "tinyint_col >= 0", 0);
  same_as_memory(db, tiny, "id + 1 < 100 OR string_col = '1'", 0);
  same_as_memory(db, tiny, "id > 9999", 0); /* ruled out by the row group's statistics */
  /* pages that hold only nulls fail every comparison */
  same_as_memory(db, "int32_with_null_pages.parquet", "int32_field > 0", 1);
  same_as_memory(db, "int32_with_null_pages.parquet", "int32_field < 1000000000", 1);
  damaged_index(db, "int32_with_null_pages.parquet");
  auk_db_close(db);
  return check_done();
}
