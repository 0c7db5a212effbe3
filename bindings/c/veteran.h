/*
 * veteran.h — the C ABI of the veteran SDK (C99, stable, FFI-friendly).
 *
 * This umbrella includes one header per module: veteran/c/core.h (version,
 * errors, lifetime), veteran/c/triage.h, veteran/c/pii.h and
 * veteran/c/signal.h. Each may also be
 * included on its own.
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

#include "veteran/c/core.h"
#include "veteran/c/flow.h"
#include "veteran/c/notify.h"
#include "veteran/c/pii.h"
#include "veteran/c/signal.h"
#include "veteran/c/triage.h"

#endif /* VETERAN_H */
