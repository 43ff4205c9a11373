/* datetime.h - calendar arithmetic (proleptic Gregorian) and the text forms
 * of dates and datetimes that readers and writers share. */
#ifndef AUK_CORE_DATETIME_H
#define AUK_CORE_DATETIME_H

#include <stddef.h>
#include <stdint.h>

#define AUK_USEC_PER_DAY INT64_C(86400000000)

/* Days since 1970-01-01 of a civil date (month 1..12, day 1..31). */
int64_t auk_days_from_civil(int64_t y, int m, int d);
/* The civil date of a day number. */
void auk_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* Parses "YYYY-MM-DD" exactly (len bytes). Returns 1 on success. */
int auk_parse_date(const char *s, size_t len, int32_t *days);
/* Parses "YYYY-MM-DD[ T]HH:MM[:SS[.f{1,9}]]" (fractions past microseconds
 * truncated) or a bare date (midnight). Returns 1 on success. */
int auk_parse_datetime(const char *s, size_t len, int64_t *usec);

/* Parses a datetime as above followed by a UTC offset: "Z", "+HH:MM",
 * "+HHMM" or "+HH" (or "-"); *usec is the instant in UTC. Returns 1 on
 * success, 0 when there is no offset or the text is not such a datetime. */
int auk_parse_datetime_tz(const char *s, size_t len, int64_t *usec);

/* Writes "YYYY-MM-DD"; returns bytes written (buffer of 16 is enough). */
int auk_format_date(int32_t days, char *out);
/* Writes "YYYY-MM-DD HH:MM:SS[.ffffff]" (fraction only when non-zero);
 * returns bytes written (buffer of 32 is enough). */
int auk_format_datetime(int64_t usec, char *out);

#endif
