// Shared codecs: see util/encoding.hpp.
#include "util/encoding.hpp"

#include <sodium.h>

#include <cstdint>
#include <cstring>

VETERAN_NAMESPACE_BEGIN
namespace util {

std::string hex_encode(const unsigned char *in, std::size_t n) {
  std::string out(n * 2 + 1, '\0'); // sodium_bin2hex writes a terminator
  sodium_bin2hex(out.data(), out.size(), in, n);
  out.pop_back();
  return out;
}

bool hex_decode(std::string_view text, unsigned char *out) noexcept {
  if (text.size() % 2 != 0) return false;
  if (text.empty()) return true; // libsodium's arguments must not be null
  std::size_t len = 0;
  const char *end = nullptr;
  return sodium_hex2bin(out, text.size() / 2, text.data(), text.size(), nullptr, &len,
                        &end) == 0 &&
         end == text.data() + text.size() && len == text.size() / 2;
}

namespace {
constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Table-driven codec (public data only, see the header): encoding emits two
// characters per 12-bit lookup; decoding ORs four pre-shifted lookups, with
// bit 24 flagging a character outside the alphabet, so validation costs no
// extra pass or branch.
constexpr std::uint32_t kBad = 1u << 24;

struct tables {
  char enc2[4096][2];
  std::uint32_t dec[4][256];
};

constexpr tables make_tables() {
  tables t{};
  for (int i = 0; i < 4096; ++i) {
    t.enc2[i][0] = kAlphabet[i >> 6];
    t.enc2[i][1] = kAlphabet[i & 63];
  }
  for (int k = 0; k < 4; ++k)
    for (int c = 0; c < 256; ++c)
      t.dec[k][c] = kBad;
  for (int i = 0; i < 64; ++i)
    for (int k = 0; k < 4; ++k)
      t.dec[k][static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint32_t>(i)
                                                           << (18 - 6 * k);
  return t;
}
constexpr tables kTables = make_tables();

std::uint32_t dec(int k, char c) noexcept {
  return kTables.dec[k][static_cast<unsigned char>(c)];
}
int sextet(char c) noexcept {
  const std::uint32_t v = dec(3, c);
  return (v & kBad) ? -1 : static_cast<int>(v);
}

// The last character of a partial group must not carry stray low bits, so
// that every byte string has exactly one accepted encoding.
bool canonical_tail(std::string_view text) noexcept {
  const std::size_t rem = text.size() % 4;
  if (rem == 2) return (sextet(text.back()) & 0x0F) == 0;
  if (rem == 3) return (sextet(text.back()) & 0x03) == 0;
  return rem != 1;
}
} // namespace

void b64url_encode(const unsigned char *in, std::size_t n, char *out) noexcept {
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    std::memcpy(out, kTables.enc2[v >> 12], 2);
    std::memcpy(out + 2, kTables.enc2[v & 0xFFF], 2);
    out += 4;
  }
  if (n - i == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    std::memcpy(out, kTables.enc2[v >> 12], 2);
  } else if (n - i == 2) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    std::memcpy(out, kTables.enc2[v >> 12], 2);
    out[2] = kAlphabet[(v >> 6) & 63];
  }
}

bool b64url_valid(std::string_view text) noexcept {
  std::uint32_t bad = 0;
  for (char c : text)
    bad |= dec(0, c);
  return !(bad & kBad) && canonical_tail(text);
}

bool b64url_decode(std::string_view text, unsigned char *out) noexcept {
  if (!canonical_tail(text)) return false;
  const std::size_t full = text.size() / 4 * 4;
  const char *p = text.data();
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < full; i += 4) {
    const std::uint32_t v =
        dec(0, p[i]) | dec(1, p[i + 1]) | dec(2, p[i + 2]) | dec(3, p[i + 3]);
    bad |= v;
    out[0] = static_cast<unsigned char>(v >> 16);
    out[1] = static_cast<unsigned char>(v >> 8);
    out[2] = static_cast<unsigned char>(v);
    out += 3;
  }
  const std::size_t rem = text.size() - full;
  if (rem >= 2) {
    const std::uint32_t v =
        dec(0, p[full]) | dec(1, p[full + 1]) | (rem == 3 ? dec(2, p[full + 2]) : 0);
    bad |= v;
    *out++ = static_cast<unsigned char>(v >> 16);
    if (rem == 3) *out++ = static_cast<unsigned char>(v >> 8);
  }
  return !(bad & kBad);
}

bool is_id_token(std::string_view text, std::size_t max_size) noexcept {
  if (text.empty() || text.size() > max_size) return false;
  for (char c : text)
    if (dec(0, c) & kBad) return false;
  return true;
}

std::string b64url_encode(const unsigned char *in, std::size_t n) {
  std::string out(b64url_encoded_length(n), '\0');
  b64url_encode(in, n, out.data());
  return out;
}

std::string base64_encode(const unsigned char *in, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), in, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool base64_decode(std::string_view text, unsigned char *out, std::size_t capacity,
                   std::size_t &length, base64_padding padding) noexcept {
  length = 0;
  if (text.empty()) return true; // libsodium's arguments must not be null
  const int variant =
      padding == base64_padding::required || (!text.empty() && text.back() == '=')
          ? sodium_base64_VARIANT_ORIGINAL
          : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  const char *end = nullptr;
  return sodium_base642bin(out, capacity, text.data(), text.size(), nullptr, &length,
                           &end, variant) == 0 &&
         end == text.data() + text.size();
}

} // namespace util
VETERAN_NAMESPACE_END
