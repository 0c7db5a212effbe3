// veteran/flow/service.hpp — drives the flow tables over a store.
//
// Every call is one event on one flow instance: it reads the entity, finds
// the rule for (state, event) in the flow's table, checks the role against
// the permission table and the rule's guard, and commits — in ONE store
// transaction — the compare-and-set, the new state, the audit record and the
// outbox notifications (plus any entity the rule creates, such as the urgent
// callback of an expired chat). A compare-and-set that loses to a concurrent
// writer is retried from a fresh read, so a lost claim ends as errc::conflict
// ("already claimed"), never as a second winner.
//
// Errors (every call; nothing is changed on error):
//   not_found          unknown id
//   conflict           lost a race: already claimed / taken / acknowledged
//                      (the table's contested states), or changed too often
//   invalid_state      the event is not allowed from the entity's current
//                      state; the message names the state and the role
//   permission_denied  the role may not do this, or the rule's guard refused
//                      (not the claimer, not the owner); names state and role
//   invalid_argument   a bad argument (empty id, unknown event or level); the
//                      message names the field, never its value
//   key_missing, crypto errors — encryption of a PII field failed
//   plus the store's errors (database_error, io_error, timeout, ...)
// Messages never contain PII: ids, states, roles and field names only.
//
// Time is always the caller's `now` (ms since the epoch); due(now) applies
// the deadlines that have passed as ordinary audited transitions by the
// system actor.
//
// Ownership: the service shares the store (and the key ring) with its caller.
// Thread safety: all members may be called concurrently from many threads;
// several services (in several processes) may share one database file.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/clock.hpp"
#include "veteran/error.hpp"
#include "veteran/flow/table.hpp"
#include "veteran/pii/keyring.hpp"
#include "veteran/store/store.hpp"
#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace flow {

/// Who performs an event: a host-chosen pseudonymous id and a role.
struct actor {
  std::string id;
  role who = role::user;
};

struct service_options {
  timestamp_ms claim_timeout_ms = 2 * 60 * 1000;       ///< unclaimed chat/call -> expired
  timestamp_ms ring_timeout_ms = 45 * 1000;            ///< claimed call not answered
  timestamp_ms grace_ms = 2 * 60 * 1000;               ///< disconnect -> abandoned
  timestamp_ms callback_sla_ms = 4LL * 60 * 60 * 1000; ///< pending callback escalates
  timestamp_ms urgent_callback_sla_ms = 15 * 60 * 1000; ///< ... when urgent
  timestamp_ms critical_escalation_ms = 5 * 60 * 1000;  ///< open critical alert
  timestamp_ms high_escalation_ms = 15 * 60 * 1000;     ///< open high alert
  /// Encrypts phone numbers, message text and concern details with the PII
  /// codec (context: table = flow kind or "chat_message", field, record id).
  /// Null: stored as given (for development only; docs/flows.md).
  std::shared_ptr<const pii::keyring> keys;
  int max_retries = 16; ///< compare-and-set retries before conflict
};

/// One applied transition.
struct transition {
  std::string id, kind, event, from, to;
  std::string created_id; ///< an entity the rule created (urgent callback), or ""
};

/// What feeding one assessment did.
struct handoff {
  std::string alert_id; ///< the session's open alert after this turn, or ""
  bool raised = false;  ///< this turn raised it
  bool updated = false; ///< this turn was linked to an already open alert
  triage::level level = triage::level::none; ///< the alert's level now
  bool third_party = false;                  ///< the alert is (also) about someone else
};

/// A message as read back (decrypted).
struct message {
  std::string id, sender, role;
  timestamp_ms at_ms = 0;
  std::string text;
};

class service {
public:
  /// Errors: none (a null store is a programming error: throws
  /// veteran::error(invalid_argument)).
  explicit service(std::shared_ptr<store::store> s, service_options options = {});

