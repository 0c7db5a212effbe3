// veteran/store/store.hpp — the durable store the flows run on.
//
// A narrow interface: flows (include/veteran/flow/) read entities and hand
// the store batches of writes; everything about SQL lives behind it, so a
// second backend (PostgreSQL, for hosts running several instances) can be
// added without touching the flows. The SQLite backend is open_sqlite().
//
// What the store guarantees, per commit() call (one transaction):
//   (a) compare-and-set: each write names the entity's expected version and
//       state; if either changed since it was read, nothing is written and
//       the call fails with errc::conflict;
//   (b) the entity's new state, data and timer are written;
//   (c) one audit record is appended per write (who, role, event, when,
//       from -> to, entity version) — append-only, never PII values;
//   (d) the write's notifications are appended to the outbox.
// All of a batch or none of it. A crash at any point loses no committed batch
// and leaves no partial one (SQLite WAL; synchronous=NORMAL survives process
// crashes, FULL also power loss).
//
// The store never sees plaintext PII: flows encrypt phone numbers, message
// text and concern details with the PII codec before writing (see
// docs/flows.md), so every backend stores only envelopes when a key ring is
// configured.
//
// Ownership: open_sqlite returns the only owner of its connection.
// Thread safety: every member function may be called from any thread; calls
// on one store object are serialised (one connection). For parallel writers
// open one store per thread or process: SQLite serialises the transactions.
// Errors (every call): database_error, io_error, timeout (the database stayed
// busy past busy_timeout_ms), permission_denied (read-only file).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/clock.hpp"
#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace store {

/// The schema version this SDK writes and reads.
inline constexpr int schema_version = 2;

/// One flow instance (a chat request, a callback, an alert, ...).
struct entity {
  std::string id;
  std::string kind;  ///< flow name: "chat", "call", "callback", "safeguarding", ...
  std::string state; ///< current state name
  std::int64_t version = 0; ///< number of transitions applied (== audit records)
  std::string link; ///< optional lookup key (the triage session of an alert); "" = none
  /// Held only while the entity must be unique for its link (an open alert of
  /// a session): a second entity with the same key is refused (conflict).
  std::string unique_key;
  std::string data; ///< the flow's fields as a JSON object (PII already encrypted)
  timestamp_ms created_ms = 0;
  timestamp_ms updated_ms = 0;
  std::optional<timestamp_ms> deadline_ms; ///< when `deadline_event` is due
  std::string deadline_event;              ///< event applied by due(); "" = none
};

/// One audited transition. `from_state` is "" for a creation.
struct audit_record {
  std::int64_t seq = 0; ///< assigned by the store, increasing
  std::string entity_id;
  std::int64_t entity_version = 0; ///< the version this transition produced
  std::string kind, event, actor, role, from_state, to_state;
  timestamp_ms at_ms = 0;
};

/// One outbox notification (delivered later by a dispatcher).
struct notification {
  std::int64_t seq = 0; ///< assigned by the store
  std::string entity_id;
  std::int64_t entity_version = 0;
  std::string topic;    ///< e.g. "chat.offered", "alert.escalated"
  std::string audience; ///< comma-separated roles, or "user:<id>"
  std::string payload;  ///< JSON object: ids and levels, never PII
  timestamp_ms created_ms = 0;
};

/// One chat message (both sides in one log). `body` is an envelope when a key
/// ring is configured.
struct chat_message {
  std::int64_t seq = 0;
  std::string id, chat_id, sender, role;
  timestamp_ms at_ms = 0;
  std::string body;
};

/// One entity change: compare-and-set on (expected_version, expected_state),
/// then `next` is written and `audit`, `notify` and `messages` appended.
/// expected_version == 0 creates the entity (conflict if the id exists).
struct write {
  entity next; ///< next.version must be expected_version + 1
  std::int64_t expected_version = 0;
  std::string expected_state;
  audit_record audit;
  std::vector<notification> notify;
  std::vector<chat_message> messages;
};

