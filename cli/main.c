/* main.c - the auk command's entry: the first argument decides between a
 * subcommand over files (`auk head FILE`, see commands.c) and the SQL shell
 * (`auk`, `auk -c SQL`, `auk script.sql`, SQL on standard input; flags as
 * in the sqlite3 and duckdb shells). Batch runs stop at the first failing
 * statement (like sqlite3 -bail) and exit with status 1. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_COMMANDS 64

static int is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcasecmp(s + n - m, suffix);
}

static int bad_usage(const char *fmt, const char *arg) {
  fputs("auk: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs(" (see auk --help)\n", stderr);
  return 2;
}

int main(int argc, char **argv) {
  if (argc >= 2 && cli_is_command(argv[1])) return cli_command_main(argc, argv);
  const char *commands[MAX_COMMANDS];
  int ncommands = 0, bail = -1;
  const char *script = NULL;
  shell s;
  int mode = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *name = a[0] == '-' ? a + 1 + (a[1] == '-') : NULL; /* -csv or --csv */
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "help")) {
      cli_usage(stdout);
      return 0;
    } else if (!strcmp(a, "-c")) {
      if (!v) return bad_usage("%s needs the SQL to run", a);
      if (ncommands == MAX_COMMANDS) return bad_usage("too many %s options", a);
      commands[ncommands++] = v;
      i++;
    } else if (name && out_mode_parse(name) >= 0) {
      mode = out_mode_parse(name);
    } else if (name && !strcmp(name, "bail")) {
      bail = 1;
    } else if (name && !strcmp(name, "no-bail")) {
      bail = 0;
    } else if (name && !strcmp(name, "threads")) {
      if (!v || atoi(v) <= 0) return bad_usage("%s takes a positive number", a);
      auk_set_threads(atoi(v));
      i++;
    } else if (name && !strcmp(name, "memory-limit")) {
      uint64_t bytes;
      auk_error err;
      if (!v) return bad_usage("%s takes a size such as 4GB", a);
      if (auk_parse_size(v, &bytes, &err)) return bad_usage("%s", err.message);
      auk_set_memory_limit(bytes);
      i++;
    } else if (name) {
      return bad_usage("unknown option '%s'", a);
    } else if (script) {
      return bad_usage("one script at a time ('%s')", a);
    } else if (!is_file(a) && !ends_with(a, ".sql")) {
      return bad_usage("unknown command '%s'", a);
    } else {
      script = a;
    }
  }
  if (shell_init(&s)) return 1;
  if (mode >= 0) s.mode = (out_mode)mode;
  int batch = ncommands > 0 || script || !isatty(STDIN_FILENO);
  s.bail = bail >= 0 ? bail : batch;
  int stop = 0;
  for (int i = 0; i < ncommands && !stop; i++) stop = shell_run_text(&s, commands[i]);
  if (!stop && script) {
    FILE *in = fopen(script, "r");
    if (!in) {
      shell_error(&s, "cannot open '%s'", script);
    } else {
      shell_run_stream(&s, in);
      fclose(in);
    }
  } else if (!stop && ncommands == 0) {
    if (isatty(STDIN_FILENO)) {
      s.interactive = 1;
      shell_interactive(&s);
      s.failed = 0; /* errors were shown as they came; the session itself ended well */
    } else {
      shell_run_stream(&s, stdin);
    }
  }
  int rc = s.failed ? 1 : 0;
  shell_free(&s);
  return rc;
}
