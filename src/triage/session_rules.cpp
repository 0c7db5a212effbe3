// The conversation view: what a message means after the turns before it.
// See detail/session_rules.hpp.
#include "triage/detail/session_rules.hpp"

#include <algorithm>

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace {

constexpr std::uint32_t bit(category c) { return 1u << static_cast<unsigned>(c); }
constexpr std::uint32_t kIdeationBits = bit(category::ideation) |
                                        bit(category::passive_death_wish) |
                                        bit(category::intent) | bit(category::plan);
constexpr std::uint32_t kMethodBits = bit(category::means) | bit(category::plan);
constexpr std::uint32_t kBurdenBits = bit(category::burden) | bit(category::hopelessness);
constexpr std::uint32_t kMeansMultiplierBit =
    1u << static_cast<unsigned>(multiplier_kind::means);
/// Weak evidence adding up: points per turn (low 1, medium 2) while it holds,
/// half while it fades its first step; medium from 4 points, high from 7.
constexpr int kBuildMedium = 4, kBuildHigh = 7;

level step_up(level l) {
  return l == level::critical ? l : static_cast<level>(static_cast<int>(l) + 1);
}
level faded(level l, int steps) {
  return static_cast<level>(std::max(0, static_cast<int>(l) - steps));
}
int points(level own) { return own == level::low ? 1 : own == level::medium ? 2 : 0; }

/// A turn and how far it has faded.
struct past_turn {
  const turn_record *t;
  int steps;
};

/// The patterns this message completes, with the turns that caused them, and
/// the level they establish.
level completed_patterns(const message_result &m, level message_lvl,
                         const std::vector<past_turn> &past, std::uint64_t seq,
                         std::vector<conversation_pattern> &fired) {
  const bool method_now =
      (m.categories & kMethodBits) || (m.multipliers & kMeansMultiplierBit);
  const bool finality_now = (m.categories & bit(category::finality)) != 0;
  const bool ideation_now = (m.categories & kIdeationBits) != 0;
  // Most messages carry none of these: nothing to complete.
  if (!method_now && !finality_now && !ideation_now) return message_lvl;
  thread_local std::vector<std::uint64_t> ideation, burden; // reused: no allocation
  ideation.clear();
  burden.clear();
  for (const auto &p : past) {
    if (p.steps >= 2) continue; // faded: no longer part of the picture
    if (p.t->categories & kIdeationBits) ideation.push_back(p.t->seq);
    if (p.t->categories & kBurdenBits) burden.push_back(p.t->seq);
  }
  auto with_this = [seq](const std::vector<std::uint64_t> &turns) {
    std::vector<std::uint64_t> v;
    v.reserve(turns.size() + 1);
    v.assign(turns.begin(), turns.end());
    v.push_back(seq);
    return v;
  };
  level lvl = message_lvl;
  if (method_now && !ideation.empty()) {
    lvl = level::critical;
    fired.push_back({pattern_name::method_after_ideation, with_this(ideation)});
  }
  if (finality_now && !burden.empty()) {
    lvl = level::critical;
    fired.push_back({pattern_name::finality_after_burden, with_this(burden)});
  }
  if (ideation_now && !ideation.empty()) {
    lvl = raise_to(lvl, ideation.size() >= 2 ? level::critical : level::high);
    fired.push_back({pattern_name::repeated_ideation, with_this(ideation)});
  }
  return lvl;
}

/// Weak signals over the recent turns (none of them high) adding up.
level build_up(const std::vector<past_turn> &past, level message_own, std::uint64_t seq,
               std::vector<conversation_pattern> &fired) {
  if (message_own >= level::high) return level::none;
  int sum = points(message_own);
  thread_local std::vector<std::uint64_t> turns; // reused: no allocation
  turns.clear();
  for (const auto &p : past) {
    if (p.t->lvl >= level::high && p.steps == 0) return level::none; // a crisis, not a build-up
    const int pts = p.steps == 0 ? points(p.t->own) : p.steps == 1 ? points(p.t->own) / 2 : 0;
    if (pts > 0) turns.push_back(p.t->seq);
    sum += pts;
  }
  if (sum < kBuildMedium || turns.empty()) return level::none;
  if (points(message_own) > 0) turns.push_back(seq);
  fired.push_back({pattern_name::slow_build_up, turns});
  return sum >= kBuildHigh ? level::high : level::medium;
}

/// True when a turn still in the picture already reported the sudden calm
/// after crisis turn `crisis`: the calm began there, and later calm turns
/// report that turn's pattern instead of completing (and storing) their own.
bool calm_already_seen(const std::vector<past_turn> &past, std::uint64_t crisis) {
  for (const auto &p : past) {
    if (p.steps >= 2 || p.t->seq <= crisis) continue;
    for (const auto &pat : p.t->patterns)
      if (pat.name == pattern_name::sudden_drop_after_crisis && !pat.turns.empty() &&
          pat.turns.front() == crisis)
        return true;
  }
  return false;
}

void add_unique(std::vector<conversation_pattern> &out, const conversation_pattern &p) {
  for (const auto &q : out)
    if (q.name == p.name) return;
  out.push_back(p);
}

} // namespace

