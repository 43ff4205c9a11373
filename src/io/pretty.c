/* pretty.c - frames as box-drawn tables in the style of Polars: names and
 * types in the head, strings quoted and cut with an ellipsis, the middle
 * rows and columns elided (…) to fit the row limit and the terminal. */
#include "core/alloc.h"
#include "core/error.h"
#include "core/frame.h"
#include "io/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void auk_print_options_init(auk_print_options *o) {
  o->max_rows = 10;
  o->max_width = 0;
  o->max_str_len = 32;
  o->show_shape = 1;
  o->show_types = 1;
}

/* Display width: code points (continuation bytes don't count). */
static int text_width(const char *s, size_t n) {
  int w = 0;
  for (size_t i = 0; i < n; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}

/* Byte length of the first `chars` code points of s. */
static size_t prefix_bytes(const char *s, size_t n, int chars) {
  size_t i = 0;
  int c = 0;
  while (i < n) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (c == chars) break;
      c++;
    }
    i++;
  }
  return i;
}

/* Floats for people: short and readable, not round-trip exact. */
static int display_double(double v, char *out) {
  if (isnan(v) || isinf(v)) return auk_format_double(v, out);
  char tmp[AUK_FORMAT_MAX];
  int n = auk_format_double(v, tmp);
  if (n <= 12) return (int)(strcpy(out, tmp), n);
  double a = fabs(v);
  if (a >= 1e-4 && a < 1e12) {
    n = snprintf(out, AUK_FORMAT_MAX, "%.6f", v);
    while (n > 2 && out[n - 1] == '0' && out[n - 2] != '.') out[--n] = 0;
    return n;
  }
  return snprintf(out, AUK_FORMAT_MAX, "%.6e", v);
}

typedef struct cellbuf {
  char **cells; /* [row * ncols + col], NULL for the ellipsis row */
  int *widths;
} cellbuf;

static char *cell_text(const auk_array *a, int64_t i, int max_str, auk_error *err) {
  char tmp[AUK_FORMAT_MAX + 8];
  const char *s = tmp;
  size_t n;
  int quoted = 0;
  if (!auk_array_is_valid(a, i) || a->type == AUK_TYPE_NULL) {
    s = "null";
    n = 4;
  } else if (a->type == AUK_TYPE_STRING) {
    int64_t len;
    s = auk_array_str(a, i, &len);
    n = (size_t)len;
    quoted = 1;
  } else if (a->type == AUK_TYPE_FLOAT64) {
    n = (size_t)display_double(((const double *)a->values->data)[a->offset + i], tmp);
  } else {
    n = (size_t)auk_format_value(a, i, tmp);
  }
  int cut = 0;
  if (quoted && text_width(s, n) > max_str) {
    n = prefix_bytes(s, n, max_str);
    cut = 1;
  }
  char *out = malloc(n + 8);
  if (!out) {
    auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "print: out of memory");
    return NULL;
  }
  size_t k = 0;
  if (quoted) out[k++] = '"';
  for (size_t j = 0; j < n; j++) /* control characters would break the box */
    out[k++] = (s[j] == '\n' || s[j] == '\r' || s[j] == '\t') ? ' ' : s[j];
  if (cut) {
    memcpy(out + k, "\xe2\x80\xa6", 3);
    k += 3;
  } else if (quoted) {
    out[k++] = '"';
  }
  out[k] = 0;
  char *kept = auk_str_dup(out, err);
  free(out);
  return kept;
}

static void rule(FILE *out, const int *w, const int *cols, int ncols, const char *l,
                 const char *fill, const char *mid, const char *r) {
  fputs(l, out);
  for (int c = 0; c < ncols; c++) {
    for (int k = 0; k < w[cols[c]] + 2; k++) fputs(fill, out);
    fputs(c + 1 < ncols ? mid : r, out);
  }
  fputc('\n', out);
}

static void line(FILE *out, const int *w, const int *cols, int ncols, char **texts) {
  fputs("│", out);
  for (int c = 0; c < ncols; c++) {
    const char *t = texts[c] ? texts[c] : "…";
    int tw = text_width(t, strlen(t));
    fprintf(out, " %s%*s ", t, w[cols[c]] - tw, "");
    fputs(c + 1 < ncols ? "┆" : "│", out);
  }
  fputc('\n', out);
}

static int terminal_width(FILE *out) {
  struct winsize ws;
  if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
    return ws.ws_col;
  const char *c = getenv("COLUMNS");
  if (c && atoi(c) > 20) return atoi(c);
  return 100;
}

