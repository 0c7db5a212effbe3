// Pack compiler, stage 4: the word gate (compiled_pack::word_gate), which
// lets an engine skip a pack run beside its primary one for messages that
// cannot match it. See pack_compiler.hpp.
#include <algorithm>
#include <cstdint>
#include <set>
#include <tuple>

#include "triage/detail/pack_compiler.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace {

bool makes_signal(entry_kind k) {
  return k == entry_kind::phrase || k == entry_kind::multiplier;
}

class gate_builder {
public:
  gate_builder(loaded_pack &p, const std::vector<std::vector<std::uint32_t>> &ids)
      : p_(p), cp_(*p.out), ids_(ids), uses_(cp_.token_text.size(), 0) {
    // How often the pack itself uses each word: the least used word of a
    // wording is the least likely to occur in everyday text of any language
    // ("pwynt" rather than "dim" in "dim pwynt byw").
    for (const auto &seq : ids_) {
      std::set<std::uint32_t> distinct(seq.begin(), seq.end());
      for (const auto id : distinct)
        ++uses_[id];
    }
  }

  void run() {
    for (std::size_t i = 0; i < ids_.size(); ++i)
      if (makes_signal(cp_.entries[p_.sequences[i].entry].kind)) anchor(i);
    // A frame needs every role: the words of one role are enough, the role
    // with the fewest wordings.
    for (const auto &f : cp_.frames) {
      std::uint64_t best = 0;
      std::size_t best_count = SIZE_MAX;
      for (const auto classes : f.role_classes) {
        const auto n = role_wordings(classes);
        if (n < best_count) best = classes, best_count = n;
      }
      for (std::size_t i = 0; i < ids_.size(); ++i)
        if (in_role(i, best)) anchor(i);
    }
    store();
  }

private:
  bool in_role(std::size_t i, std::uint64_t classes) const {
    const auto &e = cp_.entries[p_.sequences[i].entry];
    return e.kind == entry_kind::role && (classes >> e.word_class & 1);
  }
  std::size_t role_wordings(std::uint64_t classes) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < ids_.size(); ++i)
      n += in_role(i, classes);
    return n;
  }
  /// The least used word of wording `i` (the longer one on a tie); words of
  /// one or two letters ("e", "am", "in") only when there is nothing else,
  /// as they are everyday words in many languages.
  void anchor(std::size_t i) {
    const auto &seq = ids_[i];
    if (seq.empty()) return;
    auto rank = [&](std::uint32_t id) {
      const auto len = cp_.token_text[id].size();
      return std::make_tuple(len < 3, uses_[id], SIZE_MAX - len);
    };
    auto pick = seq.front();
    for (const auto id : seq)
      if (rank(id) < rank(pick)) pick = id;
    anchors_.insert(pick);
  }
  /// The anchors as written, with every lexicon word and run-together form
  /// that stands for one of them.
  void store() {
    std::vector<std::string> words;
    for (std::uint32_t id = 1; id < cp_.token_text.size(); ++id) {
      const auto &r = cp_.replacement[id];
      if (anchors_.count(id) ||
          std::any_of(r.begin(), r.end(), [&](auto x) { return anchors_.count(x) > 0; }))
        words.push_back(cp_.token_text[id]);
    }
    cp_.gate.reset(words.size());
    for (const auto &w : words) {
      cp_.gate.add(
          word_gate::fold(hash_key(load_prefix(w.data(), w.size()), w.data(), w.size())));
      cp_.gate.words.put(w, 1);
    }
  }

  loaded_pack &p_;
  compiled_pack &cp_;
  const std::vector<std::vector<std::uint32_t>> &ids_;
  std::vector<std::uint32_t> uses_;
  std::set<std::uint32_t> anchors_;
};

} // namespace

void build_gate(loaded_pack &p, const std::vector<std::vector<std::uint32_t>> &ids) {
  gate_builder(p, ids).run();
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
