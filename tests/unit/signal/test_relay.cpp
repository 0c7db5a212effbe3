// The relay: each failure of the replaced app as a scenario (the same as the
// replay scripts in tests/data/signal/scenarios), plus the state table, the
// store, timers and "a refused message changes nothing".
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "veteran/signal.hpp"

namespace sg = veteran::signal;
using T = sg::message_type;
using veteran::errc;

namespace {

/// A relay plus the ids it issued, in order, and short summaries of output.
struct harness {
  sg::relay relay;
  std::vector<std::string> calls, rooms, reqs;
  std::vector<sg::delivery> all; // every delivery so far
  int n = 0;

  explicit harness(sg::relay_options o = {}) : relay(std::move(o)) {}

  /// "to type" per delivery, and "!code" for a rejection.
  std::vector<std::string> take(const sg::relay_result &r) {
    for (const auto &i : r.issued)
      (i.kind == sg::issued_kind::call   ? calls
       : i.kind == sg::issued_kind::room ? rooms
                                         : reqs)
          .push_back(i.id);
    std::vector<std::string> out;
    for (const auto &d : r.deliveries) {
      all.push_back(d);
      out.push_back(d.to + " " + sg::to_string(d.msg.type));
    }
    if (r.rejection) {
      CHECK(r.rejection->msg.type == T::error);
      out.push_back("!" + std::get<sg::error_body>(r.rejection->msg.body).code);
    }
    return out;
  }
  std::vector<std::string> connect(const std::string &id, sg::role role, long at) {
    return take(relay.connect({id, role}, at));
  }
  std::vector<std::string> drop(const std::string &id, long at) {
    return take(relay.disconnect(id, at));
  }
  std::vector<std::string> tick(long at) { return take(relay.due(at)); }
  std::vector<std::string> say(const std::string &id, sg::role role, sg::message m,
                               long at) {
    m.id = "c" + std::to_string(++n);
    if (m.from.empty()) m.from = id;
    return take(relay.handle({id, role}, m, at));
  }
  std::vector<std::string> staff(const std::string &id, sg::role role,
                                 sg::presence_status s, long at = 0) {
    auto out = connect(id, role, at);
    sg::message m = msg(T::presence_online);
    m.body = sg::presence_online_body{role, s};
    auto more = say(id, role, m, at);
    out.insert(out.end(), more.begin(), more.end());
    return out;
  }
  static sg::message msg(T t) {
    sg::message m;
    m.type = t;
    m.body = sg::default_body(t);
    return m;
  }
  static sg::message call(T t, const std::string &id) {
    auto m = msg(t);
    m.call_id = id;
    if (t == T::call_end || t == T::call_failed) m.body = sg::reason_body{"hangup"};
    if (t == T::rtc_offer || t == T::rtc_answer) m.body = sg::sdp_body{"v=0"};
    return m;
  }
  static sg::message room(T t, const std::string &id) {
    auto m = msg(t);
    m.room_id = id;
    if (t == T::chat_message) m.body = sg::chat_message_body{"hello"};
    return m;
  }
  sg::message claim(const std::string &req, const std::string &room_id) {
    auto m = room(T::chat_claim, room_id);
    m.body = sg::request_body{req};
    return m;
  }
};

using V = std::vector<std::string>;
constexpr auto user = sg::role::user;
constexpr auto counsellor = sg::role::counsellor;
constexpr auto peer_role = sg::role::peer;
constexpr auto admin = sg::role::admin;
constexpr auto available = sg::presence_status::available;
constexpr auto off_duty = sg::presence_status::off_duty;

/// u1 called, c1 (the only free counsellor) accepted.
void connected_call(harness &h) {
  h.staff("c1", counsellor, available);
  h.connect("u1", user, 1000);
  h.say("u1", user, harness::msg(T::call_request), 1000);
  REQUIRE(h.say("c1", counsellor, harness::call(T::call_accept, h.calls.at(0)), 2000) ==
          V{"u1 call.accept"});
}

/// u1 requested a chat, c1 claimed it.
void claimed_chat(harness &h) {
  h.staff("c1", counsellor, available);
  h.connect("u1", user, 1000);
  h.say("u1", user, harness::msg(T::chat_request), 1000);
  REQUIRE(h.say("c1", counsellor, h.claim(h.reqs.at(0), h.rooms.at(0)), 1500) ==
          V{"u1 chat.accepted", "c1 chat.accepted"});
}

} // namespace

