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

/// Replaces each `\uXXXX` escape of an unpaired surrogate inside the JSON
/// strings of `text` with `\uFFFD` (same length, so byte offsets of
/// everything else stay put). Escaped backslashes are respected.
void replace_lone_surrogate_escapes(std::string &text) noexcept;

} // namespace util
VETERAN_NAMESPACE_END
