// veteran/error.hpp — the SDK's error model.
//
// Every fallible call either returns `result<T>` (value or error) or throws
// `veteran::error`. Both carry an `errc` whose numeric value is pinned: a
// number, once published, is never reused for another meaning, because the C
// ABI (negative codes), the Python exception classes and the CLI exit codes
// are all derived from it.
//
// Messages name what was wrong (the field, index or limit) and never contain
// the value that was rejected: values may be personal data.
//
// Thread safety: all types here are value types; distinct objects may be used
// from distinct threads freely.
#pragma once

#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "veteran/error_table.h"
#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN

/// Error codes, from the one table in veteran/error_table.h (numbers pinned
/// forever: append new codes, never renumber). The C API returns
/// `-static_cast<int>(code)`; the table documents each code.
enum class errc : int {
#define VETERAN_ERRC_ENUMERATOR(name, NAME, number, text) name = number,
  VETERAN_ERROR_TABLE(VETERAN_ERRC_ENUMERATOR)
#undef VETERAN_ERRC_ENUMERATOR
};

/// Short stable identifier for a code, e.g. "invalid_argument". Never NULL;
/// unknown values give "unknown".
[[nodiscard]] const char *errc_name(errc code) noexcept;
/// One-line English description of a code. Never NULL.
[[nodiscard]] const char *errc_description(errc code) noexcept;

/// The exception thrown by throwing APIs and by `result<T>::value()` on error.
class error : public std::runtime_error {
public:
  error(errc code, const std::string &message)
      : std::runtime_error(message), code_(code) {}
  [[nodiscard]] errc code() const noexcept { return code_; }

private:
  errc code_;
};

/// A code plus a human message (no personal data in it).
struct error_info {
  errc code = errc::internal;
  std::string message;
};

/// Holds either a T or an error_info. Cheap to move. Accessing the value of an
/// error result throws `veteran::error` with the stored code and message.
template <class T> class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T>, "result<T&> is not supported");

public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  result(error_info err) : state_(std::in_place_index<1>, std::move(err)) {}
  result(errc code, std::string message)
      : state_(std::in_place_index<1>, error_info{code, std::move(message)}) {}

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  /// errc::ok when holding a value.
  [[nodiscard]] errc code() const noexcept {
    return ok() ? errc::ok : std::get<1>(state_).code;
  }
  /// Empty when holding a value.
  [[nodiscard]] const std::string &message() const noexcept {
    static const std::string empty;
    return ok() ? empty : std::get<1>(state_).message;
  }
  /// Precondition: !ok().
  [[nodiscard]] const error_info &error() const & { return std::get<1>(state_); }

  T &value() & {
    throw_if_error();
    return std::get<0>(state_);
  }
  const T &value() const & {
    throw_if_error();
    return std::get<0>(state_);
  }
  T &&value() && {
    throw_if_error();
    return std::get<0>(std::move(state_));
  }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }

private:
  void throw_if_error() const {
    if (!ok()) {
      const auto &e = std::get<1>(state_);
      throw veteran::error(e.code, e.message);
    }
  }
  std::variant<T, error_info> state_;
};

/// result<void>: success or an error.
template <> class [[nodiscard]] result<void> {
public:
  result() = default;
  result(error_info err) : err_(std::move(err)), ok_(false) {}
  result(errc code, std::string message) : err_{code, std::move(message)}, ok_(false) {}
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  [[nodiscard]] errc code() const noexcept { return ok_ ? errc::ok : err_.code; }
  [[nodiscard]] const std::string &message() const noexcept { return err_.message; }
  [[nodiscard]] const error_info &error() const & { return err_; }
  void value() const {
    if (!ok_) throw veteran::error(err_.code, err_.message);
  }

private:
  error_info err_{errc::ok, {}};
  bool ok_ = true;
};

/// Runs `fn` and converts any exception into an error_info. Used at API edges
/// (C ABI, CLI, Python) so no exception escapes where it must not.
template <class Fn> error_info capture_error(Fn &&fn) noexcept {
  try {
    fn();
    return {errc::ok, {}};
  } catch (const veteran::error &e) {
    return {e.code(), e.what()};
  } catch (const std::bad_alloc &) {
    return {errc::out_of_memory, "out of memory"};
  } catch (const std::exception &e) {
    return {errc::internal, std::string("internal error: ") + e.what()};
  } catch (...) {
    return {errc::internal, "internal error: unknown exception"};
  }
}

VETERAN_NAMESPACE_END
