// Field codec: known answers, round trips, and every fail-closed path.
#include <doctest/doctest.h>

#include <sodium.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "pii/detail/nonce_source.hpp"
#include "pii/detail/testing.hpp"
#include "pii_test_util.hpp"
#include "util/encoding.hpp"
#include "veteran/pii/codec.hpp"

using namespace veteran;
using namespace veteran::pii;

namespace {
const field_context kCtx{"users", "phone", "42"};

// Little-endian 32-bit length, then the bytes (docs/pii.md), written here
// independently of the codec's own encoder.
std::string lp(std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  std::string out;
  for (int shift = 0; shift < 32; shift += 8)
    out.push_back(static_cast<char>((n >> shift) & 0xFF));
  out.append(s);
  return out;
}

// The envelope built from raw libsodium calls only, following docs/pii.md.
std::string raw_envelope(const std::string &master, const std::string &id,
                         const field_context &ctx, unsigned char kind,
                         const std::string &value, const unsigned char *nonce) {
  const auto *mk = reinterpret_cast<const unsigned char *>(master.data());
  unsigned char enc[32], kcv16[16], ctxkey[16];
  crypto_kdf_derive_from_key(enc, 32, 1, "VETFENC1", mk);
  crypto_kdf_derive_from_key(kcv16, 16, 1, "VETKCV01", mk);
  crypto_kdf_derive_from_key(ctxkey, 16, 1, "VETFCTX1", mk);
  const std::string ctx_enc = lp(ctx.table) + lp(ctx.field) + lp(ctx.record_id);
  unsigned char tag8[8];
  crypto_shorthash(tag8, reinterpret_cast<const unsigned char *>(ctx_enc.data()),
                   ctx_enc.size(), ctxkey);
  std::string ad = "vet1";
  ad.push_back(static_cast<char>(id.size()));
  ad += id;
  ad.append(reinterpret_cast<const char *>(kcv16), 4);
  ad.append(reinterpret_cast<const char *>(tag8), 4);
  ad += ctx_enc;
  std::string m = value;
  if (kind != 1) {
    m.push_back(static_cast<char>(kind));
    m.push_back('\xff');
  }
  std::string c(m.size() + 16, '\0');
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char *>(c.data()), &clen,
      reinterpret_cast<const unsigned char *>(m.data()), m.size(),
      reinterpret_cast<const unsigned char *>(ad.data()), ad.size(), nullptr, nonce, enc);
  std::string bin(reinterpret_cast<const char *>(kcv16), 4);
  bin.append(reinterpret_cast<const char *>(tag8), 4);
  bin.append(reinterpret_cast<const char *>(nonce), 24);
  bin += c;
  std::string b64(
      sodium_base64_ENCODED_LEN(bin.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
      '\0');
  sodium_bin2base64(b64.data(), b64.size(),
                    reinterpret_cast<const unsigned char *>(bin.data()), bin.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  b64.resize(std::strlen(b64.c_str()));
  return "vet1:" + id + ":" + b64;
}

std::string nonce_bytes() {
  std::string n(24, '\0');
  for (int i = 0; i < 24; ++i)
    n[static_cast<std::size_t>(i)] = static_cast<char>(0x40 + i);
  return n;
}

// Replaces the base64 body's character at `pos` with a different valid one.
std::string flip_body_char(std::string env, std::size_t from_end) {
  const std::size_t pos = env.size() - from_end;
  env[pos] = env[pos] == 'A' ? 'B' : 'A';
  return env;
}
} // namespace

TEST_CASE(
    "known answer: envelope equals the raw libsodium construction and a pinned vector") {
  auto ring = pii_test::fixed_ring("kat");
  const std::string nonce = nonce_bytes();
  const auto got =
      detail::encrypt_with_nonce(ring, kCtx, value_kind::string, "07700 900123", nonce)
          .value();
  const auto expected =
      raw_envelope(pii_test::fixed_key(), "kat", kCtx, 1, "07700 900123",
                   reinterpret_cast<const unsigned char *>(nonce.data()));
  CHECK(got == expected);
  // Pinned: catches any silent change of the format, KDF contexts or AD.
  CHECK(got == "vet1:kat:r1xuCCyIS9NAQUJDREVGR0hJSktMTU5PUFFSU1RVVleOuy74WvH_LaZSIm_P25M_"
               "h2xvGmM06-NKHpXU");
  CHECK(decrypt(ring, kCtx, got).value().data == "07700 900123");
  // Non-string kinds carry their type trailer inside the ciphertext.
  const std::string bytes("\x00\xff\x01", 3);
  const auto got_bytes =
      detail::encrypt_with_nonce(ring, kCtx, value_kind::bytes, bytes, nonce).value();
  CHECK(got_bytes == raw_envelope(pii_test::fixed_key(), "kat", kCtx, 2, bytes,
                                  reinterpret_cast<const unsigned char *>(nonce.data())));
  const auto back = decrypt(ring, kCtx, got_bytes).value();
  CHECK(back.kind == value_kind::bytes);
  CHECK(back.data == bytes);
  CHECK(detail::encrypt_with_nonce(ring, kCtx, value_kind::string, "x", "short").code() ==
        errc::invalid_argument);
}

TEST_CASE("typed values round-trip exactly") {
  auto ring = pii_test::fixed_ring();
  const std::string bytes("\x00\x01\xff\x80 tail\x00", 10);
  const std::string text = u8"Zoë O'Brien — 07700 900123 🙂";
  const std::string json = R"({"a": [1, 2.5, "x"], "b": null})";
  auto s = decrypt(ring, kCtx, encrypt_string(ring, kCtx, text).value()).value();
  CHECK(s.kind == value_kind::string);
  CHECK(s.data == text);
  auto b = decrypt(ring, kCtx, encrypt_bytes(ring, kCtx, bytes).value()).value();
  CHECK(b.kind == value_kind::bytes);
  CHECK(b.data == bytes);
  auto j = decrypt(ring, kCtx, encrypt_json(ring, kCtx, json).value()).value();
  CHECK(j.kind == value_kind::json);
  CHECK(j.data == json); // verbatim, including spacing
  auto e = decrypt(ring, kCtx, encrypt_string(ring, kCtx, "").value()).value();
  CHECK(e.data.empty());
  const std::string big(100000, 'x');
  CHECK(decrypt(ring, kCtx, encrypt_bytes(ring, kCtx, big).value()).value().data == big);
}

TEST_CASE("bad values are refused with a clear error and no output") {
  auto ring = pii_test::fixed_ring();
  auto bad_utf8 = encrypt_string(ring, kCtx, std::string("\xc3\x28", 2));
  CHECK(bad_utf8.code() == errc::invalid_utf8);
  CHECK(encrypt_json(ring, kCtx, "{not json").code() == errc::parse_error);
  CHECK(encrypt_string(ring, {"", "f", "1"}, "v").code() == errc::invalid_argument);
  CHECK(encrypt_string(ring, {"t", "", "1"}, "v").code() == errc::invalid_argument);
  CHECK(encrypt_string(ring, {"t", "f", ""}, "v").code() == errc::invalid_argument);
  const std::string long_name(max_context_bytes + 1, 't');
  CHECK(encrypt_string(ring, {long_name, "f", "1"}, "v").code() == errc::limit_exceeded);
  CHECK(encrypt_bytes(ring, kCtx, std::string(max_value_bytes + 1, 'x')).code() ==
        errc::limit_exceeded);
}

TEST_CASE("no write-time leak: random nonce, no timestamp, equal values differ") {
  auto ring = pii_test::fixed_ring();
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i)
    seen.insert(encrypt_string(ring, kCtx, "same").value());
  CHECK(seen.size() == 50);
  // The body is exactly kcv + ctx + nonce + type + value + tag: no room for a
  // timestamp or counter.
  const auto env = *seen.begin();
  const std::size_t body = env.size() - std::string("vet1:k1:").size();
  CHECK(body == util::b64url_encoded_length(4 + 4 + 24 + 4 + 16));
  const std::string year = std::to_string(1900 + [] {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_year;
  }());
  CHECK(env.find(year) == std::string::npos);
}

