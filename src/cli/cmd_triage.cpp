// `veteran assess` and `veteran pack check`.
#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <unistd.h>

#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/commands_triage.hpp"
#include "triage/detail/json_value.hpp"
#include "util/json_read.hpp"
#include "util/json_write.hpp"
#include "util/utf8.hpp"
#include "veteran/triage.hpp"

namespace veteran::cli {

namespace json = boost::json;
namespace tr = veteran::triage;

namespace {

/// The default pack or --pack, with --welsh and each --extra-pack beside it.
result<tr::engine> make_engine(const args &a) {
  std::shared_ptr<const tr::pack> p = tr::pack::default_pack();
  if (auto path = a.value("pack")) {
    auto loaded = tr::pack::from_file(*path);
    if (!loaded) return loaded.error();
    p = std::move(loaded).value();
  }
  tr::engine_options o;
  if (auto c = a.value("country")) o.country = *c;
  if (a.flag("welsh")) {
    auto welsh = tr::pack::builtin("cy-GB");
    if (!welsh) return welsh.error();
    o.extra_packs.push_back(std::move(welsh).value());
  }
  for (const auto &path : a.values("extra-pack")) {
    auto loaded = tr::pack::from_file(path);
    if (!loaded) return loaded.error();
    o.extra_packs.push_back(std::move(loaded).value());
  }
  return tr::engine::create(p, o);
}

/// Echoes the input's id (any JSON value) in front of the assessment's keys.
std::string jsonl_line(const json::value &id, const tr::assessment &as) {
  return tr::detail::assessment_json(as, util::write_json(id));
}

/// Strings read with invalid UTF-8 allowed are repaired before they are
/// echoed, so every output line is valid JSON text.
void repair_strings(json::value &v) {
  util::for_each_string(v, [](json::string &s) {
    const std::string_view view(s.data(), s.size());
    if (!util::valid_utf8(view)) s = util::repair_utf8(view);
  });
}

/// One input line, read as far as it can be. `problem` is empty when `text`
/// may be assessed; otherwise it says (without user data) why not.
struct jsonl_input {
  json::value id = nullptr;
  std::optional<std::string> session;
  std::optional<tr::timestamp_ms> ts; ///< "ts": ms since the epoch, for decay
  std::string text;
  std::string problem;
};

jsonl_input read_jsonl_line(std::string_view line, std::size_t n) {
  jsonl_input in;
  const std::string where = "line " + std::to_string(n);
  util::json_read_options opts;
  opts.allow_invalid_utf8 = true;      // the engine repairs text itself
  opts.replace_lone_surrogates = true; // half an emoji is U+FFFD, not an error
  auto doc = util::parse_strict(line, where, opts);
  if (!doc) {
    in.problem = doc.error().message;
    return in;
  }
  if (!doc->is_object()) {
    in.problem = where + ": not a JSON object";
    return in;
  }
  auto &o = doc->as_object();
  if (auto *v = o.if_contains("id")) {
    in.id = *v;
    repair_strings(in.id);
  }
  const auto *text = o.if_contains("text");
  if (!text || !text->is_string()) {
    in.problem = where + ": \"text\" must be a string";
    return in;
  }
  in.text.assign(text->as_string().data(), text->as_string().size());
  const auto *sess = o.if_contains("session");
  if (sess && !sess->is_string() && !sess->is_null()) {
    in.problem = where + ": \"session\" must be a string";
    return in;
  }
  if (sess && sess->is_string())
    in.session.emplace(sess->as_string().data(), sess->as_string().size());
  if (const auto *ts = o.if_contains("ts"); ts && !ts->is_null()) {
    if (!ts->is_int64() || ts->as_int64() < 0) {
      in.problem = where + ": \"ts\" must be a whole number of milliseconds";
      return in;
    }
    in.ts = ts->as_int64();
  }
  return in;
}

class progress {
public:
  progress() : enabled_(isatty(STDERR_FILENO) != 0), start_(clock::now()) {}
  void tick(std::size_t done) {
    if (!enabled_ || done % 5000 != 0) return;
    const double secs = std::chrono::duration<double>(clock::now() - start_).count();
    fmt::print(stderr, "\rassessed {} messages ({:.0f}/s)", done, done / (secs + 1e-9));
    std::fflush(stderr);
    shown_ = true;
  }
  ~progress() {
    if (shown_) fmt::print(stderr, "\n");
  }

private:
  using clock = std::chrono::steady_clock;
  bool enabled_, shown_ = false;
  clock::time_point start_;
};

int assess_jsonl(const tr::engine &e, std::istream &in, tr::session_store &sessions) {
  std::string line;
  std::size_t n = 0;
  progress bar;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
      line.erase(0, 3); // byte-order mark
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const jsonl_input input = read_jsonl_line(line, n);
    // A line that cannot be read is answered as high risk (fail safe): it may
    // be a crisis in a shape this reader did not expect.
    if (!input.problem.empty()) {
      std::cout << jsonl_line(input.id, e.failsafe(input.problem)) << "\n";
    } else if (input.session) {
      // With "ts" a crisis fades by time and turns; without, by turns alone.
      const tr::timestamp_ms now = input.ts ? *input.ts : veteran::system_now();
      std::cout << jsonl_line(input.id, e.assess(input.text,
                                                 sessions.get(*input.session, now),
                                                 input.ts))
                << "\n";
    } else {
      std::cout << jsonl_line(input.id, e.assess(input.text)) << "\n";
    }
    bar.tick(n);
  }
  return finish_stdout("assess");
}

tr::session_store_options store_options(const args &a) {
  tr::session_store_options o;
  if (auto n = a.integer("max-sessions", 1, 100000000))
    o.max_sessions = static_cast<std::size_t>(*n);
  if (auto s = a.integer("session-idle", 0, 366LL * 24 * 3600)) o.idle_ms = *s * 1000;
  return o;
}

int run_assess(const args &a) {
  a.expect_positionals(0, 1);
  auto e = make_engine(a);
  if (!e) return fail("assess", e.error());
  if (a.flag("jsonl")) {
    if (!a.positionals().empty() || a.value("file"))
      throw usage_error("--jsonl reads standard input; give no TEXT or --file");
    tr::session_store sessions(store_options(a));
    return assess_jsonl(*e, std::cin, sessions);
  }
  std::string text;
  if (auto file = a.value("file")) {
    if (!a.positionals().empty())
      throw usage_error("give either TEXT or --file, not both");
    std::ifstream in(*file, std::ios::binary);
    if (!in) return fail("assess", errc::io_error, "cannot open --file");
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  } else if (!a.positionals().empty()) {
    text = a.positionals()[0];
  } else {
    text = read_stdin();
  }
  std::cout << tr::to_json(e->assess(text)) << "\n";
  return finish_stdout("assess");
}

int run_pack(const args &a) {
  a.expect_positionals(2, 2);
  if (a.positionals()[0] != "check")
    throw usage_error("unknown pack action (expected: check)");
  auto p = tr::pack::from_file(a.positionals()[1]);
  if (!p) return fail("pack", p.error());
  std::cout << util::write_json(tr::detail::pack_json(**p, json::object{{"ok", true}}))
            << "\n";
  return finish_stdout("pack");
}

} // namespace

command assess_command() {
  return command{
      "assess",
      "assess the crisis risk of text, a file or a JSONL stream",
      "[TEXT] [--file FILE] [--jsonl [--max-sessions N] [--session-idle S]]"
      " [--pack FILE] [--welsh] [--extra-pack FILE]... [--country CC]",
      {{"file", true, "assess the whole content of FILE as one message"},
       {"jsonl", false, "read {\"id\",\"text\",\"session\",\"ts\"} lines from stdin"},
       {"max-sessions", true,
        "--jsonl: conversations remembered at once (default 100000)"},
       {"session-idle", true,
        "--jsonl: forget a conversation idle this many seconds (default 3600)"},
       {"pack", true, "phrase pack JSON to use instead of the default"},
       {"welsh", false, "also run the shipped Welsh pack (cy-GB) on every message"},
       {"extra-pack", true,
        "phrase pack JSON to run beside the main pack (repeatable; ids prefixed by its "
        "locale)"},
       {"country", true, "crisis resources country (default GB)"}},
      run_assess};
}

command pack_command() {
  return command{"pack", "check a phrase pack", "check FILE", {}, run_pack};
}

} // namespace veteran::cli
