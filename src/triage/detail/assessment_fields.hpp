// Internal: the one list of an assessment's fields, their names and order.
//
// visit_assessment() walks an assessment and hands every field to a writer;
// the JSON text writer (json.cpp: to_json, the CLI's JSONL) and the Python
// binding's dict builder are two writers of the same walk, so a field added
// to `assessment` is added here once and reaches every surface.
//
// A writer provides:
//   void begin_object(); void end_object(); void begin_array(); void end_array();
//   void key(std::string_view);                 // the next member's name
//   void value(std::string_view); void value(double); void value(bool);
//   void value(std::uint32_t); void null();
//   void span(std::uint32_t start, std::uint32_t end);  // writes the span members
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

template <class W> void member(W &w, std::string_view k, std::string_view v) {
  w.key(k);
  w.value(v);
}
template <class W> void member(W &w, std::string_view k, const char *v) {
  member(w, k, std::string_view(v)); // not the bool overload
}
template <class W> void member(W &w, std::string_view k, const std::string &v) {
  member(w, k, std::string_view(v));
}
template <class W> void member(W &w, std::string_view k, bool v) {
  w.key(k);
  w.value(v);
}
template <class W> void member(W &w, std::string_view k, double v) {
  w.key(k);
  w.value(v);
}
/// An empty string is written as null (optional text).
template <class W> void optional_member(W &w, std::string_view k, std::string_view v) {
  w.key(k);
  if (v.empty())
    w.null();
  else
    w.value(v);
}

/// One crisis resource as an object.
template <class W> void visit_resource(const resource &r, W &w) {
  w.begin_object();
  member(w, "id", r.id);
  member(w, "name", r.name);
  member(w, "kind", r.kind);
  optional_member(w, "phone", r.phone);
  optional_member(w, "text", r.text);
  optional_member(w, "url", r.url);
  optional_member(w, "hours", r.hours);
  member(w, "description", r.description);
  w.end_object();
}

/// The members of an assessment, in order (the caller opens and closes the
/// object, so it may put members of its own first, like a JSONL id).
template <class W> void visit_assessment_members(const assessment &a, W &w) {
  member(w, "level", to_string(a.lvl));
  member(w, "rag", to_string(a.band));
  member(w, "score", a.score);
  member(w, "intervention", to_string(a.action));
  w.key("flags");
  w.begin_object();
  member(w, "requires_intervention", a.flags.requires_intervention);
  member(w, "alert_staff", a.flags.alert_staff);
  member(w, "show_resources", a.flags.show_resources);
  member(w, "block_ai_reply", a.flags.block_ai_reply);
  w.end_object();
  w.key("triggers");
  w.begin_array();
  for (const auto &t : a.triggers) {
    w.begin_object();
    member(w, "id", t.id);
    member(w, "category", to_string(t.cat));
    member(w, "phrase", t.phrase);
    member(w, "severity", to_string(t.severity));
    member(w, "effective", to_string(t.effective));
    member(w, "weight", t.weight);
    w.span(t.start, t.end);
    member(w, "subject", to_string(t.who));
    member(w, "temporal", to_string(t.when));
    member(w, "why", t.why);
    w.end_object();
  }
  w.end_array();
  w.key("suppressed");
  w.begin_array();
  for (const auto &s : a.suppressed) {
    w.begin_object();
    member(w, "id", s.id);
    member(w, "phrase", s.phrase);
    w.span(s.start, s.end);
    member(w, "reason", s.reason);
    member(w, "by", s.by);
    w.end_object();
  }
  w.end_array();
  w.key("multipliers");
  w.begin_array();
  for (const auto &m : a.multipliers) {
    w.begin_object();
    member(w, "id", m.id);
    member(w, "kind", to_string(m.kind));
    member(w, "factor", m.factor);
    w.span(m.start, m.end);
    member(w, "applied", m.applied);
    w.end_object();
  }
  w.end_array();
  member(w, "concern_for_other", a.concern_for_other);
  member(w, "other_level", to_string(a.other_level));
  member(w, "at_risk", to_string(a.at_risk));
  member(w, "message_level", to_string(a.message_level));
  member(w, "conversation_level", to_string(a.conversation_level));
  member(w, "trend", to_string(a.direction));
  w.key("turn");
  w.value(static_cast<std::uint32_t>(a.turn));
  w.key("patterns");
  w.begin_array();
  for (const auto &p : a.patterns) {
    w.begin_object();
    member(w, "name", p.name);
    w.key("turns");
    w.begin_array();
    for (const auto n : p.turns)
      w.value(static_cast<std::uint32_t>(n));
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("trajectory");
  w.begin_array();
  for (const auto &t : a.trajectory)
    w.value(t);
  w.end_array();
  w.key("pack");
  w.begin_object();
  member(w, "id", a.pack_id);
  member(w, "version", a.pack_version);
  w.end_object();
  member(w, "country", a.country);
  w.key("resources");
  w.begin_array();
  for (const auto &r : a.resources)
    visit_resource(r, w);
  w.end_array();
  w.key("model");
  if (!a.model.ran) {
    w.null();
  } else {
    w.begin_object();
    member(w, "id", a.model.id);
    member(w, "version", a.model.version);
    member(w, "crisis", a.model.crisis);
    member(w, "concern", a.model.concern);
    member(w, "level", to_string(a.model.lvl));
    member(w, "raised", a.model.raised);
    optional_member(w, "why", a.model.why);
    w.end_object();
  }
  optional_member(w, "classifier", a.classifier);
  optional_member(w, "error", a.error);
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
