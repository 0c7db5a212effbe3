// Pack linter: findings for a reviewer, never errors. See pack_compiler.hpp
// and pack_finding in veteran/triage/pack.hpp.
#include <algorithm>
#include <map>
#include <set>

#include "triage/detail/pack_compiler.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace {

std::string joined(const std::vector<std::string> &tokens) {
  std::string out;
  for (const auto &t : tokens)
    out += (out.empty() ? "" : " ") + t;
  return out;
}

bool copy_suffix(const std::string &id) {
  const auto us = id.rfind('_');
  if (us == std::string::npos || us + 1 == id.size()) return false;
  return std::all_of(id.begin() + static_cast<std::ptrdiff_t>(us) + 1, id.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

/// True if `needle` occurs as a run of consecutive tokens in `hay`.
bool contains_run(const std::vector<std::string> &hay,
                  const std::vector<std::string> &needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

class linter {
public:
  explicit linter(loaded_pack &p) : p_(p), entries_(p.out->entries) {}

  void run() {
    index_phrase_wordings();
    for (std::uint32_t e = 0; e < entries_.size(); ++e)
      if (is_phrase(e) && copy_suffix(entries_[e].id)) add("id_suffix", e, no_index, "");
    find_subsets_and_conflicts();
    find_covered_criticals();
    find_unused_classes();
  }

private:
  bool is_phrase(std::uint32_t e) const { return entries_[e].kind == entry_kind::phrase; }
  bool same_rating(std::uint32_t a, std::uint32_t b) const {
    return entries_[a].cat == entries_[b].cat &&
           entries_[a].severity == entries_[b].severity;
  }

  void index_phrase_wordings() {
    for (const auto &s : p_.sequences) {
      if (!is_phrase(s.entry)) continue;
      const std::string w = joined(s.tokens);
      wordings_[s.entry].insert(w);
      owners_[w].insert(s.entry);
    }
  }

  void find_subsets_and_conflicts() {
    std::set<std::pair<std::uint32_t, std::uint32_t>> conflicts;
    for (const auto &[e, mine] : wordings_) {
      // Candidates: entries sharing the first wording.
      for (const auto other : owners_[*mine.begin()]) {
        if (other == e) continue;
        const auto &theirs = wordings_[other];
        // Rated differently, it is a conflict (below), not a redundancy.
        if (!same_rating(e, other)) continue;
        const bool subset =
            std::includes(theirs.begin(), theirs.end(), mine.begin(), mine.end());
        // Of two identical entries, report only one.
        if (subset && (mine.size() < theirs.size() || e > other))
          add("subset", e, other, *mine.begin());
      }
      for (const auto &w : mine)
        for (const auto other : owners_[w]) {
          if (other <= e || same_rating(e, other)) continue;
          if (conflicts.insert({e, other}).second) add("conflict", e, other, w);
        }
    }
  }

  void find_covered_criticals() {
    // Wordings of the exceptions that may suppress a critical signal, by the
    // words they contain: a critical wording is compared only with those
    // holding its first word (linting runs on every pack load, so it must not
    // cost more than the compile itself).
    std::map<std::string, std::vector<const pattern_sequence *>> exceptions_with;
    for (const auto &s : p_.sequences)
      if (entries_[s.entry].kind == entry_kind::exception &&
          (entries_[s.entry].may_suppress & kMaySuppressCritical))
        for (const auto &w : std::set<std::string>(s.tokens.begin(), s.tokens.end()))
          exceptions_with[w].push_back(&s);
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    for (const auto &s : p_.sequences) {
      if (!is_phrase(s.entry) || entries_[s.entry].severity != level::critical) continue;
      const auto candidates = exceptions_with.find(s.tokens.front());
      if (candidates == exceptions_with.end()) continue;
      for (const auto *x : candidates->second)
        if (contains_run(x->tokens, s.tokens) && seen.insert({s.entry, x->entry}).second)
          add("critical_covered", s.entry, x->entry, joined(x->tokens));
    }
  }

  /// A class no frame uses can never count.
  void find_unused_classes() {
    std::uint64_t used = 0;
    for (const auto &f : p_.out->frames)
      for (const auto bits : f.role_classes)
        used |= bits;
    for (std::size_t c = 0; c < p_.out->classes.size(); ++c) {
      if (used >> c & 1) continue;
      for (std::uint32_t e = 0; e < entries_.size(); ++e)
        if (entries_[e].kind == entry_kind::role && entries_[e].word_class == c) {
          add("unused_class", e, no_index, "");
          break;
        }
    }
  }

  void add(const char *kind, std::uint32_t e, std::uint32_t other, std::string detail) {
    p_.out->findings.push_back(pack_finding{kind, entries_[e].id,
                                            other == no_index ? "" : entries_[other].id,
                                            std::move(detail)});
  }

  loaded_pack &p_;
  const std::vector<entry> &entries_;
  std::map<std::uint32_t, std::set<std::string>> wordings_;
  std::map<std::string, std::set<std::uint32_t>> owners_;
};

} // namespace

void lint_pack(loaded_pack &p) { linter(p).run(); }

} // namespace triage::detail
VETERAN_NAMESPACE_END