TEST_SUITE("signal relay scenarios (replaced-app failures)") {

  TEST_CASE("client-chosen call ids are refused; one relay-issued id per call") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 1000);
    auto m = harness::msg(T::call_request);
    m.call_id = "my-own-id";
    CHECK(h.say("u1", user, m, 1000) == V{"!invalid_argument"});
    CHECK(h.calls.empty());
    CHECK(h.say("u1", user, harness::call(T::call_accept, "my-own-id"), 1100) ==
          V{"!not_found"});
    CHECK(h.say("u1", user, harness::msg(T::call_request), 1200) ==
          V{"u1 call.request", "c1 call.invite"});
    REQUIRE(h.calls.size() == 1);
    const std::string id = h.calls[0];
    CHECK(id.size() == 22); // 16 random bytes, base64url
    CHECK(id.find_first_not_of(
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK(h.say("c1", counsellor, harness::call(T::call_accept, id), 1400) ==
          V{"u1 call.accept"});
    for (const auto &d : h.all)
      CHECK(d.msg.call_id == id); // echo, invite and accept carry the same id

    harness other;
    other.staff("c1", counsellor, available);
    other.connect("u1", user, 0);
    other.say("u1", user, harness::msg(T::call_request), 0);
    CHECK(other.calls.at(0) != id);
  }

  TEST_CASE("only members may post to or read a room; only offered staff may claim") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 1000);
    h.connect("eve", user, 1000);
    h.say("u1", user, harness::msg(T::chat_request), 1000);
    const auto room = h.rooms.at(0), req = h.reqs.at(0);
    CHECK(h.say("eve", user, h.claim(req, room), 2000) == V{"!permission_denied"});
    h.say("c1", counsellor, h.claim(req, room), 2100);
    CHECK(h.say("eve", user, harness::room(T::chat_message, room), 3000) ==
          V{"!permission_denied"});
    CHECK(h.say("eve", user, harness::room(T::chat_end, room), 3100) ==
          V{"!permission_denied"});
    CHECK(h.take(h.relay.resume({"eve", user}, room, "", 3200)) ==
          V{"!permission_denied"});
    // The room is untouched: still open, the members' messages still flow.
    CHECK(h.say("c1", counsellor, harness::room(T::chat_message, room), 4000) ==
          V{"u1 chat.message", "c1 chat.message"});
    CHECK(h.relay.store().get_room(room)->members ==
          std::vector<std::string>{"u1", "c1"});
  }

  TEST_CASE("nobody but a participant can end, cancel or fail a call") {
    harness h;
    connected_call(h);
    const auto id = h.calls.at(0);
    h.connect("eve", user, 2500);
    CHECK(h.say("eve", user, harness::call(T::call_end, id), 3000) ==
          V{"!permission_denied"});
    CHECK(h.say("eve", user, harness::call(T::call_cancel, id), 3000) ==
          V{"!permission_denied"});
    CHECK(h.say("eve", user, harness::call(T::call_failed, id), 3000) ==
          V{"!permission_denied"});
    CHECK(h.relay.store().get_call(id)->state == sg::call_state::connected);
    CHECK(h.say("c1", counsellor, harness::call(T::call_end, id), 4000) ==
          V{"u1 call.end"});
    CHECK_FALSE(h.relay.store().get_call(id));
  }

  TEST_CASE("SDP and ICE only between the two participants of a connected call") {
    harness h;
    connected_call(h);
    const auto id = h.calls.at(0);
    h.connect("eve", user, 2500);
    for (T t : {T::rtc_offer, T::rtc_answer, T::rtc_ice})
      CHECK(h.say("eve", user, harness::call(t, id), 3000) == V{"!permission_denied"});
    CHECK(h.say("u1", user, harness::call(T::rtc_offer, id), 4000) == V{"c1 rtc.offer"});
  }

  TEST_CASE("rtc before the call is connected is refused") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 0);
    h.say("u1", user, harness::msg(T::call_request), 0);
    CHECK(h.say("u1", user, harness::call(T::rtc_offer, h.calls.at(0)), 10) ==
          V{"!invalid_state"});
  }

  TEST_CASE("glare: the caller's offer wins whichever arrives first") {
    harness h;
    connected_call(h);
    const auto id = h.calls.at(0);
    SUBCASE("caller first") {
      CHECK(h.say("u1", user, harness::call(T::rtc_offer, id), 3000) ==
            V{"c1 rtc.offer"});
      CHECK(h.say("c1", counsellor, harness::call(T::rtc_offer, id), 3000) ==
            V{"!conflict"});
    }
    SUBCASE("callee first") {
      CHECK(h.say("c1", counsellor, harness::call(T::rtc_offer, id), 3000) ==
            V{"u1 rtc.offer"});
      CHECK(h.say("u1", user, harness::call(T::rtc_offer, id), 3000) ==
            V{"c1 rtc.offer"});
    }
    // Either way the callee answers the caller's offer; the caller cannot answer.
    CHECK(h.say("u1", user, harness::call(T::rtc_answer, id), 3100) ==
          V{"!invalid_state"});
    CHECK(h.say("c1", counsellor, harness::call(T::rtc_answer, id), 3200) ==
          V{"u1 rtc.answer"});
  }

  TEST_CASE("from is never trusted: the relay writes the authenticated id") {
    harness h;
    claimed_chat(h);
    auto m = harness::room(T::chat_message, h.rooms.at(0));
    m.from = "c1";
    h.all.clear();
    h.say("u1", user, m, 2000);
    REQUIRE(h.all.size() == 2);
    for (const auto &d : h.all)
      CHECK(d.msg.from == "u1");
    // Nor the role a client claims, nor relay-only types, nor others' status.
    auto online = harness::msg(T::presence_online);
    online.body = sg::presence_online_body{admin, available};
    CHECK(h.say("u1", user, online, 3000) == V{"!permission_denied"});
    CHECK(h.say("u1", user, harness::call(T::call_timeout, "x"), 3000) ==
          V{"!permission_denied"});
    auto st = harness::msg(T::presence_status);
    st.to = "c1";
    st.body = sg::presence_status_body{off_duty};
    CHECK(h.say("u1", user, st, 3000) == V{"!permission_denied"});
    CHECK(h.relay.store().get_peer("c1")->status == available);
    // A host passing a different role than the peer connected with is refused.
    CHECK(h.say("u1", admin, harness::room(T::chat_message, h.rooms.at(0)), 3000) ==
          V{"!permission_denied"});
  }

  TEST_CASE("an unanswered call times out after the ring timeout") {
    harness h;
    h.staff("c1", counsellor, available);
    h.staff("p1", peer_role, available);
    h.connect("u1", user, 1000);
    h.say("u1", user, harness::msg(T::call_request), 1000);
    CHECK(h.relay.next_due() == 31000);
    CHECK(h.tick(30999).empty());
    CHECK(h.tick(31000) == V{"u1 call.timeout", "c1 call.timeout", "p1 call.timeout"});
    CHECK(h.say("c1", counsellor, harness::call(T::call_accept, h.calls.at(0)), 32000) ==
          V{"!not_found"});
    CHECK_FALSE(h.relay.next_due());
  }

  TEST_CASE("a late accept finds the call timed out even without a tick") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 0);
    h.say("u1", user, harness::msg(T::call_request), 0);
    CHECK(h.say("c1", counsellor, harness::call(T::call_accept, h.calls.at(0)), 30000) ==
          V{"u1 call.timeout", "c1 call.timeout", "!not_found"});
  }

  TEST_CASE("ring timeout is configurable") {
    sg::relay_options o;
    o.ring_timeout_ms = 5000;
    harness h(o);
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 0);
    h.say("u1", user, harness::msg(T::call_request), 0);
    CHECK(h.tick(5000) == V{"u1 call.timeout", "c1 call.timeout"});
  }

  TEST_CASE("a vanished caller leaves no ghost: the callee is free for the next caller") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 1000);
    h.say("u1", user, harness::msg(T::call_request), 1000);
    h.drop("u1", 2000);
    CHECK(h.tick(11999).empty()); // inside the grace
    CHECK(h.tick(12000) == V{"c1 call.cancel"});
    CHECK(h.relay.store().list_calls().empty());
    h.connect("u2", user, 13000);
    CHECK(h.say("u2", user, harness::msg(T::call_request), 13000) ==
          V{"u2 call.request", "c1 call.invite"});
  }

  TEST_CASE("a connected call survives a reconnect within the grace, ends after it") {
    harness h;
    connected_call(h);
    const auto id = h.calls.at(0);
    h.drop("c1", 3000);
    h.connect("c1", counsellor, 12000); // 9 s later
    CHECK(h.tick(20000).empty());
    CHECK(h.say("u1", user, harness::call(T::rtc_offer, id), 20000) == V{"c1 rtc.offer"});
    h.drop("u1", 21000);
    CHECK(h.tick(31000) == V{"c1 call.end"});
    CHECK(std::get<sg::reason_body>(h.all.back().msg.body).reason == "connection_lost");
    // c1 is not busy: a direct call reaches them.
    h.staff("c2", counsellor, available, 32000);
    auto direct = harness::msg(T::call_request);
    direct.to = "c1";
    CHECK(h.say("c2", counsellor, direct, 32000) ==
          V{"c2 call.request", "c1 call.invite"});
  }

  TEST_CASE("a lone callee that vanishes fails the call for the caller") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 0);
    h.say("u1", user, harness::msg(T::call_request), 0);
    h.drop("c1", 1000);
    CHECK(h.tick(11000) == V{"u1 call.failed"});
  }

  TEST_CASE("off-duty staff are never reset to available nor paged") {
    harness h;
    h.staff("c1", counsellor, off_duty);
    h.staff("c2", counsellor, available);
    h.connect("a1", admin, 0);
    h.drop("c1", 1000);
    h.connect("c1", counsellor, 2000);
    h.tick(60000);
    CHECK(h.relay.store().get_peer("c1")->status == off_duty);
    h.connect("u1", user, 61000);
    CHECK(h.say("u1", user, harness::msg(T::chat_request), 61000) ==
          V{"u1 chat.request", "c2 chat.offered"});
    CHECK(h.say("u1", user, harness::msg(T::call_request), 62000) ==
          V{"u1 call.request", "c2 call.invite"});
    h.say("c2", counsellor, harness::call(T::call_reject, h.calls.at(0)), 62500);
    // Only an admin may change someone else's status.
    auto st = harness::msg(T::presence_status);
    st.to = "c2";
    st.body = sg::presence_status_body{off_duty};
    CHECK(h.say("a1", admin, st, 63000) == V{"c2 presence.status"});
    CHECK(h.say("u1", user, harness::msg(T::call_request), 64000) ==
          V{"u1 call.request", "u1 call.busy"});
    // Only when c1 says so is c1 available, and then offered the pending chat.
    auto mine = harness::msg(T::presence_status);
    mine.body = sg::presence_status_body{available};
    CHECK(h.say("c1", counsellor, mine, 65000) ==
          V{"a1 presence.status", "c1 chat.offered"});
  }

  TEST_CASE("a counsellor in a call is not paged and its status is left alone") {
    harness h;
    connected_call(h);
    CHECK(h.relay.store().get_peer("c1")->status == available);
    h.connect("u2", user, 3000);
    CHECK(h.say("u2", user, harness::msg(T::call_request), 3000) ==
          V{"u2 call.request", "u2 call.busy"});
  }

  TEST_CASE("every message the relay emits decodes strictly and round-trips") {
    harness h;
    claimed_chat(h);
    h.say("u1", user, harness::room(T::chat_message, h.rooms.at(0)), 2000);
    h.say("u1", user, harness::msg(T::call_request), 3000);
    h.tick(40000);
    h.say("u1", user, harness::msg(T::call_request), 41000);
    h.say("c1", counsellor, harness::call(T::call_accept, h.calls.at(1)), 41000);
    h.say("c1", counsellor, harness::call(T::rtc_offer, h.calls.at(1)), 41000);
    h.say("u1", user, harness::call(T::rtc_answer, h.calls.at(1)), 41000);
    h.say("u1", user, harness::call(T::call_end, h.calls.at(1)), 42000);
    std::set<std::string> types;
    REQUIRE(h.all.size() > 10);
    for (const auto &d : h.all) {
      auto back = sg::decode(sg::encode(d.msg));
      REQUIRE(back.ok());
      CHECK(*back == d.msg);
      types.insert(sg::to_string(d.msg.type));
    }
    CHECK(types.count("call.timeout") == 1);
    CHECK(types.count("chat.accepted") == 1);
  }

  TEST_CASE("messages sent while a member is away come back on resume, in order, once") {
    harness h;
    claimed_chat(h);
    const auto room = h.rooms.at(0);
    h.say("u1", user, harness::room(T::chat_message, room), 2000);
    const std::string last_seen = h.all.back().msg.id;
    h.drop("u1", 3000);
    CHECK(h.say("c1", counsellor, harness::room(T::chat_message, room), 3100) ==
          V{"c1 chat.message"});
    auto typing = harness::room(T::chat_typing, room);
    h.say("c1", counsellor, typing, 3200);
    h.say("c1", counsellor, harness::room(T::chat_message, room), 3300);
    std::vector<std::string> sent_while_away;
    for (const auto &d : h.all)
      if (d.to == "c1" && d.msg.ts >= 3100 && d.msg.type == T::chat_message)
        sent_while_away.push_back(d.msg.id);
    REQUIRE(sent_while_away.size() == 2);
    h.connect("u1", user, 4000);
    auto r = h.relay.resume({"u1", user}, room, last_seen, 4000);
    REQUIRE(r.deliveries.size() == 2);
    CHECK(r.deliveries[0].msg.id == sent_while_away[0]);
    CHECK(r.deliveries[1].msg.id == sent_while_away[1]);
    CHECK(r.deliveries[0].msg.ts == 3100); // exactly as first delivered
    // Resuming from the newest id gives nothing more: exactly once.
    CHECK(
        h.relay.resume({"u1", user}, room, sent_while_away[1], 4100).deliveries.empty());
    CHECK(h.take(h.relay.resume({"u1", user}, room, "m999", 4200)) == V{"!not_found"});
    // A member's own read receipt went only to the others, live and on resume.
    auto read = harness::room(T::chat_read, room);
    read.body = sg::chat_read_body{sent_while_away[1]};
    CHECK(h.say("u1", user, read, 4300) == V{"c1 chat.read"});
    auto again = h.relay.resume({"u1", user}, room, sent_while_away[1], 4400);
    CHECK(again.deliveries.empty());
    auto for_c1 = h.relay.resume({"c1", counsellor}, room, sent_while_away[1], 4400);
    REQUIRE(for_c1.deliveries.size() == 1);
    CHECK(for_c1.deliveries[0].msg.type == T::chat_read);
  }

} // TEST_SUITE

