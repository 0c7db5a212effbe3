#include "veteran/triage/json.hpp"

#include "triage/detail/assessment_fields.hpp"
#include "triage/detail/json_value.hpp"
#include "util/json_write.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

namespace json = boost::json;

namespace {
/// Triage's JSON writer: a span is two members, "start" and "end" (UTF-8
/// byte offsets into the original text).
struct assessment_json_writer : util::json_text_writer {
  void span(std::uint32_t start, std::uint32_t end) {
    key("start");
    value(start);
    key("end");
    value(end);
  }
};
} // namespace

namespace {
json::array findings_json(const std::vector<pack_finding> &findings) {
  json::array out;
  for (const auto &f : findings)
    out.push_back(json::object{
        {"kind", f.kind}, {"entry", f.entry}, {"other", f.other}, {"detail", f.detail}});
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
                            {"classes", s.classes},
                            {"frames", s.frames},
                            {"expansions", s.expansions},
                            {"vocabulary", s.vocabulary},
                            {"per_category", std::move(per_category)},
                            {"per_multiplier_kind", std::move(per_kind)},
                            {"findings", findings_json(p.findings())}};
  for (const auto &kv : fields)
    o[kv.key()] = kv.value();
  return o;
}

std::string assessment_json(const assessment &a, std::string_view id_json) {
  assessment_json_writer w;
  w.begin_object();
  if (!id_json.empty()) {
    w.key("id");
    w.raw(id_json);
  }
  visit_assessment_members(a, w);
  w.end_object();
  return w.take();
}

} // namespace detail

std::string to_json(const assessment &a) { return detail::assessment_json(a); }

} // namespace triage
VETERAN_NAMESPACE_END
