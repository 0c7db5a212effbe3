// Internal: strict JSON reading shared by every module (nobody else's
// business; not installed).
//
// Boost.JSON alone keeps the last of two members with the same name, so
// `{"text": "I want to die", "text": "hi"}` would silently read as "hi". Every
// input the SDK reads (JSONL lines, key files, packs, session state) goes
// through parse_strict(), which refuses duplicate members at any depth and
// names where they are.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

struct json_read_options {
  /// Deepest nesting of arrays and objects accepted.
  std::size_t max_depth = 32;
  /// Keep bytes that are not valid UTF-8 inside strings as they are, for
  /// callers that repair or tolerate them (triage input). Off: parse_error.
  bool allow_invalid_utf8 = false;
  /// Read a `\uXXXX` escape of an unpaired UTF-16 surrogate (half an emoji,
  /// as browsers send it) as U+FFFD instead of failing.
  bool replace_lone_surrogates = false;
};

/// Parses `text` as exactly one JSON document.
/// Errors: parse_error — "<what>: invalid JSON at byte N (reason)", or
/// "<what>: duplicate member 'NAME' at PATH" (PATH like `$.keys[2]`; NAME is
/// shown only when it is a short identifier, since a member name in user data
/// could itself be personal), or "<what>: nested deeper than N levels".
/// Never throws except std::bad_alloc.
[[nodiscard]] result<boost::json::value>
parse_strict(std::string_view text, std::string_view what,
             const json_read_options &options = {});

/// Calls `fn(s)` for every string value (not member names) in `v`, depth
/// first: for repairing or wiping what a document holds.
template <class Fn> void for_each_string(boost::json::value &v, Fn &&fn) {
  if (auto *s = v.if_string()) {
    fn(*s);
  } else if (auto *a = v.if_array()) {
    for (auto &e : *a)
      for_each_string(e, fn);
  } else if (auto *o = v.if_object()) {
    for (auto &kv : *o)
      for_each_string(kv.value(), fn);
  }
}

/// Replaces each `\uXXXX` escape of an unpaired surrogate inside the JSON
/// strings of `text` with `\uFFFD` (same length, so byte offsets of
/// everything else stay put). Escaped backslashes are respected.
void replace_lone_surrogate_escapes(std::string &text) noexcept;

/// Reads the members of one JSON object strictly. Every error is thrown as
/// veteran::error(`code`) with a message that starts with `where` and names
/// the member (never its value): `phrases[3] (id "x"): "weight" must be a
/// number`. One reader for every format the SDK parses (packs, session
/// state, key files, resources, signalling), so they all fail alike.
class json_object_reader {
public:
  /// Throws `where: must be an object` unless `v` is an object. `v` must
  /// outlive the reader.
  json_object_reader(const boost::json::value &v, std::string where,
                     errc code = errc::parse_error);

  [[nodiscard]] const std::string &where() const noexcept { return where_; }
  [[nodiscard]] const boost::json::object &object() const noexcept { return *object_; }

  /// Throws `unknown key "k"` for the first member not in `allowed`.
  void allow_only(std::initializer_list<std::string_view> allowed) const;

  /// The member, or null when absent.
  [[nodiscard]] const boost::json::value *find(std::string_view key) const;
  /// Required string member (`missing "k"`, `"k" must be a string`).
  [[nodiscard]] std::string string(std::string_view key) const;
  /// String member, or `fallback` when absent or null.
  [[nodiscard]] std::string string_or(std::string_view key, std::string fallback) const;
  /// Required number (integer or not).
  [[nodiscard]] double number(std::string_view key) const;
  /// Required integer within [min, max] (`"k" must be an integer from A to B`).
  [[nodiscard]] std::int64_t integer(std::string_view key, std::int64_t min,
                                     std::int64_t max) const;
  /// Required array; `optional_array` gives null when absent.
  [[nodiscard]] const boost::json::array &array(std::string_view key) const;
  [[nodiscard]] const boost::json::array *optional_array(std::string_view key) const;

  /// Throws veteran::error(code, where + ": " + what).
  [[noreturn]] void fail(const std::string &what) const;

private:
  const boost::json::object *object_;
  std::string where_;
  errc code_;
};

} // namespace util
VETERAN_NAMESPACE_END
