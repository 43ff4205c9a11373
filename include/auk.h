/*
 * auk.h - the whole public C API of auk, a columnar DataFrame and SQL engine.
 *
 * Everything not declared here is private. Conventions:
 *  - Every fallible function returns an auk_status (AUK_OK is 0) and fills the
 *    caller-owned auk_error it is given (which may be NULL when the caller does
 *    not want the message).
 *  - `_new`/`_free` create and destroy heap objects; every `_free` accepts NULL.
 *  - Ownership is stated beside each function: "borrowed" pointers stay owned
 *    by their object and live as long as it does.
 */
#ifndef AUK_H
#define AUK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- status */

/* One list gives the codes and their names (auk_status_name). */
#define AUK_STATUS_LIST(X)                           \
  X(AUK_OK, 0, "ok")                                 \
  X(AUK_ERR_INVALID_ARGUMENT, 1, "invalid argument") \
  X(AUK_ERR_OUT_OF_MEMORY, 2, "out of memory")       \
  X(AUK_ERR_IO, 3, "I/O error")                      \
  X(AUK_ERR_PARSE, 4, "parse error")                 \
  X(AUK_ERR_TYPE, 5, "type error")                   \
  X(AUK_ERR_NOT_FOUND, 6, "not found")               \
  X(AUK_ERR_UNSUPPORTED, 7, "unsupported")           \
  X(AUK_ERR_CANCELLED, 8, "cancelled")               \
  X(AUK_ERR_INTERNAL, 9, "internal error")

typedef enum {
#define AUK_STATUS_ENUM_(name, value, text) name = value,
  AUK_STATUS_LIST(AUK_STATUS_ENUM_)
#undef AUK_STATUS_ENUM_
} auk_status;

/* A caller-owned error: declare one on the stack, pass its address, read
 * `message` when a call fails. Nothing to free. */
typedef struct auk_error {
  auk_status code;
  char message[1024];
} auk_error;

/* Static text naming a status ("out of memory"); never NULL. */
const char *auk_status_name(auk_status status);

/* ----------------------------------------------------------------- types */

typedef enum {
  AUK_TYPE_NULL = 0,
  AUK_TYPE_BOOL,
  AUK_TYPE_INT8,
  AUK_TYPE_INT16,
  AUK_TYPE_INT32,
  AUK_TYPE_INT64,
  AUK_TYPE_UINT8,
  AUK_TYPE_UINT16,
  AUK_TYPE_UINT32,
  AUK_TYPE_UINT64,
  AUK_TYPE_FLOAT32,
  AUK_TYPE_FLOAT64,
  AUK_TYPE_STRING,   /* UTF-8 */
  AUK_TYPE_DATE,     /* days since 1970-01-01, int32 */
  AUK_TYPE_DATETIME, /* microseconds since 1970-01-01 00:00:00, int64 */
  /* Exact decimal, stored as an int64 unscaled value (123.45 in
   * DECIMAL(10,2) is 12345). The type value packs precision (1..18) and
   * scale (0..precision): use AUK_DECIMAL(p, s), never the bare id. */
  AUK_TYPE_DECIMAL,
  AUK_TYPE_COUNT_,
  /* not a type: makes the enum's range hold packed decimal ids (C++) */
  AUK_TYPE_RANGE_ = 0x7fffffff
} auk_type_id;

/* The decimal type with precision p (1..18) and scale s (0..p). */
#define AUK_DECIMAL(p, s) ((auk_type_id)(AUK_TYPE_DECIMAL | (p) << 8 | (s) << 16))
/* The type's kind without parameters (AUK_TYPE_DECIMAL for every decimal). */
static inline auk_type_id auk_type_base(auk_type_id t) {
  return (auk_type_id)((int)t & 0xff);
}
static inline int auk_type_is_decimal(auk_type_id t) {
  return auk_type_base(t) == AUK_TYPE_DECIMAL;
}
static inline int auk_decimal_precision(auk_type_id t) {
  return ((int)t >> 8) & 0xff;
}
static inline int auk_decimal_scale(auk_type_id t) {
  return ((int)t >> 16) & 0xff;
}

/* Short static name of a type as the printer shows it ("i64", "str",
 * "decimal(10,2)"). */
const char *auk_type_name(auk_type_id type);
/* Parses a type name ("int64", "i64", "bigint", "str", "datetime",
 * "decimal(p,s)", "decimal(p)", "decimal"/"numeric" = decimal(18,3), ...).
 * Returns AUK_ERR_INVALID_ARGUMENT for an unknown name. */
auk_status auk_type_parse(const char *name, auk_type_id *out, auk_error *err);

/* ---------------------------------------------------------- global setup */

/* Number of worker threads (default: AUK_THREADS from the environment, else
 * one per core). Takes effect for queries started afterwards. n <= 0 resets
 * to the default. */
void auk_set_threads(int n);
int auk_get_threads(void);

/* Memory budget in bytes for all of auk's data (default: 80% of physical
 * memory, or AUK_MEMORY_LIMIT). An allocation past it fails with
 * AUK_ERR_OUT_OF_MEMORY. 0 resets to the default. */
void auk_set_memory_limit(uint64_t bytes);
uint64_t auk_get_memory_limit(void);
/* Bytes currently allocated and the peak since start (or the last reset). */
uint64_t auk_memory_used(void);
uint64_t auk_memory_peak(void);
void auk_memory_reset_peak(void);
/* Parses "512MB", "2GiB", "1.5G", "1000000" into bytes. */
auk_status auk_parse_size(const char *text, uint64_t *out, auk_error *err);

/* ---------------------------------------------------------------- frames */

/* An immutable table of columns, stored as a sequence of batches. */
typedef struct auk_frame auk_frame;

