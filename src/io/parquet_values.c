/* parquet_values.c - the values of a page: each encoding decoded into a
 * dense physical form (fixed-width values in place or in scratch, byte
 * arrays as spans), then converted to the auk type in one loop per
 * conversion; dictionary gathers and the spreading of values over null
 * slots, back to front. */
#include "core/datetime.h"
#include "io/parquet_chunk.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* Big-endian two's complement bytes as an int64; 0 when the value does
 * not fit (bytes before the last 8 must be the sign's extension). */
static int be_int64(const uint8_t *p, int64_t n, int64_t *out) {
  if (n == 0) {
    *out = 0;
    return 1;
  }
  uint8_t sign = (int8_t)p[0] < 0 ? 0xff : 0;
  for (int64_t i = 0; i + 8 < n; i++)
    if (p[i] != sign) return 0;
  int64_t k = n > 8 ? n - 8 : 0;
  uint64_t v = sign ? ~UINT64_C(0) : 0;
  for (int64_t i = k; i < n; i++) v = v << 8 | p[i];
  if (n >= 8 && k > 0 && ((v >> 63) != (sign & 1))) return 0;
  *out = (int64_t)v;
  return 1;
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
static auk_status put_str(pq_colbuf *b, int64_t r, const void *s, int64_t n, auk_error *err) {
  if (pq_reserve_bytes(b, n, err)) return err->code;
  if (n) memcpy(b->values->data + b->nbytes, s, (size_t)n);
  b->nbytes += n;
  ((int64_t *)b->offsets->data)[r + 1] = b->nbytes;
  return AUK_OK;
}

/* Converts d.n dense physical values to the target type at rows r0.. */
auk_status pq_convert(pq_chunk_job *j, pq_colbuf *b, int64_t r0, pq_dense d) {
  const pq_column *c = j->col;
  auk_error *err = j->err;
  int64_t n = d.n;
  uint8_t *out = b->values->data;
  int pw = pq_phys_width(c);
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
    case PQ_CV_DEC_I64:
      if (auk_type_is_decimal(b->type)) { /* exact: the unscaled values */
        int64_t *o = (int64_t *)out + r0;
        if (c->conv == PQ_CV_DEC_I64) {
          memcpy(o, d.fixed, (size_t)n * 8);
        } else {
          for (int64_t i = 0; i < n; i++) {
            int32_t v;
            memcpy(&v, d.fixed + 4 * i, 4);
            o[i] = v;
          }
        }
        return AUK_OK;
      }
      {
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
    case PQ_CV_DEC_BIN:
      if (auk_type_is_decimal(b->type)) {
        int64_t *o = (int64_t *)out + r0;
        for (int64_t i = 0; i < n; i++) {
          const uint8_t *p = d.spans ? d.spans[i].p : d.fixed + i * pw;
          int64_t len = d.spans ? d.spans[i].n : pw;
          if (!be_int64(p, len, &o[i]))
            return pq_bad(j, AUK_ERR_PARSE, "a %s value does not fit 64 bits",
                          auk_type_name(b->type));
        }
        return AUK_OK;
      }
      {
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
        if (pq_reserve_bytes(b, total, err)) return err->code;
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
        if (pq_reserve_bytes(b, n * pw, err)) return err->code;
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
auk_status pq_decode_values(pq_chunk_job *j, int enc, const uint8_t *p, int64_t len, int64_t n,
                            pq_dense *d) {
  const pq_column *c = j->col;
  pq_worker_mem *w = j->w;
  auk_error *err = j->err;
  int type = c->el->type, pw = pq_phys_width(c);
  d->n = n;
  d->fixed = NULL;
  d->spans = NULL;
  if (n == 0) { /* a page of nulls: its value section may be empty */
    d->fixed = p ? p : (const uint8_t *)"";
    return AUK_OK;
  }
  if (type == PQ_BOOLEAN) {
    if (enc == PQ_ENC_PLAIN) {
      if (auk_bitmap_bytes(n) > len) return pq_bad(j, AUK_ERR_PARSE, "boolean page is cut short");
      d->fixed = p;
      return AUK_OK;
    }
    if (enc == PQ_ENC_RLE) {
      if (len < 4) return pq_bad(j, AUK_ERR_PARSE, "boolean RLE page is cut short");
      uint32_t l =
          (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
      if (l > len - 4) return pq_bad(j, AUK_ERR_PARSE, "boolean RLE data runs past its page");
      uint32_t *v = pq_scratch_get(&w->levels, (size_t)n * 4 + 4, err);
      uint8_t *bits = pq_scratch_get(&w->vals, (size_t)auk_bitmap_bytes(n) + 8, err);
      if (!v || !bits) return err->code;
      if (pq_rle_decode(p + 4, l, 1, v, n) < 0)
        return pq_bad(j, AUK_ERR_PARSE, "malformed RLE boolean data");
      memset(bits, 0, (size_t)auk_bitmap_bytes(n));
      for (int64_t i = 0; i < n; i++) bits[i >> 3] |= (uint8_t)((v[i] & 1) << (i & 7));
      d->fixed = bits;
      return AUK_OK;
    }
  } else if (type == PQ_BYTE_ARRAY || (type == PQ_FIXED && enc == PQ_ENC_DELTA_BYTE_ARRAY)) {
    if (enc == PQ_ENC_PLAIN && n > len / 4)
      return pq_bad(j, AUK_ERR_PARSE, "%lld byte arrays cannot fit in %lld bytes", (long long)n,
                    (long long)len);
    pq_span *sp = pq_scratch_get(&w->spans, (size_t)n * sizeof(pq_span) + 16, err);
    if (!sp) return err->code;
    d->spans = sp;
    if (enc == PQ_ENC_PLAIN) {
      const uint8_t *q = p, *end = p + len;
      for (int64_t i = 0; i < n; i++) {
        if (end - q < 4) return pq_bad(j, AUK_ERR_PARSE, "byte array values run past their page");
        uint32_t l =
            (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
        q += 4;
        if (l > (uint64_t)(end - q))
          return pq_bad(j, AUK_ERR_PARSE, "a byte array of %u bytes runs past its page", l);
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
        if (k < n) return pq_bad(j, AUK_ERR_PARSE, "malformed DELTA_BYTE_ARRAY prefix lengths");
        pre = pq_scratch_get(&w->vals, (size_t)k * 8 + 8, err);
        if (!pre) return err->code;
        int64_t used = pq_delta_decode(q, end - q, pre, k);
        if (used < 0) return pq_bad(j, AUK_ERR_PARSE, "malformed DELTA_BYTE_ARRAY prefix lengths");
        q += used;
      }
      int64_t k = pq_delta_count(q, end - q);
      if (k < n) return pq_bad(j, AUK_ERR_PARSE, "malformed delta byte array lengths");
      int64_t *lens = pq_scratch_get(&w->levels, (size_t)k * 8 + 8, err);
      if (!lens) return err->code;
      int64_t used = pq_delta_decode(q, end - q, lens, k);
      if (used < 0) return pq_bad(j, AUK_ERR_PARSE, "malformed delta byte array lengths");
      q += used;
      int64_t total = 0;
      for (int64_t i = 0; i < n; i++) {
        if (lens[i] < 0 || lens[i] > end - q - total)
          return pq_bad(j, AUK_ERR_PARSE, "delta byte array data runs past its page");
        sp[i].p = q + total;
        sp[i].n = lens[i];
        total += lens[i];
      }
      if (pre) { /* value i = prefix of value i-1 + suffix i */
        int64_t need = 0;
        for (int64_t i = 0; i < n; i++) {
          if (pre[i] < 0 || (i == 0 && pre[i] != 0) || (i > 0 && pre[i] > need))
            return pq_bad(j, AUK_ERR_PARSE,
                          "a DELTA_BYTE_ARRAY prefix is longer than the value before it");
          need = pre[i] + sp[i].n;
          pre[i] = need; /* now: the length of value i */
        }
        total = 0;
        for (int64_t i = 0; i < n; i++) total += pre[i];
        uint8_t *buf = pq_scratch_get(&w->bytes, (size_t)total + 1, err);
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
        uint8_t *fx = pq_scratch_get(&w->vals, (size_t)(n * pw) + 8, err);
        if (!fx) return err->code;
        for (int64_t i = 0; i < n; i++) {
          if (sp[i].n != pw)
            return pq_bad(j, AUK_ERR_PARSE, "a fixed-length value has %lld bytes, not %d",
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
        return pq_bad(j, AUK_ERR_PARSE, "page holds %lld bytes of values, %lld needed",
                      (long long)len, (long long)(n * pw));
      d->fixed = p;
      return AUK_OK;
    }
    if (enc == PQ_ENC_BYTE_STREAM_SPLIT) {
      uint8_t *o = pq_scratch_get(&w->vals, (size_t)(n * pw) + 8, err);
      if (!o) return err->code;
      if (pq_bss_decode(p, len, pw, n, o))
        return pq_bad(j, AUK_ERR_PARSE, "BYTE_STREAM_SPLIT page is cut short");
      d->fixed = o;
      return AUK_OK;
    }
    if (enc == PQ_ENC_DELTA_BINARY_PACKED && (type == PQ_INT32 || type == PQ_INT64)) {
      int64_t k = pq_delta_count(p, len);
      if (k < n) return pq_bad(j, AUK_ERR_PARSE, "malformed DELTA_BINARY_PACKED data");
      int64_t *o = pq_scratch_get(&w->vals, (size_t)k * 8 + 8, err);
      if (!o) return err->code;
      if (pq_delta_decode(p, len, o, k) < 0)
        return pq_bad(j, AUK_ERR_PARSE, "malformed DELTA_BINARY_PACKED data");
      if (type == PQ_INT32) {
        int32_t *o32 = (int32_t *)o;
        for (int64_t i = 0; i < n; i++) o32[i] = (int32_t)o[i];
      }
      d->fixed = (const uint8_t *)o;
      return AUK_OK;
    }
  }
  return pq_bad(j, AUK_ERR_UNSUPPORTED, "encoding %d is not supported for this column's type", enc);
}

/* Copies dictionary entries idx[0..n) to rows r0.. of out. */
auk_status pq_gather(pq_chunk_job *j, pq_colbuf *out, int64_t r0, const uint32_t *idx, int64_t n) {
  pq_colbuf *dc = &j->dict;
  uint32_t nd = (uint32_t)j->ndict;
  for (int64_t i = 0; i < n; i++)
    if (idx[i] >= nd)
      return pq_bad(j, AUK_ERR_PARSE, "dictionary index %u is out of range (%u entries)", idx[i],
                    nd);
  const uint8_t *src = dc->values->data;
  uint8_t *dst = out->values->data;
  switch (out->type) {
    case AUK_TYPE_STRING: {
      const int64_t *so = (const int64_t *)dc->offsets->data;
      int64_t total = 0;
      for (int64_t i = 0; i < n; i++) total += so[idx[i] + 1] - so[idx[i]];
      if (pq_reserve_bytes(out, total + 16, j->err)) return j->err->code;
      dst = out->values->data;
      int64_t *oo = (int64_t *)out->offsets->data + r0 + 1, pos = out->nbytes;
      /* short strings move as one 16-byte copy where both buffers have
       * room past the value (no call to memcpy per value) */
      int64_t src_safe = dc->values->capacity - 16;
      for (int64_t i = 0; i < n; i++) {
        int64_t a = so[idx[i]], l = so[idx[i] + 1] - a;
        if (l <= 16 && a <= src_safe)
          memcpy(dst + pos, src + a, 16);
        else
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
void pq_spread(pq_colbuf *b, int64_t r0, int64_t nv, int64_t nn) {
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
