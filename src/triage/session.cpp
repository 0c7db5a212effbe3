#include "veteran/triage/session.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "util/json_read.hpp"
#include "util/json_write.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

namespace json = boost::json;

session::session(std::size_t max_turns, timestamp_ms memory_ms)
    : max_turns_(max_turns == 0 ? 1 : max_turns),
      memory_ms_(memory_ms < 0 ? 0 : memory_ms) {}

namespace {
/// A turn that adds nothing to carry, patterns or a build-up, and has nothing
/// to keep beyond its brief.
bool is_benign(const turn_record &t) {
  return t.lvl == level::none && t.own == level::none && t.categories == 0 &&
         t.multipliers == 0 && t.patterns.empty();
}
} // namespace

const turn_record *recent_turns::notable_at(std::size_t i) const noexcept {
  if (!briefs_[slot(i)].notable) return nullptr;
  const std::uint64_t position = dropped_ + i;
  const auto it = std::lower_bound(
      notable_.begin(), notable_.end(), position,
      [](const notable_turn &n, std::uint64_t p) { return n.position < p; });
  return it != notable_.end() && it->position == position ? &it->turn : nullptr;
}

turn_record recent_turns::operator[](std::size_t i) const {
  if (const turn_record *full = notable_at(i)) return *full;
  const brief &b = briefs_[slot(i)];
  turn_record t;
  t.at = b.at;
  t.seq = b.seq;
  t.timed = b.timed;
  t.conversation = b.conversation;
  return t;
}

level recent_turns::own_level(std::size_t i) const noexcept {
  const turn_record *full = notable_at(i);
  return full ? full->own : level::none;
}

void recent_turns::push(turn_record t, std::size_t capacity) {
  if (count_ == capacity) pop_front();
  const bool notable = !is_benign(t);
  const brief b{t.at, t.seq, t.conversation, t.timed, notable};
  if (notable) notable_.push_back({dropped_ + count_, std::move(t)});
  if (count_ == briefs_.size()) {
    // Full but below capacity: lay the ring out in order, then grow it.
    std::rotate(briefs_.begin(), briefs_.begin() + static_cast<std::ptrdiff_t>(head_),
                briefs_.end());
    head_ = 0;
    briefs_.push_back(b);
  } else {
    briefs_[slot(count_)] = b;
  }
  ++count_;
}

void recent_turns::pop_front() {
  if (briefs_[head_].notable) notable_.erase(notable_.begin());
  head_ = slot(1);
  --count_;
  ++dropped_;
}

void recent_turns::clear() noexcept {
  briefs_.clear();
  notable_.clear();
  head_ = count_ = 0;
  dropped_ = 0;
}

void session::forget_before(timestamp_ms cutoff) {
  while (!turns_.empty() && turns_.oldest_at() < cutoff)
    turns_.pop_front();
}

void session::record(turn_record t) {
  next_seq_ = t.seq + 1;
  turns_.push(std::move(t), max_turns_);
}

std::string session::to_json() const {
  json::array turns;
  for (const auto &t : turns_) {
    json::array patterns;
    for (const auto &p : t.patterns) {
      json::array seqs;
      for (const auto n : p.turns)
        seqs.push_back(n);
      patterns.push_back(json::object{{"name", p.name}, {"turns", std::move(seqs)}});
    }
    turns.push_back(json::object{{"at", t.at},
                                 {"level", to_string(t.lvl)},
                                 {"own", to_string(t.own)},
                                 {"categories", t.categories},
                                 {"multipliers", t.multipliers},
                                 {"turn", t.seq},
                                 {"timed", t.timed},
                                 {"conversation", to_string(t.conversation)},
                                 {"patterns", std::move(patterns)}});
  }
  return util::write_json(json::object{{"v", 2},
                                       {"max_turns", max_turns_},
                                       {"memory_ms", memory_ms_},
                                       {"next_turn", next_seq_},
                                       {"turns", std::move(turns)}});
}

