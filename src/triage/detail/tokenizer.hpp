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
  std::uint32_t start = 0, end = 0;           ///< span in the original text
  std::uint32_t sentence = 0;
  bool quoted = false;
  bool has_alpha = false, has_leet = false; ///< leet: digits or @ $ ! with letters
  bool clause_before = false;               ///< clause punctuation since previous token
};

/// ASCII word characters, for the tokenizer's tight inner loop.
struct ascii_word_char {
  char lower = 0;        ///< 0: not a word character (take the general path)
  std::uint8_t bits = 0; ///< 1: letter, 2: digit or leet symbol
};
struct ascii_word_table {
  ascii_word_char c[256];
  constexpr ascii_word_table() : c() {
    for (int b = 'a'; b <= 'z'; ++b)
      c[b] = {static_cast<char>(b), 1};
    for (int b = 'A'; b <= 'Z'; ++b)
      c[b] = {static_cast<char>(b - 'A' + 'a'), 1};
    for (int b = '0'; b <= '9'; ++b)
      c[b] = {static_cast<char>(b), 2};
    c[static_cast<int>('@')] = {'@', 2};
    c[static_cast<int>('$')] = {'$', 2};
    c[static_cast<int>('*')] = {'*', 2};
  }
};
inline constexpr ascii_word_table kAsciiWord{};

/// The tokenizer's state machine, resumable one step at a time so that the
/// message tokenizer can take its own fast path between steps (normalizer.cpp).
/// Token text is written to `buf` (overwritten; its size is not the text's).
class token_scanner {
public:
  token_scanner(std::string_view text, std::string &buf) : text_(text) {
    // Folding emits at most 2 letters per input byte; 16 spare bytes let a
    // fast path store whole words and let a key prefix be loaded as two
    // 8-byte words past the end of the last token. The buffer only grows (no zero-fill
    // per message) and is written through a pointer (hot loop).
    const std::size_t need = text.size() * 2 + 16;
    if (buf.size() < need) buf.resize(need);
    out_ = &buf[0];
  }

  [[nodiscard]] bool done() const noexcept { return i_ >= text_.size(); }
  [[nodiscard]] std::size_t pos() const noexcept { return i_; }
  [[nodiscard]] bool in_token() const noexcept { return in_token_; }
  [[nodiscard]] char *out() const noexcept { return out_; }

  /// Where a word taken by take_word() is, as the general path would have
  /// reported it.
  struct word_at {
    std::uint32_t text_begin, start, end, sentence;
    bool quoted, clause_before;
  };
  /// Takes a word of `len` input bytes at the current position that produces
  /// `len` bytes of token text, which the caller writes to out() + text_begin
  /// itself. The caller has checked that the word ends there and is not a
  /// single letter. Precondition: !in_token().
  word_at take_word(std::uint32_t len) noexcept {
    const auto at = static_cast<std::uint32_t>(i_);
    const word_at r{w_,
                    at,
                    at + len,
                    sentence_,
                    static_cast<bool>(quoted_ | squoted_),
                    clause_pending_};
    clause_pending_ = false;
    w_ += len;
    i_ += len;
    return r;
  }

  /// Consumes the run of bytes at pos() that only separate words or count
  /// sentences and clauses (ascii_separator_effect), exactly as step() would
  /// but without its general dispatch. Precondition: !in_token().
  void skip_separators() noexcept {
    const std::size_t n = text_.size();
    for (; i_ < n; ++i_) {
      const auto e = ascii_separator_effect[static_cast<unsigned char>(text_[i_])];
      if (e == sep_other) return;
      sentence_ += e == sep_sentence;
      clause_pending_ = clause_pending_ || e == sep_clause;
    }
  }

