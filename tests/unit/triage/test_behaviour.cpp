// Behaviour classes on the shipped en-GB pack: one test case per known failure
// of the pipelines this engine replaces (issue #3), each with sentences of our
// own. Every case fails if the behaviour it names is removed.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace triage_test;
using tr::level;

namespace {
const tr::engine &E() { return default_engine(); }

void expect_at_least(level floor, std::initializer_list<const char *> texts) {
  for (const char *t : texts) {
    const auto a = E().assess(t);
    CHECK_MESSAGE(a.lvl >= floor, (std::string(t) + " => " + tr::to_string(a.lvl)));
  }
}
void expect_at_most(level ceiling, std::initializer_list<const char *> texts) {
  for (const char *t : texts) {
    const auto a = E().assess(t);
    CHECK_MESSAGE(a.lvl <= ceiling, (std::string(t) + " => " + tr::to_string(a.lvl)));
  }
}
} // namespace

TEST_CASE("negation cues are whole words, never substrings") {
  // "not" in another/knot/nothing-like words, "never" in nevertheless, "no" in know.
  expect_at_least(level::high, {
      "another day and I want to die",
      "nevertheless I want to kill myself",
      "I tied the knot years ago and now I want to die",
      "I know I want to end my life",
      "Notably, I want to die",
      "my estimate is I'll kill myself by friday",
  });
}

TEST_CASE("negation is scoped to its clause and sentence") {
  expect_at_least(level::high, {
      "I'm not well. I want to die.",
      "I'm not okay, I want to die",
      "It's not the drink. I want to end my life.",
      "Not sleeping, not eating, and I want to die",
      "I don't know why but I want to kill myself",
      "No one listens. I want to die.",
  });
  expect_at_most(level::none, {
      "I do not want to end my life",
      "I have never once considered suicide",
      "I'm not going to kill myself, I just need to talk",
      "I would never kill myself",
      "I don't want to die",
  });
}

TEST_CASE("a negation cue is never part of the phrase it negates") {
  // The negative is part of the crisis phrase itself here.
  expect_at_least(level::medium, {
      "I can't go on",
      "I cant go on like this",
      "I cannot carry on anymore",
      "I don't want to be here anymore",
      "there's no reason to live",
      "I can't stop thinking about killing myself",
  });
}

TEST_CASE("repeated occurrences: a negated first one does not hide a later one") {
  expect_at_least(level::high, {
      "I don't want to die, but honestly I want to die",
      "people think I don't want to kill myself. I want to kill myself.",
      "not suicidal, that's what I told them, but I am suicidal",
  });
}

TEST_CASE("word boundaries always: no substring matches") {
  expect_at_most(level::low, {
      "the weather was a bit ropey today",
      "he's a skilled joiner",
      "what's your phone number?",
      "I tied a knot in the rope for the tent",
      "my therapist is great",
      "grab the scarf from the shed",
      "the diet is going well",
      "we had a killer quiz round at the pub",
  });
}

TEST_CASE("evasion: spacing, leetspeak, look-alikes, zero-width, stretching, slang") {
  expect_at_least(level::high, {
      "i want to d i e",
      "K I L L  M Y S E L F",
      "i want to k1ll mys3lf",
      "i w\u0430nt t\u043E d\u0456e",           // Cyrillic а о і
      "kill\u200B myself",
      "i want to diiiiiie",
      "endmylife tonight",
      "thinking about suicde",
      "i cant go on, i wanna die",
      "gonna unalive myself",
      "kms",
      "I want to end my life\u2019s misery, I can\u2019t go on",
      "\uFF49 \uFF57\uFF41\uFF4E\uFF54 \uFF54\uFF4F \uFF44\uFF49\uFF45",
  });
}

TEST_CASE("someone else in danger now is as actionable as the writer's own crisis") {
  for (const char *t : {"my brother keeps saying he wants to die",
                        "my mate from the regiment said he wants to kill himself",
                        "she told me she wants to end her life"}) {
    const auto a = E().assess(t);
    INFO(t);
    CHECK(a.concern_for_other);
    CHECK(a.other_level >= level::high);
    CHECK(a.lvl >= level::high);
    CHECK(a.lvl == a.other_level);
    CHECK(a.flags.alert_staff);
    CHECK(a.flags.show_resources);
    CHECK(a.at_risk == tr::risk_subject::other);
  }
}

TEST_CASE("at_risk says whose safety the message is about") {
  CHECK(E().assess("lovely day for a walk").at_risk == tr::risk_subject::none);
  CHECK(E().assess("I want to kill myself").at_risk == tr::risk_subject::self);
  const auto both = E().assess("my mate wants to kill himself. I want to die too");
  CHECK(both.at_risk == tr::risk_subject::both);
  CHECK(both.lvl >= level::high);
  CHECK(E().failsafe("x").at_risk == tr::risk_subject::self);
}

