// Normalisation: evasion repair with spans that still point into the original.
#include <doctest/doctest.h>

#include <random>

#include "helpers.hpp"
#include "triage/detail/testing.hpp"

using namespace triage_test;

namespace {
std::string joined(const std::string &text) {
  std::string out;
  for (const auto &t : tr::normalize(text, *test_pack()))
    out += (out.empty() ? "" : " ") + t.text;
  return out;
}
} // namespace

TEST_CASE("case, punctuation and whitespace") {
  CHECK(joined("  I   WANT to DIE!!  ") == "i want to die");
  CHECK(joined("hello,world") == "hello world");
  CHECK(joined("") == "");
  CHECK(joined("   \t\n ") == "");
}

TEST_CASE("apostrophes: straight, curly and missing all give one token") {
  CHECK(joined("can't") == "cant");
  CHECK(joined("can’t") == "cant");
  CHECK(joined("cant") == "cant");
  CHECK(joined("can`t") == "cant");
  CHECK(joined("'quoted'") == "quoted");
}

TEST_CASE("zero-width characters and soft hyphens never split or hide a word") {
  CHECK(joined("k\u200Bi\u200Cl\u200Dl my\u2060self") == "kill myself");
  CHECK(joined("su\u00ADicide") == "suicide");
  CHECK(joined("\xEF\xBB\xBFwant to die") == "want to die");
}

TEST_CASE("look-alike Cyrillic and Greek letters fold to Latin") {
  CHECK(joined("w\u0430nt to d\u0456\u0435") == "want to die");           // Cyrillic а і е
  CHECK(joined("\u039A\u0399LL MY\u0405ELF") == "kill myself");           // Greek Κ Ι, Cyrillic Ѕ
  CHECK(joined("\u0435nd my l\u0456f\u0435") == "end my life");
}

TEST_CASE("NFKC-style folding: full-width, mathematical letters, accents") {
  CHECK(joined("\uFF57\uFF41\uFF4E\uFF54 to die") == "want to die");        // ｗａｎｔ
  CHECK(joined("\U0001D430\U0001D41A\U0001D427\U0001D42D to die") == "want to die"); // 𝐰𝐚𝐧𝐭
  CHECK(joined("caf\u00E9 na\u00EFve") == "cafe naive");
  CHECK(joined("e\u0301nd it") == "end it"); // combining acute accent dropped
}

TEST_CASE("leetspeak inside words, numbers left alone") {
  CHECK(joined("w4nt to d1e") == "want to die");
  CHECK(joined("k1ll mys3lf") == "kill myself");
  CHECK(joined("d!e") == "die");
  CHECK(joined("su1c1de") == "suicide");
  CHECK(joined("999") == "999");
  CHECK(joined("call 116 123") == "call 116 123");
}

TEST_CASE("letter spacing and spaced capitals") {
  CHECK(joined("i want to d i e") == "i want to die");
  CHECK(joined("K I L L  M Y S E L F") == "kill myself");
  CHECK(joined("d.i.e") == "die");
  CHECK(joined("a b c") == "a b c"); // spells nothing known: left as letters
}

TEST_CASE("stretched letters") {
  CHECK(joined("diiiiie") == "die");
  CHECK(joined("killlll myselfffff") == "kill myself");
  CHECK(joined("sooooo tired") == "so tired");
  CHECK(joined("yessssss mate") == "yessssss mate"); // unknown words are not guessed
}

TEST_CASE("run-together words and lexicon slang") {
  CHECK(joined("endmylife") == "end my life");
  CHECK(joined("killmyself") == "kill myself");
  CHECK(joined("kms") == "kill myself");
  CHECK(joined("i wanna die") == "i want to die");
  CHECK(joined("suicde") == "suicide");
}

TEST_CASE("spans point into the original text, whatever was folded") {
  const std::string text = "Ok. I w\u0430nt to d i e \u2014 k\u200Bms";
  const auto tokens = tr::normalize(text, *test_pack());
  REQUIRE(tokens.size() >= 6);
  for (const auto &t : tokens) {
    REQUIRE(t.start < t.end);
    REQUIRE(t.end <= text.size());
  }
  CHECK(text.substr(tokens[1].start, tokens[1].end - tokens[1].start) == "I");
  CHECK(text.substr(tokens[2].start, tokens[2].end - tokens[2].start) == "w\u0430nt");
  CHECK(text.substr(tokens[4].start, tokens[4].end - tokens[4].start) == "d i e");
  // "kms" expands to two tokens sharing the original span.
  const auto &k1 = tokens[tokens.size() - 2], &k2 = tokens.back();
  CHECK(k1.text == "kill");
  CHECK(k2.text == "myself");
  CHECK(k1.start == k2.start);
  CHECK(text.substr(k1.start, k1.end - k1.start) == "k\u200Bms");
}

