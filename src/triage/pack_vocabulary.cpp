// Pack compiler, stage 2: word sequences -> token ids and the lookup tables
// the tokenizer uses to repair evasions. See pack_compiler.hpp.
#include <algorithm>
#include <set>
#include <unordered_map>

#include "triage/detail/model_hash.hpp"
#include "triage/detail/pack_compiler.hpp"
#include "triage/detail/tokenizer.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

// Third person is matched through pronoun aliases instead of generated
// variants: "he wants to kill himself" walks the trie as "i want to kill
// myself" and the match is flagged as about someone else. This keeps the
// trie a quarter of the size it would be with he/she/they copies.
const std::vector<pronoun_alias> pronoun_aliases = {
    {"he", {"i", nullptr}, false},
    {"she", {"i", nullptr}, false},
    {"they", {"i", nullptr}, false},
    {"him", {"me", nullptr}, false},
    {"them", {"me", nullptr}, false},
    {"her", {"me", "my"}, false},
    {"his", {"my", "mine"}, false},
    {"their", {"my", nullptr}, false},
    {"himself", {"myself", nullptr}, false},
    {"herself", {"myself", nullptr}, false},
    {"themselves", {"myself", nullptr}, false},
    {"themself", {"myself", nullptr}, false},
    {"hes", {"im", "ive"}, false},
    {"shes", {"im", "ive"}, false},
    {"theyre", {"im", nullptr}, false},
    {"theyve", {"ive", nullptr}, false},
    {"hed", {"id", nullptr}, false},
    {"shed", {"id", nullptr}, false},
    {"theyd", {"id", nullptr}, false},
    {"hers", {"mine", nullptr}, false},
    {"theirs", {"mine", nullptr}, false},
    {"is", {"am", nullptr}, true},
    {"are", {"am", nullptr}, true}};

bloom_filter bloom_of(const std::vector<std::string> &words) {
  bloom_filter f;
  f.reset(words.size());
  for (const auto &k : words)
    f.add(hash_key(load_prefix(k.data(), k.size()), k.data(), k.size()));
  return f;
}

namespace {

class vocabulary_builder {
public:
  explicit vocabulary_builder(loaded_pack &p) : p_(p), cp_(*p.out) {}

  std::vector<std::vector<std::uint32_t>> run() {
    cp_.token_text.assign(1, std::string()); // id 0 = unknown
    cp_.replacement.assign(1, {});
    cp_.token_flags.assign(1, 0);
    // Plain tokens first, then the alias words, lexicon "from" words and
    // compounds expanding to them.
    std::vector<std::vector<std::uint32_t>> ids;
    for (const auto &s : p_.sequences) {
      std::vector<std::uint32_t> seq;
      for (const auto &w : s.tokens)
        seq.push_back(intern(w));
      ids.push_back(std::move(seq));
    }
    for (const auto &a : pronoun_aliases)
      intern(a.word);
    for (const auto &[from, to] : p_.lexicon) {
      std::vector<std::uint32_t> seq;
      for (const auto &w : to)
        seq.push_back(intern(w));
      cp_.replacement[intern(from)] = seq;
    }
    add_compounds(ids);
    mark_cue_words(ids);
    add_squeezed();
    add_typos();
    add_pronoun_aliases();
    std::vector<std::string> words(cp_.token_text.begin() + 1, cp_.token_text.end());
    words.erase(std::remove_if(words.begin(), words.end(),
                               [&](const std::string &w) { return !cp_.vocab.get(w); }),
                words.end());
    cp_.vocab_filter = bloom_of(words);
    flatten_replacements();
    cp_.token_model_hash.resize(cp_.token_text.size());
    for (std::size_t id = 0; id < cp_.token_text.size(); ++id)
      cp_.token_model_hash[id] = word_hash(cp_.token_text[id]);
    cp_.stats.vocabulary = cp_.token_text.size() - 1;
    return ids;
  }

private:
  std::uint32_t intern(const std::string &w) {
    if (auto id = cp_.vocab.get(w)) return id;
    const auto id = static_cast<std::uint32_t>(cp_.token_text.size());
    cp_.token_text.push_back(w);
    cp_.replacement.emplace_back();
    cp_.token_flags.push_back(0);
    cp_.vocab.put(w, id);
    return id;
  }

  // Run-together forms ("endmylife") of multi-word phrases, when unambiguous.
  void add_compounds(const std::vector<std::vector<std::uint32_t>> &ids) {
    std::map<std::string, std::vector<std::uint32_t>> compounds;
    std::set<std::string> ambiguous;
    for (std::size_t i = 0; i < p_.sequences.size(); ++i) {
      const auto &s = p_.sequences[i];
      if (cp_.entries[s.entry].kind != entry_kind::phrase || s.tokens.size() < 2)
        continue;
      std::string joined;
      for (const auto &w : s.tokens)
        joined += w;
      if (joined.size() < 8 || cp_.vocab.get(joined)) continue;
      auto [it, inserted] = compounds.emplace(joined, ids[i]);
      if (!inserted && it->second != ids[i]) ambiguous.insert(joined);
    }
    // Compounds live in their own table (consulted only for unknown words,
    // behind a Bloom filter) so the hot vocabulary table stays small.
    std::vector<std::string> kept;
    for (auto &[joined, seq] : compounds) {
      if (ambiguous.count(joined)) continue;
      const auto id = static_cast<std::uint32_t>(cp_.token_text.size());
      cp_.token_text.push_back(joined);
      cp_.replacement.push_back(seq);
      cp_.token_flags.push_back(0);
      cp_.compounds.put(joined, id);
      kept.push_back(joined);
    }
    cp_.compound_filter = bloom_of(kept);
  }

