// The strict signalling codec.
//
// decode(): one pass of Boost.JSON's event parser (basic_parser) with a
// handler that knows the envelope and body members. It records each known
// member's JSON kind and writes its text straight into the message (or a
// per-member buffer), refuses duplicate members at any depth as it meets
// them, stops copying a string one byte past its limit, and keeps the first
// unknown member of the envelope and of the body. After the parse, the
// members are checked in a fixed order (the order of the document-based
// decoder this replaced, kept as a test oracle in
// tests/unit/signal/codec_oracle.hpp) and the shared validator runs, so
// every input gets the same error, message and field as before.
//
// encode(): the shared validator, then canonical text appended straight into
// one string reserved up front.
#include "veteran/signal/codec.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <array>
#include <charconv>
#include <cstring>
#include <iterator>
#include <limits>
#include <unordered_set>
#include <utility>

#include "util/encoding.hpp"
#include "util/json_write.hpp"
#include "util/utf8.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

namespace json = boost::json;

namespace {

std::string quoted(std::string_view key) {
  std::string s;
  s.reserve(key.size() + 2);
  s += '"';
  s += key;
  s += '"';
  return s;
}

std::string path(std::string_view prefix, std::string_view key) {
  std::string s(prefix);
  s += key;
  return s;
}

// A member name is echoed in an error field only when it is a short
// identifier: a name in hostile input could itself be personal data.
bool printable_name(std::string_view k) noexcept {
  if (k.empty() || k.size() > 32) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}
// ... and in an error message (the rule util::parse_strict and
// util::json_object_reader use, kept so messages read as before).
bool printable_in_message(std::string_view k) noexcept {
  return util::is_id_token(k, 32);
}

bool needs_call_id_by_name(message_type t) noexcept {
  const char *name = to_string(t);
  return (std::strncmp(name, "call.", 5) == 0 && t != message_type::call_request) ||
         std::strncmp(name, "rtc.", 4) == 0;
}
bool needs_room_id_by_name(message_type t) noexcept {
  return std::strncmp(to_string(t), "chat.", 5) == 0 && t != message_type::chat_request;
}

/// The rules above, worked out once per type (they are checked on every
/// encode and decode). Bit 0: call_id required; bit 1: room_id required.
const std::array<std::uint8_t, message_type_count> &id_rules() noexcept {
  static const auto table = [] {
    std::array<std::uint8_t, message_type_count> t{};
    for (std::size_t i = 0; i < message_type_count; ++i) {
      const auto type = static_cast<message_type>(i);
      t[i] = static_cast<std::uint8_t>((needs_call_id_by_name(type) ? 1 : 0) |
                                       (needs_room_id_by_name(type) ? 2 : 0));
    }
    return t;
  }();
  return table;
}
// Callers have checked that `t` is a known type.
bool needs_call_id(message_type t) noexcept {
  return id_rules()[static_cast<std::size_t>(t)] & 1;
}
bool needs_room_id(message_type t) noexcept {
  return id_rules()[static_cast<std::size_t>(t)] & 2;
}

// ---- validation ----------------------------------------------------------------

struct check {
  bool utf8; // decode() already has valid UTF-8 from the parser
  std::string field;
  std::string what;

  bool fail(std::string_view where, std::string_view prefix, std::string_view key,
            const std::string &rule) {
    field = path(prefix, key);
    what = std::string(where) + ": " + quoted(key) + " " + rule;
    return false;
  }
  bool text(std::string_view where, std::string_view prefix, std::string_view key,
            const std::string &s, std::size_t limit, bool allow_empty) {
    if (!allow_empty && s.empty()) return fail(where, prefix, key, "must not be empty");
    if (s.size() > limit)
      return fail(where, prefix, key,
                  "is longer than " + std::to_string(limit) + " bytes");
    if (utf8 && !util::valid_utf8(s))
      return fail(where, prefix, key, "is not valid UTF-8");
    return true;
  }
  bool id(std::string_view where, std::string_view prefix, std::string_view key,
          const std::string &s) {
    return text(where, prefix, key, s, max_id_bytes, false);
  }
  bool opt_id(std::string_view where, std::string_view prefix, std::string_view key,
              const std::optional<std::string> &s) {
    return !s || id(where, prefix, key, *s);
  }
  bool opt_text(std::string_view key, const std::optional<std::string> &s) {
    return !s || body_text(key, *s, max_text_bytes, true);
  }
  bool body_text(std::string_view key, const std::string &s, std::size_t limit,
                 bool allow_empty) {
    return text("body", "body.", key, s, limit, allow_empty);
  }
  bool body_id(std::string_view key, const std::string &s) {
    return id("body", "body.", key, s);
  }
  template <class E> bool in_range(std::string_view key, E e) {
    if (std::strcmp(to_string(e), "unknown") == 0)
      return fail("body", "body.", key, "is not a known value");
    return true;
  }

