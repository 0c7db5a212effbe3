// veteran/pii/migrate.hpp — encrypt / re-encrypt columns of a SQLite table.
//
// For each row (in id order, in batches) and each listed column:
//   NULL                         left alone (counted in `nulls`)
//   envelope of the active key   already_current
//   envelope of another key      rewrapped (decrypt, encrypt with active key)
//   anything else (plaintext)    encrypted: TEXT as a string, BLOB as bytes,
//                                INTEGER/REAL as JSON (their text form)
//   an envelope that fails       failed: the cell is left unchanged
// The record id in the associated data is the id column's text form.
//
// Safety properties:
//   * Compare-and-set: each cell is written with
//     UPDATE t SET c=? WHERE id=? AND c IS <value read>, so a concurrent
//     writer's change is never overwritten. A lost race is counted in
//     skipped_changed and the row is read again and re-processed (up to
//     `max_retries` times; after that it counts as failed).
//   * Resumable: each batch's updates and the progress row (table
//     `_veteran_pii_migration` in the same database) commit in one
//     transaction; a later run resumes after the last committed id. Cells
//     already current are never encrypted twice, even without progress.
//     The progress row is removed when a run completes.
//   * dry_run reads and decrypts but writes nothing (no progress row either).
//
//   * The id column must be unique and non-NULL (values compared in their
//     text form, which is what is bound into each ciphertext). This is
//     checked before anything is written and again before a run reports
//     `complete`, so `complete` means every row of the table was handled.
//
// Errors (the whole call fails): not_found (database file), database_error,
// invalid_argument (identifiers must match [A-Za-z_][A-Za-z0-9_]*, at least
// one column, no column listed twice in any letter case, batch_size >= 1;
// the id column has NULL or duplicate values — the message names the table
// and column, never a value), key_missing (empty ring). Per-cell failures
// do not fail the call: check counts.failed (the CLI exits 1 if non-zero).
// Thread safety: one call uses its own connection; the ring is shared const.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "veteran/error.hpp"
#include "veteran/pii/keyring.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

/// Counts of one run (cells, not rows).
struct migration_counts {
  std::size_t encrypted = 0;       ///< plaintext cells encrypted
  std::size_t rewrapped = 0;       ///< old-key envelopes re-encrypted
  std::size_t already_current = 0; ///< envelopes of the active key
  std::size_t failed = 0;          ///< cells that could not be migrated
  std::size_t skipped_changed = 0; ///< CAS misses (row changed; re-read)
  std::size_t nulls = 0;           ///< NULL cells left alone
  std::size_t rows = 0;            ///< rows visited
  std::size_t batches = 0;         ///< batches committed
  bool complete = false;           ///< false if stopped by after_batch
};

/// What to migrate and how.
struct migration_options {
  std::string table;
  std::string id_column;
  std::vector<std::string> columns;
  std::size_t batch_size = 500;
  bool dry_run = false;
  std::size_t max_retries = 3;
  /// Progress and cancellation: called after each committed batch with the
  /// counts so far (on the calling thread); return false to stop there. A
  /// stopped run reports complete == false and resumes on the next call.
  std::function<bool(const migration_counts &)> after_batch;
};

/// Runs (or resumes) a migration of `options.columns` in `db_path`.
[[nodiscard]] result<migration_counts> migrate_sqlite(const std::string &db_path,
                                                      const keyring &ring,
                                                      const migration_options &options);

/// JSON object with every count, e.g. {"encrypted":3,...,"complete":true}.
[[nodiscard]] std::string to_json(const migration_counts &counts);

} // namespace pii
VETERAN_NAMESPACE_END
