// Names, shapes and equality of signalling messages.
#include "veteran/signal/message.hpp"

#include <array>

VETERAN_NAMESPACE_BEGIN
namespace signal {

namespace {

struct type_row {
  const char *name;
  std::size_t shape; // index into `body`
};

// Variant indices, spelled once so the table below reads as the issue does.
enum shape : std::size_t {
  s_empty,
  s_presence_online,
  s_presence_status,
  s_media,
  s_optional_reason,
  s_reason,
  s_sdp,
  s_ice,
  s_chat_request,
  s_request,
  s_chat_claimed,
  s_chat_message,
  s_chat_typing,
  s_chat_read,
  s_alert_raised,
  s_alert,
  s_error,
};
static_assert(std::variant_size_v<body> == s_error + 1, "shape list matches body");
static_assert(std::is_same_v<std::variant_alternative_t<s_ice, body>, ice_body>);
static_assert(std::is_same_v<std::variant_alternative_t<s_error, body>, error_body>);

constexpr std::array<type_row, message_type_count> types = {{
    {"presence.online", s_presence_online},
    {"presence.status", s_presence_status},
    {"presence.offline", s_empty},
    {"call.request", s_media},
    {"call.invite", s_media},
    {"call.ringing", s_empty},
    {"call.accept", s_empty},
    {"call.cancel", s_empty},
    {"call.busy", s_empty},
    {"call.timeout", s_empty},
    {"call.reject", s_optional_reason},
    {"call.end", s_reason},
    {"call.failed", s_reason},
    {"rtc.offer", s_sdp},
    {"rtc.answer", s_sdp},
    {"rtc.ice", s_ice},
    {"chat.request", s_chat_request},
    {"chat.offered", s_request},
    {"chat.claim", s_request},
    {"chat.claimed", s_chat_claimed},
    {"chat.accepted", s_request},
    {"chat.message", s_chat_message},
    {"chat.typing", s_chat_typing},
    {"chat.read", s_chat_read},
    {"chat.leave", s_optional_reason},
    {"chat.end", s_optional_reason},
    {"alert.raised", s_alert_raised},
    {"alert.acknowledged", s_alert},
    {"alert.resolved", s_alert},
    {"alert.escalated", s_alert},
    {"error", s_error},
}};

template <std::size_t N>
const char *name_of(const std::array<const char *, N> &names, std::size_t i) noexcept {
  return i < N ? names[i] : "unknown";
}

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<const char *, N> &names,
                          std::string_view s) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (s == names[i]) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<const char *, 5> role_names = {"user", "peer", "counsellor",
                                                    "supervisor", "admin"};
constexpr std::array<const char *, 5> status_names = {"available", "busy", "in_call",
                                                      "in_chat", "off_duty"};
constexpr std::array<const char *, 2> media_names = {"audio", "video"};
constexpr std::array<const char *, 3> preferred_names = {"counsellor", "peer", "any"};
constexpr std::array<const char *, 2> kind_names = {"safeguarding", "panic"};
constexpr std::array<const char *, 5> level_names = {"none", "low", "medium", "high",
                                                     "critical"};

template <std::size_t I> body make_body() { return body(std::in_place_index<I>); }

template <std::size_t... I> body make_body_at(std::size_t i, std::index_sequence<I...>) {
  body out;
  ((i == I ? (out = make_body<I>(), 0) : 0), ...);
  return out;
}

} // namespace

const char *to_string(message_type t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < types.size() ? types[i].name : "unknown";
}
const char *to_string(role r) noexcept {
  return name_of(role_names, static_cast<std::size_t>(r));
}
const char *to_string(presence_status s) noexcept {
  return name_of(status_names, static_cast<std::size_t>(s));
}
const char *to_string(media m) noexcept {
  return name_of(media_names, static_cast<std::size_t>(m));
}
const char *to_string(preferred_staff p) noexcept {
  return name_of(preferred_names, static_cast<std::size_t>(p));
}
const char *to_string(alert_kind k) noexcept {
  return name_of(kind_names, static_cast<std::size_t>(k));
}
const char *to_string(alert_level l) noexcept {
  return name_of(level_names, static_cast<std::size_t>(l));
}

