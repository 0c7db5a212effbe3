// SQLite migration: counts, rotation, failures, dry run, interruption and
// resume, concurrent writers, bad input.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "pii/detail/testing.hpp"
#include "pii_test_util.hpp"
#include "veteran/pii/codec.hpp"
#include "veteran/pii/migrate.hpp"

using namespace veteran;
using namespace veteran::pii;

namespace {

struct temp_db {
  std::string path;
  sqlite3 *db = nullptr;
  explicit temp_db(const std::string &name)
      : path("/tmp/veteran_pii_mig_" + std::to_string(::getpid()) + "_" + name + ".db") {
    std::remove(path.c_str());
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  }
  ~temp_db() {
    sqlite3_close(db);
    std::remove(path.c_str());
  }
  void exec(const std::string &sql) const {
    char *err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    REQUIRE(rc == SQLITE_OK);
  }
  void set(int id, const std::string &col, const std::string &value) const {
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, ("UPDATE vets SET " + col + " = ? WHERE id = ?").c_str(), -1,
                       &s, nullptr);
    sqlite3_bind_text(s, 1, value.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, id);
    REQUIRE(sqlite3_step(s) == SQLITE_DONE);
    sqlite3_finalize(s);
  }
  // id -> column -> raw text (NULL as "<null>")
  std::map<int, std::map<std::string, std::string>> dump() const {
    std::map<int, std::map<std::string, std::string>> out;
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, "SELECT id, phone, email FROM vets ORDER BY id", -1, &s,
                       nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      const int id = sqlite3_column_int(s, 0);
      for (int c = 1; c <= 2; ++c) {
        const auto *t = sqlite3_column_text(s, c);
        out[id][c == 1 ? "phone" : "email"] =
            t ? std::string(reinterpret_cast<const char *>(t)) : "<null>";
      }
    }
    sqlite3_finalize(s);
    return out;
  }
};

std::string phone_of(int i) { return "07700 9" + std::to_string(10000 + i); }
std::string email_of(int i) { return "vet" + std::to_string(i) + "@example.com"; }

void fill(const temp_db &t, int rows) {
  t.exec("CREATE TABLE vets (id INTEGER PRIMARY KEY, phone TEXT, email TEXT)");
  t.exec("BEGIN");
  for (int i = 1; i <= rows; ++i)
    t.exec("INSERT INTO vets VALUES (" + std::to_string(i) + ", '" + phone_of(i) + "', " +
           (i % 7 == 0 ? std::string("NULL") : "'" + email_of(i) + "'") + ")");
  t.exec("COMMIT");
}

migration_options opts(std::size_t batch = 10) {
  migration_options o;
  o.table = "vets";
  o.id_column = "id";
  o.columns = {"phone", "email"};
  o.batch_size = batch;
  return o;
}

// Every row decrypts (exactly once: the plaintext is not itself an envelope)
// to its original value.
void check_all_migrated(const temp_db &t, const keyring &ring, int rows) {
  auto d = t.dump();
  REQUIRE(d.size() == static_cast<std::size_t>(rows));
  for (int i = 1; i <= rows; ++i) {
    CAPTURE(i);
    const auto &p = d[i]["phone"];
    REQUIRE(is_envelope(p));
    CHECK(envelope_key_id(p).value() == ring.active_id());
    const auto pv = decrypt(ring, {"vets", "phone", std::to_string(i)}, p).value();
    CHECK(pv.data == phone_of(i));
    CHECK_FALSE(is_envelope(pv.data));
    if (i % 7 == 0) {
      CHECK(d[i]["email"] == "<null>");
    } else {
      const auto ev =
          decrypt(ring, {"vets", "email", std::to_string(i)}, d[i]["email"]).value();
      CHECK(ev.data == email_of(i));
    }
  }
}

} // namespace

