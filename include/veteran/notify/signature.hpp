// veteran/notify/signature.hpp — signing and verifying webhooks.
//
// Header format (sent as `Veteran-Signature`):
//
//     t=<unix seconds>,v1=<64 lower-case hex digits>
//
// where v1 = HMAC-SHA256(secret, "<t>.<body>") over the exact bytes of the
// request body. `t` is decimal without sign or leading zeros. Nothing else
// is accepted: no spaces, no other keys, no repeated keys, no upper-case hex.
//
// Secrets are raw bytes (the whole content of a secret file, trailing newline
// removed by the caller if wanted); they are never copied into messages,
// logs or results.
//
// Thread safety: every function is reentrant and may be called concurrently.
// Errors never contain the secret, the body or the expected signature.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace notify {

/// Default replay window: a signature whose timestamp differs from the
/// verifier's clock by more than this (either way) is refused.
inline constexpr std::int64_t default_tolerance_seconds = 300;
/// Longest secret accepted (bytes).
inline constexpr std::size_t max_secret_bytes = 4096;

/// The header value for `body` signed at `unix_seconds`.
/// Errors: invalid_argument (empty or over-long secret, negative time),
/// not_initialized (libsodium unavailable).
[[nodiscard]] result<std::string> sign(std::string_view secret, std::int64_t unix_seconds,
                                       std::string_view body);

/// The parsed header.
struct signature_header {
  std::int64_t timestamp = 0;
  std::string v1_hex; ///< 64 lower-case hex digits
};

/// Strict parse of a header value.
/// Errors: signature_malformed (the message names the part that is wrong).
[[nodiscard]] result<signature_header> parse_signature(std::string_view header);

/// Verifies `header` over `body` against `secret` and, during a rotation, also
/// `previous_secret` (empty = none): valid if either matches. Comparison is
/// constant time. `now_seconds` is the verifier's clock.
/// Errors, in the order checked: invalid_argument (empty secret, tolerance <
/// 0), signature_malformed, signature_expired (|now - t| > tolerance),
/// signature_mismatch (no secret produces this signature: wrong secret or
/// tampered body).
[[nodiscard]] result<void>
verify(std::string_view header, std::string_view body, std::string_view secret,
       std::string_view previous_secret, std::int64_t now_seconds,
       std::int64_t tolerance_seconds = default_tolerance_seconds);

} // namespace notify
VETERAN_NAMESPACE_END
