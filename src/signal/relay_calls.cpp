// The relay's calls: call.request, the other call.* events through the state
// table (veteran/signal/call.hpp), rtc.* with glare, ring timeouts and the
// reconnect grace.
#include <algorithm>

#include "signal/relay_impl.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

using detail::refuse;

namespace {

bool takes_calls(role r) noexcept { return r == role::counsellor || r == role::peer; }

bool contains(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool before_answer(call_state s) noexcept {
  return s == call_state::invited || s == call_state::ringing;
}

std::vector<std::string> callees_of(const call_record &c) {
  if (!c.callee.empty()) return {c.callee};
  return c.invitees;
}

/// The recipients of `a` for call `c` (as it was before the event), when
/// `actor` caused the event.
std::vector<std::string> audience(const call_record &c, call_audience a,
                                  const std::string &actor) {
  switch (a) {
  case call_audience::none:
    return {};
  case call_audience::caller:
    return {c.caller};
  case call_audience::callees:
    return callees_of(c);
  case call_audience::other_party:
    return actor == c.caller ? callees_of(c) : std::vector<std::string>{c.caller};
  case call_audience::other_invitees: {
    std::vector<std::string> out;
    for (const auto &i : c.invitees)
      if (i != actor) out.push_back(i);
    return out;
  }
  case call_audience::everyone: {
    auto out = callees_of(c);
    out.insert(out.begin(), c.caller);
    return out;
  }
  }
  return {};
}

} // namespace

std::vector<call_record> relay::impl::calls_in_order() {
  auto calls = store->list_calls();
  std::sort(calls.begin(), calls.end(),
            [](const call_record &a, const call_record &b) { return a.seq < b.seq; });
  return calls;
}

void relay::impl::apply(call_record c, call_event e, const std::string &actor,
                        const message *trigger, timestamp_ms now, relay_result &out) {
  const call_transition *row = find_transition(c.state, e);
  if (!row)
    refuse(errc::invalid_state,
           std::string("call: not allowed while the call is ") + to_string(c.state));
  const call_record before = c;
  c.state = row->to;
  if (e == call_event::accept) {
    c.callee = actor;
    c.invitees.clear();
  } else if (e == call_event::decline_one) {
    c.invitees.erase(std::remove(c.invitees.begin(), c.invitees.end(), actor),
                     c.invitees.end());
  } else if (e == call_event::invite_sent) {
    c.invited_at = now;
  }
  if (is_terminal(c.state))
    store->erase_call(c.id);
  else
    store->put_call(c);

  if (trigger) {
    const message fwd = forward(*trigger, actor, now);
    for (const auto &to : audience(before, row->forward_to, actor))
      send(out, to, fwd);
  }
  if (row->notice_to == call_audience::none) return;
  // call.invite comes from the caller, so the callee sees who is calling.
  const bool invite = row->notice == message_type::call_invite;
  message n = make(row->notice, invite ? c.caller : opt.relay_id, now);
  n.call_id = c.id;
  if (invite) n.body = media_body{c.media};
  if (auto *r = std::get_if<reason_body>(&n.body)) r->reason = row->reason;
  for (const auto &to : audience(invite ? c : before, row->notice_to, actor))
    send(out, to, n);
}

void relay::impl::on_call_request(const peer_record &s, const message &m,
                                  timestamp_ms now, relay_result &out) {
  if (m.call_id)
    refuse(errc::invalid_argument,
           "envelope: \"call_id\" is issued by the relay; leave it out of call.request");
  if (engaged(s.id))
    refuse(errc::invalid_state, "call.request: the sender is already in a call");
  std::vector<std::string> callees;
  bool reachable = true;
  if (m.to) {
    if (!detail::is_staff(s.role))
      refuse(errc::permission_denied,
             "envelope: only staff may call a peer directly (\"to\")");
    auto t = store->get_peer(*m.to);
    if (!t) refuse(errc::not_found, "envelope: \"to\" is not a known peer");
    if (t->id == s.id) refuse(errc::invalid_argument, "envelope: \"to\" is the sender");
    reachable = t->connected && !engaged(t->id) &&
                (!detail::is_staff(t->role) || t->status == presence_status::available);
    callees.push_back(t->id);
  } else {
    callees = free_staff(takes_calls, s.id);
    reachable = !callees.empty();
  }

  call_record c;
  c.id = issue(issued_kind::call, out);
  c.seq = store->next_sequence();
  c.direct = m.to.has_value();
  c.media = std::get<media_body>(m.body).media;
  c.caller = s.id;
  c.invitees = callees;
  // The caller learns the call's id from its own request, echoed.
  message echo = forward(m, s.id, now);
  echo.call_id = c.id;
  send(out, s.id, echo);
  apply(c, reachable ? call_event::invite_sent : call_event::nobody_free, s.id, nullptr,
        now, out);
}

void relay::impl::on_call(const peer_record &s, const message &m, timestamp_ms now,
                          relay_result &out) {
  auto c = store->get_call(*m.call_id);
  if (!c) refuse(errc::not_found, "envelope: \"call_id\" is not a call in progress");
  const bool caller = c->caller == s.id;
  const bool callee = c->callee == s.id || contains(c->invitees, s.id);
  if (!caller && !callee)
    refuse(errc::permission_denied, "call: the sender is not a participant of this call");
  const char *name = to_string(m.type);
  auto need = [&](bool ok, const char *who) {
    if (!ok)
      refuse(errc::permission_denied,
             std::string("call: only ") + who + " may send " + name);
  };
  const bool last = c->invitees.size() <= 1;
  call_event e = call_event::fail;
  switch (m.type) {
  case message_type::call_ringing:
    need(callee, "the callee");
    e = call_event::ringing;
    break;
  case message_type::call_accept:
    need(callee, "the callee");
    e = call_event::accept;
    break;
  case message_type::call_reject:
    need(callee, "the callee");
    e = last || !before_answer(c->state) ? call_event::reject : call_event::decline_one;
    break;
  case message_type::call_busy:
    need(callee, "the callee");
    e = last || !before_answer(c->state) ? call_event::busy : call_event::decline_one;
    break;
  case message_type::call_cancel:
    need(caller, "the caller");
    e = call_event::cancel;
    break;
  case message_type::call_end:
    e = call_event::end;
    break;
  case message_type::call_failed:
    // One of several invitees failing leaves the others ringing.
    e = callee && !last && before_answer(c->state) ? call_event::decline_one
                                                   : call_event::fail;
    break;
  default:
    refuse(errc::invalid_argument, std::string("call: unexpected ") + name);
  }
  apply(*c, e, s.id, &m, now, out);
}

void relay::impl::on_rtc(const peer_record &s, const message &m, timestamp_ms now,
                         relay_result &out) {
  auto c = store->get_call(*m.call_id);
  if (!c) refuse(errc::not_found, "envelope: \"call_id\" is not a call in progress");
  if (c->caller != s.id && c->callee != s.id)
    refuse(errc::permission_denied, "rtc: the sender is not a participant of this call");
  if (c->state != call_state::connected)
    refuse(errc::invalid_state, "rtc: allowed only once the call is connected");
  const std::string &other = c->caller == s.id ? c->callee : c->caller;
  if (m.type == message_type::rtc_offer) {
    // Glare: both sides offered. The caller's offer wins, whichever arrived
    // first; the callee must roll back and answer it.
    if (c->offer_from == other && s.id != c->caller)
      refuse(errc::conflict, "rtc.offer: glare; the caller's offer stands, answer it");
    c->offer_from = s.id;
  } else if (m.type == message_type::rtc_answer) {
    if (c->offer_from != other)
      refuse(errc::invalid_state,
             "rtc.answer: there is no offer from the other participant");
    c->offer_from.clear();
  }
  store->put_call(*c);
  send(out, other, forward(m, s.id, now));
}

void relay::impl::ring_timeouts(timestamp_ms now, relay_result &out) {
  for (auto &c : calls_in_order())
    if (before_answer(c.state) && c.invited_at + opt.ring_timeout_ms <= now)
      apply(c, call_event::ring_timeout, opt.relay_id, nullptr, now, out);
}

void relay::impl::peer_lost(const std::string &id, timestamp_ms now, relay_result &out) {
  for (auto &c : calls_in_order()) {
    call_event e;
    if (c.caller == id)
      e = c.state == call_state::connected ? call_event::participant_lost
                                           : call_event::caller_lost;
    else if (c.callee == id)
      e = call_event::participant_lost;
    else if (contains(c.invitees, id))
      e = c.invitees.size() > 1 ? call_event::decline_one : call_event::callee_lost;
    else
      continue;
    apply(c, e, id, nullptr, now, out);
  }
}

} // namespace signal
VETERAN_NAMESPACE_END