  bool operator()(const empty_body &) { return true; }
  bool operator()(const presence_online_body &b) {
    return in_range("role", b.role) && in_range("status", b.status);
  }
  bool operator()(const presence_status_body &b) { return in_range("status", b.status); }
  bool operator()(const media_body &b) { return in_range("media", b.media); }
  bool operator()(const optional_reason_body &b) { return opt_text("reason", b.reason); }
  bool operator()(const reason_body &b) {
    return body_text("reason", b.reason, max_text_bytes, true);
  }
  bool operator()(const sdp_body &b) {
    return body_text("sdp", b.sdp, max_sdp_bytes, false);
  }
  bool operator()(const ice_body &b) {
    if (!body_text("candidate", b.candidate, max_candidate_bytes, true)) return false;
    if (b.sdp_mid && !body_text("sdp_mid", *b.sdp_mid, max_id_bytes, true)) return false;
    if (b.sdp_mline_index && (*b.sdp_mline_index < 0 || *b.sdp_mline_index > 65535))
      return fail("body", "body.", "sdp_mline_index",
                  "must be an integer from 0 to 65535");
    return true;
  }
  bool operator()(const chat_request_body &b) {
    return in_range("preferred", b.preferred) && opt_text("reason", b.reason) &&
           opt_id("body", "body.", "alert_id", b.alert_id) &&
           opt_id("body", "body.", "session_id", b.session_id);
  }
  bool operator()(const request_body &b) { return body_id("request_id", b.request_id); }
  bool operator()(const chat_claimed_body &b) {
    return body_id("request_id", b.request_id) && body_id("by", b.by);
  }
  bool operator()(const chat_message_body &b) {
    return body_text("text", b.text, max_chat_text_bytes, false);
  }
  bool operator()(const chat_typing_body &) { return true; }
  bool operator()(const chat_read_body &b) { return body_id("up_to", b.up_to); }
  bool operator()(const alert_raised_body &b) {
    return body_id("alert_id", b.alert_id) && in_range("kind", b.kind) &&
           in_range("level", b.level);
  }
  bool operator()(const alert_body &b) { return body_id("alert_id", b.alert_id); }
  bool operator()(const error_body &b) {
    return body_text("code", b.code, max_text_bytes, false) &&
           body_text("message", b.message, max_text_bytes, true) &&
           opt_id("body", "body.", "ref", b.ref);
  }

  bool run(const signal::message &m) {
    const char *env = "envelope";
    if (static_cast<std::size_t>(m.type) >= message_type_count) { // to_string: "unknown"
      field = "type";
      what = "envelope: unknown \"type\"";
      return false;
    }
    if (!id(env, "", "id", m.id)) return false;
    if (m.ts < 0) return fail(env, "", "ts", "must not be negative");
    if (!id(env, "", "from", m.from) || !opt_id(env, "", "to", m.to) ||
        !opt_id(env, "", "call_id", m.call_id) || !opt_id(env, "", "room_id", m.room_id))
      return false;
    if (needs_call_id(m.type) && !m.call_id)
      return fail(env, "", "call_id",
                  std::string("is required for ") + to_string(m.type));
    if (needs_room_id(m.type) && !m.room_id)
      return fail(env, "", "room_id",
                  std::string("is required for ") + to_string(m.type));
    if (m.body.index() != body_shape(m.type)) {
      field = "body";
      what = std::string("envelope: the body does not have the shape of ") +
             to_string(m.type);
      return false;
    }
    return std::visit(*this, m.body);
  }
};

// ---- reading ----------------------------------------------------------------

enum class kind : std::uint8_t {
  absent,
  string,
  int64,
  uint64,
  dbl,
  boolean,
  null,
  object,
  array
};

/// What one known member held. `n` is the integer (int64, or uint64 bits),
/// or for enum-valued strings the parsed value; `ok` is the bool, or whether
/// an enum-valued string named a known value.
struct slot {
  kind k = kind::absent;
  bool ok = false;
  std::int64_t n = 0;
};

enum env_key : int {
  e_v,
  e_type,
  e_id,
  e_ts,
  e_from,
  e_to,
  e_call_id,
  e_room_id,
  e_body,
  e_count
};
constexpr std::string_view env_names[e_count] = {
    "v", "type", "id", "ts", "from", "to", "call_id", "room_id", "body"};

enum body_key : int {
  b_role,
  b_status,
  b_media,
  b_reason,
  b_sdp,
  b_candidate,
  b_sdp_mid,
  b_sdp_mline_index,
  b_preferred,
  b_alert_id,
  b_session_id,
  b_request_id,
  b_by,
  b_text,
  b_on,
  b_up_to,
  b_kind,
  b_level,
  b_code,
  b_message,
  b_ref,
  b_count
};
constexpr std::string_view body_names[b_count] = {
    "role",      "status",    "media",      "reason",
    "sdp",       "candidate", "sdp_mid",    "sdp_mline_index",
    "preferred", "alert_id",  "session_id", "request_id",
    "by",        "text",      "on",         "up_to",
    "kind",      "level",     "code",       "message",
    "ref"};

/// Most bytes of a string member kept: its limit (a longer value is refused
/// after the parse, and needs only one byte more to be seen as too long).
/// 0: not a free-text member (enum-valued, number or bool).
constexpr std::size_t body_limits[b_count] = {0,
                                              0,
                                              0,
                                              max_text_bytes,
                                              max_sdp_bytes,
                                              max_candidate_bytes,
                                              max_id_bytes,
                                              0,
                                              0,
                                              max_id_bytes,
                                              max_id_bytes,
                                              max_id_bytes,
                                              max_id_bytes,
                                              max_chat_text_bytes,
                                              0,
                                              max_id_bytes,
                                              0,
                                              0,
                                              max_text_bytes,
                                              max_text_bytes,
                                              max_id_bytes};

constexpr std::uint32_t bit(int k) { return std::uint32_t{1} << k; }

/// Members allowed in the body, by shape (variant index).
constexpr std::uint32_t body_allowed[] = {
    0,                                                          // empty_body
    bit(b_role) | bit(b_status),                                // presence_online_body
    bit(b_status),                                              // presence_status_body
    bit(b_media),                                               // media_body
    bit(b_reason),                                              // optional_reason_body
    bit(b_reason),                                              // reason_body
    bit(b_sdp),                                                 // sdp_body
    bit(b_candidate) | bit(b_sdp_mid) | bit(b_sdp_mline_index), // ice_body
    bit(b_preferred) | bit(b_reason) | bit(b_alert_id) |
        bit(b_session_id),                        // chat_request
    bit(b_request_id),                            // request_body
    bit(b_request_id) | bit(b_by),                // chat_claimed_body
    bit(b_text),                                  // chat_message_body
    bit(b_on),                                    // chat_typing_body
    bit(b_up_to),                                 // chat_read_body
    bit(b_alert_id) | bit(b_kind) | bit(b_level), // alert_raised_body
    bit(b_alert_id),                              // alert_body
    bit(b_code) | bit(b_message) | bit(b_ref),    // error_body
};
static_assert(std::size(body_allowed) == std::variant_size_v<body>);

template <std::size_t N>
int lookup(const std::string_view (&names)[N], std::string_view k) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i].size() == k.size() &&
        std::memcmp(names[i].data(), k.data(), k.size()) == 0)
      return static_cast<int>(i);
  return -1;
}

