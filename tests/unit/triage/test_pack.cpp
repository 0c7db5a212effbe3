// Phrase pack loading, validation (errors name the entry) and compilation.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <vector>

#include "helpers.hpp"

using namespace triage_test;
using veteran::errc;

namespace {
std::string pack_with(const std::string &phrases, const std::string &extra = "") {
  return R"J({"format":1,"id":"t","version":"1","locale":"en-GB","phrases":[)J" +
         phrases + "]" + extra + "}";
}
const std::string kGood =
    R"J({"id":"ideation.want_to_die","pattern":"want to die","category":"ideation","severity":"high","weight":0.8})J";

void check_invalid(const std::string &json, const std::string &expected_fragment,
                   errc code = errc::pack_invalid) {
  auto r = tr::pack::from_json(json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == code);
  INFO("message: " << r.message());
  CHECK(r.message().find(expected_fragment) != std::string::npos);
}
} // namespace

TEST_CASE("a minimal pack compiles and reports its counts") {
  auto p = tr::pack::from_json(pack_with(kGood));
  REQUIRE(p.ok());
  CHECK((*p)->id() == "t");
  CHECK((*p)->stats().phrases == 1);
  CHECK((*p)->stats().per_category[static_cast<int>(tr::category::ideation)] == 1);
}

