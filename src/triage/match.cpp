// Matching: tokens -> pattern hits, by walking the signal trie (with
// third-person pronoun aliases) and, around a signal, the cue trie.
#include "triage/detail/match.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>

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
/// True when an unless_any pattern of frame entry `entry` matched anywhere.
bool cancelled(const compiled_pack &cp, const match_scratch &s, std::uint32_t entry) {
  for (const auto u : s.unless)
    if (cp.entries[s.hits[u].entry].parent == entry) return true;
  return false;
}

/// Fills the roles of frame `f` from the role hits of clause `clause`: for
/// each role the first hit of one of its classes that no other role took.
/// Returns false when some role stays empty or the roles lie too far apart.
bool fill_frame(const compiled_pack &cp, const match_scratch &s, const frame_def &f,
                std::uint32_t clause, frame_fill &fill) {
  fill.roles = static_cast<std::uint32_t>(f.role_classes.size());
  std::uint32_t first = UINT32_MAX, last = 0;
  for (std::uint32_t k = 0; k < fill.roles; ++k) {
    bool found = false;
    for (const auto ri : s.roles) {
      const hit &r = s.hits[ri];
      if (s.clause[r.first] != clause) continue;
      if (!(f.role_classes[k] >> cp.entries[r.entry].word_class & 1)) continue;
      bool taken = false;
      for (std::uint32_t j = 0; j < k; ++j) {
        const hit &o = s.hits[fill.role_hits[j]];
        taken = taken || (r.first <= o.last && o.first <= r.last);
      }
      if (taken) continue;
      fill.role_hits[k] = ri;
      first = std::min(first, r.first);
      last = std::max(last, r.last);
      found = true;
      break;
    }
    if (!found) return false;
  }
  return last - first + 1 <= f.max_span;
}

/// True when every role of `f` has one of its classes in `present` (a set of
/// class indices): the cheap test that rules out nearly every frame before
/// its roles are filled one hit at a time.
bool roles_present(const frame_def &f, std::uint64_t present) {
  for (const auto classes : f.role_classes)
    if (!(classes & present)) return false;
  return true;
}

/// Frames (pack format 2): roles found in one clause make a signal hit that
/// the rules then treat like a phrase (negation, tense, subject, ...).
/// Needs s.clause assigned.
void find_frames(const compiled_pack &cp, match_scratch &s) {
  std::uint64_t in_message = 0;
  for (const auto ri : s.roles)
    in_message |= std::uint64_t{1} << cp.entries[s.hits[ri].entry].word_class;
  // The classes of each clause, built for the first frame whose every role
  // occurs in the message (most messages with a role word have none).
  std::uint32_t last_clause = 0;
  bool clauses_known = false;
  for (const auto &f : cp.frames) {
    if (!roles_present(f, in_message)) continue;
    if (f.has_unless && cancelled(cp, s, f.entry)) continue;
    if (!clauses_known) {
      for (const auto ri : s.roles)
        last_clause = std::max(last_clause, s.clause[s.hits[ri].first]);
      s.clause_classes.assign(last_clause + 1, 0);
      for (const auto ri : s.roles)
        s.clause_classes[s.clause[s.hits[ri].first]] |=
            std::uint64_t{1} << cp.entries[s.hits[ri].entry].word_class;
      clauses_known = true;
    }
    for (std::uint32_t c = 0; c <= last_clause; ++c) {
      if (!roles_present(f, s.clause_classes[c])) continue;
      frame_fill fill;
      if (!fill_frame(cp, s, f, c, fill)) continue;
      hit h{f.entry, f.phrase, UINT32_MAX, 0, 0, false};
      for (std::uint32_t k = 0; k < fill.roles; ++k) {
        h.first = std::min(h.first, s.hits[fill.role_hits[k]].first);
        h.last = std::max(h.last, s.hits[fill.role_hits[k]].last);
      }
      fill.frame_hit = static_cast<std::uint32_t>(s.hits.size());
      s.signals.push_back(fill.frame_hit);
      s.hits.push_back(h);
      s.fills.push_back(fill);
    }
  }
}

} // namespace

void assign_clauses(match_scratch &s) {
  s.clause.resize(s.tokens.size());
  std::uint32_t c = 0;
  for (std::size_t k = 0; k < s.tokens.size(); ++k) {
    if (starts_clause(s.tokens, k)) ++c;
    s.clause[k] = c;
  }
}

bool gate_open(const word_gate &gate, const token_scratch &s) noexcept {
  // Branch-free over the message first: nearly every message has no word
  // that may be in the gate, and then no word is looked up.
  std::uint64_t any = 0;
  for (const auto &t : s.tokens)
    any |= gate.maybe(t.word_hash);
  if (!any) return false;
  for (const auto &t : s.tokens)
    if (gate.maybe(t.word_hash) &&
        gate.words.get(s.buf.data() + t.text_begin, t.text_len))
      return true;
  return false;
}

void match(std::string_view text, const compiled_pack &cp, match_scratch &s) {
  tokenize(text, cp, s);
  s.hits.clear();
  s.signals.clear();
  s.multipliers.clear();
  s.exceptions.clear();
  s.roles.clear();
  s.unless.clear();
  s.fills.clear();
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
    if (e.kind == entry_kind::role) s.roles.push_back(k);
    if (e.kind == entry_kind::unless) s.unless.push_back(k);
  }
  // The rules, frames and the learned model's class-pair features read the
  // clauses of what matched (with or without a frame in the pack): assigned
  // once here for all of them.
  if (!s.roles.empty() || !s.signals.empty() || !s.multipliers.empty()) assign_clauses(s);
  if (!s.roles.empty() && !cp.frames.empty()) find_frames(cp, s);
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
