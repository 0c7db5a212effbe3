// veteran/triage/pack.hpp — phrase packs: load, validate, compile.
//
// A `pack` is the compiled, immutable form of a phrase-pack JSON document
// (format: docs/pack-format.md). Compiling is done once; the result is shared
// by any number of engines and threads through std::shared_ptr<const pack>.
//
// Thread safety: a pack is immutable after construction; all const member
// functions may be called concurrently.
// Errors: loading returns errc::pack_invalid with a message naming the section,
// index and id of the offending entry; errc::io_error for unreadable files;
// errc::parse_error for invalid JSON. A failed load has no side effects.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/error.hpp"
#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

/// Counts reported by `veteran pack check` and pack::stats().
struct pack_stats {
  std::size_t phrases = 0, multipliers = 0, exceptions = 0, lexicon = 0, cues = 0;
  std::size_t classes = 0, frames = 0; ///< format 2: word classes and frames
  std::size_t expansions = 0; ///< token sequences after expanding patterns
  std::size_t vocabulary = 0; ///< distinct tokens known to the matcher
  std::array<std::size_t, category_count> per_category{};
  std::array<std::size_t, multiplier_kind_count> per_multiplier_kind{};
};

/// A finding of the pack linter (`veteran pack check` prints them). Findings
/// never stop a pack from loading: they point at entries to review.
struct pack_finding {
  /// "id_suffix": an id ending in _2, _3 ... (a copy, not a new idea);
  /// "subset": every wording of `entry` is also a wording of `other` (the
  ///   entry adds nothing);
  /// "conflict": `entry` and `other` share a wording but rate it differently
  ///   (category or severity);
  /// "critical_covered": exception `other` contains every word of a wording
  ///   of critical phrase `entry`, so it can suppress it;
  /// "unused_class": word class `entry` fills no role of any frame (it can
  ///   never count).
  std::string kind;
  std::string entry, other; ///< entry ids (`other` empty when not relevant)
  std::string detail;       ///< the wording concerned, for a reviewer
};

/// Largest pack accepted, in bytes of JSON (the shipped pack is about 0.3 MB).
inline constexpr std::size_t max_pack_bytes = std::size_t{16} << 20;

class pack {
public:
  /// Parses, validates and compiles a pack from JSON text.
  /// Errors: limit_exceeded (over max_pack_bytes), parse_error (not JSON, a
  /// member given twice; the message gives the byte offset or the path),
  /// pack_invalid (names the entry).
  [[nodiscard]] static result<std::shared_ptr<const pack>>
  from_json(std::string_view json);
  /// Reads and compiles a pack file. Errors: as from_json, plus not_found,
  /// io_error (a directory, FIFO or other non-regular file is refused without
  /// blocking) and limit_exceeded (file over max_pack_bytes, refused unread).
  [[nodiscard]] static result<std::shared_ptr<const pack>>
  from_file(const std::string &path);
  /// The default en-GB pack shipped inside the library (compiled once, on
  /// first use; thread-safe). Throws veteran::error(internal) only if the
  /// shipped pack does not compile, a build defect the test suite rules out.
  [[nodiscard]] static std::shared_ptr<const pack> default_pack();
  /// A pack shipped inside the library, by locale: "en-GB" (the default
  /// pack) or "cy-GB" (a small Welsh pack, meant to run beside en-GB through
  /// engine_options::extra_packs). Compiled once, on first use; thread-safe;
  /// the same pack object on every call. Errors: not_found for any other
  /// locale (builtin_locales() lists them).
  [[nodiscard]] static result<std::shared_ptr<const pack>>
  builtin(std::string_view locale);
  /// The locales builtin() knows, the default first.
  [[nodiscard]] static std::vector<std::string> builtin_locales();

  [[nodiscard]] const std::string &id() const noexcept;
  [[nodiscard]] const std::string &version() const noexcept;
  [[nodiscard]] const std::string &locale() const noexcept;
  [[nodiscard]] const pack_stats &stats() const noexcept;
  /// What the linter found when the pack was compiled.
  [[nodiscard]] const std::vector<pack_finding> &findings() const noexcept;

  ~pack();
  pack(const pack &) = delete;
  pack &operator=(const pack &) = delete;

private:
  struct compiled;              // the matcher and its tables (library-internal)
  friend struct pack_internals; // the library's access to them
  explicit pack(std::unique_ptr<const compiled> impl);
  std::unique_ptr<const compiled> impl_;
};

/// The shipped default pack's JSON text (useful as a template for new packs).
[[nodiscard]] std::string_view default_pack_json() noexcept;
/// The JSON text of a shipped pack by locale (see pack::builtin), or an
/// empty view for an unknown locale.
[[nodiscard]] std::string_view builtin_pack_json(std::string_view locale) noexcept;

} // namespace triage
VETERAN_NAMESPACE_END