/// The enum a string member names, or nullopt.
std::optional<std::uint8_t> parse_enum(int key, bool envelope,
                                       std::string_view s) noexcept {
  const auto as = [](auto e) -> std::optional<std::uint8_t> {
    if (!e) return std::nullopt;
    return static_cast<std::uint8_t>(*e);
  };
  if (envelope) return as(parse_message_type(s)); // "type"
  switch (key) {
  case b_role:
    return as(parse_role(s));
  case b_status:
    return as(parse_presence_status(s));
  case b_media:
    return as(parse_media(s));
  case b_preferred:
    return as(parse_preferred_staff(s));
  case b_kind:
    return as(parse_alert_kind(s));
  default:
    return as(parse_alert_level(s));
  }
}

constexpr std::size_t max_depth = 4; // envelope and body; nothing deeper is in the format

/// The basic_parser handler (see the top of this file).
class reader {
public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  explicit reader(message &m) noexcept : m_(m) {}

  // Outcome of the parse, for decode_impl.
  std::string duplicate; // "duplicate member 'k' at $.body" when one stopped the parse
  bool top_is_object = false;

  bool on_document_begin(boost::system::error_code &) { return true; }
  bool on_document_end(boost::system::error_code &) { return true; }

  bool on_object_begin(boost::system::error_code &ec) {
    if (depth_ == 0) {
      top_is_object = true;
      return push(frame_kind::envelope, ec);
    }
    const bool is_body = slot_ == &env_[e_body];
    if (slot *s = value_begins()) s->k = kind::object;
    return push(is_body ? frame_kind::body : frame_kind::object, ec);
  }
  bool on_object_end(std::size_t, boost::system::error_code &) {
    --depth_;
    return true;
  }
  bool on_array_begin(boost::system::error_code &ec) {
    if (depth_ > 0)
      if (slot *s = value_begins()) s->k = kind::array;
    return push(frame_kind::array, ec);
  }
  bool on_array_end(std::size_t, boost::system::error_code &) {
    --depth_;
    return true;
  }

