/* parquet_chunk.c - one column chunk: its pages walked in order, each
 * decompressed into per-worker scratch, definition levels decoded straight
 * into the validity bitmap, the dictionary page decoded and converted once,
 * data pages gathered from it or decoded by parquet_values.c, and the nulls
 * spread in place. Every size and offset is checked against the chunk. */
#include "core/alloc.h"
#include "core/types.h"
#include "io/parquet_chunk.h"
#include "io/parquet_codec.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------- scratch memory */

void *pq_scratch_get(pq_scratch *s, size_t n, auk_error *err) {
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

void pq_scratch_free(pq_scratch *s) {
  auk_mem_free(s->p, s->cap);
  s->p = NULL;
  s->cap = 0;
}

/* ------------------------------------------------------ column buffers */

void pq_colbuf_free(pq_colbuf *b) {
  auk_buffer_release(b->values);
  auk_buffer_release(b->offsets);
  auk_buffer_release(b->validity);
  memset(b, 0, sizeof *b);
}

int64_t pq_fixed_bytes(const pq_colbuf *b, int64_t rows) {
  if (b->type == AUK_TYPE_BOOL) return auk_bitmap_bytes(rows);
  if (b->type == AUK_TYPE_STRING) return 0;
  return rows * b->width;
}

auk_status pq_colbuf_init(pq_colbuf *b, auk_type_id type, int64_t cap, int64_t bytes_hint,
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
    b->values = auk_buffer_new(pq_fixed_bytes(b, cap) + 8, err);
  }
  if (!b->values) return err->code;
  return AUK_OK;
}

static auk_status colbuf_grow(pq_colbuf *b, int64_t rows, auk_error *err) {
  if (rows <= b->cap) return AUK_OK;
  int64_t cap = b->cap * 2 > rows ? b->cap * 2 : rows;
  if (b->type == AUK_TYPE_STRING) {
    if (auk_buffer_reserve(b->offsets, (cap + 1) * 8, err)) return err->code;
  } else if (auk_buffer_reserve(b->values, pq_fixed_bytes(b, cap) + 8, err)) {
    return err->code;
  }
  if (b->validity && auk_buffer_reserve(b->validity, auk_bitmap_bytes(cap) + 8, err))
    return err->code;
  b->cap = cap;
  return AUK_OK;
}

auk_status pq_reserve_bytes(pq_colbuf *b, int64_t more, auk_error *err) {
  int64_t need = b->nbytes + more;
  if (need <= b->values->capacity) return AUK_OK;
  int64_t cap = b->values->capacity * 2 > need ? b->values->capacity * 2 : need;
  return auk_buffer_reserve(b->values, cap, err);
}

/* Makes sure a validity bitmap exists, rows before `upto` valid. */
static auk_status need_validity(pq_colbuf *b, int64_t upto, auk_error *err) {
  if (b->validity) return AUK_OK;
  int64_t n = auk_bitmap_bytes(b->cap) + 8;
  b->validity = auk_buffer_new(n, err);
  if (!b->validity) return err->code;
  memset(b->validity->data, 0, (size_t)n);
  memset(b->validity->data, 0xFF, (size_t)(upto >> 3));
  for (int64_t i = upto & ~(int64_t)7; i < upto; i++) auk_bit_set(b->validity->data, i);
  return AUK_OK;
}