/// Where an outbox item is in its delivery (see include/veteran/notify/).
enum class delivery_status : std::uint8_t {
  pending,   ///< not delivered yet; attempted again at next_attempt_ms
  delivered, ///< a webhook answered 2xx
  dead,      ///< every attempt failed: dead-lettered, audited and escalated
};

/// The delivery state of one outbox item. Every notification appended to the
/// outbox gets one, pending and due at once, in the same transaction.
struct delivery {
  notification item;
  delivery_status status = delivery_status::pending;
  int attempts = 0; ///< attempts since it became pending (retry_delivery resets)
  timestamp_ms next_attempt_ms = 0;
  std::string last_error; ///< outcome of the last failed attempt; never secrets
  timestamp_ms updated_ms = 0;
};

/// One recorded attempt to deliver an outbox item.
struct delivery_attempt {
  std::int64_t outbox_seq = 0;
  int attempt = 0; ///< 1-based, as counted in delivery::attempts
  timestamp_ms started_ms = 0, finished_ms = 0;
  std::string outcome; ///< "delivered", "http_status", "timeout", "connect_failed", ...
  int http_status = 0; ///< 0 when no response was received
  std::string detail;  ///< short reason; never secrets, URLs or bodies
};

/// What finish_delivery() records for a leased item, in one transaction.
struct delivery_outcome {
  delivery_attempt attempt;
  delivery_status next = delivery_status::pending;
  timestamp_ms next_attempt_ms = 0; ///< when next == pending
  /// Committed in the same transaction (as commit() does): the dead-letter
  /// record, its audit event and escalation notification.
  std::vector<write> writes;
};

/// The result of check(): empty `violations` means every invariant holds.
struct check_report {
  std::int64_t entities = 0, audit_records = 0, notifications = 0;
  int schema_version = 0;
  std::vector<std::string> violations; ///< first one first; names ids, never data
};

class store {
public:
  virtual ~store() = default;

  /// Applies `writes` in one transaction (see the guarantees above).
  /// Errors: conflict (an entity changed since it was read, or a create hit
  /// an existing id or unique key), not_found (an updated entity does not
  /// exist), invalid_argument (a write is inconsistent: empty id or kind,
  /// next.version != expected_version + 1); nothing is written on error.
  [[nodiscard]] virtual result<void> commit(const std::vector<write> &writes) = 0;

  /// Decides on the current entity and commits, in one transaction: reads
  /// entity `id` (nullopt when absent), calls `decide` with it, and commits
  /// the writes it returns exactly as commit() does (same compare-and-set
  /// checks). An error from `decide` is returned unchanged and nothing is
  /// written. The SQLite backend holds the write lock while `decide` runs,
  /// so `decide` must be quick and must not call the store; a backend
  /// without that lock (SELECT ... FOR UPDATE) may fail with conflict, and
  /// the caller retries.
  using decide_fn =
      std::function<result<std::vector<write>>(const std::optional<entity> &current)>;
  [[nodiscard]] virtual result<void> update(std::string_view id,
                                            const decide_fn &decide) = 0;

  /// The entity, or nullopt when there is none with this id.
  [[nodiscard]] virtual result<std::optional<entity>> get(std::string_view id) = 0;
  /// Entities of `kind` whose link equals `link`, oldest first.
  [[nodiscard]] virtual result<std::vector<entity>>
  find_linked(std::string_view kind, std::string_view link) = 0;
  /// Entities whose deadline is at or before `now`, earliest first, at most
  /// `limit`.
  [[nodiscard]] virtual result<std::vector<entity>> due(timestamp_ms now,
                                                        std::size_t limit) = 0;
  /// Entities that are not in one of `final_states` (for listing open work).
  [[nodiscard]] virtual result<std::vector<entity>>
  open_entities(std::string_view kind, const std::vector<std::string> &final_states) = 0;

