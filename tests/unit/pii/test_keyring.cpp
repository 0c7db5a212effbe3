// Key ring: generation, files, env, passphrases, redacted printing.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "pii_test_util.hpp"
#include "veteran/pii/codec.hpp"
#include "veteran/pii/keyring.hpp"

using namespace veteran;
using namespace veteran::pii;

namespace {
std::string temp_path(const char *name) {
  return "/tmp/veteran_pii_" + std::to_string(::getpid()) + "_" + name;
}
const field_context kCtx{"users", "phone", "42"};
passphrase_params fast() { return passphrase_params{1, 8u * 1024u * 1024u}; }
std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
const char *kKeyB64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
} // namespace

TEST_CASE("an empty ring has no key and refuses to encrypt (no plaintext fallback)") {
  keyring ring;
  CHECK(ring.empty());
  CHECK(ring.active_id().empty());
  auto r = encrypt_string(ring, kCtx, "07700 900123");
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == errc::key_missing);
  CHECK_THROWS_AS((void)r.value(), veteran::error);
  CHECK(r.message().find("07700") == std::string::npos);
}

TEST_CASE("generate makes one active random key with a valid id") {
  auto a = keyring::generate().value();
  auto b = keyring::generate().value();
  CHECK(a.size() == 1);
  CHECK(valid_key_id(a.active_id()));
  CHECK(a.active_id().size() == 9);
  // Different random keys: b cannot read a's envelope even under a's id.
  auto env = encrypt_string(a, kCtx, "x").value();
  keyring c;
  c.add_generated_key(a.active_id(), true).value();
  CHECK(decrypt(c, kCtx, env).code() == errc::key_wrong);
  CHECK_FALSE(decrypt(b, kCtx, env).ok());
}

TEST_CASE("key ids are validated") {
  CHECK(valid_key_id("k1"));
  CHECK(valid_key_id("prod-2026_01"));
  CHECK_FALSE(valid_key_id(""));
  CHECK_FALSE(valid_key_id("has:colon"));
  CHECK_FALSE(valid_key_id("has space"));
  CHECK_FALSE(valid_key_id(std::string(33, 'a')));
  keyring ring;
  CHECK(ring.add_key("bad:id", pii_test::fixed_key()).code() == errc::invalid_argument);
  CHECK(ring.add_key("k1", "short").code() == errc::invalid_argument);
  CHECK(ring.empty());
  ring.add_key("k1", pii_test::fixed_key()).value();
  CHECK(ring.add_key("k1", pii_test::fixed_key(1)).code() == errc::conflict);
  CHECK(ring.size() == 1);
  CHECK(ring.set_active("nope").code() == errc::key_unknown);
  CHECK(ring.active_id() == "k1");
}

TEST_CASE("printing a ring never shows key material") {
  auto ring = pii_test::fixed_ring("k1");
  std::ostringstream out;
  out << ring;
  CHECK(out.str() == "keyring{keys=1, active=k1, material=<redacted>}");
  CHECK(ring.to_string() == out.str());
  const std::string json = ring.to_json().value();
  CHECK(json.find("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=") != std::string::npos);
  CHECK(out.str().find("AAEC") == std::string::npos);
}

TEST_CASE("save writes mode 0600, refuses to overwrite, and loads back") {
  const std::string path = temp_path("keys.json");
  std::remove(path.c_str());
  auto ring = keyring::generate("old").value();
  ring.add_generated_key("new", true).value();
  ring.save(path).value();
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(ring.save(path).code() == errc::conflict);
  auto loaded = keyring::from_file(path).value();
  CHECK(loaded.key_ids() == std::vector<std::string>{"old", "new"});
  CHECK(loaded.active_id() == "new");
  auto env = encrypt_string(ring, kCtx, "v").value();
  CHECK(decrypt(loaded, kCtx, env).value().data == "v");
  ring.save(path, true).value();
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::remove(path.c_str());
}

TEST_CASE("key file errors name the entry and field, never the key") {
  CHECK(keyring::from_file("/nonexistent/veteran/keys.json").code() == errc::not_found);
  CHECK(keyring::from_json("not json").code() == errc::parse_error);
  CHECK(
      keyring::from_json(R"({"format":"x","version":1,"active":"a","keys":[]})").code() ==
      errc::parse_error);
  CHECK(keyring::from_json(
            R"({"format":"veteran-keyring","version":2,"active":"a","keys":[]})")
            .code() == errc::unsupported_version);
  CHECK(keyring::from_json(
            R"({"format":"veteran-keyring","version":1,"active":"a","keys":[]})")
            .code() == errc::key_missing);
  auto bad = keyring::from_json(
      R"({"format":"veteran-keyring","version":1,"active":"a","keys":[{"id":"a","key":"c2VjcmV0LWtleQ=="}]})");
  CHECK(bad.code() == errc::parse_error);
  CHECK(bad.message().find("keys[0]") != std::string::npos);
  CHECK(bad.message().find("c2VjcmV0") == std::string::npos);
  auto no_active = keyring::from_json(
      R"({"format":"veteran-keyring","version":1,"active":"zz","keys":[{"id":"a","key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}]})");
  CHECK(no_active.code() == errc::parse_error);
}

