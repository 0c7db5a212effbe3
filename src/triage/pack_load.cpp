// Pack compiler, stage 1: JSON -> validated entries and their patterns as
// word sequences (groups expanded, lexicon applied). See pack_compiler.hpp.
#include <boost/json.hpp>

#include <set>

#include "triage/detail/pack_compiler.hpp"
#include "triage/detail/tokenizer.hpp"
#include "util/json_read.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

const char *to_string(cue_kind k) noexcept {
  static constexpr const char *names[] = {
      "negation", "negation_short", "negation_breaker", "past",
      "present",  "third_person",   "first_person",     "title",
      "reported", "joking",         "self_disclosure",  "clause_break",
      "resolved", "relative",       "clarification"};
  const auto i = static_cast<std::size_t>(k);
  return i < sizeof names / sizeof names[0] ? names[i] : "unknown";
}

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxExpansions = 4096;
constexpr std::size_t kMaxTokens = 16;
constexpr std::size_t kMaxClasses = 64; // a role's classes are a 64-bit set
constexpr std::size_t kMaxRoles = 6;

[[noreturn]] void invalid(const std::string &where, const std::string &what) {
  throw veteran::error(errc::pack_invalid, where + ": " + what);
}

std::string where_of(const std::string &section, std::size_t index,
                     const std::string &id) {
  std::string w = section + "[" + std::to_string(index) + "]";
  if (!id.empty()) w += " (id \"" + id + "\")";
  return w;
}

