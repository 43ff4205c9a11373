/* catalog.h - the database's named tables and views. A table is a shared
 * frame; a view is a plan (an auk_lazy) run when queried. Names compare
 * case-insensitively and keep the spelling they were created with. */
#ifndef AUK_SQL_CATALOG_H
#define AUK_SQL_CATALOG_H
#include "auk.h"

typedef struct catalog_entry {
  char *name;
  auk_frame *frame; /* table, or NULL */
  auk_lazy *view;   /* view built through the API, or NULL */
  char *sql;        /* view created in SQL: its query text, planned when used */
} catalog_entry;

struct auk_db {
  int n, cap;
  catalog_entry *entries; /* sorted by name, case-insensitively */
};

/* The entry called name, or NULL. */
catalog_entry *catalog_find(const auk_db *db, const char *name);
/* The known name closest to name (for "did you mean"), or NULL. */
const char *catalog_suggest(const auk_db *db, const char *name);
/* Adds or replaces an entry; takes frame or view (one of the three
 * non-NULL); copies sql. */
auk_status catalog_put(auk_db *db, const char *name, auk_frame *frame, auk_lazy *view,
                       const char *sql, auk_error *err);

#endif
