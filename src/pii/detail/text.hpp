// Internal: text normalisation shared by the blind index and redaction.
#pragma once

#include "veteran/version.hpp"
#include <string>
#include <string_view>

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

/// Simple case folding of one code point (ASCII, Latin-1, Latin Extended-A,
/// Greek, Cyrillic basic ranges); other code points are returned unchanged.
[[nodiscard]] char32_t fold_code_point(char32_t cp) noexcept;

/// Name normalisation for blind indexes: case-folded, trimmed, inner
/// whitespace runs (ASCII whitespace, U+00A0) collapsed to one space.
/// Precondition: `value` is valid UTF-8.
[[nodiscard]] std::string fold_name(std::string_view value);

} // namespace pii::detail
VETERAN_NAMESPACE_END
