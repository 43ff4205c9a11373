/* test_sql.c - the SQL front end through the public API: the catalog
 * shared with frames, statement by statement execution, SQL's null rules
 * where they differ from the DataFrame API's, joins and subqueries,
 * statements that change the catalog (and leave it unchanged when they
 * fail), and errors that point at the place in the query. Expected values
 * are worked out by hand from the SQL standard's rules (and agree with
 * DuckDB's behaviour); the TPC-H files run in test_tpch. */
#include "auk.h"
#include "check.h"

#include <stdio.h>
#include <unistd.h>

static auk_db *db;

/* The rows of a query as "a|b\nc|d" (NULL as NULL). */
static const char *rows(const char *sql) {
  static char out[8192];
  auk_error err;
  auk_frame *f = NULL;
  if (auk_sql(db, sql, &f, &err)) {
    snprintf(out, sizeof out, "ERROR: %s", err.message);
    return out;
  }
  size_t n = 0;
  out[0] = 0;
  for (int64_t r = 0; f && r < auk_frame_num_rows(f); r++) {
    for (int c = 0; c < auk_frame_num_columns(f); c++) {
      char cell[256];
      int is_null = 0;
      auk_frame_format_cell(f, c, r, cell, sizeof cell, &is_null, NULL);
      n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", c ? "|" : (r ? "\n" : ""),
                            is_null ? "NULL" : cell);
    }
  }
  auk_frame_free(f);
  return out;
}

static void ok(const char *sql) {
  auk_error err;
  auk_status st = auk_sql(db, sql, NULL, &err);
  if (st) fprintf(stderr, "statement failed: %s\n  %s\n", sql, err.message);
  CHECK(st == AUK_OK);
}

/* The statement fails with code and a message containing `part`. */
static void fails(const char *sql, auk_status code, const char *part) {
  auk_error err;
  auk_status st = auk_sql(db, sql, NULL, &err);
  if (st != code || !strstr(err.message, part))
    fprintf(stderr, "expected error %d containing '%s' from: %s\n  got %d: %s\n", code, part, sql,
            st, st ? err.message : "");
  CHECK(st == code && strstr(err.message, part));
}

