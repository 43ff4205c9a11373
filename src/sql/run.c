/* run.c - runs one SQL statement: parse, then plan and collect a query or
 * change the catalog. */
#include "core/error.h"
#include "sql/lexer.h"
#include "sql/sql.h"

auk_status sql_run_next(auk_db *db, const char *text, size_t start, size_t *consumed,
                        auk_frame **out, auk_error *err) {
  (void)db;
  (void)out;
  token_list toks;
  if (sql_lex(text, start, &toks, err)) return err->code;
  *consumed = toks.end - start;
  int empty = toks.toks[0].type == TOK_END || toks.toks[0].type == TOK_SEMI;
  size_t pos = toks.toks[0].pos;
  token_list_free(&toks);
  if (empty) return AUK_OK;
  return sql_error_at(err, AUK_ERR_UNSUPPORTED, text, pos, "SQL statements are not implemented yet");
}

auk_status sql_plan_query(auk_db *db, const char *sql, auk_lazy **out, auk_error *err) {
  (void)db;
  (void)out;
  return sql_error_at(err, AUK_ERR_UNSUPPORTED, sql, 0, "SQL statements are not implemented yet");
}
