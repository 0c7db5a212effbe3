/*
 * veteran.h — the C ABI of the veteran SDK (C99, stable, FFI-friendly).
 *
 * Conventions (every function below follows them unless it says otherwise):
 *  - Return value: `int`, 0 (VETERAN_OK) on success, a negative VETERAN_E_*
 *    code on failure. On failure, veteran_error_last() describes the failure
 *    for the calling thread; on success it is left unchanged.
 *  - Outputs come first, as pointers (`**out` for new handles).
 *  - Handles are opaque; every constructor has a *_free that accepts NULL.
 *  - Text in and out is UTF-8. Output text is written into caller-owned
 *    buffers: pass `buf`, its capacity `cap` and `out_len`; on success the
 *    text plus a NUL terminator is written and *out_len is the length without
 *    the terminator. If the buffer is too small, VETERAN_E_BUFFER_TOO_SMALL is
 *    returned, nothing is written to `buf`, and *out_len holds the length
 *    needed (without the terminator): call again with cap >= *out_len + 1.
 *  - Options structs start with `unsigned version` (set it to the matching
 *    *_OPTIONS_VERSION macro); fields are only ever appended.
 *  - No C++ exception ever crosses this boundary: internal failures come back
 *    as VETERAN_E_INTERNAL or VETERAN_E_OUT_OF_MEMORY.
 *  - Thread safety is stated per function. Error state is per thread.
 *  - Messages never contain the personal data that was passed in.
 */
#ifndef VETERAN_H
#define VETERAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define VETERAN_API __attribute__((visibility("default")))
#define VETERAN_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define VETERAN_API
#define VETERAN_WARN_UNUSED
#endif

/* ---- version ------------------------------------------------------------ */
/* Compile-time version of this header. Compare with the runtime functions to
 * detect a mismatched shared library. */
#define VETERAN_VERSION_MAJOR_C 0
#define VETERAN_VERSION_MINOR_C 1
#define VETERAN_VERSION_PATCH_C 0
#define VETERAN_VERSION_STRING_C "0.1.0"

/* Runtime version of the linked library, e.g. "0.1.0". Static storage; never
 * NULL. Thread-safe. */
VETERAN_API const char *veteran_version_string(void);
VETERAN_API int veteran_version_major(void);
VETERAN_API int veteran_version_minor(void);
VETERAN_API int veteran_version_patch(void);

/* ---- errors ------------------------------------------------------------- */
/* Pinned numbers: never renumbered, never reused. Equal to -(C++ errc). */
#define VETERAN_OK 0
#define VETERAN_E_INVALID_ARGUMENT (-1)
#define VETERAN_E_LIMIT_EXCEEDED (-2)
#define VETERAN_E_PARSE (-3)
#define VETERAN_E_NOT_FOUND (-4)
#define VETERAN_E_CONFLICT (-5)
#define VETERAN_E_IO (-6)
#define VETERAN_E_DATABASE (-7)
#define VETERAN_E_NETWORK (-8)
#define VETERAN_E_INTERNAL (-9)
#define VETERAN_E_OUT_OF_MEMORY (-10)
#define VETERAN_E_NOT_INITIALIZED (-11)
#define VETERAN_E_UNSUPPORTED_VERSION (-12)
#define VETERAN_E_INVALID_UTF8 (-13)
#define VETERAN_E_PERMISSION_DENIED (-14)
#define VETERAN_E_INVALID_STATE (-15)
#define VETERAN_E_TIMEOUT (-16)
#define VETERAN_E_BUFFER_TOO_SMALL (-17)
#define VETERAN_E_PACK_INVALID (-20)
#define VETERAN_E_KEY_MISSING (-30)
#define VETERAN_E_KEY_UNKNOWN (-31)
#define VETERAN_E_KEY_WRONG (-32)
#define VETERAN_E_CIPHERTEXT_TAMPERED (-33)
#define VETERAN_E_ENVELOPE_MALFORMED (-34)
#define VETERAN_E_CONTEXT_MISMATCH (-35)
#define VETERAN_E_CRYPTO (-36)
#define VETERAN_E_SIGNAL_INVALID (-40)

/* Static description of a return code ("success" for 0, "unknown error" for
 * codes this library does not know). Never NULL. Thread-safe. */
VETERAN_API const char *veteran_strerror(int code);

/* Message of the last failure on the calling thread. Never NULL: "" when no
 * call on this thread has failed. The pointer stays valid until the next
 * veteran_* call on the same thread. */
VETERAN_API const char *veteran_error_last(void);
/* Code of the last failure on the calling thread (VETERAN_OK if none). */
VETERAN_API int veteran_error_last_code(void);
/* Forget the calling thread's last error. */
VETERAN_API void veteran_error_clear(void);

