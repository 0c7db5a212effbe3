// Internal to the `veteran` command-line tool: argument parsing, the command
// table and exit codes. Each subcommand lives in its own cmd_*.cpp file and is
// listed once in commands.cpp.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "veteran/error.hpp"

namespace veteran::cli {

/// Process exit codes (documented in `veteran --help`).
enum exit_code : int {
  exit_ok = 0,
  exit_failure = 1,
  exit_usage = 2,
  exit_conflict = 3,
  exit_not_found = 4,
};

/// Maps an SDK error to the exit code a script should see.
int exit_code_for(veteran::errc code) noexcept;

/// Thrown for a bad command line; main() prints it with a usage hint, exit 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One option a command accepts: `--name VALUE` or a bare `--name` flag.
struct option_spec {
  const char *name; // without the leading dashes
  bool takes_value;
  const char *help;
};

/// Parsed command line of one subcommand.
class args {
public:
  /// Parses argv[first..argc). Throws usage_error for an unknown option or an
  /// option missing its value. `--` ends option parsing.
  args(int argc, char **argv, int first, const std::vector<option_spec> &spec);

  [[nodiscard]] bool flag(const std::string &name) const;
  /// The option's value (the last one when it was given more than once).
  [[nodiscard]] std::optional<std::string> value(const std::string &name) const;
  /// Every value of a repeatable option, in command-line order.
  [[nodiscard]] std::vector<std::string> values(const std::string &name) const;
  /// The option's value as a whole number in [min, max]; nullopt when absent.
  /// Throws usage_error naming the option and the range otherwise.
  [[nodiscard]] std::optional<long long> integer(const std::string &name, long long min,
                                                 long long max) const;
  /// The option's value; throws usage_error naming the option when absent.
  [[nodiscard]] std::string required(const std::string &name) const;
  [[nodiscard]] const std::vector<std::string> &positionals() const {
    return positionals_;
  }
  /// Throws usage_error unless min <= positionals <= max.
  void expect_positionals(std::size_t min, std::size_t max) const;

private:
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, bool> flags_;
  std::vector<std::string> positionals_;
};

/// A subcommand. `run` is null for a command whose module is not in this
/// release yet; invoking it fails with a clear message (exit 1).
struct command {
  const char *name;
  const char *summary;
  const char *usage; // text after "veteran NAME "
  std::vector<option_spec> options;
  int (*run)(const args &);
};

/// All subcommands, in the order `veteran --help` lists them.
const std::vector<command> &commands();

/// Prints "veteran NAME: message" to stderr and returns the exit code for
/// `code`. Messages must never contain user data (names fields only).
int fail(const char *command_name, veteran::errc code, const std::string &message);
int fail(const char *command_name, const veteran::error_info &info);

/// Flushes stdout and returns exit_ok, or reports "WHAT could not be written
/// to standard output" (a full disk, a closed descriptor): an exit status of
/// 0 with nothing written would look like success.
int finish_stdout(const char *command_name, const char *what = nullptr);

/// Reads all of standard input (binary-safe).
std::string read_stdin();

} // namespace veteran::cli
