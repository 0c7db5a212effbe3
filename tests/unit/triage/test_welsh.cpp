// Several packs at once (engine_options::extra_packs) and the shipped Welsh
// pack: Welsh crises through a two-pack engine, mutations, Welsh negation,
// tense, person and everyday exceptions, English answers unchanged, the
// level as the highest of the packs, pack of origin, bad arguments and the
// fail-safe answer when an extra pack fails.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "helpers.hpp"
#include "triage/detail/testing.hpp"

using namespace triage_test;
using tr::level;

namespace {

std::shared_ptr<const tr::pack> welsh() { return tr::pack::builtin("cy-GB").value(); }

/// en-GB with Welsh beside it, rules alone (the model is trained on English).
const tr::engine &two_packs() {
  static const tr::engine e = [] {
    auto o = rules_only();
    o.extra_packs.push_back(welsh());
    return tr::engine::create(tr::pack::default_pack(), o).value();
  }();
  return e;
}

const tr::engine &english_only() {
  static const tr::engine e =
      tr::engine::create(tr::pack::default_pack(), rules_only()).value();
  return e;
}

bool any_id_with_prefix(const tr::assessment &a, const std::string &prefix) {
  for (const auto &t : a.triggers)
    if (t.id.rfind(prefix, 0) == 0) return true;
  return false;
}

} // namespace

TEST_CASE("the shipped Welsh pack compiles, lints clean but for two reviewed findings") {
  const auto p = welsh();
  CHECK(p->locale() == "cy-GB");
  CHECK(p->stats().phrases >= 25);
  CHECK(p->stats().frames >= 6);
  // Both findings are the idioms "lladd fy hun yn chwerthin" / "yn gweithio",
  // which must cover "lladd fy hun" (as en-GB's kill_myself_laughing does).
  REQUIRE(p->findings().size() == 2);
  for (const auto &f : p->findings()) {
    CHECK(f.kind == "critical_covered");
    CHECK(f.entry == "intent.kill_myself");
  }
  CHECK(tr::pack::builtin("en-GB").value() == tr::pack::default_pack());
  CHECK(tr::pack::builtin("cy-GB").value() == p); // compiled once
  CHECK(tr::pack::builtin("fr-FR").code() == veteran::errc::not_found);
  CHECK(tr::builtin_pack_json("cy-GB").size() > 1000);
}

TEST_CASE("Welsh crisis lines are high or critical through a two-pack engine") {
  const struct {
    const char *text;
    level at_least;
  } lines[] = {
      {"Dw i eisiau marw", level::high},
      {"dw i am ladd fy hun heno", level::critical},
      {"rhoi diwedd ar y cyfan", level::critical},
      {"rhoi diwedd ar fy mywyd", level::critical},
      {"does dim pwynt byw", level::high},
      {"gwell gen i farw", level::high},
      {"dw i ddim eisiau byw", level::high},
      {"dw i am gymryd fy nhabledi i gyd heno", level::critical},
      {"dw i am neidio oddi ar y bont", level::critical},
      {"dw i am ddefnyddio'r gwn heno", level::critical},
      {"mae'r rhaff yn barod", level::high},
      {"hwyl fawr i bawb, sori am bopeth", level::high},
  };
  for (const auto &l : lines) {
    CAPTURE(l.text);
    const auto a = two_packs().assess(l.text);
    CHECK(a.lvl >= l.at_least);
    CHECK(a.flags.alert_staff);
    CHECK(any_id_with_prefix(a, "cy-GB:"));
    // The English pack alone does not read them: the test fails without the
    // Welsh pack.
    CHECK(english_only().assess(l.text).lvl < l.at_least);
  }
}

TEST_CASE(
    "every mutated form matches: marw/farw, lladd/ladd, bywyd/mywyd/fywyd, pont/bont") {
  CHECK(two_packs().assess("gwell gen i farw").lvl >= level::high);
  CHECK(two_packs().assess("gwell gen i marw").lvl >= level::high);
  CHECK(two_packs().assess("lladd fy hun").lvl == level::critical);
  CHECK(two_packs().assess("i ladd fy hun").lvl == level::critical);
  CHECK(two_packs().assess("rhoi diwedd ar fy mywyd").lvl == level::critical);
  CHECK(two_packs().assess("rhoi diwedd ar fy bywyd").lvl == level::critical);
  CHECK(two_packs().assess("dw i ar y bont").lvl >= level::high);
  CHECK(two_packs().assess("dw i ar pont").lvl >= level::high);
  CHECK(two_packs().assess("dw i'n sefyll ar ben y clogwyn").lvl >= level::high);
  CHECK(two_packs().assess("dw i'n sefyll ar ben y glogwyn").lvl >= level::high);
  CHECK(two_packs().assess("dw i am gymryd y tabledi i gyd").lvl == level::critical);
  CHECK(two_packs().assess("dw i am gymryd y dabledi i gyd").lvl == level::critical);
}

