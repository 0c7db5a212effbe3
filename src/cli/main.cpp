// `veteran` — the operator's command-line tool. See `veteran --help`.
#include <cstdio>
#include <cstring>

#include <fmt/core.h>
#include <string>

#include "cli/cli.hpp"
#include "veteran/version.hpp"

namespace cli = veteran::cli;

namespace {

void print_tool_help(std::FILE *out) {
  fmt::print(out,
             "usage: veteran [--version] [--help] <command> [options]\n\ncommands:\n");
  for (const auto &c : cli::commands())
    fmt::print(out, "  {:<12}{}{}\n", c.name, c.summary,
               c.run ? "" : " (not in this release yet)");
  fmt::print(out, "\nRun 'veteran <command> --help' for a command's options.\n"
                  "Exit codes: 0 ok, 1 failure, 2 usage error, 3 conflict, 4 not found.\n"
                  "Errors go to stderr as one line; machine output is JSON.\n");
}

void print_command_help(const cli::command &c, std::FILE *out) {
  fmt::print(out, "usage: veteran {} {}\n\n{}\n", c.name, c.usage, c.summary);
  if (!c.run) fmt::print(out, "\nThis command is not in this release yet.\n");
  if (!c.options.empty()) fmt::print(out, "\noptions:\n");
  for (const auto &o : c.options) {
    const auto flag = fmt::format("--{}{}", o.name, o.takes_value ? " VALUE" : "");
    // A name longer than the column gets its own line, never run into its help.
    if (flag.size() >= 22)
      fmt::print(out, "  {}\n  {:<22}{}\n", flag, "", o.help);
    else
      fmt::print(out, "  {:<22}{}\n", flag, o.help);
  }
  fmt::print(out, "  {:<22}{}\n", "--help", "show this help");
}

const cli::command *find_command(const std::string &name) {
  for (const auto &c : cli::commands())
    if (name == c.name) return &c;
  return nullptr;
}

bool wants_help(int argc, char **argv, int first) {
  for (int i = first; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0)
      return true;
  }
  return false;
}

int run_command(const cli::command &c, int argc, char **argv) {
  if (wants_help(argc, argv, 2)) {
    print_command_help(c, stdout);
    return cli::exit_ok;
  }
  if (!c.run)
    return cli::fail(c.name, veteran::errc::invalid_state,
                     "this command is not in this release yet");
  try {
    cli::args a(argc, argv, 2, c.options);
    return c.run(a);
  } catch (const cli::usage_error &e) {
    fmt::print(stderr, "veteran {}: {}\nRun 'veteran {} --help' for usage.\n", c.name,
               e.what(), c.name);
    return cli::exit_usage;
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    print_tool_help(stderr);
    return cli::exit_usage;
  }
  const std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    print_tool_help(stdout);
    return cli::exit_ok;
  }
  if (first == "--version") {
    fmt::print("veteran {}\n", veteran::version());
    return cli::exit_ok;
  }
  const auto *c = find_command(first);
  if (!c) {
    fmt::print(
        stderr,
        "veteran: unknown command '{}'\nRun 'veteran --help' for the list of commands.\n",
        first);
    return cli::exit_usage;
  }
  int rc = cli::exit_failure;
  auto info = veteran::capture_error([&] { rc = run_command(*c, argc, argv); });
  if (info.code != veteran::errc::ok) return cli::fail(c->name, info);
  return rc;
}
