// Signalling codec: every type round-trips, every malformed variant is
// refused naming its field, and the canonical form is stable.
#include <doctest/doctest.h>

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "veteran/signal.hpp"

namespace sg = veteran::signal;
using veteran::errc;

namespace {

sg::message base(sg::message_type t) {
  sg::message m;
  m.type = t;
  m.id = "m-1";
  m.ts = 1700000000123;
  m.from = "alice";
  m.body = sg::default_body(t);
  const std::string name = sg::to_string(t);
  if ((name.rfind("call.", 0) == 0 && t != sg::message_type::call_request) ||
      name.rfind("rtc.", 0) == 0)
    m.call_id = "c-1";
  if (name.rfind("chat.", 0) == 0 && t != sg::message_type::chat_request)
    m.room_id = "r-1";
  return m;
}

/// One valid example of every type, with every optional member used somewhere.
std::vector<sg::message> examples() {
  using T = sg::message_type;
  std::vector<sg::message> out;
  for (std::size_t i = 0; i < sg::message_type_count; ++i) {
    const auto t = static_cast<T>(i);
    sg::message m = base(t);
    switch (t) {
    case T::presence_online:
      m.body =
          sg::presence_online_body{sg::role::counsellor, sg::presence_status::off_duty};
      break;
    case T::presence_status:
      m.body = sg::presence_status_body{sg::presence_status::in_chat};
      break;
    case T::call_request:
      m.body = sg::media_body{sg::media::video};
      break;
    case T::call_invite:
      m.body = sg::media_body{sg::media::audio};
      m.to = "bob";
      break;
    case T::call_reject:
      m.body = sg::optional_reason_body{std::string("declined")};
      break;
    case T::call_end:
      m.body = sg::reason_body{"hangup"};
      break;
    case T::call_failed:
      m.body = sg::reason_body{""};
      break;
    case T::rtc_offer:
      m.body = sg::sdp_body{"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"};
      break;
    case T::rtc_answer:
      m.body = sg::sdp_body{"v=0\r\n"};
      break;
    case T::rtc_ice:
      m.body = sg::ice_body{"candidate:1 1 udp 2122260223 10.0.0.1 54400 typ host",
                            std::string("0"), 0};
      break;
    case T::chat_request:
      m.body = sg::chat_request_body{sg::preferred_staff::peer, std::string("lonely"),
                                     std::string("a-9"), std::string("s-3")};
      break;
    case T::chat_offered:
    case T::chat_claim:
    case T::chat_accepted:
      m.body = sg::request_body{"q-1"};
      break;
    case T::chat_claimed:
      m.body = sg::chat_claimed_body{"q-1", "staff-2"};
      break;
    case T::chat_message:
      m.body = sg::chat_message_body{"hello \xE2\x9C\x93 \"quoted\"\n"};
      break;
    case T::chat_typing:
      m.body = sg::chat_typing_body{true};
      break;
    case T::chat_read:
      m.body = sg::chat_read_body{"m-0"};
      break;
    case T::chat_end:
      m.body = sg::optional_reason_body{std::string("done")};
      break;
    case T::alert_raised:
      m.body =
          sg::alert_raised_body{"a-1", sg::alert_kind::panic, sg::alert_level::critical};
      break;
    case T::alert_acknowledged:
    case T::alert_resolved:
    case T::alert_escalated:
      m.body = sg::alert_body{"a-1"};
      break;
    case T::error:
      m.body = sg::error_body{"signal_invalid", "bad body", std::string("m-0")};
      break;
    default:
      break; // empty bodies, optional-reason bodies left empty
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::string with(std::string body, const std::string &envelope_extra = "") {
  return R"({"v":1,"type":"rtc.offer","id":"m-1","ts":5,"from":"a","call_id":"c")" +
         envelope_extra + R"(,"body":)" + body + "}";
}

} // namespace

TEST_CASE("every message type has a wire name that parses back") {
  std::set<std::string> names;
  for (std::size_t i = 0; i < sg::message_type_count; ++i) {
    const auto t = static_cast<sg::message_type>(i);
    const std::string n = sg::to_string(t);
    CHECK(names.insert(n).second);
    REQUIRE(sg::parse_message_type(n).has_value());
    CHECK(*sg::parse_message_type(n) == t);
  }
  CHECK(names.size() == 31);
  CHECK_FALSE(sg::parse_message_type("Call.request"));
  CHECK_FALSE(sg::parse_message_type(""));
  CHECK(std::string(sg::to_string(static_cast<sg::message_type>(200))) == "unknown");
}

TEST_CASE("every type round-trips: decode(encode(x)) == x") {
  const auto all = examples();
  REQUIRE(all.size() == sg::message_type_count);
  for (const auto &m : all) {
    CAPTURE(sg::to_string(m.type));
    REQUIRE(sg::validate(m).ok());
    const std::string text = sg::encode(m);
    auto back = sg::decode(text);
    REQUIRE_MESSAGE(back.ok(), back.message());
    CHECK(*back == m);
    CHECK(sg::encode(*back) == text); // canonical: a fixed point
  }
}

TEST_CASE("canonical form: fixed member order, optional members absent") {
  sg::message m = base(sg::message_type::rtc_ice);
  m.body = sg::ice_body{"cand", std::nullopt, 1};
  CHECK(sg::encode(m) ==
        R"({"v":1,"type":"rtc.ice","id":"m-1","ts":1700000000123,"from":"alice",)"
        R"("call_id":"c-1","body":{"candidate":"cand","sdp_mline_index":1}})");
  // A reordered, spaced input encodes to the same canonical text.
  const std::string shuffled =
      R"({ "body": {"sdp_mline_index": 1, "candidate": "cand"}, "call_id": "c-1",)"
      R"( "from": "alice", "ts": 1700000000123, "id": "m-1", "type": "rtc.ice", "v": 1 })";
  auto d = sg::decode(shuffled);
  REQUIRE(d.ok());
  CHECK(*d == m);
  CHECK(sg::encode(*d) == sg::encode(m));
}

TEST_CASE("malformed envelopes are refused naming the field, never the value") {
  struct bad {
    const char *what;
    std::string json;
    const char *field;
  };
  const std::string big_sdp(sg::max_sdp_bytes + 1, 'x');
  const std::string big_cand(sg::max_candidate_bytes + 1, 'x');
  const std::string big_text(sg::max_chat_text_bytes + 1, 'x');
  const std::string big_id(sg::max_id_bytes + 1, 'x');
  const std::vector<bad> cases = {
      {"not json", "{", ""},
      {"not an object", "[1]", ""},
      {"unknown v",
       R"({"v":2,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})", "v"},
      {"v mistyped",
       R"({"v":"1","type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})",
       "v"},
      {"missing v", R"({"type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})",
       "v"},
      {"unknown type",
       R"({"v":1,"type":"call.teleport","id":"i","ts":1,"from":"a","body":{}})", "type"},
      {"type mistyped", R"({"v":1,"type":7,"id":"i","ts":1,"from":"a","body":{}})",
       "type"},
      {"missing id", R"({"v":1,"type":"presence.offline","ts":1,"from":"a","body":{}})",
       "id"},
      {"empty id",
       R"({"v":1,"type":"presence.offline","id":"","ts":1,"from":"a","body":{}})", "id"},
      {"oversize id",
       R"({"v":1,"type":"presence.offline","id":")" + big_id +
           R"(","ts":1,"from":"a","body":{}})",
       "id"},
      {"ts mistyped",
       R"({"v":1,"type":"presence.offline","id":"i","ts":"1","from":"a","body":{}})",
       "ts"},
      {"ts negative",
       R"({"v":1,"type":"presence.offline","id":"i","ts":-1,"from":"a","body":{}})",
       "ts"},
      {"ts fractional",
       R"({"v":1,"type":"presence.offline","id":"i","ts":1.5,"from":"a","body":{}})",
       "ts"},
      {"missing from", R"({"v":1,"type":"presence.offline","id":"i","ts":1,"body":{}})",
       "from"},
      {"empty from",
       R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"","body":{}})",
       "from"},
      {"to null",
       R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","to":null,"body":{}})",
       "to"},
      {"empty to",
       R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","to":"","body":{}})",
       "to"},
      {"missing body", R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a"})",
       "body"},
      {"body not object",
       R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":[]})",
       "body"},
      {"extra envelope member",
       R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{},"admin":true})",
       "admin"},
      {"extra body member",
       R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{"x":1}})",
       "body.x"},
      {"unprintable extra member",
       R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{"Jane Smith 07700":1}})",
       "body"},
      {"duplicate member",
       R"({"v":1,"type":"presence.offline","id":"i","id":"j","ts":1,"from":"a","body":{}})",
       ""},
      {"call_id missing",
       R"({"v":1,"type":"call.accept","id":"i","ts":1,"from":"a","body":{}})", "call_id"},
      {"call_id missing rtc",
       R"({"v":1,"type":"rtc.answer","id":"i","ts":1,"from":"a","body":{"sdp":"v=0"}})",
       "call_id"},
      {"call_id empty",
       R"({"v":1,"type":"call.end","id":"i","ts":1,"from":"a","call_id":"","body":{"reason":"x"}})",
       "call_id"},
      {"call_id mistyped",
       R"({"v":1,"type":"call.end","id":"i","ts":1,"from":"a","call_id":3,"body":{"reason":"x"}})",
       "call_id"},
      {"room_id missing",
       R"({"v":1,"type":"chat.message","id":"i","ts":1,"from":"a","body":{"text":"hi"}})",
       "room_id"},
      {"sdp missing", with("{}"), "body.sdp"},
      {"sdp mistyped", with(R"({"sdp":1})"), "body.sdp"},
      {"sdp empty", with(R"({"sdp":""})"), "body.sdp"},
      {"sdp oversize", with(R"({"sdp":")" + big_sdp + "\"}"), "body.sdp"},
      {"candidate oversize",
       R"({"v":1,"type":"rtc.ice","id":"i","ts":1,"from":"a","call_id":"c","body":{"candidate":")" +
           big_cand + "\"}}",
       "body.candidate"},
      {"mline mistyped",
       R"({"v":1,"type":"rtc.ice","id":"i","ts":1,"from":"a","call_id":"c","body":{"candidate":"","sdp_mline_index":"0"}})",
       "body.sdp_mline_index"},
      {"mline null",
       R"({"v":1,"type":"rtc.ice","id":"i","ts":1,"from":"a","call_id":"c","body":{"candidate":"","sdp_mid":null}})",
       "body.sdp_mid"},
      {"text oversize",
       R"({"v":1,"type":"chat.message","id":"i","ts":1,"from":"a","room_id":"r","body":{"text":")" +
           big_text + "\"}}",
       "body.text"},
      {"text empty",
       R"({"v":1,"type":"chat.message","id":"i","ts":1,"from":"a","room_id":"r","body":{"text":""}})",
       "body.text"},
      {"request_id empty",
       R"({"v":1,"type":"chat.claim","id":"i","ts":1,"from":"a","room_id":"r","body":{"request_id":""}})",
       "body.request_id"},
      {"request_id oversize",
       R"({"v":1,"type":"chat.claim","id":"i","ts":1,"from":"a","room_id":"r","body":{"request_id":")" +
           big_id + "\"}}",
       "body.request_id"},
      {"by missing",
       R"({"v":1,"type":"chat.claimed","id":"i","ts":1,"from":"a","room_id":"r","body":{"request_id":"q"}})",
       "body.by"},
      {"typing mistyped",
       R"({"v":1,"type":"chat.typing","id":"i","ts":1,"from":"a","room_id":"r","body":{"on":1}})",
       "body.on"},
      {"bad role",
       R"({"v":1,"type":"presence.online","id":"i","ts":1,"from":"a","body":{"role":"god","status":"available"}})",
       "body.role"},
      {"bad status",
       R"({"v":1,"type":"presence.status","id":"i","ts":1,"from":"a","body":{"status":"Available"}})",
       "body.status"},
      {"bad media",
       R"({"v":1,"type":"call.request","id":"i","ts":1,"from":"a","body":{"media":"hologram"}})",
       "body.media"},
      {"bad preferred",
       R"({"v":1,"type":"chat.request","id":"i","ts":1,"from":"a","body":{"preferred":"robot"}})",
       "body.preferred"},
      {"bad kind",
       R"({"v":1,"type":"alert.raised","id":"i","ts":1,"from":"a","body":{"alert_id":"x","kind":"fire","level":"high"}})",
       "body.kind"},
      {"bad level",
       R"({"v":1,"type":"alert.raised","id":"i","ts":1,"from":"a","body":{"alert_id":"x","kind":"panic","level":"severe"}})",
       "body.level"},
      {"reason required",
       R"({"v":1,"type":"call.end","id":"i","ts":1,"from":"a","call_id":"c","body":{}})",
       "body.reason"},
      {"error code empty",
       R"({"v":1,"type":"error","id":"i","ts":1,"from":"a","body":{"code":"","message":"m"}})",
       "body.code"},
      {"nested too deep",
       R"({"v":1,"type":"error","id":"i","ts":1,"from":"a","body":{"code":{"a":{"b":{"c":[1]}}},"message":"m"}})",
       ""},
      {"invalid utf-8",
       "{\"v\":1,\"type\":\"presence.offline\",\"id\":\"\xFF\",\"ts\":1,\"from\":\"a\","
       "\"body\":{}}",
       ""},
  };
  for (const auto &c : cases) {
    CAPTURE(c.what);
    sg::codec_error err;
    err.field = "stale";
    auto r = sg::decode(c.json, err);
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == errc::signal_invalid);
    CHECK(err.field == c.field);
    // The message names the field (its last component) but not the value.
    if (!err.field.empty()) {
      const std::string last = err.field.substr(err.field.rfind('.') + 1);
      CHECK_MESSAGE(r.message().find(last) != std::string::npos, r.message());
    }
    CHECK(r.message().find("hologram") == std::string::npos);
    CHECK(r.message().find("Jane") == std::string::npos);
    CHECK(r.message().find("xxxx") == std::string::npos);
  }
}

