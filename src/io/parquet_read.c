/* parquet_read.c - decoding column chunks into auk arrays and assembling
 * frames. Each (row group, column) pair is one task on the thread pool; a
 * task walks its chunk's pages, decompresses each into a per-worker scratch
 * buffer, decodes definition levels into the validity bitmap, and decodes
 * the non-null values densely at the page's first row, converted to the auk
 * type; nulls are then spread out in place, back to front. The dictionary
 * page is decoded and converted once per chunk; data pages gather from it.
 * One array per chunk is cut into batches by zero-copy slices, in file
 * order. Only the chunks of the columns asked for are touched, and row
 * groups past max_rows are not read at all. */
#include "core/alloc.h"
#include "core/error.h"
#include "core/pool.h"
#include "core/types.h"
#include "io/parquet.h"
#include "io/parquet_codec.h"
#include "io/parquet_decode.h"

#include "core/datetime.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------- scratch memory */

typedef struct scratch {
  void *p;
  size_t cap;
} scratch;

static void *scratch_get(scratch *s, size_t n, auk_error *err) {
  if (n <= s->cap) return s->p;
  size_t cap = s->cap ? s->cap : 4096;
  while (cap < n) cap *= 2;
  void *p = auk_mem_alloc(cap, err);
  if (!p) return NULL;
  auk_mem_free(s->p, s->cap);
  s->p = p;
  s->cap = cap;
  return p;
}

static void scratch_free(scratch *s) {
  auk_mem_free(s->p, s->cap);
  s->p = NULL;
  s->cap = 0;
}

typedef struct worker_mem {
  scratch page;   /* decompressed page */
  scratch levels; /* definition levels, dictionary indices */
  scratch vals;   /* dense decoded values */
  scratch spans;  /* byte-array spans */
  scratch bytes;  /* rebuilt byte arrays (DELTA_BYTE_ARRAY) */
} worker_mem;

/* ------------------------------------------------------ column buffers */

/* A column being decoded: target-typed values for rows [0, len). */
typedef struct colbuf {
  auk_type_id type;
  int width; /* bytes per value; 0 for bool and string */
  int64_t cap, len;
  auk_buffer *values;   /* fixed values, bool bits, or string bytes */
  auk_buffer *offsets;  /* strings: int64, cap + 1 */
  auk_buffer *validity; /* allocated at the first null */
  int64_t nbytes;       /* strings: bytes used */
} colbuf;

static void colbuf_free(colbuf *b) {
  auk_buffer_release(b->values);
  auk_buffer_release(b->offsets);
  auk_buffer_release(b->validity);
  memset(b, 0, sizeof *b);
}

static int64_t fixed_bytes(const colbuf *b, int64_t rows) {
  if (b->type == AUK_TYPE_BOOL) return auk_bitmap_bytes(rows);
  if (b->type == AUK_TYPE_STRING) return 0;
  return rows * b->width;
}

static auk_status colbuf_init(colbuf *b, auk_type_id type, int64_t cap, int64_t bytes_hint,
                              auk_error *err) {
  memset(b, 0, sizeof *b);
  b->type = type;
  b->width = auk_type_width(type);
  b->cap = cap;
  if (type == AUK_TYPE_STRING) {
    b->offsets = auk_buffer_new((cap + 1) * 8, err);
    if (!b->offsets) return err->code;
    ((int64_t *)b->offsets->data)[0] = 0;
    b->values = auk_buffer_new(bytes_hint > 0 ? bytes_hint : 64, err);
  } else {
    b->values = auk_buffer_new(fixed_bytes(b, cap) + 8, err);
  }
  if (!b->values) return err->code;
  return AUK_OK;
}

static auk_status colbuf_grow(colbuf *b, int64_t rows, auk_error *err) {
  if (rows <= b->cap) return AUK_OK;
  int64_t cap = b->cap * 2 > rows ? b->cap * 2 : rows;
  if (b->type == AUK_TYPE_STRING) {
    if (auk_buffer_reserve(b->offsets, (cap + 1) * 8, err)) return err->code;
  } else if (auk_buffer_reserve(b->values, fixed_bytes(b, cap) + 8, err)) {
    return err->code;
  }
  if (b->validity && auk_buffer_reserve(b->validity, auk_bitmap_bytes(cap) + 8, err))
    return err->code;
  b->cap = cap;
  return AUK_OK;
}

static auk_status reserve_bytes(colbuf *b, int64_t more, auk_error *err) {
  int64_t need = b->nbytes + more;
  if (need <= b->values->capacity) return AUK_OK;
  int64_t cap = b->values->capacity * 2 > need ? b->values->capacity * 2 : need;
  return auk_buffer_reserve(b->values, cap, err);
}

/* Makes sure a validity bitmap exists, rows before `upto` valid. */
static auk_status need_validity(colbuf *b, int64_t upto, auk_error *err) {
  if (b->validity) return AUK_OK;
  int64_t n = auk_bitmap_bytes(b->cap) + 8;
  b->validity = auk_buffer_new(n, err);
  if (!b->validity) return err->code;
  memset(b->validity->data, 0, (size_t)n);
  memset(b->validity->data, 0xFF, (size_t)(upto >> 3));
  for (int64_t i = upto & ~(int64_t)7; i < upto; i++) auk_bit_set(b->validity->data, i);
  return AUK_OK;
}

/* ------------------------------------------------------------ the task */

typedef struct chunk_job {
  pq_file *f;
  const pq_column *col;
  int rg;
  int64_t rows; /* rows wanted from this row group */
  worker_mem *w;
  colbuf out;
  colbuf dict;
  int has_dict;
  int64_t ndict;
  auk_error *err;
} chunk_job;

static auk_status bad(chunk_job *j, auk_status code, const char *fmt, ...) AUK_PRINTF(3, 4);

