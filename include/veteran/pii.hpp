// veteran/pii.hpp — umbrella header of the PII protection module:
// key ring, field codec, blind index, redaction, phone numbers, migration.
#pragma once

#include "veteran/pii/blind_index.hpp"
#include "veteran/pii/codec.hpp"
#include "veteran/pii/keyring.hpp"
#include "veteran/pii/migrate.hpp"
#include "veteran/pii/phone.hpp"
#include "veteran/pii/redact.hpp"
