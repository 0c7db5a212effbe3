// Message-level rules. Every rule explains itself in the assessment: a
// trigger's `why`, or a suppressed_match with its reason.
#include "triage/detail/rules.hpp"

#include <algorithm>

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace {

constexpr std::uint32_t kNegationWindow = 4;      // tokens between cue and phrase
constexpr std::uint32_t kShortNegationWindow = 0; // "no plans to ..." only
constexpr std::uint32_t kTitleWindow = 1;         // "a film called <title>"

level step(level l, int delta) {
  int v = static_cast<int>(l) + delta;
  v = std::clamp(v, 1, 4); // a real signal never drops to none by adjustment
  return static_cast<level>(v);
}

bool overlaps(const hit &a, const hit &b) {
  return a.first <= b.last && b.first <= a.last;
}

/// An exception suppresses what it overlaps, but never a plan, means or
/// critical signal unless its "may_suppress" names it: "took all my
/// painkillers for my back, the whole box" keeps its plan.
bool exception_covers(const entry &exception, const entry &signal, const hit &e,
                      const hit &h) {
  if (!overlaps(e, h)) return false;
  if (signal.kind == entry_kind::multiplier) return true;
  if (signal.severity == level::critical &&
      !(exception.may_suppress & kMaySuppressCritical))
    return false;
  return !is_protected(signal.cat) ||
         (exception.may_suppress & (1u << static_cast<unsigned>(signal.cat)));
}

const std::string &phrase_of(const compiled_pack &cp, const hit &h) {
  return cp.phrases[h.phrase];
}

void add_suppressed(const compiled_pack &cp, assessment &a, const hit &h,
                    const match_scratch &s, std::string reason, std::string by) {
  suppressed_match m;
  m.id = cp.entries[h.entry].id;
  m.phrase = phrase_of(cp, h);
  m.start = s.tokens[h.first].start;
  m.end = s.tokens[h.last].end;
  m.reason = std::move(reason);
  m.by = std::move(by);
  a.suppressed.push_back(std::move(m));
}

/// True when some with_any pattern of entry `parent` matched: in the same
/// sentence as token `at`, or anywhere when `at` is no_index.
bool context_found(const compiled_pack &cp, const match_scratch &s, std::uint32_t parent,
                   std::uint32_t at) {
  for (const auto &w : s.hits)
    if (cp.entries[w.entry].kind == entry_kind::with &&
        cp.entries[w.entry].parent == parent &&
        (at == no_index || s.tokens[w.first].sentence == s.tokens[at].sentence))
      return true;
  return false;
}

/// A phrase with a with_any list and none of its context in the message is
/// not a signal ("only need the one" without rounds or pills).
void drop_phrases_without_context(const compiled_pack &cp, match_scratch &s) {
  for (const auto hi : s.signals) {
    hit &h = s.hits[hi];
    if (cp.entries[h.entry].needs_with && !context_found(cp, s, h.entry, no_index))
      h.dropped = true;
  }
}

void apply_exceptions(const compiled_pack &cp, match_scratch &s, assessment &a) {
  for (const auto ei : s.exceptions) {
    const hit &e = s.hits[ei];
    const auto &entry = cp.entries[e.entry];
    if (entry.needs_with && !context_found(cp, s, e.entry, e.first)) continue;
    for (auto *list : {&s.signals, &s.multipliers})
      for (const auto hi : *list) {
        hit &h = s.hits[hi];
        if (h.dropped || !exception_covers(entry, cp.entries[h.entry], e, h)) continue;
        h.dropped = true;
        add_suppressed(cp, a, h, s, entry.reason, entry.id);
      }
  }
}

// A match inside a longer match of the same kind adds nothing ("kill myself"
// inside "want to kill myself"): keep the longer one. Two entries matching the
// same tokens: keep the more severe.
void drop_covered(const compiled_pack &cp, match_scratch &s,
                  std::vector<std::uint32_t> &list) {
  for (const auto i : list) {
    hit &h = s.hits[i];
    if (h.dropped) continue;
    for (const auto j : list) {
      const hit &o = s.hits[j];
      if (i == j || o.dropped || !(o.first <= h.first && h.last <= o.last)) continue;
      // A frame never hides a phrase inside it: the phrase says more.
      if (cp.entries[o.entry].kind == entry_kind::frame &&
          cp.entries[h.entry].kind != entry_kind::frame)
        continue;
      const bool longer = (o.last - o.first) > (h.last - h.first);
      const bool same_span = o.first == h.first && o.last == h.last;
      const auto hs = cp.entries[h.entry].severity, os = cp.entries[o.entry].severity;
      // Same words matched directly and through a pronoun alias ("till they
      // bleed" is also "till i bleed"): the direct match wins.
      const bool o_direct = !(o.flags & out_third_person),
                 h_direct = !(h.flags & out_third_person);
      const bool o_first = o_direct != h_direct ? o_direct : j < i;
      if (longer || (same_span && (os > hs || (os == hs && o_first)))) {
        h.dropped = true;
        break;
      }
    }
  }
}

/// The negation cue that negates `h`, if any (nullptr otherwise).
const hit *negation_of(const compiled_pack &cp, const match_scratch &s, const hit &h) {
  for (int kind : {static_cast<int>(cue_kind::negation),
                   static_cast<int>(cue_kind::negation_short)}) {
    const auto window = kind == static_cast<int>(cue_kind::negation)
                            ? kNegationWindow
                            : kShortNegationWindow;
    for (const auto ci : s.cues[kind]) {
      const hit &c = s.hits[ci];
      if (c.last >= h.first) continue; // a cue inside the phrase is part of it
      if (s.clause[c.last] != s.clause[h.first]) continue;
      // "the lads who didn't come home ... join them": a negation opening a
      // relative clause only negates the verb right after it.
      bool relative = false;
      for (const auto ri : s.cues[static_cast<int>(cue_kind::relative)])
        relative = relative || s.hits[ri].last + 1 == c.first;
      if (h.first - c.last - 1 > (relative ? std::min<std::uint32_t>(window, 1) : window))
        continue;
      bool broken = false; // "can't stop thinking about", "not only"
      for (const auto bi : s.cues[static_cast<int>(cue_kind::negation_breaker)]) {
        const hit &b = s.hits[bi];
        broken =
            broken || (b.first > c.last && b.first <= c.last + 2 && b.last < h.first);
      }
      if (!broken) return &c;
    }
  }
  (void)cp;
  return nullptr;
}

bool in_same_clause_cue(const match_scratch &s, cue_kind kind, const hit &h) {
  for (const auto ci : s.cues[static_cast<int>(kind)])
    if (s.clause[s.hits[ci].first] == s.clause[h.first]) return true;
  return false;
}

bool in_same_sentence_cue(const match_scratch &s, cue_kind kind, const hit &h) {
  for (const auto ci : s.cues[static_cast<int>(kind)])
    if (s.tokens[s.hits[ci].first].sentence == s.tokens[h.first].sentence) return true;
  return false;
}

/// Who a subject-neutral phrase ("want to die") is about: the nearest person
/// word before it in the same clause.
subject subject_of(const compiled_pack &cp, const match_scratch &s, const hit &h,
                   std::string &why) {
  if (h.flags & out_third_person) {
    why = "about someone else (third-person phrase)";
    return subject::other;
  }
  if (h.flags & out_first_person) return subject::self;
  // Method-seeking ("least painful way", "how many paracetamol") is treated as
  // the user's own whoever it is said to be for: the fail-safe reading.
  const auto cat = cp.entries[h.entry].cat;
  if (cat == category::plan || cat == category::means) return subject::self;
  const auto clause = s.clause[h.first];
  int third_at = -1;
  for (const auto ci : s.cues[static_cast<int>(cue_kind::third_person)]) {
    const hit &c = s.hits[ci];
    if (c.last < h.first && s.clause[c.last] == clause)
      third_at = std::max(third_at, static_cast<int>(c.last));
  }
  int first_at = -1;
  for (int k = static_cast<int>(h.first) - 1; k >= 0; --k) {
    if (s.clause[static_cast<std::size_t>(k)] != clause) break;
    if (s.tokens[k].flags & tok_first_person) {
      // "my" in "my brother" belongs to the third-person subject.
      bool part_of_third = false;
      for (const auto ci : s.cues[static_cast<int>(cue_kind::third_person)]) {
        const hit &c = s.hits[ci];
        const auto uk = static_cast<std::uint32_t>(k);
        part_of_third = part_of_third || (c.first <= uk && uk <= c.last);
      }
      if (!part_of_third) {
        first_at = k;
        break;
      }
    }
  }
  if (third_at > first_at) {
    why = "about someone else (third-person subject before it)";
    return subject::other;
  }
  return subject::self;
}

bool quoted(const match_scratch &s, const hit &h) {
  for (auto k = h.first; k <= h.last; ++k)
    if (!s.tokens[k].quoted) return false;
  return true;
}

/// Reported speech: a title right before the phrase, a quotation in a sentence
/// about a song / film / news / study, or such a cue in the same sentence for
/// a phrase not in the first person. (A bare quotation is only lowered: "I
/// told her 'I want to die'" is still the user speaking.)
const char *reported_reason(const match_scratch &s, const hit &h) {
  for (const auto ci : s.cues[static_cast<int>(cue_kind::title)]) {
    const hit &c = s.hits[ci];
    if (c.last < h.first && h.first - c.last - 1 <= kTitleWindow &&
        s.tokens[c.first].sentence == s.tokens[h.first].sentence)
      return "title";
  }
  const bool reported_cue = in_same_sentence_cue(s, cue_kind::reported, h);
  if (reported_cue && quoted(s, h)) return "quotation";
  if (!(h.flags & out_first_person) && reported_cue) return "reported";
  return nullptr;
}

/// "I wanted to die after the divorce. That's passed now": a resolution
/// statement after the phrase (same or a later sentence) puts it in the past.
const hit *negation_of(const compiled_pack &cp, const match_scratch &s, const hit &h);

bool resolved_after(const compiled_pack &cp, const match_scratch &s, const hit &h) {
  for (const auto ci : s.cues[static_cast<int>(cue_kind::resolved)]) {
    const hit &c = s.hits[ci];
    // "nothing really helped" is not a resolution.
    if (c.first > h.last && !negation_of(cp, s, c)) return true;
  }
  return false;
}

/// A cue of `kind` after the phrase, in its sentence or the next: "only
/// joking" (joking), "the WhatsApp group I mean" (clarification).
bool cue_after(const match_scratch &s, cue_kind kind, const hit &h) {
  for (const auto ci : s.cues[static_cast<int>(kind)]) {
    const hit &c = s.hits[ci];
    const auto cs = s.tokens[c.first].sentence, hs = s.tokens[h.first].sentence;
    if (c.first > h.last && (cs == hs || cs == hs + 1)) return true;
  }
  return false;
}

std::string_view raw_word(const match_scratch &s, std::uint32_t k) {
  return {s.buf.data() + s.tokens[k].text_begin, s.tokens[k].text_len};
}

/// Simple-past verb forms that report an act as done ("took his own life",
/// "tried to kill himself", "shot himself"). Perfect forms ("has taken") are
/// recent and stay present.
bool simple_past_form(std::string_view w) {
  static constexpr std::string_view irregular[] = {
      "took", "tried", "shot", "hung", "hanged", "killed", "jumped", "died",
      "overdosed", "drowned", "cut", "ended", "committed", "attempted", "was", "were"};
  for (const auto i : irregular)
    if (w == i) return true;
  return false;
}

/// "he took his own life", "my uncle tried to kill himself last week": an act
/// of someone else reported in the simple past is history (or bereavement),
/// not a current danger. Only for third-person triggers: the writer's own
/// "I took the lot" is an emergency however it is phrased.
bool reported_as_done(const match_scratch &s, const hit &h) {
  const auto clause = s.clause[h.first];
  const std::uint32_t from = h.first >= 2 ? h.first - 2 : 0;
  for (std::uint32_t k = from; k <= h.last; ++k) {
    if (s.clause[k] != clause || !simple_past_form(raw_word(s, k))) continue;
    const auto prev = k > 0 ? raw_word(s, k - 1) : std::string_view();
    if (prev == "has" || prev == "have" || prev == "just" || prev == "s") continue;
    return true;
  }
  return false;
}

/// "frame: act \"take\", means \"the lot\"": which words filled which role.
std::string frame_roles(const compiled_pack &cp, const match_scratch &s, const hit &h) {
  const auto index = static_cast<std::uint32_t>(&h - s.hits.data());
  for (const auto &fill : s.fills) {
    if (fill.frame_hit != index) continue;
    const auto &f = cp.frames[cp.entries[h.entry].frame];
    std::string out = "frame:";
    for (std::uint32_t k = 0; k < fill.roles; ++k)
      out += (k ? ", " : " ") + f.role_names[k] + " \"" +
             cp.phrases[s.hits[fill.role_hits[k]].phrase] + "\"";
    return out;
  }
  return "frame";
}

std::string cue_text(const compiled_pack &cp, const hit *c) {
  return c ? "cue \"" + cp.phrases[c->phrase] + "\"" : std::string();
}

void evaluate_signal(const compiled_pack &cp, match_scratch &s, const hit &h,
                     assessment &a) {
  const auto &e = cp.entries[h.entry];
  if (const hit *neg = negation_of(cp, s, h)) {
    add_suppressed(cp, a, h, s, "negated", cue_text(cp, neg));
    return;
  }
  if (const char *reason = reported_reason(s, h)) {
    add_suppressed(cp, a, h, s, reason, "reported speech");
    return;
  }
  trigger t;
  t.id = e.id;
  t.phrase = phrase_of(cp, h);
  t.cat = e.cat;
  t.severity = e.severity;
  t.effective = e.severity;
  t.weight = e.weight;
  t.start = s.tokens[h.first].start;
  t.end = s.tokens[h.last].end;
  std::string who_why;
  t.who = subject_of(cp, s, h, who_why);
  if (t.who == subject::other &&
      !s.cues[static_cast<int>(cue_kind::self_disclosure)].empty()) {
    t.who = subject::self;
    who_why = "phrased about someone else, but the user says it is about themselves";
  }
  std::vector<std::string> why;
  why.push_back(who_why.empty() ? "first person" : who_why);
  const bool present_cue = in_same_clause_cue(s, cue_kind::present, h);
  const bool past_here =
      !present_cue && (in_same_clause_cue(s, cue_kind::past, h) ||
                       (t.who == subject::other && reported_as_done(s, h)));
  if (past_here || resolved_after(cp, s, h)) {
    t.when = temporal::past;
    t.effective = step(t.effective, -2);
    why.push_back("past (lowered two levels)");
  } else {
    why.push_back("present");
  }
  if (quoted(s, h)) {
    t.effective = step(t.effective, -1);
    why.push_back("quoted (lowered one level)");
  }
  if (cue_after(s, cue_kind::clarification, h)) {
    // Low, never none: a person still reads it (a gentle check-in).
    t.effective = step(t.effective, -3);
    why.push_back("followed by a clarification (lowered three levels)");
  } else if (cue_after(s, cue_kind::joking, h)) {
    t.effective = step(t.effective, -2);
    why.push_back("followed by a joking cue (lowered two levels)");
  }
  why.push_back("not negated");
  if (e.kind == entry_kind::frame) why.push_back(frame_roles(cp, s, h));
  for (const auto &w : why)
    t.why += (t.why.empty() ? "" : ", ") + w;
  a.triggers.push_back(std::move(t));
}

/// True when the triggers so far include the writer's own talk of dying:
/// intent, plan, means, ideation, passive death wish, finality, burden or
/// hopelessness, in the present, at medium or above.
bool crisis_context(const assessment &a) {
  for (const auto &t : a.triggers)
    if (t.who == subject::self && t.when == temporal::present &&
        t.effective >= level::medium && t.cat != category::distress &&
        t.cat != category::isolation && t.cat != category::substances &&
        t.cat != category::self_harm)
      return true;
  return false;
}

/// Phrases that mean crisis only in context ("requires": "crisis_context")
/// count when the message talks of dying; otherwise they are kept for the
/// conversation view (message_result::context_level) and listed as
/// suppressed ("needs_context").
void evaluate_context_phrases(const compiled_pack &cp, match_scratch &s, assessment &a,
                              message_result &r) {
  const bool context = crisis_context(a);
  for (const auto hi : s.signals) {
    const hit &h = s.hits[hi];
    const auto &e = cp.entries[h.entry];
    if (h.dropped || !e.needs_crisis) continue;
    if (context) {
      evaluate_signal(cp, s, h, a);
    } else if (const hit *neg = negation_of(cp, s, h)) {
      add_suppressed(cp, a, h, s, "negated", cue_text(cp, neg));
    } else {
      add_suppressed(cp, a, h, s, "needs_context", "no talk of dying in the message");
      r.context_level = std::max(r.context_level, e.severity);
    }
  }
}

void evaluate_multipliers(const compiled_pack &cp, match_scratch &s, assessment &a,
                          message_result &r) {
  for (const auto mi : s.multipliers) {
    const hit &h = s.hits[mi];
    if (h.dropped) continue;
    if (const hit *neg = negation_of(cp, s, h)) {
      add_suppressed(cp, a, h, s, "negated", cue_text(cp, neg));
      continue;
    }
    const auto &e = cp.entries[h.entry];
    multiplier_hit m;
    m.id = e.id;
    m.kind = e.mkind;
    m.factor = e.factor;
    m.start = s.tokens[h.first].start;
    m.end = s.tokens[h.last].end;
    r.multipliers |= 1u << static_cast<unsigned>(e.mkind);
    a.multipliers.push_back(std::move(m));
  }
}

bool speaks_of_danger(category c) {
  switch (c) {
  case category::intent:
  case category::plan:
  case category::means:
  case category::passive_death_wish:
  case category::ideation:
  case category::self_harm:
  case category::hopelessness:
  case category::burden: return true;
  default: return false;
  }
}

} // namespace

