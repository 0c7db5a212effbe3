// What the replaced app got wrong, each with a test that would fail without
// the protection; triage handoff; timers; restart; encryption.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "flow_test_util.hpp"
#include "veteran/pii/codec.hpp"
#include "veteran/triage/engine.hpp"

using namespace veteran;
using namespace veteran::flow;
using flow_test::staff;
using flow_test::user;

namespace {

constexpr timestamp_ms T0 = 1'700'000'000'000;
constexpr timestamp_ms MIN = 60'000;

triage::assessment assessed(triage::level l) {
  triage::assessment a;
  a.lvl = l;
  return a;
}

bool has_topic(store::store &s, const std::string &id, const std::string &topic,
               std::string *audience = nullptr) {
  const auto all = s.outbox(0, 100000).value();
  for (const auto &n : all)
    if (n.entity_id == id && n.topic == topic) {
      if (audience) *audience = n.audience;
      return true;
    }
  return false;
}

} // namespace

TEST_CASE("old app: a completed callback cannot be taken again") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto c = staff("c1", role::counsellor);
  auto id = svc.create_callback(user(), "+447700900123", false, "", T0).value();
  REQUIRE(svc.fire(id, "take", c, T0).ok());
  REQUIRE(svc.fire(id, "complete", c, T0).ok());
  for (auto who : {c, staff("c2", role::counsellor), staff("s", role::supervisor)}) {
    auto again = svc.fire(id, "take", who, T0);
    CHECK(again.code() == errc::invalid_state);
    CHECK(again.message().find("completed") != std::string::npos);
  }
  CHECK(st->get(id).value()->state == "completed");
}

TEST_CASE("old app: a resolved alert never goes back to acknowledged (or open)") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto c = staff("c1", role::counsellor);
  for (auto kind : {flow_kind::safeguarding, flow_kind::panic}) {
    auto id = svc.raise_alert(kind, triage::level::critical, "", c, T0).value();
    REQUIRE(svc.fire(id, "ack", c, T0).ok());
    REQUIRE(svc.fire(id, "resolve", c, T0).ok());
    CHECK(svc.fire(id, "ack", c, T0).code() == errc::invalid_state);
    CHECK(svc.fire(id, "resolve", c, T0).code() == errc::invalid_state);
    // A late triage turn or an escalation timer cannot reopen it either.
    CHECK(svc.due(T0 + 60 * MIN).value().empty());
    CHECK(st->get(id).value()->state == "resolved");
  }
}

TEST_CASE("old app: the fail-safe (highest-risk) path raises a safeguarding alert") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  triage::engine eng;
  // The engine's own fail-safe answer (what it returns when triage fails).
  auto a = eng.failsafe("classifier crashed");
  REQUIRE_FALSE(a.error.empty());
  auto h = svc.feed("sess-1", a, T0).value();
  REQUIRE(h.raised);
  auto e = st->get(h.alert_id).value();
  REQUIRE(e);
  CHECK(e->kind == "safeguarding");
  CHECK(e->state == "open");
  CHECK(e->link == "sess-1");
  CHECK(e->data.find("\"failsafe\":true") != std::string::npos);
  // Even a fail-safe that claims level none must alert.
  auto weird = assessed(triage::level::none);
  weird.error = "decode failure";
  CHECK(svc.feed("sess-2", weird, T0).value().raised);
}

TEST_CASE("old app: a critical message from the real engine raises an alert") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  triage::engine eng;
  triage::session s;
  auto a = eng.assess("I am going to kill myself tonight, I have the pills here", s, T0);
  REQUIRE(a.lvl >= triage::level::high);
  auto h = svc.feed("sess-1", a, T0).value();
  CHECK(h.raised);
  CHECK(h.level >= triage::level::high);
  // A benign message raises nothing.
  auto calm = eng.assess("had a good walk with the dog today");
  CHECK(svc.feed("sess-9", calm, T0).value().alert_id.empty());
}

TEST_CASE("old app: a worried message about someone else raises a third-party alert") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto a = assessed(triage::level::low);
  a.concern_for_other = true;
  a.other_level = triage::level::high;
  auto h = svc.feed("sess-1", a, T0).value();
  REQUIRE(h.raised);
  CHECK(h.third_party);
  CHECK(st->get(h.alert_id).value()->data.find("\"third_party\":true") !=
        std::string::npos);
  // Someone else at medium risk only: no alert.
  a.other_level = triage::level::medium;
  CHECK(svc.feed("sess-2", a, T0).value().alert_id.empty());
}

