// extern "C" wrappers of the store and the flows. See veteran/c/flow.h.
#include "veteran.h"

#include <memory>
#include <string>

#include "detail/c_api.hpp"
#include "detail/keyring.hpp"
#include "detail/store.hpp"
#include "veteran/flow/service.hpp"
#include "veteran/store/store.hpp"
#include "veteran/triage/assessment.hpp"

struct veteran_flow {
  veteran::flow::service svc;
};

namespace {

using veteran::c_api::guard;
using veteran::c_api::require;
using veteran::c_api::write_text;
namespace fl = veteran::flow;
using veteran::errc;
using veteran::error_info;

std::string or_default(const char *s, const char *fallback) { return s ? s : fallback; }

veteran::result<fl::actor> actor_of(const char *id, const char *role) {
  if (!id || !*id) return error_info{errc::invalid_argument, "actor: must not be empty"};
  fl::role r{};
  if (!role || !fl::parse(role, r))
    return error_info{errc::invalid_argument,
                      "role: must be one of user, peer, counsellor, supervisor, admin"};
  return fl::actor{id, r};
}

int emit_id(const veteran::result<std::string> &r, char *buf, size_t cap,
            size_t *out_len) {
  if (!r) return veteran::c_api::set_error(r.error());
  return write_text(*r, buf, cap, out_len);
}

} // namespace