/* Frees a frame and everything it owns. Accepts NULL. */
void auk_frame_free(auk_frame *frame);
int64_t auk_frame_num_rows(const auk_frame *frame);
int auk_frame_num_columns(const auk_frame *frame);
/* Borrowed name of column i, or NULL when i is out of range. */
const char *auk_frame_column_name(const auk_frame *frame, int i);
/* Type of column i; AUK_TYPE_NULL when i is out of range. */
auk_type_id auk_frame_column_type(const auk_frame *frame, int i);
/* Time zone of a datetime column ("UTC" for values read with an offset:
 * they are stored as UTC instants), or NULL when the values are naive or
 * the column is not a datetime. Borrowed. */
const char *auk_frame_column_timezone(const auk_frame *frame, int i);
/* Index of the column called `name`, or -1. */
int auk_frame_column_index(const auk_frame *frame, const char *name);

/* Notes the reader made (e.g. a column's type widened at some line), one
 * per line; borrowed, "" when there are none. */
const char *auk_frame_notes(const auk_frame *frame);

/* Cell access, for tests and small results (not a fast path). Each returns
 * AUK_ERR_INVALID_ARGUMENT for a bad row or column index and AUK_ERR_TYPE when
 * the column's type does not match the getter. `is_null` may be NULL. */
auk_status auk_frame_is_null(const auk_frame *frame, int col, int64_t row, int *is_null,
                             auk_error *err);
/* Integers, booleans, dates (days), datetimes (microseconds) and decimals
 * (the unscaled value: 1.50 in decimal(10,2) gives 150). */
auk_status auk_frame_get_int(const auk_frame *frame, int col, int64_t row, int64_t *value,
                             int *is_null, auk_error *err);
/* Floats, and integers and decimals converted to double. */
auk_status auk_frame_get_double(const auk_frame *frame, int col, int64_t row, double *value,
                                int *is_null, auk_error *err);
/* Strings: *data is borrowed from the frame and is not NUL-terminated. */
auk_status auk_frame_get_string(const auk_frame *frame, int col, int64_t row, const char **data,
                                int64_t *len, int *is_null, auk_error *err);
/* Any cell formatted as text into buf (NUL-terminated, cut to cap): NULL
 * cells give "" and *is_null = 1. */
auk_status auk_frame_format_cell(const auk_frame *frame, int col, int64_t row, char *buf,
                                 size_t cap, int *is_null, auk_error *err);

/* Rows [offset, offset+len) as a new frame sharing the buffers (zero-copy).
 * Out-of-range bounds are clamped. The caller frees *out. */
auk_status auk_frame_slice(const auk_frame *frame, int64_t offset, int64_t len, auk_frame **out,
                           auk_error *err);

/* ------------------------------------------------------------------- CSV */

typedef enum {
  AUK_RAGGED_ERROR = 0, /* a row with too few or too many fields is an error */
  AUK_RAGGED_PAD,       /* pad short rows with nulls, drop extra fields */
} auk_ragged_mode;

typedef enum { AUK_ENCODING_UTF8 = 0, AUK_ENCODING_LATIN1 } auk_encoding;

typedef enum {
  AUK_COMPRESSION_AUTO = 0, /* by file name: ".gz" is gzip */
  AUK_COMPRESSION_NONE,
  AUK_COMPRESSION_GZIP,
} auk_compression;

/* Options for reading CSV. Initialize with auk_csv_read_options_init, then
 * set fields. Pointers inside are borrowed for the duration of the call. */
typedef struct auk_csv_read_options {
  int has_header;                 /* default 1 */
  char delimiter;                 /* 0 (default): detect among , ; \t | */
  char quote;                     /* default '"'; 0 turns quoting off */
  const char *const *null_values; /* extra null markers besides the empty field */
  int num_null_values;
  int64_t skip_rows; /* lines skipped before the header, default 0 */
  int64_t max_rows;  /* data rows to read at most; -1 (default) for all */
  /* Column subset by name (projection), in the order wanted; NULL for all. */
  const char *const *columns;
  int num_columns;
  /* Explicit types for some columns by name; the rest are inferred. */
  const char *const *type_names;
  const auk_type_id *types;
  int num_types;
  auk_encoding encoding;       /* default UTF-8 */
  auk_compression compression; /* default auto */
  auk_ragged_mode ragged;      /* default error */
  int64_t infer_rows;          /* rows sampled for inference, default 20000 */
} auk_csv_read_options;

void auk_csv_read_options_init(auk_csv_read_options *opts);

/* Reads a whole CSV file into a new frame (*out, freed by the caller with
 * auk_frame_free). `opts` may be NULL for the defaults. On error *out is
 * NULL and err names the file, line, column and offending text. */
auk_status auk_read_csv(const char *path, const auk_csv_read_options *opts, auk_frame **out,
                        auk_error *err);
/* The same over bytes in memory; `name` is used in error messages. The
 * bytes are copied only where needed; they may be freed after the call. */
auk_status auk_read_csv_buffer(const void *data, size_t len, const char *name,
                               const auk_csv_read_options *opts, auk_frame **out, auk_error *err);

/* Counts the data rows of a CSV file without converting any value. */
auk_status auk_count_csv(const char *path, const auk_csv_read_options *opts, int64_t *rows,
                         auk_error *err);

typedef struct auk_csv_write_options {
  char delimiter; /* default ',' */
  char quote;     /* default '"' */
  int header;     /* default 1 */
} auk_csv_write_options;

void auk_csv_write_options_init(auk_csv_write_options *opts);

/* Writes a frame as CSV. The file is written to a temporary file beside
 * `path` and renamed over it on success; on failure no file is left. */
auk_status auk_write_csv(const auk_frame *frame, const char *path,
                         const auk_csv_write_options *opts, auk_error *err);
