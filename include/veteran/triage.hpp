// veteran/triage.hpp — umbrella header of the triage module.
#pragma once

#include "veteran/triage/assessment.hpp"
#include "veteran/triage/engine.hpp"
#include "veteran/triage/json.hpp"
#include "veteran/triage/normalizer.hpp"
#include "veteran/triage/pack.hpp"
#include "veteran/triage/resources.hpp"
#include "veteran/triage/session.hpp"
#include "veteran/triage/session_store.hpp"