TEST_CASE("limits are inclusive: exactly at the limit decodes") {
  sg::message m = base(sg::message_type::rtc_offer);
  m.body = sg::sdp_body{std::string(sg::max_sdp_bytes, 's')};
  m.id = std::string(sg::max_id_bytes, 'i');
  CHECK(sg::decode(sg::encode(m)).ok());
  sg::message c = base(sg::message_type::chat_message);
  c.body = sg::chat_message_body{std::string(sg::max_chat_text_bytes, 't')};
  CHECK(sg::decode(sg::encode(c)).ok());
  sg::message i = base(sg::message_type::rtc_ice);
  i.body =
      sg::ice_body{std::string(sg::max_candidate_bytes, 'c'), std::nullopt, std::nullopt};
  CHECK(sg::decode(sg::encode(i)).ok());
}

TEST_CASE("encode refuses what decode would refuse, naming the field") {
  sg::message m = base(sg::message_type::chat_message);
  m.body = sg::chat_message_body{"hi"};
  m.room_id.reset();
  sg::codec_error err;
  auto v = sg::validate(m, err);
  CHECK(v.code() == errc::signal_invalid);
  CHECK(err.field == "room_id");
  CHECK_THROWS_AS((void)sg::encode(m), veteran::error);

  sg::message wrong = base(sg::message_type::rtc_offer);
  wrong.body = sg::chat_message_body{"hi"}; // shape of another type
  CHECK(sg::validate(wrong, err).code() == errc::signal_invalid);
  CHECK(err.field == "body");

  sg::message bad_utf8 = base(sg::message_type::chat_message);
  bad_utf8.body = sg::chat_message_body{"\xC3"};
  CHECK(sg::validate(bad_utf8, err).code() == errc::signal_invalid);
  CHECK(err.field == "body.text");

  sg::message bad_enum = base(sg::message_type::call_request);
  bad_enum.body = sg::media_body{static_cast<sg::media>(9)};
  CHECK(sg::validate(bad_enum, err).code() == errc::signal_invalid);
  CHECK(err.field == "body.media");
}

