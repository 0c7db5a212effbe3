// Accuracy on the independent labelled set (tests/data/triage/labelled.jsonl,
// written by a reviewer who did not see the pack): an answer is right when its
// level is one of the item's accepted levels. Goal: > 95% right, and no item
// whose accepted levels are all high/critical rated below high.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <iostream>
#include <map>

#include "helpers.hpp"

using namespace triage_test;

TEST_CASE("labelled set: accuracy above 95% and no crisis rated below high") {
  std::ifstream in(std::string(VETERAN_TEST_DATA_DIR) + "/triage/labelled.jsonl");
  REQUIRE(in);
  std::string line;
  int total = 0, right = 0, crises = 0, crises_missed = 0;
  std::map<std::string, std::pair<int, int>> per_class;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto item = boost::json::parse(line).as_object();
    const std::string text(item.at("text").as_string());
    const std::string cls(item.at("class").as_string());
    const auto a = default_engine().assess(text);
    bool ok = false, crisis = true;
    for (const auto &lv : item.at("accept").as_array()) {
      tr::level l{};
      REQUIRE(tr::parse(std::string(lv.as_string()), l));
      ok = ok || l == a.lvl;
      crisis = crisis && l >= tr::level::high;
    }
    ++total;
    right += ok;
    per_class[cls].first += ok;
    ++per_class[cls].second;
    if (crisis) {
      ++crises;
      if (a.lvl < tr::level::high) {
        ++crises_missed;
        MESSAGE("crisis rated " << tr::to_string(a.lvl) << ": " << text);
      }
    }
    if (!ok) MESSAGE("[" << cls << "] got " << tr::to_string(a.lvl) << ": " << text);
  }
  const double accuracy = static_cast<double>(right) / total;
  std::cout << "labelled set: " << right << "/" << total << " right ("
            << 100.0 * accuracy << "%), crises missed " << crises_missed << "/" << crises << "\n";
  for (const auto &[cls, rw] : per_class)
    std::cout << "  " << cls << ": " << rw.first << "/" << rw.second << "\n";
  CHECK(total >= 450);
  CHECK(accuracy > 0.95);
  CHECK(crises_missed == 0);
}
