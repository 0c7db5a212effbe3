/* Smallest C program: initialise, print the version, shut down. */
#include <stdio.h>

#include <veteran.h>

int main(void) {
  if (veteran_global_init() != VETERAN_OK) {
    fprintf(stderr, "veteran init failed: %s\n", veteran_error_last());
    return 1;
  }
  printf("veteran %s\n", veteran_version_string());
  veteran_global_shutdown();
  return 0;
}
