// Internal: the C store handle, shared by the flow and notify wrappers.
#pragma once

#include <memory>

#include "veteran/store/store.hpp"

struct veteran_store {
  std::shared_ptr<veteran::store::store> s;
};
