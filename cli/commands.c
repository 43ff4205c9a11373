/* commands.c - the auk command's subcommands over files (head, schema,
 * count, describe, convert), kept from before the shell existed. Errors go to
 * standard error with a non-zero exit. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 256

typedef struct cli {
  auk_csv_read_options ro;
  const char *nulls[MAX_LIST];
  const char *cols[MAX_LIST];
  const char *type_names[MAX_LIST];
  auk_type_id types[MAX_LIST];
  char *cols_buf;
  int csv_out;
  auk_parquet_write_options pw;
  int64_t head_n;
  const char *args[4];
  int nargs;
} cli;

static cli the_cli; /* one per process; freed at exit */

static void cli_free(void) {
  free(the_cli.cols_buf);
  for (int i = 0; i < the_cli.ro.num_types; i++) free((char *)the_cli.type_names[i]);
}

int cli_is_command(const char *name) {
  static const char *const names[] = {"head", "schema", "count", "describe", "convert", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(name, names[i])) return 1;
  return 0;
}

void cli_usage(FILE *out) {
  fputs(
      "usage: auk [SHELL OPTIONS] [FILE.sql]     the SQL shell (interactive on a terminal)\n"
      "       auk COMMAND [OPTIONS] FILE...      a command over files\n"
      "\n"
      "shell:\n"
      "  auk                   interactive shell (type .help); SQL from standard input\n"
      "                        when it is not a terminal\n"
      "  auk FILE.sql          run the statements of a script\n"
      "  -c SQL                run SQL (statements or one dot-command) and exit\n"
      "  -box -csv -json -markdown -line   output mode (default box)\n"
      "  -bail / -no-bail      stop at the first error (default in -c and scripts) or go on\n"
      "  Batch runs stop at the first failing statement and exit with status 1.\n"
      "\n"
      "commands:\n"
      "  head [-n N] FILE      the first N rows (default 10) as a table\n"
      "  schema FILE           one line per column: name, tab, type\n"
      "  count FILE            the number of data rows\n"
      "  describe FILE         count, null_count, mean, std, min, max per column\n"
      "  convert IN OUT        read IN and write it as OUT (CSV or Parquet, by extension)\n"
      "\n"
      "Files ending in .parquet are read and written as Parquet; others as CSV.\n"
      "\n"
      "options:\n"
      "  --delimiter C         field delimiter (default: detect , ; tab |); 'tab' for tab\n"
      "  --quote C             quote character (default \"); 'none' turns quoting off\n"
      "  --no-header           the first row is data; columns are column_1, ...\n"
      "  --null TEXT           also read TEXT as null (repeatable; empty is always null)\n"
      "  --encoding E          utf8 (default) or latin1\n"
      "  --skip-rows N         skip N lines before the header\n"
      "  --columns a,b,c       read only these columns, in this order\n"
      "  --type NAME=TYPE      read column NAME as TYPE (i64, f64, str, bool, date, ...)\n"
      "  --ragged MODE         error (default) or pad: short rows padded with nulls,\n"
      "                        extra fields dropped\n"
      "  --csv                 print results as CSV instead of a table\n"
      "  --compression C       Parquet output: snappy (default), zstd, gzip, none\n"
      "  --row-group-rows N    Parquet output: rows per row group (default 262144)\n"
      "  --data-page-v2        Parquet output: data pages v2 (default v1)\n"
      "  --threads N           worker threads (default: AUK_THREADS or one per core)\n"
      "  --memory-limit SIZE   memory budget, e.g. 4GB (default: 80% of RAM)\n",
      out);
}

static int fail(const char *msg) {
  fprintf(stderr, "auk: %s\n", msg);
  return 2;
}

static int parse_char(const char *v, char *out) {
  if (!strcmp(v, "tab") || !strcmp(v, "\\t")) {
    *out = '\t';
    return 0;
  }
  if (!strcmp(v, "none")) {
    *out = 0;
    return 0;
  }
  if (strlen(v) != 1) return -1;
  *out = v[0];
  return 0;
}

