// The flow engine. See include/veteran/flow/service.hpp and docs/flows.md.
#include "veteran/flow/service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <utility>

#include "flow/detail/testing.hpp"
#include "util/json_read.hpp"
#include "util/json_write.hpp"
#include "util/random.hpp"
#include "veteran/pii/blind_index.hpp"
#include "veteran/pii/codec.hpp"

VETERAN_NAMESPACE_BEGIN
namespace flow {

namespace json = boost::json;
using store::entity;

namespace {

const actor kSystem{"system", role::system};

bool is_supervisor(role r) { return r == role::supervisor || r == role::admin; }

std::string str(const json::object &o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  return std::string(it->value().get_string());
}
bool flag(const json::object &o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}
triage::level level_of(const json::object &o) {
  triage::level l = triage::level::none;
  (void)triage::parse(str(o, "level"), l);
  return l;
}

bool eligible(std::string_view preferred, role r) {
  if (is_supervisor(r)) return true;
  if (preferred == "counsellor") return r == role::counsellor;
  if (preferred == "peer") return r == role::peer;
  return r == role::peer || r == role::counsellor;
}

std::string roles_holding(permission p) {
  std::string out;
  for (role r : {role::user, role::peer, role::counsellor, role::supervisor, role::admin})
    if (allowed(r, p)) out += (out.empty() ? "" : ",") + std::string(to_string(r));
  return out;
}

std::string eligible_roles(std::string_view preferred) {
  std::string out;
  for (role r : {role::peer, role::counsellor, role::supervisor, role::admin})
    if (eligible(preferred, r))
      out += (out.empty() ? "" : ",") + std::string(to_string(r));
  return out;
}

std::string audience_of(std::string_view spec, const json::object &d) {
  if (spec == "@owner") return "user:" + str(d, "user");
  if (spec == "@participants") {
    std::string out = "user:" + str(d, "user");
    if (!str(d, "claimer").empty()) out += ",staff:" + str(d, "claimer");
    return out;
  }
  if (spec == "@eligible") return eligible_roles(str(d, "preferred"));
  if (spec.substr(0, 5) == "perm:") {
    for (const auto &row : permissions())
      if (spec.substr(5) == row.name) return roles_holding(row.what);
  }
  return std::string(spec);
}

/// Only ids, states, levels and flags: never phone numbers, text or details.
std::string payload(const entity &e, std::string_view event, const json::object &d) {
  util::json_text_writer w;
  w.begin_object();
  w.key("id");
  w.value(std::string_view(e.id));
  w.key("kind");
  w.value(std::string_view(e.kind));
  w.key("event");
  w.value(event);
  w.key("state");
  w.value(std::string_view(e.state));
  for (const char *k : {"level", "session", "alert", "preferred", "source"})
    if (!str(d, k).empty()) {
      w.key(k);
      w.value(std::string_view(str(d, k)));
    }
  for (const char *k : {"urgent", "third_party", "failsafe"})
    if (flag(d, k)) {
      w.key(k);
      w.value(true);
    }
  w.end_object();
  return w.take();
}

std::string state_message(const entity &e, std::string_view event, const actor &a) {
  return e.kind + " " + e.id + ": '" + std::string(event) +
         "' is not allowed from state '" + e.state + "' for role '" + to_string(a.who) +
         "'";
}

} // namespace

struct service::impl {
  service &s;

  result<std::string> new_id(std::string_view prefix) {
    auto r = util::random_id(12);
    if (!r) return r.error();
    return std::string(prefix) + "_" + *r;
  }

  result<std::string> seal(std::string_view table, std::string_view field,
                           std::string_view record, std::string_view value) {
    if (!s.options_.keys) return std::string(value);
    return pii::encrypt_string(*s.options_.keys, pii::field_context{table, field, record},
                               value);
  }

  result<std::string> open(std::string_view table, std::string_view field,
                           std::string_view record, std::string_view value) {
    if (!pii::is_envelope(value)) {
      // Written without keys; with keys configured plaintext is refused.
      if (s.options_.keys)
        return error_info{errc::envelope_malformed,
                          std::string(table) + "." + std::string(field) +
                              ": stored value is not encrypted"};
      return std::string(value);
    }
    if (!s.options_.keys)
      return error_info{errc::key_missing, std::string(table) + "." + std::string(field) +
                                               ": encrypted, and no key ring configured"};
    auto v =
        pii::decrypt(*s.options_.keys, pii::field_context{table, field, record}, value);
    if (!v) return v.error();
    return std::move(v->data);
  }

