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
level level_member(const util::json_object_reader &o, const char *key) {
  level l{};
  if (!parse(o.string(key), l))
    o.fail(std::string("\"") + key + "\" is not a level name");
  return l;
}

turn_record turn_from(const json::value &v, std::size_t index) {
  const util::json_object_reader t(v, "session: turns[" + std::to_string(index) + "]");
  t.allow_only({"at", "level", "own", "categories", "multipliers"});
  turn_record r;
  r.at = t.integer("at", INT64_MIN, INT64_MAX);
  r.lvl = level_member(t, "level");
  r.own = level_member(t, "own");
  r.categories =
      static_cast<std::uint32_t>(t.integer("categories", 0, (1 << category_count) - 1));
  r.multipliers = static_cast<std::uint32_t>(
      t.integer("multipliers", 0, (1 << multiplier_kind_count) - 1));
  return r;
}
} // namespace

result<session> session::from_json(std::string_view text) {
  std::optional<session> out;
  auto err = capture_error([&] {
    const json::value doc = util::parse_strict(text, "session").value();
    const util::json_object_reader o(doc, "session");
    o.allow_only({"v", "max_turns", "memory_ms", "turns"});
    if (o.integer("v", 0, INT64_MAX) != 1)
      throw veteran::error(errc::unsupported_version, "session: unsupported \"v\"");
    session s(static_cast<std::size_t>(o.integer("max_turns", 1, 100000)),
              o.integer("memory_ms", 0, INT64_MAX));
    const auto &turns = o.array("turns");
    for (std::size_t i = 0; i < turns.size(); ++i)
      s.record(turn_from(turns[i], i));
    out.emplace(std::move(s));
  });
  if (err.code != errc::ok) return err;
  return std::move(*out);
}

} // namespace triage
VETERAN_NAMESPACE_END