TEST_CASE("a past danger to someone else is a concern, not a current crisis") {
  const auto a = E().assess("my mate tried to kill himself years ago, he's doing great now");
  CHECK(a.concern_for_other);
  CHECK(a.lvl >= level::low);
  CHECK(a.lvl <= level::medium);
}

TEST_CASE("a crisis phrased about 'a mate' that is really the user's own") {
  expect_at_least(level::high, {
      "asking for a mate, how do you kill yourself without it hurting",
      "my mate wants to die. well, it's me really",
      "asking for a friend: what if I want to end my life",
  });
}

TEST_CASE("quotations, titles, news and study are suppressed or lowered") {
  for (const char *t : {"a news story about veteran suicide statistics",
                        "we watched a film called Suicide Room",
                        "I'm writing an essay on suicide prevention for my course",
                        "the documentary about suicide in the armed forces was hard to watch"}) {
    const auto a = E().assess(t);
    INFO(t);
    CHECK(a.lvl <= level::low);
    CHECK_FALSE(a.suppressed.empty());
  }
}

TEST_CASE("idioms and everyday phrases are not crises, and the suppression is visible") {
  for (const char *t : {
           "absolutely killing it at work this week",
           "I could kill myself, I left my keys at work",
           "dying to see the match on saturday",
           "hanging the washing out before the rain",
           "crossing the bridge into town for the market",
           "my NHS dentist finally called back",
           "picked up my tablets for cholesterol",
           "kys noob, get good",
           "need to jump start the van",
           "I'm done with the ironing",
           "I've had enough of this rain",
           "my final shift at the depot is friday",
           "I've got a plan for Saturday's barbecue",
           "I think I overdosed on chocolate at christmas",
           "I was dead chuffed with the result",
       }) {
    const auto a = E().assess(t);
    CHECK_MESSAGE(a.lvl <= level::low, (std::string(t) + " => " + tr::to_string(a.lvl)));
  }
  const auto a = E().assess("I could kill myself, I left my keys at work");
  CHECK(has_suppressed(a, "hyperbole"));
}

TEST_CASE("multipliers escalate a real signal but never create one") {
  expect_at_most(level::none, {
      "had a few drinks at the pub with the lads",
      "bought a new car today",
      "final exam tomorrow",
      "home alone tonight watching telly",
      "I haven't been drinking",
      "took the dog for a walk over the bridge",
  });
  const auto plain = E().assess("I want to die");
  const auto drunk = E().assess("I want to die and I've been drinking all day");
  CHECK(drunk.lvl > plain.lvl);
  // Stacked multipliers still move at most one level.
  const auto stacked = E().assess("I feel really low, been drinking and I'm all alone");
  const auto base = E().assess("I feel really low");
  CHECK(static_cast<int>(stacked.lvl) <= static_cast<int>(base.lvl) + 1);
  // A negated multiplier does not fire.
  const auto sober = E().assess("I want to die but I haven't been drinking");
  CHECK(sober.lvl == plain.lvl);
}

TEST_CASE("veteran-specific expressions") {
  expect_at_least(level::high, {
      "I keep my service pistol at home and I think about using it",
      "wish I'd not made it back from tour",
      "should have been me who died in Helmand, not him",
      "thinking of eating my gun",
      "I want to join the lads who didn't come back",
      "kept a few rounds back from the range years ago. only need the one",
  });
  // The same words without ammunition in the message are everyday chat.
  expect_at_most(level::low, {
      "only need the one sugar thanks",
      "just want the one pint tonight, early start",
  });
}

TEST_CASE("indirect expressions of finality") {
  expect_at_least(level::high, {
      "I won't be around much longer",
      "I've sorted my affairs so the family won't have to",
      "I've given my medals away to my nephew, won't need them",
      "this is goodbye, look after the dog for me",
      "you won't have to worry about me much longer",
  });
}

TEST_CASE("past ideation is lowered, not erased") {
  const auto a = E().assess("I used to think about ending it, not any more");
  CHECK(a.lvl >= level::low);
  CHECK(a.lvl <= level::medium);
  REQUIRE_FALSE(a.triggers.empty());
  CHECK(a.triggers[0].when == tr::temporal::past);
}

TEST_CASE("'not only ... but' and 'only joking'") {
  expect_at_least(level::high, {"not only do I want to die, but I have a plan"});
  const auto j = E().assess("I want to die lol only joking, the wifi is down");
  CHECK(j.lvl <= level::low);
  CHECK(j.lvl >= level::low); // lowered, not erased
}
