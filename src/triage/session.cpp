#include "veteran/triage/session.hpp"

#include <boost/json.hpp>

#include "util/json_read.hpp"
#include "util/json_write.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

namespace json = boost::json;

session::session(std::size_t max_turns, timestamp_ms memory_ms)
    : max_turns_(max_turns == 0 ? 1 : max_turns),
      memory_ms_(memory_ms < 0 ? 0 : memory_ms) {}

void session::forget_before(timestamp_ms cutoff) {
  while (!turns_.empty() && turns_.front().at < cutoff)
    turns_.pop_front();
}

void session::record(const turn_record &t) {
  turns_.push_back(t);
  while (turns_.size() > max_turns_)
    turns_.pop_front();
}

std::string session::to_json() const {
  json::array turns;
  for (const auto &t : turns_)
    turns.push_back(json::object{{"at", t.at},
                                 {"level", to_string(t.lvl)},
                                 {"own", to_string(t.own)},
                                 {"categories", t.categories},
                                 {"multipliers", t.multipliers}});
  return util::write_json(json::object{{"v", 1},
                                       {"max_turns", max_turns_},
                                       {"memory_ms", memory_ms_},
                                       {"turns", std::move(turns)}});
}

namespace {
[[noreturn]] void bad(const std::string &field) {
  throw veteran::error(errc::parse_error,
                       "session: invalid or missing \"" + field + "\"");
}

std::int64_t int_field(const json::object &o, const char *key) {
  auto *v = o.if_contains(key);
  if (!v) bad(key);
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  bad(key);
}

level level_field(const json::object &o, const char *key) {
  auto *v = o.if_contains(key);
  level l{};
  if (!v || !v->is_string() || !parse(std::string(v->get_string()), l)) bad(key);
  return l;
}
} // namespace

result<session> session::from_json(std::string_view text) {
  std::optional<session> out;
  auto err = capture_error([&] {
    json::value doc = util::parse_strict(text, "session").value();
    if (!doc.is_object()) bad("(root)");
    const auto &o = doc.get_object();
    if (int_field(o, "v") != 1)
      throw veteran::error(errc::unsupported_version, "session: unsupported \"v\"");
    const auto max_turns = int_field(o, "max_turns");
    const auto memory = int_field(o, "memory_ms");
    if (max_turns <= 0 || max_turns > 100000) bad("max_turns");
    if (memory < 0) bad("memory_ms");
    session s(static_cast<std::size_t>(max_turns), memory);
    auto *turns = o.if_contains("turns");
    if (!turns || !turns->is_array()) bad("turns");
    for (std::size_t i = 0; i < turns->get_array().size(); ++i) {
      const auto &tv = turns->get_array()[i];
      const std::string where = "turns[" + std::to_string(i) + "]";
      if (!tv.is_object()) bad(where);
      const auto &t = tv.get_object();
      turn_record r;
      r.at = int_field(t, "at");
      r.lvl = level_field(t, "level");
      r.own = level_field(t, "own");
      const auto cats = int_field(t, "categories"), mults = int_field(t, "multipliers");
      if (cats < 0 || cats >= (1 << category_count)) bad(where + ".categories");
      if (mults < 0 || mults >= (1 << multiplier_kind_count)) bad(where + ".multipliers");
      r.categories = static_cast<std::uint32_t>(cats);
      r.multipliers = static_cast<std::uint32_t>(mults);
      s.record(r);
    }
    out.emplace(std::move(s));
  });
  if (err.code != errc::ok) return err;
  return std::move(*out);
}

} // namespace triage
VETERAN_NAMESPACE_END