TEST_CASE("optional call_id and room_id are kept where not required") {
  sg::message m = base(sg::message_type::call_request);
  m.body = sg::media_body{sg::media::audio};
  CHECK_FALSE(m.call_id);
  CHECK(sg::decode(sg::encode(m)).ok());
  sg::message r = base(sg::message_type::chat_request);
  CHECK_FALSE(r.room_id);
  r.call_id = "c-9"; // allowed, and kept
  auto back = sg::decode(sg::encode(r));
  REQUIRE(back.ok());
  CHECK(back->call_id == std::optional<std::string>("c-9"));
}

TEST_CASE("escaped member names and values read as their unescaped text") {
  // The parser hands over escaped text in parts; names and enum values are
  // matched on the whole unescaped text, as the JSON means.
  const std::string ok =
      R"({"\u0076":1,"type":"rtc.\u0069ce","id":"m-\u0031","ts":1,"from":"a",)"
      R"("call_id":"c","body":{"c\u0061ndidate":"x\ty","sdp_mid":"\u0030"}})";
  auto d = sg::decode(ok);
  REQUIRE_MESSAGE(d.ok(), d.message());
  CHECK(d->type == sg::message_type::rtc_ice);
  CHECK(d->id == "m-1");
  CHECK(std::get<sg::ice_body>(d->body).candidate == "x\ty");
  CHECK(std::get<sg::ice_body>(d->body).sdp_mid == std::optional<std::string>("0"));

  const std::string role =
      R"({"v":1,"type":"presence.online","id":"i","ts":1,"from":"a",)"
      R"("body":{"role":"c\u006funsellor","status":"in_c\u0068at"}})";
  auto r = sg::decode(role);
  REQUIRE_MESSAGE(r.ok(), r.message());
  CHECK(std::get<sg::presence_online_body>(r->body).role == sg::role::counsellor);
  CHECK(std::get<sg::presence_online_body>(r->body).status ==
        sg::presence_status::in_chat);

  // The same name spelled twice, once escaped, is still a duplicate.
  sg::codec_error err;
  auto dup = sg::decode(
      R"({"v":1,"\u0076":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})",
      err);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.message() == "envelope: duplicate member 'v' at $");
  CHECK(err.field.empty());
}

