// Phrase pack loading: JSON → validated entries → expanded token sequences →
// vocabulary, lexicon, compounds and token trie (compiled_pack).
#include "veteran/triage/pack.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "triage/detail/compiled_pack.hpp"
#include "triage/detail/tokenizer.hpp"
#include "util/file.hpp"
#include "util/json_read.hpp"

std::string_view veteran_embedded_pack_en_gb() noexcept;

VETERAN_NAMESPACE_BEGIN
namespace triage {
namespace detail {

const char *to_string(cue_kind k) noexcept {
  static constexpr const char *names[] = {
      "negation", "negation_short", "negation_breaker", "past",
      "present",  "third_person",   "first_person",     "title",
      "reported", "joking",         "self_disclosure",  "clause_break",
      "resolved", "relative"};
  const auto i = static_cast<std::size_t>(k);
  return i < sizeof names / sizeof names[0] ? names[i] : "unknown";
}

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxExpansions = 4096;
constexpr std::size_t kMaxTokens = 16;

[[noreturn]] void invalid(const std::string &where, const std::string &what) {
  throw veteran::error(errc::pack_invalid, where + ": " + what);
}

std::string where_of(const char *section, std::size_t index, const std::string &id) {
  std::string w = std::string(section) + "[" + std::to_string(index) + "]";
  if (!id.empty()) w += " (id \"" + id + "\")";
  return w;
}

/// Splits folded text into plain word tokens (pattern side: no evasion repair).
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string buf;
  scan_tokens(text, buf, [&](const raw_token &t) {
    out.emplace_back(buf.substr(t.text_begin, t.text_len));
  });
  return out;
}

/// Expands "(a|b) c (d|)" into its alternatives. Throws on bad syntax.
std::vector<std::string> expand_pattern(const std::string &pattern,
                                        const std::string &where) {
  if (pattern.find_first_of("*?[]{}\\") != std::string::npos)
    invalid(where, "pattern may only contain words and (a|b) groups");
  std::vector<std::vector<std::string>> segments;
  std::string literal;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == ')' || c == '|')
      invalid(where, "pattern has '" + std::string(1, c) + "' outside a group");
    if (c != '(') {
      literal.push_back(c);
      continue;
    }
    segments.push_back({literal});
    literal.clear();
    const auto close = pattern.find(')', i);
    if (close == std::string::npos) invalid(where, "pattern has an unclosed '('");
    const std::string body = pattern.substr(i + 1, close - i - 1);
    if (body.find('(') != std::string::npos)
      invalid(where, "pattern groups may not nest");
    std::vector<std::string> alternatives;
    std::size_t from = 0;
    for (;;) {
      const auto bar = body.find('|', from);
      alternatives.push_back(" " + body.substr(from, bar - from) + " ");
      if (bar == std::string::npos) break;
      from = bar + 1;
    }
    segments.push_back(std::move(alternatives));
    i = close;
  }
  segments.push_back({literal});
  std::vector<std::string> out{""};
  for (const auto &seg : segments) {
    std::vector<std::string> next;
    for (const auto &prefix : out)
      for (const auto &alt : seg) {
        next.push_back(prefix + alt);
        if (next.size() > kMaxExpansions)
          invalid(where, "pattern expands to more than " +
                             std::to_string(kMaxExpansions) + " alternatives");
      }
    out.swap(next);
  }
  return out;
}

