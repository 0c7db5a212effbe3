// veteran/signal/codec.hpp — the strict JSON codec for signalling messages.
//
// decode() accepts exactly the wire format of docs/signal.md and nothing
// else: an unknown `v` or `type`, a missing or mistyped member, an empty id,
// a member over its size limit, an enum value not in the list, a duplicate
// member, JSON null for an optional member, and any member not in the format
// (at the top level and in `body`) are all refused. encode() writes
// canonical JSON: members in the documented order, no whitespace, optional
// members omitted when absent. decode(encode(m)) == m for every valid m.
//
// Errors: errc::signal_invalid, with a message naming the field and the
// rule, never the value ("body: \"sdp\" is longer than 65536 bytes"). The
// overloads taking `codec_error&` also give the field path on its own:
// "body.sdp", "call_id", "type"; empty when the text is not a JSON object
// at all.
//
// Thread safety: stateless; call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "veteran/error.hpp"
#include "veteran/signal/message.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

/// The field an error is about, besides the error itself.
struct codec_error {
  /// Path of the offending member ("body.sdp", "call_id"); empty when the
  /// input is not JSON or not an object.
  std::string field;
};

/// Parses and validates one envelope (see above). Never throws except
/// std::bad_alloc.
[[nodiscard]] result<message> decode(std::string_view json);
/// As decode(json); on failure `err.field` names the offending member.
[[nodiscard]] result<message> decode(std::string_view json, codec_error &err);

/// Checks what decode() would check on a message built in C++: ids non-empty
/// and within max_id_bytes, size limits, valid UTF-8 in every string, the
/// body shape matching the type, `call_id`/`room_id` where required, enum
/// values in range, ts >= 0.
[[nodiscard]] result<void> validate(const message &m);
[[nodiscard]] result<void> validate(const message &m, codec_error &err);

/// Canonical JSON text of `m` (one line, no trailing newline). Throws
/// veteran::error(signal_invalid) naming the field when validate(m) fails,
/// so it never writes what decode() would refuse.
[[nodiscard]] std::string encode(const message &m);

} // namespace signal
VETERAN_NAMESPACE_END
