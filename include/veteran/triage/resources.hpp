// veteran/triage/resources.hpp — crisis resources by country, and the
// disclaimer a host must show before AI chat. Shipped as data
// (data/resources.json, compiled in).
//
// Thread safety: all functions are thread-safe; returned references point to
// immutable data that lives until the process exits.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "veteran/error.hpp"
#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

/// Resources for an ISO 3166 alpha-2 country code, case-insensitive; "UK" is
/// accepted as an alias of "GB". errc::not_found for countries with no data.
[[nodiscard]] result<std::vector<resource>> resources_for(std::string_view country);
/// As resources_for(), as a view of the shipped data (no copy; valid until
/// the process exits). errc::not_found for countries with no data.
[[nodiscard]] result<resource_list> resource_view(std::string_view country);
/// Canonical code for a country or alias ("uk" → "GB"); errc::not_found.
[[nodiscard]] result<std::string> canonical_country(std::string_view country);
/// Countries with data, canonical codes, sorted.
[[nodiscard]] std::vector<std::string> resource_countries();
/// The text a host must show before AI chat starts.
[[nodiscard]] const std::string &ai_disclaimer();

} // namespace triage
VETERAN_NAMESPACE_END
