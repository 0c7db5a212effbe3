// Pack format 2: word classes and frames (roles in one clause make a signal).
#include <doctest/doctest.h>

#include <string>

#include "helpers.hpp"

using namespace triage_test;
using tr::level;
using veteran::errc;

namespace {

const std::string kClasses = R"J("classes":[
  {"id":"intent","patterns":["going to","gonna","about to"]},
  {"id":"ingest","patterns":["take","neck","swallow"]},
  {"id":"medication","patterns":["paracetamol","(sleeping|my) pills","co codamol"]},
  {"id":"quantity","patterns":["the lot","every last one","the whole (box|packet)"]},
  {"id":"unused","patterns":["zebra"]}
])J";

const std::string kFrames = R"J("frames":[
  {"id":"plan.overdose_frame","category":"plan","severity":"critical","weight":0.9,
   "roles":{"intent":"@intent","act":"@ingest","means":["@medication","@quantity"]},
   "max_span":8,"unless_any":["as prescribed","with food"]}
])J";

std::string frame_pack(const std::string &classes = kClasses,
                       const std::string &frames = kFrames, int format = 2) {
  return R"J({"format":)J" + std::to_string(format) +
         R"J(,"id":"f","version":"1","locale":"en-GB","phrases":[
    {"id":"distress.tired","pattern":"so tired","category":"distress","severity":"low","weight":0.2}],
    "cues":{"negation":["not","never"],"third_person":["he","she"],"first_person":["i","me","my"],
            "past":["years ago","last year"],"clause_break":["but"]},)J" +
         classes + "," + frames + "}";
}

const tr::engine &frame_engine() {
  static const tr::engine e =
      tr::engine::create(tr::pack::from_json(frame_pack()).value(), rules_only()).value();
  return e;
}

} // namespace

TEST_CASE("a frame fires when its roles meet in one clause, in any wording order") {
  for (const char *t : {"I'm going to take the lot tonight",
                        "gonna neck every last one of my pills",
                        "about to swallow the whole box",
                        "the lot is what im going to take"}) {
    INFO(t);
    const auto a = frame_engine().assess(t);
    REQUIRE(a.triggers.size() >= 1);
    const auto &tr0 = a.triggers[0];
    CHECK(tr0.id == "plan.overdose_frame");
    CHECK(tr0.cat == tr::category::plan);
    CHECK(a.lvl == level::critical);
  }
}

TEST_CASE("a frame explains which words filled which role") {
  const auto a = frame_engine().assess("I'm going to take the lot");
  REQUIRE_FALSE(a.triggers.empty());
  const auto &why = a.triggers[0].why;
  INFO(why);
  CHECK(why.find("intent \"going to\"") != std::string::npos);
  CHECK(why.find("act \"take\"") != std::string::npos);
  CHECK(why.find("means \"the lot\"") != std::string::npos);
  CHECK(a.triggers[0].phrase == "intent=@intent + act=@ingest + means=@medication|@quantity");
}

TEST_CASE("a frame does not fire with a role missing, across clauses, or too spread out") {
  for (const char *t : {"I'm going to take the dog out",          // no means
                        "I'm going to the shop but I'll take the lot", // two clauses
                        "going to see if the chemist will sell me some and then take "
                        "them home with the rest of the shopping and paracetamol"}) {
    INFO(t);
    CHECK(frame_engine().assess(t).lvl == level::none);
  }
}

TEST_CASE("a frame goes through the same rules as a phrase") {
  // Negated, past and third person read like any trigger.
  const auto neg = frame_engine().assess("I'm not going to take the lot");
  CHECK(neg.lvl == level::none);
  REQUIRE_FALSE(neg.suppressed.empty());
  CHECK(neg.suppressed[0].reason == "negated");
  const auto past = frame_engine().assess("years ago I was going to take the lot");
  REQUIRE_FALSE(past.triggers.empty());
  CHECK(past.triggers[0].when == tr::temporal::past);
  CHECK(past.lvl < level::critical);
}

