// Randomised relay sessions: whatever peers send, in any order, the relay's
// invariants hold (every delivery is a strict message from the step's sender
// or the relay; rtc.* only reaches a call's participants; no call outlives
// its participants).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "veteran/signal.hpp"

namespace sg = veteran::signal;
using T = sg::message_type;

namespace {

struct random_session {
  std::mt19937 rng;
  sg::relay relay;
  std::vector<sg::peer> peers;
  std::set<std::string> connected;
  std::vector<std::string> calls, rooms, reqs;
  std::int64_t now = 0;
  std::size_t deliveries = 0, rejections = 0;
  std::map<std::string, std::size_t> delivered; // by type

  explicit random_session(unsigned seed) : rng(seed) {
    const sg::role roles[] = {sg::role::user,       sg::role::user,       sg::role::user,
                              sg::role::counsellor, sg::role::counsellor, sg::role::peer,
                              sg::role::supervisor, sg::role::admin};
    for (std::size_t i = 0; i < std::size(roles); ++i)
      peers.push_back({"p" + std::to_string(i), roles[i]});
  }

  template <class V> const auto &pick(const V &v) { return v[rng() % v.size()]; }
  /// An issued id of the kind, or (sometimes) one the relay never issued.
  std::string id_from(const std::vector<std::string> &ids) {
    if (ids.empty() || rng() % 8 == 0) return "forged-" + std::to_string(rng() % 4);
    return pick(ids);
  }

  /// A call `p` takes part in, when there is one.
  std::string own_call(const sg::peer &p) {
    for (const auto &c : relay.store().list_calls())
      if (c.caller == p.id || c.callee == p.id ||
          std::find(c.invitees.begin(), c.invitees.end(), p.id) != c.invitees.end())
        return c.id;
    return id_from(calls);
  }

  sg::message random_message(const sg::peer &p) {
    // Half the time a type that moves a call or chat along, so sessions reach
    // connected calls and busy rooms, not only refusals.
    const T likely[] = {T::call_request, T::call_accept,  T::rtc_offer,  T::rtc_answer,
                        T::rtc_ice,      T::chat_request, T::chat_claim, T::chat_message};
    const auto t = rng() % 2 ? likely[rng() % std::size(likely)]
                             : static_cast<T>(rng() % sg::message_type_count);
    sg::message m;
    m.type = t;
    m.id = "x" + std::to_string(rng() % 1000);
    m.ts = now;
    m.from = rng() % 4 ? p.id : pick(peers).id; // sometimes spoofed
    m.body = sg::default_body(t);
    const std::string name = sg::to_string(t);
    if ((name.rfind("call.", 0) == 0 && t != T::call_request) ||
        name.rfind("rtc.", 0) == 0)
      m.call_id = rng() % 2 ? own_call(p) : id_from(calls);
    if (name.rfind("chat.", 0) == 0 && t != T::chat_request) m.room_id = id_from(rooms);
    if (rng() % 6 == 0) m.to = pick(peers).id;
    if (auto *b = std::get_if<sg::presence_online_body>(&m.body)) {
      b->role = rng() % 5 ? p.role : sg::role::admin;
      b->status = static_cast<sg::presence_status>(rng() % 5);
    } else if (auto *s = std::get_if<sg::presence_status_body>(&m.body)) {
      s->status = static_cast<sg::presence_status>(rng() % 5);
    } else if (auto *r = std::get_if<sg::request_body>(&m.body)) {
      r->request_id = id_from(reqs);
    } else if (auto *c = std::get_if<sg::chat_claimed_body>(&m.body)) {
      c->request_id = id_from(reqs);
      c->by = p.id;
    } else if (auto *x = std::get_if<sg::chat_message_body>(&m.body)) {
      x->text = "hello";
    } else if (auto *s2 = std::get_if<sg::sdp_body>(&m.body)) {
      s2->sdp = "v=0";
    } else if (auto *r2 = std::get_if<sg::chat_read_body>(&m.body)) {
      r2->up_to = "m1";
    } else if (auto *a = std::get_if<sg::alert_raised_body>(&m.body)) {
      a->alert_id = "a1";
    } else if (auto *a2 = std::get_if<sg::alert_body>(&m.body)) {
      a2->alert_id = "a1";
    } else if (auto *e = std::get_if<sg::error_body>(&m.body)) {
      e->code = "x";
    }
    return m;
  }

