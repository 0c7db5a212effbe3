// Internal: the assessment as a Boost.JSON object, for callers inside the
// project (the CLI adds the input id without re-parsing text). Public users
// get the string form from veteran/triage/json.hpp.
#pragma once

#include <boost/json.hpp>

#include "veteran/triage/assessment.hpp"
#include "veteran/triage/pack.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// A pack's identity and counts (what `veteran pack check` prints), after
/// the `first` entries.
boost::json::object pack_json(const pack &p, boost::json::object first = {});

/// One crisis resource as JSON (absent phone/text/url/hours are null).
boost::json::object resource_json(const resource &r);

/// Builds the object to_json() serialises; `first` entries are put before
/// the assessment's own keys (e.g. the JSONL input id).
boost::json::object to_json_object(const assessment &a, boost::json::object first = {});

} // namespace triage::detail
VETERAN_NAMESPACE_END
