/* dot.c - the shell's dot-commands (.tables, .schema, .mode, .timer, .read,
 * .output, .import, .progress, ...), as in the sqlite3 and duckdb shells. Arguments
 * are split at blanks; single or double quotes keep blanks in one. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 8

static const char help_text[] =
    ".bail on|off            stop at the first error (default: on in batch runs)\n"
    ".exit, .quit            leave the shell\n"
    ".help                   this text\n"
    ".import FILE TABLE      read a CSV or Parquet file into table TABLE\n"
    ".maxrows N              rows shown by box mode before eliding (-1: all)\n"
    ".mode [MODE]            output mode: box, csv, json, markdown, line\n"
    ".output [FILE]          write results to FILE; without FILE, to the terminal\n"
    ".progress [on|off]      a progress bar on stderr for statements over a second\n"
    ".read FILE              run the statements and dot-commands of FILE\n"
    ".schema [NAME]          the columns and types of every table and view, or of NAME\n"
    ".tables                 the names of the tables and views\n"
    ".timer on|off           print the run time of each statement\n";

/* Splits line (starting at '.') into at most MAX_ARGS words in buf. */
static int split_args(const char *line, char *buf, char **argv) {
  int n = 0;
  const char *p = line;
  char *o = buf;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (!*p) break;
    if (n == MAX_ARGS) return -1;
    argv[n++] = o;
    if (*p == '"' || *p == '\'') {
      char q = *p++;
      while (*p && *p != q) *o++ = *p++;
      if (*p) p++;
    } else {
      while (*p && *p != ' ' && *p != '\t' && *p != '\r') *o++ = *p++;
    }
    *o++ = 0;
  }
  return n;
}