/* The same to an open stream (not atomic). */
auk_status auk_write_csv_stream(const auk_frame *frame, FILE *out,
                                const auk_csv_write_options *opts, auk_error *err);

/* -------------------------------------------------------------- printing */

typedef struct auk_print_options {
  int max_rows;    /* rows shown before eliding the middle; default 10, -1 all */
  int max_width;   /* total width in characters; 0 = terminal width or 100 */
  int max_str_len; /* strings longer than this are cut with an ellipsis; 32 */
  int show_shape;  /* print "shape: (rows, cols)" above; default 1 */
  int show_types;  /* print column types under the names; default 1 */
} auk_print_options;

void auk_print_options_init(auk_print_options *opts);

/* Prints a frame as a box-drawn table in the style of Polars. */
auk_status auk_frame_print(const auk_frame *frame, FILE *out, const auk_print_options *opts,
                           auk_error *err);

/* ------------------------------------------------------------- analytics */

/* Summary statistics per column: a new frame with a "statistic" column
 * (count, null_count, mean, std, min, max) and one column per input column:
 * float64 for numeric and boolean columns, string for the others. The
 * caller frees *out. */
auk_status auk_frame_describe(const auk_frame *frame, auk_frame **out, auk_error *err);

/* describe of a CSV file computed while it is read, without keeping the
 * data in memory (the answer equals auk_frame_describe of auk_read_csv). */
auk_status auk_describe_csv(const char *path, const auk_csv_read_options *opts, auk_frame **out,
                            auk_error *err);

/* --------------------------------------------------------------- Parquet */

/* Options for reading Parquet. Initialize with auk_parquet_read_options_init,
 * then set fields. Pointers inside are borrowed for the duration of the
 * call. */
typedef struct auk_parquet_read_options {
  /* Column subset by name (projection: only these column chunks are read),
   * in the order wanted; NULL for every column auk can read. */
  const char *const *columns;
  int num_columns;
  int64_t max_rows; /* rows to read at most; -1 (default) for all */
} auk_parquet_read_options;

void auk_parquet_read_options_init(auk_parquet_read_options *opts);

/* Reads a Parquet file into a new frame (*out, freed by the caller with
 * auk_frame_free). `opts` may be NULL for the defaults. Nested columns
 * (lists, structs, maps) are skipped with a note naming them (see
 * auk_frame_notes); asking for one by name, or a file with nothing else, is
 * an AUK_ERR_UNSUPPORTED error. On error *out is NULL and err names the
 * file and what is wrong with it. */
auk_status auk_read_parquet(const char *path, const auk_parquet_read_options *opts, auk_frame **out,
                            auk_error *err);
/* The same over a file's bytes in memory; `name` is used in messages. The
 * result never points into `data`, which may be freed after the call. */
auk_status auk_read_parquet_buffer(const void *data, size_t len, const char *name,
                                   const auk_parquet_read_options *opts, auk_frame **out,
                                   auk_error *err);
/* The number of rows, from the file's metadata alone. */
auk_status auk_count_parquet(const char *path, int64_t *rows, auk_error *err);

typedef enum {
  AUK_PARQUET_SNAPPY = 0, /* default */
  AUK_PARQUET_UNCOMPRESSED,
  AUK_PARQUET_ZSTD,
  AUK_PARQUET_GZIP,
} auk_parquet_compression;

typedef struct auk_parquet_write_options {
  auk_parquet_compression compression; /* default snappy */
  int64_t row_group_rows;              /* rows per row group; default 262144 */
  int dictionary;                      /* 1 (default): dictionary-encode columns where it pays */
  int data_page_v2; /* 1: data pages v2 (levels kept uncompressed); default 0: v1 */
} auk_parquet_write_options;

void auk_parquet_write_options_init(auk_parquet_write_options *opts);

/* Writes a frame as Parquet (data page v1, statistics per column chunk).
 * Types map to Parquet logical types: str -> STRING, date -> DATE, datetime
 * -> TIMESTAMP(MICROS, isAdjustedToUTC when the column has a time zone),
 * integers with INT annotations. The file is written to a temporary file
 * beside `path` and renamed over it on success; on failure no file is
 * left. `opts` may be NULL for the defaults. */
auk_status auk_write_parquet(const auk_frame *frame, const char *path,
                             const auk_parquet_write_options *opts, auk_error *err);

/* ----------------------------------------------------------- expressions */

/* An expression over the columns of a frame, as in Polars: built from
 * column references and literals with the functions below, then used by
 * select, with_columns, filter and sort. Expressions are immutable values.
 *
 * Ownership: every builder takes ownership of the auk_expr arguments it is
 * given and returns a new expression the caller owns (free it with
 * auk_expr_free, or hand it to another builder or a lazy operation, which
 * takes it). Builders never return NULL: a bad argument (NULL, a wrong
 * number of arguments, an unknown function name) gives an expression that
 * carries the error, reported by the operation that uses it. */
typedef struct auk_expr auk_expr;

auk_expr *auk_col(const char *name);
/* Every column of the input, or every column of one type; in select and
 * with_columns an expression over them expands into one expression per
 * column (auk_call1("abs", auk_all_of_type(AUK_TYPE_FLOAT64))), each named
 * after its column. AUK_TYPE_DECIMAL (bare) selects every decimal column. */
auk_expr *auk_all(void);
auk_expr *auk_all_of_type(auk_type_id type);
auk_expr *auk_lit_int(int64_t value);
auk_expr *auk_lit_double(double value);
/* An exact decimal: unscaled / 10^scale as DECIMAL(precision, scale)
 * (auk_lit_decimal(12345, 10, 2) is 123.45); bad parameters or a value of
 * more digits than the precision give an error when the expression is used. */