TEST_CASE("Welsh negation, past, third person, reported speech and everyday exceptions") {
  auto suppressed = [](const tr::assessment &a, const std::string &reason) {
    for (const auto &s : a.suppressed)
      if (s.reason == reason && s.id.rfind("cy-GB:", 0) == 0) return true;
    return false;
  };
  SUBCASE("negation") {
    const auto a = two_packs().assess("Dw i ddim eisiau marw");
    CHECK(a.lvl == level::none);
    CHECK(suppressed(a, "negated"));
    CHECK(two_packs().assess("fydda i byth yn lladd fy hun").lvl == level::none);
    CHECK(two_packs().assess("does gen i ddim bwriad o ladd fy hun").lvl == level::none);
  }
  SUBCASE("past") {
    const auto a = two_packs().assess("roeddwn i eisiau marw llynedd");
    REQUIRE_FALSE(a.triggers.empty());
    CHECK(a.triggers[0].when == tr::temporal::past);
    CHECK(a.lvl == level::low);
    CHECK(two_packs().assess("wnes i feddwl am ladd fy hun ers talwm").lvl <=
          level::medium);
    // A present cue wins over the past: still wanting to die tonight.
    CHECK(two_packs().assess("roeddwn i eisiau marw a dw i eisiau marw heno").lvl >=
          level::high);
  }
  SUBCASE("third person: someone else at risk is still actionable") {
    const auto a = two_packs().assess("mae fy mrawd eisiau marw");
    REQUIRE_FALSE(a.triggers.empty());
    CHECK(a.triggers[0].who == tr::subject::other);
    CHECK(a.at_risk == tr::risk_subject::other);
    CHECK(a.lvl >= level::high);
  }
  SUBCASE("reported speech") {
    const auto a =
        two_packs().assess("roedd erthygl yn y newyddion am ddyn oedd eisiau marw");
    CHECK(a.lvl <= level::low);
    CHECK(suppressed(a, "reported"));
  }
  SUBCASE("everyday wording a keyword system trips on") {
    CHECK(two_packs().assess("dw i'n marw o eisiau paned").lvl == level::none);
    CHECK(two_packs().assess("dim ond lladd amser").lvl == level::none);
    CHECK(two_packs().assess("wedi blino'n lân").lvl == level::none);
    const auto laughing = two_packs().assess("bron i mi ladd fy hun yn chwerthin");
    CHECK(laughing.lvl == level::none);
    CHECK(suppressed(laughing, "idiom"));
    CHECK(two_packs().assess("dw i'n lladd fy hun yn gweithio").lvl == level::none);
    CHECK(two_packs().assess("gwell gen i farw na gwylio'r gêm yna eto").lvl ==
          level::none);
    CHECK(two_packs().assess("gwell gen i farw na byw fel hyn").lvl >= level::high);
    CHECK(two_packs().assess("hwyl fawr i bawb, welwn ni chi wythnos nesa").lvl ==
          level::none);
  }
}

TEST_CASE("English answers are unchanged by running the Welsh pack beside en-GB") {
  std::ifstream in(std::string(VETERAN_TEST_DATA_DIR) + "/triage/labelled.jsonl");
  REQUIRE(in);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::string text(boost::json::parse(line).as_object().at("text").as_string());
    const auto a = english_only().assess(text), b = two_packs().assess(text);
    CAPTURE(text);
    CHECK(a.lvl == b.lvl);
    CHECK(a.triggers.size() == b.triggers.size());
    CHECK(a.suppressed.size() == b.suppressed.size());
    CHECK(a.multipliers.size() == b.multipliers.size());
    CHECK(a.score == doctest::Approx(b.score));
    ++n;
  }
  CHECK(n > 700);
}

TEST_CASE("the level is the highest any pack gives, and findings keep their pack") {
  // English high + Welsh high in different categories: escalated together.
  const auto a = two_packs().assess("I want to die. does dim pwynt byw");
  CHECK(a.lvl == level::critical);
  bool english = false, cymraeg = false;
  for (const auto &t : a.triggers) {
    english = english || t.id == "ideation.want_to_die";
    cymraeg = cymraeg || t.id == "cy-GB:hopelessness.no_point_living";
  }
  CHECK(english);
  CHECK(cymraeg);
  // English critical, Welsh high: critical.
  CHECK(two_packs().assess("I'm going to kill myself. dw i eisiau marw").lvl ==
        level::critical);
  // Welsh only: the Welsh level.
  const auto w = two_packs().assess("dw i eisiau marw");
  CHECK(w.lvl == level::high);
  CHECK(w.pack_id == "en-GB-default"); // the primary pack names the assessment
  // JSON carries the prefixed id.
  CHECK(tr::to_json(w).find("\"cy-GB:ideation.want_to_die\"") != std::string::npos);
}

