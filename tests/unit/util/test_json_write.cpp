// The one JSON writer: plain decimals, same structure as Boost.JSON.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "util/json_write.hpp"

namespace util = veteran::util;
namespace json = boost::json;

TEST_CASE("doubles print as the shortest plain decimal and keep a decimal point") {
  auto num = [](double d) {
    std::string s;
    util::append_json_number(s, d);
    return s;
  };
  CHECK(num(0.85) == "0.85");
  CHECK(num(0.4375) == "0.4375");
  CHECK(num(1.0) == "1.0");
  CHECK(num(0.0) == "0.0");
  CHECK(num(-2.5) == "-2.5");
  CHECK(num(1e-7) == "0.0000001");
  CHECK(num(std::nan("")) == "null");
  CHECK(num(std::numeric_limits<double>::infinity()) == "null");
  // Reads back to the same value (strtod: exact for every digit count).
  for (double d : {0.1, 1.0 / 3.0, 0.95, 123456.789, 5e-324, 1.7976931348623157e308}) {
    CAPTURE(d);
    CHECK(std::strtod(num(d).c_str(), nullptr) == d);
  }
}

TEST_CASE("write_json keeps structure, order, integers and escaping") {
  json::value v = json::parse(
      R"({"b":[1,-2,18446744073709551615,true,null],"a":"x\"y\n\u00e9","s":0.5})");
  CHECK(util::write_json(v) == "{\"b\":[1,-2,18446744073709551615,true,null],\"a\":"
                               "\"x\\\"y\\n\xC3\xA9\",\"s\":0.5}");
  CHECK(json::parse(util::write_json(v)) == v);
  CHECK(util::write_json(json::object{}) == "{}");
  CHECK(util::write_json(json::array{}) == "[]");
}

TEST_CASE("json_text_writer places commas and escapes like write_json") {
  util::json_text_writer w;
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.value(std::uint64_t{1});
  w.value(0.25);
  w.null();
  w.begin_object();
  w.end_object();
  w.end_array();
  w.key("s\"q");
  w.value(std::string_view("x\n"));
  w.key("id");
  w.raw("[1,2]");
  w.key("t");
  w.value(true);
  w.end_object();
  const std::string text = w.take();
  CHECK(text == R"({"a":[1,0.25,null,{}],"s\"q":"x\n","id":[1,2],"t":true})");
  CHECK(util::write_json(json::parse(text)) == text);
}

TEST_CASE("json_text_writer escapes every byte exactly as Boost.JSON serialize") {
  std::string all;
  for (int c = 0; c < 256; ++c)
    all += static_cast<char>(c);
  for (const std::string &s :
       {all, std::string(), std::string("plain"), std::string("\"\\\"\\"),
        std::string("a\x01b\x1f\x7f\xE2\x9C\x93 \r\n\t\b\f /")}) {
    util::json_text_writer w;
    w.begin_object();
    w.key(s);
    w.value(std::string_view(s));
    w.end_object();
    const std::string quoted = json::serialize(json::string_view(s.data(), s.size()));
    CHECK(w.text() == "{" + quoted + ":" + quoted + "}");
  }
}

TEST_CASE("json_text_writer escapes a special byte at every offset of a long string") {
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
    for (std::size_t at = 0; at < 40; ++at) {
      std::string s(40, 'a');
      s[at] = special;
      util::json_text_writer w;
      w.value(std::string_view(s));
      CHECK(w.text() == json::serialize(json::string_view(s.data(), s.size())));
    }
  }
}
