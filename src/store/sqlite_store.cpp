// The SQLite backend of veteran::store::store. See include/veteran/store/store.hpp.
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/detail/sqlite.hpp"
#include "veteran/store/store.hpp"

VETERAN_NAMESPACE_BEGIN
namespace store {

namespace {

namespace sq = detail;

/// PRAGMA application_id of a veteran store ("VETs"): a database written by
/// someone else is refused rather than "migrated".
constexpr std::int64_t kApplicationId = 0x56455473;

/// Migration i takes the schema from version i to i + 1. Append only.
const char *const kMigrations[] = {
    // 0 -> 1
    "CREATE TABLE entities ("
    " id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,"
    " version INTEGER NOT NULL, link TEXT, unique_key TEXT UNIQUE,"
    " data TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
    " deadline_ms INTEGER, deadline_event TEXT) STRICT;"
    "CREATE INDEX entities_due ON entities(deadline_ms) WHERE deadline_ms IS NOT NULL;"
    "CREATE INDEX entities_link ON entities(kind, link) WHERE link IS NOT NULL;"
    "CREATE INDEX entities_kind ON entities(kind, state);"
    "CREATE TABLE audit ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, entity_id TEXT NOT NULL,"
    " entity_version INTEGER NOT NULL, kind TEXT NOT NULL, event TEXT NOT NULL,"
    " actor TEXT NOT NULL, role TEXT NOT NULL, from_state TEXT NOT NULL,"
    " to_state TEXT NOT NULL, at_ms INTEGER NOT NULL,"
    " UNIQUE(entity_id, entity_version)) STRICT;"
    "CREATE TABLE outbox ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, entity_id TEXT NOT NULL,"
    " entity_version INTEGER NOT NULL, topic TEXT NOT NULL, audience TEXT NOT NULL,"
    " payload TEXT NOT NULL, created_ms INTEGER NOT NULL,"
    " UNIQUE(entity_id, entity_version, topic)) STRICT;"
    "CREATE TABLE messages ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
    " chat_id TEXT NOT NULL, sender TEXT NOT NULL, role TEXT NOT NULL,"
    " at_ms INTEGER NOT NULL, body TEXT NOT NULL) STRICT;"
    "CREATE INDEX messages_chat ON messages(chat_id, seq);",
    // 1 -> 2: delivery state of every outbox item (issue 12). Items already
    // in the outbox become pending, due at once.
    "CREATE TABLE deliveries ("
    " outbox_seq INTEGER PRIMARY KEY NOT NULL REFERENCES outbox(seq),"
    " status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),"
    " attempts INTEGER NOT NULL, next_attempt_ms INTEGER NOT NULL,"
    " lease_owner TEXT, lease_until_ms INTEGER, last_error TEXT NOT NULL,"
    " updated_ms INTEGER NOT NULL) STRICT;"
    "CREATE INDEX deliveries_due ON deliveries(status, next_attempt_ms);"
    "CREATE TABLE delivery_attempts ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, outbox_seq INTEGER NOT NULL"
    " REFERENCES outbox(seq), attempt INTEGER NOT NULL, started_ms INTEGER NOT NULL,"
    " finished_ms INTEGER NOT NULL, outcome TEXT NOT NULL, http_status INTEGER NOT NULL,"
    " detail TEXT NOT NULL) STRICT;"
    "CREATE INDEX delivery_attempts_seq ON delivery_attempts(outbox_seq, id);"
    "INSERT INTO deliveries (outbox_seq, status, attempts, next_attempt_ms, last_error,"
    " updated_ms) SELECT seq, 'pending', 0, created_ms, '', created_ms FROM outbox;",
};
constexpr int kLatest = static_cast<int>(sizeof kMigrations / sizeof *kMigrations);
static_assert(kLatest == schema_version, "one migration per schema version");

constexpr const char *kEntityColumns =
    "id, kind, state, version, link, unique_key, data, created_ms, updated_ms, "
    "deadline_ms, deadline_event";

entity read_entity(const sq::statement &s) {
  entity e;
  e.id = s.text(0);
  e.kind = s.text(1);
  e.state = s.text(2);
  e.version = s.int64(3);
  e.link = s.text(4);
  e.unique_key = s.text(5);
  e.data = s.text(6);
  e.created_ms = s.int64(7);
  e.updated_ms = s.int64(8);
  e.deadline_ms = s.optional_int64(9);
  e.deadline_event = s.text(10);
  return e;
}

result<std::int64_t> pragma_int(sq::connection &c, const char *sql) {
  auto s = c.prepare(sql, "cannot read the database header");
  if (!s) return s.error();
  auto row = s->step("cannot read the database header (not a database, or corrupt)");
  if (!row) {
    auto e = row.error();
    if (e.code == errc::database_error)
      e.message = "not a SQLite database, or the file is corrupt";
    return e;
  }
  return *row ? s->int64(0) : 0;
}

result<void> validate(const write &w) {
  if (w.next.id.empty()) return error_info{errc::invalid_argument, "write: empty id"};
  if (w.next.kind.empty()) return error_info{errc::invalid_argument, "write: empty kind"};
  if (w.next.version != w.expected_version + 1)
    return error_info{errc::invalid_argument,
                      "write: next.version must be expected_version + 1"};
  return {};
}

class sqlite_store final : public store {
public:
  explicit sqlite_store(sq::connection c) : db_(std::move(c)) {}

