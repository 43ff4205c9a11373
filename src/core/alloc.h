/* alloc.h - every byte of data auk holds is counted against one budget.
 * Past the budget an allocation fails with AUK_ERR_OUT_OF_MEMORY and a
 * message naming the sizes; nothing aborts. Small bookkeeping structs use
 * the same calls so that the count stays honest. */
#ifndef AUK_CORE_ALLOC_H
#define AUK_CORE_ALLOC_H

#include "auk.h"

#include <stddef.h>

/* Returns n bytes (64-byte aligned) or NULL with err set. n == 0 gives a
 * valid unique pointer. Free with auk_mem_free(p, n). */
void *auk_mem_alloc(size_t n, auk_error *err);
/* Like auk_mem_alloc but zero-filled. */
void *auk_mem_calloc(size_t n, auk_error *err);
/* Resizes a block from old_n to new_n bytes; on failure the old block is
 * untouched and NULL is returned with err set. */
void *auk_mem_realloc(void *p, size_t old_n, size_t new_n, auk_error *err);
void auk_mem_free(void *p, size_t n);
/* Counts bytes held outside auk_mem_alloc (e.g. a decompressed file held by
 * zlib's output) against the budget; negative n returns them. */
auk_status auk_mem_reserve(int64_t n, auk_error *err);
/* Duplicates a NUL-terminated string on the budget (free with auk_str_free). */
char *auk_str_dup(const char *s, auk_error *err);
void auk_str_free(char *s);

#endif
