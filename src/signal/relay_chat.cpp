// The relay's chat: chat.request (a room and a request, offered to free
// staff), chat.claim (the first wins), and messages inside a room (members
// only, logged for resume()).
#include <algorithm>

#include "signal/relay_impl.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

using detail::refuse;

namespace {

bool is_counsellor(role r) noexcept { return r == role::counsellor; }
bool is_peer(role r) noexcept { return r == role::peer; }
bool counsellor_or_peer(role r) noexcept { return is_counsellor(r) || is_peer(r); }

auto eligibility(preferred_staff p) noexcept -> bool (*)(role) {
  switch (p) {
  case preferred_staff::counsellor:
    return is_counsellor;
  case preferred_staff::peer:
    return is_peer;
  case preferred_staff::any:
    break;
  }
  return counsellor_or_peer;
}

bool member(const room_record &r, const std::string &id) {
  return std::find(r.members.begin(), r.members.end(), id) != r.members.end();
}

} // namespace

void relay::impl::post(const room_record &room, const message &m, relay_result &out,
                       const std::string &skip) {
  if (m.type != message_type::chat_typing) store->append_log(room.id, m);
  for (const auto &id : room.members)
    if (id != skip) send(out, id, m);
}

void relay::impl::on_chat_request(const peer_record &s, const message &m,
                                  timestamp_ms now, relay_result &out) {
  if (m.room_id)
    refuse(errc::invalid_argument,
           "envelope: \"room_id\" is issued by the relay; leave it out of chat.request");
  if (m.to)
    refuse(errc::invalid_argument, "envelope: \"to\" is not allowed on chat.request");
  const auto &asked = std::get<chat_request_body>(m.body);
  chat_request_record req;
  req.id = issue(issued_kind::request, out);
  req.seq = store->next_sequence();
  req.requester = s.id;
  req.room_id = issue(issued_kind::room, out);
  req.preferred = asked.preferred;
  store->put_room(room_record{req.room_id, {s.id}, true});
  store->put_request(req);
  // The requester learns its room from its own request, echoed.
  message echo = forward(m, s.id, now);
  echo.room_id = req.room_id;
  send(out, s.id, echo);
  for (const auto &id : free_staff(eligibility(asked.preferred), s.id)) {
    auto p = store->get_peer(id);
    offer_pending(*p, now, out);
  }
}

void relay::impl::offer_pending(const peer_record &p, timestamp_ms now,
                                relay_result &out) {
  if (!p.connected || p.status != presence_status::available || engaged(p.id)) return;
  auto reqs = store->list_requests();
  std::sort(reqs.begin(), reqs.end(),
            [](const chat_request_record &a, const chat_request_record &b) {
              return a.seq < b.seq;
            });
  for (auto &r : reqs) {
    if (!r.claimed_by.empty() || r.requester == p.id ||
        !eligibility(r.preferred)(p.role) ||
        std::find(r.offered.begin(), r.offered.end(), p.id) != r.offered.end())
      continue;
    auto room = store->get_room(r.room_id);
    if (!room || !room->open) continue;
    r.offered.push_back(p.id);
    store->put_request(r);
    message offer = make(message_type::chat_offered, opt.relay_id, now);
    offer.room_id = r.room_id;
    offer.body = request_body{r.id};
    send(out, p.id, offer);
  }
}

void relay::impl::on_chat_claim(const peer_record &s, const message &m, timestamp_ms now,
                                relay_result &out) {
  const auto &rid = std::get<request_body>(m.body).request_id;
  auto req = store->get_request(rid);
  if (!req) refuse(errc::not_found, "body: \"request_id\" is not a chat request");
  if (std::find(req->offered.begin(), req->offered.end(), s.id) == req->offered.end())
    refuse(errc::permission_denied,
           "chat.claim: the request was not offered to the sender");
  if (req->room_id != *m.room_id)
    refuse(errc::invalid_argument, "envelope: \"room_id\" is not the request's room");
  if (!req->claimed_by.empty())
    refuse(errc::conflict, "chat.claim: the request was already claimed");
  auto room = store->get_room(req->room_id);
  if (!room || !room->open) refuse(errc::invalid_state, "chat.claim: the chat has ended");

  req->claimed_by = s.id;
  store->put_request(*req);
  room->members.push_back(s.id);
  store->put_room(*room);

  message accepted = make(message_type::chat_accepted, s.id, now);
  accepted.room_id = room->id;
  accepted.body = request_body{req->id};
  post(*room, accepted, out);
  message claimed = make(message_type::chat_claimed, opt.relay_id, now);
  claimed.room_id = room->id;
  claimed.body = chat_claimed_body{req->id, s.id};
  for (const auto &id : req->offered)
    if (id != s.id) send(out, id, claimed);
}

void relay::impl::on_room(const peer_record &s, const message &m, timestamp_ms now,
                          relay_result &out) {
  auto room = store->get_room(*m.room_id);
  if (!room) refuse(errc::not_found, "envelope: \"room_id\" is not a room");
  if (!member(*room, s.id))
    refuse(errc::permission_denied, "chat: only members may post to a room");
  if (!room->open) refuse(errc::invalid_state, "chat: the chat has ended");
  const message fwd = forward(m, s.id, now);
  switch (m.type) {
  case message_type::chat_typing:
  case message_type::chat_read:
    post(*room, fwd, out, s.id);
    return;
  case message_type::chat_leave:
    post(*room, fwd, out);
    room->members.erase(std::remove(room->members.begin(), room->members.end(), s.id),
                        room->members.end());
    store->put_room(*room);
    return;
  case message_type::chat_end:
    post(*room, fwd, out);
    room->open = false;
    store->put_room(*room);
    return;
  default: // chat.message: everyone, the sender too (it learns the log id)
    post(*room, fwd, out);
  }
}

} // namespace signal
VETERAN_NAMESPACE_END
