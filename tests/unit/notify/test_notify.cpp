// Delivery (issue 12): webhook signatures, the retry schedule, the store's
// delivery leases and the dispatcher's argument checks. HTTP behaviour is
// tested end to end against a real server in tests/integration/test_cli_notify.py.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "../flow/flow_test_util.hpp"
#include "veteran/notify/dispatcher.hpp"
#include "veteran/notify/signature.hpp"

using namespace veteran;
namespace nt = veteran::notify;
using flow_test::open_store;

namespace {

const std::string kBody = R"({"a":1})";
// python3: hmac.new(b'key-1', b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
const std::string kHeader =
    "t=1700000000,v1=ca774bf7b74ca4375d684b2d75b40c0aeb85d75cc80c8dda64740a2aff020088";

store::write item_write(const std::string &id) {
  store::write w;
  w.next.id = id;
  w.next.kind = "callback";
  w.next.state = "pending";
  w.next.version = 1;
  w.next.data = "{}";
  w.audit.event = "create";
  w.audit.actor = "a";
  w.audit.role = "user";
  w.audit.at_ms = 1000;
  w.notify.push_back({0, id, 0, "callback.created", "counsellor", "{}", 0});
  return w;
}

void sql(const std::string &path, const char *text) {
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, text, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

} // namespace

TEST_CASE("notify: sign matches an independent HMAC-SHA256 (Python hmac)") {
  auto h = nt::sign("key-1", 1700000000, kBody);
  REQUIRE(h.ok());
  CHECK(*h == kHeader);
  CHECK(nt::verify(kHeader, kBody, "key-1", "", 1700000000).ok());
}

TEST_CASE("notify: verify names each reason with its own error") {
  const std::int64_t t = 1700000000;
  CHECK(nt::verify(kHeader, R"({"a":2})", "key-1", "", t).code() ==
        errc::signature_mismatch);
  CHECK(nt::verify(kHeader, kBody, "key-2", "", t).code() == errc::signature_mismatch);
  // the window is inclusive: 300 s either way passes, 301 s does not
  CHECK(nt::verify(kHeader, kBody, "key-1", "", t + 300).ok());
  CHECK(nt::verify(kHeader, kBody, "key-1", "", t - 300).ok());
  CHECK(nt::verify(kHeader, kBody, "key-1", "", t + 301).code() ==
        errc::signature_expired);
  CHECK(nt::verify(kHeader, kBody, "key-1", "", t - 301).code() ==
        errc::signature_expired);
  CHECK(nt::verify(kHeader, kBody, "key-1", "", t + 10, 5).code() ==
        errc::signature_expired);
  // expired is checked before the MAC: an old replay is refused as old
  CHECK(nt::verify(kHeader, kBody, "wrong", "", t + 1000).code() ==
        errc::signature_expired);
  CHECK(nt::verify(kHeader, kBody, "", "", t).code() == errc::invalid_argument);
  CHECK(nt::verify(kHeader, kBody, "key-1", "", t, -1).code() == errc::invalid_argument);
}

TEST_CASE("notify: the header is parsed strictly") {
  const std::string mac = kHeader.substr(kHeader.find("v1="));
  const std::vector<std::string> bads = {std::string(""),
                                         std::string("t=1700000000"),
                                         "v1=00,t=1",
                                         "t=," + mac,
                                         "t=01700000000," + mac,
                                         "t=-1," + mac,
                                         "t=17e8," + mac,
                                         "t=1700000000, " + mac,
                                         " " + kHeader,
                                         kHeader + " ",
                                         kHeader + ",v1=" + std::string(64, '0'),
                                         "t=1700000000,v0=" + std::string(64, '0'),
                                         "t=1700000000,v1=" + std::string(63, '0'),
                                         "t=1700000000,v1=" + std::string(64, 'A'),
                                         "t=1700000000,v1=" + std::string(64, 'g'),
                                         "t=1234567890123," + mac,
                                         "T=1700000000," + mac,
                                         kHeader + "\n"};
  for (const auto &bad : bads) {
    auto r = nt::verify(bad, kBody, "key-1", "", 1700000000);
    CHECK_MESSAGE(r.code() == errc::signature_malformed, bad);
    CHECK(r.message().find("key-1") == std::string::npos);
  }
  auto p = nt::parse_signature(kHeader);
  REQUIRE(p.ok());
  CHECK(p->timestamp == 1700000000);
  CHECK(p->v1_hex.size() == 64);
}

TEST_CASE("notify: two secrets at once during rotation") {
  auto old_sig = nt::sign("old", 100, kBody).value();
  auto new_sig = nt::sign("new", 100, kBody).value();
  CHECK(nt::verify(old_sig, kBody, "new", "old", 100).ok());
  CHECK(nt::verify(new_sig, kBody, "new", "old", 100).ok());
  CHECK(nt::verify(old_sig, kBody, "new", "", 100).code() == errc::signature_mismatch);
  CHECK(nt::verify(nt::sign("other", 100, kBody).value(), kBody, "new", "old", 100)
            .code() == errc::signature_mismatch);
}

TEST_CASE("notify: sign refuses bad input") {
  CHECK(nt::sign("", 1, kBody).code() == errc::invalid_argument);
  CHECK(nt::sign(std::string(nt::max_secret_bytes + 1, 'k'), 1, kBody).code() ==
        errc::invalid_argument);
  CHECK(nt::sign("k", -1, kBody).code() == errc::invalid_argument);
}

TEST_CASE("notify: the retry schedule doubles from base up to the cap, jitter only "
          "shortens") {
  nt::backoff_policy p; // defaults: 10 s base, 15 min cap, 16 attempts
  p.jitter = 0;
  const std::int64_t want[] = {10000,  20000,  40000,  80000, 160000,
                               320000, 640000, 900000, 900000};
  for (int i = 0; i < 9; ++i)
    CHECK(nt::backoff_delay_ms(p, i + 1, 0.7) == want[i]);
  CHECK(nt::backoff_delay_ms(p, 1000, 0) == 900000); // no overflow far out
  p.jitter = 0.2;
  CHECK(nt::backoff_delay_ms(p, 1, 0.0) == 10000);
  CHECK(nt::backoff_delay_ms(p, 1, 0.999999) >= 8000);
  CHECK(nt::backoff_delay_ms(p, 1, 0.5) == 9000);
  p.base_ms = 1;
  p.jitter = 1;
  CHECK(nt::backoff_delay_ms(p, 1, 0.999) >= 1); // never 0: not due again at once
}

TEST_CASE("store: every outbox item gets a pending delivery; leases are exclusive "
          "across connections and expire") {
  flow_test::temp_dir d;
  const auto path = d.file("s.db");
  auto a = open_store(path);
  auto b = open_store(path);
  REQUIRE(a->commit({item_write("cb_1"), item_write("cb_2")}).ok());
  auto pending = a->deliveries(store::delivery_status::pending, 10).value();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].attempts == 0);

  auto la = a->lease_deliveries("A", 2000, 5000, 10).value();
  CHECK(la.size() == 2);
  CHECK(b->lease_deliveries("B", 2000, 5000, 10).value().empty());
  CHECK(b->lease_deliveries("B", 4999, 6000, 10).value().empty());
  // A's lease expired at 5000: B takes over, and A can no longer record
  auto lb = b->lease_deliveries("B", 5000, 9000, 1).value();
  REQUIRE(lb.size() == 1);
  store::delivery_outcome out;
  out.attempt = {lb[0].item.seq, 1, 5000, 5010, "delivered", 200, "HTTP 200"};
  out.next = store::delivery_status::delivered;
  CHECK(a->finish_delivery("A", out).code() == errc::conflict);
  CHECK(b->finish_delivery("B", out).ok());
  CHECK(b->finish_delivery("B", out).code() == errc::conflict); // already done
  CHECK(a->delivery_attempts(lb[0].item.seq).value().size() == 1);
  CHECK(a->deliveries(store::delivery_status::delivered, 10).value().size() == 1);

  CHECK(a->lease_deliveries("", 1, 2, 1).code() == errc::invalid_argument);
  CHECK(a->lease_deliveries("A", 2, 2, 1).code() == errc::invalid_argument);
  CHECK(a->retry_delivery(lb[0].item.seq, 1).code() == errc::invalid_state);
  CHECK(a->retry_delivery(999, 1).code() == errc::not_found);
  flow_test::check_ok(*a);
}

