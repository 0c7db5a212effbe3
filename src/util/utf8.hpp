// Internal: the one UTF-8 decoder the modules share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

/// One decoded character. `length` is the number of bytes consumed: for an
/// invalid, overlong, surrogate or truncated sequence it is 1 and `valid` is
/// false (so a decoder loop always advances and resynchronises).
struct utf8_char {
  std::uint32_t code_point;
  std::uint8_t length;
  bool valid;
};

/// Decodes the character starting at text[i]. Precondition: i < text.size().
[[nodiscard]] utf8_char decode_utf8_at(std::string_view text, std::size_t i) noexcept;

/// True if `text` is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF).
[[nodiscard]] bool valid_utf8(std::string_view text) noexcept;

/// `text` with every byte that does not start a valid character replaced by
/// U+FFFD (one replacement per invalid byte). Valid text is returned as is.
[[nodiscard]] std::string repair_utf8(std::string_view text);

/// Appends the UTF-8 form of `code_point` (must be a scalar value).
void append_utf8(std::string &out, std::uint32_t code_point);

} // namespace util
VETERAN_NAMESPACE_END
