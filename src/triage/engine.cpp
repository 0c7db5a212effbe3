// The engine: pack + options + thread-local scratch → assessment, with the
// session (trajectory) rules, the classifier hook and the fail-safe wrapper.
#include "veteran/triage/engine.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "triage/detail/intern.hpp"
#include "triage/detail/match.hpp"
#include "triage/detail/model_features.hpp"
#include "triage/detail/model_internals.hpp"
#include "triage/detail/rules.hpp"
#include "triage/detail/session_rules.hpp"
#include "triage/detail/testing.hpp"
#include "veteran/triage/resources.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

/// The pack in use with its interned id and version.
struct current_pack_t {
  std::shared_ptr<const pack> p;
  std::string_view id, version;
};

struct engine::state {
  const std::uint64_t serial;               ///< unique per state, for thread caches
  std::atomic<std::uint64_t> generation{0}; ///< bumped by every set_pack
  std::mutex mutex;                         ///< guards current
  std::shared_ptr<const current_pack_t> current;
  std::shared_ptr<executor> classifier_runner; ///< options' executor or our own pool
  resource_list resources;                     ///< for options.country (static data)
  std::string_view country;                    ///< interned
  std::shared_ptr<const model> learned;        ///< null: rules alone
  explicit state(std::uint64_t s) : serial(s) {}
};

namespace {

thread_local detail::match_scratch t_scratch;
thread_local bool t_inject_failure = false;

std::atomic<std::uint64_t> g_next_serial{1};

/// Each thread's view of the pack of the engine it used last. While the
/// engine's generation is unchanged, assess() reads the pack through it with
/// no lock and no reference-count traffic; set_pack() bumps the generation
/// so every thread picks up the new pack on its next call. An old pack is
/// freed once no thread's view holds it (at most one per thread).
struct thread_pack_view {
  std::uint64_t serial = 0, generation = 0;
  std::shared_ptr<const current_pack_t> current;
};
thread_local thread_pack_view t_pack;

/// This thread's view of the engine's current pack (see thread_pack_view).
template <class State> const current_pack_t &this_thread_pack(State &st) {
  if (t_pack.serial != st.serial ||
      t_pack.generation != st.generation.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(st.mutex);
    t_pack.current = st.current;
    t_pack.serial = st.serial;
    t_pack.generation = st.generation.load(std::memory_order_relaxed);
  }
  return *t_pack.current;
}

void finish(assessment &a, level lvl, const resource_list &resources,
            std::string_view country, bool attach) {
  a.lvl = lvl;
  a.band = rag_for(lvl);
  a.action = intervention_for(lvl);
  a.flags.requires_intervention = lvl >= level::medium;
  a.flags.alert_staff = lvl >= level::high;
  a.flags.block_ai_reply = lvl >= level::high;
  a.flags.show_resources = lvl >= level::medium || a.other_level >= level::high;

  a.country = country;
  if (a.flags.show_resources && attach) a.resources = resources;
}

/// Who is at risk: the writer when their own words (or the model, for a
/// message not about someone else) carry a signal; someone else when a
/// third-person trigger counted.
risk_subject risk_of(const detail::message_result &m, const assessment &a) {
  const bool self = m.own >= level::low || (a.model.raised && !a.concern_for_other);
  const bool other = a.concern_for_other;
  return self && other ? risk_subject::both
         : other       ? risk_subject::other
         : self        ? risk_subject::self
                       : risk_subject::none;
}

/// Runs the classifier on `runner` and waits at most the timeout; returns
/// nullopt (status "timeout", "busy" or "error") when it gives no verdict.
std::optional<classifier_verdict> run_classifier(const engine_options &o,
                                                 executor &runner, std::string_view text,
                                                 const assessment &floor,
                                                 std::string &status) {
  struct shared {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::optional<classifier_verdict> verdict;
  };
  auto sh = std::make_shared<shared>();
  // The task owns copies of all it uses (never the engine or its executor), so
  // it may outlive this call after a timeout.
  const bool queued =
      runner.try_submit([sh, fn = o.classifier, text = std::string(text), floor] {
        std::optional<classifier_verdict> v;
        try {
          v = fn(text, floor);
        } catch (...) {
        }
        std::lock_guard<std::mutex> lock(sh->m);
        sh->verdict = std::move(v);
        sh->done = true;
        sh->cv.notify_all();
      });
  if (!queued) {
    status = "busy";
    return std::nullopt;
  }
  std::unique_lock<std::mutex> lock(sh->m);
  if (!sh->cv.wait_for(lock, o.classifier_timeout, [&] { return sh->done; })) {
    status = "timeout";
    return std::nullopt;
  }
  if (!sh->verdict) status = "error";
  return sh->verdict;
}

} // namespace

engine::engine()
    : engine(pack::default_pack(), std::make_shared<const engine_options>()) {}

engine::engine(std::shared_ptr<const pack> p, std::shared_ptr<const engine_options> o)
    : state_(std::make_shared<state>(g_next_serial.fetch_add(1))),
      options_(std::move(o)) {
  if (options_->classifier)
    state_->classifier_runner =
        options_->classifier_executor
            ? options_->classifier_executor
            : std::make_shared<thread_pool>(thread_pool_options{});
  state_->country = detail::intern(canonical_country(options_->country).value());
  state_->resources = resource_view(state_->country).value();
  if (options_->use_learned_model)
    state_->learned =
        options_->learned_model ? options_->learned_model : model::default_model();
  set_pack(std::move(p));
}

