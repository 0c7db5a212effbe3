/*
 * veteran/c/pii.h — PII protection: key rings, field encryption, blind indexes, redaction, phone numbers.
 * Conventions: see veteran.h. C99; every function is declared extern "C".
 */
#ifndef VETERAN_C_PII_H
#define VETERAN_C_PII_H

#include "veteran/c/core.h"

#ifdef __cplusplus
extern "C" {
#endif

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
#endif /* VETERAN_C_PII_H */
