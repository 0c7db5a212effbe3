// Internal to the Python extension: Python str <-> the SDK's UTF-8 text, and
// UTF-8 byte offsets -> str indices. One place for both, used by every module.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.hpp"

namespace veteran::python {

/// What to do with a lone UTF-16 surrogate in a str (what json.loads gives
/// for half an emoji sent by a browser): it has no UTF-8 form.
enum class lone_surrogates {
  replace, ///< read it as U+FFFD (triage: assessing must never raise)
  refuse,  ///< InvalidArgumentError naming the argument and index (PII)
};

/// UTF-8 of the str `obj`, valid while `obj` and `storage` live. Uses the
/// str's cached UTF-8 when it has one; otherwise builds it in `storage`.
/// Raises TypeError if `obj` is not a str; see lone_surrogates otherwise.
/// `what` names the argument in errors (never its value).
std::string_view utf8_of(py::handle obj, std::string &storage, lone_surrogates policy,
                         const char *what);

/// Maps UTF-8 byte offsets of one text to Python str indices (code points).
/// Costs nothing for ASCII text, where the two are equal.
class str_offsets {
public:
  explicit str_offsets(std::string_view utf8);
  /// The str index of the character that byte `offset` belongs to; the
  /// text's length in characters for offset == size.
  [[nodiscard]] std::size_t operator()(std::size_t offset) const {
    return index_.empty() ? offset : index_[offset];
  }

private:
  std::vector<std::size_t> index_; // empty for ASCII
};

} // namespace veteran::python
