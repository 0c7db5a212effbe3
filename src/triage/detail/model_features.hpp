// Internal: the features the learned model reads, hashed to 32 bits.
//
// One walk, two users: the engine sums the model's weights over it (model.cpp)
// and engine::model_features() lists it for the offline training script, so
// training and inference can never disagree about what a feature is.
//
// Features, each hashed with a seed of its own kind:
//   word      each normalised token (the pack's word when the tokenizer
//             resolved it — leetspeak, spacing, typos — else the folded text)
//   bigram    each pair of adjacent tokens; "<s>" stands before a sentence
//   char3     each character trigram of "^word$" (words up to 24 letters)
//   emoji     each emoji or pictograph code point in the original text
//   engine    the rules' findings: each category and multiplier kind seen,
//             the message's own and third-person levels, each suppression
//             reason, each trigger's tense and subject, and the token count
//             in buckets (1, 2-3, 4-7, 8-15, 16+)
#pragma once

#include <cstdint>
#include <string_view>

#include "triage/detail/match.hpp"
#include "triage/detail/rules.hpp"
#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace model_hash {

enum seed : std::uint32_t {
  word = 0x9e3779b9u,
  bigram = 0x85ebca6bu,
  char3 = 0xc2b2ae35u,
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

inline constexpr std::size_t kMaxModelWord = 24;

/// Code point of the UTF-8 sequence at text[i] when it is an emoji or
/// pictograph (U+2190..U+2BFF arrows/symbols/dingbats, U+1F000..U+1FAFF),
/// else 0; `len` receives the sequence length.
inline std::uint32_t emoji_at(std::string_view text, std::size_t i,
                              std::size_t &len) noexcept {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 == 0xF0 && i + 3 < text.size()) {
    len = 4;
    const std::uint32_t cp = (static_cast<std::uint32_t>(text[i + 1] & 0x3F) << 12) |
                             (static_cast<std::uint32_t>(text[i + 2] & 0x3F) << 6) |
                             (static_cast<std::uint32_t>(text[i + 3] & 0x3F));
    return cp >= 0x1F000 && cp <= 0x1FAFF ? cp : 0;
  }
  if (b0 == 0xE2 && i + 2 < text.size()) {
    len = 3;
    const std::uint32_t cp = 0x2000 | (static_cast<std::uint32_t>(text[i + 1] & 0x3F) << 6) |
                             (static_cast<std::uint32_t>(text[i + 2] & 0x3F));
    return cp >= 0x2190 && cp <= 0x2BFF ? cp : 0;
  }
  len = 1;
  return 0;
}

/// Calls emit(hash) for every feature of the message. `s` and `m` are the
/// matcher's scratch and the rules' result for `text`; `a` the assessment the
/// rules filled (suppressions, triggers).
template <class Emit>
void for_each_model_feature(std::string_view text, const compiled_pack &cp,
                            const match_scratch &s, const message_result &m,
                            const assessment &a, Emit &&emit) {
  using namespace model_hash;
  std::uint32_t prev = seed::sentence_start;
  std::uint32_t prev_sentence = 0;
  char padded[kMaxModelWord + 2];
  for (std::size_t k = 0; k < s.tokens.size(); ++k) {
    const mtoken &t = s.tokens[k];
    std::string_view w = t.id != 0 ? std::string_view(cp.token_text[t.id])
                                   : std::string_view(s.buf.data() + t.text_begin,
                                                      t.text_len);
    if (w.size() > kMaxModelWord) w = w.substr(0, kMaxModelWord);
    const std::uint32_t wh = fnv(seed::word, w.data(), w.size());
    emit(wh);
    if (k > 0 && t.sentence != prev_sentence) prev = seed::sentence_start;
    emit(combine(prev ^ seed::bigram, wh));
    prev = wh;
    prev_sentence = t.sentence;
    padded[0] = '^';
    for (std::size_t i = 0; i < w.size(); ++i)
      padded[i + 1] = w[i];
    padded[w.size() + 1] = '$';
    for (std::size_t i = 0; i + 3 <= w.size() + 2; ++i)
      emit(fnv(seed::char3, padded + i, 3));
  }
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0xE2) {
      ++i;
      continue;
    }
    std::size_t len = 1;
    if (const std::uint32_t cp_emoji = emoji_at(text, i, len))
      emit(combine(seed::emoji, cp_emoji));
    i += len;
  }
  for (int c = 0; c < category_count; ++c)
    if (m.categories & (1u << c)) emit(tagged(1, static_cast<std::uint32_t>(c)));
  for (int k = 0; k < multiplier_kind_count; ++k)
    if (m.multipliers & (1u << k)) emit(tagged(2, static_cast<std::uint32_t>(k)));
  emit(tagged(3, static_cast<std::uint32_t>(m.own)));
  emit(tagged(4, static_cast<std::uint32_t>(m.other)));
  for (const auto &sup : a.suppressed)
    emit(tagged(5, fnv(seed::engine, sup.reason.data(), sup.reason.size())));
  for (const auto &tr : a.triggers)
    emit(tagged(6, static_cast<std::uint32_t>(tr.when) << 8 |
                       static_cast<std::uint32_t>(tr.who) << 4 |
                       static_cast<std::uint32_t>(tr.effective)));
  const std::size_t n = s.tokens.size();
  const std::uint32_t bucket = n <= 1 ? 0 : n <= 3 ? 1 : n <= 7 ? 2 : n <= 15 ? 3 : 4;
  emit(tagged(7, bucket));
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
