// Character folding for the triage normaliser: UTF-8 decoding and the mapping
// of every code point to what the tokenizer should see.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

enum class char_class : std::uint8_t {
  separator,    ///< ends a token (space, most punctuation, invalid bytes)
  letter,       ///< folded to 1-2 lower-case ASCII letters in `ascii`
  digit,        ///< '0'..'9' (kept; leetspeak is resolved per token)
  leet_symbol,  ///< '@' or '$': part of a token, treated as leetspeak
  bang,         ///< '!': leetspeak inside a word, sentence end otherwise
  apostrophe,   ///< joins "can't" into "cant"; separator at token edges
  ignorable,    ///< zero-width, soft hyphen, combining marks: skipped entirely
  sentence_end, ///< . ? ; newline, ellipsis
  clause_break, ///< , : ( ) [ ] en/em dash
  quote,        ///< double quotes, guillemets
};

struct folded_char {
  char_class cls = char_class::separator;
  char ascii[2] = {0, 0}; ///< for letter: one or two letters ("ss" for ß)
  std::uint8_t ascii_len = 0;
  std::uint8_t bytes = 1; ///< bytes consumed from the input (>= 1)
};

/// Folding of the 128 ASCII bytes (the hot path; see fold.cpp).
extern const folded_char ascii_fold_table[128];

/// What a byte does between words (outside a token) when it only ends a word
/// or counts a sentence or clause: the tokenizer skips runs of these without
/// its general step. sep_other for every other byte (letters, digits,
/// apostrophes, quotes, non-ASCII ...).
enum separator_effect : std::uint8_t {
  sep_other = 0,
  sep_space,
  sep_sentence,
  sep_clause
};
extern const std::array<std::uint8_t, 256> ascii_separator_effect;

/// True for a byte that ends an ASCII word exactly as a space would
/// (separator, sentence end, clause break, double quote); false for bytes
/// that may continue or change the word ('!', apostrophes, non-ASCII ...).
extern const std::array<bool, 256> ascii_plain_word_end;

/// Decodes and folds a non-ASCII character starting at text[i].
folded_char fold_non_ascii_at(std::string_view text, std::size_t i) noexcept;

/// Decodes and folds the character starting at text[i] (i < text.size()).
/// Invalid or truncated UTF-8 consumes one byte and is a separator.
inline folded_char fold_at(std::string_view text, std::size_t i) noexcept {
  const auto b = static_cast<unsigned char>(text[i]);
  return b < 0x80 ? ascii_fold_table[b] : fold_non_ascii_at(text, i);
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