std::optional<message_type> parse_message_type(std::string_view s) noexcept {
  for (std::size_t i = 0; i < types.size(); ++i)
    if (s == types[i].name) return static_cast<message_type>(i);
  return std::nullopt;
}
std::optional<role> parse_role(std::string_view s) noexcept {
  return parse_in<role>(role_names, s);
}
std::optional<presence_status> parse_presence_status(std::string_view s) noexcept {
  return parse_in<presence_status>(status_names, s);
}
std::optional<media> parse_media(std::string_view s) noexcept {
  return parse_in<media>(media_names, s);
}
std::optional<preferred_staff> parse_preferred_staff(std::string_view s) noexcept {
  return parse_in<preferred_staff>(preferred_names, s);
}
std::optional<alert_kind> parse_alert_kind(std::string_view s) noexcept {
  return parse_in<alert_kind>(kind_names, s);
}
std::optional<alert_level> parse_alert_level(std::string_view s) noexcept {
  return parse_in<alert_level>(level_names, s);
}

std::size_t body_shape(message_type t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < types.size() ? types[i].shape : std::variant_npos;
}

body default_body(message_type t) {
  return make_body_at(body_shape(t),
                      std::make_index_sequence<std::variant_size_v<body>>{});
}

bool operator==(const empty_body &, const empty_body &) noexcept { return true; }
bool operator==(const presence_online_body &a, const presence_online_body &b) noexcept {
  return a.role == b.role && a.status == b.status;
}
bool operator==(const presence_status_body &a, const presence_status_body &b) noexcept {
  return a.status == b.status;
}
bool operator==(const media_body &a, const media_body &b) noexcept {
  return a.media == b.media;
}
bool operator==(const optional_reason_body &a, const optional_reason_body &b) noexcept {
  return a.reason == b.reason;
}
bool operator==(const reason_body &a, const reason_body &b) noexcept {
  return a.reason == b.reason;
}
bool operator==(const sdp_body &a, const sdp_body &b) noexcept { return a.sdp == b.sdp; }
bool operator==(const ice_body &a, const ice_body &b) noexcept {
  return a.candidate == b.candidate && a.sdp_mid == b.sdp_mid &&
         a.sdp_mline_index == b.sdp_mline_index;
}
bool operator==(const chat_request_body &a, const chat_request_body &b) noexcept {
  return a.preferred == b.preferred && a.reason == b.reason && a.alert_id == b.alert_id &&
         a.session_id == b.session_id;
}
bool operator==(const request_body &a, const request_body &b) noexcept {
  return a.request_id == b.request_id;
}
bool operator==(const chat_claimed_body &a, const chat_claimed_body &b) noexcept {
  return a.request_id == b.request_id && a.by == b.by;
}
bool operator==(const chat_message_body &a, const chat_message_body &b) noexcept {
  return a.text == b.text;
}
bool operator==(const chat_typing_body &a, const chat_typing_body &b) noexcept {
  return a.on == b.on;
}
bool operator==(const chat_read_body &a, const chat_read_body &b) noexcept {
  return a.up_to == b.up_to;
}
bool operator==(const alert_raised_body &a, const alert_raised_body &b) noexcept {
  return a.alert_id == b.alert_id && a.kind == b.kind && a.level == b.level;
}
bool operator==(const alert_body &a, const alert_body &b) noexcept {
  return a.alert_id == b.alert_id;
}
bool operator==(const error_body &a, const error_body &b) noexcept {
  return a.code == b.code && a.message == b.message && a.ref == b.ref;
}

bool operator==(const message &a, const message &b) noexcept {
  return a.type == b.type && a.id == b.id && a.ts == b.ts && a.from == b.from &&
         a.to == b.to && a.call_id == b.call_id && a.room_id == b.room_id &&
         a.body == b.body;
}

} // namespace signal
VETERAN_NAMESPACE_END