/* ---- library lifetime --------------------------------------------------- */
/* Initialise libsodium and libcurl. Reference counted: each successful call
 * must be paired with one veteran_global_shutdown(). Calling it is optional
 * (components initialise on first use) but recommended at start-up.
 * Thread-safe. Returns the VETERAN_E_NOT_INITIALIZED on failure. */
VETERAN_API int veteran_global_init(void) VETERAN_WARN_UNUSED;
/* Release one reference; the last one tears libcurl down. Extra calls are
 * ignored. Thread-safe. Returns the remaining reference count (>= 0). */
VETERAN_API int veteran_global_shutdown(void);

/* ---- triage ------------------------------------------------------------- */
/* A compiled phrase pack plus options. Immutable after creation: one engine
 * may be used by any number of threads at once. */
typedef struct veteran_engine veteran_engine;
/* Conversation state for trajectory rules. NOT thread-safe: one session per
 * conversation, used by one thread at a time. */
typedef struct veteran_session veteran_session;

#define VETERAN_ENGINE_OPTIONS_VERSION 1
typedef struct veteran_engine_options {
  unsigned version;       /* VETERAN_ENGINE_OPTIONS_VERSION */
  const char *pack_json;  /* phrase pack JSON (UTF-8), or NULL */
  size_t pack_json_len;   /* must be 0 when pack_json is NULL (else invalid_argument) */
  const char *pack_path;  /* or a pack file; NULL for both = shipped en-GB pack */
  const char *country;    /* crisis resources country, NULL = "GB"; "UK" accepted */
} veteran_engine_options;

/* Levels, RAG bands and interventions as integers (stable). */
#define VETERAN_LEVEL_NONE 0
#define VETERAN_LEVEL_LOW 1
#define VETERAN_LEVEL_MEDIUM 2
#define VETERAN_LEVEL_HIGH 3
#define VETERAN_LEVEL_CRITICAL 4
#define VETERAN_RAG_GREEN 0
#define VETERAN_RAG_YELLOW 1
#define VETERAN_RAG_AMBER 2
#define VETERAN_RAG_RED 3

#define VETERAN_ASSESSMENT_SUMMARY_VERSION 1
typedef struct veteran_assessment_summary {
  unsigned version;          /* set by the caller to VETERAN_ASSESSMENT_SUMMARY_VERSION */
  int level;                 /* VETERAN_LEVEL_* */
  int rag;                   /* VETERAN_RAG_* */
  int intervention;          /* 0 none .. 4 emergency_resources */
  double score;              /* 0..1 */
  int requires_intervention; /* flags: 0 or 1 */
  int alert_staff;
  int show_resources;
  int block_ai_reply;
  int concern_for_other;
  size_t trigger_count;
  size_t suppressed_count;
  int failed;                /* 1 if the engine failed internally (level is then high) */
} veteran_assessment_summary;

/* Creates an engine. `options` may be NULL (shipped pack, GB resources).
 * Errors: VETERAN_E_PACK_INVALID / _PARSE / _IO for a bad pack,
 * VETERAN_E_NOT_FOUND for an unknown country, VETERAN_E_INVALID_ARGUMENT for
 * an unknown options version. On error *out is NULL. */
VETERAN_API int veteran_engine_new(veteran_engine **out,
                                   const veteran_engine_options *options)
    VETERAN_WARN_UNUSED;
/* Frees an engine (NULL is fine). No call may be using it. */
VETERAN_API void veteran_engine_free(veteran_engine *engine);

/* Assesses `text` (len bytes of UTF-8; invalid bytes are tolerated) and
 * writes the assessment JSON (schema: docs/triage.md) into buf. Triage never
 * fails open: an internal failure still yields JSON with level "high" and
 * "error" set, and returns VETERAN_OK. Thread-safe. */
VETERAN_API int veteran_assess(const veteran_engine *engine, const char *text, size_t len,
                               char *buf, size_t cap, size_t *out_len)
    VETERAN_WARN_UNUSED;
/* Assesses and fills a fixed-size summary (no allocation for the caller).
 * out->version must be VETERAN_ASSESSMENT_SUMMARY_VERSION. Thread-safe. */
VETERAN_API int veteran_assess_summary(const veteran_engine *engine, const char *text,
                                       size_t len, veteran_assessment_summary *out)
    VETERAN_WARN_UNUSED;

/* Sessions. */
VETERAN_API int veteran_session_new(veteran_session **out) VETERAN_WARN_UNUSED;
VETERAN_API void veteran_session_free(veteran_session *session);
/* Assesses `text` as the next turn of `session` at `now_ms` (milliseconds
 * since the Unix epoch; pass a negative value for the system clock). The
 * session is updated only when the call succeeds: if buf is too small the
 * session is unchanged and the call may simply be repeated. */
