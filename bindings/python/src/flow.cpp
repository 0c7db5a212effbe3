// veteran.store and veteran.flow: the store and the flow service. Every call
// releases the GIL around store work; results are plain dicts and lists.
#include <pybind11/stl.h>

#include <algorithm>
#include <optional>
#include <string>

#include "bindings.hpp"
#include "keyring.hpp"
#include "util/secret.hpp"
#include "veteran/flow/service.hpp"
#include "veteran/notify/dispatcher.hpp"
#include "veteran/notify/signature.hpp"
#include "veteran/store/store.hpp"

namespace veteran::python {

namespace {

namespace fl = veteran::flow;

struct py_store {
  std::shared_ptr<store::store> s;
};

timestamp_ms now_or(std::optional<timestamp_ms> now) { return now ? *now : system_now(); }

fl::actor actor_of(const std::string &id, const std::string &role) {
  fl::role r{};
  if (!fl::parse(role, r))
    throw veteran::error(
        errc::invalid_argument,
        "role: must be one of user, peer, counsellor, supervisor, admin");
  return {id, r};
}

py::object entity_dict(const std::optional<store::entity> &e) {
  if (!e) return py::none();
  py::dict d;
  d["id"] = e->id;
  d["kind"] = e->kind;
  d["state"] = e->state;
  d["version"] = e->version;
  d["link"] = e->link.empty() ? py::object(py::none()) : py::object(py::str(e->link));
  d["created_ms"] = e->created_ms;
  d["updated_ms"] = e->updated_ms;
  d["deadline_ms"] = e->deadline_ms ? py::object(py::int_(*e->deadline_ms)) : py::none();
  d["deadline_event"] = e->deadline_event;
  return std::move(d);
}

py::dict transition_dict(const fl::transition &t) {
  py::dict d;
  d["id"] = t.id;
  d["kind"] = t.kind;
  d["event"] = t.event;
  d["from"] = t.from;
  d["to"] = t.to;
  d["created"] =
      t.created_id.empty() ? py::object(py::none()) : py::object(py::str(t.created_id));
  return d;
}

/// Runs `fn` without the GIL and returns its value (throws on error).
template <class Fn> auto unlocked(Fn &&fn) {
  py::gil_scoped_release release;
  return fn().value();
}

void bind_webhook(py::module_ &m) {
  m.def(
      "_webhook_sign",
      [](const py::bytes &secret, std::int64_t t, const py::bytes &body) {
        std::string k(secret);
        util::wipe_on_exit wipe{k};
        return notify::sign(k, t, std::string(body)).value();
      },
      py::arg("secret"), py::arg("t"), py::arg("body"));
  m.def(
      "_webhook_verify",
      [](const std::string &header, const py::bytes &body, const py::bytes &secret,
         const py::bytes &previous, std::int64_t now, std::int64_t tolerance) {
        std::string k(secret), p(previous);
        util::wipe_on_exit wk{k}, wp{p};
        notify::verify(header, std::string(body), k, p, now, tolerance).value();
      },
      py::arg("header"), py::arg("body"), py::arg("secret"), py::arg("previous"),
      py::arg("now"), py::arg("tolerance"));
}

void bind_store(py::module_ &m) {
  bind_webhook(m);
  py::class_<py_store>(m, "_Store")
      .def(py::init([](const std::string &path, const std::string &sync, bool read_only,
                       bool create, int busy_timeout_ms) {
             store::sqlite_options o;
             o.path = path;
             if (sync != "normal" && sync != "full")
               throw veteran::error(errc::invalid_argument,
                                    "sync: must be normal or full");
             o.sync = sync == "full" ? store::sync_mode::full : store::sync_mode::normal;
             o.read_only = read_only;
             o.create = create;
             o.busy_timeout_ms = busy_timeout_ms;
             return py_store{std::shared_ptr<store::store>(
                 unlocked([&] { return store::open_sqlite(o); }))};
           }),
           py::arg("path"), py::arg("sync") = "normal", py::arg("read_only") = false,
           py::arg("create") = true, py::arg("busy_timeout_ms") = 10000)
      .def("get",
           [](py_store &s, const std::string &id) {
             return entity_dict(unlocked([&] { return s.s->get(id); }));
           })
      .def(
          "audit",
          [](py_store &s, std::int64_t after, std::size_t limit,
             const std::string &entity) {
            auto recs = unlocked([&] { return s.s->audit(after, limit, entity); });
            py::list out;
            for (const auto &r : recs) {
              py::dict d;
              d["seq"] = r.seq;
              d["entity"] = r.entity_id;
              d["version"] = r.entity_version;
              d["kind"] = r.kind;
              d["event"] = r.event;
              d["actor"] = r.actor;
              d["role"] = r.role;
              d["from"] = r.from_state;
              d["to"] = r.to_state;
              d["at_ms"] = r.at_ms;
              out.append(d);
            }
            return out;
          },
          py::arg("after") = 0, py::arg("limit") = 100000, py::arg("entity") = "")
      .def(
          "outbox",
          [](py_store &s, std::int64_t after, std::size_t limit) {
            auto items = unlocked([&] { return s.s->outbox(after, limit); });
            py::list out;
            for (const auto &n : items) {
              py::dict d;
              d["seq"] = n.seq;
              d["entity"] = n.entity_id;
              d["version"] = n.entity_version;
              d["topic"] = n.topic;
              d["audience"] = n.audience;
              d["payload"] = n.payload;
              d["created_ms"] = n.created_ms;
              out.append(d);
            }
            return out;
          },
          py::arg("after") = 0, py::arg("limit") = 100000)
      .def(
          "deliver_once",
          [](py_store &s, const std::string &url, const py::bytes &secret,
             int max_attempts, std::int64_t backoff_ms, std::int64_t backoff_cap_ms,
             std::int64_t timeout_ms, std::int64_t connect_timeout_ms) {
            notify::dispatcher_options o;
            o.urls = {url};
            o.secret = std::string(secret); // copied under the GIL
            util::wipe_on_exit wipe{o.secret};
            o.backoff.max_attempts = max_attempts;
            o.backoff.base_ms = backoff_ms;
            o.backoff.cap_ms =
                backoff_cap_ms ? backoff_cap_ms : std::max(o.backoff.cap_ms, backoff_ms);
            o.total_timeout_ms = timeout_ms;
            o.connect_timeout_ms = connect_timeout_ms;
            auto sum = unlocked([&]() -> result<notify::deliver_summary> {
              auto d = notify::dispatcher::create(s.s, o);
              if (!d) return d.error();
              return d->deliver_once();
            });
            py::dict d;
            d["attempted"] = sum.attempted;
            d["delivered"] = sum.delivered;
            d["retrying"] = sum.retrying;
            d["dead"] = sum.dead;
            d["lease_lost"] = sum.lease_lost;
            return d;
          },
          py::arg("url"), py::arg("secret"), py::arg("max_attempts") = 16,
          py::arg("backoff_ms") = 10000, py::arg("backoff_cap_ms") = 0,
          py::arg("timeout_ms") = 15000, py::arg("connect_timeout_ms") = 5000)
      .def(
          "deliveries",
          [](py_store &s, const std::string &status, std::size_t limit) {
            store::delivery_status st{};
            if (status == "pending")
              st = store::delivery_status::pending;
            else if (status == "delivered")
              st = store::delivery_status::delivered;
            else if (status == "dead")
              st = store::delivery_status::dead;
            else
              throw veteran::error(errc::invalid_argument,
                                   "status: must be pending, delivered or dead");
            auto items = unlocked([&] { return s.s->deliveries(st, limit); });
            py::list out;
            for (const auto &x : items) {
              py::dict d;
              d["seq"] = x.item.seq;
              d["entity"] = x.item.entity_id;
              d["topic"] = x.item.topic;
              d["status"] = store::to_string(x.status);
              d["attempts"] = x.attempts;
              d["next_attempt_ms"] = x.next_attempt_ms;
              d["last_error"] = x.last_error;
              out.append(d);
            }
            return out;
          },
          py::arg("status"), py::arg("limit") = 100000)
      .def("check", [](py_store &s) {
        auto rep = unlocked([&] { return s.s->check(); });
        py::dict d;
        d["ok"] = rep.violations.empty();
        d["schema_version"] = rep.schema_version;
        d["entities"] = rep.entities;
        d["audit_records"] = rep.audit_records;
        d["notifications"] = rep.notifications;
        d["violations"] = rep.violations;
        return d;
      });
}

using opt_now = std::optional<timestamp_ms>;

void bind_service(py::module_ &m) {
  py::class_<fl::service>(m, "_FlowService")
      .def(py::init([](const py_store &s, const py_keyring *keys) {
             fl::service_options o;
             if (keys) o.keys = keys->ring;
             return fl::service(s.s, o);
           }),
           py::arg("store"), py::arg("keys") = nullptr)
      .def(
          "request_chat",
          [](fl::service &svc, const std::string &user, const std::string &preferred,
             const std::string &alert, opt_now now) {
            return unlocked([&] {
              return svc.request_chat({user, fl::role::user}, preferred, alert,
                                      now_or(now));
            });
          },
          py::arg("user"), py::arg("preferred") = "any", py::arg("alert") = "",
          py::arg("now") = py::none())
      .def(
          "request_call",
          [](fl::service &svc, const std::string &user, const std::string &preferred,
             const std::string &alert, opt_now now) {
            return unlocked([&] {
              return svc.request_call({user, fl::role::user}, preferred, alert,
                                      now_or(now));
            });
          },
          py::arg("user"), py::arg("preferred") = "any", py::arg("alert") = "",
          py::arg("now") = py::none())
      .def(
          "create_callback",
          [](fl::service &svc, const std::string &phone, bool urgent,
             const std::string &alert, const std::string &actor, const std::string &role,
             opt_now now) {
            const auto a = actor_of(actor, role);
            return unlocked([&] {
              return svc.create_callback(a, phone, urgent, alert, now_or(now));
            });
          },
          py::arg("phone"), py::arg("urgent") = false, py::arg("alert") = "",
          py::arg("actor") = "anonymous", py::arg("role") = "user",
          py::arg("now") = py::none())
      .def(
          "raise_alert",
          [](fl::service &svc, const std::string &kind, const std::string &level,
             const std::string &session, std::optional<std::string> actor,
             std::optional<std::string> role, opt_now now) {
            triage::level l{};
            if (!triage::parse(level, l))
              throw veteran::error(errc::invalid_argument,
                                   "level: must be low, medium, high or critical");
            const auto k =
                kind == "panic" ? fl::flow_kind::panic
                : kind == "safeguarding"
                    ? fl::flow_kind::safeguarding
                    : throw veteran::error(errc::invalid_argument,
                                           "kind: must be panic or safeguarding");
            fl::actor a{"host", fl::role::system};
            if (actor) a = actor_of(*actor, role.value_or(""));
            return unlocked(
                [&] { return svc.raise_alert(k, l, session, a, now_or(now)); });
          },
          py::arg("kind"), py::arg("level"), py::arg("session") = "",
          py::arg("actor") = py::none(), py::arg("role") = py::none(),
          py::arg("now") = py::none())
      .def(
          "create_concern",
          [](fl::service &svc, const std::string &user, const std::string &details,
             opt_now now) {
            return unlocked([&] {
              return svc.create_concern({user, fl::role::user}, details, now_or(now));
            });
          },
          py::arg("user"), py::arg("details"), py::arg("now") = py::none())
      .def(
          "fire",
          [](fl::service &svc, const std::string &id, const std::string &event,
             const std::string &actor, const std::string &role, opt_now now) {
            const auto a = actor_of(actor, role);
            return transition_dict(
                unlocked([&] { return svc.fire(id, event, a, now_or(now)); }));
          },
          py::arg("id"), py::arg("event"), py::arg("actor"), py::arg("role"),
          py::arg("now") = py::none())
      .def(
          "post_message",
          [](fl::service &svc, const std::string &chat, const std::string &actor,
             const std::string &role, const std::string &text, opt_now now) {
            const auto a = actor_of(actor, role);
            return transition_dict(
                unlocked([&] { return svc.post_message(chat, a, text, now_or(now)); }));
          },
          py::arg("chat"), py::arg("actor"), py::arg("role"), py::arg("text"),
          py::arg("now") = py::none())
      .def(
          "read_messages",
          [](fl::service &svc, const std::string &chat, const std::string &actor,
             const std::string &role) {
            const auto a = actor_of(actor, role);
            auto ms = unlocked([&] { return svc.read_messages(chat, a); });
            py::list out;
            for (const auto &msg : ms) {
              py::dict d;
              d["id"] = msg.id;
              d["sender"] = msg.sender;
              d["role"] = msg.role;
              d["at_ms"] = msg.at_ms;
              d["text"] = msg.text;
              out.append(d);
            }
            return out;
          },
          py::arg("chat"), py::arg("actor"), py::arg("role"))
      .def(
          "feed",
          [](fl::service &svc, const std::string &session, const std::string &level,
             bool error, bool concern_for_other, const std::string &other_level,
             opt_now now) {
            triage::assessment a;
            if (!triage::parse(level, a.lvl))
              throw veteran::error(errc::invalid_argument, "level: unknown level name");
            if (!triage::parse(other_level, a.other_level))
              throw veteran::error(errc::invalid_argument,
                                   "other_level: unknown level name");
            if (error) a.error = "reported by host";
            a.concern_for_other = concern_for_other;
            auto h = unlocked([&] { return svc.feed(session, a, now_or(now)); });
            py::dict d;
            d["alert_id"] = h.alert_id.empty() ? py::object(py::none())
                                               : py::object(py::str(h.alert_id));
            d["raised"] = h.raised;
            d["updated"] = h.updated;
            d["level"] = triage::to_string(h.level);
            d["third_party"] = h.third_party;
            return d;
          },
          py::arg("session"), py::arg("level"), py::arg("error") = false,
          py::arg("concern_for_other") = false, py::arg("other_level") = "none",
          py::arg("now") = py::none())
      .def(
          "due",
          [](fl::service &svc, timestamp_ms now, std::size_t limit) {
            auto ts = unlocked([&] { return svc.due(now, limit); });
            py::list out;
            for (const auto &t : ts)
              out.append(transition_dict(t));
            return out;
          },
          py::arg("now"), py::arg("limit") = 1000);
}

} // namespace

void bind_flow(py::module_ &m) {
  bind_store(m);
  bind_service(m);
}

} // namespace veteran::python
