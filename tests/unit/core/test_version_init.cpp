// Version agreement and global init.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "veteran.h"
#include "veteran/init.hpp"
#include "veteran/version.hpp"

TEST_CASE("runtime, macro and C versions agree") {
  CHECK(std::string(veteran::version()) == VETERAN_VERSION_STRING);
  CHECK(std::string(veteran_version_string()) == VETERAN_VERSION_STRING);
  CHECK(std::string(VETERAN_VERSION_STRING_C) == VETERAN_VERSION_STRING);
  CHECK(veteran::version_major() == VETERAN_VERSION_MAJOR);
  CHECK(veteran_version_minor() == VETERAN_VERSION_MINOR);
  CHECK(veteran_version_patch() == VETERAN_VERSION_PATCH);
  CHECK(VETERAN_VERSION_NUMBER ==
        VETERAN_VERSION_MAJOR * 10000 + VETERAN_VERSION_MINOR * 100 +
            VETERAN_VERSION_PATCH);
}

TEST_CASE("global_init is idempotent and thread-safe") {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j)
        if (!veteran::global_init().ok()) ++failures;
    });
  for (auto &t : threads) t.join();
  CHECK(failures == 0);
  CHECK(veteran::global_initialized());
}

TEST_CASE("C global init is reference counted") {
  REQUIRE(veteran_global_init() == VETERAN_OK);
  REQUIRE(veteran_global_init() == VETERAN_OK);
  CHECK(veteran::global_initialized());
  CHECK(veteran_global_shutdown() == 1);
  CHECK(veteran::global_initialized());
  CHECK(veteran_global_shutdown() == 0);
  CHECK_FALSE(veteran::global_initialized());
  CHECK(veteran_global_shutdown() == 0); // extra release is ignored
  // The C++ entry point brings it back for everything else in the process.
  CHECK(veteran::global_init().ok());
  CHECK(veteran::global_initialized());
}
