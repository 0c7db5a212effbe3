// veteran/signal/call.hpp — the call lifecycle as a state table.
//
// A call moves requested -> invited -> ringing -> connected -> ended, or ends
// early as rejected, busy, cancelled, timed_out or failed. Every move the
// relay makes is one row of call_transitions(): (state, event) -> next state,
// plus what the relay sends as a result (the effects). The relay looks the
// row up and carries out its effects; a (state, event) pair with no row is
// refused with errc::invalid_state and changes nothing. The table is data so
// that docs, tests and hosts can read it (docs/signal.md prints it).
//
// Thread safety: the table is immutable static data; read it from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "veteran/signal/message.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

enum class call_state : std::uint8_t {
  requested, // call.request accepted, nobody invited yet (transient)
  invited,   // call.invite sent to the callee(s); ring timer running
  ringing,   // a callee's device rings (call.ringing); ring timer running
  connected, // a callee accepted; the two participants are fixed
  // terminal states: the call is removed from the relay's store at once
  ended,
  rejected,
  busy,
  cancelled,
  timed_out,
  failed,
};

enum class call_event : std::uint8_t {
  invite_sent,     // relay: the request reached at least one callee
  nobody_free,     // relay: no eligible callee is connected and free
  ringing,         // callee: call.ringing
  accept,          // callee: call.accept (the first one wins)
  decline_one,     // callee: call.reject / call.busy while other invitees remain
  reject,          // last callee: call.reject
  busy,            // last callee: call.busy
  cancel,          // caller: call.cancel
  end,             // participant: call.end
  fail,            // participant: call.failed
  ring_timeout,    // timer: ring_timeout_ms after the invite, nobody accepted
  caller_lost,     // timer: the caller's reconnect grace ran out
  callee_lost,     // timer: the last invitee's / the callee's grace ran out
  participant_lost // timer: a connected participant's grace ran out
};

/// Who an effect is addressed to.
enum class call_audience : std::uint8_t {
  none,
  caller,         // the caller
  callees,        // every current invitee (before connect) or the callee
  other_party,    // the participant who did not cause the event
  other_invitees, // invitees except the one who accepted
  everyone,       // the caller and every invitee / the callee
};

/// One row. `forward_to` receives the triggering message itself (with the
/// relay's id, ts and the authenticated `from`); `notice` is a message the
/// relay writes itself (none when `notice_to` is none), with `reason` as its
/// body's reason when the type carries one.
struct call_transition {
  call_state from;
  call_event event;
  call_state to;
  call_audience forward_to;
  message_type notice;
  call_audience notice_to;
  const char *reason; // never null; "" when the notice has no reason
};

/// The whole table (static storage, `count` rows).
struct call_table {
  const call_transition *rows;
  std::size_t count;
};
[[nodiscard]] call_table call_transitions() noexcept;

/// The row for (state, event), or nullptr when the event is not allowed in
/// that state.
[[nodiscard]] const call_transition *find_transition(call_state s, call_event e) noexcept;

/// True for ended, rejected, busy, cancelled, timed_out, failed.
[[nodiscard]] bool is_terminal(call_state s) noexcept;

/// Names as used in docs and logs ("timed_out"). Never null.
[[nodiscard]] const char *to_string(call_state s) noexcept;
[[nodiscard]] const char *to_string(call_event e) noexcept;

} // namespace signal
VETERAN_NAMESPACE_END