static void test_basics(void) {
  CHECK_STR(rows("SELECT 1 + 2 AS a, 'x' || 'y', 7 / 2, 7 // 2, -3 % 2"), "3|xy|3.5|3|-1");
  CHECK_STR(rows("SELECT NULL || 'x', 1 = NULL, NULL IS NULL, 2 BETWEEN 1 AND 3"),
            "NULL|NULL|true|true");
  CHECK_STR(
      rows("SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END, CASE WHEN false THEN 1 END"),
      "two|NULL");
  CHECK_STR(rows("SELECT CAST('12' AS INTEGER) + 1, '3'::BIGINT * 2, TRY_CAST('x' AS INT)"),
            "13|6|NULL");
  /* SQL rounds floats cast to integers (half away from zero); narrow
   * integer literals broadcast (a cast to SMALLINT once recursed forever) */
  CHECK_STR(
      rows("SELECT CAST(3.7 AS INT), CAST(-3.5 AS INT), CAST(2.5 AS BIGINT), CAST(7 AS SMALLINT), "
           "CAST(-7 AS TINYINT), CAST(300 AS USMALLINT)"),
      "4|-4|3|7|-7|300");
  CHECK_STR(rows("SELECT CAST(avg(x) AS INT) FROM (VALUES (1), (2)) t(x)"), "2");
  /* integer abs; // truncates as in DuckDB (so a // b * b + a % b = a);
   * text is cast without surrounding blanks */
  CHECK_STR(
      rows("SELECT abs(-3), -7 // 2, 7 // -2, -6 // 2, -7 // 2 * 2 + -7 % 2, CAST('  42 ' AS INT)"),
      "3|-3|-3|-3|-7|42");
  CHECK_STR(rows("SELECT count(*) FROM (VALUES (1)) t(x) WHERE NULL IN (SELECT 1)"), "0");
  CHECK_STR(
      rows("SELECT DATE '2024-03-31' + INTERVAL 1 MONTH, DATE '2024-01-10' - INTERVAL '9' DAY"),
      "2024-04-30|2024-01-01");
  CHECK_STR(
      rows("SELECT extract(year FROM DATE '2021-07-04'), date_part('month', DATE '2021-07-04')"),
      "2021|7");
  /* weekday/dayofweek/dow count from Sunday = 0 as in DuckDB; isodow from Monday = 1 */
  CHECK_STR(rows("SELECT weekday(DATE '2024-01-07'), dayofweek(DATE '2024-01-08'), "
                 "extract(dow FROM DATE '2024-01-07'), isodow(DATE '2024-01-07')"),
            "0|1|0|7");
  CHECK_STR(
      rows("SELECT NULL IS DISTINCT FROM NULL, 1 IS DISTINCT FROM NULL, 2 IS NOT DISTINCT FROM 2"),
      "false|true|true");
  CHECK_STR(rows("SELECT 3 IN (1, 2, NULL), 1 IN (1, NULL), 3 NOT IN (1, 2)"), "NULL|true|true");
  CHECK_STR(rows("SELECT nullif(1, 1), nullif(2, 1), coalesce(NULL, NULL, 5), greatest(1, 7, 3)"),
            "NULL|2|5|7");
  CHECK_STR(rows("VALUES (1, 'a'), (2, NULL) ORDER BY 1 DESC"), "2|NULL\n1|a");
  /* string and math functions under their SQL names */
  CHECK_STR(
      rows("SELECT ltrim('  ab ') || '|', rtrim('  ab ') || '|', reverse('añb'), repeat('ab', 3), "
           "left('hello', 2), right('hello', 3), left('hello', -1), lpad('7', 3, '0'), "
           "rpad('ab', 5, 'xy'), lpad('hello', 2, '*')"),
      "ab ||  ab||bña|ababab|he|llo|hell|007|abxyx|he");
  CHECK_STR(
      rows("SELECT regexp_replace('a1b22c', '[0-9]+', '#'), regexp_replace('a1b22c', '[0-9]+', "
           "'#', 'g'), "
           "regexp_replace('ABC', 'b', '_', 'gi'), regexp_replace('x-y', '(\\w)-(\\w)', '$2-$1'), "
           "strpos('hello', 'll'), strpos('héllo', 'l'), strpos('x', 'z')"),
      "a#b22c|a#b#c|A_C|y-x|3|3|0");
  CHECK_STR(rows("SELECT isnan('nan'::DOUBLE), isnan(1.0), isinf(-'inf'::DOUBLE), isfinite(2), "
                 "isfinite('nan'::DOUBLE), isnan(NULL)"),
            "true|false|true|true|false|NULL");
  CHECK_STR(rows("SELECT sign(-3.5), sign(0), sign(NULL), round(pi(), 3), log10(1000), log2(8)"),
            "-1|0|NULL|3.142|3.0|3.0");
  CHECK_STR(rows("SELECT reverse(NULL), lpad(NULL, 3, 'x'), strpos(NULL, 'a')"), "NULL|NULL|NULL");
  CHECK_STR(rows("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(n, s) WHERE s = 'b'"), "2|b");
  /* constant folding of a date function and a constant NULL predicate
   * (both crashed once) */
  CHECK_STR(rows("SELECT date_trunc('month', DATE '2021-03-04')"), "2021-03-01");
  CHECK_STR(rows("SELECT count(*) FROM (VALUES (1), (2)) t(a) WHERE NULL"), "0");
}

/* Long chains stay flat: 3000 UNION ALL / UNION branches and VALUES rows
 * (a 150-branch UNION ALL once overflowed the stack in the executor). */
