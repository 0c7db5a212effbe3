// Internal: the conversation (session) rules of the assessment pipeline.
#pragma once

#include "triage/detail/rules.hpp"
#include "veteran/triage/session.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// Trajectory rules over the session's recent turns, given what this message
/// says on its own (`m`) and its level so far: method after ideation, finality
/// after burden, repeated ideation, escalation, a sudden drop after a crisis.
/// Only ever raises; notes each pattern that fired in `a.trajectory`. Does
/// not record the turn (the engine does, after the classifier).
level apply_session_rules(const message_result &m, level lvl, const session &s,
                          assessment &a);

} // namespace triage::detail
VETERAN_NAMESPACE_END
