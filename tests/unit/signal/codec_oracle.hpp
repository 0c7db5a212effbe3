// Test-only oracle: the signalling decoder (and encoder) as they were
// before the one-pass decoder (Boost.JSON document via util::parse_strict, then member by
// member through util::json_object_reader, then the shared validation). Kept only here,
// to check that the library's decoder refuses and accepts exactly what this one did, with
// the same message and field (test_codec_diff.cpp).
#pragma once

#include <boost/json.hpp>

#include <cstring>
#include <limits>
#include <utility>

#include "util/json_read.hpp"
#include "util/json_write.hpp"
#include "util/utf8.hpp"
#include "veteran/signal.hpp"

namespace codec_oracle {

using namespace veteran::signal;
using veteran::capture_error;
using veteran::errc;
using veteran::error_info;
using veteran::result;
namespace util = veteran::util;
namespace json = boost::json;

inline std::string quoted(std::string_view key) {
  std::string s;
  s.reserve(key.size() + 2);
  s += '"';
  s += key;
  s += '"';
  return s;
}

inline std::string path(std::string_view prefix, std::string_view key) {
  std::string s(prefix);
  s += key;
  return s;
}

// A member name is echoed in an error (as a field) only when it is a short
// identifier: a name in hostile input could itself be personal data.
inline bool printable_name(std::string_view k) noexcept {
  if (k.empty() || k.size() > 32) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

// ---- reading -----------------------------------------------------------------
// Every read first records which member it is about in `field`; the reader
// throws veteran::error(signal_invalid, "<where>: <what>") and decode() pairs
// that message with the recorded field.

/// The member being read, kept as two views (both into static names or the
/// parsed document) so the path string is only built when there is an error.
struct position {
  std::string_view prefix, key;
  [[nodiscard]] std::string path() const { return codec_oracle::path(prefix, key); }
};

class in {
public:
  in(const json::value &v, const char *where, std::string_view prefix, position &field)
      : field_(field), prefix_(prefix), r_(v, where, errc::signal_invalid) {}

  void only(std::initializer_list<std::string_view> allowed) {
    for (const auto &kv : r_.object()) {
      const std::string_view k(kv.key().data(), kv.key().size());
      bool ok = false;
      for (auto a : allowed)
        ok = ok || k == a;
      if (!ok) {
        field_ = printable_name(k) ? position{prefix_, k} : container();
        r_.allow_only(allowed); // throws, naming the member as the reader does
      }
    }
  }

  std::string str(std::string_view key) {
    at(key);
    return r_.string(key);
  }
  std::optional<std::string> opt_str(std::string_view key) {
    at(key);
    const json::value *v = r_.find(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) r_.fail(quoted(key) + " must be a string");
    return std::string(v->as_string().data(), v->as_string().size());
  }
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) {
    at(key);
    return r_.integer(key, min, max);
  }
  std::optional<std::int64_t> opt_integer(std::string_view key, std::int64_t min,
                                          std::int64_t max) {
    at(key);
    if (!r_.find(key)) return std::nullopt;
    return r_.integer(key, min, max);
  }
  bool boolean(std::string_view key) {
    at(key);
    const json::value *v = r_.find(key);
    if (!v) r_.fail("missing " + quoted(key));
    if (!v->is_bool()) r_.fail(quoted(key) + " must be true or false");
    return v->get_bool();
  }
  template <class E, class Parse>
  E enumerated(std::string_view key, Parse parse, const char *allowed) {
    const std::string s = str(key);
    const std::optional<E> e = parse(s);
    if (!e) r_.fail(quoted(key) + " must be one of " + allowed);
    return *e;
  }
  const json::value &member(std::string_view key) {
    at(key);
    const json::value *v = r_.find(key);
    if (!v) r_.fail("missing " + quoted(key));
    return *v;
  }
  [[noreturn]] void fail(std::string_view key, const std::string &what) {
    at(key);
    r_.fail(what);
  }

private:
  void at(std::string_view key) { field_ = position{prefix_, key}; }
  position container() const {
    return position{{},
                    prefix_.empty() ? prefix_ : prefix_.substr(0, prefix_.size() - 1)};
  }
  position &field_;
  std::string_view prefix_;
  util::json_object_reader r_;
};

inline void read(in &r, empty_body &) { r.only({}); }
inline void read(in &r, presence_online_body &b) {
  r.only({"role", "status"});

  b.role =
      r.enumerated<role>("role", parse_role, "user, peer, counsellor, supervisor, admin");
  b.status = r.enumerated<presence_status>("status", parse_presence_status,
                                           "available, busy, in_call, in_chat, off_duty");
}
inline void read(in &r, presence_status_body &b) {
  r.only({"status"});

  b.status = r.enumerated<presence_status>("status", parse_presence_status,
                                           "available, busy, in_call, in_chat, off_duty");
}
inline void read(in &r, media_body &b) {
  r.only({"media"});

  b.media = r.enumerated<media>("media", parse_media, "audio, video");
}
inline void read(in &r, optional_reason_body &b) {
  r.only({"reason"});
  b.reason = r.opt_str("reason");
}
inline void read(in &r, reason_body &b) {
  r.only({"reason"});
  b.reason = r.str("reason");
}
inline void read(in &r, sdp_body &b) {
  r.only({"sdp"});
  b.sdp = r.str("sdp");
}
inline void read(in &r, ice_body &b) {
  r.only({"candidate", "sdp_mid", "sdp_mline_index"});

  b.candidate = r.str("candidate");
  b.sdp_mid = r.opt_str("sdp_mid");
  b.sdp_mline_index = r.opt_integer("sdp_mline_index", 0, 65535);
}
inline void read(in &r, chat_request_body &b) {
  r.only({"preferred", "reason", "alert_id", "session_id"});

  b.preferred = r.enumerated<preferred_staff>("preferred", parse_preferred_staff,
                                              "counsellor, peer, any");
  b.reason = r.opt_str("reason");
  b.alert_id = r.opt_str("alert_id");
  b.session_id = r.opt_str("session_id");
}
inline void read(in &r, request_body &b) {
  r.only({"request_id"});
  b.request_id = r.str("request_id");
}
inline void read(in &r, chat_claimed_body &b) {
  r.only({"request_id", "by"});

  b.request_id = r.str("request_id");
  b.by = r.str("by");
}
inline void read(in &r, chat_message_body &b) {
  r.only({"text"});
  b.text = r.str("text");
}
inline void read(in &r, chat_typing_body &b) {
  r.only({"on"});
  b.on = r.boolean("on");
}
inline void read(in &r, chat_read_body &b) {
  r.only({"up_to"});
  b.up_to = r.str("up_to");
}
inline void read(in &r, alert_raised_body &b) {
  r.only({"alert_id", "kind", "level"});

  b.alert_id = r.str("alert_id");
  b.kind = r.enumerated<alert_kind>("kind", parse_alert_kind, "safeguarding, panic");
  b.level = r.enumerated<alert_level>("level", parse_alert_level,
                                      "none, low, medium, high, critical");
}
inline void read(in &r, alert_body &b) {
  r.only({"alert_id"});
  b.alert_id = r.str("alert_id");
}
inline void read(in &r, error_body &b) {
  r.only({"code", "message", "ref"});

  b.code = r.str("code");
  b.message = r.str("message");
  b.ref = r.opt_str("ref");
}

inline bool needs_call_id(message_type t) noexcept {
  const char *name = to_string(t);
  return (std::strncmp(name, "call.", 5) == 0 && t != message_type::call_request) ||
         std::strncmp(name, "rtc.", 4) == 0;
}
inline bool needs_room_id(message_type t) noexcept {
  return std::strncmp(to_string(t), "chat.", 5) == 0 && t != message_type::chat_request;
}

// ---- validation ----------------------------------------------------------------

// The oracle decodes with utf8 = false, as before; UTF-8 was the parser's job.
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