  bool on_key_part(json::string_view s, std::size_t, boost::system::error_code &) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, boost::system::error_code &ec) {
    std::string_view k(s.data(), s.size());
    if (!key_.empty()) {
      key_.append(s.data(), s.size());
      k = key_;
    }
    frame &f = frames_[depth_ - 1];
    bool ok;
    if (f.kind == frame_kind::envelope)
      ok = envelope_key(f, k);
    else if (f.kind == frame_kind::body)
      ok = body_key(f, k);
    else
      ok = other_key(f, k);
    key_.clear();
    if (!ok) ec = json::error::syntax; // stops the parse; `duplicate` says why
    return ok;
  }

  bool on_string_part(json::string_view s, std::size_t, boost::system::error_code &) {
    if (sink_)
      append(s);
    else if (enum_key_ >= 0)
      enum_part(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, boost::system::error_code &) {
    if (sink_) {
      append(s);
    } else if (enum_key_ >= 0) {
      std::string_view whole(s.data(), s.size());
      if (!enum_text_.empty()) {
        enum_part(s);
        whole = enum_text_;
      }
      const auto e = parse_enum(enum_key_, slot_ == &env_[e_type], whole);
      slot_->ok = e.has_value();
      slot_->n = e ? *e : 0;
      enum_text_.clear();
    }
    if (slot *sl = value_begins()) sl->k = kind::string;
    return true;
  }
  bool on_number_part(json::string_view, boost::system::error_code &) { return true; }
  bool on_int64(std::int64_t i, json::string_view, boost::system::error_code &) {
    if (slot *s = value_begins()) {
      s->k = kind::int64;
      s->n = i;
    }
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, boost::system::error_code &) {
    if (slot *s = value_begins()) {
      s->k = kind::uint64;
      s->n = static_cast<std::int64_t>(u);
    }
    return true;
  }
  bool on_double(double, json::string_view, boost::system::error_code &) {
    if (slot *s = value_begins()) s->k = kind::dbl;
    return true;
  }
  bool on_bool(bool b, boost::system::error_code &) {
    if (slot *s = value_begins()) {
      s->k = kind::boolean;
      s->ok = b;
    }
    return true;
  }
  bool on_null(boost::system::error_code &) {
    if (slot *s = value_begins()) s->k = kind::null;
    return true;
  }
  bool on_comment_part(json::string_view, boost::system::error_code &) { return true; }
  bool on_comment(json::string_view, boost::system::error_code &) { return true; }

  /// After a clean parse of an object: checks the members in the documented
  /// order and moves them into the message. On failure sets `what` and
  /// `field` and returns false.
  bool finish(std::string &what, std::string &field);

private:
  enum class frame_kind : std::uint8_t { envelope, body, object, array };
  struct frame {
    frame_kind kind = frame_kind::object;
    int known = -1;                         // the current member, if a known one
    std::uint32_t seen = 0;                 // known members met so far
    std::size_t index = 0;                  // arrays: values begun so far
    std::string other;                      // the current member, if not a known one
    std::unordered_set<std::string> others; // every other member met, for duplicates
  };
  // Longest enum wire name is "alert.acknowledged"; keep one byte more so
  // anything longer cannot match.
  static constexpr std::size_t enum_max = 32;

  bool push(frame_kind k, boost::system::error_code &ec) {
    if (depth_ == max_depth) { // basic_parser checks max_depth first
      ec = json::error::too_deep;
      return false;
    }
    frame &f = frames_[depth_++];
    f.kind = k;
    f.known = -1;
    f.seen = 0;
    f.index = 0;
    f.other.clear();
    f.others.clear();
    return true;
  }

  /// A value begins in the innermost container: arrays count it, and the
  /// member it fills (if a known one) is returned and forgotten.
  slot *value_begins() noexcept {
    if (depth_ > 0 && frames_[depth_ - 1].kind == frame_kind::array)
      ++frames_[depth_ - 1].index;
    slot *s = slot_;
    slot_ = nullptr;
    sink_ = nullptr;
    enum_key_ = -1;
    return s;
  }

  void enum_part(json::string_view s) {
    const std::size_t room = enum_max + 1 - enum_text_.size();
    enum_text_.append(s.data(), s.size() < room ? s.size() : room);
  }
  void append(json::string_view s) {
    const std::size_t room = sink_limit_ - sink_->size();
    sink_->append(s.data(), s.size() < room ? s.size() : room);
  }
  void into(std::string &s, std::size_t limit) noexcept {
    sink_ = &s;
    sink_limit_ = limit + 1;
  }

  bool envelope_key(frame &f, std::string_view k) {
    const int id = lookup(env_names, k);
    if (id < 0) {
      if (!env_unknown_) {
        env_unknown_ = true;
        env_unknown_name_.assign(k);
      }
      return other_key(f, k);
    }
    if (f.seen & bit(id)) return found_duplicate(k);
    f.seen |= bit(id);
    f.known = id;
    slot_ = &env_[id];
    switch (id) {
    case e_type:
      enum_key_ = e_type;
      break;
    case e_id:
      into(m_.id, max_id_bytes);
      break;
    case e_from:
      into(m_.from, max_id_bytes);
      break;
    case e_to:
      into(m_.to.emplace(), max_id_bytes);
      break;
    case e_call_id:
      into(m_.call_id.emplace(), max_id_bytes);
      break;
    case e_room_id:
      into(m_.room_id.emplace(), max_id_bytes);
      break;
    default:
      break;
    }
    return true;
  }

  bool body_key(frame &f, std::string_view k) {
    const int id = lookup(body_names, k);
    if (id < 0) {
      if (!body_unknown_) {
        body_unknown_ = true;
        body_unknown_name_.assign(k);
      }
      return other_key(f, k);
    }
    if (f.seen & bit(id)) return found_duplicate(k);
    f.seen |= bit(id);
    f.known = id;
    slot_ = &body_[id];
    // Known members in document order, up to the first unknown one: with
    // the type (which may come later), the first one not allowed is found.
    if (!body_unknown_) body_order_[body_order_size_++] = static_cast<std::uint8_t>(id);
    if (body_limits[id] > 0)
      into(body_text_[id], body_limits[id]);
    else if (id != b_sdp_mline_index && id != b_on)
      enum_key_ = id;
    return true;
  }

  bool other_key(frame &f, std::string_view k) {
    std::string name(k);
    if (!f.others.insert(name).second) return found_duplicate(k);
    f.known = -1;
    f.other = std::move(name);
    slot_ = nullptr;
    sink_ = nullptr;
    enum_key_ = -1;
    return true;
  }

  bool found_duplicate(std::string_view k) {
    duplicate = "duplicate member ";
    if (printable_in_message(k)) {
      duplicate += '\'';
      duplicate += k;
      duplicate += '\'';
    } else {
      duplicate += "name";
    }
    duplicate += " at $";
    for (std::size_t i = 0; i + 1 < depth_; ++i) {
      const frame &f = frames_[i];
      if (f.kind == frame_kind::array) {
        duplicate += '[' + std::to_string(f.index - 1) + ']';
        continue;
      }
      const std::string_view name =
          f.known < 0
              ? std::string_view(f.other)
              : (f.kind == frame_kind::envelope ? env_names : body_names)[f.known];
      duplicate += '.';
      duplicate += printable_in_message(name) ? name : std::string_view("?");
    }
    return false;
  }

  // Checks of finish(), each naming the member as the document-based
  // decoder did: "<where>: <what>", field "<prefix><key>".
  bool fail(std::string_view where, std::string_view prefix, std::string_view key,
            const std::string &what);
  bool env_string(int k);
  bool env_optional(int k, std::optional<std::string> &out);
  bool read_body(std::size_t shape, std::string &what, std::string &field);

  message &m_;
  frame frames_[max_depth];
  std::size_t depth_ = 0;
  slot *slot_ = nullptr;        // the known member whose value comes next
  std::string *sink_ = nullptr; // where its text goes, if free text
  std::size_t sink_limit_ = 0;  // bytes kept at most
  int enum_key_ = -1;           // or the member whose text names an enum value
  std::string enum_text_;       // an enum value given in parts (escapes)
  std::string key_;             // a member name given in parts

  slot env_[e_count];
  bool env_unknown_ = false;
  std::string env_unknown_name_;

  slot body_[b_count];
  std::string body_text_[b_count];
  std::uint8_t body_order_[b_count] = {};
  std::size_t body_order_size_ = 0;
  bool body_unknown_ = false;
  std::string body_unknown_name_;

  std::string *what_ = nullptr, *field_ = nullptr;
};

