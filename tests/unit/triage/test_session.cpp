// Conversation trajectory: bounded memory, decay, rules, save/restore.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace triage_test;
using tr::level;

namespace {
constexpr tr::timestamp_ms kMinute = 60 * 1000;

bool has_pattern(const tr::assessment &a, const std::string &p) {
  return std::find(a.trajectory.begin(), a.trajectory.end(), p) != a.trajectory.end();
}
} // namespace

TEST_CASE("a method introduced after ideation is critical") {
  tr::session s;
  CHECK(test_engine().assess("I want to die", s, 1 * kMinute).lvl == level::high);
  // On its own this message has no signal, only a means multiplier.
  CHECK(test_engine().assess("I've still got my service pistol").lvl == level::none);
  const auto a = test_engine().assess("I've still got my service pistol", s, 2 * kMinute);
  CHECK(a.lvl == level::critical);
  CHECK(has_pattern(a, "method_after_ideation"));
}

TEST_CASE("finality after burden is critical") {
  tr::session s;
  (void)test_engine().assess("they'd all be better off without me", s, kMinute);
  const auto a = test_engine().assess("this is goodbye", s, 2 * kMinute);
  CHECK(a.lvl == level::critical);
  CHECK(has_pattern(a, "finality_after_burden"));
}

TEST_CASE("repeated ideation escalates") {
  tr::session s;
  CHECK(test_engine().assess("I want to die", s, kMinute).lvl == level::high);
  auto second = test_engine().assess("I want to die", s, 2 * kMinute);
  CHECK(has_pattern(second, "repeated_ideation"));
  auto third = test_engine().assess("I want to die", s, 3 * kMinute);
  CHECK(third.lvl == level::critical);
}

TEST_CASE("a sudden drop after a crisis keeps attention") {
  tr::session s;
  (void)test_engine().assess("I want to kill myself", s, kMinute);
  const auto a = test_engine().assess("anyway forget it, all good", s, 2 * kMinute);
  CHECK(a.lvl == level::medium);
  CHECK(has_pattern(a, "sudden_drop_after_crisis"));
}

TEST_CASE("escalation over turns is caught") {
  tr::session s;
  (void)test_engine().assess("struggling lately", s, kMinute);          // low
  (void)test_engine().assess("I can't go on", s, 2 * kMinute);          // medium
  const auto a = test_engine().assess("I want to die", s, 3 * kMinute); // high
  CHECK(has_pattern(a, "escalating"));
  CHECK(a.lvl == level::critical);
}

TEST_CASE("benign chatter never looks escalating") {
  tr::session s;
  const char *chat[] = {
      "morning",         "off to the depot",         "killing it at work today",
      "footie later?",   "the dog ate my sandwich",  "cheers mate",
      "new car arrived", "been drinking tea all day"};
  tr::timestamp_ms t = 0;
  for (int round = 0; round < 5; ++round)
    for (const char *m : chat) {
      const auto a = test_engine().assess(m, s, t += kMinute);
      CHECK_MESSAGE(a.lvl == level::none, m);
      CHECK(a.trajectory.empty());
    }
}

TEST_CASE("memory is bounded and decays with time") {
  tr::session s(4, 60 * kMinute);
  (void)test_engine().assess("I want to die", s, 0);
  for (int i = 1; i <= 10; ++i)
    (void)test_engine().assess("hello", s, i * kMinute);
  CHECK(s.turns().size() == 4);
  // The ideation fell out of memory, so a pistol mention is not escalated.
  CHECK(test_engine().assess("my pistol", s, 11 * kMinute).lvl == level::none);

  tr::session t(32, 60 * kMinute);
  (void)test_engine().assess("I want to die", t, 0);
  CHECK(test_engine().assess("my pistol", t, 2 * 60 * kMinute).lvl == level::none);
}

