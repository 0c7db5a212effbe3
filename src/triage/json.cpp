#include "veteran/triage/json.hpp"

#include "triage/detail/json_value.hpp"
#include "util/json_write.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

namespace json = boost::json;

namespace {
json::value or_null(const std::string &s) {
  if (s.empty()) return nullptr;
  return json::value(s);
}

json::array triggers_json(const assessment &a) {
  json::array out;
  for (const auto &t : a.triggers)
    out.push_back(json::object{{"id", t.id},
                               {"category", to_string(t.cat)},
                               {"phrase", t.phrase},
                               {"severity", to_string(t.severity)},
                               {"effective", to_string(t.effective)},
                               {"weight", t.weight},
                               {"start", t.start},
                               {"end", t.end},
                               {"subject", to_string(t.who)},
                               {"temporal", to_string(t.when)},
                               {"why", t.why}});
  return out;
}

json::array suppressed_json(const assessment &a) {
  json::array out;
  for (const auto &s : a.suppressed)
    out.push_back(json::object{{"id", s.id},
                               {"phrase", s.phrase},
                               {"start", s.start},
                               {"end", s.end},
                               {"reason", s.reason},
                               {"by", s.by}});
  return out;
}

json::array multipliers_json(const assessment &a) {
  json::array out;
  for (const auto &m : a.multipliers)
    out.push_back(json::object{{"id", m.id},
                               {"kind", to_string(m.kind)},
                               {"factor", m.factor},
                               {"start", m.start},
                               {"end", m.end},
                               {"applied", m.applied}});
  return out;
}

json::array resources_json(const assessment &a) {
  json::array out;
  for (const auto &r : a.resources)
    out.push_back(detail::resource_json(r));
  return out;
}
} // namespace

namespace detail {
json::object pack_json(const pack &p, json::object o) {
  const auto &s = p.stats();
  json::object per_category, per_kind;
  for (int c = 0; c < category_count; ++c)
    per_category[to_string(static_cast<category>(c))] = s.per_category[c];
  for (int k = 0; k < multiplier_kind_count; ++k)
    per_kind[to_string(static_cast<multiplier_kind>(k))] = s.per_multiplier_kind[k];
  const json::object fields{{"id", p.id()},
                            {"version", p.version()},
                            {"locale", p.locale()},
                            {"phrases", s.phrases},
                            {"multipliers", s.multipliers},
                            {"exceptions", s.exceptions},
                            {"lexicon", s.lexicon},
                            {"cues", s.cues},
                            {"expansions", s.expansions},
                            {"vocabulary", s.vocabulary},
                            {"per_category", std::move(per_category)},
                            {"per_multiplier_kind", std::move(per_kind)}};
  for (const auto &kv : fields)
    o[kv.key()] = kv.value();
  return o;
}

json::object resource_json(const resource &r) {
  return json::object{{"id", r.id},
                      {"name", r.name},
                      {"kind", r.kind},
                      {"phone", or_null(r.phone)},
                      {"text", or_null(r.text)},
                      {"url", or_null(r.url)},
                      {"hours", or_null(r.hours)},
                      {"description", r.description}};
}

json::object to_json_object(const assessment &a, json::object o) {
  json::array trajectory;
  for (const auto &t : a.trajectory)
    trajectory.push_back(json::value(t));
  const json::object fields{
      {"level", to_string(a.lvl)},
      {"rag", to_string(a.band)},
      {"score", a.score},
      {"intervention", to_string(a.action)},
      {"flags", json::object{{"requires_intervention", a.flags.requires_intervention},
                             {"alert_staff", a.flags.alert_staff},
                             {"show_resources", a.flags.show_resources},
                             {"block_ai_reply", a.flags.block_ai_reply}}},
      {"triggers", triggers_json(a)},
      {"suppressed", suppressed_json(a)},
      {"multipliers", multipliers_json(a)},
      {"concern_for_other", a.concern_for_other},
      {"other_level", to_string(a.other_level)},
      {"trajectory", std::move(trajectory)},
      {"pack", json::object{{"id", json::string(a.pack_id)},
                            {"version", json::string(a.pack_version)}}},
      {"country", json::string(a.country)},
      {"resources", resources_json(a)},
      {"classifier", or_null(a.classifier)},
      {"error", or_null(a.error)},
  };
  for (const auto &kv : fields)
    o[kv.key()] = kv.value();
  return o;
}
} // namespace detail

std::string to_json(const assessment &a) {
  return util::write_json(detail::to_json_object(a));
}

} // namespace triage
VETERAN_NAMESPACE_END
