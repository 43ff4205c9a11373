/* fuzz_sql.c - libFuzzer target for the SQL lexer, parser and planner.
 * The input is SQL text run statement by statement against a database
 * holding two small tables (so names resolve and the planner's joins,
 * subqueries and aggregations are reached); every statement is also
 * planned alone through auk_sql_lazy. Inputs mentioning COPY are only
 * planned, never run, so the fuzzer cannot write files. */
#include "auk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static auk_db *db;

static void setup(void) {
  auk_error err;
  if (auk_db_open(&db, &err)) abort();
  if (auk_sql(db,
              "CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a', 1.5, DATE '2024-01-02'), "
              "(2, NULL, NULL, NULL), (NULL, 'c', -2.0, DATE '1999-12-31')) v(k, s, x, d);"
              "CREATE TABLE u AS SELECT * FROM (VALUES (1, 10), (3, 30), (1, 11)) v(k, n);"
              "CREATE VIEW w AS SELECT k, count(*) AS c FROM u GROUP BY k;",
              NULL, &err))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!db) setup();
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = 0;
  auk_set_threads(size & 1 ? 2 : 1);
  int writes = 0;
  for (size_t i = 0; i + 4 <= size; i++)
    if (!strncasecmp(text + i, "copy", 4)) writes = 1;
  auk_error err;
  auk_lazy *lf = NULL;
  if (auk_sql_lazy(db, text, &lf, &err) == AUK_OK) {
    char *plan = NULL;
    if (auk_lazy_explain(lf, 1, &plan, &err) == AUK_OK) auk_free(plan);
    auk_lazy_free(lf);
  }
  if (!writes) {
    /* Changes stay in a database of its own, so inputs do not interfere. */
    auk_db *scratch;
    if (auk_db_open(&scratch, &err) == AUK_OK) {
      for (int i = 0; i < auk_db_num_tables(db); i++) {
        auk_lazy *src;
        auk_frame *f;
        if (auk_db_table(db, auk_db_table_name(db, i), &src, &err) == AUK_OK) {
          if (auk_lazy_collect(src, &f, &err) == AUK_OK) {
            auk_db_register(scratch, auk_db_table_name(db, i), f, &err);
            auk_frame_free(f);
          }
          auk_lazy_free(src);
        }
      }
      size_t pos = 0;
      while (pos < size) {
        size_t used = 0;
        auk_frame *out = NULL;
        auk_sql_next(scratch, text + pos, &used, &out, &err);
        auk_frame_free(out);
        if (used == 0) break;
        pos += used;
      }
      auk_db_close(scratch);
    }
  }
  free(text);
  return 0;
}
