// The matcher's hash tables against std::map: every key found with its last
// value, nothing else found, whatever the key lengths and insertion order.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>

#include "triage/detail/flat_map.hpp"

namespace td = veteran::triage::detail;

namespace {
std::string random_word(std::mt19937 &rng) {
  // Mostly short words (the tokenizer's case), some past the 16-byte prefix.
  const std::size_t len = 1 + rng() % (rng() % 4 == 0 ? 40 : 12);
  std::string w(len, 'a');
  for (auto &c : w) c = static_cast<char>('a' + rng() % 6); // small alphabet: near misses
  return w;
}
} // namespace

TEST_CASE("string_table agrees with std::map through growth and overwrites") {
  std::mt19937 rng(11);
  td::string_table table;
  std::map<std::string, std::uint32_t> truth;
  for (std::uint32_t v = 1; v <= 60000; ++v) {
    const auto w = random_word(rng);
    table.put(w, v); // overwrites when the word is already there
    truth[w] = v;
  }
  CHECK(table.size() == truth.size());
  std::size_t wrong = 0;
  for (const auto &[w, v] : truth) {
    wrong += table.get(w) != v;
    if (w.size() <= 16) {
      // The tokenizer's way: prefix loaded past the key's end, then masked.
      std::string padded = w + std::string(16, 'z');
      const auto k = td::load_padded_prefix(padded.data(), w.size());
      wrong += table.get_prefixed(k, w.size(), td::hash_key(k, padded.data(), w.size())) != v;
    }
  }
  CHECK(wrong == 0);
  std::size_t false_hits = 0;
  for (int i = 0; i < 60000; ++i) {
    const auto w = random_word(rng) + "q"; // 'q' never occurs in stored keys
    false_hits += table.get(w) != 0;
  }
  CHECK(false_hits == 0);
  CHECK(table.get("") == 0);
}

TEST_CASE("int_table agrees with std::map") {
  std::mt19937_64 rng(12);
  td::int_table table;
  std::map<std::uint64_t, std::uint32_t> truth;
  for (std::uint32_t v = 1; v <= 50000; ++v) {
    const std::uint64_t k = rng() % 70000;
    table.put(k, v);
    truth[k] = v;
  }
  std::size_t wrong = 0;
  for (const auto &[k, v] : truth) wrong += table.get(k) != v;
  for (std::uint64_t k = 70000; k < 80000; ++k) wrong += table.get(k) != 0;
  CHECK(wrong == 0);
}
