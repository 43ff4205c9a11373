/* csv_tokenize.c - finding rows and fields (RFC 4180).
 *
 * The hot loop looks at 64 bytes at a time: SSE2 compares give one bit mask
 * of delimiters, newlines and quotes and one of quotes alone, and the loop
 * walks only the set bits (inside quotes, only the quote bits). Field spans
 * are written column-major so that conversion reads each column's spans
 * contiguously. A quote in the middle of an unquoted field is kept as text;
 * it can put the parallel reader's quote-parity split off, which the
 * reader's check that chunks tile the input catches (see csv_read.c). */
#include "core/alloc.h"
#include "core/error.h"
#include "io/csv_internal.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

auk_status csv_fields_init(csv_fields *f, int ncols, int64_t cap, auk_error *err) {
  memset(f, 0, sizeof *f);
  int nc = ncols > 0 ? ncols : 1;
  f->ncols = ncols;
  f->cap = cap;
  f->start = auk_mem_alloc(sizeof(uint32_t) * (size_t)(nc * cap), err);
  f->end = auk_mem_alloc(sizeof(uint32_t) * (size_t)(nc * cap), err);
  if (!f->start || !f->end) {
    csv_fields_free(f);
    return err->code;
  }
  return AUK_OK;
}

void csv_fields_free(csv_fields *f) {
  int nc = f->ncols > 0 ? f->ncols : 1;
  auk_mem_free(f->start, sizeof(uint32_t) * (size_t)(nc * f->cap));
  auk_mem_free(f->end, sizeof(uint32_t) * (size_t)(nc * f->cap));
  f->start = f->end = NULL;
}

/* Masks of special bytes in the 64 bytes at p: sm = delimiter, newline or
 * quote; qm = quote. */
static inline void masks64(const uint8_t *p, uint8_t delim, uint8_t quote, uint64_t *sm,
                           uint64_t *qm) {
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8((char)delim), vn = _mm_set1_epi8('\n'),
                vq = _mm_set1_epi8((char)(quote ? quote : delim));
  uint64_t s = 0, q = 0;
  for (int k = 0; k < 4; k++) {
    __m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));
    __m128i qq = _mm_cmpeq_epi8(x, vq);
    __m128i ss = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vn)), qq);
    s |= (uint64_t)(uint16_t)_mm_movemask_epi8(ss) << (16 * k);
    q |= (uint64_t)(uint16_t)_mm_movemask_epi8(qq) << (16 * k);
  }
  *sm = s;
  *qm = quote ? q : 0;
#else
  uint64_t s = 0, q = 0;
  for (int i = 0; i < 64; i++) {
    uint8_t c = p[i];
    if (c == delim || c == '\n' || (quote && c == quote)) s |= 1ull << i;
    if (quote && c == quote) q |= 1ull << i;
  }
  *sm = s;
  *qm = q;
#endif
}

int64_t csv_count_quotes(const uint8_t *data, int64_t a, int64_t b, char quote) {
  if (!quote) return 0;
  int64_t n = 0, i = a;
#if defined(__SSE2__)
  /* Byte lanes count matches (cmpeq gives -1, subtracted), folded into
   * 64-bit sums by psadbw before any lane can overflow. */
  const __m128i vq = _mm_set1_epi8(quote), zero = _mm_setzero_si128();
  while (i + 16 <= b) {
    __m128i acc = zero;
    int64_t stop = i + 16 * 255 < b ? i + 16 * 255 : b - 15;
    for (; i < stop; i += 16)
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(data + i)), vq));
    __m128i sums = _mm_sad_epu8(acc, zero);
    n += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums));
  }
#endif
  for (; i < b; i++) n += data[i] == (uint8_t)quote;
  return n;
}

int64_t csv_next_row_start(const csv_dialect *d, const uint8_t *data, int64_t len, int64_t pos,
                           int in_quotes) {
  const uint8_t q = (uint8_t)d->quote;
  for (int64_t i = pos; i < len; i++) {
    uint8_t c = data[i];
    if (q && c == q)
      in_quotes = !in_quotes;
    else if (c == '\n' && !in_quotes)
      return i + 1;
  }
  return len;
}

