/* parquet.h - the Parquet reader and writer behind the public API: an
 * opened file (its bytes, parsed footer and the flat columns auk can read)
 * and the read and write entry points. */
#ifndef AUK_IO_PARQUET_H
#define AUK_IO_PARQUET_H

#include "core/frame.h"
#include "io/parquet_meta.h"
#include "io/source.h"

/* How a leaf's physical values become an auk column. */
typedef enum {
  PQ_CV_COPY = 0, /* same bytes: ints, floats, dates, micros, strings */
  PQ_CV_BOOL,
  PQ_CV_I32_I8,
  PQ_CV_I32_I16,
  PQ_CV_MS_US,   /* int64 millis -> micros */
  PQ_CV_NS_US,   /* int64 nanos -> micros (floor) */
  PQ_CV_INT96,   /* Impala/Spark nanos + Julian day -> micros */
  PQ_CV_DEC_I32, /* decimals -> double */
  PQ_CV_DEC_I64,
  PQ_CV_DEC_BIN, /* big-endian two's complement bytes */
  PQ_CV_F16,     /* half floats -> float */
  PQ_CV_TIME_MS, /* time of day -> "HH:MM:SS[.fff]" text */
  PQ_CV_TIME_US,
  PQ_CV_TIME_NS,
  PQ_CV_UUID, /* 16 bytes -> canonical text */
  PQ_CV_BIN,  /* bytes (BYTE_ARRAY or FIXED) -> string as they are */
  PQ_CV_NULL  /* UNKNOWN logical type: all nulls */
} pq_conv;

typedef struct pq_column {
  int leaf;               /* column chunk index in each row group */
  const pq_schema_el *el; /* its schema element */
  const char *name;       /* NUL-terminated copy (in the file's arena) */
  auk_type_id type;       /* the auk type it reads as */
  const char *tz;         /* "UTC" for UTC-adjusted timestamps */
  pq_conv conv;
  int max_def;  /* 0 required, 1 optional */
  double scale; /* decimals: 10^scale */
} pq_column;

typedef struct pq_file {
  auk_source src;
  pq_file_meta meta;
  int64_t data_end; /* where the footer starts: column data ends before */
  pq_column *cols;  /* flat top-level columns, in file order */
  int ncols;
  int nleaves;
  int chunk_slack; /* bytes a chunk may run past its declared size (old writers) */
  char *nested;    /* "'a', 'b'" names of skipped nested columns, or NULL */
  size_t nested_cap;
} pq_file;

/* Opens and validates a Parquet file (or bytes in memory, copied only as
 * far as needed: the caller keeps them alive until pq_file_close). */
auk_status pq_file_open(pq_file *f, const char *path, auk_error *err);
auk_status pq_file_open_memory(pq_file *f, const void *data, size_t len, const char *name,
                               auk_error *err);
void pq_file_close(pq_file *f);
/* Rows of one row group to read: n ranges [r[2i], r[2i + 1]), ascending
 * and disjoint; n < 0 for all of them. */
typedef struct pq_keep {
  int n;
  const int64_t *r;
} pq_keep;

/* What to read beyond the columns (every field may be 0 or NULL):
 * - max_rows: stop after that many rows (< 0: all);
 * - skip_rg[g]: leave row group g out;
 * - keep[g]: only those rows of row group g (pages wholly outside them are
 *   not decompressed; ignored unless max_rows < 0);
 * - dict[i]: string column i comes as dictionary-encoded arrays
 *   (core/array.h) from each chunk whose data pages all use the
 *   dictionary, if it holds at most a quarter of the rows (any size when
 *   dict[i] is 2); for the group-by's keys only. */
typedef struct pq_read_opts {
  int64_t max_rows;
  const uint8_t *skip_rg;
  const pq_keep *keep;
  const uint8_t *dict;
} pq_read_opts;

/* Reads the columns asked for (all flat ones when ncolumns is 0); o may be
 * NULL (every row). */
auk_status pq_file_read(pq_file *f, const char *const *columns, int ncolumns, const pq_read_opts *o,
                        auk_frame **out, auk_error *err);
/* The bounds of flat column col (index into f->cols) in row group rg from
 * the file's statistics, in the units of the auk type (days, microseconds),
 * for integer-like columns (integers, dates, timestamps); 0 when the file
 * does not say or the column is of another kind. */
int pq_rowgroup_int_bounds(const pq_file *f, int col, int rg, int64_t *min, int64_t *max);
/* The same for a float column (f32 or f64; 0 when a bound is NaN) and for
 * a string column (min_value/max_value only: UTF-8 strings compare as
 * unsigned bytes there; the bounds point into the file's metadata). */
int pq_rowgroup_float_bounds(const pq_file *f, int col, int rg, double *min, double *max);
int pq_rowgroup_str_bounds(const pq_file *f, int col, int rg, const char **min, int64_t *min_len,
                           const char **max, int64_t *max_len);

/* The page index of flat column col in row group rg (parquet_pages.c;
 * ix->npages is 0 when the file has none or it is unusable; arrays in a),
 * and a page's bounds as the row group functions give them. */
auk_status pq_page_index_load(const pq_file *f, int col, int rg, pq_page_index *ix, pq_arena *a,
                              auk_error *err);
int pq_page_int_bounds(const pq_file *f, int col, const pq_page_index *ix, int page, int64_t *min,
                       int64_t *max);
int pq_page_float_bounds(const pq_file *f, int col, const pq_page_index *ix, int page, double *min,
                         double *max);
int pq_page_str_bounds(const pq_file *f, int col, const pq_page_index *ix, int page,
                       const char **min, int64_t *min_len, const char **max, int64_t *max_len);

/* Data pages left unread because of keep ranges, since the start (for
 * tests). */
int64_t pq_pages_skipped(void);

auk_status pq_write_frame(const auk_frame *frame, const char *path,
                          const auk_parquet_write_options *opts, auk_error *err);

#endif
