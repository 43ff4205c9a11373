/* slt_run.c - runs one sqllogictest file against a fresh auk_db: records
 * (statement ok/error, query, halt, require, mode skip/unskip,
 * skipif/onlyif with our engine called "auk", hash-threshold) separated by
 * blank lines, loop/foreach blocks with ${var} substitution, and
 * {DATA_DIR}/__DATA_DIR__/__TEST_DIR__ paths. A failing record is reported
 * with file:line, the SQL, what was expected and what came back; the file
 * goes on to its next record. */
#include "slt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_VARS 16
#define ENGINE "auk"

typedef struct runner {
  const char *path;
  const slt_config *cfg;
  char **lines;
  size_t nlines;
  auk_db *db;
  slt_var vars[MAX_VARS];
  char var_names[MAX_VARS][72];
  int nvars;
  int failures, records;
  int skip_mode; /* between "mode skip" and "mode unskip" */
  int halted;
  char skip_reason[256]; /* set by "require": the file is skipped */
} runner;

static int read_lines(const char *path, char ***lines, size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  slt_strs l = {0};
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int rc = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    if (slt_strs_push(&l, line, (size_t)len)) rc = -1;
  }
  free(line);
  fclose(f);
  *lines = l.v;
  *n = l.n;
  return rc;
}

static int is_blank(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  return *s == 0;
}

static void fail_header(runner *r, size_t line, const char *what) {
  r->failures++;
  printf("%s:%zu: %s\n", r->path, line + 1, what);
}

static void print_sql(const char *sql) {
  printf("  SQL: %s\n", sql);
}

static void print_values(const char *title, const slt_strs *v, int ncols) {
  printf("  %s (%zu rows):\n", title, ncols > 0 ? v->n / (size_t)ncols : v->n);
  for (size_t i = 0; i < v->n; i++) {
    if (ncols > 0 && i % (size_t)ncols == 0) printf("    ");
    printf("%s", v->v[i]);
    printf(ncols > 0 && (i + 1) % (size_t)ncols ? "\t" : "\n");
  }
}

/* The lines of a record body from *i: SQL until "----" or a blank line,
 * then (after "----") expected lines until a blank line. Lines have the
 * current substitutions applied. */
static int read_body(runner *r, size_t *i, size_t end, slt_strs *sql_lines, slt_strs *expected,
                     int *has_dashes) {
  *has_dashes = 0;
  slt_strs *into = sql_lines;
  for (; *i < end && !is_blank(r->lines[*i]); (*i)++) {
    if (into == sql_lines && !strcmp(r->lines[*i], "----")) {
      *has_dashes = 1;
      into = expected;
      continue;
    }
    char *s = slt_substitute(r->lines[*i], r->vars, r->nvars);
    if (!s || slt_strs_push(into, s, strlen(s))) {
      free(s);
      return -1;
    }
    free(s);
  }
  return 0;
}

static char *join(const slt_strs *l) {
  size_t n = 1;
  for (size_t i = 0; i < l->n; i++) n += strlen(l->v[i]) + 1;
  char *s = malloc(n), *p = s;
  if (!s) return NULL;
  for (size_t i = 0; i < l->n; i++) {
    size_t k = strlen(l->v[i]);
    memcpy(p, l->v[i], k);
    p += k;
    if (i + 1 < l->n) *p++ = '\n';
  }
  *p = 0;
  return s;
}

static void run_statement(runner *r, size_t at, int expect_error, const char *sql,
                          const char *want_msg) {
  auk_frame *f = NULL;
  auk_error err;
  auk_status st = auk_sql(r->db, sql, &f, &err);
  auk_frame_free(f);
  if (!expect_error && st) {
    fail_header(r, at, "statement failed");
    print_sql(sql);
    printf("  error: %s\n", err.message);
  } else if (expect_error && !st) {
    fail_header(r, at, "statement should have failed");
    print_sql(sql);
  } else if (expect_error && *want_msg && !strstr(err.message, want_msg)) {
    fail_header(r, at, "statement failed with another message");
    print_sql(sql);
    printf("  expected the message to contain: %s\n  got: %s\n", want_msg, err.message);
  }
}