TEST_CASE(
    "handoff: one open alert per session; later turns link to it; level only goes up") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto first = svc.feed("s1", assessed(triage::level::critical), T0).value();
  REQUIRE(first.raised);
  auto second = svc.feed("s1", assessed(triage::level::high), T0 + 1000).value();
  CHECK_FALSE(second.raised);
  CHECK(second.updated);
  CHECK(second.alert_id == first.alert_id);
  CHECK(second.level == triage::level::critical); // not lowered
  auto calm = svc.feed("s1", assessed(triage::level::none), T0 + 2000).value();
  CHECK(calm.alert_id == first.alert_id); // linked while open
  CHECK(st->find_linked("safeguarding", "s1").value().size() == 1);
  auto e = st->get(first.alert_id).value();
  CHECK(e->data.find("\"level\":\"critical\"") != std::string::npos);
  CHECK(e->data.find("\"turns\":3") != std::string::npos);
  // Raising a second one by hand for the same session is refused.
  CHECK(svc.raise_alert(flow_kind::safeguarding, triage::level::high, "s1",
                        staff("c", role::counsellor), T0)
            .code() == errc::conflict);
  // After it is resolved, a new high turn raises a new alert.
  REQUIRE(svc.fire(first.alert_id, "resolve", staff("c", role::counsellor), T0).ok());
  auto next = svc.feed("s1", assessed(triage::level::high), T0 + 3000).value();
  CHECK(next.raised);
  CHECK(next.alert_id != first.alert_id);
  // A high alert that a critical turn updates is escalated sooner.
  auto h = svc.feed("s2", assessed(triage::level::high), T0).value();
  CHECK(*st->get(h.alert_id).value()->deadline_ms == T0 + 15 * MIN);
  REQUIRE(svc.feed("s2", assessed(triage::level::critical), T0 + MIN).value().updated);
  CHECK(*st->get(h.alert_id).value()->deadline_ms == T0 + 6 * MIN);
  flow_test::check_ok(*st);
}

TEST_CASE("old app: an unanswered chat request expires into an urgent callback and an "
          "escalation") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto id = svc.request_chat(user(), "any", "", T0).value();
  CHECK(svc.due(T0 + MIN).value().empty()); // not yet
  auto applied = svc.due(T0 + 2 * MIN).value();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].to == "expired");
  REQUIRE_FALSE(applied[0].created_id.empty());
  auto cb = st->get(applied[0].created_id).value();
  REQUIRE(cb);
  CHECK(cb->kind == "callback");
  CHECK(cb->state == "pending");
  CHECK(cb->data.find("\"urgent\":true") != std::string::npos);
  CHECK(*cb->deadline_ms == T0 + 2 * MIN + 15 * MIN); // urgent SLA
  std::string aud;
  CHECK(has_topic(*st, id, "chat.expired", &aud));
  CHECK(aud == "user:u1"); // the user is told
  CHECK(has_topic(*st, id, "chat.escalated", &aud));
  CHECK(aud == "supervisor,admin");
  CHECK(has_topic(*st, cb->id, "callback.created"));
  // Applying the timer again does nothing.
  CHECK(svc.due(T0 + 3 * MIN).value().empty());
  flow_test::check_ok(*st);
}

