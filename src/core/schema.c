/* schema.c - schemas and the "did you mean" hint for unknown names. */
#include "core/schema.h"

#include "core/alloc.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>

auk_schema *auk_schema_new(int n, auk_error *err) {
  auk_schema *s = auk_mem_alloc(sizeof *s, err);
  if (!s) return NULL;
  atomic_init(&s->refs, 1);
  s->nfields = n;
  s->fields = auk_mem_calloc(sizeof(auk_field) * (size_t)(n > 0 ? n : 1), err);
  if (!s->fields) {
    auk_mem_free(s, sizeof *s);
    return NULL;
  }
  return s;
}

auk_status auk_schema_set(auk_schema *s, int i, const char *name, auk_type_id type,
                          auk_error *err) {
  char *d = auk_str_dup(name, err);
  if (!d) return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  auk_str_free(s->fields[i].name);
  s->fields[i].name = d;
  s->fields[i].type = type;
  return AUK_OK;
}

auk_schema *auk_schema_copy(const auk_schema *src, auk_error *err) {
  auk_schema *s = auk_schema_new(src->nfields, err);
  if (!s) return NULL;
  for (int i = 0; i < src->nfields; i++) {
    if (auk_schema_set(s, i, src->fields[i].name, src->fields[i].type, err)) goto fail;
    if (src->fields[i].timezone &&
        !(s->fields[i].timezone = auk_str_dup(src->fields[i].timezone, err)))
      goto fail;
  }
  return s;
fail:
  auk_schema_release(s);
  return NULL;
}

int auk_schema_find(const auk_schema *s, const char *name) {
  for (int i = 0; i < s->nfields; i++)
    if (s->fields[i].name && !strcmp(s->fields[i].name, name)) return i;
  return -1;
}

void auk_schema_release(auk_schema *s) {
  if (!s) return;
  if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1) return;
  for (int i = 0; i < s->nfields; i++) {
    auk_str_free(s->fields[i].name);
    auk_str_free(s->fields[i].timezone);
  }
  auk_mem_free(s->fields, sizeof(auk_field) * (size_t)(s->nfields > 0 ? s->nfields : 1));
  auk_mem_free(s, sizeof *s);
}

const char *auk_field_type_name(const auk_field *f, char *buf, size_t cap) {
  if (f->type != AUK_TYPE_DATETIME || !f->timezone) return auk_type_name(f->type);
  snprintf(buf, cap, "datetime[μs, %s]", f->timezone);
  return buf;
}

/* Case-insensitive Levenshtein distance, capped at 64 characters. */
int auk_edit_distance(const char *a, const char *b) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  if (la > 64) la = 64;
  if (lb > 64) lb = 64;
  int prev[65], cur[65];
  for (int j = 0; j <= lb; j++) prev[j] = j;
  for (int i = 1; i <= la; i++) {
    cur[0] = i;
    for (int j = 1; j <= lb; j++) {
      int ca = a[i - 1] | 0x20, cb = b[j - 1] | 0x20;
      int sub = prev[j - 1] + (ca != cb);
      int del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
  }
  return prev[lb];
}

void auk_nearest_add(auk_nearest *n, const char *candidate) {
  int d = auk_edit_distance(n->name, candidate);
  if (d < n->dist) {
    n->dist = d;
    n->best = candidate;
  }
}

const char *auk_nearest_get(const auk_nearest *n) {
  int len = (int)strlen(n->name);
  return n->best && n->dist <= (len < 6 ? 2 : len / 3) ? n->best : NULL;
}

void auk_schema_suggest(const auk_schema *s, const char *name, char *msg, size_t cap) {
  auk_nearest near = auk_nearest_init(name);
  for (int i = 0; i < s->nfields; i++) auk_nearest_add(&near, s->fields[i].name);
  if (auk_nearest_get(&near)) {
    snprintf(msg, cap, "did you mean '%s'?", auk_nearest_get(&near));
    return;
  }
  size_t n = (size_t)snprintf(msg, cap, "columns are:");
  for (int i = 0; i < s->nfields && n < cap; i++)
    n += (size_t)snprintf(msg + n, cap - n, "%s '%s'", i ? "," : "", s->fields[i].name);
}
