// veteran/triage/engine.hpp — the assessment pipeline.
//
// An engine binds a compiled pack to options (country for resources, optional
// classifier). assess() normalises the text, matches the pack, applies clause-
// scoped negation, tense, third person, reported speech (titles, news, study,
// quotations), idiom exceptions and context multipliers, derives level, RAG,
// intervention and flags, and — given a session — applies trajectory rules.
//
// Several packs: engine_options::extra_packs run beside the primary pack
// (Welsh beside English); see there.
//
// Fail safe: assess() never throws. If anything inside fails, the result has
// level high, every field present and `error` set. It never answers "none"
// because something broke.
//
// Thread safety: an engine is immutable after construction except for
// set_pack(), which swaps the pack atomically; assess() may be called from any
// number of threads at once (each call uses thread-local scratch). A session
// must not be shared by concurrent calls.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/clock.hpp"
#include "veteran/error.hpp"
#include "veteran/executor.hpp"
#include "veteran/triage/assessment.hpp"
#include "veteran/triage/model.hpp"
#include "veteran/triage/pack.hpp"
#include "veteran/triage/session.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

/// What a host classifier (ML model, LLM, ...) says about a message.
struct classifier_verdict {
  level lvl = level::none;
  std::string label; ///< free text shown in audit, e.g. model name + class
};

/// A classifier is called with the text and the rule-based assessment. It may
/// throw; it may be slow. It can only RAISE the level: a verdict below the rule
/// floor is ignored. It runs on `classifier_executor` (by default a pool of 2
/// threads with 16 queued calls owned by the engine) and is abandoned after
/// `classifier_timeout`, so it never delays or lowers the floor; when the
/// executor is saturated (a hung classifier) the call is not made at all and
/// the assessment says `classifier: "busy"`. Threads never pile up.
using classifier_fn =
    std::function<classifier_verdict(const std::string &text, const assessment &floor)>;

struct engine_options {
  std::string country = "GB"; ///< resources attached to assessments
  classifier_fn classifier;   ///< optional
  std::chrono::milliseconds classifier_timeout{200};
  /// Where the classifier runs; null = a bounded pool owned by the engine.
  /// Destroying the engine waits for classifier calls still running on it.
  std::shared_ptr<executor> classifier_executor;
  /// Time for session turns when assess() is given no `now`; null = system clock.
  std::shared_ptr<const veteran::clock> time_source;
  bool attach_resources = true; ///< fill assessment.resources when shown
  /// The learned second opinion (veteran/triage/model.hpp), raise-only. On by
  /// default with the shipped model; set `learned_model` to use another one,
  /// or `use_learned_model = false` for rules alone.
  bool use_learned_model = true;
  std::shared_ptr<const model> learned_model; ///< null = the shipped model
  /// Packs run beside the primary pack (the one given to create() or
  /// set_pack()) on every message, e.g. `pack::builtin("cy-GB")` so that
  /// Welsh is read as well as English. Each pack's triggers, suppressions and
  /// multipliers appear in the assessment, those of an extra pack with ids
  /// prefixed by its locale and a colon ("cy-GB:intent.kill_myself"); the
  /// level is worked out from all of them together (so it is at least the
  /// highest any pack gives), and the conversation view sees them all. The
  /// learned model reads the primary pack's findings only (it was trained
  /// on them). An extra pack is only run for a message with at least one of
  /// its gate words as written (docs/pack-format.md, "Several packs"), so an
  /// English message costs one hash-bit test a word; a word that needs
  /// leetspeak or typo repair to become one of them is not seen.
  /// Ownership: the engine shares the packs (they stay alive as long as it
  /// does). Errors (create()): invalid_argument for a null entry or two
  /// packs, primary included, with the same locale. A failure while running
  /// any pack gives the fail-safe answer. Fixed for the engine's life:
  /// set_pack() replaces the primary pack only.
  std::vector<std::shared_ptr<const pack>> extra_packs;
};

class engine {
public:
  /// Engine over the shipped default pack (en-GB) alone. Welsh is opt-in:
  /// create() with `extra_packs` = { pack::builtin("cy-GB") } (measured cost
  /// on English chat in README.md, too high to be the default).
  engine();
  /// errc::invalid_argument if `p` or an entry of options.extra_packs is
  /// null, or two of the packs have the same locale; errc::not_found for an
  /// unknown country (checked eagerly so the mistake shows at start-up).
  [[nodiscard]] static result<engine> create(std::shared_ptr<const pack> p,
                                             engine_options options = {});

  /// Assesses one message on its own. Never throws.
  [[nodiscard]] assessment assess(std::string_view text) const noexcept;
  /// Assesses one message as the next turn of `s` at time `now` (ms since the
  /// epoch; defaults to the system clock) and records it in `s`. Never throws.
  [[nodiscard]] assessment
  assess(std::string_view text, session &s,
         std::optional<timestamp_ms> now = std::nullopt) const noexcept;

  /// The answer assess() gives when it fails internally: level high, RAG red,
  /// crisis_response, every flag set, crisis resources of the engine's country
  /// and `error` = `reason`. For hosts that cannot even hand a message to
  /// assess() (an unreadable input line, a decoding failure) and must still
  /// fail safe. `reason` must not contain user data. Never throws.
  [[nodiscard]] assessment failsafe(std::string_view reason) const noexcept;

  /// The hashed features (32-bit, before folding into a model's buckets) the
  /// learned model reads for `text` under the current pack: what the offline
  /// training script (scripts/train-model.py) trains on, so that training and
  /// inference share one feature definition. Errors: internal if matching fails.
  [[nodiscard]] result<std::vector<std::uint32_t>> model_features(std::string_view text) const;
  /// The learned model in use, or null when rules run alone.
  [[nodiscard]] std::shared_ptr<const model> learned_model() const noexcept;

  /// Replaces the primary pack at run time (no rebuild); in-flight calls
  /// finish with the pack they started with; extra packs stay as they are.
  /// Thread-safe. A replaced pack is freed once no thread that assessed with
  /// it holds it any more: each thread keeps a reference to the last pack it
  /// used until its next assess() call. Throws veteran::error
  /// (invalid_argument) if `p` is null or has the locale of an extra pack;
  /// the engine is then unchanged.
  void set_pack(std::shared_ptr<const pack> p);
  /// The primary pack in use.
  [[nodiscard]] std::shared_ptr<const pack> current_pack() const;
  /// The packs run beside it (engine_options::extra_packs), in order.
  [[nodiscard]] const std::vector<std::shared_ptr<const pack>> &
  extra_packs() const noexcept {
    return options_->extra_packs;
  }
  [[nodiscard]] const engine_options &options() const noexcept { return *options_; }

private:
  struct state;
  engine(std::shared_ptr<const pack> p, std::shared_ptr<const engine_options> o);
  assessment assess_impl(std::string_view text, session *s,
                         std::optional<timestamp_ms> now) const noexcept;
  std::shared_ptr<state> state_;
  std::shared_ptr<const engine_options> options_;
};

/// Convenience: assess with a process-wide default engine (default pack, GB).
[[nodiscard]] assessment assess(std::string_view text) noexcept;

} // namespace triage
VETERAN_NAMESPACE_END
