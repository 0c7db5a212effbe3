// Signalling codec benchmark: decode+validate+encode of an ICE-heavy mix vs
// plain Boost.JSON parse+serialize of the same bytes, in the same run. After
// the runs it prints the rate ratio (the bar: >= 0.70).
//
//   build/benchmarks/bench_signal --benchmark_repetitions=10 \
//       --benchmark_enable_random_interleaving=true --benchmark_min_time=0.2
//
// The mix (1000 envelopes, canonical text, fixed seed): 60% rtc.ice, 5%
// rtc.offer and 5% rtc.answer with a ~1.5 KiB SDP, 15% chat.message, 5%
// chat.typing, 5% presence.status, 5% call.* control messages.
#include <benchmark/benchmark.h>

#include "sample_reporter.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "veteran/signal.hpp"

namespace sg = veteran::signal;

namespace {

std::string sdp() {
  std::string s = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                  "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n";
  while (s.size() < 1500)
    s += "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
         "a=candidate:842163049 1 udp 1677729535 192.0.2.1 46154 typ srflx\r\n";
  return s;
}

const std::vector<std::string> &corpus() {
  static const std::vector<std::string> lines = [] {
    std::mt19937 rng(42);
    std::vector<std::string> out;
    const std::string offer = sdp();
    for (int i = 0; i < 1000; ++i) {
      const int r = static_cast<int>(rng() % 100);
      sg::message m;
      m.id = "m-" + std::to_string(i);
      m.ts = 1700000000000 + i;
      m.from = i % 2 ? "u-8f14e45fceea167a" : "s-c9f0f895fb98ab91";
      m.call_id = "c-45c48cce2e2d7fbd";
      if (r < 60) {
        m.type = sg::message_type::rtc_ice;
        m.body = sg::ice_body{
            "candidate:" + std::to_string(rng()) + " 1 udp 2122260223 192.168.1." +
                std::to_string(i % 250) + " " + std::to_string(40000 + i) +
                " typ host generation 0 ufrag EsAw network-id 1",
            std::string("0"), 0};
      } else if (r < 70) {
        m.type = r < 65 ? sg::message_type::rtc_offer : sg::message_type::rtc_answer;
        m.body = sg::sdp_body{offer};
      } else {
        m.call_id.reset();
        if (r < 85) {
          m.type = sg::message_type::chat_message;
          m.room_id = "r-d3d9446802a44259";
          m.body =
              sg::chat_message_body{"I've been finding it hard to sleep since I left, "
                                    "can we talk about that? \xE2\x9C\x93"};
        } else if (r < 90) {
          m.type = sg::message_type::chat_typing;
          m.room_id = "r-d3d9446802a44259";
          m.body = sg::chat_typing_body{true};
        } else if (r < 95) {
          m.type = sg::message_type::presence_status;
          m.body = sg::presence_status_body{sg::presence_status::in_call};
        } else {
          m.type = sg::message_type::call_ringing;
          m.call_id = "c-45c48cce2e2d7fbd";
          m.body = sg::empty_body{};
        }
      }
      out.push_back(sg::encode(m));
    }
    return out;
  }();
  return lines;
}

std::int64_t corpus_bytes() {
  std::int64_t n = 0;
  for (const auto &l : corpus())
    n += static_cast<std::int64_t>(l.size());
  return n;
}

void BM_codec_roundtrip(benchmark::State &state) {
  const auto &lines = corpus();
  for (auto _ : state) {
    for (const auto &l : lines) {
      auto m = sg::decode(l);
      if (!m) {
        state.SkipWithError("decode failed");
        return;
      }
      std::string out = sg::encode(*m);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
}

void BM_boost_roundtrip(benchmark::State &state) {
  const auto &lines = corpus();
  for (auto _ : state) {
    for (const auto &l : lines) {
      boost::json::value v = boost::json::parse(l);
      std::string out = boost::json::serialize(v);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
}

// The two halves, to show where the time goes (not part of the ratio).
void BM_codec_decode_only(benchmark::State &state) {
  const auto &lines = corpus();
  for (auto _ : state)
    for (const auto &l : lines) {
      auto m = sg::decode(l);
      benchmark::DoNotOptimize(m);
    }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
}

void BM_codec_encode_only(benchmark::State &state) {
  std::vector<sg::message> msgs;
  for (const auto &l : corpus())
    msgs.push_back(sg::decode(l).value());
  for (auto _ : state)
    for (const auto &m : msgs) {
      std::string out = sg::encode(m);
      benchmark::DoNotOptimize(out);
    }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(msgs.size()));
}

void BM_boost_parse_only(benchmark::State &state) {
  const auto &lines = corpus();
  for (auto _ : state)
    for (const auto &l : lines) {
      boost::json::value v = boost::json::parse(l);
      benchmark::DoNotOptimize(v);
    }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
}

BENCHMARK(BM_codec_roundtrip);
BENCHMARK(BM_boost_roundtrip);
BENCHMARK(BM_codec_decode_only);
BENCHMARK(BM_codec_encode_only);
BENCHMARK(BM_boost_parse_only);

/// The codec's rate against Boost.JSON's on the same bytes, same run.
void print_ratio(const bench::sample_reporter &r) {
  const auto codec = r.of("BM_codec_roundtrip");
  const auto raw = r.of("BM_boost_roundtrip");
  if (!codec.count || !raw.count) return;
  const double cm = codec.median, rm = raw.median, cmin = codec.min, rmin = raw.min;
  std::printf("\nsignal codec (decode+validate+encode) vs Boost.JSON parse+serialize, "
              "same bytes, same run (rate ratio = boost CPU time / codec CPU time; "
              "bar >= 0.70):\n  median %.0f us / %.0f us -> %.2f; min %.0f us / %.0f us "
              "-> %.2f (%zu repetitions, %zu envelopes per iteration)\n",
              cm / 1e3, rm / 1e3, rm / cm, cmin / 1e3, rmin / 1e3, rmin / cmin,
              codec.count, corpus().size());
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::sample_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratio(reporter);
  benchmark::Shutdown();
  return 0;
}
