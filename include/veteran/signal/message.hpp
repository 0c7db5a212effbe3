// veteran/signal/message.hpp — signalling messages (calls, WebRTC, chat,
// presence, alerts) as C++ values, and their strict JSON codec.
//
// Wire format (docs/signal.md is the full reference): one JSON object per
// message,
//   {"v": 1, "type": str, "id": str, "ts": int, "from": str,
//    "to": str?, "call_id": str?, "room_id": str?, "body": {...}}
// `call_id` is required for `call.*` (except `call.request`) and `rtc.*`;
// `room_id` for `chat.*` (except `chat.request`).
//
// Design: the envelope is one struct, `message`. Its `type` says what the
// message means; its `body` is a std::variant with one struct per body
// *shape* (several types share a shape: `rtc.offer` and `rtc.answer` both
// carry `sdp_body`). Typing by shape rather than by type keeps the variant
// small and lets code handle "any SDP" once; body_shape(type) says which
// alternative each type needs, and validate()/encode() refuse a mismatch.
//
// Ownership and thread safety: every type here is a plain value type owning
// its strings; copies are independent. Distinct objects may be used from
// distinct threads; decode/encode/validate keep no state and are safe to
// call concurrently.
//
// Errors: every codec failure is errc::signal_invalid with a message that
// names the field (never its value), and the field's path (`body.sdp`,
// `call_id`) is also given separately for callers that report it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "veteran/clock.hpp"
#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

/// The only wire version this codec reads and writes.
inline constexpr int wire_version = 1;

/// Size limits, in bytes of UTF-8. Anything longer is refused when decoding
/// and when encoding.
inline constexpr std::size_t max_id_bytes = 128;             // every id
inline constexpr std::size_t max_sdp_bytes = 64 * 1024;      // body.sdp
inline constexpr std::size_t max_candidate_bytes = 2 * 1024; // body.candidate
inline constexpr std::size_t max_chat_text_bytes = 8 * 1024; // body.text
/// Free-text fields without a limit of their own in the issue (reasons,
/// error code and message): our choice, so nothing is unbounded.
inline constexpr std::size_t max_text_bytes = 1024;

/// Every message type of the wire format; `to_string` gives the wire name
/// ("call.request"), `parse_message_type` reads it back.
enum class message_type : std::uint8_t {
  presence_online,
  presence_status,
  presence_offline,
  call_request,
  call_invite,
  call_ringing,
  call_accept,
  call_cancel,
  call_busy,
  call_timeout,
  call_reject,
  call_end,
  call_failed,
  rtc_offer,
  rtc_answer,
  rtc_ice,
  chat_request,
  chat_offered,
  chat_claim,
  chat_claimed,
  chat_accepted,
  chat_message,
  chat_typing,
  chat_read,
  chat_leave,
  chat_end,
  alert_raised,
  alert_acknowledged,
  alert_resolved,
  alert_escalated,
  error,
};
/// Number of message types (for tables and tests).
inline constexpr std::size_t message_type_count =
    static_cast<std::size_t>(message_type::error) + 1;

enum class role : std::uint8_t { user, peer, counsellor, supervisor, admin };
enum class presence_status : std::uint8_t { available, busy, in_call, in_chat, off_duty };
enum class media : std::uint8_t { audio, video };
enum class preferred_staff : std::uint8_t { counsellor, peer, any };
enum class alert_kind : std::uint8_t { safeguarding, panic };
/// The same names as triage's risk levels.
enum class alert_level : std::uint8_t { none, low, medium, high, critical };

/// Wire names. Never null; a value outside the enum gives "unknown".
[[nodiscard]] const char *to_string(message_type t) noexcept;
[[nodiscard]] const char *to_string(role r) noexcept;
[[nodiscard]] const char *to_string(presence_status s) noexcept;
[[nodiscard]] const char *to_string(media m) noexcept;
[[nodiscard]] const char *to_string(preferred_staff p) noexcept;
[[nodiscard]] const char *to_string(alert_kind k) noexcept;
[[nodiscard]] const char *to_string(alert_level l) noexcept;

/// Reads a wire name; nullopt for anything else (exact, case-sensitive).
[[nodiscard]] std::optional<message_type> parse_message_type(std::string_view s) noexcept;
[[nodiscard]] std::optional<role> parse_role(std::string_view s) noexcept;
[[nodiscard]] std::optional<presence_status>
parse_presence_status(std::string_view s) noexcept;
[[nodiscard]] std::optional<media> parse_media(std::string_view s) noexcept;
[[nodiscard]] std::optional<preferred_staff>
parse_preferred_staff(std::string_view s) noexcept;
[[nodiscard]] std::optional<alert_kind> parse_alert_kind(std::string_view s) noexcept;
[[nodiscard]] std::optional<alert_level> parse_alert_level(std::string_view s) noexcept;

// ---- bodies: one struct per shape -------------------------------------------
// Field names are the wire names. Optional members are absent on the wire
// when empty (nullopt); JSON null is never accepted for them.

