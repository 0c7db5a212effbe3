// errc, result<T>, error and capture_error.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "veteran/error.hpp"

using veteran::errc;

TEST_CASE("errc numbers are pinned") {
  // These numbers are ABI (C return codes) and must never change.
  CHECK(static_cast<int>(errc::ok) == 0);
  CHECK(static_cast<int>(errc::invalid_argument) == 1);
  CHECK(static_cast<int>(errc::not_found) == 4);
  CHECK(static_cast<int>(errc::conflict) == 5);
  CHECK(static_cast<int>(errc::internal) == 9);
  CHECK(static_cast<int>(errc::buffer_too_small) == 17);
  CHECK(static_cast<int>(errc::pack_invalid) == 20);
  CHECK(static_cast<int>(errc::key_missing) == 30);
  CHECK(static_cast<int>(errc::context_mismatch) == 35);
  CHECK(static_cast<int>(errc::signal_invalid) == 40);
}

TEST_CASE("every errc has a distinct name and a description") {
  std::set<std::string> names;
  for (int i = 0; i < 64; ++i) {
    const auto code = static_cast<errc>(i);
    const std::string name = veteran::errc_name(code);
    if (name == "unknown") {
      CHECK(std::string(veteran::errc_description(code)) == "unknown error");
      continue;
    }
    CHECK(names.insert(name).second);
    CHECK(std::string(veteran::errc_description(code)) != "unknown error");
  }
  CHECK(names.size() >= 26);
}

TEST_CASE("result<T> holds a value or an error") {
  veteran::result<int> good = 42;
  CHECK(good.ok());
  CHECK(good.code() == errc::ok);
  CHECK(good.value() == 42);
  CHECK(*good == 42);
  CHECK(good.message().empty());

  veteran::result<int> bad(errc::not_found, "record id not found");
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(static_cast<bool>(bad));
  CHECK(bad.code() == errc::not_found);
  CHECK(bad.message() == "record id not found");
  try {
    (void)bad.value();
    FAIL("value() of an error result must throw");
  } catch (const veteran::error &e) {
    CHECK(e.code() == errc::not_found);
    CHECK(std::string(e.what()) == "record id not found");
  }
}

TEST_CASE("result<T> moves its value out") {
  veteran::result<std::string> r = std::string(100, 'x');
  std::string s = std::move(r).value();
  CHECK(s.size() == 100);
}

TEST_CASE("result<void>") {
  veteran::result<void> good;
  CHECK(good.ok());
  CHECK_NOTHROW(good.value());
  veteran::result<void> bad(errc::invalid_state, "claim: chat already ended");
  CHECK_FALSE(bad.ok());
  CHECK(bad.code() == errc::invalid_state);
  CHECK_THROWS_AS(bad.value(), veteran::error);
}

TEST_CASE("capture_error converts every exception kind") {
  CHECK(veteran::capture_error([] {}).code == errc::ok);
  auto e1 = veteran::capture_error(
      [] { throw veteran::error(errc::conflict, "already claimed"); });
  CHECK(e1.code == errc::conflict);
  CHECK(e1.message == "already claimed");
  CHECK(veteran::capture_error([] { throw std::bad_alloc(); }).code ==
        errc::out_of_memory);
  auto e3 = veteran::capture_error([] { throw std::runtime_error("boom"); });
  CHECK(e3.code == errc::internal);
  CHECK(e3.message.find("boom") != std::string::npos);
  CHECK(veteran::capture_error([] { throw 7; }).code == errc::internal);
}