static void test_long_chains(void) {
  static char sql[200000];
  for (int kind = 0; kind < 3; kind++) {
    size_t n = (size_t)snprintf(sql, sizeof sql, "SELECT count(*), sum(x) FROM (%s",
                                kind == 2 ? "VALUES " : "");
    for (int i = 0; i < 3000; i++) {
      if (kind == 2)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s(%d)", i ? ", " : "", i % 100);
      else
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%sSELECT %d AS x",
                              i ? (kind ? " UNION " : " UNION ALL ") : "", i % 100);
    }
    snprintf(sql + n, sizeof sql - n, ")%s", kind == 2 ? " t(x)" : "");
    CHECK_STR(rows(sql), kind == 1 ? "100|4950" : "3000|148500");
  }
}

static void test_tables(void) {
  ok("CREATE TABLE t (k INTEGER, v DOUBLE, s VARCHAR)");
  ok("INSERT INTO t VALUES (1, 1.5, 'a'), (2, NULL, 'b'), (1, 2.5, NULL), (NULL, 4.0, 'c')");
  ok("INSERT INTO t (s, k) VALUES ('d', 3)");
  CHECK_STR(rows("SELECT count(*), count(v), count(DISTINCT k), sum(v) FROM t"), "5|3|3|8.0");
  CHECK_STR(rows("SELECT k, sum(v) AS sv, count(*) AS n FROM t GROUP BY k ORDER BY k NULLS FIRST"),
            "NULL|4.0|1\n1|4.0|2\n2|NULL|1\n3|NULL|1");
  CHECK_STR(rows("SELECT k, count(*) FROM t GROUP BY 1 HAVING count(*) > 1"), "1|2");
  CHECK_STR(rows("SELECT k, count(*) AS n FROM t GROUP BY 1 HAVING n > 1"), "1|2"); /* alias */
  CHECK_STR(rows("SELECT sum(v) FROM t WHERE k > 100"), "NULL");
  CHECK_STR(rows("SELECT k + 1 AS k1 FROM t GROUP BY k1 ORDER BY k1 DESC LIMIT 2"), "4\n3");
  CHECK_STR(rows("SELECT s FROM t ORDER BY v DESC NULLS LAST, s LIMIT 2 OFFSET 1"), "NULL\na");
  CHECK_STR(rows("SELECT DISTINCT k FROM t WHERE k IS NOT NULL ORDER BY k"), "1\n2\n3");
  /* ordering by a column that is not selected */
  CHECK_STR(rows("SELECT s FROM t WHERE v IS NOT NULL ORDER BY v DESC"), "c\nNULL\na");
  fails("SELECT k, v FROM t GROUP BY k", AUK_ERR_INVALID_ARGUMENT, "must appear in the GROUP BY");
  fails("SELECT sum(sum(v)) FROM t", AUK_ERR_INVALID_ARGUMENT, "nested");
  fails("SELECT * FROM t WHERE sum(v) > 1", AUK_ERR_INVALID_ARGUMENT, "not allowed here");

  /* views see later changes; DROP checks kinds */
  ok("CREATE VIEW big AS SELECT * FROM t WHERE v > 2");
  CHECK_STR(rows("SELECT count(*) FROM big"), "2");
  ok("INSERT INTO t SELECT 9, 9.0, 'z'");
  CHECK_STR(rows("SELECT count(*) FROM big"), "3");
  fails("DROP TABLE big", AUK_ERR_INVALID_ARGUMENT, "is a view");
  fails("CREATE TABLE t AS SELECT 1", AUK_ERR_INVALID_ARGUMENT, "already exists");
  ok("CREATE OR REPLACE TABLE u AS SELECT k, s FROM t WHERE k = 1");
  CHECK_STR(rows("SHOW TABLES"), "big\nt\nu");
  CHECK_STR(rows("DESCRIBE u"), "k|i32|YES\ns|str|YES");
  /* a failed INSERT leaves the table as it was */
  fails("INSERT INTO t VALUES (1, 2)", AUK_ERR_INVALID_ARGUMENT, "2 values for 3 columns");
  fails("INSERT INTO t VALUES ('x', 1, 'y')", AUK_ERR_PARSE, "cannot cast 'x' to i32");
  CHECK_STR(rows("SELECT count(*) FROM t"), "6");
  /* UPDATE and DELETE (NULL conditions count as false; floats round into integers) */
  ok("CREATE TABLE ud AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (NULL, 'c')) v(k, s)");
  ok("UPDATE ud SET s = upper(s), k = k * 10 + 0.6 WHERE k >= 2");
  ok("DELETE FROM ud WHERE k = 1");
  CHECK_STR(rows("SELECT k, s FROM ud ORDER BY s"), "21|B\nNULL|c");
  fails("DELETE FROM big", AUK_ERR_INVALID_ARGUMENT, "cannot change view");
  ok("DROP VIEW big");
  ok("DROP TABLE IF EXISTS nothing_here");
  fails("DROP TABLE nothing_here", AUK_ERR_NOT_FOUND, "unknown table 'nothing_here'");
}