result<engine> engine::create(std::shared_ptr<const pack> p, engine_options options) {
  if (!p) return {errc::invalid_argument, "engine: pack must not be null"};
  if (!canonical_country(options.country))
    return {errc::not_found, "engine: no crisis resources for the configured country"};
  if (options.classifier && options.classifier_timeout.count() <= 0)
    return {errc::invalid_argument, "engine: classifier_timeout must be positive"};
  std::optional<engine> e;
  auto err = capture_error([&] {
    e.emplace(
        engine(std::move(p), std::make_shared<const engine_options>(std::move(options))));
  });
  if (err.code != errc::ok) return err;
  return std::move(*e);
}

void engine::set_pack(std::shared_ptr<const pack> p) {
  if (!p) throw veteran::error(errc::invalid_argument, "engine: pack must not be null");
  auto cur = std::make_shared<const current_pack_t>(
      current_pack_t{p, detail::intern(p->id()), detail::intern(p->version())});
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->current = std::move(cur);
  state_->generation.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<const model> engine::learned_model() const noexcept {
  return state_->learned;
}

result<std::vector<std::uint32_t>> engine::model_features(std::string_view text) const {
  std::vector<std::uint32_t> out;
  auto err = capture_error([&] {
    const auto &cp = pack_internals::of(*this_thread_pack(*state_).p);
    assessment a;
    detail::match(text, cp, t_scratch);
    const auto m = detail::evaluate(cp, t_scratch, a);
    detail::for_each_model_feature(text, cp, t_scratch, m, a,
                                   [&](std::uint32_t h) { out.push_back(h); });
  });
  if (err.code != errc::ok) return err;
  return out;
}

std::shared_ptr<const pack> engine::current_pack() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->current->p;
}

assessment engine::assess(std::string_view text) const noexcept {
  return assess_impl(text, nullptr, std::nullopt);
}

assessment engine::assess(std::string_view text, session &s,
                          std::optional<timestamp_ms> now) const noexcept {
  return assess_impl(text, &s, now);
}

assessment engine::assess_impl(std::string_view text, session *s,
                               std::optional<timestamp_ms> now) const noexcept {
  assessment a;
  try {
    const current_pack_t &cur = this_thread_pack(*state_);
    const auto &cp = pack_internals::of(*cur.p);
    a.pack_id = cur.id;
    a.pack_version = cur.version;
    if (s) s->turns().prefetch();
    detail::match(text, cp, t_scratch);
    if (t_inject_failure) throw std::runtime_error("injected failure");
    const auto m = detail::evaluate(cp, t_scratch, a);
    level lvl = m.own;
    a.score = m.score;
    a.other_level = m.other;
    a.concern_for_other = m.other > level::none;
    // Someone else in danger now is as actionable as the writer's own crisis;
    // a worry about someone without current danger still gets a check-in.
    if (m.other_danger)
      lvl = detail::raise_to(lvl, std::max(m.other_present, level::low));
    if (state_->learned)
      detail::run_model(model_internals::of(*state_->learned), text, cp, t_scratch, m, a,
                        lvl);
    a.at_risk = risk_of(m, a);
    if (s) {
      const timestamp_ms at = now                     ? *now
                              : options_->time_source ? options_->time_source->now()
                                                      : system_now();
      // Without a host time the turns' order alone decides how a crisis
      // fades (a batch read at one instant has no time between turns).
      const bool timed = now.has_value() || options_->time_source != nullptr;
      s->forget_before(at - s->memory_ms());
      turn_record next;
      lvl = detail::apply_session_rules(m, lvl, *s, at, timed, a, next);
      s->record(std::move(next));
    } else {
      a.message_level = a.conversation_level = lvl;
    }
    if (options_->classifier) {
      finish(a, lvl, state_->resources, state_->country, false);
      std::string status;
      auto verdict =
          run_classifier(*options_, *state_->classifier_runner, text, a, status);
      if (verdict) status = verdict->lvl > lvl ? "raised" : "agreed";
      if (verdict && verdict->lvl > lvl) lvl = verdict->lvl;
      if (verdict) a.message_level = std::max(a.message_level, verdict->lvl);
      if (!s) a.conversation_level = a.message_level;
      a.classifier = status;
    }
    finish(a, lvl, state_->resources, state_->country, options_->attach_resources);
  } catch (...) {
    // Fail safe: never "no risk" because something broke.
    assessment safe = failsafe("triage failed internally; treated as high risk");
    safe.pack_id = a.pack_id;
    safe.pack_version = a.pack_version;
    return safe;
  }
  return a;
}

namespace detail {
void set_failure_injection(bool on) noexcept { t_inject_failure = on; }
} // namespace detail

namespace {
/// The fail-safe answer without resources, for when even attaching them fails.
assessment bare_failsafe(std::string_view reason) noexcept {
  assessment safe;
  safe.lvl = level::high;
  safe.band = rag::red;
  safe.action = intervention::crisis_response;
  safe.flags = response_flags{true, true, true, true};
  safe.score = 1;
  safe.at_risk = risk_subject::self; // unknown: assume the writer
  safe.message_level = safe.conversation_level = level::high;
  try {
    safe.error = std::string(reason);
  } catch (...) {
    // error stays empty only if even this allocation failed; level is high.
  }
  return safe;
}
} // namespace

assessment engine::failsafe(std::string_view reason) const noexcept {
  assessment safe = bare_failsafe(reason);
  try {
    finish(safe, level::high, state_->resources, state_->country,
           options_->attach_resources);
  } catch (...) {
    return bare_failsafe(reason);
  }
  return safe;
}

assessment assess(std::string_view text) noexcept {
  try {
    static const engine e;
    return e.assess(text);
  } catch (...) {
    return bare_failsafe("triage engine unavailable; treated as high risk");
  }
}

} // namespace triage
VETERAN_NAMESPACE_END