TEST_CASE("migration encrypts plaintext, then finds everything current") {
  temp_db t("basic");
  fill(t, 25);
  auto ring = pii_test::fixed_ring();
  auto c = migrate_sqlite(t.path, ring, opts(10)).value();
  CHECK(c.complete);
  CHECK(c.encrypted == 25 + 25 - 3);
  CHECK(c.nulls == 3);
  CHECK(c.failed == 0);
  CHECK(c.rows == 25);
  CHECK(c.batches == 3);
  check_all_migrated(t, ring, 25);
  auto again = migrate_sqlite(t.path, ring, opts(10)).value();
  CHECK(again.encrypted == 0);
  CHECK(again.already_current == 47);
  CHECK(to_json(again).find("\"already_current\":47") != std::string::npos);
}

TEST_CASE("migration rewraps old-key envelopes after rotation") {
  temp_db t("rotate");
  fill(t, 12);
  auto ring = pii_test::fixed_ring("old");
  (void)migrate_sqlite(t.path, ring, opts(5)).value();
  ring.add_key("new", pii_test::fixed_key(50), true).value();
  t.set(3, "phone", phone_of(3)); // one cell is plaintext again
  auto c = migrate_sqlite(t.path, ring, opts(5)).value();
  CHECK(c.rewrapped == 12 + 12 - 1 - 1);
  CHECK(c.encrypted == 1);
  CHECK(c.failed == 0);
  check_all_migrated(t, ring, 12);
}

TEST_CASE("migration never skips failures silently and never writes placeholders") {
  temp_db t("fail");
  fill(t, 6);
  auto ring = pii_test::fixed_ring("k1");
  const auto foreign =
      encrypt_string(pii_test::fixed_ring("gone"), {"vets", "phone", "2"}, "x").value();
  const auto moved = encrypt_string(ring, {"vets", "phone", "5"}, "y").value();
  t.set(2, "phone", foreign); // key not in ring
  t.set(4, "phone", moved);   // active key, but belongs to row 5
  auto c = migrate_sqlite(t.path, ring, opts(4)).value();
  CHECK(c.failed == 2);
  CHECK(c.complete);
  auto d = t.dump();
  CHECK(d[2]["phone"] == foreign); // left exactly as it was
  CHECK(d[4]["phone"] == moved);
  CHECK(d[1]["phone"] != phone_of(1));
  CHECK(decrypt(ring, {"vets", "phone", "1"}, d[1]["phone"]).value().data == phone_of(1));
}

TEST_CASE("dry run changes nothing and reports what would happen") {
  temp_db t("dry");
  fill(t, 9);
  const auto before = t.dump();
  auto ring = pii_test::fixed_ring();
  auto o = opts(4);
  o.dry_run = true;
  auto c = migrate_sqlite(t.path, ring, o).value();
  CHECK(c.encrypted == 9 + 8);
  CHECK(c.complete);
  CHECK(t.dump() == before);
  sqlite3_stmt *s = nullptr;
  sqlite3_prepare_v2(t.db,
                     "SELECT count(*) FROM sqlite_master WHERE name LIKE '_veteran%'", -1,
                     &s, nullptr);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(sqlite3_column_int(s, 0) == 0); // no progress table either
  sqlite3_finalize(s);
}

TEST_CASE(
    "interrupted at random points and resumed: no row lost, none double-encrypted") {
  std::mt19937 rng(20261121);
  for (int trial = 0; trial < 12; ++trial) {
    CAPTURE(trial);
    temp_db t("resume" + std::to_string(trial));
    const int rows = 30;
    fill(t, rows);
    auto ring = pii_test::fixed_ring();
    int runs = 0;
    bool done = false;
    while (!done) {
      REQUIRE(++runs < 100);
      auto o = opts(1 + rng() % 8);
      const int where = static_cast<int>(rng() % 3);
      int budget = 1 + static_cast<int>(rng() % 4);
      pii::detail::migration_hooks hooks;
      if (where == 0) hooks.after_cell_write = [&] { return --budget > 0; };
      if (where == 1) hooks.after_read = [&] { return --budget > 0; };
      if (where == 2)
        o.after_batch = [&](const migration_counts &) { return --budget > 0; };
      auto c = pii::detail::migrate_sqlite(t.path, ring, o, hooks).value();
      CHECK(c.failed == 0);
      done = c.complete;
    }
    CHECK(runs > 1);
    check_all_migrated(t, ring, rows);
  }
}

