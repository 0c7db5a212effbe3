// Many threads and many processes racing for the same request or callback:
// exactly one wins, every time. A child doing transitions is SIGKILLed at
// random moments: after each restart the store's invariants hold and no
// acknowledged transition is lost.
//
// VETERAN_RACE_ROUNDS (default 20) sets how many rounds each test runs.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "flow_test_util.hpp"
#include "veteran/triage/assessment.hpp"

using namespace veteran;
using namespace veteran::flow;

namespace {

constexpr timestamp_ms T0 = 1'700'000'000'000;

int rounds() {
  const char *e = std::getenv("VETERAN_RACE_ROUNDS");
  return e ? std::max(1, std::atoi(e)) : 20;
}

std::shared_ptr<store::store> open_or_die(const std::string &path) {
  store::sqlite_options o;
  o.path = path;
  o.busy_timeout_ms = 30000;
  auto s = store::open_sqlite(o);
  if (!s) _exit(10);
  return std::shared_ptr<store::store>(std::move(*s));
}

/// Forks `n` children that each run `fn` once all are ready; returns their
/// exit codes.
template <class Fn> std::vector<int> race_processes(int n, Fn fn) {
  int gate[2];
  REQUIRE(::pipe(gate) == 0);
  std::vector<pid_t> kids;
  for (int i = 0; i < n; ++i) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(gate[1]);
      char c;
      (void)!::read(gate[0], &c, 1); // returns 0 when the parent closes the gate
      _exit(fn(i));
    }
    kids.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]); // go
  std::vector<int> codes;
  for (pid_t pid : kids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  }
  return codes;
}

int code_of(const result<transition> &r) {
  if (r) return 0;
  return r.code() == errc::conflict ? 3 : 1;
}

} // namespace

TEST_CASE("race: many threads claim one chat request; exactly one wins, every round") {
  flow_test::temp_dir d;
  const auto path = d.file("race.db");
  auto setup = flow_test::open_store(path);
  service svc(setup);
  const int threads = 8;
  for (int round = 0; round < rounds(); ++round) {
    auto req = svc.request_chat(flow_test::user(), "any", "", T0).value();
    auto cb =
        svc.create_callback(flow_test::user(), "+447700900123", false, "", T0).value();
    std::atomic<int> go{0}, chat_wins{0}, cb_wins{0}, other{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        // Half share the test's connection, half have their own.
        auto own = t % 2 ? open_or_die(path) : setup;
        service mine(own);
        const actor a{"staff" + std::to_string(t), t % 3 ? role::counsellor : role::peer};
        go.fetch_add(1);
        while (go.load() < threads)
          std::this_thread::yield();
        auto r1 = mine.fire(req, "claim", a, T0);
        auto r2 = mine.fire(cb, "take", a, T0);
        if (r1)
          chat_wins.fetch_add(1);
        else if (r1.code() != errc::conflict)
          other.fetch_add(1);
        if (r2)
          cb_wins.fetch_add(1);
        else if (r2.code() != errc::conflict)
          other.fetch_add(1);
      });
    for (auto &t : pool)
      t.join();
    REQUIRE(chat_wins.load() == 1);
    REQUIRE(cb_wins.load() == 1);
    REQUIRE(other.load() == 0);
    REQUIRE(setup->audit(0, 1000000, req).value().size() == 3); // request, offer, claim
  }
  flow_test::check_ok(*setup);
}

TEST_CASE(
    "race: many processes claim one request and take one callback; exactly one wins") {
  flow_test::temp_dir d;
  const auto path = d.file("race.db");
  auto setup = flow_test::open_store(path);
  service svc(setup);
  const int procs = 6;
  for (int round = 0; round < rounds(); ++round) {
    auto req = svc.request_chat(flow_test::user(), "any", "", T0).value();
    auto cb =
        svc.create_callback(flow_test::user(), "+447700900123", false, "", T0).value();
    auto codes = race_processes(procs, [&](int i) {
      service mine(open_or_die(path));
      const actor a{"staff" + std::to_string(i), role::counsellor};
      const int c1 = code_of(mine.fire(req, "claim", a, T0));
      const int c2 = code_of(mine.fire(cb, "take", a, T0));
      return c1 * 10 + c2; // 0 win, 3 lost, 1 error (per digit)
    });
    int chat_wins = 0, cb_wins = 0, errors = 0;
    for (int c : codes) {
      chat_wins += c / 10 == 0;
      cb_wins += c % 10 == 0;
      errors += (c / 10 != 0 && c / 10 != 3) || (c % 10 != 0 && c % 10 != 3);
    }
    CAPTURE(round);
    REQUIRE(errors == 0);
    REQUIRE(chat_wins == 1);
    REQUIRE(cb_wins == 1);
    REQUIRE(setup->get(req).value()->state == "claimed");
    REQUIRE(setup->get(cb).value()->state == "taken");
  }
  flow_test::check_ok(*setup);
}