  std::optional<timestamp_ms> deadline(timer t, const entity &e, const json::object &d,
                                       timestamp_ms now, std::string &event) {
    const auto &o = s.options_;
    switch (t) {
    case timer::keep:
      event = e.deadline_event;
      return e.deadline_ms;
    case timer::clear:
      event.clear();
      return std::nullopt;
    case timer::claim:
      event = "expire";
      return now + o.claim_timeout_ms;
    case timer::ring:
      event = "no_answer";
      return now + o.ring_timeout_ms;
    case timer::grace:
      event = "abandon";
      return now + o.grace_ms;
    case timer::sla:
      event = "escalate";
      return now + (flag(d, "urgent") ? o.urgent_callback_sla_ms : o.callback_sla_ms);
    case timer::escalation: {
      const auto l = level_of(d);
      if (flag(d, "escalated") || l < triage::level::high) {
        event = e.deadline_event;
        return e.deadline_ms;
      }
      const timestamp_ms at =
          now + (l == triage::level::critical ? o.critical_escalation_ms
                                              : o.high_escalation_ms);
      event = "escalate";
      // A level that went up may bring the escalation forward, never back.
      return e.deadline_ms ? std::min(*e.deadline_ms, at) : at;
    }
    }
    return std::nullopt;
  }

  result<void> check_guard(const rule &r, const entity &e, const json::object &d,
                           const actor &a) {
    const bool owner = !a.id.empty() && a.id == str(d, "user") && a.who == role::user;
    const bool claimer =
        !a.id.empty() && a.id == str(d, "claimer") && a.who != role::user;
    bool ok = true;
    const char *need = "";
    switch (r.check) {
    case guard::none:
      break;
    case guard::owner:
      ok = owner;
      need = "the user who asked";
      break;
    case guard::participant:
      ok = owner || claimer;
      need = "a participant";
      break;
    case guard::claimer_or_supervisor:
      ok = claimer || is_supervisor(a.who);
      need = "the staff member who holds it, or a supervisor";
      break;
    case guard::participant_or_supervisor:
      ok = owner || claimer || is_supervisor(a.who);
      need = "a participant or a supervisor";
      break;
    case guard::eligible:
      ok = eligible(str(d, "preferred"), a.who);
      need = "a role the request asked for";
      break;
    }
    if (ok) return {};
    return error_info{errc::permission_denied,
                      e.kind + " " + e.id + ": '" + r.event + "' in state '" + e.state +
                          "' needs " + need + " (role '" + to_string(a.who) + "')"};
  }

  /// Checks the rule for (e.state, event) and the actor.
  result<const rule *> find(const entity &e, std::string_view event, const actor &a) {
    const flow_table *t = find_table(e.kind);
    if (!t) return error_info{errc::internal, e.id + ": unknown flow kind"};
    const rule *r = find_rule(*t, e.state, event);
    if (!r) {
      if (is_contested(*t, e.state, event))
        return error_info{errc::conflict, e.kind + " " + e.id + ": already " + e.state +
                                              " by someone else"};
      const auto evs = events(*t);
      if (std::find(evs.begin(), evs.end(), event) == evs.end())
        return error_info{errc::invalid_argument, "event: '" + std::string(event) +
                                                      "' is not an event of " + e.kind};
      return error_info{errc::invalid_state, state_message(e, event, a)};
    }
    if (!allowed(a.who, r->perm))
      return error_info{errc::permission_denied,
                        e.kind + " " + e.id + ": role '" + to_string(a.who) +
                            "' may not '" + std::string(event) + "' (state '" + e.state +
                            "'; needs permission " + to_string(r->perm) + ")"};
    return r;
  }

  using mutator = std::function<result<void>(json::object &, store::write &)>;

