// veteran/signal/relay.hpp — decides, for an authenticated sender, whether a
// signalling message is allowed and who receives it.
//
// The host authenticates each socket and tells the relay who is behind it
// (`peer`: id and role). The relay never trusts the envelope's `from`: every
// message it delivers carries the authenticated id as `from`, a fresh id
// ("m<N>", from the store's sequence) and `ts` = now. It returns what to
// deliver to whom; it never does I/O and starts no threads.
//
// Rules (docs/signal.md has the full list and the call state table):
// - Call ids, room ids and chat request ids are issued by the relay from the
//   OS CSPRNG (128 bits, base64url). A client may not choose one: call.request
//   and chat.request carrying a call_id / room_id are refused
//   (invalid_argument), and ids the relay did not issue are not_found.
// - Only the two participants of a call (caller and, before it is answered,
//   its invitees) may send call.* / rtc.* for it; rtc.* only once connected.
// - Only members may post to a room or read its log.
// - A presence status is changed only by its owner, or by an admin (a
//   presence.status with `to`); the relay never changes one itself. Being in
//   a call is tracked separately, so an off_duty counsellor is never paged.
// - call.request without `to` and chat.request go to every connected staff
//   member whose declared status is `available` and who is not in a call
//   (chat: counsellors and/or peers as `preferred` asks; calls: counsellors
//   and peers). The first call.accept / chat.claim wins; the other invitees
//   get call.end {reason "answered_elsewhere"} / chat.claimed.
// - Types only the relay writes (call.invite, call.timeout, chat.offered,
//   chat.claimed, chat.accepted, error) are refused from clients.
//
// Errors: a refused message changes nothing and yields `rejection`: an
// `error` envelope to the sender whose body names the code (an errc name
// such as "permission_denied"), says why without quoting any content (never
// text or SDP), and has `ref` = the refused message's id.
//
// Deliveries go only to connected peers; nothing is queued for a peer that
// is away (room messages are in the room's log for resume(); call signalling
// is renegotiated after a reconnect).
//
// Exceptions: entry points throw only std::bad_alloc,
// veteran::error(not_initialized) when the OS random generator cannot be
// initialised (before anything is changed), or what a host's store throws.
//
// Timers: every entry point first runs the timers due at `now` (ring timeout,
// reconnect grace), so a late call.accept finds the call already timed out;
// call due(now) when idle, at the latest at next_due().
//
// Ownership and thread safety: a relay owns its store. One relay is NOT
// thread-safe: the host serialises calls to it (one strand/lock per relay).
// Distinct relays with distinct stores are independent. `now` must not go
// backwards (an earlier `now` is treated as the latest seen).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/clock.hpp"
#include "veteran/error.hpp"
#include "veteran/signal/message.hpp"
#include "veteran/signal/relay_store.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

/// A client as the host authenticated it.
struct peer {
  std::string id; // non-empty, at most max_id_bytes, not the relay's own id
  signal::role role = signal::role::user;
};

/// One message for one recipient.
struct delivery {
  std::string to;
  message msg;
};

/// Kinds of id the relay issues.
enum class issued_kind : std::uint8_t { call, room, request };
struct issued_id {
  issued_kind kind;
  std::string id;
};

/// What one entry point produced, in order.
struct relay_result {
  std::vector<delivery> deliveries;
  /// Set when the input was refused: the error envelope for the sender
  /// (deliveries then only hold what due timers produced).
  std::optional<delivery> rejection;
  /// Ids issued while handling this input, in order of issue.
  std::vector<issued_id> issued;
};

struct relay_options {
  /// Unanswered calls time out this long after the invite.
  timestamp_ms ring_timeout_ms = 30'000;
  /// A dropped participant keeps its calls this long.
  timestamp_ms reconnect_grace_ms = 10'000;
  /// `from` of messages the relay writes itself; no peer may use this id.
  std::string relay_id = "relay";
};

/// JSON text of `r` for hosts, the C API and Python:
/// {"deliveries":[{"to":id,"msg":{envelope}}...],"rejection":null or
/// {"to":id,"msg":{error envelope}},"issued":[{"kind":"call"|"room"|"request",
/// "id":id}...]}. Envelopes are in canonical form (encode()). Stateless.
[[nodiscard]] std::string to_json(const relay_result &r);
/// "call", "room", "request".
[[nodiscard]] const char *to_string(issued_kind k) noexcept;

class relay {
public:
  /// Throws veteran::error(invalid_argument) for a timeout or grace <= 0 or
  /// an empty/oversize relay_id, or a null store.
  explicit relay(relay_options options = {},
                 std::unique_ptr<relay_store> store = make_memory_store());
  ~relay();
  relay(const relay &) = delete;
  relay &operator=(const relay &) = delete;

  /// The host authenticated `p` on a new socket (also a reconnect: the peer's
  /// calls survive if within the grace). Its presence status is kept as it
  /// was; a staff member who is `available` is offered pending chat
  /// requests. Refused (invalid_argument) for a bad id or the relay's own id.
  relay_result connect(const peer &p, timestamp_ms now);
  /// The peer's socket closed. Its calls survive reconnect_grace_ms.
  /// Refused (not_found, rejection addressed to `peer_id`) when the peer is
  /// not connected.
  relay_result disconnect(std::string_view peer_id, timestamp_ms now);
  /// One message from the authenticated `sender` (who must be connected).
  relay_result handle(const peer &sender, const message &m, timestamp_ms now);
  /// As handle() after decode(); a decode error is a rejection with code
  /// signal_invalid naming the field.
  relay_result handle(const peer &sender, std::string_view json, timestamp_ms now);
  /// Delivers to `p` (a member of the room) every logged room message after
  /// `last_seen_id` (all of them when empty), oldest first, each exactly as
  /// first delivered. Refused: not a member (permission_denied), unknown room
  /// (not_found), `last_seen_id` not in the log (not_found: the client
  /// cannot resume without a gap). Call it right after connect(), before
  /// the relay handles anything else: a message handled in between reaches
  /// the member live and would come again from the log (ids are unique, so
  /// a client can also drop an id it has already seen).
  relay_result resume(const peer &p, std::string_view room_id,
                      std::string_view last_seen_id, timestamp_ms now);
  /// Runs the timers due at `now`.
  relay_result due(timestamp_ms now);
  /// The earliest time a timer is due; nullopt when none is pending.
  [[nodiscard]] std::optional<timestamp_ms> next_due();

  /// The state, for hosts and tests (read-only use).
  [[nodiscard]] relay_store &store() noexcept;
  [[nodiscard]] const relay_options &options() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace signal
VETERAN_NAMESPACE_END