auk_expr *auk_lit_decimal(int64_t unscaled, int precision, int scale);
auk_expr *auk_lit_bool(int value);
auk_expr *auk_lit_str(const char *value); /* copied */
auk_expr *auk_lit_null(void);
auk_expr *auk_lit_date(int year, int month, int day);
/* The output column's name. */
auk_expr *auk_alias(auk_expr *e, const char *name);
/* Strict cast: a value that does not convert is an error naming it. */
auk_expr *auk_cast(auk_expr *e, auk_type_id type);
/* Non-strict cast: a value that does not convert becomes null. */
auk_expr *auk_try_cast(auk_expr *e, auk_type_id type);

/* Arithmetic: integers compute in int64 and overflow is an error; any
 * float makes float64; div is true division (float64); floordiv and mod
 * follow Python (floor, sign of the divisor); integer division by zero
 * gives null. */
auk_expr *auk_add(auk_expr *a, auk_expr *b);
auk_expr *auk_sub(auk_expr *a, auk_expr *b);
auk_expr *auk_mul(auk_expr *a, auk_expr *b);
auk_expr *auk_div(auk_expr *a, auk_expr *b);
auk_expr *auk_floordiv(auk_expr *a, auk_expr *b);
auk_expr *auk_mod(auk_expr *a, auk_expr *b);
auk_expr *auk_neg(auk_expr *a);
/* Comparisons (null when either side is null; NaN equals NaN and sorts
 * above all numbers; a string literal against a date or datetime is
 * parsed as one). */
auk_expr *auk_eq(auk_expr *a, auk_expr *b);
auk_expr *auk_ne(auk_expr *a, auk_expr *b);
auk_expr *auk_lt(auk_expr *a, auk_expr *b);
auk_expr *auk_le(auk_expr *a, auk_expr *b);
auk_expr *auk_gt(auk_expr *a, auk_expr *b);
auk_expr *auk_ge(auk_expr *a, auk_expr *b);
/* Three-valued logic: false and null is false, true or null is true. */
auk_expr *auk_and(auk_expr *a, auk_expr *b);
auk_expr *auk_or(auk_expr *a, auk_expr *b);
auk_expr *auk_not(auk_expr *a);
auk_expr *auk_is_null(auk_expr *a);
auk_expr *auk_is_not_null(auk_expr *a);
/* a where it is not null, else b. */
auk_expr *auk_fill_null(auk_expr *a, auk_expr *b);
/* The first non-null of args[0..n). Takes the n expressions. */
auk_expr *auk_coalesce(int n, auk_expr **args);
/* e is one of values[0..n) (literals). Takes e and the values. */
auk_expr *auk_is_in(auk_expr *e, int n, auk_expr **values);
/* lo <= e <= hi. */
auk_expr *auk_is_between(auk_expr *e, auk_expr *lo, auk_expr *hi);
/* when(cond).then(value).otherwise(other). */
auk_expr *auk_when(auk_expr *cond, auk_expr *value, auk_expr *otherwise);
/* A chain: the value of the first true condition, else otherwise. */
auk_expr *auk_when_chain(int n, auk_expr **conds, auk_expr **values, auk_expr *otherwise);
/* Any function by name with its arguments (taken):
 *   strings:  length, upper, lower, strip, contains(s, lit), regexp_matches
 *             (s, pattern: PCRE2), starts_with, ends_with, like, ilike,
 *             substr(s, start 1-based [, length]), replace(s, from, to: all
 *             occurrences), split_part(s, sep, n 1-based), concat(...)
 *   dates:    strptime(s, format) (a date when the format has no time
 *             fields, else a datetime), strftime(t, format), year, month,
 *             day, hour, minute, second, weekday (Monday = 1), day_of_year,
 *             date_trunc(unit, t) with unit year|quarter|month|week|day|
 *             hour|minute|second
 *   math:     abs, round(x [, digits]), floor, ceil, sqrt, pow, log, exp
 * and the operators under their names (add, eq, and, is_null, ...). */
auk_expr *auk_call(const char *function, int nargs, auk_expr **args);
auk_expr *auk_call1(const char *function, auk_expr *a);
auk_expr *auk_call2(const char *function, auk_expr *a, auk_expr *b);
auk_expr *auk_call3(const char *function, auk_expr *a, auk_expr *b, auk_expr *c);
/* Aggregates, for auk_lazy_group_by and auk_lazy_agg (each takes its
 * arguments). Results: sum of integers is i64 (overflow is an error), of
 * floats f64; mean, median, quantile (linear interpolation), std and var
 * (ddof 1 unless given) and corr/cov are f64; count (non-null values),
 * len (rows), n_unique (nulls count as a value) and arg_min/arg_max (the
 * position within the group) are i64; min, max, first and last keep the
 * type; any/all are bool. Nulls are skipped except by len, first, last and
 * n_unique. Also by name through auk_call: "sum", "mean", "median",
 * "quantile", "std", "var", "min", "max", "first", "last", "count", "len",
 * "n_unique", "corr", "cov", "any", "all", "arg_min", "arg_max". string_agg
 * joins a group's non-null values, as text, in row order with sep between
 * them (null when there are none; SQL's string_agg, Polars' str.join). */
auk_expr *auk_sum(auk_expr *e);
auk_expr *auk_mean(auk_expr *e);
auk_expr *auk_min(auk_expr *e);
auk_expr *auk_max(auk_expr *e);
auk_expr *auk_count(auk_expr *e);
auk_expr *auk_len(void);
auk_expr *auk_median(auk_expr *e);
auk_expr *auk_quantile(auk_expr *e, double q);
auk_expr *auk_std(auk_expr *e, int ddof);
auk_expr *auk_var(auk_expr *e, int ddof);
auk_expr *auk_first(auk_expr *e);
auk_expr *auk_last(auk_expr *e);
auk_expr *auk_n_unique(auk_expr *e);
auk_expr *auk_corr(auk_expr *a, auk_expr *b);
auk_expr *auk_cov(auk_expr *a, auk_expr *b);
auk_expr *auk_string_agg(auk_expr *e, const char *sep);

