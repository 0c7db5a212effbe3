// Internal: interned strings for the views an assessment holds.
#pragma once

#include <string_view>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// Interns `s`: returns a view of an equal string that lives until the
/// process exits. Thread-safe. Used for pack ids, versions and countries, so
/// an assessment's views of them outlive the engine and pack.
[[nodiscard]] std::string_view intern(std::string_view s);

} // namespace triage::detail
VETERAN_NAMESPACE_END