  bool run(const veteran::signal::message &m) {
    const char *env = "envelope";
    if (std::strcmp(to_string(m.type), "unknown") == 0) {
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

template <std::size_t I = 0> void read_body(in &r, body &b, std::size_t shape) {
  if constexpr (I < std::variant_size_v<body>) {
    if (shape != I) return read_body<I + 1>(r, b, shape);
    read(r, b.emplace<I>());
  }
}

inline result<message> decode(std::string_view text, codec_error &err) {
  err.field.clear();
  util::json_read_options opts;
  opts.max_depth = 4; // envelope and body; nothing deeper is in the format
  auto doc = util::parse_strict(text, "envelope", opts);
  if (!doc) return error_info{errc::signal_invalid, doc.error().message};
  message m;
  position at;
  const error_info e = capture_error([&] {
    in env(*doc, "envelope", "", at);
    env.only({"v", "type", "id", "ts", "from", "to", "call_id", "room_id", "body"});
    const json::value &v = env.member("v");
    if (!v.is_int64() || v.get_int64() != wire_version)
      if (!v.is_uint64() || v.get_uint64() != wire_version)
        env.fail("v", "\"v\" must be 1 (the only version this codec reads)");
    const std::string type = env.str("type");
    const std::optional<message_type> t = parse_message_type(type);
    if (!t) env.fail("type", "unknown \"type\"");
    m.type = *t;
    m.id = env.str("id");
    m.ts = env.integer("ts", 0, std::numeric_limits<std::int64_t>::max());
    m.from = env.str("from");
    m.to = env.opt_str("to");
    m.call_id = env.opt_str("call_id");
    m.room_id = env.opt_str("room_id");
    in b(env.member("body"), "body", "body.", at);
    read_body(b, m.body, body_shape(m.type));
  });
  if (e.code != errc::ok) {
    err.field = at.path();
    return e;
  }
  check c{false, {}, {}};
  if (!c.run(m)) {
    err.field = std::move(c.field);
    return error_info{errc::signal_invalid, std::move(c.what)};
  }
  err.field.clear();
  return m;
}

// ---- writing (the encoder before the one-string writer) -----------------------

using writer = util::json_text_writer;

inline void opt(writer &w, std::string_view key, const std::optional<std::string> &s) {
  if (s) {
    w.key(key);
    w.value(std::string_view(*s));
  }
}
inline void str(writer &w, std::string_view key, const std::string &s) {
  w.key(key);
  w.value(std::string_view(s));
}
inline void str(writer &w, std::string_view key, const char *s) {
  w.key(key);
  w.value(std::string_view(s));
}

inline void write(writer &, const empty_body &) {}
inline void write(writer &w, const presence_online_body &b) {
  str(w, "role", to_string(b.role));
  str(w, "status", to_string(b.status));
}
inline void write(writer &w, const presence_status_body &b) {
  str(w, "status", to_string(b.status));
}
inline void write(writer &w, const media_body &b) { str(w, "media", to_string(b.media)); }
inline void write(writer &w, const optional_reason_body &b) {
  opt(w, "reason", b.reason);
}
inline void write(writer &w, const reason_body &b) { str(w, "reason", b.reason); }
inline void write(writer &w, const sdp_body &b) { str(w, "sdp", b.sdp); }
inline void write(writer &w, const ice_body &b) {
  str(w, "candidate", b.candidate);
  opt(w, "sdp_mid", b.sdp_mid);
  if (b.sdp_mline_index) {
    w.key("sdp_mline_index");
    w.value(static_cast<std::uint64_t>(*b.sdp_mline_index));
  }
}
inline void write(writer &w, const chat_request_body &b) {
  str(w, "preferred", to_string(b.preferred));
  opt(w, "reason", b.reason);
  opt(w, "alert_id", b.alert_id);
  opt(w, "session_id", b.session_id);
}
inline void write(writer &w, const request_body &b) {
  str(w, "request_id", b.request_id);
}
inline void write(writer &w, const chat_claimed_body &b) {
  str(w, "request_id", b.request_id);
  str(w, "by", b.by);
}
inline void write(writer &w, const chat_message_body &b) { str(w, "text", b.text); }
inline void write(writer &w, const chat_typing_body &b) {
  w.key("on");
  w.value(b.on);
}
inline void write(writer &w, const chat_read_body &b) { str(w, "up_to", b.up_to); }
inline void write(writer &w, const alert_raised_body &b) {
  str(w, "alert_id", b.alert_id);
  str(w, "kind", to_string(b.kind));
  str(w, "level", to_string(b.level));
}
inline void write(writer &w, const alert_body &b) { str(w, "alert_id", b.alert_id); }
inline void write(writer &w, const error_body &b) {
  str(w, "code", b.code);
  str(w, "message", b.message);
  opt(w, "ref", b.ref);
}

/// Canonical text as the old encoder wrote it (no validation: callers pass
/// messages the library validated).
inline std::string encode(const message &m) {
  writer w;
  w.begin_object();
  w.key("v");
  w.value(static_cast<std::uint64_t>(wire_version));
  str(w, "type", to_string(m.type));
  str(w, "id", m.id);
  w.key("ts");
  w.value(static_cast<std::uint64_t>(m.ts));
  str(w, "from", m.from);
  opt(w, "to", m.to);
  opt(w, "call_id", m.call_id);
  opt(w, "room_id", m.room_id);
  w.key("body");
  w.begin_object();
  std::visit([&](const auto &b) { write(w, b); }, m.body);
  w.end_object();
  w.end_object();
  return w.take();
}

} // namespace codec_oracle
