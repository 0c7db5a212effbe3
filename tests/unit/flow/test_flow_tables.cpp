// Every row of every flow table, every forbidden (state, event) pair and
// every role a row refuses.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "flow/detail/testing.hpp"
#include "flow_test_util.hpp"

using namespace veteran;
using namespace veteran::flow;
using flow_test::staff;
using flow_test::user;

namespace {

constexpr timestamp_ms T0 = 1'700'000'000'000;

struct fixture {
  std::shared_ptr<store::store> st = flow_test::open_store(":memory:");
  service svc{st};
  actor u = user("u1");
  actor c = staff("c1", role::counsellor);

  result<transition> sys(const std::string &id, const char *event) {
    return service_internals::fire_as_system(svc, id, event, T0);
  }

  /// A fresh entity of `kind` in `state` (reached through the flow itself).
  std::string reach(const std::string &kind, const std::string &state) {
    if (kind == "chat" || kind == "call") return reach_request(kind, state);
    if (kind == "callback") return reach_callback(state);
    if (kind == "panic" || kind == "safeguarding") return reach_alert(kind, state);
    return reach_concern(state);
  }

  std::string reach_request(const std::string &kind, const std::string &state) {
    const bool call = kind == "call";
    if (state == "requested") {
      // request_* offers at once; a bare request is what a crash between the
      // two would leave if they were not one transaction — build it directly.
      store::write w;
      w.next.id = kind + "_bare_" + std::to_string(++n_);
      w.next.kind = kind;
      w.next.state = "requested";
      w.next.version = 1;
      w.next.data = R"({"user":"u1","preferred":"any"})";
      w.audit = {0, "", 0, kind, "request", "u1", "user", "", "requested", T0};
      REQUIRE(st->commit({w}).ok());
      return w.next.id;
    }
    auto id =
        (call ? svc.request_call(u, "any", "", T0) : svc.request_chat(u, "any", "", T0))
            .value();
    if (state == "offered") return id;
    REQUIRE(svc.fire(id, "claim", c, T0).ok());
    if (state == "claimed") return id;
    if (call)
      REQUIRE(svc.fire(id, "answer", u, T0).ok());
    else
      REQUIRE(svc.post_message(id, u, "hello", T0).ok());
    if (state == "active") return id;
    if (state == "ended") REQUIRE(svc.fire(id, "end", u, T0).ok());
    if (state == "abandoned") {
      REQUIRE(svc.fire(id, "disconnect", u, T0).ok());
      REQUIRE(sys(id, "abandon").ok());
    }
    if (state == "expired" || state == "cancelled") {
      auto fresh = reach_request(kind, "offered");
      if (state == "expired")
        REQUIRE(sys(fresh, "expire").ok());
      else
        REQUIRE(svc.fire(fresh, "cancel", u, T0).ok());
      return fresh;
    }
    return id;
  }

  std::string reach_callback(const std::string &state) {
    auto id = svc.create_callback(u, "+447700900123", false, "", T0).value();
    if (state == "pending") return id;
    if (state == "cancelled") {
      REQUIRE(svc.fire(id, "cancel", c, T0).ok());
      return id;
    }
    REQUIRE(svc.fire(id, "take", c, T0).ok());
    if (state == "completed") REQUIRE(svc.fire(id, "complete", c, T0).ok());
    return id;
  }

  std::string reach_alert(const std::string &kind, const std::string &state) {
    auto id =
        svc.raise_alert(kind == "panic" ? flow_kind::panic : flow_kind::safeguarding,
                        triage::level::high, "", c, T0)
            .value();
    if (state == "acknowledged") REQUIRE(svc.fire(id, "ack", c, T0).ok());
    if (state == "resolved") REQUIRE(svc.fire(id, "resolve", c, T0).ok());
    return id;
  }

  std::string reach_concern(const std::string &state) {
    auto id = svc.create_concern(u, "worried about my dad", T0).value();
    const char *path[] = {"new", "triaged", "in_progress"};
    const char *ev[] = {"triage", "start"};
    if (state == "closed") {
      REQUIRE(svc.fire(id, "close", c, T0).ok());
      return id;
    }
    for (int i = 0; i < 2 && state != path[i]; ++i)
      REQUIRE(svc.fire(id, ev[i], c, T0).ok());
    return id;
  }

  /// An actor the rule accepts (role and guard).
  actor permitted(const rule &r) {
    if (r.perm == permission::timers) return {"system", role::system};
    switch (r.check) {
    case guard::owner:
      return u;
    case guard::participant:
    case guard::participant_or_supervisor:
      return allowed(role::user, r.perm) ? u : c;
    case guard::claimer_or_supervisor:
    case guard::eligible:
      return c;
    case guard::none:
      break;
    }
    for (role ro :
         {role::counsellor, role::peer, role::supervisor, role::admin, role::user})
      if (allowed(ro, r.perm)) return {ro == role::user ? "u1" : "c1", ro};
    return c;
  }