bool reader::fail(std::string_view where, std::string_view prefix, std::string_view key,
                  const std::string &what) {
  *field_ = path(prefix, key);
  *what_ = std::string(where) + ": " + what;
  return false;
}

bool reader::env_string(int k) {
  const std::string_view name = env_names[k];
  if (env_[k].k == kind::absent)
    return fail("envelope", "", name, "missing " + quoted(name));
  if (env_[k].k != kind::string)
    return fail("envelope", "", name, quoted(name) + " must be a string");
  return true;
}

bool reader::env_optional(int k, std::optional<std::string> &out) {
  if (env_[k].k == kind::absent) {
    out.reset();
    return true;
  }
  return env_string(k);
}

/// Reads body members for one shape, in the order the document-based
/// decoder read them (so the first problem reported is the same).
class body_in {
public:
  body_in(const slot *slots, std::string *text, std::string &what, std::string &field)
      : slots_(slots), text_(text), what_(what), field_(field) {}

  bool str(int k, std::string &out) {
    if (!present_string(k)) return false;
    out = std::move(text_[k]);
    return true;
  }
  bool opt_str(int k, std::optional<std::string> &out) {
    if (slots_[k].k == kind::absent) return true;
    if (slots_[k].k != kind::string)
      return fail(k, quoted(body_names[k]) + " must be a string");
    out = std::move(text_[k]);
    return true;
  }
  template <class E> bool enumerated(int k, E &out, const char *allowed) {
    if (!present_string(k)) return false;
    if (!slots_[k].ok)
      return fail(k, quoted(body_names[k]) + " must be one of " + allowed);
    out = static_cast<E>(slots_[k].n);
    return true;
  }
  bool opt_integer(int k, std::int64_t min, std::int64_t max,
                   std::optional<std::int64_t> &out) {
    const slot &s = slots_[k];
    if (s.k == kind::absent) return true;
    if (s.k == kind::int64 && s.n >= min && s.n <= max) {
      out = s.n;
      return true;
    }
    const auto u = static_cast<std::uint64_t>(s.n);
    if (s.k == kind::uint64 && max >= 0 && u <= static_cast<std::uint64_t>(max) &&
        static_cast<std::int64_t>(u) >= min) {
      out = static_cast<std::int64_t>(u);
      return true;
    }
    return fail(k, quoted(body_names[k]) + " must be an integer from " +
                       std::to_string(min) + " to " + std::to_string(max));
  }
  bool boolean(int k, bool &out) {
    if (slots_[k].k == kind::absent) return fail(k, "missing " + quoted(body_names[k]));
    if (slots_[k].k != kind::boolean)
      return fail(k, quoted(body_names[k]) + " must be true or false");
    out = slots_[k].ok;
    return true;
  }

private:
  bool present_string(int k) {
    if (slots_[k].k == kind::absent) return fail(k, "missing " + quoted(body_names[k]));
    if (slots_[k].k != kind::string)
      return fail(k, quoted(body_names[k]) + " must be a string");
    return true;
  }
  bool fail(int k, const std::string &what) {
    field_ = path("body.", body_names[k]);
    what_ = "body: " + what;
    return false;
  }
  const slot *slots_;
  std::string *text_;
  std::string &what_, &field_;
};