  /// The write for rule `r` on `e`, plus any entity it creates.
  result<std::vector<store::write>> build(const entity &e, const rule &r, json::object d,
                                          const actor &a, timestamp_ms now,
                                          const mutator &mutate, std::string &created) {
    std::vector<store::write> out;
    store::write w;
    w.expected_version = e.version;
    w.expected_state = e.state;
    w.next = e;
    w.next.state = r.next;
    w.next.version = e.version + 1;
    w.next.updated_ms = now;
    if (r.effects & fx_set_claimer) {
      d["claimer"] = a.id;
      d["claimer_role"] = to_string(a.who);
    }
    if (r.effects & fx_clear_claimer) {
      d.erase("claimer");
      d.erase("claimer_role");
    }
    if (r.effects & fx_escalated) d["escalated"] = true;
    if (mutate)
      if (auto m = mutate(d, w); !m) return m.error();
    w.next.deadline_ms = deadline(r.t, e, d, now, w.next.deadline_event);
    if (!w.next.deadline_ms) w.next.deadline_event.clear();
    if (find_table(e.kind) && is_final(*find_table(e.kind), r.next))
      w.next.unique_key.clear();
    w.next.data = json::serialize(d);
    w.audit.event = r.event;
    w.audit.actor = a.id;
    w.audit.role = to_string(a.who);
    w.audit.at_ms = now;
    if (*r.topic)
      w.notify.push_back({0, e.id, 0, r.topic, audience_of(r.audience, d),
                          payload(w.next, r.event, d), now});
    if (r.effects & fx_escalate)
      w.notify.push_back({0, e.id, 0, e.kind + ".escalated", "supervisor,admin",
                          payload(w.next, r.event, d), now});
    out.push_back(std::move(w));
    if (r.effects & fx_urgent_callback) {
      auto cb = urgent_callback_for(out.front().next, d, now);
      if (!cb) return cb.error();
      created = cb->next.id;
      out.push_back(std::move(*cb));
    }
    return out;
  }

  /// An unanswered request becomes an urgent callback (nobody waits forever).
  result<store::write> urgent_callback_for(const entity &req, const json::object &d,
                                           timestamp_ms now) {
    auto id = new_id("cb");
    if (!id) return id.error();
    json::object cd;
    cd["user"] = str(d, "user");
    cd["urgent"] = true;
    cd["source"] = req.id;
    if (!str(d, "alert").empty()) cd["alert"] = str(d, "alert");
    return creation(*id, table(flow_kind::callback), kSystem, now, std::move(cd), "", "");
  }

  /// The write creating entity `id` by the table's creating rule.
  result<store::write> creation(const std::string &id, const flow_table &t,
                                const actor &a, timestamp_ms now, json::object d,
                                std::string link, std::string unique_key) {
    const rule *r = find_rule(t, "", t.rules.front().event);
    if (!allowed(a.who, r->perm))
      return error_info{errc::permission_denied, std::string(t.kind) + ": role '" +
                                                     to_string(a.who) + "' may not '" +
                                                     r->event + "' (needs permission " +
                                                     to_string(r->perm) + ")"};
    entity e;
    e.id = id;
    e.kind = t.kind;
    e.created_ms = now;
    e.link = std::move(link);
    e.unique_key = std::move(unique_key);
    std::string ignored;
    auto w = build(e, *r, std::move(d), a, now, nullptr, ignored);
    if (!w) return w.error();
    return std::move(w->front());
  }

  /// Reads, decides and commits one event, retrying lost compare-and-sets.
  /// Decides one event on the entity as read (inside the store's transaction).
  result<std::vector<store::write>> decide(const std::optional<entity> &got,
                                           std::string_view id, std::string_view event,
                                           const actor &a, timestamp_ms now,
                                           const mutator &mutate, bool timer_only,
                                           transition &out) {
    if (!got) return error_info{errc::not_found, "unknown id " + std::string(id)};
    const entity &e = *got;
    if (timer_only &&
        (e.deadline_event != event || !e.deadline_ms || *e.deadline_ms > now))
      return error_info{errc::conflict, e.id + ": deadline no longer due"};
    auto r = find(e, event, a);
    if (!r) return r.error();
    auto d = util::parse_strict(e.data, "entity data");
    if (!d || !d->is_object())
      return error_info{errc::database_error,
                        e.id + ": stored data is not a JSON object"};
    if (auto g = check_guard(**r, e, d->as_object(), a); !g) return g.error();
    out = transition{e.id, e.kind, std::string(event), e.state, (**r).next, {}};
    return build(e, **r, std::move(d->as_object()), a, now, mutate, out.created_id);
  }