struct lexicon_t {
  std::map<std::string, std::vector<std::string>> map;
  std::vector<std::string> apply(const std::vector<std::string> &words) const {
    std::vector<std::string> out;
    for (const auto &w : words) {
      auto it = map.find(w);
      if (it == map.end())
        out.push_back(w);
      else
        out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
  }
};

const json::object &as_object(const json::value &v, const std::string &where) {
  if (!v.is_object()) invalid(where, "must be an object");
  return v.get_object();
}

std::string get_string(const json::object &o, const char *key, const std::string &where,
                       bool required = true) {
  auto *v = o.if_contains(key);
  if (!v) {
    if (required) invalid(where, std::string("missing \"") + key + "\"");
    return {};
  }
  if (!v->is_string()) invalid(where, std::string("\"") + key + "\" must be a string");
  return std::string(v->get_string());
}

double get_number(const json::object &o, const char *key, const std::string &where) {
  auto *v = o.if_contains(key);
  if (!v) invalid(where, std::string("missing \"") + key + "\"");
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  invalid(where, std::string("\"") + key + "\" must be a number");
}

void check_keys(const json::object &o, std::initializer_list<const char *> allowed,
                const std::string &where) {
  for (const auto &kv : o) {
    bool ok = false;
    for (const char *a : allowed)
      ok = ok || kv.key() == a;
    if (!ok) invalid(where, "unknown key \"" + std::string(kv.key()) + "\"");
  }
}

const std::set<std::string> kFlags = {"uk", "veteran", "informal", "slang", "euphemism"};
const std::set<std::string> kReasons = {"idiom",   "hyperbole", "everyday",
                                        "medical", "gaming",    "title",
                                        "sport",   "work",      "food"};

void check_flags(const json::object &o, const std::string &where) {
  auto *v = o.if_contains("flags");
  if (!v) return;
  if (!v->is_array()) invalid(where, "\"flags\" must be a list");
  for (const auto &f : v->get_array()) {
    if (!f.is_string() || !kFlags.count(std::string(f.get_string())))
      invalid(where, "flags may only be uk, veteran, informal, slang, euphemism");
  }
}

std::string check_id(const json::object &o, const std::string &where,
                     std::set<std::string> &ids) {
  std::string id = get_string(o, "id", where);
  if (id.empty()) invalid(where, "\"id\" must not be empty");
  if (!ids.insert(id).second) invalid(where, "duplicate id \"" + id + "\"");
  return id;
}

/// A pattern compiled to token sequences, before ids are assigned.
struct pending {
  std::uint32_t entry;
  std::vector<std::string> tokens;
  std::uint8_t flags;
};

class compiler {
public:
  std::unique_ptr<compiled_pack> run(std::string_view text) {
    json::value doc = util::parse_strict(text, "pack").value();
    const auto &root = as_object(doc, "pack");
    check_keys(root,
               {"format", "id", "version", "locale", "description", "lexicon", "phrases",
                "multipliers", "exceptions", "cues"},
               "pack");
    auto *format = root.if_contains("format");
    if (!format || !format->is_int64() || format->get_int64() != 1)
      throw veteran::error(errc::unsupported_version, "pack: \"format\" must be 1");
    out_->id = get_string(root, "id", "pack");
    out_->version = get_string(root, "version", "pack");
    out_->locale = get_string(root, "locale", "pack");
    out_->description = get_string(root, "description", "pack", false);
    if (out_->id.empty() || out_->version.empty())
      invalid("pack", "\"id\" and \"version\" must not be empty");

    load_lexicon(root);
    load_section(root, "phrases", entry_kind::phrase);
    load_section(root, "multipliers", entry_kind::multiplier);
    load_section(root, "exceptions", entry_kind::exception);
    load_cues(root);
    if (out_->stats.phrases == 0) invalid("phrases", "a pack needs at least one phrase");
    build();
    return std::move(out_);
  }

private:
  const json::array &array_of(const json::object &root, const char *key) {
    static const json::array empty;
    auto *v = root.if_contains(key);
    if (!v) return empty;
    if (!v->is_array()) invalid(key, "must be a list");
    return v->get_array();
  }

  void load_lexicon(const json::object &root) {
    const auto &arr = array_of(root, "lexicon");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string where = where_of("lexicon", i, "");
      const auto &o = as_object(arr[i], where);
      check_keys(o, {"from", "to", "note"}, where);
      const auto from = words_of(get_string(o, "from", where));
      const auto to = words_of(get_string(o, "to", where));
      if (from.size() != 1) invalid(where, "\"from\" must be exactly one word");
      if (to.empty()) invalid(where, "\"to\" must contain at least one word");
      if (to.size() == 1 && to[0] == from[0])
        invalid(where, "\"from\" and \"to\" are the same");
      if (!lexicon_.map.emplace(from[0], to).second)
        invalid(where, "duplicate \"from\" word \"" + from[0] + "\"");
    }
    for (const auto &[from, to] : lexicon_.map)
      for (const auto &w : to)
        if (lexicon_.map.count(w))
          invalid("lexicon", "entries must not chain: \"" + w +
                                 "\" is both a \"to\" word and a \"from\" word");
    out_->stats.lexicon = lexicon_.map.size();
  }

