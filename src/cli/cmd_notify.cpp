// `veteran outbox deliver|dead|retry` and `veteran webhook sign|verify`.
// Secrets are read from owner-only files and never printed: not in output,
// not in errors.
#include "cli/cmd_notify.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include <boost/json.hpp>

#include "util/file.hpp"
#include "util/json_write.hpp"
#include "util/secret.hpp"
#include "veteran/notify/dispatcher.hpp"
#include "veteran/notify/signature.hpp"

namespace veteran::cli {

namespace json = boost::json;

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

/// The whole file, one trailing "\n" or "\r\n" removed (secret files are
/// usually written by `echo` or an editor). The file must be owner-only.
result<std::string> read_secret(const std::string &path, const char *what) {
  util::read_file_options o;
  o.max_bytes = notify::max_secret_bytes + 2;
  o.owner_only = true;
  auto s = util::read_file(path, what, o);
  if (!s) return s.error();
  if (!s->empty() && s->back() == '\n') s->pop_back();
  if (!s->empty() && s->back() == '\r') s->pop_back();
  if (s->empty())
    return error_info{errc::invalid_argument, std::string(what) + " " + path + ": empty"};
  return s;
}

int print_json(const char *name, const json::value &v) {
  std::cout << util::write_json(v) << "\n";
  return finish_stdout(name);
}

json::object summary_json(const notify::deliver_summary &s) {
  return json::object{{"attempted", s.attempted},
                      {"delivered", s.delivered},
                      {"retrying", s.retrying},
                      {"dead", s.dead},
                      {"lease_lost", s.lease_lost}};
}

int run_deliver(const args &a, std::shared_ptr<store::store> db) {
  const bool once = a.flag("once"), loop = a.flag("loop");
  if (once == loop)
    throw usage_error("outbox deliver: give exactly one of --once or --loop");
  notify::dispatcher_options o;
  o.urls.push_back(a.required("url"));
  if (auto f = a.value("fallback-url")) o.urls.push_back(*f);
  if (auto n = a.integer("max-attempts", 1, 1000))
    o.backoff.max_attempts = static_cast<int>(*n);
  if (auto n = a.integer("backoff-ms", 1, 86400000)) o.backoff.base_ms = *n;
  if (auto n = a.integer("backoff-cap-ms", 1, 604800000))
    o.backoff.cap_ms = *n;
  else
    o.backoff.cap_ms = std::max(o.backoff.cap_ms, o.backoff.base_ms);
  if (o.backoff.cap_ms < o.backoff.base_ms)
    throw usage_error("--backoff-cap-ms must be at least --backoff-ms");
  if (auto n = a.integer("timeout-ms", 1, 3600000)) o.total_timeout_ms = *n;
  if (auto n = a.integer("connect-timeout-ms", 1, 3600000)) o.connect_timeout_ms = *n;
  const auto poll_ms = a.integer("poll-ms", 1, 3600000).value_or(1000);
  auto secret = read_secret(a.required("secret-file"), "secret file");
  if (!secret) return fail("outbox", secret.error());
  o.secret = std::move(*secret);
  util::wipe_on_exit wipe{o.secret};
  auto d = notify::dispatcher::create(std::move(db), o);
  if (!d) return fail("outbox", d.error());
  if (once) {
    auto s = d->deliver_once();
    if (!s) return fail("outbox", s.error());
    return print_json("outbox", summary_json(*s));
  }
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  notify::deliver_summary total;
  while (!g_stop) {
    auto s = d->deliver_once();
    if (!s) return fail("outbox", s.error());
    total.attempted += s->attempted;
    total.delivered += s->delivered;
    total.retrying += s->retrying;
    total.dead += s->dead;
    total.lease_lost += s->lease_lost;
    // Sleep in short slices so a signal ends the loop promptly.
    for (long long slept = 0; slept < poll_ms && !g_stop; slept += 20)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto o2 = summary_json(total);
  o2["stopped"] = "signal";
  return print_json("outbox", o2);
}

json::object delivery_json(const store::delivery &d) {
  return json::object{{"seq", d.item.seq},         {"entity", d.item.entity_id},
                      {"topic", d.item.topic},     {"status", store::to_string(d.status)},
                      {"attempts", d.attempts},    {"last_error", d.last_error},
                      {"updated_ms", d.updated_ms}};
}

} // namespace

std::vector<option_spec> outbox_delivery_options() {
  return {
      {"url", true, "deliver: webhook URL (http:// or https://)"},
      {"fallback-url", true, "deliver: tried when --url fails on an attempt"},
      {"secret-file", true, "deliver: owner-only file holding the signing secret"},
      {"once", false, "deliver: attempt every item due now, then exit"},
      {"loop", false, "deliver: keep delivering until SIGINT/SIGTERM"},
      {"max-attempts", true, "deliver: attempts before dead-lettering (default 16)"},
      {"backoff-ms", true, "deliver: first retry delay in ms (default 10000)"},
      {"backoff-cap-ms", true, "deliver: longest retry delay in ms (default 900000)"},
      {"timeout-ms", true, "deliver: total time per request in ms (default 15000)"},
      {"connect-timeout-ms", true, "deliver: connect timeout in ms (default 5000)"},
      {"poll-ms", true, "deliver --loop: pause between rounds in ms (default 1000)"},
  };
}

int run_outbox_delivery(const std::string &action, const args &a,
                        std::shared_ptr<store::store> db) {
  if (action == "deliver") {
    a.expect_positionals(1, 1);
    return run_deliver(a, std::move(db));
  }
  if (action == "dead") {
    a.expect_positionals(1, 1);
    auto items = db->deliveries(store::delivery_status::dead, 1000000);
    if (!items) return fail("outbox", items.error());
    json::array arr;
    for (const auto &d : *items)
      arr.push_back(delivery_json(d));
    return print_json("outbox", json::object{{"dead", arr}});
  }
  // retry ID
  a.expect_positionals(2, 2);
  const auto &text = a.positionals()[1];
  std::int64_t seq = 0;
  bool ok = !text.empty() && text.size() <= 18;
  for (char c : text)
    ok = ok && c >= '0' && c <= '9';
  if (!ok) throw usage_error("outbox retry: ID must be an outbox sequence number");
  seq = std::stoll(text);
  if (auto r = db->retry_delivery(seq, system_now()); !r)
    return fail("outbox", r.error());
  return print_json("outbox", json::object{{"retried", seq}});
}

namespace {

int run_webhook(const args &a) {
  a.expect_positionals(1, 1);
  const auto action = a.positionals()[0];
  if (action != "sign" && action != "verify")
    throw usage_error("webhook: action must be sign|verify");
  auto secret = read_secret(a.required("secret-file"), "secret file");
  if (!secret) return fail("webhook", secret.error());
  util::wipe_on_exit wipe{*secret};
  const auto now_s = a.integer("now", 0, 253402300799LL).value_or(system_now() / 1000);
  const std::string body = read_stdin();
  if (action == "sign") {
    auto h = notify::sign(*secret, now_s, body);
    if (!h) return fail("webhook", h.error());
    std::cout << *h << "\n";
    return finish_stdout("webhook");
  }
  const auto header = a.required("header");
  std::string previous;
  util::wipe_on_exit wipe_prev{previous};
  if (auto p = a.value("previous-secret-file")) {
    auto s = read_secret(*p, "previous secret file");
    if (!s) return fail("webhook", s.error());
    previous = std::move(*s);
  }
  const auto tolerance =
      a.integer("tolerance", 0, 86400).value_or(notify::default_tolerance_seconds);
  auto r = notify::verify(header, body, *secret, previous, now_s, tolerance);
  if (!r) {
    fail("webhook", r.error());
    return exit_failure; // invalid, whatever the reason (named on stderr)
  }
  return print_json("webhook", json::object{{"valid", true}});
}

} // namespace

command webhook_command() {
  return command{
      "webhook",
      "sign a webhook body or verify an incoming signature",
      "sign|verify --secret-file FILE [--header H] < BODY",
      {{"secret-file", true, "owner-only file holding the secret"},
       {"previous-secret-file", true,
        "verify: also accept the previous secret (rotation)"},
       {"header", true, "verify: the Veteran-Signature header value"},
       {"now", true, "unix seconds to sign at / verify against (default: now)"},
       {"tolerance", true, "verify: replay window in seconds (default 300)"}},
      run_webhook};
}

} // namespace veteran::cli
