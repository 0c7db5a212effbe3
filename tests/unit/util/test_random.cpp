// util::random_id / random_hex / random_bytes.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "util/random.hpp"

namespace util = veteran::util;
using veteran::errc;

namespace {
bool url_safe(const std::string &s) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}
} // namespace

TEST_CASE("random_id is unpadded base64url of the requested size") {
  CHECK(util::random_id().value().size() == 22); // 16 bytes by default
  const std::pair<std::size_t, std::size_t> sizes[] = {
      {1, 2}, {2, 3}, {3, 4}, {12, 16}, {16, 22}, {32, 43}, {64, 86}};
  for (auto [bytes, chars] : sizes) {
    CAPTURE(bytes);
    const std::string id = util::random_id(bytes).value();
    CHECK(id.size() == chars);
    CHECK(url_safe(id));
  }
  CHECK(util::random_id(0).code() == errc::invalid_argument);
  CHECK(util::random_id(util::max_random_id_bytes + 1).code() == errc::invalid_argument);
}

TEST_CASE("random ids do not repeat and use the whole alphabet") {
  std::set<std::string> seen;
  std::set<char> chars;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = util::random_id(16).value();
    CHECK(seen.insert(id).second);
    chars.insert(id.begin(), id.end() - 1); // the last one carries 2 spare bits
  }
  CHECK(chars.size() == 64); // 2000 x 21 draws: every character shows up
}

TEST_CASE("random_hex and random_bytes") {
  const std::string h = util::random_hex(4).value();
  CHECK(h.size() == 8);
  CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
  std::set<std::string> draws;
  for (int i = 0; i < 10; ++i)
    draws.insert(util::random_hex(4).value());
  CHECK(draws.size() > 1);
  CHECK(util::random_hex(0).code() == errc::invalid_argument);
  unsigned char a[32] = {}, b[32] = {};
  REQUIRE(util::random_bytes(a, sizeof a));
  REQUIRE(util::random_bytes(b, sizeof b));
  CHECK(std::string(a, a + 32) != std::string(b, b + 32));
  CHECK(util::random_bytes(nullptr, 0));
}