  /// Consumes at least one byte; calls on_token(const raw_token&) for a token
  /// that ends.
  template <class OnToken> void step(OnToken &on_token) {
    const std::size_t n = text_.size();
    std::size_t i = i_;
    // Fast path: a run of ASCII word characters.
    if (kAsciiWord.c[static_cast<unsigned char>(text_[i])].lower) {
      if (!in_token_) start_token(i);
      std::uint8_t bits = 0;
      do {
        const auto x = kAsciiWord.c[static_cast<unsigned char>(text_[i])];
        if (!x.lower) break;
        out_[w_++] = x.lower;
        bits |= x.bits;
      } while (++i < n);
      cur_.has_alpha = cur_.has_alpha || (bits & 1);
      cur_.has_leet = cur_.has_leet || (bits & 2);
      cur_.end = static_cast<std::uint32_t>(i);
      i_ = i;
      return;
    }
    const folded_char f = fold_at(text_, i);
    const std::size_t at = i;
    i += f.bytes;
    i_ = i;
    switch (f.cls) {
    case char_class::letter:
      if (!in_token_) start_token(at);
      cur_.has_alpha = true;
      put(f.ascii[0]);
      if (f.ascii_len == 2) put(f.ascii[1]);
      cur_.end = static_cast<std::uint32_t>(i);
      break;
    case char_class::digit:
    case char_class::leet_symbol:
      if (!in_token_) start_token(at);
      cur_.has_leet = true;
      put(f.ascii[0]);
      cur_.end = static_cast<std::uint32_t>(i);
      break;
    case char_class::bang:
      // "d!e": leetspeak when inside a word and followed by a letter.
      if (in_token_ && next_is_letter(i)) {
        cur_.has_leet = true;
        put('!');
        cur_.end = static_cast<std::uint32_t>(i);
        break;
      }
      finish(on_token);
      ++sentence_;
      break;
    case char_class::apostrophe:
      // Inside a word ("can't") it vanishes. Before a word it may open a
      // single-quoted span ('I hate myself'); after a word it may close one.
      if (in_token_ && next_is_letter(i)) break;
      if (!in_token_ && !squoted_ && next_is_letter(i)) {
        squoted_ = true;
        squote_opened_at_ = w_;
      } else if (in_token_ && squoted_) {
        finish(on_token);
        squoted_ = false;
        break;
      }
      finish(on_token);
      break;
    case char_class::ignorable:
      break; // zero-width characters never split a word
    case char_class::sentence_end:
      finish(on_token);
      ++sentence_;
      break;
    case char_class::clause_break:
      finish(on_token);
      clause_pending_ = true;
      break;
    case char_class::quote:
      finish(on_token);
      quoted_ = !quoted_;
      if (quoted_) quote_opened_at_ = w_;
      break;
    case char_class::separator:
      finish(on_token);
      break;
    }
  }

  /// Reports the last token and trims the buffer. Returns the buffer offset
  /// where an unclosed quote opened (tokens from there on were reported as
  /// quoted but the quote never closed, so callers must not treat them as
  /// quoted), or UINT32_MAX when every quote closed.
  template <class OnToken> std::uint32_t end(OnToken &on_token) {
    finish(on_token);
    std::uint32_t unclosed = UINT32_MAX;
    if (quoted_) unclosed = quote_opened_at_;
    if (squoted_ && squote_opened_at_ < unclosed) unclosed = squote_opened_at_;
    return unclosed;
  }

private:
  template <class OnToken> void finish(OnToken &on_token) {
    if (!in_token_) return;
    cur_.text_len = w_ - cur_.text_begin;
    if (cur_.text_len > 0) on_token(static_cast<const raw_token &>(cur_));
    in_token_ = false;
  }
  void start_token(std::size_t at) noexcept {
    cur_ = raw_token{};
    cur_.text_begin = w_;
    cur_.start = static_cast<std::uint32_t>(at);
    cur_.sentence = sentence_;
    cur_.quoted = quoted_ || squoted_;
    cur_.clause_before = clause_pending_;
    clause_pending_ = false;
    in_token_ = true;
  }
  void put(char c) noexcept { out_[w_++] = c; }
  bool next_is_letter(std::size_t j) const noexcept {
    return j < text_.size() && fold_at(text_, j).cls == char_class::letter;
  }

  std::string_view text_;
  char *out_ = nullptr;
  std::size_t i_ = 0;
  std::uint32_t w_ = 0;
  raw_token cur_;
  bool in_token_ = false, quoted_ = false, squoted_ = false, clause_pending_ = false;
  std::uint32_t sentence_ = 0, quote_opened_at_ = 0, squote_opened_at_ = 0;
};

/// Calls on_token(const raw_token&) for each token of `text`; token text is
/// written to `buf` (which is overwritten). Returns token_scanner::end().
template <class OnToken>
std::uint32_t scan_tokens(std::string_view text, std::string &buf, OnToken &&on_token) {
  token_scanner sc(text, buf);
  while (!sc.done())
    sc.step(on_token);
  return sc.end(on_token);
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
