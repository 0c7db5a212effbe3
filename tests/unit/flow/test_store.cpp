// The store: schema, compare-and-set, audit and outbox in one transaction,
// check(), bad files.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>
#include <sys/stat.h>

#include "flow_test_util.hpp"
#include "store/detail/sqlite.hpp"

using namespace veteran;
using flow_test::open_store;

namespace {

store::write create_write(const std::string &id, const char *state = "pending") {
  store::write w;
  w.next.id = id;
  w.next.kind = "callback";
  w.next.state = state;
  w.next.version = 1;
  w.next.data = "{}";
  w.expected_version = 0;
  w.audit.event = "create";
  w.audit.actor = "a";
  w.audit.role = "user";
  w.notify.push_back({0, id, 0, "callback.created", "counsellor", "{}", 0});
  return w;
}

store::write move_write(const store::entity &e, const char *to) {
  store::write w;
  w.next = e;
  w.next.state = to;
  w.next.version = e.version + 1;
  w.expected_version = e.version;
  w.expected_state = e.state;
  w.audit.event = "take";
  w.audit.actor = "s";
  w.audit.role = "counsellor";
  return w;
}

void sql(const std::string &path, const char *text) {
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char *err = nullptr;
  const int rc = sqlite3_exec(db, text, nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, msg);
}

} // namespace

TEST_CASE("store: a transition writes state, audit and outbox together; CAS refuses "
          "stale writes") {
  auto s = open_store(":memory:");
  REQUIRE(s->commit({create_write("cb_1")}).ok());
  auto e = s->get("cb_1").value();
  REQUIRE(e);
  CHECK(e->state == "pending");
  CHECK(e->version == 1);
  REQUIRE(s->commit({move_write(*e, "taken")}).ok());
  // The same stale write again: the entity moved on, nothing is written.
  auto stale = s->commit({move_write(*e, "taken")});
  CHECK(stale.code() == errc::conflict);
  auto audit = s->audit(0, 100).value();
  REQUIRE(audit.size() == 2);
  CHECK(audit[0].from_state == "");
  CHECK(audit[0].to_state == "pending");
  CHECK(audit[1].from_state == "pending");
  CHECK(audit[1].to_state == "taken");
  CHECK(audit[1].actor == "s");
  CHECK(s->outbox(0, 100).value().size() == 1);
  flow_test::check_ok(*s);
}

TEST_CASE("store: a batch is all or nothing") {
  auto s = open_store(":memory:");
  REQUIRE(s->commit({create_write("cb_1")}).ok());
  // Second write of the batch duplicates an id: the first must not survive.
  auto r = s->commit({create_write("cb_2"), create_write("cb_1")});
  CHECK(r.code() == errc::conflict);
  CHECK_FALSE(s->get("cb_2").value());
  CHECK(s->audit(0, 100).value().size() == 1);
  CHECK(s->outbox(0, 100).value().size() == 1);
}

TEST_CASE("store: unknown id on update is not_found; inconsistent writes are refused") {
  auto s = open_store(":memory:");
  store::entity ghost;
  ghost.id = "nope";
  ghost.kind = "callback";
  ghost.state = "pending";
  ghost.version = 1;
  ghost.data = "{}";
  CHECK(s->commit({move_write(ghost, "taken")}).code() == errc::not_found);
  auto w = create_write("x");
  w.next.version = 5;
  CHECK(s->commit({w}).code() == errc::invalid_argument);
  w = create_write("");
  CHECK(s->commit({w}).code() == errc::invalid_argument);
}

TEST_CASE("store: unique key allows one holder at a time") {
  auto s = open_store(":memory:");
  auto a = create_write("sg_1", "open");
  a.next.unique_key = "safeguarding:s1";
  REQUIRE(s->commit({a}).ok());
  auto b = create_write("sg_2", "open");
  b.next.unique_key = "safeguarding:s1";
  CHECK(s->commit({b}).code() == errc::conflict);
  auto e = *s->get("sg_1").value();
  auto done = move_write(e, "resolved");
  done.next.unique_key.clear();
  REQUIRE(s->commit({done}).ok());
  CHECK(s->commit({b}).ok());
}

TEST_CASE(
    "store: file store keeps everything across reopen; WAL is on; FULL selectable") {
  flow_test::temp_dir d;
  const auto path = d.file("s.db");
  {
    auto s = open_store(path);
    REQUIRE(s->commit({create_write("cb_1")}).ok());
  }
  auto s = open_store(path);
  CHECK(s->get("cb_1").value());
  flow_test::check_ok(*s);
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt *st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char *>(sqlite3_column_text(st, 0))) == "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
  store::sqlite_options o;
  o.path = path;
  o.sync = store::sync_mode::full;
  CHECK(store::open_sqlite(o).ok());
}

TEST_CASE("store: a database from a newer schema is refused and left unchanged") {
  flow_test::temp_dir d;
  const auto path = d.file("s.db");
  { auto s = open_store(path); }
  sql(path, "PRAGMA user_version=99");
  store::sqlite_options o;
  o.path = path;
  auto r = store::open_sqlite(o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == errc::unsupported_version);
  CHECK(r.message().find("99") != std::string::npos);
}

