// The shared UTF-8 decoder.
#include <doctest/doctest.h>

#include "util/utf8.hpp"

namespace util = veteran::util;

TEST_CASE("decode_utf8_at decodes every length and refuses what is not UTF-8") {
  CHECK(util::decode_utf8_at("A", 0).code_point == 0x41);
  const auto e = util::decode_utf8_at("\xC3\xA9", 0);
  CHECK((e.valid && e.length == 2 && e.code_point == 0xE9));
  const auto euro = util::decode_utf8_at("\xE2\x82\xAC", 0);
  CHECK((euro.valid && euro.length == 3 && euro.code_point == 0x20AC));
  const auto emoji = util::decode_utf8_at("\xF0\x9F\x98\x80", 0);
  CHECK((emoji.valid && emoji.length == 4 && emoji.code_point == 0x1F600));
  for (const char *bad :
       {"\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"}) {
    CAPTURE(bad);
    const auto c = util::decode_utf8_at(bad, 0);
    CHECK_FALSE(c.valid);
    CHECK(c.length == 1);
  }
}

TEST_CASE("valid_utf8 and repair_utf8 agree") {
  CHECK(util::valid_utf8("plain ascii text, long enough for the fast path"));
  CHECK(util::valid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  CHECK_FALSE(util::valid_utf8("0123456789abcdef\xFF"));
  CHECK(util::repair_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(util::repair_utf8("a\xFF"
                          "b\xE2\x82") == "a\xEF\xBF\xBD"
                                          "b\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(util::valid_utf8(util::repair_utf8("\xED\xA0\x80\xC0\xAF")));
}
