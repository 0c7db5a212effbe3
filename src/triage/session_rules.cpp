// Conversation trajectory rules: what a message means after the turns
// before it. See detail/session_rules.hpp.
#include "triage/detail/session_rules.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace {

constexpr std::uint32_t bit(category c) { return 1u << static_cast<unsigned>(c); }
constexpr std::uint32_t kIdeationBits = bit(category::ideation) |
                                        bit(category::passive_death_wish) |
                                        bit(category::intent) | bit(category::plan);
constexpr std::uint32_t kMethodBits = bit(category::means) | bit(category::plan);
constexpr std::uint32_t kMeansMultiplierBit =
    1u << static_cast<unsigned>(multiplier_kind::means);

level step_up(level l) {
  return l == level::critical ? l : static_cast<level>(static_cast<int>(l) + 1);
}

void note(assessment &a, const char *pattern) { a.trajectory.emplace_back(pattern); }

} // namespace

level apply_session_rules(const message_result &m, level lvl, const session &s,
                          assessment &a) {
  int ideation_turns = 0;
  bool burden_before = false;
  for (const auto &t : s.turns()) {
    if (t.categories & kIdeationBits) ++ideation_turns;
    if (t.categories & bit(category::burden)) burden_before = true;
  }
  const bool method_now =
      (m.categories & kMethodBits) || (m.multipliers & kMeansMultiplierBit);
  if (method_now && ideation_turns > 0) {
    lvl = level::critical;
    for (auto &mh : a.multipliers)
      mh.applied = mh.applied || mh.kind == multiplier_kind::means;
    note(a, "method_after_ideation");
  }
  if ((m.categories & bit(category::finality)) && burden_before) {
    lvl = level::critical;
    note(a, "finality_after_burden");
  }
  if ((m.categories & kIdeationBits) && ideation_turns > 0) {
    lvl = raise_to(lvl, ideation_turns >= 2 ? level::critical : level::high);
    note(a, "repeated_ideation");
  }
  const auto &turns = s.turns();
  if (turns.size() >= 2 && lvl >= level::medium) {
    const auto &p1 = turns[turns.size() - 1], &p2 = turns[turns.size() - 2];
    if (p2.own < p1.own && p1.own < m.own && p2.own >= level::low) {
      lvl = step_up(lvl);
      note(a, "escalating");
    }
  }
  if (!turns.empty() && turns.back().own >= level::high && m.own == level::none) {
    lvl = raise_to(lvl, level::medium);
    note(a, "sudden_drop_after_crisis");
  }
  return lvl;
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
