/* parquet_thrift.h - the Thrift compact protocol, as Parquet uses it for its
 * metadata: a bounds-checked reader over a byte range (any malformed or
 * truncated input sets `bad` and reads as zeros, so parsers check once at the
 * end) and a growable writer on the memory budget. Written from the Apache
 * Thrift compact protocol specification. */
#ifndef AUK_IO_PARQUET_THRIFT_H
#define AUK_IO_PARQUET_THRIFT_H

#include "auk.h"

#include <stddef.h>
#include <stdint.h>

/* Compact type codes of field headers and container elements. */
enum {
  PQ_T_STOP = 0,
  PQ_T_TRUE = 1,
  PQ_T_FALSE = 2,
  PQ_T_BYTE = 3,
  PQ_T_I16 = 4,
  PQ_T_I32 = 5,
  PQ_T_I64 = 6,
  PQ_T_DOUBLE = 7,
  PQ_T_BINARY = 8,
  PQ_T_LIST = 9,
  PQ_T_SET = 10,
  PQ_T_MAP = 11,
  PQ_T_STRUCT = 12,
  PQ_T_UUID = 13
};

typedef struct pq_reader {
  const uint8_t *p, *end;
  int bad;         /* set on the first malformed or truncated item */
  int depth;       /* nesting of structs and containers being read */
  int16_t last_id; /* previous field id of the struct being read */
} pq_reader;

void pq_reader_init(pq_reader *r, const uint8_t *p, size_t n);
uint64_t pq_read_varint(pq_reader *r);
int64_t pq_read_i64(pq_reader *r); /* zigzag varint */
int32_t pq_read_i32(pq_reader *r);
int8_t pq_read_byte(pq_reader *r);
double pq_read_double(pq_reader *r);
/* Binary/string: a pointer into the input and its length. */
const uint8_t *pq_read_binary(pq_reader *r, int32_t *len);

/* Struct reading: begin saves the enclosing field id; each call to
 * pq_read_field gives the next field's id and type, or 0 at the stop byte
 * (also when the input is bad). Boolean fields carry their value in the
 * type (PQ_T_TRUE / PQ_T_FALSE). end restores the enclosing id. */
int16_t pq_struct_begin(pq_reader *r);
int pq_read_field(pq_reader *r, int16_t *id, int *type);
void pq_struct_end(pq_reader *r, int16_t saved);
/* A list or set header: element type and count (checked against the bytes
 * left, so a count never exceeds what the input could hold). */
int64_t pq_read_list(pq_reader *r, int *elem_type);
/* Skips a value of the given type (structs and containers recursively, up
 * to a nesting limit). */
void pq_skip(pq_reader *r, int type);
/* Reads a bool value given the field type (or element byte in a list). */
static inline int pq_bool_of(int type) {
  return type == PQ_T_TRUE;
}

/* Writer */
typedef struct pq_writer {
  uint8_t *data;
  size_t len, cap;
  int16_t last_id;
  int16_t stack[32];
  int depth;
  int failed; /* an allocation failed; err holds why */
  auk_error *err;
} pq_writer;

void pq_writer_init(pq_writer *w, auk_error *err);
void pq_writer_free(pq_writer *w);
void pq_write_bytes(pq_writer *w, const void *p, size_t n);
/* Makes room for n more bytes at w->data + w->len (0, or -1 on failure). */
int pq_writer_reserve(pq_writer *w, size_t n);
void pq_write_varint(pq_writer *w, uint64_t v);
void pq_write_field(pq_writer *w, int16_t id, int type);
void pq_write_i32_field(pq_writer *w, int16_t id, int32_t v);
void pq_write_i64_field(pq_writer *w, int16_t id, int64_t v);
void pq_write_bool_field(pq_writer *w, int16_t id, int v);
void pq_write_binary_field(pq_writer *w, int16_t id, const void *p, size_t n);
/* Opens a struct-valued field (id > 0) or a struct element of a list
 * (id == 0); close with pq_write_struct_end, which writes the stop byte. */
void pq_write_struct_begin(pq_writer *w, int16_t id);
void pq_write_struct_end(pq_writer *w);
void pq_write_list_begin(pq_writer *w, int16_t id, int elem_type, int64_t n);
void pq_write_zigzag(pq_writer *w, int64_t v);

#endif