auk_status auk_frame_print(const auk_frame *f, FILE *out, const auk_print_options *opts,
                           auk_error *err) {
  auk_error local;
  if (!err) err = &local;
  if (!f || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "print: NULL argument");
  auk_print_options o;
  if (opts)
    o = *opts;
  else
    auk_print_options_init(&o);
  if (o.max_str_len < 1) o.max_str_len = 1;
  int width = o.max_width > 0 ? o.max_width : terminal_width(out);
  int nc = f->schema->nfields;
  int64_t nr = f->nrows;
  int64_t head = nr, tail = 0;
  if (o.max_rows >= 0 && nr > o.max_rows) {
    head = (o.max_rows + 1) / 2;
    tail = o.max_rows / 2;
  }
  int elide_rows = head + tail < nr;
  int64_t shown = head + tail + elide_rows;
  auk_status st = AUK_OK;
  size_t ncells = (size_t)(shown * (nc ? nc : 1));
  char **cells = auk_mem_calloc(sizeof(char *) * ncells, err);
  int *w = auk_mem_calloc(sizeof(int) * (size_t)(nc + 1), err);
  int *cols = auk_mem_calloc(sizeof(int) * (size_t)(nc + 1), err);
  char **texts = auk_mem_calloc(sizeof(char *) * (size_t)(nc + 1), err);
  char *tnames = auk_mem_calloc((size_t)(nc + 1) * 48, err); /* type labels */
  if (!cells || !w || !cols || !texts || !tnames) {
    st = err->code;
    goto done;
  }
  for (int c = 0; c < nc; c++) {
    const auk_field *fd = &f->schema->fields[c];
    int a = text_width(fd->name, strlen(fd->name));
    const char *tn = auk_field_type_name(fd, tnames + (size_t)c * 48, 48);
    if (tn != tnames + (size_t)c * 48) snprintf(tnames + (size_t)c * 48, 48, "%s", tn);
    tn = tnames + (size_t)c * 48;
    int b = o.show_types ? text_width(tn, strlen(tn)) : 0;
    w[c] = a > b ? a : b;
    if (w[c] < 3 && o.show_types) w[c] = 3;
    if (w[c] < 1) w[c] = 1;
  }
  for (int64_t s = 0; s < shown; s++) {
    if (elide_rows && s == head) continue;
    int64_t row = s < head ? s : nr - (shown - s);
    int64_t local_row;
    int64_t b = auk_frame_locate((auk_frame *)f, row, &local_row);
    for (int c = 0; c < nc; c++) {
      char *t = cell_text(f->batches[b]->cols[c], local_row, o.max_str_len, err);
      if (!t) {
        st = err->code;
        goto done;
      }
      cells[s * nc + c] = t;
      int tw = text_width(t, strlen(t));
      if (tw > w[c]) w[c] = tw;
    }
  }
  /* Choose columns: all if they fit, else from both ends around a "…". */
  int ncols = 0;
  int total = 1;
  for (int c = 0; c < nc; c++) total += w[c] + 3;
  if (total <= width) {
    for (int c = 0; c < nc; c++) cols[ncols++] = c;
  } else {
    int lo = 0, hi = nc - 1, used = 1 + 4; /* border + the "…" column */
    int left[4096], right[4096], nl = 0, nrr = 0;
    while (lo <= hi && nl + nrr < 4096) {
      int c = (nl <= nrr) ? lo : hi;
      if (used + w[c] + 3 > width) break;
      used += w[c] + 3;
      if (c == lo) {
        left[nl++] = lo++;
      } else {
        right[nrr++] = hi--;
      }
    }
    if (nl == 0 && nc > 0) left[nl++] = 0;
    for (int k = 0; k < nl; k++) cols[ncols++] = left[k];
    cols[ncols++] = nc; /* placeholder for "…" */
    w[nc] = 1;
    for (int k = nrr - 1; k >= 0; k--) cols[ncols++] = right[k];
  }
  if (o.show_shape) fprintf(out, "shape: (%lld, %d)\n", (long long)nr, nc);
  if (nc == 0) {
    fputs("┌┐\n└┘\n", out);
    goto done;
  }
  rule(out, w, cols, ncols, "┌", "─", "┬", "┐");
  for (int k = 0; k < ncols; k++) texts[k] = cols[k] == nc ? NULL : f->schema->fields[cols[k]].name;
  line(out, w, cols, ncols, texts);
  if (o.show_types) {
    for (int k = 0; k < ncols; k++) texts[k] = cols[k] == nc ? NULL : "---";
    line(out, w, cols, ncols, texts);
    for (int k = 0; k < ncols; k++) texts[k] = cols[k] == nc ? NULL : tnames + (size_t)cols[k] * 48;
    line(out, w, cols, ncols, texts);
  }
  rule(out, w, cols, ncols, "╞", "═", "╪", "╡");
  for (int64_t s = 0; s < shown; s++) {
    for (int k = 0; k < ncols; k++) {
      if (elide_rows && s == head)
        texts[k] = NULL;
      else
        texts[k] = cols[k] == nc ? NULL : cells[s * nc + cols[k]];
    }
    line(out, w, cols, ncols, texts);
  }
  rule(out, w, cols, ncols, "└", "─", "┴", "┘");
done:
  if (cells)
    for (size_t i = 0; i < ncells; i++) auk_str_free(cells[i]);
  auk_mem_free(cells, sizeof(char *) * ncells);
  auk_mem_free(w, sizeof(int) * (size_t)(nc + 1));
  auk_mem_free(cols, sizeof(int) * (size_t)(nc + 1));
  auk_mem_free(texts, sizeof(char *) * (size_t)(nc + 1));
  auk_mem_free(tnames, (size_t)(nc + 1) * 48);
  return st;
}
