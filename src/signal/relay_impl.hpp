// Internal: the relay's implementation, shared by relay.cpp (entry points,
// presence, timers), relay_calls.cpp and relay_chat.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "veteran/signal/relay.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal::detail {

/// Thrown by a handler, before it has changed anything, to refuse the input.
struct refused {
  errc code;
  std::string why; // names fields and rules, never content
};
[[noreturn]] void refuse(errc code, std::string why);

bool is_staff(role r) noexcept;

} // namespace signal::detail

struct signal::relay::impl {
  relay_options opt;
  std::unique_ptr<relay_store> store;
  timestamp_ms latest = 0;

  // ---- building output ----
  /// A new envelope written by the relay (id from the store's sequence).
  message make(message_type t, const std::string &from, timestamp_ms now);
  /// `in` as delivered: fresh id, ts now, authenticated from, no `to`.
  message forward(const message &in, const std::string &from, timestamp_ms now);
  /// Adds a delivery when `to` is connected (nothing is queued for a
  /// disconnected peer; room messages are in the log for resume()).
  void send(relay_result &out, const std::string &to, const message &m);
  std::string issue(issued_kind kind, relay_result &out);
  delivery error_to(const std::string &to, errc code, const std::string &why,
                    const std::optional<std::string> &ref, timestamp_ms now);

  // ---- peers ----
  peer_record connected_sender(const peer &sender);
  bool is_connected(const std::string &id);
  /// Connected staff with declared status `available`, not in a call, in
  /// id order, whose role `wanted` accepts.
  std::vector<std::string> free_staff(bool (*wanted)(role), const std::string &except);
  bool engaged(const std::string &id);
  void on_presence(const peer_record &s, const message &m, timestamp_ms now,
                   relay_result &out);
  void on_alert(const peer_record &s, const message &m, timestamp_ms now,
                relay_result &out);
  void tell_supervisors(const std::string &except, const message &m, relay_result &out);

  // ---- calls (relay_calls.cpp) ----
  void on_call_request(const peer_record &s, const message &m, timestamp_ms now,
                       relay_result &out);
  void on_call(const peer_record &s, const message &m, timestamp_ms now,
               relay_result &out);
  void on_rtc(const peer_record &s, const message &m, timestamp_ms now,
              relay_result &out);
  void apply(call_record c, call_event e, const std::string &actor,
             const message *trigger, timestamp_ms now, relay_result &out);
  void ring_timeouts(timestamp_ms now, relay_result &out);
  void peer_lost(const std::string &id, timestamp_ms now, relay_result &out);
  std::vector<call_record> calls_in_order();

  // ---- chat (relay_chat.cpp) ----
  void on_chat_request(const peer_record &s, const message &m, timestamp_ms now,
                       relay_result &out);
  void on_chat_claim(const peer_record &s, const message &m, timestamp_ms now,
                     relay_result &out);
  void on_room(const peer_record &s, const message &m, timestamp_ms now,
               relay_result &out);
  /// Offers every pending request `id` is eligible for (it just became
  /// available or reconnected).
  void offer_pending(const peer_record &p, timestamp_ms now, relay_result &out);
  /// Logs `m` in the room and sends it to its connected members.
  void post(const room_record &room, const message &m, relay_result &out,
            const std::string &skip = {});

  // ---- timers ----
  void run_timers(timestamp_ms now, relay_result &out);
  timestamp_ms clamp(timestamp_ms now);
};

VETERAN_NAMESPACE_END
