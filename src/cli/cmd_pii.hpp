// The PII subcommands (keygen, encrypt, decrypt, rewrap, migrate, redact,
// phone, index), defined in cmd_pii.cpp and listed in commands.cpp.
#pragma once

#include <memory>

#include "cli/cli.hpp"
#include "veteran/pii/keyring.hpp"

namespace veteran::cli {

command keygen_command();
command encrypt_command();
command decrypt_command();
command rewrap_command();
command migrate_command();
command redact_command();
command phone_command();
command index_command();

/// The key ring named by --keys/--keys-env (see key_options()), or null when
/// neither is given.
veteran::result<std::shared_ptr<const veteran::pii::keyring>>
load_optional_keys(const char *command_name, const args &a);
/// --keys, --keys-env, --pass-env, --strict-perms.
const std::vector<option_spec> &key_options();

} // namespace veteran::cli
