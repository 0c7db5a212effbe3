// Engine mechanics on the small test pack: levels and flags, fail-safe,
// thread safety, classifier hook, sessions, JSON schema, resources.
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "../gate.hpp"
#include "helpers.hpp"
#include "triage/detail/testing.hpp"

using namespace triage_test;
using tr::level;

TEST_CASE("level drives RAG, intervention and flags") {
  struct row {
    const char *text;
    level lvl;
    tr::rag band;
    tr::intervention action;
    bool intervene, alert, resources, block;
  };
  const row rows[] = {
      {"lovely day for it", level::none, tr::rag::green, tr::intervention::none, false,
       false, false, false},
      {"struggling a bit", level::low, tr::rag::yellow, tr::intervention::gentle_check_in,
       false, false, false, false},
      {"I can't go on", level::medium, tr::rag::amber, tr::intervention::direct_concern,
       true, false, true, false},
      {"I want to die", level::high, tr::rag::red, tr::intervention::crisis_response,
       true, true, true, true},
      {"I want to kill myself", level::critical, tr::rag::red,
       tr::intervention::emergency_resources, true, true, true, true},
  };
  for (const auto &r : rows) {
    const auto a = test_engine().assess(r.text);
    INFO(r.text);
    CHECK(a.lvl == r.lvl);
    CHECK(a.band == r.band);
    CHECK(a.action == r.action);
    CHECK(a.flags.requires_intervention == r.intervene);
    CHECK(a.flags.alert_staff == r.alert);
    CHECK(a.flags.show_resources == r.resources);
    CHECK(a.flags.block_ai_reply == r.block);
    CHECK(a.resources.empty() == !r.resources);
    CHECK(a.error.empty());
    CHECK(a.pack_id == "dev");
  }
}

TEST_CASE("triggers carry category, phrase and the exact byte span") {
  const std::string text = "ok... honestly I want to  DIE tonight";
  const auto a = test_engine().assess(text);
  REQUIRE(a.triggers.size() == 1);
  const auto &t = a.triggers[0];
  CHECK(t.id == "ideation.want_to_die");
  CHECK(t.cat == tr::category::ideation);
  CHECK(t.phrase == "want to die");
  CHECK(text.substr(t.start, t.end - t.start) == "want to  DIE");
  CHECK(t.who == tr::subject::self);
  CHECK(t.when == tr::temporal::present);
  CHECK_FALSE(t.why.empty());
}

TEST_CASE("every occurrence is checked, not only the first") {
  const auto a = test_engine().assess("I don't want to die. Actually I want to die.");
  CHECK(a.lvl == level::high);
  CHECK(a.triggers.size() == 1);
  CHECK(has_suppressed(a, "negated"));
}

TEST_CASE("fail-safe: an internal failure gives high risk with every field present") {
  tr::detail::set_failure_injection(true);
  const auto a = test_engine().assess("lovely day for it");
  tr::detail::set_failure_injection(false);
  CHECK(a.lvl == level::high);
  CHECK(a.band == tr::rag::red);
  CHECK(a.action == tr::intervention::crisis_response);
  CHECK(a.flags.alert_staff);
  CHECK(a.flags.show_resources);
  CHECK_FALSE(a.resources.empty());
  CHECK_FALSE(a.error.empty());
  CHECK(a.pack_id == "dev");
  const auto j = boost::json::parse(tr::to_json(a)).as_object();
  CHECK(j.at("level").as_string() == "high");
  CHECK(j.at("error").is_string());
  // And the engine is fine afterwards.
  CHECK(test_engine().assess("lovely day for it").lvl == level::none);
}

TEST_CASE("engine::failsafe is the same high answer for input a host could not read") {
  const auto a = test_engine().failsafe("line 3: not a JSON object");
  CHECK(a.lvl == level::high);
  CHECK(a.band == tr::rag::red);
  CHECK(a.action == tr::intervention::crisis_response);
  CHECK(a.flags.alert_staff);
  CHECK(a.flags.block_ai_reply);
  CHECK_FALSE(a.resources.empty());
  CHECK(a.country == "GB");
  CHECK(a.error == "line 3: not a JSON object");
}

