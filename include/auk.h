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
