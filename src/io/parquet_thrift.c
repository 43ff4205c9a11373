/* parquet_thrift.c - compact protocol reading and writing (see the header). */
#include "io/parquet_thrift.h"

#include "core/alloc.h"
#include "core/error.h"

#include <string.h>

#define PQ_MAX_DEPTH 24

void pq_reader_init(pq_reader *r, const uint8_t *p, size_t n) {
  r->p = p;
  r->end = p + n;
  r->bad = 0;
  r->depth = 0;
  r->last_id = 0;
}

uint64_t pq_read_varint(pq_reader *r) {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (r->p >= r->end) {
      r->bad = 1;
      return 0;
    }
    uint8_t b = *r->p++;
    if (shift < 64) v |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
  r->bad = 1;
  return 0;
}

int64_t pq_read_i64(pq_reader *r) {
  uint64_t u = pq_read_varint(r);
  return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

int32_t pq_read_i32(pq_reader *r) {
  int64_t v = pq_read_i64(r);
  if (v < INT32_MIN || v > INT32_MAX) {
    r->bad = 1;
    return 0;
  }
  return (int32_t)v;
}

int8_t pq_read_byte(pq_reader *r) {
  if (r->p >= r->end) {
    r->bad = 1;
    return 0;
  }
  return (int8_t)*r->p++;
}

double pq_read_double(pq_reader *r) {
  double d = 0;
  if (r->end - r->p < 8) {
    r->bad = 1;
    r->p = r->end;
    return 0;
  }
  memcpy(&d, r->p, 8);
  r->p += 8;
  return d;
}

const uint8_t *pq_read_binary(pq_reader *r, int32_t *len) {
  uint64_t n = pq_read_varint(r);
  if (r->bad || n > (uint64_t)(r->end - r->p) || n > INT32_MAX) {
    r->bad = 1;
    *len = 0;
    return (const uint8_t *)"";
  }
  const uint8_t *s = r->p;
  r->p += n;
  *len = (int32_t)n;
  return s;
}

int16_t pq_struct_begin(pq_reader *r) {
  int16_t saved = r->last_id;
  r->last_id = 0;
  if (++r->depth > PQ_MAX_DEPTH) r->bad = 1;
  return saved;
}

void pq_struct_end(pq_reader *r, int16_t saved) {
  r->last_id = saved;
  r->depth--;
}

int pq_read_field(pq_reader *r, int16_t *id, int *type) {
  if (r->bad || r->p >= r->end) {
    r->bad = 1;
    return 0;
  }
  uint8_t b = *r->p++;
  if (b == 0) return 0;
  int delta = b >> 4;
  *type = b & 0x0F;
  if (delta) {
    *id = (int16_t)(r->last_id + delta);
  } else {
    int64_t v = pq_read_i64(r);
    if (v < INT16_MIN || v > INT16_MAX) r->bad = 1;
    *id = (int16_t)v;
  }
  if (r->bad) return 0;
  r->last_id = *id;
  return 1;
}

int64_t pq_read_list(pq_reader *r, int *elem_type) {
  if (r->p >= r->end) {
    r->bad = 1;
    return 0;
  }
  uint8_t b = *r->p++;
  *elem_type = b & 0x0F;
  uint64_t n = b >> 4;
  if (n == 15) n = pq_read_varint(r);
  /* Every element takes at least one byte on the wire. */
  if (r->bad || n > (uint64_t)(r->end - r->p)) {
    r->bad = 1;
    return 0;
  }
  return (int64_t)n;
}

void pq_skip(pq_reader *r, int type) {
  if (r->bad) return;
  switch (type) {
    case PQ_T_TRUE:
    case PQ_T_FALSE: return; /* value is in the field header */
    case PQ_T_BYTE: pq_read_byte(r); return;
    case PQ_T_I16:
    case PQ_T_I32:
    case PQ_T_I64: pq_read_varint(r); return;
    case PQ_T_DOUBLE: pq_read_double(r); return;
    case PQ_T_BINARY: {
      int32_t n;
      pq_read_binary(r, &n);
      return;
    }
    case PQ_T_UUID:
      if (r->end - r->p < 16)
        r->bad = 1;
      else
        r->p += 16;
      return;
    case PQ_T_LIST:
    case PQ_T_SET: {
      int et;
      int64_t n = pq_read_list(r, &et);
      if (++r->depth > PQ_MAX_DEPTH) r->bad = 1;
      for (int64_t i = 0; i < n && !r->bad; i++) {
        if (et == PQ_T_TRUE || et == PQ_T_FALSE)
          pq_read_byte(r);
        else
          pq_skip(r, et);
      }
      r->depth--;
      return;
    }
    case PQ_T_MAP: {
      uint64_t n = pq_read_varint(r);
      if (n == 0) return;
      int8_t kv = pq_read_byte(r);
      if (r->bad || n > (uint64_t)(r->end - r->p)) {
        r->bad = 1;
        return;
      }
      int kt = (uint8_t)kv >> 4, vt = kv & 0x0F;
      if (++r->depth > PQ_MAX_DEPTH) r->bad = 1;
      for (uint64_t i = 0; i < n && !r->bad; i++) {
        if (kt == PQ_T_TRUE || kt == PQ_T_FALSE)
          pq_read_byte(r);
        else
          pq_skip(r, kt);
        if (vt == PQ_T_TRUE || vt == PQ_T_FALSE)
          pq_read_byte(r);
        else
          pq_skip(r, vt);
      }
      r->depth--;
      return;
    }
    case PQ_T_STRUCT: {
      int16_t saved = pq_struct_begin(r);
      int16_t id;
      int t;
      while (pq_read_field(r, &id, &t)) pq_skip(r, t);
      pq_struct_end(r, saved);
      return;
    }
    default: r->bad = 1; return;
  }
}

/* ---------------------------------------------------------------- writer */

void pq_writer_init(pq_writer *w, auk_error *err) {
  memset(w, 0, sizeof *w);
  w->err = err;
}

void pq_writer_free(pq_writer *w) {
  auk_mem_free(w->data, w->cap);
  w->data = NULL;
  w->cap = w->len = 0;
}

int pq_writer_reserve(pq_writer *w, size_t n) {
  if (w->failed) return -1;
  if (w->len + n > w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 1024;
    while (cap < w->len + n) cap *= 2;
    uint8_t *d = auk_mem_realloc(w->data, w->cap, cap, w->err);
    if (!d) {
      w->failed = 1;
      return -1;
    }
    w->data = d;
    w->cap = cap;
  }
  return 0;
}

void pq_write_bytes(pq_writer *w, const void *p, size_t n) {
  if (pq_writer_reserve(w, n)) return;
  if (n) memcpy(w->data + w->len, p, n);
  w->len += n;
}

void pq_write_varint(pq_writer *w, uint64_t v) {
  uint8_t buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  buf[n++] = (uint8_t)v;
  pq_write_bytes(w, buf, (size_t)n);
}

void pq_write_zigzag(pq_writer *w, int64_t v) {
  pq_write_varint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void pq_write_field(pq_writer *w, int16_t id, int type) {
  int delta = id - w->last_id;
  if (delta > 0 && delta <= 15) {
    uint8_t b = (uint8_t)(delta << 4 | type);
    pq_write_bytes(w, &b, 1);
  } else {
    uint8_t b = (uint8_t)type;
    pq_write_bytes(w, &b, 1);
    pq_write_zigzag(w, id);
  }
  w->last_id = id;
}

void pq_write_i32_field(pq_writer *w, int16_t id, int32_t v) {
  pq_write_field(w, id, PQ_T_I32);
  pq_write_zigzag(w, v);
}

void pq_write_i64_field(pq_writer *w, int16_t id, int64_t v) {
  pq_write_field(w, id, PQ_T_I64);
  pq_write_zigzag(w, v);
}

void pq_write_bool_field(pq_writer *w, int16_t id, int v) {
  pq_write_field(w, id, v ? PQ_T_TRUE : PQ_T_FALSE);
}

void pq_write_binary_field(pq_writer *w, int16_t id, const void *p, size_t n) {
  pq_write_field(w, id, PQ_T_BINARY);
  pq_write_varint(w, n);
  pq_write_bytes(w, p, n);
}

void pq_write_struct_begin(pq_writer *w, int16_t id) {
  if (id > 0) pq_write_field(w, id, PQ_T_STRUCT);
  if (w->depth < 32) w->stack[w->depth] = w->last_id;
  w->depth++;
  w->last_id = 0;
}

void pq_write_struct_end(pq_writer *w) {
  uint8_t stop = 0;
  pq_write_bytes(w, &stop, 1);
  w->depth--;
  if (w->depth < 32) w->last_id = w->stack[w->depth];
}

void pq_write_list_begin(pq_writer *w, int16_t id, int elem_type, int64_t n) {
  pq_write_field(w, id, PQ_T_LIST);
  if (n < 15) {
    uint8_t b = (uint8_t)(n << 4 | elem_type);
    pq_write_bytes(w, &b, 1);
  } else {
    uint8_t b = (uint8_t)(0xF0 | elem_type);
    pq_write_bytes(w, &b, 1);
    pq_write_varint(w, (uint64_t)n);
  }
}
