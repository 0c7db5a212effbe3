// Internal: random bytes and random identifiers from libsodium's CSPRNG (the
// OS generator), for every module: key ids today, call and room ids later.
// Each function initialises libsodium itself (veteran::global_init).
// Thread safety: all functions may be called concurrently.
#pragma once

#include <cstddef>
#include <string>

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

/// Largest `bytes` accepted by random_id and random_hex.
inline constexpr std::size_t max_random_id_bytes = 64;

/// Writes `n` random bytes to `out` (which may be locked key memory).
/// Errors: not_initialized (libsodium failed to initialise; nothing written).
[[nodiscard]] result<void> random_bytes(unsigned char *out, std::size_t n);

/// A URL-safe random id: base64url without padding of `bytes` random bytes
/// (16 -> 22 characters from [A-Za-z0-9_-]). Safe in URLs, file names and
/// JSON without escaping.
/// Errors: invalid_argument (bytes 0 or above max_random_id_bytes),
/// not_initialized.
[[nodiscard]] result<std::string> random_id(std::size_t bytes = 16);

/// Lower-case hex of `bytes` random bytes (4 -> 8 characters).
/// Errors: as random_id.
[[nodiscard]] result<std::string> random_hex(std::size_t bytes);

} // namespace util
VETERAN_NAMESPACE_END
