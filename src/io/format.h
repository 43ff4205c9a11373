/* format.h - values as text, shared by the CSV writer, the table printer
 * and cell access: integers exactly, floats as the shortest text that reads
 * back to the same double, dates and datetimes in ISO form. */
#ifndef AUK_IO_FORMAT_H
#define AUK_IO_FORMAT_H

#include "core/array.h"

#include <stddef.h>

/* Longest text of a non-string value, with its NUL. */
#define AUK_FORMAT_MAX 48

int auk_format_int(int64_t v, char *out);
int auk_format_uint(uint64_t v, char *out);
/* Shortest round-trip form; integral values keep a ".0" so they read back
 * as floats. NaN and infinities as NaN, inf, -inf. */
int auk_format_double(double v, char *out);
/* As above but at float32 precision. */
int auk_format_float(float v, char *out);
/* Element i of a non-string array (valid) as text; returns its length. */
int auk_format_value(const auk_array *a, int64_t i, char *out);

#endif
