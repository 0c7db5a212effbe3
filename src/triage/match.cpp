// Matching: tokens -> pattern hits, by walking the signal trie (with
// third-person pronoun aliases) and, around a signal, the cue trie.
#include "triage/detail/match.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace {
bool alias_applies(std::uint8_t flags, bool aliased) {
  // "is" → "am" only on a path that already took "he" → "i".
  return (flags & tok_pronoun_alias) || ((flags & tok_verb_alias) && aliased);
}

void walk_alias(const compiled_pack &cp, const token_trie &trie, match_scratch &s,
                std::size_t i, std::size_t j, std::uint32_t node);

/// Follows the trie from `node` (reached by consuming tokens i..j), reporting
/// outputs. With aliases on, a third-person pronoun also continues as its
/// first-person stand-in (a rare branch, taken out of line) and marks what it
/// finds as about someone else.
[[gnu::always_inline]] inline void
walk_path(const compiled_pack &cp, const token_trie &trie, match_scratch &s,
          std::size_t i, std::size_t j, std::uint32_t node, bool aliases, bool aliased) {
  const mtoken *tokens = s.tokens.data();
  const auto n = s.tokens.size();
  const auto sentence = tokens[i].sentence;
  for (;;) {
    const trie_node &nd = trie.nodes[node];
    for (auto o = nd.out_begin; o < nd.out_end; ++o) {
      const output &out = trie.outputs[o];
      s.hits.push_back(
          hit{out.entry, out.phrase, static_cast<std::uint32_t>(i),
              static_cast<std::uint32_t>(j),
              static_cast<std::uint8_t>(out.flags | (aliased ? out_third_person : 0)),
              false});
    }
    // Phrases never span a sentence end or clause punctuation ("dead, simple").
    if (++j >= n || tokens[j].sentence != sentence || tokens[j].clause_before) return;
    const auto id = tokens[j].id;
    const auto flags = tokens[j].flags;
    if (aliases && alias_applies(flags, aliased)) walk_alias(cp, trie, s, i, j, node);
    if (!(flags & trie.continuation)) return;
    node = trie.child(node, id);
    if (!node) return;
  }
}

/// The pronoun-alias branch: tokens[j] also read as its first-person stand-ins.
[[gnu::noinline]] void walk_alias(const compiled_pack &cp, const token_trie &trie,
                                  match_scratch &s, std::size_t i, std::size_t j,
                                  std::uint32_t node) {
  for (const auto alt : cp.alias[s.tokens[j].id])
    if (alt && (cp.token_flags[alt] & trie.continuation))
      if (const auto next = trie.child(node, alt))
        walk_path(cp, trie, s, i, j, next, true, true);
}

[[gnu::noinline]] void walk_alias_root(const compiled_pack &cp, const token_trie &trie,
                                       match_scratch &s, std::size_t i) {
  for (const auto alt : cp.alias[s.tokens[i].id])
    if (alt && trie.root_child[alt])
      walk_path(cp, trie, s, i, i, trie.root_node(alt), true, true);
}

void walk(const compiled_pack &cp, const token_trie &trie, match_scratch &s,
          bool aliases) {
  const mtoken *tokens = s.tokens.data();
  const std::size_t n = s.tokens.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto id = tokens[i].id;
    if (aliases && (tokens[i].flags & tok_pronoun_alias)) walk_alias_root(cp, trie, s, i);
    // Walk only from a root where a one-token pattern ends or some pattern
    // may start with this token and the next (a pronoun alias may stand for
    // another token). Computed without branches: most tokens start nothing.
    const auto root = trie.root_child[id];
    const bool last = i + 1 == n;
    const auto next = tokens[last ? i : i + 1];
    const bool may_continue =
        (!last) & ((aliases & ((next.flags & tok_pronoun_alias) != 0)) |
                   trie.first_pairs.maybe(id, next.id));
    if ((root != 0) & ((root & 1) | may_continue))
      walk_path(cp, trie, s, i, i, root >> 1, aliases, false);
  }
}
} // namespace

void match(std::string_view text, const compiled_pack &cp, match_scratch &s) {
  tokenize(text, cp, s);
  s.hits.clear();
  s.signals.clear();
  s.multipliers.clear();
  s.exceptions.clear();
  if (s.cues_filled) {
    for (auto &c : s.cues)
      c.clear();
    s.cues_filled = false;
  }
  walk(cp, cp.signals, s, true);
  for (std::uint32_t k = 0; k < s.hits.size(); ++k) {
    const auto &e = cp.entries[s.hits[k].entry];
    if (e.kind == entry_kind::phrase) s.signals.push_back(k);
    if (e.kind == entry_kind::multiplier) s.multipliers.push_back(k);
    if (e.kind == entry_kind::exception) s.exceptions.push_back(k);
  }
  // Cues (negation, tense, person, ...) only matter around a signal.
  if (s.signals.empty() && s.multipliers.empty()) return;
  const auto first_cue = static_cast<std::uint32_t>(s.hits.size());
  s.cues_filled = true;
  walk(cp, cp.cues, s, false);
  for (auto k = first_cue; k < s.hits.size(); ++k)
    s.cues[static_cast<int>(cp.entries[s.hits[k].entry].cue)].push_back(k);
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
