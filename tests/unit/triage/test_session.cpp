// Conversation trajectory: bounded memory, decay, rules, save/restore.
#include <doctest/doctest.h>

#include <memory>
#include <string>

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

TEST_CASE("a sudden drop after a crisis keeps the crisis level") {
  tr::session s;
  (void)test_engine().assess("I want to kill myself", s, kMinute);
  const auto a = test_engine().assess("anyway forget it, all good", s, 2 * kMinute);
  CHECK(a.message_level == level::none);
  CHECK(a.conversation_level == level::critical);
  CHECK(a.lvl == level::critical);
  CHECK(a.direction == tr::trend::steady);
  CHECK(has_pattern(a, "sudden_drop_after_crisis"));
  REQUIRE(a.patterns.size() >= 1);
  CHECK(a.patterns[0].turns == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("the sudden calm is the first calm turn after a crisis; later calm turns report it") {
  tr::session s;
  (void)test_engine().assess("I want to kill myself", s, kMinute);
  (void)test_engine().assess("anyway forget it, all good", s, 2 * kMinute);
  const auto later = test_engine().assess("what's on telly tonight", s, 3 * kMinute);
  CHECK(later.lvl == level::critical); // the crisis still carries
  REQUIRE(has_pattern(later, "sudden_drop_after_crisis"));
  for (const auto &p : later.patterns)
    if (p.name == "sudden_drop_after_crisis")
      CHECK(p.turns == std::vector<std::uint64_t>{1, 2}); // where the calm began
  // Only turn 2 completed it; turn 3 stored nothing of its own.
  REQUIRE(s.turns().size() == 3);
  CHECK(s.turns()[1].patterns.size() == 1);
  CHECK(s.turns()[2].patterns.empty());
  // A second crisis starts a new picture: its first calm turn completes it.
  (void)test_engine().assess("I want to kill myself", s, 4 * kMinute);
  const auto calm2 = test_engine().assess("ok never mind", s, 5 * kMinute);
  bool found = false;
  for (const auto &p : calm2.patterns)
    found = found || (p.name == "sudden_drop_after_crisis" &&
                      p.turns == std::vector<std::uint64_t>{4, 5});
  CHECK(found);
}

namespace {
const tr::conversation_pattern *pattern(const tr::assessment &a, const std::string &name) {
  for (const auto &p : a.patterns)
    if (p.name == name) return &p;
  return nullptr;
}
constexpr tr::timestamp_ms kHour = 60 * kMinute;
} // namespace

TEST_CASE("conversation view: every turn reports its number, both levels and the trend") {
  tr::session s;
  const auto a1 = test_engine().assess("lovely weather", s, kMinute);
  CHECK(a1.turn == 1);
  CHECK(a1.message_level == level::none);
  CHECK(a1.conversation_level == level::none);
  CHECK(a1.direction == tr::trend::steady);
  const auto a2 = test_engine().assess("I want to die", s, 2 * kMinute);
  CHECK(a2.turn == 2);
  CHECK(a2.direction == tr::trend::rising);
  CHECK(a2.lvl == std::max(a2.message_level, a2.conversation_level));
  // Without a session: the message alone, no turn.
  const auto alone = test_engine().assess("I want to die");
  CHECK(alone.turn == 0);
  CHECK(alone.message_level == alone.lvl);
  CHECK(alone.conversation_level == alone.lvl);
  CHECK(alone.patterns.empty());
}

TEST_CASE("a crisis carries through a retraction and a change of subject a minute later") {
  tr::session s;
  (void)test_engine().assess("I want to kill myself", s, kMinute);
  for (const char *t : {"only joking", "what's the weather doing", "did you see the match"}) {
    const auto a = test_engine().assess(t, s, 2 * kMinute);
    INFO(t);
    CHECK(a.lvl == level::critical);
    CHECK(a.flags.alert_staff);
  }
}

TEST_CASE("only time and benign turns let a crisis fade, one level a step") {
  tr::session s;
  (void)test_engine().assess("I want to kill myself", s, 0);
  // Many benign turns within minutes: still critical (time has not passed).
  for (int i = 1; i <= 10; ++i)
    CHECK(test_engine().assess("fine thanks", s, i * kMinute).lvl == level::critical);
  // Hours later with benign turns: it fades and then recovers.
  const auto later = test_engine().assess("fine thanks", s, 2 * kHour);
  CHECK(later.conversation_level < level::critical);
  CHECK(later.direction == tr::trend::falling);
  tr::assessment last;
  for (int i = 0; i < 12; ++i)
    last = test_engine().assess("fine thanks", s, 8 * kHour + i * kMinute);
  CHECK(last.conversation_level == level::none);
  CHECK(last.lvl == level::none);
  CHECK(last.patterns.empty()); // patterns fade with the turns that caused them
}

TEST_CASE("a crisis fades by turn count when no timestamps are given") {
  // A clock that never moves: the engine has no host time, so turns decide.
  tr::session s;
  const auto e = tr::engine::create(test_pack(), rules_only()).value();
  (void)e.assess("I want to kill myself", s);
  CHECK(e.assess("fine thanks", s).lvl == level::critical);
  tr::assessment a;
  for (int i = 0; i < 20; ++i)
    a = e.assess("fine thanks", s);
  CHECK(a.lvl == level::none);
}

TEST_CASE("patterns name the turns that caused them") {
  tr::session s;
  (void)test_engine().assess("I want to die", s, kMinute);   // turn 1: ideation
  (void)test_engine().assess("lovely tea", s, 2 * kMinute);  // turn 2
  const auto a = test_engine().assess("I've still got my service pistol", s, 3 * kMinute);
  const auto *p = pattern(a, "method_after_ideation");
  REQUIRE(p);
  CHECK(p->turns == std::vector<std::uint64_t>{1, 3});
  // The pattern stays reported while the conversation is still in it.
  const auto next = test_engine().assess("ok", s, 4 * kMinute);
  CHECK(pattern(next, "method_after_ideation"));
  CHECK(next.lvl == level::critical);
}

TEST_CASE("weak signals across turns add up to a slow build-up; benign chat never does") {
  tr::session s;
  tr::assessment a;
  for (int i = 0; i < 4; ++i)
    a = test_engine().assess("struggling lately", s, (i + 1) * kMinute); // low each
  CHECK(a.message_level == level::low);
  CHECK(a.conversation_level >= level::medium);
  CHECK(pattern(a, "slow_build_up"));
  tr::session b;
  for (int i = 0; i < 60; ++i)
    a = test_engine().assess("what time is the match on", b, (i + 1) * kMinute);
  CHECK(a.lvl == level::none);
  CHECK(a.patterns.empty());
}

TEST_CASE("patterns do not fire without their earlier turns") {
  tr::session s;
  const auto a = test_engine().assess("I've still got my service pistol", s, kMinute);
  CHECK_FALSE(pattern(a, "method_after_ideation"));
  const auto b = test_engine().assess("this is goodbye", s, 2 * kMinute);
  CHECK_FALSE(pattern(b, "finality_after_burden"));
  tr::session t;
  (void)test_engine().assess("I want to die", t, kMinute);
  const auto c = test_engine().assess("I want to die", t, 2 * kMinute);
  CHECK(pattern(c, "repeated_ideation"));
  tr::session u;
  (void)test_engine().assess("I want to die", u, 0);
  // Days later (memory is a day): the old turn is forgotten.
  const auto d = test_engine().assess("I want to die", u, 3 * 24 * kHour);
  CHECK_FALSE(pattern(d, "repeated_ideation"));
}

TEST_CASE("the conversation survives a restart through the session JSON") {
  tr::session s;
  (void)test_engine().assess("I want to kill myself", s, kMinute);
  auto restored = tr::session::from_json(s.to_json()).value();
  CHECK(restored.next_turn() == 2);
  const auto a = test_engine().assess("all good now", restored, 2 * kMinute);
  CHECK(a.turn == 2);
  CHECK(a.lvl == level::critical);
  CHECK(pattern(a, "sudden_drop_after_crisis"));
  CHECK(restored.to_json() != s.to_json());
  // Version 1 documents still load (numbered in order).
  const auto v1 = tr::session::from_json(
      R"({"v":1,"max_turns":8,"memory_ms":1000,"turns":[{"at":1,"level":"high","own":"high","categories":0,"multipliers":0}]})");
  REQUIRE(v1.ok());
  CHECK(v1->next_turn() == 2);
  // Turn numbers must increase.
  const auto bad = tr::session::from_json(
      R"({"v":2,"max_turns":8,"memory_ms":1000,"next_turn":3,"turns":[{"at":1,"level":"high","own":"high","categories":0,"multipliers":0,"turn":2,"timed":true,"conversation":"high","patterns":[]},{"at":2,"level":"high","own":"high","categories":0,"multipliers":0,"turn":2,"timed":true,"conversation":"high","patterns":[]}]})");
  CHECK(bad.code() == veteran::errc::parse_error);
}

TEST_CASE("someone else in danger raises the conversation and alert_staff") {
  tr::session s;
  const auto a = default_engine().assess("my brother says he wants to kill himself", s, kMinute);
  CHECK(a.at_risk == tr::risk_subject::other);
  CHECK(a.flags.alert_staff);
  const auto b = default_engine().assess("what should I do", s, 2 * kMinute);
  CHECK(b.lvl >= level::high);
  CHECK(b.flags.alert_staff);
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

TEST_CASE("a phrase that means crisis only in context: alone, in a message about dying, after a crisis turn") {
  const auto &e = default_engine();
  const auto house = e.assess("I've made my decision, moving to Leeds in May");
  CHECK(house.lvl < level::high);
  const auto alone = e.assess("I've made my decision");
  CHECK(alone.lvl < level::high);
  bool kept = false;
  for (const auto &sm : alone.suppressed)
    kept = kept || (sm.id == "intent.mind_is_made_up" && sm.reason == "needs_context");
  CHECK(kept);
  CHECK(e.assess("I want to die. I've made my decision").lvl == level::critical);
  tr::session s;
  (void)e.assess("I want to die", s, kMinute);
  const auto a = e.assess("I've made my decision", s, 2 * kMinute);
  CHECK(a.lvl == level::critical);
  const auto *p = pattern(a, "decision_after_crisis");
  REQUIRE(p);
  CHECK(p->turns == std::vector<std::uint64_t>{1, 2});
  tr::session job;
  (void)e.assess("new job starts monday", job, kMinute);
  CHECK(e.assess("I've made my decision", job, 2 * kMinute).lvl < level::high);
}

TEST_CASE("a session's remembered turns stay in order through eviction, forgetting and regrowth") {
  // Four turns at most, a memory of ten minutes: the ring grows, loses its
  // oldest turn to time, wraps, grows again from a shifted start, then evicts.
  tr::session s(4, 10 * kMinute);
  const auto &e = test_engine();
  auto seqs = [&s] {
    std::vector<std::uint64_t> out;
    for (const auto &t : s.turns())
      out.push_back(t.seq);
    return out;
  };
  (void)e.assess("hello", s, 1 * kMinute);
  (void)e.assess("hello", s, 2 * kMinute);
  (void)e.assess("I want to die", s, 3 * kMinute);
  CHECK(seqs() == std::vector<std::uint64_t>{1, 2, 3});
  (void)e.assess("hello", s, 12 * kMinute); // turn 1 (minute 1) forgotten
  CHECK(seqs() == std::vector<std::uint64_t>{2, 3, 4});
  // The crisis turn is carried from wherever it sits.
  CHECK(e.assess("hello", s, 12 * kMinute).conversation_level >= level::high);
  CHECK(seqs() == std::vector<std::uint64_t>{2, 3, 4, 5});
  (void)e.assess("hello", s, 12 * kMinute); // full: turn 2 evicted
  CHECK(seqs() == std::vector<std::uint64_t>{3, 4, 5, 6});
  CHECK(s.turns().front().seq == 3);
  CHECK(s.turns().back().seq == 6);
  // A second crisis finds the first (turn 3) after the evictions.
  auto a = e.assess("I want to die", s, 12 * kMinute);
  CHECK(seqs() == std::vector<std::uint64_t>{4, 5, 6, 7}); // turn 3 evicted now
  REQUIRE(has_pattern(a, "repeated_ideation"));
  CHECK(a.patterns[0].turns == std::vector<std::uint64_t>{3, 7});
  // Turn 3 is gone: only turn 7 remains to repeat.
  a = e.assess("I want to die", s, 13 * kMinute);
  REQUIRE(has_pattern(a, "repeated_ideation"));
  CHECK(a.patterns[0].turns == std::vector<std::uint64_t>{7, 8});
  // The same state survives the JSON round trip.
  const auto copy = tr::session::from_json(s.to_json()).value();
  CHECK(copy.to_json() == s.to_json());
  CHECK(copy.turns().size() == 4);
}

TEST_CASE("every remembered turn reads back whole, the benign ones from their brief") {
  // Turn 1 is benign, turn 2 carries only a multiplier, turn 3 a level and a
  // pattern: each keeps what it had, in order, through copy and JSON.
  const std::string json =
      R"({"v":2,"max_turns":8,"memory_ms":600000,"next_turn":4,"turns":[)"
      R"({"at":1,"level":"none","own":"none","categories":0,"multipliers":0,"turn":1,"timed":true,"conversation":"medium","patterns":[]},)"
      R"({"at":2,"level":"none","own":"none","categories":0,"multipliers":2,"turn":2,"timed":false,"conversation":"low","patterns":[]},)"
      R"({"at":3,"level":"high","own":"medium","categories":1,"multipliers":0,"turn":3,"timed":true,"conversation":"high",)"
      R"("patterns":[{"name":"repeated_ideation","turns":[1,3]}]}]})";
  const auto s = tr::session::from_json(json).value();
  const auto &turns = s.turns();
  REQUIRE(turns.size() == 3);
  CHECK(turns[0].conversation == level::medium);
  CHECK(turns[0].patterns.empty());
  CHECK(turns[1].multipliers == 2u); // kept although the turn has no level
  CHECK_FALSE(turns[1].timed);
  CHECK(turns[1].at == 2);
  CHECK(turns[2].own == level::medium);
  CHECK(turns[2].lvl == level::high);
  REQUIRE(turns[2].patterns.size() == 1);
  CHECK(turns[2].patterns[0].turns == std::vector<std::uint64_t>{1, 3});
  CHECK(turns.own_level(0) == level::none);
  CHECK(turns.own_level(2) == level::medium);
  CHECK(turns.seq(1) == 2);
  CHECK(turns.last_conversation() == level::high);
  CHECK(tr::session::from_json(s.to_json()).value().to_json() == s.to_json());
  CHECK(tr::session().turns().last_conversation() == level::none);
}

TEST_CASE("pattern names stay valid after the session, its JSON and the engine are gone") {
  std::string_view live_name, restored_name;
  {
    tr::session s;
    (void)test_engine().assess("I want to die", s, kMinute);
    const auto a = test_engine().assess("I want to die", s, 2 * kMinute);
    REQUIRE_FALSE(a.patterns.empty());
    live_name = a.patterns[0].name;
    auto json = std::make_unique<std::string>(s.to_json());
    const auto restored = tr::session::from_json(*json).value();
    json.reset(); // the parsed text is gone: the name must not point into it
    REQUIRE_FALSE(restored.turns().back().patterns.empty());
    restored_name = restored.turns().back().patterns[0].name;
  }
  // Views of static storage (ASan would report a read of freed memory).
  CHECK(live_name == tr::pattern_name::repeated_ideation);
  CHECK(restored_name == tr::pattern_name::repeated_ideation);
}
