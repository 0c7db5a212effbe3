// Internal: triage records as JSON for callers inside the project (the CLI,
// the bindings). Public users get the string form from veteran/triage/json.hpp.
// The field list itself is detail/assessment_fields.hpp.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "veteran/triage/assessment.hpp"
#include "veteran/triage/pack.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// A pack's identity and counts (what `veteran pack check` prints), after
/// the `first` entries.
boost::json::object pack_json(const pack &p, boost::json::object first = {});

/// The JSON text to_json() returns; with `id_json` (already-serialised JSON)
/// an "id" member comes first (the CLI's JSONL echo of the input id).
std::string assessment_json(const assessment &a, std::string_view id_json = {});

} // namespace triage::detail
VETERAN_NAMESPACE_END
