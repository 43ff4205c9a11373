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
  AUK_TYPE_COUNT_
} auk_type_id;

/* Short static name of a type as the printer shows it ("i64", "str"). */
const char *auk_type_name(auk_type_id type);
/* Parses a type name ("int64", "i64", "bigint", "str", "datetime", ...).
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
/* Integers, booleans, dates (days) and datetimes (microseconds). */
auk_status auk_frame_get_int(const auk_frame *frame, int col, int64_t row, int64_t *value,
                             int *is_null, auk_error *err);
/* Floats, and integers converted to double. */
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

#ifdef __cplusplus
}
#endif

#endif /* AUK_H */
