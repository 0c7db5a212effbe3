// Internal: encodings used by the PII module.
//
// The base64url codec here is table-driven (not constant-time) and is used
// only for envelope ciphertext, which is public data; key material goes
// through libsodium's constant-time sodium_bin2base64 / sodium_base642bin.
#pragma once

#include "util/utf8.hpp"
#include "veteran/version.hpp"
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

/// Length of the unpadded base64url text for `n` bytes.
constexpr std::size_t b64url_encoded_length(std::size_t n) noexcept {
  return (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}
/// Decoded length of `n` unpadded base64url characters, or SIZE_MAX when no
/// byte string encodes to that many characters (n % 4 == 1).
constexpr std::size_t b64url_decoded_length(std::size_t n) noexcept {
  return n % 4 == 1 ? static_cast<std::size_t>(-1)
                    : (n / 4) * 3 + (n % 4 ? n % 4 - 1 : 0);
}
/// Writes b64url_encoded_length(n) characters to `out`.
void b64url_encode(const unsigned char *in, std::size_t n, char *out) noexcept;
/// Strict decode: alphabet only, no padding, unused trailing bits zero.
/// `out` must hold b64url_decoded_length(text.size()) bytes. False on error.
[[nodiscard]] bool b64url_decode(std::string_view text, unsigned char *out) noexcept;
/// Strict syntactic check without decoding.
[[nodiscard]] bool b64url_valid(std::string_view text) noexcept;

/// Lower-case hex of `n` bytes.
[[nodiscard]] std::string to_hex(const unsigned char *in, std::size_t n);

/// The shared decoder (util/utf8.hpp).
using util::valid_utf8;

/// Little-endian 32-bit length prefix followed by the bytes.
void append_length_prefixed(std::string &out, std::string_view part);

} // namespace pii::detail
VETERAN_NAMESPACE_END