/// A reader whose errors are pack_invalid and name the entry.
util::json_object_reader entry_reader(const json::value &v, const std::string &where) {
  return util::json_object_reader(v, where, errc::pack_invalid);
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

/// Splits the body of one "(a|b|)" group into its alternatives, padded with
/// spaces so they join the words around them.
std::vector<std::string> group_alternatives(const std::string &body) {
  std::vector<std::string> alternatives;
  std::size_t from = 0;
  for (;;) {
    const auto bar = body.find('|', from);
    alternatives.push_back(" " + body.substr(from, bar - from) + " ");
    if (bar == std::string::npos) return alternatives;
    from = bar + 1;
  }
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
    segments.push_back(group_alternatives(body));
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

const std::set<std::string> kFlags = {"uk", "veteran", "informal", "slang", "euphemism"};
const std::set<std::string> kReasons = {"idiom",   "hyperbole", "everyday",
                                        "medical", "gaming",    "title",
                                        "sport",   "work",      "food"};

void check_flags(const util::json_object_reader &o) {
  const auto *flags = o.optional_array("flags");
  if (!flags) return;
  for (const auto &f : *flags)
    if (!f.is_string() || !kFlags.count(std::string(f.get_string())))
      o.fail("flags may only be uk, veteran, informal, slang, euphemism");
}

class loader {
public:
  loaded_pack run(std::string_view text) {
    const json::value doc = util::parse_strict(text, "pack").value();
    const util::json_object_reader root(doc, "pack", errc::pack_invalid);
    root.allow_only({"format", "id", "version", "locale", "description", "lexicon",
                     "phrases", "multipliers", "exceptions", "cues", "classes", "frames"});
    const auto *format = root.find("format");
    if (!format || !format->is_int64() ||
        (format->get_int64() != 1 && format->get_int64() != 2))
      throw veteran::error(errc::unsupported_version, "pack: \"format\" must be 1 or 2");
    if (format->get_int64() == 1 && (root.find("classes") || root.find("frames")))
      invalid("pack", "\"classes\" and \"frames\" need \"format\": 2");
    compiled_pack &cp = *p_.out;
    cp.id = root.string("id");
    cp.version = root.string("version");
    cp.locale = root.string("locale");
    cp.description = root.string_or("description", "");
    if (cp.id.empty() || cp.version.empty())
      invalid("pack", "\"id\" and \"version\" must not be empty");

    load_lexicon(root);
    load_section(root, "phrases", entry_kind::phrase);
    load_section(root, "multipliers", entry_kind::multiplier);
    load_section(root, "exceptions", entry_kind::exception);
    load_cues(root);
    load_classes(root);
    load_frames(root);
    if (cp.stats.phrases == 0) invalid("phrases", "a pack needs at least one phrase");
    mark_first_person();
    return std::move(p_);
  }

private:
  /// A reader for entry `i` of a section, named by its id when it has one.
  static util::json_object_reader section_entry(const json::array &arr, const char *name,
                                                std::size_t i) {
    std::string id;
    if (const auto *o = arr[i].if_object())
      if (const auto *v = o->if_contains("id"); v && v->is_string())
        id = std::string(v->get_string());
    return entry_reader(arr[i], where_of(name, i, id));
  }

  static const json::array &section(const util::json_object_reader &root,
                                    const char *key) {
    static const json::array empty;
    const auto *a = root.optional_array(key);
    return a ? *a : empty;
  }

  void load_lexicon(const util::json_object_reader &root) {
    const auto &arr = section(root, "lexicon");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string where = where_of("lexicon", i, "");
      const auto o = entry_reader(arr[i], where);
      o.allow_only({"from", "to", "note"});
      const auto from = words_of(o.string("from"));
      const auto to = words_of(o.string("to"));
      if (from.size() != 1) invalid(where, "\"from\" must be exactly one word");
      if (to.empty()) invalid(where, "\"to\" must contain at least one word");
      if (to.size() == 1 && to[0] == from[0])
        invalid(where, "\"from\" and \"to\" are the same");
      if (!p_.lexicon.emplace(from[0], to).second)
        invalid(where, "duplicate \"from\" word \"" + from[0] + "\"");
    }
    for (const auto &[from, to] : p_.lexicon)
      for (const auto &w : to)
        if (p_.lexicon.count(w))
          invalid("lexicon", "entries must not chain: \"" + w +
                                 "\" is both a \"to\" word and a \"from\" word");
    p_.out->stats.lexicon = p_.lexicon.size();
  }

  void load_section(const util::json_object_reader &root, const char *name,
                    entry_kind kind) {
    const auto &arr = section(root, name);
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const auto o = section_entry(arr, name, i);
      entry e;
      e.kind = kind;
      e.id = unique_id(o);
      if (kind == entry_kind::phrase) load_phrase(o, e);
      if (kind == entry_kind::multiplier) load_multiplier(o, e);
      if (kind == entry_kind::exception) load_exception(o, e);
      const auto index = add_entry(std::move(e));
      add_pattern(index, o.string("pattern"), o.where());
      if (kind == entry_kind::exception || kind == entry_kind::phrase)
        load_with(o, index);
    }
  }

  std::string unique_id(const util::json_object_reader &o) {
    std::string id = o.string("id");
    if (id.empty()) o.fail("\"id\" must not be empty");
    if (!ids_.insert(id).second) o.fail("duplicate id \"" + id + "\"");
    return id;
  }

  void load_phrase(const util::json_object_reader &o, entry &e) {
    o.allow_only({"id", "pattern", "category", "severity", "weight", "flags", "with_any",
                  "requires", "note"});
    load_signal_fields(o, e);
    ++p_.out->stats.phrases;
    ++p_.out->stats.per_category[static_cast<std::size_t>(e.cat)];
  }

  /// category, severity, weight and flags: what phrases and frames share.
  void load_signal_fields(const util::json_object_reader &o, entry &e) {
    if (!parse(o.string("category"), e.cat))
      o.fail(
          "category must be one of intent, plan, means, finality, passive_death_wish, "
          "ideation, self_harm, hopelessness, burden, isolation, distress, substances");
    if (!parse(o.string("severity"), e.severity) || e.severity == level::none)
      o.fail("severity must be one of low, medium, high, critical");
    e.weight = o.number("weight");
    if (!(e.weight > 0 && e.weight <= 1)) o.fail("weight must be in (0, 1]");
    check_flags(o);
    if (const auto *req = o.find("requires")) {
      if (!req->is_string() || req->get_string() != "crisis_context")
        o.fail("\"requires\" must be \"crisis_context\"");
      e.needs_crisis = true;
    }
  }

  void load_multiplier(const util::json_object_reader &o, entry &e) {
    o.allow_only({"id", "pattern", "kind", "factor", "flags", "note"});
    if (!parse(o.string("kind"), e.mkind))
      o.fail("kind must be one of substances, isolation, finality, means, recent_loss");
    e.factor = o.number("factor");
    if (!(e.factor > 1 && e.factor <= 2)) o.fail("factor must be in (1, 2]");
    check_flags(o);
    ++p_.out->stats.multipliers;
    ++p_.out->stats.per_multiplier_kind[static_cast<std::size_t>(e.mkind)];
  }

  void load_exception(const util::json_object_reader &o, entry &e) {
    o.allow_only({"id", "pattern", "reason", "with_any", "may_suppress", "note"});
    e.reason = o.string("reason");
    if (!kReasons.count(e.reason))
      o.fail("reason must be one of idiom, hyperbole, everyday, medical, gaming, title, "
             "sport, work, food");
    e.may_suppress = may_suppress(o);
    ++p_.out->stats.exceptions;
  }

  /// "may_suppress": the protected signals an exception may suppress, by
  /// category ("plan", "means") or "critical". Without it, an exception never
  /// hides a plan, a means or a critical signal.
  static std::uint32_t may_suppress(const util::json_object_reader &o) {
    const auto *v = o.find("may_suppress");
    if (!v) return 0;
    if (!v->is_array() || v->get_array().empty())
      o.fail("\"may_suppress\" must be a non-empty list");
    std::uint32_t bits = 0;
    for (const auto &item : v->get_array()) {
      category c{};
      const std::string name = item.is_string() ? std::string(item.get_string()) : "";
      if (name == "critical")
        bits |= kMaySuppressCritical;
      else if (parse(name, c) && is_protected(c))
        bits |= 1u << static_cast<unsigned>(c);
      else
        o.fail("\"may_suppress\" must list plan, means or critical");
    }
    return bits;
  }

  /// "with_any": the entry (an exception, or a phrase) counts only when one
  /// of these patterns also matches: in the same sentence for an exception,
  /// anywhere in the message for a phrase.
  void load_with(const util::json_object_reader &o, std::uint32_t owner) {
    if (load_owned_patterns(o, owner, "with_any", entry_kind::with))
      p_.out->entries[owner].needs_with = true;
  }

  /// A list member of patterns that belong to entry `owner` (with_any,
  /// unless_any), each added as an entry of `kind`. False when absent.
  bool load_owned_patterns(const util::json_object_reader &o, std::uint32_t owner,
                           const char *key, entry_kind kind) {
    const auto *v = o.find(key);
    if (!v) return false;
    const std::string quoted = "\"" + std::string(key) + "\"";
    if (!v->is_array() || v->get_array().empty())
      o.fail(quoted + " must be a non-empty list of patterns");
    for (const auto &p : v->get_array()) {
      if (!p.is_string()) o.fail(quoted + " must contain strings");
      entry w;
      w.kind = kind;
      w.id = p_.out->entries[owner].id;
      w.parent = owner;
      add_pattern(add_entry(std::move(w)), std::string(p.get_string()),
                  o.where() + " " + key);
    }
    return true;
  }

  void load_cues(const util::json_object_reader &root) {
    const auto *v = root.find("cues");
    if (!v) return;
    const util::json_object_reader cues(*v, "cues", errc::pack_invalid);
    for (const auto &kv : cues.object()) {
      int kind = -1;
      for (int k = 0; k < cue_kind_count; ++k)
        if (kv.key() == to_string(static_cast<cue_kind>(k))) kind = k;
      const std::string where = "cues." + std::string(kv.key());
      if (kind < 0) invalid("cues", "unknown cue kind \"" + std::string(kv.key()) + "\"");
      if (!kv.value().is_array()) invalid(where, "must be a list of patterns");
      const auto &arr = kv.value().get_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_string()) invalid(where_of(where, i, ""), "must be a string");
        entry e;
        e.kind = entry_kind::cue;
        e.cue = static_cast<cue_kind>(kind);
        e.id = where;
        add_pattern(add_entry(std::move(e)), std::string(arr[i].get_string()),
                    where_of(where, i, ""));
        ++p_.out->stats.cues;
      }
    }
  }

  /// "classes": named word classes, each a list of patterns, defined once and
  /// used by frames as "@name".
  void load_classes(const util::json_object_reader &root) {
    const auto &arr = section(root, "classes");
    compiled_pack &cp = *p_.out;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const auto o = section_entry(arr, "classes", i);
      o.allow_only({"id", "patterns", "note"});
      const std::string id = unique_id(o);
      if (id.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") != std::string::npos)
        o.fail("class \"id\" may only contain a-z, 0-9 and _");
      if (cp.classes.size() == kMaxClasses)
        o.fail("a pack may define at most " + std::to_string(kMaxClasses) + " classes");
      const auto &patterns = o.array("patterns");
      if (patterns.empty()) o.fail("\"patterns\" must not be empty");
      const auto index = static_cast<std::uint32_t>(cp.classes.size());
      cp.classes.push_back(id);
      class_index_[id] = index;
      for (const auto &pat : patterns) {
        if (!pat.is_string()) o.fail("\"patterns\" must contain strings");
        entry e;
        e.kind = entry_kind::role;
        e.id = id;
        e.word_class = index;
        add_pattern(add_entry(std::move(e)), std::string(pat.get_string()),
                    o.where() + " patterns");
      }
    }
    cp.stats.classes = cp.classes.size();
  }

  /// The class bits of one role: "@a" or ["@a", "@b"].
  std::uint64_t role_classes(const util::json_object_reader &o, const std::string &role,
                             const json::value &v, std::string &description) {
    std::vector<const json::value *> refs;
    if (v.is_array())
      for (const auto &x : v.get_array())
        refs.push_back(&x);
    else
      refs.push_back(&v);
    if (refs.empty()) o.fail("role \"" + role + "\" names no class");
    std::uint64_t bits = 0;
    for (const auto *r : refs) {
      if (!r->is_string() || r->get_string().size() < 2 || r->get_string()[0] != '@')
        o.fail("role \"" + role + "\" must name classes as \"@class\"");
      const std::string name(r->get_string().subview(1));
      const auto it = class_index_.find(name);
      if (it == class_index_.end())
        o.fail("role \"" + role + "\" names unknown class \"@" + name + "\"");
      bits |= std::uint64_t{1} << it->second;
      description += (bits == (std::uint64_t{1} << it->second) ? "" : "|") + std::string("@") + name;
    }
    return bits;
  }

  /// "frames": roles found in one clause (any order, within max_span tokens)
  /// make a signal with its own category and severity.
  void load_frames(const util::json_object_reader &root) {
    const auto &arr = section(root, "frames");
    compiled_pack &cp = *p_.out;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const auto o = section_entry(arr, "frames", i);
      o.allow_only({"id", "category", "severity", "weight", "roles", "max_span",
                    "unless_any", "flags", "requires", "note"});
      entry e;
      e.kind = entry_kind::frame;
      e.id = unique_id(o);
      load_signal_fields(o, e);
      frame_def f;
      const auto *roles = o.find("roles");
      if (!roles || !roles->is_object() || roles->get_object().size() < 2)
        o.fail("\"roles\" must be an object of at least two roles");
      if (roles->get_object().size() > kMaxRoles)
        o.fail("a frame may have at most " + std::to_string(kMaxRoles) + " roles");
      std::string description;
      for (const auto &kv : roles->get_object()) {
        const std::string role(kv.key());
        description += (description.empty() ? "" : " + ") + role + "=";
        f.role_names.push_back(role);
        f.role_classes.push_back(role_classes(o, role, kv.value(), description));
      }
      if (o.find("max_span"))
        f.max_span = static_cast<std::uint32_t>(o.integer("max_span", 2, 24));
      f.entry = add_entry(std::move(e));
      cp.entries[f.entry].frame = static_cast<std::uint32_t>(cp.frames.size());
      // "unless_any": patterns that, anywhere in the message, cancel the frame
      // (a shotgun "cleaned and ready" for the clay shoot).
      f.has_unless = load_owned_patterns(o, f.entry, "unless_any", entry_kind::unless);
      f.description = std::move(description);
      cp.frames.push_back(std::move(f));
    }
    cp.stats.frames = cp.frames.size();
  }

  std::uint32_t add_entry(entry e) {
    p_.out->entries.push_back(std::move(e));
    return static_cast<std::uint32_t>(p_.out->entries.size() - 1);
  }

  /// The lexicon's replacement of each word ("cant" -> "can not").
  std::vector<std::string> apply_lexicon(const std::vector<std::string> &words) const {
    std::vector<std::string> out;
    for (const auto &w : words) {
      auto it = p_.lexicon.find(w);
      if (it == p_.lexicon.end())
        out.push_back(w);
      else
        out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
  }

  void add_pattern(std::uint32_t index, const std::string &pattern,
                   const std::string &where) {
    if (pattern.empty()) invalid(where, "\"pattern\" must not be empty");
    for (const auto &alt : expand_pattern(pattern, where)) {
      auto tokens = apply_lexicon(words_of(alt));
      if (tokens.empty()) invalid(where, "pattern has an alternative with no words");
      if (tokens.size() > kMaxTokens)
        invalid(where, "pattern alternative longer than " + std::to_string(kMaxTokens) +
                           " words");
      p_.sequences.push_back({index, std::move(tokens), 0});
      ++p_.out->stats.expansions;
    }
  }

  /// Flags the sequences that contain a first-person word: the one-word
  /// patterns of the pack's own first_person cue list.
  void mark_first_person() {
    std::set<std::string> first_person;
    for (const auto &s : p_.sequences) {
      const auto &e = p_.out->entries[s.entry];
      if (e.kind == entry_kind::cue && e.cue == cue_kind::first_person &&
          s.tokens.size() == 1)
        first_person.insert(s.tokens[0]);
    }
    for (auto &s : p_.sequences)
      for (const auto &w : s.tokens)
        if (first_person.count(w)) s.flags = out_first_person;
  }

  loaded_pack p_;
  std::set<std::string> ids_;
  std::map<std::string, std::uint32_t> class_index_;
};

} // namespace

loaded_pack load_pack(std::string_view json) { return loader().run(json); }

} // namespace triage::detail
VETERAN_NAMESPACE_END
