/* C API core: version, errors, init. Compiled as pedantic C99 (-Werror), so it
 * is also the header test for veteran.h. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "veteran.h"


int main(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", veteran_version_major(),
           veteran_version_minor(), veteran_version_patch());
  CHECK(strcmp(veteran_version_string(), expected) == 0);
  CHECK(strcmp(veteran_version_string(), VETERAN_VERSION_STRING_C) == 0);

  CHECK(veteran_error_last() != NULL);
  CHECK(veteran_error_last_code() == VETERAN_OK);
  CHECK(strcmp(veteran_strerror(VETERAN_OK), "success") == 0);
  CHECK(strcmp(veteran_strerror(VETERAN_E_NOT_FOUND), "not found") == 0);
  CHECK(strcmp(veteran_strerror(-1000), "unknown error") == 0);

  CHECK(veteran_global_init() == VETERAN_OK);
  CHECK(veteran_global_init() == VETERAN_OK);
  CHECK(veteran_global_shutdown() == 1);
  CHECK(veteran_global_shutdown() == 0);
  CHECK(veteran_global_shutdown() == 0);

  return finish_checks("c_core");
}