TEST_CASE("timers: alert escalation at 5 min (critical) and 15 min (high); callback SLA; "
          "abandon") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto c = staff("c1", role::counsellor);
  auto crit =
      svc.raise_alert(flow_kind::panic, triage::level::critical, "", c, T0).value();
  auto high =
      svc.raise_alert(flow_kind::safeguarding, triage::level::high, "", c, T0).value();
  auto acked =
      svc.raise_alert(flow_kind::safeguarding, triage::level::high, "", c, T0).value();
  REQUIRE(svc.fire(acked, "ack", c, T0).ok());
  auto r1 = svc.due(T0 + 5 * MIN).value();
  REQUIRE(r1.size() == 1);
  CHECK(r1[0].id == crit);
  CHECK(has_topic(*st, crit, "panic.escalated"));
  auto r2 = svc.due(T0 + 15 * MIN).value();
  REQUIRE(r2.size() == 1);
  CHECK(r2[0].id == high);
  CHECK(st->get(high).value()->state == "open"); // escalation is not a state change back
  CHECK_FALSE(has_topic(*st, acked, "safeguarding.escalated"));

  auto cb = svc.create_callback(user(), "+447700900123", false, "", T0).value();
  CHECK(svc.due(T0 + 4 * 60 * MIN - 1).value().empty());
  auto r3 = svc.due(T0 + 4 * 60 * MIN).value();
  REQUIRE(r3.size() == 1);
  CHECK(has_topic(*st, cb, "callback.escalated"));

  auto chat = svc.request_chat(user(), "any", "", T0).value();
  REQUIRE(svc.fire(chat, "claim", c, T0).ok());
  REQUIRE(svc.post_message(chat, c, "hello", T0).ok());
  REQUIRE(svc.fire(chat, "disconnect", user(), T0).ok());
  REQUIRE(svc.fire(chat, "reconnect", user(), T0 + MIN).ok());
  CHECK(svc.due(T0 + 10 * MIN).value().empty()); // reconnect cleared the grace timer
  REQUIRE(svc.fire(chat, "disconnect", user(), T0 + 10 * MIN).ok());
  auto r4 = svc.due(T0 + 12 * MIN).value();
  REQUIRE(r4.size() == 1);
  CHECK(r4[0].to == "abandoned");
  flow_test::check_ok(*st);
}

TEST_CASE("old app: peers see and acknowledge safeguarding alerts") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto id = svc.raise_alert(flow_kind::safeguarding, triage::level::high, "",
                            staff("c", role::counsellor), T0)
                .value();
  std::string aud;
  REQUIRE(has_topic(*st, id, "safeguarding.raised", &aud));
  CHECK(aud.find("peer") != std::string::npos);
  auto peer = staff("p1", role::peer);
  CHECK(svc.fire(id, "resolve", peer, T0).code() == errc::permission_denied);
  CHECK(svc.fire(id, "ack", peer, T0).ok());
  CHECK(svc.fire(id, "resolve", staff("c", role::counsellor), T0).ok());
}

TEST_CASE("old app: family concerns are shown to staff") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto id = svc.create_concern(user("fam1"), "my son is not eating", T0).value();
  std::string aud;
  REQUIRE(has_topic(*st, id, "concern.created", &aud));
  CHECK(aud.find("counsellor") != std::string::npos);
  CHECK(aud.find("peer") != std::string::npos);
  auto open = st->open_entities("concern", {"closed"}).value();
  REQUIRE(open.size() == 1);
  CHECK(open[0].id == id);
}

TEST_CASE("old app: user and staff messages share one log per chat, in order") {
  auto st = flow_test::open_store(":memory:");
  service svc(st);
  auto c = staff("c1", role::counsellor);
  auto id = svc.request_chat(user(), "any", "", T0).value();
  REQUIRE(svc.fire(id, "claim", c, T0).ok());
  REQUIRE(svc.post_message(id, user(), "hello?", T0 + 1).ok());
  REQUIRE(svc.post_message(id, c, "I'm here", T0 + 2).ok());
  REQUIRE(svc.post_message(id, user(), "thanks", T0 + 3).ok());
  auto log = svc.read_messages(id, c).value();
  REQUIRE(log.size() == 3);
  CHECK(log[0].role == "user");
  CHECK(log[1].role == "counsellor");
  CHECK(log[1].text == "I'm here");
  CHECK(svc.read_messages(id, user()).value().size() == 3);
  CHECK(svc.read_messages(id, staff("p9", role::peer)).code() == errc::permission_denied);
}

