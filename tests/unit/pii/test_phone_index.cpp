// Phone normalisation and blind indexes (incl. lookup by phone/email).
#include <doctest/doctest.h>

#include <sodium.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "pii/detail/keyring_impl.hpp"
#include "pii_test_util.hpp"
#include "util/encoding.hpp"
#include "veteran/pii/blind_index.hpp"
#include "veteran/pii/codec.hpp"
#include "veteran/pii/phone.hpp"

using namespace veteran;
using namespace veteran::pii;

TEST_CASE("UK and international phone forms normalise to E.164") {
  struct {
    const char *in;
    const char *out;
  } cases[] = {
      {"07700 900123", "+447700900123"},        {"+44 (0)7700-900123", "+447700900123"},
      {"0044 7700 900123", "+447700900123"},    {"(020) 7946 0018", "+442079460018"},
      {"+44 20 7946 0018", "+442079460018"},    {"+44 07700 900123", "+447700900123"},
      {"07700900123", "+447700900123"},         {"01632 960001", "+441632960001"},
      {"  +1 (202) 555-0143 ", "+12025550143"}, {"0033 1 23 45 67 89", "+33123456789"},
      {"+447700900123", "+447700900123"},       {"0044 (0)20 7946 0018", "+442079460018"},
      {"+353 1 234 5678", "+35312345678"},      {"0161.496.0000", "+441614960000"},
  };
  for (const auto &c : cases) {
    const std::string shown = c.in;
    CAPTURE(shown);
    CHECK(normalise_phone(c.in).value() == c.out);
    CHECK(is_e164(c.out));
  }
}

TEST_CASE("bad phone numbers get a clear error naming the field, never the number") {
  const char *bad[] = {"",
                       "   ",
                       "12345",
                       "07700 90012",
                       "077009001234",
                       "+44 7700 9001",
                       "7700 900123",
                       "+0 123 4567",
                       "call me",
                       "07700 900123 ext 5",
                       "++447700900123",
                       "+44 (0 7700 900123",
                       "0770O 900123",
                       "+1234567890123456",
                       "44+7700900123"};
  for (const char *in : bad) {
    const std::string shown = in;
    CAPTURE(shown);
    auto r = normalise_phone(in, "contact_phone");
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.message().find("contact_phone") != std::string::npos);
    if (std::string(in).size() >= 4) CHECK(r.message().find(in) == std::string::npos);
  }
  CHECK(normalise_phone(std::string(65, '1')).code() == errc::limit_exceeded);
}

TEST_CASE("is_e164 matches ^\\+[1-9]\\d{6,14}$ exactly") {
  CHECK(is_e164("+1234567"));
  CHECK(is_e164("+123456789012345"));
  CHECK_FALSE(is_e164("+123456"));
  CHECK_FALSE(is_e164("+1234567890123456"));
  CHECK_FALSE(is_e164("+0234567"));
  CHECK_FALSE(is_e164("1234567"));
  CHECK_FALSE(is_e164("+123 4567"));
}

TEST_CASE("index normalisation: email, name, phone") {
  CHECK(normalise_for_index(index_kind::email, "  Jo.Bloggs@Example.COM ").value() ==
        "jo.bloggs@example.com");
  CHECK(normalise_for_index(index_kind::email, "no-at-sign").code() ==
        errc::invalid_argument);
  CHECK(normalise_for_index(index_kind::email, "a@b@c").code() == errc::invalid_argument);
  CHECK(normalise_for_index(index_kind::email, "a b@c.uk").code() ==
        errc::invalid_argument);
  CHECK(normalise_for_index(index_kind::name, "  ZOË \t  o'BRIEN ").value() ==
        u8"zoë o'brien");
  CHECK(normalise_for_index(index_kind::name, u8"ŁUKASZ ŻÓŁW").value() ==
        u8"łukasz żółw");
  CHECK(normalise_for_index(index_kind::name, u8"ИВАН").value() == u8"иван");
  CHECK(normalise_for_index(index_kind::name, "   ").code() == errc::invalid_argument);
  CHECK(normalise_for_index(index_kind::name, std::string("\xff", 1)).code() ==
        errc::invalid_utf8);
  CHECK(normalise_for_index(index_kind::phone, "07700 900123").value() ==
        "+447700900123");
  auto bad = normalise_for_index(index_kind::phone, "07700", "mobile");
  CHECK(bad.code() == errc::invalid_argument);
  CHECK(bad.message().find("mobile") != std::string::npos);
  CHECK(parse_index_kind("email").value() == index_kind::email);
  CHECK(parse_index_kind("bogus").code() == errc::invalid_argument);
}