  void load_section(const json::object &root, const char *section, entry_kind kind) {
    const auto &arr = array_of(root, section);
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const auto &o = as_object(arr[i], where_of(section, i, ""));
      std::string id;
      if (auto *v = o.if_contains("id"); v && v->is_string())
        id = std::string(v->get_string());
      const std::string where = where_of(section, i, id);
      entry e;
      e.kind = kind;
      e.id = check_id(o, where, ids_);
      if (kind == entry_kind::phrase) load_phrase(o, where, e);
      if (kind == entry_kind::multiplier) load_multiplier(o, where, e);
      if (kind == entry_kind::exception) load_exception(o, where, e);
      const auto index = add_entry(std::move(e));
      add_pattern(index, get_string(o, "pattern", where), where);
      if (kind == entry_kind::exception || kind == entry_kind::phrase)
        load_with(o, where, index);
    }
  }

  void load_phrase(const json::object &o, const std::string &where, entry &e) {
    check_keys(
        o,
        {"id", "pattern", "category", "severity", "weight", "flags", "with_any", "note"},
        where);
    if (!parse(get_string(o, "category", where), e.cat))
      invalid(
          where,
          "category must be one of intent, plan, means, finality, passive_death_wish, "
          "ideation, self_harm, hopelessness, burden, isolation, distress, substances");
    if (!parse(get_string(o, "severity", where), e.severity) || e.severity == level::none)
      invalid(where, "severity must be one of low, medium, high, critical");
    e.weight = get_number(o, "weight", where);
    if (!(e.weight > 0 && e.weight <= 1)) invalid(where, "weight must be in (0, 1]");
    check_flags(o, where);
    ++out_->stats.phrases;
    ++out_->stats.per_category[static_cast<std::size_t>(e.cat)];
  }

  void load_multiplier(const json::object &o, const std::string &where, entry &e) {
    check_keys(o, {"id", "pattern", "kind", "factor", "flags", "note"}, where);
    if (!parse(get_string(o, "kind", where), e.mkind))
      invalid(where,
              "kind must be one of substances, isolation, finality, means, recent_loss");
    e.factor = get_number(o, "factor", where);
    if (!(e.factor > 1 && e.factor <= 2)) invalid(where, "factor must be in (1, 2]");
    check_flags(o, where);
    ++out_->stats.multipliers;
    ++out_->stats.per_multiplier_kind[static_cast<std::size_t>(e.mkind)];
  }

  void load_exception(const json::object &o, const std::string &where, entry &e) {
    check_keys(o, {"id", "pattern", "reason", "with_any", "note"}, where);
    e.reason = get_string(o, "reason", where);
    if (!kReasons.count(e.reason))
      invalid(where,
              "reason must be one of idiom, hyperbole, everyday, medical, gaming, title, "
              "sport, work, food");
    ++out_->stats.exceptions;
  }

  /// "with_any": the entry (an exception, or a phrase) counts only when one
  /// of these patterns also matches: in the same sentence for an exception,
  /// anywhere in the message for a phrase.
  void load_with(const json::object &o, const std::string &where,
                 std::uint32_t exception) {
    auto *v = o.if_contains("with_any");
    if (!v) return;
    if (!v->is_array() || v->get_array().empty())
      invalid(where, "\"with_any\" must be a non-empty list of patterns");
    out_->entries[exception].needs_with = true;
    for (const auto &p : v->get_array()) {
      if (!p.is_string()) invalid(where, "\"with_any\" must contain strings");
      entry w;
      w.kind = entry_kind::with;
      w.id = out_->entries[exception].id;
      w.parent = exception;
      add_pattern(add_entry(std::move(w)), std::string(p.get_string()),
                  where + " with_any");
    }
  }

  void load_cues(const json::object &root) {
    auto *v = root.if_contains("cues");
    if (!v) return;
    const auto &o = as_object(*v, "cues");
    for (const auto &kv : o) {
      int kind = -1;
      for (int k = 0; k < cue_kind_count; ++k)
        if (kv.key() == to_string(static_cast<cue_kind>(k))) kind = k;
      const std::string where = "cues." + std::string(kv.key());
      if (kind < 0) invalid("cues", "unknown cue kind \"" + std::string(kv.key()) + "\"");
      if (!kv.value().is_array()) invalid(where, "must be a list of patterns");
      const auto &arr = kv.value().get_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_string())
          invalid(where_of(where.c_str(), i, ""), "must be a string");
        entry e;
        e.kind = entry_kind::cue;
        e.cue = static_cast<cue_kind>(kind);
        e.id = where;
        add_pattern(add_entry(std::move(e)), std::string(arr[i].get_string()),
                    where_of(where.c_str(), i, ""));
        ++out_->stats.cues;
      }
    }
  }

  std::uint32_t add_entry(entry e) {
    out_->entries.push_back(std::move(e));
    return static_cast<std::uint32_t>(out_->entries.size() - 1);
  }

  void add_pattern(std::uint32_t index, const std::string &pattern,
                   const std::string &where) {
    if (pattern.empty()) invalid(where, "\"pattern\" must not be empty");
    for (const auto &alt : expand_pattern(pattern, where)) {
      auto tokens = lexicon_.apply(words_of(alt));
      if (tokens.empty()) invalid(where, "pattern has an alternative with no words");
      if (tokens.size() > kMaxTokens)
        invalid(where, "pattern alternative longer than " + std::to_string(kMaxTokens) +
                           " words");
      add_sequence(index, std::move(tokens));
    }
  }

  static bool is_first_person(const std::string &w) {
    static const std::set<std::string> fp = {"i",  "me",  "my", "myself",
                                             "im", "ive", "id", "mine"};
    return fp.count(w) != 0;
  }

  void add_sequence(std::uint32_t index, std::vector<std::string> tokens) {
    const bool first = std::any_of(tokens.begin(), tokens.end(), is_first_person);
    pending_.push_back({index, std::move(tokens),
                        static_cast<std::uint8_t>(first ? out_first_person : 0)});
    ++out_->stats.expansions;
  }

  // Third person is matched through pronoun aliases instead of generated
  // variants: "he wants to kill himself" walks the trie as "i want to kill
  // myself" and the match is flagged as about someone else. This keeps the
  // trie a quarter of the size it would be with he/she/they copies.
  void add_pronoun_aliases() {
    auto &cp = *out_;
    static const std::pair<const char *, std::array<const char *, 2>> aliases[] = {
        {"he", {"i", nullptr}},
        {"she", {"i", nullptr}},
        {"they", {"i", nullptr}},
        {"him", {"me", nullptr}},
        {"them", {"me", nullptr}},
        {"her", {"me", "my"}},
        {"his", {"my", "mine"}},
        {"their", {"my", nullptr}},
        {"himself", {"myself", nullptr}},
        {"herself", {"myself", nullptr}},
        {"themselves", {"myself", nullptr}},
        {"themself", {"myself", nullptr}},
        {"hes", {"im", "ive"}},
        {"shes", {"im", "ive"}},
        {"theyre", {"im", nullptr}},
        {"theyve", {"ive", nullptr}},
        {"hed", {"id", nullptr}},
        {"shed", {"id", nullptr}},
        {"theyd", {"id", nullptr}},
        {"hers", {"mine", nullptr}},
        {"theirs", {"mine", nullptr}},
        {"is", {"am", nullptr}},
        {"are", {"am", nullptr}}};
    cp.alias.assign(cp.token_text.size(), {0, 0});
    for (const auto &[word, targets] : aliases) {
      const auto from = cp.vocab.get(word);
      if (!from) continue; // never needed: no pattern reaches it
      for (int k = 0; k < 2; ++k)
        if (targets[k])
          cp.alias[from][static_cast<std::size_t>(k)] = cp.vocab.get(targets[k]);
      if (cp.alias[from][0] || cp.alias[from][1])
        cp.token_flags[from] |= (std::string(word) == "is" || std::string(word) == "are")
                                    ? tok_verb_alias
                                    : tok_pronoun_alias;
    }
  }

  std::uint32_t intern(const std::string &w) {
    if (auto id = out_->vocab.get(w)) return id;
    const auto id = static_cast<std::uint32_t>(out_->token_text.size());
    out_->token_text.push_back(w);
    out_->replacement.emplace_back();
    out_->token_flags.push_back(0);
    out_->vocab.put(w, id);
    return id;
  }

  void build() {
    auto &cp = *out_;
    cp.token_text.assign(1, std::string()); // id 0 = unknown
    cp.replacement.assign(1, {});
    cp.token_flags.assign(1, 0);
    // Plain tokens first, then lexicon "from" words and compounds expanding to them.
    std::vector<std::vector<std::uint32_t>> seq_ids;
    for (const auto &p : pending_) {
      std::vector<std::uint32_t> ids;
      for (const auto &w : p.tokens)
        ids.push_back(intern(w));
      seq_ids.push_back(std::move(ids));
    }
    for (const char *w :
         {"he",    "she",   "they",    "him",     "them",       "her",
          "his",   "their", "himself", "herself", "themselves", "themself",
          "hes",   "shes",  "theyre",  "theyve",  "hed",        "shed",
          "theyd", "hers",  "theirs",  "is",      "are"})
      intern(w);
    for (const auto &[from, to] : lexicon_.map) {
      std::vector<std::uint32_t> ids;
      for (const auto &w : to)
        ids.push_back(intern(w));
      const auto id = intern(from);
      cp.replacement[id] = ids;
    }
    add_compounds(seq_ids);
    mark_token_flags(seq_ids);
    add_squeezed();
    add_typos();
    add_pronoun_aliases();
    std::vector<std::string> words(cp.token_text.begin() + 1, cp.token_text.end());
    words.erase(std::remove_if(words.begin(), words.end(),
                               [&](const std::string &w) { return !cp.vocab.get(w); }),
                words.end());
    cp.vocab_filter = bloom_of(words);
    build_trie(seq_ids, cp.signals, false);
    build_trie(seq_ids, cp.cues, true);
    flatten_replacements();
    cp.stats.vocabulary = cp.token_text.size() - 1;
  }

  void flatten_replacements() {
    auto &cp = *out_;
    cp.repl_begin.clear();
    for (std::size_t id = 0; id < cp.replacement.size(); ++id) {
      const auto &r = cp.replacement[id];
      if (!r.empty()) cp.token_flags[id] |= tok_replaced;
      cp.repl_begin.push_back(static_cast<std::uint32_t>(cp.repl_ids.size()));
      cp.repl_ids.insert(cp.repl_ids.end(), r.begin(), r.end());
    }
    cp.repl_begin.push_back(static_cast<std::uint32_t>(cp.repl_ids.size()));
  }

  // Run-together forms ("endmylife") of multi-word phrases, when unambiguous.
  void add_compounds(const std::vector<std::vector<std::uint32_t>> &seq_ids) {
    auto &cp = *out_;
    std::map<std::string, std::vector<std::uint32_t>> compounds;
    std::set<std::string> ambiguous;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      const auto &p = pending_[i];
      if (cp.entries[p.entry].kind != entry_kind::phrase) continue;
      if (p.tokens.size() < 2) continue;
      std::string joined;
      for (const auto &w : p.tokens)
        joined += w;
      if (joined.size() < 8 || cp.vocab.get(joined)) continue;
      auto [it, inserted] = compounds.emplace(joined, seq_ids[i]);
      if (!inserted && it->second != seq_ids[i]) ambiguous.insert(joined);
    }
    // Compounds live in their own table (consulted only for unknown words,
    // behind a Bloom filter) so the hot vocabulary table stays small.
    std::vector<std::string> kept;
    for (auto &[joined, ids] : compounds) {
      if (ambiguous.count(joined)) continue;
      const auto id = static_cast<std::uint32_t>(cp.token_text.size());
      cp.token_text.push_back(joined);
      cp.replacement.push_back(ids);
      cp.token_flags.push_back(0);
      cp.compounds.put(joined, id);
      kept.push_back(joined);
    }
    cp.compound_filter = bloom_of(kept);
  }

  void mark_token_flags(const std::vector<std::vector<std::uint32_t>> &seq_ids) {
    auto &cp = *out_;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      const auto &e = cp.entries[pending_[i].entry];
      if (e.kind != entry_kind::cue || seq_ids[i].size() != 1) continue;
      const auto id = seq_ids[i][0];
      if (e.cue == cue_kind::first_person) cp.token_flags[id] |= tok_first_person;
      if (e.cue == cue_kind::third_person) cp.token_flags[id] |= tok_third_person;
      if (e.cue == cue_kind::clause_break) cp.token_flags[id] |= tok_clause_break;
    }
  }

  // "killllll" → "kil" → kill: every vocabulary word indexed by its form with
  // repeated letters squeezed to one, unless two words share that form.
  void add_squeezed() {
    auto &cp = *out_;
    std::unordered_map<std::string, std::uint32_t> forms;
    for (std::uint32_t id = 1; id < cp.token_text.size(); ++id) {
      std::string s;
      for (char c : cp.token_text[id])
        if (s.empty() || s.back() != c) s.push_back(c);
      auto [it, inserted] = forms.emplace(s, id);
      if (!inserted && it->second != id) it->second = 0;
    }
    for (const auto &[form, id] : forms)
      if (id) cp.squeezed.put(form, id);
  }

  // Single typos of the words used in phrases ("wnat", "kil", "suicdal"):
  // adjacent transpositions, a doubled letter undoubled or a letter doubled,
  // and (for words of 5+ letters) one letter dropped after the first. A
  // variant that is itself a known word, or that two words share, is skipped.
  void add_typos() {
    auto &cp = *out_;
    std::set<std::uint32_t> targets;
    for (const auto &p : pending_)
      if (cp.entries[p.entry].kind == entry_kind::phrase)
        for (const auto &w : p.tokens)
          if (w.size() >= 3) targets.insert(cp.vocab.get(w));
    std::unordered_map<std::string, std::uint32_t> variants;
    auto add = [&](const std::string &v, std::uint32_t id) {
      if (v.size() < 3 || cp.vocab.get(v)) return;
      auto [it, inserted] = variants.emplace(v, id);
      if (!inserted && it->second != id) it->second = 0;
    };
    for (const auto id : targets) {
      const std::string &w = cp.token_text[id];
      if (w.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos)
        continue;
      for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        if (w[i] == w[i + 1]) {
          add(w.substr(0, i) + w.substr(i + 1), id); // "kill" → "kil"
          continue;
        }
        std::string t = w;
        std::swap(t[i], t[i + 1]); // "want" → "wnat"
        add(t, id);
      }
      for (std::size_t i = 0; i < w.size(); ++i)
        add(w.substr(0, i + 1) + w.substr(i), id); // "die" → "diie"
      if (w.size() >= 5)
        for (std::size_t i = 1; i < w.size(); ++i)
          add(w.substr(0, i) + w.substr(i + 1), id);
    }
    std::vector<std::string> kept;
    for (const auto &[v, id] : variants) {
      if (!id) continue;
      cp.typos.put(v, id);
      kept.push_back(v);
    }
    cp.typo_filter = bloom_of(kept);
  }

  static bloom_filter bloom_of(const std::vector<std::string> &keys) {
    bloom_filter f;
    f.reset(keys.size());
    for (const auto &k : keys)
      f.add(hash_key(load_prefix(k.data(), k.size()), k.data(), k.size()));
    return f;
  }

  void build_trie(const std::vector<std::vector<std::uint32_t>> &seq_ids,
                  token_trie &trie, bool cues) {
    auto &cp = *out_;
    trie.continuation = cues ? tok_cue_continuation : tok_continuation;
    trie.root_child.assign(cp.token_text.size(), 0);
    std::vector<std::vector<output>> node_outputs(1);
    std::vector<std::uint64_t> masks(1, 0);
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if ((cp.entries[pending_[i].entry].kind == entry_kind::cue) != cues) continue;
      std::uint32_t node = 0;
      for (const auto id : seq_ids[i]) {
        std::uint32_t next =
            node == 0 ? trie.root_child[id]
                      : trie.edges.get((static_cast<std::uint64_t>(node) << 32) | id);
        if (node != 0) cp.token_flags[id] |= trie.continuation;
        if (!next) {
          next = static_cast<std::uint32_t>(node_outputs.size());
          node_outputs.emplace_back();
          masks.push_back(0);
          if (node == 0)
            trie.root_child[id] = next;
          else
            trie.edges.put((static_cast<std::uint64_t>(node) << 32) | id, next);
          masks[node] |= 1ULL << (id & 63);
        }
        node = next;
      }
      output o;
      o.entry = pending_[i].entry;
      o.phrase = phrase_id(pending_[i].tokens);
      o.length = static_cast<std::uint16_t>(seq_ids[i].size());
      o.flags = pending_[i].flags;
      auto &outs = node_outputs[node];
      const bool dup = std::any_of(outs.begin(), outs.end(), [&](const output &x) {
        return x.entry == o.entry && x.flags == o.flags;
      });
      if (!dup) outs.push_back(o);
    }
    trie.edge_filter.reset(node_outputs.size());
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if ((cp.entries[pending_[i].entry].kind == entry_kind::cue) != cues) continue;
      std::uint32_t node = trie.root_child[seq_ids[i][0]];
      for (std::size_t k = 1; k < seq_ids[i].size(); ++k) {
        const std::uint64_t key =
            (static_cast<std::uint64_t>(node) << 32) | seq_ids[i][k];
        trie.edge_filter.add(mix64(key));
        node = trie.edges.get(key);
      }
    }
    // Encode root children with their "has outputs" bit, and index the first
    // two tokens of every pattern.
    // Sized by distinct pairs (far fewer than patterns) so it stays in L1.
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::size_t i = 0; i < pending_.size(); ++i)
      if ((cp.entries[pending_[i].entry].kind == entry_kind::cue) == cues &&
          seq_ids[i].size() >= 2)
        pairs.emplace(seq_ids[i][0], seq_ids[i][1]);
    trie.first_pairs.reset(pairs.size());
    for (const auto &[first, second] : pairs)
      trie.first_pairs.add(first, second);
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

  std::uint32_t phrase_id(const std::vector<std::string> &tokens) {
    std::string text;
    for (const auto &w : tokens)
      text += (text.empty() ? "" : " ") + w;
    auto [it, inserted] =
        phrase_index_.emplace(text, static_cast<std::uint32_t>(out_->phrases.size()));
    if (inserted) out_->phrases.push_back(text);
    return it->second;
  }

  std::map<std::string, std::uint32_t> phrase_index_;
  std::unique_ptr<compiled_pack> out_ = std::make_unique<compiled_pack>();
  lexicon_t lexicon_;
  std::set<std::string> ids_;
  std::vector<pending> pending_;
};

} // namespace

