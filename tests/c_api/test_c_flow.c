/* C API of the store and flows, as a C99 program (pedantic, -Werror). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "veteran.h"

#define T0 ((int64_t)1700000000000LL)

static void test_flows(const char *path) {
  veteran_store *store = NULL;
  veteran_flow *flow = NULL;
  veteran_keyring *ring = NULL;
  char id[128], alert[128], report[512];
  size_t len = 0, applied = 0;

  CHECK(veteran_store_open(&store, path, NULL) == VETERAN_OK);
  CHECK(veteran_keyring_generate(&ring, "k1") == VETERAN_OK);
  CHECK(veteran_flow_new(&flow, store, ring) == VETERAN_OK);

  CHECK(veteran_flow_request_chat(id, sizeof id, &len, flow, "u1", NULL, NULL, T0) ==
        VETERAN_OK);
  CHECK(len == strlen(id) && len > 0);
  CHECK(veteran_flow_fire(flow, id, "claim", "c1", "counsellor", T0) == VETERAN_OK);
  CHECK(veteran_flow_fire(flow, id, "claim", "c2", "counsellor", T0) ==
        VETERAN_E_CONFLICT);
  CHECK(strstr(veteran_error_last(), "already") != NULL);
  CHECK(veteran_flow_fire(flow, "nope", "claim", "c2", "counsellor", T0) ==
        VETERAN_E_NOT_FOUND);
  CHECK(veteran_flow_fire(flow, id, "claim", "c2", "wizard", T0) ==
        VETERAN_E_INVALID_ARGUMENT);

  CHECK(veteran_flow_post_message(flow, id, "u1", "user", "are you there?", T0) ==
        VETERAN_OK);
  CHECK(veteran_flow_post_message(flow, id, "u2", "user", "hi", T0) ==
        VETERAN_E_PERMISSION_DENIED);
  CHECK(strstr(veteran_error_last(), "are you") == NULL);
  CHECK(veteran_flow_fire(flow, id, "end", "c1", "counsellor", T0) == VETERAN_OK);

  CHECK(veteran_flow_request_call(id, sizeof id, &len, flow, "u1", "counsellor", NULL,
                                  T0) == VETERAN_OK);
  CHECK(veteran_flow_fire(flow, id, "claim", "p1", "peer", T0) ==
        VETERAN_E_PERMISSION_DENIED);
  CHECK(veteran_flow_fire(flow, id, "claim", "c1", "counsellor", T0) == VETERAN_OK);
  CHECK(veteran_flow_fire(flow, id, "answer", "u1", "user", T0) == VETERAN_OK);

  CHECK(veteran_flow_create_concern(id, sizeof id, &len, flow, "fam1", "dad not sleeping",
                                    T0) == VETERAN_OK);
  CHECK(veteran_flow_fire(flow, id, "triage", "c1", "counsellor", T0) == VETERAN_OK);
  CHECK(veteran_flow_create_concern(id, sizeof id, &len, flow, "fam1", "", T0) ==
        VETERAN_E_INVALID_ARGUMENT);

  CHECK(veteran_flow_create_callback(id, sizeof id, &len, flow, "+447700900123", 1, NULL,
                                     NULL, NULL, T0) == VETERAN_OK);
  CHECK(veteran_flow_fire(flow, id, "take", "c1", "counsellor", T0) == VETERAN_OK);
  CHECK(veteran_flow_fire(flow, id, "complete", "c1", "counsellor", T0) == VETERAN_OK);
  CHECK(veteran_flow_fire(flow, id, "take", "c1", "counsellor", T0) ==
        VETERAN_E_INVALID_STATE);
  CHECK(strstr(veteran_error_last(), "completed") != NULL);
  CHECK(strstr(veteran_error_last(), "7700900123") == NULL);

  /* Fail-safe turn: raises an alert; a peer may not resolve it. */
  CHECK(veteran_flow_feed(alert, sizeof alert, &len, flow, "s1", "none", 1, 0, NULL,
                          T0) == VETERAN_OK);
  CHECK(len > 0);
  CHECK(veteran_flow_fire(flow, alert, "resolve", "p1", "peer", T0) ==
        VETERAN_E_PERMISSION_DENIED);
  CHECK(veteran_flow_fire(flow, alert, "ack", "p1", "peer", T0) == VETERAN_OK);

  CHECK(veteran_flow_raise_alert(id, sizeof id, &len, flow, "panic", "critical", NULL,
                                 T0) == VETERAN_OK);
  CHECK(veteran_flow_raise_alert(id, sizeof id, &len, flow, "fire", "critical", NULL,
                                 T0) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_flow_due(&applied, flow, T0 + 5 * 60 * 1000) == VETERAN_OK);
  CHECK(applied == 1); /* the panic alert escalated */

  CHECK(veteran_store_check(report, sizeof report, &len, store) == VETERAN_OK);
  CHECK(strstr(report, "\"ok\":true") != NULL);
  CHECK(veteran_store_check(report, 4, &len, store) == VETERAN_E_BUFFER_TOO_SMALL);

  veteran_flow_free(flow);
  veteran_keyring_free(ring);
  veteran_store_free(store);
  veteran_flow_free(NULL);
  veteran_store_free(NULL);
}

static void test_bad_store(void) {
  veteran_store *store = (veteran_store *)1;
  veteran_store_options o;
  memset(&o, 0, sizeof o);
  o.version = 99;
  CHECK(veteran_store_open(&store, ":memory:", &o) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(store == NULL);
  o.version = VETERAN_STORE_OPTIONS_VERSION;
  o.read_only = 1;
  CHECK(veteran_store_open(&store, "/nonexistent/dir/x.db", &o) == VETERAN_E_NOT_FOUND);
  CHECK(veteran_store_open(NULL, ":memory:", NULL) == VETERAN_E_INVALID_ARGUMENT);
}

int main(void) {
  char path[] = "/tmp/vet-c-flow-XXXXXX";
  char file[64];
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  unlink(path);
  snprintf(file, sizeof file, "%s", path);
  test_flows(file);
  test_bad_store();
  unlink(file);
  {
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", file);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", file);
    unlink(wal);
  }
  return finish_checks("test_c_flow");
}