int fade_steps(const turn_record &t, std::size_t turns_after, timestamp_ms now,
               bool timed) {
  using c = carry_schedule;
  const int by_turns =
      turns_after < c::hold_turns
          ? 0
          : 1 + static_cast<int>((turns_after - c::hold_turns) / c::turns_per_step);
  if (!(timed && t.timed)) return by_turns;
  const timestamp_ms age = now - t.at;
  const int by_time =
      age < c::hold_ms ? 0 : 1 + static_cast<int>((age - c::hold_ms) / c::ms_per_step);
  // After a long quiet, time alone has passed; before it, both must.
  return age >= c::quiet_ms ? by_time : std::min(by_turns, by_time);
}

level apply_session_rules(const message_result &m, level message_lvl, const session &s,
                          timestamp_ms now, bool timed, assessment &a, turn_record &next) {
  const auto &turns = s.turns();
  const std::uint64_t seq = s.next_turn();
  thread_local std::vector<past_turn> past; // reused: no allocation per message
  past.clear();
  // Benign turns add nothing to carry, patterns or a build-up: the session
  // hands over only the others.
  turns.for_each_notable([&](const turn_record &t, std::size_t turns_after) {
    past.push_back({&t, fade_steps(t, turns_after, now, timed)});
  });

  std::vector<conversation_pattern> fired;
  level established = completed_patterns(m, message_lvl, past, seq, fired);
  // Three turns in a row, each stronger than the one before, ending at medium
  // or above.
  if (turns.size() >= 2 && message_lvl >= level::medium) {
    const std::size_t last = turns.size() - 1;
    const level own1 = turns.own_level(last), own2 = turns.own_level(last - 1);
    if (own2 >= level::low && own2 < own1 && own1 < message_lvl) {
      established = raise_to(established, step_up(message_lvl));
      fired.push_back({pattern_name::escalating, {turns.seq(last - 1), turns.seq(last), seq}});
    }
  }
  // What earlier turns still carry, and the patterns they completed.
  level carried = level::none;
  const past_turn *last_crisis = nullptr;
  std::size_t earlier_patterns = 0;
  for (const auto &p : past) {
    carried = std::max(carried, faded(p.t->lvl, p.steps));
    if (p.t->lvl >= level::high && p.steps == 0) last_crisis = &p;
    if (p.steps < 2) earlier_patterns += p.t->patterns.size();
  }
  if (last_crisis && m.context_level > level::none) {
    // "I've made my decision" right after talk of dying.
    established = raise_to(established, m.context_level);
    fired.push_back({pattern_name::decision_after_crisis, {last_crisis->t->seq, seq}});
  } else if (last_crisis && message_lvl <= level::low &&
             !calm_already_seen(past, last_crisis->t->seq)) {
    fired.push_back({pattern_name::sudden_drop_after_crisis, {last_crisis->t->seq, seq}});
  }
  const level built = build_up(past, message_lvl, seq, fired);

  const level conversation = std::max({established, carried, built});
  const level before = turns.last_conversation();
  a.message_level = message_lvl;
  a.conversation_level = conversation;
  a.direction = conversation > before   ? trend::rising
                : conversation < before ? trend::falling
                                        : trend::steady;
  a.turn = seq;
  a.patterns.reserve(fired.size() + earlier_patterns);
  for (const auto &p : fired)
    add_unique(a.patterns, p);
  // Patterns of earlier turns still part of the picture, newest first.
  for (auto it = past.rbegin(); it != past.rend(); ++it)
    if (it->steps < 2)
      for (const auto &pat : it->t->patterns)
        add_unique(a.patterns, pat);
  a.trajectory.reserve(a.patterns.size());
  for (const auto &p : a.patterns)
    a.trajectory.push_back(p.name);
  if (!fired.empty())
    for (auto &mh : a.multipliers)
      mh.applied = mh.applied || mh.kind == multiplier_kind::means;

  next = turn_record{now, established, message_lvl, m.categories, m.multipliers,
                     seq, timed,       conversation, std::move(fired)};
  return std::max(message_lvl, conversation);
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
