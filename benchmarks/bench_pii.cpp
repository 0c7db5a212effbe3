// PII benchmarks: codec encrypt+decrypt vs raw libsodium (same run), blind
// index rate, redaction throughput. After the runs it prints the codec/raw
// ratio for each field size (the bar: >= 0.80).
//
//   build/release/benchmarks/bench_pii --benchmark_repetitions=10 \
//       --benchmark_enable_random_interleaving=true --benchmark_min_time=0.2
//
// "raw" is what a careful direct libsodium user does per value: a random
// nonce (randombytes_buf), crypto_aead_xchacha20poly1305_ietf_encrypt and
// _decrypt with a short associated data, into preallocated buffers (no
// allocation, no encoding). The codec additionally builds the length-prefixed
// context, computes the context tag, base64url-encodes/decodes and returns
// owned strings.
#include <benchmark/benchmark.h>

#include "sample_reporter.hpp"
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "veteran/init.hpp"
#include "veteran/pii.hpp"

namespace pii = veteran::pii;

namespace {

const pii::field_context kCtx{"veterans", "phone", "123456"};

pii::keyring &ring() {
  static pii::keyring r = pii::keyring::generate("bench").value();
  return r;
}

std::string value_of(std::size_t n) {
  std::string v;
  while (v.size() < n)
    v += "07700 900123 Flat 2, 10 High Street ";
  v.resize(n);
  return v;
}

void BM_codec_roundtrip(benchmark::State &state) {
  const std::string v = value_of(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto env = pii::encrypt_string(ring(), kCtx, v);
    auto back = pii::decrypt(ring(), kCtx, *env);
    benchmark::DoNotOptimize(back->data.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

enum class nonce_source { random, increment };

/// Raw libsodium XChaCha20-Poly1305 encrypt+decrypt of an n-byte field: the
/// baseline the codec is measured against. `random` draws a fresh nonce per
/// call as any correct user of the raw API must; `increment` is the floor no
/// field encryption can go below (not a safe way to make nonces across
/// processes; for comparison only).
void raw_roundtrip(benchmark::State &state, nonce_source source) {
  if (state.range(0) <= 0 || state.range(0) > 4096) {
    state.SkipWithError("field size must be 1-4096");
    return;
  }
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::string v = value_of(n);
  unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  const std::string ad = "veterans|phone|123456";
  std::vector<unsigned char> c(n + crypto_aead_xchacha20poly1305_ietf_ABYTES), m(n);
  unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = {};
  for (auto _ : state) {
    if (source == nonce_source::random)
      randombytes_buf(nonce, sizeof nonce);
    else
      sodium_increment(nonce, sizeof nonce);
    unsigned long long clen = 0, mlen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        c.data(), &clen, reinterpret_cast<const unsigned char *>(v.data()), n,
        reinterpret_cast<const unsigned char *>(ad.data()), ad.size(), nullptr, nonce,
        key);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            m.data(), &mlen, nullptr, c.data(), clen,
            reinterpret_cast<const unsigned char *>(ad.data()), ad.size(), nonce,
            key) != 0)
      state.SkipWithError("raw decrypt failed");
    benchmark::DoNotOptimize(m.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_raw_roundtrip(benchmark::State &state) {
  raw_roundtrip(state, nonce_source::random);
}
void BM_raw_aead_only(benchmark::State &state) {
  raw_roundtrip(state, nonce_source::increment);
}

void BM_blind_index_phone(benchmark::State &state) {
  for (auto _ : state) {
    auto idx =
        pii::blind_index(ring(), "phone", pii::index_kind::phone, "+44 (0)7700-900123");
    benchmark::DoNotOptimize(idx->data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_blind_index_email(benchmark::State &state) {
  for (auto _ : state) {
    auto idx = pii::blind_index(ring(), "email", pii::index_kind::email,
                                " Jo.Bloggs@Example.COM");
    benchmark::DoNotOptimize(idx->data());
  }
  state.SetItemsProcessed(state.iterations());
}

// ~1 MiB of chat-like text; about one line in four carries personal data.
const std::string &corpus() {
  static const std::string text = [] {
    const char *lines[] = {
        "Had a rough night again, couldn't sleep after the fireworks next door.\n",
        "My number is 07700 900123 if the callback team need it.\n",
        "Thanks for listening earlier, it helped more than I expected.\n",
        "Left the regiment in 2009, been struggling with work since 2015.\n",
        "You can email me at jo.bloggs@example.com or write to SW1A 2AA.\n",
        "The appointment is on 15/06/2024 at 10:30, order ref 01234567890.\n",
        "Not sure what to say really. Just wanted someone to talk to tonight.\n",
        "NHS number 943 476 5919 and NI AB 12 34 56 C are on the form.\n",
    };
    std::string t;
    for (std::size_t i = 0; t.size() < (1u << 20); ++i)
      t += lines[i % 8];
    return t;
  }();
  return text;
}

void BM_redact(benchmark::State &state) {
  const std::string &text = corpus();
  for (auto _ : state) {
    auto r = pii::redact(text);
    benchmark::DoNotOptimize(r->text.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_redact_pseudonymise(benchmark::State &state) {
  const std::string &text = corpus();
  for (auto _ : state) {
    auto r = pii::redact_pseudonymise(text, ring());
    benchmark::DoNotOptimize(r->text.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

BENCHMARK(BM_codec_roundtrip)->Arg(64)->Arg(200);
BENCHMARK(BM_raw_roundtrip)->Arg(64)->Arg(200);
BENCHMARK(BM_raw_aead_only)->Arg(64)->Arg(200);
BENCHMARK(BM_blind_index_phone);
BENCHMARK(BM_blind_index_email);
BENCHMARK(BM_redact);
BENCHMARK(BM_redact_pseudonymise);

/// Ratios of the codec against raw libsodium, from the same run.
void print_ratios(const bench::sample_reporter &r) {
  std::printf("\ncodec vs raw libsodium, encrypt+decrypt in the same run "
              "(rate ratio = raw CPU time / codec CPU time; bar >= 0.80):\n");
  for (const char *size : {"64", "200"}) {
    const auto codec = r.of(std::string("BM_codec_roundtrip/") + size);
    const auto raw = r.of(std::string("BM_raw_roundtrip/") + size);
    if (!codec.count || !raw.count) continue;
    std::printf("  %3s bytes: median codec %.0f ns / raw %.0f ns -> %.2f; "
                "min codec %.0f ns / raw %.0f ns -> %.2f (%zu repetitions)\n",
                size, codec.median, raw.median, raw.median / codec.median, codec.min,
                raw.min, raw.min / codec.min, codec.count);
    const auto aead = r.of(std::string("BM_raw_aead_only/") + size);
    if (aead.count)
      std::printf("  %3s bytes: AEAD calls alone (no nonce generation) %.0f ns median -> "
                  "codec reaches %.2f of that floor\n",
                  size, aead.median, aead.median / codec.median);
  }
}

} // namespace

int main(int argc, char **argv) {
  if (!veteran::global_init()) return 1;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::sample_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratios(reporter);
  benchmark::Shutdown();
  return 0;
}
