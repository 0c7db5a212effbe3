// Pack compiler, stage 3: token ids -> the signal and cue tries with their
// filters. See pack_compiler.hpp.
#include <algorithm>
#include <map>
#include <set>

#include "triage/detail/pack_compiler.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace {

class trie_builder {
public:
  trie_builder(loaded_pack &p, const std::vector<std::vector<std::uint32_t>> &ids)
      : p_(p), cp_(*p.out), ids_(ids) {}

  /// Builds the trie of the cue patterns (`cues`) or of all the others.
  void build(token_trie &trie, bool cues) {
    trie.continuation = cues ? tok_cue_continuation : tok_continuation;
    trie.root_child.assign(cp_.token_text.size(), 0);
    std::vector<std::vector<output>> node_outputs(1);
    std::vector<std::uint64_t> masks(1, 0);
    for (std::size_t i = 0; i < p_.sequences.size(); ++i) {
      if (in_trie(i) != cues) continue;
      const std::uint32_t node = insert_path(trie, ids_[i], node_outputs, masks);
      add_output(node_outputs[node], i);
    }
    fill_edge_filter(trie, node_outputs.size(), cues);
    fill_first_pairs(trie, cues);
    for (auto &rc : trie.root_child)
      if (rc) rc = (rc << 1) | (node_outputs[rc].empty() ? 0u : 1u);
    trie.nodes.resize(node_outputs.size());
    for (std::size_t n = 0; n < node_outputs.size(); ++n) {
      trie.nodes[n].child_mask = masks[n];
      trie.nodes[n].out_begin = static_cast<std::uint32_t>(trie.outputs.size());
      trie.outputs.insert(trie.outputs.end(), node_outputs[n].begin(),
                          node_outputs[n].end());
      trie.nodes[n].out_end = static_cast<std::uint32_t>(trie.outputs.size());
    }
  }

private:
  bool in_trie(std::size_t i) const {
    return cp_.entries[p_.sequences[i].entry].kind == entry_kind::cue;
  }

  /// Walks (creating) the path of `seq`; returns its last node.
  std::uint32_t insert_path(token_trie &trie, const std::vector<std::uint32_t> &seq,
                            std::vector<std::vector<output>> &node_outputs,
                            std::vector<std::uint64_t> &masks) {
    std::uint32_t node = 0;
    for (const auto id : seq) {
      const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) | id;
      std::uint32_t next = node == 0 ? trie.root_child[id] : trie.edges.get(key);
      if (node != 0) cp_.token_flags[id] |= trie.continuation;
      if (!next) {
        next = static_cast<std::uint32_t>(node_outputs.size());
        node_outputs.emplace_back();
        masks.push_back(0);
        if (node == 0)
          trie.root_child[id] = next;
        else
          trie.edges.put(key, next);
        masks[node] |= 1ULL << (id & 63);
      }
      node = next;
    }
    return node;
  }

  void add_output(std::vector<output> &outs, std::size_t i) {
    const auto &s = p_.sequences[i];
    output o;
    o.entry = s.entry;
    o.phrase = phrase_id(s.tokens);
    o.length = static_cast<std::uint16_t>(ids_[i].size());
    o.flags = s.flags;
    const bool dup = std::any_of(outs.begin(), outs.end(), [&](const output &x) {
      return x.entry == o.entry && x.flags == o.flags;
    });
    if (!dup) outs.push_back(o);
  }

  void fill_edge_filter(token_trie &trie, std::size_t nodes, bool cues) {
    trie.edge_filter.reset(nodes);
    for (std::size_t i = 0; i < p_.sequences.size(); ++i) {
      if (in_trie(i) != cues) continue;
      std::uint32_t node = trie.root_child[ids_[i][0]];
      for (std::size_t k = 1; k < ids_[i].size(); ++k) {
        const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) | ids_[i][k];
        trie.edge_filter.add(mix64(key));
        node = trie.edges.get(key);
      }
    }
  }

  // Index the first two tokens of every pattern, sized by distinct pairs (far
  // fewer than patterns) so the filter stays in L1.
  void fill_first_pairs(token_trie &trie, bool cues) {
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::size_t i = 0; i < p_.sequences.size(); ++i)
      if (in_trie(i) == cues && ids_[i].size() >= 2)
        pairs.emplace(ids_[i][0], ids_[i][1]);
    trie.first_pairs.reset(pairs.size());
    for (const auto &[first, second] : pairs)
      trie.first_pairs.add(first, second);
  }

  std::uint32_t phrase_id(const std::vector<std::string> &tokens) {
    std::string text;
    for (const auto &w : tokens)
      text += (text.empty() ? "" : " ") + w;
    auto [it, inserted] =
        phrase_index_.emplace(text, static_cast<std::uint32_t>(cp_.phrases.size()));
    if (inserted) cp_.phrases.push_back(text);
    return it->second;
  }

  loaded_pack &p_;
  compiled_pack &cp_;
  const std::vector<std::vector<std::uint32_t>> &ids_;
  std::map<std::string, std::uint32_t> phrase_index_; // shared by both tries
};

} // namespace

void build_tries(loaded_pack &p, const std::vector<std::vector<std::uint32_t>> &ids) {
  trie_builder b(p, ids);
  b.build(p.out->signals, false);
  b.build(p.out->cues, true);
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
