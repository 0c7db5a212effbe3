// The C boundary: no exception crosses it; every failure sets the last error.
#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "detail/c_api.hpp"
#include "veteran.h"

using veteran::c_api::guard;

TEST_CASE("guard turns a throwing core into an error code") {
  veteran_error_clear();
  int rc = guard([]() -> int { throw std::runtime_error("core exploded"); });
  CHECK(rc == VETERAN_E_INTERNAL);
  CHECK(veteran_error_last_code() == VETERAN_E_INTERNAL);
  CHECK(std::string(veteran_error_last()).find("core exploded") != std::string::npos);

  rc = guard([] { throw std::bad_alloc(); });
  CHECK(rc == VETERAN_E_OUT_OF_MEMORY);
  rc = guard([] { throw 42; });
  CHECK(rc == VETERAN_E_INTERNAL);
  rc = guard([] { throw veteran::error(veteran::errc::conflict, "already claimed"); });
  CHECK(rc == VETERAN_E_CONFLICT);
  CHECK(std::string(veteran_error_last()) == "already claimed");
}

TEST_CASE("guard passes results through") {
  CHECK(guard([] { return veteran::result<int>(5); }) == VETERAN_OK);
  CHECK(guard([] {
          return veteran::result<int>(veteran::errc::key_unknown, "key id not in ring");
        }) == VETERAN_E_KEY_UNKNOWN);
  CHECK(std::string(veteran_error_last()) == "key id not in ring");
  CHECK(guard([] {}) == VETERAN_OK);
}

TEST_CASE("veteran_error_last never returns NULL and is per thread") {
  veteran_error_clear();
  REQUIRE(veteran_error_last() != nullptr);
  CHECK(std::strlen(veteran_error_last()) == 0);
  CHECK(veteran_error_last_code() == VETERAN_OK);
  (void)guard([] { throw veteran::error(veteran::errc::not_found, "main thread"); });
  std::string other;
  int other_code = 1;
  std::thread([&] {
    other = veteran_error_last();
    other_code = veteran_error_last_code();
  }).join();
  CHECK(other.empty());
  CHECK(other_code == VETERAN_OK);
  CHECK(std::string(veteran_error_last()) == "main thread");
}

TEST_CASE("write_text follows the caller-buffer rules") {
  std::size_t len = 0;
  char small[4] = {'a', 'b', 'c', 'd'};
  CHECK(veteran::c_api::write_text("hello", small, sizeof small, &len) ==
        VETERAN_E_BUFFER_TOO_SMALL);
  CHECK(len == 5);
  CHECK(small[0] == 'a'); // untouched
  char big[6];
  CHECK(veteran::c_api::write_text("hello", big, sizeof big, &len) == VETERAN_OK);
  CHECK(std::string(big) == "hello");
  CHECK(veteran::c_api::write_text("x", big, sizeof big, nullptr) ==
        VETERAN_E_INVALID_ARGUMENT);
  CHECK(std::string(veteran_error_last()).find("out_len") != std::string::npos);
}

TEST_CASE("strerror covers known and unknown codes") {
  CHECK(std::string(veteran_strerror(VETERAN_OK)) == "success");
  CHECK(std::string(veteran_strerror(VETERAN_E_CONFLICT)).find("claimed") !=
        std::string::npos);
  CHECK(std::string(veteran_strerror(-999)) == "unknown error");
  CHECK(std::string(veteran_strerror(12345)) == "unknown error");
}