TEST_CASE("store: a failed attempt schedules the next; dead-lettering commits its "
          "writes in the same transaction; retry revives") {
  flow_test::temp_dir d;
  auto s = open_store(d.file("s.db"));
  REQUIRE(s->commit({item_write("cb_1")}).ok());
  auto l = s->lease_deliveries("A", 2000, 9000, 10).value();
  REQUIRE(l.size() == 1);
  const auto seq = l[0].item.seq;
  store::delivery_outcome out;
  out.attempt = {seq, 1, 2000, 2001, "http_status", 500, "HTTP 500"};
  out.next = store::delivery_status::pending;
  out.next_attempt_ms = 3000;
  REQUIRE(s->finish_delivery("A", out).ok());
  CHECK(s->lease_deliveries("A", 2999, 9000, 10).value().empty());
  l = s->lease_deliveries("A", 3000, 9000, 10).value();
  REQUIRE(l.size() == 1);
  CHECK(l[0].attempts == 1);
  CHECK(l[0].last_error == "HTTP 500");

  // A dead letter whose write is invalid leaves the item pending.
  out.attempt = {seq, 2, 3000, 3001, "timeout", 0, "no answer"};
  out.next = store::delivery_status::dead;
  auto w = item_write("");
  out.writes = {w};
  CHECK(s->finish_delivery("A", out).code() == errc::invalid_argument);
  CHECK(s->deliveries(store::delivery_status::pending, 10).value().size() == 1);
  CHECK(s->delivery_attempts(seq).value().size() == 1);

  out.writes = {item_write("dl_1")};
  REQUIRE(s->finish_delivery("A", out).ok());
  auto dead = s->deliveries(store::delivery_status::dead, 10).value();
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].attempts == 2);
  CHECK(s->get("dl_1").value());
  CHECK(s->deliveries(store::delivery_status::pending, 10).value().size() ==
        1); // its notification
  REQUIRE(s->retry_delivery(seq, 4000).ok());
  auto again = s->lease_deliveries("A", 4000, 9000, 10).value();
  CHECK(again.size() == 2);
  flow_test::check_ok(*s);
}

