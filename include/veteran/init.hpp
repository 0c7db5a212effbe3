// veteran/init.hpp — process-wide initialisation of the SDK's dependencies.
//
// libsodium and libcurl each need a one-time global init. `global_init()` does
// both, once, under a lock; calling it again (from any thread) is cheap and
// returns the first call's outcome. Components that need it call it
// themselves, so an application never has to, but calling it early at start-up
// surfaces a broken environment before the first message arrives.
//
// Thread safety: safe to call concurrently from any number of threads.
// Errors: errc::not_initialized if libsodium or libcurl failed to initialise.
#pragma once

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN

result<void> global_init() noexcept;

/// True once global_init() has succeeded (and not been torn down by the C
/// API's reference-counted shutdown).
[[nodiscard]] bool global_initialized() noexcept;

VETERAN_NAMESPACE_END
