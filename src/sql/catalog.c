/* catalog.c - the named tables and views of a database, in one array kept
 * sorted by name (case-insensitively), so SHOW TABLES and the shell's
 * .tables list them in order and lookups are a binary search. */
#include "sql/catalog.h"
#include "sql/sql.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/schema.h"

#include <string.h>
#include <strings.h>

static int find_pos(const auk_db *db, const char *name, int *found) {
  int lo = 0, hi = db->n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    int c = strcasecmp(db->entries[mid].name, name);
    if (c == 0) {
      *found = 1;
      return mid;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = 0;
  return lo;
}

catalog_entry *catalog_find(const auk_db *db, const char *name) {
  int found;
  int i = find_pos(db, name, &found);
  return found ? &db->entries[i] : NULL;
}

const char *catalog_suggest(const auk_db *db, const char *name) {
  auk_nearest near = auk_nearest_init(name);
  for (int i = 0; i < db->n; i++) auk_nearest_add(&near, db->entries[i].name);
  return auk_nearest_get(&near);
}

static void entry_clear(catalog_entry *e) {
  auk_frame_free(e->frame);
  auk_lazy_free(e->view);
  auk_str_free(e->sql);
  e->frame = NULL;
  e->view = NULL;
  e->sql = NULL;
}

auk_status catalog_put(auk_db *db, const char *name, auk_frame *frame, auk_lazy *view,
                       const char *sql, auk_error *err) {
  int found;
  int i = find_pos(db, name, &found);
  char *sql_copy = NULL;
  if (sql && !(sql_copy = auk_str_dup(sql, err))) goto fail;
  if (found) {
    entry_clear(&db->entries[i]);
    db->entries[i].frame = frame;
    db->entries[i].view = view;
    db->entries[i].sql = sql_copy;
    return AUK_OK;
  }
  char *copy = auk_str_dup(name, err);
  if (!copy) goto fail;
  if (db->n == db->cap) {
    int cap = db->cap ? db->cap * 2 : 16;
    catalog_entry *e =
        auk_mem_realloc(db->entries, sizeof *e * (size_t)db->cap, sizeof *e * (size_t)cap, err);
    if (!e) {
      auk_str_free(copy);
      goto fail;
    }
    db->entries = e;
    db->cap = cap;
  }
  memmove(&db->entries[i + 1], &db->entries[i], sizeof *db->entries * (size_t)(db->n - i));
  db->entries[i] = (catalog_entry){copy, frame, view, sql_copy};
  db->n++;
  return AUK_OK;
fail:
  auk_str_free(sql_copy);
  auk_frame_free(frame);
  auk_lazy_free(view);
  return err->code;
}

/* ------------------------------------------------------------ public API */

#define LOCAL_ERR(err)  \
  auk_error local_err_; \
  if (!(err)) (err) = &local_err_;

auk_status auk_db_open(auk_db **out, auk_error *err) {
  LOCAL_ERR(err);
  if (!out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "db_open: NULL argument");
  *out = auk_mem_calloc(sizeof **out, err);
  return *out ? AUK_OK : err->code;
}

void auk_db_close(auk_db *db) {
  if (!db) return;
  for (int i = 0; i < db->n; i++) {
    entry_clear(&db->entries[i]);
    auk_str_free(db->entries[i].name);
  }
  auk_mem_free(db->entries, sizeof *db->entries * (size_t)db->cap);
  auk_mem_free(db, sizeof *db);
}

auk_status auk_db_register(auk_db *db, const char *name, const auk_frame *frame, auk_error *err) {
  LOCAL_ERR(err);
  if (!db || !name || !frame)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "db_register: NULL argument");
  auk_frame *copy;
  if (auk_frame_slice(frame, 0, auk_frame_num_rows(frame), &copy, err)) return err->code;
  return catalog_put(db, name, copy, NULL, NULL, err);
}

auk_status auk_db_register_view(auk_db *db, const char *name, const auk_lazy *lf, auk_error *err) {
  LOCAL_ERR(err);
  if (!db || !name || !lf)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "db_register_view: NULL argument");
  auk_lazy *copy;
  if (auk_lazy_clone(lf, &copy, err)) return err->code;
  return catalog_put(db, name, NULL, copy, NULL, err);
}

auk_status auk_db_drop(auk_db *db, const char *name, auk_error *err) {
  LOCAL_ERR(err);
  if (!db || !name) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "db_drop: NULL argument");
  int found;
  int i = find_pos(db, name, &found);
  if (!found) return auk_error_set(err, AUK_ERR_NOT_FOUND, "no table or view named '%s'", name);
  entry_clear(&db->entries[i]);
  auk_str_free(db->entries[i].name);
  memmove(&db->entries[i], &db->entries[i + 1], sizeof *db->entries * (size_t)(db->n - i - 1));
  db->n--;
  return AUK_OK;
}

int auk_db_num_tables(const auk_db *db) {
  return db ? db->n : 0;
}

const char *auk_db_table_name(const auk_db *db, int i) {
  return db && i >= 0 && i < db->n ? db->entries[i].name : NULL;
}

int auk_db_table_is_view(const auk_db *db, int i) {
  return db && i >= 0 && i < db->n && !db->entries[i].frame;
}

auk_status auk_db_table(auk_db *db, const char *name, auk_lazy **out, auk_error *err) {
  LOCAL_ERR(err);
  if (!db || !name || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "db_table: NULL argument");
  *out = NULL;
  catalog_entry *e = catalog_find(db, name);
  if (!e) {
    const char *s = catalog_suggest(db, name);
    return auk_error_set(err, AUK_ERR_NOT_FOUND, "no table or view named '%s'%s%s%s", name,
                         s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
  }
  if (e->view) return auk_lazy_clone(e->view, out, err);
  if (e->sql) return sql_plan_query(db, e->sql, out, err);
  return auk_frame_lazy(e->frame, out, err);
}
