#include "veteran/triage/normalizer.hpp"

#include "triage/detail/tokens.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {
namespace detail {

namespace {

char leet_char(char c, bool one_as_l) noexcept {
  switch (c) {
  case '0': return 'o';
  case '1': return one_as_l ? 'l' : 'i';
  case '3': return 'e';
  case '4': return 'a';
  case '5': return 's';
  case '7': return 't';
  case '8': return 'b';
  case '9': return 'g';
  case '@': return 'a';
  case '$': return 's';
  case '!': return 'i';
  default: return c;
  }
}

/// A whole word or a run-together phrase.
std::uint32_t lookup_word(const compiled_pack &cp, std::string_view word) {
  if (const auto id = cp.vocab.get(word)) return id;
  return cp.compounds.get(word);
}

std::uint32_t lookup_squeezed(const compiled_pack &cp, std::string_view word, std::string &tmp) {
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

/// Evasion repair for a word not in the vocabulary: leetspeak, stretched
/// letters, masking, run-together phrases, single typos. Rarely needed, so
/// kept out of line.
[[gnu::noinline]] std::uint32_t repair(const compiled_pack &cp, std::string_view word,
                                       const raw_token &r, std::uint64_t h, std::string &tmp) {
  if (r.has_leet && r.has_alpha) {
    for (int variant = 0; variant < 2; ++variant) {
      std::string translated;
      translated.reserve(word.size());
      for (char c : word) translated.push_back(leet_char(c, variant == 1));
      if (auto id = lookup_word(cp, translated)) return id;
      if (auto id = lookup_squeezed(cp, translated, tmp)) return id;
      if (translated.find('1') == std::string::npos && word.find('1') == std::string::npos) break;
    }
  }
  if (has_run_of_three(word)) {
    if (auto id = lookup_squeezed(cp, word, tmp)) return id;
  }
  if (r.has_leet && word.find('*') != std::string::npos) return unmask(cp, word);
  if (word.size() < 3) return 0;
  if (cp.compound_filter.maybe(h))
    if (const auto id = cp.compounds.get(word)) return id;
  if (!r.has_leet && cp.typo_filter.maybe(h)) return cp.typos.get(word);
  return 0;
}

/// Vocabulary id of a raw word (0 if unknown after repair).
inline std::uint32_t resolve(const compiled_pack &cp, std::string_view word, const raw_token &r,
                             std::string &tmp) {
  const std::size_t n = word.size();
  const key_prefix k = n <= 16 ? load_padded_prefix(word.data(), n) : load_prefix(word.data(), n);
  const std::uint64_t h = hash_key(k, word.data(), n);
  // The Bloom filter answers most unknown words without probing the table.
  if (cp.vocab_filter.maybe(h)) {
    const auto id = n <= 16 ? cp.vocab.get_prefixed(k, n, h) : cp.vocab.get(word);
    if (id) return id;
  }
  // Only words that could need repair go the slow way: ones with digits or
  // symbols, or long enough to be a run-together phrase, typo or stretch.
  if (r.has_leet) return repair(cp, word, r, h, tmp);
  if (n < 3 || (!cp.compound_filter.maybe(h) && !cp.typo_filter.maybe(h) && !has_run_of_three(word)))
    return 0;
  return repair(cp, word, r, h, tmp);
}

inline void emit(const compiled_pack &cp, token_scratch &s, std::uint32_t id,
                 const raw_token &first, const raw_token &last) {
  mtoken t;
  t.start = first.start;
  t.end = last.end;
  t.text_begin = first.text_begin;
  t.text_len = last.text_begin + last.text_len - first.text_begin;
  t.sentence = first.sentence;
  t.quoted = first.quoted;
  t.clause_before = first.clause_before;
  const auto rb = cp.repl_begin[id], re = cp.repl_begin[id + 1];
  if (rb == re) {
    t.id = id;
    s.tokens.push_back(t);
    return;
  }
  for (auto k = rb; k < re; ++k) {
    t.id = cp.repl_ids[k];
    s.tokens.push_back(t);
    t.clause_before = false;
  }
}

/// "d i e", "K I L L": a run of >= 2 single letters (split where two or more
/// spaces separate them) that spells a known word or run-together phrase is
/// one token; otherwise each letter is its own token.
void flush_run(const compiled_pack &cp, token_scratch &s, std::vector<raw_token> &run);

/// Letters separated by two or more spaces belong to different words
/// ("T O N I G H T  I M  E N D I N G  I T"): split there first.
void flush_letters(const compiled_pack &cp, token_scratch &s) {
  auto &all = s.pending;
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
      for (std::size_t k = skip; k < run.size(); ++k) joined.push_back(s.buf[run[k].text_begin]);
      std::uint32_t id = lookup_word(cp, joined);
      if (!id) id = lookup_squeezed(cp, joined, s.tmp);
      if (!id) continue;
      for (; i < skip; ++i)
        emit(cp, s, cp.vocab.get(&s.buf[run[i].text_begin], 1), run[i], run[i]);
      emit(cp, s, id, run[skip], run.back());
      i = run.size();
      break;
    }
  }
  for (; i < run.size(); ++i)
    emit(cp, s, cp.vocab.get(&s.buf[run[i].text_begin], 1), run[i], run[i]);
}

} // namespace

void tokenize(std::string_view text, const compiled_pack &cp, token_scratch &s) {
  s.tokens.clear();
  s.pending.clear();
  const auto unclosed = scan_tokens(text, s.buf, [&](const raw_token &r) {
    const bool letter = r.text_len == 1 && r.has_alpha;
    // "d.i.e" stays one run: letters one punctuation mark apart belong together.
    if (!s.pending.empty() &&
        (!letter || (r.sentence != s.pending.back().sentence && r.start > s.pending.back().end + 1)))
      flush_letters(cp, s);
    if (letter) {
      s.pending.push_back(r);
      return;
    }
    const std::string_view word(&s.buf[r.text_begin], r.text_len);
    emit(cp, s, resolve(cp, word, r, s.tmp), r, r);
  });
  if (!s.pending.empty()) flush_letters(cp, s);
  // Tokens after a quote that never closed are not quoted after all.
  if (unclosed != UINT32_MAX)
    for (auto &t : s.tokens)
      if (t.quoted && t.text_begin >= unclosed) t.quoted = false;
}

} // namespace detail

std::vector<token> normalize(std::string_view text, const pack &p) {
  detail::token_scratch s;
  const auto &cp = p.compiled();
  detail::tokenize(text, cp, s);
  std::vector<token> out;
  out.reserve(s.tokens.size());
  std::uint32_t clause = 0;
  for (std::size_t k = 0; k < s.tokens.size(); ++k) {
    const auto &t = s.tokens[k];
    if (detail::starts_clause(cp, s.tokens, k)) ++clause;
    token o;
    if (t.id) o.text = cp.token_text[t.id];
    else o.text.assign(&s.buf[t.text_begin], t.text_len);
    o.start = t.start;
    o.end = t.end;
    o.sentence = t.sentence;
    o.clause = clause;
    o.quoted = t.quoted;
    out.push_back(std::move(o));
  }
  return out;
}

std::size_t count_tokens(std::string_view text, const pack &p) {
  thread_local detail::token_scratch s;
  detail::tokenize(text, p.compiled(), s);
  return s.tokens.size();
}

} // namespace triage
VETERAN_NAMESPACE_END
