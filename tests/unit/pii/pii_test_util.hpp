// Shared helpers for the PII unit tests.
#pragma once

#include <string>

#include "veteran/pii/keyring.hpp"

namespace pii_test {

/// 32 bytes 0x00..0x1f (+ offset): a deterministic test key.
inline std::string fixed_key(unsigned char offset = 0) {
  std::string k(32, '\0');
  for (int i = 0; i < 32; ++i)
    k[static_cast<std::size_t>(i)] = static_cast<char>(i + offset);
  return k;
}

/// A ring holding fixed_key(offset) under `id`, active.
inline veteran::pii::keyring fixed_ring(const char *id = "k1", unsigned char offset = 0) {
  veteran::pii::keyring ring;
  ring.add_key(id, fixed_key(offset), true).value();
  return ring;
}

} // namespace pii_test
