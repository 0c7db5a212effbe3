// Redaction: hand-written scanners. See include/veteran/pii/redact.hpp.
//
// One pass visits every word start (a position whose previous byte is not an
// ASCII letter/digit) and dispatches on the byte there; each detector either
// returns a candidate span or bails after a few bytes. Candidates are then
// resolved by priority (the more specific detector wins an overlap).
#include "veteran/pii/redact.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>

#include "pii/detail/keyring_impl.hpp"
#include "pii/detail/phone_rules.hpp"
#include "util/encoding.hpp"
#include "util/utf8.hpp"
#include "veteran/pii/phone.hpp"
#include "util/json_write.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) noexcept { return is_upper(c) || is_lower(c); }
bool is_alnum(char c) noexcept { return is_digit(c) || is_alpha(c); }
bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char upper(char c) noexcept { return is_lower(c) ? static_cast<char>(c - 32) : c; }

// Character sets of digits and upper-case letters as bit masks (strchr would
// also match the terminating NUL and is slow on this hot path).
constexpr int set_bit(char c) noexcept {
  return (c >= '0' && c <= '9') ? c - '0' : (c >= 'A' && c <= 'Z') ? 10 + c - 'A' : -1;
}
constexpr std::uint64_t char_set(const char *s) noexcept {
  std::uint64_t m = 0;
  for (; *s; ++s)
    m |= std::uint64_t{1} << set_bit(*s);
  return m;
}
bool in_set(std::uint64_t set, char c) noexcept {
  const int b = set_bit(c);
  return b >= 0 && ((set >> b) & 1u);
}

// The code point starting at t[i] and its byte length. find_pii checks that
// the text is valid UTF-8 before scanning, so no validation here.
char32_t decode_at(std::string_view t, std::size_t i, std::size_t &len) noexcept {
  const auto b = static_cast<unsigned char>(t[i]);
  if (b < 0x80) {
    len = 1;
    return b;
  }
  len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
  char32_t cp = b & (0x3Fu >> (len - 1));
  for (std::size_t k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(t[i + k]) & 0x3Fu);
  return cp;
}

// Non-ASCII code points accepted in an email address: the letters (and
// combining marks) of the scripts people write names and domains in.
// Punctuation and symbols end an address, so "jo@example.com—thanks" or
// "...com’s" keep their exact span: General Punctuation onwards up to the
// kana (dashes, quotes, ellipsis, arrows, CJK punctuation), emoji, private
// use, and the few punctuation marks inside the letter blocks (× ÷, Greek,
// Armenian, Hebrew, Arabic and Devanagari stops). Not a full Unicode table.
bool idn_letter(char32_t cp) noexcept {
  if (cp < 0xC0) return false;
  if (cp < 0x2000) {
    switch (cp) {
    case 0xD7:
    case 0xF7:
    case 0x37E:
    case 0x387:
    case 0x589:
    case 0x5BE:
    case 0x5C0:
    case 0x5C3:
    case 0x60C:
    case 0x61B:
    case 0x61F:
    case 0x6D4:
    case 0x964:
    case 0x965:
      return false;
    default:
      return true;
    }
  }
  return (cp >= 0x3040 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFF);
}

struct candidate {
  pii_type type;
  std::size_t start;
  std::size_t end;
};

// Detector priority in overlaps: lower wins.
int priority(pii_type t) noexcept {
  switch (t) {
  case pii_type::email:
    return 0;
  case pii_type::ip_address:
    return 1;
  case pii_type::card_number:
    return 2;
  case pii_type::nhs_number:
    return 3;
  case pii_type::ni_number:
    return 4;
  case pii_type::service_number:
    return 5;
  case pii_type::postcode:
    return 6;
  case pii_type::phone:
    return 7;
  }
  return 8;
}

class scanner {
public:
  explicit scanner(std::string_view text) : t_(text) {}

  std::vector<candidate> run() {
    const std::size_t n = t_.size();
    for (std::size_t i = 0; i < n; ++i) {
      const char c = t_[i];
      if (c == '@') {
        email(i);
        continue;
      }
      if (i > 0 && is_alnum(t_[i - 1])) continue; // not a word start
      if (is_digit(c)) {
        if (!number_continues_left(i)) {
          ipv4_at(i);
          card(i);
          nhs(i);
          phone_national(i, i);
          if (c == '4' && at(i + 1) == '4') phone_uk_bare(i);
          if (is_digit(at(i + 5))) service_digits(i); // 6+ digits
        }
        ipv6(i);
      } else if (c == '+') {
        phone_international(i);
      } else if (c == '(') {
        if (i + 1 < n && t_[i + 1] == '0' && !number_continues_left(i))
          phone_national(i, i + 1);
      } else if (is_alpha(c)) {
        ni(i);
        postcode(i);
        if (is_upper(c) && is_digit(at(i + 1))) service_navy(i);
        if (is_hex(c)) ipv6(i);
      } else if (c == ':') {
        ipv6(i);
      }
    }
    return std::move(found_);
  }

private:
  [[nodiscard]] char at(std::size_t i) const noexcept {
    return i < t_.size() ? t_[i] : '\0';
  }