TEST_CASE("store: migration 1 -> 2 gives existing outbox items a pending delivery") {
  flow_test::temp_dir d;
  const auto path = d.file("s.db");
  {
    auto s = open_store(path);
    REQUIRE(s->commit({item_write("cb_1")}).ok());
  }
  // Back to a version-1 file: the tables migration 2 adds are gone.
  sql(path,
      "DROP TABLE delivery_attempts; DROP TABLE deliveries; PRAGMA user_version=1;");
  auto s = open_store(path);
  CHECK(s->check().value().schema_version == 2);
  auto p = s->deliveries(store::delivery_status::pending, 10).value();
  REQUIRE(p.size() == 1);
  CHECK(p[0].item.entity_id == "cb_1");
  flow_test::check_ok(*s);
}

TEST_CASE("notify: dispatcher options are checked, naming the field, never the secret") {
  flow_test::temp_dir d;
  auto s = open_store(d.file("s.db"));
  auto base = [] {
    nt::dispatcher_options o;
    o.urls = {"http://127.0.0.1:1/hook"};
    o.secret = "s3cret-value";
    return o;
  };
  struct bad_case {
    const char *field;
    void (*edit)(nt::dispatcher_options &);
  };
  const bad_case cases[] = {
      {"urls", [](nt::dispatcher_options &o) { o.urls.clear(); }},
      {"urls[0]", [](nt::dispatcher_options &o) { o.urls = {"file:///etc/passwd"}; }},
      {"secret", [](nt::dispatcher_options &o) { o.secret.clear(); }},
      {"connect_timeout_ms", [](nt::dispatcher_options &o) { o.connect_timeout_ms = 0; }},
      {"total_timeout_ms", [](nt::dispatcher_options &o) { o.total_timeout_ms = -1; }},
      {"backoff.base_ms", [](nt::dispatcher_options &o) { o.backoff.base_ms = 0; }},
      {"backoff.cap_ms", [](nt::dispatcher_options &o) { o.backoff.cap_ms = 1; }},
      {"backoff.max_attempts",
       [](nt::dispatcher_options &o) { o.backoff.max_attempts = 0; }},
      {"backoff.jitter", [](nt::dispatcher_options &o) { o.backoff.jitter = 1.5; }},
      {"batch", [](nt::dispatcher_options &o) { o.batch = 0; }},
      {"lease_ms", [](nt::dispatcher_options &o) { o.lease_ms = 1000; }},
  };
  for (const auto &c : cases) {
    auto o = base();
    c.edit(o);
    auto r = nt::dispatcher::create(s, o);
    CHECK_MESSAGE(r.code() == errc::invalid_argument, c.field);
    CHECK_MESSAGE(r.message().find(c.field) != std::string::npos, r.message());
    CHECK(r.message().find("s3cret") == std::string::npos);
  }
  CHECK(nt::dispatcher::create(nullptr, base()).code() == errc::invalid_argument);
  CHECK(nt::dispatcher::create(s, base()).ok());
}

