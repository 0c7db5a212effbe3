/*
 * veteran/error_table.h — the one table of the SDK's error codes (C and C++).
 *
 * VETERAN_ERROR_TABLE(X) expands X(name, NAME, number, "description") once per
 * code. Everything else derives from it: the C++ `veteran::errc` enum and its
 * errc_name()/errc_description(), the C API's VETERAN_E_<NAME> codes (equal
 * to -number), the Python exception classes (chosen by name) and the CLI's
 * exit codes. A number, once published, is never renumbered or reused.
 *
 * Ranges: 0-19 general, 20-29 triage, 30-39 PII and crypto, 40-49
 * signalling, 50-59 store, 60-69 flows, 70-79 delivery.
 */
#ifndef VETERAN_ERROR_TABLE_H
#define VETERAN_ERROR_TABLE_H

/* clang-format off */
#define VETERAN_ERROR_TABLE(X)                                                                     \
  X(ok,                  OK,                  0,  "success")                                       \
  X(invalid_argument,    INVALID_ARGUMENT,    1,  "invalid argument")                              \
  X(limit_exceeded,      LIMIT_EXCEEDED,      2,  "input exceeds a limit")                         \
  X(parse_error,         PARSE,               3,  "malformed input")                               \
  X(not_found,           NOT_FOUND,           4,  "not found")                                     \
  X(conflict,            CONFLICT,            5,  "conflict (already claimed or changed)")         \
  X(io_error,            IO,                  6,  "input/output error")                            \
  X(database_error,      DATABASE,            7,  "database error")                                \
  X(network_error,       NETWORK,             8,  "network error")                                 \
  X(internal,            INTERNAL,            9,  "internal error")                                \
  X(out_of_memory,       OUT_OF_MEMORY,       10, "out of memory")                                 \
  X(not_initialized,     NOT_INITIALIZED,     11, "library initialisation failed")                 \
  X(unsupported_version, UNSUPPORTED_VERSION, 12, "unsupported format version")                    \
  X(invalid_utf8,        INVALID_UTF8,        13, "invalid UTF-8")                                 \
  X(permission_denied,   PERMISSION_DENIED,   14, "permission denied")                             \
  X(invalid_state,       INVALID_STATE,       15, "not allowed in the current state")              \
  X(timeout,             TIMEOUT,             16, "timed out")                                     \
  X(buffer_too_small,    BUFFER_TOO_SMALL,    17, "output buffer too small")                       \
  X(pack_invalid,        PACK_INVALID,        20, "invalid phrase pack")                           \
  X(key_missing,         KEY_MISSING,         30, "no key available")                              \
  X(key_unknown,         KEY_UNKNOWN,         31, "unknown key id")                                \
  X(key_wrong,           KEY_WRONG,           32, "key does not match")                            \
  X(ciphertext_tampered, CIPHERTEXT_TAMPERED, 33, "ciphertext failed authentication")              \
  X(envelope_malformed,  ENVELOPE_MALFORMED,  34, "malformed or truncated envelope")               \
  X(context_mismatch,    CONTEXT_MISMATCH,    35, "ciphertext belongs to another table, field or record") \
  X(crypto_failure,      CRYPTO,              36, "cryptographic library failure")                 \
  X(signal_invalid,      SIGNAL_INVALID,      40, "invalid signalling message")                    \
  X(signature_malformed, SIGNATURE_MALFORMED, 70, "malformed webhook signature header")            \
  X(signature_mismatch,  SIGNATURE_MISMATCH,  71, "webhook signature does not match")              \
  X(signature_expired,   SIGNATURE_EXPIRED,   72, "webhook timestamp outside the replay window")
/* clang-format on */

#endif /* VETERAN_ERROR_TABLE_H */
