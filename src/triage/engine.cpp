// The engine: pack + options + thread-local scratch → assessment, with the
// session (trajectory) rules, the classifier hook and the fail-safe wrapper.
#include "veteran/triage/engine.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
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

/// A pack run beside the primary one, with the prefix of the ids it reports.
struct extra_pack_t {
  std::shared_ptr<const pack> p;
  std::string prefix; ///< "<locale>:"
};

struct engine::state {
  const std::uint64_t serial;               ///< unique per state, for thread caches
  std::vector<extra_pack_t> extras;         ///< fixed at construction
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
thread_local detail::match_scratch t_extra_scratch; ///< for extra packs
thread_local bool t_inject_failure = false;
thread_local bool t_inject_extra_failure = false;

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

/// `prefix` before the id of every finding of `a` from index `from` on.
void prefix_ids(assessment &a, std::size_t triggers, std::size_t suppressed,
                std::size_t multipliers, const std::string &prefix) {
  for (auto k = triggers; k < a.triggers.size(); ++k)
    a.triggers[k].id.insert(0, prefix);
  for (auto k = suppressed; k < a.suppressed.size(); ++k)
    a.suppressed[k].id.insert(0, prefix);
  for (auto k = multipliers; k < a.multipliers.size(); ++k)
    a.multipliers[k].id.insert(0, prefix);
}

/// True when the message (as the primary pack tokenized it) opens the word
/// gate of some extra pack: the common answer, no, costs a hash-bit test a
/// word and nothing else.
bool any_gate_open(const std::vector<extra_pack_t> &extras,
                   const detail::token_scratch &primary) noexcept {
  for (const auto &x : extras)
    if (detail::gate_open(pack_internals::of(*x.p).gate, primary)) return true;
  return false;
}

template <class T> void append(std::vector<T> &to, std::vector<T> &&from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()),
            std::make_move_iterator(from.end()));
}

/// What the extra packs found in a message and what it adds up to with the
/// primary pack's findings.
struct pack_merge {
  assessment extra;               ///< the extra packs' findings (ids prefixed)
  detail::message_result extra_r; ///< their context level and multiplier kinds
  assessment all;                 ///< every pack's triggers and multipliers
  detail::message_result combined;
};

/// The levels of the primary pack's findings in `a` (result `primary`) and
/// the extra packs' taken together, as if one pack had found them all: at
/// least the highest level any gives, with the usual escalation across
/// categories and by context. `a` is left as it is (the learned model reads
/// the primary pack's findings only); `x.all` receives every trigger and
/// multiplier for merge_findings().
detail::message_result
combine_packs(const assessment &a, const detail::message_result &primary, pack_merge &x) {
  x.all.triggers = a.triggers;
  append(x.all.triggers, std::move(x.extra.triggers));
  x.all.multipliers = a.multipliers;
  append(x.all.multipliers, std::move(x.extra.multipliers));
  detail::message_result r;
  r.context_level = std::max(primary.context_level, x.extra_r.context_level);
  r.multipliers = primary.multipliers | x.extra_r.multipliers;
  detail::combine(x.all, r);
  return r;
}

/// Puts every pack's findings into `a` (after the learned model has read the
/// primary pack's).
void merge_findings(assessment &a, pack_merge &x) {
  a.triggers = std::move(x.all.triggers);
  a.multipliers = std::move(x.all.multipliers);
  append(a.suppressed, std::move(x.extra.suppressed));
}

/// Runs every extra pack whose word gate the message (as the primary pack
/// tokenized it, in `tokens`) opens, their findings' ids prefixed by the
/// pack's locale, and combines them with the primary pack's (`a`, `primary`).
/// Null when none of them found anything. Out of line: rarely needed.
[[gnu::noinline]] std::unique_ptr<pack_merge>
run_extra_packs(const std::vector<extra_pack_t> &extras, std::string_view text,
                const detail::token_scratch &tokens, const assessment &a,
                const detail::message_result &primary) {
  auto x = std::make_unique<pack_merge>();
  for (const auto &e : extras) {
    const auto &cp = pack_internals::of(*e.p);
    if (!detail::gate_open(cp.gate, tokens)) continue;
    detail::match(text, cp, t_extra_scratch);
    if (t_inject_extra_failure) throw std::runtime_error("injected extra pack failure");
    auto &out = x->extra;
    const auto t = out.triggers.size(), su = out.suppressed.size(),
               mu = out.multipliers.size();
    detail::apply_rules(cp, t_extra_scratch, out, x->extra_r);
    prefix_ids(out, t, su, mu, e.prefix);
  }
  const auto &out = x->extra;
  if (out.triggers.empty() && out.suppressed.empty() && out.multipliers.empty())
    return nullptr;
  x->combined = combine_packs(a, primary, *x);
  return x;
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
  for (const auto &x : options_->extra_packs)
    state_->extras.push_back({x, x->locale() + ":"});
  set_pack(std::move(p));
}

namespace {
/// Why `packs` (the primary first) cannot run together, or "" when they can.
std::string pack_set_problem(const std::shared_ptr<const pack> &primary,
                             const std::vector<std::shared_ptr<const pack>> &extras) {
  for (std::size_t i = 0; i < extras.size(); ++i) {
    if (!extras[i]) return "extra_packs[" + std::to_string(i) + "] must not be null";
    if (extras[i]->locale() == primary->locale())
      return "extra_packs[" + std::to_string(i) + "] has the primary pack's locale \"" +
             primary->locale() + "\"";
    for (std::size_t j = 0; j < i; ++j)
      if (extras[j]->locale() == extras[i]->locale())
        return "extra_packs[" + std::to_string(i) + "] has the locale of extra_packs[" +
               std::to_string(j) + "] (\"" + extras[i]->locale() + "\")";
  }
  return {};
}
} // namespace

result<engine> engine::create(std::shared_ptr<const pack> p, engine_options options) {
  if (!p) return {errc::invalid_argument, "engine: pack must not be null"};
  if (auto problem = pack_set_problem(p, options.extra_packs); !problem.empty())
    return {errc::invalid_argument, "engine: " + problem};
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
  for (const auto &x : state_->extras)
    if (x.p->locale() == p->locale())
      throw veteran::error(errc::invalid_argument,
                           "engine: pack has the locale of an extra pack (\"" +
                               p->locale() + "\")");
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
    const auto primary = detail::evaluate(cp, t_scratch, a);
    // Extra packs: their findings join the primary's for the level and the
    // conversation view; the learned model reads the primary's alone.
    std::unique_ptr<pack_merge> merged;
    if (!state_->extras.empty() && any_gate_open(state_->extras, t_scratch))
      merged = run_extra_packs(state_->extras, text, t_scratch, a, primary);
    const detail::message_result &m = merged ? merged->combined : primary;
    level lvl = m.own;
    a.score = m.score;
    a.other_level = m.other;
    a.concern_for_other = m.other > level::none;
    // Someone else in danger now is as actionable as the writer's own crisis;
    // a worry about someone without current danger still gets a check-in.
    if (m.other_danger)
      lvl = detail::raise_to(lvl, std::max(m.other_present, level::low));
    if (state_->learned)
      detail::run_model(model_internals::of(*state_->learned), text, cp, t_scratch,
                        primary, a, lvl);
    if (merged) merge_findings(a, *merged);
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
void set_extra_pack_failure_injection(bool on) noexcept { t_inject_extra_failure = on; }
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
