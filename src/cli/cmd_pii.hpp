// The PII subcommands (keygen, encrypt, decrypt, rewrap, migrate, redact,
// phone, index), defined in cmd_pii.cpp and listed in commands.cpp.
#pragma once

#include "cli/cli.hpp"

namespace veteran::cli {

command keygen_command();
command encrypt_command();
command decrypt_command();
command rewrap_command();
command migrate_command();
command redact_command();
command phone_command();
command index_command();

} // namespace veteran::cli
