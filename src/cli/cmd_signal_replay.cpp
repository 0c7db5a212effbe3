// `veteran signal replay`: runs a script of JSON lines through a relay and
// writes every delivery and rejection as JSON lines (docs/signal.md).
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "cli/cli.hpp"
#include "cli/cmd_signal.hpp"
#include "util/json_read.hpp"
#include "util/json_write.hpp"
#include "veteran/signal.hpp"

namespace veteran::cli {

namespace sg = veteran::signal;
namespace json = boost::json;

namespace {

/// A malformed script line: reported with its line number, exit 1.
struct script_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const char *prefix(sg::issued_kind k) {
  switch (k) {
  case sg::issued_kind::call:
    return "$call";
  case sg::issued_kind::room:
    return "$room";
  case sg::issued_kind::request:
    return "$req";
  }
  return "$id";
}

class replayer {
public:
  replayer(sg::relay_options opt, bool placeholders)
      : relay_(std::move(opt)), placeholders_(placeholders) {}

  void line(const json::object &o) {
    at_ = integer(o, "at");
    if (o.contains("connect")) return connect(o);
    if (o.contains("disconnect")) {
      only(o, {"at", "disconnect"});
      return emit(relay_.disconnect(string(o, "disconnect"), at_));
    }
    if (o.contains("as")) return say(o);
    if (o.contains("tick")) {
      only(o, {"at", "tick"});
      if (!o.at("tick").is_bool() || !o.at("tick").as_bool())
        throw script_error("\"tick\" must be true");
      return emit(relay_.due(at_));
    }
    throw script_error("expected one of \"connect\", \"disconnect\", \"as\", \"tick\"");
  }

private:
  static void only(const json::object &o, std::initializer_list<std::string_view> keys) {
    for (const auto &kv : o) {
      bool known = false;
      for (auto k : keys)
        known = known || kv.key() == k;
      if (!known)
        throw script_error("unexpected member \"" + std::string(kv.key()) + "\"");
    }
  }
  static std::string string(const json::object &o, std::string_view key) {
    auto *v = o.if_contains(key);
    if (!v || !v->is_string())
      throw script_error("\"" + std::string(key) + "\" must be a string");
    return std::string(v->as_string());
  }
  static std::int64_t integer(const json::object &o, std::string_view key) {
    auto *v = o.if_contains(key);
    if (!v || !v->is_int64() || v->as_int64() < 0)
      throw script_error("\"" + std::string(key) + "\" must be a non-negative integer");
    return v->as_int64();
  }

  /// True for "$call<N>", "$room<N>", "$req<N>" (N from 1, no leading 0).
  static bool is_placeholder(const std::string &s) {
    for (const char *p : {"$call", "$room", "$req"}) {
      const std::size_t n = std::strlen(p);
      if (s.size() > n && s.compare(0, n, p) == 0 && s[n] != '0' &&
          s.find_first_not_of("0123456789", n) == std::string::npos)
        return true;
    }
    return false;
  }

  /// "$call2" -> the second call id issued; any other string unchanged (so
  /// chat text like "$5" is left alone).
  std::string resolve(const std::string &s) const {
    if (!is_placeholder(s)) return s;
    auto it = by_placeholder_.find(s);
    if (it == by_placeholder_.end()) throw script_error(s + " has not been issued yet");
    return it->second;
  }
  void resolve_all(json::value &v) const {
    if (auto *s = v.if_string()) {
      *s = resolve(std::string(*s));
    } else if (auto *a = v.if_array()) {
      for (auto &e : *a)
        resolve_all(e);
    } else if (auto *o = v.if_object()) {
      for (auto &kv : *o)
        resolve_all(kv.value());
    }
  }

  void connect(const json::object &o) {
    only(o, {"at", "connect", "role", "resume"});
    sg::peer p{string(o, "connect"), sg::role::user};
    auto role = sg::parse_role(string(o, "role"));
    if (!role)
      throw script_error("\"role\" must be user, peer, counsellor, supervisor or admin");
    p.role = *role;
    roles_[p.id] = p.role;
    emit(relay_.connect(p, at_));
    auto *resume = o.if_contains("resume");
    if (!resume) return;
    if (!resume->is_object()) throw script_error("\"resume\" must be an object");
    for (const auto &kv : resume->as_object()) {
      if (!kv.value().is_string())
        throw script_error("\"resume\" values must be strings (the last id seen)");
      emit(relay_.resume(p, resolve(std::string(kv.key())),
                         std::string(kv.value().as_string()), at_));
    }
  }

