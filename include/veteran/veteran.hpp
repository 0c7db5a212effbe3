// veteran/veteran.hpp — umbrella header: includes every public module header.
#pragma once

#include "veteran/error.hpp"
#include "veteran/fwd.hpp"
#include "veteran/init.hpp"
#include "veteran/version.hpp"
// module umbrellas (added as modules land)
#include "veteran/pii.hpp"
#include "veteran/signal.hpp"
#include "veteran/triage.hpp"
