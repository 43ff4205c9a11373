/* sql_api.c - the public SQL entry points: argument checks and the loop
 * over statements; the work is in src/sql. */
#include "core/error.h"
#include "sql/sql.h"

#include <string.h>

#define LOCAL_ERR(err)  \
  auk_error local_err_; \
  if (!(err)) (err) = &local_err_;

auk_status auk_sql_next(auk_db *db, const char *sql, size_t *consumed, auk_frame **out,
                        auk_error *err) {
  LOCAL_ERR(err);
  if (out) *out = NULL;
  if (!db || !sql || !consumed)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "sql_next: NULL argument");
  *consumed = 0;
  return sql_run_next(db, sql, 0, consumed, out, err);
}

auk_status auk_sql(auk_db *db, const char *sql, auk_frame **out, auk_error *err) {
  LOCAL_ERR(err);
  if (out) *out = NULL;
  if (!db || !sql) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "sql: NULL argument");
  size_t pos = 0, len = strlen(sql);
  while (pos < len) {
    size_t used = 0;
    auk_frame *f = NULL;
    if (sql_run_next(db, sql, pos, &used, &f, err)) return err->code;
    if (f) {
      if (out) {
        auk_frame_free(*out);
        *out = f;
      } else {
        auk_frame_free(f);
      }
    }
    if (used == 0) break;
    pos += used;
  }
  return AUK_OK;
}

auk_status auk_sql_lazy(auk_db *db, const char *sql, auk_lazy **out, auk_error *err) {
  LOCAL_ERR(err);
  if (!db || !sql || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "sql_lazy: NULL argument");
  *out = NULL;
  return sql_plan_query(db, sql, out, err);
}
