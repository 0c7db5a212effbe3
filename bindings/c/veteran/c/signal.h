/*
 * veteran/c/signal.h — signalling: the strict envelope codec and the relay.
 * Conventions: see veteran.h. C99; every function is declared extern "C".
 * The wire format, the relay's rules and the call state table are in
 * docs/signal.md.
 */
#ifndef VETERAN_C_SIGNAL_H
#define VETERAN_C_SIGNAL_H

#include <stdint.h>

#include "veteran/c/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- codec ---------------------------------------------------------------- */

/* Decodes one envelope (`json`, `len` bytes, UTF-8) strictly and writes its
 * canonical JSON (caller buffer, see veteran.h). Errors: SIGNAL_INVALID (the
 * message names the field and the rule, never the value; the field's path,
 * e.g. "body.sdp", is written to `field_buf` when it is not NULL — up to
 * field_cap bytes including the NUL, truncated to fit, "" when the input is
 * not a JSON object), INVALID_ARGUMENT (NULL json with len > 0),
 * BUFFER_TOO_SMALL. Thread-safe (no state). */
VETERAN_API int veteran_signal_canonical(char *buf, size_t cap, size_t *out_len,
                                         const char *json, size_t len, char *field_buf,
                                         size_t field_cap) VETERAN_WARN_UNUSED;

/* ---- relay ------------------------------------------------------------------ */

/* Roles of an authenticated peer (the host authenticates; the relay never
 * trusts an envelope's "from"). */
#define VETERAN_ROLE_USER 0
#define VETERAN_ROLE_PEER 1
#define VETERAN_ROLE_COUNSELLOR 2
#define VETERAN_ROLE_SUPERVISOR 3
#define VETERAN_ROLE_ADMIN 4

#define VETERAN_RELAY_OPTIONS_VERSION 1
typedef struct veteran_relay_options {
  unsigned version;           /* VETERAN_RELAY_OPTIONS_VERSION */
  int64_t ring_timeout_ms;    /* 0: default 30000 */
  int64_t reconnect_grace_ms; /* 0: default 10000 */
} veteran_relay_options;

/* Opaque relay with its own in-memory state. NOT thread-safe: the host must
 * serialise every call on one relay (a lock or a strand per relay); distinct
 * relays may be used from distinct threads. */
typedef struct veteran_relay veteran_relay;

/* New relay. `options` may be NULL (defaults). Errors: INVALID_ARGUMENT
 * (unknown options version, negative times). *out is NULL on error. */
VETERAN_API int
veteran_relay_new(veteran_relay **out,
                  const veteran_relay_options *options) VETERAN_WARN_UNUSED;
/* Frees the relay and all its state. NULL is ignored. */
VETERAN_API void veteran_relay_free(veteran_relay *relay);

/*
 * The operations below each carry out one step on the relay and keep its
 * output inside the relay until the next step: *out_len receives the length
 * of that output, and veteran_relay_output copies it into a caller buffer.
 * (A step is never repeated to get its output again, since it changes the
 * relay's state.) The output is JSON:
 *   {"deliveries":[{"to":id,"msg":{envelope}}...],
 *    "rejection":null | {"to":id,"msg":{"type":"error",...}},
 *    "issued":[{"kind":"call"|"room"|"request","id":id}...]}
 * A refused message is not an error of the call: the step returns VETERAN_OK
 * with "rejection" set (the error envelope names an error code such as
 * "permission_denied"). `now_ms` is milliseconds since the Unix epoch.
 * Errors of the call itself: INVALID_ARGUMENT (NULL relay or id, unknown
 * role), OUT_OF_MEMORY, INTERNAL; the relay's state is then unchanged and the
 * kept output is empty.
 */

/* The host authenticated `peer_id` with `role` on a new socket. */
VETERAN_API int veteran_relay_connect(veteran_relay *relay, const char *peer_id, int role,
                                      int64_t now_ms, size_t *out_len);
/* `peer_id`'s socket closed; its calls survive the reconnect grace. */
VETERAN_API int veteran_relay_disconnect(veteran_relay *relay, const char *peer_id,
                                         int64_t now_ms, size_t *out_len);
/* One envelope (`json`, `len` bytes) from the authenticated peer. */
VETERAN_API int veteran_relay_handle(veteran_relay *relay, const char *peer_id, int role,
                                     const char *json, size_t len, int64_t now_ms,
                                     size_t *out_len);
/* Room messages after `last_seen_id` ("" for all) for a reconnecting member. */
VETERAN_API int veteran_relay_resume(veteran_relay *relay, const char *peer_id, int role,
                                     const char *room_id, const char *last_seen_id,
                                     int64_t now_ms, size_t *out_len);
/* Runs the timers due at `now_ms`. */
VETERAN_API int veteran_relay_due(veteran_relay *relay, int64_t now_ms, size_t *out_len);

/* Copies the last step's output (buffer rules of veteran.h). May be called
 * any number of times. Errors: INVALID_ARGUMENT, BUFFER_TOO_SMALL. */
VETERAN_API int veteran_relay_output(char *buf, size_t cap, size_t *out_len,
                                     const veteran_relay *relay) VETERAN_WARN_UNUSED;
/* When the next timer is due: *out_has = 1 and *out_ms set, or *out_has = 0
 * when none is pending. */
VETERAN_API int veteran_relay_next_due(veteran_relay *relay, int *out_has,
                                       int64_t *out_ms);

#ifdef __cplusplus
}
#endif
#endif /* VETERAN_C_SIGNAL_H */