static auk_status bad(chunk_job *j, auk_status code, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return auk_error_set(j->err, code, "%s: column '%s', row group %d: %s", j->f->src.name,
                       j->col->name, j->rg, msg);
}

/* Adds the file, column and row group (and an offset) to a message a
 * lower layer left in j->err. */
static auk_status rewrap(chunk_job *j, auk_status code, int64_t offset) {
  char msg[600];
  size_t n = strnlen(j->err->message, sizeof msg - 1);
  memcpy(msg, j->err->message, n);
  msg[n] = 0;
  if (offset >= 0) return bad(j, code, "%s at offset %lld", msg, (long long)offset);
  return bad(j, code, "%s", msg);
}

static int phys_width(const pq_column *c) {
  switch (c->el->type) {
    case PQ_INT32:
    case PQ_FLOAT: return 4;
    case PQ_INT64:
    case PQ_DOUBLE: return 8;
    case PQ_INT96: return 12;
    case PQ_FIXED: return c->el->type_length;
    default: return 0;
  }
}

/* Dense physical values of one page: contiguous fixed-width values, bits
 * (booleans), or spans (byte arrays). */
typedef struct dense {
  const uint8_t *fixed;
  const pq_span *spans;
  int64_t n;
} dense;

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static float half_to_float(uint16_t h) {
  int s = h >> 15, e = (h >> 10) & 0x1F, m = h & 0x3FF;
  float v;
  if (e == 0)
    v = ldexpf((float)m, -24);
  else if (e == 31)
    v = m ? NAN : INFINITY;
  else
    v = ldexpf((float)(m | 0x400), e - 25);
  return s ? -v : v;
}

static double be_decimal(const uint8_t *p, int64_t n) {
  if (n == 0) return 0;
  double d = (double)(int8_t)p[0];
  if (n <= 8) {
    int64_t v = (int8_t)p[0];
    for (int64_t i = 1; i < n; i++) v = (int64_t)((uint64_t)v << 8 | p[i]);
    return (double)v;
  }
  for (int64_t i = 1; i < n; i++) d = d * 256.0 + p[i];
  return d;
}

/* "HH:MM:SS" and the fraction without trailing zeros, as DuckDB shows it. */
static int format_time(int64_t v, int64_t per_sec, int digits, char *out) {
  if (v < 0) v = 0;
  int64_t secs = v / per_sec, frac = v % per_sec;
  int n = snprintf(out, 40, "%02lld:%02lld:%02lld", (long long)(secs / 3600),
                   (long long)(secs / 60 % 60), (long long)(secs % 60));
  if (frac) {
    while (frac % 10 == 0) frac /= 10, digits--;
    n += snprintf(out + n, 40 - (size_t)n, ".%0*lld", digits, (long long)frac);
  }
  return n;
}

static int format_uuid(const uint8_t *p, char *out) {
  static const char hex[] = "0123456789abcdef";
  int n = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[n++] = '-';
    out[n++] = hex[p[i] >> 4];
    out[n++] = hex[p[i] & 15];
  }
  return n;
}

/* Appends one string value at row r (dense position). */
static auk_status put_str(colbuf *b, int64_t r, const void *s, int64_t n, auk_error *err) {
  if (reserve_bytes(b, n, err)) return err->code;
  if (n) memcpy(b->values->data + b->nbytes, s, (size_t)n);
  b->nbytes += n;
  ((int64_t *)b->offsets->data)[r + 1] = b->nbytes;
  return AUK_OK;
}