  /// A user asks for a live chat (`preferred`: "any", "peer" or
  /// "counsellor"; `alert_id` links an alert, may be ""). Creates it
  /// (requested) and offers it to eligible staff (offered) in one
  /// transaction; the claim deadline starts. Returns the request id (which
  /// is also the room id once claimed).
  [[nodiscard]] result<std::string> request_chat(const actor &user,
                                                 std::string_view preferred,
                                                 std::string_view alert_id,
                                                 timestamp_ms now);
  /// The same for a call request; the call id is the request id.
  [[nodiscard]] result<std::string> request_call(const actor &user,
                                                 std::string_view preferred,
                                                 std::string_view alert_id,
                                                 timestamp_ms now);
  /// A callback request (`phone` is encrypted when keys are configured, and
  /// blind-indexed for find_callbacks(); must not be empty, and with keys
  /// must be a phone number the PII rules accept). Urgent callbacks (and any linked to an
  /// alert) have the short SLA.
  [[nodiscard]] result<std::string> create_callback(const actor &a,
                                                    std::string_view phone, bool urgent,
                                                    std::string_view alert_id,
                                                    timestamp_ms now);
  /// Callbacks for `phone` (any format the PII phone rules accept), oldest
  /// first, found by a blind index of the normalised number — the number
  /// itself is only stored encrypted. Needs keys (key_missing otherwise);
  /// callbacks created before a key rotation are indexed under the old key
  /// and are not found. Errors: invalid_argument (not a phone number).
  [[nodiscard]] result<std::vector<std::string>> find_callbacks(std::string_view phone);

  /// Raises a panic or safeguarding alert (kind must be one of those two) at
  /// `level` (low..critical); `session` links it to a conversation ("" =
  /// none). An open safeguarding alert of the same session is refused with
  /// conflict (use feed(), which updates it).
  [[nodiscard]] result<std::string> raise_alert(flow_kind kind, triage::level level,
                                                std::string_view session, const actor &a,
                                                timestamp_ms now);
  /// A family concern; `details` (free text, encrypted) must not be empty.
  [[nodiscard]] result<std::string>
  create_concern(const actor &a, std::string_view details, timestamp_ms now);

  /// Applies `event` (claim, take, release, complete, cancel, ack, resolve,
  /// end, answer, reject, disconnect, reconnect, triage, start, close) to
  /// entity `id`.
  [[nodiscard]] result<transition> fire(std::string_view id, std::string_view event,
                                        const actor &a, timestamp_ms now);
  /// Adds a message to a chat's one log (both sides) and applies "message".
  [[nodiscard]] result<transition> post_message(std::string_view chat_id, const actor &a,
                                                std::string_view text, timestamp_ms now);
  /// A chat's messages, decrypted; only its participants, supervisors and
  /// admins may read them (permission_denied otherwise).
  [[nodiscard]] result<std::vector<message>> read_messages(std::string_view chat_id,
                                                           const actor &a);

  /// Triage handoff: the assessment of one turn of `session`. Raises a
  /// safeguarding alert linked to the session when the level is high or
  /// critical — including the fail-safe answer (error set) — or when someone
  /// else is reported at high risk (third party). While the session has an
  /// open alert, every later turn is linked to it (event "update") and its
  /// level only goes up. One open alert per session, also under concurrency.
  [[nodiscard]] result<handoff> feed(std::string_view session,
                                     const triage::assessment &a, timestamp_ms now);

  /// Applies every deadline at or before `now` (expire, no_answer, abandon,
  /// escalate) as a transition by the system actor; returns what was
  /// applied. A deadline another process applied first is skipped.
  [[nodiscard]] result<std::vector<transition>> due(timestamp_ms now,
                                                    std::size_t limit = 1000);

  [[nodiscard]] store::store &storage() noexcept { return *store_; }
  [[nodiscard]] const service_options &options() const noexcept { return options_; }

private:
  struct impl;
  friend struct service_internals; // test hooks (src/flow/detail/testing.hpp)
  std::shared_ptr<store::store> store_;
  service_options options_;
};

} // namespace flow
VETERAN_NAMESPACE_END