bool fill(body_in &, empty_body &) { return true; }
bool fill(body_in &r, presence_online_body &b) {
  return r.enumerated(b_role, b.role, "user, peer, counsellor, supervisor, admin") &&
         r.enumerated(b_status, b.status, "available, busy, in_call, in_chat, off_duty");
}
bool fill(body_in &r, presence_status_body &b) {
  return r.enumerated(b_status, b.status, "available, busy, in_call, in_chat, off_duty");
}
bool fill(body_in &r, media_body &b) {
  return r.enumerated(b_media, b.media, "audio, video");
}
bool fill(body_in &r, optional_reason_body &b) { return r.opt_str(b_reason, b.reason); }
bool fill(body_in &r, reason_body &b) { return r.str(b_reason, b.reason); }
bool fill(body_in &r, sdp_body &b) { return r.str(b_sdp, b.sdp); }
bool fill(body_in &r, ice_body &b) {
  return r.str(b_candidate, b.candidate) && r.opt_str(b_sdp_mid, b.sdp_mid) &&
         r.opt_integer(b_sdp_mline_index, 0, 65535, b.sdp_mline_index);
}
bool fill(body_in &r, chat_request_body &b) {
  return r.enumerated(b_preferred, b.preferred, "counsellor, peer, any") &&
         r.opt_str(b_reason, b.reason) && r.opt_str(b_alert_id, b.alert_id) &&
         r.opt_str(b_session_id, b.session_id);
}
bool fill(body_in &r, request_body &b) { return r.str(b_request_id, b.request_id); }
bool fill(body_in &r, chat_claimed_body &b) {
  return r.str(b_request_id, b.request_id) && r.str(b_by, b.by);
}
bool fill(body_in &r, chat_message_body &b) { return r.str(b_text, b.text); }
bool fill(body_in &r, chat_typing_body &b) { return r.boolean(b_on, b.on); }
bool fill(body_in &r, chat_read_body &b) { return r.str(b_up_to, b.up_to); }
bool fill(body_in &r, alert_raised_body &b) {
  return r.str(b_alert_id, b.alert_id) &&
         r.enumerated(b_kind, b.kind, "safeguarding, panic") &&
         r.enumerated(b_level, b.level, "none, low, medium, high, critical");
}
bool fill(body_in &r, alert_body &b) { return r.str(b_alert_id, b.alert_id); }
bool fill(body_in &r, error_body &b) {
  return r.str(b_code, b.code) && r.str(b_message, b.message) && r.opt_str(b_ref, b.ref);
}

template <std::size_t I = 0> bool fill_shape(body_in &r, body &b, std::size_t shape) {
  if constexpr (I < std::variant_size_v<body>) {
    if (shape != I) return fill_shape<I + 1>(r, b, shape);
    return fill(r, b.emplace<I>());
  } else {
    return false;
  }
}

bool reader::read_body(std::size_t shape, std::string &what, std::string &field) {
  const std::uint32_t allowed = body_allowed[shape];
  for (std::size_t i = 0; i < body_order_size_; ++i)
    if (!(allowed & bit(body_order_[i]))) {
      const std::string_view name = body_names[body_order_[i]];
      return fail("body", "body.", name, "unknown key " + quoted(name));
    }
  if (body_unknown_) {
    const std::string &name = body_unknown_name_;
    field = printable_name(name) ? path("body.", name) : std::string("body");
    what = "body: unknown key " + (printable_in_message(name) ? quoted(name) : "name");
    return false;
  }
  body_in r(body_, body_text_, what, field);
  return fill_shape(r, m_.body, shape);
}

