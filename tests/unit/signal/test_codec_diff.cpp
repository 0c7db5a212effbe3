// Differential test: the library's decoder against the document-based
// decoder it replaced (codec_oracle.hpp, test-only). On valid envelopes of
// every type, on a hand-written malformed set and on many random mutations
// (of bytes and of JSON structure), both must accept the same inputs with
// equal messages, and refuse the same inputs with the same message and field.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <random>
#include <string>
#include <vector>

#include "codec_oracle.hpp"
#include "veteran/signal.hpp"

namespace sg = veteran::signal;
namespace json = boost::json;

namespace {

/// Decodes `text` with both decoders; returns false (after reporting) when
/// they disagree.
bool agree(const std::string &text) {
  sg::codec_error e_new, e_old;
  e_new.field = "stale";
  e_old.field = "stale";
  auto a = sg::decode(text, e_new);
  auto b = codec_oracle::decode(text, e_old);
  bool same = a.ok() == b.ok() && e_new.field == e_old.field;
  if (same && a.ok()) same = *a == *b && sg::encode(*a) == codec_oracle::encode(*b);
  if (same && !a.ok()) same = a.code() == b.code() && a.message() == b.message();
  if (!same) {
    CAPTURE(text);
    CAPTURE(a.ok());
    CAPTURE(b.ok());
    CAPTURE(e_new.field);
    CAPTURE(e_old.field);
    CAPTURE(a.ok() ? std::string("ok") : a.message());
    CAPTURE(b.ok() ? std::string("ok") : b.message());
    FAIL_CHECK("decoders disagree");
  }
  return same;
}

std::vector<std::string> seeds() {
  const std::string sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=\"x\"\\y\r\n";
  return {
      R"({"v":1,"type":"presence.online","id":"m-1","ts":5,"from":"a","body":{"role":"counsellor","status":"off_duty"}})",
      R"({"v":1,"type":"presence.status","id":"m-1","ts":5,"from":"a","body":{"status":"in_chat"}})",
      R"({"v":1,"type":"presence.offline","id":"m-1","ts":5,"from":"a","body":{}})",
      R"({"v":1,"type":"call.request","id":"m-1","ts":5,"from":"a","to":"b","body":{"media":"video"}})",
      R"({"v":1,"type":"call.invite","id":"m-1","ts":5,"from":"a","to":"b","call_id":"c","body":{"media":"audio"}})",
      R"({"v":1,"type":"call.ringing","id":"m-1","ts":5,"from":"a","call_id":"c","body":{}})",
      R"({"v":1,"type":"call.reject","id":"m-1","ts":5,"from":"a","call_id":"c","body":{"reason":"no"}})",
      R"({"v":1,"type":"call.end","id":"m-1","ts":5,"from":"a","call_id":"c","body":{"reason":""}})",
      R"({"v":1,"type":"rtc.offer","id":"m-1","ts":5,"from":"a","call_id":"c","body":{"sdp":)" +
          json::serialize(json::string(sdp)) + "}}",
      R"({"v":1,"type":"rtc.ice","id":"m-1","ts":1700000000123,"from":"u-8f14e45fceea167a","call_id":"c-45c48cce2e2d7fbd","body":{"candidate":"candidate:1 1 udp 2122260223 192.168.1.4 40000 typ host","sdp_mid":"0","sdp_mline_index":0}})",
      R"({"v":1,"type":"rtc.ice","id":"m-1","ts":5,"from":"a","call_id":"c","body":{"candidate":""}})",
      R"({"v":1,"type":"chat.request","id":"m-1","ts":5,"from":"a","call_id":"c","body":{"preferred":"peer","reason":"lonely","alert_id":"a-9","session_id":"s-3"}})",
      R"({"v":1,"type":"chat.offered","id":"m-1","ts":5,"from":"a","room_id":"r","body":{"request_id":"q"}})",
      R"({"v":1,"type":"chat.claimed","id":"m-1","ts":5,"from":"a","room_id":"r","body":{"request_id":"q","by":"s"}})",
      R"({"v":1,"type":"chat.message","id":"m-1","ts":5,"from":"a","room_id":"r","body":{"text":"hello \u2713 \"q\"\n"}})",
      R"({"v":1,"type":"chat.typing","id":"m-1","ts":5,"from":"a","room_id":"r","body":{"on":false}})",
      R"({"v":1,"type":"chat.read","id":"m-1","ts":5,"from":"a","room_id":"r","body":{"up_to":"m-0"}})",
      R"({"v":1,"type":"chat.leave","id":"m-1","ts":5,"from":"a","room_id":"r","body":{}})",
      R"({"v":1,"type":"alert.raised","id":"m-1","ts":5,"from":"a","body":{"alert_id":"x","kind":"panic","level":"critical"}})",
      R"({"v":1,"type":"alert.escalated","id":"m-1","ts":5,"from":"a","body":{"alert_id":"x"}})",
      R"({"v":1,"type":"error","id":"m-1","ts":5,"from":"a","body":{"code":"signal_invalid","message":"bad","ref":"m-0"}})",
      // Out of canonical order: body before type.
      R"({"body":{"sdp_mline_index":1,"candidate":"c"},"call_id":"c","from":"a","ts":1,"id":"i","type":"rtc.ice","v":1})",
  };
}