TEST_CASE("blind index known answer: BLAKE2b-128 keyed by the per-field KDF subkey") {
  auto ring = pii_test::fixed_ring("kat");
  const auto got = blind_index(ring, "phone", index_kind::phone, "07700 900123").value();
  // Recompute from raw libsodium, following docs/pii.md.
  const std::string master = pii_test::fixed_key();
  unsigned char root[32], field_key[32], h8[8], out[16];
  crypto_kdf_derive_from_key(root, 32, 1, "VETBIDX1",
                             reinterpret_cast<const unsigned char *>(master.data()));
  crypto_generichash(h8, 8, reinterpret_cast<const unsigned char *>("phone"), 5, nullptr,
                     0);
  std::uint64_t id = 0;
  for (int i = 7; i >= 0; --i)
    id = (id << 8) | h8[i];
  crypto_kdf_derive_from_key(field_key, 32, id, "VETBIDX1", root);
  const std::string norm = "+447700900123";
  crypto_generichash(out, 16, reinterpret_cast<const unsigned char *>(norm.data()),
                     norm.size(), field_key, 32);
  CHECK(got == util::hex_encode(out, 16));
  CHECK(got == "eebb48d9b1a62ee6a37877d46ed34d6c");
  CHECK(got.size() == blind_index_hex_length);
}

TEST_CASE("blind index: variants match, fields and keys separate, errors fail closed") {
  auto ring = pii_test::fixed_ring();
  const auto a = blind_index(ring, "phone", index_kind::phone, "07700 900123").value();
  CHECK(blind_index(ring, "phone", index_kind::phone, "+44 (0)7700-900123").value() == a);
  CHECK(blind_index(ring, "phone", index_kind::phone, "0044 7700 900123").value() == a);
  CHECK(blind_index(ring, "phone", index_kind::phone, "07700 900124").value() != a);
  CHECK(blind_index(ring, "nok_phone", index_kind::phone, "07700 900123").value() != a);
  CHECK(blind_index(pii_test::fixed_ring("k1", 3), "phone", index_kind::phone,
                    "07700 900123")
            .value() != a);
  CHECK(blind_index(keyring{}, "phone", index_kind::phone, "07700 900123").code() ==
        errc::key_missing);
  CHECK(blind_index(ring, "phone", index_kind::phone, "07700 900123", "nope").code() ==
        errc::key_unknown);
  CHECK(blind_index(ring, "", index_kind::exact, "x").code() == errc::invalid_argument);
  auto bad = blind_index(ring, "phone", index_kind::phone, "not a number");
  CHECK(bad.code() == errc::invalid_argument);
  CHECK(bad.message().find("not a number") == std::string::npos);
  const auto e = blind_index(ring, "email", index_kind::email, "Jo@Example.com").value();
  CHECK(blind_index(ring, "email", index_kind::email, " jo@example.COM").value() == e);
}

namespace {
void exec(sqlite3 *db, const std::string &sql) {
  char *err = nullptr;
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK);
}
} // namespace