/* Converts d.n dense physical values to the target type at rows r0.. */
static auk_status convert(chunk_job *j, colbuf *b, int64_t r0, dense d) {
  const pq_column *c = j->col;
  auk_error *err = j->err;
  int64_t n = d.n;
  uint8_t *out = b->values->data;
  int pw = phys_width(c);
  switch (c->conv) {
    case PQ_CV_COPY:
      if (b->type == AUK_TYPE_STRING) goto bin;
      memcpy(out + r0 * b->width, d.fixed, (size_t)(n * b->width));
      return AUK_OK;
    case PQ_CV_BOOL: pq_bits_copy(out, r0, d.fixed, n); return AUK_OK;
    case PQ_CV_I32_I8: {
      const int32_t *s = (const int32_t *)d.fixed;
      int8_t *o = (int8_t *)out + r0;
      for (int64_t i = 0; i < n; i++) {
        int32_t v;
        memcpy(&v, s + i, 4);
        o[i] = (int8_t)v;
      }
      return AUK_OK;
    }
    case PQ_CV_I32_I16: {
      int16_t *o = (int16_t *)out + r0;
      for (int64_t i = 0; i < n; i++) {
        int32_t v;
        memcpy(&v, d.fixed + 4 * i, 4);
        o[i] = (int16_t)v;
      }
      return AUK_OK;
    }
    case PQ_CV_MS_US:
    case PQ_CV_NS_US: {
      int64_t *o = (int64_t *)out + r0;
      int ms = c->conv == PQ_CV_MS_US;
      for (int64_t i = 0; i < n; i++) {
        int64_t v;
        memcpy(&v, d.fixed + 8 * i, 8);
        o[i] = ms ? (int64_t)((uint64_t)v * 1000u) : floor_div(v, 1000);
      }
      return AUK_OK;
    }
    case PQ_CV_INT96: {
      int64_t *o = (int64_t *)out + r0;
      for (int64_t i = 0; i < n; i++) {
        int64_t nanos;
        int32_t jd;
        memcpy(&nanos, d.fixed + 12 * i, 8);
        memcpy(&jd, d.fixed + 12 * i + 8, 4);
        o[i] = (int64_t)(((uint64_t)((int64_t)jd - 2440588) * (uint64_t)AUK_USEC_PER_DAY) +
                         (uint64_t)floor_div(nanos, 1000));
      }
      return AUK_OK;
    }
    case PQ_CV_DEC_I32:
    case PQ_CV_DEC_I64: {
      double *o = (double *)out + r0;
      for (int64_t i = 0; i < n; i++) {
        if (c->conv == PQ_CV_DEC_I32) {
          int32_t v;
          memcpy(&v, d.fixed + 4 * i, 4);
          o[i] = (double)v / c->scale;
        } else {
          int64_t v;
          memcpy(&v, d.fixed + 8 * i, 8);
          o[i] = (double)v / c->scale;
        }
      }
      return AUK_OK;
    }
    case PQ_CV_DEC_BIN: {
      double *o = (double *)out + r0;
      for (int64_t i = 0; i < n; i++)
        o[i] = d.spans ? be_decimal(d.spans[i].p, d.spans[i].n) / c->scale
                       : be_decimal(d.fixed + i * pw, pw) / c->scale;
      return AUK_OK;
    }
    case PQ_CV_F16: {
      float *o = (float *)out + r0;
      for (int64_t i = 0; i < n; i++)
        o[i] = half_to_float((uint16_t)(d.fixed[2 * i] | d.fixed[2 * i + 1] << 8));
      return AUK_OK;
    }
    case PQ_CV_TIME_MS:
    case PQ_CV_TIME_US:
    case PQ_CV_TIME_NS:
    case PQ_CV_UUID: {
      char tmp[48];
      for (int64_t i = 0; i < n; i++) {
        int len;
        if (c->conv == PQ_CV_UUID) {
          len = format_uuid(d.fixed + 16 * i, tmp);
        } else if (c->conv == PQ_CV_TIME_MS) {
          int32_t v;
          memcpy(&v, d.fixed + 4 * i, 4);
          len = format_time(v, 1000, 3, tmp);
        } else {
          int64_t v;
          memcpy(&v, d.fixed + 8 * i, 8);
          len = c->conv == PQ_CV_TIME_US ? format_time(v, 1000000, 6, tmp)
                                         : format_time(v, 1000000000, 9, tmp);
        }
        if (put_str(b, r0 + i, tmp, len, err)) return err->code;
      }
      return AUK_OK;
    }
    case PQ_CV_BIN:
    bin : {
      if (d.spans) {
        int64_t total = 0;
        for (int64_t i = 0; i < n; i++) total += d.spans[i].n;
        if (reserve_bytes(b, total, err)) return err->code;
        uint8_t *dst = b->values->data;
        int64_t *offs = (int64_t *)b->offsets->data + r0 + 1;
        int64_t pos = b->nbytes;
        for (int64_t i = 0; i < n; i++) {
          memcpy(dst + pos, d.spans[i].p, (size_t)d.spans[i].n);
          pos += d.spans[i].n;
          offs[i] = pos;
        }
        b->nbytes = pos;
      } else {
        if (reserve_bytes(b, n * pw, err)) return err->code;
        memcpy(b->values->data + b->nbytes, d.fixed, (size_t)(n * pw));
        int64_t *offs = (int64_t *)b->offsets->data + r0 + 1;
        for (int64_t i = 0; i < n; i++) offs[i] = b->nbytes + (i + 1) * pw;
        b->nbytes += n * pw;
      }
      return AUK_OK;
    }
    case PQ_CV_NULL: return AUK_OK;
  }
  return AUK_OK;
}

/* Decodes n non-null values of a page's value section (not dictionary
 * indices) into their dense physical form. */