static void test_joins(void) {
  ok("CREATE TABLE a AS SELECT * FROM (VALUES (1, 'a1'), (2, 'a2'), (NULL, 'an'), (2, 'a2b')) "
     "x(id, av)");
  ok("CREATE TABLE b AS SELECT * FROM (VALUES (2, 'b2'), (3, 'b3'), (NULL, 'bn')) x(id, bv)");
  CHECK_STR(rows("SELECT a.av, b.bv FROM a JOIN b ON a.id = b.id ORDER BY 1"), "a2|b2\na2b|b2");
  CHECK_STR(rows("SELECT av, bv, b.id FROM a LEFT JOIN b ON a.id = b.id ORDER BY av"),
            "a1|NULL|NULL\na2|b2|2\na2b|b2|2\nan|NULL|NULL");
  CHECK_STR(rows("SELECT id, av, bv FROM a FULL JOIN b USING (id) ORDER BY av NULLS LAST, bv"),
            "1|a1|NULL\n2|a2|b2\n2|a2b|b2\nNULL|an|NULL\n3|NULL|b3\nNULL|NULL|bn");
  CHECK_STR(rows("SELECT count(*) FROM a, b WHERE a.id = b.id"), "2");
  CHECK_STR(rows("SELECT av FROM a WHERE id IN (SELECT id FROM b) ORDER BY av"), "a2\na2b");
  /* NOT IN with a NULL in the subquery keeps no row */
  CHECK_STR(rows("SELECT count(*) FROM a WHERE id NOT IN (SELECT id FROM b)"), "0");
  CHECK_STR(rows("SELECT av FROM a WHERE id NOT IN (SELECT id FROM b WHERE id IS NOT NULL)"), "a1");
  CHECK_STR(rows("SELECT av FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.id = a.id) ORDER BY av"),
            "a2\na2b");
  CHECK_STR(
      rows("SELECT av FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.id = a.id) ORDER BY av"),
      "a1\nan");
  /* a correlated comparison other than '=' beside the equality (TPC-H Q21) */
  ok("CREATE TABLE e AS SELECT * FROM (VALUES (1, 1), (1, 2), (2, 5), (3, NULL)) v(k, x)");
  ok("CREATE TABLE o AS SELECT * FROM (VALUES (1, 1), (2, 5), (2, 4), (3, 1), (4, 1)) v(k, y)");
  CHECK_STR(rows("SELECT k, y FROM o WHERE EXISTS (SELECT * FROM e WHERE e.k = o.k AND e.x <> o.y) "
                 "ORDER BY k"),
            "1|1\n2|4");
  CHECK_STR(rows("SELECT k, y FROM o WHERE EXISTS (SELECT * FROM e WHERE o.y < e.x AND e.k = o.k) "
                 "ORDER BY k"),
            "1|1\n2|4");
  CHECK_STR(
      rows("SELECT k FROM o WHERE NOT EXISTS (SELECT * FROM e WHERE e.k = o.k AND e.x >= o.y) "
           "ORDER BY k"),
      "3\n4");
  fails("SELECT k FROM o WHERE EXISTS (SELECT * FROM e WHERE e.x <> o.y)", AUK_ERR_UNSUPPORTED,
        "with an equality");
  CHECK_STR(rows("SELECT av, (SELECT count(*) FROM b WHERE b.id = a.id) AS n FROM a ORDER BY av"),
            "a1|0\na2|1\na2b|1\nan|0");
  CHECK_STR(rows("SELECT av FROM a WHERE id = (SELECT max(id) FROM b WHERE id < 3)"), "a2\na2b");
  CHECK_STR(rows("WITH m AS (SELECT id, count(*) AS n FROM a GROUP BY id) "
                 "SELECT id FROM m WHERE n > 1"),
            "2");
  CHECK_STR(rows("SELECT id FROM a UNION SELECT id FROM b ORDER BY 1 NULLS FIRST"),
            "NULL\n1\n2\n3");
  CHECK_STR(rows("SELECT count(*) FROM (SELECT id FROM a UNION ALL SELECT id FROM b)"), "7");
  /* set operations match NULL with NULL */
  CHECK_STR(rows("SELECT id FROM a INTERSECT SELECT id FROM b ORDER BY 1"), "2\nNULL");
  CHECK_STR(rows("SELECT id FROM a WHERE id IS NOT NULL EXCEPT SELECT id FROM b ORDER BY 1"), "1");
  fails("SELECT id FROM a JOIN b ON a.id = b.id", AUK_ERR_INVALID_ARGUMENT, "ambiguous");
}