  // "12.07700..." or "3,0770..." : the digit continues an earlier number.
  [[nodiscard]] bool number_continues_left(std::size_t i) const noexcept {
    if (i == 0) return false;
    const char p = t_[i - 1];
    if (is_alnum(p) || p == '_') return true;
    if ((p == '.' || p == ',' || p == '/' || p == '-' || p == ':') && i >= 2 &&
        is_digit(t_[i - 2]))
      return true;
    return false;
  }
  // The span [.., end) is followed by more of the same token.
  [[nodiscard]] bool continues_right(std::size_t end) const noexcept {
    const char c = at(end);
    if (is_alnum(c) || c == '_') return true;
    if ((c == '.' || c == ',' || c == '/' || c == '-' || c == ':') &&
        is_digit(at(end + 1)))
      return true;
    return false;
  }
  void add(pii_type type, std::size_t start, std::size_t end) {
    found_.push_back(candidate{type, start, end});
  }

  // ---- email ---------------------------------------------------------------
  static bool local_char(char c) noexcept {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' ||
           c == '\'';
  }
  // Start of the local part ending at `at_pos`: ASCII local characters and
  // non-ASCII letters ("josé@...": masking only "é@..." would leak "jos").
  [[nodiscard]] std::size_t local_start(std::size_t at_pos) const noexcept {
    std::size_t s = at_pos;
    while (s > 0) {
      const char c = t_[s - 1];
      if (local_char(c)) {
        --s;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x80) break;
      std::size_t k = s - 1, len = 0;
      while (k > 0 && (static_cast<unsigned char>(t_[k]) & 0xC0u) == 0x80u)
        --k;
      if (!idn_letter(decode_at(t_, k, len)) || k + len != s) break;
      s = k;
    }
    return s;
  }
  // Top-level domain: 2+ letters (ASCII or not: ".de", ".рф", ".中国"), or an
  // IDNA A-label ("xn--p1ai").
  static bool tld_ok(std::string_view tld) noexcept {
    if (tld.size() > 4 && upper(tld[0]) == 'X' && upper(tld[1]) == 'N' && tld[2] == '-' &&
        tld[3] == '-') {
      for (char c : tld)
        if (!is_alnum(c) && c != '-') return false;
      return true;
    }
    std::size_t letters = 0;
    for (char c : tld) {
      const auto b = static_cast<unsigned char>(c);
      if (b < 0x80 && !is_alpha(c)) return false;
      if (b < 0x80 || (b & 0xC0u) != 0x80u) ++letters; // count code points
    }
    return letters >= 2;
  }
  // "[192.0.2.1]" or "[IPv6:2001:db8::1]" at `open` (the '['): the end after
  // ']', or npos.
  [[nodiscard]] std::size_t address_literal(std::size_t open) const noexcept {
    const std::size_t p = open + 1;
    std::size_t e = std::string_view::npos;
    if (is_digit(at(p)))
      e = parse_ipv4(p);
    else if (upper(at(p)) == 'I' && upper(at(p + 1)) == 'P' && upper(at(p + 2)) == 'V' &&
             at(p + 3) == '6' && at(p + 4) == ':')
      e = parse_ipv6(p + 5);
    if (e == std::string_view::npos || at(e) != ']') return std::string_view::npos;
    return e + 1;
  }
  // The detectors added later are kept out of line: inlined into run() they
  // made the compiler spill the per-byte loop's registers (-30% throughput).
  [[gnu::noinline]] void email(std::size_t at_pos) {
    std::size_t s = local_start(at_pos);
    while (s < at_pos && (t_[s] == '.' || t_[s] == '\''))
      ++s;
    if (s == at_pos || t_[at_pos - 1] == '.') return;
    if (at(at_pos + 1) == '[') {
      const std::size_t e = address_literal(at_pos + 1);
      if (e != std::string_view::npos) add(pii_type::email, s, e);
      return;
    }
    std::size_t e = at_pos + 1, last_dot = 0, label_len = 0;
    while (e < t_.size()) {
      const char c = t_[e];
      std::size_t len = 1;
      if (c == '.') {
        if (label_len == 0) break; // ".." or "@."
        last_dot = e;
        label_len = 0;
      } else if (is_alnum(c) || c == '-' ||
                 (static_cast<unsigned char>(c) >= 0x80 &&
                  idn_letter(decode_at(t_, e, len)))) {
        ++label_len;
      } else {
        break;
      }
      e += len;
    }
    while (e > at_pos + 1 && (t_[e - 1] == '.' || t_[e - 1] == '-'))
      --e;
    if (last_dot == 0 || last_dot >= e) {
      // the trailing dot was trimmed: find the last dot inside the span
      last_dot = 0;
      for (std::size_t k = at_pos + 1; k < e; ++k)
        if (t_[k] == '.') last_dot = k;
      if (last_dot == 0) return;
    }
    if (!tld_ok(t_.substr(last_dot + 1, e - last_dot - 1))) return;
    add(pii_type::email, s, e);
  }

