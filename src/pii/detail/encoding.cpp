#include "pii/detail/encoding.hpp"

#include <array>

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

namespace {
constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<std::int8_t, 256> make_decode_table() {
  std::array<std::int8_t, 256> t{};
  for (auto &v : t)
    v = -1;
  for (int i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr auto kDecode = make_decode_table();

int sextet(char c) noexcept { return kDecode[static_cast<unsigned char>(c)]; }
} // namespace

void b64url_encode(const unsigned char *in, std::size_t n, char *out) noexcept {
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
    *out++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
  } else if (n - i == 2) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
  }
}

bool b64url_valid(std::string_view text) noexcept {
  const std::size_t rem = text.size() % 4;
  if (rem == 1) return false;
  for (char c : text)
    if (sextet(c) < 0) return false;
  // The last character of a partial group must not carry stray low bits, so
  // that every byte string has exactly one accepted encoding.
  if (rem == 2) return (sextet(text.back()) & 0x0F) == 0;
  if (rem == 3) return (sextet(text.back()) & 0x03) == 0;
  return true;
}

bool b64url_decode(std::string_view text, unsigned char *out) noexcept {
  if (!b64url_valid(text)) return false;
  const std::size_t full = text.size() / 4 * 4;
  const char *p = text.data();
  for (std::size_t i = 0; i < full; i += 4) {
    const std::uint32_t v =
        (std::uint32_t(sextet(p[i])) << 18) | (std::uint32_t(sextet(p[i + 1])) << 12) |
        (std::uint32_t(sextet(p[i + 2])) << 6) | std::uint32_t(sextet(p[i + 3]));
    *out++ = static_cast<unsigned char>(v >> 16);
    *out++ = static_cast<unsigned char>(v >> 8);
    *out++ = static_cast<unsigned char>(v);
  }
  const std::size_t rem = text.size() - full;
  if (rem >= 2) {
    std::uint32_t v = (std::uint32_t(sextet(p[full])) << 18) |
                      (std::uint32_t(sextet(p[full + 1])) << 12);
    if (rem == 3) v |= std::uint32_t(sextet(p[full + 2])) << 6;
    *out++ = static_cast<unsigned char>(v >> 16);
    if (rem == 3) *out++ = static_cast<unsigned char>(v >> 8);
  }
  return true;
}

std::string to_hex(const unsigned char *in, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[in[i] >> 4];
    out[2 * i + 1] = kHex[in[i] & 15];
  }
  return out;
}

bool valid_utf8(std::string_view text) noexcept {
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

void append_length_prefixed(std::string &out, std::string_view part) {
  const auto n = static_cast<std::uint32_t>(part.size());
  const char len[4] = {static_cast<char>(n & 0xFF), static_cast<char>((n >> 8) & 0xFF),
                       static_cast<char>((n >> 16) & 0xFF),
                       static_cast<char>((n >> 24) & 0xFF)};
  out.append(len, 4);
  out.append(part);
}

} // namespace pii::detail
VETERAN_NAMESPACE_END
