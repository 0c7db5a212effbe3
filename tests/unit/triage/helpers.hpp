// Shared helpers for the triage tests.
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "veteran/triage.hpp"

namespace triage_test {

namespace tr = veteran::triage;

inline std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The small, hand-written pack under tests/data/triage (mechanism tests do
/// not depend on the contents of the shipped pack).
inline std::shared_ptr<const tr::pack> test_pack() {
  static const auto p =
      tr::pack::from_file(std::string(VETERAN_TEST_DATA_DIR) + "/triage/test-pack.json").value();
  return p;
}

/// Options for an engine that runs the rules alone (no learned model): what
/// tests of rule behaviour and of custom packs use.
inline tr::engine_options rules_only() {
  tr::engine_options o;
  o.use_learned_model = false;
  return o;
}

inline const tr::engine &test_engine() {
  static const tr::engine e = tr::engine::create(test_pack(), rules_only()).value();
  return e;
}

inline const tr::engine &default_engine() {
  static const tr::engine e;
  return e;
}

/// The shipped pack with the rules alone.
inline const tr::engine &rules_only_default_engine() {
  static const tr::engine e =
      tr::engine::create(tr::pack::default_pack(), rules_only()).value();
  return e;
}

inline bool has_trigger(const tr::assessment &a, const std::string &id) {
  return std::any_of(a.triggers.begin(), a.triggers.end(),
                     [&](const tr::trigger &t) { return t.id == id; });
}

inline bool has_suppressed(const tr::assessment &a, const std::string &reason) {
  return std::any_of(a.suppressed.begin(), a.suppressed.end(),
                     [&](const tr::suppressed_match &s) { return s.reason == reason; });
}

inline std::string level_of(const tr::engine &e, const std::string &text) {
  return tr::to_string(e.assess(text).lvl);
}

} // namespace triage_test
