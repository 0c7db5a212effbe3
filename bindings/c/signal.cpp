// extern "C" wrappers for the signalling codec and the relay.
#include <algorithm>
#include <cstring>
#include <string>

#include "detail/c_api.hpp"
#include "veteran.h"
#include "veteran/signal.hpp"

namespace sg = veteran::signal;
using veteran::errc;
using veteran::c_api::guard;
using veteran::c_api::require;
using veteran::c_api::write_text;

struct veteran_relay {
  explicit veteran_relay(sg::relay_options o) : relay(std::move(o)) {}
  sg::relay relay;
  std::string output; // the last step's output, until the next step
};

namespace {

veteran::result<sg::role> role_from(int role) {
  if (role < VETERAN_ROLE_USER || role > VETERAN_ROLE_ADMIN)
    return {errc::invalid_argument, "role: not one of the VETERAN_ROLE_* values"};
  return static_cast<sg::role>(role);
}

/// Runs one relay step: clears the kept output, runs `fn` (which returns a
/// relay_result) and keeps its JSON.
template <class Fn> int step(veteran_relay *r, size_t *out_len, Fn &&fn) {
  if (int rc = require(r, "relay")) return rc;
  if (out_len) *out_len = 0;
  r->output.clear();
  return guard([&]() -> veteran::result<void> {
    auto res = fn();
    if (!res) return res.error();
    r->output = sg::to_json(*res);
    if (out_len) *out_len = r->output.size();
    return {};
  });
}

} // namespace

extern "C" {

int veteran_signal_canonical(char *buf, size_t cap, size_t *out_len, const char *json,
                             size_t len, char *field_buf, size_t field_cap) {
  if (!json && len) return require(nullptr, "json");
  if (field_buf && field_cap) field_buf[0] = '\0';
  return guard([&]() -> int {
    sg::codec_error err;
    auto m = sg::decode(json ? std::string_view(json, len) : std::string_view(), err);
    if (!m) {
      if (field_buf && field_cap) {
        const size_t n = std::min(err.field.size(), field_cap - 1);
        std::memcpy(field_buf, err.field.data(), n);
        field_buf[n] = '\0';
      }
      return veteran::c_api::set_error(m.error());
    }
    return write_text(sg::encode(*m), buf, cap, out_len);
  });
}

int veteran_relay_new(veteran_relay **out, const veteran_relay_options *options) {
  if (int rc = require(out, "out")) return rc;
  *out = nullptr;
  return guard([&]() -> veteran::result<void> {
    sg::relay_options o;
    if (options) {
      if (options->version != VETERAN_RELAY_OPTIONS_VERSION)
        return {errc::invalid_argument, "options: unknown version"};
      if (options->ring_timeout_ms < 0 || options->reconnect_grace_ms < 0)
        return {errc::invalid_argument, "options: times must not be negative"};
      if (options->ring_timeout_ms) o.ring_timeout_ms = options->ring_timeout_ms;
      if (options->reconnect_grace_ms) o.reconnect_grace_ms = options->reconnect_grace_ms;
    }
    *out = new veteran_relay(std::move(o));
    return {};
  });
}

void veteran_relay_free(veteran_relay *relay) { delete relay; }

int veteran_relay_connect(veteran_relay *relay, const char *peer_id, int role,
                          int64_t now_ms, size_t *out_len) {
  return step(relay, out_len, [&]() -> veteran::result<sg::relay_result> {
    if (!peer_id) return {errc::invalid_argument, "peer_id: must not be NULL"};
    auto r = role_from(role);
    if (!r) return r.error();
    return relay->relay.connect({peer_id, *r}, now_ms);
  });
}

int veteran_relay_disconnect(veteran_relay *relay, const char *peer_id, int64_t now_ms,
                             size_t *out_len) {
  return step(relay, out_len, [&]() -> veteran::result<sg::relay_result> {
    if (!peer_id) return {errc::invalid_argument, "peer_id: must not be NULL"};
    return relay->relay.disconnect(peer_id, now_ms);
  });
}

int veteran_relay_handle(veteran_relay *relay, const char *peer_id, int role,
                         const char *json, size_t len, int64_t now_ms, size_t *out_len) {
  return step(relay, out_len, [&]() -> veteran::result<sg::relay_result> {
    if (!peer_id) return {errc::invalid_argument, "peer_id: must not be NULL"};
    if (!json && len) return {errc::invalid_argument, "json: NULL with a length"};
    auto r = role_from(role);
    if (!r) return r.error();
    return relay->relay.handle(
        {peer_id, *r}, json ? std::string_view(json, len) : std::string_view(), now_ms);
  });
}

int veteran_relay_resume(veteran_relay *relay, const char *peer_id, int role,
                         const char *room_id, const char *last_seen_id, int64_t now_ms,
                         size_t *out_len) {
  return step(relay, out_len, [&]() -> veteran::result<sg::relay_result> {
    if (!peer_id || !room_id || !last_seen_id)
      return {errc::invalid_argument, "peer_id, room_id, last_seen_id: must not be NULL"};
    auto r = role_from(role);
    if (!r) return r.error();
    return relay->relay.resume({peer_id, *r}, room_id, last_seen_id, now_ms);
  });
}

int veteran_relay_due(veteran_relay *relay, int64_t now_ms, size_t *out_len) {
  return step(relay, out_len, [&]() -> veteran::result<sg::relay_result> {
    return relay->relay.due(now_ms);
  });
}

int veteran_relay_output(char *buf, size_t cap, size_t *out_len,
                         const veteran_relay *relay) {
  if (int rc = require(relay, "relay")) return rc;
  return guard([&] { return write_text(relay->output, buf, cap, out_len); });
}

int veteran_relay_next_due(veteran_relay *relay, int *out_has, int64_t *out_ms) {
  if (int rc = require(relay, "relay")) return rc;
  if (int rc = require(out_has, "out_has")) return rc;
  if (int rc = require(out_ms, "out_ms")) return rc;
  return guard([&] {
    auto next = relay->relay.next_due();
    *out_has = next ? 1 : 0;
    *out_ms = next ? *next : 0;
  });
}

} // extern "C"