  /// Reads, decides and commits one event in one store transaction; a lost
  /// compare-and-set (possible on backends that do not lock the row) is
  /// retried from a fresh read.
  result<transition> apply(std::string_view id, std::string_view event, const actor &a,
                           timestamp_ms now, const mutator &mutate, bool timer_only) {
    if (id.empty()) return error_info{errc::invalid_argument, "id: must not be empty"};
    for (int attempt = 0;; ++attempt) {
      transition out;
      bool refused = false; // the decision itself failed: final, not a race
      auto c = s.store_->update(id, [&](const std::optional<entity> &got) {
        auto w = decide(got, id, event, a, now, mutate, timer_only, out);
        refused = !w.ok();
        return w;
      });
      if (c) return out;
      if (refused || c.code() != errc::conflict || attempt + 1 >= s.options_.max_retries)
        return c.error();
    }
  }

  result<std::string>
  create(const flow_table &t, std::string_view prefix, const actor &a, timestamp_ms now,
         json::object d, std::string link, std::string unique_key,
         const std::function<result<void>(const std::string &, json::object &)> &fill,
         bool offer) {
    auto id = new_id(prefix);
    if (!id) return id.error();
    if (fill)
      if (auto f = fill(*id, d); !f) return f.error();
    auto w =
        creation(*id, t, a, now, std::move(d), std::move(link), std::move(unique_key));
    if (!w) return w.error();
    std::vector<store::write> writes{std::move(*w)};
    if (offer) {
      const rule *o = find_rule(t, "requested", "offer");
      auto d2 = util::parse_strict(writes.front().next.data, "entity data");
      if (!d2) return d2.error();
      std::string ignored;
      auto ow =
          build(writes.front().next, *o, d2->as_object(), kSystem, now, nullptr, ignored);
      if (!ow) return ow.error();
      writes.push_back(std::move(ow->front()));
    }
    if (auto c = s.store_->commit(writes); !c) return c.error();
    return *id;
  }

