// veteran/triage/normalizer.hpp — evasion-resistant text normalisation.
//
// Turns raw UTF-8 into lower-case ASCII word tokens while remembering, for each
// token, the byte span it came from in the original text. Handles case,
// NFKC-style folding (full-width, mathematical alphanumerics, accents),
// curly quotes, zero-width characters, Cyrillic/Greek look-alike letters,
// leetspeak, letter spacing ("d i e"), stretched letters ("killlll"),
// run-together words and the pack's lexicon of slang and misspellings.
// Invalid UTF-8 bytes are treated as separators; spans stay valid.
//
// Thread safety: normalize() is reentrant; the pack is only read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/triage/pack.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

/// A normalised token. `text` is lower-case ASCII; [start, end) is the byte
/// span in the original text (several tokens may share one span when a
/// lexicon entry or run-together word expanded into several words).
struct token {
  std::string text;
  std::uint32_t start = 0, end = 0;
  std::uint32_t sentence = 0; ///< index of the sentence the token is in
  std::uint32_t clause = 0;   ///< index of the clause (commas, "but", ...)
  bool quoted = false;        ///< inside double quotes
};

/// Normalises `text` with `p`'s lexicon and vocabulary. Never throws except
/// std::bad_alloc.
[[nodiscard]] std::vector<token> normalize(std::string_view text, const pack &p);

} // namespace triage
VETERAN_NAMESPACE_END
