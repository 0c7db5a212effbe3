// veteran/flow/table.hpp — the flows as data: roles, one permission table,
// and one transition table per flow.
//
// A flow is a table of rules (state, event, permission, guard, next state,
// timer, effects, notification). The engine (veteran/flow/service.hpp) does
// nothing a table does not say: to change who may acknowledge an alert, edit
// the permission table; to add a transition, add a row. docs/flows.md prints
// every table.
//
// A creation rule has state "" (the entity does not exist yet).
// `contested` pairs (state, event) are the states a lost race leaves behind
// (a second claim of a claimed chat): they fail with errc::conflict ("already
// claimed") rather than invalid_state, so a client can tell "someone else won"
// from "that makes no sense".
//
// Everything here is immutable static data: safe from any thread, lives for
// the whole process.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace flow {

/// Who is acting. `system` is the SDK itself (timers, triage handoff); it is
/// never accepted from a host's caller as a role name.
enum class role : std::uint8_t { user, peer, counsellor, supervisor, admin, system };

/// "user", "peer", "counsellor", "supervisor", "admin", "system".
[[nodiscard]] const char *to_string(role r) noexcept;
/// Parses the five caller roles (not "system"); false for anything else.
bool parse(std::string_view name, role &out) noexcept;

/// Permissions: each rule names one; the permission table says which roles
/// hold it.
enum class permission : std::uint8_t {
  request_help,     ///< ask for a chat or a call
  claim_request,    ///< claim an offered chat or call request
  chat_participate, ///< send messages, disconnect/reconnect, end (guarded)
  create_callback,  ///< ask for / record a callback
  take_callback,    ///< take a pending callback
  cancel_callback,  ///< cancel a pending callback
  raise_alert,      ///< raise a panic or safeguarding alert
  see_alerts,       ///< receive alert notifications, list alerts
  ack_safeguarding, ///< acknowledge a safeguarding alert
  ack_panic,        ///< acknowledge a panic alert
  resolve_alert,    ///< resolve any alert
  create_concern,   ///< report a family concern
  see_concerns,     ///< receive family-concern notifications
  work_concern,     ///< triage, start and close a family concern
  timers,           ///< deadlines and triage handoff (the SDK itself)
};

/// One row of the permission table.
struct permission_row {
  permission what;
  const char *name;
  unsigned roles; ///< bit (1u << role) per role holding it
};

/// The permission table (one row per permission, in enum order).
[[nodiscard]] const std::vector<permission_row> &permissions() noexcept;
[[nodiscard]] bool allowed(role r, permission p) noexcept;
[[nodiscard]] const char *to_string(permission p) noexcept;

/// Extra checks a rule makes beyond the role (on the entity's data).
enum class guard : std::uint8_t {
  none,
  owner,                     ///< the actor is the user who asked
  participant,               ///< the owner or the claimer
  claimer_or_supervisor,     ///< the actor claimed/took it, or is supervisor/admin
  participant_or_supervisor, ///< owner, claimer, supervisor or admin
  eligible,                  ///< role matches the request's preferred staff role
};
[[nodiscard]] const char *to_string(guard g) noexcept;

/// What a rule does to the entity's timer.
enum class timer : std::uint8_t {
  keep,       ///< leave it
  clear,      ///< no deadline
  claim,      ///< unclaimed-request deadline -> "expire"
  ring,       ///< ring timeout of a claimed call -> "no_answer"
  grace,      ///< disconnect grace -> "abandon"
  sla,        ///< callback SLA -> "escalate"
  escalation, ///< alert escalation by level (critical 5 min, high 15 min) -> "escalate"
};
[[nodiscard]] const char *to_string(timer t) noexcept;

/// Side effects, as bits.
enum effect : unsigned {
  fx_none = 0,
  fx_set_claimer = 1u << 0,     ///< record the actor as claimer/taker
  fx_clear_claimer = 1u << 1,   ///< forget the claimer (release, no answer)
  fx_urgent_callback = 1u << 2, ///< create an urgent callback in the same transaction
  fx_escalate = 1u << 3,        ///< notify supervisors (topic "<kind>.escalated")
  fx_escalated = 1u << 4,       ///< mark the entity escalated (no second escalation)
};

/// One transition rule.
struct rule {
  const char *state; ///< "" for the creating rule
  const char *event;
  permission perm;
  guard check;
  const char *next;
  timer t;
  unsigned effects;
  const char *topic; ///< outbox topic, or "" for none
  /// Who the notification is for: roles ("supervisor,admin"), "perm:NAME"
  /// (every role holding that permission), "@owner", "@participants" or
  /// "@eligible" (the roles that may claim this request).
  const char *audience;
};

/// One flow.
struct flow_table {
  const char *kind;
  std::vector<rule> rules;
  std::vector<std::pair<const char *, const char *>> contested;
  std::vector<const char *> final_states;
};

enum class flow_kind : std::uint8_t {
  chat,
  call,
  callback,
  panic,
  safeguarding,
  concern
};
inline constexpr int flow_kind_count = 6;

[[nodiscard]] const flow_table &table(flow_kind k) noexcept;
/// The table whose kind is `name`, or null.
[[nodiscard]] const flow_table *find_table(std::string_view name) noexcept;
/// The rule for (state, event), or null.
[[nodiscard]] const rule *find_rule(const flow_table &t, std::string_view state,
                                    std::string_view event) noexcept;
[[nodiscard]] bool is_contested(const flow_table &t, std::string_view state,
                                std::string_view event) noexcept;
[[nodiscard]] bool is_final(const flow_table &t, std::string_view state) noexcept;
/// Every state named by the table (creation target first).
[[nodiscard]] std::vector<std::string_view> states(const flow_table &t);
/// Every event named by the table.
[[nodiscard]] std::vector<std::string_view> events(const flow_table &t);

} // namespace flow
VETERAN_NAMESPACE_END