  result<void> commit(const std::vector<write> &writes) override {
    for (const auto &w : writes)
      if (auto r = validate(w); !r) return r;
    std::lock_guard<std::mutex> lock(mu_);
    auto txn = sq::transaction::begin(db_);
    if (!txn) return txn.error();
    for (const auto &w : writes)
      if (auto r = apply(w); !r) return r; // the transaction rolls back
    return txn->commit();
  }

  result<void> update(std::string_view id, const decide_fn &decide) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto txn = sq::transaction::begin(db_);
    if (!txn) return txn.error();
    auto current = get_locked(id);
    if (!current) return current.error();
    auto writes = decide(*current);
    if (!writes) return writes.error(); // the transaction rolls back
    for (const auto &w : *writes) {
      if (auto r = validate(w); !r) return r;
      if (auto r = apply(w); !r) return r;
    }
    return txn->commit();
  }

  result<std::optional<entity>> get(std::string_view id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return get_locked(id);
  }

  result<std::vector<entity>> find_linked(std::string_view kind,
                                          std::string_view link) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto s = db_.cached(std::string("SELECT ") + kEntityColumns +
                            " FROM entities WHERE kind = ?1 AND link = ?2 ORDER BY "
                            "created_ms, id",
                        "cannot find linked entities");
    if (!s) return s.error();
    (*s)->bind(1, kind).bind(2, link);
    return collect(**s);
  }

  result<std::vector<entity>> due(timestamp_ms now, std::size_t limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto s = db_.cached(std::string("SELECT ") + kEntityColumns +
                            " FROM entities WHERE deadline_ms IS NOT NULL AND "
                            "deadline_ms <= ?1 ORDER BY deadline_ms, id LIMIT ?2",
                        "cannot read due timers");
    if (!s) return s.error();
    (*s)->bind(1, now).bind(2, static_cast<std::int64_t>(limit));
    return collect(**s);
  }

