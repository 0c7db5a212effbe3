// The signalling subcommand (`veteran signal check`, `veteran signal replay`), defined in
// cmd_signal.cpp and listed in commands.cpp.
#pragma once

#include "cli/cli.hpp"

namespace veteran::cli {
command signal_command();
/// `veteran signal replay` (cmd_signal_replay.cpp).
int run_signal_replay(const args &a);
} // namespace veteran::cli
