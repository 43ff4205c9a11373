/* slt.h - the sqllogictest runner's parts: the pure pieces in slt_lib.c
 * (record headers, expected values, comparison, sorting, substitution;
 * unit-tested by test_slt.c) and the file interpreter in slt_run.c. */
#ifndef AUK_SLT_H
#define AUK_SLT_H

#include "auk.h"

#include <stddef.h>

/* A growable list of owned strings. */
typedef struct slt_strs {
  char **v;
  size_t n, cap;
} slt_strs;

int slt_strs_push(slt_strs *l, const char *s, size_t n); /* 0, or -1 out of memory */
void slt_strs_free(slt_strs *l);

typedef enum { SLT_NOSORT, SLT_ROWSORT, SLT_VALUESORT } slt_sort;

/* "query <types> [nosort|rowsort|valuesort] [label]", from the words after
 * "query". types are letters (I integer, R real, T text, B boolean, ...),
 * one per column. Returns 0, or -1 with a reason in why. */
typedef struct slt_query_header {
  int ncols;
  slt_sort sort;
} slt_query_header;
int slt_parse_query_header(const char *rest, slt_query_header *h, char *why, size_t cap);

/* The expected values of a query: one row per line with values separated by
 * tabs, or (sqllogictest's older layout) one value per line when there are
 * several columns and no line has a tab. Returns 0, or -1 with a reason. */
int slt_split_expected(char *const *lines, size_t nlines, int ncols, slt_strs *out, char *why,
                       size_t cap);

/* A frame's cells as the runner compares them: NULL, (empty) for an empty
 * string, true/false, numbers as auk prints them. Returns 0, or -1. */
int slt_format_frame(const auk_frame *f, slt_strs *out, auk_error *err);

/* Equal as text, or both numbers within a relative 1e-9 (absolute 1e-12). */
int slt_values_equal(const char *expected, const char *actual);

/* Sorts rows of ncols values (rowsort) or all values (valuesort) in place. */
void slt_sort_values(slt_strs *values, int ncols, slt_sort sort);

/* A variable of loop/foreach, or a fixed substitution such as {DATA_DIR}. */
typedef struct slt_var {
  const char *name; /* "${i}", "{DATA_DIR}", "__DATA_DIR__", ... */
  const char *value;
} slt_var;

/* A new string: in with every var name replaced by its value (the caller
 * frees it); NULL when out of memory. */
char *slt_substitute(const char *in, const slt_var *vars, int nvars);

/* Runs one test file in a fresh database. Returns 0 passed, 1 failed, 2
 * skipped (the reason is printed). */
typedef struct slt_config {
  const char *data_dir; /* for {DATA_DIR} and __DATA_DIR__; may be missing */
  const char *temp_dir; /* for __TEST_DIR__ */
  int verbose;
} slt_config;
int slt_run_file(const char *path, const slt_config *cfg);

#endif
