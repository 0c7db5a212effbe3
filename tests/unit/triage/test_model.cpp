// The learned second opinion: loading, raise-only behaviour, explanation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>
#include <string>

#include "triage/detail/model_hash.hpp"
#include "triage/detail/testing.hpp"
#include "util/encoding.hpp"
#include "helpers.hpp"

using namespace triage_test;
using tr::level;

namespace {

/// A model document with every weight set to `w` (so every message gets the
/// same scores) over 2^bits buckets.
std::string uniform_model(std::int8_t w, int bits = 8, double crisis_threshold = 0.5,
                          const std::string &extra = "") {
  const std::string bytes(std::size_t{2} << bits, static_cast<char>(w));
  const auto b64 = veteran::util::b64url_encode(
      reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
  return R"({"format":"veteran-linear-model","format_version":1,"id":"test-model",)"
         R"("version":"1","hash_bits":)" +
         std::to_string(bits) +
         R"(,"heads":{"crisis":{"bias":0,"scale":1,"threshold":)" +
         std::to_string(crisis_threshold) +
         R"(},"concern":{"bias":0,"scale":1,"threshold":0.5}},"weights":")" + b64 +
         "\"" + extra + "}";
}

tr::engine engine_with(const std::string &model_json) {
  tr::engine_options o;
  o.learned_model = tr::model::from_json(model_json).value();
  return tr::engine::create(tr::pack::default_pack(), o).value();
}

} // namespace

TEST_CASE("the shipped model loads and is on by default") {
  const auto m = tr::model::default_model();
  CHECK(m->id() == "en-GB-linear");
  CHECK(m->buckets() == (std::size_t{1} << 15));
  CHECK(m->crisis().raises_to == level::high);
  CHECK(m->concern().raises_to == level::medium);
  CHECK(m->crisis().threshold > 0.5);
  CHECK(m->crisis().threshold < 1.0);
  const auto a = default_engine().assess("lovely day at the allotment");
  CHECK(a.model.ran);
  CHECK(a.model.id == "en-GB-linear");
  CHECK(a.model.crisis >= 0.0);
  CHECK(a.model.crisis <= 1.0);
  CHECK_FALSE(a.model.raised);
  CHECK(default_engine().learned_model() == m);
}

TEST_CASE("rules alone: no model runs and the assessment says so") {
  const auto e = tr::engine::create(tr::pack::default_pack(), rules_only()).value();
  const auto a = e.assess("I want to die");
  CHECK_FALSE(a.model.ran);
  CHECK(e.learned_model() == nullptr);
  CHECK(tr::to_json(a).find("\"model\":null") != std::string::npos);
}

TEST_CASE("the model raises a message the rules missed, to at most high, and says why") {
  const auto e = engine_with(uniform_model(127));
  const auto a = e.assess("lovely day at the allotment");
  CHECK(a.lvl == level::high);
  CHECK(a.model.raised);
  CHECK(a.model.lvl == level::high);
  CHECK(a.flags.alert_staff);
  CHECK(a.model.why.find("test-model") != std::string::npos);
  CHECK(a.model.why.find("crisis score") != std::string::npos);
  const auto json = tr::to_json(a);
  CHECK(json.find("\"raised\":true") != std::string::npos);
}

TEST_CASE("the model never lowers what the rules found") {
  const auto low_model = engine_with(uniform_model(-127));
  const auto rules = tr::engine::create(tr::pack::default_pack(), rules_only()).value();
  for (const char *t : {"I want to kill myself", "I want to die", "I can't go on",
                        "struggling a bit"}) {
    INFO(t);
    const auto a = low_model.assess(t);
    CHECK(a.model.ran);
    CHECK(a.model.lvl == level::none);
    CHECK_FALSE(a.model.raised);
    CHECK(a.lvl == rules.assess(t).lvl);
  }
  // A model that would say high does not "raise" a critical message.
  const auto c = engine_with(uniform_model(127)).assess("I want to kill myself");
  CHECK(c.lvl == level::critical);
  CHECK_FALSE(c.model.raised);
}

TEST_CASE("bad model documents are refused naming the member, never half-loaded") {
  using veteran::errc;
  CHECK(tr::model::from_json("not json").code() == errc::parse_error);
  CHECK(tr::model::from_json("{}").code() == errc::pack_invalid);
  const auto wrong_weights = tr::model::from_json(uniform_model(1, 8, 0.5).replace(
      uniform_model(1, 8, 0.5).find("\"hash_bits\":8"), 13, "\"hash_bits\":9"));
  CHECK(wrong_weights.code() == errc::pack_invalid);
  CHECK(wrong_weights.message().find("weights") != std::string::npos);
  const auto bad_threshold = tr::model::from_json(uniform_model(1, 8, 1.0));
  CHECK(bad_threshold.code() == errc::pack_invalid);
  CHECK(bad_threshold.message().find("threshold") != std::string::npos);
  const auto unknown = tr::model::from_json(uniform_model(1, 8, 0.5, ",\"extra\":1"));
  CHECK(unknown.code() == errc::pack_invalid);
  CHECK(unknown.message().find("extra") != std::string::npos);
  CHECK(tr::model::from_file("/nonexistent/model.json").code() == errc::not_found);
  auto doc = uniform_model(1);
  doc.replace(doc.find("veteran-linear-model"), 20, "some-other-format-xx");
  CHECK(tr::model::from_json(doc).message().find("format") != std::string::npos);
}

