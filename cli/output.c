/* output.c - the shell's output modes: box (the Polars-style table of
 * auk_frame_print), csv (auk_write_csv_stream), json (an array of objects),
 * markdown (a pipe table) and line ("name = value" blocks). Cells are read
 * through the public accessors into one stack buffer, or borrowed straight
 * from the frame for strings, so no cell costs an allocation. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static const char *const mode_names[] = {"box", "csv", "json", "markdown", "line"};

int out_mode_parse(const char *name) {
  for (int i = 0; i < (int)(sizeof mode_names / sizeof mode_names[0]); i++)
    if (!strcmp(name, mode_names[i])) return i;
  return -1;
}

const char *out_mode_name(out_mode mode) {
  return mode_names[mode];
}

/* A cell as text: strings are borrowed from the frame, other values are
 * formatted into buf. Returns 1 for a null cell. */
typedef struct cell {
  const char *s;
  size_t n;
  int is_null;
} cell;

static auk_status get_cell(const auk_frame *f, int col, int64_t row, char *buf, size_t cap, cell *c,
                           auk_error *err) {
  if (auk_frame_column_type(f, col) == AUK_TYPE_STRING) {
    int64_t len = 0;
    if (auk_frame_get_string(f, col, row, &c->s, &len, &c->is_null, err)) return err->code;
    c->n = (size_t)len;
    return AUK_OK;
  }
  if (auk_frame_format_cell(f, col, row, buf, cap, &c->is_null, err)) return err->code;
  c->s = buf;
  c->n = strlen(buf);
  return AUK_OK;
}

static int is_numeric(auk_type_id t) {
  return (t >= AUK_TYPE_INT8 && t <= AUK_TYPE_FLOAT64) || auk_type_is_decimal(t);
}

static int is_float(auk_type_id t) {
  return t == AUK_TYPE_FLOAT32 || t == AUK_TYPE_FLOAT64;
}

static void put_json_string(FILE *out, const char *s, size_t n) {
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    switch (ch) {
      case '"': fputs("\\\"", out); break;
      case '\\': fputs("\\\\", out); break;
      case '\n': fputs("\\n", out); break;
      case '\r': fputs("\\r", out); break;
      case '\t': fputs("\\t", out); break;
      case '\b': fputs("\\b", out); break;
      case '\f': fputs("\\f", out); break;
      default:
        if (ch < 0x20)
          fprintf(out, "\\u%04x", ch);
        else
          fputc(ch, out);
    }
  }
  fputc('"', out);
}

static auk_status write_json(const auk_frame *f, FILE *out, auk_error *err) {
  int ncols = auk_frame_num_columns(f);
  int64_t nrows = auk_frame_num_rows(f);
  char buf[128];
  fputc('[', out);
  for (int64_t r = 0; r < nrows; r++) {
    fputs(r ? ",\n{" : "{", out);
    for (int c = 0; c < ncols; c++) {
      const char *name = auk_frame_column_name(f, c);
      if (c) fputc(',', out);
      put_json_string(out, name, strlen(name));
      fputc(':', out);
      auk_type_id t = auk_frame_column_type(f, c);
      cell v;
      if (get_cell(f, c, r, buf, sizeof buf, &v, err)) return err->code;
      if (v.is_null) {
        fputs("null", out);
      } else if (is_float(t)) {
        double d = 0;
        if (auk_frame_get_double(f, c, r, &d, NULL, err)) return err->code;
        fputs(isfinite(d) ? v.s : "null", out); /* JSON has no NaN or infinity */
      } else if (is_numeric(t) || t == AUK_TYPE_BOOL) {
        fwrite(v.s, 1, v.n, out);
      } else {
        put_json_string(out, v.s, v.n);
      }
    }
    fputc('}', out);
  }
  fputs("]\n", out);
  return AUK_OK;
}

/* Markdown cell text: '|' escaped, line breaks as <br>. */
static void put_markdown(FILE *out, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '|')
      fputs("\\|", out);
    else if (s[i] == '\n')
      fputs("<br>", out);
    else if (s[i] != '\r')
      fputc(s[i], out);
  }
}

static auk_status write_markdown(const auk_frame *f, FILE *out, auk_error *err) {
  int ncols = auk_frame_num_columns(f);
  int64_t nrows = auk_frame_num_rows(f);
  char buf[128];
  fputc('|', out);
  for (int c = 0; c < ncols; c++) {
    const char *name = auk_frame_column_name(f, c);
    fputc(' ', out);
    put_markdown(out, name, strlen(name));
    fputs(" |", out);
  }
  fputs("\n|", out);
  for (int c = 0; c < ncols; c++)
    fputs(is_numeric(auk_frame_column_type(f, c)) ? "---:|" : "---|", out);
  fputc('\n', out);
  for (int64_t r = 0; r < nrows; r++) {
    fputc('|', out);
    for (int c = 0; c < ncols; c++) {
      cell v;
      if (get_cell(f, c, r, buf, sizeof buf, &v, err)) return err->code;
      fputc(' ', out);
      if (v.is_null)
        fputs("NULL", out);
      else
        put_markdown(out, v.s, v.n);
      fputs(" |", out);
    }
    fputc('\n', out);
  }
  return AUK_OK;
}

/* One block per row: the names right-aligned, a blank line between rows. */
static auk_status write_line(const auk_frame *f, FILE *out, auk_error *err) {
  int ncols = auk_frame_num_columns(f);
  int64_t nrows = auk_frame_num_rows(f);
  int width = 0;
  char buf[128];
  for (int c = 0; c < ncols; c++) {
    int w = (int)strlen(auk_frame_column_name(f, c));
    if (w > width) width = w;
  }
  for (int64_t r = 0; r < nrows; r++) {
    if (r) fputc('\n', out);
    for (int c = 0; c < ncols; c++) {
      cell v;
      if (get_cell(f, c, r, buf, sizeof buf, &v, err)) return err->code;
      fprintf(out, "%*s = ", width, auk_frame_column_name(f, c));
      if (v.is_null)
        fputs("NULL", out);
      else
        fwrite(v.s, 1, v.n, out);
      fputc('\n', out);
    }
  }
  return AUK_OK;
}

auk_status out_write(const auk_frame *frame, out_mode mode, int max_rows, FILE *out,
                     auk_error *err) {
  auk_status st = AUK_OK;
  switch (mode) {
    case OUT_BOX: {
      auk_print_options po;
      auk_print_options_init(&po);
      po.max_rows = max_rows;
      st = auk_frame_print(frame, out, &po, err);
      break;
    }
    case OUT_CSV: st = auk_write_csv_stream(frame, out, NULL, err); break;
    case OUT_JSON: st = write_json(frame, out, err); break;
    case OUT_MARKDOWN: st = write_markdown(frame, out, err); break;
    case OUT_LINE: st = write_line(frame, out, err); break;
  }
  if (!st && (fflush(out) || ferror(out))) {
    err->code = AUK_ERR_IO;
    snprintf(err->message, sizeof err->message, "cannot write the output: %s", strerror(errno));
    return AUK_ERR_IO;
  }
  return st;
}
