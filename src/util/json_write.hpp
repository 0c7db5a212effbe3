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

#include <string>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

/// Compact JSON text of `v` (no spaces, no newline). Throws only
/// std::bad_alloc.
[[nodiscard]] std::string write_json(const boost::json::value &v);

/// Appends the plain-decimal form of `d` (see above) to `out`.
void append_json_number(std::string &out, double d);

} // namespace util
VETERAN_NAMESPACE_END
