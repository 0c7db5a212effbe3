// One engine and one key ring shared by many threads at once: every answer is
// the one a single thread gets. Run under ThreadSanitizer by the test command
// (scripts/test-all.sh), which also runs the other tests named "*threads*".
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "pii/pii_test_util.hpp"
#include "veteran/pii.hpp"
#include "veteran/triage.hpp"

namespace tr = veteran::triage;
namespace pii = veteran::pii;

TEST_CASE("one engine and one key ring shared by many threads") {
  const tr::engine engine;
  const auto ring = pii_test::fixed_ring();
  const char *texts[] = {"I want to die", "lovely day", "I don't want to die",
                         "call me on 07700 900123", "my brother wants to die"};
  std::vector<tr::level> expected;
  for (const char *t : texts) expected.push_back(engine.assess(t).lvl);
  const auto expected_index =
      pii::blind_index(ring, "phone", pii::index_kind::phone, "07700 900123").value();

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      tr::session_store sessions; // per thread, as documented
      for (int i = 0; i < 150; ++i) {
        const std::size_t k = static_cast<std::size_t>(i + t) % std::size(texts);
        if (engine.assess(texts[k]).lvl != expected[k]) ++failures;
        (void)engine.assess(texts[k], sessions.get(std::to_string(i % 7), i * 1000), i * 1000);
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto env = pii::encrypt_string(ring, {"users", "phone", id}, texts[k]);
        if (!env || pii::decrypt(ring, {"users", "phone", id}, *env).value().data != texts[k])
          ++failures;
        if (pii::blind_index(ring, "phone", pii::index_kind::phone, "07700 900123").value() !=
            expected_index)
          ++failures;
        auto red = pii::redact(texts[k]);
        if (!red) ++failures;
      }
    });
  for (auto &th : threads) th.join();
  CHECK(failures == 0);
}