static int parse_args(cli *c, int argc, char **argv, int start) {
  char msg[512];
  for (int i = start; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE                                           \
  if (!v) {                                                  \
    snprintf(msg, sizeof msg, "option %s needs a value", a); \
    return fail(msg);                                        \
  }                                                          \
  i++;
    if (!strcmp(a, "--delimiter") || !strcmp(a, "-d")) {
      NEED_VALUE
      if (parse_char(v, &c->ro.delimiter) || !c->ro.delimiter)
        return fail("--delimiter takes one character (or 'tab')");
    } else if (!strcmp(a, "--quote")) {
      NEED_VALUE
      if (parse_char(v, &c->ro.quote)) return fail("--quote takes one character (or 'none')");
    } else if (!strcmp(a, "--no-header")) {
      c->ro.has_header = 0;
    } else if (!strcmp(a, "--null")) {
      NEED_VALUE
      if (c->ro.num_null_values >= MAX_LIST) return fail("too many --null values");
      c->nulls[c->ro.num_null_values++] = v;
      c->ro.null_values = c->nulls;
    } else if (!strcmp(a, "--encoding")) {
      NEED_VALUE
      if (!strcasecmp(v, "utf8") || !strcasecmp(v, "utf-8"))
        c->ro.encoding = AUK_ENCODING_UTF8;
      else if (!strcasecmp(v, "latin1") || !strcasecmp(v, "latin-1") ||
               !strcasecmp(v, "iso-8859-1"))
        c->ro.encoding = AUK_ENCODING_LATIN1;
      else {
        snprintf(msg, sizeof msg, "unknown encoding '%s' (use utf8 or latin1)", v);
        return fail(msg);
      }
    } else if (!strcmp(a, "--skip-rows")) {
      NEED_VALUE
      c->ro.skip_rows = atoll(v);
    } else if (!strcmp(a, "--columns")) {
      NEED_VALUE
      c->cols_buf = strdup(v);
      int n = 0;
      for (char *tok = strtok(c->cols_buf, ","); tok && n < MAX_LIST; tok = strtok(NULL, ","))
        c->cols[n++] = tok;
      c->ro.columns = c->cols;
      c->ro.num_columns = n;
    } else if (!strcmp(a, "--type")) {
      NEED_VALUE
      const char *eq = strrchr(v, '=');
      if (!eq || eq == v) return fail("--type takes NAME=TYPE, e.g. --type 'Community Area=i64'");
      if (c->ro.num_types >= MAX_LIST) return fail("too many --type options");
      auk_error err;
      if (auk_type_parse(eq + 1, &c->types[c->ro.num_types], &err)) return fail(err.message);
      c->type_names[c->ro.num_types] = strndup(v, (size_t)(eq - v));
      c->ro.num_types++;
      c->ro.type_names = c->type_names;
      c->ro.types = c->types;
    } else if (!strcmp(a, "--ragged")) {
      NEED_VALUE
      if (!strcmp(v, "error"))
        c->ro.ragged = AUK_RAGGED_ERROR;
      else if (!strcmp(v, "pad"))
        c->ro.ragged = AUK_RAGGED_PAD;
      else
        return fail("--ragged takes error or pad");
    } else if (!strcmp(a, "--compression")) {
      NEED_VALUE
      if (!strcmp(v, "snappy"))
        c->pw.compression = AUK_PARQUET_SNAPPY;
      else if (!strcmp(v, "zstd"))
        c->pw.compression = AUK_PARQUET_ZSTD;
      else if (!strcmp(v, "gzip"))
        c->pw.compression = AUK_PARQUET_GZIP;
      else if (!strcmp(v, "none") || !strcmp(v, "uncompressed"))
        c->pw.compression = AUK_PARQUET_UNCOMPRESSED;
      else
        return fail("--compression takes snappy, zstd, gzip or none");
    } else if (!strcmp(a, "--row-group-rows")) {
      NEED_VALUE
      char *end;
      c->pw.row_group_rows = strtoll(v, &end, 10);
      if (*end || c->pw.row_group_rows <= 0)
        return fail("--row-group-rows takes a positive number");
    } else if (!strcmp(a, "--data-page-v2")) {
      c->pw.data_page_v2 = 1;
    } else if (!strcmp(a, "--csv")) {
      c->csv_out = 1;
    } else if (!strcmp(a, "-n") || !strcmp(a, "--rows")) {
      NEED_VALUE
      char *end;
      c->head_n = strtoll(v, &end, 10);
      if (*end || c->head_n < 0) return fail("-n takes a non-negative number of rows");
    } else if (!strcmp(a, "--threads")) {
      NEED_VALUE
      int n = atoi(v);
      if (n <= 0) return fail("--threads takes a positive number");
      auk_set_threads(n);
    } else if (!strcmp(a, "--memory-limit")) {
      NEED_VALUE
      uint64_t bytes;
      auk_error err;
      if (auk_parse_size(v, &bytes, &err)) return fail(err.message);
      auk_set_memory_limit(bytes);
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      cli_usage(stdout);
      exit(0);
    } else if (a[0] == '-' && a[1] == '-') {
      snprintf(msg, sizeof msg, "unknown option '%s' (see auk --help)", a);
      return fail(msg);
    } else {
      if (c->nargs >= 4) return fail("too many arguments");
      c->args[c->nargs++] = a;
    }
  }
  return 0;
}

