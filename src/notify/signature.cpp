// HMAC-SHA256 webhook signatures. See include/veteran/notify/signature.hpp.
#include "veteran/notify/signature.hpp"

#include <sodium.h>

#include "util/encoding.hpp"
#include "veteran/init.hpp"

VETERAN_NAMESPACE_BEGIN
namespace notify {

namespace {

constexpr std::size_t kMacBytes = crypto_auth_hmacsha256_BYTES;

result<void> check_secret(std::string_view secret, const char *name) {
  if (secret.empty())
    return error_info{errc::invalid_argument, std::string(name) + ": empty"};
  if (secret.size() > max_secret_bytes)
    return error_info{errc::invalid_argument, std::string(name) + ": longer than " +
                                                  std::to_string(max_secret_bytes) +
                                                  " bytes"};
  return {};
}

void mac(std::string_view secret, std::int64_t t, std::string_view body,
         unsigned char out[kMacBytes]) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char *>(secret.data()),
                              secret.size());
  const std::string prefix = std::to_string(t) + ".";
  crypto_auth_hmacsha256_update(
      &st, reinterpret_cast<const unsigned char *>(prefix.data()), prefix.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char *>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&st, out);
  sodium_memzero(&st, sizeof st);
}

error_info malformed(const std::string &what) {
  return error_info{errc::signature_malformed, "Veteran-Signature: " + what};
}

} // namespace

result<std::string> sign(std::string_view secret, std::int64_t t, std::string_view body) {
  if (auto r = check_secret(secret, "secret"); !r) return r.error();
  if (t < 0) return error_info{errc::invalid_argument, "timestamp: negative"};
  if (auto r = global_init(); !r) return r.error();
  unsigned char m[kMacBytes];
  mac(secret, t, body, m);
  return "t=" + std::to_string(t) + ",v1=" + util::hex_encode(m, kMacBytes);
}

result<signature_header> parse_signature(std::string_view h) {
  if (h.size() > 128) return malformed("longer than 128 characters");
  if (h.substr(0, 2) != "t=") return malformed("must start with \"t=\"");
  const auto comma = h.find(',');
  if (comma == std::string_view::npos) return malformed("missing \",v1=\"");
  const auto digits = h.substr(2, comma - 2);
  if (digits.empty() || digits.size() > 12)
    return malformed("t must be 1 to 12 decimal digits");
  for (char c : digits)
    if (c < '0' || c > '9') return malformed("t must be decimal digits only");
  if (digits.size() > 1 && digits[0] == '0') return malformed("t has a leading zero");
  const auto rest = h.substr(comma + 1);
  if (rest.substr(0, 3) != "v1=") return malformed("expected \"v1=\" after the comma");
  const auto hex = rest.substr(3);
  if (hex.size() != 2 * kMacBytes)
    return malformed("v1 must be exactly " + std::to_string(2 * kMacBytes) +
                     " hex digits");
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return malformed("v1 must be lower-case hex digits only");
  signature_header out;
  out.timestamp = 0;
  for (char c : digits)
    out.timestamp = out.timestamp * 10 + (c - '0');
  out.v1_hex = std::string(hex);
  return out;
}

result<void> verify(std::string_view header, std::string_view body,
                    std::string_view secret, std::string_view previous, std::int64_t now,
                    std::int64_t tolerance) {
  if (auto r = check_secret(secret, "secret"); !r) return r;
  if (!previous.empty())
    if (auto r = check_secret(previous, "previous secret"); !r) return r;
  if (tolerance < 0) return error_info{errc::invalid_argument, "tolerance: negative"};
  auto h = parse_signature(header);
  if (!h) return h.error();
  const std::int64_t skew = now > h->timestamp ? now - h->timestamp : h->timestamp - now;
  if (skew > tolerance)
    return error_info{errc::signature_expired,
                      "Veteran-Signature: timestamp is " + std::to_string(skew) +
                          " s from now (window " + std::to_string(tolerance) + " s)"};
  if (auto r = global_init(); !r) return r;
  unsigned char given[kMacBytes];
  if (!util::hex_decode(h->v1_hex, given)) return malformed("v1 is not hex");
  bool ok = false;
  for (auto s : {secret, previous}) {
    if (s.empty()) continue;
    unsigned char want[kMacBytes];
    mac(s, h->timestamp, body, want);
    // Both secrets are always computed and compared: timing does not reveal
    // which one matched.
    ok = (sodium_memcmp(want, given, kMacBytes) == 0) | ok;
    sodium_memzero(want, sizeof want);
  }
  if (!ok)
    return error_info{errc::signature_mismatch,
                      "Veteran-Signature: does not match the body (wrong secret or "
                      "tampered body)"};
  return {};
}

} // namespace notify
VETERAN_NAMESPACE_END
