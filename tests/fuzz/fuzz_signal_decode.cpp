// libFuzzer target: decode() on arbitrary bytes never crashes; a refusal is
// always signal_invalid; anything accepted encodes, decodes back equal, and
// its canonical text is a fixed point.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "veteran/signal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  namespace sg = veteran::signal;
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  sg::codec_error err;
  auto m = sg::decode(text, err);
  if (!m) {
    if (m.code() != veteran::errc::signal_invalid) std::abort();
    return 0;
  }
  if (!err.field.empty()) std::abort();
  const std::string canonical = sg::encode(*m);
  auto back = sg::decode(canonical);
  if (!back || !(*back == *m)) std::abort();
  if (sg::encode(*back) != canonical) std::abort();
  return 0;
}
