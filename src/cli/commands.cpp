// The table of subcommands. A module adds its command by defining it in its
// own cmd_*.cpp and replacing the `planned(...)` row here.
#include "cli/cli.hpp"
#include "cli/cmd_flow.hpp"
#include "cli/cmd_notify.hpp"
#include "cli/cmd_pii.hpp"
#include "cli/cmd_signal.hpp"
#include "cli/commands_triage.hpp"

namespace veteran::cli {

namespace {
// A command whose module has not been built yet: listed so operators can see
// what is coming, but it refuses to run (exit 1) instead of pretending.
command planned(const char *name, const char *summary) {
  return command{name, summary, "", {}, nullptr};
}
} // namespace

const std::vector<command> &commands() {
  static const std::vector<command> table = [] {
    std::vector<command> t = {
        assess_command(),  pack_command(),   keygen_command(),  encrypt_command(),
        decrypt_command(), rewrap_command(), migrate_command(), redact_command(),
        phone_command(),   index_command(),  signal_command(),
    };
    for (auto &c : flow_commands())
      t.push_back(std::move(c));
    t.push_back(webhook_command());
    t.push_back(planned(
        "demo", "walk one conversation through triage, alert, handover and callback"));
    return t;
  }();
  return table;
}

} // namespace veteran::cli