static void run_query(runner *r, size_t at, const char *header, const char *sql,
                      const slt_strs *expected_lines) {
  slt_query_header h;
  char why[256];
  if (slt_parse_query_header(header, &h, why, sizeof why)) {
    fail_header(r, at, why);
    return;
  }
  slt_strs want = {0}, got = {0};
  auk_frame *f = NULL;
  auk_error err;
  if (slt_split_expected(expected_lines->v, expected_lines->n, h.ncols, &want, why, sizeof why)) {
    fail_header(r, at, why);
  } else if (auk_sql(r->db, sql, &f, &err)) {
    fail_header(r, at, "query failed");
    print_sql(sql);
    printf("  error: %s\n", err.message);
  } else if (!f) {
    fail_header(r, at, "query returned no rows object (not a query?)");
    print_sql(sql);
  } else if (auk_frame_num_columns(f) != h.ncols) {
    snprintf(why, sizeof why, "query has %d columns, the record says %d", auk_frame_num_columns(f),
             h.ncols);
    fail_header(r, at, why);
    print_sql(sql);
  } else if (slt_format_frame(f, &got, &err)) {
    fail_header(r, at, err.message);
  } else {
    slt_sort_values(&want, h.ncols, h.sort);
    slt_sort_values(&got, h.ncols, h.sort);
    size_t bad = want.n == got.n ? want.n : 0;
    for (size_t k = 0; k < want.n && k < got.n && bad == want.n; k++)
      if (!slt_values_equal(want.v[k], got.v[k])) bad = k;
    if (want.n != got.n || bad != want.n) {
      if (want.n != got.n)
        snprintf(why, sizeof why, "wrong number of rows: expected %zu, got %zu",
                 want.n / (size_t)h.ncols, got.n / (size_t)h.ncols);
      else
        snprintf(why, sizeof why, "wrong value at row %zu, column %zu: expected '%s', got '%s'",
                 bad / (size_t)h.ncols + 1, bad % (size_t)h.ncols + 1, want.v[bad], got.v[bad]);
      fail_header(r, at, why);
      print_sql(sql);
      print_values("expected", &want, h.ncols);
      print_values("got", &got, h.ncols);
    }
  }
  auk_frame_free(f);
  slt_strs_free(&want);
  slt_strs_free(&got);
}

/* The index of the endloop closing the block that starts at `from`. */
static size_t find_endloop(runner *r, size_t from, size_t end) {
  int depth = 0;
  for (size_t i = from; i < end; i++) {
    const char *l = r->lines[i];
    if (!strncmp(l, "loop ", 5) || !strncmp(l, "foreach ", 8)) depth++;
    if (!strcmp(l, "endloop") && depth-- == 0) return i;
  }
  return end;
}

static void run_lines(runner *r, size_t from, size_t end);

static void run_block(runner *r, size_t at, const char *name, const char *value, size_t body,
                      size_t stop) {
  if (r->nvars == MAX_VARS) {
    fail_header(r, at, "loops nested too deeply");
    return;
  }
  snprintf(r->var_names[r->nvars], sizeof r->var_names[0], "${%s}", name);
  r->vars[r->nvars].name = r->var_names[r->nvars];
  r->vars[r->nvars].value = value;
  r->nvars++;
  run_lines(r, body, stop);
  r->nvars--;
}

