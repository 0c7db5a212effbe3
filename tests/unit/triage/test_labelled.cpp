// Accuracy on labelled sets of realistic messages, each written by a reviewer
// who did not see the pack. An answer is right when its level is one of the
// item's accepted levels.
//
// - labelled.jsonl: the tuning set. The pack and cues were improved against
//   it, so it measures what the engine is known to handle: > 95% right and no
//   item whose accepted levels are all high/critical rated below high.
// - holdout.jsonl: written later, never used for tuning (deliberately varied
//   wording). It measures generalisation; the test only guards against
//   regression and prints the figure that the docs quote.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <iostream>
#include <map>

#include "helpers.hpp"

using namespace triage_test;

namespace {
struct scores {
  int total = 0, right = 0, crises = 0, crises_missed = 0;
  int benign = 0,
      benign_alarmed = 0; ///< lines whose accepted levels are all below medium
  double accuracy() const { return total ? static_cast<double>(right) / total : 0; }
};

scores evaluate_file(const std::string &name, bool show_misses,
                     const tr::engine &engine = default_engine()) {
  std::ifstream in(std::string(VETERAN_TEST_DATA_DIR) + "/triage/" + name);
  REQUIRE(in);
  scores sc;
  std::map<std::string, std::pair<int, int>> per_class;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto item = boost::json::parse(line).as_object();
    const std::string text(item.at("text").as_string());
    const auto *cls_value = item.if_contains("class");
    if (!cls_value) cls_value = item.if_contains("kind");
    REQUIRE(cls_value);
    const std::string cls(cls_value->as_string());
    const auto a = engine.assess(text);
    bool ok = false, crisis = true, benign = true;
    for (const auto &lv : item.at("accept").as_array()) {
      tr::level l{};
      REQUIRE(tr::parse(std::string(lv.as_string()), l));
      ok = ok || l == a.lvl;
      crisis = crisis && l >= tr::level::high;
      benign = benign && l <= tr::level::low;
    }
    if (benign) {
      ++sc.benign;
      sc.benign_alarmed += a.lvl >= tr::level::high;
    }
    ++sc.total;
    sc.right += ok;
    per_class[cls].first += ok;
    ++per_class[cls].second;
    if (crisis) {
      ++sc.crises;
      sc.crises_missed += a.lvl < tr::level::high;
    }
    if (!ok && show_misses)
      MESSAGE("[" << cls << "] got " << std::string(tr::to_string(a.lvl)) << ": "
                  << text);
  }
  std::cout << name << ": " << sc.right << "/" << sc.total << " right ("
            << 100.0 * sc.accuracy()
            << "%), crises rated below high: " << sc.crises_missed << "/" << sc.crises
            << ", benign rated high or critical: " << sc.benign_alarmed << "/"
            << sc.benign << "\n";
  for (const auto &[cls, rw] : per_class)
    std::cout << "  " << cls << ": " << rw.first << "/" << rw.second << "\n";
  return sc;
}
} // namespace

TEST_CASE("tuning set: accuracy above 95% and no crisis rated below high") {
  const auto sc = evaluate_file("labelled.jsonl", true);
  CHECK(sc.total >= 450);
  CHECK(sc.accuracy() > 0.95);
  CHECK(sc.crises_missed == 0);
}

TEST_CASE("held-out set: generalisation does not regress") {
  const auto sc = evaluate_file("holdout.jsonl", false);
  CHECK(sc.total >= 300);
  // Measured 256/300 right (85.3%), 25 of 137 crises below high, with packs
  // 2026.11.9-10 and models en-GB-linear 2026.11.29.10-11 (253/300 with pack
  // 2026.11.8 and model 2026.11.29.9; 15 lines about someone
  // else relabelled to the at-risk rule on 2026-11-29; 248/300 before, on the
  // old labels). Guards against regression only.
  CHECK(sc.accuracy() >= 0.84);
}

TEST_CASE("second held-out set (2026-11-29): never tuned on or trained on") {
  // Written by a reviewer who never saw the pack, the engine, the tests or
  // the other sets, per the failure kinds of the generalisation issue; never
  // used for tuning or training. Baseline before the generalisation work
  // (pack 2026.11.1, no model): 224/453 right, 75 of 220 crises high or
  // above, 18 of 148 benign lines alarmed. Now (pack 2026.11.8: frames,
  // context-only phrases, protected signals, clarification cues, the
  // not-returning frame, lint findings cleared + model en-GB-linear
  // 2026.11.29.9 with word-class features, trained on 11,618 helper lines
  // and calibrated to a 1% budget of benign lines): 296/453, 155 of 220, 15
  // of 148. Pack 2026.11.9 (means and places alone, the moderate band as
  // frames; designed on the writer lines, checked on one writer's set kept
  // aside) + model en-GB-linear 2026.11.29.10 retrained on it: 313/453, 167
  // of 220, 15 of 148. Pack 2026.11.10 (everyday twins of crisis wordings as
  // scoped exceptions, noun-first clarification cues) + model 2026.11.29.11:
  // 311/453, 165 of 220, 13 of 148 (the retrain moved two crisis lines below
  // high; training is deterministic). Floors move only with a documented trade: making "I've made my
  // decision" and its kind count only after talk of dying cost one crisis
  // line and saved two false alarms. Retraining alone moves this set by up
  // to three lines either way (296-300 right, 154-158 crises caught over
  // the retrains of model 2026.11.29.9 with the same out-of-fold figures);
  // the floors
  // sit at the low end of that range, and the shipped model is always the
  // one trained on the shipped pack, never one chosen by this set.
  const auto sc = evaluate_file("holdout2.jsonl", false);
  CHECK(sc.total >= 450);
  CHECK(sc.accuracy() >= 0.684);                // 310/453
  CHECK(sc.crises - sc.crises_missed >= 164); // of 220 crises
  CHECK(sc.benign_alarmed <= 15);             // of 148 benign or mild lines
}

// welsh.jsonl: 42 Welsh lines written with the cy pack (crisis, plan,
// finality, someone else, negation, past, everyday wording, reported
// speech): what the pack is known to handle, through en-GB with cy-GB
// beside it.
TEST_CASE("Welsh set: accuracy floor, no crisis below high, no benign line alarmed") {
  tr::engine_options o;
  o.extra_packs.push_back(tr::pack::builtin("cy-GB").value());
  const auto e = tr::engine::create(tr::pack::default_pack(), o).value();
  const auto sc = evaluate_file("welsh.jsonl", true, e);
  CHECK(sc.total >= 30);
  CHECK(sc.accuracy() >= 0.95);
  CHECK(sc.crises_missed == 0);
  CHECK(sc.benign_alarmed == 0);
}