TEST_CASE("model features are deterministic and follow the normalised words") {
  const auto &e = default_engine();
  const auto a = e.model_features("I want to die").value();
  CHECK_FALSE(a.empty());
  CHECK(a == e.model_features("I want to die").value());
  CHECK(a != e.model_features("I want to dine").value());
  // Leetspeak resolves to the pack's word, so it shares that word's features
  // (word, bigram) where an unknown word of the same shape does not.
  const auto shared = [&a](const std::vector<std::uint32_t> &x) {
    return std::count_if(x.begin(), x.end(), [&a](std::uint32_t f) {
      return std::find(a.begin(), a.end(), f) != a.end();
    });
  };
  CHECK(shared(e.model_features("i want to d13").value()) >
        shared(e.model_features("i want to dxq").value()));
  // Emoji count as features of their own.
  CHECK(e.model_features("\xF0\x9F\x92\x8A").value().size() >
        e.model_features("").value().size());
}

TEST_CASE("the model's raise fails safe: an internal failure is still high") {
  veteran::triage::detail::set_failure_injection(true);
  const auto a = engine_with(uniform_model(-127)).assess("lovely day");
  veteran::triage::detail::set_failure_injection(false);
  CHECK(a.lvl == level::high);
  CHECK_FALSE(a.error.empty());
}

TEST_CASE("model features name each word class once and each pair of classes met in one clause") {
  // Classes by index: 0 intent, 1 ingest, 2 medication.
  const auto p = tr::pack::from_json(R"J({"format":2,"id":"c","version":"1","locale":"en-GB",
    "phrases":[{"id":"distress.tired","pattern":"so tired","category":"distress","severity":"low","weight":0.2}],
    "cues":{"negation":["not"],"clause_break":["but"]},
    "classes":[{"id":"intent","patterns":["going to"]},{"id":"ingest","patterns":["take"]},
               {"id":"medication","patterns":["paracetamol","pills"]}],
    "frames":[{"id":"plan.f","category":"plan","severity":"critical","weight":0.9,
               "roles":{"intent":"@intent","act":"@ingest","means":"@medication"},"max_span":8}]})J")
                     .value();
  const auto e = tr::engine::create(p, rules_only()).value();
  namespace mh = veteran::triage::detail::model_hash;
  const auto has = [](const std::vector<std::uint32_t> &f, std::uint32_t x) {
    return std::count(f.begin(), f.end(), x);
  };
  const auto one_clause = e.model_features("going to take paracetamol and pills").value();
  CHECK(has(one_clause, mh::tagged(8, 0)) == 1);
  CHECK(has(one_clause, mh::tagged(8, 2)) == 1); // paracetamol and pills: once
  CHECK(has(one_clause, mh::tagged(9, 0 << 8 | 1)) == 1);
  CHECK(has(one_clause, mh::tagged(9, 1 << 8 | 2)) == 1);
  CHECK(has(one_clause, mh::tagged(9, 0 << 8 | 2)) == 1);
  // Split by a clause break, the intent meets no medication.
  const auto split = e.model_features("going to bed, paracetamol for my head").value();
  CHECK(has(split, mh::tagged(8, 0)) == 1);
  CHECK(has(split, mh::tagged(8, 2)) == 1);
  CHECK(has(split, mh::tagged(9, 0 << 8 | 2)) == 0);
}

TEST_CASE("class-pair features read this message's clauses in a pack with classes but no frames") {
  // Before: only the frame search assigned clauses to a role-only message, so
  // without frames the pairs were read from the previous message's clauses.
  const auto p = tr::pack::from_json(R"J({"format":2,"id":"c","version":"1","locale":"en-GB",
    "phrases":[{"id":"distress.tired","pattern":"so tired","category":"distress","severity":"low","weight":0.2}],
    "cues":{"negation":["not"],"clause_break":["but"]},
    "classes":[{"id":"intent","patterns":["going to"]},{"id":"medication","patterns":["paracetamol"]}],
    "frames":[]})J")
                     .value();
  const auto e = tr::engine::create(p, rules_only()).value();
  namespace mh = veteran::triage::detail::model_hash;
  const auto pairs = [](const std::vector<std::uint32_t> &f) {
    return std::count(f.begin(), f.end(), mh::tagged(9, 0 << 8 | 1));
  };
  // One clause, with a phrase (the rules assign its clauses).
  CHECK(pairs(e.model_features("so tired going to bed and paracetamol for my head").value()) == 1);
  // Two clauses, no phrase: the intent meets no medication.
  CHECK(pairs(e.model_features("going to bed, paracetamol for my head").value()) == 0);
  CHECK(pairs(e.model_features("going to take paracetamol").value()) == 1);
}
