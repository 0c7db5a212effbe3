// bench_flow: flow transitions per second (read + rule + guard + CAS update +
// audit + outbox, one transaction each) against a bare SQLite loop doing the
// same CAS update + audit insert (+ outbox insert) with prepared statements on
// the same schema, in the same run, both on WAL + synchronous=NORMAL files.
// Prints the rate ratio (the issue's bar: >= 0.70), then a claim race: several
// processes claiming the same requests, claims per second and the check that
// every request was claimed exactly once.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "sample_reporter.hpp"
#include "veteran/flow/service.hpp"
#include "veteran/store/store.hpp"

namespace {

using namespace veteran;

constexpr int kPool = 256;
constexpr timestamp_ms T0 = 1'700'000'000'000;

std::string temp_file(const char *name) {
  static const std::string dir = [] {
    std::string t =
        (std::filesystem::temp_directory_path() / "vet-bench-XXXXXX").string();
    if (!::mkdtemp(t.data())) std::abort();
    return t;
  }();
  return dir + "/" + name;
}

std::shared_ptr<store::store> open(const std::string &path) {
  store::sqlite_options o;
  o.path = path;
  auto s = store::open_sqlite(o);
  if (!s) std::abort();
  return std::shared_ptr<store::store>(std::move(*s));
}

/// take + release on a pool of callbacks: two transitions per step, one of
/// them with an outbox notification (as the bare loop below).
void BM_flow_transitions(benchmark::State &state) {
  const auto path = temp_file("flow.db");
  std::filesystem::remove(path);
  flow::service svc(open(path));
  std::vector<std::string> ids;
  for (int i = 0; i < kPool; ++i)
    ids.push_back(
        svc.create_callback({"u", flow::role::user}, "+447700900123", false, "", T0)
            .value());
  const flow::actor c{"c1", flow::role::counsellor};
  std::size_t i = 0;
  for (auto _ : state) {
    const auto &id = ids[i++ % ids.size()];
    if (!svc.fire(id, "take", c, T0) || !svc.fire(id, "release", c, T0)) {
      state.SkipWithError("transition failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * 2);
}

struct bare_db {
  sqlite3 *db = nullptr;
  sqlite3_stmt *upd = nullptr, *audit = nullptr, *outbox = nullptr;
  ~bare_db() {
    sqlite3_finalize(upd);
    sqlite3_finalize(audit);
    sqlite3_finalize(outbox);
    sqlite3_close(db);
  }
};

void must(int rc, sqlite3 *db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::abort();
  }
}

/// One CAS transition the way a hand-written loop would do it.
void bare_step(bare_db &b, const std::string &id, std::int64_t version, const char *from,
               const char *to, const std::string &data, bool notify) {
  must(sqlite3_exec(b.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), b.db);
  sqlite3_reset(b.upd);
  sqlite3_bind_text(b.upd, 1, to, -1, SQLITE_STATIC);
  sqlite3_bind_text(b.upd, 2, data.c_str(), static_cast<int>(data.size()), SQLITE_STATIC);
  sqlite3_bind_int64(b.upd, 3, T0);
  sqlite3_bind_text(b.upd, 4, id.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_int64(b.upd, 5, version);
  sqlite3_bind_text(b.upd, 6, from, -1, SQLITE_STATIC);
  // The same timer the flow sets: cleared on take, the SLA again on release.
  if (notify) {
    sqlite3_bind_int64(b.upd, 7, T0 + 4LL * 3600 * 1000);
    sqlite3_bind_text(b.upd, 8, "escalate", -1, SQLITE_STATIC);
  } else {
    sqlite3_bind_null(b.upd, 7);
    sqlite3_bind_null(b.upd, 8);
  }
  must(sqlite3_step(b.upd), b.db);
  if (sqlite3_changes(b.db) != 1) std::abort();
  sqlite3_reset(b.audit);
  sqlite3_bind_text(b.audit, 1, id.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_int64(b.audit, 2, version + 1);
  sqlite3_bind_text(b.audit, 3, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(b.audit, 4, to, -1, SQLITE_STATIC);
  sqlite3_bind_int64(b.audit, 5, T0);
  must(sqlite3_step(b.audit), b.db);
  if (notify) {
    sqlite3_reset(b.outbox);
    sqlite3_bind_text(b.outbox, 1, id.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(b.outbox, 2, version + 1);
    sqlite3_bind_int64(b.outbox, 3, T0);
    must(sqlite3_step(b.outbox), b.db);
  }
  must(sqlite3_exec(b.db, "COMMIT", nullptr, nullptr, nullptr), b.db);
}

void BM_bare_sqlite_cas(benchmark::State &state) {
  const auto path = temp_file("bare.db");
  std::filesystem::remove(path);
  // Same schema, same rows: created through the store, then driven raw.
  {
    flow::service svc(open(path));
    for (int i = 0; i < kPool; ++i)
      (void)svc.create_callback({"u", flow::role::user}, "+447700900123", false, "", T0)
          .value();
  }
  bare_db b;
  must(sqlite3_open(path.c_str(), &b.db), b.db);
  must(sqlite3_exec(b.db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr,
                    nullptr, nullptr),
       b.db);
  must(sqlite3_prepare_v2(b.db,
                          "UPDATE entities SET state=?1, version=version+1, data=?2, "
                          "updated_ms=?3, deadline_ms=?7, deadline_event=?8 "
                          "WHERE id=?4 AND version=?5 AND state=?6",
                          -1, &b.upd, nullptr),
       b.db);
  must(sqlite3_prepare_v2(
           b.db,
           "INSERT INTO audit (entity_id, entity_version, kind, event, actor, "
           "role, from_state, to_state, at_ms) VALUES (?1, ?2, 'callback', "
           "'take', 'c1', 'counsellor', ?3, ?4, ?5)",
           -1, &b.audit, nullptr),
       b.db);
  must(sqlite3_prepare_v2(
           b.db,
           "INSERT INTO outbox (entity_id, entity_version, topic, audience, "
           "payload, created_ms) VALUES (?1, ?2, 'callback.released', "
           "'peer,counsellor,supervisor,admin', '{\"id\":\"x\"}', ?3)",
           -1, &b.outbox, nullptr),
       b.db);
  std::vector<std::string> ids;
  std::vector<std::int64_t> versions;
  {
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(b.db, "SELECT id, version, data FROM entities ORDER BY id", -1, &s,
                       nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      ids.emplace_back(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)));
      versions.push_back(sqlite3_column_int64(s, 1));
    }
    sqlite3_finalize(s);
  }
  const std::string data =
      R"({"user":"u","urgent":false,"phone":"+447700900123","claimer":"c1"})";
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ % ids.size();
    bare_step(b, ids[k], versions[k], "pending", "taken", data, false);
    bare_step(b, ids[k], versions[k] + 1, "taken", "pending", data, true);
    versions[k] += 2;
  }
  state.SetItemsProcessed(state.iterations() * 2);
}

BENCHMARK(BM_flow_transitions);
BENCHMARK(BM_bare_sqlite_cas);

void print_ratio(const bench::sample_reporter &r) {
  const auto f = r.of("BM_flow_transitions");
  const auto b = r.of("BM_bare_sqlite_cas");
  if (!f.count || !b.count) return;
  std::printf(
      "\nflow transitions (read + rule + CAS + audit + outbox) vs bare SQLite CAS "
      "update + inserts, same schema, same run, WAL + synchronous=NORMAL\n"
      "(rate ratio = bare CPU time / flow CPU time; bar >= 0.70):\n"
      "  median %.1f us / %.1f us per 2 transitions -> %.2f; min %.1f / %.1f -> %.2f "
      "(%zu repetitions)\n"
      "  flow: %.0f transitions/s, bare: %.0f transitions/s (median)\n",
      f.median / 1e3, b.median / 1e3, b.median / f.median, f.min / 1e3, b.min / 1e3,
      b.min / f.min, f.count, 2e9 / f.median, 2e9 / b.median);
}

/// Several processes race to claim the same requests, each trying them all.
void claim_race(int procs, int requests) {
  const auto path = temp_file("race.db");
  std::filesystem::remove(path);
  std::vector<std::string> ids;
  {
    flow::service svc(open(path));
    for (int i = 0; i < requests; ++i)
      ids.push_back(svc.request_chat({"u", flow::role::user}, "any", "", T0).value());
  }
  int fds[2];
  if (::pipe(fds) != 0) std::abort();
  const auto start = std::chrono::steady_clock::now();
  std::vector<pid_t> kids;
  for (int p = 0; p < procs; ++p) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      flow::service svc(open(path));
      const flow::actor c{"c" + std::to_string(p), flow::role::counsellor};
      int wins = 0;
      for (int i = 0; i < requests; ++i) {
        // Start at different places so the processes collide throughout.
        const auto &id =
            ids[static_cast<std::size_t>((i + p * requests / procs) % requests)];
        auto r = svc.fire(id, "claim", c, T0);
        if (r)
          ++wins;
        else if (r.code() != errc::conflict)
          _exit(100);
      }
      if (::write(fds[1], &wins, sizeof wins) != sizeof wins) _exit(101);
      _exit(0);
    }
    kids.push_back(pid);
  }
  ::close(fds[1]);
  int total = 0, w = 0, failed = 0;
  for (pid_t pid : kids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  while (::read(fds[0], &w, sizeof w) == sizeof w)
    total += w;
  ::close(fds[0]);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto check = open(path)->check().value();
  std::printf(
      "\nclaim race: %d processes x %d requests (each process tries every request): "
      "%d claims won (expected %d), %d processes failed, %.0f claim attempts/s, "
      "%.0f successful claims/s, store check %s\n",
      procs, requests, total, requests, failed, procs * requests / secs, total / secs,
      check.violations.empty() ? "ok" : check.violations[0].c_str());
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::sample_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratio(reporter);
  claim_race(4, 2000);
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(temp_file("x")).parent_path(), ec);
  return 0;
}