  // ---- IPv4 ------------------------------------------------------------------
  // Parses a dotted quad at i; returns its end or npos.
  [[nodiscard]] std::size_t parse_ipv4(std::size_t i) const noexcept {
    std::size_t p = i;
    for (int octet = 0; octet < 4; ++octet) {
      if (octet > 0) {
        if (at(p) != '.') return std::string_view::npos;
        ++p;
      }
      std::size_t len = 0;
      int value = 0;
      while (len < 4 && is_digit(at(p + len)))
        value = value * 10 + (at(p + len++) - '0');
      if (len == 0 || len > 3 || value > 255 || (len > 1 && at(p) == '0'))
        return std::string_view::npos;
      p += len;
    }
    return p;
  }
  [[nodiscard]] bool after_version_word(std::size_t i) const noexcept {
    std::size_t e = i;
    while (e > 0 && t_[e - 1] == ' ')
      --e;
    std::size_t s = e;
    while (s > 0 && is_alpha(t_[s - 1]))
      --s;
    std::string word;
    for (std::size_t k = s; k < e; ++k)
      word.push_back(static_cast<char>(std::tolower(t_[k])));
    return word == "version" || word == "ver" || word == "release" || word == "build" ||
           word == "firmware" || word == "v";
  }
  void ipv4_at(std::size_t i) {
    const std::size_t e = parse_ipv4(i);
    if (e == std::string_view::npos || continues_right(e) || after_version_word(i))
      return;
    add(pii_type::ip_address, i, e);
  }

  // ---- IPv6 ------------------------------------------------------------------
  // Parses an IPv6 address at i; returns its end or npos.
  [[nodiscard]] std::size_t parse_ipv6(std::size_t i) const noexcept {
    std::size_t p = i;
    int groups = 0;
    bool compressed = false;
    if (at(p) == ':') {
      if (at(p + 1) != ':') return std::string_view::npos;
      compressed = true;
      p += 2;
    }
    while (true) {
      std::size_t len = 0;
      while (is_hex(at(p + len)))
        ++len;
      if (len == 0) break;
      if (at(p + len) == '.' && groups <= 6 && (compressed || groups == 6)) {
        const std::size_t e4 = parse_ipv4(p);
        if (e4 == std::string_view::npos) return std::string_view::npos;
        groups += 2;
        p = e4;
        break;
      }
      if (len > 4) return std::string_view::npos;
      ++groups;
      p += len;
      if (at(p) == ':' && at(p + 1) == ':') {
        if (compressed) break;
        compressed = true;
        p += 2;
        continue;
      }
      if (at(p) == ':' && is_hex(at(p + 1))) {
        ++p;
        continue;
      }
      break;
    }
    const bool valid = compressed ? (groups >= 1 && groups <= 7) : groups == 8;
    if (!valid || is_alnum(at(p)) || at(p) == ':' ||
        (at(p) == '.' && is_digit(at(p + 1))))
      return std::string_view::npos;
    return p;
  }
  void ipv6(std::size_t i) {
    if (i > 0 && (is_alnum(t_[i - 1]) || t_[i - 1] == ':' || t_[i - 1] == '.')) return;
    const std::size_t e = parse_ipv6(i);
    if (e != std::string_view::npos) add(pii_type::ip_address, i, e);
  }

  // ---- digit runs (cards, NHS numbers) -----------------------------------------
  struct digit_run {
    // Fixed capacity, no allocation: runs are capped at 41 bytes by the
    // readers below, so 64 entries always suffice (push_back drops nothing).
    template <class T> struct small {
      T v[64];
      std::size_t n = 0;
      void push_back(T x) noexcept {
        if (n < 64) v[n++] = x;
      }
      [[nodiscard]] std::size_t size() const noexcept { return n; }
      [[nodiscard]] bool empty() const noexcept { return n == 0; }
      T operator[](std::size_t k) const noexcept { return v[k]; }
    };
    small<char> digits;
    small<std::size_t> boundary_digits; // digit counts at group ends
    small<std::size_t> boundary_pos;    // byte offsets of group ends
    [[nodiscard]] std::string_view digit_text() const noexcept {
      return std::string_view(digits.v, digits.n);
    }
  };
  // Reads digits separated by one consistent separator (' ' or '-') or none.
  [[nodiscard]] digit_run read_groups(std::size_t i, std::size_t max_digits) const {
    digit_run r;
    char sep = 0;
    std::size_t p = i;
    while (true) {
      while (is_digit(at(p)) && r.digits.size() <= max_digits)
        r.digits.push_back(t_[p++]);
      r.boundary_digits.push_back(r.digits.size());
      r.boundary_pos.push_back(p);
      const char c = at(p);
      if ((c == ' ' || c == '-') && is_digit(at(p + 1)) && (sep == 0 || sep == c) &&
          r.digits.size() <= max_digits) {
        sep = c;
        ++p;
        continue;
      }
      break;
    }
    return r;
  }

