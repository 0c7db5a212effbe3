// veteran/triage/json.hpp — the assessment's JSON form (used by the CLI, the
// C API and hosts that ship assessments across processes).
//
// Schema (every key always present):
// {"level","rag","score","intervention",
//  "flags":{"requires_intervention","alert_staff","show_resources","block_ai_reply"},
//  "triggers":[{"id","category","phrase","severity","effective","weight","start","end",
//               "subject","temporal","why"}],
//  "suppressed":[{"id","phrase","start","end","reason","by"}],
//  "multipliers":[{"id","kind","factor","start","end","applied"}],
//  "concern_for_other","other_level","at_risk","trajectory":[...],
//  "pack":{"id","version"},"country","resources":[{...}],
//  "model":{"id","version","crisis","concern","level","raised","why"} or null,
//  "classifier","error"}
// `error` is null when fine. Thread-safe; never throws except std::bad_alloc.
#pragma once

#include <string>

#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

[[nodiscard]] std::string to_json(const assessment &a);

} // namespace triage
VETERAN_NAMESPACE_END
