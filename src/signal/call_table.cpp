// The call lifecycle table (see veteran/signal/call.hpp and docs/signal.md).
#include "veteran/signal/call.hpp"

#include <iterator>

VETERAN_NAMESPACE_BEGIN
namespace signal {

namespace {

using S = call_state;
using E = call_event;
using A = call_audience;
using T = message_type;

// Rows for events that are the same whether the callee's phone rings yet.
#define VETERAN_BEFORE_ANSWER(state)                                                     \
  {state,       E::accept,         S::connected,        A::caller,                       \
   T::call_end, A::other_invitees, "answered_elsewhere"},                                \
      {state, E::decline_one, state, A::none, T::error, A::none, ""},                    \
      {state, E::reject, S::rejected, A::caller, T::error, A::none, ""},                 \
      {state, E::busy, S::busy, A::caller, T::error, A::none, ""},                       \
      {state, E::cancel, S::cancelled, A::callees, T::error, A::none, ""},               \
      {state, E::fail, S::failed, A::other_party, T::error, A::none, ""},                \
      {state, E::ring_timeout, S::timed_out, A::none, T::call_timeout, A::everyone, ""}, \
      {state, E::caller_lost, S::cancelled, A::none, T::call_cancel, A::callees, ""},    \
      {state,          E::callee_lost, S::failed,           A::none,                     \
       T::call_failed, A::caller,      "callee_unreachable"},                            \
  {                                                                                      \
    state, E::ringing, S::ringing, A::caller, T::error, A::none, ""                      \
  }

// clang-format off
constexpr call_transition rows[] = {
    {S::requested, E::invite_sent, S::invited, A::none, T::call_invite, A::callees, ""},
    {S::requested, E::nobody_free, S::busy, A::none, T::call_busy, A::caller, ""},
    VETERAN_BEFORE_ANSWER(S::invited),
    VETERAN_BEFORE_ANSWER(S::ringing),
    {S::connected, E::end, S::ended, A::other_party, T::error, A::none, ""},
    {S::connected, E::fail, S::failed, A::other_party, T::error, A::none, ""},
    {S::connected, E::participant_lost, S::ended, A::none, T::call_end, A::other_party,
     "connection_lost"},
};
// clang-format on
#undef VETERAN_BEFORE_ANSWER

} // namespace

call_table call_transitions() noexcept { return {rows, std::size(rows)}; }

const call_transition *find_transition(call_state s, call_event e) noexcept {
  for (const auto &r : rows)
    if (r.from == s && r.event == e) return &r;
  return nullptr;
}

bool is_terminal(call_state s) noexcept {
  return s != S::requested && s != S::invited && s != S::ringing && s != S::connected;
}

const char *to_string(call_state s) noexcept {
  switch (s) {
  case S::requested:
    return "requested";
  case S::invited:
    return "invited";
  case S::ringing:
    return "ringing";
  case S::connected:
    return "connected";
  case S::ended:
    return "ended";
  case S::rejected:
    return "rejected";
  case S::busy:
    return "busy";
  case S::cancelled:
    return "cancelled";
  case S::timed_out:
    return "timed_out";
  case S::failed:
    return "failed";
  }
  return "unknown";
}

const char *to_string(call_event e) noexcept {
  switch (e) {
  case E::invite_sent:
    return "invite_sent";
  case E::nobody_free:
    return "nobody_free";
  case E::ringing:
    return "ringing";
  case E::accept:
    return "accept";
  case E::decline_one:
    return "decline_one";
  case E::reject:
    return "reject";
  case E::busy:
    return "busy";
  case E::cancel:
    return "cancel";
  case E::end:
    return "end";
  case E::fail:
    return "fail";
  case E::ring_timeout:
    return "ring_timeout";
  case E::caller_lost:
    return "caller_lost";
  case E::callee_lost:
    return "callee_lost";
  case E::participant_lost:
    return "participant_lost";
  }
  return "unknown";
}

} // namespace signal
VETERAN_NAMESPACE_END
