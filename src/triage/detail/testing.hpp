// Test and benchmark hooks of the triage engine: not part of the public API
// and not installed. Tests and benchmarks add src/ to their include path.
#pragma once

#include <cstddef>
#include <string_view>

#include "veteran/triage/pack.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// While set on the calling thread, assess() throws internally right after
/// matching, so tests can check the fail-safe path end to end.
void set_failure_injection(bool on) noexcept;

/// While set on the calling thread, assess() throws internally right after
/// an extra pack (engine_options::extra_packs) has matched, so tests can
/// check that a failure in any pack gives the fail-safe answer.
void set_extra_pack_failure_injection(bool on) noexcept;

/// While cleared on the calling thread, the message tokenizer takes only its
/// general path (no fused ASCII-word fast path), so tests can check that both
/// paths produce the same tokens.
void set_fast_path(bool on) noexcept;

/// Counts tokens without building strings: the benchmark's "normalise +
/// tokenise only" figure. Same work as the engine's front end (folding,
/// splitting, vocabulary lookup, evasion repair).
[[nodiscard]] std::size_t count_tokens(std::string_view text, const pack &p);

} // namespace triage::detail
VETERAN_NAMESPACE_END