TEST_CASE("store: corrupt, foreign, missing and read-only files get clear errors") {
  flow_test::temp_dir d;
  store::sqlite_options o;
  SUBCASE("corrupt") {
    o.path = d.file("junk.db");
    std::ofstream(o.path) << std::string(4096, 'x');
    auto r = store::open_sqlite(o);
    CHECK(r.code() == errc::database_error);
    CHECK(r.message().find("corrupt") != std::string::npos);
  }
  SUBCASE("another application's database") {
    o.path = d.file("other.db");
    sql(o.path, "CREATE TABLE t(x)");
    auto r = store::open_sqlite(o);
    CHECK(r.code() == errc::database_error);
    CHECK(r.message().find("not a veteran store") != std::string::npos);
  }
  SUBCASE("missing, without create") {
    o.path = d.file("none.db");
    o.create = false;
    CHECK(store::open_sqlite(o).code() == errc::not_found);
  }
  SUBCASE("read-only file: reads work, writes are refused, nothing changes") {
    o.path = d.file("ro.db");
    {
      auto s = open_store(o.path);
      REQUIRE(s->commit({create_write("cb_1")}).ok());
    }
    o.read_only = true;
    auto s = store::open_sqlite(o);
    REQUIRE(s.ok());
    CHECK((*s)->get("cb_1").value());
    auto e = *(*s)->get("cb_1").value();
    auto w = (*s)->commit({move_write(e, "taken")});
    CHECK(w.code() == errc::permission_denied);
    CHECK((*s)->get("cb_1").value()->state == "pending");
  }
  SUBCASE("a read-only directory cannot create a store") {
    if (::geteuid() == 0) return; // root ignores permissions
    const auto dir = d.file("locked");
    ::mkdir(dir.c_str(), 0500);
    o.path = dir + "/s.db";
    auto r = store::open_sqlite(o);
    CHECK_FALSE(r.ok());
    CHECK((r.code() == errc::io_error || r.code() == errc::permission_denied));
    ::chmod(dir.c_str(), 0700);
  }
}

TEST_CASE("store: check() reports a state that no audited transition explains") {
  flow_test::temp_dir d;
  const auto path = d.file("s.db");
  {
    auto s = open_store(path);
    REQUIRE(s->commit({create_write("cb_1")}).ok());
    flow_test::check_ok(*s);
  }
  sql(path, "UPDATE entities SET state='taken' WHERE id='cb_1'");
  auto s = open_store(path);
  auto rep = s->check().value();
  REQUIRE_FALSE(rep.violations.empty());
  CHECK(rep.violations.front().find("cb_1") != std::string::npos);
}

TEST_CASE("store: the SQLite layer rejects double-quoted string literals") {
  auto c = store::detail::connection::open(":memory:");
  REQUIRE(c.ok());
  REQUIRE(c->exec("CREATE TABLE t(id INTEGER)", "create").ok());
  // Without DQS off, "nosuch" would silently be the string 'nosuch'.
  auto r = c->prepare("SELECT \"nosuch\" FROM t", "select");
  CHECK_FALSE(r.ok());
  CHECK(r.code() == errc::database_error);
  auto ddl = c->exec("CREATE INDEX i ON t(\"nosuch\")", "index");
  CHECK_FALSE(ddl.ok());
}

TEST_CASE("store: SQLite errors map to SDK codes") {
  CHECK(store::detail::map_error(SQLITE_BUSY) == errc::timeout);
  CHECK(store::detail::map_error(SQLITE_READONLY) == errc::permission_denied);
  CHECK(store::detail::map_error(SQLITE_CONSTRAINT_UNIQUE) == errc::conflict);
  CHECK(store::detail::map_error(SQLITE_NOTADB) == errc::database_error);
  CHECK(store::detail::map_error(SQLITE_IOERR_WRITE) == errc::io_error);
}

TEST_CASE("store: update() decides on the current row inside the transaction") {
  auto s = open_store(":memory:");
  REQUIRE(s->commit({create_write("cb_1")}).ok());
  // Missing id: decide sees nullopt; its error comes back unchanged.
  auto missing = s->update(
      "nope",
      [](const std::optional<store::entity> &e) -> result<std::vector<store::write>> {
        CHECK_FALSE(e);
        return error_info{errc::not_found, "unknown id nope"};
      });
  CHECK(missing.code() == errc::not_found);
  // A refusal writes nothing.
  auto refused = s->update(
      "cb_1",
      [](const std::optional<store::entity> &) -> result<std::vector<store::write>> {
        return error_info{errc::invalid_state, "no"};
      });
  CHECK(refused.code() == errc::invalid_state);
  CHECK(s->audit(0, 100).value().size() == 1);
  // A decision commits like commit() (and checks the same things).
  auto ok = s->update(
      "cb_1",
      [](const std::optional<store::entity> &e) -> result<std::vector<store::write>> {
        REQUIRE(e);
        return std::vector<store::write>{move_write(*e, "taken")};
      });
  REQUIRE(ok.ok());
  CHECK(s->get("cb_1").value()->state == "taken");
  auto bad = s->update(
      "cb_1",
      [](const std::optional<store::entity> &e) -> result<std::vector<store::write>> {
        auto w = move_write(*e, "pending");
        w.expected_version = 99; // stale
        w.next.version = 100;
        return std::vector<store::write>{w};
      });
  CHECK(bad.code() == errc::conflict);
  CHECK(s->get("cb_1").value()->state == "taken");
  flow_test::check_ok(*s);
}