auk_status pq_bad(pq_chunk_job *j, auk_status code, const char *fmt, ...) {
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
static auk_status rewrap(pq_chunk_job *j, auk_status code, int64_t offset) {
  char msg[600];
  size_t n = strnlen(j->err->message, sizeof msg - 1);
  memcpy(msg, j->err->message, n);
  msg[n] = 0;
  if (offset >= 0) return pq_bad(j, code, "%s at offset %lld", msg, (long long)offset);
  return pq_bad(j, code, "%s", msg);
}

int pq_phys_width(const pq_column *c) {
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

static auk_status decode_dict_page(pq_chunk_job *j, const pq_page_header *h, const uint8_t *p,
                                   int64_t len) {
  if (j->has_dict) return pq_bad(j, AUK_ERR_PARSE, "the column chunk has two dictionary pages");
  if (h->encoding != PQ_ENC_PLAIN && h->encoding != PQ_ENC_PLAIN_DICTIONARY)
    return pq_bad(j, AUK_ERR_UNSUPPORTED, "dictionary page encoding %d is not supported",
                  h->encoding);
  /* PLAIN values take at least: a bit (booleans), 4 bytes (byte arrays:
   * their length), their width (the rest) */
  int pw = pq_phys_width(j->col);
  int64_t room = j->col->el->type == PQ_BOOLEAN      ? len * 8
                 : j->col->el->type == PQ_BYTE_ARRAY ? len / 4
                                                     : len / (pw > 0 ? pw : 1);
  if (h->num_values < 0 || h->num_values > room)
    return pq_bad(j, AUK_ERR_PARSE, "the dictionary page declares %d values in %lld bytes",
                  h->num_values, (long long)len);
  /* codes pay when rows repeat entries: with a dictionary of more than a
   * quarter of the rows, each entry's first use (a hash probe that misses
   * the cache) costs about what decoding the strings saves */
  if (j->want_dict == 1 && h->num_values > j->rows / 4) {
    j->restart = 1;
    return pq_bad(j, AUK_ERR_INTERNAL, "the dictionary is large");
  }
  /* kept dictionary-encoded, the dictionary may need a null entry */
  if (pq_colbuf_init(&j->dict, j->col->type, h->num_values + j->want_dict, len, j->err))
    return j->err->code;
  pq_dense d;
  if (pq_decode_values(j, PQ_ENC_PLAIN, p, len, h->num_values, &d)) return j->err->code;
  if (pq_convert(j, &j->dict, 0, d)) return j->err->code;
  j->has_dict = 1;
  j->ndict = h->num_values;
  /* strings gathered from a dictionary outgrow the chunk's size: make room
   * for the rows at the dictionary's mean length once, not by doublings */
  if (j->out.type == AUK_TYPE_STRING && h->num_values > 0) {
    int64_t mean = j->dict.nbytes / h->num_values + 1;
    int64_t want = mean < (64 << 20) / (j->rows + 1) ? mean * j->rows : (64 << 20);
    if (pq_reserve_bytes(&j->out, want, j->err)) return j->err->code; /* capped: skewed entries */
  }
  return AUK_OK;
}

/* The dictionary codes of a page's nv rows (nn of them valid) into
 * j->out (int32) at row r0; null rows take the code of the dictionary's
 * null entry (ndict). */
static auk_status decode_codes(pq_chunk_job *j, const uint8_t *p, int64_t len, int64_t r0,
                               int64_t nv, int64_t nn) {
  pq_colbuf *b = &j->out;
  uint32_t *code = (uint32_t *)b->values->data + r0, nd = (uint32_t)j->ndict;
  if (nn > 0) {
    if (len < 1) return pq_bad(j, AUK_ERR_PARSE, "dictionary indices are missing");
    int bw = p[0];
    if (bw > 32 || pq_rle_decode(p + 1, len - 1, bw, code, nn) < 0)
      return pq_bad(j, AUK_ERR_PARSE, "malformed dictionary indices");
    uint32_t bad = 0;
    for (int64_t i = 0; i < nn; i++) bad |= code[i] >= nd;
    for (int64_t i = 0; bad && i < nn; i++)
      if (code[i] >= nd)
        return pq_bad(j, AUK_ERR_PARSE, "dictionary index %u is out of range (%u entries)", code[i],
                      nd);
  }
  if (nn < nv) { /* spread back to front: row i takes the next valid code or the null one */
    const uint8_t *valid = b->validity->data;
    int64_t k = nn - 1;
    for (int64_t i = nv - 1; i >= 0; i--) code[i] = auk_bit_get(valid, r0 + i) ? code[k--] : nd;
  }
  b->len = r0 + nv;
  return AUK_OK;
}

static auk_status decode_data_page(pq_chunk_job *j, const pq_page_header *h, const uint8_t *lv_p,
                                   int64_t lv_len, const uint8_t *p, int64_t len, int v2) {
  pq_colbuf *b = &j->out;
  int64_t r0 = b->len, nv = h->num_values;
  const pq_column *c = j->col;
  const pq_row_group *rg = &j->f->meta.rgs[j->rg];
  if (nv < 0 || nv > rg->num_rows - r0)
    return pq_bad(j, AUK_ERR_PARSE, "a page holds %lld values, more than the row group's %lld rows",
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
      uint32_t *lv = pq_scratch_get(&j->w->levels, (size_t)nv * 4 + 4, j->err);
      if (!lv) return j->err->code;
      used = pq_bitpacked_msb_decode(p, len, 1, lv, nv);
      for (int64_t i = 0; used >= 0 && i < nv; i++) auk_bit_put(bits, r0 + i, lv[i] != 0);
    } else {
      if (len < 4) return pq_bad(j, AUK_ERR_PARSE, "definition levels are cut short");
      uint32_t l =
          (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
      if (l > len - 4) return pq_bad(j, AUK_ERR_PARSE, "definition levels run past their page");
      used = pq_rle_decode_bits(p + 4, l, bits, r0, nv) < 0 ? -1 : (int64_t)l + 4;
    }
    if (used < 0) return pq_bad(j, AUK_ERR_PARSE, "malformed definition levels");
    if (!v2) {
      p += used;
      len -= used;
    }
    nn = auk_bitmap_count(bits, r0, nv);
  } else if (b->validity) {
    for (int64_t i = 0; i < nv; i++) auk_bit_set(b->validity->data, r0 + i);
  }
  int enc = h->encoding;
  int dict_enc = enc == PQ_ENC_PLAIN_DICTIONARY || enc == PQ_ENC_RLE_DICTIONARY;
  if (j->want_dict) {
    if (!dict_enc || !j->has_dict) {
      j->restart = 1;
      return pq_bad(j, AUK_ERR_INTERNAL, "a page is not dictionary-encoded");
    }
    return decode_codes(j, p, len, r0, nv, nn);
  }
  if (c->conv == PQ_CV_NULL) {
    nn = 0;
  } else if (dict_enc) {
    if (!j->has_dict)
      return pq_bad(j, AUK_ERR_PARSE, "a dictionary-encoded page has no dictionary");
    if (nn > 0) {
      if (len < 1) return pq_bad(j, AUK_ERR_PARSE, "dictionary indices are missing");
      int bw = p[0];
      uint32_t *idx = pq_scratch_get(&j->w->levels, (size_t)nn * 4 + 4, j->err);
      if (!idx) return j->err->code;
      if (bw > 32 || pq_rle_decode(p + 1, len - 1, bw, idx, nn) < 0)
        return pq_bad(j, AUK_ERR_PARSE, "malformed dictionary indices");
      if (pq_gather(j, b, r0, idx, nn)) return j->err->code;
    }
  } else {
    pq_dense d;
    if (pq_decode_values(j, enc, p, len, nn, &d)) return j->err->code;
    if (pq_convert(j, b, r0, d)) return j->err->code;
  }
  if (nn < nv) {
    if (b->type == AUK_TYPE_STRING && nn == 0) {
      int64_t *o = (int64_t *)b->offsets->data + r0;
      for (int64_t i = 1; i <= nv; i++) o[i] = o[0];
    } else if (c->conv != PQ_CV_NULL) {
      pq_spread(b, r0, nv, nn);
    }
  }
  b->len = r0 + nv;
  return AUK_OK;
}

void pq_skips_free(pq_chunk_job *j) {
  auk_mem_free(j->skips, sizeof(int64_t) * (size_t)j->skips_cap);
  j->skips = NULL;
  j->nskips = j->skips_cap = 0;
}

/* Whether rows [r0, r1) of the row group meet a kept range. */
static int keep_overlaps(const pq_keep *k, int64_t r0, int64_t r1) {
  for (int i = 0; i < k->n; i++)
    if (k->r[2 * i] < r1 && r0 < k->r[2 * i + 1]) return 1;
  return 0;
}

static _Atomic int64_t pages_skipped;

int64_t pq_pages_skipped(void) {
  return atomic_load_explicit(&pages_skipped, memory_order_relaxed);
}

/* Notes rows [row, row + n) as left out (the list stays ended by -1). */
static auk_status add_skip(pq_chunk_job *j, int64_t row, int64_t n) {
  atomic_fetch_add_explicit(&pages_skipped, 1, memory_order_relaxed);
  if (j->nskips + 3 > j->skips_cap) {
    int cap = j->skips_cap ? j->skips_cap * 2 : 16;
    int64_t *s = auk_mem_realloc(j->skips, sizeof(int64_t) * (size_t)j->skips_cap,
                                 sizeof(int64_t) * (size_t)cap, j->err);
    if (!s) return j->err->code;
    j->skips = s;
    j->skips_cap = cap;
  }
  j->skips[j->nskips++] = row;
  j->skips[j->nskips++] = n;
  j->skips[j->nskips] = -1;
  return AUK_OK;
}

auk_status pq_read_chunk(pq_chunk_job *j) {
  pq_file *f = j->f;
  const pq_row_group *rg = &f->meta.rgs[j->rg];
  const pq_chunk *ch = &rg->cols[j->col->leaf];
  const pq_column_meta *m = &ch->meta;
  pq_worker_mem *w = j->w;
  auk_error *err = j->err;
  if (!ch->has_meta)
    return pq_bad(j, AUK_ERR_UNSUPPORTED,
                  "the column chunk has no metadata (external files are not supported)");
  if (m->type != j->col->el->type)
    return pq_bad(j, AUK_ERR_PARSE, "the chunk's type (%d) differs from the schema's (%d)", m->type,
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
    return pq_bad(
        j, AUK_ERR_PARSE,
        "its data (offset %lld, %lld bytes) lies outside the file's data (bytes 4 to %lld)",
        (long long)start, (long long)size, (long long)f->data_end);
  if (j->want_dict
          ? pq_colbuf_init(&j->out, AUK_TYPE_INT32, j->rows, 0, err)
          : pq_colbuf_init(&j->out, j->col->type, j->rows,
                           j->col->type == AUK_TYPE_STRING ? m->total_uncompressed : 0, err))
    return err->code;
  const uint8_t *pos = f->src.data + start, *end = pos + size;
  int64_t row = 0; /* rows of the row group read or skipped */
  while (row < j->rows && pos < end) {
    pq_page_header h;
    size_t used;
    if (pq_page_header_parse(pos, (size_t)(end - pos), &h, &used, err)) {
      return rewrap(j, AUK_ERR_PARSE, pos - f->src.data);
    }
    const uint8_t *payload = pos + used;
    if (h.compressed_size > end - payload)
      return pq_bad(j, AUK_ERR_PARSE,
                    "a page of %d bytes at offset %lld runs past the end of its column chunk",
                    h.compressed_size, (long long)(pos - f->src.data));
    pos = payload + h.compressed_size;
    int64_t before = j->out.len;
    if (j->keep &&
        ((h.type == PQ_PAGE_DATA && h.has_data) || (h.type == PQ_PAGE_DATA_V2 && h.has_v2))) {
      /* a flat column: a v1 page's values are its rows */
      int64_t prows = h.type == PQ_PAGE_DATA ? h.num_values : h.num_rows;
      if (prows < 0 || prows > rg->num_rows - row)
        return pq_bad(j, AUK_ERR_PARSE,
                      "a page holds %lld rows, more than the row group's %lld rows left",
                      (long long)prows, (long long)(rg->num_rows - row));
      if (!keep_overlaps(j->keep, row, row + prows)) {
        if (add_skip(j, row, prows)) return err->code;
        row += prows;
        continue;
      }
    }
    if (h.type == PQ_PAGE_DICTIONARY || h.type == PQ_PAGE_DATA) {
      if (h.type == PQ_PAGE_DICTIONARY ? !h.has_dict : !h.has_data)
        return pq_bad(j, AUK_ERR_PARSE, "a page header lacks its type-specific part");
      const uint8_t *data = payload;
      if (m->codec != PQ_CODEC_UNCOMPRESSED) {
        uint8_t *buf = pq_scratch_get(&w->page, (size_t)h.uncompressed_size + 8, err);
        if (!buf) return err->code;
        if (pq_decompress(m->codec, payload, (size_t)h.compressed_size, buf,
                          (size_t)h.uncompressed_size, err)) {
          return rewrap(j, err->code, -1);
        }
        data = buf;
      } else if (h.uncompressed_size != h.compressed_size) {
        return pq_bad(j, AUK_ERR_PARSE, "an uncompressed page declares %d bytes but holds %d",
                      h.uncompressed_size, h.compressed_size);
      }
      auk_status st = h.type == PQ_PAGE_DICTIONARY
                          ? decode_dict_page(j, &h, data, h.uncompressed_size)
                          : decode_data_page(j, &h, NULL, 0, data, h.uncompressed_size, 0);
      if (st) return st;
    } else if (h.type == PQ_PAGE_DATA_V2) {
      if (!h.has_v2) return pq_bad(j, AUK_ERR_PARSE, "a page header lacks its type-specific part");
      if (h.rep_len < 0 || h.def_len < 0 || (int64_t)h.rep_len + h.def_len > h.compressed_size ||
          (int64_t)h.rep_len + h.def_len > h.uncompressed_size)
        return pq_bad(j, AUK_ERR_PARSE, "a v2 page's level lengths exceed the page");
      const uint8_t *lv = payload + h.rep_len;
      int64_t clen = h.compressed_size - h.rep_len - h.def_len;
      int64_t ulen = h.uncompressed_size - h.rep_len - h.def_len;
      const uint8_t *data = lv + h.def_len;
      if (m->codec != PQ_CODEC_UNCOMPRESSED && h.is_compressed && !(clen == 0 && ulen == 0)) {
        uint8_t *buf = pq_scratch_get(&w->page, (size_t)ulen + 8, err);
        if (!buf) return err->code;
        if (pq_decompress(m->codec, data, (size_t)clen, buf, (size_t)ulen, err)) {
          return rewrap(j, err->code, -1);
        }
        data = buf;
      } else if (clen != ulen) {
        return pq_bad(j, AUK_ERR_PARSE, "an uncompressed page declares %lld bytes but holds %lld",
                      (long long)ulen, (long long)clen);
      }
      if (decode_data_page(j, &h, lv, h.def_len, data, ulen, 1)) return err->code;
    }
    row += j->out.len - before;
  }
  if (row < j->rows)
    return pq_bad(j, AUK_ERR_PARSE,
                  "the column chunk holds %lld values, but the row group has %lld rows",
                  (long long)j->out.len, (long long)rg->num_rows);
  return AUK_OK;
}

/* The dictionary-encoded chunk: the dictionary (with a null entry at
 * ndict when a row is null) and the codes. */
static auk_array *finish_codes(pq_chunk_job *j) {
  pq_colbuf *b = &j->out, *d = &j->dict;
  int64_t n = j->rows, nd = j->ndict;
  int nulls = b->validity && auk_bitmap_count(b->validity->data, 0, n) < n;
  if (!j->has_dict) { /* no page at all: only possible for an empty chunk */
    if (pq_colbuf_init(d, AUK_TYPE_STRING, 1, 1, j->err)) return NULL;
    nd = 0;
  }
  int64_t *o = (int64_t *)d->offsets->data;
  d->values->size = d->nbytes;
  auk_buffer *valid = NULL;
  if (nulls) {
    o[nd + 1] = o[nd];
    int64_t bytes = auk_bitmap_bytes(nd + 1);
    if (!(valid = auk_buffer_new(bytes, j->err))) return NULL;
    memset(valid->data, 0, (size_t)bytes);
    for (int64_t i = 0; i < nd; i++) auk_bit_set(valid->data, i);
    valid->size = bytes;
  }
  d->offsets->size = (nd + 1 + nulls) * 8;
  auk_array *dict =
      auk_array_new_from(AUK_TYPE_STRING, nd + nulls, nulls, valid, d->values, d->offsets, j->err);
  auk_buffer_release(valid);
  if (!dict) return NULL;
  b->values->size = n * 4;
  auk_array *a = auk_array_new_dict(n, b->values, dict, j->err);
  auk_array_release(dict);
  return a;
}

/* The finished column chunk as one array of j->rows rows. */
auk_array *pq_finish_chunk(pq_chunk_job *j) {
  pq_colbuf *b = &j->out;
  int64_t n = j->rows;
  if (j->col->conv == PQ_CV_NULL) return auk_array_new_nulls(AUK_TYPE_NULL, n, j->err);
  if (j->want_dict) return finish_codes(j);
  int64_t nulls = b->validity ? n - auk_bitmap_count(b->validity->data, 0, n) : 0;
  if (b->type == AUK_TYPE_STRING) {
    b->values->size = b->nbytes;
    b->offsets->size = (n + 1) * 8;
  } else {
    b->values->size = pq_fixed_bytes(b, n);
  }
  if (b->validity) b->validity->size = auk_bitmap_bytes(n);
  return auk_array_new_from(b->type, n, nulls, nulls ? b->validity : NULL, b->values, b->offsets,
                            j->err);
}
