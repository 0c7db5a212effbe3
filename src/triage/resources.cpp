#include "veteran/triage/resources.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include "util/json_read.hpp"

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

// The shipped data is checked like any input: a defect in it is a build
// error caught by the tests, never a silently missing helpline.
resource resource_from(const json::value &v, const std::string &where) {
  const util::json_object_reader r(v, where, errc::internal);
  r.allow_only({"id", "name", "kind", "phone", "text", "url", "hours", "description"});
  return resource{r.string("id"),           r.string("name"),
                  r.string("kind"),         r.string_or("phone", ""),
                  r.string_or("text", ""),  r.string_or("url", ""),
                  r.string_or("hours", ""), r.string("description")};
}

const directory &dir() {
  static const directory d = [] {
    directory out;
    const json::value doc =
        util::parse_strict(veteran_embedded_resources(), "resources").value();
    const util::json_object_reader root(doc, "resources", errc::internal);
    out.disclaimer = root.string("disclaimer");
    const util::json_object_reader countries(*root.find("countries"),
                                             "resources.countries", errc::internal);
    for (const auto &kv : countries.object()) {
      const std::string code(kv.key());
      const util::json_object_reader c(kv.value(), "resources.countries." + code,
                                       errc::internal);
      auto &list = out.by_country[code];
      const auto &items = c.array("resources");
      for (std::size_t i = 0; i < items.size(); ++i)
        list.push_back(
            resource_from(items[i], c.where() + ".resources[" + std::to_string(i) + "]"));
      out.alias[code] = code;
      if (const auto *aliases = c.optional_array("aliases"))
        for (const auto &a : *aliases)
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