VETERAN_API int veteran_assess_in_session(const veteran_engine *engine,
                                          veteran_session *session, const char *text,
                                          size_t len, int64_t now_ms, char *buf,
                                          size_t cap, size_t *out_len) VETERAN_WARN_UNUSED;
/* Saves a session as JSON / restores one (errors: VETERAN_E_PARSE,
 * VETERAN_E_UNSUPPORTED_VERSION; *out is NULL on error). */
VETERAN_API int veteran_session_to_json(const veteran_session *session, char *buf,
                                        size_t cap, size_t *out_len) VETERAN_WARN_UNUSED;
VETERAN_API int veteran_session_from_json(veteran_session **out, const char *json,
                                          size_t len) VETERAN_WARN_UNUSED;

/* The text a host must show before AI chat. Static storage; never NULL. */
VETERAN_API const char *veteran_ai_disclaimer(void);

/* ---- pii ---------------------------------------------------------------- */
/* PII protection: key ring, fail-closed field encryption, blind indexes,
 * redaction, phone normalisation. See docs/pii.md for formats.
 *
 * Secrets: key bytes live inside the library in locked memory (sodium_malloc)
 * and are wiped when the key ring is freed; no function here returns key
 * bytes or prints them, and error messages never contain values passed in. */

/* Opaque key ring. Created by the veteran_keyring_* constructors, released
 * with veteran_keyring_free. A key ring may be shared between threads for all
 * functions taking `const veteran_keyring *` (they are thread-safe). */
typedef struct veteran_keyring veteran_keyring;

/* Value kinds of encrypted fields (stored inside the authenticated data). */
#define VETERAN_PII_STRING 1 /* UTF-8 text */
#define VETERAN_PII_BYTES 2  /* arbitrary octets */
#define VETERAN_PII_JSON 3   /* JSON text, stored verbatim */

/* Normalisations for blind indexes. */
#define VETERAN_PII_INDEX_EXACT 0
#define VETERAN_PII_INDEX_PHONE 1 /* E.164 */
#define VETERAN_PII_INDEX_EMAIL 2 /* trimmed, lower-case */
#define VETERAN_PII_INDEX_NAME 3  /* case-folded, whitespace collapsed */

/* Sizes, also as functions for FFI users. */
#define VETERAN_PII_SALT_BYTES 16
#define VETERAN_PII_BLIND_INDEX_LENGTH 32
VETERAN_API size_t veteran_pii_salt_bytes(void);
VETERAN_API size_t veteran_pii_blind_index_length(void);

/* New key ring with one fresh random key, active. `key_id` may be NULL (a
 * random id is chosen). Errors: INVALID_ARGUMENT (id grammar
 * [A-Za-z0-9_-]{1,32}), NOT_INITIALIZED, OUT_OF_MEMORY. */
VETERAN_API int veteran_keyring_generate(veteran_keyring **out, const char *key_id)
    VETERAN_WARN_UNUSED;
/* Loads a key file. `passphrase` may be NULL unless the file has
 * passphrase-derived keys. Errors: NOT_FOUND, IO (also: not a regular file,
 * e.g. a FIFO, refused without blocking), PARSE (names the entry; also
 * duplicate member names), KEY_MISSING (no keys / passphrase needed),
 * KEY_WRONG (the passphrase does not match a key's stored check value; the
 * message names the key id, never the passphrase), UNSUPPORTED_VERSION,
 * LIMIT_EXCEEDED (over 1 MiB). *out is NULL on error. */
VETERAN_API int veteran_keyring_from_file(veteran_keyring **out, const char *path,
                                          const char *passphrase) VETERAN_WARN_UNUSED;
/* Reads `id:base64key[,id:base64key...]` (first active) or a bare base64 key
 * from the environment variable `variable` (NULL = "VETERAN_PII_KEYS").
 * Errors: KEY_MISSING (unset), PARSE. */
VETERAN_API int veteran_keyring_from_env(veteran_keyring **out, const char *variable)
    VETERAN_WARN_UNUSED;
/* Derives a key with Argon2id (interactive limits) from `passphrase` and a
 * `salt` of VETERAN_PII_SALT_BYTES (get one from veteran_pii_random_salt and
 * store it: veteran_keyring_save does). Errors: INVALID_ARGUMENT, CRYPTO. */
VETERAN_API int veteran_keyring_from_passphrase(veteran_keyring **out, const char *key_id,
                                                const char *passphrase,
                                                const unsigned char *salt, size_t salt_len)
    VETERAN_WARN_UNUSED;
/* Fills `salt` with VETERAN_PII_SALT_BYTES random bytes (salt_len must equal
 * it). Thread-safe. */
