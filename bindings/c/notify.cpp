// extern "C" wrappers of webhook signing and delivery. See veteran/c/notify.h.
#include "veteran.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "detail/c_api.hpp"
#include "detail/store.hpp"
#include "util/secret.hpp"
#include "veteran/notify/dispatcher.hpp"
#include "veteran/notify/signature.hpp"

namespace {

using veteran::errc;
using veteran::error_info;
using veteran::c_api::guard;
using veteran::c_api::require;
namespace nt = veteran::notify;

std::string_view bytes(const uint8_t *p, size_t n) {
  return p ? std::string_view(reinterpret_cast<const char *>(p), n) : std::string_view();
}

} // namespace

extern "C" {

size_t veteran_webhook_signature_len(void) { return VETERAN_WEBHOOK_SIGNATURE_LEN; }

int veteran_webhook_sign(char *buf, size_t cap, size_t *out_len, const uint8_t *secret,
                         size_t secret_len, int64_t unix_seconds, const uint8_t *body,
                         size_t body_len) {
  return guard([&]() -> int {
    if (int rc = require(secret, "secret")) return rc;
    if (body_len && !body) return require(body, "body");
    auto h = nt::sign(bytes(secret, secret_len), unix_seconds, bytes(body, body_len));
    if (!h) return veteran::c_api::set_error(h.error());
    return veteran::c_api::write_text(*h, buf, cap, out_len);
  });
}

int veteran_webhook_verify(const char *header, const uint8_t *body, size_t body_len,
                           const uint8_t *secret, size_t secret_len,
                           const uint8_t *previous, size_t previous_len,
                           int64_t now_seconds, int64_t tolerance_seconds) {
  return guard([&]() -> int {
    if (int rc = require(header, "header")) return rc;
    if (int rc = require(secret, "secret")) return rc;
    if (body_len && !body) return require(body, "body");
    const auto tol =
        tolerance_seconds < 0 ? nt::default_tolerance_seconds : tolerance_seconds;
    auto r = nt::verify(header, bytes(body, body_len), bytes(secret, secret_len),
                        bytes(previous, previous ? previous_len : 0), now_seconds, tol);
    if (!r) return veteran::c_api::set_error(r.error());
    return 0;
  });
}

int veteran_outbox_deliver_once(veteran_deliver_summary *out, veteran_store *store,
                                const veteran_deliver_options *options) {
  return guard([&]() -> int {
    if (int rc = require(out, "out")) return rc;
    *out = veteran_deliver_summary{};
    if (int rc = require(store, "store")) return rc;
    if (int rc = require(options, "options")) return rc;
    if (options->version < 1 || options->version > VETERAN_DELIVER_OPTIONS_VERSION)
      return veteran::c_api::set_error(errc::invalid_argument,
                                       "options.version: unsupported");
    if (int rc = require(options->url, "options.url")) return rc;
    if (int rc = require(options->secret, "options.secret")) return rc;
    nt::dispatcher_options o;
    o.urls = {options->url};
    o.secret.assign(bytes(options->secret, options->secret_len));
    veteran::util::wipe_on_exit wipe{o.secret};
    if (options->max_attempts) o.backoff.max_attempts = options->max_attempts;
    if (options->backoff_base_ms) o.backoff.base_ms = options->backoff_base_ms;
    o.backoff.cap_ms = options->backoff_cap_ms
                           ? options->backoff_cap_ms
                           : std::max(o.backoff.cap_ms, o.backoff.base_ms);
    if (options->connect_timeout_ms) o.connect_timeout_ms = options->connect_timeout_ms;
    if (options->total_timeout_ms) o.total_timeout_ms = options->total_timeout_ms;
    auto d = nt::dispatcher::create(store->s, o);
    if (!d) return veteran::c_api::set_error(d.error());
    auto s = d->deliver_once();
    if (!s) return veteran::c_api::set_error(s.error());
    *out = veteran_deliver_summary{s->attempted, s->delivered, s->retrying, s->dead,
                                   s->lease_lost};
    return 0;
  });
}

} // extern "C"
