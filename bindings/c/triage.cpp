// extern "C" wrappers for the triage engine and sessions.
#include <cstring>
#include <memory>
#include <optional>

#include "detail/c_api.hpp"
#include "veteran.h"
#include "veteran/triage.hpp"

namespace tr = veteran::triage;
using veteran::errc;
using veteran::c_api::guard;
using veteran::c_api::require;
using veteran::c_api::write_text;

struct veteran_engine {
  tr::engine engine;
};
struct veteran_session {
  tr::session session;
};

namespace {
veteran::result<std::shared_ptr<const tr::pack>>
pack_from(const veteran_engine_options *o) {
  // NULL with a length is a caller's bug, not a request for the default pack.
  if (o && !o->pack_json && o->pack_json_len)
    return {errc::invalid_argument,
            "options: pack_json is NULL but pack_json_len is not 0"};
  if (!o || (!o->pack_json && !o->pack_path)) return tr::pack::default_pack();
  if (o->pack_json && o->pack_path)
    return {errc::invalid_argument, "options: give pack_json or pack_path, not both"};
  if (o->pack_json)
    return tr::pack::from_json(std::string_view(o->pack_json, o->pack_json_len));
  return tr::pack::from_file(o->pack_path);
}

/// One extra pack: the locale of a shipped pack or a file path; null stays
/// null for engine::create to refuse by index.
veteran::result<std::shared_ptr<const tr::pack>> extra_pack_from(const char *s) {
  if (!s) return std::shared_ptr<const tr::pack>();
  for (const auto &locale : tr::pack::builtin_locales())
    if (locale == s) return tr::pack::builtin(locale);
  return tr::pack::from_file(s);
}

/// engine_options::extra_packs from options of version 2 or later.
veteran::result<void> extra_packs_from(const veteran_engine_options *o,
                                       tr::engine_options &out) {
  if (!o || o->version < 2) return {};
  if (!o->extra_packs && o->extra_pack_count)
    return {errc::invalid_argument,
            "options: extra_packs is NULL but extra_pack_count is not 0"};
  for (size_t i = 0; i < o->extra_pack_count; ++i) {
    auto p = extra_pack_from(o->extra_packs[i]);
    if (!p) return p.error();
    out.extra_packs.push_back(std::move(p).value());
  }
  return {};
}

std::string_view view(const char *text, size_t len) {
  return text ? std::string_view(text, len) : std::string_view();
}

int check_text(const char *text, size_t len) {
  if (!text && len) return require(nullptr, "text");
  return 0;
}
} // namespace

extern "C" {

int veteran_engine_new(veteran_engine **out, const veteran_engine_options *options) {
  if (int rc = require(out, "out")) return rc;
  *out = nullptr;
  return guard([&]() -> veteran::result<void> {
    if (options &&
        (options->version < 1 || options->version > VETERAN_ENGINE_OPTIONS_VERSION))
      return {errc::invalid_argument, "options: unknown version"};
    auto p = pack_from(options);
    if (!p) return p.error();
    tr::engine_options o;
    if (options && options->country) o.country = options->country;
    if (auto extras = extra_packs_from(options, o); !extras) return extras.error();
    auto e = tr::engine::create(std::move(p).value(), std::move(o));
    if (!e) return e.error();
    *out = new veteran_engine{std::move(e).value()};
    return {};
  });
}

void veteran_engine_free(veteran_engine *engine) { delete engine; }

int veteran_assess(const veteran_engine *engine, const char *text, size_t len, char *buf,
                   size_t cap, size_t *out_len) {
  if (int rc = require(engine, "engine")) return rc;
  if (int rc = check_text(text, len)) return rc;
  return guard([&] {
    return write_text(tr::to_json(engine->engine.assess(view(text, len))), buf, cap,
                      out_len);
  });
}

int veteran_assess_summary(const veteran_engine *engine, const char *text, size_t len,
                           veteran_assessment_summary *out) {
  if (int rc = require(engine, "engine")) return rc;
  if (int rc = require(out, "out")) return rc;
  if (int rc = check_text(text, len)) return rc;
  if (out->version != 1 && out->version != VETERAN_ASSESSMENT_SUMMARY_VERSION)
    return veteran::c_api::set_error(errc::invalid_argument,
                                     "out: unknown summary version");
  return guard([&] {
    const auto a = engine->engine.assess(view(text, len));
    out->level = static_cast<int>(a.lvl);
    out->rag = static_cast<int>(a.band);
    out->intervention = static_cast<int>(a.action);
    out->score = a.score;
    out->requires_intervention = a.flags.requires_intervention;
    out->alert_staff = a.flags.alert_staff;
    out->show_resources = a.flags.show_resources;
    out->block_ai_reply = a.flags.block_ai_reply;
    out->concern_for_other = a.concern_for_other;
    out->trigger_count = a.triggers.size();
    out->suppressed_count = a.suppressed.size();
    out->failed = !a.error.empty();
    if (out->version >= 2) {
      out->at_risk = static_cast<int>(a.at_risk);
      out->message_level = static_cast<int>(a.message_level);
      out->conversation_level = static_cast<int>(a.conversation_level);
      out->trend = static_cast<int>(a.direction);
    }
  });
}

int veteran_session_new(veteran_session **out) {
  if (int rc = require(out, "out")) return rc;
  *out = nullptr;
  return guard([&] { *out = new veteran_session{tr::session()}; });
}

void veteran_session_free(veteran_session *session) { delete session; }

int veteran_assess_in_session(const veteran_engine *engine, veteran_session *session,
                              const char *text, size_t len, int64_t now_ms, char *buf,
                              size_t cap, size_t *out_len) {
  if (int rc = require(engine, "engine")) return rc;
  if (int rc = require(session, "session")) return rc;
  if (int rc = check_text(text, len)) return rc;
  return guard([&] {
    tr::session next = session->session; // commit only if the output fits
    std::optional<tr::timestamp_ms> now;
    if (now_ms >= 0) now = now_ms;
    const int rc =
        write_text(tr::to_json(engine->engine.assess(view(text, len), next, now)), buf,
                   cap, out_len);
    if (rc == VETERAN_OK) session->session = std::move(next);
    return rc;
  });
}

int veteran_session_to_json(const veteran_session *session, char *buf, size_t cap,
                            size_t *out_len) {
  if (int rc = require(session, "session")) return rc;
  return guard([&] { return write_text(session->session.to_json(), buf, cap, out_len); });
}

int veteran_session_from_json(veteran_session **out, const char *json, size_t len) {
  if (int rc = require(out, "out")) return rc;
  *out = nullptr;
  if (int rc = require(json, "json")) return rc;
  return guard([&]() -> veteran::result<void> {
    auto s = tr::session::from_json(std::string_view(json, len));
    if (!s) return s.error();
    *out = new veteran_session{std::move(s).value()};
    return {};
  });
}

const char *veteran_ai_disclaimer(void) {
  try {
    return tr::ai_disclaimer().c_str();
  } catch (...) {
    return "";
  }
}

} // extern "C"
