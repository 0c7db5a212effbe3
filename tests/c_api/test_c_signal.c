/* C API: signalling codec and relay (opaque handle, kept output, errors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "veteran.h"

static char out[65536];

/* Copies the relay's last output into `out`. */
static const char *output(const veteran_relay *r, size_t expected_len) {
  size_t len = 0;
  CHECK(veteran_relay_output(out, sizeof out, &len, r) == VETERAN_OK);
  CHECK(len == expected_len);
  return out;
}

/* Copies the value of the first "call_id" in `json` into `id`. */
static void first_call_id(const char *json, char *id, size_t cap) {
  const char *p = strstr(json, "\"call_id\":\"");
  size_t n = 0;
  id[0] = '\0';
  if (!p) return;
  p += strlen("\"call_id\":\"");
  while (p[n] && p[n] != '"' && n + 1 < cap)
    ++n;
  memcpy(id, p, n);
  id[n] = '\0';
}

int main(void) {
  veteran_relay *relay = NULL;
  veteran_relay_options opts;
  char field[32];
  char small[4];
  char call_id[64];
  char msg[512];
  size_t len = 0;
  int has = 0;
  int64_t when = 0;
  const char *good =
      "{\"body\":{\"candidate\":\"c\"},\"call_id\":\"k\",\"from\":\"a\",\"ts\":1,"
      "\"id\":\"i\",\"type\":\"rtc.ice\",\"v\":1}";
  const char *bad =
      "{\"v\":1,\"type\":\"chat.message\",\"id\":\"i\",\"ts\":1,\"from\":\"a\","
      "\"room_id\":\"r\",\"body\":{\"text\":\"I want to die\",\"zz\":1}}";

  /* ---- codec ---- */
  CHECK(veteran_signal_canonical(out, sizeof out, &len, good, strlen(good), field,
                                 sizeof field) == VETERAN_OK);
  CHECK(strcmp(out, "{\"v\":1,\"type\":\"rtc.ice\",\"id\":\"i\",\"ts\":1,\"from\":\"a\","
                    "\"call_id\":\"k\",\"body\":{\"candidate\":\"c\"}}") == 0);
  CHECK(len == strlen(out));
  CHECK(veteran_signal_canonical(out, sizeof out, &len, bad, strlen(bad), field,
                                 sizeof field) == VETERAN_E_SIGNAL_INVALID);
  CHECK(strcmp(field, "body.zz") == 0);
  CHECK(strstr(veteran_error_last(), "zz") != NULL);
  CHECK(strstr(veteran_error_last(), "die") == NULL);
  CHECK(veteran_signal_canonical(small, sizeof small, &len, good, strlen(good), NULL,
                                 0) == VETERAN_E_BUFFER_TOO_SMALL);
  CHECK(len > sizeof small);
  CHECK(veteran_signal_canonical(out, sizeof out, &len, NULL, 3, NULL, 0) ==
        VETERAN_E_INVALID_ARGUMENT);

  /* ---- relay: options ---- */
  memset(&opts, 0, sizeof opts);
  opts.version = 99;
  CHECK(veteran_relay_new(&relay, &opts) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(relay == NULL);
  opts.version = VETERAN_RELAY_OPTIONS_VERSION;
  opts.ring_timeout_ms = 5000;
  CHECK(veteran_relay_new(&relay, &opts) == VETERAN_OK);
  CHECK(relay != NULL);

  /* ---- a call: counsellor available, user calls, timeout after 5 s ---- */
  CHECK(veteran_relay_connect(relay, "c1", VETERAN_ROLE_COUNSELLOR, 0, &len) ==
        VETERAN_OK);
  snprintf(msg, sizeof msg, "%s",
           "{\"v\":1,\"type\":\"presence.online\",\"id\":\"a\",\"ts\":0,\"from\":\"c1\","
           "\"body\":{\"role\":\"counsellor\",\"status\":\"available\"}}");
  CHECK(veteran_relay_handle(relay, "c1", VETERAN_ROLE_COUNSELLOR, msg, strlen(msg), 0,
                             &len) == VETERAN_OK);
  CHECK(veteran_relay_connect(relay, "u1", VETERAN_ROLE_USER, 1000, &len) == VETERAN_OK);
  snprintf(msg, sizeof msg, "%s",
           "{\"v\":1,\"type\":\"call.request\",\"id\":\"b\",\"ts\":0,\"from\":\"c1\","
           "\"body\":{\"media\":\"audio\"}}");
  CHECK(veteran_relay_handle(relay, "u1", VETERAN_ROLE_USER, msg, strlen(msg), 1000,
                             &len) == VETERAN_OK);
  output(relay, len);
  CHECK(strstr(out, "\"to\":\"c1\",\"msg\":{\"v\":1,\"type\":\"call.invite\"") != NULL);
  CHECK(strstr(out, "\"from\":\"u1\"") != NULL); /* not the spoofed c1 */
  CHECK(strstr(out, "\"rejection\":null") != NULL);
  CHECK(strstr(out, "\"issued\":[{\"kind\":\"call\",\"id\":\"") != NULL);
  first_call_id(out, call_id, sizeof call_id);
  CHECK(strlen(call_id) == 22);
  /* The output stays until the next step; small buffers change nothing. */
  CHECK(veteran_relay_output(small, sizeof small, &len, relay) ==
        VETERAN_E_BUFFER_TOO_SMALL);
  output(relay, len);

  CHECK(veteran_relay_next_due(relay, &has, &when) == VETERAN_OK);
  CHECK(has == 1);
  CHECK(when == 6000);
  CHECK(veteran_relay_due(relay, 6000, &len) == VETERAN_OK);
  output(relay, len);
  CHECK(strstr(out, "call.timeout") != NULL);
  CHECK(veteran_relay_next_due(relay, &has, &when) == VETERAN_OK);
  CHECK(has == 0);

  /* A refused message is VETERAN_OK with a rejection naming the code. */
  snprintf(msg, sizeof msg,
           "{\"v\":1,\"type\":\"call.end\",\"id\":\"c\",\"ts\":0,\"from\":\"u1\","
           "\"call_id\":\"%s\",\"body\":{\"reason\":\"x\"}}",
           call_id);
  CHECK(veteran_relay_handle(relay, "u1", VETERAN_ROLE_USER, msg, strlen(msg), 7000,
                             &len) == VETERAN_OK);
  output(relay, len);
  CHECK(strstr(out, "\"code\":\"not_found\"") != NULL);

  /* Errors of the call itself. */
  CHECK(veteran_relay_connect(relay, "x", 42, 0, &len) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(len == 0);
  CHECK(veteran_relay_connect(relay, NULL, VETERAN_ROLE_USER, 0, &len) ==
        VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_relay_handle(NULL, "u1", VETERAN_ROLE_USER, msg, strlen(msg), 0, &len) ==
        VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_relay_handle(relay, "u1", VETERAN_ROLE_USER, NULL, 5, 0, &len) ==
        VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_relay_resume(relay, "u1", VETERAN_ROLE_USER, NULL, "", 0, &len) ==
        VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_relay_output(out, sizeof out, &len, NULL) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_relay_next_due(relay, NULL, &when) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_relay_disconnect(relay, "u1", 8000, &len) == VETERAN_OK);

  veteran_relay_free(relay);
  veteran_relay_free(NULL);
  return finish_checks("test_c_signal");
}
