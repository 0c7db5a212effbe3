// The outbox dispatcher. See include/veteran/notify/dispatcher.hpp.
#include "veteran/notify/dispatcher.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include <boost/json.hpp>
#include <curl/curl.h>

#include "util/random.hpp"
#include "util/secret.hpp"
#include "veteran/init.hpp"
#include "veteran/notify/signature.hpp"

VETERAN_NAMESPACE_BEGIN
namespace notify {

namespace json = boost::json;

std::int64_t backoff_delay_ms(const backoff_policy &p, int failed, double u) noexcept {
  if (failed < 1) failed = 1;
  const double cap = static_cast<double>(std::max<std::int64_t>(p.cap_ms, 1));
  double d = static_cast<double>(std::max<std::int64_t>(p.base_ms, 1));
  for (int i = 1; i < failed && d < cap; ++i)
    d *= 2;
  d = std::min(d, cap);
  const double j = std::clamp(p.jitter, 0.0, 1.0);
  u = std::clamp(u, 0.0, 1.0);
  d *= 1.0 - j * u;
  // At least 1 ms: an item that just failed is never due again in the same
  // deliver_once() round.
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(d));
}

namespace {

struct body_sink {
  std::size_t received = 0, limit = 0;
  bool over = false;
};

std::size_t on_body(char *, std::size_t size, std::size_t n, void *user) {
  auto *s = static_cast<body_sink *>(user);
  s->received += size * n;
  if (s->received > s->limit) {
    s->over = true;
    return 0; // aborts the transfer: the body is never buffered
  }
  return size * n; // discarded: answers are not stored (they may hold anything)
}

struct attempt_result {
  bool ok = false;
  std::string outcome, detail;
  int http_status = 0;
};

double random_unit() {
  std::uint64_t x = 0;
  if (!util::random_bytes(reinterpret_cast<unsigned char *>(&x), sizeof x)) return 0.5;
  return static_cast<double>(x >> 11) * (1.0 / 9007199254740992.0);
}

result<std::string> body_of(const store::notification &n) {
  json::error_code ec;
  auto payload = json::parse(n.payload, ec);
  if (ec) return error_info{errc::parse_error, "payload is not JSON"};
  json::object o{{"delivery", n.seq},
                 {"topic", n.topic},
                 {"entity", n.entity_id},
                 {"version", n.entity_version},
                 {"audience", n.audience},
                 {"created_ms", n.created_ms},
                 {"payload", std::move(payload)}};
  return json::serialize(o);
}

constexpr const char *kEscalationTopic = "delivery.dead_lettered";

} // namespace

struct dispatcher::impl {
  std::shared_ptr<store::store> db;
  dispatcher_options o;
  std::shared_ptr<const clock> time;
  CURL *curl = nullptr;

  ~impl() {
    if (curl) curl_easy_cleanup(curl);
    util::wipe(o.secret);
  }

  timestamp_ms now() const { return time->now(); }

  attempt_result post_one(std::size_t index, const std::string &body,
                          const std::string &delivery_header,
                          const std::string &signature_header) {
    curl_easy_reset(curl);
    body_sink sink;
    sink.limit = o.max_response_bytes;
    curl_slist *headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, delivery_header.c_str());
    headers = curl_slist_append(headers, signature_header.c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, o.urls[index].c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(o.connect_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, o.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, o.verify_tls ? 2L : 0L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "veteran-notify");
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    attempt_result r;
    if (rc == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      r.http_status = static_cast<int>(status);
      if (status >= 200 && status < 300) {
        r.ok = true;
        r.outcome = "delivered";
        r.detail = "HTTP " + std::to_string(status);
      } else {
        r.outcome = "http_status";
        r.detail = "HTTP " + std::to_string(status) +
                   (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
      }
    } else if (sink.over) {
      long status = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      r.http_status = static_cast<int>(status);
      r.outcome = "response_too_large";
      r.detail = "response body over " + std::to_string(o.max_response_bytes) + " bytes";
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
      r.outcome = "timeout";
      r.detail = "no answer within " + std::to_string(o.total_timeout_ms) + " ms";
    } else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST) {
      r.outcome = "connect_failed";
      r.detail = curl_easy_strerror(rc);
    } else {
      r.outcome = "network_error";
      r.detail = curl_easy_strerror(rc);
    }
    return r;
  }