TEST_CASE("old app: every transition is audited, without PII") {
  auto keys = std::make_shared<pii::keyring>(pii::keyring::generate("k1").value());
  auto st = flow_test::open_store(":memory:");
  service_options o;
  o.keys = keys;
  service svc(st, o);
  auto c = staff("c1", role::counsellor);
  auto cb = svc.create_callback(user(), "+447700900123", true, "", T0).value();
  REQUIRE(svc.fire(cb, "take", c, T0).ok());
  auto chat = svc.request_chat(user(), "any", "", T0).value();
  REQUIRE(svc.fire(chat, "claim", c, T0).ok());
  REQUIRE(svc.post_message(chat, user(), "I feel awful", T0).ok());
  auto fc = svc.create_concern(user(), "dad drinks every night", T0).value();
  auto audit = st->audit(0, 1000).value();
  CHECK(audit.size() == 2 + 3 + 1 + 1);
  for (const auto &a : audit) {
    CHECK_FALSE(a.actor.empty());
    CHECK_FALSE(a.role.empty());
    CHECK(a.at_ms == T0);
  }
  // PII is encrypted at rest and appears in no audit, outbox or entity row.
  auto e = st->get(cb).value();
  CHECK(e->data.find("7700900123") == std::string::npos);
  CHECK(e->data.find("vet1:") != std::string::npos);
  CHECK(st->get(fc).value()->data.find("drinks") == std::string::npos);
  const auto msgs = st->messages(chat).value();
  for (const auto &m : msgs) {
    CHECK(m.body.find("awful") == std::string::npos);
    CHECK(pii::is_envelope(m.body));
  }
  const auto outbox = st->outbox(0, 1000).value();
  for (const auto &n : outbox) {
    CHECK(n.payload.find("7700900123") == std::string::npos);
    CHECK(n.payload.find("awful") == std::string::npos);
  }
  CHECK(svc.read_messages(chat, c).value()[0].text == "I feel awful");
  // Without the key, the text stays closed.
  service nokey(st);
  CHECK(nokey.read_messages(chat, c).code() == errc::key_missing);
  flow_test::check_ok(*st);
}

TEST_CASE("old app: restart keeps every open request, room, message and timer") {
  flow_test::temp_dir d;
  const auto path = d.file("flows.db");
  auto c = staff("c1", role::counsellor);
  std::string offered, room, cb, alert;
  {
    auto st = flow_test::open_store(path);
    service svc(st);
    offered = svc.request_chat(user("u1"), "any", "", T0).value();
    room = svc.request_chat(user("u2"), "counsellor", "", T0).value();
    REQUIRE(svc.fire(room, "claim", c, T0).ok());
    REQUIRE(svc.post_message(room, user("u2"), "still there?", T0).ok());
    cb = svc.create_callback(user("u3"), "+447700900123", true, "", T0).value();
    alert = svc.feed("sess", assessed(triage::level::critical), T0).value().alert_id;
  } // "restart": every object is gone
  auto st = flow_test::open_store(path);
  service svc(st);
  flow_test::check_ok(*st);
  CHECK(st->get(offered).value()->state == "offered");
  CHECK(st->get(room).value()->state == "active");
  CHECK(svc.read_messages(room, c).value().size() == 1);
  CHECK(st->get(cb).value()->state == "pending");
  CHECK(st->get(alert).value()->state == "open");
  // The timers survived: the new process applies them.
  auto applied = svc.due(T0 + 60 * MIN).value();
  std::vector<std::string> ids;
  for (const auto &t : applied)
    ids.push_back(t.id);
  CHECK(std::count(ids.begin(), ids.end(), offered) == 1);
  CHECK(std::count(ids.begin(), ids.end(), cb) == 1);
  CHECK(std::count(ids.begin(), ids.end(), alert) == 1);
  // The claimed room continues where it was.
  CHECK(svc.post_message(room, c, "yes", T0 + 61 * MIN).ok());
  flow_test::check_ok(*st);
}

TEST_CASE(
    "callbacks are found by phone number through a blind index, never stored in clear") {
  auto keys = std::make_shared<pii::keyring>(pii::keyring::generate("k1").value());
  auto st = flow_test::open_store(":memory:");
  service_options o;
  o.keys = keys;
  service svc(st, o);
  auto a = svc.create_callback(user(), "07700 900123", false, "", T0).value();
  auto b = svc.create_callback(user(), "+44 7700 900123", false, "", T0 + 1).value();
  (void)svc.create_callback(user(), "+447700900999", false, "", T0).value();
  auto found = svc.find_callbacks("+447700900123").value();
  REQUIRE(found.size() == 2);
  CHECK(found[0] == a);
  CHECK(found[1] == b);
  auto e = st->get(a).value();
  CHECK(e->link.find("7700900123") == std::string::npos);
  CHECK(e->data.find("7700900123") == std::string::npos);
  auto bad = svc.create_callback(user(), "not a number", false, "", T0);
  CHECK_FALSE(bad.ok());
  CHECK(bad.message().find("not a number") == std::string::npos);
  service nokeys(st);
  CHECK(nokeys.find_callbacks("+447700900123").code() == errc::key_missing);
}