TEST_CASE("fail-safe in a session still records nothing that could lower later turns") {
  tr::session s;
  tr::detail::set_failure_injection(true);
  const auto a = test_engine().assess("hello", s, 1000);
  tr::detail::set_failure_injection(false);
  CHECK(a.lvl == level::high);
  CHECK(s.turns().empty());
}

TEST_CASE("one engine, many threads: identical answers") {
  const char *texts[] = {"I want to die",           "lovely day",
                         "I don't want to die",     "kms",
                         "my brother wants to die", "killing it at work"};
  std::vector<level> expected;
  for (const char *t : texts)
    expected.push_back(test_engine().assess(t).lvl);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < 2000; ++i) {
        const std::size_t k = static_cast<std::size_t>(i + w) % 6;
        if (test_engine().assess(texts[k]).lvl != expected[k]) ++mismatches;
      }
    });
  for (auto &t : threads)
    t.join();
  CHECK(mismatches == 0);
}

TEST_CASE("pack swap while other threads assess") {
  // Two packs that answer the same message differently: every answer must be
  // one of the two, whole (never a mix, never a crash), and each reader must
  // see both, which proves the swaps happened while it was assessing.
  auto other =
      tr::pack::from_json(
          R"J({"format":1,"id":"other","version":"1","locale":"en-GB","phrases":[{"id":"distress.die","pattern":"want to die","category":"distress","severity":"low","weight":0.2}]})J")
          .value();
  auto e = tr::engine::create(test_pack(), rules_only()).value();
  constexpr int kReaders = 3;
  std::atomic<int> bad{0};
  std::atomic<bool> stop{false};
  std::atomic<int> saw_dev[kReaders] = {}, saw_other[kReaders] = {};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r)
    readers.emplace_back([&, r] {
      while (!stop) {
        const auto a = e.assess("I want to die");
        if (a.pack_id == "dev" && a.lvl == level::high)
          ++saw_dev[r];
        else if (a.pack_id == "other" && a.lvl == level::low)
          ++saw_other[r];
        else
          ++bad;
      }
    });
  // Swap until every reader has assessed under both packs (bounded, so a
  // broken swap fails the check below instead of hanging).
  auto all_saw_both = [&] {
    for (int r = 0; r < kReaders; ++r)
      if (saw_dev[r] == 0 || saw_other[r] == 0) return false;
    return true;
  };
  long swaps = 0;
  for (; swaps < 20000 && !all_saw_both(); ++swaps) {
    e.set_pack(swaps % 2 ? test_pack() : other);
    std::this_thread::yield();
  }
  stop = true;
  for (auto &t : readers)
    t.join();
  CHECK(bad == 0);
  CHECK(all_saw_both());
  CHECK(swaps > 1);
}

TEST_CASE("classifier can raise but never lower the rule floor") {
  tr::engine_options o;
  o.classifier = [](const std::string &text, const tr::assessment &) {
    return tr::classifier_verdict{
        text.find("tablets") != std::string::npos ? level::critical : level::none,
        "test-model"};
  };
  auto e = tr::engine::create(test_pack(), o).value();
  auto raised = e.assess("stockpiling my tablets");
  CHECK(raised.lvl == level::critical);
  CHECK(raised.classifier == "raised");
  CHECK(raised.flags.alert_staff);
  auto floor = e.assess("I want to die");
  CHECK(floor.lvl == level::high);
  CHECK(floor.classifier == "agreed");
}

TEST_CASE("a failing or slow classifier never blocks or lowers the floor") {
  tr::engine_options throwing;
  throwing.classifier = [](const std::string &,
                           const tr::assessment &) -> tr::classifier_verdict {
    throw std::runtime_error("model offline");
  };
  auto e1 = tr::engine::create(test_pack(), throwing).value();
  auto a1 = e1.assess("I want to kill myself");
  CHECK(a1.lvl == level::critical);
  CHECK(a1.classifier == "error");
}