static int report(auk_status st, const auk_error *err) {
  if (!st) return 0;
  fprintf(stderr, "auk: error: %s\n", err->message);
  return 1;
}

static void print_notes(const auk_frame *f) {
  const char *notes = auk_frame_notes(f);
  while (notes && *notes) {
    const char *nl = strchr(notes, '\n');
    int n = nl ? (int)(nl - notes) : (int)strlen(notes);
    fprintf(stderr, "auk: note: %.*s\n", n, notes);
    notes += n + (nl != NULL);
  }
}

static int is_parquet(const char *path) {
  size_t n = strlen(path);
  return n >= 8 && !strcasecmp(path + n - 8, ".parquet");
}

/* Reads a file by its extension; max_rows -1 for all. */
static auk_status read_any(cli *c, const char *path, int64_t max_rows, auk_frame **f,
                           auk_error *err) {
  if (!is_parquet(path)) {
    auk_csv_read_options ro = c->ro;
    ro.max_rows = max_rows;
    return auk_read_csv(path, &ro, f, err);
  }
  auk_parquet_read_options po;
  auk_parquet_read_options_init(&po);
  po.columns = c->ro.columns;
  po.num_columns = c->ro.num_columns;
  po.max_rows = max_rows;
  return auk_read_parquet(path, &po, f, err);
}

static int show(const cli *c, const auk_frame *f, int all_rows) {
  auk_error err;
  if (c->csv_out) return report(auk_write_csv_stream(f, stdout, NULL, &err), &err);
  auk_print_options po;
  auk_print_options_init(&po);
  if (all_rows) po.max_rows = -1;
  return report(auk_frame_print(f, stdout, &po, &err), &err);
}

int cli_command_main(int argc, char **argv) {
  const char *cmd = argv[1];
  cli *c = &the_cli;
  atexit(cli_free);
  auk_csv_read_options_init(&c->ro);
  auk_parquet_write_options_init(&c->pw);
  c->head_n = 10;
  int rc = parse_args(c, argc, argv, 2);
  if (rc) return rc;
  auk_error err;
  auk_frame *f = NULL;
  int need = !strcmp(cmd, "convert") ? 2 : 1;
  if (!cli_is_command(cmd)) {
    fprintf(stderr, "auk: unknown command '%s' (see auk --help)\n", cmd);
    return 2;
  }
  if (c->nargs != need) {
    fprintf(stderr, "auk: %s takes %s\n", cmd, need == 2 ? "IN and OUT files" : "one FILE");
    return 2;
  }
  const char *path = c->args[0];
  int pq = is_parquet(path);
  if (!strcmp(cmd, "count")) {
    int64_t rows;
    auk_status st =
        pq ? auk_count_parquet(path, &rows, &err) : auk_count_csv(path, &c->ro, &rows, &err);
    if ((rc = report(st, &err))) return rc;
    printf("%lld\n", (long long)rows);
    return 0;
  }
  if (!strcmp(cmd, "describe") && !pq) {
    auk_frame *d = NULL;
    rc = report(auk_describe_csv(path, &c->ro, &d, &err), &err);
    if (!rc) print_notes(d);
    if (!rc) rc = show(c, d, 1);
    auk_frame_free(d);
    return rc;
  }
  /* schema of a Parquet file comes from its metadata: read no rows */
  int64_t max_rows = !strcmp(cmd, "head") ? c->head_n : (!strcmp(cmd, "schema") && pq) ? 0 : -1;
  if ((rc = report(read_any(c, path, max_rows, &f, &err), &err))) return rc;
  print_notes(f);
  if (!strcmp(cmd, "head")) {
    rc = show(c, f, 1);
  } else if (!strcmp(cmd, "schema")) {
    for (int i = 0; i < auk_frame_num_columns(f); i++)
      if (auk_frame_column_timezone(f, i))
        printf("%s\tdatetime[μs, %s]\n", auk_frame_column_name(f, i),
               auk_frame_column_timezone(f, i));
      else
        printf("%s\t%s\n", auk_frame_column_name(f, i), auk_type_name(auk_frame_column_type(f, i)));
  } else if (!strcmp(cmd, "describe")) {
    auk_frame *d = NULL;
    rc = report(auk_frame_describe(f, &d, &err), &err);
    if (!rc) {
      auk_frame_free(f);
      f = NULL;
      rc = show(c, d, 1);
    }
    auk_frame_free(d);
  } else if (!strcmp(cmd, "convert")) {
    if (is_parquet(c->args[1]))
      rc = report(auk_write_parquet(f, c->args[1], &c->pw, &err), &err);
    else
      rc = report(auk_write_csv(f, c->args[1], NULL, &err), &err);
  }
  auk_frame_free(f);
  return rc;
}
