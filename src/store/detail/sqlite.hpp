// Internal: the SDK's one SQLite layer (handles, prepared statements,
// transactions, error mapping). Used by the store's SQLite backend and by the
// PII column migration; nobody else opens SQLite. Not installed.
//
// Every connection opened here rejects double-quoted string literals (an
// unknown "name" is an error, never the string 'name'), has a busy timeout,
// and maps SQLite result codes to the SDK's errc in one place (map_error).
// Messages carry SQLite's text, which names tables, columns and constraints,
// never bound values.
//
// Thread safety: a connection and its statements belong to one thread at a
// time (SQLite's multi-thread mode); the store serialises access with a mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "veteran/error.hpp"

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_value;

VETERAN_NAMESPACE_BEGIN
namespace store::detail {

/// Maps a SQLite primary result code to the SDK's error code:
/// BUSY/LOCKED -> timeout, READONLY/PERM/AUTH -> permission_denied,
/// CORRUPT/NOTADB -> database_error, CANTOPEN/IOERR/FULL -> io_error,
/// CONSTRAINT -> conflict, NOMEM -> out_of_memory, else database_error.
[[nodiscard]] errc map_error(int sqlite_code) noexcept;

struct open_options {
  bool read_only = false;
  bool create = true; ///< create the file if absent (ignored when read_only)
  int busy_timeout_ms = 10000;
};

class statement;

/// A cached statement in use: reset (bindings cleared, read snapshot
/// released) when the lease ends, so an unfinished SELECT never pins a WAL
/// snapshot.
class lease {
public:
  explicit lease(statement *s) noexcept : s_(s) {}
  lease(lease &&o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  lease &operator=(lease &&) = delete;
  ~lease();
  statement *operator->() const noexcept { return s_; }
  statement &operator*() const noexcept { return *s_; }

private:
  statement *s_;
};

/// One SQLite connection (owns the handle; closed in the destructor).
class connection {
public:
  /// Opens `path` (a file or ":memory:"). Errors: not_found (the file does not
  /// exist and !create or read_only), io_error (cannot open), database_error.
  [[nodiscard]] static result<connection> open(const std::string &path,
                                               const open_options &options = {});

  connection(connection &&) noexcept;
  connection &operator=(connection &&) noexcept;
  ~connection();

  /// Runs SQL text with no parameters and no result rows.
  [[nodiscard]] result<void> exec(std::string_view sql, std::string_view what);
  /// Prepares a one-off statement.
  [[nodiscard]] result<statement> prepare(std::string_view sql, std::string_view what);
  /// A statement prepared once per connection and reused (reset on each
  /// call); `sql` is the cache key. Valid until the connection is destroyed.
  [[nodiscard]] result<lease> cached(std::string_view sql, std::string_view what);

  /// The error of the last failed call on this connection: "<what>: <sqlite
  /// message>" with the mapped code.
  [[nodiscard]] error_info error(std::string_view what) const;
  [[nodiscard]] error_info error(int rc, std::string_view what) const;
  /// Rows changed by the last statement.
  [[nodiscard]] std::int64_t changes() const noexcept;
  [[nodiscard]] sqlite3 *raw() const noexcept { return db_; }

private:
  explicit connection(sqlite3 *db) noexcept : db_(db) {}
  void close() noexcept;
  sqlite3 *db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<statement>> cache_;
};

/// A prepared statement (owns the handle). Binding indexes are 1-based.
class statement {
public:
  statement() = default;
  statement(sqlite3 *db, sqlite3_stmt *s) noexcept : db_(db), s_(s) {}
  statement(statement &&o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  statement &operator=(statement &&o) noexcept;
  statement(const statement &) = delete;
  statement &operator=(const statement &) = delete;
  ~statement();

  statement &bind(int i, std::string_view text);
  statement &bind(int i, std::int64_t v);
  statement &bind(int i, const std::optional<std::int64_t> &v);
  statement &bind_null(int i);
  statement &bind_value(int i, const sqlite3_value *v);
  /// Binds text, or NULL when empty.
  statement &bind_or_null(int i, std::string_view text);

  /// Steps once: true for a row, false when done. Errors map as map_error.
  [[nodiscard]] result<bool> step(std::string_view what);
  /// Steps to completion (a statement without rows).
  [[nodiscard]] result<void> run(std::string_view what);
  /// Resets and clears the bindings (for reuse).
  void reset() noexcept;

  [[nodiscard]] bool is_null(int col) const noexcept;
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] std::int64_t int64(int col) const noexcept;
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int col) const noexcept;
  [[nodiscard]] sqlite3_value *value(int col) const noexcept;
  [[nodiscard]] sqlite3_stmt *raw() const noexcept { return s_; }

private:
  sqlite3 *db_ = nullptr;
  sqlite3_stmt *s_ = nullptr;
};

/// BEGIN IMMEDIATE (takes the write lock up front, so a transaction never
/// fails half-way with SQLITE_BUSY on lock upgrade); rolled back by the
/// destructor unless committed.
class transaction {
public:
  [[nodiscard]] static result<transaction> begin(connection &c);
  transaction(transaction &&o) noexcept : c_(o.c_) { o.c_ = nullptr; }
  transaction &operator=(transaction &&) = delete;
  ~transaction();
  [[nodiscard]] result<void> commit();
  void rollback() noexcept;

private:
  explicit transaction(connection *c) noexcept : c_(c) {}
  connection *c_;
};

} // namespace store::detail
VETERAN_NAMESPACE_END
