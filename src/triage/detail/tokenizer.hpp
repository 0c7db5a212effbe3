// The tokenizer shared by pack compilation (patterns) and assessment
// (messages): splits folded text into raw word tokens with byte spans,
// sentence indices and evasion hints. No allocation beyond `buf`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "triage/detail/fold.hpp"

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

struct raw_token {
  std::uint32_t text_begin = 0, text_len = 0; ///< lower-case ASCII in the buffer
  std::uint32_t start = 0, end = 0;            ///< span in the original text
  std::uint32_t sentence = 0;
  bool quoted = false;
  bool has_alpha = false, has_leet = false;    ///< leet: digits or @ $ ! with letters
  bool clause_before = false;                  ///< clause punctuation since previous token
};

/// ASCII word characters, for the tokenizer's tight inner loop.
struct ascii_word_char {
  char lower = 0;       ///< 0: not a word character (take the general path)
  std::uint8_t bits = 0; ///< 1: letter, 2: digit or leet symbol
};
struct ascii_word_table {
  ascii_word_char c[256];
  constexpr ascii_word_table() : c() {
    for (int b = 'a'; b <= 'z'; ++b) c[b] = {static_cast<char>(b), 1};
    for (int b = 'A'; b <= 'Z'; ++b) c[b] = {static_cast<char>(b - 'A' + 'a'), 1};
    for (int b = '0'; b <= '9'; ++b) c[b] = {static_cast<char>(b), 2};
    c[static_cast<int>('@')] = {'@', 2};
    c[static_cast<int>('$')] = {'$', 2};
    c[static_cast<int>('*')] = {'*', 2};
  }
};
inline constexpr ascii_word_table kAsciiWord{};

/// Calls on_token(const raw_token&) for each token of `text`; token text is
/// written to `buf` (which is overwritten). Returns the buffer offset where an
/// unclosed double quote opened (tokens from there on were reported as quoted
/// but the quote never closed, so callers must not treat them as quoted), or
/// UINT32_MAX when every quote closed.
template <class OnToken>
std::uint32_t scan_tokens(std::string_view text, std::string &buf, OnToken &&on_token) {
  // Folding emits at most 2 letters per input byte; write through a pointer
  // (this loop is the hottest code in triage).
  buf.resize(text.size() * 2 + 16);
  char *const out = &buf[0];
  std::uint32_t w = 0;
  raw_token cur;
  bool in_token = false, quoted = false, squoted = false, clause_pending = false;
  std::uint32_t sentence = 0;
  std::uint32_t quote_opened_at = 0, squote_opened_at = 0;
  auto finish = [&] {
    if (!in_token) return;
    cur.text_len = w - cur.text_begin;
    if (cur.text_len > 0) {
      on_token(static_cast<const raw_token &>(cur));
    }
    in_token = false;
  };
  auto start_token = [&](std::size_t at) {
    cur = raw_token{};
    cur.text_begin = w;
    cur.start = static_cast<std::uint32_t>(at);
    cur.sentence = sentence;
    cur.quoted = quoted || squoted;
    cur.clause_before = clause_pending;
    clause_pending = false;
    in_token = true;
  };
  auto put = [&](char c) { out[w++] = c; };
  auto next_is_letter = [&](std::size_t j) {
    return j < text.size() && fold_at(text, j).cls == char_class::letter;
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    // Fast path: a run of ASCII word characters.
    if (kAsciiWord.c[static_cast<unsigned char>(text[i])].lower) {
      if (!in_token) start_token(i);
      std::uint8_t bits = 0;
      do {
        const auto x = kAsciiWord.c[static_cast<unsigned char>(text[i])];
        if (!x.lower) break;
        out[w++] = x.lower;
        bits |= x.bits;
      } while (++i < n);
      cur.has_alpha = cur.has_alpha || (bits & 1);
      cur.has_leet = cur.has_leet || (bits & 2);
      cur.end = static_cast<std::uint32_t>(i);
      continue;
    }
    const folded_char f = fold_at(text, i);
    const std::size_t at = i;
    i += f.bytes;
    switch (f.cls) {
    case char_class::letter:
      if (!in_token) start_token(at);
      cur.has_alpha = true;
      put(f.ascii[0]);
      if (f.ascii_len == 2) put(f.ascii[1]);
      cur.end = static_cast<std::uint32_t>(i);
      break;
    case char_class::digit:
    case char_class::leet_symbol:
      if (!in_token) start_token(at);
      cur.has_leet = true;
      put(f.ascii[0]);
      cur.end = static_cast<std::uint32_t>(i);
      break;
    case char_class::bang:
      // "d!e": leetspeak when inside a word and followed by a letter.
      if (in_token && next_is_letter(i)) {
        cur.has_leet = true;
        put('!');
        cur.end = static_cast<std::uint32_t>(i);
        break;
      }
      finish();
      ++sentence;
      break;
    case char_class::apostrophe:
      // Inside a word ("can't") it vanishes. Before a word it may open a
      // single-quoted span ('I hate myself'); after a word it may close one.
      if (in_token && next_is_letter(i)) break;
      if (!in_token && !squoted && next_is_letter(i)) {
        squoted = true;
        squote_opened_at = w;
      } else if (in_token && squoted) {
        finish();
        squoted = false;
        break;
      }
      finish();
      break;
    case char_class::ignorable:
      break; // zero-width characters never split a word
    case char_class::sentence_end:
      finish();
      ++sentence;
      break;
    case char_class::clause_break:
      finish();
      clause_pending = true;
      break;
    case char_class::quote:
      finish();
      quoted = !quoted;
      if (quoted) quote_opened_at = w;
      break;
    case char_class::separator:
      finish();
      break;
    }
  }
  finish();
  // Keep 16 readable bytes past the last token for string_table::get_padded.
  buf.resize(w + 16);
  std::uint32_t unclosed = UINT32_MAX;
  if (quoted) unclosed = quote_opened_at;
  if (squoted && squote_opened_at < unclosed) unclosed = squote_opened_at;
  return unclosed;
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
