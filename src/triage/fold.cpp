// Folding table: case, accents, full-width and mathematical letters, Cyrillic
// and Greek look-alikes, zero-width characters, curly quotes.
#include "triage/detail/fold.hpp"

#include "util/utf8.hpp"

#include <array>

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

namespace {

constexpr folded_char make(char_class c, char a = 0, char b = 0) {
  folded_char f;
  f.cls = c;
  f.ascii[0] = a;
  f.ascii[1] = b;
  f.ascii_len = static_cast<std::uint8_t>(a ? (b ? 2 : 1) : 0);
  return f;
}
constexpr folded_char letter(char a, char b = 0) {
  return make(char_class::letter, a, b);
}

constexpr std::array<folded_char, 128> make_ascii_table() {
  std::array<folded_char, 128> t{};
  for (int c = 'a'; c <= 'z'; ++c)
    t[c] = letter(static_cast<char>(c));
  for (int c = 'A'; c <= 'Z'; ++c)
    t[c] = letter(static_cast<char>(c - 'A' + 'a'));
  for (int c = '0'; c <= '9'; ++c)
    t[c] = make(char_class::digit, static_cast<char>(c));
  t['@'] = make(char_class::leet_symbol, '@');
  t['$'] = make(char_class::leet_symbol, '$');
  t['*'] = make(char_class::leet_symbol, '*'); // masking: "s*icidal"
  t['!'] = make(char_class::bang, '!');
  t['\''] = make(char_class::apostrophe);
  t['`'] = make(char_class::apostrophe);
  t['.'] = make(char_class::sentence_end);
  t['?'] = make(char_class::sentence_end);
  t[';'] = make(char_class::sentence_end);
  t['\n'] = make(char_class::sentence_end);
  t['\r'] = make(char_class::sentence_end);
  t[','] = make(char_class::clause_break);
  t[':'] = make(char_class::clause_break);
  t['('] = make(char_class::clause_break);
  t[')'] = make(char_class::clause_break);
  t['['] = make(char_class::clause_break);
  t[']'] = make(char_class::clause_break);
  t['"'] = make(char_class::quote);
  return t;
}
constexpr auto kAscii = make_ascii_table();

constexpr std::array<std::uint8_t, 256> make_separator_effects() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 128; ++c) {
    switch (kAscii[static_cast<std::size_t>(c)].cls) {
    case char_class::separator:
      t[static_cast<std::size_t>(c)] = sep_space;
      break;
    case char_class::sentence_end:
    case char_class::bang: // outside a word '!' only ends a sentence
      t[static_cast<std::size_t>(c)] = sep_sentence;
      break;
    case char_class::clause_break:
      t[static_cast<std::size_t>(c)] = sep_clause;
      break;
    default:
      break;
    }
  }
  return t;
}

constexpr std::array<bool, 256> make_plain_word_ends() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 128; ++c) {
    const auto cls = kAscii[static_cast<std::size_t>(c)].cls;
    t[static_cast<std::size_t>(c)] =
        cls == char_class::separator || cls == char_class::sentence_end ||
        cls == char_class::clause_break || cls == char_class::quote;
  }
  return t;
}

// Latin-1 Supplement U+00C0..U+00FF → base letters ('\0' = not a letter).
constexpr char kLatin1[] =
    "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"  // C0..DF (D7 ×, DE þ→t, DF ß)
    "aaaaaaaceeeeiiiidnooooo\0ouuuuyty"; // E0..FF (F7 ÷, FE þ)
