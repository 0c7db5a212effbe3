// The system clock: see veteran/clock.hpp.
#include "veteran/clock.hpp"

#include <chrono>

VETERAN_NAMESPACE_BEGIN

timestamp_ms system_now() noexcept {
  using namespace std::chrono;
  return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

VETERAN_NAMESPACE_END