TEST_CASE(
    "records can be found by phone or email through the blind index (GDPR lookup)") {
  auto ring = pii_test::fixed_ring();
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
  exec(db, "CREATE TABLE vets (id INTEGER PRIMARY KEY, phone TEXT, phone_idx TEXT, "
           "email TEXT, email_idx TEXT)");
  const char *phones[] = {"07700 900123", "07700 900456", "+44 7700 900123"};
  const char *emails[] = {"a@example.com", "B@Example.com", "c@example.com"};
  for (int i = 0; i < 3; ++i) {
    const std::string id = std::to_string(i + 1);
    const auto pe = encrypt_string(ring, {"vets", "phone", id}, phones[i]).value();
    const auto pi = blind_index(ring, "phone", index_kind::phone, phones[i]).value();
    const auto ee = encrypt_string(ring, {"vets", "email", id}, emails[i]).value();
    const auto ei = blind_index(ring, "email", index_kind::email, emails[i]).value();
    exec(db, "INSERT INTO vets VALUES (" + id + ",'" + pe + "','" + pi + "','" + ee +
                 "','" + ei + "')");
  }
  auto ids_for = [&](const std::string &column, const std::string &index) {
    std::string ids;
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(
        db, ("SELECT id FROM vets WHERE " + column + " = ? ORDER BY id").c_str(), -1, &s,
        nullptr);
    sqlite3_bind_text(s, 1, index.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW)
      ids += std::to_string(sqlite3_column_int(s, 0)) + ",";
    sqlite3_finalize(s);
    return ids;
  };
  CHECK(ids_for("phone_idx",
                blind_index(ring, "phone", index_kind::phone, "+447700900123").value()) ==
        "1,3,");
  CHECK(ids_for("email_idx",
                blind_index(ring, "email", index_kind::email, "b@example.COM").value()) ==
        "2,");
  sqlite3_close(db);
}

TEST_CASE("one shared ring serves concurrent encryption and per-field indexes") {
  const auto ring = pii_test::fixed_ring();
  std::vector<std::string> first(8);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      const std::string field = "field" + std::to_string(t % 4); // shared cache entries
      for (int i = 0; i < 200; ++i) {
        auto idx = blind_index(ring, field, index_kind::phone, "07700 900123");
        const std::string id = std::to_string(t * 1000 + i);
        auto env = encrypt_string(ring, {"t", field, id}, "v");
        if (!idx || !env || decrypt(ring, {"t", field, id}, *env).value().data != "v")
          ++failures;
        if (i == 0)
          first[static_cast<std::size_t>(t)] = *idx;
        else if (*idx != first[static_cast<std::size_t>(t)])
          ++failures;
      }
    });
  for (auto &th : threads)
    th.join();
  CHECK(failures == 0);
  CHECK(first[0] == first[4]); // same field, same index
  CHECK(first[0] != first[1]); // different field, different key
}

namespace {
// Memory mappings of this process (sodium_malloc needs several per call; the
// kernel allows vm.max_map_count, usually 65530, in all).
std::size_t mapping_count() {
  std::FILE *f = std::fopen("/proc/self/maps", "r");
  REQUIRE(f != nullptr);
  std::size_t n = 0;
  for (int c; (c = std::fgetc(f)) != EOF;)
    n += c == '\n';
  std::fclose(f);
  return n;
}
} // namespace

TEST_CASE("50,000 distinct field names: every index works and secure memory is not "
          "exhausted") {
  auto ring = pii_test::fixed_ring("k1");
  const std::size_t maps_before = mapping_count();
  const std::string first = blind_index(ring, "field_0", index_kind::exact, "v").value();
  std::size_t failures = 0;
  error_info first_error;
  for (int i = 0; i < 50000; ++i) {
    auto r = blind_index(ring, "field_" + std::to_string(i), index_kind::exact, "v");
    if (!r.ok() && failures++ == 0) first_error = r.error();
  }
  INFO("first failure: " << errc_name(first_error.code) << ": " << first_error.message);
  CHECK(failures == 0);
  // Bounded: the per-field key cache does not take mappings per field name.
  CHECK(mapping_count() < maps_before + 100);
  // An evicted (or never cached) field key is derived again: same index.
  CHECK(blind_index(ring, "field_0", index_kind::exact, "v").value() == first);
  // Secure allocations elsewhere in the process still work.
  auto fresh = keyring::generate("k2");
  REQUIRE(fresh.ok());
  const field_context ctx{"users", "phone", "42"};
  auto env = encrypt_string(*fresh, ctx, "07700 900123");
  REQUIRE(env.ok());
  CHECK(decrypt(*fresh, ctx, *env).value().data == "07700 900123");
}