  /// Checks the invariants on one step's output, by `sender` ("" for timers
  /// and connection changes, "*" for resume).
  void check(const sg::relay_result &r, const std::string &sender) {
    for (const auto &i : r.issued)
      (i.kind == sg::issued_kind::call   ? calls
       : i.kind == sg::issued_kind::room ? rooms
                                         : reqs)
          .push_back(i.id);
    for (const auto &d : r.deliveries) {
      ++deliveries;
      ++delivered[sg::to_string(d.msg.type)];
      auto back = sg::decode(sg::encode(d.msg));
      REQUIRE(back.ok());
      CHECK(*back == d.msg);
      CAPTURE(d.to);
      CAPTURE(sender);
      CAPTURE(sg::encode(d.msg));
      CHECK(connected.count(d.to) == 1); // only to connected peers
      const bool from_relay = d.msg.from == relay.options().relay_id;
      if (sender == "*") // resume: logged room messages, as first delivered
        CHECK((from_relay ||
               std::string(sg::to_string(d.msg.type)).rfind("chat.", 0) == 0));
      else if (!sender.empty())
        CHECK((d.msg.from == sender || from_relay));
      else
        CHECK(from_relay);
      if (d.msg.type == T::rtc_offer || d.msg.type == T::rtc_answer ||
          d.msg.type == T::rtc_ice) {
        auto c = relay.store().get_call(*d.msg.call_id);
        REQUIRE(c);
        CHECK((d.to == c->caller || d.to == c->callee));
        CHECK((sender == c->caller || sender == c->callee));
        CHECK(c->state == sg::call_state::connected);
      }
    }
    if (r.rejection) ++rejections;
    for (const auto &c : relay.store().list_calls())
      CHECK_FALSE(sg::is_terminal(c.state));
  }

  void step() {
    now += static_cast<std::int64_t>(rng() % 4000);
    const auto &p = pick(peers);
    const unsigned what = rng() % 20;
    // Timers run before the connection change, so check against the peers
    // connected before it; then record the change.
    if (what == 0) {
      auto r = relay.connect(p, now);
      connected.insert(p.id);
      check(r, "");
    } else if (what == 1) {
      check(relay.disconnect(p.id, now), "");
      connected.erase(p.id);
    } else if (what == 2) {
      check(relay.due(now), "");
    } else if (what == 3 && !rooms.empty()) {
      check(relay.resume(p, pick(rooms), "", now), "*");
    } else {
      check(relay.handle(p, random_message(p), now), p.id);
    }
  }
};

} // namespace

TEST_CASE("random relay sessions keep the relay's invariants") {
  std::map<std::string, std::size_t> delivered;
  for (unsigned seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    random_session s(seed);
    for (const auto &p : s.peers) {
      auto r = s.relay.connect(p, 0);
      s.connected.insert(p.id);
      s.check(r, "");
      if (p.role != sg::role::user) {
        sg::message on;
        on.type = T::presence_online;
        on.id = "on";
        on.from = p.id;
        on.body = sg::presence_online_body{p.role, sg::presence_status::available};
        s.check(s.relay.handle(p, on, 0), p.id);
      }
    }
    for (int i = 0; i < 400; ++i)
      s.step();
    CHECK(s.deliveries > 0);
    CHECK(s.rejections > 0);
    // Everyone leaves: after the grace and the ring timeout no call is left.
    for (const auto &p : s.peers)
      if (s.connected.count(p.id)) {
        s.check(s.relay.disconnect(p.id, s.now), "");
        s.connected.erase(p.id);
      }
    s.check(s.relay.due(s.now + 30'000 + 10'000), "");
    CHECK(s.relay.store().list_calls().empty());
    CHECK_FALSE(s.relay.next_due());
    for (const auto &[t, n] : s.delivered)
      delivered[t] += n;
  }
  std::string seen;
  for (const auto &[t, n] : delivered)
    seen += t + "=" + std::to_string(n) + " ";
  MESSAGE(seen);
  // The sessions reached the interesting states.
  CHECK(delivered["rtc.offer"] > 0);
  CHECK(delivered["rtc.ice"] > 0);
  CHECK(delivered["chat.message"] > 0);
  CHECK(delivered["call.end"] > 0);
}