static void test_errors(void) {
  auk_error err;
  /* the caret sits under the unknown name, on its line */
  CHECK(auk_sql(db, "SELECT k,\n  vv FROM t", NULL, &err) == AUK_ERR_NOT_FOUND);
  CHECK(strstr(err.message, "unknown column 'vv' (did you mean 'v'?) at line 2, column 3"));
  CHECK(strstr(err.message, "\n    vv FROM t\n    ^"));
  fails("SELECT * FROM tt", AUK_ERR_NOT_FOUND, "unknown table 'tt' (did you mean 't'?)");
  fails("SELECT * FROM t WHERE", AUK_ERR_PARSE, "expected an expression, found the end");
  fails("SELECT 'abc FROM t", AUK_ERR_PARSE, "unterminated string at line 1, column 8");
  fails("SELEC 1", AUK_ERR_PARSE, "expected a statement");
  fails("SELECT x.k FROM t", AUK_ERR_NOT_FOUND, "unknown table or alias 'x'");
  fails("SELECT 1 FROM t ORDER BY 5", AUK_ERR_INVALID_ARGUMENT, "ORDER BY position 5");
  fails("SELECT * FROM read_csv('/nonexistent/file.csv')", AUK_ERR_NOT_FOUND,
        "/nonexistent/file.csv");
  fails("SELECT 1 UNION SELECT 1, 2", AUK_ERR_INVALID_ARGUMENT, "1 and 2 columns");
  fails("SELECT unknown_fn(1)", AUK_ERR_NOT_FOUND, "unknown function 'unknown_fn'");
  /* nesting is bounded (the parser and the layers below recurse) */
  static char deep[4096];
  size_t dn = (size_t)snprintf(deep, sizeof deep, "SELECT ");
  for (int i = 0; i < 250; i++) deep[dn++] = '(';
  deep[dn++] = '1';
  for (int i = 0; i < 250; i++) deep[dn++] = ')';
  deep[dn] = 0;
  fails(deep, AUK_ERR_PARSE, "nests too deeply");
  /* type errors point at the expression in the query, in SQL's terms */
  CHECK(auk_sql(db, "SELECT k FROM t\nWHERE s > 5", NULL, &err) == AUK_ERR_TYPE);
  CHECK(strstr(err.message, "cannot combine str and i64 at line 2, column 7"));
  CHECK(!strstr(err.message, "#")); /* no internal column names */
  fails("SELECT sum(s) FROM t", AUK_ERR_TYPE,
        "sum needs a numeric argument, not str at line 1, column 8");
  fails("SELECT k FROM t ORDER BY s + 1", AUK_ERR_TYPE, "at line 1, column 26");
  fails("SELECT k FROM t WHERE k", AUK_ERR_TYPE, "must be boolean; this one is i32, not bool");
}