TEST_CASE("the blind-index key cache is a bounded LRU") {
  detail::index_key_cache cache(2);
  unsigned char k[3][32], out[32];
  for (int i = 0; i < 3; ++i)
    std::memset(k[i], 'a' + i, 32);
  CHECK_FALSE(cache.get("a", out));
  cache.put("a", k[0]);
  cache.put("b", k[1]);
  REQUIRE(cache.get("a", out)); // a is now the most recently used
  CHECK(std::memcmp(out, k[0], 32) == 0);
  cache.put("c", k[2]); // evicts b
  CHECK(cache.size() == 2);
  CHECK_FALSE(cache.get("b", out));
  REQUIRE(cache.get("c", out));
  CHECK(std::memcmp(out, k[2], 32) == 0);
  REQUIRE(cache.get("a", out));
  CHECK(std::memcmp(out, k[0], 32) == 0);
}

#if defined(__SANITIZE_ADDRESS__)
#define VETERAN_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VETERAN_UNDER_ASAN 1
#endif
#endif

// Exhausting the process's memory mappings also starves AddressSanitizer's
// own allocator, which then aborts the child; the test runs in the Release
// build (tests/CMakeLists: ctest "unit"), where the SDK alone is measured.
#ifndef VETERAN_UNDER_ASAN
TEST_CASE("exhausted secure memory is reported as out_of_memory, not thrown") {
  // In a child process: cap the address space a little above what it uses
  // now, take all of it with sodium_malloc, then ask for keys. A cap makes
  // every new mapping fail cleanly (ENOMEM); exhausting the kernel's count of
  // mappings instead made libsodium itself abort now and then (a guard page
  // it could not protect), before the SDK was even called.
  // sodium_malloc needs libsodium initialised (its page size), which the
  // SDK does on first use; this test calls it first when run alone.
  REQUIRE(sodium_init() >= 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // Everything the child needs later is allocated before the cap.
    constexpr int kAttempts = 4000;
    std::vector<std::string> names;
    for (int i = 0; i < kAttempts; ++i)
      names.push_back("k" + std::to_string(i));
    std::vector<keyring> rings;
    rings.reserve(kAttempts);
    std::vector<void *> held;
    held.reserve(300000);
    long pages = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(f, "%ld", &pages) != 1) pages = 0;
      std::fclose(f);
    }
    if (pages <= 0) ::_exit(20);
    const rlim_t cap = static_cast<rlim_t>(pages) * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) +
                       (16u << 20);
    const struct rlimit limit{cap, cap};
    if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(21);
    for (int i = 0, misses = 0; i < 300000 && misses < 100; ++i) {
      void *p = sodium_malloc(key_bytes);
      if (p) {
        held.push_back(p);
        misses = 0;
      } else {
        ++misses;
      }
    }
    // A key may still fit into a gap; keep the rings (and their
    // allocations) until one fails, which must be reported as out_of_memory.
    int status = 10;
    try {
      for (int i = 0; i < kAttempts && status == 10; ++i) {
        auto r = keyring::generate("k1");
        if (!r.ok())
          status = r.code() == errc::out_of_memory ? 0 : 12;
        else
          rings.push_back(std::move(*r));
      }
      keyring ring;
      for (int i = 0; i < kAttempts && status == 0; ++i) {
        auto added = ring.add_key(names[static_cast<std::size_t>(i)], pii_test::fixed_key());
        if (!added.ok()) status = added.code() == errc::out_of_memory ? 1 : 13;
      }
      if (status == 1) status = 0;
    } catch (...) {
      status = 14; // an exception escaped a result-returning API
    }
    ::_exit(status);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
#endif
