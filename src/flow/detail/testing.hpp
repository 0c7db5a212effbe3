// Test hooks of the flow module: not part of the public API, not installed.
#pragma once

#include <string_view>

#include "veteran/flow/service.hpp"

VETERAN_NAMESPACE_BEGIN
namespace flow {

struct service_internals {
  /// Applies `event` as the system actor (timers, offer, update) without
  /// waiting for its deadline: for table tests.
  [[nodiscard]] static result<transition> fire_as_system(service &s, std::string_view id,
                                                         std::string_view event,
                                                         timestamp_ms now);
};

} // namespace flow
VETERAN_NAMESPACE_END
