// Internal: the byte-to-text codecs every module shares (hex, base64url,
// standard base64). One implementation each.
//
// Which one for what:
//   * hex (libsodium, constant-time): blind indexes, pseudonyms, key ids.
//   * base64url without padding (table-driven, NOT constant-time): public data
//     only, e.g. envelope ciphertext and random ids. Strict and canonical:
//     every byte string has exactly one accepted encoding.
//   * standard base64 (libsodium, constant-time): key material and key-file
//     fields (salts, check values).
// Decoders never allocate and write only into the caller's buffer, so secret
// output can go straight into locked memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

// ---- hex --------------------------------------------------------------------

/// Lower-case hex of `n` bytes (2n characters).
[[nodiscard]] std::string hex_encode(const unsigned char *in, std::size_t n);
/// Strict decode: an even number of [0-9a-fA-F] characters and nothing else.
/// `out` must hold text.size() / 2 bytes. False on error (the content of
/// `out` is then unspecified).
[[nodiscard]] bool hex_decode(std::string_view text, unsigned char *out) noexcept;

// ---- base64url, unpadded (public data only) ---------------------------------

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
/// Writes b64url_encoded_length(n) characters to `out` (no terminator).
void b64url_encode(const unsigned char *in, std::size_t n, char *out) noexcept;
/// The same, as a string.
[[nodiscard]] std::string b64url_encode(const unsigned char *in, std::size_t n);
/// Strict decode: alphabet only, no padding, unused trailing bits zero.
/// `out` must hold b64url_decoded_length(text.size()) bytes. False on error.
[[nodiscard]] bool b64url_decode(std::string_view text, unsigned char *out) noexcept;
/// Strict syntactic check without decoding (same rules as b64url_decode).
[[nodiscard]] bool b64url_valid(std::string_view text) noexcept;

/// True if `text` is 1 to `max_size` characters from the base64url alphabet
/// [A-Za-z0-9_-]: safe to print, log or put in a URL or file name unescaped
/// (key ids, random_id output, JSON member names quoted in messages).
[[nodiscard]] bool is_id_token(std::string_view text, std::size_t max_size) noexcept;

// ---- standard base64 (constant-time, for key material) ----------------------

/// Standard base64 with padding of `n` bytes. The result holds the secret's
/// encoding when `in` is secret: the caller wipes it.
[[nodiscard]] std::string base64_encode(const unsigned char *in, std::size_t n);

enum class base64_padding {
  required, ///< the text must carry correct '=' padding
  optional, ///< padded if the text ends in '=', otherwise unpadded
};
/// Strict decode of standard base64 (no whitespace or other characters) into
/// `out` (`capacity` bytes); `length` receives the decoded size. False if the
/// text is not valid base64 or does not fit.
[[nodiscard]] bool base64_decode(std::string_view text, unsigned char *out,
                                 std::size_t capacity, std::size_t &length,
                                 base64_padding padding) noexcept;

} // namespace util
VETERAN_NAMESPACE_END