namespace {
level level_member(const util::json_object_reader &o, const char *key) {
  level l{};
  if (!parse(o.string(key), l))
    o.fail(std::string("\"") + key + "\" is not a level name");
  return l;
}

std::vector<conversation_pattern> patterns_from(const util::json_object_reader &t) {
  std::vector<conversation_pattern> out;
  const auto *arr = t.optional_array("patterns");
  if (!arr) return out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const util::json_object_reader p((*arr)[i],
                                     t.where() + ".patterns[" + std::to_string(i) + "]");
    p.allow_only({"name", "turns"});
    conversation_pattern cp;
    const std::string name = p.string("name");
    for (const auto known : pattern_name::all)
      if (name == known) cp.name = known; // the static name, not the parsed copy
    if (cp.name.empty()) p.fail("\"name\" is not a pattern name");
    for (const auto &n : p.array("turns")) {
      if (!n.is_int64() || n.get_int64() < 1) p.fail("\"turns\" must hold turn numbers");
      cp.turns.push_back(static_cast<std::uint64_t>(n.get_int64()));
    }
    out.push_back(std::move(cp));
  }
  return out;
}

turn_record turn_from(const json::value &v, std::size_t index, std::int64_t version) {
  const util::json_object_reader t(v, "session: turns[" + std::to_string(index) + "]");
  if (version == 1)
    t.allow_only({"at", "level", "own", "categories", "multipliers"});
  else
    t.allow_only({"at", "level", "own", "categories", "multipliers", "turn", "timed",
                  "conversation", "patterns"});
  turn_record r;
  r.at = t.integer("at", INT64_MIN, INT64_MAX);
  r.lvl = level_member(t, "level");
  r.own = level_member(t, "own");
  r.categories =
      static_cast<std::uint32_t>(t.integer("categories", 0, (1 << category_count) - 1));
  r.multipliers = static_cast<std::uint32_t>(
      t.integer("multipliers", 0, (1 << multiplier_kind_count) - 1));
  r.seq = index + 1;
  r.conversation = r.lvl;
  if (version >= 2) {
    r.seq = static_cast<std::uint64_t>(t.integer("turn", 1, INT64_MAX));
    const auto *timed = t.find("timed");
    if (!timed || !timed->is_bool()) t.fail("\"timed\" must be true or false");
    r.timed = timed->get_bool();
    r.conversation = level_member(t, "conversation");
    r.patterns = patterns_from(t);
  }
  return r;
}
} // namespace

result<session> session::from_json(std::string_view text) {
  std::optional<session> out;
  auto err = capture_error([&] {
    const json::value doc = util::parse_strict(text, "session").value();
    const util::json_object_reader o(doc, "session");
    o.allow_only({"v", "max_turns", "memory_ms", "next_turn", "turns"});
    const auto version = o.integer("v", 0, INT64_MAX);
    if (version != 1 && version != 2)
      throw veteran::error(errc::unsupported_version, "session: unsupported \"v\"");
    session s(static_cast<std::size_t>(o.integer("max_turns", 1, 100000)),
              o.integer("memory_ms", 0, INT64_MAX));
    const auto &turns = o.array("turns");
    for (std::size_t i = 0; i < turns.size(); ++i) {
      auto t = turn_from(turns[i], i, version);
      if (!s.turns_.empty() && t.seq <= s.turns_.seq(s.turns_.size() - 1))
        throw veteran::error(errc::parse_error,
                             "session: turns[" + std::to_string(i) +
                                 "]: \"turn\" must increase");
      s.record(std::move(t));
    }
    if (version >= 2) {
      const auto next = static_cast<std::uint64_t>(o.integer("next_turn", 1, INT64_MAX));
      if (next < s.next_seq_) o.fail("\"next_turn\" is behind the last turn");
      s.next_seq_ = next;
    }
    out.emplace(std::move(s));
  });
  if (err.code != errc::ok) return err;
  return std::move(*out);
}

} // namespace triage
VETERAN_NAMESPACE_END
