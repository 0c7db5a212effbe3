// The compiled form of a phrase pack: vocabulary, lexicon, token trie and the
// entries it reports. Immutable after compile(); shared across threads.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "triage/detail/flat_map.hpp"
#include "veteran/triage/pack.hpp"

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// phrase, multiplier, exception, cue: the pack's sections; with: one
/// with_any pattern of its parent; role: one pattern of a word class (format
/// 2); frame: a frame (format 2), reported like a phrase; unless: one
/// unless_any pattern of its parent frame.
enum class entry_kind : std::uint8_t { phrase, multiplier, exception, with, cue, role, frame, unless };

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
  resolved,         ///< that's passed, got past it ... later in the message: past
  relative,         ///< who, that, which: a negation right after one is local
  clarification,    ///< "the job i mean", "not like that" ... later: not about dying
  count_
};
inline constexpr int cue_kind_count = static_cast<int>(cue_kind::count_);
const char *to_string(cue_kind k) noexcept;

inline constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

/// Categories an exception leaves alone unless its "may_suppress" names them.
constexpr bool is_protected(category c) noexcept {
  return c == category::plan || c == category::means;
}
inline constexpr std::uint32_t kMaySuppressCritical = 1u << 31;

struct entry {
  std::string id;
  entry_kind kind = entry_kind::phrase;
  category cat = category::distress;                   // phrase
  level severity = level::low;                         // phrase
  double weight = 0;                                   // phrase
  multiplier_kind mkind = multiplier_kind::substances; // multiplier
  double factor = 1;                                   // multiplier
  std::string reason;                                  // exception
  /// Exception: protected signals (plan, means, critical) it may suppress
  /// beyond the rest: bit i for category i, bit 31 for critical severity.
  std::uint32_t may_suppress = 0;
  bool needs_with = false;           // exception or phrase with a with_any list
  bool needs_crisis = false;         // phrase or frame: "requires": "crisis_context"
  std::uint32_t parent = no_index;   // with/unless: the entry it belongs to
  std::uint32_t word_class = no_index; // role: index into compiled_pack::classes
  std::uint32_t frame = no_index;      // frame: index into compiled_pack::frames
  cue_kind cue = cue_kind::negation; // cue
};

/// What a trie node reports when a match ends there.
struct output {
  std::uint32_t entry = 0;
  std::uint32_t phrase = 0; ///< index into compiled_pack::phrases
  std::uint16_t length = 0; ///< tokens in the match
  std::uint8_t flags = 0;   ///< output_flag bits
};
enum output_flag : std::uint8_t {
  out_third_person = 1, ///< matched through a third-person pronoun alias
  out_first_person = 2, ///< contains i/me/my/myself/im/ive/id
};

/// Per-token properties used by the tokenizer and assessment.
enum token_flag : std::uint8_t {
  tok_first_person = 1,
  tok_third_person = 2,
  tok_clause_break = 4,
  tok_continuation = 8,      ///< appears after the first word of some pattern
  tok_replaced = 16,         ///< expands to other ids (lexicon, compound): see repl_begin
  tok_cue_continuation = 32, ///< as tok_continuation, for the cue trie
  tok_pronoun_alias = 64,    ///< he/she/they...: also walks as i/me/my/myself
  tok_verb_alias = 128,      ///< is/are: also walks as am, after a pronoun alias
};

/// Two-probe Bloom filter over key hashes: "certainly not present" cheaply.
/// Its size is a power of two so probing is a mask, not a division.
struct bloom_filter {
  std::vector<std::uint64_t> bits;
  std::uint64_t mask = 0; ///< bit count - 1
  void reset(std::size_t keys) {
    std::size_t n = 64;
    while (n < keys * 16)
      n <<= 1; // 16 bits a key: about 1.4% false positives
    bits.assign(n / 64, 0);
    mask = n - 1;
  }
  void add(std::uint64_t h) {
    const std::uint64_t a = h & mask, b = (h >> 32) & mask;
    bits[a >> 6] |= 1ULL << (a & 63);
    bits[b >> 6] |= 1ULL << (b & 63);
  }
  [[nodiscard]] bool maybe(std::uint64_t h) const noexcept {
    if (bits.empty()) return false;
    const std::uint64_t a = h & mask, b = (h >> 32) & mask;
    return (bits[a >> 6] >> (a & 63) & 1) && (bits[b >> 6] >> (b & 63) & 1);
  }
};

