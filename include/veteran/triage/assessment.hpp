// veteran/triage/assessment.hpp — what the triage engine says about a message.
//
// An `assessment` is a plain value: it owns all its data (no pointers into the
// assessed text, the engine or the pack), may be copied and moved freely, and
// may be used from any thread. Byte spans (`start`, `end`) index the ORIGINAL
// UTF-8 text passed to assess(), half-open [start, end).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

/// Risk level, ordered: none < low < medium < high < critical.
enum class level : std::uint8_t { none = 0, low = 1, medium = 2, high = 3, critical = 4 };

/// Red/amber/yellow/green band derived from the level:
/// none→green, low→yellow, medium→amber, high and critical→red.
enum class rag : std::uint8_t { green = 0, yellow = 1, amber = 2, red = 3 };

/// Recommended response, derived from the level:
/// none→none, low→gentle_check_in, medium→direct_concern,
/// high→crisis_response, critical→emergency_resources.
enum class intervention : std::uint8_t {
  none = 0,
  gentle_check_in = 1,
  direct_concern = 2,
  crisis_response = 3,
  emergency_resources = 4,
};

/// Signal categories of phrase packs (see docs/pack-format.md).
enum class category : std::uint8_t {
  intent,
  plan,
  means,
  finality,
  passive_death_wish,
  ideation,
  self_harm,
  hopelessness,
  burden,
  isolation,
  distress,
  substances,
};
inline constexpr int category_count = 12;

/// Kinds of context multiplier.
enum class multiplier_kind : std::uint8_t {
  substances,
  isolation,
  finality,
  means,
  recent_loss
};
inline constexpr int multiplier_kind_count = 5;

/// Whose risk a trigger describes.
enum class subject : std::uint8_t { self = 0, other = 1 };

/// Whose safety the assessment is about: the writer, someone else (a
/// partner, parent, child or mate the message reports on), or both.
enum class risk_subject : std::uint8_t { none = 0, self = 1, other = 2, both = 3 };

/// Direction of the conversation level against the turn before.
enum class trend : std::uint8_t { steady = 0, rising = 1, falling = 2 };

/// When the described state holds.
enum class temporal : std::uint8_t { present = 0, past = 1 };

/// Stable lower-case names ("critical", "RED", "crisis_response", "intent", ...)
/// and their inverses (return false for unknown names). Never throw.
[[nodiscard]] const char *to_string(level v) noexcept;
[[nodiscard]] const char *to_string(rag v) noexcept; // upper case: "GREEN"
[[nodiscard]] const char *to_string(intervention v) noexcept;
[[nodiscard]] const char *to_string(category v) noexcept;
[[nodiscard]] const char *to_string(multiplier_kind v) noexcept;
[[nodiscard]] const char *to_string(subject v) noexcept;
[[nodiscard]] const char *to_string(risk_subject v) noexcept;
[[nodiscard]] const char *to_string(trend v) noexcept;
[[nodiscard]] const char *to_string(temporal v) noexcept;
bool parse(const std::string &name, level &out) noexcept;
bool parse(const std::string &name, category &out) noexcept;
bool parse(const std::string &name, multiplier_kind &out) noexcept;

[[nodiscard]] rag rag_for(level v) noexcept;
[[nodiscard]] intervention intervention_for(level v) noexcept;

/// A phrase that counted towards the level.
struct trigger {
  /// Pack entry id, e.g. "intent.kill_myself"; from a pack run beside the
  /// primary one (engine_options::extra_packs) prefixed with its locale and
  /// a colon: "cy-GB:intent.kill_myself". The same holds for the ids of
  /// suppressed matches and multipliers; `suppressed_match::by` names an
  /// entry of the same pack without the prefix.
  std::string id;
  std::string phrase; ///< the normalised token sequence that matched
  category cat{};
  level severity{};  ///< the entry's severity before adjustments
  level effective{}; ///< after past/joking/third-person adjustments
  double weight = 0;
  std::uint32_t start = 0, end = 0; ///< byte span in the original text
  subject who = subject::self;
  temporal when = temporal::present;
  std::string why; ///< human explanation of how it counted
};

/// A match that did NOT count, kept for audit: negated, suppressed by an
/// idiom/exception, reported speech (title, news, study, quotation), etc.
struct suppressed_match {
  std::string id; ///< pack entry id of the suppressed phrase/multiplier (see trigger::id)
  std::string phrase;
  std::uint32_t start = 0, end = 0;
  std::string reason; ///< "negated", "idiom", "hyperbole", "reported", ...
  std::string by;     ///< what caused it: exception id or cue text
};

/// A context multiplier that was found.
struct multiplier_hit {
  std::string id;
  multiplier_kind kind{};
  double factor = 1;
  std::uint32_t start = 0, end = 0;
  bool applied = false; ///< false when there was no real signal to escalate
};

/// Response flags for the host.
struct response_flags {
  bool requires_intervention = false; ///< level >= medium
  bool alert_staff = false;           ///< level >= high: raise a safeguarding alert
  bool show_resources = false;        ///< level >= medium: show crisis resources
  bool block_ai_reply = false;        ///< level >= high: no AI reply; hand to a human
};