  // One-word first-person, third-person and clause-break cues are token flags.
  void mark_cue_words(const std::vector<std::vector<std::uint32_t>> &ids) {
    for (std::size_t i = 0; i < p_.sequences.size(); ++i) {
      const auto &e = cp_.entries[p_.sequences[i].entry];
      if (e.kind != entry_kind::cue || ids[i].size() != 1) continue;
      const auto id = ids[i][0];
      if (e.cue == cue_kind::first_person) cp_.token_flags[id] |= tok_first_person;
      if (e.cue == cue_kind::third_person) cp_.token_flags[id] |= tok_third_person;
      if (e.cue == cue_kind::clause_break) cp_.token_flags[id] |= tok_clause_break;
    }
  }

  // "killllll" -> "kil" -> kill: every vocabulary word indexed by its form with
  // repeated letters squeezed to one, unless two words share that form.
  void add_squeezed() {
    std::unordered_map<std::string, std::uint32_t> forms;
    for (std::uint32_t id = 1; id < cp_.token_text.size(); ++id) {
      std::string s;
      for (char c : cp_.token_text[id])
        if (s.empty() || s.back() != c) s.push_back(c);
      auto [it, inserted] = forms.emplace(s, id);
      if (!inserted && it->second != id) it->second = 0;
    }
    for (const auto &[form, id] : forms)
      if (id) cp_.squeezed.put(form, id);
  }

  // Single typos of the words used in phrases ("wnat", "kil", "suicdal"):
  // adjacent transpositions, a doubled letter undoubled or a letter doubled,
  // and (for words of 5+ letters) one letter dropped after the first. A
  // variant that is itself a known word, or that two words share, is skipped.
  void add_typos() {
    std::set<std::uint32_t> targets;
    for (const auto &s : p_.sequences)
      if (cp_.entries[s.entry].kind == entry_kind::phrase)
        for (const auto &w : s.tokens)
          if (w.size() >= 3) targets.insert(cp_.vocab.get(w));
    std::unordered_map<std::string, std::uint32_t> variants;
    auto add = [&](const std::string &v, std::uint32_t id) {
      if (v.size() < 3 || cp_.vocab.get(v)) return;
      auto [it, inserted] = variants.emplace(v, id);
      if (!inserted && it->second != id) it->second = 0;
    };
    for (const auto id : targets) {
      const std::string &w = cp_.token_text[id];
      if (w.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos)
        continue;
      for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        if (w[i] == w[i + 1]) {
          add(w.substr(0, i) + w.substr(i + 1), id); // "kill" -> "kil"
          continue;
        }
        std::string t = w;
        std::swap(t[i], t[i + 1]); // "want" -> "wnat"
        add(t, id);
      }
      for (std::size_t i = 0; i < w.size(); ++i)
        add(w.substr(0, i + 1) + w.substr(i), id);
      if (w.size() >= 5)
        for (std::size_t i = 1; i < w.size(); ++i)
          add(w.substr(0, i) + w.substr(i + 1), id);
    }
    std::vector<std::string> kept;
    for (const auto &[v, id] : variants) {
      if (!id) continue;
      cp_.typos.put(v, id);
      kept.push_back(v);
    }
    cp_.typo_filter = bloom_of(kept);
  }

  void add_pronoun_aliases() {
    cp_.alias.assign(cp_.token_text.size(), {0, 0});
    for (const auto &a : pronoun_aliases) {
      const auto from = cp_.vocab.get(a.word);
      if (!from) continue; // never needed: no pattern reaches it
      for (std::size_t k = 0; k < 2; ++k)
        if (a.targets[k]) cp_.alias[from][k] = cp_.vocab.get(a.targets[k]);
      if (cp_.alias[from][0] || cp_.alias[from][1])
        cp_.token_flags[from] |= a.verb ? tok_verb_alias : tok_pronoun_alias;
    }
  }

  // The hot path reads replacements from one flat array.
  void flatten_replacements() {
    cp_.repl_begin.clear();
    for (std::size_t id = 0; id < cp_.replacement.size(); ++id) {
      const auto &r = cp_.replacement[id];
      if (!r.empty()) cp_.token_flags[id] |= tok_replaced;
      cp_.repl_begin.push_back(static_cast<std::uint32_t>(cp_.repl_ids.size()));
      cp_.repl_ids.insert(cp_.repl_ids.end(), r.begin(), r.end());
    }
    cp_.repl_begin.push_back(static_cast<std::uint32_t>(cp_.repl_ids.size()));
  }

  loaded_pack &p_;
  compiled_pack &cp_;
};

} // namespace

std::vector<std::vector<std::uint32_t>> build_vocabulary(loaded_pack &p) {
  return vocabulary_builder(p).run();
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