TEST_CASE("duplicates are refused at any depth, inside unknown members too") {
  const std::string head =
      R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{})";
  struct dup {
    std::string json;
    const char *message;
  };
  const std::vector<dup> cases = {
      {head + R"(,"body":{}})", "envelope: duplicate member 'body' at $"},
      {R"({"v":1,"type":"rtc.ice","id":"i","ts":1,"from":"a","call_id":"c","body":{"candidate":"","candidate":""}})",
       "envelope: duplicate member 'candidate' at $.body"},
      {head + R"(,"x":[1,{"k":{"a":1,"a":2}}]})",
       "envelope: duplicate member 'a' at $.x[1].k"},
      {head + R"(,"Jane Smith":{"q":1,"q":1}})", "envelope: duplicate member 'q' at $.?"},
      {head + R"(,"x":{"Jane Smith":1,"Jane Smith":1}})",
       "envelope: duplicate member name at $.x"},
  };
  for (const auto &c : cases) {
    CAPTURE(c.json);
    sg::codec_error err;
    auto r = sg::decode(c.json, err);
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == errc::signal_invalid);
    CHECK(r.message() == c.message);
    CHECK(err.field.empty());
  }
}

TEST_CASE("an oversize value is refused whatever comes after it") {
  // Strings stop being copied one byte past their limit; the refusal still
  // names the limit, and a later syntax error still wins (nothing is
  // reported before the whole text has been read).
  const std::string big(sg::max_sdp_bytes * 4, 's');
  const std::string text =
      R"({"v":1,"type":"rtc.offer","id":"i","ts":1,"from":"a","call_id":"c","body":{"sdp":")" +
      big + "\"}}";
  sg::codec_error err;
  auto r = sg::decode(text, err);
  REQUIRE_FALSE(r.ok());
  CHECK(err.field == "body.sdp");
  CHECK(r.message() == "body: \"sdp\" is longer than 65536 bytes");
  auto broken = sg::decode(text.substr(0, text.size() - 1), err);
  REQUIRE_FALSE(broken.ok());
  CHECK(err.field.empty());
  CHECK(broken.message().find("invalid JSON") != std::string::npos);
}