TEST_CASE("pack errors name the section, index and id of the bad entry") {
  check_invalid(
      pack_with(
          kGood +
          R"J(,{"id":"x.bad","pattern":"a","category":"ideation","severity":"severe","weight":0.5})J"),
      "phrases[1] (id \"x.bad\"): severity");
  check_invalid(
      pack_with(
          R"J({"id":"x.cat","pattern":"a","category":"sadness","severity":"low","weight":0.5})J"),
      "phrases[0] (id \"x.cat\"): category");
  check_invalid(
      pack_with(
          R"J({"id":"x.w","pattern":"a","category":"distress","severity":"low","weight":1.5})J"),
      "weight must be in (0, 1]");
  check_invalid(pack_with(kGood + "," + kGood), "duplicate id \"ideation.want_to_die\"");
  check_invalid(
      pack_with(
          R"J({"id":"x.typo","pattern":"a","category":"distress","severity":"low","weight":0.5,"wieght":1})J"),
      "unknown key \"wieght\"");
  check_invalid(
      pack_with(
          R"J({"id":"x.nest","pattern":"((a|b)|c)","category":"distress","severity":"low","weight":0.5})J"),
      "x.nest");
  check_invalid(
      pack_with(
          R"J({"id":"x.star","pattern":"want to *","category":"distress","severity":"low","weight":0.5})J"),
      "only contain words");
  check_invalid(
      pack_with(
          R"J({"id":"x.open","pattern":"(want to die","category":"distress","severity":"low","weight":0.5})J"),
      "unclosed");
  check_invalid(
      pack_with(
          R"J({"id":"x.empty","pattern":"(|)","category":"distress","severity":"low","weight":0.5})J"),
      "no words");
  check_invalid(
      pack_with(
          R"J({"id":"x.many","pattern":"(a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d)","category":"distress","severity":"low","weight":0.5})J"),
      "more than 4096");
  check_invalid(
      pack_with(
          kGood,
          R"J(,"multipliers":[{"id":"m.x","pattern":"rope","kind":"means","factor":3}])J"),
      "multipliers[0] (id \"m.x\"): factor");
  check_invalid(
      pack_with(
          kGood,
          R"J(,"exceptions":[{"id":"e.x","pattern":"killing it","reason":"because"}])J"),
      "exceptions[0] (id \"e.x\"): reason");
  check_invalid(pack_with(kGood, R"J(,"lexicon":[{"from":"two words","to":"x"}])J"),
                "lexicon[0]: \"from\" must be exactly one word");
  check_invalid(
      pack_with(kGood, R"J(,"lexicon":[{"from":"a","to":"b"},{"from":"b","to":"c"}])J"),
      "must not chain");
  check_invalid(pack_with(kGood, R"J(,"cues":{"negations":["not"]})J"),
                "unknown cue kind");
  check_invalid(pack_with(""), "at least one phrase");
  check_invalid(
      pack_with(
          R"J({"id":"x.with","pattern":"a","category":"plan","severity":"high","weight":0.5,"with_any":[]})J"),
      "phrases[0] (id \"x.with\"): \"with_any\" must be a non-empty list");
}

TEST_CASE("a phrase with with_any counts only when its context is in the message") {
  const auto p = tr::pack::from_json(pack_with(
      R"J({"id":"plan.one","pattern":"only need the one","category":"plan","severity":"high","weight":0.8,"with_any":["(rounds|bullets)"]})J"));
  REQUIRE(p.ok());
  const auto e = tr::engine::create(*p, rules_only()).value();
  CHECK(e.assess("only need the one").lvl == tr::level::none);
  CHECK(e.assess("two sugars? no, only need the one").lvl == tr::level::none);
  // Context anywhere in the message, even another sentence.
  const auto a = e.assess("kept some rounds back. only need the one");
  CHECK(a.lvl == tr::level::high);
  REQUIRE(a.triggers.size() == 1);
  CHECK(a.triggers[0].id == "plan.one");
  CHECK(e.assess("Only need the one... bullets are in the drawer").lvl ==
        tr::level::high);
}

TEST_CASE("format and JSON errors are distinct") {
  check_invalid("{not json", "invalid JSON", errc::parse_error);
  check_invalid(R"J({"format":3,"id":"t","version":"1","locale":"x","phrases":[]})J",
                "format", errc::unsupported_version);
  auto missing = tr::pack::from_file("/nonexistent/pack.json");
  CHECK(missing.code() == errc::not_found);
}

TEST_CASE("pack files: directories, FIFOs and oversize files are refused clearly") {
  const std::string dir = "/tmp/veteran_pack_test_" + std::to_string(::getpid());
  REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
  auto as_dir = tr::pack::from_file(dir);
  CHECK(as_dir.code() == errc::io_error);
  CHECK(as_dir.message() == "pack " + dir + ": is a directory");

  // A FIFO with no writer would block a plain open() forever.
  const std::string fifo = dir + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto as_fifo = tr::pack::from_file(fifo);
  CHECK(as_fifo.code() == errc::io_error);
  CHECK(as_fifo.message().find("FIFO") != std::string::npos);

  // Over the limit: refused before it is read (a sparse file costs no disk).
  const std::string big = dir + "/big.json";
  {
    std::FILE *f = std::fopen(big.c_str(), "w");
    REQUIRE(f);
    REQUIRE(::ftruncate(::fileno(f), static_cast<off_t>(tr::max_pack_bytes + 1)) == 0);
    std::fclose(f);
  }
  auto too_big = tr::pack::from_file(big);
  CHECK(too_big.code() == errc::limit_exceeded);
  CHECK(tr::pack::from_json(std::string(tr::max_pack_bytes + 1, ' ')).code() ==
        errc::limit_exceeded);

  ::unlink(big.c_str());
  ::unlink(fifo.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("pack JSON errors carry an offset, never a library source path, and refuse "
          "duplicate members") {
  auto bad = tr::pack::from_json("{\"format\": 1, \"id\": tru}");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.code() == errc::parse_error);
  CHECK(bad.message().rfind("pack: invalid JSON at byte ", 0) == 0);
  CHECK(bad.message().find("/usr/include") == std::string::npos);
  CHECK(bad.message().find(".hpp") == std::string::npos);
  // Two "severity" members: which one counts would be a guess.
  check_invalid(
      pack_with(
          R"J({"id":"x.d","pattern":"a","category":"ideation","severity":"low","severity":"critical","weight":0.5})J"),
      "duplicate member 'severity' at $.phrases[0]", errc::parse_error);
}

TEST_CASE("a failed pack swap leaves the engine on its previous pack") {
  auto e = tr::engine::create(test_pack(), rules_only()).value();
  // A host reloading a pack file: the new pack fails to compile, so there is
  // nothing to swap in; and a swap to nothing is refused. Either way the
  // engine keeps answering with its previous pack.
  auto bad = tr::pack::from_json(pack_with(
      R"J({"id":"x.bad","pattern":"want to die","category":"ideation","severity":"none","weight":0.5})J"));
  REQUIRE_FALSE(bad.ok());
  CHECK_THROWS_AS(e.set_pack(nullptr), veteran::error);
  CHECK(e.current_pack() == test_pack());
  CHECK(e.assess("I want to die").lvl == tr::level::high);
  // Control: a good swap does change what the engine uses.
  auto good = tr::pack::from_json(pack_with(
      R"J({"id":"distress.kettle","pattern":"kettle is broken","category":"distress","severity":"low","weight":0.1})J"));
  REQUIRE(good.ok());
  e.set_pack(*good);
  CHECK(e.current_pack() == *good);
  CHECK(e.assess("I want to die").lvl == tr::level::none);
}

TEST_CASE("a replaced pack is freed, not kept for ever") {
  auto e = tr::engine::create(test_pack(), rules_only()).value();
  std::weak_ptr<const tr::pack> first;
  {
    auto p = tr::pack::from_json(pack_with(kGood)).value();
    first = p;
    e.set_pack(p);
  }
  CHECK(e.assess("I want to die").lvl ==
        tr::level::high); // this thread now holds `first`
  e.set_pack(test_pack());
  CHECK_FALSE(first.expired()); // still this thread's view until its next call
  CHECK(e.assess("I want to die").pack_id == "dev");
  CHECK(first.expired());
}

TEST_CASE("packs can be replaced at run time without a rebuild") {
  auto e = tr::engine::create(test_pack(), rules_only()).value();
  CHECK(e.assess("the kettle is broken").lvl == tr::level::none);
  auto p = tr::pack::from_json(pack_with(
      R"J({"id":"distress.kettle","pattern":"(kettle|toaster) is broken","category":"distress","severity":"low","weight":0.1})J"));
  REQUIRE(p.ok());
  e.set_pack(*p);
  CHECK(e.assess("the kettle is broken").lvl == tr::level::low);
  CHECK(e.current_pack()->id() == "t");
}

TEST_CASE("patterns are normalised like messages: case, apostrophes, lexicon") {
  auto p = tr::pack::from_json(pack_with(
      R"J({"id":"hopelessness.cant","pattern":"I Can’t (Go On|carry on)","category":"hopelessness","severity":"medium","weight":0.5})J",
      R"J(,"lexicon":[{"from":"cannot","to":"cant"}])J"));
  REQUIRE(p.ok());
  auto e = tr::engine::create(*p, rules_only()).value();
  for (const char *t :
       {"i cant go on", "I can't carry on", "I cannot go on", "I CAN'T GO ON"})
    CHECK_MESSAGE(e.assess(t).lvl == tr::level::medium, t);
}

TEST_CASE("the shipped default pack compiles and is large enough") {
  const auto p = tr::pack::default_pack();
  const auto &s = p->stats();
  CHECK(p->locale() == "en-GB");
  CHECK(s.phrases >= 600);
  for (int c = 0; c < tr::category_count; ++c)
    CHECK_MESSAGE(s.per_category[c] > 0,
                  std::string(tr::to_string(static_cast<tr::category>(c))));
  CHECK(s.multipliers > 0);
  CHECK(s.exceptions > 0);
  CHECK(s.lexicon > 0);
  CHECK(s.cues > 0);
}

TEST_CASE("the pack linter reports copies, subsets, conflicting ratings and covered "
          "criticals") {
  auto p = tr::pack::from_json(pack_with(
      R"J({"id":"intent.end_it","pattern":"(end|finish) it all","category":"intent","severity":"critical","weight":0.9},
          {"id":"intent.end_it_2","pattern":"end it all","category":"intent","severity":"critical","weight":0.9},
          {"id":"distress.end_it","pattern":"finish it all","category":"distress","severity":"low","weight":0.2},
          {"id":"ideation.want_to_die","pattern":"want to die","category":"ideation","severity":"high","weight":0.8})J",
      R"J(,"exceptions":[{"id":"idiom.end_it_all_week","pattern":"end it all week","reason":"idiom","may_suppress":["critical"]},
                         {"id":"idiom.finish_it_all_off","pattern":"finish it all off","reason":"idiom"}])J"));
  REQUIRE(p.ok());
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_kind;
  for (const auto &f : (*p)->findings())
    by_kind[f.kind].emplace_back(f.entry, f.other);
  using pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(by_kind["id_suffix"] == pairs{{"intent.end_it_2", ""}});
  CHECK(by_kind["subset"] == pairs{{"intent.end_it_2", "intent.end_it"}});
  CHECK(by_kind["conflict"] == pairs{{"intent.end_it", "distress.end_it"}});
  // Only an exception that may suppress a critical signal can cover one.
  CHECK(by_kind["critical_covered"] ==
        pairs{{"intent.end_it", "idiom.end_it_all_week"},
              {"intent.end_it_2", "idiom.end_it_all_week"}});
  // A clean pack has no findings, and findings never stop a pack loading.
  CHECK(tr::pack::from_json(pack_with(kGood)).value()->findings().empty());
}

namespace {
/// A pack with a critical plan phrase, a means phrase, a low distress phrase
/// and one exception overlapping each; `may_suppress` is the exception's list.
std::shared_ptr<const tr::pack> exception_pack(const std::string &may_suppress) {
  const std::string extra = may_suppress.empty() ? "" : R"J(,"may_suppress":)J" + may_suppress;
  return tr::pack::from_json(
             pack_with(
                 R"J({"id":"plan.take_them_all","pattern":"take all my painkillers","category":"plan","severity":"critical","weight":0.9},
                     {"id":"means.pills_ready","pattern":"painkillers lined up","category":"means","severity":"high","weight":0.7},
                     {"id":"distress.sore","pattern":"in agony","category":"distress","severity":"low","weight":0.2})J",
                 R"J(,"exceptions":[{"id":"medical.for_my_back","pattern":"painkillers (for my back|lined up for the week)","reason":"medical")J" +
                     extra +
                     R"J(},{"id":"medical.agony_back","pattern":"in agony with my back","reason":"medical"}])J"))
      .value();
}
} // namespace

