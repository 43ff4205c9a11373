/* schema.h - names and types of a batch's columns; refcounted, immutable
 * once built, shared by every batch of a frame. */
#ifndef AUK_CORE_SCHEMA_H
#define AUK_CORE_SCHEMA_H

#include "auk.h"

#include <stdatomic.h>

typedef struct auk_field {
  char *name;
  auk_type_id type;
  char *timezone; /* datetime only; NULL for none */
} auk_field;

typedef struct auk_schema {
  _Atomic int64_t refs;
  int nfields;
  auk_field *fields;
} auk_schema;

/* A schema of n fields with NULL names and null types, to be filled with
 * auk_schema_set. */
auk_schema *auk_schema_new(int n, auk_error *err);
auk_status auk_schema_set(auk_schema *s, int i, const char *name, auk_type_id type, auk_error *err);
auk_schema *auk_schema_copy(const auk_schema *s, auk_error *err);
int auk_schema_find(const auk_schema *s, const char *name);
static inline auk_schema *auk_schema_retain(auk_schema *s) {
  if (s) atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
  return s;
}
void auk_schema_release(auk_schema *s);
/* The type as people read it: "i64", or "datetime[μs, UTC]" with a zone. */
const char *auk_field_type_name(const auk_field *f, char *buf, size_t cap);
/* Levenshtein distance of a and b (case-insensitive; the first 64 bytes). */
int auk_edit_distance(const char *a, const char *b);
/* The candidate closest to a name, for "did you mean": offer each with
 * auk_nearest_add, then auk_nearest_get gives it, or NULL when it is not
 * close enough to suggest (2 edits for names under 6 bytes, else a third). */
typedef struct auk_nearest {
  const char *name, *best;
  int dist;
} auk_nearest;
static inline auk_nearest auk_nearest_init(const char *name) {
  return (auk_nearest){name, 0, 1 << 30};
}
void auk_nearest_add(auk_nearest *n, const char *candidate);
const char *auk_nearest_get(const auk_nearest *n);
/* Fills msg with "did you mean 'x'?" naming the field closest to `name`
 * (by edit distance), or the list of names when nothing is close. */
void auk_schema_suggest(const auk_schema *s, const char *name, char *msg, size_t cap);

#endif
