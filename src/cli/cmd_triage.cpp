// `veteran assess` and `veteran pack check`.
#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <unistd.h>

#include "cli/cli.hpp"
#include "cli/commands_triage.hpp"
#include "triage/detail/json_value.hpp"
#include "veteran/triage.hpp"

namespace veteran::cli {

namespace json = boost::json;
namespace tr = veteran::triage;

namespace {

result<tr::engine> make_engine(const args &a) {
  std::shared_ptr<const tr::pack> p = tr::pack::default_pack();
  if (auto path = a.value("pack")) {
    auto loaded = tr::pack::from_file(*path);
    if (!loaded) return loaded.error();
    p = std::move(loaded).value();
  }
  tr::engine_options o;
  if (auto c = a.value("country")) o.country = *c;
  return tr::engine::create(p, o);
}

/// Echoes the input's id (any JSON value) in front of the assessment's keys.
std::string jsonl_line(const json::value &id, const tr::assessment &as) {
  return json::serialize(tr::detail::to_json_object(as, json::object{{"id", id}}));
}

std::string error_line(const json::value &id, const std::string &message) {
  // A malformed input line is not an assessment: level and flags are null so
  // no consumer can mistake it for "no risk".
  return json::serialize(json::object{{"id", id},         {"level", nullptr},
                                      {"rag", nullptr},   {"score", nullptr},
                                      {"intervention", nullptr}, {"flags", nullptr},
                                      {"triggers", json::array()}, {"suppressed", json::array()},
                                      {"error", message}});
}

class progress {
public:
  progress() : enabled_(isatty(STDERR_FILENO) != 0), start_(clock::now()) {}
  void tick(std::size_t done) {
    if (!enabled_ || done % 5000 != 0) return;
    const double secs = std::chrono::duration<double>(clock::now() - start_).count();
    std::cerr << "\rassessed " << done << " messages (" << static_cast<long>(done / (secs + 1e-9))
              << "/s)" << std::flush;
    shown_ = true;
  }
  ~progress() {
    if (shown_) std::cerr << "\n";
  }

private:
  using clock = std::chrono::steady_clock;
  bool enabled_, shown_ = false;
  clock::time_point start_;
};

int assess_jsonl(const tr::engine &e, std::istream &in) {
  std::map<std::string, tr::session> sessions;
  std::string line;
  std::size_t n = 0;
  progress bar;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json::value id = nullptr;
    std::error_code ec;
    json::value doc = json::parse(line, ec);
    if (ec || !doc.is_object()) {
      std::cout << error_line(id, "line " + std::to_string(n) + ": not a JSON object") << "\n";
      continue;
    }
    auto &o = doc.as_object();
    if (auto *v = o.if_contains("id")) id = *v;
    auto *text = o.if_contains("text");
    if (!text || !text->is_string()) {
      std::cout << error_line(id, "line " + std::to_string(n) + ": \"text\" must be a string") << "\n";
      continue;
    }
    auto *sess = o.if_contains("session");
    if (sess && !sess->is_string() && !sess->is_null()) {
      std::cout << error_line(id, "line " + std::to_string(n) + ": \"session\" must be a string") << "\n";
      continue;
    }
    const std::string_view t = text->as_string();
    tr::assessment as = (sess && sess->is_string())
                            ? e.assess(t, sessions[std::string(sess->as_string())])
                            : e.assess(t);
    std::cout << jsonl_line(id, as) << "\n";
    bar.tick(n);
  }
  std::cout.flush();
  return std::cout ? exit_ok : exit_failure;
}

int run_assess(const args &a) {
  a.expect_positionals(0, 1);
  auto e = make_engine(a);
  if (!e) return fail("assess", e.error());
  if (a.flag("jsonl")) {
    if (!a.positionals().empty() || a.value("file"))
      throw usage_error("--jsonl reads standard input; give no TEXT or --file");
    return assess_jsonl(*e, std::cin);
  }
  std::string text;
  if (auto file = a.value("file")) {
    if (!a.positionals().empty()) throw usage_error("give either TEXT or --file, not both");
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
  return exit_ok;
}

int run_pack(const args &a) {
  a.expect_positionals(2, 2);
  if (a.positionals()[0] != "check") throw usage_error("unknown pack action (expected: check)");
  auto p = tr::pack::from_file(a.positionals()[1]);
  if (!p) return fail("pack", p.error());
  const auto &s = (*p)->stats();
  json::object per_category, per_kind;
  for (int c = 0; c < tr::category_count; ++c)
    per_category[tr::to_string(static_cast<tr::category>(c))] = s.per_category[c];
  for (int k = 0; k < tr::multiplier_kind_count; ++k)
    per_kind[tr::to_string(static_cast<tr::multiplier_kind>(k))] = s.per_multiplier_kind[k];
  std::cout << json::serialize(json::object{
                   {"ok", true},
                   {"id", (*p)->id()},
                   {"version", (*p)->version()},
                   {"locale", (*p)->locale()},
                   {"phrases", s.phrases},
                   {"multipliers", s.multipliers},
                   {"exceptions", s.exceptions},
                   {"lexicon", s.lexicon},
                   {"cues", s.cues},
                   {"expansions", s.expansions},
                   {"vocabulary", s.vocabulary},
                   {"per_category", per_category},
                   {"per_multiplier_kind", per_kind}})
            << "\n";
  return exit_ok;
}

} // namespace

command assess_command() {
  return command{"assess",
                 "assess the crisis risk of text, a file or a JSONL stream",
                 "[TEXT] [--file FILE] [--jsonl] [--pack FILE] [--country CC]",
                 {{"file", true, "assess the whole content of FILE as one message"},
                  {"jsonl", false, "read {\"id\",\"text\",\"session\"} lines from stdin"},
                  {"pack", true, "phrase pack JSON to use instead of the default"},
                  {"country", true, "crisis resources country (default GB)"}},
                 run_assess};
}

command pack_command() {
  return command{"pack", "check a phrase pack", "check FILE", {}, run_pack};
}

} // namespace veteran::cli