  /// Audit records with seq > after_seq, in order, at most `limit`;
  /// `entity_id` non-empty restricts to one entity.
  [[nodiscard]] virtual result<std::vector<audit_record>>
  audit(std::int64_t after_seq, std::size_t limit, std::string_view entity_id = {}) = 0;
  /// Outbox notifications with seq > after_seq, in order, at most `limit`.
  [[nodiscard]] virtual result<std::vector<notification>> outbox(std::int64_t after_seq,
                                                                 std::size_t limit) = 0;
  /// A chat's messages in order.
  [[nodiscard]] virtual result<std::vector<chat_message>>
  messages(std::string_view chat_id) = 0;

  /// Leases up to `limit` pending deliveries due at `now` (next_attempt_ms <=
  /// now) whose lease is free or expired, to `owner` until `lease_until`, in
  /// one transaction, oldest first. Two callers on the same database (any
  /// process) never hold a lease on the same item at once.
  /// Errors: invalid_argument (empty owner, lease_until <= now).
  [[nodiscard]] virtual result<std::vector<delivery>>
  lease_deliveries(std::string_view owner, timestamp_ms now, timestamp_ms lease_until,
                   std::size_t limit) = 0;
  /// Records an attempt on an item leased by `owner`, sets its next status and
  /// releases the lease, and commits `outcome.writes`, all in one transaction.
  /// Errors: conflict (the lease expired and was taken by someone else, or
  /// the item is no longer pending; nothing written), invalid_argument.
  [[nodiscard]] virtual result<void> finish_delivery(std::string_view owner,
                                                     const delivery_outcome &outcome) = 0;
  /// Deliveries in `status`, oldest first, at most `limit`.
  [[nodiscard]] virtual result<std::vector<delivery>> deliveries(delivery_status status,
                                                                 std::size_t limit) = 0;
  /// Every recorded attempt for one outbox item, in order.
  [[nodiscard]] virtual result<std::vector<delivery_attempt>>
  delivery_attempts(std::int64_t outbox_seq) = 0;
  /// Makes a dead-lettered item pending again, due at `now`, with its attempt
  /// count reset (its attempt history is kept).
  /// Errors: not_found (no such outbox item), invalid_state (not dead).
  [[nodiscard]] virtual result<void> retry_delivery(std::int64_t outbox_seq,
                                                    timestamp_ms now) = 0;

  /// Verifies the invariants: the schema version is current; each entity's
  /// state equals the target of its last audit record and its version equals
  /// its number of audit records; no duplicate audit or outbox entries; the
  /// database's own integrity check passes.
  [[nodiscard]] virtual result<check_report> check() = 0;
};

/// Durability of each commit.
enum class sync_mode : std::uint8_t {
  normal, ///< survives process crashes (WAL + synchronous=NORMAL); the default
  full,   ///< also survives power loss (synchronous=FULL)
};

struct sqlite_options {
  std::string path = ":memory:"; ///< a file, or ":memory:"
  sync_mode sync = sync_mode::normal;
  int busy_timeout_ms = 10000; ///< how long to wait for another writer
  bool read_only = false;      ///< open an existing store without writing
  bool create = true;          ///< create the file when absent
};

/// Opens (creating or migrating to the current schema) a SQLite store.
/// Errors: not_found (no file and !create or read_only), unsupported_version
/// (the file was written by a newer schema: refused, never downgraded),
/// database_error (not a database, corrupt, or not a veteran store),
/// permission_denied (the file is read-only and a migration was needed),
/// io_error, invalid_argument (busy_timeout_ms < 0).
[[nodiscard]] result<std::unique_ptr<store>> open_sqlite(const sqlite_options &options);

[[nodiscard]] const char *to_string(sync_mode m) noexcept;
[[nodiscard]] const char *to_string(delivery_status s) noexcept;

} // namespace store
VETERAN_NAMESPACE_END