  static bool luhn(std::string_view d) noexcept {
    int sum = 0;
    bool dbl = false;
    for (std::size_t k = d.size(); k-- > 0;) {
      int v = d[k] - '0';
      if (dbl && (v *= 2) > 9) v -= 9;
      sum += v;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }
  void card(std::size_t i) {
    if (t_[i] < '2' || t_[i] > '6') return;
    const digit_run r = read_groups(i, 19);
    // Longest prefix ending at a group boundary that is 13-19 digits and
    // Luhn-valid (a card followed by an expiry date still matches).
    for (std::size_t k = r.boundary_digits.size(); k-- > 0;) {
      const std::size_t nd = r.boundary_digits[k];
      if (nd < 13 || nd > 19) continue;
      if (k + 1 == r.boundary_digits.size() && continues_right(r.boundary_pos[k]))
        continue;
      if (is_digit(at(r.boundary_pos[k]))) continue;
      if (!luhn(r.digit_text().substr(0, nd))) continue;
      add(pii_type::card_number, i, r.boundary_pos[k]);
      return;
    }
  }

  static bool nhs_checksum(std::string_view d) noexcept {
    int sum = 0;
    for (int k = 0; k < 9; ++k)
      sum += (d[static_cast<std::size_t>(k)] - '0') * (10 - k);
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    return check != 10 && check == d[9] - '0';
  }
  void nhs(std::size_t i) {
    if (t_[i] == '0') return; // leading 0 is a phone number
    // Contiguous 10 digits, or 3-3-4 grouped with one separator kind.
    std::string d;
    std::size_t p = i;
    const char sep = (is_digit(at(i + 1)) && is_digit(at(i + 2)) &&
                      (at(i + 3) == ' ' || at(i + 3) == '-'))
                         ? at(i + 3)
                         : 0;
    for (int g : {3, 3, 4}) {
      for (int k = 0; k < g; ++k) {
        if (!is_digit(at(p))) return;
        d.push_back(t_[p++]);
      }
      if (sep && g != 4) {
        if (at(p) != sep) return;
        ++p;
      }
    }
    if (is_digit(at(p)) || continues_right(p)) return;
    if (!nhs_checksum(d)) return;
    add(pii_type::nhs_number, i, p);
  }

  // ---- NI numbers ------------------------------------------------------------
  void ni(std::size_t i) {
    // Cheap gate: two letters then a digit, or a space and a digit.
    if (!is_digit(at(i + 2)) && !(at(i + 2) == ' ' && is_digit(at(i + 3)))) return;
    const char a = upper(at(i)), b = upper(at(i + 1));
    if (!is_alpha(at(i)) || !is_alpha(at(i + 1))) return;
    static constexpr auto kNotFirst = char_set("DFIQUV"),
                          kNotSecond = char_set("DFIOQUV");
    if (in_set(kNotFirst, a) || in_set(kNotSecond, b)) return;
    static constexpr const char *kBad[] = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"};
    for (const char *bad : kBad)
      if (a == bad[0] && b == bad[1]) return;
    std::size_t p = i + 2;
    if (at(p) == ' ') ++p;
    for (int pair = 0; pair < 3; ++pair) {
      if (pair > 0 && at(p) == ' ' && is_digit(at(p + 1))) ++p;
      if (!is_digit(at(p)) || !is_digit(at(p + 1))) return;
      p += 2;
    }
    if (at(p) == ' ') ++p;
    const char s = upper(at(p));
    if (!is_alpha(at(p)) || s < 'A' || s > 'D') return;
    ++p;
    if (is_alnum(at(p))) return;
    add(pii_type::ni_number, i, p);
  }

  // ---- postcodes -------------------------------------------------------------
  // Outward part starting at i with a given letter case; returns its length
  // candidates (2-4) in `out`.
  static bool letter_ok(char c, bool lower) noexcept {
    return lower ? is_lower(c) : is_upper(c);
  }
  [[nodiscard]] bool inward_at(std::size_t p, bool lower) const noexcept {
    if (!is_digit(at(p))) return false;
    for (std::size_t k = 1; k <= 2; ++k) {
      const char c = at(p + k);
      if (!letter_ok(c, lower) || in_set(char_set("CIKMOV"), upper(c))) return false;
    }
    return !is_alnum(at(p + 3));
  }
  [[nodiscard]] bool outward_ok(std::string_view o, bool lower) const noexcept {
    // Shapes: A9 A99 AA9 AA99 A9A AA9A (A letter, 9 digit)
    auto L = [&](std::size_t k) { return letter_ok(o[k], lower); };
    auto D = [&](std::size_t k) { return is_digit(o[k]); };
    if (!L(0) || in_set(char_set("QVX"), upper(o[0]))) return false;
    const std::size_t n = o.size();
    bool shape = false;
    if (n == 2) shape = D(1);
    if (n == 3)
      shape = (D(1) && D(2)) || (L(1) && D(2)) ||
              (D(1) && L(2) && in_set(char_set("ABCDEFGHJKPSTUW"), upper(o[2])));
    if (n == 4)
      shape = (L(1) && D(2) && D(3)) ||
              (L(1) && D(2) && L(3) && in_set(char_set("ABEHMNPRVWXY"), upper(o[3])));
    if (!shape) return false;
    if (n >= 3 && L(1) && in_set(char_set("IJZ"), upper(o[1]))) return false;
    return true;
  }
  void postcode(std::size_t i) {
    // Cheap gate: every outward code has a digit in position 2 or 3.
    if (!is_digit(at(i + 1)) && !is_digit(at(i + 2)) && upper(at(i)) != 'G') return;
    const bool lower = is_lower(t_[i]);
    if ((upper(at(i)) == 'G' && upper(at(i + 1)) == 'I' && upper(at(i + 2)) == 'R' &&
         at(i + 3) == ' ' && at(i + 4) == '0' && upper(at(i + 5)) == 'A' &&
         upper(at(i + 6)) == 'A' && !is_alnum(at(i + 7)))) {
      add(pii_type::postcode, i, i + 7);
      return;
    }
    for (std::size_t n = 4; n >= 2; --n) {
      if (i + n > t_.size() || !outward_ok(t_.substr(i, n), lower)) continue;
      const std::size_t p = i + n;
      if (at(p) == ' ' && inward_at(p + 1, lower)) {
        add(pii_type::postcode, i, p + 4);
        return;
      }
      if (inward_at(p, lower)) {
        add(pii_type::postcode, i, p + 3);
        return;
      }
    }
  }

  // ---- phone numbers -----------------------------------------------------------
  static bool phone_sep(char c) noexcept {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
  }
  // Reads a phone-like run from p: digits and separators (at most two in a
  // row). Records the digit count at each group end. "(0)" after a country
  // code is skipped when `international`.
  [[nodiscard]] digit_run read_phone(std::size_t p, bool international) const {
    digit_run r;
    std::size_t seps = 0;
    const std::size_t limit = std::min(t_.size(), p + 40);
    while (p < limit) {
      const char c = t_[p];
      if (is_digit(c)) {
        r.digits.push_back(c);
        seps = 0;
        ++p;
        if (!is_digit(at(p))) {
          r.boundary_digits.push_back(r.digits.size());
          r.boundary_pos.push_back(p);
        }
        continue;
      }
      if (international && c == '(' && at(p + 1) == '0' && at(p + 2) == ')' &&
          !r.digits.empty()) {
        p += 3;
        seps = 1;
        continue;
      }
      if (!phone_sep(c) || ++seps > 2) break;
      ++p;
    }
    return r;
  }
  [[nodiscard]] bool after_reference_word(std::size_t i) const noexcept {
    std::size_t e = i;
    for (int hops = 0; hops < 3; ++hops) {
      while (e > 0 && (t_[e - 1] == ' ' || t_[e - 1] == ':' || t_[e - 1] == '#' ||
                       t_[e - 1] == '.'))
        --e;
      std::size_t s = e;
      while (s > 0 && is_alpha(t_[s - 1]))
        --s;
      std::string w;
      for (std::size_t k = s; k < e; ++k)
        w.push_back(static_cast<char>(std::tolower(t_[k])));
      if (w == "no" || w == "number" || w == "num" || w == "nr") {
        e = s;
        continue;
      }
      return w == "order" || w == "invoice" || w == "ref" || w == "reference" ||
             w == "booking" || w == "ticket" || w == "tracking" || w == "receipt";
    }
    return false;
  }
  // `uk_skip`: digits before the UK national significant number (0 for
  // "07700...", 2 for "44...", 4 for "0044..."), or npos for non-UK numbers.
  void accept_phone(std::size_t start, const digit_run &r, std::size_t min_d,
                    std::size_t max_d, std::size_t skip_digits,
                    std::size_t uk_skip = std::string_view::npos) {
    for (std::size_t k = r.boundary_digits.size(); k-- > 0;) {
      const std::size_t nd = r.boundary_digits[k] - skip_digits;
      if (nd < min_d || nd > max_d) continue;
      if (uk_skip != std::string_view::npos) {
        std::string_view nsn = r.digit_text().substr(0, r.boundary_digits[k]);
        nsn.remove_prefix(std::min(uk_skip, nsn.size()));
        if (!nsn.empty() && nsn[0] == '0') nsn.remove_prefix(1); // "+44 07700 ..."
        if (!detail::uk_nsn_length_ok(nsn)) continue;
      }
      const std::size_t end = r.boundary_pos[k];
      if (continues_right(end)) continue;
      // "(01632 960123)": the bracket wraps the whole number, not an area
      // code; the candidate starting at the digit covers it.
      if (t_[start] == '(' &&
          t_.substr(start, end - start).find(')') == std::string_view::npos)
        continue;
      add(pii_type::phone, start, end);
      return;
    }
  }
  void phone_national(std::size_t start, std::size_t zero) {
    if (t_[zero] != '0') return;
    const char second = at(zero + 1);
    if (second == '0') {
      // 00 international prefix: 00 + country code (not 0) + number.
      if (!is_digit(at(zero + 2)) || at(zero + 2) == '0' || after_reference_word(start))
        return;
      const digit_run r = read_phone(zero, true);
      const bool uk = r.digit_text().substr(0, 4) == "0044";
      accept_phone(start, r, uk ? 11 : 7, uk ? 13 : 15, 2,
                   uk ? 4 : std::string_view::npos);
      return;
    }
    if (!in_set(char_set("1235789"), second)) return;
    if (after_reference_word(start)) return;
    const digit_run r = read_phone(start, false);
    accept_phone(start, r, 10, 11, 0, 0);
  }
  // "447700900123", "44 7700 900123", "44 (0)7700 900123": a UK mobile
  // written without + or 00 (exactly 44 + 10 digits starting 7). Only mobiles:
  // other 12-digit runs starting 44 are too common to claim.
  [[gnu::noinline]] void phone_uk_bare(std::size_t i) {
    std::size_t p = i + 2;
    if (at(p) == ' ' || at(p) == '-') ++p;
    if (at(p) == '(' && at(p + 1) == '0' && at(p + 2) == ')') p += 3;
    if (at(p) == ' ') ++p;
    if (at(p) != '7') return;
    // "12 44 7700 ...": one more group of a longer list of numbers.
    if (i >= 2 && t_[i - 1] == ' ' && is_digit(t_[i - 2])) return;
    if (after_reference_word(i)) return;
    const digit_run r = read_phone(i, true);
    if (r.digits.size() < 12 || r.digits[2] != '7') return;
    accept_phone(i, r, 12, 12, 0, 2);
  }
  void phone_international(std::size_t i) {
    if (i > 0 && (is_alnum(t_[i - 1]) || t_[i - 1] == '+')) return;
    if (!is_digit(at(i + 1)) || at(i + 1) == '0') return;
    const digit_run r = read_phone(i + 1, true);
    const bool uk = r.digit_text().substr(0, 2) == "44";
    accept_phone(i, r, uk ? 11 : 7, uk ? 13 : 15, 0, uk ? 2 : std::string_view::npos);
  }

  // ---- service numbers ---------------------------------------------------------
  // A bare 6-8 digit number is an order, account or PIN as often as a service
  // number, so digits need a cue within the 3 words before the number (words
  // separated by spaces or : # . , ( ) -; a newline, another number or other
  // punctuation ends the look-back): "S/N", a rank, Army/RAF/Navy/Marines, or
  // "service / personal / official / regimental" + "no/number" (details in
  // service_cue_before); or a rank right after it ("25012345 Cpl J Bloggs",
  // the Army's own order). A nearer non-service word such as "order" or
  // "account" vetoes ("Sgt Smith, account 12345678").
  enum class word_class {
    other,
    number_word,
    service_word,
    force,
    cue,
    rank,
    veto,
    stop
  };
  [[nodiscard]] static word_class classify(std::string_view raw) noexcept {
    if (raw.empty() || raw.size() > 12)
      return raw.empty() ? word_class::stop : word_class::other;
    char w[13];
    bool digits_only = true, all_upper = true;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      w[k] = is_upper(raw[k]) ? static_cast<char>(raw[k] + 32) : raw[k];
      digits_only = digits_only && is_digit(raw[k]);
      all_upper = all_upper && !is_lower(raw[k]);
    }
    if (digits_only) return word_class::stop;
    const std::string_view lw(w, raw.size());
    // string_view elements: lengths are known at compile time, so most
    // comparisons stop at the size (const char * would strlen each one).
    auto any = [&](std::initializer_list<std::string_view> l) {
      for (std::string_view x : l)
        if (lw == x) return true;
      return false;
    };
    if (any({"no", "number", "num", "nr"})) return word_class::number_word;
    if (any({"service", "svc", "serv", "personal", "official", "regimental"}))
      return word_class::service_word;
    if (lw == "s/n") return word_class::cue;
    if (any({"army", "raf", "navy", "marines"})) return word_class::force;
    // Two-letter forms only in capitals ("AB", "PO"; "Lt"), longer ranks
    // capitalised ("Pte", "SGT", "Private"): "private number", "major
    // 12345678" in prose are not ranks.
    if (raw.size() == 2) {
      if (all_upper && any({"rn", "rm", "ab", "ls", "po", "lh", "ac", "fs", "wo"}))
        return word_class::rank;
      if (raw[0] == 'L' && lw == "lt") return word_class::rank;
    } else if (is_upper(raw[0]) &&
               any({"pte",      "private",   "lcpl",        "l/cpl",     "cpl",
                    "corporal", "sgt",       "sergeant",    "ssgt",      "csgt",
                    "wo1",      "wo2",       "2lt",         "capt",      "captain",
                    "maj",      "major",     "col",         "ltcol",     "brig",
                    "gnr",      "gunner",    "spr",         "sapper",    "sig",
                    "sigmn",    "signaller", "tpr",         "trooper",   "rfn",
                    "rifleman", "gdsm",      "guardsman",   "fus",       "fusilier",
                    "kgn",      "kingsman",  "bdr",         "lbdr",      "bombardier",
                    "cfn",      "craftsman", "dmr",         "drummer",   "pnr",
                    "mne",      "marine",    "lac",         "sac",       "sact",
                    "cpo",      "airman",    "aircraftman", "seaman",    "lieutenant",
                    "flt",      "sqn",       "cdr",         "commander", "rating"}))
      return word_class::rank;
    if (any({"order",    "invoice",     "ref",      "reference",  "booking", "ticket",
             "tracking", "receipt",     "account",  "acc",        "acct",    "a/c",
             "policy",   "customer",    "member",   "membership", "phone",   "mobile",
             "tel",      "fax",         "pin",      "serial",     "model",   "part",
             "product",  "item",        "sku",      "code",       "page",    "room",
             "box",      "case",        "claim",    "id",         "reg",     "vat",
             "payroll",  "staff",       "employee", "patient",    "card",    "sort",
             "cheque",   "transaction", "voucher",  "flight",     "batch",   "lot"}))
      return word_class::veto;
    return word_class::other;
  }
  static bool cue_sep(char c) noexcept {
    return c == ' ' || c == ':' || c == '#' || c == '.' || c == ',' || c == '(' ||
           c == ')' || c == '-' || c == '\t';
  }
  // What the 3 words before i say, nearest first: a cue, a veto, or nothing.
  // A service word needs "no"/"number"/'#' after it ("service no. 25012345");
  // Army/RAF/Navy/Marines too, unless right before the number ("RAF 1234567",
  // not "the Army paid 12345678"); a rank only with names or "no"/"number"
  // between ("Sgt J Smith 25012345", not "Cpl Smith paid 12345678").
  enum class cue_result { none, cue, veto };
  [[nodiscard]] cue_result service_cue_before(std::size_t i) const noexcept {
    std::size_t e = i;
    bool after_number_word = false; // the word nearer the number was "no"/"#"
    bool only_names = true;         // every nearer word capitalised or "no"
    for (int words = 0; words < 3; ++words) {
      std::size_t s = e;
      while (s > 0 && cue_sep(t_[s - 1])) {
        --s;
        if (t_[s] == '#') after_number_word = true;
      }
      e = s;
      while (s > 0 && e - s <= 12 && (is_alnum(t_[s - 1]) || t_[s - 1] == '/'))
        --s;
      const word_class c = classify(t_.substr(s, e - s));
      switch (c) {
      case word_class::stop:
        return cue_result::none;
      case word_class::veto:
        return cue_result::veto;
      case word_class::cue:
        return cue_result::cue;
      case word_class::rank:
        if (only_names) return cue_result::cue;
        break;
      case word_class::force:
        if (words == 0 || after_number_word) return cue_result::cue;
        break;
      case word_class::service_word:
        if (after_number_word) return cue_result::cue;
        break;
      default:
        break;
      }
      after_number_word = c == word_class::number_word;
      only_names = only_names && (after_number_word || is_upper(t_[s]));
      e = s;
    }
    return cue_result::none;
  }
  [[nodiscard]] bool rank_after(std::size_t p) const noexcept {
    if (at(p) == ',') ++p;
    if (at(p) != ' ') return false;
    while (at(p) == ' ')
      ++p;
    if (!is_upper(at(p))) return false; // ranks are capitalised
    std::size_t e = p;
    while (e < t_.size() && e - p <= 12 && (is_alnum(t_[e]) || t_[e] == '/'))
      ++e;
    return classify(t_.substr(p, e - p)) == word_class::rank;
  }
  [[nodiscard]] bool after_currency(std::size_t i) const noexcept {
    if (i >= 1 && (t_[i - 1] == '$')) return true;
    if (i >= 2 && t_.substr(i - 2, 2) == "\xC2\xA3") return true;     // £
    if (i >= 3 && t_.substr(i - 3, 3) == "\xE2\x82\xAC") return true; // €
    return false;
  }
  [[gnu::noinline]] void service_digits(std::size_t i) {
    std::size_t p = i;
    while (p < i + 9 && is_digit(at(p)))
      ++p;
    if (p - i < 6 || p - i > 8 || continues_right(p) || after_currency(i)) return;
    const cue_result before = service_cue_before(i);
    if (before == cue_result::veto || (before == cue_result::none && !rank_after(p)))
      return;
    add(pii_type::service_number, i, p);
  }
  // Royal Navy / Royal Marines: capital letter + 6 digits + capital letter
  // (D123456K, P054321B). Distinctive enough to stand alone, except right
  // after a word like "part", "code" or "order" ("part no. D123456K").
  [[gnu::noinline]] void service_navy(std::size_t i) {
    for (std::size_t k = 1; k <= 6; ++k)
      if (!is_digit(at(i + k))) return;
    if (!is_upper(at(i + 7)) || continues_right(i + 8) || at(i + 8) == '-') return;
    if (i > 0 && (t_[i - 1] == '-' || t_[i - 1] == '/' || t_[i - 1] == '_')) return;
    if (service_cue_before(i) == cue_result::veto) return;
    add(pii_type::service_number, i, i + 8);
  }