  result<transition> fire(const std::string &id, const char *event, const actor &a) {
    if (a.who == role::system) return sys(id, event);
    if (std::string(event) == "message") return svc.post_message(id, a, "hi", T0);
    return svc.fire(id, event, a, T0);
  }

  std::int64_t version(const std::string &id) { return st->get(id).value()->version; }
  std::string state(const std::string &id) { return st->get(id).value()->state; }

  int n_ = 0;
};

const std::vector<std::string> kKinds = {"chat",  "call",         "callback",
                                         "panic", "safeguarding", "concern"};

} // namespace

TEST_CASE("flow tables: every row moves its state as written, with one audit record") {
  fixture f;
  int rows = 0;
  for (const auto &kind : kKinds) {
    const auto &t = *find_table(kind);
    for (const auto &r : t.rules) {
      if (std::string(r.state).empty()) continue; // creations: covered by reach()
      CAPTURE(kind);
      CAPTURE(r.state);
      CAPTURE(r.event);
      const auto id = f.reach(kind, r.state);
      REQUIRE(f.state(id) == r.state);
      const auto v = f.version(id);
      auto res = f.fire(id, r.event, f.permitted(r));
      REQUIRE_MESSAGE(res.ok(), res.message());
      CHECK(f.state(id) == r.next);
      CHECK(f.version(id) == v + 1);
      auto audit = f.st->audit(0, 100000, id).value();
      REQUIRE(!audit.empty());
      CHECK(audit.back().event == r.event);
      CHECK(audit.back().from_state == r.state);
      CHECK(audit.back().to_state == r.next);
      ++rows;
    }
  }
  CHECK(rows >= 40);
  flow_test::check_ok(*f.st);
}

TEST_CASE(
    "flow tables: every (state, event) pair without a row is refused, nothing changes") {
  fixture f;
  int refused = 0;
  for (const auto &kind : kKinds) {
    const auto &t = *find_table(kind);
    for (auto s : states(t)) {
      for (auto e : events(t)) {
        if (find_rule(t, s, e)) continue;
        CAPTURE(kind);
        CAPTURE(s);
        CAPTURE(e);
        const std::string state(s), event(e);
        const auto id = f.reach(kind, state);
        const auto v = f.version(id);
        const auto outbox = f.st->outbox(0, 1000000).value().size();
        // Try as a supervisor (holds most permissions) and as the system.
        for (actor a : {staff("c1", role::supervisor), actor{"system", role::system}}) {
          auto r = f.fire(id, event.c_str(), a);
          REQUIRE_FALSE(r.ok());
          if (is_contested(t, state, event))
            CHECK(r.code() == errc::conflict);
          else
            CHECK(r.code() == errc::invalid_state);
          if (r.code() == errc::invalid_state) {
            // The message names both the state and the role.
            CHECK(r.message().find("'" + state + "'") != std::string::npos);
            CHECK(r.message().find(to_string(a.who)) != std::string::npos);
          }
        }
        CHECK(f.version(id) == v);
        CHECK(f.state(id) == state);
        CHECK(f.st->outbox(0, 1000000).value().size() == outbox);
        ++refused;
      }
    }
  }
  CHECK(refused > 50);
  flow_test::check_ok(*f.st);
}

TEST_CASE(
    "flow tables: every role a row's permission excludes is refused, nothing changes") {
  fixture f;
  int refused = 0;
  for (const auto &kind : kKinds) {
    const auto &t = *find_table(kind);
    for (const auto &r : t.rules) {
      if (std::string(r.state).empty() || r.perm == permission::timers) continue;
      for (role ro :
           {role::user, role::peer, role::counsellor, role::supervisor, role::admin}) {
        if (allowed(ro, r.perm)) continue;
        CAPTURE(kind);
        CAPTURE(r.event);
        CAPTURE(to_string(ro));
        const auto id = f.reach(kind, r.state);
        const auto v = f.version(id);
        auto res = f.fire(id, r.event, actor{ro == role::user ? "u1" : "c1", ro});
        REQUIRE_FALSE(res.ok());
        CHECK(res.code() == errc::permission_denied);
        CHECK(res.message().find(to_string(ro)) != std::string::npos);
        CHECK(res.message().find(r.state) != std::string::npos);
        CHECK(f.version(id) == v);
        ++refused;
      }
    }
  }
  CHECK(refused > 20);
}

