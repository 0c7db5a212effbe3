// Internal to the Python extension: the key ring object shared by the PII
// and flow bindings.
#pragma once

#include <memory>

#include "veteran/pii/keyring.hpp"

namespace veteran::python {

/// Shared so a ring can be used from several Python threads at once; every
/// operation used on a shared ring is const (thread-safe).
struct py_keyring {
  std::shared_ptr<veteran::pii::keyring> ring;
};

} // namespace veteran::python
