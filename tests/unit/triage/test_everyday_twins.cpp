// Everyday twins of crisis wordings (pack 2026.11.10): ending a membership or
// a group ("end it with the gym"), a clarification after the phrase ("the
// tenancy I mean"), hyperbole over a trivial, named annoyance ("one more Teams
// meeting and I'm jumping out the window"), and everyday goodbyes (the Last
// Post at the Cenotaph, a note on the fridge, the edge of the pitch). Every
// example was written for this file: none is copied from a labelled or
// training set. Each everyday line was rated high or critical by pack
// 2026.11.9, so these tests fail without the new entries; each crisis twin
// (a means word after "end it with", a day rather than a meeting, no
// remembrance word, water with no fishing) must stay high or critical.
#include <doctest/doctest.h>

#include <vector>

#include "helpers.hpp"

using namespace triage_test;
using tr::level;

namespace {

void check_below_high(const std::vector<const char *> &xs) {
  const auto &e = rules_only_default_engine();
  for (const char *t : xs) {
    INFO(t);
    CHECK(e.assess(t).lvl < level::high);
  }
}

void check_crisis(const std::vector<const char *> &xs) {
  const auto &e = rules_only_default_engine();
  for (const char *t : xs) {
    INFO(t);
    CHECK(e.assess(t).lvl >= level::high);
  }
}

} // namespace

TEST_CASE("everyday twins: ending a thing, not a life") {
  check_below_high({"I'm going to end it with the gym",
                    "going to end it with the whatsapp group, nobody posts in it",
                    "im about to end it with sky, 80 quid a month for nothing",
                    "gonna end it with the van, trading it in on saturday",
                    "going to end it with a bang, leaving do at the legion friday",
                    "i want to end it. the tenancy i mean, the damp is awful",
                    "going to end it. the gym membership i mean",
                    "ill be dead by the weekend, the overtime i mean"});
}

TEST_CASE("everyday twins: hyperbole with a trivial reason") {
  check_below_high(
      {"the commute makes me want to die lol",
       "killing myself at the gym tonight, chest day",
       "if i have to sit through one more zoom call im jumping out the window lol",
       "one more spreadsheet and ill walk into the sea",
       "id rather be dead than wear a christmas jumper to the office do"});
}

TEST_CASE("everyday twins: everyday goodbyes and finality") {
  check_below_high(
      {"heard the last post at the cenotaph, not a dry eye",
       "the bugler sounded the last post and we stood for the two minute silence",
       "last post on this old account, moving to the new one next week",
       "this is goodbye old girl, sold the landy today",
       "not gonna be around much longer on here, moving to the new group",
       "left a note for the missus, gone to the pub, back by 6",
       "tonight's the night, proposing at the restaurant",
       "finally pulled the trigger on the caravan",
       "stood on the edge of the pitch for the whole match",
       "sitting at the edge of the river with my rod, lovely day",
       "night shift done, going to sleep and not wake up till 11",
       "last message before i board, see you in a fortnight",
       "by the time you read this ill be on the plane to malaga",
       "said my goodbyes at work, retirement do was lovely",
       "this is goodbye to the depot, last shift tomorrow",
       "if i have to watch another england game ill top myself",
       "in my last message about cutting i meant the lawn, it was a jungle"});
}

TEST_CASE("everyday twins: the crisis twins stay high or critical") {
  check_crisis(
      {"I'm going to end it with pills tonight",
       "im going to end it with the rope in the garage",
       "going to end it with the shotgun",
       "I mean it, I'm going to end it",
       "last post from me, goodbye all, I'm done",
       "standing on the edge of the bridge, can't do this anymore",
       "standing at the edge of the lake, can't do this anymore",
       "stood on the edge of the multi storey roof, its time",
       "going to end it with a bang tonight, the shotgun is loaded",
       "gonna end it with the car tonight, into a tree",
       "if i have to wake up one more day like this ill top myself",
       "if I have to do another day of this I'm jumping off the bridge",
       "I'd rather be dead than live like this",
       "I'd rather be dead than be a burden to my kids",
       "tonight's the night, got the pills lined up",
       "tonight's the night, nobody will miss me",
       "left a note on the kitchen table for the wife, goodbye",
       "this is goodbye, sorry for everything",
       "wont be around much longer, sorry lads",
       "i want to end it. the pain i mean, it never stops",
       "im going to kill myself, the job i mean has ruined everything",
       "the traffic makes me want to die, everything does, i cant go on",
       "last post on this forum, goodbye everyone, im done",
       "pulled the trigger on myself nearly last night",
       "going to sleep and never wake up, i cant do this",
       "last message from me, thank you all, goodbye",
       "by the time you read this ill be gone",
       "by the time you read this ill be at peace",
       "said my goodbyes to everyone, i cant do this anymore",
       "this is goodbye lads, thanks for everything",
       "saying goodbye to everyone tonight, sorry for everything",
       "my last message was my goodbye, take care of the kids",
       "standing at the edge of the river, the kids will be better off without me",
       "stood at the edge of the canal with the dog lead in my hand, cant do this",
       "tonight's the night, the wedding ring is off, im done",
       "wont be around much longer on here or anywhere",
       "left a note on the fridge for the wife, back by tea she'll find it, sorry",
       "this is the last post from me, wear a poppy for me",
       "last post at the bridge tonight, the cenotaph can have my medals"});
}