void combine(assessment &a, message_result &r) {
  double keep = 1; // noisy-or of trigger weights
  std::uint32_t strong_categories = 0;
  bool present_signal = false;
  for (const auto &t : a.triggers) {
    if (t.who == subject::other) {
      r.other = std::max(r.other, t.effective);
      r.other_danger = r.other_danger || speaks_of_danger(t.cat);
      if (t.when == temporal::present && speaks_of_danger(t.cat))
        r.other_present = std::max(r.other_present, t.effective);
      continue;
    }
    r.own = std::max(r.own, t.effective);
    r.categories |= 1u << static_cast<unsigned>(t.cat);
    present_signal = present_signal || t.when == temporal::present;
    if (t.effective >= level::medium)
      strong_categories |= 1u << static_cast<unsigned>(t.cat);
    keep *=
        1 - t.weight * static_cast<double>(t.effective) / static_cast<double>(t.severity);
  }
  r.score = 1 - keep;
  // Escalation above the strongest trigger is at most one level in total:
  // two different categories at medium or above (burden and hopelessness;
  // ideation and a plan), or any context multiplier that is present and not
  // negated. Multipliers never create a level on their own.
  int distinct = 0;
  for (auto bits = strong_categories; bits; bits &= bits - 1)
    ++distinct;
  // Context escalates a present signal only ("I was suicidal after the divorce,
  // counselling helped" is history, not a crisis made worse by the divorce).
  const bool multiplied = present_signal && !a.multipliers.empty();
  if (distinct >= 2 || multiplied) r.own = step(r.own, +1);
  if (multiplied) {
    double factor = 1;
    std::uint32_t seen = 0;
    for (auto &m : a.multipliers) {
      m.applied = true;
      const auto bit = 1u << static_cast<unsigned>(m.kind);
      if (!(seen & bit)) factor *= m.factor;
      seen |= bit;
    }
    r.score = std::min(1.0, r.score * std::min(factor, 1.5));
  }
}

message_result evaluate(const compiled_pack &cp, match_scratch &s, assessment &a) {
  message_result r;
  if (s.signals.empty() && s.multipliers.empty()) return r;
  apply_rules(cp, s, a, r);
  combine(a, r);
  return r;
}

void apply_rules(const compiled_pack &cp, match_scratch &s, assessment &a,
                 message_result &r) {
  if (s.signals.empty() && s.multipliers.empty()) return;
  drop_phrases_without_context(cp, s); // s.clause: assigned by match()
  apply_exceptions(cp, s, a);
  drop_covered(cp, s, s.signals);
  drop_covered(cp, s, s.multipliers);
  for (const auto hi : s.signals)
    if (!s.hits[hi].dropped && !cp.entries[s.hits[hi].entry].needs_crisis)
      evaluate_signal(cp, s, s.hits[hi], a);
  evaluate_context_phrases(cp, s, a, r);
  evaluate_multipliers(cp, s, a, r);
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
