/* parquet_meta.h - Parquet's file metadata (the footer's FileMetaData) and
 * page headers as C structs: parsing from the compact protocol with every
 * count and offset checked, and serializing what the writer produces. Only
 * the fields auk uses are kept; the rest are skipped. Strings point into the
 * parsed bytes, which must outlive the structs; arrays live in an arena. */
#ifndef AUK_IO_PARQUET_META_H
#define AUK_IO_PARQUET_META_H

#include "io/parquet_thrift.h"

enum { /* physical types */
       PQ_BOOLEAN = 0,
       PQ_INT32 = 1,
       PQ_INT64 = 2,
       PQ_INT96 = 3,
       PQ_FLOAT = 4,
       PQ_DOUBLE = 5,
       PQ_BYTE_ARRAY = 6,
       PQ_FIXED = 7
};

enum { /* converted types (the legacy annotations) */
       PQ_CT_UTF8 = 0,
       PQ_CT_MAP = 1,
       PQ_CT_MAP_KEY_VALUE = 2,
       PQ_CT_LIST = 3,
       PQ_CT_ENUM = 4,
       PQ_CT_DECIMAL = 5,
       PQ_CT_DATE = 6,
       PQ_CT_TIME_MILLIS = 7,
       PQ_CT_TIME_MICROS = 8,
       PQ_CT_TIMESTAMP_MILLIS = 9,
       PQ_CT_TIMESTAMP_MICROS = 10,
       PQ_CT_UINT_8 = 11,
       PQ_CT_UINT_16 = 12,
       PQ_CT_UINT_32 = 13,
       PQ_CT_UINT_64 = 14,
       PQ_CT_INT_8 = 15,
       PQ_CT_INT_16 = 16,
       PQ_CT_INT_32 = 17,
       PQ_CT_INT_64 = 18,
       PQ_CT_JSON = 19,
       PQ_CT_BSON = 20,
       PQ_CT_INTERVAL = 21
};

enum { /* logical types (union member ids) */
       PQ_LT_NONE = 0,
       PQ_LT_STRING = 1,
       PQ_LT_MAP = 2,
       PQ_LT_LIST = 3,
       PQ_LT_ENUM = 4,
       PQ_LT_DECIMAL = 5,
       PQ_LT_DATE = 6,
       PQ_LT_TIME = 7,
       PQ_LT_TIMESTAMP = 8,
       PQ_LT_INTEGER = 10,
       PQ_LT_UNKNOWN = 11,
       PQ_LT_JSON = 12,
       PQ_LT_BSON = 13,
       PQ_LT_UUID = 14,
       PQ_LT_FLOAT16 = 15
};

enum { PQ_UNIT_MILLIS = 1, PQ_UNIT_MICROS = 2, PQ_UNIT_NANOS = 3 };
enum { PQ_REQUIRED = 0, PQ_OPTIONAL = 1, PQ_REPEATED = 2 };

enum { /* encodings */
       PQ_ENC_PLAIN = 0,
       PQ_ENC_PLAIN_DICTIONARY = 2,
       PQ_ENC_RLE = 3,
       PQ_ENC_BIT_PACKED = 4,
       PQ_ENC_DELTA_BINARY_PACKED = 5,
       PQ_ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
       PQ_ENC_DELTA_BYTE_ARRAY = 7,
       PQ_ENC_RLE_DICTIONARY = 8,
       PQ_ENC_BYTE_STREAM_SPLIT = 9
};

enum { /* codecs */
       PQ_CODEC_UNCOMPRESSED = 0,
       PQ_CODEC_SNAPPY = 1,
       PQ_CODEC_GZIP = 2,
       PQ_CODEC_LZO = 3,
       PQ_CODEC_BROTLI = 4,
       PQ_CODEC_LZ4 = 5,
       PQ_CODEC_ZSTD = 6,
       PQ_CODEC_LZ4_RAW = 7
};

enum { PQ_PAGE_DATA = 0, PQ_PAGE_INDEX = 1, PQ_PAGE_DICTIONARY = 2, PQ_PAGE_DATA_V2 = 3 };