TEST_SUITE("signal relay") {

  TEST_CASE(
      "first chat.claim wins; the others get chat.claimed; a late claim is conflict") {
    harness h;
    h.staff("c1", counsellor, available);
    h.staff("p1", peer_role, available);
    h.connect("u1", user, 0);
    CHECK(h.say("u1", user, harness::msg(T::chat_request), 0) ==
          V{"u1 chat.request", "c1 chat.offered", "p1 chat.offered"});
    CHECK(h.say("p1", peer_role, h.claim(h.reqs[0], h.rooms[0]), 10) ==
          V{"u1 chat.accepted", "p1 chat.accepted", "c1 chat.claimed"});
    CHECK(std::get<sg::chat_claimed_body>(h.all.back().msg.body).by == "p1");
    CHECK(h.say("c1", counsellor, h.claim(h.reqs[0], h.rooms[0]), 20) == V{"!conflict"});
  }

  TEST_CASE("chat.request goes only to the preferred kind of staff") {
    harness h;
    h.staff("c1", counsellor, available);
    h.staff("p1", peer_role, available);
    h.connect("u1", user, 0);
    auto m = harness::msg(T::chat_request);
    m.body = sg::chat_request_body{sg::preferred_staff::peer, {}, {}, {}};
    CHECK(h.say("u1", user, m, 0) == V{"u1 chat.request", "p1 chat.offered"});
  }

  TEST_CASE("first call.accept wins; other invitees are told; a late accept is refused") {
    harness h;
    h.staff("c1", counsellor, available);
    h.staff("p1", peer_role, available);
    h.connect("u1", user, 0);
    h.say("u1", user, harness::msg(T::call_request), 0);
    CHECK(h.say("p1", peer_role, harness::call(T::call_accept, h.calls[0]), 10) ==
          V{"u1 call.accept", "c1 call.end"});
    CHECK(std::get<sg::reason_body>(h.all.back().msg.body).reason ==
          "answered_elsewhere");
    CHECK(h.say("c1", counsellor, harness::call(T::call_accept, h.calls[0]), 20) ==
          V{"!permission_denied"});
  }

  TEST_CASE("one invitee declining leaves the call ringing for the others") {
    harness h;
    h.staff("c1", counsellor, available);
    h.staff("p1", peer_role, available);
    h.connect("u1", user, 0);
    h.say("u1", user, harness::msg(T::call_request), 0);
    CHECK(h.say("c1", counsellor, harness::call(T::call_reject, h.calls[0]), 10).empty());
    CHECK(h.say("p1", peer_role, harness::call(T::call_busy, h.calls[0]), 20) ==
          V{"u1 call.busy"});
  }

  TEST_CASE("only the caller cancels; a call.end before connect is invalid_state") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 0);
    h.say("u1", user, harness::msg(T::call_request), 0);
    CHECK(h.say("c1", counsellor, harness::call(T::call_cancel, h.calls[0]), 10) ==
          V{"!permission_denied"});
    CHECK(h.say("u1", user, harness::call(T::call_end, h.calls[0]), 10) ==
          V{"!invalid_state"});
    CHECK(h.say("u1", user, harness::call(T::call_cancel, h.calls[0]), 20) ==
          V{"c1 call.cancel"});
  }

  TEST_CASE("users may not call a peer directly; staff may") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 0);
    h.connect("u2", user, 0);
    auto m = harness::msg(T::call_request);
    m.to = "u2";
    CHECK(h.say("u1", user, m, 0) == V{"!permission_denied"});
    CHECK(h.say("c1", counsellor, m, 0) == V{"c1 call.request", "u2 call.invite"});
  }

  TEST_CASE("a refused message changes nothing in the store") {
    harness h;
    claimed_chat(h);
    const auto room_before = *h.relay.store().get_room(h.rooms[0]);
    const auto peers_before = h.relay.store().list_peers().size();
    h.connect("eve", user, 2000);
    auto bad = harness::room(T::chat_leave, h.rooms[0]);
    CHECK(h.say("eve", user, bad, 2000) == V{"!permission_denied"});
    auto after = *h.relay.store().get_room(h.rooms[0]);
    CHECK(after.members == room_before.members);
    CHECK(after.open == room_before.open);
    CHECK(h.relay.store().list_peers().size() == peers_before + 1); // eve herself
    CHECK(h.relay.store().log_after(h.rooms[0], "")->size() == 1);  // chat.accepted only
  }

  TEST_CASE("an error names the field and the rule, never the content") {
    harness h;
    claimed_chat(h);
    auto r = h.relay.handle({"u1", user},
                            R"({"v":1,"type":"chat.message","id":"x","ts":1,"from":"u1",)"
                            R"("room_id":"nope","body":{"text":"I want to die","zz":1}})",
                            2000);
    REQUIRE(r.rejection);
    const auto &e = std::get<sg::error_body>(r.rejection->msg.body);
    CHECK(e.code == "signal_invalid");
    CHECK(e.message.find("zz") != std::string::npos);
    CHECK(e.message.find("die") == std::string::npos);
    // A relay refusal quotes nothing of the message either.
    auto m = harness::room(T::chat_message, "unknown-room");
    m.body = sg::chat_message_body{"secret text"};
    auto r2 = h.relay.handle({"u1", user}, m, 2000);
    REQUIRE(r2.rejection);
    CHECK(std::get<sg::error_body>(r2.rejection->msg.body).message.find("secret") ==
          std::string::npos);
    CHECK(std::get<sg::error_body>(r2.rejection->msg.body).ref == m.id);
  }

  TEST_CASE("a message from a peer that is not connected is refused") {
    harness h;
    h.connect("u1", user, 0);
    h.drop("u1", 10);
    CHECK(h.say("u1", user, harness::msg(T::chat_request), 20) == V{"!invalid_state"});
    CHECK(h.say("ghost", user, harness::msg(T::chat_request), 20) == V{"!invalid_state"});
  }

  TEST_CASE("connect refuses the relay's own id and bad ids") {
    harness h;
    CHECK(h.connect("relay", admin, 0) == V{"!invalid_argument"});
    CHECK(h.connect("", user, 0) == V{"!invalid_argument"});
    CHECK(h.connect(std::string(200, 'a'), user, 0) == V{"!invalid_argument"});
    CHECK(h.relay.store().list_peers().empty());
  }

  TEST_CASE("relay options and store are checked") {
    sg::relay_options o;
    o.ring_timeout_ms = 0;
    CHECK_THROWS_AS(sg::relay{o}, veteran::error);
    o = {};
    o.reconnect_grace_ms = -1;
    CHECK_THROWS_AS(sg::relay{o}, veteran::error);
    o = {};
    o.relay_id = "";
    CHECK_THROWS_AS(sg::relay{o}, veteran::error);
    CHECK_THROWS_AS(sg::relay({}, nullptr), veteran::error);
    CHECK_THROWS_AS((void)sg::make_memory_store(0), veteran::error);
  }

  TEST_CASE("time never goes backwards inside a relay") {
    harness h;
    h.staff("c1", counsellor, available);
    h.connect("u1", user, 0);
    h.say("u1", user, harness::msg(T::call_request), 0);
    h.tick(31000);
    // An earlier `now` afterwards does not revive anything or stamp the past.
    h.say("u1", user, harness::msg(T::call_request), 5);
    CHECK(h.all.back().msg.ts == 31000);
  }

  TEST_CASE("staff presence goes to supervisors and admins; a user's stays private") {
    harness h;
    h.connect("s1", sg::role::supervisor, 0);
    CHECK(h.staff("c1", counsellor, available, 10) == V{"s1 presence.online"});
    h.connect("u1", user, 20);
    auto st = harness::msg(T::presence_status);
    st.body = sg::presence_status_body{sg::presence_status::busy};
    CHECK(h.say("u1", user, st, 30).empty());
  }

  TEST_CASE("alerts: anyone raises, only staff acknowledge") {
    harness h;
    h.connect("s1", sg::role::supervisor, 0);
    h.connect("u1", user, 0);
    auto raised = harness::msg(T::alert_raised);
    raised.body =
        sg::alert_raised_body{"a-1", sg::alert_kind::panic, sg::alert_level::critical};
    CHECK(h.say("u1", user, raised, 10) == V{"s1 alert.raised"});
    auto ack = harness::msg(T::alert_acknowledged);
    ack.body = sg::alert_body{"a-1"};
    CHECK(h.say("u1", user, ack, 20) == V{"!permission_denied"});
  }

  TEST_CASE(
      "memory store log keeps the newest entries; a resume before them is not_found") {
    auto s = sg::make_memory_store(2);
    for (int i = 1; i <= 3; ++i) {
      sg::message m;
      m.id = "m" + std::to_string(i);
      s->append_log("r", m);
    }
    CHECK_FALSE(s->log_after("r", "m1")); // fell out: the client must know
    REQUIRE(s->log_after("r", "m2"));
    CHECK(s->log_after("r", "m2")->size() == 1);
    CHECK(s->log_after("r", "")->size() == 2);
    CHECK(s->log_after("other", "")->empty());
    CHECK(s->next_sequence() == 1);
    CHECK(s->next_sequence() == 2);
  }

} // TEST_SUITE

