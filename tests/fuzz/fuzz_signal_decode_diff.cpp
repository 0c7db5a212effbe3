// libFuzzer target: the one-pass decoder against the document-based decoder
// it replaced (tests/unit/signal/codec_oracle.hpp). On any bytes both accept
// with equal messages (encoded alike by the new and the old encoder), or
// both refuse with the same message and field.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec_oracle.hpp"
#include "veteran/signal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  namespace sg = veteran::signal;
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  sg::codec_error e_new, e_old;
  auto a = sg::decode(text, e_new);
  auto b = codec_oracle::decode(text, e_old);
  if (a.ok() != b.ok() || e_new.field != e_old.field) std::abort();
  if (a.ok() && !(*a == *b && sg::encode(*a) == codec_oracle::encode(*b))) std::abort();
  if (!a.ok() && (a.code() != b.code() || a.message() != b.message())) std::abort();
  return 0;
}
