// util::wipe and util::wipe_on_exit.
#include <doctest/doctest.h>

#include <string>

#include "util/secret.hpp"

namespace util = veteran::util;

TEST_CASE("wipe zeroes a string in place and wipe_on_exit does so on scope exit") {
  std::string s = "correct horse battery staple";
  util::wipe(s);
  CHECK(s == std::string(28, '\0'));
  std::string empty;
  util::wipe(empty);
  CHECK(empty.empty());
  std::string key = "secret key text";
  {
    util::wipe_on_exit guard{key};
    CHECK(key == "secret key text");
  }
  CHECK(key == std::string(15, '\0'));
}