int64_t csv_tokenize(const csv_dialect *d, const uint8_t *data, int64_t len, int64_t pos,
                     int64_t stop, int64_t max_rows, csv_fields *f, csv_issue *issue) {
  const int ncols = d->ncols;
  const int64_t cap = f->cap;
  const uint8_t delim = (uint8_t)d->delim, quote = (uint8_t)d->quote;
  uint32_t *const S = f->start, *const E = f->end;
  const int64_t bp = pos; /* base position */
  if (max_rows < 0 || max_rows > cap) max_rows = cap;
  f->nrows = 0;
  f->base_pos = pos;
  f->base = data + pos;
  f->end_pos = pos;
  f->data_end = data + len;
  if (pos >= len || pos >= stop || max_rows == 0) return pos;

  int64_t rows = 0, row_start = pos, fs = pos, qend = -1, cur = pos;
  int col = 0, inq = 0;
  uint32_t fflags = 0;
  uint8_t tail[64];

  for (;;) {
    const int64_t base = cur;
    int64_t next = base + 64;
    int at_eof = base >= len;
    uint64_t sm = 0, qm = 0;
    if (!at_eof) {
      if (base + 64 <= len) {
        masks64(data + base, delim, quote, &sm, &qm);
      } else {
        memset(tail, 0, sizeof tail);
        memcpy(tail, data + base, (size_t)(len - base));
        masks64(tail, delim, quote, &sm, &qm);
        uint64_t valid = (1ull << (len - base)) - 1;
        sm &= valid;
        qm &= valid;
      }
    }
    for (;;) {
      int64_t p;
      int nl;
      if (at_eof) {
        if (inq) {
          issue->kind = CSV_ISSUE_UNTERMINATED;
          issue->pos = fs;
          issue->col = col;
          issue->len = len - fs;
          return -1;
        }
        if (fs >= len && col == 0) { /* ended with a newline (or empty) */
          f->nrows = rows;
          f->end_pos = len;
          return len;
        }
        p = len;
        nl = 1;
      } else {
        uint64_t m = inq ? qm : sm;
        if (!m) break;
        int b = __builtin_ctzll(m);
        uint64_t keep = b == 63 ? 0 : ~0ull << (b + 1);
        sm &= keep;
        qm &= keep;
        p = base + b;
        uint8_t c = data[p];
        if (inq) { /* c is a quote */
          if (p + 1 < len && data[p + 1] == quote) {
            fflags |= CSV_ESCAPED;
            if (b + 1 < 64) {
              keep = b + 1 == 63 ? 0 : ~0ull << (b + 2);
              sm &= keep;
              qm &= keep;
            } else {
              next = p + 2;
            }
          } else {
            inq = 0;
            qend = p;
          }
          continue;
        }
        if (c == quote && c != delim && c != '\n') {
          if (p == fs) {
            inq = 1;
            fflags = CSV_QUOTED;
          } /* else: a quote inside an unquoted field is text */
          continue;
        }
        nl = c == '\n';
      }
      /* The field [fs, p) ends here, and with it the row when nl. */
      int64_t s, e;
      if (fflags) {
        int64_t after = qend + 1;
        if (after != p && !(nl && after + 1 == p && data[after] == '\r')) {
          issue->kind = CSV_ISSUE_AFTER_QUOTE;
          issue->pos = after;
          issue->col = col;
          issue->len = p - after;
          return -1;
        }
        s = fs + 1;
        e = qend;
      } else {
        s = fs;
        e = p;
        if (nl && e > s && data[e - 1] == '\r') e--;
      }
      if (nl && col == 0 && s == e && !fflags && d->skip_blank) {
        /* a blank line: skip it */
        fs = row_start = p + 1;
        if (row_start >= stop) {
          f->nrows = rows;
          f->end_pos = row_start;
          return row_start;
        }
        if (at_eof) {
          f->nrows = rows;
          f->end_pos = len;
          return len;
        }
        continue;
      }
      if (col < ncols) {
        S[(int64_t)col * cap + rows] = (uint32_t)(s - bp);
        E[(int64_t)col * cap + rows] = (uint32_t)(e - bp) | fflags;
      }
      col++;
      fflags = 0;
      fs = p + 1;
      if (!nl) continue;
      if (col != ncols) {
        if (d->ragged == AUK_RAGGED_ERROR) {
          issue->kind = col < ncols ? CSV_ISSUE_TOO_FEW : CSV_ISSUE_TOO_MANY;
          issue->pos = row_start;
          issue->col = -1;
          issue->count = col;
          issue->len = p - row_start;
          return -1;
        }
        for (int c2 = col; c2 < ncols; c2++) { /* pad: empty unquoted = null */
          S[(int64_t)c2 * cap + rows] = 0;
          E[(int64_t)c2 * cap + rows] = 0;
        }
      }
      if (p + 1 - bp > CSV_MAX_SPAN) {
        if (rows == 0) {
          issue->kind = CSV_ISSUE_ROW_TOO_LONG;
          issue->pos = row_start;
          issue->col = -1;
          issue->len = 0;
          return -1;
        }
        f->nrows = rows; /* end the batch before this row */
        f->end_pos = row_start;
        return row_start;
      }
      rows++;
      col = 0;
      row_start = p + 1;
      if (at_eof || rows >= max_rows || row_start >= stop) {
        int64_t endp = row_start < len ? row_start : len;
        f->nrows = rows;
        f->end_pos = endp;
        return endp;
      }
    }
    cur = next;
  }
}