/// One crisis resource (a phone line, text service, ...).
struct resource {
  std::string id, name, kind, phone, text, url, hours, description;
};

/// A read-only view of crisis resources in the library's shipped data, which
/// lives until the process exits: attaching resources to an assessment copies
/// two words, and the view stays valid after the engine is gone. Iterate it
/// like a vector (begin/end/size/empty/[]).
class resource_list {
public:
  resource_list() = default;
  resource_list(const resource *first, std::size_t count) noexcept
      : first_(first), count_(count) {}
  [[nodiscard]] const resource *begin() const noexcept { return first_; }
  [[nodiscard]] const resource *end() const noexcept { return first_ + count_; }
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  [[nodiscard]] const resource &operator[](std::size_t i) const noexcept {
    return first_[i];
  }

private:
  const resource *first_ = nullptr;
  std::size_t count_ = 0;
};

/// The names of the conversation patterns, defined once: every
/// conversation_pattern::name views one of these (static storage).
namespace pattern_name {
inline constexpr std::string_view repeated_ideation = "repeated_ideation";
inline constexpr std::string_view escalating = "escalating";
inline constexpr std::string_view method_after_ideation = "method_after_ideation";
/// Finality after burden or hopelessness.
inline constexpr std::string_view finality_after_burden = "finality_after_burden";
inline constexpr std::string_view sudden_drop_after_crisis = "sudden_drop_after_crisis";
/// Weak signals over several turns adding up.
inline constexpr std::string_view slow_build_up = "slow_build_up";
/// A phrase that means crisis only in context (such as "I've made my
/// decision") right after a crisis turn.
inline constexpr std::string_view decision_after_crisis = "decision_after_crisis";
inline constexpr std::string_view all[] = {
    repeated_ideation,     escalating,    method_after_ideation, finality_after_burden,
    sudden_drop_after_crisis, slow_build_up, decision_after_crisis};
} // namespace pattern_name

/// A conversation pattern (session only) and the turns that caused it.
/// Turns are numbered from 1 in each session (assessment::turn).
struct conversation_pattern {
  /// One of pattern_name::all; a view of static storage, safe to keep.
  std::string_view name;
  std::vector<std::uint64_t> turns;
};

/// What the learned model (veteran/triage/model.hpp) said about the message.
/// `ran` is false when the engine has no model (engine_options::learned_model
/// off) or the model could not run; the other members are then zero/empty.
struct model_opinion {
  bool ran = false;
  std::string_view id, version; ///< interned: valid until the process exits
  double crisis = 0;            ///< probability the message needs high or critical
  double concern = 0;           ///< probability it needs at least medium
  level lvl = level::none;      ///< the model's own verdict: none, medium or high
  bool raised = false;          ///< the model lifted `lvl` of the assessment
  std::string why;              ///< set when raised: model, head, score, threshold
};

/// The full result. Every field is always present; `error` is empty unless the
/// engine failed internally, in which case level is `high` (fail safe).
struct assessment {
  level lvl = level::none;
  rag band = rag::green;
  double score = 0; ///< 0..1, for ordering; level is authoritative
  intervention action = intervention::none;
  response_flags flags;
  std::vector<trigger> triggers; ///< includes third-person triggers (who=other)
  std::vector<suppressed_match> suppressed;
  std::vector<multiplier_hit> multipliers;
  bool concern_for_other = false;      ///< someone else may be at risk
  level other_level = level::none;     ///< highest level among third-person triggers
  /// Who is at risk. A current danger to someone else (a third-person trigger
  /// in the present) sets `lvl` to at least that trigger's level, so
  /// alert_staff and show_resources follow it as for the writer's own crisis;
  /// a worry about someone without current danger (or one in the past) gives
  /// at least low.
  risk_subject at_risk = risk_subject::none;
  /// The conversation view (assess with a session). `lvl` is what to act
  /// on: the higher of `message_level` (this message alone) and
  /// `conversation_level` (what the recent turns add up to, a crisis turn
  /// carrying into the turns after it until time and benign turns let it
  /// fade). Without a session both equal `lvl`, trend is steady, patterns
  /// are empty and turn is 0.
  level message_level = level::none;
  level conversation_level = level::none;
  trend direction = trend::steady;
  std::vector<conversation_pattern> patterns;
  std::uint64_t turn = 0; ///< this turn's number in the session (from 1)
  /// The names of `patterns` (kept for older hosts); views of static storage.
  std::vector<std::string_view> trajectory;
  /// Views of interned strings that live until the process exits (so that
  /// filling them costs nothing per message): safe to keep after the engine
  /// and pack are gone.
  std::string_view pack_id, pack_version;
  std::string_view country; ///< ISO code of `resources`
  resource_list resources;  ///< set when flags.show_resources (static data)
  model_opinion model;      ///< the learned second opinion (raise-only)
  std::string classifier;   ///< "", "raised", "agreed", "timeout", "busy", "error"
  std::string error;        ///< empty when fine
};

} // namespace triage
VETERAN_NAMESPACE_END
