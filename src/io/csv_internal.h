/* csv_internal.h - shared pieces of the CSV reader: the tokenizer's output
 * (field spans of a batch, column-major), issues found while tokenizing or
 * converting, and the type lattice used by inference.
 *
 * A field span is a pair of 32-bit offsets from the batch's base pointer.
 * The end offset's two top bits flag quoted fields and fields with doubled
 * quotes to undo, so a batch spans at most 1 GiB of text. */
#ifndef AUK_IO_CSV_INTERNAL_H
#define AUK_IO_CSV_INTERNAL_H

#include "auk.h"
#include "core/array.h"

#include <stdint.h>

#define CSV_QUOTED (1u << 31)
#define CSV_ESCAPED (1u << 30)
#define CSV_OFF_MASK ((1u << 30) - 1)
#define CSV_MAX_SPAN ((int64_t)1 << 30)

/* Inference and conversion know one type beyond the public ones:
 * datetimes written with a UTC offset, stored as AUK_TYPE_DATETIME in UTC
 * and typed datetime[μs, UTC]. */
#define CSV_TYPE_DATETIME_UTC ((auk_type_id)AUK_TYPE_COUNT_)
static inline auk_type_id csv_storage_type(auk_type_id t) {
  return t == CSV_TYPE_DATETIME_UTC ? AUK_TYPE_DATETIME : t;
}
/* Display name, knowing the internal type. */
static inline const char *csv_type_name(auk_type_id t) {
  return t == CSV_TYPE_DATETIME_UTC ? "datetime[μs, UTC]" : auk_type_name(t);
}

typedef struct csv_dialect {
  char delim;
  char quote; /* 0: none */
  int ncols;  /* fields per row */
  auk_ragged_mode ragged;
  int skip_blank; /* blank lines are skipped (when ncols > 1) */
} csv_dialect;

typedef enum {
  CSV_ISSUE_NONE = 0,
  CSV_ISSUE_TOO_FEW,      /* a row with fewer fields than the header */
  CSV_ISSUE_TOO_MANY,     /* a row with more */
  CSV_ISSUE_UNTERMINATED, /* a quoted field runs to the end of the data */
  CSV_ISSUE_AFTER_QUOTE,  /* text between a closing quote and the delimiter */
  CSV_ISSUE_ROW_TOO_LONG, /* one row spans more than 1 GiB */
  CSV_ISSUE_VALUE,        /* a value does not fit its column's type */
  CSV_ISSUE_UTF8,         /* invalid UTF-8 in a string */
} csv_issue_kind;

typedef struct csv_issue {
  csv_issue_kind kind;
  int64_t pos; /* absolute byte offset of the row or field */
  int col;     /* file column, -1 when not about one column */
  int count;   /* fields found, for ragged rows */
  int64_t len; /* length of the offending text at pos */
} csv_issue;

/* Field spans of up to cap rows of one batch. */
typedef struct csv_fields {
  int ncols;
  int64_t cap;
  int64_t nrows;
  const uint8_t *base;     /* data + base_pos */
  int64_t base_pos;        /* absolute offset of the first row */
  int64_t end_pos;         /* absolute offset after the last row */
  const uint8_t *data_end; /* end of the whole input: reads stop here */
  uint32_t *start;         /* [col * cap + row] */
  uint32_t *end;
} csv_fields;

auk_status csv_fields_init(csv_fields *f, int ncols, int64_t cap, auk_error *err);
void csv_fields_free(csv_fields *f);

/* Tokenizes rows starting at absolute offset pos (a row start) into f,
 * taking rows that start before `stop`, at most max_rows of them, within
 * data[0, len). Returns the offset after the last row taken. On a problem
 * fills *issue and returns -1. */
int64_t csv_tokenize(const csv_dialect *d, const uint8_t *data, int64_t len, int64_t pos,
                     int64_t stop, int64_t max_rows, csv_fields *f, csv_issue *issue);

/* Offset of the first row start at or after pos, given whether pos is
 * inside quotes (quote parity). Returns len when there is none. */
int64_t csv_next_row_start(const csv_dialect *d, const uint8_t *data, int64_t len, int64_t pos,
                           int in_quotes);
/* Number of quote characters in data[a, b). */
int64_t csv_count_quotes(const uint8_t *data, int64_t a, int64_t b, char quote);

/* Type inference: the type a single value suggests, and the join of two. */
auk_type_id csv_classify(const char *s, int64_t len);
auk_type_id csv_type_join(auk_type_id a, auk_type_id b);

/* Converting one column of a tokenized batch. */
typedef struct csv_convert_opts {
  const char *const *null_values;
  int num_null_values;
  int validate_utf8;
} csv_convert_opts;

/* Converts file column col of f as `type`; *out gets a new array. On a value
 * that does not fit, returns AUK_ERR_PARSE with *issue filled (kind VALUE or
 * UTF8) and no array. Other statuses are resource errors in err. */
auk_status csv_convert_column(const csv_fields *f, int col, auk_type_id type,
                              const csv_convert_opts *o, auk_array **out, csv_issue *issue,
                              auk_error *err);
/* The widest inference type over all values of column col of f. */
auk_type_id csv_infer_column(const csv_fields *f, int col, const csv_convert_opts *o,
                             auk_type_id start);
/* Pointer and length of a field's text (raw: quotes stripped but doubled
 * quotes not undone) and whether it is null under o. */
static inline const char *csv_field(const csv_fields *f, int col, int64_t row, int64_t *len,
                                    uint32_t *flags) {
  uint32_t s = f->start[(int64_t)col * f->cap + row], e = f->end[(int64_t)col * f->cap + row];
  *flags = e & (CSV_QUOTED | CSV_ESCAPED);
  *len = (int64_t)(e & CSV_OFF_MASK) - s;
  return (const char *)f->base + s;
}
/* Length of the longest valid UTF-8 prefix of s[0, n). */
int64_t csv_utf8_valid_prefix(const uint8_t *s, int64_t n);
int csv_is_null(const csv_convert_opts *o, const char *s, int64_t len, uint32_t flags);

#endif