TEST_CASE("an exception never hides a critical, plan or means signal unless it says it may") {
  const auto plain = tr::engine::create(exception_pack(""), rules_only()).value();
  // The exception overlaps the critical plan and the means phrase: both stay.
  auto a = plain.assess("going to take all my painkillers for my back, want it over");
  CHECK(a.lvl == tr::level::critical);
  REQUIRE_FALSE(a.triggers.empty());
  CHECK(a.triggers[0].id == "plan.take_them_all");
  CHECK(plain.assess("got my painkillers lined up for the week").lvl >= tr::level::high);
  // An unprotected signal is still suppressed, and says by what.
  a = plain.assess("in agony with my back today");
  CHECK(a.lvl == tr::level::none);
  REQUIRE(a.suppressed.size() == 1);
  CHECK(a.suppressed[0].by == "medical.agony_back");

  // Named in "may_suppress", the same signals are suppressed.
  const auto allowed =
      tr::engine::create(exception_pack(R"J(["critical","plan","means"])J"), rules_only())
          .value();
  CHECK(allowed.assess("going to take all my painkillers for my back").lvl ==
        tr::level::none);
  CHECK(allowed.assess("got my painkillers lined up for the week").lvl == tr::level::none);
  // A critical plan phrase needs both: "critical" alone is not enough.
  const auto critical_only =
      tr::engine::create(exception_pack(R"J(["critical"])J"), rules_only()).value();
  CHECK(critical_only.assess("going to take all my painkillers for my back").lvl ==
        tr::level::critical);
}