static void run_lines(runner *r, size_t from, size_t end) {
  int skip_next = 0;
  for (size_t i = from; i < end && !r->halted && !r->skip_reason[0];) {
    const char *line = r->lines[i];
    if (is_blank(line) || line[0] == '#') {
      i++;
      continue;
    }
    char w0[64] = "", w1[64] = "", w2[64] = "", w3[64] = "";
    sscanf(line, "%63s %63s %63s %63s", w0, w1, w2, w3);
    size_t at = i++;
    if (!strcmp(w0, "skipif") || !strcmp(w0, "onlyif")) {
      int match = !strcmp(w1, ENGINE);
      skip_next |= !strcmp(w0, "skipif") ? match : !match;
    } else if (!strcmp(w0, "hash-threshold")) {
    } else if (!strcmp(w0, "mode")) {
      if (!strcmp(w1, "skip") || !strcmp(w1, "unskip")) r->skip_mode = !strcmp(w1, "skip");
    } else if (!strcmp(w0, "halt")) {
      if (!skip_next && !r->skip_mode) r->halted = 1;
      skip_next = 0;
    } else if (!strcmp(w0, "require")) {
      if (!skip_next && !r->skip_mode)
        snprintf(r->skip_reason, sizeof r->skip_reason, "requires '%s'", w1);
      skip_next = 0;
    } else if (!strcmp(w0, "loop") || !strcmp(w0, "foreach")) {
      size_t stop = find_endloop(r, i, end);
      if (stop == end) {
        fail_header(r, at, "loop without endloop");
        return;
      }
      if (!strcmp(w0, "loop")) {
        long a = strtol(w2, NULL, 10), b = strtol(w3, NULL, 10);
        for (long v = a; v < b && !r->halted; v++) {
          char value[32];
          snprintf(value, sizeof value, "%ld", v);
          run_block(r, at, w1, value, i, stop);
        }
      } else {
        const char *p = line + strlen("foreach");
        p += strspn(p, " \t");
        p += strcspn(p, " \t"); /* the variable */
        for (;;) {
          p += strspn(p, " \t");
          size_t n = strcspn(p, " \t");
          if (!n) break;
          char value[256];
          snprintf(value, sizeof value, "%.*s", (int)n, p);
          run_block(r, at, w1, value, i, stop);
          p += n;
        }
      }
      i = stop + 1;
    } else if (!strcmp(w0, "endloop")) {
      fail_header(r, at, "endloop without loop");
    } else if (!strcmp(w0, "statement") || !strcmp(w0, "query")) {
      slt_strs sql_lines = {0}, expected = {0};
      int dashes;
      if (read_body(r, &i, end, &sql_lines, &expected, &dashes)) {
        fail_header(r, at, "out of memory");
        return;
      }
      char *sql = join(&sql_lines), *msg = join(&expected);
      int run = !skip_next && !r->skip_mode && sql && msg;
      if (run) r->records++;
      if (!sql_lines.n) {
        fail_header(r, at, "record without SQL");
      } else if (!run) {
      } else if (!strcmp(w0, "query")) {
        run_query(r, at, line + strlen("query"), sql, &expected);
      } else if (!strcmp(w1, "ok") || !strcmp(w1, "error")) {
        run_statement(r, at, !strcmp(w1, "error"), sql, msg);
      } else {
        fail_header(r, at, "statement takes ok or error");
      }
      free(sql);
      free(msg);
      slt_strs_free(&sql_lines);
      slt_strs_free(&expected);
      skip_next = 0;
    } else {
      char why[128];
      snprintf(why, sizeof why, "unknown record type '%s'", w0);
      fail_header(r, at, why);
      while (i < end && !is_blank(r->lines[i])) i++;
    }
  }
}

static int dir_exists(const char *path) {
  struct stat st;
  return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int slt_run_file(const char *path, const slt_config *cfg) {
  runner r;
  memset(&r, 0, sizeof r);
  r.path = path;
  r.cfg = cfg;
  if (read_lines(path, &r.lines, &r.nlines)) {
    printf("%s: cannot read the file\n", path);
    return 1;
  }
  int needs_data = 0;
  for (size_t i = 0; i < r.nlines; i++)
    needs_data |= strstr(r.lines[i], "{DATA_DIR}") || strstr(r.lines[i], "__DATA_DIR__");
  int rc;
  auk_error err;
  if (needs_data && !dir_exists(cfg->data_dir)) {
    printf("skip %s: the data directory %s is absent (set AUK_DATA_DIR or --data-dir)\n", path,
           cfg->data_dir ? cfg->data_dir : "(none)");
    rc = 2;
  } else if (auk_db_open(&r.db, &err)) {
    printf("%s: %s\n", path, err.message);
    rc = 1;
  } else {
    r.vars[0] = (slt_var){"{DATA_DIR}", cfg->data_dir ? cfg->data_dir : ""};
    r.vars[1] = (slt_var){"__DATA_DIR__", cfg->data_dir ? cfg->data_dir : ""};
    r.vars[2] = (slt_var){"__TEST_DIR__", cfg->temp_dir};
    r.nvars = 3;
    run_lines(&r, 0, r.nlines);
    auk_db_close(r.db);
    if (r.skip_reason[0] && !r.failures) {
      printf("skip %s: %s\n", path, r.skip_reason);
      rc = 2;
    } else {
      rc = r.failures ? 1 : 0;
      if (cfg->verbose || r.failures)
        printf("%s %s: %d records, %d failed\n", r.failures ? "FAIL" : "ok", path, r.records,
               r.failures);
    }
  }
  for (size_t i = 0; i < r.nlines; i++) free(r.lines[i]);
  free(r.lines);
  return rc;
}