  std::string_view t_;
  std::vector<candidate> found_;
};

std::vector<pii_span> resolve(std::vector<candidate> c) {
  std::stable_sort(c.begin(), c.end(), [](const candidate &a, const candidate &b) {
    const int pa = priority(a.type), pb = priority(b.type);
    if (pa != pb) return pa < pb;
    return (a.end - a.start) > (b.end - b.start);
  });
  // Accepted spans keyed by start; they never overlap, so only the neighbours
  // of a candidate can overlap it (O(log n) per candidate).
  std::map<std::size_t, pii_span> kept;
  for (const auto &x : c) {
    auto next = kept.lower_bound(x.start);
    if (next != kept.end() && next->second.start < x.end) continue;
    if (next != kept.begin() && std::prev(next)->second.end > x.start) continue;
    kept.emplace(x.start, pii_span{x.type, x.start, x.end});
  }
  std::vector<pii_span> out;
  out.reserve(kept.size());
  for (const auto &k : kept)
    out.push_back(k.second);
  return out;
}

const char *mask_label(pii_type t) noexcept {
  switch (t) {
  case pii_type::phone:
    return "PHONE";
  case pii_type::email:
    return "EMAIL";
  case pii_type::ni_number:
    return "NI";
  case pii_type::nhs_number:
    return "NHS";
  case pii_type::postcode:
    return "POSTCODE";
  case pii_type::card_number:
    return "CARD";
  case pii_type::ip_address:
    return "IP";
  case pii_type::service_number:
    return "SERVICE";
  }
  return "PII";
}