TEST_CASE("crash: SIGKILL at random moments loses no acknowledged transition") {
  flow_test::temp_dir d;
  const auto path = d.file("crash.db");
  { auto init = flow_test::open_store(path); }
  std::mt19937 rng(12345);
  std::map<std::string, std::int64_t> acked; // id -> highest acknowledged version
  std::size_t total_acks = 0;
  for (int round = 0; round < rounds(); ++round) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(out[0]);
      service svc(open_or_die(path));
      const actor c{"c1", role::counsellor};
      auto ack = [&](const std::string &id, int version) {
        const std::string line = id + " " + std::to_string(version) + "\n";
        if (::write(out[1], line.data(), line.size()) < 0) _exit(11);
      };
      for (int i = 0;; ++i) {
        auto cb = svc.create_callback(flow_test::user(), "+447700900123", false, "", T0);
        if (!cb) _exit(12);
        ack(*cb, 1);
        if (!svc.fire(*cb, "take", c, T0)) _exit(13);
        ack(*cb, 2);
        if (!svc.fire(*cb, "complete", c, T0)) _exit(14);
        ack(*cb, 3);
        auto chat = svc.request_chat(flow_test::user(), "any", "", T0);
        if (!chat) _exit(15);
        ack(*chat, 2);
        if (!svc.fire(*chat, "claim", c, T0)) _exit(16);
        ack(*chat, 3);
        if (!svc.post_message(*chat, c, "hello", T0)) _exit(17);
        ack(*chat, 4);
      }
    }
    ::close(out[1]);
    // Wait for the child's first acknowledgement (a loaded machine may take
    // a while to start it), then kill it at a random moment 0-40 ms later.
    std::string text;
    char buf[4096];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n > 0) text.append(buf, static_cast<std::size_t>(n));
    std::uniform_int_distribution<int> delay(0, 40000);
    ::usleep(static_cast<useconds_t>(delay(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status)); // killed, not failed on its own
    while ((n = ::read(out[0], buf, sizeof buf)) > 0)
      text.append(buf, static_cast<std::size_t>(n));
    ::close(out[0]);
    std::istringstream lines(text);
    std::string id;
    std::int64_t v;
    while (lines >> id >> v) {
      acked[id] = std::max(acked[id], v);
      ++total_acks;
    }
    // Restart: open afresh, check invariants, find every acknowledged step.
    auto st = flow_test::open_store(path);
    flow_test::check_ok(*st);
    for (const auto &[eid, ver] : acked) {
      auto e = st->get(eid).value();
      REQUIRE_MESSAGE(e, eid);
      REQUIRE(e->version >= ver);
    }
  }
  MESSAGE("crash rounds: " << rounds() << ", acknowledged transitions: " << total_acks);
  CHECK(total_acks > 0);
}

TEST_CASE("race: triage turns of one session against staff resolving its alerts") {
  flow_test::temp_dir d;
  const auto path = d.file("feed.db");
  auto setup = flow_test::open_store(path);
  for (int round = 0; round < rounds(); ++round) {
    const std::string session = "s" + std::to_string(round);
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0}, fed{0};
    std::thread resolver([&] {
      service svc(open_or_die(path));
      const actor c{"c1", role::counsellor};
      while (!stop.load()) {
        auto open = svc.storage().find_linked("safeguarding", session);
        if (open)
          for (const auto &e : *open)
            if (e.state != "resolved") (void)svc.fire(e.id, "resolve", c, T0);
      }
    });
    std::vector<std::thread> feeders;
    for (int t = 0; t < 4; ++t)
      feeders.emplace_back([&] {
        service svc(open_or_die(path));
        triage::assessment a;
        a.lvl = triage::level::critical;
        for (int i = 0; i < 10; ++i) {
          auto h = svc.feed(session, a, T0);
          // Every critical turn ends linked to an alert, whatever the race.
          if (!h || h->alert_id.empty()) failures.fetch_add(1);
          fed.fetch_add(1);
        }
      });
    for (auto &t : feeders)
      t.join();
    stop.store(true);
    resolver.join();
    REQUIRE(failures.load() == 0);
    int open = 0;
    const auto linked = setup->find_linked("safeguarding", session).value();
    for (const auto &e : linked)
      open += e.state != "resolved";
    REQUIRE(open <= 1);
  }
  flow_test::check_ok(*setup);
}
