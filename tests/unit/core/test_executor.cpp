// The bounded thread pool behind the classifier hook, and the clocks.
#include <doctest/doctest.h>

#include <atomic>

#include "../gate.hpp"
#include "veteran/clock.hpp"
#include "veteran/executor.hpp"

TEST_CASE("thread_pool runs tasks and refuses beyond its bound without blocking") {
  test_util::gate l;
  std::atomic<int> done{0};
  {
    veteran::thread_pool pool(veteran::thread_pool_options{2, 3});
    // Two tasks occupy both workers...
    for (int i = 0; i < 2; ++i)
      CHECK(pool.try_submit([&] {
        l.arrive_and_wait();
        ++done;
      }));
    l.wait_for_arrivals(2);
    // ...three more may wait...
    for (int i = 0; i < 3; ++i)
      CHECK(pool.try_submit([&] { ++done; }));
    // ...and the sixth is refused at once.
    CHECK_FALSE(pool.try_submit([&] { ++done; }));
    CHECK(pool.pending() == 5);
    l.open();
  } // the destructor lets queued tasks finish
  CHECK(done == 5);
}

TEST_CASE("thread_pool contains a throwing task and keeps working") {
  std::atomic<int> done{0};
  {
    veteran::thread_pool pool(veteran::thread_pool_options{1, 4});
    CHECK(pool.try_submit([] { throw std::runtime_error("host bug"); }));
    CHECK(pool.try_submit([&] { ++done; }));
  }
  CHECK(done == 1);
  CHECK_THROWS_AS(veteran::thread_pool(veteran::thread_pool_options{0, 1}),
                  veteran::error);
}

TEST_CASE("manual_clock moves only when told; system_now is the wall clock") {
  veteran::manual_clock c(1000);
  CHECK(c.now() == 1000);
  c.advance(250);
  CHECK(c.now() == 1250);
  c.set(5);
  CHECK(c.now() == 5);
  const veteran::system_clock wall;
  CHECK(wall.now() > 1700000000000LL); // after 2023: a real epoch in ms
}
