/* check.h - a minimal test harness: CHECK macros count failures; the test
 * exits non-zero when any failed, 77 when skipped. */
#ifndef AUK_TEST_CHECK_H
#define AUK_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures, check_count;

#define CHECK(cond)                                                            \
  do {                                                                         \
    check_count++;                                                             \
    if (!(cond)) {                                                             \
      check_failures++;                                                        \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_INT(a, b)                                                                      \
  do {                                                                                       \
    long long a_ = (long long)(a), b_ = (long long)(b);                                      \
    check_count++;                                                                           \
    if (a_ != b_) {                                                                          \
      check_failures++;                                                                      \
      fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_); \
    }                                                                                        \
  } while (0)

#define CHECK_STR(a, b)                                                             \
  do {                                                                              \
    const char *a_ = (a), *b_ = (b);                                                \
    check_count++;                                                                  \
    if (!a_ || strcmp(a_, b_)) {                                                    \
      check_failures++;                                                             \
      fprintf(stderr, "%s:%d: %s == '%s', expected '%s'\n", __FILE__, __LINE__, #a, \
              a_ ? a_ : "(null)", b_);                                              \
    }                                                                               \
  } while (0)

#define CHECK_CONTAINS(hay, needle)                                              \
  do {                                                                           \
    const char *h_ = (hay);                                                      \
    check_count++;                                                               \
    if (!h_ || !strstr(h_, needle)) {                                            \
      check_failures++;                                                          \
      fprintf(stderr, "%s:%d: '%s' does not contain '%s'\n", __FILE__, __LINE__, \
              h_ ? h_ : "(null)", needle);                                       \
    }                                                                            \
  } while (0)

static inline int check_done(void) {
  printf("%d checks, %d failed\n", check_count, check_failures);
  return check_failures ? 1 : 0;
}

#endif
