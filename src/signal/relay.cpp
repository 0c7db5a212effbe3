// The relay: entry points, output building, presence, alerts and timers.
// Calls are in relay_calls.cpp, chat rooms in relay_chat.cpp.
#include <algorithm>

#include "signal/relay_impl.hpp"
#include "util/random.hpp"
#include "util/utf8.hpp"
#include "veteran/signal/codec.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

namespace detail {

void refuse(errc code, std::string why) { throw refused{code, std::move(why)}; }

bool is_staff(role r) noexcept { return r != role::user; }

} // namespace detail

using detail::refuse;

namespace {

bool is_supervising(role r) noexcept { return r == role::supervisor || r == role::admin; }

void check_peer_id(const std::string &id, const relay_options &opt) {
  if (id.empty()) refuse(errc::invalid_argument, "peer: \"id\" must not be empty");
  if (id.size() > max_id_bytes)
    refuse(errc::invalid_argument,
           "peer: \"id\" is longer than " + std::to_string(max_id_bytes) + " bytes");
  if (!util::valid_utf8(id))
    refuse(errc::invalid_argument, "peer: \"id\" is not valid UTF-8");
  if (id == opt.relay_id)
    refuse(errc::invalid_argument, "peer: \"id\" is reserved for the relay");
}

/// Types only the relay writes; a client sending one is refused.
bool relay_only(message_type t) noexcept {
  switch (t) {
  case message_type::call_invite:
  case message_type::call_timeout:
  case message_type::chat_offered:
  case message_type::chat_claimed:
  case message_type::chat_accepted:
  case message_type::error:
    return true;
  default:
    return false;
  }
}

bool starts_with(const char *s, std::string_view prefix) {
  return std::string_view(s).substr(0, prefix.size()) == prefix;
}

} // namespace

// ---- output ----------------------------------------------------------------------

message relay::impl::make(message_type t, const std::string &from, timestamp_ms now) {
  message m;
  m.type = t;
  m.id = "m" + std::to_string(store->next_sequence());
  m.ts = now;
  m.from = from;
  m.body = default_body(t);
  return m;
}

message relay::impl::forward(const message &in, const std::string &from,
                             timestamp_ms now) {
  message m = in;
  m.id = "m" + std::to_string(store->next_sequence());
  m.ts = now;
  m.from = from;
  m.to.reset();
  return m;
}

bool relay::impl::is_connected(const std::string &id) {
  auto p = store->get_peer(id);
  return p && p->connected;
}

void relay::impl::send(relay_result &out, const std::string &to, const message &m) {
  if (is_connected(to)) out.deliveries.push_back({to, m});
}

std::string relay::impl::issue(issued_kind kind, relay_result &out) {
  auto id = util::random_id(16);
  if (!id) throw error(id.error().code, id.error().message);
  out.issued.push_back({kind, *id});
  return *id;
}

delivery relay::impl::error_to(const std::string &to, errc code, const std::string &why,
                               const std::optional<std::string> &ref, timestamp_ms now) {
  message m = make(message_type::error, opt.relay_id, now);
  m.body = error_body{errc_name(code), why.substr(0, max_text_bytes), ref};
  return {to, std::move(m)};
}

timestamp_ms relay::impl::clamp(timestamp_ms now) {
  latest = std::max(latest, now);
  return latest;
}

// ---- peers -----------------------------------------------------------------------

peer_record relay::impl::connected_sender(const peer &sender) {
  auto p = store->get_peer(sender.id);
  if (!p || !p->connected) refuse(errc::invalid_state, "sender is not connected");
  if (p->role != sender.role)
    refuse(errc::permission_denied,
           "sender's role differs from the role it connected with");
  return *p;
}