VETERAN_API int veteran_pii_random_salt(unsigned char *salt, size_t salt_len);
/* Adds a fresh random key `key_id` and makes it active (rotation). Not
 * thread-safe with other calls on the same ring. Errors: INVALID_ARGUMENT,
 * CONFLICT (id in use). */
VETERAN_API int veteran_keyring_rotate(veteran_keyring *ring, const char *key_id);
/* Writes the key file with mode 0600. `overwrite` 0 refuses an existing file
 * (CONFLICT). The file holds key material: keep it secret. */
VETERAN_API int veteran_keyring_save(const veteran_keyring *ring, const char *path,
                                     int overwrite);
/* Id of the active key, into a caller buffer (see buffer rules above). */
VETERAN_API int veteran_keyring_active_id(char *buf, size_t cap, size_t *out_len,
                                          const veteran_keyring *ring);
/* Wipes and frees the ring. NULL is ignored. */
VETERAN_API void veteran_keyring_free(veteran_keyring *ring);

/* Encrypts `value` (`value_len` bytes, of `kind`) for (table, field,
 * record_id) with the active key; writes the envelope text. Errors:
 * KEY_MISSING, INVALID_ARGUMENT (empty context, bad kind), INVALID_UTF8,
 * PARSE (JSON), LIMIT_EXCEEDED, BUFFER_TOO_SMALL. On error nothing is
 * written: never plaintext. */
VETERAN_API int veteran_pii_encrypt(char *buf, size_t cap, size_t *out_len,
                                    const veteran_keyring *ring, const char *table,
                                    const char *field, const char *record_id, int kind,
                                    const void *value, size_t value_len) VETERAN_WARN_UNUSED;
/* Decrypts `envelope` for (table, field, record_id). Writes the value (plus
 * a NUL, not counted) to `buf` and its kind to *out_kind (may be NULL).
 * Errors (all fail closed, nothing written): KEY_MISSING, KEY_UNKNOWN,
 * KEY_WRONG, CIPHERTEXT_TAMPERED, ENVELOPE_MALFORMED, CONTEXT_MISMATCH,
 * BUFFER_TOO_SMALL (*out_len = size needed). */
VETERAN_API int veteran_pii_decrypt(void *buf, size_t cap, size_t *out_len, int *out_kind,
                                    const veteran_keyring *ring, const char *table,
                                    const char *field, const char *record_id,
                                    const char *envelope) VETERAN_WARN_UNUSED;
/* Decrypts with any key of the ring, re-encrypts with the active one. Same
 * errors as veteran_pii_decrypt. */
VETERAN_API int veteran_pii_rewrap(char *buf, size_t cap, size_t *out_len,
                                   const veteran_keyring *ring, const char *table,
                                   const char *field, const char *record_id,
                                   const char *envelope) VETERAN_WARN_UNUSED;
/* 1 if `text` is exactly a well-formed envelope, 0 otherwise (also for
 * NULL). Strict: "vet1:hello" is not one. Needs no key. Thread-safe. */
VETERAN_API int veteran_pii_is_envelope(const char *text);
/* Blind index (VETERAN_PII_BLIND_INDEX_LENGTH hex chars) of `value` for
 * `field`, normalised per `index_kind`. Errors: KEY_MISSING,
 * INVALID_ARGUMENT (normalisation failed; names the field), INVALID_UTF8. */
VETERAN_API int veteran_pii_blind_index(char *buf, size_t cap, size_t *out_len,
                                        const veteran_keyring *ring, const char *field,
                                        int index_kind, const char *value)
    VETERAN_WARN_UNUSED;
/* Redacts `text` (`text_len` bytes, UTF-8) and writes JSON
 * {"text": masked, "found": [{"type", "start", "end"}]} (byte offsets into
 * the original). With `pseudonym_ring` non-NULL, values are replaced by
 * stable pseudonyms "[PHONE-1a2b3c4d]". Errors: INVALID_UTF8, LIMIT_EXCEEDED,
 * KEY_MISSING, BUFFER_TOO_SMALL. Thread-safe. */
VETERAN_API int veteran_pii_redact(char *buf, size_t cap, size_t *out_len, const char *text,
                                   size_t text_len, const veteran_keyring *pseudonym_ring)
    VETERAN_WARN_UNUSED;
/* Normalises a phone number to E.164. `field_name` (may be NULL: "phone")
 * names the input in the error message; the number is never echoed.
 * Errors: INVALID_ARGUMENT, LIMIT_EXCEEDED. Thread-safe. */
VETERAN_API int veteran_pii_normalise_phone(char *buf, size_t cap, size_t *out_len,
                                            const char *input, const char *field_name)
    VETERAN_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif /* VETERAN_H */
