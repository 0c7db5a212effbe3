// libFuzzer target for the envelope decoder: arbitrary text must never crash,
// never decrypt without authentication, and the strict syntax check must agree
// with the decoder. Build: see docs/building.md (VETERAN_BUILD_FUZZERS=ON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "veteran/pii/codec.hpp"
#include "veteran/pii/keyring.hpp"

namespace pii = veteran::pii;

namespace {
const pii::keyring &ring() {
  static const pii::keyring r = [] {
    pii::keyring k;
    const std::string key(32, '\x42');
    k.add_key("k1", key, true).value();
    return k;
  }();
  return r;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const pii::field_context ctx{"users", "phone", "42"};
  const bool syntactic = pii::is_envelope(text);
  if (syntactic != pii::envelope_key_id(text).ok()) std::abort();
  auto r = pii::decrypt(ring(), ctx, text);
  if (r.ok()) {
    // Only a genuine envelope can decrypt; a random one cannot forge the tag
    // (reaching here from mutation means the input contains a real envelope).
    if (!syntactic) std::abort();
    auto again = pii::encrypt(ring(), ctx, r->kind, r->data);
    if (!again.ok() || pii::decrypt(ring(), ctx, *again).value().data != r->data)
      std::abort();
  } else if (!syntactic && r.code() != veteran::errc::envelope_malformed) {
    std::abort(); // anything that is not an envelope must be reported as such
  }
  // Without coverage of the library (it may be built by another compiler),
  // reach the deep paths directly: 0xFE = the rest is an envelope body for
  // key k1; 0xFD = encrypt the rest, change one byte, and require failure.
  if (size > 1 && data[0] == 0xFE) {
    const std::string env = "vet1:k1:" + std::string(text.substr(1));
    auto d = pii::decrypt(ring(), ctx, env);
    if (d.ok()) std::abort(); // forging a Poly1305 tag by mutation is not possible
  }
  if (size > 3 && data[0] == 0xFD) {
    auto env = pii::encrypt_bytes(ring(), ctx, text.substr(3));
    if (!env.ok()) std::abort();
    std::string t = *env;
    const std::size_t pos = (std::size_t{data[1]} << 8 | data[2]) % t.size();
    const char old = t[pos];
    t[pos] = static_cast<char>(old ^ 0x01);
    if (t[pos] != old && pii::decrypt(ring(), ctx, t).ok()) std::abort();
    if (pii::decrypt(ring(), ctx, *env).value().data != text.substr(3)) std::abort();
  }
  return 0;
}
