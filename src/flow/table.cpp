// The flow tables and the permission table. See include/veteran/flow/table.hpp
// and docs/flows.md (which prints them).
#include "veteran/flow/table.hpp"

#include <algorithm>

VETERAN_NAMESPACE_BEGIN
namespace flow {

namespace {

constexpr unsigned bit(role r) { return 1u << static_cast<unsigned>(r); }
constexpr unsigned U = bit(role::user), P = bit(role::peer), C = bit(role::counsellor),
                   S = bit(role::supervisor), A = bit(role::admin), Y = bit(role::system);
constexpr unsigned staff = P | C | S | A;

using pm = permission;
using g = guard;
using tm = timer;

const std::vector<permission_row> kPermissions = {
    {pm::request_help, "request_help", U},
    {pm::claim_request, "claim_request", staff},
    {pm::chat_participate, "chat_participate", U | staff},
    {pm::create_callback, "create_callback", U | staff | Y},
    {pm::take_callback, "take_callback", staff},
    {pm::cancel_callback, "cancel_callback", C | S | A},
    {pm::raise_alert, "raise_alert", staff | Y},
    // Peers must see alerts: the old app hid them from peer supporters.
    {pm::see_alerts, "see_alerts", staff},
    {pm::ack_safeguarding, "ack_safeguarding", staff},
    {pm::ack_panic, "ack_panic", C | S | A},
    {pm::resolve_alert, "resolve_alert", C | S | A},
    {pm::create_concern, "create_concern", U | staff},
    {pm::see_concerns, "see_concerns", staff},
    {pm::work_concern, "work_concern", C | S | A},
    {pm::timers, "timers", Y},
};

constexpr const char *kStaffAlerts = "perm:see_alerts";
constexpr const char *kSupervisors = "supervisor,admin";

flow_table make_request_flow(const char *kind, bool call) {
  flow_table t;
  t.kind = kind;
  const bool c = call;
  t.rules = {
      {"", "request", pm::request_help, g::none, "requested", tm::keep, fx_none,
       c ? "call.requested" : "chat.requested", "@owner"},
      {"requested", "offer", pm::timers, g::none, "offered", tm::claim, fx_none,
       c ? "call.offered" : "chat.offered", "@eligible"},
      {"offered", "claim", pm::claim_request, g::eligible, "claimed",
       c ? tm::ring : tm::clear, fx_set_claimer, c ? "call.ringing" : "chat.claimed",
       "@owner"},
      {"offered", "expire", pm::timers, g::none, "expired", tm::clear,
       fx_urgent_callback | fx_escalate, c ? "call.expired" : "chat.expired", "@owner"},
      {"requested", "cancel", pm::request_help, g::owner, "cancelled", tm::clear, fx_none,
       "", ""},
      {"offered", "cancel", pm::request_help, g::owner, "cancelled", tm::clear, fx_none,
       c ? "call.cancelled" : "chat.cancelled", "@eligible"},
      {"active", "disconnect", pm::chat_participate, g::participant, "active", tm::grace,
       fx_none, c ? "call.disconnected" : "chat.disconnected", "@participants"},
      {"active", "reconnect", pm::chat_participate, g::participant, "active", tm::clear,
       fx_none, c ? "call.reconnected" : "chat.reconnected", "@participants"},
      {"active", "abandon", pm::timers, g::none, "abandoned", tm::clear, fx_none,
       c ? "call.abandoned" : "chat.abandoned", "@participants"},
      {"active", "end", pm::chat_participate, g::participant_or_supervisor, "ended",
       tm::clear, fx_none, c ? "call.ended" : "chat.ended", "@participants"},
  };
  if (call) {
    t.rules.push_back({"claimed", "answer", pm::request_help, g::owner, "active",
                       tm::clear, fx_none, "call.connected", "@participants"});
    t.rules.push_back({"claimed", "reject", pm::request_help, g::owner, "offered",
                       tm::claim, fx_clear_claimer, "call.offered", "@eligible"});
    t.rules.push_back({"claimed", "no_answer", pm::timers, g::none, "offered", tm::claim,
                       fx_clear_claimer, "call.offered", "@eligible"});
    t.rules.push_back({"claimed", "cancel", pm::request_help, g::owner, "cancelled",
                       tm::clear, fx_none, "call.cancelled", "@participants"});
  } else {
    t.rules.push_back({"claimed", "message", pm::chat_participate, g::participant,
                       "active", tm::keep, fx_none, "chat.message", "@participants"});
    t.rules.push_back({"active", "message", pm::chat_participate, g::participant,
                       "active", tm::keep, fx_none, "chat.message", "@participants"});
    t.rules.push_back({"claimed", "end", pm::chat_participate,
                       g::participant_or_supervisor, "ended", tm::clear, fx_none,
                       "chat.ended", "@participants"});
  }
  t.contested = {{"claimed", "claim"}, {"active", "claim"}};
  t.final_states = {"ended", "expired", "abandoned", "cancelled"};
  return t;
}

flow_table make_callback_flow() {
  flow_table t;
  t.kind = "callback";
  t.rules = {
      {"", "create", pm::create_callback, g::none, "pending", tm::sla, fx_none,
       "callback.created", "perm:take_callback"},
      {"pending", "take", pm::take_callback, g::none, "taken", tm::clear, fx_set_claimer,
       "", ""},
      {"taken", "release", pm::take_callback, g::claimer_or_supervisor, "pending",
       tm::sla, fx_clear_claimer, "callback.released", "perm:take_callback"},
      {"taken", "complete", pm::take_callback, g::claimer_or_supervisor, "completed",
       tm::clear, fx_none, "", ""},
      {"pending", "cancel", pm::cancel_callback, g::none, "cancelled", tm::clear, fx_none,
       "", ""},
      {"taken", "cancel", pm::take_callback, g::claimer_or_supervisor, "cancelled",
       tm::clear, fx_none, "", ""},
      {"pending", "escalate", pm::timers, g::none, "pending", tm::clear,
       fx_escalate | fx_escalated, "", ""},
  };
  t.contested = {{"taken", "take"}};
  t.final_states = {"completed", "cancelled"};
  return t;
}

flow_table make_alert_flow(const char *kind, permission ack, const char *raised,
                           const char *acked, const char *resolved, const char *updated) {
  flow_table t;
  t.kind = kind;
  t.rules = {
      {"", "raise", pm::raise_alert, g::none, "open", tm::escalation, fx_none, raised,
       kStaffAlerts},
      {"open", "ack", ack, g::none, "acknowledged", tm::clear, fx_set_claimer, acked,
       kStaffAlerts},
      {"open", "resolve", pm::resolve_alert, g::none, "resolved", tm::clear, fx_none,
       resolved, kStaffAlerts},
      {"acknowledged", "resolve", pm::resolve_alert, g::none, "resolved", tm::clear,
       fx_none, resolved, kStaffAlerts},
      {"open", "escalate", pm::timers, g::none, "open", tm::clear,
       fx_escalate | fx_escalated, "", ""},
      {"open", "update", pm::timers, g::none, "open", tm::escalation, fx_none, updated,
       kStaffAlerts},
      {"acknowledged", "update", pm::timers, g::none, "acknowledged", tm::keep, fx_none,
       updated, kStaffAlerts},
  };
  t.contested = {{"acknowledged", "ack"}};
  t.final_states = {"resolved"};
  return t;
}

flow_table make_concern_flow() {
  flow_table t;
  t.kind = "concern";
  const char *aud = "perm:see_concerns";
  t.rules = {
      // Family concerns are shown to staff: the old app showed them to nobody.
      {"", "create", pm::create_concern, g::none, "new", tm::keep, fx_none,
       "concern.created", aud},
      {"new", "triage", pm::work_concern, g::none, "triaged", tm::keep, fx_none,
       "concern.triaged", aud},
      {"triaged", "start", pm::work_concern, g::none, "in_progress", tm::keep,
       fx_set_claimer, "concern.in_progress", aud},
      {"new", "close", pm::work_concern, g::none, "closed", tm::keep, fx_none,
       "concern.closed", aud},
      {"triaged", "close", pm::work_concern, g::none, "closed", tm::keep, fx_none,
       "concern.closed", aud},
      {"in_progress", "close", pm::work_concern, g::none, "closed", tm::keep, fx_none,
       "concern.closed", aud},
  };
  t.contested = {{"in_progress", "start"}};
  t.final_states = {"closed"};
  return t;
}

const std::vector<flow_table> &all_tables() {
  static const std::vector<flow_table> tables = {
      make_request_flow("chat", false),
      make_request_flow("call", true),
      make_callback_flow(),
      make_alert_flow("panic", pm::ack_panic, "panic.raised", "panic.acknowledged",
                      "panic.resolved", "panic.updated"),
      make_alert_flow("safeguarding", pm::ack_safeguarding, "safeguarding.raised",
                      "safeguarding.acknowledged", "safeguarding.resolved",
                      "safeguarding.updated"),
      make_concern_flow(),
  };
  return tables;
}

} // namespace

const char *to_string(role r) noexcept {
  switch (r) {
  case role::user:
    return "user";
  case role::peer:
    return "peer";
  case role::counsellor:
    return "counsellor";
  case role::supervisor:
    return "supervisor";
  case role::admin:
    return "admin";
  case role::system:
    return "system";
  }
  return "?";
}

bool parse(std::string_view name, role &out) noexcept {
  for (role r : {role::user, role::peer, role::counsellor, role::supervisor, role::admin})
    if (name == to_string(r)) {
      out = r;
      return true;
    }
  return false;
}

const std::vector<permission_row> &permissions() noexcept { return kPermissions; }

bool allowed(role r, permission p) noexcept {
  return (kPermissions[static_cast<std::size_t>(p)].roles & bit(r)) != 0;
}

const char *to_string(permission p) noexcept {
  return kPermissions[static_cast<std::size_t>(p)].name;
}

const char *to_string(guard gd) noexcept {
  switch (gd) {
  case g::none:
    return "-";
  case g::owner:
    return "owner";
  case g::participant:
    return "participant";
  case g::claimer_or_supervisor:
    return "claimer or supervisor";
  case g::participant_or_supervisor:
    return "participant or supervisor";
  case g::eligible:
    return "eligible role";
  }
  return "?";
}

const char *to_string(timer t) noexcept {
  switch (t) {
  case tm::keep:
    return "keep";
  case tm::clear:
    return "clear";
  case tm::claim:
    return "claim deadline";
  case tm::ring:
    return "ring timeout";
  case tm::grace:
    return "disconnect grace";
  case tm::sla:
    return "callback SLA";
  case tm::escalation:
    return "escalation";
  }
  return "?";
}

const flow_table &table(flow_kind k) noexcept {
  return all_tables()[static_cast<std::size_t>(k)];
}

const flow_table *find_table(std::string_view name) noexcept {
  for (const auto &t : all_tables())
    if (name == t.kind) return &t;
  return nullptr;
}

const rule *find_rule(const flow_table &t, std::string_view state,
                      std::string_view event) noexcept {
  for (const auto &r : t.rules)
    if (state == r.state && event == r.event) return &r;
  return nullptr;
}

bool is_contested(const flow_table &t, std::string_view state,
                  std::string_view event) noexcept {
  for (const auto &[s, e] : t.contested)
    if (state == s && event == e) return true;
  return false;
}

bool is_final(const flow_table &t, std::string_view state) noexcept {
  for (const char *f : t.final_states)
    if (state == f) return true;
  return false;
}

std::vector<std::string_view> states(const flow_table &t) {
  std::vector<std::string_view> out;
  auto add = [&](std::string_view s) {
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  for (const auto &r : t.rules) {
    add(r.next);
    add(r.state);
  }
  return out;
}

std::vector<std::string_view> events(const flow_table &t) {
  std::vector<std::string_view> out;
  for (const auto &r : t.rules)
    if (std::find(out.begin(), out.end(), std::string_view(r.event)) == out.end())
      out.push_back(r.event);
  return out;
}

} // namespace flow
VETERAN_NAMESPACE_END
