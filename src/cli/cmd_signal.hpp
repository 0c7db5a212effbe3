// The signalling subcommand (`veteran signal check`), defined in
// cmd_signal.cpp and listed in commands.cpp.
#pragma once

#include "cli/cli.hpp"

namespace veteran::cli {
command signal_command();
} // namespace veteran::cli
