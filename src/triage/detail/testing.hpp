// Test hooks of the triage engine (not part of the public API).
#pragma once

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// While set on the calling thread, assess() throws internally right after
/// matching, so tests can check the fail-safe path end to end.
void set_failure_injection(bool on) noexcept;

/// While cleared on the calling thread, the message tokenizer takes only its
/// general path (no fused ASCII-word fast path), so tests can check that both
/// paths produce the same tokens.
void set_fast_path(bool on) noexcept;

} // namespace triage::detail
VETERAN_NAMESPACE_END
