/* error.h - filling the caller-owned auk_error, and debug-only assertions.
 * Every fallible internal function takes an auk_error* (may be NULL) and
 * returns the status it stored. */
#ifndef AUK_CORE_ERROR_H
#define AUK_CORE_ERROR_H

#include "auk.h"

#include <assert.h>

#if defined(__GNUC__)
#define AUK_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define AUK_PRINTF(a, b)
#endif

/* Stores code and a formatted message in err (when not NULL); returns code. */
auk_status auk_error_set(auk_error *err, auk_status code, const char *fmt, ...) AUK_PRINTF(3, 4);
/* Prefixes the message already in err with formatted text (for context). */
void auk_error_prefix(auk_error *err, const char *fmt, ...) AUK_PRINTF(2, 3);
/* Clears err to AUK_OK with an empty message. */
void auk_error_clear(auk_error *err);
/* Appends `text` (len bytes) to buf as a quoted, escaped, length-capped
 * snippet for error messages: "abc\n…". */
void auk_error_quote(char *buf, size_t cap, const char *text, size_t len);

#define AUK_ASSERT(x) assert(x)

#endif