TEST_CASE("flow tables: the system role cannot be claimed by a caller; timers are "
          "system-only") {
  fixture f;
  auto id = f.reach("chat", "offered");
  CHECK(f.svc.fire(id, "expire", actor{"x", role::system}, T0).code() ==
        errc::permission_denied);
  CHECK(f.svc.fire(id, "expire", staff("s", role::admin), T0).code() ==
        errc::permission_denied);
  CHECK(f.state(id) == "offered");
}

TEST_CASE("permission table: peers see and acknowledge safeguarding alerts; resolve "
          "needs counsellor+") {
  CHECK(allowed(role::peer, permission::see_alerts));
  CHECK(allowed(role::peer, permission::ack_safeguarding));
  CHECK_FALSE(allowed(role::peer, permission::resolve_alert));
  CHECK_FALSE(allowed(role::peer, permission::ack_panic));
  for (role r : {role::counsellor, role::supervisor, role::admin})
    CHECK(allowed(r, permission::resolve_alert));
  CHECK_FALSE(allowed(role::user, permission::see_alerts));
  // One row per permission, in enum order.
  for (std::size_t i = 0; i < permissions().size(); ++i)
    CHECK(static_cast<std::size_t>(permissions()[i].what) == i);
}

TEST_CASE(
    "guards: only the claimer (or a supervisor) completes; only participants message") {
  fixture f;
  auto cb = f.reach("callback", "taken"); // taken by c1
  auto other = f.svc.fire(cb, "complete", staff("c2", role::counsellor), T0);
  CHECK(other.code() == errc::permission_denied);
  CHECK(f.state(cb) == "taken");
  CHECK(f.svc.fire(cb, "complete", staff("boss", role::supervisor), T0).ok());

  auto chat = f.reach("chat", "claimed");
  CHECK(f.svc.post_message(chat, user("u2"), "hi", T0).code() == errc::permission_denied);
  CHECK(f.svc.post_message(chat, staff("c2", role::counsellor), "hi", T0).code() ==
        errc::permission_denied);
  CHECK(f.state(chat) == "claimed");

  // A request for a counsellor cannot be claimed by a peer.
  auto req = f.svc.request_chat(f.u, "counsellor", "", T0).value();
  CHECK(f.svc.fire(req, "claim", staff("p1", role::peer), T0).code() ==
        errc::permission_denied);
  CHECK(f.svc.fire(req, "claim", staff("c1", role::counsellor), T0).ok());
}

TEST_CASE("bad input: unknown ids, unknown events, bad arguments change nothing") {
  fixture f;
  CHECK(f.svc.fire("nope", "take", f.c, T0).code() == errc::not_found);
  CHECK(f.svc.fire("", "take", f.c, T0).code() == errc::invalid_argument);
  auto cb = f.reach("callback", "pending");
  auto r = f.svc.fire(cb, "fly", f.c, T0);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(r.message().find("event") != std::string::npos);
  CHECK(f.svc.create_callback(f.u, "", false, "", T0).code() == errc::invalid_argument);
  CHECK(f.svc.create_callback(f.u, "+447700900123", false, "sg_nope", T0).code() ==
        errc::not_found);
  CHECK(f.svc.request_chat(f.u, "dentist", "", T0).code() == errc::invalid_argument);
  CHECK(f.svc.request_chat(f.u, "any", "sg_nope", T0).code() == errc::not_found);
  CHECK(f.svc.raise_alert(flow_kind::chat, triage::level::high, "", f.c, T0).code() ==
        errc::invalid_argument);
  CHECK(f.svc.raise_alert(flow_kind::panic, triage::level::high, "", f.u, T0).code() ==
        errc::permission_denied);
  CHECK(f.svc.create_concern(f.u, "", T0).code() == errc::invalid_argument);
  // Only the one callback exists.
  CHECK(f.st->audit(0, 1000).value().size() == 1);
}

TEST_CASE("docs/flows.md prints every row of every table") {
  std::ifstream in(std::string(VETERAN_SOURCE_DIR) + "/docs/flows.md");
  REQUIRE(in);
  const std::string doc((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
  for (const auto &kind : kKinds) {
    const auto &t = *find_table(kind);
    const auto at = doc.find("### " + kind + "\n");
    REQUIRE_MESSAGE(at != std::string::npos, kind);
    for (const auto &r : t.rules) {
      const std::string row = std::string("| `") + (*r.state ? r.state : "(new)") +
                              "` | `" + r.event + "` | " + to_string(r.perm) + " | " +
                              to_string(r.check) + " | `" + r.next + "` |";
      CHECK_MESSAGE(doc.find(row, at) != std::string::npos, row);
    }
  }
  for (const auto &p : permissions())
    CHECK(doc.find(std::string("| ") + p.name + " |") != std::string::npos);
}
