/* sql.h - the SQL front end: text -> tokens (lexer.c) -> syntax tree
 * (parser.c, ast.h) -> auk_lazy plans (lower_*.c) run by the same engine
 * as the DataFrame API; statements (run.c) change the catalog. */
#ifndef AUK_SQL_SQL_H
#define AUK_SQL_SQL_H
#include "auk.h"

#include <stddef.h>

/* Runs the statement starting at text + start (see auk_sql_next); error
 * positions are counted from text. *consumed: bytes taken from start. */
auk_status sql_run_next(auk_db *db, const char *text, size_t start, size_t *consumed,
                        auk_frame **out, auk_error *err);
/* Plans one query. */
auk_status sql_plan_query(auk_db *db, const char *sql, auk_lazy **out, auk_error *err);

#endif