TEST_CASE("sentences and clauses are numbered") {
  const auto tokens = tr::normalize("I'm not well. I want to die, but ok", *test_pack());
  REQUIRE(tokens.size() == 9);
  CHECK(tokens[0].sentence == 0);
  CHECK(tokens[3].sentence == 1);
  CHECK(tokens[3].clause > tokens[2].clause);
  CHECK(tokens[7].clause > tokens[6].clause); // "but" starts a clause
}

TEST_CASE("invalid UTF-8 is tolerated and spans stay inside the text") {
  const std::string text = "want\xFF to \xC3 die \xE2\x82 \xF0\x9F\x98 end \xED\xA0\x80";
  const auto tokens = tr::normalize(text, *test_pack());
  std::string words;
  for (const auto &t : tokens) {
    CHECK(t.end <= text.size());
    words += t.text + " ";
  }
  CHECK(words == "want to die end ");
}

TEST_CASE("random bytes never crash and spans are always valid") {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 200, '\0');
    for (auto &c : s) c = static_cast<char>(rng());
    for (const auto &t : tr::normalize(s, *test_pack())) {
      REQUIRE(t.start < t.end);
      REQUIRE(t.end <= s.size());
    }
    CHECK(tr::detail::count_tokens(s, *test_pack()) == tr::normalize(s, *test_pack()).size());
  }
}

TEST_CASE("leetspeak in short words too") {
  CHECK(joined("1 w4nt t0 d13") == "1 want to die");
  CHECK(joined("2day") == "2day"); // not a known word in any reading
}

namespace {
/// Every token field, fast path on or off (detail::set_fast_path).
std::string token_dump(const std::string &text, bool fast) {
  tr::detail::set_fast_path(fast);
  const auto tokens = tr::normalize(text, *tr::pack::default_pack());
  tr::detail::set_fast_path(true);
  std::ostringstream out;
  for (const auto &t : tokens)
    out << t.text << '@' << t.start << '-' << t.end << ':' << t.sentence << '/' << t.clause
        << (t.quoted ? "q" : "") << ' ';
  return out.str();
}

/// Chat-like text built from pieces that exercise every branch around a word
/// boundary: punctuation, apostrophes, quotes, digits, leet, spacing, case,
/// non-ASCII letters, stretched letters, single letters and long words.
std::string chat_like(std::mt19937 &rng) {
  static const char *pieces[] = {
      "i", "I", "a", "want", "WANT", "to", "die", "Die", "end", "it", "all", "the", "wife",
      "kill", "myself", "my", "self", "cant", "can't", "can\xE2\x80\x99t", "don't", "im", "I'm",
      "d1e", "k!ll", "w4nt", "s*icide", "suiciiide", "diiiiie", "endmylife", "k i l l",
      "d.i.e", "caf\xC3\xA9", "\xD0\xB0ll", "internationalisation", "abcdefghijklmnopq",
      "abcdefghijklmnop", "abcdefgh", "no", "not", "never", "he", "she", "mate", "tonight",
      "pills", "rope", "bridge", "'", "\"", ".", ",", "!", "?", "...", ";", ":", "(", ")", "-",
      "\xE2\x80\x94", "\xE2\x80\x9C", "\xE2\x80\x9D", "2day", "4", "@", "$", "*", "x", "zz"};
  static const char *gaps[] = {" ", " ", " ", "", "  ", "\t", "\n", ", ", ". ", "!", "'", "\""};
  std::string s;
  const int words = 1 + static_cast<int>(rng() % 14);
  for (int k = 0; k < words; ++k) {
    s += pieces[rng() % (sizeof pieces / sizeof *pieces)];
    s += gaps[rng() % (sizeof gaps / sizeof *gaps)];
  }
  return s;
}
} // namespace

TEST_CASE("the fused ASCII-word fast path gives exactly the general path's tokens") {
  // Hand-picked edges first: a word at the very end, words of 1, 2, 8, 9, 16
  // and 17 letters, and every kind of character right after a word.
  const std::vector<std::string> edges = {
      "die", "i want to die", "ab", "abcdefgh", "abcdefghi", "abcdefghijklmnop",
      "abcdefghijklmnopq", "want\"to\" die", "want'", "want's", "want!die", "want!",
      "want.die", "want,die", "want1", "want@", "want*", "want\xC3\xA9", "want\xE2\x80\x8B" "die",
      "WANT TO DIE", "d i e", "x want", "diiie", "killl", "kkkill", "abcdefghijklmnnn",
      "abcdefghijklmnnnn", "suiiiicide!", "diiie.", "stop!!die", "want x y z", "\"i want to die", "'i want to die'"};
  for (const auto &e : edges) CHECK_MESSAGE(token_dump(e, true) == token_dump(e, false), e);
  std::mt19937 rng(20261121);
  int differences = 0;
  for (int i = 0; i < 20000; ++i) {
    const auto text = chat_like(rng);
    if (token_dump(text, true) != token_dump(text, false)) {
      if (++differences <= 5) MESSAGE("differs: " << text);
    }
  }
  CHECK(differences == 0);
}