/// Blocked Bloom filter over token pairs: both probe bits live in one 64-bit
/// word, so a query is one load. Answers "no pattern of this trie starts with
/// these two tokens" for most pairs of everyday chat.
struct pair_filter {
  std::vector<std::uint64_t> words;
  std::uint64_t mask = 0; ///< words.size() - 1
  void reset(std::size_t keys) {
    std::size_t n = 1;
    while (n * 64 < keys * 16)
      n <<= 1; // 16 bits a key
    words.assign(n, 0);
    mask = n - 1;
  }
  static std::uint64_t hash(std::uint32_t a, std::uint32_t b) noexcept {
    return ((static_cast<std::uint64_t>(a) * 0x9E3779B97F4A7C15ULL) ^ b) *
           0xff51afd7ed558ccdULL;
  }
  static std::uint64_t bits_of(std::uint64_t h) noexcept {
    return (1ULL << (h >> 58)) | (1ULL << ((h >> 52) & 63));
  }
  void add(std::uint32_t a, std::uint32_t b) {
    const auto h = hash(a, b);
    words[(h >> 20) & mask] |= bits_of(h);
  }
  [[nodiscard]] bool maybe(std::uint32_t a, std::uint32_t b) const noexcept {
    const auto h = hash(a, b);
    const auto want = bits_of(h);
    return (words[(h >> 20) & mask] & want) == want;
  }
};

/// The words, as written (folded, before evasion repair), at least one of
/// which every phrase, frame and multiplier of a pack needs: a lexicon
/// "from" word or run-together form counts for the words it stands for.
/// An engine runs a pack beside its primary one (engine_options::extra_packs)
/// only for messages with such a word, asked with the hashes the primary
/// tokenizer already computed (mtoken::word_hash): a Bloom filter first,
/// then the exact word. Words needing other repair (leetspeak, stretched or
/// spaced letters, typos) are not seen.
struct word_gate {
  std::vector<std::uint64_t> bits;
  std::uint32_t mask = 0; ///< bit count - 1
  string_table words;     ///< the exact words (value 1)

  /// The 32-bit form of a hash_key() kept per token.
  static std::uint32_t fold(std::uint64_t h) noexcept {
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }
  void reset(std::size_t keys) {
    std::size_t n = 4096;
    while (n < keys * 64)
      n <<= 1; // one probe, 64 bits a key: under 1.6% false positives a word
    bits.assign(n / 64, 0);
    mask = static_cast<std::uint32_t>(n - 1);
  }
  void add(std::uint32_t wh) {
    const std::uint32_t b = wh & mask;
    bits[b >> 6] |= 1ULL << (b & 63);
  }
  /// 1 when the word may be in the gate, 0 when it certainly is not (a
  /// single probe: one load, no branch).
  [[nodiscard]] std::uint64_t maybe(std::uint32_t wh) const noexcept {
    const std::uint32_t b = wh & mask;
    return bits[b >> 6] >> (b & 63) & 1;
  }
};

struct trie_node {
  std::uint64_t child_mask = 0;             ///< bit (id % 64) set for each child
  std::uint32_t out_begin = 0, out_end = 0; ///< this node's outputs
};

/// A token trie. Node 0 is the root; a child of 0 means none.
struct token_trie {
  /// token id → (node << 1) | (1 when that node has outputs: a one-token
  /// pattern), or 0; see root_node().
  std::vector<std::uint32_t> root_child;
  pair_filter first_pairs; ///< first two tokens of every pattern
  int_table edges;         ///< (node << 32 | token id) → node
  std::vector<trie_node> nodes;
  std::vector<output> outputs; ///< grouped by node
  bloom_filter edge_filter;    ///< over (node, token) edges: small, cached
  std::uint8_t continuation = tok_continuation; ///< token_flag marking words that
                                                ///< continue a pattern of this trie

