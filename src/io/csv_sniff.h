/* csv_sniff.h - scalar scanning of single rows (header, sniffing). */
#ifndef AUK_IO_CSV_SNIFF_H
#define AUK_IO_CSV_SNIFF_H

#include "io/csv_internal.h"

typedef struct csv_span {
  int64_t s, e; /* absolute, quotes stripped */
  int quoted, escaped;
} csv_span;

typedef struct csv_row {
  csv_span *spans;
  int64_t n, cap;
} csv_row;

/* Splits the row at pos into spans; returns the next row's offset, or -1
 * on an allocation failure. Never fails on malformed text: sniffing is
 * lenient and the real parse reports problems. */
int64_t csv_scan_row(const uint8_t *data, int64_t len, int64_t pos, char delim, char quote,
                     csv_row *row, auk_error *err);
void csv_row_free(csv_row *r);
/* Offset after n rows (quote-aware) from pos. */
int64_t csv_skip_lines(const uint8_t *data, int64_t len, int64_t pos, int64_t n, char quote);
/* The delimiter among , ; tab | that splits the first lines consistently
 * into the most fields. */
char csv_detect_delimiter(const uint8_t *data, int64_t len, int64_t pos, char quote,
                          auk_error *err);

#endif
