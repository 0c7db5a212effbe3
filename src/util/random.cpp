// Random bytes and ids: see util/random.hpp.
#include "util/random.hpp"

#include <sodium.h>

#include "util/encoding.hpp"
#include "veteran/init.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

namespace {
// Draws `bytes` random bytes into a stack buffer and encodes them; the
// buffer is wiped (an id may be a capability, e.g. a room link).
template <typename Encode>
result<std::string> random_text(std::size_t bytes, Encode encode) {
  if (bytes == 0 || bytes > max_random_id_bytes)
    return error_info{errc::invalid_argument, "random id size must be 1-" +
                                                  std::to_string(max_random_id_bytes) +
                                                  " bytes"};
  unsigned char buf[max_random_id_bytes];
  if (auto r = random_bytes(buf, bytes); !r) return r.error();
  std::string out = encode(buf, bytes);
  sodium_memzero(buf, sizeof buf);
  return out;
}
} // namespace

result<void> random_bytes(unsigned char *out, std::size_t n) {
  if (auto r = veteran::global_init(); !r) return r;
  if (n != 0) randombytes_buf(out, n); // its buffer must not be null
  return {};
}

result<std::string> random_id(std::size_t bytes) {
  return random_text(
      bytes, [](const unsigned char *b, std::size_t n) { return b64url_encode(b, n); });
}

result<std::string> random_hex(std::size_t bytes) {
  return random_text(
      bytes, [](const unsigned char *b, std::size_t n) { return hex_encode(b, n); });
}

} // namespace util
VETERAN_NAMESPACE_END
