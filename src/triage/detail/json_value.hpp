// Internal: the assessment as a Boost.JSON object, for callers inside the
// project (the CLI adds the input id without re-parsing text). Public users
// get the string form from veteran/triage/json.hpp.
#pragma once

#include <boost/json.hpp>

#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// Builds the object to_json() serialises; `first` entries are put before
/// the assessment's own keys (e.g. the JSONL input id).
boost::json::object to_json_object(const assessment &a, boost::json::object first = {});

} // namespace triage::detail
VETERAN_NAMESPACE_END
