// veteran/pii/blind_index.hpp — searchable keyed hashes of normalised values.
//
// A blind index lets a host find "all records for +447700900123" (to erase or
// export them) without decrypting every row: store blind_index(...) next to
// the envelope and look the index up. The index is BLAKE2b-128 keyed with a
// per-field key derived from the ring's active key (so the same phone number
// indexed under "phone" and "next_of_kin_phone" gives unrelated values), and
// is returned as 32 lower-case hex characters.
//
// Normalisation before hashing, so spelling variants find each other:
//   phone  E.164 (see phone.hpp)
//   email  trimmed, lower-cased (ASCII letters), must contain one '@' with
//          text either side and no whitespace
//   name   case-folded (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic),
//          leading/trailing whitespace removed, inner runs collapsed to one
//          space; must be valid UTF-8
//   exact  the bytes as given
//
// Trade-offs (see docs/pii.md): equal values give equal indexes, so whoever
// can read the index column learns which rows share a value (frequency
// leakage) and can confirm a guess only with the key. Rotating the active key
// changes every index: re-index when rotating. 128 bits make accidental
// collisions negligible; still treat a match as "candidate", and confirm by
// decrypting.
//
// Errors: key_missing (empty ring), key_unknown (key_id not in ring),
// invalid_argument (empty field name, value fails normalisation: the message
// names the field, never the value), invalid_utf8.
// Thread safety: safe to call concurrently with a shared const keyring.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "veteran/error.hpp"
#include "veteran/pii/keyring.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

/// How a value is normalised before hashing.
enum class index_kind { exact, phone, email, name };

/// Stable name: "exact", "phone", "email", "name".
[[nodiscard]] const char *to_string(index_kind kind) noexcept;
/// Parses a name as printed by to_string. invalid_argument otherwise.
[[nodiscard]] result<index_kind> parse_index_kind(std::string_view name);

/// Length of a blind index in hex characters.
inline constexpr std::size_t blind_index_hex_length = 32;

/// The normalised form that is hashed (exposed for tests and for hosts that
/// want to show users what is matched). `field` names the value in errors.
[[nodiscard]] result<std::string> normalise_for_index(index_kind kind,
                                                      std::string_view value,
                                                      std::string_view field = "value");

/// Blind index of `value` for `field` under the active key (or `key_id`).
[[nodiscard]] result<std::string> blind_index(const keyring &ring, std::string_view field,
                                              index_kind kind, std::string_view value,
                                              std::string_view key_id = {});

} // namespace pii
VETERAN_NAMESPACE_END
