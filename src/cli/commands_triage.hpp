// Triage subcommands (defined in cmd_triage.cpp).
#pragma once

#include "cli/cli.hpp"

namespace veteran::cli {
command assess_command();
command pack_command();
} // namespace veteran::cli