TEST_CASE("moved ciphertext fails with context_mismatch (table, field, record)") {
  auto ring = pii_test::fixed_ring();
  const auto env = encrypt_string(ring, kCtx, "07700 900123").value();
  for (const field_context &other :
       {field_context{"admins", "phone", "42"}, field_context{"users", "email", "42"},
        field_context{"users", "phone", "43"}}) {
    auto r = decrypt(ring, other, env);
    CHECK(r.code() == errc::context_mismatch);
    CHECK(r.message().find("07700") == std::string::npos);
  }
  // Length-prefixed: ("ab","c") is not ("a","bc").
  const auto e2 = encrypt_string(ring, {"ab", "c", "1"}, "v").value();
  CHECK(decrypt(ring, {"a", "bc", "1"}, e2).code() == errc::context_mismatch);
  CHECK(decrypt(ring, {"ab", "c", "1"}, e2).ok());
}

TEST_CASE("fail closed: missing, unknown and wrong keys") {
  auto ring = pii_test::fixed_ring("k1");
  const auto env = encrypt_string(ring, kCtx, "secret").value();
  CHECK(decrypt(keyring{}, kCtx, env).code() == errc::key_missing);
  CHECK(decrypt(pii_test::fixed_ring("k2"), kCtx, env).code() == errc::key_unknown);
  CHECK(decrypt(pii_test::fixed_ring("k1", 7), kCtx, env).code() == errc::key_wrong);
}