  [[nodiscard]] std::uint32_t root_node(std::uint32_t token) const noexcept {
    return root_child[token] >> 1;
  }
  /// Child of `node` (not the root: see root_child) on `token`, or 0. The
  /// caller has checked that `token` carries this trie's continuation flag;
  /// the child mask then answers most misses without touching `edges` (a
  /// large table, so a lookup is usually a cache miss).
  [[nodiscard]] std::uint32_t child(std::uint32_t node,
                                    std::uint32_t token) const noexcept {
    if (!(nodes[node].child_mask & (1ULL << (token & 63)))) return 0;
    const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) | token;
    const std::uint64_t h = mix64(key);
    if (!edge_filter.maybe(h)) return 0;
    return edges.get_hashed(key, h);
  }
};

/// A frame (pack format 2): roles filled by word classes in one clause.
struct frame_def {
  std::uint32_t entry = 0;  ///< the frame's entry (category, severity, weight, id)
  std::uint32_t phrase = 0; ///< index into phrases: "role + role + ..." for audit
  std::vector<std::string> role_names;
  std::vector<std::uint64_t> role_classes; ///< per role: bit set of class indices
  std::uint32_t max_span = 12;             ///< tokens from the first role to the last
  bool has_unless = false;                 ///< some unless_any pattern may cancel it
  std::string description;                 ///< "role=@class + ..." (audit text)
};

struct compiled_pack {
  std::string id, version, locale, description;
  std::vector<entry> entries;
  std::vector<std::string> phrases; ///< normalised token sequences
  std::vector<std::string> classes; ///< word class names (format 2), index = bit
  std::vector<frame_def> frames;    ///< format 2
  // Vocabulary: id 0 = unknown token.
  string_table vocab;                  ///< word → id
  bloom_filter vocab_filter;           ///< over `vocab` keys (small, stays in cache)
  string_table squeezed;               ///< token with letter runs squeezed → id
  string_table typos;                  ///< one-typo variant of a phrase word → id
  std::vector<std::string> token_text; ///< id → text
  std::vector<std::uint32_t> token_model_hash; ///< id → word_hash(text) (model_hash.hpp)
  std::vector<std::vector<std::uint32_t>>
      replacement; ///< id → ids it expands to (compile time)
  std::vector<std::uint32_t>
      repl_begin; ///< id → first of its ids in repl_ids (id+1: end)
  std::vector<std::uint32_t> repl_ids;   ///< flattened `replacement` for the hot path
  std::vector<std::uint8_t> token_flags; ///< id → token_flag bits
  std::vector<std::array<std::uint32_t, 2>> alias; ///< id → first-person stand-ins
  bloom_filter typo_filter;                        ///< over `typos` keys
  string_table compounds;       ///< run-together phrase ("endmylife") → id
  bloom_filter compound_filter; ///< over `compounds` keys
  // Two tries: phrases, multipliers, exceptions and their with_any patterns;
  // and the linguistic cues, walked only when a message has a signal.
  token_trie signals, cues;
  word_gate gate; ///< see word_gate
  pack_stats stats;
  std::vector<pack_finding> findings;
};

/// Parses, validates and compiles; throws veteran::error(pack_invalid|parse_error).
std::unique_ptr<compiled_pack> compile_pack(std::string_view json);

} // namespace triage::detail

namespace triage {

/// What a public `pack` holds.
struct pack::compiled : detail::compiled_pack {
  explicit compiled(detail::compiled_pack &&c) : detail::compiled_pack(std::move(c)) {}
};

/// The library's access to a pack's compiled form.
struct pack_internals {
  [[nodiscard]] static const detail::compiled_pack &of(const pack &p) noexcept {
    return *p.impl_;
  }
  [[nodiscard]] static std::shared_ptr<const pack>
  make(std::unique_ptr<detail::compiled_pack> c) {
    return std::shared_ptr<const pack>(
        new pack(std::make_unique<const pack::compiled>(std::move(*c))));
  }
};

} // namespace triage
VETERAN_NAMESPACE_END
