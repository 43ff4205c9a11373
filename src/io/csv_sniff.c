/* csv_sniff.c - reading single rows outside the parallel path: the header,
 * lines to skip, and the sample that picks a delimiter when none is given. */
#include "io/csv_sniff.h"

#include "core/alloc.h"
#include "core/error.h"

#include <string.h>

void csv_row_free(csv_row *r) {
  auk_mem_free(r->spans, sizeof(csv_span) * (size_t)r->cap);
  memset(r, 0, sizeof *r);
}

static auk_status push_span(csv_row *r, int64_t s, int64_t e, int quoted, int escaped,
                            auk_error *err) {
  if (r->n == r->cap) {
    int64_t cap = r->cap ? r->cap * 2 : 16;
    csv_span *ns = auk_mem_realloc(r->spans, sizeof(csv_span) * (size_t)r->cap,
                                   sizeof(csv_span) * (size_t)cap, err);
    if (!ns) return err->code;
    r->spans = ns;
    r->cap = cap;
  }
  r->spans[r->n++] = (csv_span){s, e, quoted, escaped};
  return AUK_OK;
}

int64_t csv_scan_row(const uint8_t *data, int64_t len, int64_t pos, char delim, char quote,
                     csv_row *row, auk_error *err) {
  row->n = 0;
  if (pos >= len) return len;
  int64_t i = pos;
  for (;;) {
    int64_t s = i, e;
    int quoted = 0, escaped = 0;
    if (quote && i < len && data[i] == (uint8_t)quote) {
      quoted = 1;
      s = ++i;
      for (;;) {
        if (i >= len) { /* unterminated: take the rest */
          e = len;
          break;
        }
        if (data[i] == (uint8_t)quote) {
          if (i + 1 < len && data[i + 1] == (uint8_t)quote) {
            escaped = 1;
            i += 2;
            continue;
          }
          e = i++;
          break;
        }
        i++;
      }
      while (i < len && data[i] != (uint8_t)delim && data[i] != '\n') i++;
    } else {
      while (i < len && data[i] != (uint8_t)delim && data[i] != '\n') i++;
      e = i;
      if (i < len && data[i] == '\n' && e > s && data[e - 1] == '\r') e--;
      if (i >= len && e > s && data[e - 1] == '\r') e--;
    }
    if (push_span(row, s, e, quoted, escaped, err)) return -1;
    if (i >= len) return len;
    if (data[i] == '\n') return i + 1;
    i++; /* past the delimiter */
  }
}

int64_t csv_skip_lines(const uint8_t *data, int64_t len, int64_t pos, int64_t n, char quote) {
  csv_dialect d = {',', quote, 1, AUK_RAGGED_PAD, 0};
  for (int64_t k = 0; k < n && pos < len; k++) pos = csv_next_row_start(&d, data, len, pos, 0);
  return pos;
}

char csv_detect_delimiter(const uint8_t *data, int64_t len, int64_t pos, char quote,
                          auk_error *err) {
  static const char cands[] = {',', ';', '\t', '|'};
  char best = ',';
  int64_t best_score = -1, best_first = -1;
  char best_first_c = ',';
  csv_row row = {0};
  for (size_t c = 0; c < sizeof cands; c++) {
    int64_t p = pos, first = -1;
    int consistent = 1, lines = 0;
    while (p < len && lines < 20 && p - pos < (1 << 20)) {
      int64_t next = csv_scan_row(data, len, p, cands[c], quote, &row, err);
      if (next < 0) break;
      if (!(row.n == 1 && row.spans[0].e == row.spans[0].s)) { /* blank lines don't count */
        if (first < 0)
          first = row.n;
        else if (row.n != first)
          consistent = 0;
        lines++;
      }
      p = next;
    }
    if (first > 1 && consistent && first > best_score) {
      best_score = first;
      best = cands[c];
    }
    if (first > best_first) {
      best_first = first;
      best_first_c = cands[c];
    }
  }
  csv_row_free(&row);
  return best_score > 1 ? best : (best_first > 1 ? best_first_c : ',');
}
