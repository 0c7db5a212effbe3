// The shared byte codecs: hex, base64url (unpadded) and standard base64.
#include <doctest/doctest.h>

#include <sodium.h>

#include <cstring>
#include <string>
#include <vector>

#include "util/encoding.hpp"

namespace util = veteran::util;

namespace {
const unsigned char *bytes(const std::string &s) {
  return reinterpret_cast<const unsigned char *>(s.data());
}
std::string sample(std::size_t n) {
  std::string in(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    in[i] = static_cast<char>(i * 37 + 11);
  return in;
}
// libsodium's own encoder: an independent reference for the table codec.
std::string sodium_b64(const std::string &in, int variant) {
  std::string ref(sodium_base64_ENCODED_LEN(in.size(), variant), '\0');
  sodium_bin2base64(ref.data(), ref.size(), bytes(in), in.size(), variant);
  ref.resize(std::strlen(ref.c_str()));
  return ref;
}
} // namespace

TEST_CASE("hex round-trips every byte and refuses what is not hex") {
  std::string all(256, '\0');
  for (int i = 0; i < 256; ++i)
    all[static_cast<std::size_t>(i)] = static_cast<char>(i);
  const std::string hex = util::hex_encode(bytes(all), all.size());
  CHECK(hex.size() == 512);
  CHECK(hex.substr(0, 8) == "00010203");
  CHECK(hex.substr(508) == "feff"); // lower case
  std::string back(256, '\0');
  CHECK(util::hex_decode(hex, reinterpret_cast<unsigned char *>(back.data())));
  CHECK(back == all);
  CHECK(util::hex_encode(nullptr, 0).empty());
  CHECK(util::hex_decode("", nullptr));

  unsigned char out[4] = {};
  CHECK(util::hex_decode("DEADbeef", out)); // either case decodes
  CHECK((out[0] == 0xDE && out[1] == 0xAD && out[2] == 0xBE && out[3] == 0xEF));
  for (const char *bad :
       {"abc", "0g", "zz", "ab cd", " abc", "abc ", "0x12", "ab\n", "\xC3\xA9"}) {
    CAPTURE(bad);
    unsigned char buf[8];
    CHECK_FALSE(util::hex_decode(bad, buf));
  }
  // An embedded NUL is not a terminator.
  unsigned char buf[2];
  CHECK_FALSE(util::hex_decode(std::string_view("ab\0d", 4), buf));
}

TEST_CASE("base64url is strict and canonical and matches libsodium") {
  CHECK(util::b64url_valid(""));
  CHECK(util::b64url_valid("AA"));
  CHECK_FALSE(util::b64url_valid("AB")); // stray bits
  CHECK_FALSE(util::b64url_valid("A"));
  CHECK_FALSE(util::b64url_valid("AA=="));
  CHECK_FALSE(util::b64url_valid("A+/A"));
  for (std::size_t n = 0; n < 40; ++n) {
    CAPTURE(n);
    const std::string in = sample(n);
    const std::string enc = util::b64url_encode(bytes(in), n);
    CHECK(enc.size() == util::b64url_encoded_length(n));
    CHECK(enc == sodium_b64(in, sodium_base64_VARIANT_URLSAFE_NO_PADDING));
    CHECK(util::b64url_valid(enc));
    std::string dec(util::b64url_decoded_length(enc.size()), '\0');
    CHECK(util::b64url_decode(enc, reinterpret_cast<unsigned char *>(dec.data())));
    CHECK(dec == in);
  }
  CHECK(util::b64url_decoded_length(5) == static_cast<std::size_t>(-1));
  unsigned char buf[8];
  for (const char *bad :
       {"AB", "AAB", "A", "AA==", "A+/A", "AA AA", "AAA=", "AA.A", "\xC3\xA9\xC3\xA9"}) {
    CAPTURE(bad);
    CHECK_FALSE(util::b64url_valid(bad));
    if (std::strlen(bad) % 4 != 1) CHECK_FALSE(util::b64url_decode(bad, buf));
  }
}

TEST_CASE("standard base64 round-trips and refuses bad text, padding and overflow") {
  for (std::size_t n = 0; n < 40; ++n) {
    CAPTURE(n);
    const std::string in = sample(n);
    const std::string enc = util::base64_encode(bytes(in), n);
    CHECK(enc == sodium_b64(in, sodium_base64_VARIANT_ORIGINAL));
    std::vector<unsigned char> out(n + 1);
    std::size_t len = 99;
    CHECK(util::base64_decode(enc, out.data(), out.size(), len,
                              util::base64_padding::required));
    CHECK(len == n);
    CHECK(std::string(out.begin(), out.begin() + static_cast<long>(len)) == in);
  }
  unsigned char out[64];
  std::size_t len = 0;
  using util::base64_padding;
  // "AAE=" is the two bytes {0, 1}; without its '=' it needs optional padding.
  CHECK(util::base64_decode("AAE=", out, sizeof out, len, base64_padding::required));
  CHECK(len == 2);
  CHECK_FALSE(util::base64_decode("AAE", out, sizeof out, len, base64_padding::required));
  CHECK(util::base64_decode("AAE", out, sizeof out, len, base64_padding::optional));
  CHECK(len == 2);
  CHECK(util::base64_decode("AAE=", out, sizeof out, len, base64_padding::optional));
  for (const char *bad :
       {"AAE==", "AA=E", "AAE-", "AA_E", "AAE =", " AAE=", "A", "AAE\n", "!!!!"}) {
    CAPTURE(bad);
    CHECK_FALSE(util::base64_decode(bad, out, sizeof out, len, base64_padding::required));
    CHECK_FALSE(util::base64_decode(bad, out, sizeof out, len, base64_padding::optional));
  }
  len = 99;
  CHECK(util::base64_decode("", nullptr, 0, len, base64_padding::required));
  CHECK(len == 0);
  // Output that does not fit is an error, not a truncation.
  const std::string big = util::base64_encode(out, 48);
  CHECK_FALSE(util::base64_decode(big, out, 47, len, base64_padding::required));
  CHECK(util::base64_decode(big, out, 48, len, base64_padding::required));
}

TEST_CASE("is_id_token accepts 1..max characters of the base64url alphabet only") {
  CHECK(util::is_id_token("k1", 32));
  CHECK(util::is_id_token("AZaz09_-", 8));
  CHECK_FALSE(util::is_id_token("AZaz09_-", 7));
  CHECK(util::is_id_token(std::string(32, 'a'), 32));
  CHECK_FALSE(util::is_id_token(std::string(33, 'a'), 32));
  for (const char *bad : {"", "a b", "a.b", "a/b", "a+b", "a=", "caf\xC3\xA9", "a\"b"}) {
    CAPTURE(bad);
    CHECK_FALSE(util::is_id_token(bad, 32));
  }
  CHECK_FALSE(util::is_id_token(std::string_view("a\0b", 3), 32));
}