static auk_status decode_values(chunk_job *j, int enc, const uint8_t *p, int64_t len, int64_t n,
                                dense *d) {
  const pq_column *c = j->col;
  worker_mem *w = j->w;
  auk_error *err = j->err;
  int type = c->el->type, pw = phys_width(c);
  d->n = n;
  d->fixed = NULL;
  d->spans = NULL;
  if (type == PQ_BOOLEAN) {
    if (enc == PQ_ENC_PLAIN) {
      if (auk_bitmap_bytes(n) > len) return bad(j, AUK_ERR_PARSE, "boolean page is cut short");
      d->fixed = p;
      return AUK_OK;
    }
    if (enc == PQ_ENC_RLE) {
      if (len < 4) return bad(j, AUK_ERR_PARSE, "boolean RLE page is cut short");
      uint32_t l =
          (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
      if (l > len - 4) return bad(j, AUK_ERR_PARSE, "boolean RLE data runs past its page");
      uint32_t *v = scratch_get(&w->levels, (size_t)n * 4 + 4, err);
      uint8_t *bits = scratch_get(&w->vals, (size_t)auk_bitmap_bytes(n) + 8, err);
      if (!v || !bits) return err->code;
      if (pq_rle_decode(p + 4, l, 1, v, n) < 0)
        return bad(j, AUK_ERR_PARSE, "malformed RLE boolean data");
      memset(bits, 0, (size_t)auk_bitmap_bytes(n));
      for (int64_t i = 0; i < n; i++) bits[i >> 3] |= (uint8_t)((v[i] & 1) << (i & 7));
      d->fixed = bits;
      return AUK_OK;
    }
  } else if (type == PQ_BYTE_ARRAY || (type == PQ_FIXED && enc == PQ_ENC_DELTA_BYTE_ARRAY)) {
    pq_span *sp = scratch_get(&w->spans, (size_t)n * sizeof(pq_span) + 16, err);
    if (!sp) return err->code;
    d->spans = sp;
    if (enc == PQ_ENC_PLAIN) {
      const uint8_t *q = p, *end = p + len;
      for (int64_t i = 0; i < n; i++) {
        if (end - q < 4) return bad(j, AUK_ERR_PARSE, "byte array values run past their page");
        uint32_t l =
            (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
        q += 4;
        if (l > (uint64_t)(end - q))
          return bad(j, AUK_ERR_PARSE, "a byte array of %u bytes runs past its page", l);
        sp[i].p = q;
        sp[i].n = l;
        q += l;
      }
      return AUK_OK;
    }
    if (enc == PQ_ENC_DELTA_LENGTH_BYTE_ARRAY || enc == PQ_ENC_DELTA_BYTE_ARRAY) {
      const uint8_t *q = p, *end = p + len;
      int64_t *pre = NULL;
      if (enc == PQ_ENC_DELTA_BYTE_ARRAY) {
        int64_t k = pq_delta_count(q, end - q);
        if (k < n) return bad(j, AUK_ERR_PARSE, "malformed DELTA_BYTE_ARRAY prefix lengths");
        pre = scratch_get(&w->vals, (size_t)k * 8 + 8, err);
        if (!pre) return err->code;
        int64_t used = pq_delta_decode(q, end - q, pre, k);
        if (used < 0) return bad(j, AUK_ERR_PARSE, "malformed DELTA_BYTE_ARRAY prefix lengths");
        q += used;
      }
      int64_t k = pq_delta_count(q, end - q);
      if (k < n) return bad(j, AUK_ERR_PARSE, "malformed delta byte array lengths");
      int64_t *lens = scratch_get(&w->levels, (size_t)k * 8 + 8, err);
      if (!lens) return err->code;
      int64_t used = pq_delta_decode(q, end - q, lens, k);
      if (used < 0) return bad(j, AUK_ERR_PARSE, "malformed delta byte array lengths");
      q += used;
      int64_t total = 0;
      for (int64_t i = 0; i < n; i++) {
        if (lens[i] < 0 || lens[i] > end - q - total)
          return bad(j, AUK_ERR_PARSE, "delta byte array data runs past its page");
        sp[i].p = q + total;
        sp[i].n = lens[i];
        total += lens[i];
      }
      if (pre) { /* value i = prefix of value i-1 + suffix i */
        int64_t need = 0;
        for (int64_t i = 0; i < n; i++) {
          if (pre[i] < 0 || (i == 0 && pre[i] != 0) || (i > 0 && pre[i] > need))
            return bad(j, AUK_ERR_PARSE,
                       "a DELTA_BYTE_ARRAY prefix is longer than the value before it");
          need = pre[i] + sp[i].n;
          pre[i] = need; /* now: the length of value i */
        }
        total = 0;
        for (int64_t i = 0; i < n; i++) total += pre[i];
        uint8_t *buf = scratch_get(&w->bytes, (size_t)total + 1, err);
        if (!buf) return err->code;
        int64_t pos = 0;
        for (int64_t i = 0; i < n; i++) {
          int64_t plen = pre[i] - sp[i].n;
          if (plen) memcpy(buf + pos, sp[i - 1].p, (size_t)plen);
          memcpy(buf + pos + plen, sp[i].p, (size_t)sp[i].n);
          sp[i].p = buf + pos;
          sp[i].n = pre[i];
          pos += pre[i];
        }
      }
      if (type == PQ_FIXED) { /* back to contiguous fixed-width values */
        uint8_t *fx = scratch_get(&w->vals, (size_t)(n * pw) + 8, err);
        if (!fx) return err->code;
        for (int64_t i = 0; i < n; i++) {
          if (sp[i].n != pw)
            return bad(j, AUK_ERR_PARSE, "a fixed-length value has %lld bytes, not %d",
                       (long long)sp[i].n, pw);
          memcpy(fx + i * pw, sp[i].p, (size_t)pw);
        }
        d->spans = NULL;
        d->fixed = fx;
      }
      return AUK_OK;
    }
  } else {
    if (enc == PQ_ENC_PLAIN) {
      if (len / pw < n)
        return bad(j, AUK_ERR_PARSE, "page holds %lld bytes of values, %lld needed", (long long)len,
                   (long long)(n * pw));
      d->fixed = p;
      return AUK_OK;
    }
    if (enc == PQ_ENC_BYTE_STREAM_SPLIT) {
      uint8_t *o = scratch_get(&w->vals, (size_t)(n * pw) + 8, err);
      if (!o) return err->code;
      if (pq_bss_decode(p, len, pw, n, o))
        return bad(j, AUK_ERR_PARSE, "BYTE_STREAM_SPLIT page is cut short");
      d->fixed = o;
      return AUK_OK;
    }
    if (enc == PQ_ENC_DELTA_BINARY_PACKED && (type == PQ_INT32 || type == PQ_INT64)) {
      int64_t k = pq_delta_count(p, len);
      if (k < n) return bad(j, AUK_ERR_PARSE, "malformed DELTA_BINARY_PACKED data");
      int64_t *o = scratch_get(&w->vals, (size_t)k * 8 + 8, err);
      if (!o) return err->code;
      if (pq_delta_decode(p, len, o, k) < 0)
        return bad(j, AUK_ERR_PARSE, "malformed DELTA_BINARY_PACKED data");
      if (type == PQ_INT32) {
        int32_t *o32 = (int32_t *)o;
        for (int64_t i = 0; i < n; i++) o32[i] = (int32_t)o[i];
      }
      d->fixed = (const uint8_t *)o;
      return AUK_OK;
    }
  }
  return bad(j, AUK_ERR_UNSUPPORTED, "encoding %d is not supported for this column's type", enc);
}

/* Copies dictionary entries idx[0..n) to rows r0.. of out. */
static auk_status gather(chunk_job *j, colbuf *out, int64_t r0, const uint32_t *idx, int64_t n) {
  colbuf *dc = &j->dict;
  uint32_t nd = (uint32_t)j->ndict;
  for (int64_t i = 0; i < n; i++)
    if (idx[i] >= nd)
      return bad(j, AUK_ERR_PARSE, "dictionary index %u is out of range (%u entries)", idx[i], nd);
  const uint8_t *src = dc->values->data;
  uint8_t *dst = out->values->data;
  switch (out->type) {
    case AUK_TYPE_STRING: {
      const int64_t *so = (const int64_t *)dc->offsets->data;
      int64_t total = 0;
      for (int64_t i = 0; i < n; i++) total += so[idx[i] + 1] - so[idx[i]];
      if (reserve_bytes(out, total, j->err)) return j->err->code;
      dst = out->values->data;
      int64_t *oo = (int64_t *)out->offsets->data + r0 + 1, pos = out->nbytes;
      for (int64_t i = 0; i < n; i++) {
        int64_t a = so[idx[i]], l = so[idx[i] + 1] - a;
        memcpy(dst + pos, src + a, (size_t)l);
        pos += l;
        oo[i] = pos;
      }
      out->nbytes = pos;
      return AUK_OK;
    }
    case AUK_TYPE_BOOL:
      for (int64_t i = 0; i < n; i++) auk_bit_put(dst, r0 + i, auk_bit_get(src, idx[i]));
      return AUK_OK;
    default: break;
  }
  switch (out->width) {
    case 1:
      for (int64_t i = 0; i < n; i++) dst[r0 + i] = src[idx[i]];
      break;
    case 2:
      for (int64_t i = 0; i < n; i++) ((uint16_t *)dst)[r0 + i] = ((const uint16_t *)src)[idx[i]];
      break;
    case 4:
      for (int64_t i = 0; i < n; i++) ((uint32_t *)dst)[r0 + i] = ((const uint32_t *)src)[idx[i]];
      break;
    default:
      for (int64_t i = 0; i < n; i++) ((uint64_t *)dst)[r0 + i] = ((const uint64_t *)src)[idx[i]];
      break;
  }
  return AUK_OK;
}

/* Moves nn dense values at rows r0.. to their places among nv rows, by
 * the validity bits, back to front (in place: a value only moves up). */
static void spread(colbuf *b, int64_t r0, int64_t nv, int64_t nn) {
  const uint8_t *valid = b->validity->data;
  int64_t k = nn - 1;
  uint8_t *v = b->values->data;
  if (b->type == AUK_TYPE_STRING) {
    int64_t *o = (int64_t *)b->offsets->data + r0 + 1; /* o[-1] is the start */
    for (int64_t i = nv - 1; i >= 0; i--) {
      int64_t end = o[k];
      if (auk_bit_get(valid, r0 + i)) k--;
      o[i] = end;
    }
    return;
  }
  if (b->type == AUK_TYPE_BOOL) {
    for (int64_t i = nv - 1; i >= 0; i--) {
      if (!auk_bit_get(valid, r0 + i)) {
        auk_bit_clear(v, r0 + i);
        continue;
      }
      auk_bit_put(v, r0 + i, auk_bit_get(v, r0 + k));
      k--;
    }
    return;
  }
  int w = b->width;
  uint8_t *base = v + r0 * w;
  /* branch-free: each row takes the next dense value or zero */
#define SPREAD(T)                                    \
  {                                                  \
    T *d = (T *)base;                                \
    for (int64_t i = nv - 1; i >= 0 && k < i; i--) { \
      int bit = auk_bit_get(valid, r0 + i);          \
      T x = d[k < 0 ? 0 : k];                        \
      d[i] = bit ? x : (T)0;                         \
      k -= bit;                                      \
    }                                                \
    return;                                          \
  }
  switch (w) {
    case 1: SPREAD(uint8_t)
    case 2: SPREAD(uint16_t)
    case 4: SPREAD(uint32_t)
    case 8: SPREAD(uint64_t)
    default: break;
  }
#undef SPREAD
  for (int64_t i = nv - 1; i >= 0 && k < i; i--) {
    if (auk_bit_get(valid, r0 + i)) {
      memcpy(base + i * w, base + k * w, (size_t)w);
      k--;
    } else {
      memset(base + i * w, 0, (size_t)w);
    }
  }
}

static auk_status decode_dict_page(chunk_job *j, const pq_page_header *h, const uint8_t *p,
                                   int64_t len) {
  if (j->has_dict) return bad(j, AUK_ERR_PARSE, "the column chunk has two dictionary pages");
  if (h->encoding != PQ_ENC_PLAIN && h->encoding != PQ_ENC_PLAIN_DICTIONARY)
    return bad(j, AUK_ERR_UNSUPPORTED, "dictionary page encoding %d is not supported", h->encoding);
  if (h->num_values < 0 || h->num_values > len * 8)
    return bad(j, AUK_ERR_PARSE, "the dictionary page declares %d values in %lld bytes",
               h->num_values, (long long)len);
  if (colbuf_init(&j->dict, j->col->type, h->num_values, len, j->err)) return j->err->code;
  dense d;
  if (decode_values(j, PQ_ENC_PLAIN, p, len, h->num_values, &d)) return j->err->code;
  if (convert(j, &j->dict, 0, d)) return j->err->code;
  j->has_dict = 1;
  j->ndict = h->num_values;
  /* strings gathered from a dictionary outgrow the chunk's size: make room
   * for the rows at the dictionary's mean length once, not by doublings */
  if (j->out.type == AUK_TYPE_STRING && h->num_values > 0) {
    int64_t mean = j->dict.nbytes / h->num_values + 1;
    int64_t want = mean < (64 << 20) / (j->rows + 1) ? mean * j->rows : (64 << 20);
    if (reserve_bytes(&j->out, want, j->err)) return j->err->code; /* capped: skewed entries */
  }
  return AUK_OK;
}

static auk_status decode_data_page(chunk_job *j, const pq_page_header *h, const uint8_t *lv_p,
                                   int64_t lv_len, const uint8_t *p, int64_t len, int v2) {
  colbuf *b = &j->out;
  int64_t r0 = b->len, nv = h->num_values;
  const pq_column *c = j->col;
  const pq_row_group *rg = &j->f->meta.rgs[j->rg];
  if (nv < 0 || nv > rg->num_rows - r0)
    return bad(j, AUK_ERR_PARSE, "a page holds %lld values, more than the row group's %lld rows",
               (long long)nv, (long long)rg->num_rows);
  if (colbuf_grow(b, r0 + nv, j->err)) return j->err->code;
  int64_t nn = nv;
  if (c->max_def > 0) {
    /* levels go straight into the validity bitmap */
    if (need_validity(b, r0, j->err)) return j->err->code;
    uint8_t *bits = b->validity->data;
    int64_t used;
    if (v2) {
      used = pq_rle_decode_bits(lv_p, lv_len, bits, r0, nv);
    } else if (h->def_encoding == PQ_ENC_BIT_PACKED) {
      uint32_t *lv = scratch_get(&j->w->levels, (size_t)nv * 4 + 4, j->err);
      if (!lv) return j->err->code;
      used = pq_bitpacked_msb_decode(p, len, 1, lv, nv);
      for (int64_t i = 0; used >= 0 && i < nv; i++) auk_bit_put(bits, r0 + i, lv[i] != 0);
    } else {
      if (len < 4) return bad(j, AUK_ERR_PARSE, "definition levels are cut short");
      uint32_t l =
          (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
      if (l > len - 4) return bad(j, AUK_ERR_PARSE, "definition levels run past their page");
      used = pq_rle_decode_bits(p + 4, l, bits, r0, nv) < 0 ? -1 : (int64_t)l + 4;
    }
    if (used < 0) return bad(j, AUK_ERR_PARSE, "malformed definition levels");
    if (!v2) {
      p += used;
      len -= used;
    }
    nn = auk_bitmap_count(bits, r0, nv);
  } else if (b->validity) {
    for (int64_t i = 0; i < nv; i++) auk_bit_set(b->validity->data, r0 + i);
  }
  int enc = h->encoding;
  if (c->conv == PQ_CV_NULL) {
    nn = 0;
  } else if (enc == PQ_ENC_PLAIN_DICTIONARY || enc == PQ_ENC_RLE_DICTIONARY) {
    if (!j->has_dict) return bad(j, AUK_ERR_PARSE, "a dictionary-encoded page has no dictionary");
    if (nn > 0) {
      if (len < 1) return bad(j, AUK_ERR_PARSE, "dictionary indices are missing");
      int bw = p[0];
      uint32_t *idx = scratch_get(&j->w->levels, (size_t)nn * 4 + 4, j->err);
      if (!idx) return j->err->code;
      if (bw > 32 || pq_rle_decode(p + 1, len - 1, bw, idx, nn) < 0)
        return bad(j, AUK_ERR_PARSE, "malformed dictionary indices");
      if (gather(j, b, r0, idx, nn)) return j->err->code;
    }
  } else {
    dense d;
    if (decode_values(j, enc, p, len, nn, &d)) return j->err->code;
    if (convert(j, b, r0, d)) return j->err->code;
  }
  if (nn < nv) {
    if (b->type == AUK_TYPE_STRING && nn == 0) {
      int64_t *o = (int64_t *)b->offsets->data + r0;
      for (int64_t i = 1; i <= nv; i++) o[i] = o[0];
    } else if (c->conv != PQ_CV_NULL) {
      spread(b, r0, nv, nn);
    }
  }
  b->len = r0 + nv;
  return AUK_OK;
}

static auk_status read_chunk(chunk_job *j) {
  pq_file *f = j->f;
  const pq_row_group *rg = &f->meta.rgs[j->rg];
  const pq_chunk *ch = &rg->cols[j->col->leaf];
  const pq_column_meta *m = &ch->meta;
  worker_mem *w = j->w;
  auk_error *err = j->err;
  if (!ch->has_meta)
    return bad(j, AUK_ERR_UNSUPPORTED,
               "the column chunk has no metadata (external files are not supported)");
  if (m->type != j->col->el->type)
    return bad(j, AUK_ERR_PARSE, "the chunk's type (%d) differs from the schema's (%d)", m->type,
               j->col->el->type);
  int64_t start = m->data_page_offset;
  if (m->dictionary_page_offset > 0 && m->dictionary_page_offset < start)
    start = m->dictionary_page_offset;
  int64_t size = m->total_compressed;
  if (f->chunk_slack && size >= 0 && start >= 4 && start <= f->data_end) {
    int64_t room = f->data_end - start - size;
    size += room < f->chunk_slack ? (room > 0 ? room : 0) : f->chunk_slack;
  }
  if (start < 4 || size < 0 || start > f->data_end || size > f->data_end - start)
    return bad(j, AUK_ERR_PARSE,
               "its data (offset %lld, %lld bytes) lies outside the file's data (bytes 4 to %lld)",
               (long long)start, (long long)size, (long long)f->data_end);
  if (colbuf_init(&j->out, j->col->type, j->rows,
                  j->col->type == AUK_TYPE_STRING ? m->total_uncompressed : 0, err))
    return err->code;
  const uint8_t *pos = f->src.data + start, *end = pos + size;
  while (j->out.len < j->rows && pos < end) {
    pq_page_header h;
    size_t used;
    if (pq_page_header_parse(pos, (size_t)(end - pos), &h, &used, err)) {
      return rewrap(j, AUK_ERR_PARSE, pos - f->src.data);
    }
    const uint8_t *payload = pos + used;
    if (h.compressed_size > end - payload)
      return bad(j, AUK_ERR_PARSE,
                 "a page of %d bytes at offset %lld runs past the end of its column chunk",
                 h.compressed_size, (long long)(pos - f->src.data));
    pos = payload + h.compressed_size;
    if (h.type == PQ_PAGE_DICTIONARY || h.type == PQ_PAGE_DATA) {
      if (h.type == PQ_PAGE_DICTIONARY ? !h.has_dict : !h.has_data)
        return bad(j, AUK_ERR_PARSE, "a page header lacks its type-specific part");
      const uint8_t *data = payload;
      if (m->codec != PQ_CODEC_UNCOMPRESSED) {
        uint8_t *buf = scratch_get(&w->page, (size_t)h.uncompressed_size + 8, err);
        if (!buf) return err->code;
        if (pq_decompress(m->codec, payload, (size_t)h.compressed_size, buf,
                          (size_t)h.uncompressed_size, err)) {
          return rewrap(j, err->code, -1);
        }
        data = buf;
      } else if (h.uncompressed_size != h.compressed_size) {
        return bad(j, AUK_ERR_PARSE, "an uncompressed page declares %d bytes but holds %d",
                   h.uncompressed_size, h.compressed_size);
      }
      auk_status st = h.type == PQ_PAGE_DICTIONARY
                          ? decode_dict_page(j, &h, data, h.uncompressed_size)
                          : decode_data_page(j, &h, NULL, 0, data, h.uncompressed_size, 0);
      if (st) return st;
    } else if (h.type == PQ_PAGE_DATA_V2) {
      if (!h.has_v2) return bad(j, AUK_ERR_PARSE, "a page header lacks its type-specific part");
      if (h.rep_len < 0 || h.def_len < 0 || (int64_t)h.rep_len + h.def_len > h.compressed_size ||
          (int64_t)h.rep_len + h.def_len > h.uncompressed_size)
        return bad(j, AUK_ERR_PARSE, "a v2 page's level lengths exceed the page");
      const uint8_t *lv = payload + h.rep_len;
      int64_t clen = h.compressed_size - h.rep_len - h.def_len;
      int64_t ulen = h.uncompressed_size - h.rep_len - h.def_len;
      const uint8_t *data = lv + h.def_len;
      if (m->codec != PQ_CODEC_UNCOMPRESSED && h.is_compressed && !(clen == 0 && ulen == 0)) {
        uint8_t *buf = scratch_get(&w->page, (size_t)ulen + 8, err);
        if (!buf) return err->code;
        if (pq_decompress(m->codec, data, (size_t)clen, buf, (size_t)ulen, err)) {
          return rewrap(j, err->code, -1);
        }
        data = buf;
      } else if (clen != ulen) {
        return bad(j, AUK_ERR_PARSE, "an uncompressed page declares %lld bytes but holds %lld",
                   (long long)ulen, (long long)clen);
      }
      if (decode_data_page(j, &h, lv, h.def_len, data, ulen, 1)) return err->code;
    }
  }
  if (j->out.len < j->rows)
    return bad(j, AUK_ERR_PARSE,
               "the column chunk holds %lld values, but the row group has %lld rows",
               (long long)j->out.len, (long long)rg->num_rows);
  return AUK_OK;
}

/* The finished column chunk as one array of j->rows rows. */
static auk_array *finish_chunk(chunk_job *j) {
  colbuf *b = &j->out;
  int64_t n = j->rows;
  if (j->col->conv == PQ_CV_NULL) return auk_array_new_nulls(AUK_TYPE_NULL, n, j->err);
  int64_t nulls = b->validity ? n - auk_bitmap_count(b->validity->data, 0, n) : 0;
  if (b->type == AUK_TYPE_STRING) {
    b->values->size = b->nbytes;
    b->offsets->size = (n + 1) * 8;
  } else {
    b->values->size = fixed_bytes(b, n);
  }
  if (b->validity) b->validity->size = auk_bitmap_bytes(n);
  return auk_array_new_from(b->type, n, nulls, nulls ? b->validity : NULL, b->values, b->offsets,
                            j->err);
}

typedef struct read_ctx {
  pq_file *f;
  const int *cols; /* column indices into f->cols */
  int ncols;
  const int64_t *rows; /* per row group */
  worker_mem *mem;
  auk_array **arrays; /* [rg * ncols + c] */
  auk_error *errs;
  int *failed;
} read_ctx;

static void chunk_task(void *ctx, int64_t t, int worker) {
  read_ctx *r = ctx;
  chunk_job j;
  memset(&j, 0, sizeof j);
  j.f = r->f;
  j.rg = (int)(t / r->ncols);
  j.col = &r->f->cols[r->cols[t % r->ncols]];
  j.rows = r->rows[j.rg];
  j.w = &r->mem[worker];
  j.err = &r->errs[t];
  if (j.col->conv == PQ_CV_NULL) {
    r->arrays[t] = auk_array_new_nulls(AUK_TYPE_NULL, j.rows, j.err);
  } else if (j.rows == 0) {
    if (colbuf_init(&j.out, j.col->type, 0, 0, j.err) == AUK_OK) r->arrays[t] = finish_chunk(&j);
  } else if (read_chunk(&j) == AUK_OK) {
    r->arrays[t] = finish_chunk(&j);
  }
  if (!r->arrays[t]) r->failed[t] = 1;
  colbuf_free(&j.out);
  colbuf_free(&j.dict);
}

auk_status pq_file_read(pq_file *f, const char *const *columns, int ncolumns, int64_t max_rows,
                        auk_frame **out, auk_error *err) {
  *out = NULL;
  int n = ncolumns > 0 ? ncolumns : f->ncols;
  if (n == 0 && f->nested)
    return auk_error_set(err, AUK_ERR_UNSUPPORTED,
                         "%s: every column is nested (list, struct or map): %s; nested types are "
                         "not supported yet",
                         f->src.name, f->nested);
  auk_status st = AUK_OK;
  int nthreads = auk_pool_threads();
  int *cols = auk_mem_calloc(sizeof(int) * (size_t)(n + 1), err);
  int64_t *rows = auk_mem_calloc(sizeof(int64_t) * (size_t)(f->meta.nrgs + 1), err);
  worker_mem *mem = auk_mem_calloc(sizeof(worker_mem) * (size_t)nthreads, err);
  auk_schema *schema = auk_schema_new(n, err);
  auk_frame *fr = NULL;
  int64_t ntasks = 0;
  auk_array **arrays = NULL;
  auk_error *errs = NULL;
  int *failed = NULL;
  if (!cols || !rows || !mem || !schema) goto fail;
  for (int i = 0; i < n; i++) {
    if (ncolumns > 0) {
      int k = -1;
      for (int c = 0; c < f->ncols && k < 0; c++)
        if (columns[i] && !strcmp(f->cols[c].name, columns[i])) k = c;
      if (k < 0) {
        /* a nested column, or a name that is not there */
        char quoted[512];
        snprintf(quoted, sizeof quoted, "'%s'", columns[i] ? columns[i] : "");
        if (f->nested && columns[i] && strstr(f->nested, quoted)) {
          st = auk_error_set(err, AUK_ERR_UNSUPPORTED,
                             "%s: column '%s' is nested (list, struct or map); nested types are "
                             "not supported yet",
                             f->src.name, columns[i]);
          goto fail;
        }
        auk_schema *all = auk_schema_new(f->ncols, err);
        if (!all) goto fail;
        for (int c = 0; c < f->ncols; c++)
          auk_schema_set(all, c, f->cols[c].name, f->cols[c].type, err);
        char hint[400];
        auk_schema_suggest(all, columns[i] ? columns[i] : "", hint, sizeof hint);
        auk_schema_release(all);
        st = auk_error_set(err, AUK_ERR_NOT_FOUND, "%s: no column '%s' (%s)", f->src.name,
                           columns[i] ? columns[i] : "(null)", hint);
        goto fail;
      }
      cols[i] = k;
    } else {
      cols[i] = i;
    }
    const pq_column *c = &f->cols[cols[i]];
    if (auk_schema_set(schema, i, c->name, c->type, err)) goto fail;
    if (c->tz && !(schema->fields[i].timezone = auk_str_dup(c->tz, err))) goto fail;
  }
  int64_t left = max_rows < 0 ? INT64_MAX : max_rows;
  int nrg = 0;
  for (int g = 0; g < f->meta.nrgs && left > 0; g++) {
    rows[g] = f->meta.rgs[g].num_rows < left ? f->meta.rgs[g].num_rows : left;
    left -= rows[g];
    nrg = g + 1;
  }
  ntasks = (int64_t)nrg * n;
  arrays = auk_mem_calloc(sizeof(auk_array *) * (size_t)(ntasks + 1), err);
  errs = auk_mem_calloc(sizeof(auk_error) * (size_t)(ntasks + 1), err);
  failed = auk_mem_calloc(sizeof(int) * (size_t)(ntasks + 1), err);
  if (!arrays || !errs || !failed) goto fail;
  if (ntasks) {
    read_ctx rc = {f, cols, n, rows, mem, arrays, errs, failed};
    auk_pool_run(ntasks, chunk_task, &rc);
  }
  for (int64_t t = 0; t < ntasks; t++)
    if (failed[t]) {
      *err = errs[t];
      st = errs[t].code;
      goto done;
    }
  fr = auk_frame_new(schema, err);
  if (!fr) goto fail;
  if (f->nested) {
    char note[1200];
    snprintf(note, sizeof note,
             "skipped nested column%s %s: lists, structs and maps are not supported yet",
             strchr(f->nested, ',') ? "s" : "", f->nested);
    if (auk_frame_add_note(fr, note, err)) goto fail;
  }
  for (int g = 0; g < nrg; g++) {
    for (int64_t s = 0; s < rows[g]; s += AUK_BATCH_ROWS) {
      int64_t len = rows[g] - s < AUK_BATCH_ROWS ? rows[g] - s : AUK_BATCH_ROWS;
      auk_batch *b = auk_batch_new(schema, len, err);
      if (!b) goto fail;
      for (int c = 0; c < n; c++) {
        auk_array *a = arrays[(int64_t)g * n + c];
        b->cols[c] =
            (s == 0 && len == a->length) ? auk_array_retain(a) : auk_array_slice(a, s, len, err);
        if (!b->cols[c]) {
          auk_batch_free(b);
          goto fail;
        }
      }
      if (auk_frame_append(fr, b, err)) goto fail;
    }
  }
  *out = fr;
  fr = NULL;
  goto done;
fail:
  if (!st) st = err->code;
done:
  auk_frame_free(fr);
  if (arrays)
    for (int64_t t = 0; t < ntasks; t++) auk_array_release(arrays[t]);
  auk_mem_free(arrays, sizeof(auk_array *) * (size_t)(ntasks + 1));
  auk_mem_free(errs, sizeof(auk_error) * (size_t)(ntasks + 1));
  auk_mem_free(failed, sizeof(int) * (size_t)(ntasks + 1));
  if (mem)
    for (int i = 0; i < nthreads; i++) {
      scratch_free(&mem[i].page);
      scratch_free(&mem[i].levels);
      scratch_free(&mem[i].vals);
      scratch_free(&mem[i].spans);
      scratch_free(&mem[i].bytes);
    }
  auk_mem_free(mem, sizeof(worker_mem) * (size_t)nthreads);
  auk_mem_free(cols, sizeof(int) * (size_t)(n + 1));
  auk_mem_free(rows, sizeof(int64_t) * (size_t)(f->meta.nrgs + 1));
  auk_schema_release(schema);
  return st;
}