// The form of a value that should map to one pseudonym.
std::string pseudonym_input(pii_type t, std::string_view v) {
  std::string out;
  if (t == pii_type::phone) {
    if (auto e164 = normalise_phone(v)) return *e164;
    // "447700 900123": the UK mobile without its '+'.
    if (v[0] == '4')
      if (auto e164 = normalise_phone("+" + std::string(v))) return *e164;
  }
  for (char c : v) {
    if (t == pii_type::email || t == pii_type::ip_address) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (is_alnum(c)) {
      out.push_back(upper(c)); // drop spaces/hyphens: one number, one pseudonym
    }
  }
  return out;
}

result<redaction> mask_spans(std::string_view text, const keyring *ring) {
  auto spans = find_pii(text);
  if (!spans) return spans.error();
  const detail::key_entry *k = nullptr;
  if (ring) {
    k = keyring_internals::of(*ring).active_entry();
    if (!k) return error_info{errc::key_missing, "no key: the key ring is empty"};
  }
  redaction r;
  r.found = std::move(*spans);
  r.text.reserve(text.size());
  std::size_t pos = 0;
  for (const auto &s : r.found) {
    r.text.append(text.substr(pos, s.start - pos));
    r.text += '[';
    r.text += mask_label(s.type);
    if (k) {
      std::string in = to_string(s.type);
      in.push_back('\0');
      in += pseudonym_input(s.type, text.substr(s.start, s.end - s.start));
      unsigned char h[4];
      crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char *>(in.data()),
                         in.size(), k->pseudonym_key(), detail::kSubkeyBytes);
      sodium_memzero(in.data(), in.size());
      r.text += '-';
      r.text += util::hex_encode(h, sizeof h);
    }
    r.text += ']';
    pos = s.end;
  }
  r.text.append(text.substr(pos));
  return r;
}

} // namespace

