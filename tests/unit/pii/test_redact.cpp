// Redaction: each detector, spans, pseudonyms, and precision/recall on the
// labelled set tests/data/pii/redaction_labelled.jsonl.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "pii_test_util.hpp"
#include "veteran/pii/redact.hpp"

using namespace veteran;
using namespace veteran::pii;

namespace {
std::string masked(std::string_view text) { return redact(text).value().text; }
} // namespace

TEST_CASE("masks each type and reports spans in the original text") {
  const std::string text = "Call 07700 900123 or mail jo@example.com from 10.0.0.1";
  auto r = redact(text).value();
  CHECK(r.text == "Call [PHONE] or mail [EMAIL] from [IP]");
  REQUIRE(r.found.size() == 3);
  CHECK(r.found[0] == pii_span{pii_type::phone, 5, 17});
  CHECK(text.substr(r.found[1].start, r.found[1].end - r.found[1].start) ==
        "jo@example.com");
  CHECK(r.found[2].type == pii_type::ip_address);
  CHECK(r.found[2].end == text.size());
  CHECK(masked("NI AB 12 34 56 C") == "NI [NI]");
  CHECK(masked("NHS 943 476 5919") == "NHS [NHS]");
  CHECK(masked("at SW1A 2AA") == "at [POSTCODE]");
  CHECK(masked("card 4111 1111 1111 1111") == "card [CARD]");
  CHECK(masked("addr 2001:db8::1") == "addr [IP]");
  CHECK(masked("+44 (0)7700-900123") == "[PHONE]");
}

TEST_CASE("checksums gate NHS and card numbers") {
  CHECK(masked("NHS 943 476 5919") == "NHS [NHS]");
  CHECK(masked("NHS 943 476 5918") == "NHS 943 476 5918");
  CHECK(masked("4111111111111111") == "[CARD]");
  CHECK(masked("4111111111111112") == "4111111111111112");
  CHECK(masked("7111111111111114") == "7111111111111114"); // Luhn-valid, not a card range
}

TEST_CASE("tricky negatives are left alone") {
  for (const char *text :
       {"Order number 01234567890", "ref: 01614960000", "on 2024-01-15 at 07:30",
        "version 1.2.3.4", "costs £1,234.56", "sort code 20-00-00", "12:30:45",
        "std::string", "256.1.1.1", "vet1:hello"}) {
    CAPTURE(text);
    CHECK(redact(text).value().found.empty());
  }
}

// The one finding in `text`, as "type:value" ("" if none, "many" if several).
std::string only_finding(const std::string &text) {
  const auto found = find_pii(text).value();
  if (found.empty()) return "";
  if (found.size() > 1) return "many";
  const auto &f = found[0];
  return std::string(to_string(f.type)) + ":" + text.substr(f.start, f.end - f.start);
}

TEST_CASE("service numbers: 6-8 digits next to a cue, Navy letter-digits-letter alone") {
  CHECK(masked("service number 25012345") == "service number [SERVICE]");
  CHECK(masked("Service No. 30098765 is on my discharge papers") ==
        "Service No. [SERVICE] is on my discharge papers");
  CHECK(masked("my service number is 25012345.") == "my service number is [SERVICE].");
  CHECK(masked("S/N: 24681357") == "S/N: [SERVICE]");
  CHECK(masked("Army number 512345 (officer)") == "Army number [SERVICE] (officer)");
  CHECK(masked("RAF service no 1234567") == "RAF service no [SERVICE]");
  CHECK(masked("Pte 25012345") == "Pte [SERVICE]");
  CHECK(masked("LCpl 30012345, 1 PARA") == "LCpl [SERVICE], 1 PARA");
  CHECK(masked("SAC 7654321 at Brize") == "SAC [SERVICE] at Brize");
  CHECK(masked("Capt 512345") == "Capt [SERVICE]");
  CHECK(masked("WO2 24123456") == "WO2 [SERVICE]");
  CHECK(masked("Sgt J Smith 25012345") == "Sgt J Smith [SERVICE]");
  CHECK(masked("25012345 Cpl J Bloggs") == "[SERVICE] Cpl J Bloggs");
  CHECK(masked("RN D123456K") == "RN [SERVICE]");
  CHECK(masked("my number was P123456A, Royal Marines") ==
        "my number was [SERVICE], Royal Marines");
  CHECK(only_finding("He was D987654L") == "service_number:D987654L");
  CHECK(only_finding("Gnr 24999999") == "service_number:24999999");
}

