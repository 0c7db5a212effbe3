// Internal: the reference-counted pair behind the C API's
// veteran_global_init/shutdown.
#pragma once

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace detail {

/// Initialises on the 0 -> 1 transition; returns the new count or an error.
result<int> global_acquire() noexcept;
/// Tears libcurl down on the 1 -> 0 transition; returns the new count (>= 0).
int global_release() noexcept;

} // namespace detail
VETERAN_NAMESPACE_END