  // Tries the URLs in order; the first 2xx wins. The detail names URLs by
  // index only: a URL may carry a token.
  attempt_result post(const store::notification &n) {
    auto body = body_of(n);
    if (!body) return attempt_result{false, "bad_payload", body.error().message, 0};
    auto sig = sign(o.secret, now() / 1000, *body);
    if (!sig) return attempt_result{false, "sign_failed", sig.error().message, 0};
    const std::string delivery_header = "Veteran-Delivery: " + std::to_string(n.seq);
    const std::string signature_header = "Veteran-Signature: " + *sig;
    attempt_result last;
    std::string details;
    for (std::size_t i = 0; i < o.urls.size(); ++i) {
      last = post_one(i, *body, delivery_header, signature_header);
      if (last.ok) return last;
      if (o.urls.size() > 1)
        details += (details.empty() ? "" : "; ") + std::string("url ") +
                   std::to_string(i + 1) + ": " + last.detail;
    }
    if (o.urls.size() > 1) last.detail = details;
    return last;
  }

  store::write dead_letter(const store::delivery &d, int attempts,
                           const std::string &last_error, timestamp_ms at,
                           const std::string &id) const {
    store::write w;
    w.expected_version = 0;
    w.next.id = id;
    w.next.kind = "delivery";
    w.next.state = "dead_lettered";
    w.next.version = 1;
    w.next.created_ms = w.next.updated_ms = at;
    w.next.data = json::serialize(json::object{{"outbox_seq", d.item.seq},
                                               {"topic", d.item.topic},
                                               {"entity", d.item.entity_id},
                                               {"attempts", attempts},
                                               {"last_error", last_error}});
    w.audit.event = "dead_letter";
    w.audit.actor = "dispatcher:" + o.owner;
    w.audit.role = "system";
    w.audit.at_ms = at;
    if (d.item.topic != kEscalationTopic) {
      store::notification n;
      n.topic = kEscalationTopic;
      n.audience = "supervisor,admin";
      n.payload = json::serialize(json::object{{"outbox_seq", d.item.seq},
                                               {"topic", d.item.topic},
                                               {"entity", d.item.entity_id},
                                               {"attempts", attempts},
                                               {"dead_letter", id}});
      n.created_ms = at;
      w.notify.push_back(std::move(n));
    }
    return w;
  }
};

dispatcher::dispatcher(std::unique_ptr<impl> p) noexcept : p_(std::move(p)) {}
dispatcher::dispatcher(dispatcher &&) noexcept = default;
dispatcher &dispatcher::operator=(dispatcher &&) noexcept = default;
dispatcher::~dispatcher() = default;

const std::string &dispatcher::owner() const noexcept { return p_->o.owner; }

