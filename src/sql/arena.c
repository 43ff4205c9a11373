/* arena.c - a bump allocator for one statement's syntax tree: blocks on
 * the auk budget, freed together, so the parser never frees node by node
 * and an out-of-memory error midway leaks nothing. */
#include "core/alloc.h"
#include "core/error.h"
#include "sql/ast.h"

#include <string.h>

struct arena_block {
  arena_block *next;
  size_t cap, used;
  _Alignas(16) unsigned char data[];
};

void arena_init(arena *a, auk_error *err) {
  a->head = NULL;
  a->err = err;
  a->failed = 0;
}

void arena_free(arena *a) {
  arena_block *b = a->head;
  while (b) {
    arena_block *next = b->next;
    auk_mem_free(b, sizeof *b + b->cap);
    b = next;
  }
  a->head = NULL;
}

void *arena_alloc(arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  arena_block *b = a->head;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > 16384 ? n : 16384;
    b = auk_mem_alloc(sizeof *b + cap, a->err);
    if (!b) {
      a->failed = 1;
      return NULL;
    }
    b->cap = cap;
    b->used = 0;
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

char *arena_strdup(arena *a, const char *s) {
  size_t n = strlen(s) + 1;
  char *p = arena_alloc(a, n);
  if (p) memcpy(p, s, n);
  return p;
}