/// presence.offline, call.ringing, call.accept, call.cancel, call.busy,
/// call.timeout: `{}`.
struct empty_body {};
/// presence.online.
struct presence_online_body {
  signal::role role = signal::role::user;
  presence_status status = presence_status::available;
};
/// presence.status.
struct presence_status_body {
  presence_status status = presence_status::available;
};
/// call.request, call.invite.
struct media_body {
  signal::media media = signal::media::audio;
};
/// call.reject, chat.leave, chat.end: reason optional.
struct optional_reason_body {
  std::optional<std::string> reason;
};
/// call.end, call.failed: reason required (may be empty).
struct reason_body {
  std::string reason;
};
/// rtc.offer, rtc.answer. `sdp` non-empty, at most max_sdp_bytes.
struct sdp_body {
  std::string sdp;
};
/// rtc.ice. `candidate` may be empty (WebRTC's end-of-candidates), at most
/// max_candidate_bytes; `sdp_mid` at most max_id_bytes; index 0..65535.
struct ice_body {
  std::string candidate;
  std::optional<std::string> sdp_mid;
  std::optional<std::int64_t> sdp_mline_index;
};
/// chat.request. alert_id and session_id are ids when present.
struct chat_request_body {
  preferred_staff preferred = preferred_staff::any;
  std::optional<std::string> reason;
  std::optional<std::string> alert_id;
  std::optional<std::string> session_id;
};
/// chat.offered, chat.claim, chat.accepted.
struct request_body {
  std::string request_id;
};
/// chat.claimed: `by` is the id of whoever claimed it.
struct chat_claimed_body {
  std::string request_id;
  std::string by;
};
/// chat.message. `text` non-empty, at most max_chat_text_bytes.
struct chat_message_body {
  std::string text;
};
/// chat.typing.
struct chat_typing_body {
  bool on = false;
};
/// chat.read: `up_to` is the id of the last message read.
struct chat_read_body {
  std::string up_to;
};
/// alert.raised.
struct alert_raised_body {
  std::string alert_id;
  alert_kind kind = alert_kind::safeguarding;
  alert_level level = alert_level::high;
};
/// alert.acknowledged, alert.resolved, alert.escalated.
struct alert_body {
  std::string alert_id;
};
/// error: `code` is a short machine-readable name (e.g. an errc name),
/// `message` human text; `ref` the id of the message it answers.
struct error_body {
  std::string code;
  std::string message;
  std::optional<std::string> ref;
};

using body =
    std::variant<empty_body, presence_online_body, presence_status_body, media_body,
                 optional_reason_body, reason_body, sdp_body, ice_body, chat_request_body,
                 request_body, chat_claimed_body, chat_message_body, chat_typing_body,
                 chat_read_body, alert_raised_body, alert_body, error_body>;

/// The variant index (`body::index()`) a message of type `t` must carry.
[[nodiscard]] std::size_t body_shape(message_type t) noexcept;
/// A default-constructed body of the right shape for `t`.
[[nodiscard]] body default_body(message_type t);

/// One signalling envelope. `v` is implicit (always wire_version).
struct message {
  message_type type = message_type::presence_offline;
  std::string id;      // non-empty, at most max_id_bytes
  timestamp_ms ts = 0; // ms since the epoch, >= 0
  std::string from;    // non-empty id. The relay never trusts it.
  std::optional<std::string> to;
  std::optional<std::string> call_id;
  std::optional<std::string> room_id;
  signal::body body;
};

bool operator==(const empty_body &, const empty_body &) noexcept;
bool operator==(const presence_online_body &, const presence_online_body &) noexcept;
bool operator==(const presence_status_body &, const presence_status_body &) noexcept;
bool operator==(const media_body &, const media_body &) noexcept;
bool operator==(const optional_reason_body &, const optional_reason_body &) noexcept;
bool operator==(const reason_body &, const reason_body &) noexcept;
bool operator==(const sdp_body &, const sdp_body &) noexcept;
bool operator==(const ice_body &, const ice_body &) noexcept;
bool operator==(const chat_request_body &, const chat_request_body &) noexcept;
bool operator==(const request_body &, const request_body &) noexcept;
bool operator==(const chat_claimed_body &, const chat_claimed_body &) noexcept;
bool operator==(const chat_message_body &, const chat_message_body &) noexcept;
bool operator==(const chat_typing_body &, const chat_typing_body &) noexcept;
bool operator==(const chat_read_body &, const chat_read_body &) noexcept;
bool operator==(const alert_raised_body &, const alert_raised_body &) noexcept;
bool operator==(const alert_body &, const alert_body &) noexcept;
bool operator==(const error_body &, const error_body &) noexcept;
/// Member-wise equality (type, id, ts, from, to, call_id, room_id, body).
bool operator==(const message &a, const message &b) noexcept;
inline bool operator!=(const message &a, const message &b) noexcept { return !(a == b); }

} // namespace signal
VETERAN_NAMESPACE_END
