// Internal: the C key ring object, shared by the PII and flow wrappers.
#pragma once

#include "veteran/pii/keyring.hpp"

struct veteran_keyring {
  veteran::pii::keyring ring;
};
