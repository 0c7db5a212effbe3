// The shipped pack's frames for a crisis told through means or a place alone,
// and for the moderate band (pack 2026.11.9). Every example here was written
// for this file: none is copied from a labelled or training set. Each firing
// example names the frame that must fire, so the test fails without it; each
// everyday, negated, past or third-person twin must stay below the level.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "helpers.hpp"

using namespace triage_test;
using tr::level;

namespace {

struct example {
  const char *text;
  const char *frame;
};

void check_fires(const std::vector<example> &xs, level at_least) {
  const auto &e = rules_only_default_engine();
  for (const auto &x : xs) {
    INFO(x.text);
    const auto a = e.assess(x.text);
    CHECK(has_trigger(a, x.frame));
    CHECK(a.lvl >= at_least);
  }
}

void check_below(const std::vector<const char *> &xs, level below) {
  const auto &e = rules_only_default_engine();
  for (const char *t : xs) {
    INFO(t);
    CHECK(e.assess(t).lvl < below);
  }
}

} // namespace

TEST_CASE("means alone: a rope tied or ready, pills stockpiled, a blade at the skin") {
  check_fires({{"the strap is knotted round the loft hatch now", "means.frame_ligature_ready"},
               {"my belt is round my neck and the door is shut", "means.frame_ligature_ready"},
               {"paracord hanging from the hook in the garage ceiling", "means.frame_ligature_ready"},
               {"all the pregabalin popped out of the packets", "means.frame_pills_stockpiled"},
               {"all the tramadol tipped out on the duvet", "means.frame_pills_stockpiled"},
               {"the craft knife is against my wrist", "means.frame_blade_ready"}},
              level::high);
  check_below({"the rope for the tent is tied to the pegs",
               "tied the dog lead to the fence outside the bakery",
               "my belt is tighter since christmas, one more notch",
               "got my paracetamol for my headache",
               "my sertraline is lined up in the dosette box for the week",
               "the craft knife is in the drawer with the string",
               "he was hoarding his pills, the nurse found them last year"},
              level::high);
}

TEST_CASE("means alone: a firearm loaded or at hand, including gun's and cartridge in the chamber") {
  check_fires({{"the rifle's on the bed beside me", "means.frame_weapon_ready"},
               {"cartridge in the chamber now", "means.frame_weapon_ready"}},
              level::high);
  check_below({"my shotgun licence renewal came through",
               "the shotgun is not loaded and its locked in the cabinet",
               "printer cartridge is in, it still wont print"},
              level::high);
}

TEST_CASE("a place alone, waiting for the moment, driving to crash, weighed down in water") {
  check_fires({{"climbed onto the viaduct railings", "plan.frame_at_place"},
               {"on the roof of the tower block on my own", "plan.frame_at_place"},
               {"just waiting for the house to go quiet", "plan.frame_waiting_moment"},
               {"biding my time till it gets dark, waiting for the fog", "plan.frame_waiting_moment"},
               {"pointing the car at the bridge pillar with my foot down", "plan.frame_drive_to_crash"},
               {"stones in my pockets down at the weir", "plan.frame_water_weighted"}},
              level::high);
  check_below({"at the top of the stairs with the hoover",
               "im at bridge club tonight, partner is new",
               "waiting for the right time to ask the boss for a rise",
               "waiting for the fog to clear so we can get the boat out",
               "some idiot was driving the wrong way up the dual carriageway",
               "collected pebbles from the river for the garden path",
               "i wont swim back to the beach, the tide's too strong, getting the ferry"},
              level::high);
}

TEST_CASE("a staged accident, and not trusting oneself near means named anywhere in the message") {
  check_fires({{"nobody would know it wasnt an accident if i went off the road at the bends",
                "plan.staged_wasnt_accident"},
               {"theyll think i slipped off the cliff path in the dark", "plan.staged_theyll_think_accident"},
               {"everyone will say it was a tragic accident when the bike goes into the wall",
                "plan.staged_theyll_think_accident"},
               {"asked the wife to hide the car keys, i dont trust myself", "ideation.dont_trust_myself_means"}},
              level::high);
  check_below({"the kids made it look like an accident when they knocked the vase over",
               "theyll think it was an accident, the dog ate the homework",
               "i dont trust myself to cook a roast for twelve"},
              level::high);
}

TEST_CASE("a negation between a means frame's roles is not a crisis (everyday.means_not_ready)") {
  const auto &e = rules_only_default_engine();
  const auto a = e.assess("the rifle is not loaded");
  CHECK(a.lvl < level::high);
  CHECK_FALSE(has_trigger(a, "means.frame_weapon_ready"));
  CHECK(e.assess("the rope is not tied to anything").lvl < level::high);
  CHECK(e.assess("the rifle is loaded").lvl >= level::high);
}

