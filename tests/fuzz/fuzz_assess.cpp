// libFuzzer target: assess() on arbitrary bytes never crashes, and the result
// always has the full schema with spans inside the input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "veteran/triage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const veteran::triage::engine engine;
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const auto a = engine.assess(text);
  if (!a.error.empty()) std::abort(); // arbitrary bytes are not an internal failure
  if (a.pack_id.empty() || a.pack_version.empty()) std::abort();
  for (const auto &t : a.triggers)
    if (t.start >= t.end || t.end > size) std::abort();
  for (const auto &s : a.suppressed)
    if (s.start >= s.end || s.end > size) std::abort();
  if ((a.lvl >= veteran::triage::level::high) != a.flags.alert_staff) std::abort();
  if (veteran::triage::to_json(a).empty()) std::abort();
  return 0;
}
