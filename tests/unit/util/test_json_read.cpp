// The shared strict JSON reader: duplicates, depth, surrogates, UTF-8, errors.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "util/json_read.hpp"

using veteran::errc;
namespace util = veteran::util;

TEST_CASE("parse_strict reads ordinary JSON") {
  auto v = util::parse_strict(R"({"a": [1, {"b": "c"}], "d": null})", "doc");
  REQUIRE(v);
  CHECK(v->at("a").at(1).at("b").as_string() == "c");
}

TEST_CASE("parse_strict rejects duplicate members at any depth and says where") {
  struct probe {
    const char *json;
    const char *message;
  };
  const probe probes[] = {
      {R"({"text": "I want to die", "text": "hi"})", "doc: duplicate member 'text' at $"},
      {R"({"keys": [{"id": 1}, {"id": 2, "id": 3}]})",
       "doc: duplicate member 'id' at $.keys[1]"},
      {R"([[], [1, {"a": {"b": 1, "b": 2}}]])", "doc: duplicate member 'b' at $[1][1].a"},
  };
  for (const auto &p : probes) {
    CAPTURE(p.json);
    auto v = util::parse_strict(p.json, "doc");
    REQUIRE_FALSE(v);
    CHECK(v.code() == errc::parse_error);
    CHECK(v.message() == p.message);
  }
  // The same name in sibling objects is fine.
  CHECK(util::parse_strict(R"([{"a": 1}, {"a": 2}])", "doc"));
}

TEST_CASE("a member name that could be user text is not printed") {
  auto v = util::parse_strict(R"({"my name is Sam Jones": 1, "my name is Sam Jones": 2})",
                              "doc");
  REQUIRE_FALSE(v);
  CHECK(v.message().find("Sam") == std::string::npos);
  CHECK(v.message() == "doc: duplicate member name at $");
}

TEST_CASE("parse errors give a byte offset and no library source path") {
  auto v = util::parse_strict(R"({"a": tru})", "pack");
  REQUIRE_FALSE(v);
  CHECK(v.code() == errc::parse_error);
  CHECK(v.message().rfind("pack: invalid JSON at byte ", 0) == 0);
  CHECK(v.message().find(".hpp") == std::string::npos);
  CHECK(v.message().find("boost") == std::string::npos);
  CHECK_FALSE(util::parse_strict("{} {}", "doc"));
  CHECK_FALSE(util::parse_strict("", "doc"));
}

TEST_CASE("nesting is bounded") {
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  auto v = util::parse_strict(deep, "doc");
  REQUIRE_FALSE(v);
  CHECK(v.message() == "doc: nested deeper than 32 levels");
  util::json_read_options o;
  o.max_depth = 64;
  CHECK(util::parse_strict(deep, "doc", o));
}

TEST_CASE("invalid UTF-8 in strings is refused unless the caller allows it") {
  const std::string bad = "{\"t\": \"a\xff"
                          "b\"}";
  CHECK_FALSE(util::parse_strict(bad, "doc"));
  util::json_read_options o;
  o.allow_invalid_utf8 = true;
  auto v = util::parse_strict(bad, "doc", o);
  REQUIRE(v);
  CHECK(v->at("t").as_string() == "a\xff"
                                  "b");
}

TEST_CASE("lone surrogate escapes become U+FFFD only when asked") {
  const std::string half = R"({"t": "x \ud83d y", "u": "\udc00", "ok": "\ud83d\ude00"})";
  CHECK_FALSE(util::parse_strict(half, "doc"));
  util::json_read_options o;
  o.replace_lone_surrogates = true;
  auto v = util::parse_strict(half, "doc", o);
  REQUIRE(v);
  CHECK(v->at("t").as_string() == "x \xEF\xBF\xBD y");
  CHECK(v->at("u").as_string() == "\xEF\xBF\xBD");
  CHECK(v->at("ok").as_string() == "\xF0\x9F\x98\x80"); // a real pair is kept
}

TEST_CASE("surrogate repair respects escaped backslashes and keeps offsets") {
  std::string text = R"(["\\ud800", "\\\ud800", "a\"\ud800"])";
  const std::size_t size = text.size();
  util::replace_lone_surrogate_escapes(text);
  CHECK(text.size() == size);
  // \\ud800 is a backslash then the letters "ud800": not an escape, untouched.
  CHECK(text == R"(["\\ud800", "\\\uFFFD", "a\"\uFFFD"])");
  std::string outside = R"({"k\ud800": 1})";
  util::replace_lone_surrogate_escapes(outside);
  CHECK(outside == R"({"k\uFFFD": 1})");
}

TEST_CASE("parse_strict builds the same document as Boost.JSON in its one pass") {
  const char *texts[] = {
      R"({"a": [1, -2, 3.5, true, false, null, {"b": "c\n\u00e9"}], "d": {}, "e": []})",
      R"("just a string")",
      "18446744073709551615",
      "-9223372036854775808",
      "[]",
      " {\"x\" : 1}  \n"};
  for (const char *t : texts) {
    CAPTURE(t);
    auto v = util::parse_strict(t, "doc");
    REQUIRE(v.ok());
    CHECK(*v == boost::json::parse(t));
  }
  auto trailing = util::parse_strict("{\"a\":1} x", "doc");
  REQUIRE_FALSE(trailing.ok());
  CHECK(trailing.message().find("invalid JSON") != std::string::npos);
}