static void test_statements_api(void) {
  /* auk_sql_next: one statement at a time */
  const char *text = "SELECT 1; ; -- nothing\nSELECT 2 AS two;";
  size_t used = 0;
  auk_frame *f = NULL;
  auk_error err;
  CHECK(auk_sql_next(db, text, &used, &f, &err) == AUK_OK);
  CHECK_INT(used, 9);
  CHECK(f && auk_frame_num_rows(f) == 1);
  auk_frame_free(f);
  CHECK(auk_sql_next(db, text + used, &used, &f, &err) == AUK_OK);
  CHECK(f == NULL);
  CHECK(auk_sql_is_complete("SELECT 1;"));
  CHECK(auk_sql_is_complete("SELECT ';' ; -- done"));
  CHECK(!auk_sql_is_complete("SELECT 1"));
  CHECK(!auk_sql_is_complete("SELECT ';"));
  CHECK(!auk_sql_is_complete("SELECT 1; /* open"));
  /* frames registered through the API are tables; results are frames */
  auk_frame *g;
  CHECK(auk_sql(db, "SELECT * FROM (VALUES (10), (20)) v(x)", &g, &err) == AUK_OK);
  CHECK(auk_db_register(db, "from_api", g, &err) == AUK_OK);
  auk_frame_free(g);
  CHECK_STR(rows("SELECT sum(x) FROM from_api"), "30");
  auk_lazy *lf;
  CHECK(auk_sql_lazy(db, "SELECT x * 2 AS y FROM from_api WHERE x > 10", &lf, &err) == AUK_OK);
  CHECK(auk_db_register_view(db, "api_view", lf, &err) == AUK_OK);
  auk_lazy_free(lf);
  CHECK_STR(rows("SELECT y FROM api_view"), "40");
  int views = 0;
  for (int i = 0; i < auk_db_num_tables(db); i++) views += auk_db_table_is_view(db, i);
  CHECK_INT(views, 1);
  CHECK(auk_db_drop(db, "API_VIEW", &err) == AUK_OK); /* names ignore case */
  CHECK(auk_db_drop(db, "api_view", &err) == AUK_ERR_NOT_FOUND);
  /* window ranks through the lazy API: rows keep their order */
  CHECK(auk_sql_lazy(db, "SELECT * FROM (VALUES (1, 5), (1, 7), (2, 1), (1, 7)) v(g, x)", &lf,
                     &err) == AUK_OK);
  auk_expr *part[1] = {auk_col("g")}, *ord[1] = {auk_col("x")};
  int desc[1] = {1};
  CHECK(auk_lazy_window(lf, "r", AUK_WIN_RANK, NULL, 0, NULL, 1, part, 1, ord, desc, NULL, &err) ==
        AUK_OK);
  CHECK(auk_lazy_window(lf, "r", AUK_WIN_DENSE_RANK, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, NULL,
                        &err) == AUK_ERR_INVALID_ARGUMENT); /* the name is taken */
  CHECK(auk_lazy_window(lf, "s", AUK_WIN_SUM, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, &err) ==
        AUK_ERR_INVALID_ARGUMENT); /* a sum needs its argument */
  auk_frame *ranks;
  CHECK(auk_lazy_collect(lf, &ranks, &err) == AUK_OK);
  CHECK(auk_db_register(db, "ranks", ranks, &err) == AUK_OK);
  auk_frame_free(ranks);
  auk_lazy_free(lf);
  CHECK_STR(rows("SELECT r FROM ranks"), "3\n1\n1\n1");
  /* a row_number() kept up to k becomes a top-k per group below the window */
  {
    auk_frame *plan = NULL;
    CHECK(
        auk_sql(db,
                "EXPLAIN SELECT * FROM (SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v "
                "DESC) AS rn FROM (VALUES (1, 2.0), (1, 3.0), (2, 1.0)) t(k, v)) s WHERE rn <= 1",
                &plan, &err) == AUK_OK);
    int found = 0;
    for (int64_t r = 0; plan && r < auk_frame_num_rows(plan); r++) {
      char line[512];
      auk_frame_format_cell(plan, 0, r, line, sizeof line, NULL, NULL);
      found |=
          strstr(line, "UNIQUE keep=first") != NULL || strstr(line, "HEAD 1 PER GROUP") != NULL;
    }
    CHECK(found);
    auk_frame_free(plan);
    CHECK_STR(
        rows("SELECT k, v FROM (SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v DESC) "
             "AS rn FROM (VALUES (1, 2.0), (1, 3.0), (2, 1.0), (2, 1.0)) t(k, v)) s WHERE rn <= 1 "
             "ORDER BY k"),
        "1|3.0\n2|1.0");
  }
  /* COPY to CSV and Parquet and back */
  char csv[256], pq[256];
  snprintf(csv, sizeof csv, "/tmp/auk_test_sql_%d.csv", (int)getpid());
  snprintf(pq, sizeof pq, "/tmp/auk_test_sql_%d.parquet", (int)getpid());
  char sql[1024];
  snprintf(sql, sizeof sql,
           "COPY (SELECT k, s FROM t WHERE k IS NOT NULL ORDER BY k, s) TO '%s' (HEADER)", csv);
  ok(sql);
  snprintf(sql, sizeof sql, "COPY t TO '%s' (FORMAT parquet, COMPRESSION zstd)", pq);
  ok(sql);
  snprintf(sql, sizeof sql, "SELECT count(*), sum(k) FROM '%s'", csv);
  CHECK_STR(rows(sql), "5|16");
  snprintf(sql, sizeof sql, "SELECT count(*), sum(v) FROM read_parquet('%s')", pq);
  CHECK_STR(rows(sql), "6|17.0");
  ok("CREATE TABLE t2 (k INTEGER, s VARCHAR)");
  snprintf(sql, sizeof sql, "COPY t2 FROM '%s' (HEADER true)", csv);
  ok(sql);
  CHECK_STR(rows("SELECT count(*), max(s) FROM t2"), "5|z");
  unlink(csv);
  unlink(pq);
  CHECK_STR(rows("EXPLAIN SELECT k FROM t WHERE k > 1")[0] ? "plan" : "", "plan");
  CHECK_STR(rows("SUMMARIZE t")[0] != 'E' ? "ok" : rows("SUMMARIZE t"), "ok");
  ok("SET threads = 1");
  CHECK_INT(auk_get_threads(), 1);
  ok("SET threads = 0");
  /* an interrupt request before a query is cleared when it starts */
  auk_interrupt();
  CHECK_STR(rows("SELECT 5"), "5");
}

int main(void) {
  for (int threads = 1; threads <= 2; threads++) {
    auk_set_threads(threads);
    auk_error err;
    CHECK(auk_db_open(&db, &err) == AUK_OK);
    test_basics();
    test_long_chains();
    test_tables();
    test_joins();
    test_errors();
    test_statements_api();
    auk_db_close(db);
  }
  auk_set_threads(0);
  return check_done();
}
