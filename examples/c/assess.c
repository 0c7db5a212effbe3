/* Assess one message from the command line with the C API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veteran.h>

int main(int argc, char **argv) {
  const char *text = argc > 1 ? argv[1] : "I can't go on";
  veteran_engine *engine = NULL;
  size_t need = 0;
  char *json;
  if (veteran_engine_new(&engine, NULL) != VETERAN_OK) {
    fprintf(stderr, "engine: %s\n", veteran_error_last());
    return 1;
  }
  /* First call asks for the size, second writes the JSON. */
  if (veteran_assess(engine, text, strlen(text), NULL, 0, &need) != VETERAN_E_BUFFER_TOO_SMALL) {
    fprintf(stderr, "assess: %s\n", veteran_error_last());
    veteran_engine_free(engine);
    return 1;
  }
  json = malloc(need + 1);
  if (!json || veteran_assess(engine, text, strlen(text), json, need + 1, &need) != VETERAN_OK) {
    fprintf(stderr, "assess: %s\n", veteran_error_last());
    free(json);
    veteran_engine_free(engine);
    return 1;
  }
  puts(json);
  free(json);
  veteran_engine_free(engine);
  return 0;
}