  void say(const json::object &o) {
    only(o, {"at", "as", "msg"});
    const std::string who = string(o, "as");
    auto role = roles_.find(who);
    if (role == roles_.end()) throw script_error("\"as\": " + who + " never connected");
    auto *msg = o.if_contains("msg");
    if (!msg || !msg->is_object()) throw script_error("\"msg\" must be an object");
    json::value m = *msg;
    resolve_all(m);
    // Shorthand: the envelope members a script rarely cares about.
    auto &mo = m.as_object();
    if (!mo.contains("v")) mo["v"] = 1;
    if (!mo.contains("id")) mo["id"] = "s" + std::to_string(++script_ids_);
    if (!mo.contains("ts")) mo["ts"] = at_;
    if (!mo.contains("from")) mo["from"] = who;
    emit(relay_.handle(sg::peer{who, role->second}, json::serialize(m), at_));
  }

  void emit(const sg::relay_result &r) {
    for (const auto &i : r.issued) {
      std::string name = prefix(i.kind) + std::to_string(++counts_[i.kind]);
      by_placeholder_[name] = i.id;
      if (placeholders_)
        to_placeholder_.emplace_back("\"" + i.id + "\"", "\"" + name + "\"");
    }
    for (const auto &d : r.deliveries) {
      util::json_text_writer w;
      w.begin_object();
      w.key("at");
      w.value(static_cast<std::uint64_t>(at_));
      w.key("to");
      w.value(std::string_view(d.to));
      w.key("msg");
      w.raw(sg::encode(d.msg));
      w.end_object();
      write(w.take());
    }
    if (r.rejection) {
      const auto &e = std::get<sg::error_body>(r.rejection->msg.body);
      util::json_text_writer w;
      w.begin_object();
      w.key("at");
      w.value(static_cast<std::uint64_t>(at_));
      w.key("reject");
      w.value(std::string_view(r.rejection->to));
      w.key("error");
      w.begin_object();
      w.key("code");
      w.value(std::string_view(e.code));
      w.key("message");
      w.value(std::string_view(e.message));
      if (e.ref) {
        w.key("ref");
        w.value(std::string_view(*e.ref));
      }
      w.end_object();
      w.end_object();
      write(w.take());
    }
  }

  void write(std::string text) {
    for (const auto &[real, name] : to_placeholder_)
      for (auto pos = text.find(real); pos != std::string::npos;
           pos = text.find(real, pos))
        text.replace(pos, real.size(), name);
    std::cout << text << "\n";
  }

  sg::relay relay_;
  bool placeholders_;
  std::int64_t at_ = 0;
  std::size_t script_ids_ = 0;
  std::map<std::string, sg::role> roles_;
  std::map<sg::issued_kind, std::size_t> counts_;
  std::map<std::string, std::string> by_placeholder_;
  std::vector<std::pair<std::string, std::string>> to_placeholder_;
};

} // namespace

int run_signal_replay(const args &a) {
  a.expect_positionals(1, 2);
  sg::relay_options opt;
  if (auto t = a.integer("ring-timeout", 1, 86'400'000)) opt.ring_timeout_ms = *t;
  if (auto g = a.integer("grace", 1, 86'400'000)) opt.reconnect_grace_ms = *g;
  std::ifstream file;
  if (a.positionals().size() == 2) {
    file.open(a.positionals()[1], std::ios::binary);
    if (!file) return fail("signal", errc::io_error, "the script could not be opened");
  }
  std::istream &in =
      a.positionals().size() == 2 ? static_cast<std::istream &>(file) : std::cin;
  replayer r(opt, a.flag("placeholders"));
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    try {
      auto v = util::parse_strict(line, "script");
      if (!v) throw script_error(v.message());
      if (!v->is_object()) throw script_error("each line must be a JSON object");
      r.line(v->as_object());
    } catch (const script_error &e) {
      std::cout.flush();
      return fail("signal", errc::invalid_argument,
                  "script line " + std::to_string(n) + ": " + e.what());
    }
  }
  return finish_stdout("signal");
}

} // namespace veteran::cli
