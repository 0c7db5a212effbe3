// `veteran signal check`: validates signalling envelopes, one JSON line each.
#include <iostream>
#include <string>

#include "cli/cli.hpp"
#include "cli/cmd_signal.hpp"
#include "util/json_write.hpp"
#include "veteran/signal.hpp"

namespace veteran::cli {

namespace sg = veteran::signal;

namespace {

/// One output line for one input line. The canonical text is written as
/// the raw JSON value it is, so the output carries exactly the bytes encode()
/// produced.
std::string check_line(std::string_view line, bool &ok) {
  util::json_text_writer w;
  w.begin_object();
  sg::codec_error err;
  auto m = sg::decode(line, err);
  ok = m.ok();
  w.key("ok");
  w.value(ok);
  if (ok) {
    w.key("type");
    w.value(std::string_view(sg::to_string(m->type)));
    w.key("canonical");
    w.raw(sg::encode(*m));
  } else {
    w.key("error");
    w.value(std::string_view(m.message()));
    w.key("field");
    w.value(std::string_view(err.field));
  }
  w.end_object();
  return w.take();
}

int run_signal(const args &a) {
  a.expect_positionals(1, 2);
  if (a.positionals()[0] == "replay") return run_signal_replay(a);
  if (a.positionals()[0] != "check")
    throw usage_error("unknown signal action (expected: check or replay)");
  a.expect_positionals(1, 1);
  if (a.flag("placeholders") || a.value("ring-timeout") || a.value("grace"))
    throw usage_error("--placeholders, --ring-timeout and --grace are for replay");
  std::string line;
  std::size_t n = 0;
  bool all_ok = true;
  while (std::getline(std::cin, line)) {
    ++n;
    if (n == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    bool ok = false;
    std::cout << check_line(line, ok) << "\n";
    all_ok = all_ok && ok;
  }
  const int rc = finish_stdout("signal");
  if (rc != exit_ok) return rc;
  // Every line is answered on stdout; the status tells a script whether any
  // envelope was refused.
  return all_ok ? exit_ok : exit_failure;
}

} // namespace

command signal_command() {
  return command{
      "signal",
      "check signalling envelopes; replay a relay script (JSON lines)",
      "check < ENVELOPES.jsonl  or  replay [--placeholders] [--ring-timeout MS] [--grace "
      "MS] "
      "[SCRIPT.jsonl]",
      {{"placeholders", false,
        "replay: write issued ids as $call1, $room1, $req1 (for golden files)"},
       {"ring-timeout", true, "replay: ring timeout in ms (default 30000)"},
       {"grace", true, "replay: reconnect grace in ms (default 10000)"}},
      run_signal};
}

} // namespace veteran::cli