TEST_CASE("from_env: unset is key_missing; id:base64 lists; bare base64") {
  ::unsetenv("VETERAN_TEST_PII_KEYS");
  CHECK(keyring::from_env("VETERAN_TEST_PII_KEYS").code() == errc::key_missing);
  ::setenv("VETERAN_TEST_PII_KEYS",
           "new:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=,old:"
           "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
           1);
  auto ring = keyring::from_env("VETERAN_TEST_PII_KEYS").value();
  CHECK(ring.active_id() == "new");
  CHECK(ring.key_ids() == std::vector<std::string>{"new", "old"});
  auto env = encrypt_string(pii_test::fixed_ring("old"), kCtx, "hello").value();
  CHECK(decrypt(ring, kCtx, env).value().data == "hello");
  ::setenv("VETERAN_TEST_PII_KEYS", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 1);
  CHECK(keyring::from_env("VETERAN_TEST_PII_KEYS").value().active_id() == "env");
  ::setenv("VETERAN_TEST_PII_KEYS", "k1:not-base64!!", 1);
  auto bad = keyring::from_env("VETERAN_TEST_PII_KEYS");
  CHECK(bad.code() == errc::parse_error);
  CHECK(bad.message().find("not-base64") == std::string::npos);
  ::unsetenv("VETERAN_TEST_PII_KEYS");
}

TEST_CASE("passphrase keys use a random salt (no static salt) and reload from the file") {
  const std::string s1 = keyring::random_salt(), s2 = keyring::random_salt();
  CHECK(s1.size() == salt_bytes);
  CHECK(s1 != s2);
  auto a = keyring::from_passphrase("p", "correct horse", s1, fast()).value();
  auto b = keyring::from_passphrase("p", "correct horse", s2, fast()).value();
  auto env = encrypt_string(a, kCtx, "v").value();
  // Same passphrase, different salt: a different key (key_wrong, not plaintext).
  CHECK(decrypt(b, kCtx, env).code() == errc::key_wrong);

  const std::string path = temp_path("pass.json");
  std::remove(path.c_str());
  a.save(path).value();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().find("\"kdf\": \"argon2id13\"") != std::string::npos);
  CHECK(text.str().find("\"key\"") == std::string::npos); // no key material stored
  CHECK(keyring::from_file(path).code() == errc::key_missing);
  // A wrong passphrase is refused at load time (the file's check value).
  CHECK(keyring::from_file(path, "wrong horse").code() == errc::key_wrong);
  CHECK(decrypt(keyring::from_file(path, "correct horse").value(), kCtx, env)
            .value()
            .data == "v");
  std::remove(path.c_str());
}

TEST_CASE("passphrase input validation") {
  CHECK(keyring::from_passphrase("p", "", keyring::random_salt()).code() ==
        errc::invalid_argument);
  CHECK(keyring::from_passphrase("p", "pw", "short").code() == errc::invalid_argument);
  CHECK(keyring::from_passphrase("p", "pw", keyring::random_salt(), {0, 1024}).code() ==
        errc::invalid_argument);
}

TEST_CASE(
    "a mistyped passphrase is refused at load time with key_wrong, naming the key") {
  const std::string path = temp_path("check.json");
  std::remove(path.c_str());
  auto ring =
      keyring::from_passphrase("p1", "correct horse", keyring::random_salt(), fast())
          .value();
  ring.add_generated_key("r1", false).value();
  ring.save(path).value();
  const std::string text = slurp(path);
  CHECK(text.find("\"check\": \"") != std::string::npos);

  auto typo = keyring::from_file(path, "correct horsf");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.code() == errc::key_wrong);
  CHECK(typo.message().find("'p1'") != std::string::npos);
  CHECK(typo.message().find("hors") == std::string::npos);
  CHECK(keyring::from_json(text, "correct horsf").code() == errc::key_wrong);
  auto good = keyring::from_file(path, "correct horse").value();
  CHECK(good.active_id() == "p1");
  auto env = encrypt_string(ring, kCtx, "v").value();
  CHECK(decrypt(good, kCtx, env).value().data == "v");
  // The check value is not the envelope kcv (it would reveal nothing new, but
  // the two must stay independent derivations).
  std::remove(path.c_str());
}