TEST_CASE("notify: nothing listening -> connect_failed recorded, retried, then "
          "dead-lettered with audit and escalation") {
  flow_test::temp_dir d;
  auto s = open_store(d.file("s.db"));
  REQUIRE(s->commit({item_write("cb_1")}).ok());
  auto clk = std::make_shared<manual_clock>(10000);
  nt::dispatcher_options o;
  o.urls = {"http://127.0.0.1:1/hook"}; // port 1: refused
  o.secret = "k";
  o.backoff.base_ms = 100;
  o.backoff.max_attempts = 2;
  o.backoff.jitter = 0;
  o.time = clk;
  auto disp = nt::dispatcher::create(s, o).value();
  auto r1 = disp.deliver_once().value();
  CHECK(r1.attempted == 1);
  CHECK(r1.retrying == 1);
  CHECK(disp.deliver_once().value().attempted == 0); // not due yet
  clk->advance(100);
  auto r2 = disp.deliver_once().value();
  CHECK(r2.dead == 1);
  // the escalation is due at once: attempted (and failed) in the same round
  CHECK(r2.attempted == 2);
  CHECK(r2.retrying == 1);
  auto dead = s->deliveries(store::delivery_status::dead, 10).value();
  REQUIRE(dead.size() == 1);
  auto att = s->delivery_attempts(dead[0].item.seq).value();
  REQUIRE(att.size() == 2);
  CHECK(att[0].outcome == "connect_failed");
  CHECK(att[1].started_ms == 10100);
  auto audit = s->audit(0, 100).value();
  CHECK(audit.back().event == "dead_letter");
  CHECK(audit.back().kind == "delivery");
  auto outbox = s->outbox(0, 100).value();
  REQUIRE(outbox.size() == 2);
  CHECK(outbox.back().payload.find("\"outbox_seq\":1") != std::string::npos);
  CHECK(outbox.back().topic == "delivery.dead_lettered");
  CHECK(outbox.back().audience == "supervisor,admin");
  flow_test::check_ok(*s);
  // If the escalation dies too it is audited but not escalated again.
  clk->advance(1000);
  CHECK(disp.deliver_once().value().dead == 1);
  CHECK(s->outbox(0, 100).value().size() == 2);
  CHECK(s->audit(0, 100).value().back().event == "dead_letter");
}

TEST_CASE("store: dispatchers on several connections and threads never lease the "
          "same item twice") {
  flow_test::temp_dir d;
  const auto path = d.file("s.db");
  constexpr int kItems = 120, kThreads = 4;
  {
    auto s = open_store(path);
    std::vector<store::write> ws;
    for (int i = 0; i < kItems; ++i)
      ws.push_back(item_write("cb_" + std::to_string(i)));
    REQUIRE(s->commit(ws).ok());
  }
  std::vector<std::vector<std::int64_t>> got(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto s = store::open_sqlite(store::sqlite_options{path}).value();
      const std::string owner = "T" + std::to_string(t);
      while (true) {
        auto l = s->lease_deliveries(owner, 2000, 60000, 3);
        if (!l) {
          ++errors;
          return;
        }
        if (l->empty()) return;
        for (const auto &x : *l) {
          got[t].push_back(x.item.seq);
          store::delivery_outcome out;
          out.attempt = {x.item.seq, 1, 2000, 2001, "delivered", 200, "HTTP 200"};
          out.next = store::delivery_status::delivered;
          if (!s->finish_delivery(owner, out)) ++errors;
        }
      }
    });
  for (auto &th : threads)
    th.join();
  CHECK(errors == 0);
  std::vector<std::int64_t> all;
  for (const auto &g : got)
    all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  CHECK(all.size() == static_cast<std::size_t>(kItems));
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  auto s = open_store(path);
  CHECK(s->deliveries(store::delivery_status::delivered, 1000).value().size() ==
        static_cast<std::size_t>(kItems));
}