typedef struct pq_str {
  const char *p;
  int32_t n;
} pq_str;

typedef struct pq_stats {
  pq_str min, max; /* min_value/max_value, else the legacy min/max */
  int has_min, has_max;
  int legacy;         /* min or max came from the legacy fields (signed byte order
                         for strings: not usable to skip on them) */
  int64_t null_count; /* -1 when absent */
} pq_stats;

typedef struct pq_schema_el {
  int type; /* physical type, -1 for groups */
  int32_t type_length;
  int repetition; /* -1 when absent */
  pq_str name;
  int32_t num_children;
  int converted; /* -1 when absent */
  int32_t scale, precision;
  int logical; /* PQ_LT_* */
  int lt_unit, lt_utc, lt_bits, lt_signed;
  int32_t lt_scale, lt_precision;
} pq_schema_el;

typedef struct pq_column_meta {
  int type;
  int codec;
  int64_t num_values;
  int64_t total_uncompressed;
  int64_t total_compressed;
  int64_t data_page_offset;
  int64_t dictionary_page_offset; /* -1 when absent */
  pq_str *path;
  int npath;
  pq_stats stats;
  int has_stats;
} pq_column_meta;

typedef struct pq_chunk {
  int64_t file_offset;
  int has_meta;
  pq_column_meta meta;
  /* the page index (0 when absent): OffsetIndex and ColumnIndex */
  int64_t oi_offset, ci_offset;
  int32_t oi_length, ci_length;
} pq_chunk;

/* A column chunk's page index: per data page its first row, and (when the
 * ColumnIndex is there) whether it holds only nulls and its bounds. */
typedef struct pq_page_index {
  int npages;
  int64_t *first_row; /* npages + 1: the last is the row group's rows */
  int has_bounds;
  uint8_t *null_page;
  pq_str *min, *max; /* point into the file's bytes */
} pq_page_index;

typedef struct pq_row_group {
  pq_chunk *cols;
  int ncols;
  int64_t num_rows;
  int64_t total_byte_size;
} pq_row_group;

typedef struct pq_kv {
  pq_str key, value;
} pq_kv;

/* Small blocks on the memory budget, freed together. */
typedef struct pq_arena {
  struct pq_arena_block *head;
} pq_arena;
void *pq_arena_alloc(pq_arena *a, size_t n, auk_error *err);
void pq_arena_free(pq_arena *a);

typedef struct pq_file_meta {
  int32_t version;
  pq_schema_el *schema;
  int nschema;
  int64_t num_rows;
  pq_row_group *rgs;
  int nrgs;
  pq_kv *kv;
  int nkv;
  pq_str created_by;
  int encrypted; /* encryption_algorithm present */
  pq_arena arena;
} pq_file_meta;

typedef struct pq_page_header {
  int type;
  int32_t uncompressed_size;
  int32_t compressed_size;
  /* data page (v1 and v2) */
  int32_t num_values;
  int encoding;
  int def_encoding, rep_encoding; /* v1 */
  int32_t num_nulls, num_rows;    /* v2 */
  int32_t def_len, rep_len;       /* v2 */
  int is_compressed;              /* v2, default 1 */
  int has_data, has_dict, has_v2;
} pq_page_header;

/* Parses FileMetaData from n bytes; on failure err says what was wrong
 * (without the file name, which the caller adds). */
auk_status pq_meta_parse(const uint8_t *p, size_t n, pq_file_meta *m, auk_error *err);
void pq_meta_free(pq_file_meta *m);
/* Parses a page header; *used gets its size in bytes. */
auk_status pq_page_header_parse(const uint8_t *p, size_t n, pq_page_header *h, size_t *used,
                                auk_error *err);

/* Serialization for the writer. */
void pq_write_page_header(pq_writer *w, const pq_page_header *h);
void pq_write_stats(pq_writer *w, int16_t id, const pq_stats *s);
void pq_write_file_meta(pq_writer *w, const pq_file_meta *m);

#endif