/* A new reference to e (expressions are immutable; sharing is cheap). */
auk_expr *auk_expr_clone(const auk_expr *e);
void auk_expr_free(auk_expr *e);
/* e as text, e.g. `(col("v1") * 2) > 10`, NUL-terminated in buf. */
void auk_expr_to_string(const auk_expr *e, char *buf, size_t cap);

/* ---------------------------------------------------------- lazy frames */

/* A lazy frame is a query plan: operations add to it and check names and
 * types at once (an unknown column is reported by the operation that uses
 * it, with the closest existing names); auk_lazy_collect optimizes the plan
 * (projection, predicate and slice pushdown, constant folding) and runs it
 * on every core. A lazy frame is an object the caller owns: each operation
 * changes it in place, and on failure leaves it as it was. Operations take
 * ownership of the expressions passed to them, also when they fail. */
typedef struct auk_lazy auk_lazy;

/* A plan reading a CSV file (options as auk_read_csv; NULL: defaults). The
 * file's schema is read now (a sample is parsed); the data when collected. */
auk_status auk_scan_csv(const char *path, const auk_csv_read_options *opts, auk_lazy **out,
                        auk_error *err);
/* A plan reading a Parquet file: the schema from its footer now; on
 * collect only the columns the plan uses are read, and a head stops after
 * the rows it needs. */
auk_status auk_scan_parquet(const char *path, auk_lazy **out, auk_error *err);
/* A plan over an in-memory frame; the frame's data is shared, not copied,
 * and stays valid after the caller frees the frame. */
auk_status auk_frame_lazy(const auk_frame *frame, auk_lazy **out, auk_error *err);
/* An independent copy of the plan (sharing its immutable parts). */
auk_status auk_lazy_clone(const auk_lazy *lf, auk_lazy **out, auk_error *err);
void auk_lazy_free(auk_lazy *lf);

/* The columns exprs[0..n) compute, in that order. */
auk_status auk_lazy_select(auk_lazy *lf, int n, auk_expr **exprs, auk_error *err);
/* Adds or replaces (by output name) the columns exprs compute. */
auk_status auk_lazy_with_columns(auk_lazy *lf, int n, auk_expr **exprs, auk_error *err);
/* Keeps the rows where predicate is true (not false, not null). Row order
 * is kept. */
auk_status auk_lazy_filter(auk_lazy *lf, auk_expr *predicate, auk_error *err);
/* Sorts by keys[0..n) (expressions; usually columns). descending and
 * nulls_last hold n flags each, or are NULL for ascending with nulls first
 * (Polars' defaults). The sort is stable. */
auk_status auk_lazy_sort(auk_lazy *lf, int n, auk_expr **keys, const int *descending,
                         const int *nulls_last, auk_error *err);
/* Rows [offset, offset + length); a negative offset counts from the end;
 * length < 0 means to the end. */
auk_status auk_lazy_slice(auk_lazy *lf, int64_t offset, int64_t length, auk_error *err);
auk_status auk_lazy_head(auk_lazy *lf, int64_t n, auk_error *err);
auk_status auk_lazy_tail(auk_lazy *lf, int64_t n, auk_error *err);
auk_status auk_lazy_rename(auk_lazy *lf, const char *from, const char *to, auk_error *err);
auk_status auk_lazy_drop(auk_lazy *lf, int n, const char *const *names, auk_error *err);
/* Drops rows with a null in any of names[0..n) (n = 0: any column). */
auk_status auk_lazy_drop_nulls(auk_lazy *lf, int n, const char *const *names, auk_error *err);
/* Which row of a set of duplicates unique keeps. */
typedef enum { AUK_KEEP_FIRST = 0, AUK_KEEP_LAST, AUK_KEEP_NONE } auk_keep;
/* Distinct rows, judged on the columns subset[0..n) (n = 0: all columns),
 * keeping the first, the last, or none of each set of duplicates; the rows
 * kept stay in input order. Nulls equal nulls here, as in Polars. */
auk_status auk_lazy_unique(auk_lazy *lf, int n, const char *const *subset, auk_keep keep,
                           auk_error *err);
/* The first `rows` rows of each group of keys[0..n) (column names), in
 * input order: after a sort, the top rows per group (H2O q8: sort by v3
 * descending, then group_head on id6 with 2). */
auk_status auk_lazy_group_head(auk_lazy *lf, int n, const char *const *keys, int64_t rows,
                               auk_error *err);
/* Groups rows by keys[0..nkeys) (expressions; nulls form their own group)
 * and computes aggs[0..naggs) per group: each an aggregate or an
 * expression over aggregates (auk_sub(auk_max(a), auk_min(b))). The result
 * has the keys, then one column per agg (named after its alias or the
 * column it reads). Groups come out in first-seen order when
 * maintain_order is set, else in an unspecified order. Takes the
 * expressions. */
auk_status auk_lazy_group_by(auk_lazy *lf, int nkeys, auk_expr **keys, int naggs, auk_expr **aggs,
                             int maintain_order, auk_error *err);
/* Aggregates over all rows: one row (auk_lazy_group_by with no keys). */
auk_status auk_lazy_agg(auk_lazy *lf, int naggs, auk_expr **aggs, auk_error *err);
/* The distinct values of column and how often each occurs ("count"), most
 * frequent first (ties by first appearance). */