TEST_CASE("fail closed: tampering anywhere in the envelope is detected") {
  auto ring = pii_test::fixed_ring();
  const auto env = encrypt_string(ring, kCtx, "a value of some length").value();
  const std::size_t body_start = std::string("vet1:k1:").size();
  std::set<errc> codes;
  for (std::size_t i = body_start; i < env.size(); ++i) {
    std::string t = env;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    auto r = decrypt(ring, kCtx, t);
    REQUIRE_FALSE(r.ok());
    codes.insert(r.code());
  }
  // Bits in the ciphertext/tag/nonce → tampered; in the kcv → key_wrong; in
  // the context tag → context_mismatch; a stray final bit → malformed.
  CHECK(codes.count(errc::ciphertext_tampered) == 1);
  for (errc c : codes)
    CHECK((c == errc::ciphertext_tampered || c == errc::key_wrong ||
           c == errc::context_mismatch || c == errc::envelope_malformed));
  CHECK(decrypt(ring, kCtx, flip_body_char(env, 10)).code() == errc::ciphertext_tampered);
}

TEST_CASE("fail closed: truncated and malformed envelopes") {
  auto ring = pii_test::fixed_ring();
  // 48 + 6 = 54 bytes: a whole number of base64 groups, so dropping one
  // group below still leaves canonical base64 (authentication must catch it).
  const auto env = encrypt_string(ring, kCtx, "value!").value();
  for (std::size_t cut = 0; cut < env.size(); ++cut) {
    auto r = decrypt(ring, kCtx, env.substr(0, cut));
    REQUIRE_FALSE(r.ok());
    CHECK(
        (r.code() == errc::envelope_malformed || r.code() == errc::ciphertext_tampered));
  }
  // Dropping whole 4-char groups keeps valid base64: authentication catches it.
  CHECK(decrypt(ring, kCtx, env.substr(0, env.size() - 4)).code() ==
        errc::ciphertext_tampered);
  for (const char *bad :
       {"", "vet1:", "vet1::", "vet1:k1:", "vet2:k1:AAAA", "VET1:k1:AAAA",
        " vet1:k1:AAAA", "vet1:k 1:AAAA", "***decryption_error***"})
    CHECK(decrypt(ring, kCtx, bad).code() == errc::envelope_malformed);
  CHECK(decrypt(ring, kCtx, env + "=").code() == errc::envelope_malformed);
  CHECK(decrypt(ring, kCtx, env + "\n").code() == errc::envelope_malformed);
  CHECK(decrypt(ring, kCtx, " " + env).code() == errc::envelope_malformed);
}

TEST_CASE("is_envelope is strict: plaintext that starts like an envelope is not one") {
  auto ring = pii_test::fixed_ring();
  const auto env = encrypt_string(ring, kCtx, "x").value();
  CHECK(is_envelope(env));
  CHECK(envelope_key_id(env).value() == "k1");
  for (const char *plain :
       {"vet1:hello", "vet1:k1:hello", "vet1:k1:hello world",
        "vet1:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "vet1:a:b:c",
        "vet1:", "vet1", "07700 900123"}) {
    CHECK_FALSE(is_envelope(plain));
    // And encrypting such a plaintext works and round-trips.
    auto e = encrypt_string(ring, kCtx, plain).value();
    CHECK(decrypt(ring, kCtx, e).value().data == plain);
  }
  CHECK_FALSE(is_envelope(env.substr(0, env.size() - 1)));
  CHECK_FALSE(is_envelope(env + "!"));
  CHECK_FALSE(is_envelope(env + "="));
  CHECK(envelope_key_id("vet1:hello").code() == errc::envelope_malformed);
}

