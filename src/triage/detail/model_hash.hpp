// Internal: the hashes of the learned model's features (model_features.hpp),
// shared with the pack compiler, which hashes every vocabulary word once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace model_hash {

enum seed : std::uint32_t {
  word = 0x9e3779b9u,
  bigram = 0x85ebca6bu,
  skip_bigram = 0xc2b2ae35u,
  emoji = 0x27d4eb2fu,
  engine = 0x165667b1u,
  sentence_start = 0x61c88647u,
};

inline std::uint32_t fnv(std::uint32_t h, const char *p, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 16777619u;
  }
  return h;
}

/// Combines two 32-bit hashes (order matters).
inline std::uint32_t combine(std::uint32_t a, std::uint32_t b) noexcept {
  std::uint64_t x = (static_cast<std::uint64_t>(a) << 32 | b) * 0x9e3779b97f4a7c15ull;
  return static_cast<std::uint32_t>(x >> 29) ^ static_cast<std::uint32_t>(x);
}

inline std::uint32_t tagged(std::uint32_t tag, std::uint32_t value) noexcept {
  return combine(seed::engine ^ tag, value);
}

} // namespace model_hash

/// Longest prefix of a word that is hashed.
inline constexpr std::size_t kMaxModelWord = 24;

/// The word feature of a normalised word (the pack's word when the tokenizer
/// resolved one, else the folded text).
inline std::uint32_t word_hash(std::string_view w) noexcept {
  if (w.size() > kMaxModelWord) w = w.substr(0, kMaxModelWord);
  return model_hash::fnv(model_hash::seed::word, w.data(), w.size());
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
