/*
 * veteran/c/core.h — version, error codes, per-thread error state and library lifetime.
 * Conventions: see veteran.h. C99; every function is declared extern "C".
 */
#ifndef VETERAN_C_CORE_H
#define VETERAN_C_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "veteran/error_table.h"
#include "veteran/version.h"

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
/* Compile-time version of the headers: VETERAN_VERSION_MAJOR, _MINOR, _PATCH,
 * _STRING and _NUMBER (veteran/version.h). Compare with the runtime functions
 * to detect a mismatched shared library. The _C names are kept for code
 * written against 0.1.0. */
#define VETERAN_VERSION_MAJOR_C VETERAN_VERSION_MAJOR
#define VETERAN_VERSION_MINOR_C VETERAN_VERSION_MINOR
#define VETERAN_VERSION_PATCH_C VETERAN_VERSION_PATCH
#define VETERAN_VERSION_STRING_C VETERAN_VERSION_STRING

/* Runtime version of the linked library, e.g. "0.1.0". Static storage; never
 * NULL. Thread-safe. */
VETERAN_API const char *veteran_version_string(void);
VETERAN_API int veteran_version_major(void);
VETERAN_API int veteran_version_minor(void);
VETERAN_API int veteran_version_patch(void);

/* ---- errors ------------------------------------------------------------- */
/* Return codes: VETERAN_OK (0) or VETERAN_E_<NAME> = -(number) for each row of
 * veteran/error_table.h (VETERAN_E_INVALID_ARGUMENT, VETERAN_E_PARSE,
 * VETERAN_E_KEY_WRONG, ...). Pinned: never renumbered, never reused. */
#define VETERAN_OK 0
#define VETERAN_C_ERROR_ENUMERATOR_(name, NAME, number, text) VETERAN_E_##NAME = -(number),
enum veteran_error_code { VETERAN_ERROR_TABLE(VETERAN_C_ERROR_ENUMERATOR_) };
#undef VETERAN_C_ERROR_ENUMERATOR_

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

#ifdef __cplusplus
}
#endif
#endif /* VETERAN_C_CORE_H */
