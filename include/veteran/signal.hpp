// veteran/signal.hpp — umbrella header of the signalling module: message
// types, the strict codec, the call state table and the relay.
#pragma once

#include "veteran/signal/call.hpp"
#include "veteran/signal/codec.hpp"
#include "veteran/signal/message.hpp"
#include "veteran/signal/relay.hpp"
#include "veteran/signal/relay_store.hpp"