TEST_CASE("a concurrent writer between read and write keeps its write") {
  temp_db t("concurrent");
  fill(t, 8);
  auto ring = pii_test::fixed_ring();
  auto o = opts(8);
  bool wrote = false;
  pii::detail::migration_hooks hooks;
  hooks.after_read = [&] {
    if (wrote) return true;
    // Another connection (another process in real life) updates rows after
    // the migration read them but before it writes.
    sqlite3 *other = nullptr;
    REQUIRE(sqlite3_open(t.path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "UPDATE vets SET phone = '07700 900999' WHERE id = 2",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    const auto env =
        encrypt_string(ring, {"vets", "email", "3"}, "new@example.com").value();
    REQUIRE(sqlite3_exec(other,
                         ("UPDATE vets SET email = '" + env + "' WHERE id = 3").c_str(),
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "DELETE FROM vets WHERE id = 4", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    sqlite3_close(other);
    wrote = true;
    return true;
  };
  auto c = pii::detail::migrate_sqlite(t.path, ring, o, hooks).value();
  CHECK(c.skipped_changed == 4); // row 2 phone, row 3 email, row 4 both
  CHECK(c.failed == 0);
  auto d = t.dump();
  CHECK(d.count(4) == 0);
  CHECK(decrypt(ring, {"vets", "phone", "2"}, d[2]["phone"]).value().data ==
        "07700 900999");
  CHECK(decrypt(ring, {"vets", "email", "3"}, d[3]["email"]).value().data ==
        "new@example.com");
  CHECK(decrypt(ring, {"vets", "phone", "5"}, d[5]["phone"]).value().data == phone_of(5));
}

TEST_CASE("bad migration input is refused and changes nothing") {
  temp_db t("bad");
  fill(t, 3);
  const auto before = t.dump();
  auto ring = pii_test::fixed_ring();
  auto check_code = [&](migration_options o, errc code, const std::string &path = "") {
    auto r = migrate_sqlite(path.empty() ? t.path : path, ring, o);
    CAPTURE(r.message());
    CHECK(r.code() == code);
    CHECK(t.dump() == before);
  };
  auto o = opts();
  o.table = "vets; DROP TABLE vets";
  check_code(o, errc::invalid_argument);
  o = opts();
  o.table = "missing";
  check_code(o, errc::not_found);
  o = opts();
  o.columns = {"phone", "nosuch"};
  check_code(o, errc::invalid_argument);
  o = opts();
  o.columns = {};
  check_code(o, errc::invalid_argument);
  o = opts();
  o.columns = {"phone", "phone"};
  check_code(o, errc::invalid_argument);
  o = opts();
  o.columns = {"id"};
  check_code(o, errc::invalid_argument);
  o = opts();
  o.batch_size = 0;
  check_code(o, errc::invalid_argument);
  check_code(opts(), errc::not_found, "/nonexistent/dir/x.db");
  CHECK(migrate_sqlite(t.path, keyring{}, opts()).code() == errc::key_missing);
  CHECK(t.dump() == before);
}

TEST_CASE("integer, real and blob cells keep their type through migration") {
  temp_db t("types");
  t.exec("CREATE TABLE vets (id TEXT PRIMARY KEY, phone, email)");
  t.exec("INSERT INTO vets VALUES ('a', 42, x'00ff10'), ('b', 2.5, 'vet1:hello')");
  auto ring = pii_test::fixed_ring();
  auto c = migrate_sqlite(t.path, ring, opts()).value();
  CHECK(c.encrypted == 4);
  sqlite3_stmt *s = nullptr;
  sqlite3_prepare_v2(t.db, "SELECT id, phone, email FROM vets ORDER BY id", -1, &s,
                     nullptr);
  std::map<std::string, std::pair<std::string, std::string>> rows;
  while (sqlite3_step(s) == SQLITE_ROW)
    rows[reinterpret_cast<const char *>(sqlite3_column_text(s, 0))] = {
        reinterpret_cast<const char *>(sqlite3_column_text(s, 1)),
        reinterpret_cast<const char *>(sqlite3_column_text(s, 2))};
  sqlite3_finalize(s);
  auto i = decrypt(ring, {"vets", "phone", "a"}, rows["a"].first).value();
  CHECK(i.kind == value_kind::json);
  CHECK(i.data == "42");
  auto b = decrypt(ring, {"vets", "email", "a"}, rows["a"].second).value();
  CHECK(b.kind == value_kind::bytes);
  CHECK(b.data == std::string("\x00\xff\x10", 3));
  auto r = decrypt(ring, {"vets", "phone", "b"}, rows["b"].first).value();
  CHECK(r.data == "2.5");
  // A plaintext that merely starts like an envelope is encrypted, not skipped.
  CHECK(decrypt(ring, {"vets", "email", "b"}, rows["b"].second).value().data ==
        "vet1:hello");
}

TEST_CASE("an id column with NULL or duplicate values is refused before anything is "
          "written") {
  auto ring = pii_test::fixed_ring();
  auto raw_rows = [](const temp_db &t) {
    std::vector<std::string> out;
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(t.db, "SELECT coalesce(phone, '<null>') FROM vets ORDER BY rowid",
                       -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW)
      out.emplace_back(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    return out;
  };
  auto progress_table = [](const temp_db &t) {
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(t.db,
                       "SELECT 1 FROM sqlite_master WHERE name='_veteran_pii_migration'",
                       -1, &s, nullptr);
    const bool found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return found;
  };
  SUBCASE("NULL id: the row would never be read") {
    temp_db t("nullid");
    t.exec("CREATE TABLE vets (id TEXT, phone TEXT, email TEXT)");
    t.exec("INSERT INTO vets VALUES ('1', '07700 900001', NULL), (NULL, '07700 900002', "
           "NULL), ('2', '07700 900003', NULL)");
    const auto before = raw_rows(t);
    auto r = migrate_sqlite(t.path, ring, opts(10));
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.message().find("table 'vets'") != std::string::npos);
    CHECK(r.message().find("column 'id'") != std::string::npos);
    CHECK(r.message().find("NULL") != std::string::npos);
    CHECK(raw_rows(t) == before);
    CHECK_FALSE(progress_table(t));
  }
  SUBCASE("duplicate ids across a batch boundary") {
    temp_db t("dupid");
    t.exec("CREATE TABLE vets (id INTEGER, phone TEXT, email TEXT)");
    t.exec(
        "INSERT INTO vets VALUES (1, '07700 900001', NULL), (2, '07700 900002', NULL), "
        "(2, '07700 900003', NULL), (3, '07700 900004', NULL)");
    const auto before = raw_rows(t);
    auto o = opts(2); // rows (1,2) | (2,3): the second 2 was skipped before
    auto r = migrate_sqlite(t.path, ring, o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.message().find("duplicate") != std::string::npos);
    CHECK(r.message().find("07700") == std::string::npos);
    CHECK(raw_rows(t) == before);
    o.dry_run = true;
    CHECK(migrate_sqlite(t.path, ring, o).code() == errc::invalid_argument);
  }
  SUBCASE("ids with the same text form (1 and '1') would share a context") {
    temp_db t("textid");
    t.exec("CREATE TABLE vets (id, phone TEXT, email TEXT)");
    t.exec("INSERT INTO vets VALUES (1, '07700 900001', NULL), ('1', '07700 900002', "
           "NULL)");
    const auto before = raw_rows(t);
    CHECK(migrate_sqlite(t.path, ring, opts(10)).code() == errc::invalid_argument);
    CHECK(raw_rows(t) == before);
  }
}

TEST_CASE("a column listed twice in any letter case is refused") {
  temp_db t("dupcol");
  fill(t, 3);
  auto ring = pii_test::fixed_ring();
  auto o = opts(10);
  o.columns = {"phone", "PHONE"};
  auto r = migrate_sqlite(t.path, ring, o);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(r.message().find("listed twice") != std::string::npos);
  o.columns = {"phone", "ID"};
  CHECK(migrate_sqlite(t.path, ring, o).code() == errc::invalid_argument);
  CHECK(t.dump()[1]["phone"] == phone_of(1));
}
