#include <charconv>
#include <cstring>
#include <iostream>
#include <iterator>

#include <fmt/core.h>

#include "cli/cli.hpp"

namespace veteran::cli {

namespace {
const option_spec *find_spec(const std::vector<option_spec> &spec,
                             const std::string &name) {
  for (const auto &o : spec)
    if (name == o.name) return &o;
  return nullptr;
}
} // namespace

args::args(int argc, char **argv, int first, const std::vector<option_spec> &spec) {
  bool options_done = false;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (options_done || a.size() < 3 || a.compare(0, 2, "--") != 0) {
      if (a == "--") {
        options_done = true;
        continue;
      }
      positionals_.push_back(std::move(a));
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const auto *o = find_spec(spec, name);
    if (!o) throw usage_error("unknown option --" + name);
    if (!o->takes_value) {
      if (inline_value) throw usage_error("option --" + name + " takes no value");
      flags_[name] = true;
      continue;
    }
    if (inline_value) {
      values_[name].push_back(*inline_value);
    } else {
      if (i + 1 >= argc) throw usage_error("option --" + name + " needs a value");
      values_[name].push_back(argv[++i]);
    }
  }
}

bool args::flag(const std::string &name) const { return flags_.count(name) != 0; }

std::optional<std::string> args::value(const std::string &name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> args::values(const std::string &name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string args::required(const std::string &name) const {
  auto v = value(name);
  if (!v) throw usage_error("missing required option --" + name);
  return *v;
}

std::optional<long long> args::integer(const std::string &name, long long min,
                                       long long max) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  long long n = 0;
  const char *end = v->data() + v->size();
  const auto [ptr, ec] = std::from_chars(v->data(), end, n);
  if (v->empty() || ec != std::errc() || ptr != end || n < min || n > max)
    throw usage_error("--" + name + " must be a whole number from " +
                      std::to_string(min) + " to " + std::to_string(max));
  return n;
}

void args::expect_positionals(std::size_t min, std::size_t max) const {
  if (positionals_.size() < min)
    throw usage_error("expected at least " + std::to_string(min) + " argument(s)");
  if (positionals_.size() > max)
    throw usage_error("expected at most " + std::to_string(max) + " argument(s)");
}

int exit_code_for(veteran::errc code) noexcept {
  switch (code) {
  case veteran::errc::ok:
    return exit_ok;
  case veteran::errc::conflict:
    return exit_conflict;
  case veteran::errc::not_found:
    return exit_not_found;
  default:
    return exit_failure;
  }
}

int fail(const char *command_name, veteran::errc code, const std::string &message) {
  fmt::print(stderr, "veteran {}: {} [{}]\n", command_name, message,
             veteran::errc_name(code));
  return exit_code_for(code);
}

int fail(const char *command_name, const veteran::error_info &info) {
  return fail(command_name, info.code, info.message);
}

int finish_stdout(const char *command_name, const char *what) {
  std::cout.flush();
  if (std::cout) return exit_ok;
  return fail(command_name, veteran::errc::io_error,
              std::string(what ? what : "output") +
                  " could not be written to standard output");
}

std::string read_stdin() {
  std::ios::sync_with_stdio(false);
  return std::string(std::istreambuf_iterator<char>(std::cin),
                     std::istreambuf_iterator<char>());
}

} // namespace veteran::cli