auk_status auk_lazy_value_counts(auk_lazy *lf, const char *column, auk_error *err);
/* Joins: inner, left (every left row, in left order), right (every right
 * row, in right order), full, semi (left rows with a match), anti (left
 * rows without one) and cross (every left row with every right row, in
 * left order, each left row's partners in right order; no keys). An inner
 * join comes in left order (a row's matches in right order), except when
 * the right side has over 4 times the left's rows: the left side is then
 * the one hashed and the rows come in right order (a row's matches in
 * left order). */
typedef enum {
  AUK_JOIN_INNER = 0,
  AUK_JOIN_LEFT,
  AUK_JOIN_RIGHT,
  AUK_JOIN_FULL,
  AUK_JOIN_SEMI,
  AUK_JOIN_ANTI,
  AUK_JOIN_CROSS
} auk_join_type;
/* Joins lf with right (taken) on left_on[i] = right_on[i] (column names;
 * integer keys of different widths meet as i64, integers and floats as
 * f64; other type pairs are an error). Null keys never match. The result
 * has lf's columns, then right's other columns; a right column whose name
 * is taken gets `suffix` ("_right" when NULL). The key columns appear
 * once; in right and full joins a key missing on the left is taken from
 * the right. Left, semi and anti joins keep the left order (matches in
 * right order); inner joins too unless the right side is over 4 times
 * larger (see above). */
auk_status auk_lazy_join(auk_lazy *lf, auk_lazy *right, int nkeys, const char *const *left_on,
                         const char *const *right_on, auk_join_type how, const char *suffix,
                         auk_error *err);
/* What a join checks about its keys: nothing, or that each key value
 * occurs at most once on the side(s) marked "1" (1:1 both, 1:m the left,
 * m:1 the right). A broken rule is an AUK_ERR_INVALID_ARGUMENT error
 * naming the side and one duplicated key value. Null keys count as
 * values only when nulls_equal is set. */
typedef enum {
  AUK_JOIN_VALIDATE_NONE = 0,
  AUK_JOIN_VALIDATE_1_1,
  AUK_JOIN_VALIDATE_1_M,
  AUK_JOIN_VALIDATE_M_1
} auk_join_validate;
typedef struct auk_join_options {
  const char *suffix;         /* for clashing right names; NULL: "_right" */
  int nulls_equal;            /* 1: null keys match each other */
  auk_join_validate validate; /* AUK_JOIN_VALIDATE_NONE by default */
} auk_join_options;
/* Fills opts with the defaults (suffix NULL, nulls never match, no
 * validation). */
void auk_join_options_init(auk_join_options *opts);
/* auk_lazy_join with options (opts may be NULL: the defaults; its suffix
 * is copied). A cross join takes nkeys 0. Takes right. */
auk_status auk_lazy_join_opts(auk_lazy *lf, auk_lazy *right, int nkeys, const char *const *left_on,
                              const char *const *right_on, auk_join_type how,
                              const auk_join_options *opts, auk_error *err);
/* The same with keys that are expressions over each side (taken, like
 * right): left_on[i] over lf's columns equals right_on[i] over right's
 * (e.g. auk_call1("lower", auk_col("name")) against auk_col("key")). A key
 * that is a plain column behaves as in auk_lazy_join_opts; for the others
 * the key values are computed for the join only, and both sides keep all
 * their columns. */
auk_status auk_lazy_join_on(auk_lazy *lf, auk_lazy *right, int nkeys, auk_expr **left_on,
                            auk_expr **right_on, auk_join_type how, const auk_join_options *opts,
                            auk_error *err);
/* Appends the rows of other (same column names and types, in order);
 * takes other. */
auk_status auk_lazy_concat(auk_lazy *lf, auk_lazy *other, auk_error *err);
/* Appends the rows of other matching columns by name: the result has lf's
 * columns, then other's columns lf lacks, in order; a column missing on
 * one side is null there. Columns of one name but different types meet
 * in a common type (integers as i64, integers and floats as f64, dates
 * and datetimes as datetime; others are an error naming the column).
 * Takes other. */
auk_status auk_lazy_concat_by_name(auk_lazy *lf, auk_lazy *other, auk_error *err);
/* Puts other's columns beside lf's. Both must have the same number of
 * rows (an error when they do not, reported when the plan runs) and no
 * column name in common (an error naming it). Takes other. */
auk_status auk_lazy_concat_horizontal(auk_lazy *lf, auk_lazy *other, auk_error *err);

/* Window functions: adds column `name` computed for each row over its
 * partition (rows equal on partition_by[0..npart), nulls equal; npart = 0:
 * one partition) in the order of order_by[0..norder) (descending and
 * nulls_last flags as auk_lazy_sort's, or NULL). Rows keep their order.
 * Ranks (i64; no argument): ROW_NUMBER counts 1, 2, 3, ...; RANK gives
 * ties the same rank and skips after them (1, 1, 3); DENSE_RANK does not
 * skip (1, 1, 2). Aggregates of arg (numeric; nulls skipped; NULL when a
 * frame has no value): SUM (i64 for integers, f64 for floats), MEAN (f64),
 * MIN, MAX (i64 or f64), COUNT (i64, non-null values), LEN (i64, rows; no
 * argument). Without order_by an aggregate covers the whole partition;
 * with it, the rows up to the current one and its ties (SQL's default
 * frame: a running total). Values of arg from another row (any type):
 * LAG and LEAD the row `offset` rows before or after in the partition's
 * order (offset 0 means 1; null past the partition's edge), FIRST_VALUE the
 * partition's first row, LAST_VALUE its last row (with order_by: the last
 * of the current row's ties, SQL's default frame). As SQL's `f(x) OVER
 * (PARTITION BY ... ORDER BY ...)` and Polars' `.over()`. Takes the
 * expressions. */
