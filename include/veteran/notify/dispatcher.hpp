// veteran/notify/dispatcher.hpp — delivering the outbox to host webhooks.
//
// A dispatcher leases due outbox items from a store (see
// store::store::lease_deliveries), POSTs each as JSON to the configured
// webhook URL(s) and records the outcome in the store, so work continues
// across restarts and several dispatchers (threads or processes, each with its
// own dispatcher and store) never send the same item at the same time.
//
// Each request carries
//   Content-Type: application/json
//   Veteran-Delivery: <outbox seq>          stable across retries: the
//                                           receiver's idempotency key
//   Veteran-Signature: t=<unix s>,v1=<hex>  see veteran/notify/signature.hpp
// and the body
//   {"delivery":SEQ,"topic":"...","entity":"...","version":N,
//    "audience":"...","created_ms":MS,"payload":{...}}
//
// Success is a 2xx answer from any URL: the URLs are tried in order on each
// attempt (a primary and fallbacks) and the first 2xx wins. Anything else
// (another status, no connection, timeout, a response body over the bound,
// a redirect, which is never followed) fails the attempt. After attempt n
// fails, the item is due again after
//     min(cap, base * 2^(n-1)) * (1 - jitter * u),   u uniform in [0, 1)
// and after `max_attempts` failed attempts it is dead-lettered: in the same
// transaction a "delivery" entity is created (state "dead_lettered", with its
// audit record) and an escalation notification "delivery.dead_lettered"
// (audience "supervisor,admin") is appended to the outbox. An escalation
// that itself dies is audited but not escalated again.
//
// Delivery is at least once: a crash between a webhook's 2xx and the store
// write sends the item again after the lease expires, with the same
// Veteran-Delivery id.
//
// Ownership: the dispatcher shares the store; it copies the secret into its
// own memory and wipes it on destruction.
// Thread safety: one dispatcher must not be used from two threads at once
// (it owns one libcurl handle); use one dispatcher per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "veteran/clock.hpp"
#include "veteran/error.hpp"
#include "veteran/store/store.hpp"

VETERAN_NAMESPACE_BEGIN
namespace notify {

/// Retry schedule. Defaults: 10 s, 20 s, 40 s, ... capped at 15 min, 16
/// attempts (about 2 h 21 min from the first to the last attempt without
/// jitter, at least 1 h 53 min with it): longer than an hour's outage.
struct backoff_policy {
  std::int64_t base_ms = 10000;
  std::int64_t cap_ms = 900000;
  int max_attempts = 16;
  double jitter = 0.2; ///< fraction in [0, 1]; 0 = deterministic
};

/// The delay after the `failed_attempts`-th failure (1-based) for a given
/// `u` in [0, 1). Never negative; never above policy.cap_ms.
[[nodiscard]] std::int64_t backoff_delay_ms(const backoff_policy &policy,
                                            int failed_attempts, double u) noexcept;

struct dispatcher_options {
  std::vector<std::string> urls; ///< http:// or https://; at least one
  std::string secret;            ///< HMAC key (raw bytes); copied and wiped
  backoff_policy backoff;
  std::int64_t connect_timeout_ms = 5000;
  std::int64_t total_timeout_ms = 15000;  ///< per request, connect included
  std::size_t max_response_bytes = 65536; ///< a longer answer fails the attempt
  bool verify_tls = true; ///< only turn off in tests against self-signed servers
  /// How long a lease lasts; 0 = total_timeout_ms * urls * batch + 30 s
  /// (180 s with the defaults). Must exceed the time a batch can take to send;
  /// it is also how long a crashed dispatcher's items wait for another one.
  std::int64_t lease_ms = 0;
  std::size_t batch = 10;            ///< items leased per round
  std::string owner;                 ///< lease owner name; "" = a random id
  std::shared_ptr<const clock> time; ///< null = the system clock
};

/// What one deliver_once() call did.
struct deliver_summary {
  std::size_t attempted = 0, delivered = 0, retrying = 0, dead = 0;
  /// Items whose outcome could not be recorded because the lease was lost
  /// (another dispatcher took over after it expired).
  std::size_t lease_lost = 0;
};

class dispatcher {
public:
  /// Errors: invalid_argument naming the field (no urls, a URL not http(s),
  /// empty or over-long secret, timeouts <= 0, base/cap/attempts out of
  /// range, jitter outside [0, 1], batch 0, lease_ms too short),
  /// not_initialized.
  [[nodiscard]] static result<dispatcher> create(std::shared_ptr<store::store> store,
                                                 dispatcher_options options);
  dispatcher(dispatcher &&) noexcept;
  dispatcher &operator=(dispatcher &&) noexcept;
  ~dispatcher();

  /// Attempts every item due now (leasing in batches until none is due),
  /// once each, and records each outcome. Network failures are outcomes,
  /// not errors.
  /// Errors: the store's (database_error, timeout, ...); items already
  /// recorded stay recorded.
  [[nodiscard]] result<deliver_summary> deliver_once();

  /// The lease owner name (for logs).
  [[nodiscard]] const std::string &owner() const noexcept;

private:
  struct impl;
  explicit dispatcher(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> p_;
};

} // namespace notify
VETERAN_NAMESPACE_END
