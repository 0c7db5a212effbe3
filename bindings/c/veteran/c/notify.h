/*
 * veteran/c/notify.h — signed webhooks: sign and verify the
 * `Veteran-Signature` header, and deliver the outbox once. See docs/notify.md.
 * Conventions: see veteran.h. C99; every function is declared extern "C".
 *
 * Header format: "t=<unix seconds>,v1=<64 lower-case hex>", v1 being
 * HMAC-SHA256(secret, "<t>.<body>"). Secrets are raw bytes; they are never
 * copied into error messages. All functions are thread-safe (no shared
 * state); veteran_outbox_deliver_once may run concurrently on different
 * stores, or on the same store (calls are serialised by it).
 */
#ifndef VETERAN_C_NOTIFY_H
#define VETERAN_C_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "veteran/c/core.h"
#include "veteran/c/flow.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Length of a signature header value, without the terminator. */
#define VETERAN_WEBHOOK_SIGNATURE_LEN 80
/* Default replay window of veteran_webhook_verify (seconds). */
#define VETERAN_WEBHOOK_TOLERANCE_S 300
VETERAN_API size_t veteran_webhook_signature_len(void);

/* Writes the header value for `body` signed at `unix_seconds` into `buf`
 * (see veteran.h for buffer rules; VETERAN_WEBHOOK_SIGNATURE_LEN + 1 bytes
 * always suffice). Errors: INVALID_ARGUMENT (no or over-long secret,
 * negative time), BUFFER_TOO_SMALL. */
VETERAN_API int veteran_webhook_sign(char *buf, size_t cap, size_t *out_len,
                                     const uint8_t *secret, size_t secret_len,
                                     int64_t unix_seconds, const uint8_t *body,
                                     size_t body_len) VETERAN_WARN_UNUSED;

/* Verifies `header` over `body` with `secret` or, during a rotation,
 * `previous` (NULL/0 = none), in constant time, against the caller's clock
 * `now_seconds` and window `tolerance_seconds` (< 0 = the default 300).
 * Returns VETERAN_OK only when valid. Errors: SIGNATURE_MALFORMED,
 * SIGNATURE_EXPIRED (outside the window), SIGNATURE_MISMATCH (wrong secret
 * or tampered body), INVALID_ARGUMENT. */
VETERAN_API int veteran_webhook_verify(const char *header, const uint8_t *body,
                                       size_t body_len, const uint8_t *secret,
                                       size_t secret_len, const uint8_t *previous,
                                       size_t previous_len, int64_t now_seconds,
                                       int64_t tolerance_seconds) VETERAN_WARN_UNUSED;

#define VETERAN_DELIVER_OPTIONS_VERSION 1
/* Versioned options (append-only). Zero-initialise, then set `version`,
 * `url` and the secret; zero fields take the defaults of docs/notify.md. */
typedef struct veteran_deliver_options {
  unsigned version;           /* VETERAN_DELIVER_OPTIONS_VERSION */
  const char *url;            /* http:// or https:// (required) */
  const uint8_t *secret;      /* signing secret (required); copied, not kept */
  size_t secret_len;
  int max_attempts;           /* 0: 16 */
  int64_t backoff_base_ms;    /* 0: 10000 */
  int64_t backoff_cap_ms;     /* 0: max(900000, base) */
  int64_t connect_timeout_ms; /* 0: 5000 */
  int64_t total_timeout_ms;   /* 0: 15000 */
} veteran_deliver_options;

/* What one round did. */
typedef struct veteran_deliver_summary {
  size_t attempted, delivered, retrying, dead, lease_lost;
} veteran_deliver_summary;

/* Attempts every outbox item of `store` due now, once each, POSTing signed
 * JSON (see docs/notify.md), and records every outcome in the store. Network
 * failures are outcomes (counted in *out), not errors. Blocks for up to
 * total_timeout_ms per item. Errors: INVALID_ARGUMENT (names the field),
 * DATABASE, TIMEOUT, IO. */
VETERAN_API int veteran_outbox_deliver_once(veteran_deliver_summary *out,
                                            veteran_store *store,
                                            const veteran_deliver_options *options)
    VETERAN_WARN_UNUSED;

#ifdef __cplusplus
}
#endif

#endif /* VETERAN_C_NOTIFY_H */