// Latin Extended-A U+0100..U+017F → base letters.
constexpr char kLatinExtA[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnn"
    "oooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

struct mapping {
  std::uint32_t cp;
  char ascii;
};
// Cyrillic and Greek letters that look like Latin ones (sorted by code point).
constexpr mapping kLookalikes[] = {
    {0x0391, 'a'}, {0x0392, 'b'}, {0x0395, 'e'}, {0x0396, 'z'}, {0x0397, 'h'},
    {0x0399, 'i'}, {0x039A, 'k'}, {0x039C, 'm'}, {0x039D, 'n'}, {0x039F, 'o'},
    {0x03A1, 'p'}, {0x03A4, 't'}, {0x03A5, 'y'}, {0x03A7, 'x'}, {0x03AC, 'a'},
    {0x03AD, 'e'}, {0x03AF, 'i'}, {0x03B1, 'a'}, {0x03B2, 'b'}, {0x03B3, 'y'},
    {0x03B5, 'e'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'},
    {0x03C1, 'p'}, {0x03C2, 's'}, {0x03C4, 't'}, {0x03C5, 'u'}, {0x03C7, 'x'},
    {0x03C9, 'w'}, {0x03CC, 'o'}, {0x03CD, 'u'}, {0x03CE, 'w'}, {0x0405, 's'},
    {0x0406, 'i'}, {0x0407, 'i'}, {0x0408, 'j'}, {0x0410, 'a'}, {0x0412, 'b'},
    {0x0415, 'e'}, {0x041A, 'k'}, {0x041C, 'm'}, {0x041D, 'h'}, {0x041E, 'o'},
    {0x0420, 'p'}, {0x0421, 'c'}, {0x0422, 't'}, {0x0423, 'y'}, {0x0425, 'x'},
    {0x0430, 'a'}, {0x0432, 'b'}, {0x0433, 'r'}, {0x0435, 'e'}, {0x043A, 'k'},
    {0x043C, 'm'}, {0x043D, 'h'}, {0x043E, 'o'}, {0x043F, 'n'}, {0x0440, 'p'},
    {0x0441, 'c'}, {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0451, 'e'},
    {0x0455, 's'}, {0x0456, 'i'}, {0x0457, 'i'}, {0x0458, 'j'}, {0x0461, 'w'},
    {0x04AE, 'y'}, {0x04AF, 'y'}, {0x04BB, 'h'}, {0x04CF, 'l'}, {0x0501, 'd'},
    {0x051B, 'q'}, {0x051D, 'w'},
};

bool is_ignorable(std::uint32_t cp) {
  return cp == 0x00AD || cp == 0x034F || cp == 0x180E || (cp >= 0x0300 && cp <= 0x036F) ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
         (cp >= 0xE0100 && cp <= 0xE01EF);
}

folded_char fold_non_ascii(std::uint32_t cp) {
  if (is_ignorable(cp)) return make(char_class::ignorable);
  if (cp >= 0xC0 && cp <= 0xFF) {
    if (cp == 0xDF) return letter('s', 's');
    if (cp == 0xC6 || cp == 0xE6) return letter('a', 'e');
    char c = kLatin1[cp - 0xC0];
    return c ? letter(c) : make(char_class::separator);
  }
  if (cp >= 0x100 && cp <= 0x17F) return letter(kLatinExtA[cp - 0x100]);
  if (cp >= 0x0370 && cp <= 0x052F) {
    std::size_t lo = 0, hi = sizeof kLookalikes / sizeof kLookalikes[0];
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (kLookalikes[mid].cp < cp)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < sizeof kLookalikes / sizeof kLookalikes[0] && kLookalikes[lo].cp == cp)
      return letter(kLookalikes[lo].ascii);
    return make(char_class::separator);
  }
  switch (cp) {
  case 0x2018:
  case 0x2019:
  case 0x201B:
  case 0x02BC:
  case 0x2032:
  case 0x00B4:
  case 0xFF07:
  case 0x02B9:
    return make(char_class::apostrophe);
  case 0x201C:
  case 0x201D:
  case 0x201E:
  case 0x201F:
  case 0x00AB:
  case 0x00BB:
  case 0x2033:
  case 0xFF02:
    return make(char_class::quote);
  case 0x2026:
  case 0x3002:
  case 0xFF0E:
  case 0xFF1F:
  case 0xFF1B:
  case 0x2028:
  case 0x2029:
  case 0x0085:
  case 0x00A1:
  case 0x00BF:
    return make(char_class::sentence_end);
  case 0x2013:
  case 0x2014:
  case 0x2015:
  case 0xFF0C:
  case 0x3001:
  case 0xFF1A:
    return make(char_class::clause_break);
  default:
    break;
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) { // full-width ASCII
    return kAscii[cp - 0xFF01 + 0x21];
  }
  if (cp >= 0x1D400 && cp <= 0x1D6A3) { // mathematical alphanumeric letters
    std::uint32_t k = (cp - 0x1D400) % 52;
    return letter(static_cast<char>('a' + (k % 26)));
  }
  if (cp >= 0x1D7CE && cp <= 0x1D7FF)
    return make(char_class::digit, static_cast<char>('0' + (cp - 0x1D7CE) % 10));
  if (cp >= 0x24B6 && cp <= 0x24E9) // circled letters
    return letter(static_cast<char>('a' + (cp - 0x24B6) % 26));
  if (cp >= 0x1F130 && cp <= 0x1F189) // squared / negative circled letters
    return letter(static_cast<char>('a' + (cp - 0x1F130) % 26));
  if (cp >= 0x1F1E6 && cp <= 0x1F1FF) // regional indicators
    return letter(static_cast<char>('a' + (cp - 0x1F1E6)));
  if (cp >= 0x0250 && cp <= 0x02AF) { // IPA look-alikes commonly used for evasion
    switch (cp) {
    case 0x0251:
      return letter('a');
    case 0x0261:
      return letter('g');
    case 0x0269:
      return letter('i');
    case 0x026A:
      return letter('i');
    case 0x0274:
      return letter('n');
    case 0x0280:
      return letter('r');
    case 0x028F:
      return letter('y');
    default:
      break;
    }
  }
  if (cp == 0x0131) return letter('i');
  return make(char_class::separator);
}

} // namespace

const folded_char ascii_fold_table[128] = {
#define VETERAN_ROW(i)                                                                   \
  kAscii[i], kAscii[i + 1], kAscii[i + 2], kAscii[i + 3], kAscii[i + 4], kAscii[i + 5],  \
      kAscii[i + 6], kAscii[i + 7]
    VETERAN_ROW(0),  VETERAN_ROW(8),   VETERAN_ROW(16),  VETERAN_ROW(24),
    VETERAN_ROW(32), VETERAN_ROW(40),  VETERAN_ROW(48),  VETERAN_ROW(56),
    VETERAN_ROW(64), VETERAN_ROW(72),  VETERAN_ROW(80),  VETERAN_ROW(88),
    VETERAN_ROW(96), VETERAN_ROW(104), VETERAN_ROW(112), VETERAN_ROW(120),
#undef VETERAN_ROW
};

// Constant-initialised from constexpr tables: no static-initialisation order.
const std::array<std::uint8_t, 256> ascii_separator_effect = make_separator_effects();
const std::array<bool, 256> ascii_plain_word_end = make_plain_word_ends();

folded_char fold_non_ascii_at(std::string_view text, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) return kAscii[b0];
  // Invalid, overlong, surrogate or truncated UTF-8: one byte, a separator.
  const util::utf8_char c = util::decode_utf8_at(text, i);
  if (!c.valid) return make(char_class::separator);
  folded_char f = fold_non_ascii(c.code_point);
  f.bytes = c.length;
  return f;
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