TEST_CASE("the shipped pack: everyday context no longer hides a plan") {
  const auto &e = rules_only_default_engine();
  CHECK(e.assess("took all my painkillers for my back, the whole box, want it to end").lvl ==
        tr::level::critical);
  CHECK(e.assess("sat in the garage with the engine running so the fumes fill up").lvl >=
        tr::level::high);
  // The same exceptions still cancel the everyday uses they were written for.
  CHECK(e.assess("paracetamol for my headache, anyone got any").lvl == tr::level::none);
  CHECK(e.assess("sat in the car with the engine running waiting for the kids").lvl ==
        tr::level::none);
  CHECK(e.assess("I shot myself in the foot by telling the boss I could work Sundays").lvl ==
        tr::level::none);
}

TEST_CASE("may_suppress accepts only plan, means and critical") {
  for (const char *bad : {R"J([])J", R"J("critical")J", R"J(["distress"])J", R"J(["sometimes"])J",
                          R"J([3])J"}) {
    INFO(bad);
    check_invalid(
        pack_with(kGood, std::string(R"J(,"exceptions":[{"id":"x.y","pattern":"want to die laughing","reason":"idiom","may_suppress":)J") +
                             bad + "}]"),
        "may_suppress");
  }
}

TEST_CASE("a later clarification lowers a phrase before it to low, never to none") {
  const auto &e = rules_only_default_engine();
  auto a = e.assess("thinking of ending it - my membership at the gym. not like that lol");
  CHECK(a.lvl == tr::level::low);
  REQUIRE_FALSE(a.triggers.empty());
  CHECK(a.triggers[0].why.find("clarification") != std::string::npos);
  CHECK(e.assess("sorry if i worried you with the cant do this anymore, i meant the course")
            .lvl == tr::level::low);
  // Before the phrase, or two sentences away, it clarifies nothing.
  CHECK(e.assess("not like that. I want to end my life").lvl >= tr::level::high);
  CHECK(e.assess("I want to end my life. Everything hurts. not like that").lvl >=
        tr::level::high);
  // A bare "I mean" can continue a disclosure: not a clarification.
  CHECK(e.assess("I want to die, I mean it this time").lvl >= tr::level::high);
}
