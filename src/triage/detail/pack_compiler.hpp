// Internal: compiling a phrase pack, one stage a file.
//
//   pack_load.cpp        JSON -> validated entries and their token sequences
//                        (pattern groups expanded, lexicon applied)
//   pack_vocabulary.cpp  sequences -> token ids, with the lexicon's
//                        replacements, run-together compounds, squeezed
//                        forms, single typos, pronoun aliases and token flags
//   pack_trie.cpp        token ids -> the signal and cue tries with their filters
//   pack_gate.cpp        token ids -> the word gate (which messages a pack can match)
//   pack.cpp             the public pack class; compile_pack() runs the stages
//
// Every stage throws veteran::error (pack_invalid naming the entry,
// parse_error, unsupported_version); pack::from_json turns that into a result.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "triage/detail/compiled_pack.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// One expanded alternative of an entry's pattern, as words.
struct pattern_sequence {
  std::uint32_t entry;
  std::vector<std::string> tokens;
  std::uint8_t flags; ///< output_flag bits (out_first_person)
};

/// What loading produces: the compiled pack with its entries, metadata and
/// counts filled in, the lexicon, and every pattern as word sequences.
struct loaded_pack {
  std::unique_ptr<compiled_pack> out = std::make_unique<compiled_pack>();
  std::map<std::string, std::vector<std::string>>
      lexicon; ///< word -> words it stands for
  std::vector<pattern_sequence> sequences;
};

/// Stage 1 (pack_load.cpp): parses and validates the JSON.
loaded_pack load_pack(std::string_view json);

/// Stage 2 (pack_vocabulary.cpp): assigns token ids and builds the lookup
/// tables; returns the ids of each of `p.sequences`, in order.
std::vector<std::vector<std::uint32_t>> build_vocabulary(loaded_pack &p);

/// Lint (pack_lint.cpp): fills `p.out->findings` from the loaded entries.
void lint_pack(loaded_pack &p);

/// Stage 3 (pack_trie.cpp): builds `p.out->signals` and `p.out->cues`.
void build_tries(loaded_pack &p, const std::vector<std::vector<std::uint32_t>> &ids);

/// Stage 4 (pack_gate.cpp): builds `p.out->gate` (see word_gate): for every
/// phrase and multiplier wording, and for one role of every frame, the word
/// the pack uses least often.
void build_gate(loaded_pack &p, const std::vector<std::vector<std::uint32_t>> &ids);

/// A Bloom filter over the hash keys of `words` (shared by stages 2 and 3).
bloom_filter bloom_of(const std::vector<std::string> &words);

/// Third-person words and the first-person words they stand in for while
/// matching ("he wants to kill himself" walks as "i want to kill myself").
struct pronoun_alias {
  const char *word;
  const char *targets[2]; ///< one or two stand-ins; the second may be null
  bool verb;              ///< is/are -> am, not a pronoun
};
extern const std::vector<pronoun_alias> pronoun_aliases;

} // namespace triage::detail
VETERAN_NAMESPACE_END
