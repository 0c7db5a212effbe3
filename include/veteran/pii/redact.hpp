// veteran/pii/redact.hpp — find and mask personal data in free text.
//
// Detected (hand-written scanners, one pass each, no regex engine):
//   phone       UK mobile/landline (07700 900123, (020) 7946 0018,
//               +44 (0)7700 900123, 0044 ...), UK mobiles without the +
//               (447700 900123, 44 7700 900123) and international +CC numbers
//   email       local@domain.tld; the domain may hold non-ASCII letters
//               (name@münchen.de, user@例え.jp) or be an address literal
//               (user@[192.0.2.1], user@[IPv6:2001:db8::1])
//   ni_number   National Insurance numbers (HMRC prefix rules, suffix A-D)
//   nhs_number  10 digits (3-3-4 grouping allowed) with a valid mod-11 check
//   postcode    UK postcodes (all outward formats, GIR 0AA)
//   card_number 13-19 digits (grouped by spaces or hyphens), Luhn-valid,
//               first digit 2-6 (the major issuer ranges)
//   ip_address  IPv4 dotted quads (0-255, no leading zeros), IPv6 (full or
//               '::'-compressed, optional IPv4 tail)
//   service_number  armed-forces service numbers: 6-8 digits only next to a
//               cue (one of the 3 words before it is "service no/number",
//               "S/N", Army/RAF/RN/RM/Navy/Marines or a rank such as Pte, Cpl,
//               Sgt, Capt, SAC; or a rank right after it: "25012345 Cpl ...");
//               Royal Navy/Marines letter + 6 digits + letter (D123456K)
//               anywhere (see docs/pii.md for the exact rules)
// Numbers right after "order", "invoice", "ref", "reference", "booking",
// "ticket" or "tracking" (optionally followed by "no", "number", ':' or '#')
// are not treated as phone or service numbers.
//
// Output: the masked text and the list of what was masked as byte spans
// [start, end) into the ORIGINAL text, in order. Masks are "[PHONE]",
// "[EMAIL]", "[NI]", "[NHS]", "[POSTCODE]", "[CARD]", "[IP]", "[SERVICE]"; in pseudonym
// mode "[PHONE-1a2b3c4d]", where the suffix is a keyed hash of the normalised
// value (same key + same value = same pseudonym, e.g. both spellings of one
// phone number), so a transcript stays readable without revealing the value.
//
// Limits: a detector, not a guarantee (see docs/pii.md for coverage and
// known misses: names, street addresses, dates of birth are not detected).
// Errors: limit_exceeded (text > max_redact_bytes), key_missing (pseudonym
// mode with an empty ring).
// Thread safety: pure functions; safe to call concurrently (a shared const
// keyring is fine).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/error.hpp"
#include "veteran/pii/keyring.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

/// What kind of personal data a span holds.
enum class pii_type {
  phone,
  email,
  ni_number,
  nhs_number,
  postcode,
  card_number,
  ip_address,
  service_number ///< armed-forces service number (appended: values are stable)
};

/// Stable lower-case name, e.g. "phone", "nhs_number".
[[nodiscard]] const char *to_string(pii_type type) noexcept;

/// One finding: bytes [start, end) of the original text.
struct pii_span {
  pii_type type;
  std::size_t start;
  std::size_t end;
  friend bool operator==(const pii_span &a, const pii_span &b) noexcept {
    return a.type == b.type && a.start == b.start && a.end == b.end;
  }
};

/// Result of redact().
struct redaction {
  std::string text;            ///< masked text
  std::vector<pii_span> found; ///< spans in the original text, ascending
};

/// Largest text accepted by redact()/find_pii() (64 MiB).
inline constexpr std::size_t max_redact_bytes = 64u * 1024u * 1024u;

/// Finds personal data; spans are ascending and never overlap.
[[nodiscard]] result<std::vector<pii_span>> find_pii(std::string_view text);

/// Masks every finding with "[TYPE]".
[[nodiscard]] result<redaction> redact(std::string_view text);

/// Masks every finding with a stable pseudonym "[TYPE-xxxxxxxx]" keyed by the
/// ring's active key (its pseudonym subkey).
[[nodiscard]] result<redaction> redact_pseudonymise(std::string_view text,
                                                    const keyring &ring);

/// JSON {"text": ..., "found": [{"type", "start", "end"}, ...]}.
[[nodiscard]] std::string to_json(const redaction &r);

} // namespace pii
VETERAN_NAMESPACE_END