/// Values a mutation may put in place of a member's value.
const std::vector<std::string> &replacement_values() {
  static const std::vector<std::string> v = {
      R"("")",
      R"("x")",
      "0",
      "1",
      "-1",
      "1.5",
      "1e0",
      "18446744073709551615",
      "9223372036854775808",
      "65535",
      "65536",
      "true",
      "false",
      "null",
      "[]",
      "{}",
      R"({"a":1})",
      R"({"a":{"b":[1,{"c":1}]}})",
      R"({"a":1,"a":2})",
      R"([{"k":1,"k":1}])",
      R"("audio")",
      R"("peer")",
      R"("rtc.ice")",
      R"("chat.message")",
      R"("call.end")",
      R"("panic")",
      R"("high")",
      R"("in_call")",
      R"("\ud800")",
      std::string("\"") + std::string(129, 'i') + "\"",
      std::string("\"") + std::string(2049, 'c') + "\"",
  };
  return v;
}

const std::vector<std::string> &member_names() {
  static const std::vector<std::string> v = {"v",
                                             "type",
                                             "id",
                                             "ts",
                                             "from",
                                             "to",
                                             "call_id",
                                             "room_id",
                                             "body",
                                             "role",
                                             "status",
                                             "media",
                                             "reason",
                                             "sdp",
                                             "candidate",
                                             "sdp_mid",
                                             "sdp_mline_index",
                                             "preferred",
                                             "alert_id",
                                             "session_id",
                                             "request_id",
                                             "by",
                                             "text",
                                             "on",
                                             "up_to",
                                             "kind",
                                             "level",
                                             "code",
                                             "message",
                                             "ref",
                                             "admin",
                                             "Jane Smith",
                                             "\\u0076",
                                             "",
                                             "x"};
  return v;
}

