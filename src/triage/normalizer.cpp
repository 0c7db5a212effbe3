// The public view of tokenizing (normalize) and the benchmark's
// count_tokens; the tokenizer itself is tokenize.cpp.
#include "veteran/triage/normalizer.hpp"

#include "triage/detail/testing.hpp"
#include "triage/detail/tokens.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

std::vector<token> normalize(std::string_view text, const pack &p) {
  detail::token_scratch s;
  const auto &cp = pack_internals::of(p);
  detail::tokenize(text, cp, s);
  std::vector<token> out;
  out.reserve(s.tokens.size());
  std::uint32_t clause = 0;
  for (std::size_t k = 0; k < s.tokens.size(); ++k) {
    const auto &t = s.tokens[k];
    if (detail::starts_clause(s.tokens, k)) ++clause;
    token o;
    if (t.id)
      o.text = cp.token_text[t.id];
    else
      o.text.assign(&s.buf[t.text_begin], t.text_len);
    o.start = t.start;
    o.end = t.end;
    o.sentence = t.sentence;
    o.clause = clause;
    o.quoted = t.quoted;
    out.push_back(std::move(o));
  }
  return out;
}

std::size_t detail::count_tokens(std::string_view text, const pack &p) {
  thread_local detail::token_scratch s;
  detail::tokenize(text, pack_internals::of(p), s);
  return s.tokens.size();
}

} // namespace triage
VETERAN_NAMESPACE_END