bool reader::finish(std::string &what, std::string &field) {
  what_ = &what;
  field_ = &field;
  if (env_unknown_) {
    const std::string &name = env_unknown_name_;
    field = printable_name(name) ? name : std::string();
    what =
        "envelope: unknown key " + (printable_in_message(name) ? quoted(name) : "name");
    return false;
  }
  const slot &v = env_[e_v];
  if (v.k == kind::absent) return fail("envelope", "", "v", "missing \"v\"");
  if (!((v.k == kind::int64 || v.k == kind::uint64) && v.n == wire_version))
    return fail("envelope", "", "v",
                "\"v\" must be 1 (the only version this codec reads)");
  if (!env_string(e_type)) return false;
  if (!env_[e_type].ok) return fail("envelope", "", "type", "unknown \"type\"");
  m_.type = static_cast<message_type>(env_[e_type].n);
  if (!env_string(e_id)) return false;
  const slot &ts = env_[e_ts];
  if (ts.k == kind::absent) return fail("envelope", "", "ts", "missing \"ts\"");
  // A uint64 is above INT64_MAX, so out of range like a negative int64.
  if (ts.k != kind::int64 || ts.n < 0)
    return fail("envelope", "", "ts",
                "\"ts\" must be an integer from 0 to " +
                    std::to_string(std::numeric_limits<std::int64_t>::max()));
  m_.ts = ts.n;
  if (!env_string(e_from) || !env_optional(e_to, m_.to) ||
      !env_optional(e_call_id, m_.call_id) || !env_optional(e_room_id, m_.room_id))
    return false;
  if (env_[e_body].k == kind::absent)
    return fail("envelope", "", "body", "missing \"body\"");
  if (env_[e_body].k != kind::object)
    return fail("body", "", "body", "must be an object");
  return read_body(body_shape(m_.type), what, field);
}

result<message> decode_impl(std::string_view text, codec_error &err) {
  err.field.clear();
  message m;
  json::parse_options options;
  options.max_depth = max_depth;
  json::basic_parser<reader> p(options, m);
  boost::system::error_code ec;
  const std::size_t used = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = json::error::extra_data; // as json::parse
  reader &r = p.handler();
  if (!r.duplicate.empty())
    return error_info{errc::signal_invalid, "envelope: " + r.duplicate};
  if (ec) {
    if (ec == json::error::too_deep)
      return error_info{errc::signal_invalid, "envelope: nested deeper than " +
                                                  std::to_string(max_depth) + " levels"};
    return error_info{errc::signal_invalid, "envelope: invalid JSON at byte " +
                                                std::to_string(used) + " (" +
                                                ec.message() + ")"};
  }
  if (!r.top_is_object)
    return error_info{errc::signal_invalid, "envelope: must be an object"};
  std::string what;
  if (!r.finish(what, err.field))
    return error_info{errc::signal_invalid, std::move(what)};
  check c{false, {}, {}};
  if (!c.run(m)) {
    err.field = std::move(c.field);
    return error_info{errc::signal_invalid, std::move(c.what)};
  }
  return m;
}

// ---- writing ------------------------------------------------------------------
// Canonical text appended straight into one string: fixed member order, no
// whitespace, optional members left out when absent. Names and enum values
// are plain ASCII identifiers, so they are copied without escaping.

void raw(std::string &out, std::string_view s) { out.append(s.data(), s.size()); }

