// veteran/pii/codec.hpp — fail-closed field encryption in a text envelope.
//
// A field value is encrypted with XChaCha20-Poly1305 under the active key's
// field-encryption subkey. The associated data binds the ciphertext to its
// place: (table, field, record id), each length-prefixed so ("ab","c") and
// ("a","bc") differ. A ciphertext copied into another table, field or row
// fails to decrypt (errc::context_mismatch).
//
// Envelope (version 1), plain ASCII, safe in any TEXT column:
//   vet1:<key id>:<base64url without padding of
//        kcv[4] || ctx[4] || nonce[24] || ciphertext(value [|| type || 0xFF]) || tag[16]>
//   type  strings carry no trailer (UTF-8 never contains 0xFF); bytes (2)
//         and JSON (3) end with their kind byte and 0xFF. Inside the
//         ciphertext, so authenticated and hidden;
//   kcv   key-check value: 4 bytes derived from the key, so a different key
//         under a known id is reported as key_wrong, not as tampering;
//   ctx   4-byte keyed hash (SipHash) of the context, so a moved ciphertext is
//         reported as context_mismatch, not as tampering;
//   nonce 24 random bytes: no timestamp or counter, so the envelope reveals
//         nothing about when it was written, and equal values encrypt
//         differently every time.
// The version, key id, kcv and ctx are part of the associated data, so
// altering any of them fails authentication too.
//
// The decoder is strict: exact prefix, key-id grammar, canonical base64url
// (no padding, no stray bits), minimum length. Text that merely starts like an
// envelope ("vet1:hello") is not one: is_envelope() returns false and
// decrypt() fails with envelope_malformed; it never passes text through.
//
// Failure never yields plaintext or a placeholder; the error codes are:
//   key_missing         the ring is empty
//   key_unknown         the envelope's key id is not in the ring
//   key_wrong           the id is known but the key-check value differs
//   context_mismatch    the envelope belongs to another table/field/record
//   ciphertext_tampered authentication failed for any other reason
//   envelope_malformed  not an envelope / truncated / bad value type
//   invalid_argument    empty table/field/record id, invalid UTF-8 string
//   limit_exceeded      context part > max_context_bytes or value > max_value_bytes
//
// Thread safety: all functions are safe to call concurrently with one shared
// const keyring. Ownership: results are owned strings; inputs are only read
// during the call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "veteran/error.hpp"
#include "veteran/pii/keyring.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

/// Where a value lives. All three parts must be non-empty; the views must
/// stay valid for the duration of the call only.
struct field_context {
  std::string_view table;
  std::string_view field;
  std::string_view record_id;
};

/// The type of an encrypted value; stored inside the authenticated plaintext.
enum class value_kind : std::uint8_t {
  string = 1, ///< UTF-8 text (validated on encrypt)
  bytes = 2,  ///< arbitrary octets
  json = 3,   ///< JSON text (validated on encrypt, stored verbatim)
};

/// Stable lower-case name: "string", "bytes", "json".
[[nodiscard]] const char *to_string(value_kind kind) noexcept;

/// A decrypted value: its kind and exact bytes.
struct field_value {
  value_kind kind = value_kind::string;
  std::string data;
};

/// Longest table, field or record id accepted, in bytes.
inline constexpr std::size_t max_context_bytes = 1024;
/// Largest value accepted, in bytes (16 MiB).
inline constexpr std::size_t max_value_bytes = 16u * 1024u * 1024u;
/// Envelope version prefix.
inline constexpr std::string_view envelope_prefix = "vet1:";

/// Encrypts `data` of `kind` with the active key. Errors: see above.
[[nodiscard]] result<std::string> encrypt(const keyring &ring, const field_context &ctx,
                                          value_kind kind, std::string_view data);
/// encrypt(ring, ctx, value_kind::string, text).
[[nodiscard]] result<std::string>
encrypt_string(const keyring &ring, const field_context &ctx, std::string_view text);
/// encrypt(ring, ctx, value_kind::bytes, bytes).
[[nodiscard]] result<std::string>
encrypt_bytes(const keyring &ring, const field_context &ctx, std::string_view bytes);
/// encrypt(ring, ctx, value_kind::json, json_text); parse_error if not JSON.
[[nodiscard]] result<std::string>
encrypt_json(const keyring &ring, const field_context &ctx, std::string_view json_text);

/// Decrypts an envelope with whichever key of the ring it names.
[[nodiscard]] result<field_value> decrypt(const keyring &ring, const field_context &ctx,
                                          std::string_view envelope);

/// Decrypts with any key of the ring and re-encrypts with the active key
/// (fresh nonce). Same errors as decrypt; on error nothing is returned.
[[nodiscard]] result<std::string> rewrap(const keyring &ring, const field_context &ctx,
                                         std::string_view envelope);

/// Strict syntactic check: true only for text that is exactly a version-1
/// envelope (prefix, key id grammar, canonical base64url, minimum length).
/// Needs no key; does not authenticate. noexcept and allocation-free.
[[nodiscard]] bool is_envelope(std::string_view text) noexcept;

/// Key id named by a well-formed envelope; envelope_malformed otherwise.
[[nodiscard]] result<std::string> envelope_key_id(std::string_view envelope);

} // namespace pii
VETERAN_NAMESPACE_END