TEST_CASE("a key file without check values (older version) loads; save adds them") {
  const std::string path = temp_path("legacy.json");
  std::remove(path.c_str());
  const std::string salt = keyring::random_salt();
  auto ring = keyring::from_passphrase("p1", "correct horse", salt, fast()).value();
  std::string text = ring.to_json().value();
  const auto at = text.find(", \"check\": \"");
  REQUIRE(at != std::string::npos);
  const auto end = text.find('"', text.find(": \"", at) + 3);
  std::string legacy = text.substr(0, at) + text.substr(end + 1);
  REQUIRE(legacy.find("check") == std::string::npos);
  // Documented: without a check value nothing can tell a typo at load time;
  // envelopes still fail closed (key_wrong) under the wrong key.
  auto env = encrypt_string(ring, kCtx, "v").value();
  auto wrong = keyring::from_json(legacy, "wrong horse").value();
  CHECK(decrypt(wrong, kCtx, env).code() == errc::key_wrong);
  auto right = keyring::from_json(legacy, "correct horse").value();
  right.save(path).value();
  CHECK(slurp(path).find("\"check\"") != std::string::npos);
  CHECK(keyring::from_file(path, "wrong horse").code() == errc::key_wrong);
  CHECK(decrypt(keyring::from_file(path, "correct horse").value(), kCtx, env)
            .value()
            .data == "v");
  std::remove(path.c_str());
}

TEST_CASE("a malformed check value is a parse error naming the entry") {
  auto ring =
      keyring::from_passphrase("p1", "pw", keyring::random_salt(), fast()).value();
  std::string text = ring.to_json().value();
  const auto at = text.find("\"check\": \"");
  REQUIRE(at != std::string::npos);
  text.insert(at + 10, "!!");
  auto r = keyring::from_json(text, "pw");
  CHECK(r.code() == errc::parse_error);
  CHECK(r.message().find("keys[0]") != std::string::npos);
  CHECK(r.message().find("\"check\"") != std::string::npos);
}

TEST_CASE("a FIFO given as a key file is refused with io_error instead of hanging") {
  const std::string path = temp_path("fifo.json");
  std::remove(path.c_str());
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  auto r = keyring::from_file(path);
  CHECK(r.code() == errc::io_error);
  CHECK(r.message().find("not a regular file") != std::string::npos);
  std::remove(path.c_str());
  CHECK(keyring::from_file("/tmp").code() == errc::io_error);
}

TEST_CASE("duplicate members in a key file are a parse error naming the member") {
  const std::string k = kKeyB64;
  const std::string entry = R"({"id":"a","key":")" + k + R"("})";
  const std::string ok =
      R"({"format":"veteran-keyring","version":1,"active":"a","keys":[)" + entry + "]}";
  REQUIRE(keyring::from_json(ok).ok());

  auto two_active = keyring::from_json(
      R"({"format":"veteran-keyring","version":1,"active":"a","active":"b","keys":[)" +
      entry + R"(,{"id":"b","key":")" + k + R"("}]})");
  REQUIRE_FALSE(two_active.ok());
  CHECK(two_active.code() == errc::parse_error);
  CHECK(two_active.message().find("duplicate member 'active'") != std::string::npos);

  auto two_keys = keyring::from_json(
      R"({"format":"veteran-keyring","version":1,"active":"a","keys":[)" + entry +
      R"(,{"id":"b","key":")" + k +
      R"(","key":"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="}]})");
  REQUIRE_FALSE(two_keys.ok());
  CHECK(two_keys.code() == errc::parse_error);
  CHECK(two_keys.message().find("keys[1]") != std::string::npos);
  CHECK(two_keys.message().find("'key'") != std::string::npos);
  CHECK(two_keys.message().find("AQID") == std::string::npos);
  CHECK(two_keys.message().find("AAEC") == std::string::npos);

  auto two_ids = keyring::from_json(
      R"({"format":"veteran-keyring","version":1,"active":"a","keys":[{"id":"a","id":"b","key":")" +
      k + R"("}]})");
  CHECK(two_ids.code() == errc::parse_error);
  CHECK(two_ids.message().find("duplicate member 'id' at $.keys[0]") !=
        std::string::npos);
}

TEST_CASE("strict_permissions refuses a key file accessible by group or others") {
  const std::string path = temp_path("perms.json");
  std::remove(path.c_str());
  pii_test::fixed_ring("k1").save(path).value();
  load_options strict;
  strict.strict_permissions = true;
  CHECK(keyring::from_file(path, {}, strict).ok()); // 0600
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  CHECK(keyring::from_file(path).ok()); // default: accepted (the CLI warns)
  auto r = keyring::from_file(path, {}, strict);
  CHECK(r.code() == errc::permission_denied);
  CHECK(r.message().find(path) != std::string::npos);
  CHECK(r.message().find("AAEC") == std::string::npos);
  REQUIRE(::chmod(path.c_str(), 0602) == 0);
  CHECK(keyring::from_file(path, {}, strict).code() == errc::permission_denied);
  std::remove(path.c_str());
}