result<dispatcher> dispatcher::create(std::shared_ptr<store::store> db,
                                      dispatcher_options o) {
  util::wipe_on_exit wipe_input{o.secret}; // the impl holds its own copy
  auto bad = [](const std::string &m) { return error_info{errc::invalid_argument, m}; };
  if (!db) return bad("store: null");
  if (o.urls.empty()) return bad("urls: at least one webhook URL is required");
  for (std::size_t i = 0; i < o.urls.size(); ++i) {
    const auto &u = o.urls[i];
    if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0)
      return bad("urls[" + std::to_string(i) + "]: must start with http:// or https://");
    if (u.find_first_of(" \r\n\t") != std::string::npos)
      return bad("urls[" + std::to_string(i) + "]: contains whitespace");
  }
  if (o.secret.empty()) return bad("secret: empty");
  if (o.secret.size() > max_secret_bytes)
    return bad("secret: longer than " + std::to_string(max_secret_bytes) + " bytes");
  if (o.connect_timeout_ms <= 0 || o.connect_timeout_ms > 3600000)
    return bad("connect_timeout_ms: must be in 1..3600000");
  if (o.total_timeout_ms <= 0 || o.total_timeout_ms > 3600000)
    return bad("total_timeout_ms: must be in 1..3600000");
  if (o.backoff.base_ms < 1 || o.backoff.base_ms > 86400000)
    return bad("backoff.base_ms: must be in 1..86400000");
  if (o.backoff.cap_ms < o.backoff.base_ms || o.backoff.cap_ms > 7 * 86400000LL)
    return bad("backoff.cap_ms: must be in base_ms..604800000");
  if (o.backoff.max_attempts < 1 || o.backoff.max_attempts > 1000)
    return bad("backoff.max_attempts: must be in 1..1000");
  if (!(o.backoff.jitter >= 0.0 && o.backoff.jitter <= 1.0))
    return bad("backoff.jitter: must be in [0, 1]");
  if (o.batch == 0 || o.batch > 10000) return bad("batch: must be in 1..10000");
  if (o.max_response_bytes == 0) return bad("max_response_bytes: must be > 0");
  if (o.lease_ms < 0) return bad("lease_ms: must be >= 0");
  // Long enough to send the whole batch even if every request times out, and
  // no longer: a crashed dispatcher's items wait this long for another one.
  const std::int64_t batch_worst = o.total_timeout_ms *
                                   static_cast<std::int64_t>(o.urls.size()) *
                                   static_cast<std::int64_t>(o.batch);
  if (o.lease_ms == 0) o.lease_ms = batch_worst + 30000;
  if (o.lease_ms <= batch_worst)
    return bad("lease_ms: must exceed total_timeout_ms * urls * batch (" +
               std::to_string(batch_worst) + " ms)");
  if (auto r = global_init(); !r) return r.error();
  if (o.owner.empty()) {
    auto id = util::random_id(9);
    if (!id) return id.error();
    o.owner = "d-" + *id;
  }
  auto p = std::make_unique<impl>();
  p->db = std::move(db);
  p->time = o.time ? o.time : std::make_shared<system_clock>();
  p->o = o; // copies the secret into the impl (wiped by ~impl)
  p->curl = curl_easy_init();
  if (!p->curl)
    return error_info{errc::not_initialized, "libcurl: cannot create a handle"};
  return dispatcher(std::move(p));
}

result<deliver_summary> dispatcher::deliver_once() {
  auto &p = *p_;
  deliver_summary sum;
  // Only items due when the call starts: a failed item is rescheduled at
  // least 1 ms after it finished, so it is never attempted twice in a call.
  const timestamp_ms start = p.now();
  while (true) {
    auto leased =
        p.db->lease_deliveries(p.o.owner, start, p.now() + p.o.lease_ms, p.o.batch);
    if (!leased) return leased.error();
    if (leased->empty()) return sum;
    for (const auto &d : *leased) {
      store::delivery_outcome out;
      auto &a = out.attempt;
      a.outbox_seq = d.item.seq;
      a.attempt = d.attempts + 1;
      a.started_ms = p.now();
      const auto r = p.post(d.item);
      a.finished_ms = p.now();
      a.outcome = r.outcome;
      a.http_status = r.http_status;
      a.detail = r.detail;
      ++sum.attempted;
      if (r.ok) {
        out.next = store::delivery_status::delivered;
      } else if (a.attempt >= p.o.backoff.max_attempts) {
        out.next = store::delivery_status::dead;
        auto id = util::random_id(12);
        if (!id) return id.error();
        out.writes.push_back(
            p.dead_letter(d, a.attempt, r.detail, a.finished_ms, "delivery-" + *id));
      } else {
        out.next = store::delivery_status::pending;
        const double u = p.o.backoff.jitter > 0 ? random_unit() : 0.0;
        out.next_attempt_ms = a.finished_ms + backoff_delay_ms(p.o.backoff, a.attempt, u);
      }
      auto rec = p.db->finish_delivery(p.o.owner, out);
      if (!rec) {
        if (rec.code() != errc::conflict) return rec.error();
        ++sum.lease_lost;
        continue;
      }
      if (out.next == store::delivery_status::delivered)
        ++sum.delivered;
      else if (out.next == store::delivery_status::dead)
        ++sum.dead;
      else
        ++sum.retrying;
    }
  }
}

} // namespace notify
VETERAN_NAMESPACE_END
