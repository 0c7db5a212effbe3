// veteran/pii/phone.hpp — phone number normalisation to E.164.
//
// Accepted inputs (separators: spaces, hyphens, dots, parentheses):
//   UK national      07700 900123, (020) 7946 0018, 01632 960 001
//   UK international +44 7700 900123, +44 (0)7700-900123, 0044 7700 900123
//   other countries  +1 202 555 0143, 0033 1 23 45 67 89 (00 = international)
// Output is E.164, matching ^\+[1-9]\d{6,14}$. UK numbers must have 9 or 10
// digits after the country code.
//
// Errors: invalid_argument with a message naming `field` and the rule broken
// (never echoing the number): empty, characters that are not part of a phone
// number, no country code, wrong length, misplaced '+'. limit_exceeded for
// inputs longer than 64 bytes.
//
// Thread safety: pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

/// Normalises `input` to E.164. `field` names the input in error messages.
[[nodiscard]] result<std::string> normalise_phone(std::string_view input,
                                                  std::string_view field = "phone");

/// True if `text` matches ^\+[1-9]\d{6,14}$ exactly.
[[nodiscard]] bool is_e164(std::string_view text) noexcept;

} // namespace pii
VETERAN_NAMESPACE_END
