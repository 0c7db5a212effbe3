/* C API of webhook signing and delivery, as a C99 program (pedantic, -Werror). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "veteran.h"

static const uint8_t kSecret[] = "key-1";
static const char kBody[] = "{\"a\":1}";
/* python3: hmac.new(b'key-1', b'1700000000.{"a":1}', hashlib.sha256).hexdigest() */
static const char kHeader[] =
    "t=1700000000,v1=ca774bf7b74ca4375d684b2d75b40c0aeb85d75cc80c8dda64740a2aff020088";

static void test_sign_verify(void) {
  char buf[VETERAN_WEBHOOK_SIGNATURE_LEN + 1];
  char small[8];
  size_t len = 0;
  const uint8_t *body = (const uint8_t *)kBody;
  CHECK(veteran_webhook_signature_len() == VETERAN_WEBHOOK_SIGNATURE_LEN);
  CHECK(veteran_webhook_sign(buf, sizeof buf, &len, kSecret, 5, 1700000000, body,
                             strlen(kBody)) == VETERAN_OK);
  CHECK(len == VETERAN_WEBHOOK_SIGNATURE_LEN && strcmp(buf, kHeader) == 0);
  CHECK(veteran_webhook_sign(small, sizeof small, &len, kSecret, 5, 1700000000, body,
                             strlen(kBody)) == VETERAN_E_BUFFER_TOO_SMALL);
  CHECK(veteran_webhook_sign(buf, sizeof buf, &len, kSecret, 0, 1, body, 1) ==
        VETERAN_E_INVALID_ARGUMENT);

  CHECK(veteran_webhook_verify(kHeader, body, strlen(kBody), kSecret, 5, NULL, 0,
                               1700000000, -1) == VETERAN_OK);
  CHECK(veteran_webhook_verify(kHeader, (const uint8_t *)"{\"a\":2}", 7, kSecret, 5, NULL,
                               0, 1700000000, -1) == VETERAN_E_SIGNATURE_MISMATCH);
  CHECK(strstr(veteran_error_last(), "key-1") == NULL);
  CHECK(veteran_webhook_verify(kHeader, body, strlen(kBody), (const uint8_t *)"key-2", 5,
                               NULL, 0, 1700000000, -1) == VETERAN_E_SIGNATURE_MISMATCH);
  /* rotation: the previous secret still verifies */
  CHECK(veteran_webhook_verify(kHeader, body, strlen(kBody), (const uint8_t *)"key-2", 5,
                               kSecret, 5, 1700000000, -1) == VETERAN_OK);
  CHECK(veteran_webhook_verify(kHeader, body, strlen(kBody), kSecret, 5, NULL, 0,
                               1700000301, -1) == VETERAN_E_SIGNATURE_EXPIRED);
  CHECK(veteran_webhook_verify(kHeader, body, strlen(kBody), kSecret, 5, NULL, 0,
                               1700000301, 400) == VETERAN_OK);
  CHECK(veteran_webhook_verify("t=1,v1=zz", body, strlen(kBody), kSecret, 5, NULL, 0, 1,
                               -1) == VETERAN_E_SIGNATURE_MALFORMED);
  CHECK(veteran_webhook_verify(NULL, body, 1, kSecret, 5, NULL, 0, 1, -1) ==
        VETERAN_E_INVALID_ARGUMENT);
}

static void test_deliver_once(const char *path) {
  veteran_store *store = NULL;
  veteran_flow *flow = NULL;
  veteran_deliver_options o;
  veteran_deliver_summary s;
  char id[128];
  size_t len = 0;
  CHECK(veteran_store_open(&store, path, NULL) == VETERAN_OK);
  CHECK(veteran_flow_new(&flow, store, NULL) == VETERAN_OK);
  CHECK(veteran_flow_request_chat(id, sizeof id, &len, flow, "u1", NULL, NULL,
                                  (int64_t)1700000000000LL) == VETERAN_OK);

  memset(&o, 0, sizeof o);
  CHECK(veteran_outbox_deliver_once(&s, store, &o) == VETERAN_E_INVALID_ARGUMENT);
  o.version = VETERAN_DELIVER_OPTIONS_VERSION;
  o.url = "ftp://127.0.0.1/";
  o.secret = kSecret;
  o.secret_len = 5;
  CHECK(veteran_outbox_deliver_once(&s, store, &o) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(strstr(veteran_error_last(), "urls[0]") != NULL);
  /* nothing listens on port 1: one attempt, then dead-lettered */
  o.url = "http://127.0.0.1:1/hook";
  o.max_attempts = 1;
  o.backoff_base_ms = 1;
  CHECK(veteran_outbox_deliver_once(&s, store, &o) == VETERAN_OK);
  CHECK(s.attempted >= 1 && s.dead >= 1 && s.delivered == 0);

  veteran_flow_free(flow);
  veteran_store_free(store);
}

int main(void) {
  char dir[] = "/tmp/vet-c-notify-XXXXXX";
  char path[256];
  if (!mkdtemp(dir)) return 1;
  snprintf(path, sizeof path, "%s/s.db", dir);
  test_sign_verify();
  test_deliver_once(path);
  unlink(path);
  {
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
  }
  rmdir(dir);
  return finish_checks("test_c_notify");
}