const char *to_string(pii_type type) noexcept {
  switch (type) {
  case pii_type::phone:
    return "phone";
  case pii_type::email:
    return "email";
  case pii_type::ni_number:
    return "ni_number";
  case pii_type::nhs_number:
    return "nhs_number";
  case pii_type::postcode:
    return "postcode";
  case pii_type::card_number:
    return "card_number";
  case pii_type::ip_address:
    return "ip_address";
  case pii_type::service_number:
    return "service_number";
  }
  return "unknown";
}

result<std::vector<pii_span>> find_pii(std::string_view text) {
  if (text.size() > max_redact_bytes)
    return error_info{errc::limit_exceeded, "text exceeds 64 MiB"};
  if (!util::valid_utf8(text))
    return error_info{errc::invalid_utf8, "text is not valid UTF-8"};
  return resolve(scanner(text).run());
}

result<redaction> redact(std::string_view text) { return mask_spans(text, nullptr); }

result<redaction> redact_pseudonymise(std::string_view text, const keyring &ring) {
  return mask_spans(text, &ring);
}

std::string to_json(const redaction &r) {
  boost::json::array found;
  found.reserve(r.found.size());
  for (const auto &s : r.found)
    found.push_back(boost::json::object{{"type", to_string(s.type)},
                                        {"start", static_cast<std::uint64_t>(s.start)},
                                        {"end", static_cast<std::uint64_t>(s.end)}});
  boost::json::object o{{"text", r.text}, {"found", std::move(found)}};
  return util::write_json(o);
}

} // namespace pii
VETERAN_NAMESPACE_END