TEST_CASE("indifference to dying is a passive death wish (high, as the pack's phrases)") {
  check_fires({{"it wouldnt bother me if i never woke up", "passive_death_wish.frame_indifferent_to_dying"},
               {"if a car hit me on the way home id be relieved",
                "passive_death_wish.frame_indifferent_to_dying"},
               {"part of me is hoping my heart packs in", "passive_death_wish.frame_indifferent_to_dying"}},
              level::high);
  check_below({"hope i didnt wake you up when i came in",
               "my nan hopes she goes in her sleep, she's 97",
               "hope the cancer treatment works for my dad"},
              level::high);
}

TEST_CASE("the moderate band: medium from the frame itself") {
  check_fires({{"cant forgive myself for leaving the interpreter behind", "distress.frame_moral_injury"},
               {"owe nine grand on two cards and cant pay the minimum", "distress.frame_debt"},
               {"my temper is getting worse, it frightens me", "distress.frame_anger_escalating"},
               {"frightened ill put someone in hospital one day", "distress.frame_harm_to_others"}},
              level::medium);
  check_below({"it was my fault the lads lost the quiz, i said paris",
               "i owe you a pint for the lift",
               "getting angry at the printer again, it jams every time",
               "she wasnt to blame and neither was i, we both grieved"},
              level::medium);
}

TEST_CASE("the moderate band: low from the frame, medium with context (no medium+multiplier jump to high)") {
  check_fires({{"keep reliving the contact at the checkpoint", "distress.frame_combat_memory"},
               {"ten years to the day since we lost him", "distress.frame_anniversary"},
               {"six cans a night and a bottle of wine on top", "substances.frame_drinking_amount"},
               {"stopped answering the phone to my mates", "isolation.frame_withdrawn"},
               {"in the regiment i was somebody, now im on the scrapheap", "hopelessness.frame_identity_lost"},
               {"not going to do anything daft, but its been a rough week", "ideation.nothing_silly_but"}},
              level::low);
  check_below({"keep thinking about the lads night out, what a laugh",
               "anniversary of his death, we raised money for the charity in his name",
               "had 3 pints at the match",
               "ignoring the spam calls again",
               "i wont do anything silly"},
              level::low);
}

TEST_CASE("the new frames follow negation, tense and subject like any phrase") {
  const auto &e = rules_only_default_engine();
  // negated before the frame
  CHECK(e.assess("i would never put a razor blade to my wrist").lvl < level::high);
  CHECK(e.assess("im not waiting for the right moment, im getting help").lvl < level::high);
  // past
  CHECK(e.assess("years ago i was stockpiling my tablets, not now").lvl < level::high);
  // someone else, now, is still actionable; in the past, it is not a crisis
  const auto other = e.assess("my brother is stood on the roof of the flats");
  CHECK(other.lvl >= level::high);
  CHECK(e.assess("my brother stood on the roof of the flats years ago to fix the aerial").lvl <
        level::high);
}

TEST_CASE("weary of being alive (passive death wish) and a closed space sealed against air") {
  check_fires({{"honestly cant be arsed being alive these days", "passive_death_wish.frame_weary_of_living"},
               {"im so done with being alive", "passive_death_wish.frame_weary_of_living"},
               {"the van is taped up, every vent", "plan.frame_enclosed_sealed"},
               {"put old towels under the door of the shed, no air gets in", "plan.frame_enclosed_sealed"}},
              level::high);
  check_below({"fed up of the living costs going up again",
               "fed up of waking up at 5 for work",
               "not tired of life at all, loving retirement",
               "taped up the garage door for the winter, the draughts",
               "sealed the gaps in the shed so the mice cant get in"},
              level::high);
  // past and someone else's
  CHECK(rules_only_default_engine().assess("years ago i was fed up of living, not now").lvl <
        level::high);
}

TEST_CASE("an everyday word elsewhere in the message does not cancel the new frames (unless_any is specific)") {
  check_fires({{"its cold, the garage is sealed up with towels", "plan.frame_enclosed_sealed"},
               {"wouldnt bother me if i didnt wake up, the kids would be better off",
                "passive_death_wish.frame_indifferent_to_dying"},
               {"the kids are at school, all my co codamol is counted out", "means.frame_pills_stockpiled"},
               {"aiming the car at a tree, she left me", "plan.frame_drive_to_crash"}},
              level::high);
  check_below({"the kids are driving me up the wall, half term",
               "dog leads are hanging off the back door",
               "tablets hidden from the kids in the top cupboard"},
              level::high);
}
