// The one SQLite layer. See sqlite.hpp.
#include "store/detail/sqlite.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <utility>

VETERAN_NAMESPACE_BEGIN
namespace store::detail {

errc map_error(int sqlite_code) noexcept {
  switch (sqlite_code & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return errc::timeout;
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_AUTH:
    return errc::permission_denied;
  case SQLITE_CANTOPEN:
  case SQLITE_IOERR:
  case SQLITE_FULL:
    return errc::io_error;
  case SQLITE_CONSTRAINT:
    return errc::conflict;
  case SQLITE_NOMEM:
    return errc::out_of_memory;
  default:
    return errc::database_error; // CORRUPT, NOTADB, SCHEMA, ...
  }
}

result<connection> connection::open(const std::string &path, const open_options &o) {
  const bool memory = path == ":memory:" || path.empty();
  if (!memory && (o.read_only || !o.create)) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      return error_info{errc::not_found, "database file not found: " + path};
  }
  int flags = o.read_only ? SQLITE_OPEN_READONLY
                          : (SQLITE_OPEN_READWRITE | (o.create ? SQLITE_OPEN_CREATE : 0));
  flags |= SQLITE_OPEN_NOMUTEX; // the owner serialises access
  sqlite3 *raw = nullptr;
  const int rc =
      sqlite3_open_v2(memory ? ":memory:" : path.c_str(), &raw, flags, nullptr);
  connection c(raw);
  if (rc != SQLITE_OK) {
    const errc code =
        map_error(rc) == errc::database_error ? errc::io_error : map_error(rc);
    return error_info{code, "cannot open database " + path + ": " +
                                (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))};
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, o.busy_timeout_ms);
  // Unknown double-quoted identifiers must be errors, not string literals.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  return c;
}

connection::connection(connection &&o) noexcept
    : db_(std::exchange(o.db_, nullptr)), cache_(std::move(o.cache_)) {}

connection &connection::operator=(connection &&o) noexcept {
  if (this != &o) {
    close();
    db_ = std::exchange(o.db_, nullptr);
    cache_ = std::move(o.cache_);
  }
  return *this;
}

connection::~connection() { close(); }

void connection::close() noexcept {
  cache_.clear(); // statements first: close_v2 would otherwise linger
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

error_info connection::error(std::string_view what) const {
  return error(sqlite3_extended_errcode(db_), what);
}

error_info connection::error(int rc, std::string_view what) const {
  return error_info{map_error(rc), std::string(what) + ": " + sqlite3_errmsg(db_)};
}

std::int64_t connection::changes() const noexcept { return sqlite3_changes64(db_); }

result<void> connection::exec(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  char *err = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return error(rc, what);
  return {};
}

result<statement> connection::prepare(std::string_view sql, std::string_view what) {
  sqlite3_stmt *s = nullptr;
  const int rc =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return error(rc, what);
  return statement(db_, s);
}

lease::~lease() {
  if (s_) s_->reset();
}

result<lease> connection::cached(std::string_view sql, std::string_view what) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end()) return lease(it->second.get());
  sqlite3_stmt *s = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) return error(rc, what);
  auto owned = std::make_unique<statement>(db_, s);
  statement *p = owned.get();
  cache_.emplace(std::string(sql), std::move(owned));
  return lease(p);
}

statement &statement::operator=(statement &&o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = std::exchange(o.s_, nullptr);
  }
  return *this;
}

statement::~statement() {
  if (s_) sqlite3_finalize(s_);
}

statement &statement::bind(int i, std::string_view text) {
  sqlite3_bind_text(s_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
statement &statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
statement &statement::bind(int i, const std::optional<std::int64_t> &v) {
  return v ? bind(i, *v) : bind_null(i);
}
statement &statement::bind_null(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}
statement &statement::bind_value(int i, const sqlite3_value *v) {
  sqlite3_bind_value(s_, i, v);
  return *this;
}
statement &statement::bind_or_null(int i, std::string_view text) {
  return text.empty() ? bind_null(i) : bind(i, text);
}

result<bool> statement::step(std::string_view what) {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return error_info{map_error(rc), std::string(what) + ": " + sqlite3_errmsg(db_)};
}

result<void> statement::run(std::string_view what) {
  while (true) {
    auto r = step(what);
    if (!r) return r.error();
    if (!*r) return {};
  }
}

void statement::reset() noexcept {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

bool statement::is_null(int col) const noexcept {
  return sqlite3_column_type(s_, col) == SQLITE_NULL;
}
std::string statement::text(int col) const {
  const auto *p = sqlite3_column_text(s_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char *>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
}
std::int64_t statement::int64(int col) const noexcept {
  return sqlite3_column_int64(s_, col);
}
std::optional<std::int64_t> statement::optional_int64(int col) const noexcept {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}
sqlite3_value *statement::value(int col) const noexcept {
  return sqlite3_column_value(s_, col);
}

result<transaction> transaction::begin(connection &c) {
  if (auto r = c.exec("BEGIN IMMEDIATE", "cannot begin a transaction"); !r)
    return r.error();
  return transaction(&c);
}

transaction::~transaction() { rollback(); }

result<void> transaction::commit() {
  if (!c_) return error_info{errc::internal, "transaction already finished"};
  auto r = c_->exec("COMMIT", "cannot commit");
  if (!r) {
    rollback();
    return r;
  }
  c_ = nullptr;
  return {};
}

void transaction::rollback() noexcept {
  if (!c_) return;
  (void)c_->exec("ROLLBACK", "rollback");
  c_ = nullptr;
}

} // namespace store::detail
VETERAN_NAMESPACE_END