TEST_SUITE("signal call table") {

  TEST_CASE(
      "every (state, event) appears at most once and terminal states have no rows") {
    const auto table = sg::call_transitions();
    REQUIRE(table.count > 0);
    std::set<std::pair<int, int>> seen;
    for (std::size_t i = 0; i < table.count; ++i) {
      const auto &r = table.rows[i];
      CHECK(seen.insert({int(r.from), int(r.event)}).second);
      CHECK_FALSE(sg::is_terminal(r.from));
      CHECK(sg::find_transition(r.from, r.event) == &r);
      CHECK(r.reason != nullptr);
      if (r.notice_to != sg::call_audience::none) {
        // A notice is a message the relay may write.
        CHECK(std::string(sg::to_string(r.notice)).rfind("call.", 0) == 0);
      }
    }
  }

  TEST_CASE("the lifecycle's main path and its ends") {
    using S = sg::call_state;
    using E = sg::call_event;
    auto next = [](S s, E e) {
      auto *r = sg::find_transition(s, e);
      REQUIRE(r);
      return r->to;
    };
    CHECK(next(S::requested, E::invite_sent) == S::invited);
    CHECK(next(S::invited, E::ringing) == S::ringing);
    CHECK(next(S::ringing, E::accept) == S::connected);
    CHECK(next(S::connected, E::end) == S::ended);
    CHECK(next(S::ringing, E::reject) == S::rejected);
    CHECK(next(S::requested, E::nobody_free) == S::busy);
    CHECK(next(S::invited, E::cancel) == S::cancelled);
    CHECK(next(S::ringing, E::ring_timeout) == S::timed_out);
    CHECK(next(S::connected, E::fail) == S::failed);
    CHECK(next(S::connected, E::participant_lost) == S::ended);
    CHECK(sg::find_transition(S::connected, E::accept) == nullptr);
    CHECK(sg::find_transition(S::ended, E::end) == nullptr);
    CHECK(std::string(sg::to_string(S::timed_out)) == "timed_out");
    CHECK(std::string(sg::to_string(E::ring_timeout)) == "ring_timeout");
  }

} // TEST_SUITE
