/* slt_lib.c - the sqllogictest runner's pure parts: parsing a query
 * header and its expected values, formatting a result the way the files
 * write values, comparing with a tolerance for numbers, sorting, and
 * ${var}/{DATA_DIR} substitution. No database here, so test_slt.c checks
 * all of it directly. */
#include "slt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int slt_strs_push(slt_strs *l, const char *s, size_t n) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v) return -1;
    l->v = v;
    l->cap = cap;
  }
  char *c = malloc(n + 1);
  if (!c) return -1;
  memcpy(c, s, n);
  c[n] = 0;
  l->v[l->n++] = c;
  return 0;
}

void slt_strs_free(slt_strs *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

int slt_parse_query_header(const char *rest, slt_query_header *h, char *why, size_t cap) {
  char words[3][64];
  int n = sscanf(rest, "%63s %63s %63s", words[0], words[1], words[2]);
  h->ncols = 0;
  h->sort = SLT_NOSORT;
  if (n < 1) {
    snprintf(why, cap, "query needs its column types, e.g. 'query IT'");
    return -1;
  }
  for (const char *t = words[0]; *t; t++) {
    if (!strchr("ITRBD", *t)) {
      snprintf(why, cap, "unknown column type '%c' in '%s' (use I, T, R, B or D)", *t, words[0]);
      return -1;
    }
    h->ncols++;
  }
  if (n >= 2) {
    if (!strcmp(words[1], "rowsort"))
      h->sort = SLT_ROWSORT;
    else if (!strcmp(words[1], "valuesort"))
      h->sort = SLT_VALUESORT;
    else if (strcmp(words[1], "nosort") && n == 3) {
      snprintf(why, cap, "unknown sort mode '%s' (use nosort, rowsort or valuesort)", words[1]);
      return -1;
    } /* else: nosort, or a label alone */
  }
  return 0;
}

int slt_split_expected(char *const *lines, size_t nlines, int ncols, slt_strs *out, char *why,
                       size_t cap) {
  int any_tab = 0;
  for (size_t i = 0; i < nlines; i++) any_tab |= strchr(lines[i], '\t') != NULL;
  if (ncols > 1 && !any_tab) { /* one value per line */
    if (nlines % (size_t)ncols) {
      snprintf(why, cap, "%zu expected values do not fill rows of %d columns", nlines, ncols);
      return -1;
    }
    for (size_t i = 0; i < nlines; i++)
      if (slt_strs_push(out, lines[i], strlen(lines[i]))) return -1;
    return 0;
  }
  for (size_t i = 0; i < nlines; i++) {
    const char *p = lines[i];
    int k = 0;
    for (;;) {
      const char *tab = strchr(p, '\t');
      size_t n = tab ? (size_t)(tab - p) : strlen(p);
      if (slt_strs_push(out, p, n)) return -1;
      k++;
      if (!tab) break;
      p = tab + 1;
    }
    if (k != ncols) {
      snprintf(why, cap, "expected row %zu has %d values, the query has %d columns", i + 1, k,
               ncols);
      return -1;
    }
  }
  return 0;
}

int slt_format_frame(const auk_frame *f, slt_strs *out, auk_error *err) {
  int ncols = auk_frame_num_columns(f);
  int64_t nrows = auk_frame_num_rows(f);
  char buf[128];
  for (int64_t r = 0; r < nrows; r++)
    for (int c = 0; c < ncols; c++) {
      const char *s = buf;
      int64_t n;
      int is_null;
      if (auk_frame_column_type(f, c) == AUK_TYPE_STRING) {
        if (auk_frame_get_string(f, c, r, &s, &n, &is_null, err)) return -1;
        if (!is_null && n == 0) s = "(empty)", n = 7;
      } else {
        if (auk_frame_format_cell(f, c, r, buf, sizeof buf, &is_null, err)) return -1;
        n = (int64_t)strlen(buf);
      }
      if (is_null) s = "NULL", n = 4;
      if (slt_strs_push(out, s, (size_t)n)) {
        err->code = AUK_ERR_OUT_OF_MEMORY;
        snprintf(err->message, sizeof err->message, "out of memory formatting the result");
        return -1;
      }
    }
  return 0;
}

static int parse_number(const char *s, double *v) {
  if (!*s) return 0;
  char *end;
  *v = strtod(s, &end);
  return *end == 0;
}

int slt_values_equal(const char *expected, const char *actual) {
  if (!strcmp(expected, actual)) return 1;
  double e, a;
  if (!parse_number(expected, &e) || !parse_number(actual, &a)) return 0;
  if (isnan(e) || isnan(a)) return isnan(e) && isnan(a);
  if (e == a) return 1;
  if (isinf(e) || isinf(a)) return 0;
  double scale = fmax(fabs(e), fabs(a));
  return fabs(e - a) <= fmax(1e-12, 1e-9 * scale);
}

static int g_ncols; /* qsort has no context argument in C11 */

static int cmp_rows(const void *x, const void *y) {
  char *const *a = x, *const *b = y;
  for (int i = 0; i < g_ncols; i++) {
    int c = strcmp(a[i], b[i]);
    if (c) return c;
  }
  return 0;
}

static int cmp_values(const void *x, const void *y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

void slt_sort_values(slt_strs *values, int ncols, slt_sort sort) {
  if (values->n == 0) return;
  if (sort == SLT_VALUESORT) {
    qsort(values->v, values->n, sizeof *values->v, cmp_values);
  } else if (sort == SLT_ROWSORT && ncols > 0) {
    g_ncols = ncols;
    qsort(values->v, values->n / (size_t)ncols, sizeof *values->v * (size_t)ncols, cmp_rows);
  }
}

char *slt_substitute(const char *in, const slt_var *vars, int nvars) {
  size_t cap = strlen(in) + 64, n = 0;
  char *out = malloc(cap);
  if (!out) return NULL;
  while (*in) {
    const slt_var *hit = NULL;
    for (int i = 0; i < nvars && !hit; i++)
      if (!strncmp(in, vars[i].name, strlen(vars[i].name))) hit = &vars[i];
    const char *add = hit ? hit->value : in;
    size_t len = hit ? strlen(hit->value) : 1;
    if (n + len + 1 > cap) {
      cap = (n + len + 1) * 2;
      char *o = realloc(out, cap);
      if (!o) {
        free(out);
        return NULL;
      }
      out = o;
    }
    memcpy(out + n, add, len);
    n += len;
    in += hit ? strlen(hit->name) : 1;
  }
  out[n] = 0;
  return out;
}
