// Internal: the one JSON writer every module prints with.
//
// Boost.JSON's serialize() prints doubles in exponent form (a score of 0.85
// comes out as 8.5E-1), which is valid JSON but unreadable in logs and awkward
// for spreadsheets. write_json() prints the same document with every double as
// the shortest plain decimal that reads back to the same value ("0.85",
// "0.4375", "1.0"; a double always keeps a decimal point so it stays a float
// in Python), and NaN or infinity as null. Strings are escaped as Boost.JSON
// escapes them; integers and member order are unchanged.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

/// Compact JSON text of `v` (no spaces, no newline). Throws only
/// std::bad_alloc.
[[nodiscard]] std::string write_json(const boost::json::value &v);

/// Appends the plain-decimal form of `d` (see above) to `out`.
void append_json_number(std::string &out, double d);

/// Appends `s` as a quoted JSON string, escaped exactly as Boost.JSON's
/// serializer escapes it (`"`, `\\`, control characters; nothing else).
void append_json_string(std::string &out, std::string_view s);

/// Builds compact JSON text member by member, with no intermediate document
/// (for records written often, like assessments). The caller keeps the
/// nesting right; commas are placed by the writer.
class json_text_writer {
public:
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  /// The next member's name (in an object).
  void key(std::string_view k);
  void value(std::string_view s);
  void value(double d);
  void value(bool b);
  void value(std::uint64_t n);
  void value(std::uint32_t n) { value(static_cast<std::uint64_t>(n)); }
  void null();
  /// Already-serialised JSON text as the next value.
  void raw(std::string_view json);
  [[nodiscard]] const std::string &text() const noexcept { return out_; }
  [[nodiscard]] std::string take() { return std::move(out_); }

private:
  void comma();
  void append_quoted(std::string_view s);
  void open(char c);
  void close(char c);
  std::string out_;
  bool first_ = true;      // nothing written yet in the current container
  bool after_key_ = false; // the next value follows a key
};

} // namespace util
VETERAN_NAMESPACE_END