TEST_CASE("the conversation view sees every pack's findings") {
  tr::session s;
  auto o = rules_only();
  o.extra_packs.push_back(welsh());
  const auto e = tr::engine::create(tr::pack::default_pack(), o).value();
  const auto first = e.assess("dw i eisiau marw", s, 1'000'000);
  CHECK(first.lvl == level::high);
  const auto second = e.assess("dw i'n hunanladdol", s, 1'060'000);
  CHECK(second.conversation_level >= level::high);
  bool repeated = false;
  for (const auto &p : second.patterns)
    repeated = repeated || p.name == "repeated_ideation";
  CHECK(repeated);
}

TEST_CASE("the learned model keeps reading the primary pack only") {
  tr::engine_options o;
  o.extra_packs.push_back(welsh());
  const auto both = tr::engine::create(tr::pack::default_pack(), o).value();
  const tr::engine english =
      tr::engine::create(tr::pack::default_pack(), tr::engine_options{}).value();
  for (const char *text : {"dw i eisiau marw", "I want to die. dw i ddim eisiau byw",
                           "lovely day at the allotment"}) {
    CAPTURE(text);
    const auto a = both.assess(text), b = english.assess(text);
    CHECK(a.model.crisis == doctest::Approx(b.model.crisis));
    CHECK(a.model.concern == doctest::Approx(b.model.concern));
    CHECK(both.model_features(text).value() == english.model_features(text).value());
  }
}

TEST_CASE("extra packs: bad arguments are refused and change nothing") {
  auto o = rules_only();
  o.extra_packs.push_back(nullptr);
  auto r = tr::engine::create(tr::pack::default_pack(), o);
  CHECK(r.code() == veteran::errc::invalid_argument);
  CHECK(r.message().find("extra_packs[0]") != std::string::npos);

  o.extra_packs = {welsh(), welsh()};
  r = tr::engine::create(tr::pack::default_pack(), o);
  CHECK(r.code() == veteran::errc::invalid_argument);
  CHECK(r.message().find("extra_packs[1]") != std::string::npos);

  o.extra_packs = {tr::pack::default_pack()}; // same locale as the primary
  CHECK(tr::engine::create(tr::pack::default_pack(), o).code() ==
        veteran::errc::invalid_argument);

  // set_pack keeps replacing the primary; a primary with an extra's locale is
  // refused and the engine keeps its pack.
  o.extra_packs = {welsh()};
  auto e = tr::engine::create(tr::pack::default_pack(), o).value();
  CHECK_THROWS_AS(e.set_pack(welsh()), veteran::error);
  CHECK(e.current_pack() == tr::pack::default_pack());
  CHECK(e.assess("dw i eisiau marw").lvl == level::high);
  e.set_pack(test_pack());
  CHECK(e.current_pack() == test_pack());
  CHECK(e.extra_packs().size() == 1);
  CHECK(e.assess("dw i eisiau marw").lvl == level::high); // Welsh still runs
}

TEST_CASE("fail-safe: a failure in an extra pack gives the fail-safe answer") {
  tr::detail::set_extra_pack_failure_injection(true);
  const auto a = two_packs().assess("dw i eisiau marw");
  const auto b = two_packs().assess("lovely day at the allotment");
  tr::detail::set_extra_pack_failure_injection(false);
  CHECK(a.lvl == level::high);
  CHECK_FALSE(a.error.empty());
  CHECK(a.flags.alert_staff);
  // A message the Welsh pack's gate does not open never runs it.
  CHECK(b.lvl == level::none);
  CHECK(b.error.empty());
  // And a session is not updated by the failed call.
  tr::session s;
  tr::detail::set_extra_pack_failure_injection(true);
  CHECK(two_packs().assess("dw i eisiau marw", s, 1000).lvl == level::high);
  tr::detail::set_extra_pack_failure_injection(false);
  CHECK(s.turns().empty());
}

TEST_CASE("the default engine runs en-GB alone (Welsh is opt-in: measured too costly)") {
  const tr::engine e;
  CHECK(e.extra_packs().empty());
  CHECK(e.assess("dw i am ladd fy hun").lvl < level::critical);
}