extern "C" {

int veteran_store_open(veteran_store **out, const char *path,
                       const veteran_store_options *options) {
  return guard([&]() -> int {
    if (int rc = require(out, "out")) return rc;
    *out = nullptr;
    if (int rc = require(path, "path")) return rc;
    veteran::store::sqlite_options o;
    o.path = path;
    if (options) {
      if (options->version < 1 || options->version > VETERAN_STORE_OPTIONS_VERSION)
        return veteran::c_api::set_error(errc::invalid_argument,
                                         "options.version: unknown version");
      o.sync = options->sync_full ? veteran::store::sync_mode::full
                                  : veteran::store::sync_mode::normal;
      o.read_only = options->read_only != 0;
      if (options->busy_timeout_ms) o.busy_timeout_ms = options->busy_timeout_ms;
    }
    auto s = veteran::store::open_sqlite(o);
    if (!s) return veteran::c_api::set_error(s.error());
    *out = new veteran_store{std::shared_ptr<veteran::store::store>(std::move(*s))};
    return 0;
  });
}

void veteran_store_free(veteran_store *store) { delete store; }

int veteran_store_check(char *buf, size_t cap, size_t *out_len, veteran_store *store) {
  return guard([&]() -> int {
    if (int rc = require(store, "store")) return rc;
    auto rep = store->s->check();
    if (!rep) return veteran::c_api::set_error(rep.error());
    std::string json =
        "{\"ok\":" + std::string(rep->violations.empty() ? "true" : "false") +
        ",\"schema_version\":" + std::to_string(rep->schema_version) +
        ",\"entities\":" + std::to_string(rep->entities) +
        ",\"violations\":" + std::to_string(rep->violations.size()) + "}";
    return write_text(json, buf, cap, out_len);
  });
}

int veteran_flow_new(veteran_flow **out, veteran_store *store,
                     const veteran_keyring *keys) {
  return guard([&]() -> int {
    if (int rc = require(out, "out")) return rc;
    *out = nullptr;
    if (int rc = require(store, "store")) return rc;
    fl::service_options o;
    // The caller keeps the ring alive (documented): no ownership taken.
    if (keys)
      o.keys = std::shared_ptr<const veteran::pii::keyring>(&keys->ring, [](auto *) {});
    *out = new veteran_flow{fl::service(store->s, o)};
    return 0;
  });
}

void veteran_flow_free(veteran_flow *flow) { delete flow; }

int veteran_flow_request_chat(char *id, size_t cap, size_t *out_len, veteran_flow *flow,
                              const char *user, const char *preferred,
                              const char *alert_id, int64_t now_ms) {
  return guard([&]() -> int {
    if (int rc = require(flow, "flow")) return rc;
    if (int rc = require(user, "user")) return rc;
    return emit_id(flow->svc.request_chat({user, fl::role::user},
                                          or_default(preferred, "any"),
                                          or_default(alert_id, ""), now_ms),
                   id, cap, out_len);
  });
}

int veteran_flow_request_call(char *id, size_t cap, size_t *out_len, veteran_flow *flow,
                              const char *user, const char *preferred,
                              const char *alert_id, int64_t now_ms) {
  return guard([&]() -> int {
    if (int rc = require(flow, "flow")) return rc;
    if (int rc = require(user, "user")) return rc;
    return emit_id(flow->svc.request_call({user, fl::role::user},
                                          or_default(preferred, "any"),
                                          or_default(alert_id, ""), now_ms),
                   id, cap, out_len);
  });
}

int veteran_flow_post_message(veteran_flow *flow, const char *chat_id, const char *actor,
                              const char *role, const char *text, int64_t now_ms) {
  return guard([&]() -> veteran::result<fl::transition> {
    if (!flow || !chat_id || !text)
      return error_info{errc::invalid_argument,
                        "flow, chat_id and text must not be NULL"};
    auto a = actor_of(actor, role);
    if (!a) return a.error();
    return flow->svc.post_message(chat_id, *a, text, now_ms);
  });
}

int veteran_flow_create_concern(char *id, size_t cap, size_t *out_len, veteran_flow *flow,
                                const char *user, const char *details, int64_t now_ms) {
  return guard([&]() -> int {
    if (int rc = require(flow, "flow")) return rc;
    if (int rc = require(user, "user")) return rc;
    if (int rc = require(details, "details")) return rc;
    return emit_id(flow->svc.create_concern({user, fl::role::user}, details, now_ms), id,
                   cap, out_len);
  });
}

int veteran_flow_create_callback(char *id, size_t cap, size_t *out_len,
                                 veteran_flow *flow, const char *phone, int urgent,
                                 const char *alert_id, const char *actor,
                                 const char *role, int64_t now_ms) {
  return guard([&]() -> int {
    if (int rc = require(flow, "flow")) return rc;
    if (int rc = require(phone, "phone")) return rc;
    auto a = actor_of(actor ? actor : "anonymous", role ? role : "user");
    if (!a) return veteran::c_api::set_error(a.error());
    return emit_id(flow->svc.create_callback(*a, phone, urgent != 0,
                                             or_default(alert_id, ""), now_ms),
                   id, cap, out_len);
  });
}

int veteran_flow_raise_alert(char *id, size_t cap, size_t *out_len, veteran_flow *flow,
                             const char *kind, const char *level, const char *session,
                             int64_t now_ms) {
  return guard([&]() -> int {
    if (int rc = require(flow, "flow")) return rc;
    const std::string k = or_default(kind, "");
    if (k != "panic" && k != "safeguarding")
      return veteran::c_api::set_error(errc::invalid_argument,
                                       "kind: must be panic or safeguarding");
    veteran::triage::level l{};
    if (!level || !veteran::triage::parse(level, l))
      return veteran::c_api::set_error(errc::invalid_argument,
                                       "level: must be low, medium, high or critical");
    return emit_id(flow->svc.raise_alert(
                       k == "panic" ? fl::flow_kind::panic : fl::flow_kind::safeguarding,
                       l, or_default(session, ""), {"host", fl::role::system}, now_ms),
                   id, cap, out_len);
  });
}

int veteran_flow_fire(veteran_flow *flow, const char *id, const char *event,
                      const char *actor, const char *role, int64_t now_ms) {
  return guard([&]() -> veteran::result<fl::transition> {
    if (!flow || !id || !event)
      return error_info{errc::invalid_argument, "flow, id and event must not be NULL"};
    auto a = actor_of(actor, role);
    if (!a) return a.error();
    return flow->svc.fire(id, event, *a, now_ms);
  });
}

int veteran_flow_feed(char *alert_id, size_t cap, size_t *out_len, veteran_flow *flow,
                      const char *session, const char *level, int error,
                      int concern_for_other, const char *other_level, int64_t now_ms) {
  return guard([&]() -> int {
    if (int rc = require(flow, "flow")) return rc;
    if (int rc = require(session, "session")) return rc;
    veteran::triage::assessment a;
    if (!level || !veteran::triage::parse(level, a.lvl))
      return veteran::c_api::set_error(errc::invalid_argument,
                                       "level: unknown level name");
    if (!veteran::triage::parse(or_default(other_level, "none"), a.other_level))
      return veteran::c_api::set_error(errc::invalid_argument,
                                       "other_level: unknown level name");
    if (error) a.error = "reported by host";
    a.concern_for_other = concern_for_other != 0;
    auto h = flow->svc.feed(session, a, now_ms);
    if (!h) return veteran::c_api::set_error(h.error());
    return write_text(h->alert_id, alert_id, cap, out_len);
  });
}

int veteran_flow_due(size_t *applied, veteran_flow *flow, int64_t now_ms) {
  return guard([&]() -> int {
    if (applied) *applied = 0;
    if (int rc = require(flow, "flow")) return rc;
    auto t = flow->svc.due(now_ms);
    if (!t) return veteran::c_api::set_error(t.error());
    if (applied) *applied = t->size();
    return 0;
  });
}

} // extern "C"
