// Internal: the compiled form of a learned model and how the engine runs it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "triage/detail/match.hpp"
#include "triage/detail/rules.hpp"
#include "veteran/triage/model.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {
namespace detail {

/// Weights and thresholds of a loaded model.
struct model_data {
  struct head {
    double bias = 0, scale = 0; ///< logit = bias + scale * sum of weights
    double threshold = 0;       ///< probability
    level raises_to = level::none;
  };
  std::string id, version;
  std::string_view interned_id, interned_version;
  std::uint32_t mask = 0;           ///< buckets - 1
  std::vector<std::int8_t> weights; ///< interleaved: [bucket * 2 + head]
  head crisis, concern;
};

} // namespace detail

struct model::compiled : detail::model_data {
  explicit compiled(detail::model_data &&d) : detail::model_data(std::move(d)) {}
};

struct model_internals {
  [[nodiscard]] static const detail::model_data &of(const model &m) noexcept {
    return *m.impl_;
  }
  [[nodiscard]] static std::shared_ptr<const model> make(detail::model_data &&d) {
    return std::shared_ptr<const model>(
        new model(std::make_unique<const model::compiled>(std::move(d))));
  }
};

namespace detail {

/// Scores the message with `mdl` and fills `a.model`; raises `lvl` (to at
/// most high) when a head fires above it. Never lowers `lvl`.
void run_model(const model_data &mdl, std::string_view text, const compiled_pack &cp,
               const match_scratch &s, const message_result &m, assessment &a,
               level &lvl);

} // namespace detail
} // namespace triage
VETERAN_NAMESPACE_END