typedef enum {
  AUK_WIN_ROW_NUMBER = 0,
  AUK_WIN_RANK,
  AUK_WIN_DENSE_RANK,
  AUK_WIN_SUM,
  AUK_WIN_MEAN,
  AUK_WIN_MIN,
  AUK_WIN_MAX,
  AUK_WIN_COUNT,
  AUK_WIN_LEN,
  AUK_WIN_LAG,
  AUK_WIN_LEAD,
  AUK_WIN_FIRST_VALUE,
  AUK_WIN_LAST_VALUE
} auk_window_fn;
/* A ROWS frame for the aggregates: from `preceding` rows before the current
 * row to `following` rows after it, within the partition (negative values
 * count the other way; AUK_FRAME_UNBOUNDED for the partition's edge). As
 * SQL's ROWS BETWEEN 6 PRECEDING AND CURRENT ROW: {6, 0}. */
#define AUK_FRAME_UNBOUNDED INT64_MAX
typedef struct auk_window_frame {
  int64_t preceding, following;
} auk_window_frame;
/* frame: NULL for the default (the partition, or running with order_by). */
auk_status auk_lazy_window(auk_lazy *lf, const char *name, auk_window_fn fn, auk_expr *arg,
                           int64_t offset, const auk_window_frame *frame, int npart,
                           auk_expr **partition_by, int norder, auk_expr **order_by,
                           const int *descending, const int *nulls_last, auk_error *err);

/* Column names and types the plan produces. */
int auk_lazy_num_columns(const auk_lazy *lf);
const char *auk_lazy_column_name(const auk_lazy *lf, int i);
auk_type_id auk_lazy_column_type(const auk_lazy *lf, int i);

/* The plan as an indented tree, as optimized (optimized = 1) or as built;
 * *text is NUL-terminated, free it with auk_free. */
auk_status auk_lazy_explain(const auk_lazy *lf, int optimized, char **text, auk_error *err);
/* Runs the plan; the caller frees *out. lf is unchanged and can be
 * collected again. */
auk_status auk_lazy_collect(const auk_lazy *lf, auk_frame **out, auk_error *err);
/* Frees memory auk returned (explain text). */
void auk_free(void *p);

/* Eager forms: the same operation on a frame, giving a new frame the
 * caller frees (the input is unchanged; unchanged columns are shared). */
auk_status auk_frame_select(const auk_frame *f, int n, auk_expr **exprs, auk_frame **out,
                            auk_error *err);
auk_status auk_frame_with_columns(const auk_frame *f, int n, auk_expr **exprs, auk_frame **out,
                                  auk_error *err);
auk_status auk_frame_filter(const auk_frame *f, auk_expr *predicate, auk_frame **out,
                            auk_error *err);
auk_status auk_frame_sort(const auk_frame *f, int n, auk_expr **keys, const int *descending,
                          const int *nulls_last, auk_frame **out, auk_error *err);
/* ------------------------------------------------------------------- SQL */

/* A database: a catalog of named tables (frames) and views (plans) that SQL
 * statements and the DataFrame API share. A frame registered under a name
 * is a table in SQL; a query's result is a frame. SQL lowers into the same
 * plans as auk_lazy (no second engine). Not thread-safe: one statement at
 * a time per database (each statement runs on every core). */
typedef struct auk_db auk_db;

auk_status auk_db_open(auk_db **out, auk_error *err);
/* Frees the database and its catalog. Accepts NULL. */
void auk_db_close(auk_db *db);
/* Registers frame as table `name` (its data is shared, not copied; the
 * caller keeps its frame). Replaces a table or view of that name (names
 * compare case-insensitively, as in SQL). */
auk_status auk_db_register(auk_db *db, const char *name, const auk_frame *frame, auk_error *err);
/* Registers the plan lf as view `name` (cloned; run when queried). */
auk_status auk_db_register_view(auk_db *db, const char *name, const auk_lazy *lf, auk_error *err);
/* Removes table or view `name`; AUK_ERR_NOT_FOUND when there is none. */
auk_status auk_db_drop(auk_db *db, const char *name, auk_error *err);
/* The catalog, sorted by name: how many entries, the borrowed name of
 * entry i, and whether it is a view (1) or a table (0). */
int auk_db_num_tables(const auk_db *db);
const char *auk_db_table_name(const auk_db *db, int i);
int auk_db_table_is_view(const auk_db *db, int i);
/* A lazy plan reading table or view `name` (the caller frees it). */
auk_status auk_db_table(auk_db *db, const char *name, auk_lazy **out, auk_error *err);

/* Runs the first statement in sql (statements end with ';' or at the end
 * of the text). *consumed is the number of bytes of sql it took, including
 * the ';'; the caller continues at sql + *consumed. *out (when out is not
 * NULL) is the statement's rows (SELECT, VALUES, SHOW TABLES, DESCRIBE,
 * SUMMARIZE, EXPLAIN) or NULL for a statement without rows (CREATE, DROP,
 * INSERT, COPY); the caller frees it. When only blanks and comments are
 * left, returns AUK_OK with *out NULL and *consumed = strlen(sql). Errors
 * name the position: "line L, column C" and the query line with a caret. */
auk_status auk_sql_next(auk_db *db, const char *sql, size_t *consumed, auk_frame **out,
                        auk_error *err);
/* Runs every statement in sql, stopping at the first error; *out (when out
 * is not NULL) is the rows of the last statement that returned rows, or
 * NULL. */
auk_status auk_sql(auk_db *db, const char *sql, auk_frame **out, auk_error *err);
/* Plans one query (SELECT, VALUES, WITH ...) without running it. */
auk_status auk_sql_lazy(auk_db *db, const char *sql, auk_lazy **out, auk_error *err);
/* 1 when sql ends a statement: it has a ';' outside quotes and comments
 * with only blanks and comments after it (what a shell needs to know
 * whether to read another line); else 0. */