  result<std::vector<entity>>
  open_entities(std::string_view kind, const std::vector<std::string> &finals) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto s = db_.cached(std::string("SELECT ") + kEntityColumns +
                            " FROM entities WHERE kind = ?1 ORDER BY created_ms, id",
                        "cannot list entities");
    if (!s) return s.error();
    (*s)->bind(1, kind);
    auto all = collect(**s);
    if (!all) return all;
    std::vector<entity> open;
    for (auto &e : *all) {
      bool final_state = false;
      for (const auto &f : finals)
        final_state = final_state || e.state == f;
      if (!final_state) open.push_back(std::move(e));
    }
    return open;
  }

  result<std::vector<audit_record>> audit(std::int64_t after, std::size_t limit,
                                          std::string_view entity_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto s =
        db_.cached("SELECT seq, entity_id, entity_version, kind, event, actor, role, "
                   "from_state, to_state, at_ms FROM audit WHERE seq > ?1 AND "
                   "(?3 IS NULL OR entity_id = ?3) ORDER BY seq LIMIT ?2",
                   "cannot read the audit log");
    if (!s) return s.error();
    (*s)->bind(1, after).bind(2, static_cast<std::int64_t>(limit));
    (*s)->bind_or_null(3, entity_id);
    std::vector<audit_record> out;
    while (true) {
      auto row = (*s)->step("cannot read the audit log");
      if (!row) return row.error();
      if (!*row) return out;
      const auto &q = **s;
      out.push_back(audit_record{q.int64(0), q.text(1), q.int64(2), q.text(3), q.text(4),
                                 q.text(5), q.text(6), q.text(7), q.text(8), q.int64(9)});
    }
  }

  result<std::vector<notification>> outbox(std::int64_t after,
                                           std::size_t limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto s =
        db_.cached("SELECT seq, entity_id, entity_version, topic, audience, payload, "
                   "created_ms FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                   "cannot read the outbox");
    if (!s) return s.error();
    (*s)->bind(1, after).bind(2, static_cast<std::int64_t>(limit));
    std::vector<notification> out;
    while (true) {
      auto row = (*s)->step("cannot read the outbox");
      if (!row) return row.error();
      if (!*row) return out;
      const auto &q = **s;
      out.push_back(notification{q.int64(0), q.text(1), q.int64(2), q.text(3), q.text(4),
                                 q.text(5), q.int64(6)});
    }
  }

  result<std::vector<chat_message>> messages(std::string_view chat_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto s =
        db_.cached("SELECT seq, id, chat_id, sender, role, at_ms, body FROM messages "
                   "WHERE chat_id = ?1 ORDER BY seq",
                   "cannot read messages");
    if (!s) return s.error();
    (*s)->bind(1, chat_id);
    std::vector<chat_message> out;
    while (true) {
      auto row = (*s)->step("cannot read messages");
      if (!row) return row.error();
      if (!*row) return out;
      const auto &q = **s;
      out.push_back(chat_message{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4),
                                 q.int64(5), q.text(6)});
    }
  }

  result<std::vector<delivery>> lease_deliveries(std::string_view owner, timestamp_ms now,
                                                 timestamp_ms lease_until,
                                                 std::size_t limit) override {
    if (owner.empty())
      return error_info{errc::invalid_argument, "lease_deliveries: empty owner"};
    if (lease_until <= now)
      return error_info{errc::invalid_argument,
                        "lease_deliveries: lease_until must be after now"};
    std::lock_guard<std::mutex> lock(mu_);
    auto txn = sq::transaction::begin(db_); // BEGIN IMMEDIATE: one leaser at a time
    if (!txn) return txn.error();
    auto s = db_.cached(std::string(kDeliverySelect) +
                            " WHERE d.status = 'pending' AND d.next_attempt_ms <= ?1 AND "
                            "(d.lease_until_ms IS NULL OR d.lease_until_ms <= ?1) "
                            "ORDER BY d.next_attempt_ms, d.outbox_seq LIMIT ?2",
                        "cannot read due deliveries");
    if (!s) return s.error();
    (*s)->bind(1, now).bind(2, static_cast<std::int64_t>(limit));
    auto items = collect_deliveries(**s);
    if (!items) return items;
    for (const auto &d : *items) {
      auto u = db_.cached("UPDATE deliveries SET lease_owner = ?2, lease_until_ms = ?3 "
                          "WHERE outbox_seq = ?1",
                          "cannot lease a delivery");
      if (!u) return u.error();
      (*u)->bind(1, d.item.seq).bind(2, owner).bind(3, lease_until);
      if (auto r = (*u)->run("cannot lease a delivery"); !r) return r.error();
    }
    if (auto r = txn->commit(); !r) return r.error();
    return items;
  }

  result<void> finish_delivery(std::string_view owner,
                               const delivery_outcome &o) override {
    if (owner.empty())
      return error_info{errc::invalid_argument, "finish_delivery: empty owner"};
    for (const auto &w : o.writes)
      if (auto r = validate(w); !r) return r;
    std::lock_guard<std::mutex> lock(mu_);
    auto txn = sq::transaction::begin(db_);
    if (!txn) return txn.error();
    const auto &a = o.attempt;
    auto u = db_.cached(
        "UPDATE deliveries SET status = ?3, attempts = ?4, next_attempt_ms = ?5, "
        "last_error = ?6, updated_ms = ?7, lease_owner = NULL, lease_until_ms = NULL "
        "WHERE outbox_seq = ?1 AND lease_owner = ?2 AND status = 'pending'",
        "cannot record a delivery");
    if (!u) return u.error();
    (*u)->bind(1, a.outbox_seq).bind(2, owner).bind(3, to_string(o.next));
    (*u)->bind(4, static_cast<std::int64_t>(a.attempt));
    (*u)->bind(5, o.next == delivery_status::pending ? o.next_attempt_ms : a.finished_ms);
    (*u)->bind(6, o.next == delivery_status::delivered ? std::string() : a.detail);
    (*u)->bind(7, a.finished_ms);
    if (auto r = (*u)->run("cannot record a delivery"); !r) return r;
    if (db_.changes() != 1)
      return error_info{errc::conflict, "delivery " + std::to_string(a.outbox_seq) +
                                            ": lease lost (expired and taken, or no "
                                            "longer pending)"};
    auto i = db_.cached("INSERT INTO delivery_attempts (outbox_seq, attempt, started_ms, "
                        "finished_ms, outcome, http_status, detail) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "cannot record a delivery attempt");
    if (!i) return i.error();
    (*i)->bind(1, a.outbox_seq).bind(2, static_cast<std::int64_t>(a.attempt));
    (*i)->bind(3, a.started_ms).bind(4, a.finished_ms).bind(5, a.outcome);
    (*i)->bind(6, static_cast<std::int64_t>(a.http_status)).bind(7, a.detail);
    if (auto r = (*i)->run("cannot record a delivery attempt"); !r) return r;
    for (const auto &w : o.writes)
      if (auto r = apply(w); !r) return r;
    return txn->commit();
  }

  result<std::vector<delivery>> deliveries(delivery_status status,
                                           std::size_t limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto s = db_.cached(std::string(kDeliverySelect) +
                            " WHERE d.status = ?1 ORDER BY d.outbox_seq LIMIT ?2",
                        "cannot list deliveries");
    if (!s) return s.error();
    (*s)->bind(1, to_string(status)).bind(2, static_cast<std::int64_t>(limit));
    return collect_deliveries(**s);
  }

  result<std::vector<delivery_attempt>> delivery_attempts(std::int64_t seq) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto s =
        db_.cached("SELECT outbox_seq, attempt, started_ms, finished_ms, outcome, "
                   "http_status, detail FROM delivery_attempts WHERE outbox_seq = ?1 "
                   "ORDER BY id",
                   "cannot read delivery attempts");
    if (!s) return s.error();
    (*s)->bind(1, seq);
    std::vector<delivery_attempt> out;
    while (true) {
      auto row = (*s)->step("cannot read delivery attempts");
      if (!row) return row.error();
      if (!*row) return out;
      const auto &q = **s;
      out.push_back(delivery_attempt{q.int64(0), static_cast<int>(q.int64(1)), q.int64(2),
                                     q.int64(3), q.text(4), static_cast<int>(q.int64(5)),
                                     q.text(6)});
    }
  }

  result<void> retry_delivery(std::int64_t seq, timestamp_ms now) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto txn = sq::transaction::begin(db_);
    if (!txn) return txn.error();
    auto s = db_.cached("SELECT status FROM deliveries WHERE outbox_seq = ?1",
                        "cannot read a delivery");
    if (!s) return s.error();
    (*s)->bind(1, seq);
    auto row = (*s)->step("cannot read a delivery");
    if (!row) return row.error();
    if (!*row)
      return error_info{errc::not_found, "no outbox item " + std::to_string(seq)};
    const auto status = (*s)->text(0);
    (*s)->reset();
    if (status != "dead")
      return error_info{errc::invalid_state, "outbox item " + std::to_string(seq) +
                                                 " is " + status + ", not dead"};
    auto u = db_.cached("UPDATE deliveries SET status = 'pending', attempts = 0, "
                        "next_attempt_ms = ?2, updated_ms = ?2, lease_owner = NULL, "
                        "lease_until_ms = NULL WHERE outbox_seq = ?1",
                        "cannot retry a delivery");
    if (!u) return u.error();
    (*u)->bind(1, seq).bind(2, now);
    if (auto r = (*u)->run("cannot retry a delivery"); !r) return r;
    return txn->commit();
  }

  result<check_report> check() override;

