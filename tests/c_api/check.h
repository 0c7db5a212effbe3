/* Minimal check helpers shared by the C API tests (C99). */
#ifndef VETERAN_TEST_CHECK_H
#define VETERAN_TEST_CHECK_H

#include <stdio.h>

static int failures = 0;

/* Records a failed condition with its location and carries on. */
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* Prints the summary and returns the process exit code. */
static int finish_checks(const char *name) {
  if (failures) {
    fprintf(stderr, "%s: %d check(s) failed\n", name, failures);
    return 1;
  }
  printf("%s: all checks passed\n", name);
  return 0;
}

#endif