static int parse_on_off(shell *s, const char *cmd, int argc, char **argv, int *flag) {
  if (argc == 2 && (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
    *flag = !strcmp(argv[1], "on");
    return 0;
  }
  shell_error(s, "usage: %s on|off", cmd);
  return 1;
}

static int is_parquet(const char *path) {
  size_t n = strlen(path);
  return n >= 8 && !strcasecmp(path + n - 8, ".parquet");
}

/* A name printed so that the SQL lexer reads it back: quoted unless it is
 * a plain identifier. */
static void put_name(FILE *out, const char *name) {
  int plain = name[0] == '_' || ((name[0] | 32) >= 'a' && (name[0] | 32) <= 'z');
  for (const char *p = name; *p && plain; p++)
    plain = *p == '_' || ((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9');
  if (plain) {
    fputs(name, out);
    return;
  }
  fputc('"', out);
  for (const char *p = name; *p; p++) {
    if (*p == '"') fputc('"', out);
    fputc(*p, out);
  }
  fputc('"', out);
}

static int show_schema(shell *s, const char *name, int is_view) {
  auk_lazy *lf = NULL;
  auk_error err;
  if (auk_db_table(s->db, name, &lf, &err)) {
    shell_error(s, "%s", err.message);
    return 1;
  }
  fputs(is_view ? "CREATE VIEW " : "CREATE TABLE ", s->out);
  put_name(s->out, name);
  fputs(" (", s->out);
  for (int i = 0; i < auk_lazy_num_columns(lf); i++) {
    if (i) fputs(", ", s->out);
    put_name(s->out, auk_lazy_column_name(lf, i));
    fprintf(s->out, " %s", auk_type_name(auk_lazy_column_type(lf, i)));
  }
  fputs(");\n", s->out);
  auk_lazy_free(lf);
  return 0;
}

static int dot_schema(shell *s, int argc, char **argv) {
  int n = auk_db_num_tables(s->db), found = 0, rc = 0;
  for (int i = 0; i < n; i++) {
    const char *name = auk_db_table_name(s->db, i);
    if (argc > 1 && strcasecmp(name, argv[1])) continue;
    found = 1;
    rc |= show_schema(s, name, auk_db_table_is_view(s->db, i));
  }
  if (argc > 1 && !found) {
    shell_error(s, "no table or view named '%s'", argv[1]);
    return 1;
  }
  return rc;
}

static int dot_import(shell *s, const char *path, const char *table) {
  auk_frame *f = NULL;
  auk_error err;
  shell_progress p;
  shell_progress_start(s, &p);
  auk_status st = is_parquet(path) ? auk_read_parquet(path, NULL, &f, &err)
                                   : auk_read_csv(path, NULL, &f, &err);
  shell_progress_stop(&p);
  if (!st) st = auk_db_register(s->db, table, f, &err);
  auk_frame_free(f);
  if (st) shell_error(s, "%s", err.message);
  return st != AUK_OK;
}

static int dot_read(shell *s, const char *path) {
  if (s->depth >= 16) {
    shell_error(s, ".read nested too deeply (at '%s')", path);
    return 1;
  }
  FILE *in = fopen(path, "r");
  if (!in) {
    shell_error(s, "cannot open '%s': %s", path, strerror(errno));
    return 1;
  }
  int failed_before = s->failed;
  s->failed = 0;
  s->depth++;
  shell_run_stream(s, in);
  s->depth--;
  fclose(in);
  int failed = s->failed;
  s->failed |= failed_before;
  return failed;
}

static int dot_output(shell *s, int argc, char **argv) {
  FILE *f = stdout;
  if (argc > 1 && !(f = fopen(argv[1], "w"))) {
    shell_error(s, "cannot open '%s' for writing: %s", argv[1], strerror(errno));
    return 1;
  }
  if (s->out != stdout) fclose(s->out);
  s->out = f;
  return 0;
}

int dot_run(shell *s, const char *line) {
  size_t len = strlen(line);
  char stackbuf[512];
  char *buf = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
  char *argv[MAX_ARGS];
  if (!buf) {
    shell_error(s, "out of memory");
    return 1;
  }
  int argc = split_args(line, buf, argv), rc = 0;
  const char *cmd = argc > 0 ? argv[0] : ".";
  if (argc < 0) {
    shell_error(s, "too many arguments: %s", line);
    rc = 1;
  } else if (!strcmp(cmd, ".quit") || !strcmp(cmd, ".exit")) {
    s->quit = 1;
  } else if (!strcmp(cmd, ".help")) {
    fputs(help_text, s->out);
  } else if (!strcmp(cmd, ".tables") && argc == 1) {
    for (int i = 0; i < auk_db_num_tables(s->db); i++)
      fprintf(s->out, "%s\n", auk_db_table_name(s->db, i));
  } else if (!strcmp(cmd, ".schema") && argc <= 2) {
    rc = dot_schema(s, argc, argv);
  } else if (!strcmp(cmd, ".mode") && argc == 1) {
    fprintf(s->out, "%s\n", out_mode_name(s->mode));
  } else if (!strcmp(cmd, ".mode") && argc == 2) {
    int m = out_mode_parse(argv[1]);
    if (m < 0) {
      shell_error(s, "unknown mode '%s' (use box, csv, json, markdown or line)", argv[1]);
      rc = 1;
    } else {
      s->mode = (out_mode)m;
    }
  } else if (!strcmp(cmd, ".timer")) {
    rc = parse_on_off(s, cmd, argc, argv, &s->timer);
  } else if (!strcmp(cmd, ".progress") && argc == 1) {
    fprintf(s->out, "%s\n", s->progress ? "on" : "off");
  } else if (!strcmp(cmd, ".progress")) {
    rc = parse_on_off(s, cmd, argc, argv, &s->progress);
  } else if (!strcmp(cmd, ".bail")) {
    rc = parse_on_off(s, cmd, argc, argv, &s->bail);
  } else if (!strcmp(cmd, ".maxrows") && argc == 2) {
    char *end;
    long n = strtol(argv[1], &end, 10);
    if (*end || n < -1 || n > 1000000000) {
      shell_error(s, ".maxrows takes a number of rows, or -1 for all");
      rc = 1;
    } else {
      s->max_rows = (int)n;
    }
  } else if (!strcmp(cmd, ".read") && argc == 2) {
    rc = dot_read(s, argv[1]);
  } else if (!strcmp(cmd, ".output") && argc <= 2) {
    rc = dot_output(s, argc, argv);
  } else if (!strcmp(cmd, ".import") && argc == 3) {
    rc = dot_import(s, argv[1], argv[2]);
  } else {
    shell_error(s, "unknown dot-command or wrong arguments: %s (see .help)", line);
    rc = 1;
  }
  fflush(s->out);
  if (buf != stackbuf) free(buf);
  return rc;
}
