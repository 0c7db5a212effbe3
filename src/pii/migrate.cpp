// SQLite migration. See include/veteran/pii/migrate.hpp.
#include "veteran/pii/migrate.hpp"

#include <sqlite3.h>

#include <cctype>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pii/detail/testing.hpp"
#include "store/detail/sqlite.hpp"
#include "veteran/pii/codec.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

namespace {

constexpr const char *kProgressTable = "_veteran_pii_migration";

namespace sq = store::detail;

struct value_closer {
  void operator()(sqlite3_value *v) const noexcept { sqlite3_value_free(v); }
};
using value_ptr = std::unique_ptr<sqlite3_value, value_closer>;

bool valid_identifier(const std::string &s) noexcept {
  if (s.empty() || s.size() > 128) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string quote(const std::string &ident) { return "\"" + ident + "\""; }

value_ptr dup(sqlite3_value *v) { return value_ptr(sqlite3_value_dup(v)); }

struct row {
  value_ptr id;
  std::string record_id;
  std::vector<value_ptr> cells;
};

enum class action { null_cell, current, encrypt, rewrap, fail };
struct decision {
  action what = action::fail;
  std::string new_text;
};

class migration {
public:
  migration(sq::connection &db, const keyring &ring, const migration_options &o,
            const detail::migration_hooks &hooks)
      : db_(db), ring_(ring), o_(o), hooks_(hooks) {
    std::string cols;
    for (const auto &c : o.columns)
      cols += (cols.empty() ? "" : "|") + c;
    job_ = o.table + "|" + o.id_column + "|" + cols + "|" + ring.active_id();
  }

  result<migration_counts> run() {
    if (auto r = prepare(); !r) return r.error();
    while (true) {
      std::vector<row> batch;
      if (auto r = read_batch(batch); !r) return r.error();
      if (batch.empty()) {
        // Rows inserted meanwhile with a NULL or repeated id would have been
        // skipped: "complete" must mean every row was handled.
        if (auto r = check_ids(); !r) return r.error();
        counts_.complete = true;
        break;
      }
      if (hooks_.after_read && !hooks_.after_read()) return counts_;
      migration_counts delta;
      bool aborted = false;
      if (auto r =
              o_.dry_run ? dry_batch(batch, delta) : write_batch(batch, delta, aborted);
          !r)
        return r.error();
      if (aborted) return counts_; // rolled back: nothing of this batch counts
      merge(delta);
      ++counts_.batches;
      last_id_ = dup(batch.back().id.get());
      if (o_.after_batch && !o_.after_batch(counts_)) return counts_;
    }
    if (!o_.dry_run && has_progress_table_) {
      if (auto r = exec_bound(
              "DELETE FROM " + std::string(kProgressTable) + " WHERE job = ?1", nullptr);
          !r)
        return r.error();
    }
    return counts_;
  }

private:
  result<void> exec(const std::string &sql) { return db_.exec(sql, "migration"); }

  result<sq::statement> prepare_stmt(const std::string &sql) {
    return db_.prepare(sql, "cannot prepare migration statement");
  }

  error_info db_error(const std::string &what) const { return db_.error(what); }

  // Runs a statement with ?1 = job and optional ?2 = value.
  result<void> exec_bound(const std::string &sql, sqlite3_value *v) {
    auto s = prepare_stmt(sql);
    if (!s) return s.error();
    s->bind(1, job_);
    if (v) s->bind_value(2, v);
    return s->run("cannot update progress");
  }

  result<void> prepare() {
    auto check =
        prepare_stmt("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1");
    if (!check) return check.error();
    auto found = check->bind(1, o_.table).step("cannot read the schema");
    if (!found) return found.error();
    if (!*found)
      return error_info{errc::not_found, "table '" + o_.table + "' does not exist"};
    check->reset();
    auto progress = check->bind(1, kProgressTable).step("cannot read the schema");
    if (!progress) return progress.error();
    has_progress_table_ = *progress;
    // Check column names explicitly: SQLite would otherwise read an unknown
    // double-quoted name as a string literal.
    if (auto r = check_columns(); !r) return r;
    if (auto r = check_ids(); !r) return r;
    if (!o_.dry_run && !has_progress_table_) {
      if (auto r = exec("CREATE TABLE IF NOT EXISTS " + std::string(kProgressTable) +
                        " (job TEXT PRIMARY KEY, last_id)");
          !r)
        return r;
      has_progress_table_ = true;
    }
    if (has_progress_table_) {
      auto s = prepare_stmt("SELECT last_id FROM " + std::string(kProgressTable) +
                            " WHERE job = ?1");
      if (!s) return s.error();
      auto row = s->bind(1, job_).step("cannot read progress");
      if (!row) return row.error();
      if (*row) last_id_ = dup(s->value(0));
    }
    return {};
  }

  result<void> check_columns() {
    auto s = prepare_stmt("SELECT name FROM pragma_table_info(?1)");
    if (!s) return s.error();
    s->bind(1, o_.table);
    std::set<std::string> names;
    while (true) {
      auto row = s->step("cannot read the table's columns");
      if (!row) return row.error();
      if (!*row) break;
      names.insert(lower(s->text(0)));
    }
    if (!names.count(lower(o_.id_column)))
      return error_info{errc::invalid_argument,
                        "table '" + o_.table + "' has no column '" + o_.id_column + "'"};
    for (const auto &c : o_.columns)
      if (!names.count(lower(c)))
        return error_info{errc::invalid_argument,
                          "table '" + o_.table + "' has no column '" + c + "'"};
    return {};
  }

  // Every row must be reachable by "id > last id" and have its own
  // encryption context: a NULL id is never read, rows sharing an id across a
  // batch boundary are skipped on every run, and rows whose ids have the same
  // text form (1 and '1') share a context, so their envelopes could be
  // swapped unnoticed. Values are never put in the message.
  result<void> check_ids() {
    const std::string where =
        "table '" + o_.table + "': id column '" + o_.id_column + "' ";
    auto nulls = prepare_stmt("SELECT 1 FROM " + quote(o_.table) + " WHERE " +
                              quote(o_.id_column) + " IS NULL LIMIT 1");
    if (!nulls) return nulls.error();
    int rc = sqlite3_step(nulls->raw());
    if (rc == SQLITE_ROW)
      return error_info{errc::invalid_argument,
                        where + "has NULL values; migration needs a unique, non-NULL "
                                "id column"};
    if (rc != SQLITE_DONE) return db_error("cannot check the id column");
    auto dups =
        prepare_stmt("SELECT 1 FROM " + quote(o_.table) + " GROUP BY CAST(" +
                     quote(o_.id_column) + " AS TEXT) HAVING COUNT(*) > 1 LIMIT 1");
    if (!dups) return dups.error();
    rc = sqlite3_step(dups->raw());
    if (rc == SQLITE_ROW)
      return error_info{errc::invalid_argument,
                        where + "has duplicate values (compared as text, the form "
                                "bound into each ciphertext); migration needs a "
                                "unique, non-NULL id column"};
    if (rc != SQLITE_DONE) return db_error("cannot check the id column");
    return {};
  }

  static std::string lower(std::string n) {
    for (auto &ch : n)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return n;
  }

  std::string select_sql(bool after) const {
    std::string sql = "SELECT " + quote(o_.id_column);
    for (const auto &c : o_.columns)
      sql += ", " + quote(c);
    sql += " FROM " + quote(o_.table) + " WHERE " + quote(o_.id_column) +
           (after ? " > ?1" : " IS NOT NULL") + " ORDER BY " + quote(o_.id_column) +
           " LIMIT ?2";
    return sql;
  }

  result<void> read_batch(std::vector<row> &out) {
    auto s = prepare_stmt(select_sql(last_id_ != nullptr));
    if (!s) return s.error();
    if (last_id_) sqlite3_bind_value(s->raw(), 1, last_id_.get());
    sqlite3_bind_int64(s->raw(), 2, static_cast<sqlite3_int64>(o_.batch_size));
    int rc;
    while ((rc = sqlite3_step(s->raw())) == SQLITE_ROW) {
      row r;
      r.id = dup(sqlite3_column_value(s->raw(), 0));
      const auto *txt = sqlite3_column_text(s->raw(), 0);
      r.record_id.assign(reinterpret_cast<const char *>(txt),
                         static_cast<std::size_t>(sqlite3_column_bytes(s->raw(), 0)));
      for (std::size_t c = 0; c < o_.columns.size(); ++c)
        r.cells.push_back(dup(sqlite3_column_value(s->raw(), static_cast<int>(c + 1))));
      bool complete = r.id != nullptr;
      for (const auto &c : r.cells)
        complete = complete && c != nullptr;
      if (!complete)
        return error_info{errc::out_of_memory, "out of memory reading a batch"};
      out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return db_error("cannot read table '" + o_.table + "'");
    // The statement is finalised here, before any hook runs, so this
    // connection holds no read lock while a concurrent writer commits.
    return {};
  }

  decision classify(const std::string &record_id, const std::string &column,
                    sqlite3_value *v) {
    const field_context ctx{o_.table, column, record_id};
    decision d;
    const int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) {
      d.what = action::null_cell;
      return d;
    }
    const auto *p = sqlite3_value_blob(v);
    const std::string_view data(p ? static_cast<const char *>(p) : "",
                                static_cast<std::size_t>(sqlite3_value_bytes(v)));
    if (type == SQLITE_TEXT && is_envelope(data)) {
      auto id = envelope_key_id(data);
      if (id && *id == ring_.active_id()) {
        // Verify rather than trust the id: a damaged or moved envelope must
        // be reported, not counted as done.
        auto check = decrypt(ring_, ctx, data);
        d.what = check ? action::current : action::fail;
        return d;
      }
      auto re = rewrap(ring_, ctx, data);
      if (!re) return d; // fail: left unchanged
      d.what = action::rewrap;
      d.new_text = std::move(*re);
      return d;
    }
    result<std::string> enc = error_info{errc::internal, ""};
    if (type == SQLITE_BLOB) {
      enc = encrypt_bytes(ring_, ctx, data);
    } else if (type == SQLITE_TEXT) {
      enc = encrypt_string(ring_, ctx, data);
      if (!enc && enc.code() == errc::invalid_utf8) enc = encrypt_bytes(ring_, ctx, data);
    } else {
      enc = encrypt_json(ring_, ctx, data); // INTEGER / REAL keep their type
      if (!enc) enc = encrypt_string(ring_, ctx, data);
    }
    if (!enc) return d;
    d.what = action::encrypt;
    d.new_text = std::move(*enc);
    return d;
  }

  static void count(migration_counts &c, action a) {
    switch (a) {
    case action::null_cell:
      ++c.nulls;
      break;
    case action::current:
      ++c.already_current;
      break;
    case action::encrypt:
      ++c.encrypted;
      break;
    case action::rewrap:
      ++c.rewrapped;
      break;
    case action::fail:
      ++c.failed;
      break;
    }
  }

  void merge(const migration_counts &d) {
    counts_.encrypted += d.encrypted;
    counts_.rewrapped += d.rewrapped;
    counts_.already_current += d.already_current;
    counts_.failed += d.failed;
    counts_.skipped_changed += d.skipped_changed;
    counts_.nulls += d.nulls;
    counts_.rows += d.rows;
  }

  result<void> dry_batch(const std::vector<row> &batch, migration_counts &delta) {
    for (const auto &r : batch) {
      ++delta.rows;
      for (std::size_t c = 0; c < o_.columns.size(); ++c)
        count(delta, classify(r.record_id, o_.columns[c], r.cells[c].get()).what);
    }
    return {};
  }

  // Inside the write transaction (no other writer can interleave now), the
  // current value of a cell whose compare-and-set missed.
  result<value_ptr> reread(const row &r, const std::string &column) {
    auto s = prepare_stmt("SELECT " + quote(column) + " FROM " + quote(o_.table) +
                          " WHERE " + quote(o_.id_column) + " = ?1");
    if (!s) return s.error();
    sqlite3_bind_value(s->raw(), 1, r.id.get());
    const int rc = sqlite3_step(s->raw());
    if (rc == SQLITE_DONE) return value_ptr(); // row deleted meanwhile
    if (rc != SQLITE_ROW) return db_error("cannot re-read a changed row");
    return dup(sqlite3_column_value(s->raw(), 0));
  }

  result<void> write_batch(const std::vector<row> &batch, migration_counts &delta,
                           bool &aborted) {
    auto txn = sq::transaction::begin(db_);
    if (!txn) return txn.error();
    auto rollback = [&] { txn->rollback(); };
    std::vector<sq::statement> updates;
    for (const auto &c : o_.columns) {
      auto s =
          prepare_stmt("UPDATE " + quote(o_.table) + " SET " + quote(c) + " = ?1 WHERE " +
                       quote(o_.id_column) + " = ?2 AND " + quote(c) + " IS ?3");
      if (!s) {
        rollback();
        return s.error();
      }
      updates.push_back(std::move(*s));
    }
    for (const auto &r : batch) {
      ++delta.rows;
      for (std::size_t c = 0; c < o_.columns.size(); ++c) {
        auto outcome = migrate_cell(r, c, r.cells[c].get(), updates[c].raw(), delta);
        if (!outcome) {
          rollback();
          return outcome.error();
        }
        if (!*outcome) {
          rollback();
          aborted = true;
          return {};
        }
      }
    }
    if (auto r = exec_bound(
            "INSERT INTO " + std::string(kProgressTable) +
                " (job, last_id) VALUES (?1, ?2) ON CONFLICT(job) DO UPDATE SET "
                "last_id = excluded.last_id",
            batch.back().id.get());
        !r) {
      rollback();
      return r;
    }
    return txn->commit();
  }

  // Classifies and compare-and-sets one cell; false if a hook asked to abort.
  result<bool> migrate_cell(const row &r, std::size_t c, sqlite3_value *seen,
                            sqlite3_stmt *upd, migration_counts &delta) {
    value_ptr current;
    for (std::size_t attempt = 0;; ++attempt) {
      decision d = classify(r.record_id, o_.columns[c], seen);
      if (d.what != action::encrypt && d.what != action::rewrap) {
        count(delta, d.what);
        return true;
      }
      sqlite3_reset(upd);
      sqlite3_bind_text(upd, 1, d.new_text.data(), static_cast<int>(d.new_text.size()),
                        SQLITE_TRANSIENT);
      sqlite3_bind_value(upd, 2, r.id.get());
      sqlite3_bind_value(upd, 3, seen);
      if (sqlite3_step(upd) != SQLITE_DONE) return db_error("cannot update a cell");
      if (db_.changes() == 1) {
        count(delta, d.what);
        if (hooks_.after_cell_write && !hooks_.after_cell_write()) return false;
        return true;
      }
      // The row changed after it was read: never overwrite it; look again.
      ++delta.skipped_changed;
      if (attempt + 1 >= o_.max_retries) {
        ++delta.failed;
        return true;
      }
      auto fresh = reread(r, o_.columns[c]);
      if (!fresh) return fresh.error();
      if (!*fresh) return true; // row deleted: nothing left to protect
      current = std::move(*fresh);
      seen = current.get();
    }
  }

  sq::connection &db_;
  const keyring &ring_;
  const migration_options &o_;
  const detail::migration_hooks &hooks_;
  std::string job_;
  bool has_progress_table_ = false;
  value_ptr last_id_;
  migration_counts counts_;
};

result<migration_counts> run_migration(const std::string &db_path, const keyring &ring,
                                       const migration_options &options,
                                       const detail::migration_hooks &hooks) {
  if (!valid_identifier(options.table))
    return error_info{errc::invalid_argument,
                      "table name must match [A-Za-z_][A-Za-z0-9_]*"};
  if (!valid_identifier(options.id_column))
    return error_info{errc::invalid_argument,
                      "id column must match [A-Za-z_][A-Za-z0-9_]*"};
  if (options.columns.empty())
    return error_info{errc::invalid_argument, "at least one column is required"};
  // SQLite identifiers are case-insensitive: "Phone" and "phone" are one
  // column, which would otherwise be encrypted twice.
  auto lower = [](std::string n) {
    for (auto &ch : n)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return n;
  };
  std::set<std::string> seen;
  for (const auto &c : options.columns) {
    if (!valid_identifier(c))
      return error_info{errc::invalid_argument,
                        "column names must match [A-Za-z_][A-Za-z0-9_]*"};
    if (lower(c) == lower(options.id_column))
      return error_info{errc::invalid_argument, "the id column cannot be migrated"};
    if (!seen.insert(lower(c)).second)
      return error_info{errc::invalid_argument,
                        "column '" + c +
                            "' is listed twice (names are case-insensitive)"};
  }
  if (options.batch_size == 0 || options.batch_size > 1000000)
    return error_info{errc::invalid_argument, "batch size must be 1-1000000"};
  if (options.max_retries == 0)
    return error_info{errc::invalid_argument, "max_retries must be at least 1"};
  if (ring.empty()) return error_info{errc::key_missing, "no key: the key ring is empty"};
  sq::open_options oo;
  oo.read_only = options.dry_run;
  oo.create = false;
  auto db = sq::connection::open(db_path, oo);
  if (!db) return db.error();
  migration m(*db, ring, options, hooks);
  return m.run();
}

} // namespace

result<migration_counts> migrate_sqlite(const std::string &db_path, const keyring &ring,
                                        const migration_options &options) {
  return run_migration(db_path, ring, options, detail::migration_hooks{});
}

namespace detail {
result<migration_counts> migrate_sqlite(const std::string &db_path, const keyring &ring,
                                        const migration_options &options,
                                        const migration_hooks &hooks) {
  return run_migration(db_path, ring, options, hooks);
}
} // namespace detail

std::string to_json(const migration_counts &c) {
  auto n = [](std::size_t v) { return std::to_string(v); };
  return "{\"encrypted\":" + n(c.encrypted) + ",\"rewrapped\":" + n(c.rewrapped) +
         ",\"already_current\":" + n(c.already_current) + ",\"failed\":" + n(c.failed) +
         ",\"skipped_changed\":" + n(c.skipped_changed) + ",\"nulls\":" + n(c.nulls) +
         ",\"rows\":" + n(c.rows) + ",\"batches\":" + n(c.batches) +
         ",\"complete\":" + (c.complete ? "true" : "false") + "}";
}

} // namespace pii
VETERAN_NAMESPACE_END
