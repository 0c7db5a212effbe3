// Internal helpers shared by every extern "C" wrapper. Not installed.
//
// `guard(fn)` is the only way a wrapper calls into C++: it converts results and
// exceptions into a negative return code and the per-thread last error, so no
// exception ever crosses the C boundary.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>

#include "veteran/error.hpp"

namespace veteran::c_api {

/// Records an error for the calling thread and returns its C code (< 0).
int set_error(veteran::errc code, const std::string &message) noexcept;
int set_error(const veteran::error_info &info) noexcept;

/// C code for an errc (0 for ok).
constexpr int to_c(veteran::errc code) noexcept {
  return -static_cast<int>(code);
}

/// Calls fn(); fn returns void, int (already a C code) or veteran::result<T>.
/// Any exception becomes VETERAN_E_INTERNAL / VETERAN_E_OUT_OF_MEMORY.
template <class Fn> int guard(Fn &&fn) noexcept {
  int rc = 0;
  auto info = veteran::capture_error([&] {
    using R = std::invoke_result_t<Fn>;
    if constexpr (std::is_void_v<R>) {
      fn();
    } else if constexpr (std::is_same_v<R, int>) {
      rc = fn();
    } else {
      auto r = fn();
      if (!r.ok()) throw veteran::error(r.code(), r.message());
    }
  });
  if (info.code != veteran::errc::ok) return set_error(info);
  return rc;
}

/// Checks a required pointer argument; returns 0 or sets invalid_argument.
int require(const void *ptr, const char *name) noexcept;

/// Copies `text` into a caller buffer following veteran.h's buffer rules.
int write_text(const std::string &text, char *buf, std::size_t cap,
               std::size_t *out_len) noexcept;

} // namespace veteran::c_api