TEST_CASE("unless_any cancels a frame anywhere in the message") {
  CHECK(frame_engine().assess("going to take my pills with food").lvl == level::none);
  CHECK(frame_engine().assess("going to take my pills").lvl == level::critical);
}

TEST_CASE("format 2 errors name the class, frame and role") {
  auto bad = [](const std::string &json, const std::string &fragment,
                errc code = errc::pack_invalid) {
    const auto r = tr::pack::from_json(json);
    REQUIRE_FALSE(r.ok());
    INFO(r.message());
    CHECK(r.code() == code);
    CHECK(r.message().find(fragment) != std::string::npos);
  };
  bad(frame_pack(kClasses, kFrames, 1), "need \"format\": 2");
  bad(frame_pack(kClasses, R"J("frames":[{"id":"x","category":"plan","severity":"high","weight":0.5,"roles":{"a":"@intent","b":"@nope"}}])J"),
      "unknown class \"@nope\"");
  bad(frame_pack(kClasses, R"J("frames":[{"id":"x","category":"plan","severity":"high","weight":0.5,"roles":{"a":"@intent"}}])J"),
      "at least two roles");
  bad(frame_pack(kClasses, R"J("frames":[{"id":"x","category":"plan","severity":"high","weight":0.5,"roles":{"a":"intent","b":"@ingest"}}])J"),
      "\"@class\"");
  bad(frame_pack(R"J("classes":[{"id":"Bad-Name","patterns":["x"]}])J", R"J("frames":[])J"),
      "a-z");
  bad(frame_pack(R"J("classes":[{"id":"c","patterns":[]}])J", R"J("frames":[])J"),
      "patterns");
  bad(frame_pack(kClasses, R"J("frames":[{"id":"x","category":"plan","severity":"high","weight":0.5,"roles":{"a":"@intent","b":"@ingest"},"max_span":99}])J"),
      "max_span");
}

TEST_CASE("pack stats count classes and frames; the linter reports unused classes") {
  const auto p = tr::pack::from_json(frame_pack()).value();
  CHECK(p->stats().classes == 5);
  CHECK(p->stats().frames == 1);
  CHECK(p->stats().phrases == 1);
  bool unused = false;
  for (const auto &f : p->findings())
    unused = unused || (f.kind == "unused_class" && f.entry == "unused");
  CHECK(unused);
}

TEST_CASE("format 1 packs still load and behave as before") {
  const auto p = tr::pack::from_json(frame_pack(R"J("lexicon":[])J", R"J("multipliers":[])J", 1));
  CHECK(p.ok());
}

TEST_CASE("\"requires\" accepts only crisis_context") {
  const auto r = tr::pack::from_json(
      R"J({"format":1,"id":"t","version":"1","locale":"en-GB","phrases":[{"id":"x.y","pattern":"made my decision","category":"intent","severity":"high","weight":0.5,"requires":"something"}]})J");
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == errc::pack_invalid);
  CHECK(r.message().find("crisis_context") != std::string::npos);
}

TEST_CASE("the shipped pack: saying one will not come back, being at a dangerous place, not trusting oneself") {
  const auto &e = rules_only_default_engine();
  for (const char *t : {"if i go out that door tonight im not coming back",
                        "im goin down the river later and i aint coming back up",
                        "i am on the bridge now",
                        "sat on the kingston bridge parapet, traffic flying past behind me",
                        "i dont trust myself near the sea anymore"}) {
    INFO(t);
    CHECK(e.assess(t).lvl >= level::high);
  }
  for (const char *t : {"not coming back from my walk till dinner, its a long one",
                        "wont be coming back to this pub, pint was £8",
                        "dont trust myself near the biscuit tin tonight, diet starts tomorrow",
                        "stuck in traffic on the bridge again"}) {
    INFO(t);
    CHECK(e.assess(t).lvl < level::high);
  }
  const auto a = e.assess("im not coming back");
  REQUIRE_FALSE(a.triggers.empty());
  CHECK(a.triggers[0].id == "finality.frame_not_returning");
  CHECK(a.triggers[0].why.find("coming back") != std::string::npos);
}
