// veteran/signal/relay_store.hpp — where a relay keeps its state.
//
// Everything a relay knows (who is connected with which role and presence,
// the calls in progress, chat requests, rooms and their message logs, and the
// sequence its message ids come from) lives behind this one interface, so a
// host that runs several relay instances can give them one shared store. The
// SDK ships an in-memory store (make_memory_store()).
//
// Contract for implementations: get_* returns a copy (nullopt when absent);
// put_* inserts or replaces the whole record; erase_* of an absent id does
// nothing; list_* returns copies in any order. The relay reads what it needs,
// decides, then writes; it never keeps references into the store. A shared
// store must make one relay call (handle/connect/disconnect/resume/due) appear
// atomic to the others (e.g. a lock around it); the interface does not yet
// offer compare-and-swap, so concurrent instances without such a lock could
// both win a claim. Methods may throw (std::bad_alloc, or a store's own
// failure); the relay lets the exception through.
//
// Thread safety: the memory store is not internally locked; it is used by
// one relay, which is itself not thread-safe (see relay.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/clock.hpp"
#include "veteran/signal/call.hpp"
#include "veteran/signal/message.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

/// One peer (a client the host has authenticated).
struct peer_record {
  std::string id;
  signal::role role = signal::role::user;
  /// Set only by the peer itself (presence.online / presence.status) or by an
  /// admin; never by the relay. Unset until the peer first declares it.
  std::optional<presence_status> status;
  bool connected = false;
  /// When the peer's socket dropped; cleared on reconnect or once the
  /// reconnect grace has run out and its calls were cleaned up.
  std::optional<timestamp_ms> dropped_at;
};

/// One call that has not reached a terminal state.
struct call_record {
  std::string id;
  std::uint64_t seq = 0; // order of creation (timers fire in this order)
  bool direct = false;   // call.request named its callee (`to`)
  call_state state = call_state::requested;
  signal::media media = signal::media::audio;
  std::string caller;
  std::vector<std::string> invitees; // until connected
  std::string callee;                // once connected
  timestamp_ms invited_at = 0;
  /// Who has an rtc.offer not yet answered (empty: nobody); for glare.
  std::string offer_from;
};

/// One chat request, from chat.request until claimed (then erased).
struct chat_request_record {
  std::string id;
  std::uint64_t seq = 0; // order of creation
  std::string requester;
  std::string room_id;
  preferred_staff preferred = preferred_staff::any;
  std::vector<std::string> offered; // staff it was offered to
  std::string claimed_by;           // empty until the first chat.claim
  /// Kept after the claim so a late claim is answered `conflict`.
};

/// One chat room. Only members may post to it or read its log.
struct room_record {
  std::string id;
  std::vector<std::string> members;
  bool open = true; // false after chat.end
};

class relay_store {
public:
  virtual ~relay_store() = default;

  virtual std::optional<peer_record> get_peer(std::string_view id) = 0;
  virtual void put_peer(const peer_record &p) = 0;
  virtual std::vector<peer_record> list_peers() = 0;

  virtual std::optional<call_record> get_call(std::string_view id) = 0;
  virtual void put_call(const call_record &c) = 0;
  virtual void erase_call(std::string_view id) = 0;
  virtual std::vector<call_record> list_calls() = 0;

  virtual std::optional<chat_request_record> get_request(std::string_view id) = 0;
  virtual void put_request(const chat_request_record &r) = 0;
  virtual void erase_request(std::string_view id) = 0;
  virtual std::vector<chat_request_record> list_requests() = 0;

  virtual std::optional<room_record> get_room(std::string_view id) = 0;
  virtual void put_room(const room_record &r) = 0;

  /// Appends `m` (whose id is unique) to the room's log. A store may keep
  /// only the most recent entries.
  virtual void append_log(std::string_view room_id, const message &m) = 0;
  /// The entries after the one with id `after_id`, oldest first; the whole
  /// log when `after_id` is empty; nullopt when `after_id` is not (or no
  /// longer) in the log, so the caller knows it cannot resume without a gap.
  virtual std::optional<std::vector<message>> log_after(std::string_view room_id,
                                                        std::string_view after_id) = 0;

  /// 1, 2, 3, ... : never repeats for the store's lifetime.
  virtual std::uint64_t next_sequence() = 0;
};

/// An in-memory store keeping at most `log_limit` (>= 1) messages per room.
/// Throws veteran::error(invalid_argument) for log_limit 0.
[[nodiscard]] std::unique_ptr<relay_store>
make_memory_store(std::size_t log_limit = 1000);

} // namespace signal
VETERAN_NAMESPACE_END