std::vector<std::string> relay::impl::free_staff(bool (*wanted)(role),
                                                 const std::string &except) {
  std::vector<std::string> ids;
  for (const auto &p : store->list_peers())
    if (p.connected && wanted(p.role) && p.status == presence_status::available &&
        p.id != except && !engaged(p.id))
      ids.push_back(p.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool relay::impl::engaged(const std::string &id) {
  for (const auto &c : store->list_calls()) {
    if (c.caller == id || c.callee == id) return true;
    if (c.direct && !c.invitees.empty() && c.invitees.front() == id) return true;
  }
  return false;
}

void relay::impl::tell_supervisors(const std::string &except, const message &m,
                                   relay_result &out) {
  std::vector<std::string> ids;
  for (const auto &p : store->list_peers())
    if (p.connected && is_supervising(p.role) && p.id != except) ids.push_back(p.id);
  std::sort(ids.begin(), ids.end());
  for (const auto &id : ids)
    send(out, id, m);
}

void relay::impl::on_presence(const peer_record &s, const message &m, timestamp_ms now,
                              relay_result &out) {
  peer_record target = s;
  if (m.to && *m.to != s.id) {
    if (m.type != message_type::presence_status)
      refuse(errc::invalid_argument,
             "envelope: \"to\" is allowed only on presence.status");
    if (s.role != role::admin)
      refuse(errc::permission_denied, "only the owner or an admin may change a status");
    auto t = store->get_peer(*m.to);
    if (!t) refuse(errc::not_found, "envelope: \"to\" is not a known peer");
    target = *t;
  }
  if (auto *b = std::get_if<presence_online_body>(&m.body)) {
    if (b->role != s.role)
      refuse(errc::permission_denied,
             "body: \"role\" does not match the role the host authenticated");
    target.status = b->status;
  } else if (auto *st = std::get_if<presence_status_body>(&m.body)) {
    target.status = st->status;
  }
  store->put_peer(target);
  message fwd = forward(m, s.id, now);
  if (target.id != s.id) {
    fwd.to = target.id;
    send(out, target.id, fwd);
  }
  if (detail::is_staff(target.role)) tell_supervisors(s.id, fwd, out);
  if (target.status == presence_status::available) offer_pending(target, now, out);
}

void relay::impl::on_alert(const peer_record &s, const message &m, timestamp_ms now,
                           relay_result &out) {
  if (m.type != message_type::alert_raised && !detail::is_staff(s.role))
    refuse(errc::permission_denied,
           std::string("only staff may send ") + to_string(m.type));
  tell_supervisors(s.id, forward(m, s.id, now), out);
}

// ---- timers ----------------------------------------------------------------------

void relay::impl::run_timers(timestamp_ms now, relay_result &out) {
  ring_timeouts(now, out);
  std::vector<peer_record> lost;
  for (auto &p : store->list_peers())
    if (!p.connected && p.dropped_at && *p.dropped_at + opt.reconnect_grace_ms <= now)
      lost.push_back(p);
  std::sort(lost.begin(), lost.end(), [](const peer_record &a, const peer_record &b) {
    return std::tie(*a.dropped_at, a.id) < std::tie(*b.dropped_at, b.id);
  });
  for (auto &p : lost) {
    p.dropped_at.reset();
    store->put_peer(p);
    peer_lost(p.id, now, out);
  }
}

// ---- entry points ----------------------------------------------------------------

relay::relay(relay_options options, std::unique_ptr<relay_store> store)
    : impl_(std::make_unique<impl>()) {
  if (options.ring_timeout_ms <= 0)
    throw error(errc::invalid_argument,
                "relay_options: ring_timeout_ms must be positive");
  if (options.reconnect_grace_ms <= 0)
    throw error(errc::invalid_argument,
                "relay_options: reconnect_grace_ms must be positive");
  if (options.relay_id.empty() || options.relay_id.size() > max_id_bytes ||
      !util::valid_utf8(options.relay_id))
    throw error(errc::invalid_argument, "relay_options: relay_id must be a valid id");
  if (!store) throw error(errc::invalid_argument, "relay: store must not be null");
  impl_->opt = std::move(options);
  impl_->store = std::move(store);
}

relay::~relay() = default;

relay_store &relay::store() noexcept { return *impl_->store; }
const relay_options &relay::options() const noexcept { return impl_->opt; }

relay_result relay::connect(const peer &p, timestamp_ms now) {
  relay_result out;
  now = impl_->clamp(now);
  impl_->run_timers(now, out);
  try {
    check_peer_id(p.id, impl_->opt);
  } catch (const detail::refused &r) {
    out.rejection = impl_->error_to(p.id.empty() ? impl_->opt.relay_id : p.id, r.code,
                                    r.why, std::nullopt, now);
    return out;
  }
  peer_record rec =
      impl_->store->get_peer(p.id).value_or(peer_record{p.id, p.role, {}, {}, {}});
  rec.role = p.role;
  rec.connected = true;
  rec.dropped_at.reset();
  impl_->store->put_peer(rec);
  if (rec.status == presence_status::available && detail::is_staff(rec.role))
    impl_->offer_pending(rec, now, out);
  return out;
}

relay_result relay::disconnect(std::string_view peer_id, timestamp_ms now) {
  relay_result out;
  now = impl_->clamp(now);
  impl_->run_timers(now, out);
  auto rec = impl_->store->get_peer(peer_id);
  if (!rec || !rec->connected) {
    out.rejection =
        impl_->error_to(std::string(peer_id), errc::not_found,
                        "disconnect: the peer is not connected", std::nullopt, now);
    return out;
  }
  rec->connected = false;
  rec->dropped_at = now;
  impl_->store->put_peer(*rec);
  return out;
}

relay_result relay::handle(const peer &sender, std::string_view json, timestamp_ms now) {
  codec_error err;
  auto m = decode(json, err);
  if (m) return handle(sender, *m, now);
  relay_result out;
  now = impl_->clamp(now);
  impl_->run_timers(now, out);
  out.rejection = impl_->error_to(sender.id, m.code(), m.message(), std::nullopt, now);
  return out;
}

relay_result relay::handle(const peer &sender, const message &m, timestamp_ms now) {
  relay_result out;
  now = impl_->clamp(now);
  impl_->run_timers(now, out);
  try {
    codec_error err;
    if (auto v = validate(m, err); !v) refuse(v.code(), v.message());
    const peer_record s = impl_->connected_sender(sender);
    const char *name = to_string(m.type);
    if (relay_only(m.type))
      refuse(errc::permission_denied, std::string("only the relay sends ") + name);
    if (m.type == message_type::call_request)
      impl_->on_call_request(s, m, now, out);
    else if (starts_with(name, "call."))
      impl_->on_call(s, m, now, out);
    else if (starts_with(name, "rtc."))
      impl_->on_rtc(s, m, now, out);
    else if (m.type == message_type::chat_request)
      impl_->on_chat_request(s, m, now, out);
    else if (m.type == message_type::chat_claim)
      impl_->on_chat_claim(s, m, now, out);
    else if (starts_with(name, "chat."))
      impl_->on_room(s, m, now, out);
    else if (starts_with(name, "presence."))
      impl_->on_presence(s, m, now, out);
    else
      impl_->on_alert(s, m, now, out);
  } catch (const detail::refused &r) {
    out.rejection = impl_->error_to(sender.id, r.code, r.why, m.id, now);
  }
  return out;
}

relay_result relay::resume(const peer &p, std::string_view room_id,
                           std::string_view last_seen_id, timestamp_ms now) {
  relay_result out;
  now = impl_->clamp(now);
  impl_->run_timers(now, out);
  try {
    const peer_record s = impl_->connected_sender(p);
    auto room = impl_->store->get_room(room_id);
    if (!room) refuse(errc::not_found, "resume: unknown room");
    if (std::find(room->members.begin(), room->members.end(), s.id) ==
        room->members.end())
      refuse(errc::permission_denied, "resume: only members may read a room");
    auto missed = impl_->store->log_after(room_id, last_seen_id);
    if (!missed)
      refuse(errc::not_found, "resume: the last seen id is not in the room's log");
    for (const auto &m : *missed) {
      // Exactly what the member would have received live: its own read
      // receipts went only to the others.
      if (m.type == message_type::chat_read && m.from == s.id) continue;
      out.deliveries.push_back({s.id, m});
    }
  } catch (const detail::refused &r) {
    out.rejection = impl_->error_to(p.id, r.code, r.why, std::nullopt, now);
  }
  return out;
}

relay_result relay::due(timestamp_ms now) {
  relay_result out;
  impl_->run_timers(impl_->clamp(now), out);
  return out;
}

std::optional<timestamp_ms> relay::next_due() {
  std::optional<timestamp_ms> next;
  auto consider = [&](timestamp_ms t) { next = next ? std::min(*next, t) : t; };
  for (const auto &c : impl_->store->list_calls())
    if (c.state == call_state::invited || c.state == call_state::ringing)
      consider(c.invited_at + impl_->opt.ring_timeout_ms);
  for (const auto &p : impl_->store->list_peers())
    if (!p.connected && p.dropped_at)
      consider(*p.dropped_at + impl_->opt.reconnect_grace_ms);
  return next;
}

} // namespace signal
VETERAN_NAMESPACE_END
