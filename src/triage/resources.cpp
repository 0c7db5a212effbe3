#include "veteran/triage/resources.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

std::string_view veteran_embedded_resources() noexcept;

VETERAN_NAMESPACE_BEGIN
namespace triage {

namespace {
namespace json = boost::json;

struct directory {
  std::map<std::string, std::vector<resource>> by_country;
  std::map<std::string, std::string> alias; // upper-case code or alias → code
  std::string disclaimer;
};

std::string str(const json::object &o, const char *key) {
  auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const directory &dir() {
  static const directory d = [] {
    directory out;
    const auto doc = json::parse(veteran_embedded_resources()).as_object();
    out.disclaimer = str(doc, "disclaimer");
    for (const auto &kv : doc.at("countries").as_object()) {
      const std::string code(kv.key());
      const auto &c = kv.value().as_object();
      auto &list = out.by_country[code];
      for (const auto &rv : c.at("resources").as_array()) {
        const auto &r = rv.as_object();
        list.push_back(resource{str(r, "id"), str(r, "name"), str(r, "kind"),
                                str(r, "phone"), str(r, "text"), str(r, "url"),
                                str(r, "hours"), str(r, "description")});
      }
      out.alias[code] = code;
      if (auto *al = c.if_contains("aliases"))
        for (const auto &a : al->as_array())
          out.alias[std::string(a.as_string())] = code;
    }
    return out;
  }();
  return d;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto &c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
} // namespace

result<std::string> canonical_country(std::string_view country) {
  const auto &d = dir();
  auto it = d.alias.find(upper(country));
  if (it == d.alias.end())
    return {errc::not_found, "resources: no data for the requested country"};
  return it->second;
}

result<std::vector<resource>> resources_for(std::string_view country) {
  auto view = resource_view(country);
  if (!view) return view.error();
  return std::vector<resource>(view->begin(), view->end());
}

result<resource_list> resource_view(std::string_view country) {
  auto code = canonical_country(country);
  if (!code) return code.error();
  const auto &list = dir().by_country.at(*code); // never modified after dir() is built
  return resource_list(list.data(), list.size());
}

std::vector<std::string> resource_countries() {
  std::vector<std::string> out;
  for (const auto &kv : dir().by_country)
    out.push_back(kv.first);
  return out;
}

const std::string &ai_disclaimer() { return dir().disclaimer; }

} // namespace triage
VETERAN_NAMESPACE_END
