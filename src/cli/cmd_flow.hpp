// The flow and store subcommands (defined in cmd_flow.cpp).
#pragma once

#include <vector>

#include "cli/cli.hpp"

namespace veteran::cli {
/// chat, callback, alert, concern, triage-feed, tick, audit, outbox, store.
std::vector<command> flow_commands();
} // namespace veteran::cli
