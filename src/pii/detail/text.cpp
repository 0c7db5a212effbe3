#include "pii/detail/text.hpp"

#include <cstdint>

#include "util/utf8.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

namespace {

bool is_name_space(char32_t cp) noexcept {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
         cp == '\v' || cp == 0xA0;
}

} // namespace

char32_t fold_code_point(char32_t cp) noexcept {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32; // Latin-1
  if (cp == 0xDF) return cp;                                  // ß stays (no 1:1 fold)
  if (cp >= 0x100 && cp <= 0x17F) {                           // Latin Extended-A pairs
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
      return (cp % 2 == 1) ? cp + 1 : cp;
    if (cp == 0x178) return 0xFF; // Ÿ → ÿ (its lower case is in Latin-1)
    if (cp == 0x130 || cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F)
      return cp;
    return (cp % 2 == 0) ? cp + 1 : cp;
  }
  if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 32; // Greek capitals
  if (cp == 0x3C2) return 0x3C3;                                 // final sigma
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;                // Cyrillic А-Я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;                // Ѐ-Џ
  return cp;
}

std::string fold_name(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  std::size_t i = 0;
  while (i < value.size()) {
    const util::utf8_char ch = util::decode_utf8_at(value, i);
    i += ch.length;
    const char32_t cp = ch.code_point;
    if (is_name_space(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    util::append_utf8(out, static_cast<std::uint32_t>(fold_code_point(cp)));
  }
  return out;
}

} // namespace pii::detail
VETERAN_NAMESPACE_END
