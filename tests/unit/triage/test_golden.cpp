// Golden outputs of the shipped en-GB pack: every line of the tuning set
// (tests/data/triage/labelled.jsonl) assessed, and the decision-relevant part
// of the result pinned in tests/data/triage/golden/en-GB.jsonl: level, RAG,
// intervention, flags, each trigger (id, span, subject, tense, effective
// level), each suppression (id, span, reason) and multiplier (id, applied).
// Free-text explanations ("why"), scores and pack versions are left out so
// the file changes only when a decision changes.
//
// After an intended pack or rule change, regenerate and review the diff:
//   VETERAN_UPDATE_GOLDEN=1 build/release/tests/veteran_unit_tests -tc='golden*'
//   git diff tests/data/triage/golden/
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>

#include "helpers.hpp"

using namespace triage_test;
namespace json = boost::json;

namespace {

json::array span(const std::string &id, std::uint32_t start, std::uint32_t end) {
  return json::array{json::string(id), start, end};
}

/// The pinned projection of one assessment (one JSON line).
std::string golden_line(const std::string &text, const tr::assessment &a) {
  json::array triggers, suppressed, multipliers;
  for (const auto &t : a.triggers) {
    auto row = span(t.id, t.start, t.end);
    row.emplace_back(tr::to_string(t.who));
    row.emplace_back(tr::to_string(t.when));
    row.emplace_back(tr::to_string(t.effective));
    triggers.emplace_back(std::move(row));
  }
  for (const auto &s : a.suppressed) {
    auto row = span(s.id, s.start, s.end);
    row.emplace_back(json::string(s.reason));
    suppressed.emplace_back(std::move(row));
  }
  for (const auto &m : a.multipliers) {
    auto row = span(m.id, m.start, m.end);
    row.emplace_back(m.applied);
    multipliers.emplace_back(std::move(row));
  }
  json::object o;
  o["text"] = text;
  o["level"] = tr::to_string(a.lvl);
  o["rag"] = tr::to_string(a.band);
  o["intervention"] = tr::to_string(a.action);
  o["flags"] = json::array{a.flags.requires_intervention, a.flags.alert_staff,
                           a.flags.show_resources, a.flags.block_ai_reply};
  o["other_level"] = tr::to_string(a.other_level);
  o["triggers"] = std::move(triggers);
  o["suppressed"] = std::move(suppressed);
  o["multipliers"] = std::move(multipliers);
  return json::serialize(o);
}

std::vector<std::string> lines_of(const std::string &path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

} // namespace

TEST_CASE("golden outputs of the default pack on the tuning set") {
  const std::string data = std::string(VETERAN_TEST_DATA_DIR) + "/triage/";
  const std::string golden_path = data + "golden/en-GB.jsonl";
  std::vector<std::string> actual;
  for (const auto &line : lines_of(data + "labelled.jsonl")) {
    const std::string text(json::parse(line).as_object().at("text").as_string());
    actual.push_back(golden_line(text, default_engine().assess(text)));
  }
  REQUIRE(actual.size() >= 450);
  if (std::getenv("VETERAN_UPDATE_GOLDEN")) {
    std::ofstream out(golden_path, std::ios::trunc);
    for (const auto &l : actual) out << l << '\n';
    REQUIRE(out.good());
    MESSAGE("rewrote " << golden_path << ": review the diff before committing");
    return;
  }
  const auto expected = lines_of(golden_path);
  REQUIRE_MESSAGE(expected.size() == actual.size(),
                  "golden file out of date (VETERAN_UPDATE_GOLDEN=1 regenerates it)");
  int differences = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (actual[i] == expected[i]) continue;
    if (++differences <= 10) MESSAGE("line " << i + 1 << "\n  expected " << expected[i] << "\n  actual   " << actual[i]);
  }
  CHECK(differences == 0);
}