TEST_CASE("sessions save and restore exactly") {
  tr::session s;
  (void)test_engine().assess("I want to die", s, kMinute);
  const auto json = s.to_json();
  auto restored = tr::session::from_json(json);
  REQUIRE(restored.ok());
  CHECK(restored->to_json() == json);
  const auto a = test_engine().assess("my service pistol", *restored, 2 * kMinute);
  CHECK(a.lvl == level::critical);
}

TEST_CASE("bad session JSON is rejected with a clear error and nothing built") {
  CHECK(tr::session::from_json("nope").code() == veteran::errc::parse_error);
  CHECK(tr::session::from_json(R"({"v":9,"max_turns":4,"memory_ms":1,"turns":[]})")
            .code() == veteran::errc::unsupported_version);
  auto r = tr::session::from_json(
      R"({"v":1,"max_turns":4,"memory_ms":1,"turns":[{"at":1,"level":"severe","own":"low","categories":0,"multipliers":0}]})");
  CHECK(r.code() == veteran::errc::parse_error);
  CHECK(r.message().find("level") != std::string::npos);
}

TEST_CASE("session_store keeps at most max_sessions, dropping the least recently used") {
  tr::session_store_options o;
  o.max_sessions = 2;
  tr::session_store store(o);
  (void)test_engine().assess("I want to die", store.get("a", kMinute), kMinute);
  (void)store.get("b", 2 * kMinute);
  (void)store.get("a", 3 * kMinute); // a is now the most recently used
  (void)store.get("c", 4 * kMinute); // evicts b, not a
  CHECK(store.size() == 2);
  CHECK(store.contains("a"));
  CHECK_FALSE(store.contains("b"));
  CHECK(store.evicted_full() == 1);
  // a kept its trajectory: a method after ideation is critical.
  CHECK(test_engine()
            .assess("I've still got my service pistol", store.get("a", 5 * kMinute),
                    5 * kMinute)
            .lvl == level::critical);
  for (int i = 0; i < 1000; ++i)
    (void)store.get("x" + std::to_string(i), 6 * kMinute);
  CHECK(store.size() == 2);
}

TEST_CASE("session_store drops sessions idle longer than idle_ms") {
  tr::session_store_options o;
  o.idle_ms = 10 * kMinute;
  tr::session_store store(o);
  (void)test_engine().assess("I want to die", store.get("a", 0), 0);
  (void)store.get("b", 5 * kMinute);
  CHECK(store.get("a", 10 * kMinute).turns().size() == 1); // exactly idle_ms: kept
  (void)store.get("b", 15 * kMinute);
  (void)store.get("b", 21 * kMinute); // a last used at 10 min: idle 11 min; b 6 min
  CHECK_FALSE(store.contains("a"));
  CHECK(store.expired_idle() == 1);
  CHECK(store.get("a", 22 * kMinute).turns().empty()); // comes back fresh
  CHECK(store.erase("a"));
  CHECK_FALSE(store.erase("a"));
}

TEST_CASE("session_store refuses options it cannot honour") {
  tr::session_store_options zero;
  zero.max_sessions = 0;
  CHECK_THROWS_AS(tr::session_store{zero}, veteran::error);
  tr::session_store_options negative;
  negative.idle_ms = -1;
  CHECK_THROWS_AS(tr::session_store{negative}, veteran::error);
}

TEST_CASE("session turns take their time from the engine's clock when none is given") {
  auto clock = std::make_shared<veteran::manual_clock>(5 * kMinute);
  tr::engine_options o;
  o.time_source = clock;
  const auto e = tr::engine::create(test_pack(), o).value();
  tr::session s;
  (void)e.assess("I want to die", s);
  clock->advance(kMinute);
  (void)e.assess("hello", s);
  REQUIRE(s.turns().size() == 2);
  CHECK(s.turns()[0].at == 5 * kMinute);
  CHECK(s.turns()[1].at == 6 * kMinute);
  // A day later on the same clock, the memory has decayed.
  clock->advance(tr::session::default_memory_ms + kMinute);
  (void)e.assess("hello", s);
  CHECK(s.turns().size() == 1);
}