TEST_CASE("service numbers: cue-less numbers, dates, prices, regiments are left alone") {
  for (const char *text : {"Sgt Smith rang today",
                           "order number 25012345",
                           "Your order 25012345 shipped",
                           "account number 12345678",
                           "Sgt Smith, sort code 20-00-00, account 12345678",
                           "pay 12345678 with sort code 60-16-13",
                           "Cpl on 12/03/2019 at 14:30",
                           "Pte from 2019-03-12 to 12.03.19",
                           "Sgt at 0930hrs",
                           "Cpl paid £1,250.00",
                           "Sgt paid £12345678",
                           "Pte costs 12345678p",
                           "Cpl 1 PARA then 3 RIFLES",
                           "2nd Battalion, 16 Air Assault Brigade",
                           "42 Commando",
                           "Sgt in 2009",
                           "Sgt 123456789",
                           "Cpl 12345",
                           "Total: 1234567 points",
                           "service number 25012345678",
                           "Sgt 25012345.5",
                           "SKU B123456X in stock",
                           "part no D123456K",
                           "d123456k",
                           "D1234567K",
                           "AD123456K",
                           "D123456K9",
                           "Sgt Smith\n25012345 is the order",
                           "S/N ab12345678",
                           "The Army paid 12345678 pence",
                           "Cpl Smith paid 12345678",
                           "order 25012345 Cpl Smith",
                           "bus service 1234567"}) {
    CAPTURE(text);
    CHECK(find_pii(text).value().empty());
  }
}

TEST_CASE("UK mobiles written 447... without + or 00") {
  CHECK(masked("text 447700900123 please") == "text [PHONE] please");
  CHECK(masked("it's 44 7700 900123") == "it's [PHONE]");
  CHECK(masked("or 44 (0)7700 900123.") == "or [PHONE].");
  CHECK(only_finding("447700900123") == "phone:447700900123");
  for (const char *text : {"4477009001234", "14477009001234", "ID 1447700900123",
                           "447700900", "order 447700900123", "I was 44 7 years ago",
                           "ref 44 7700 900123", "scores 44 77 00"}) {
    CAPTURE(text);
    CHECK(find_pii(text).value().empty());
  }
  auto ring = pii_test::fixed_ring();
  const auto a = redact_pseudonymise("447700900123", ring).value().text;
  const auto b = redact_pseudonymise("+44 7700 900123", ring).value().text;
  CHECK(a == b); // one number, one pseudonym
}

TEST_CASE("emails with internationalised domains and address literals") {
  CHECK(only_finding("mail name@münchen.de today") == "email:name@münchen.de");
  CHECK(only_finding("user@例え.jp") == "email:user@例え.jp");
  CHECK(only_finding("Ivan: ivan@пример.рф.") == "email:ivan@пример.рф");
  CHECK(only_finding("josé@example.com") == "email:josé@example.com");
  CHECK(only_finding("to müller@bücher.example") == "email:müller@bücher.example");
  CHECK(only_finding("user@example.xn--p1ai") == "email:user@example.xn--p1ai");
  CHECK(only_finding("user@[192.0.2.1]") == "email:user@[192.0.2.1]");
  CHECK(only_finding("(user@[IPv6:2001:db8::1])") == "email:user@[IPv6:2001:db8::1]");
  CHECK(masked("write to jo@example.com—thanks") == "write to [EMAIL]—thanks");
  CHECK(masked("jo@example.com’s inbox") == "[EMAIL]’s inbox");
  CHECK(masked("jo@example.com… and") == "[EMAIL]… and");
  CHECK(masked("jo@example.com×2") == "[EMAIL]×2");
  for (const char *text : {"user@[300.1.1.1]", "user@[IPv6:zz::1]", "user@[192.0.2.1",
                           "user@münchen", "user@例え", "user@[]"}) {
    CAPTURE(text);
    CHECK(only_finding(text).rfind("email", 0) == std::string::npos);
  }
}