private:
  static constexpr const char *kDeliverySelect =
      "SELECT o.seq, o.entity_id, o.entity_version, o.topic, o.audience, o.payload, "
      "o.created_ms, d.status, d.attempts, d.next_attempt_ms, d.last_error, "
      "d.updated_ms FROM deliveries d JOIN outbox o ON o.seq = d.outbox_seq";

  result<std::vector<delivery>> collect_deliveries(sq::statement &s) {
    std::vector<delivery> out;
    while (true) {
      auto row = s.step("cannot read deliveries");
      if (!row) return row.error();
      if (!*row) return out;
      delivery d;
      d.item = notification{s.int64(0), s.text(1), s.int64(2), s.text(3),
                            s.text(4),  s.text(5), s.int64(6)};
      const auto st = s.text(7);
      d.status = st == "delivered" ? delivery_status::delivered
                 : st == "dead"    ? delivery_status::dead
                                   : delivery_status::pending;
      d.attempts = static_cast<int>(s.int64(8));
      d.next_attempt_ms = s.int64(9);
      d.last_error = s.text(10);
      d.updated_ms = s.int64(11);
      out.push_back(std::move(d));
    }
  }

  result<std::vector<entity>> collect(sq::statement &s) {
    std::vector<entity> out;
    while (true) {
      auto row = s.step("cannot read entities");
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(read_entity(s));
    }
  }

  result<std::optional<entity>> get_locked(std::string_view id) {
    static const std::string sql =
        std::string("SELECT ") + kEntityColumns + " FROM entities WHERE id = ?1";
    auto s = db_.cached(sql, "cannot read an entity");
    if (!s) return s.error();
    (*s)->bind(1, id);
    auto row = (*s)->step("cannot read an entity");
    if (!row) return row.error();
    if (!*row) return std::optional<entity>();
    return std::optional<entity>(read_entity(**s));
  }

  result<void> apply(const write &w) {
    if (auto r = w.expected_version == 0 ? insert_entity(w.next) : update_entity(w); !r)
      return r;
    if (auto r = append_audit(w); !r) return r;
    for (const auto &n : w.notify)
      if (auto r = append_notification(w, n); !r) return r;
    for (const auto &m : w.messages)
      if (auto r = append_message(w, m); !r) return r;
    return {};
  }

  void bind_entity_fields(sq::statement &s, const entity &e) {
    s.bind(1, e.id).bind(2, e.kind).bind(3, e.state).bind(4, e.version);
    s.bind_or_null(5, e.link).bind_or_null(6, e.unique_key).bind(7, e.data);
    s.bind(8, e.created_ms).bind(9, e.updated_ms).bind(10, e.deadline_ms);
    s.bind_or_null(11, e.deadline_event);
  }

  result<void> insert_entity(const entity &e) {
    auto s =
        db_.cached("INSERT INTO entities (id, kind, state, version, link, unique_key, "
                   "data, created_ms, updated_ms, deadline_ms, deadline_event) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                   "cannot create an entity");
    if (!s) return s.error();
    bind_entity_fields(**s, e);
    auto r = (*s)->run("cannot create an entity");
    if (!r && r.code() == errc::conflict)
      return error_info{errc::conflict, e.kind + " " + e.id +
                                            ": already exists (id or unique key taken)"};
    return r;
  }

  // Only the columns a transition may change are written: SQLite maintains an
  // index for every indexed column named in SET, even when its value is
  // unchanged (kind, link and the unique key rarely change).
  result<void> update_entity(const write &w) {
    auto s = db_.cached("UPDATE entities SET state = ?2, version = ?3, data = ?4, "
                        "updated_ms = ?5, deadline_ms = ?6, deadline_event = ?7 "
                        "WHERE id = ?1 AND version = ?8 AND state = ?9",
                        "cannot update an entity");
    if (!s) return s.error();
    const auto &e = w.next;
    (*s)->bind(1, e.id).bind(2, e.state).bind(3, e.version).bind(4, e.data);
    (*s)->bind(5, e.updated_ms).bind(6, e.deadline_ms).bind_or_null(7, e.deadline_event);
    (*s)->bind(8, w.expected_version).bind(9, w.expected_state);
    if (auto r = (*s)->run("cannot update an entity"); !r) return r;
    if (db_.changes() != 1) return cas_miss(w);
    return update_unique_key(e);
  }

  result<void> update_unique_key(const entity &e) {
    auto s = db_.cached("UPDATE entities SET unique_key = ?2 WHERE id = ?1 AND "
                        "unique_key IS NOT ?2",
                        "cannot update a unique key");
    if (!s) return s.error();
    (*s)->bind(1, e.id).bind_or_null(2, e.unique_key);
    auto r = (*s)->run("cannot update a unique key");
    if (!r && r.code() == errc::conflict)
      return error_info{errc::conflict,
                        e.kind + " " + e.id + ": unique key already taken"};
    return r;
  }

  result<void> cas_miss(const write &w) {
    auto now = get_locked(w.next.id);
    if (!now) return now.error();
    if (!*now) return error_info{errc::not_found, "unknown id " + w.next.id};
    return error_info{errc::conflict, w.next.kind + " " + w.next.id +
                                          ": changed since it was read (now '" +
                                          (*now)->state + "')"};
  }

  result<void> append_audit(const write &w) {
    auto s =
        db_.cached("INSERT INTO audit (entity_id, entity_version, kind, event, actor, "
                   "role, from_state, to_state, at_ms) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                   "cannot append to the audit log");
    if (!s) return s.error();
    const auto &a = w.audit;
    (*s)->bind(1, w.next.id)
        .bind(2, w.next.version)
        .bind(3, w.next.kind)
        .bind(4, a.event);
    (*s)->bind(5, a.actor)
        .bind(6, a.role)
        .bind(7, w.expected_version ? w.expected_state : "");
    (*s)->bind(8, w.next.state).bind(9, a.at_ms);
    return (*s)->run("cannot append to the audit log");
  }

  result<void> append_notification(const write &w, const notification &n) {
    auto s = db_.cached("INSERT INTO outbox (entity_id, entity_version, topic, audience, "
                        "payload, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        "cannot append to the outbox");
    if (!s) return s.error();
    (*s)->bind(1, w.next.id).bind(2, w.next.version).bind(3, n.topic);
    (*s)->bind(4, n.audience).bind(5, n.payload.empty() ? "{}" : n.payload);
    const timestamp_ms created = n.created_ms ? n.created_ms : w.audit.at_ms;
    (*s)->bind(6, created);
    if (auto r = (*s)->run("cannot append to the outbox"); !r) return r;
    // Its delivery state, pending and due at once, in the same transaction.
    auto d = db_.cached("INSERT INTO deliveries (outbox_seq, status, attempts, "
                        "next_attempt_ms, last_error, updated_ms) "
                        "VALUES (last_insert_rowid(), 'pending', 0, ?1, '', ?1)",
                        "cannot append to the outbox");
    if (!d) return d.error();
    (*d)->bind(1, created);
    return (*d)->run("cannot append to the outbox");
  }

  result<void> append_message(const write &w, const chat_message &m) {
    auto s = db_.cached("INSERT INTO messages (id, chat_id, sender, role, at_ms, body) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        "cannot append a message");
    if (!s) return s.error();
    (*s)->bind(1, m.id).bind(2, m.chat_id.empty() ? w.next.id : m.chat_id);
    (*s)->bind(3, m.sender).bind(4, m.role).bind(5, m.at_ms).bind(6, m.body);
    return (*s)->run("cannot append a message");
  }

  result<std::optional<std::string>> first_violation(const char *sql) {
    auto s = db_.prepare(sql, "cannot check the store");
    if (!s) return s.error();
    auto row = s->step("cannot check the store");
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(s->text(0));
  }

  std::mutex mu_;
  sq::connection db_;
};

result<check_report> sqlite_store::check() {
  std::lock_guard<std::mutex> lock(mu_);
  check_report rep;
  auto v = pragma_int(db_, "PRAGMA user_version");
  if (!v) return v.error();
  rep.schema_version = static_cast<int>(*v);
  if (rep.schema_version != schema_version)
    rep.violations.push_back("schema version " + std::to_string(rep.schema_version) +
                             " is not the current " + std::to_string(schema_version));
  static const char *const kChecks[] = {
      "SELECT 'integrity: ' || integrity_check FROM pragma_integrity_check "
      "WHERE integrity_check <> 'ok' LIMIT 1",
      "SELECT 'entity ' || e.id || ': state ' || e.state || ' but last audited "
      "transition went to ' || COALESCE(a.to_state, '(none)') FROM entities e LEFT JOIN "
      "audit a ON a.entity_id = e.id AND a.entity_version = e.version "
      "WHERE a.to_state IS NOT e.state LIMIT 1",
      "SELECT 'entity ' || e.id || ': version ' || e.version || ' but ' || "
      "(SELECT COUNT(*) FROM audit a WHERE a.entity_id = e.id) || ' audit records' "
      "FROM entities e WHERE e.version <> (SELECT COUNT(*) FROM audit a WHERE "
      "a.entity_id = e.id) LIMIT 1",
      "SELECT 'audit: records for unknown entity ' || entity_id FROM audit WHERE "
      "entity_id NOT IN (SELECT id FROM entities) LIMIT 1",
      "SELECT 'audit: duplicate record for ' || entity_id || ' version ' || "
      "entity_version FROM audit GROUP BY entity_id, entity_version HAVING COUNT(*) > 1 "
      "LIMIT 1",
      "SELECT 'audit: ' || a.entity_id || ' version ' || a.entity_version || ' starts "
      "from ' || a.from_state || ' but the previous transition went to ' || "
      "COALESCE(p.to_state, '(nothing)') FROM audit a LEFT JOIN audit p ON p.entity_id = "
      "a.entity_id AND p.entity_version = a.entity_version - 1 WHERE "
      "a.from_state IS NOT COALESCE(p.to_state, '') LIMIT 1",
      "SELECT 'outbox: duplicate ' || topic || ' for ' || entity_id || ' version ' || "
      "entity_version FROM outbox GROUP BY entity_id, entity_version, topic HAVING "
      "COUNT(*) > 1 LIMIT 1",
      "SELECT 'outbox: ' || o.topic || ' for ' || o.entity_id || ' has no audited "
      "transition' FROM outbox o LEFT JOIN audit a ON a.entity_id = o.entity_id AND "
      "a.entity_version = o.entity_version WHERE a.seq IS NULL LIMIT 1",
      "SELECT 'outbox: item ' || o.seq || ' has no delivery state' FROM outbox o "
      "LEFT JOIN deliveries d ON d.outbox_seq = o.seq WHERE d.outbox_seq IS NULL LIMIT 1",
  };
  for (const char *sql : kChecks) {
    auto r = first_violation(sql);
    if (!r) return r.error();
    if (*r) rep.violations.push_back(**r);
  }
  for (auto [sql, out] : {std::pair{"SELECT COUNT(*) FROM entities", &rep.entities},
                          std::pair{"SELECT COUNT(*) FROM audit", &rep.audit_records},
                          std::pair{"SELECT COUNT(*) FROM outbox", &rep.notifications}}) {
    auto n = pragma_int(db_, sql);
    if (!n) return n.error();
    *out = *n;
  }
  return rep;
}

result<void> configure(sq::connection &c, const sqlite_options &o, bool memory) {
  if (!memory && !o.read_only) {
    auto mode = c.prepare("PRAGMA journal_mode=WAL", "cannot enable WAL");
    if (!mode) return mode.error();
    auto row = mode->step("cannot enable WAL");
    if (!row) return row.error();
  }
  const char *sync =
      o.sync == sync_mode::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
  if (auto r = c.exec(sync, "cannot set synchronous"); !r) return r;
  return c.exec("PRAGMA foreign_keys=ON", "cannot enable foreign keys");
}

result<void> migrate(sq::connection &c, const sqlite_options &o) {
  auto app = pragma_int(c, "PRAGMA application_id");
  if (!app) return app.error();
  auto version = pragma_int(c, "PRAGMA user_version");
  if (!version) return version.error();
  if (*version > kLatest)
    return error_info{errc::unsupported_version,
                      "database schema version " + std::to_string(*version) +
                          " is newer than this SDK supports (" + std::to_string(kLatest) +
                          "); refusing to open it"};
  auto tables = pragma_int(c, "SELECT COUNT(*) FROM sqlite_master");
  if (!tables) return tables.error();
  if (*app != kApplicationId && (*app != 0 || *tables != 0))
    return error_info{errc::database_error,
                      "not a veteran store (the database holds other tables)"};
  if (*version == kLatest) return {};
  if (o.read_only)
    return error_info{errc::permission_denied,
                      "the store needs a schema migration but was opened read-only"};
  auto txn = sq::transaction::begin(c);
  if (!txn) return txn.error();
  // Another process may have migrated while this one waited for the lock.
  version = pragma_int(c, "PRAGMA user_version");
  if (!version) return version.error();
  for (auto v = *version; v < kLatest; ++v)
    if (auto r = c.exec(kMigrations[v], "schema migration " + std::to_string(v + 1)); !r)
      return r;
  if (auto r = c.exec("PRAGMA application_id=" + std::to_string(kApplicationId) +
                          ";PRAGMA user_version=" + std::to_string(kLatest),
                      "cannot record the schema version");
      !r)
    return r;
  return txn->commit();
}

} // namespace

result<std::unique_ptr<store>> open_sqlite(const sqlite_options &o) {
  if (o.busy_timeout_ms < 0)
    return error_info{errc::invalid_argument, "busy_timeout_ms must be >= 0"};
  const bool memory = o.path.empty() || o.path == ":memory:";
  sq::open_options oo;
  oo.read_only = o.read_only;
  oo.create = o.create;
  oo.busy_timeout_ms = o.busy_timeout_ms;
  auto c = sq::connection::open(o.path, oo);
  if (!c) return c.error();
  // Check the header before anything writes to the file (WAL mode would).
  if (auto r = migrate(*c, o); !r) return r.error();
  if (auto r = configure(*c, o, memory); !r) return r.error();
  return std::unique_ptr<store>(std::make_unique<sqlite_store>(std::move(*c)));
}

const char *to_string(delivery_status s) noexcept {
  switch (s) {
  case delivery_status::delivered:
    return "delivered";
  case delivery_status::dead:
    return "dead";
  case delivery_status::pending:
    break;
  }
  return "pending";
}

const char *to_string(sync_mode m) noexcept {
  return m == sync_mode::full ? "full" : "normal";
}

} // namespace store
VETERAN_NAMESPACE_END
