// Deterministic synthetic chat corpus for the triage benchmarks: short
// everyday British chat messages, ~3% of them with crisis language (plain and
// evasive), random case and spacing.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace veteran_bench {

inline std::vector<std::string> make_corpus(std::size_t n, std::uint32_t seed = 20261121) {
  static const char *openers[] = {"", "", "", "hi ", "morning all, ", "evening, ", "right, ",
                                  "honestly ", "lol ", "ok so ", "cheers mate, ", "aye "};
  static const char *subjects[] = {"i", "we", "the wife", "my lad", "the dog", "our sarge",
                                   "my mate dave", "the kids", "me and the missus", "the boss",
                                   "my neighbour", "the lads from the regiment"};
  static const char *verbs[] = {"went to", "finished", "fixed", "watched", "booked", "cleaned",
                                "missed", "painted", "sorted out", "walked to", "rang",
                                "queued at", "forgot about", "drove past", "tidied"};
  static const char *objects[] = {"the allotment", "the football", "the depot", "the pub quiz",
                                  "the garage", "the gp surgery", "a brew", "the car boot sale",
                                  "the pension forms", "the bus stop", "the reunion",
                                  "the chippy", "the garden fence", "the match", "the shed",
                                  "the nhs appointment", "the washing", "the big shop"};
  static const char *times[] = {"today", "this morning", "last night", "yesterday",
                                "after work", "at the weekend", "earlier", "before tea",
                                "on saturday", "again", "", ""};
  static const char *closers[] = {"", ".", "!", " :)", " haha", ", proper knackered.",
                                  ", weather was grim.", ", not bad at all.", "?",
                                  ". anyone fancy a pint later?", ", cost a fortune."};
  static const char *crisis[] = {"i want to die", "i just want to end it all",
                                 "i cant go on anymore", "thinking about killing myself",
                                 "they would be better off without me", "i wanna die",
                                 "i have my service pistol at home and i want to end my life",
                                 "kms", "i want to d1e", "k i l l  m y s e l f",
                                 "no point living anymore", "im going to top myself tonight",
                                 "wish i hadnt made it back from tour", "endmylife",
                                 "i do not want to end my life", "i keep thinking about suicide"};
  std::mt19937 rng(seed);
  auto pick = [&](const auto &arr) {
    return std::string(arr[std::uniform_int_distribution<std::size_t>(
        0, sizeof arr / sizeof arr[0] - 1)(rng)]);
  };
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::string m = pick(openers) + pick(subjects) + " " + pick(verbs) + " " + pick(objects);
    const std::string t = pick(times);
    if (!t.empty()) m += " " + t;
    if (u(rng) < 0.03) m += (u(rng) < 0.5 ? ". " : ", ") + pick(crisis);
    m += pick(closers);
    // Random case: sentence case, all lower, all caps, or random letters.
    const double c = u(rng);
    for (auto &ch : m) {
      if (c < 0.4) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      else if (c < 0.5) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      else if (c < 0.6 && u(rng) < 0.3)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    if (c >= 0.6 && !m.empty()) m[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(m[0])));
    // Random spacing: doubled spaces now and then.
    if (u(rng) < 0.2) {
      std::string spaced;
      for (char ch : m) {
        spaced.push_back(ch);
        if (ch == ' ' && u(rng) < 0.3) spaced.push_back(' ');
      }
      m.swap(spaced);
    }
    out.push_back(std::move(m));
  }
  return out;
}

} // namespace veteran_bench
