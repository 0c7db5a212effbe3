#include "veteran/triage/assessment.hpp"

#include "triage/detail/intern.hpp"

#include <cstring>
#include <mutex>
#include <set>
#include <string>

VETERAN_NAMESPACE_BEGIN
namespace triage {

namespace {
constexpr const char *kLevels[] = {"none", "low", "medium", "high", "critical"};
constexpr const char *kRag[] = {"GREEN", "YELLOW", "AMBER", "RED"};
constexpr const char *kInterventions[] = {"none", "gentle_check_in", "direct_concern",
                                          "crisis_response", "emergency_resources"};
constexpr const char *kCategories[] = {
    "intent",   "plan",      "means",        "finality", "passive_death_wish",
    "ideation", "self_harm", "hopelessness", "burden",   "isolation",
    "distress", "substances"};
constexpr const char *kMultiplierKinds[] = {"substances", "isolation", "finality",
                                            "means", "recent_loss"};

template <class E, std::size_t N>
const char *name_of(E v, const char *const (&names)[N]) noexcept {
  const auto i = static_cast<std::size_t>(v);
  return i < N ? names[i] : "unknown";
}

template <class E, std::size_t N>
bool parse_name(const std::string &name, const char *const (&names)[N], E &out) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (name == names[i]) {
      out = static_cast<E>(i);
      return true;
    }
  return false;
}
} // namespace

const char *to_string(level v) noexcept { return name_of(v, kLevels); }
const char *to_string(rag v) noexcept { return name_of(v, kRag); }
const char *to_string(intervention v) noexcept { return name_of(v, kInterventions); }
const char *to_string(category v) noexcept { return name_of(v, kCategories); }
const char *to_string(multiplier_kind v) noexcept { return name_of(v, kMultiplierKinds); }
const char *to_string(subject v) noexcept {
  return v == subject::self ? "self" : "other";
}
const char *to_string(risk_subject v) noexcept {
  switch (v) {
  case risk_subject::self: return "self";
  case risk_subject::other: return "other";
  case risk_subject::both: return "both";
  default: return "none";
  }
}
const char *to_string(temporal v) noexcept {
  return v == temporal::present ? "present" : "past";
}

bool parse(const std::string &name, level &out) noexcept {
  return parse_name(name, kLevels, out);
}
bool parse(const std::string &name, category &out) noexcept {
  return parse_name(name, kCategories, out);
}
bool parse(const std::string &name, multiplier_kind &out) noexcept {
  return parse_name(name, kMultiplierKinds, out);
}

std::string_view detail::intern(std::string_view s) {
  // Few distinct values (pack ids, versions, countries): never freed, so views
  // stay valid whatever happens to the packs and engines that produced them.
  static std::mutex mutex;
  static auto *pool = new std::set<std::string, std::less<>>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = pool->find(s);
  if (it == pool->end()) it = pool->emplace(s).first;
  return *it;
}

rag rag_for(level v) noexcept {
  switch (v) {
  case level::none:
    return rag::green;
  case level::low:
    return rag::yellow;
  case level::medium:
    return rag::amber;
  default:
    return rag::red;
  }
}

intervention intervention_for(level v) noexcept {
  return static_cast<intervention>(static_cast<int>(v));
}

} // namespace triage
VETERAN_NAMESPACE_END