void integer(std::string &out, std::int64_t n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

/// Writes body members, with a comma before all but the first.
class body_out {
public:
  explicit body_out(std::string &out) : out_(out) {}

  void str(std::string_view key, std::string_view value) {
    name(key);
    util::append_json_string(out_, value);
  }
  void name_value(std::string_view key, const char *value) {
    name(key);
    out_ += '"';
    out_ += value;
    out_ += '"';
  }
  void opt(std::string_view key, const std::optional<std::string> &value) {
    if (value) str(key, *value);
  }
  void boolean(std::string_view key, bool b) {
    name(key);
    raw(out_, b ? "true" : "false");
  }
  void integer(std::string_view key, std::int64_t n) {
    name(key);
    signal::integer(out_, n);
  }

private:
  void name(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    raw(out_, key);
    raw(out_, "\":");
  }
  std::string &out_;
  bool first_ = true;
};

void write(body_out &, const empty_body &) {}
void write(body_out &w, const presence_online_body &b) {
  w.name_value("role", to_string(b.role));
  w.name_value("status", to_string(b.status));
}
void write(body_out &w, const presence_status_body &b) {
  w.name_value("status", to_string(b.status));
}
void write(body_out &w, const media_body &b) {
  w.name_value("media", to_string(b.media));
}
void write(body_out &w, const optional_reason_body &b) { w.opt("reason", b.reason); }
void write(body_out &w, const reason_body &b) { w.str("reason", b.reason); }
void write(body_out &w, const sdp_body &b) { w.str("sdp", b.sdp); }
void write(body_out &w, const ice_body &b) {
  w.str("candidate", b.candidate);
  w.opt("sdp_mid", b.sdp_mid);
  if (b.sdp_mline_index) w.integer("sdp_mline_index", *b.sdp_mline_index);
}
void write(body_out &w, const chat_request_body &b) {
  w.name_value("preferred", to_string(b.preferred));
  w.opt("reason", b.reason);
  w.opt("alert_id", b.alert_id);
  w.opt("session_id", b.session_id);
}
void write(body_out &w, const request_body &b) { w.str("request_id", b.request_id); }
void write(body_out &w, const chat_claimed_body &b) {
  w.str("request_id", b.request_id);
  w.str("by", b.by);
}
void write(body_out &w, const chat_message_body &b) { w.str("text", b.text); }
void write(body_out &w, const chat_typing_body &b) { w.boolean("on", b.on); }
void write(body_out &w, const chat_read_body &b) { w.str("up_to", b.up_to); }
void write(body_out &w, const alert_raised_body &b) {
  w.str("alert_id", b.alert_id);
  w.name_value("kind", to_string(b.kind));
  w.name_value("level", to_string(b.level));
}
void write(body_out &w, const alert_body &b) { w.str("alert_id", b.alert_id); }
void write(body_out &w, const error_body &b) {
  w.str("code", b.code);
  w.str("message", b.message);
  w.opt("ref", b.ref);
}

std::size_t text_size(const std::optional<std::string> &s) { return s ? s->size() : 0; }

/// Bytes of free text in the body (before escaping).
struct body_text_size {
  template <class B> std::size_t operator()(const B &) const { return 0; }
  std::size_t operator()(const optional_reason_body &b) const {
    return text_size(b.reason);
  }
  std::size_t operator()(const reason_body &b) const { return b.reason.size(); }
  std::size_t operator()(const sdp_body &b) const { return b.sdp.size(); }
  std::size_t operator()(const ice_body &b) const {
    return b.candidate.size() + text_size(b.sdp_mid);
  }
  std::size_t operator()(const chat_request_body &b) const {
    return text_size(b.reason) + text_size(b.alert_id) + text_size(b.session_id);
  }
  std::size_t operator()(const request_body &b) const { return b.request_id.size(); }
  std::size_t operator()(const chat_claimed_body &b) const {
    return b.request_id.size() + b.by.size();
  }
  std::size_t operator()(const chat_message_body &b) const { return b.text.size(); }
  std::size_t operator()(const chat_read_body &b) const { return b.up_to.size(); }
  std::size_t operator()(const alert_raised_body &b) const { return b.alert_id.size(); }
  std::size_t operator()(const alert_body &b) const { return b.alert_id.size(); }
  std::size_t operator()(const error_body &b) const {
    return b.code.size() + b.message.size() + text_size(b.ref);
  }
};

} // namespace

result<message> decode(std::string_view json) {
  codec_error err;
  return decode_impl(json, err);
}

result<message> decode(std::string_view json, codec_error &err) {
  return decode_impl(json, err);
}

result<void> validate(const message &m, codec_error &err) {
  check c{true, {}, {}};
  if (c.run(m)) {
    err.field.clear();
    return {};
  }
  err.field = std::move(c.field);
  return error_info{errc::signal_invalid, std::move(c.what)};
}

result<void> validate(const message &m) {
  codec_error err;
  return validate(m, err);
}

std::string encode(const message &m) {
  if (auto ok = validate(m); !ok) throw veteran::error(ok.code(), ok.message());
  // One allocation for nearly every message: the fixed text (member names,
  // type, enum values, ts) fits in 192 bytes, and escapes add little to
  // free text (SDP's CRLF: 2 bytes per line of about 30), so 1/8 more.
  const std::size_t payload = m.id.size() + m.from.size() + text_size(m.to) +
                              text_size(m.call_id) + text_size(m.room_id) +
                              std::visit(body_text_size{}, m.body);
  std::string out;
  out.reserve(192 + payload + payload / 8);
  raw(out, "{\"v\":");
  integer(out, wire_version);
  raw(out, ",\"type\":\"");
  out += to_string(m.type);
  raw(out, "\",\"id\":");
  util::append_json_string(out, m.id);
  raw(out, ",\"ts\":");
  integer(out, m.ts);
  raw(out, ",\"from\":");
  util::append_json_string(out, m.from);
  if (m.to) {
    raw(out, ",\"to\":");
    util::append_json_string(out, *m.to);
  }
  if (m.call_id) {
    raw(out, ",\"call_id\":");
    util::append_json_string(out, *m.call_id);
  }
  if (m.room_id) {
    raw(out, ",\"room_id\":");
    util::append_json_string(out, *m.room_id);
  }
  raw(out, ",\"body\":{");
  body_out w(out);
  std::visit([&](const auto &b) { write(w, b); }, m.body);
  raw(out, "}}");
  return out;
}

} // namespace signal
VETERAN_NAMESPACE_END
