// Internal: wiping secrets held in ordinary strings (passphrases, key text,
// plaintexts) with sodium_memzero, which the compiler cannot elide.
#pragma once

#include <string>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

/// Overwrites every byte of `s` with zeros; the size is unchanged.
void wipe(std::string &s) noexcept;

/// Wipes the string it refers to when it goes out of scope, on every path.
struct wipe_on_exit {
  std::string &s;
  wipe_on_exit(const wipe_on_exit &) = delete;
  wipe_on_exit &operator=(const wipe_on_exit &) = delete;
  ~wipe_on_exit() { wipe(s); }
};

} // namespace util
VETERAN_NAMESPACE_END