TEST_CASE("rewrap decrypts with an old key and encrypts with the active one") {
  auto ring = pii_test::fixed_ring("old");
  const auto old_env = encrypt_json(ring, kCtx, "[1,2]").value();
  ring.add_key("new", pii_test::fixed_key(9), true).value();
  const auto fresh = rewrap(ring, kCtx, old_env).value();
  CHECK(envelope_key_id(fresh).value() == "new");
  auto v = decrypt(ring, kCtx, fresh).value();
  CHECK(v.kind == value_kind::json);
  CHECK(v.data == "[1,2]");
  CHECK(rewrap(ring, {"users", "phone", "43"}, old_env).code() == errc::context_mismatch);
  CHECK(rewrap(pii_test::fixed_ring("new", 9), kCtx, old_env).code() ==
        errc::key_unknown);
  CHECK(rewrap(ring, kCtx, "plain text").code() == errc::envelope_malformed);
}

TEST_CASE("buffered nonces are never reused, across threads or after fork") {
  unsigned char before[24];
  detail::random_nonce(before, sizeof before); // fills this thread's buffer
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    unsigned char child[24];
    detail::random_nonce(child, sizeof child);
    const ssize_t w = ::write(fds[1], child, sizeof child);
    ::_exit(w == static_cast<ssize_t>(sizeof child) ? 0 : 1);
  }
  unsigned char parent[24], child[24];
  detail::random_nonce(parent, sizeof parent);
  REQUIRE(::read(fds[0], child, sizeof child) == static_cast<ssize_t>(sizeof child));
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  ::close(fds[1]);
  CHECK(std::memcmp(parent, child, 24) != 0); // the child refilled after fork
  CHECK(std::memcmp(parent, before, 24) != 0);

  std::set<std::string> seen;
  std::mutex m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        unsigned char n[24];
        detail::random_nonce(n, sizeof n);
        std::lock_guard<std::mutex> lock(m);
        seen.insert(std::string(reinterpret_cast<char *>(n), sizeof n));
      }
    });
  for (auto &t : threads)
    t.join();
  CHECK(seen.size() == 2000);
}

namespace {
// The 24 nonce bytes of an envelope "vet1:<id>:<base64url(kcv|ctx|nonce|...)>".
std::string envelope_nonce(const std::string &env) {
  const auto colon = env.find(':', 5);
  REQUIRE(colon != std::string::npos);
  std::string raw(env.size(), '\0');
  std::size_t len = 0;
  REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char *>(raw.data()), raw.size(),
                            env.data() + colon + 1, env.size() - colon - 1, nullptr, &len,
                            nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
  REQUIRE(len >= 32);
  return raw.substr(8, 24);
}
} // namespace

TEST_CASE("a child made by a raw clone system call (no atfork handlers) does not reuse "
          "the parent's nonces") {
  auto ring = pii_test::fixed_ring("k1");
  // Fill this thread's nonce buffer: the next nonces are already drawn.
  const std::string first = encrypt_string(ring, kCtx, "same value").value();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  // Like fork(), but glibc's fork wrapper (and so every pthread_atfork
  // handler) is bypassed.
  const long pid = ::syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto env = encrypt_string(ring, kCtx, "same value");
    std::string nonce = env.ok() ? envelope_nonce(*env) : std::string(24, '\0');
    const ssize_t w = ::write(fds[1], nonce.data(), nonce.size());
    ::_exit(env.ok() && w == 24 ? 0 : 1);
  }
  char child[24];
  REQUIRE(::read(fds[0], child, sizeof child) == static_cast<ssize_t>(sizeof child));
  int status = 0;
  REQUIRE(::waitpid(static_cast<pid_t>(pid), &status, 0) == pid);
  ::close(fds[0]);
  ::close(fds[1]);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const std::string parent =
      envelope_nonce(encrypt_string(ring, kCtx, "same value").value());
  CHECK(parent != std::string(child, 24));
  CHECK(parent != envelope_nonce(first));
}

TEST_CASE("authenticated but ill-typed plaintexts are refused, not passed through") {
  auto ring = pii_test::fixed_ring("kat");
  const std::string nonce = nonce_bytes();
  const auto *n = reinterpret_cast<const unsigned char *>(nonce.data());
  // Correctly encrypted under the right key, but with an unknown type byte /
  // a "string" that is not UTF-8: only a faulty writer could produce these.
  const auto unknown_type = raw_envelope(pii_test::fixed_key(), "kat", kCtx, 9, "v", n);
  CHECK(decrypt(ring, kCtx, unknown_type).code() == errc::envelope_malformed);
  const auto bad_string =
      raw_envelope(pii_test::fixed_key(), "kat", kCtx, 1, std::string("\xc3\x28", 2), n);
  CHECK(decrypt(ring, kCtx, bad_string).code() == errc::envelope_malformed);
}