  result<std::string> request(flow_kind k, const actor &user, std::string_view preferred,
                              std::string_view alert_id, timestamp_ms now) {
    if (preferred.empty()) preferred = "any";
    if (preferred != "any" && preferred != "peer" && preferred != "counsellor")
      return error_info{errc::invalid_argument,
                        "preferred: must be one of any, peer, counsellor"};
    if (user.id.empty())
      return error_info{errc::invalid_argument, "user: must not be empty"};
    if (!alert_id.empty()) {
      auto al = s.store_->get(alert_id);
      if (!al) return al.error();
      if (!*al || ((*al)->kind != "safeguarding" && (*al)->kind != "panic"))
        return error_info{errc::not_found, "alert: unknown id " + std::string(alert_id)};
    }
    json::object d;
    d["user"] = user.id;
    d["preferred"] = preferred;
    if (!alert_id.empty()) d["alert"] = alert_id;
    return create(table(k), k == flow_kind::chat ? "chat" : "call", user, now,
                  std::move(d), "", "", nullptr, true);
  }
};

service::service(std::shared_ptr<store::store> s, service_options options)
    : store_(std::move(s)), options_(std::move(options)) {
  if (!store_)
    throw error(errc::invalid_argument, "flow::service: store must not be null");
}

result<std::string> service::request_chat(const actor &user, std::string_view preferred,
                                          std::string_view alert_id, timestamp_ms now) {
  return impl{*this}.request(flow_kind::chat, user, preferred, alert_id, now);
}

result<std::string> service::request_call(const actor &user, std::string_view preferred,
                                          std::string_view alert_id, timestamp_ms now) {
  return impl{*this}.request(flow_kind::call, user, preferred, alert_id, now);
}

result<std::string> service::create_callback(const actor &a, std::string_view phone,
                                             bool urgent, std::string_view alert_id,
                                             timestamp_ms now) {
  if (phone.empty())
    return error_info{errc::invalid_argument, "phone: must not be empty"};
  impl im{*this};
  if (!alert_id.empty()) {
    auto al = store_->get(alert_id);
    if (!al) return al.error();
    if (!*al)
      return error_info{errc::not_found, "alert: unknown id " + std::string(alert_id)};
  }
  json::object d;
  if (a.who == role::user) d["user"] = a.id;
  // A callback raised from an alert is urgent.
  d["urgent"] = urgent || !alert_id.empty();
  if (!alert_id.empty()) d["alert"] = alert_id;
  // With keys, a blind index of the normalised number lets a host find a
  // person's callbacks without the number being stored in clear.
  std::string link;
  if (options_.keys) {
    auto idx =
        pii::blind_index(*options_.keys, "callback.phone", pii::index_kind::phone, phone);
    if (!idx) return idx.error();
    link = "phone:" + *idx;
  }
  return im.create(
      table(flow_kind::callback), "cb", a, now, std::move(d), std::move(link), "",
      [&](const std::string &id, json::object &o) -> result<void> {
        auto sealed = im.seal("callback", "phone", id, phone);
        if (!sealed) return sealed.error();
        o["phone"] = *sealed;
        return {};
      },
      false);
}

result<std::string> service::raise_alert(flow_kind kind, triage::level level,
                                         std::string_view session, const actor &a,
                                         timestamp_ms now) {
  if (kind != flow_kind::panic && kind != flow_kind::safeguarding)
    return error_info{errc::invalid_argument, "kind: must be panic or safeguarding"};
  if (level == triage::level::none)
    return error_info{errc::invalid_argument,
                      "level: must be low, medium, high or critical"};
  json::object d;
  d["level"] = triage::to_string(level);
  d["raised_by"] = a.id;
  if (!session.empty()) d["session"] = session;
  std::string unique;
  if (!session.empty() && kind == flow_kind::safeguarding)
    unique = "safeguarding:" + std::string(session);
  return impl{*this}.create(table(kind), kind == flow_kind::panic ? "pan" : "sg", a, now,
                            std::move(d), std::string(session), unique, nullptr, false);
}

result<std::string> service::create_concern(const actor &a, std::string_view details,
                                            timestamp_ms now) {
  if (details.empty())
    return error_info{errc::invalid_argument, "details: must not be empty"};
  impl im{*this};
  json::object d;
  d["reporter"] = a.id;
  return im.create(
      table(flow_kind::concern), "fc", a, now, std::move(d), "", "",
      [&](const std::string &id, json::object &o) -> result<void> {
        auto sealed = im.seal("concern", "details", id, details);
        if (!sealed) return sealed.error();
        o["details"] = *sealed;
        return {};
      },
      false);
}

result<std::vector<std::string>> service::find_callbacks(std::string_view phone) {
  if (!options_.keys)
    return error_info{
        errc::key_missing,
        "phone: finding callbacks by number needs a key ring (blind index)"};
  auto idx =
      pii::blind_index(*options_.keys, "callback.phone", pii::index_kind::phone, phone);
  if (!idx) return idx.error();
  auto found = store_->find_linked("callback", "phone:" + *idx);
  if (!found) return found.error();
  std::vector<std::string> ids;
  for (const auto &e : *found)
    ids.push_back(e.id);
  return ids;
}

result<transition> service::fire(std::string_view id, std::string_view event,
                                 const actor &a, timestamp_ms now) {
  if (event.empty())
    return error_info{errc::invalid_argument, "event: must not be empty"};
  if (event == "message")
    return error_info{errc::invalid_argument, "event: use post_message for 'message'"};
  if (a.who == role::system)
    return error_info{errc::permission_denied, "role: 'system' is the SDK's own role"};
  return impl{*this}.apply(id, event, a, now, nullptr, false);
}

result<transition> service::post_message(std::string_view chat_id, const actor &a,
                                         std::string_view text, timestamp_ms now) {
  if (text.empty()) return error_info{errc::invalid_argument, "text: must not be empty"};
  impl im{*this};
  auto mid = im.new_id("msg");
  if (!mid) return mid.error();
  auto sealed = im.seal("chat_message", "body", *mid, text);
  if (!sealed) return sealed.error();
  return im.apply(
      chat_id, "message", a, now,
      [&](json::object &, store::write &w) -> result<void> {
        w.messages.push_back(store::chat_message{0, *mid, w.next.id, a.id,
                                                 to_string(a.who), now, *sealed});
        return {};
      },
      false);
}

result<std::vector<message>> service::read_messages(std::string_view chat_id,
                                                    const actor &a) {
  auto e = store_->get(chat_id);
  if (!e) return e.error();
  if (!*e || (*e)->kind != "chat")
    return error_info{errc::not_found, "unknown chat " + std::string(chat_id)};
  auto d = util::parse_strict((*e)->data, "entity data");
  if (!d || !d->is_object())
    return error_info{errc::database_error, "chat data unreadable"};
  const auto &o = d->as_object();
  const bool ok = (a.who == role::user && a.id == str(o, "user")) ||
                  (a.who != role::user && a.id == str(o, "claimer")) ||
                  is_supervisor(a.who);
  if (!ok)
    return error_info{errc::permission_denied,
                      "chat " + (*e)->id +
                          ": only its participants or a supervisor may "
                          "read it (role '" +
                          to_string(a.who) + "')"};
  auto ms = store_->messages(chat_id);
  if (!ms) return ms.error();
  impl im{*this};
  std::vector<message> out;
  for (const auto &m : *ms) {
    auto text = im.open("chat_message", "body", m.id, m.body);
    if (!text) return text.error();
    out.push_back(message{m.id, m.sender, m.role, m.at_ms, std::move(*text)});
  }
  return out;
}

result<handoff> service::feed(std::string_view session, const triage::assessment &a,
                              timestamp_ms now) {
  if (session.empty())
    return error_info{errc::invalid_argument, "session: must not be empty"};
  using triage::level;
  const bool failsafe = !a.error.empty();
  const level self = failsafe ? std::max(a.lvl, level::high) : a.lvl;
  const bool third = a.concern_for_other && a.other_level >= level::high;
  const level wanted = std::max(self >= level::high ? self : level::none,
                                third ? a.other_level : level::none);
  impl im{*this};
  for (int attempt = 0; attempt < options_.max_retries; ++attempt) {
    auto linked = store_->find_linked("safeguarding", session);
    if (!linked) return linked.error();
    const entity *open = nullptr;
    for (const auto &e : *linked)
      if (!is_final(table(flow_kind::safeguarding), e.state)) open = &e;
    handoff h;
    if (open) {
      auto t = im.apply(
          open->id, "update", kSystem, now,
          [&](json::object &d, store::write &) -> result<void> {
            const level now_level = std::max(level_of(d), wanted);
            d["level"] = triage::to_string(now_level);
            d["turns"] =
                (d.contains("turns") && d["turns"].is_int64() ? d["turns"].as_int64()
                                                              : 1) +
                1;
            if (third) d["third_party"] = true;
            if (failsafe) d["failsafe"] = true;
            h.level = now_level;
            h.third_party = flag(d, "third_party");
            return {};
          },
          false);
      if (!t) {
        // Resolved (or changed) meanwhile: look again, and raise a new alert
        // if this turn needs one — a risky turn must never be dropped.
        if (t.code() == errc::conflict || t.code() == errc::invalid_state) continue;
        return t.error();
      }
      h.alert_id = open->id;
      h.updated = true;
      return h;
    }
    if (wanted < level::high) return h;
    json::object d;
    d["level"] = triage::to_string(wanted);
    d["session"] = session;
    d["turns"] = 1;
    d["raised_by"] = "triage";
    if (third) d["third_party"] = true;
    if (failsafe) d["failsafe"] = true;
    auto id = im.create(table(flow_kind::safeguarding), "sg", kSystem, now, std::move(d),
                        std::string(session), "safeguarding:" + std::string(session),
                        nullptr, false);
    if (!id) {
      if (id.code() == errc::conflict) continue; // raised concurrently: update it
      return id.error();
    }
    h.alert_id = *id;
    h.raised = true;
    h.level = wanted;
    h.third_party = third;
    return h;
  }
  return error_info{errc::conflict, "session alert changed too often; try again"};
}

result<std::vector<transition>> service::due(timestamp_ms now, std::size_t limit) {
  auto list = store_->due(now, limit);
  if (!list) return list.error();
  std::vector<transition> out;
  impl im{*this};
  for (const auto &e : *list) {
    auto t = im.apply(e.id, e.deadline_event, kSystem, now, nullptr, true);
    if (t) {
      out.push_back(std::move(*t));
      continue;
    }
    // Applied or superseded by someone else meanwhile: not an error.
    if (t.code() == errc::conflict || t.code() == errc::invalid_state) continue;
    return t.error();
  }
  return out;
}

result<transition> service_internals::fire_as_system(service &s, std::string_view id,
                                                     std::string_view event,
                                                     timestamp_ms now) {
  return service::impl{s}.apply(id, event, kSystem, now, nullptr, false);
}

} // namespace flow
VETERAN_NAMESPACE_END