/// Splices a structural change into `text` (which need not stay valid).
std::string mutate(const std::string &text, std::mt19937 &rng) {
  std::string s = text;
  const auto pick = [&](std::size_t n) { return n ? rng() % n : 0; };
  switch (rng() % 9) {
  case 0: // delete a byte
    if (!s.empty()) s.erase(pick(s.size()), 1);
    break;
  case 1: { // insert a JSON-ish byte
    static const char alphabet[] = "{}[]\":,0123456789-.eEtrufalsn \\x\x80\xff";
    s.insert(pick(s.size() + 1), 1, alphabet[pick(sizeof alphabet - 1)]);
    break;
  }
  case 2: // replace a byte
    if (!s.empty()) s[pick(s.size())] = static_cast<char>(rng() & 0xFF);
    break;
  case 3: { // replace the value after a colon
    std::vector<std::size_t> colons;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s[i] == ':') colons.push_back(i);
    if (colons.empty()) break;
    const std::size_t c = colons[pick(colons.size())] + 1;
    std::size_t end = c;
    if (end < s.size() && s[end] == '"') {
      ++end;
      while (end < s.size() && s[end] != '"')
        end += s[end] == '\\' ? 2 : 1;
      ++end;
    } else {
      while (end < s.size() && s[end] != ',' && s[end] != '}')
        ++end;
    }
    const auto &vals = replacement_values();
    s.replace(c, std::min(end, s.size()) - c, vals[pick(vals.size())]);
    break;
  }
  case 4: { // add a member right after an opening brace
    std::vector<std::size_t> braces;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s[i] == '{') braces.push_back(i);
    if (braces.empty()) break;
    const auto &names = member_names();
    const auto &vals = replacement_values();
    s.insert(braces[pick(braces.size())] + 1,
             "\"" + names[pick(names.size())] + "\":" + vals[pick(vals.size())] + ",");
    break;
  }
  case 5: { // rename a member
    std::vector<std::size_t> keys;
    for (std::size_t i = 1; i < s.size(); ++i)
      if (s[i] == '"' && (s[i - 1] == '{' || s[i - 1] == ',')) keys.push_back(i);
    if (keys.empty()) break;
    const std::size_t k = keys[pick(keys.size())];
    const std::size_t e = s.find('"', k + 1);
    if (e == std::string::npos) break;
    const auto &names = member_names();
    s.replace(k + 1, e - k - 1, names[pick(names.size())]);
    break;
  }
  case 6: { // remove a member (from its key to the next comma)
    std::vector<std::size_t> keys;
    for (std::size_t i = 1; i < s.size(); ++i)
      if (s[i] == '"' && s[i - 1] == ',') keys.push_back(i - 1);
    if (keys.empty()) break;
    const std::size_t k = keys[pick(keys.size())];
    std::size_t e = s.find_first_of(",}", k + 1);
    if (e == std::string::npos) break;
    s.erase(k, e - k);
    break;
  }
  case 7: // whitespace
    s.insert(pick(s.size() + 1), pick(2) ? " " : "\n\t");
    break;
  default: // truncate
    s.resize(pick(s.size() + 1));
    break;
  }
  return s;
}

} // namespace

TEST_CASE("decoder agrees with the document-based oracle on valid envelopes") {
  for (const auto &s : seeds()) {
    CAPTURE(s);
    CHECK(sg::decode(s).ok());
    CHECK(agree(s));
  }
}

