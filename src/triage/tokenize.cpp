// Tokenizing: text -> tokens with pack ids, repairing evasions (leetspeak,
// masking, letter spacing, stretched letters, run-together words, typos) on
// the way. Spans always point into the original text.
#include <cstring>

#include "triage/detail/testing.hpp"
#include "triage/detail/tokens.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {
namespace detail {

namespace {

char leet_char(char c, bool one_as_l) noexcept {
  switch (c) {
  case '0':
    return 'o';
  case '1':
    return one_as_l ? 'l' : 'i';
  case '3':
    return 'e';
  case '4':
    return 'a';
  case '5':
    return 's';
  case '7':
    return 't';
  case '8':
    return 'b';
  case '9':
    return 'g';
  case '@':
    return 'a';
  case '$':
    return 's';
  case '!':
    return 'i';
  default:
    return c;
  }
}

/// A whole word or a run-together phrase.
std::uint32_t lookup_word(const compiled_pack &cp, std::string_view word) {
  if (const auto id = cp.vocab.get(word)) return id;
  return cp.compounds.get(word);
}

std::uint32_t lookup_squeezed(const compiled_pack &cp, std::string_view word,
                              std::string &tmp) {
  tmp.clear();
  for (char c : word)
    if (tmp.empty() || tmp.back() != c) tmp.push_back(c);
  return cp.squeezed.get(tmp);
}

/// "s*icidal": one or two masked letters, resolved only when exactly one
/// known word fits.
std::uint32_t unmask(const compiled_pack &cp, std::string_view word) {
  std::string w(word);
  std::vector<std::size_t> stars;
  for (std::size_t i = 0; i < w.size(); ++i)
    if (w[i] == '*') stars.push_back(i);
  if (stars.empty() || stars.size() > 2 || stars.size() == w.size()) return 0;
  std::uint32_t found = 0;
  const int combos = stars.size() == 1 ? 26 : 26 * 26;
  for (int c = 0; c < combos; ++c) {
    w[stars[0]] = static_cast<char>('a' + c % 26);
    if (stars.size() == 2) w[stars[1]] = static_cast<char>('a' + c / 26);
    if (const auto id = lookup_word(cp, w)) {
      if (found && found != id) return 0; // ambiguous
      found = id;
    }
  }
  return found;
}

bool has_run_of_three(std::string_view w) noexcept {
  for (std::size_t k = 2; k < w.size(); ++k)
    if (w[k] == w[k - 1] && w[k] == w[k - 2]) return true;
  return false;
}

/// Little-endian load of 8 bytes (the text is padded: see token_scratch).
inline std::uint64_t load8(const char *p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;

/// Number of leading ASCII letters in the 8 bytes of `w` (SWAR: all bytes
/// classified at once, no per-byte branch).
inline unsigned leading_letters(std::uint64_t w) noexcept {
  const std::uint64_t y =
      (w | 0x20 * kOnes) & 0x7f * kOnes; // folded case, high bit cleared
  const std::uint64_t at_least_a = y + (0x80 - 'a') * kOnes; // high bit: y >= 'a'
  const std::uint64_t past_z = y + (0x80 - 'z' - 1) * kOnes; // high bit: y > 'z'
  const std::uint64_t others = ~(at_least_a & ~past_z & ~w) & kHigh;
  return others ? static_cast<unsigned>(__builtin_ctzll(others)) / 8 : 8;
}

inline std::uint64_t low_bytes(std::uint64_t w, unsigned n) noexcept {
  return n >= 8 ? w : w & ((1ULL << (8 * n)) - 1);
}

/// High bit set in each zero byte of `v` at or below the first zero byte
/// (exact for "is there a zero byte among these positions" questions).
inline std::uint64_t zero_bytes(std::uint64_t v) noexcept {
  return (v - kOnes) & ~v & kHigh;
}

/// has_run_of_three() for a word of 3..16 letters held in a key prefix.
inline bool has_run_of_three(const key_prefix &k, unsigned len) noexcept {
  // Byte i of x (y) is zero when letter i equals letter i+1 (i+2); both zero
  // is a run of three starting at i. Valid starts: 0..len-3.
  // The 16 bytes are w1:w0; shifts by one and two bytes carry across.
  const std::uint64_t lo_next = (k.w0 >> 8) | (k.w1 << 56), hi_next = k.w1 >> 8;
  const std::uint64_t lo_after = (k.w0 >> 16) | (k.w1 << 48), hi_after = k.w1 >> 16;
  const std::uint64_t z_lo = (k.w0 ^ lo_next) | (k.w0 ^ lo_after);
  const std::uint64_t z_hi = (k.w1 ^ hi_next) | (k.w1 ^ hi_after);
  const unsigned starts = len - 2;
  const std::uint64_t lo = zero_bytes(z_lo) & low_bytes(~0ULL, starts);
  const std::uint64_t hi =
      starts > 8 ? zero_bytes(z_hi) & low_bytes(~0ULL, starts - 8) : 0;
  return (lo | hi) != 0;
}

/// Evasion repair for a word not in the vocabulary: leetspeak, stretched
/// letters, masking, run-together phrases, single typos. Rarely needed, so
/// kept out of line.
[[gnu::noinline]] std::uint32_t repair(const compiled_pack &cp, std::string_view word,
                                       bool has_leet, bool has_alpha, std::uint64_t h,
                                       std::string &tmp) {
  if (has_leet && has_alpha) {
    for (int variant = 0; variant < 2; ++variant) {
      std::string translated;
      translated.reserve(word.size());
      for (char c : word)
        translated.push_back(leet_char(c, variant == 1));
      if (auto id = lookup_word(cp, translated)) return id;
      if (auto id = lookup_squeezed(cp, translated, tmp)) return id;
      if (translated.find('1') == std::string::npos &&
          word.find('1') == std::string::npos)
        break;
    }
  }
  if (has_run_of_three(word)) {
    if (auto id = lookup_squeezed(cp, word, tmp)) return id;
  }
  if (has_leet && word.find('*') != std::string::npos) return unmask(cp, word);
  if (word.size() < 3) return 0;
  if (cp.compound_filter.maybe(h))
    if (const auto id = cp.compounds.get(word)) return id;
  if (!has_leet && cp.typo_filter.maybe(h)) return cp.typos.get(word);
  return 0;
}

/// Vocabulary id of a raw word whose prefix `k` and hash `h` are computed
/// (0 if unknown after repair).
[[gnu::always_inline]] inline std::uint32_t
resolve_hashed(const compiled_pack &cp, std::string_view word, bool has_leet,
               bool has_alpha, const key_prefix &k, std::uint64_t h, std::string &tmp) {
  const std::size_t n = word.size();
  // Most words of real chat are in the vocabulary (pattern, cue and
  // exception words), so short ones go straight to the table; the Bloom
  // filter spares long words the memcmp.
  if (n <= 16) {
    if (const auto id = cp.vocab.get_prefixed(k, n, h)) return id;
  } else if (cp.vocab_filter.maybe(h)) {
    if (const auto id = cp.vocab.get(word)) return id;
  }
  // Only words that could need repair go the slow way: ones with digits or
  // symbols, or long enough to be a run-together phrase, typo or stretch.
  if (has_leet) return repair(cp, word, has_leet, has_alpha, h, tmp);
  if (n < 3 || (!cp.compound_filter.maybe(h) && !cp.typo_filter.maybe(h) &&
                !(n <= 16 ? has_run_of_three(k, static_cast<unsigned>(n))
                          : has_run_of_three(word))))
    return 0;
  return repair(cp, word, has_leet, has_alpha, h, tmp);
}

/// Vocabulary id of a raw word (0 if unknown after repair); `word_hash`
/// receives word_gate::fold of its hash.
inline std::uint32_t resolve(const compiled_pack &cp, std::string_view word,
                             const raw_token &r, std::string &tmp,
                             std::uint32_t &word_hash) {
  const std::size_t n = word.size();
  const key_prefix k =
      n <= 16 ? load_padded_prefix(word.data(), n) : load_prefix(word.data(), n);
  const std::uint64_t h = hash_key(k, word.data(), n);
  word_hash = word_gate::fold(h);
  return resolve_hashed(cp, word, r.has_leet, r.has_alpha, k, h, tmp);
}

/// word_gate::fold of the hash of `n` bytes of token text (letter runs).
inline std::uint32_t raw_word_hash(const char *p, std::size_t n) noexcept {
  return word_gate::fold(hash_key(load_prefix(p, n), p, n));
}

inline void emit_token(const compiled_pack &cp, token_scratch &s, mtoken &t,
                       std::uint32_t id);

inline void emit(const compiled_pack &cp, token_scratch &s, std::uint32_t id,
                 const raw_token &first, const raw_token &last, std::uint32_t word_hash) {
  mtoken t;
  t.word_hash = word_hash;
  t.start = first.start;
  t.end = last.end;
  t.text_begin = first.text_begin;
  t.text_len = last.text_begin + last.text_len - first.text_begin;
  t.sentence = first.sentence;
  t.quoted = first.quoted;
  t.clause_before = first.clause_before;
  emit_token(cp, s, t, id);
}

inline void emit_token(const compiled_pack &cp, token_scratch &s, mtoken &t,
                       std::uint32_t id) {
  const auto flags = cp.token_flags[id];
  if (!(flags & tok_replaced)) {
    t.id = id;
    t.flags = flags;
    s.tokens.push_back(t);
    return;
  }
  for (auto k = cp.repl_begin[id], re = cp.repl_begin[id + 1]; k < re; ++k) {
    t.id = cp.repl_ids[k];
    t.flags = cp.token_flags[t.id];
    s.tokens.push_back(t);
    t.clause_before = false;
  }
}

/// "d i e", "K I L L": a run of >= 2 single letters (split where two or more
/// spaces separate them) that spells a known word or run-together phrase is
/// one token; otherwise each letter is its own token.
void flush_run(const compiled_pack &cp, token_scratch &s, std::vector<raw_token> &run);

/// A single letter as its own token.
void emit_letter(const compiled_pack &cp, token_scratch &s, const raw_token &r) {
  const char *p = &s.buf[r.text_begin];
  const key_prefix k = load_prefix(p, 1);
  const std::uint64_t h = hash_key(k, p, 1);
  emit(cp, s, cp.vocab.get_prefixed(k, 1, h), r, r, word_gate::fold(h));
}

/// Letters separated by two or more spaces belong to different words
/// ("T O N I G H T  I M  E N D I N G  I T"): split there first.
void flush_letters(const compiled_pack &cp, token_scratch &s) {
  auto &all = s.pending;
  if (all.size() == 1) { // a lone "i" or "a": the common case
    emit_letter(cp, s, all[0]);
    all.clear();
    return;
  }
  std::size_t from = 0;
  std::vector<raw_token> part;
  for (std::size_t k = 1; k <= all.size(); ++k) {
    if (k < all.size() && all[k].start <= all[k - 1].end + 1) continue;
    part.assign(all.begin() + static_cast<std::ptrdiff_t>(from),
                all.begin() + static_cast<std::ptrdiff_t>(k));
    flush_run(cp, s, part);
    from = k;
  }
  all.clear();
}

void flush_run(const compiled_pack &cp, token_scratch &s, std::vector<raw_token> &run) {
  std::size_t i = 0;
  if (run.size() >= 2) {
    for (std::size_t skip = 0; skip < 2 && run.size() - skip >= 2; ++skip) {
      std::string joined;
      for (std::size_t k = skip; k < run.size(); ++k)
        joined.push_back(s.buf[run[k].text_begin]);
      std::uint32_t id = lookup_word(cp, joined);
      if (!id) id = lookup_squeezed(cp, joined, s.tmp);
      if (!id) continue;
      for (; i < skip; ++i)
        emit_letter(cp, s, run[i]);
      emit(cp, s, id, run[skip], run.back(), raw_word_hash(joined.data(), joined.size()));
      i = run.size();
      break;
    }
  }
  for (; i < run.size(); ++i)
    emit_letter(cp, s, run[i]);
}

thread_local bool t_fast_path = true;

/// The common case, fused: a word of 2..16 ASCII letters ending at a plain
/// word end (or the end of the text) becomes a token without the general
/// scanner's per-byte work. Returns false (nothing consumed) otherwise.
/// `text` must be followed by 16 readable zero bytes.
inline bool fast_word(std::string_view text, token_scanner &sc, const compiled_pack &cp,
                      token_scratch &s) {
  const std::size_t at = sc.pos();
  const std::uint64_t w0 = load8(text.data() + at), w1 = load8(text.data() + at + 8);
  unsigned len = leading_letters(w0);
  if (len == 8) len += leading_letters(w1);
  // A 17th letter, or anything but a plain end, sends the word the general way.
  if (len < 2 || !ascii_plain_word_end[static_cast<unsigned char>(text.data()[at + len])])
    return false;
  if (!s.pending.empty()) flush_letters(cp, s);
  key_prefix k;
  k.w0 = low_bytes(w0 | 0x20 * kOnes, len);
  k.w1 = len > 8 ? low_bytes(w1 | 0x20 * kOnes, len - 8) : 0;
  const auto at_word = sc.take_word(len);
  char *dst = sc.out() + at_word.text_begin; // 16 spare bytes: see token_scanner
  std::memcpy(dst, &k.w0, 8);
  std::memcpy(dst + 8, &k.w1, 8);
  const std::uint64_t h = hash_key(k, dst, len);
  const std::uint32_t id = resolve_hashed(cp, {dst, len}, false, true, k, h, s.tmp);
  mtoken t;
  t.word_hash = word_gate::fold(h);
  t.start = at_word.start;
  t.end = at_word.end;
  t.text_begin = at_word.text_begin;
  t.text_len = len;
  t.sentence = at_word.sentence;
  t.quoted = at_word.quoted;
  t.clause_before = at_word.clause_before;
  emit_token(cp, s, t, id);
  if (text.data()[at + len] == ' ') sc.skip_separators(); // usually just this space
  return true;
}

} // namespace

void set_fast_path(bool on) noexcept { t_fast_path = on; }

void tokenize(std::string_view text, const compiled_pack &cp, token_scratch &s) {
  s.tokens.clear();
  s.pending.clear();
  auto on_token = [&](const raw_token &r) {
    const bool letter = r.text_len == 1 && r.has_alpha;
    // "d.i.e" stays one run: letters one punctuation mark apart belong together.
    if (!s.pending.empty() && (!letter || (r.sentence != s.pending.back().sentence &&
                                           r.start > s.pending.back().end + 1)))
      flush_letters(cp, s);
    if (letter) {
      s.pending.push_back(r);
      return;
    }
    const std::string_view word(&s.buf[r.text_begin], r.text_len);
    std::uint32_t word_hash = 0;
    const auto id = resolve(cp, word, r, s.tmp, word_hash);
    emit(cp, s, id, r, r, word_hash);
  };
  if (t_fast_path) {
    // A padded copy lets the fast path load whole words without bounds checks.
    if (s.padded.size() < text.size() + 16) s.padded.resize(text.size() + 16);
    char *copy = &s.padded[0];
    if (!text.empty()) std::memcpy(copy, text.data(), text.size());
    std::memset(copy + text.size(), 0, 16);
    text = std::string_view(copy, text.size());
  }
  token_scanner sc(text, s.buf);
  const bool fast = t_fast_path;
  while (!sc.done()) {
    if (fast && !sc.in_token()) {
      const auto c = static_cast<unsigned char>(text[sc.pos()]);
      if (kAsciiWord.c[c].bits & 1) {
        if (fast_word(text, sc, cp, s)) continue;
      } else if (ascii_separator_effect[c] != sep_other) {
        sc.skip_separators();
        continue;
      }
    }
    sc.step(on_token);
  }
  const auto unclosed = sc.end(on_token);
  if (!s.pending.empty()) flush_letters(cp, s);
  // Tokens after a quote that never closed are not quoted after all.
  if (unclosed != UINT32_MAX)
    for (auto &t : s.tokens)
      if (t.quoted && t.text_begin >= unclosed) t.quoted = false;
}

} // namespace detail

} // namespace triage
VETERAN_NAMESPACE_END
