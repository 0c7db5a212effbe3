// Phone normalisation. See include/veteran/pii/phone.hpp.
#include "veteran/pii/phone.hpp"

#include <string>

#include "pii/detail/phone_rules.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

namespace {

constexpr std::size_t kMaxInput = 64;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_separator(char c) noexcept {
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t';
}

error_info bad(std::string_view field, const char *rule) {
  return error_info{errc::invalid_argument, "field '" + std::string(field) +
                                                "' is not a valid phone number: " + rule};
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

} // namespace

bool is_e164(std::string_view text) noexcept {
  if (text.size() < 8 || text.size() > 16 || text[0] != '+' || text[1] < '1' ||
      text[1] > '9')
    return false;
  for (std::size_t i = 2; i < text.size(); ++i)
    if (!is_digit(text[i])) return false;
  return true;
}

result<std::string> normalise_phone(std::string_view input, std::string_view field) {
  if (input.size() > kMaxInput)
    return error_info{errc::limit_exceeded,
                      "field '" + std::string(field) + "' is longer than 64 bytes"};
  const std::string_view s = trim(input);
  if (s.empty()) return bad(field, "empty");

  bool plus = false;
  std::string digits;
  int parens = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      if (plus || !digits.empty()) return bad(field, "'+' may only start the number");
      plus = true;
    } else if (is_digit(c)) {
      digits.push_back(c);
    } else if (is_separator(c)) {
      if (c == '(' && ++parens > 1) return bad(field, "nested parentheses");
      if (c == ')' && --parens < 0) return bad(field, "unbalanced parentheses");
      // "+44 (0)7700 ...": the bracketed trunk 0 is dropped after a country code.
      if (c == '(' && i + 2 < s.size() && s[i + 1] == '0' && s[i + 2] == ')' &&
          (plus || (digits.size() >= 2 && digits.compare(0, 2, "00") == 0)) &&
          !digits.empty()) {
        i += 2;
        --parens;
      }
    } else {
      return bad(field, "contains characters that are not part of a phone number");
    }
  }
  if (parens != 0) return bad(field, "unbalanced parentheses");
  if (digits.empty()) return bad(field, "no digits");

  std::string international; // digits after the '+', country code first
  if (plus) {
    international = digits;
  } else if (digits.size() > 2 && digits.compare(0, 2, "00") == 0) {
    international = digits.substr(2);
  } else if (digits[0] == '0') {
    // UK national format: trunk 0 + 9 or 10 digits.
    if (digits.size() != 10 && digits.size() != 11)
      return bad(field, "a UK number starting with 0 must have 10 or 11 digits");
    international = "44" + digits.substr(1);
  } else {
    return bad(field, "no country code: use +CC, 00CC or a UK number starting with 0");
  }
  if (international.compare(0, 2, "44") == 0) {
    // "+44 07700 ..." written with the national trunk 0 kept.
    if (international.size() > 2 && international[2] == '0') international.erase(2, 1);
    if (!detail::uk_nsn_length_ok(std::string_view(international).substr(2)))
      return bad(field, "wrong number of digits for a UK number");
  }
  std::string out = "+" + international;
  if (!is_e164(out))
    return bad(field, "must be a country code and 7 to 15 digits in total (E.164)");
  return out;
}

} // namespace pii
VETERAN_NAMESPACE_END