TEST_CASE("decoder agrees with the oracle on hand-written malformed envelopes") {
  const std::string h =
      R"({"v":1,"type":"rtc.ice","id":"i","ts":1,"from":"a","call_id":"c",)";
  const std::vector<std::string> cases = {
      "",
      " ",
      "{",
      "[1]",
      "\"x\"",
      "null",
      "{}",
      "{} {}",
      "{}x",
      h + R"("body":{"candidate":"x"}} )",
      h + R"("body":{"candidate":"x"},"body":{}})",
      h + R"("body":{"candidate":"x","candidate":"y"}})",
      h + R"("body":{"candidate":"x"},"x":{"a":1,"a":2}})",
      h + R"("body":{"candidate":"x"},"x":[1,{"a":1,"a":2}]})",
      h + R"("body":{"candidate":"x"},"x":[1,[2,{"a":{"b":1,"b":2}}]]})",
      h + R"("body":{"candidate":"x"},"x":[[[[1]]]]})",
      h + R"("body":{"candidate":"x","Jane Smith":1,"sdp":"x"}})",
      h + R"("body":{"sdp":"x","Jane Smith":1}})",
      h + R"("body":{"candidate":"x","ice":1,"sdp":"x"}})",
      h + R"("body":{"Jane Smith":1,"Jane Smith":2}})",
      h + R"("Jane Smith":1,"Jane Smith":2,"body":{}})",
      h + R"("x":1,"y":2,"body":{}})",
      h + R"("body":{"candidate":"x","sdp_mline_index":65536}})",
      h + R"("body":{"candidate":"x","sdp_mline_index":-1}})",
      h + R"("body":{"candidate":"x","sdp_mline_index":1.0}})",
      h + R"("body":{"candidate":"x","sdp_mline_index":18446744073709551615}})",
      h + R"("body":{"candidate":"x","sdp_mid":""}})",
      h + R"("body":{"candidate":"x","sdp_mid":")" + std::string(129, 'm') + "\"}}",
      h + R"("body":{"candidate":")" + std::string(2048, 'c') + "\"}}",
      h + R"("body":{"candidate":")" + std::string(2049, 'c') + "\"}}",
      h + R"("body":{"candidate":")" + std::string(3000, 'c') + "\\n\"}}",
      h + R"("body":{"candidate":"\ud83d\ude00"}})",
      h + R"("body":{"candidate":"\ud83d"}})",
      h + "\"body\":{\"candidate\":\"\xC3\"}}",
      R"({"v":1,"type":"rtc.ice","id":")" + std::string(129, 'i') +
          R"(","ts":-5,"from":"","body":{}})",
      R"({"v":1.0,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})",
      R"({"v":18446744073709551615,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})",
      R"({"v":1,"type":"presence.offline","id":"i","ts":18446744073709551615,"from":"a","body":{}})",
      R"({"v":1,"type":"presence.offline","id":"i","ts":9223372036854775807,"from":"a","body":{}})",
      R"({"v":1,"type":")" + std::string(40, 't') +
          R"(","id":"i","ts":1,"from":"a","body":{}})",
      R"({"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{},"to":null})",
      R"({"v":1,"type":"presence.online","id":"i","ts":1,"from":"a","body":{"role":")" +
          std::string(40, 'r') + R"(","status":"available"}})",
      R"({"\u0076":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})",
      R"({"v":1,"v":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})",
      R"({"v":1,"\u0076":1,"type":"presence.offline","id":"i","ts":1,"from":"a","body":{}})",
      R"({"v":1,"type":"chat.typing","id":"i","ts":1,"from":"a","body":{"on":null}})",
      R"({"v":1,"type":"chat.message","id":"i","ts":1,"from":"a","body":{"text":""}})",
      R"({"v":1,"type":"chat.message","id":"i","ts":1,"from":"a","call_id":"","body":{"text":"x"}})",
      R"({"v":1,"type":"error","id":"i","ts":1,"from":"a","body":{"code":{"a":{"b":{"c":[1]}}},"message":"m"}})",
      R"({"v":1,"type":"error","id":"i","ts":1,"from":"a","body":{"code":{"a":{"b":[1]}},"message":"m"}})",
  };
  for (const auto &c : cases)
    CHECK(agree(c));
}

TEST_CASE("decoder agrees with the oracle on random mutations") {
  std::mt19937 rng(20261129);
  const auto base = seeds();
  int accepted = 0, refused = 0, failures = 0;
  for (int i = 0; i < 60000 && failures < 10; ++i) {
    std::string s = base[rng() % base.size()];
    const int rounds = 1 + static_cast<int>(rng() % 3);
    for (int r = 0; r < rounds; ++r)
      s = mutate(s, rng);
    if (!agree(s)) ++failures;
    (sg::decode(s).ok() ? accepted : refused)++;
  }
  CHECK(failures == 0);
  // The mutations reach both outcomes, not just parse errors.
  CHECK(accepted > 1000);
  CHECK(refused > 10000);
}