TEST_CASE("a hung classifier times out, then is not called again while it is stuck") {
  // The classifier blocks at a gate the test opens only at the end: it cannot
  // finish before its timeout whatever the machine's load.
  auto g = std::make_shared<test_util::gate>();
  auto pool = std::make_shared<veteran::thread_pool>(veteran::thread_pool_options{1, 0});
  tr::engine_options o;
  o.classifier_timeout = std::chrono::milliseconds(1);
  o.classifier_executor = pool;
  o.classifier = [g](const std::string &, const tr::assessment &) {
    g->arrive_and_wait();
    return tr::classifier_verdict{level::critical, "hung"};
  };
  auto e = tr::engine::create(test_pack(), o).value();
  const auto a1 = e.assess("I want to die");
  CHECK(a1.lvl == level::high); // the floor stands
  CHECK(a1.classifier == "timeout");
  // The one worker is still stuck: the next calls are refused at once
  // instead of starting more threads.
  for (int i = 0; i < 5; ++i) {
    const auto a = e.assess("I want to die");
    CHECK(a.lvl == level::high);
    CHECK(a.classifier == "busy");
  }
  CHECK(pool->pending() == 1);
  g->open();
}

TEST_CASE("engine creation rejects bad arguments clearly") {
  CHECK(tr::engine::create(nullptr).code() == veteran::errc::invalid_argument);
  tr::engine_options o;
  o.country = "ZZ";
  CHECK(tr::engine::create(test_pack(), o).code() == veteran::errc::not_found);
}

TEST_CASE("JSON output has the full schema") {
  const auto j =
      boost::json::parse(tr::to_json(test_engine().assess("my brother wants to die")))
          .as_object();
  for (const char *key :
       {"level", "rag", "score", "intervention", "flags", "triggers", "suppressed",
        "multipliers", "concern_for_other", "other_level", "trajectory", "pack",
        "country", "resources", "classifier", "error"})
    CHECK_MESSAGE(j.contains(key), key);
  CHECK(j.at("error").is_null());
  const auto &t = j.at("triggers").as_array().at(0).as_object();
  for (const char *key :
       {"id", "category", "phrase", "start", "end", "subject", "temporal", "why"})
    CHECK_MESSAGE(t.contains(key), key);
  CHECK(t.at("subject").as_string() == "other");
}

TEST_CASE("crisis resources: GB first, UK alias, every supported country") {
  auto gb = tr::resources_for("GB");
  REQUIRE(gb.ok());
  auto uk = tr::resources_for("uk");
  REQUIRE(uk.ok());
  CHECK(gb->size() == uk->size());
  CHECK(tr::canonical_country("UK").value() == "GB");
  CHECK(tr::resources_for("XX").code() == veteran::errc::not_found);
  CHECK_FALSE(tr::ai_disclaimer().empty());
}

TEST_CASE("attached resources are the shipped data and outlive the engine") {
  tr::assessment a;
  {
    tr::engine_options o;
    o.country = "ie";
    const auto e = tr::engine::create(tr::pack::default_pack(), o).value();
    a = e.assess("I want to kill myself tonight");
  } // engine gone
  const auto ie = tr::resources_for("IE").value();
  REQUIRE(a.resources.size() == ie.size());
  for (std::size_t i = 0; i < ie.size(); ++i) {
    CHECK(a.resources[i].id == ie[i].id);
    CHECK(a.resources[i].phone == ie[i].phone);
  }
  CHECK(a.country == "IE");
  const auto view = tr::resource_view("uk").value();
  CHECK(view.begin() == tr::resource_view("GB").value().begin()); // one copy of the data
  CHECK(tr::resource_view("XX").code() == veteran::errc::not_found);
}

TEST_CASE("arbitrary bytes: never an error, spans inside the text") {
  std::mt19937 rng(11);
  for (int i = 0; i < 3000; ++i) {
    std::string s(rng() % 300, '\0');
    for (auto &c : s)
      c = static_cast<char>(rng() % 4 == 0 ? rng() : "ki lmysefwanto d"[rng() % 16]);
    const auto a = default_engine().assess(s);
    REQUIRE(a.error.empty());
    for (const auto &t : a.triggers)
      REQUIRE((t.start < t.end && t.end <= s.size()));
    for (const auto &m : a.suppressed)
      REQUIRE((m.start < m.end && m.end <= s.size()));
  }
}
