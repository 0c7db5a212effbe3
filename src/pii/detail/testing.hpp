// Test hooks of the PII module: not part of the public API and not installed.
// Tests and benchmarks add src/ to their include path.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "veteran/pii/codec.hpp"
#include "veteran/pii/migrate.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

/// Known-answer-test entry point: encrypt with a caller-chosen 24-byte nonce.
/// Never use a fixed nonce in production; this exists so tests can check the
/// envelope against raw libsodium output.
/// Errors: as encrypt, plus invalid_argument (nonce not exactly 24 bytes).
[[nodiscard]] result<std::string>
encrypt_with_nonce(const keyring &ring, const field_context &ctx, value_kind kind,
                   std::string_view data, std::string_view nonce);

/// Fault-injection points of migrate_sqlite.
struct migration_hooks {
  /// Called after a batch has been read and before it is written; may write
  /// to the database through another connection (to act as a concurrent
  /// writer). Return false to stop the run there (nothing of the batch is
  /// written), as if the process were killed.
  std::function<bool()> after_read;
  /// Called inside the write transaction after each cell update; return
  /// false to abort: the transaction is rolled back and the run stops.
  std::function<bool()> after_cell_write;
};

/// migrate_sqlite with fault-injection hooks (same checks, same errors).
[[nodiscard]] result<migration_counts> migrate_sqlite(const std::string &db_path,
                                                      const keyring &ring,
                                                      const migration_options &options,
                                                      const migration_hooks &hooks);

} // namespace pii::detail
VETERAN_NAMESPACE_END
