/*
 * veteran/c/flow.h — the store and the flows (chat handover, callbacks,
 * panic and safeguarding alerts, family concerns). See docs/flows.md.
 * Conventions: see veteran.h. C99; every function is declared extern "C".
 *
 * Errors, as in the CLI: NOT_FOUND (unknown id), CONFLICT (lost a race:
 * already claimed, taken or acknowledged), INVALID_STATE (not allowed from
 * the current state; the message names the state and the role),
 * PERMISSION_DENIED (not allowed for the role, or not the claimer/owner),
 * INVALID_ARGUMENT (names the argument), UNSUPPORTED_VERSION (a database from
 * a newer schema), DATABASE, IO, TIMEOUT. Nothing is changed on error.
 * Messages never contain phone numbers, message text or concern details.
 *
 * Times are milliseconds since the Unix epoch, always given by the caller.
 */
#ifndef VETERAN_C_FLOW_H
#define VETERAN_C_FLOW_H

#include <stdint.h>

#include "veteran/c/core.h"
#include "veteran/c/pii.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque store (one SQLite connection). Thread-safe: calls are serialised.
 * Free with veteran_store_free after every veteran_flow using it. */
typedef struct veteran_store veteran_store;
/* Opaque flow service over a store. Thread-safe. */
typedef struct veteran_flow veteran_flow;

#define VETERAN_STORE_OPTIONS_VERSION 1
/* Versioned options (append-only). Zero-initialise, then set `version`. */
typedef struct veteran_store_options {
  unsigned version;    /* VETERAN_STORE_OPTIONS_VERSION */
  int sync_full;       /* 0: synchronous=NORMAL (default); 1: FULL (power loss) */
  int read_only;       /* 1: open an existing store without writing */
  int busy_timeout_ms; /* 0: default 10000 */
} veteran_store_options;

/* Opens (creating or migrating) the store at `path` (a file or ":memory:").
 * `options` may be NULL for defaults. *out is NULL on error. */
VETERAN_API int
veteran_store_open(veteran_store **out, const char *path,
                   const veteran_store_options *options) VETERAN_WARN_UNUSED;
/* Frees a store; NULL is ignored. */
VETERAN_API void veteran_store_free(veteran_store *store);
/* Writes the invariant check as JSON ({"ok":..., "violations":[...], ...})
 * into `buf`; returns 0 even when violations were found (read "ok"). */
VETERAN_API int veteran_store_check(char *buf, size_t cap, size_t *out_len,
                                    veteran_store *store) VETERAN_WARN_UNUSED;

/* A flow service over `store`. `keys` may be NULL (PII fields stored as
 * given: development only); otherwise it encrypts phone numbers, message
 * text and concern details. The store and the key ring must outlive it. */
VETERAN_API int veteran_flow_new(veteran_flow **out, veteran_store *store,
                                 const veteran_keyring *keys) VETERAN_WARN_UNUSED;
/* Frees a flow service; NULL is ignored. */
VETERAN_API void veteran_flow_free(veteran_flow *flow);

/* A user's chat request ("any", "peer" or "counsellor"; NULL = "any"),
 * optionally linked to `alert_id` (NULL = none). Writes its id (also the
 * room id once claimed). */
VETERAN_API int veteran_flow_request_chat(char *id, size_t cap, size_t *out_len,
                                          veteran_flow *flow, const char *user,
                                          const char *preferred, const char *alert_id,
                                          int64_t now_ms) VETERAN_WARN_UNUSED;
/* The same for a call request (the call id is the request id). */
VETERAN_API int veteran_flow_request_call(char *id, size_t cap, size_t *out_len,
                                          veteran_flow *flow, const char *user,
                                          const char *preferred, const char *alert_id,
                                          int64_t now_ms) VETERAN_WARN_UNUSED;
/* Adds `text` (UTF-8, encrypted with keys) to chat `chat_id`'s one message
 * log, from `actor` with `role` (a participant). */
VETERAN_API int veteran_flow_post_message(veteran_flow *flow, const char *chat_id,
                                          const char *actor, const char *role,
                                          const char *text,
                                          int64_t now_ms) VETERAN_WARN_UNUSED;
/* A family concern from `user` with `details` (encrypted with keys). */
VETERAN_API int veteran_flow_create_concern(char *id, size_t cap, size_t *out_len,
                                            veteran_flow *flow, const char *user,
                                            const char *details,
                                            int64_t now_ms) VETERAN_WARN_UNUSED;
/* A callback to `phone` (encrypted with keys). `urgent` non-zero: short SLA.
 * `actor` NULL = "anonymous"; `role` NULL = "user". */
VETERAN_API int veteran_flow_create_callback(char *id, size_t cap, size_t *out_len,
                                             veteran_flow *flow, const char *phone,
                                             int urgent, const char *alert_id,
                                             const char *actor, const char *role,
                                             int64_t now_ms) VETERAN_WARN_UNUSED;
/* Raises an alert: `kind` "safeguarding" or "panic", `level` "low".."critical",
 * `session` may be NULL. Raised by the host itself (role system). */
VETERAN_API int veteran_flow_raise_alert(char *id, size_t cap, size_t *out_len,
                                         veteran_flow *flow, const char *kind,
                                         const char *level, const char *session,
                                         int64_t now_ms) VETERAN_WARN_UNUSED;
/* Applies `event` (claim, take, release, complete, cancel, ack, resolve, end,
 * triage, start, close, ...) to entity `id` as `actor` with `role` ("user",
 * "peer", "counsellor", "supervisor", "admin"). */
VETERAN_API int veteran_flow_fire(veteran_flow *flow, const char *id, const char *event,
                                  const char *actor, const char *role,
                                  int64_t now_ms) VETERAN_WARN_UNUSED;
/* Triage handoff for one assessed turn of `session` (`level` of the
 * assessment; `error` non-zero for a fail-safe answer; `other_level` NULL =
 * "none"). Writes the session's open alert id, or "" when there is none. */
VETERAN_API int veteran_flow_feed(char *alert_id, size_t cap, size_t *out_len,
                                  veteran_flow *flow, const char *session,
                                  const char *level, int error, int concern_for_other,
                                  const char *other_level,
                                  int64_t now_ms) VETERAN_WARN_UNUSED;
/* Applies every deadline at or before `now_ms`; `*applied` (may be NULL)
 * receives how many transitions were applied. */
VETERAN_API int veteran_flow_due(size_t *applied, veteran_flow *flow,
                                 int64_t now_ms) VETERAN_WARN_UNUSED;

#ifdef __cplusplus
}
#endif

#endif /* VETERAN_C_FLOW_H */