int auk_sql_is_complete(const char *sql);

/* Asks the query running now (in any thread) to stop: it returns
 * AUK_ERR_CANCELLED soon after. Async-signal-safe (call it from a SIGINT
 * handler). The request is cleared when the next query starts. */
void auk_interrupt(void);

/* How far the query (or SQL statement, or file read) running now has got:
 * the fraction in [0, 1] of the input its scans have read, or -1 when
 * nothing is known (no query yet, or one over in-memory tables whose time
 * goes into a join, group-by or sort rather than a scan). CSV scans count
 * the bytes parsed, Parquet scans the column-chunk bytes decoded, scans of
 * frames in memory the batches filtered or projected; every scan of a plan
 * (both sides of a join, each branch of a UNION) is weighed by its input
 * size from the start, so the value only rises while a query runs. Work
 * after the scans (a sort, the end of a group-by) is not counted: the value
 * can reach 1 before the query returns. A statement that runs several
 * queries (a subquery first) adds each one's input as it starts. After the
 * query it stays at its last value until the next one starts.
 * Thread-safe and lock-free: meant to be polled from another thread (a
 * shell's progress bar) while a query runs. Like auk_interrupt it is
 * process-wide: with queries running in several threads at once, the
 * value mixes them. */
double auk_progress(void);

/* ------------------------------------------------- Arrow C Data Interface */

/* The standard Arrow C Data and C Stream Interface structs (an ABI: the
 * definitions and guards are exactly those of the Arrow specification, so
 * they coexist with other headers that carry them). */
// clang-format off
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
  // Callbacks providing stream functionality
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);

  // Release callback
  void (*release)(struct ArrowArrayStream*);

  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_STREAM_INTERFACE
// clang-format on

/* A frame travels as a record batch: a struct array ("+s") with one child
 * per column, one ArrowArray per auk batch (at most 65536 rows each).
 *
 * Types, both ways (zero-copy: the Arrow buffers are auk's buffers):
 *   null "n", bool "b", int8..uint64 "c C s S i I l L", float32/64 "f g",
 *   string "U" (large_utf8), date "tdD", datetime "tsu:" or "tsu:<zone>".
 * Accepted on import besides, converted into auk's layout: "u" (utf8: the
 * int32 offsets become int64, the bytes are shared), "vu" (string views,
 * copied), "tdm" (date64, floored to days), "tss:" "tsm:" "tsn:" (to
 * microseconds; nanoseconds are floored, i.e. rounded toward negative
 * infinity, so -1 ns is the microsecond before the epoch), and any of these
 * dictionary-encoded (integer indices; the values are materialized). Other
 * formats (binary, decimals, lists, ...) fail with AUK_ERR_UNSUPPORTED naming
 * the column and the format string. Values whose pointer is misaligned for
 * their type are copied. String bytes are not checked to be valid UTF-8.
 * Export marks every column ARROW_FLAG_NULLABLE and sets no metadata; import
 * ignores flags and metadata. */

/* Number of batches of a frame; each is exported as one ArrowArray. */
int64_t auk_frame_num_batches(const auk_frame *frame);

/* Fills the caller-allocated *out with the frame's schema as a struct type
 * ("+s", one child per column, names and types). *out owns its memory:
 * the consumer calls out->release when done; it does not depend on the frame,
 * which may be freed first. On failure *out is left released (release is
 * NULL). */
auk_status auk_frame_export_schema(const auk_frame *frame, struct ArrowSchema *out, auk_error *err);

/* Fills *out with batch `batch_index` (0 <= index < auk_frame_num_batches)
 * as a struct array, zero-copy: its buffers point into the frame's buffers,
 * which the export keeps alive by reference until out->release is called,
 * even when the frame is freed before. Column slices keep their offsets
 * (ArrowArray.offset); a column without nulls has a NULL validity buffer.
 * On failure *out is left released. */
auk_status auk_frame_export_batch(const auk_frame *frame, int64_t batch_index,
                                  struct ArrowArray *out, auk_error *err);

/* Fills *out with a stream over all the frame's batches in order, then the
 * end of the stream. The stream holds the batches by reference (no copy),
 * so the frame may be freed right after this call. Schemas and arrays taken
 * from the stream are independent of it and of each other: each has its own
 * release. The consumer calls out->release when done with the stream. */
auk_status auk_frame_export_stream(const auk_frame *frame, struct ArrowArrayStream *out,
                                   auk_error *err);

/* Imports a record batch: `array` is a struct array described by `schema`
 * (a struct type, one child per column); any other array becomes a
 * one-column frame named after schema->name. Takes ownership of both
 * structs, on success and on failure alike: they are moved out (the
 * caller's structs are marked released and must not be released again).
 * The schema is released before returning. The array's buffers are shared,
 * not copied, where the layout allows it; its release callback runs once,
 * when the last auk buffer referencing it goes: after *out and every slice,
 * batch or export made from it are freed (or during the call, when nothing
 * was shared or the import failed). The caller frees *out with
 * auk_frame_free. Malformed input (released structs, wrong buffer or child
 * counts, bad lengths or offsets, indices out of range) gives an error,
 * never a crash; on failure *out is NULL. Batches longer than 65536 rows
 * are cut into zero-copy slices. */
auk_status auk_frame_import(struct ArrowSchema *schema, struct ArrowArray *array, auk_frame **out,
                            auk_error *err);

/* Imports every batch of a stream into one frame, with the same rules as
 * auk_frame_import. Takes ownership of the stream (moved out, released
 * before returning, on success and failure); the arrays it produced stay
 * alive as long as the frame needs their memory. An error reported by the
 * stream is passed on with its get_last_error message. */
auk_status auk_frame_import_stream(struct ArrowArrayStream *stream, auk_frame **out,
                                   auk_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUK_H */
