// veteran/signal.hpp — umbrella header of the signalling module: message
// types and the strict codec. (The relay and call lifecycle are not built
// yet; see docs/signal.md.)
#pragma once

#include "veteran/signal/codec.hpp"
#include "veteran/signal/message.hpp"
