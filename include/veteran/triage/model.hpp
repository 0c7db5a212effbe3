// veteran/triage/model.hpp — the learned second opinion.
//
// Rules never list every wording. A `model` is a small linear classifier over
// hashed features of the message — word unigrams, bigrams and skip-bigrams of
// the normalised tokens, emoji — and of what the
// rules found (categories, multipliers, levels, suppression reasons, tense
// and subject of triggers). It has two heads, each a logistic score in 0..1:
//   crisis   "the message needs high or critical"   → may raise to high
//   concern  "the message needs at least medium"    → may raise to medium
// The engine runs it in the same pass as the rules. It is RAISE-ONLY: it can
// lift a message the rules rated lower to at most `high`, and never lowers a
// rule. Its thresholds are calibrated offline (scripts/train-model.py) so it
// adds few false alarms; the calibration is recorded in the model file.
//
// The file format (JSON, format "veteran-linear-model" version 1) is
// documented in docs/model.md; the shipped model is compiled into the library
// with its training report beside it in data/models/.
//
// Thread safety: a model is immutable after construction; share it through
// std::shared_ptr<const model> between any number of engines and threads.
// Errors: loading returns errc::parse_error (not JSON, duplicate member),
// errc::pack_invalid for a document that is JSON but not a valid model (the
// message names the member), errc::limit_exceeded, errc::not_found and
// errc::io_error as for packs. A failed load has no side effects.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "veteran/error.hpp"
#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

/// Largest model file accepted, in bytes of JSON.
inline constexpr std::size_t max_model_bytes = std::size_t{32} << 20;

/// One head of the model: its decision threshold and the level it raises to.
struct model_head_info {
  double threshold = 0; ///< probability at or above which the head fires
  level raises_to = level::none;
};

class model {
public:
  /// Parses and checks a model document (see docs/model.md).
  [[nodiscard]] static result<std::shared_ptr<const model>>
  from_json(std::string_view json);
  /// Reads a model file (regular files only, at most max_model_bytes).
  [[nodiscard]] static result<std::shared_ptr<const model>>
  from_file(const std::string &path);
  /// The model shipped inside the library, trained for the default pack
  /// (loaded once, on first use; thread-safe). Throws veteran::error(internal)
  /// only if the shipped file does not load, a build defect the tests rule out.
  [[nodiscard]] static std::shared_ptr<const model> default_model();

  [[nodiscard]] const std::string &id() const noexcept;
  [[nodiscard]] const std::string &version() const noexcept;
  [[nodiscard]] model_head_info crisis() const noexcept;
  [[nodiscard]] model_head_info concern() const noexcept;
  /// Number of hash buckets (2^hash_bits) features are folded into.
  [[nodiscard]] std::size_t buckets() const noexcept;

  ~model();
  model(const model &) = delete;
  model &operator=(const model &) = delete;

private:
  struct compiled;               // weights and thresholds (library-internal)
  friend struct model_internals; // the engine's access to them
  explicit model(std::unique_ptr<const compiled> impl);
  std::unique_ptr<const compiled> impl_;
};

/// The shipped model's JSON text.
[[nodiscard]] std::string_view default_model_json() noexcept;

} // namespace triage
VETERAN_NAMESPACE_END
