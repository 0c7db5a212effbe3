#include <stdio.h>

#include <veteran.h>

int main(void) {
  if (veteran_global_init() != VETERAN_OK) {
    fprintf(stderr, "init failed: %s\n", veteran_error_last());
    return 1;
  }
  printf("veteran-c %s\n", veteran_version_string());
  return veteran_global_shutdown() == 0 ? 0 : 1;
}
