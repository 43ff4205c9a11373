/* main.c - auk-sqllogictest FILE|DIR...: runs sqllogictest files (each in
 * a fresh database; a directory means the *.test files under it, sorted) and ends
 * with "N passed, N failed" counting files. The data directory for
 * {DATA_DIR} comes from --data-dir, else AUK_DATA_DIR, else the shared/data
 * folder beside the repository; __TEST_DIR__ is a temporary directory
 * removed at the end. Exit status 1 when a file failed (an empty folder
 * counts as a failure), 77 when every file was skipped. */
#define _XOPEN_SOURCE 700
#include "slt.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef AUK_SHARED_DATA
#define AUK_SHARED_DATA "../shared/data"
#endif

typedef struct totals {
  int passed, failed, skipped;
} totals;

static void run_one(const char *path, const slt_config *cfg, totals *t) {
  int rc = slt_run_file(path, cfg);
  if (rc == 0)
    t->passed++;
  else if (rc == 2)
    t->skipped++;
  else
    t->failed++;
}

static int is_test_name(const char *name) {
  size_t n = strlen(name);
  return n > 5 && !strcmp(name + n - 5, ".test");
}

static int not_dot(const struct dirent *e) {
  return e->d_name[0] != '.';
}

/* A file, or every .test file under a directory (recursively, sorted).
 * Returns the number of files run. */
static int run_path(const char *path, const slt_config *cfg, totals *t, int top) {
  struct stat st;
  if (stat(path, &st)) {
    printf("%s: no such file or directory\n", path);
    t->failed++;
    return 0;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (!top && !is_test_name(path)) return 0;
    run_one(path, cfg, t);
    return 1;
  }
  struct dirent **list;
  int n = scandir(path, &list, not_dot, alphasort), ran = 0;
  for (int i = 0; i < n; i++) {
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", path, list[i]->d_name);
    ran += run_path(full, cfg, t, 0);
    free(list[i]);
  }
  if (n >= 0) free(list);
  if (top && !ran) {
    printf("%s: no .test files\n", path);
    t->failed++;
  }
  return ran;
}

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(p);
}

int main(int argc, char **argv) {
  slt_config cfg = {0};
  cfg.data_dir = getenv("AUK_DATA_DIR");
  if (!cfg.data_dir || !*cfg.data_dir) cfg.data_dir = AUK_SHARED_DATA;
  const char *paths[1024];
  int npaths = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--data-dir") && i + 1 < argc) {
      cfg.data_dir = argv[++i];
    } else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
      cfg.verbose = 1;
    } else if (argv[i][0] == '-') {
      fprintf(stderr,
              "usage: auk-sqllogictest [--data-dir DIR] [-v] FILE|DIR...\n"
              "unknown option '%s'\n",
              argv[i]);
      return 2;
    } else if (npaths < 1024) {
      paths[npaths++] = argv[i];
    }
  }
  if (!npaths) {
    fprintf(stderr, "usage: auk-sqllogictest [--data-dir DIR] [-v] FILE|DIR...\n");
    return 2;
  }
  char temp[] = "/tmp/auk-slt-XXXXXX";
  if (!mkdtemp(temp)) {
    perror("mkdtemp");
    return 2;
  }
  cfg.temp_dir = temp;
  setvbuf(stdout, NULL, _IOLBF, 0);
  totals t = {0};
  for (int i = 0; i < npaths; i++) run_path(paths[i], &cfg, &t, 1);
  nftw(temp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  if (t.skipped) printf("%d skipped\n", t.skipped);
  printf("%d passed, %d failed\n", t.passed, t.failed);
  if (t.failed) return 1;
  return t.passed ? 0 : 77; /* everything skipped: CTest shows a skip */
}