std::unique_ptr<compiled_pack> compile_pack(std::string_view json) {
  return compiler().run(json);
}

} // namespace detail

pack::pack(std::unique_ptr<detail::compiled_pack> impl) : impl_(std::move(impl)) {}
pack::~pack() = default;

const std::string &pack::id() const noexcept { return impl_->id; }
const std::string &pack::version() const noexcept { return impl_->version; }
const std::string &pack::locale() const noexcept { return impl_->locale; }
const pack_stats &pack::stats() const noexcept { return impl_->stats; }

result<std::shared_ptr<const pack>> pack::from_json(std::string_view json) {
  if (json.size() > max_pack_bytes)
    return {errc::limit_exceeded,
            "pack: JSON exceeds " + std::to_string(max_pack_bytes) + " bytes"};
  std::shared_ptr<const pack> p;
  auto err = capture_error(
      [&] { p = std::make_shared<const pack>(detail::compile_pack(json)); });
  if (err.code != errc::ok) return err;
  return p;
}

result<std::shared_ptr<const pack>> pack::from_file(const std::string &path) {
  util::read_file_options o;
  o.max_bytes = max_pack_bytes;
  auto text = util::read_file(path, "pack", o);
  if (!text) return text.error();
  return from_json(*text);
}

std::string_view default_pack_json() noexcept { return veteran_embedded_pack_en_gb(); }

std::shared_ptr<const pack> pack::default_pack() {
  static const std::shared_ptr<const pack> p = [] {
    auto r = from_json(default_pack_json());
    // The shipped pack is validated by the test suite; failing here is a build
    // defect, surfaced loudly rather than by silently triaging with nothing.
    if (!r)
      throw veteran::error(errc::internal, "default pack failed to load: " + r.message());
    return std::move(r).value();
  }();
  return p;
}

} // namespace triage
VETERAN_NAMESPACE_END
