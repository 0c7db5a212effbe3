// The compiled form of a phrase pack: vocabulary, lexicon, token trie and the
// entries it reports. Immutable after compile(); shared across threads.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "triage/detail/flat_map.hpp"
#include "veteran/triage/pack.hpp"

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

enum class entry_kind : std::uint8_t { phrase, multiplier, exception, with, cue };

/// Linguistic cues (the pack's "cues" section), each a list of patterns.
enum class cue_kind : std::uint8_t {
  negation,         ///< not, never, don't ... negate a phrase up to 4 tokens later
  negation_short,   ///< no, nothing, none ... negate only the phrase right after
  negation_breaker, ///< stop, help, only, sure ... right after a cue cancel it
  past,             ///< used to, years ago ... mark the clause as past
  present,          ///< now, still, again, tonight ... cancel past
  third_person,     ///< he, she, my brother ... subject is someone else
  first_person,     ///< i, me, my ... subject is the user
  title,            ///< called, titled ... the next words are a title
  reported,         ///< news, film, song, study ... reported speech in the sentence
  joking,           ///< only joking, jk ... lowers a phrase in the same sentence
  self_disclosure,  ///< asking for a mate, it's me ... third person is the user
  clause_break,     ///< but, and, so, because ... start a new clause
  count_
};
inline constexpr int cue_kind_count = static_cast<int>(cue_kind::count_);
const char *to_string(cue_kind k) noexcept;

inline constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

struct entry {
  std::string id;
  entry_kind kind = entry_kind::phrase;
  category cat = category::distress;  // phrase
  level severity = level::low;        // phrase
  double weight = 0;                  // phrase
  multiplier_kind mkind = multiplier_kind::substances; // multiplier
  double factor = 1;                  // multiplier
  std::string reason;                 // exception
  bool needs_with = false;            // exception with a with_any list
  std::uint32_t parent = no_index;    // with: the exception it belongs to
  cue_kind cue = cue_kind::negation;  // cue
};

/// What a trie node reports when a match ends there.
struct output {
  std::uint32_t entry = 0;
  std::uint32_t phrase = 0;  ///< index into compiled_pack::phrases
  std::uint16_t length = 0;  ///< tokens in the match
  std::uint8_t flags = 0;    ///< output_flag bits
};
enum output_flag : std::uint8_t {
  out_third_person = 1, ///< generated third-person variant (he/she/they)
  out_first_person = 2, ///< contains i/me/my/myself/im/ive/id
};

/// Per-token properties used by the tokenizer and assessment.
enum token_flag : std::uint8_t {
  tok_first_person = 1,
  tok_third_person = 2,
  tok_clause_break = 4,
};

struct compiled_pack {
  std::string id, version, locale, description;
  std::vector<entry> entries;
  std::vector<std::string> phrases;          ///< normalised token sequences
  // Vocabulary: id 0 = unknown token.
  string_table vocab;                        ///< token or compound text → id
  string_table squeezed;                     ///< token with letter runs squeezed → id
  std::vector<std::string> token_text;       ///< id → text
  std::vector<std::vector<std::uint32_t>> replacement; ///< id → ids it expands to (compile time)
  std::vector<std::uint32_t> repl_begin;     ///< id → first of its ids in repl_ids (id+1: end)
  std::vector<std::uint32_t> repl_ids;       ///< flattened `replacement` for the hot path
  std::vector<std::uint8_t> token_flags;     ///< id → token_flag bits
  // Token trie (node 0 is the root; child 0 means none).
  std::vector<std::uint32_t> root_child;     ///< token id → node
  int_table edges;                           ///< (node << 32 | token id) → node
  std::vector<std::uint32_t> out_begin;      ///< node → first output
  std::vector<output> outputs;               ///< grouped by node
  pack_stats stats;

  /// Child of `node` on token `id`, or 0.
  [[nodiscard]] std::uint32_t child(std::uint32_t node, std::uint32_t token) const noexcept {
    if (node == 0) return token < root_child.size() ? root_child[token] : 0;
    return edges.get((static_cast<std::uint64_t>(node) << 32) | token);
  }
};

/// Parses, validates and compiles; throws veteran::error(pack_invalid|parse_error).
std::unique_ptr<compiled_pack> compile_pack(std::string_view json);

} // namespace triage::detail
VETERAN_NAMESPACE_END
