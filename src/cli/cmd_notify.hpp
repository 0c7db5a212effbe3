// The delivery subcommands: `outbox deliver|dead|retry` (run from the outbox
// command in cmd_flow.cpp) and `webhook sign|verify`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "veteran/store/store.hpp"

namespace veteran::cli {
/// The options `outbox deliver|dead|retry` accept (added to `outbox`).
std::vector<option_spec> outbox_delivery_options();
/// Runs `outbox deliver|dead|retry` on an open store.
int run_outbox_delivery(const std::string &action, const args &a,
                        std::shared_ptr<store::store> db);
/// webhook sign|verify.
command webhook_command();
} // namespace veteran::cli