TEST_CASE("pseudonyms are stable per key and per value, different across keys") {
  auto ring = pii_test::fixed_ring();
  auto a =
      redact_pseudonymise("ring 07700 900123 or +44 7700 900123; jo@x.com", ring).value();
  const auto p = a.text.substr(5, 16);
  CHECK(p.rfind("[PHONE-", 0) == 0);
  CHECK(a.text ==
        "ring " + p + " or " + p + "; " + a.text.substr(a.text.find("[EMAIL-")));
  auto b = redact_pseudonymise("ring 07700 900124", ring).value();
  CHECK(b.text.substr(5) != p);
  auto c =
      redact_pseudonymise("ring 07700 900123", pii_test::fixed_ring("k1", 5)).value();
  CHECK(c.text.substr(5) != p);
  CHECK(redact_pseudonymise("x 07700 900123", keyring{}).code() == errc::key_missing);
}

TEST_CASE("invalid input is refused, not passed through") {
  auto r = redact(std::string("07700 900123 \xff", 14));
  CHECK(r.code() == errc::invalid_utf8);
  CHECK(r.message().find("07700") == std::string::npos);
  CHECK(redact("").value().text.empty());
}

TEST_CASE("JSON output") {
  auto r = redact("mail \"jo\"@x.io or jo@example.com").value();
  const auto v = boost::json::parse(to_json(r));
  CHECK(v.at("text").as_string() == "mail \"jo\"@x.io or [EMAIL]");
  CHECK(v.at("found").as_array().size() == 1);
  CHECK(v.at("found").at(0).at("type").as_string() == "email");
  CHECK(v.at("found").at(0).at("start").to_number<int>() == 18);
}

TEST_CASE("precision and recall on the labelled set are at least 0.95") {
  std::ifstream in(VETERAN_TEST_DATA_DIR "/pii/redaction_labelled.jsonl");
  REQUIRE(in);
  std::string line;
  std::size_t lines = 0, tp = 0, fp = 0, fn = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++lines;
    const auto row = boost::json::parse(line).as_object();
    const std::string text(row.at("text").as_string());
    std::vector<pii_span> expected;
    std::size_t from = 0;
    for (const auto &p : row.at("pii").as_array()) {
      const std::string value(p.at("value").as_string());
      const std::string type(p.at("type").as_string());
      const std::size_t at = text.find(value, from);
      REQUIRE(at != std::string::npos);
      pii_type t = pii_type::phone;
      bool known = false;
      for (auto k : {pii_type::phone, pii_type::email, pii_type::ni_number,
                     pii_type::nhs_number, pii_type::postcode, pii_type::card_number,
                     pii_type::ip_address, pii_type::service_number})
        if (type == to_string(k)) {
          t = k;
          known = true;
        }
      CAPTURE(type);
      REQUIRE(known);
      expected.push_back({t, at, at + value.size()});
      from = at + value.size();
    }
    const auto got = find_pii(text).value();
    for (const auto &g : got) {
      if (std::find(expected.begin(), expected.end(), g) != expected.end()) {
        ++tp;
      } else {
        ++fp;
        MESSAGE("false positive: " << text << " [" << std::string(to_string(g.type))
                                   << " " << g.start << "," << g.end << ")");
      }
    }
    for (const auto &e : expected)
      if (std::find(got.begin(), got.end(), e) == got.end()) {
        ++fn;
        MESSAGE("missed: " << text << " [" << std::string(to_string(e.type)) << "]");
      }
  }
  CHECK(lines >= 150);
  const double precision = tp + fp ? double(tp) / double(tp + fp) : 1.0;
  const double recall = tp + fn ? double(tp) / double(tp + fn) : 1.0;
  std::printf("redaction labelled set: %zu lines, %zu spans found correctly, %zu false "
              "positives, %zu missed; precision %.3f recall %.3f\n",
              lines, tp, fp, fn, precision, recall);
  CHECK(precision >= 0.95);
  CHECK(recall >= 0.95);
}
