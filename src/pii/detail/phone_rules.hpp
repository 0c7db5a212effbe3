// Internal: UK numbering-plan length rules shared by phone normalisation and
// redaction.
#pragma once

#include <string_view>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

/// True if `nsn` (the UK national significant number: digits after +44 or
/// after the trunk 0) has a length the UK plan allows for its leading digit:
/// 2x, 3x, 5x, 7x, 9x take 10 digits; 1x and 8x take 9 or 10; others none.
[[nodiscard]] constexpr bool uk_nsn_length_ok(std::string_view nsn) noexcept {
  if (nsn.empty()) return false;
  switch (nsn[0]) {
  case '2':
  case '3':
  case '5':
  case '7':
  case '9':
    return nsn.size() == 10;
  case '1':
  case '8':
    return nsn.size() == 9 || nsn.size() == 10;
  default:
    return false;
  }
}

} // namespace pii::detail
VETERAN_NAMESPACE_END
