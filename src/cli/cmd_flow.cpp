// The flow and store subcommands: chat, call-less callback, alert, concern,
// triage-feed, tick, audit, outbox, store. All take --db FILE and print JSON.
// Exit codes: 0 ok, 1 not allowed (names state and role) or other failure,
// 2 usage, 3 lost a race (already claimed), 4 unknown id.
#include <iostream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "cli/cli.hpp"
#include "cli/cmd_flow.hpp"
#include "cli/cmd_notify.hpp"
#include "cli/cmd_pii.hpp"
#include "triage/detail/json_value.hpp"
#include "util/json_read.hpp"
#include "util/json_write.hpp"
#include "veteran/flow/service.hpp"
#include "veteran/store/store.hpp"
#include "veteran/triage.hpp"

namespace veteran::cli {

namespace json = boost::json;
namespace fl = veteran::flow;

namespace {

const option_spec kDb{"db", true, "the store (SQLite file; created when absent)"};
const option_spec kNow{"now", true, "the time in ms since the epoch (default: now)"};
const option_spec kSync{"sync", true, "normal (default) or full (survives power loss)"};
const option_spec kStaff{"staff", true, "staff member's id"};
const option_spec kUser{"user", true, "user's id"};
const option_spec kRole{"role", true, "user, peer, counsellor, supervisor or admin"};

std::vector<option_spec> with_common(std::vector<option_spec> v, bool keys = true) {
  v.push_back(kDb);
  v.push_back(kNow);
  v.push_back(kSync);
  if (keys)
    for (const auto &k : key_options())
      v.push_back(k);
  return v;
}

timestamp_ms now_of(const args &a) {
  auto n = a.integer("now", 0, 253402300799999LL);
  return n ? static_cast<timestamp_ms>(*n) : system_now();
}

result<std::shared_ptr<store::store>> open_db(const args &a, bool create) {
  store::sqlite_options o;
  o.path = a.required("db");
  if (o.path == ":memory:") throw usage_error("--db must name a file");
  o.create = create;
  const auto sync = a.value("sync").value_or("normal");
  if (sync != "normal" && sync != "full")
    throw usage_error("--sync must be normal or full");
  o.sync = sync == "full" ? store::sync_mode::full : store::sync_mode::normal;
  auto s = store::open_sqlite(o);
  if (!s) return s.error();
  return std::shared_ptr<store::store>(std::move(*s));
}

result<fl::service> open_service(const char *name, const args &a) {
  auto s = open_db(a, true);
  if (!s) return s.error();
  fl::service_options o;
  auto keys = load_optional_keys(name, a);
  if (!keys) return keys.error();
  o.keys = *keys;
  return fl::service(*s, o);
}

fl::role role_of(const args &a, fl::role fallback, bool required) {
  auto r = a.value("role");
  if (!r) {
    if (required) throw usage_error("missing required option --role");
    return fallback;
  }
  fl::role out{};
  if (!fl::parse(*r, out))
    throw usage_error("--role must be one of user, peer, counsellor, supervisor, admin");
  return out;
}

/// --staff S --role R, or --user U (role user).
fl::actor actor_of(const args &a) {
  if (auto s = a.value("staff")) return {*s, role_of(a, fl::role::user, true)};
  if (auto u = a.value("user")) return {*u, role_of(a, fl::role::user, false)};
  throw usage_error("give --staff ID --role ROLE, or --user ID");
}

int print(const char *name, const std::string &json_text) {
  std::cout << json_text << "\n";
  return finish_stdout(name);
}

int print_id(const char *name, const char *key, const result<std::string> &id) {
  if (!id) return fail(name, id.error());
  json::object o;
  o[key] = *id;
  return print(name, util::write_json(o));
}

json::object transition_json(const fl::transition &t) {
  json::object o;
  o["id"] = t.id;
  o["kind"] = t.kind;
  o["event"] = t.event;
  o["from"] = t.from;
  o["to"] = t.to;
  if (!t.created_id.empty()) o["created"] = t.created_id;
  return o;
}

int print_transition(const char *name, const result<fl::transition> &t,
                     const char *extra_key = nullptr) {
  if (!t) return fail(name, t.error());
  auto o = transition_json(*t);
  if (extra_key) o[extra_key] = t->id;
  return print(name, util::write_json(o));
}

std::string text_arg(const args &a, const char *opt) {
  if (auto v = a.value(opt)) return *v;
  std::string in = read_stdin();
  while (!in.empty() && (in.back() == '\n' || in.back() == '\r'))
    in.pop_back();
  return in;
}

std::string action_of(const args &a, std::initializer_list<const char *> allowed,
                      const char *what) {
  a.expect_positionals(1, 1);
  const auto &act = a.positionals()[0];
  for (const char *x : allowed)
    if (act == x) return act;
  std::string list;
  for (const char *x : allowed)
    list += (list.empty() ? "" : "|") + std::string(x);
  throw usage_error(std::string("unknown ") + what + " action (expected: " + list + ")");
}

// ---- chat ------------------------------------------------------------------

int run_chat(const args &a) {
  const auto act = action_of(a,
                             {"request", "claim", "message", "end", "disconnect",
                              "reconnect", "cancel", "messages"},
                             "chat");
  auto svc = open_service("chat", a);
  if (!svc) return fail("chat", svc.error());
  const auto now = now_of(a);
  if (act == "request") {
    const fl::actor u{a.required("user"), fl::role::user};
    return print_id("chat", "request_id",
                    svc->request_chat(u, a.value("preferred").value_or("any"),
                                      a.value("alert").value_or(""), now));
  }
  const std::string id =
      a.value("room") ? *a.value("room") : a.value("request").value_or("");
  if (id.empty()) throw usage_error("missing required option --request (or --room)");
  const auto who = actor_of(a);
  if (act == "claim")
    return print_transition("chat", svc->fire(id, "claim", who, now), "room_id");
  if (act == "message")
    return print_transition("chat", svc->post_message(id, who, text_arg(a, "text"), now));
  if (act == "messages") {
    auto ms = svc->read_messages(id, who);
    if (!ms) return fail("chat", ms.error());
    json::array arr;
    for (const auto &m : *ms)
      arr.push_back(json::object{{"id", m.id},
                                 {"sender", m.sender},
                                 {"role", m.role},
                                 {"at_ms", m.at_ms},
                                 {"text", m.text}});
    return print("chat", util::write_json(json::object{{"messages", arr}}));
  }
  return print_transition("chat", svc->fire(id, act, who, now));
}

// ---- callback --------------------------------------------------------------

int run_callback(const args &a) {
  const auto act = action_of(
      a, {"create", "take", "release", "complete", "cancel", "find"}, "callback");
  auto svc = open_service("callback", a);
  if (!svc) return fail("callback", svc.error());
  const auto now = now_of(a);
  if (act == "create") {
    fl::actor who{a.value("user").value_or("anonymous"), fl::role::user};
    if (a.value("staff")) who = actor_of(a);
    return print_id("callback", "callback_id",
                    svc->create_callback(who, a.required("phone"), a.flag("urgent"),
                                         a.value("alert").value_or(""), now));
  }
  if (act == "find") {
    auto ids = svc->find_callbacks(a.required("phone"));
    if (!ids) return fail("callback", ids.error());
    json::array arr;
    for (const auto &id : *ids)
      arr.push_back(json::string(id));
    return print("callback", util::write_json(json::object{{"callbacks", arr}}));
  }
  return print_transition("callback",
                          svc->fire(a.required("callback"), act, actor_of(a), now));
}

// ---- alert -----------------------------------------------------------------

int run_alert(const args &a) {
  const auto act = action_of(a, {"raise", "ack", "resolve"}, "alert");
  auto svc = open_service("alert", a);
  if (!svc) return fail("alert", svc.error());
  const auto now = now_of(a);
  if (act == "raise") {
    const auto kind = a.required("kind");
    if (kind != "safeguarding" && kind != "panic")
      throw usage_error("--kind must be safeguarding or panic");
    triage::level lvl{};
    if (!triage::parse(a.required("level"), lvl) || lvl == triage::level::none)
      throw usage_error("--level must be low, medium, high or critical");
    // Without --staff the host itself raises it (role system).
    fl::actor who{"host", fl::role::system};
    if (a.value("staff")) who = actor_of(a);
    return print_id("alert", "alert_id",
                    svc->raise_alert(kind == "panic" ? fl::flow_kind::panic
                                                     : fl::flow_kind::safeguarding,
                                     lvl, a.value("session").value_or(""), who, now));
  }
  return print_transition("alert", svc->fire(a.required("alert"), act, actor_of(a), now));
}

// ---- concern ---------------------------------------------------------------

int run_concern(const args &a) {
  const auto act = action_of(a, {"create", "update"}, "concern");
  auto svc = open_service("concern", a);
  if (!svc) return fail("concern", svc.error());
  const auto now = now_of(a);
  if (act == "create") {
    const fl::actor who{a.required("user"), fl::role::user};
    return print_id("concern", "concern_id",
                    svc->create_concern(who, text_arg(a, "details"), now));
  }
  return print_transition(
      "concern", svc->fire(a.required("concern"), a.required("event"), actor_of(a), now));
}

// ---- triage-feed -----------------------------------------------------------

json::value handoff_json(const fl::handoff &h) {
  if (h.alert_id.empty()) return nullptr;
  return json::object{{"id", h.alert_id},
                      {"raised", h.raised},
                      {"updated", h.updated},
                      {"level", triage::to_string(h.level)},
                      {"third_party", h.third_party}};
}

int run_triage_feed(const args &a) {
  a.expect_positionals(0, 0);
  auto svc = open_service("triage-feed", a);
  if (!svc) return fail("triage-feed", svc.error());
  triage::engine eng;
  triage::session_store sessions;
  std::string line;
  std::size_t n = 0;
  bool ok = true;
  while (std::getline(std::cin, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = "line " + std::to_string(n);
    auto doc = util::parse_strict(line, where);
    std::string session, problem;
    const json::string *text = nullptr;
    if (!doc) {
      problem = doc.error().message;
    } else if (!doc->is_object()) {
      problem = where + ": not a JSON object";
    } else {
      const auto &o = doc->as_object();
      auto *s = o.if_contains("session");
      if (!s || !s->is_string() || s->get_string().empty())
        problem = where + ": \"session\" must be a non-empty string";
      else
        session = std::string(s->get_string());
      auto *t = o.if_contains("text");
      if (t && t->is_string())
        text = &t->get_string();
      else if (problem.empty())
        problem = where + ": \"text\" must be a string";
    }
    const auto now = now_of(a);
    // Fail safe: a turn that cannot be read is treated as high risk.
    const triage::assessment as =
        text ? eng.assess(std::string_view(text->data(), text->size()),
                          sessions.get(session, now), now)
             : eng.failsafe("unreadable input line");
    json::object out;
    out["line"] = n;
    if (!session.empty()) out["session"] = session;
    out["assessment"] = json::parse(triage::detail::assessment_json(as));
    if (!problem.empty()) {
      ok = false;
      out["error"] = problem;
    }
    if (!session.empty()) {
      auto h = svc->feed(session, as, now);
      if (!h) return fail("triage-feed", h.error());
      out["alert"] = handoff_json(*h);
    } else {
      out["alert"] = nullptr;
    }
    std::cout << util::write_json(out) << "\n";
  }
  const int rc = finish_stdout("triage-feed");
  if (rc != exit_ok) return rc;
  return ok ? exit_ok : exit_failure;
}

// ---- tick, audit, outbox, store ----------------------------------------------

int run_tick(const args &a) {
  a.expect_positionals(0, 0);
  auto svc = open_service("tick", a);
  if (!svc) return fail("tick", svc.error());
  auto applied = svc->due(now_of(a));
  if (!applied) return fail("tick", applied.error());
  json::array arr;
  for (const auto &t : *applied)
    arr.push_back(transition_json(t));
  return print("tick", util::write_json(json::object{{"applied", arr}}));
}

int run_audit(const args &a) {
  a.expect_positionals(0, 0);
  auto s = open_db(a, false);
  if (!s) return fail("audit", s.error());
  auto recs = (*s)->audit(
      a.integer("after", 0, INT64_MAX).value_or(0),
      static_cast<std::size_t>(a.integer("limit", 1, 10000000).value_or(100000)),
      a.value("entity").value_or(""));
  if (!recs) return fail("audit", recs.error());
  json::array arr;
  for (const auto &r : *recs)
    arr.push_back(json::object{{"seq", r.seq},
                               {"entity", r.entity_id},
                               {"version", r.entity_version},
                               {"kind", r.kind},
                               {"event", r.event},
                               {"actor", r.actor},
                               {"role", r.role},
                               {"from", r.from_state},
                               {"to", r.to_state},
                               {"at_ms", r.at_ms}});
  return print("audit", util::write_json(json::object{{"audit", arr}}));
}

int run_outbox(const args &a) {
  if (a.positionals().empty())
    throw usage_error("outbox: expected an action: list|deliver|dead|retry");
  const auto act = a.positionals()[0];
  if (act != "list" && act != "deliver" && act != "dead" && act != "retry")
    throw usage_error("outbox: unknown action '" + act +
                      "' (expected list|deliver|dead|retry)");
  if (act != "retry") a.expect_positionals(1, 1);
  auto s = open_db(a, false);
  if (!s) return fail("outbox", s.error());
  if (act != "list") return run_outbox_delivery(act, a, *s);
  auto items = (*s)->outbox(
      a.integer("after", 0, INT64_MAX).value_or(0),
      static_cast<std::size_t>(a.integer("limit", 1, 10000000).value_or(100000)));
  if (!items) return fail("outbox", items.error());
  json::array arr;
  for (const auto &n : *items)
    arr.push_back(json::object{{"seq", n.seq},
                               {"entity", n.entity_id},
                               {"version", n.entity_version},
                               {"topic", n.topic},
                               {"audience", n.audience},
                               {"payload", json::parse(n.payload)},
                               {"created_ms", n.created_ms}});
  return print("outbox", util::write_json(json::object{{"outbox", arr}}));
}

int run_store(const args &a) {
  action_of(a, {"check"}, "store");
  auto s = open_db(a, false);
  if (!s) return fail("store", s.error());
  auto rep = (*s)->check();
  if (!rep) return fail("store", rep.error());
  json::object o{{"ok", rep->violations.empty()},
                 {"schema_version", rep->schema_version},
                 {"entities", rep->entities},
                 {"audit_records", rep->audit_records},
                 {"notifications", rep->notifications}};
  if (!rep->violations.empty()) o["violation"] = rep->violations.front();
  const int rc = print("store", util::write_json(o));
  if (rc != exit_ok) return rc;
  if (!rep->violations.empty())
    return fail("store", errc::invalid_state,
                "invariant violated: " + rep->violations.front());
  return exit_ok;
}

const option_spec kRequest{"request", true, "chat request id"};
const option_spec kRoom{"room", true, "room id (the claimed request's id)"};

} // namespace

std::vector<command> flow_commands() {
  return {
      command{
          "chat", "drive the live chat handover flow",
          "request|claim|message|end|disconnect|reconnect|cancel|messages --db FILE ...",
          with_common({kUser,
                       kStaff,
                       kRole,
                       kRequest,
                       kRoom,
                       {"preferred", true, "any (default), peer or counsellor"},
                       {"alert", true, "link an alert id"},
                       {"text", true, "message text (default: read stdin)"}}),
          run_chat},
      command{
          "callback", "drive the callback flow",
          "create|take|release|complete|cancel|find --db FILE ...",
          with_common({kUser,
                       kStaff,
                       kRole,
                       {"callback", true, "callback id"},
                       {"phone", true, "phone number to call back (encrypted with keys)"},
                       {"urgent", false, "urgent (short SLA)"},
                       {"alert", true, "link an alert id (makes it urgent)"}}),
          run_callback},
      command{"alert", "drive panic and safeguarding alerts",
              "raise|ack|resolve --db FILE ...",
              with_common({kStaff,
                           kRole,
                           {"alert", true, "alert id"},
                           {"kind", true, "safeguarding or panic"},
                           {"level", true, "low, medium, high or critical"},
                           {"session", true, "link a triage session"}}),
              run_alert},
      command{"concern", "drive the family-concern flow", "create|update --db FILE ...",
              with_common({kUser,
                           kStaff,
                           kRole,
                           {"concern", true, "concern id"},
                           {"event", true, "triage, start or close"},
                           {"details", true, "what worries you (default: read stdin)"}}),
              run_concern},
      command{"triage-feed",
              "triage JSON lines {session, text}; raise safeguarding alerts",
              "--db FILE < TURNS.jsonl", with_common({}), run_triage_feed},
      command{"tick", "apply every deadline due by --now (expiry, escalation, abandon)",
              "--db FILE [--now MS]", with_common({}), run_tick},
      command{"audit", "print the audit log",
              "--db FILE [--entity ID] [--after SEQ] [--limit N]",
              with_common({{"entity", true, "one entity only"},
                           {"after", true, "records after this sequence number"},
                           {"limit", true, "at most this many"}},
                          false),
              run_audit},
      command{"outbox", "list, deliver, dead-letter and retry the notification outbox",
              "list|deliver|dead|retry [ID] --db FILE [--after SEQ] [--url URL "
              "--secret-file FILE --once|--loop [--max-attempts N] [--backoff-ms BASE]]",
              [] {
                auto v = with_common(
                    {{"after", true, "list: items after this sequence number"},
                     {"limit", true, "list: at most this many"}},
                    false);
                for (auto &o : outbox_delivery_options())
                  v.push_back(o);
                return v;
              }(),
              run_outbox},
      command{"store", "check the store's invariants", "check --db FILE",
              with_common({}, false), run_store},
  };
}

} // namespace veteran::cli
