// Signalling codec benchmark: decode+validate+encode of an ICE-heavy mix vs
// plain Boost.JSON parse+serialize of the same bytes, in the same run. After
// the runs it prints the rate ratio (the bar: >= 0.70).
//
//   build/benchmarks/bench_signal --benchmark_repetitions=10 \
//       --benchmark_enable_random_interleaving=true --benchmark_min_time=0.2
//
// It also measures the relay on a chat-heavy replay against the codec alone
// on the same messages (see relay_fixture below).
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

// ---- relay: a chat-heavy replay ----------------------------------------------
// 20 counsellors each in a claimed chat with one user, and 2 connected calls.
// Per iteration 1000 envelopes (JSON text, as a host receives them): 70%
// chat.message, 15% chat.typing, 10% chat.read, 5% rtc.ice. The relay
// handles each and every delivery is encoded (what a host then sends). The
// baseline is the codec alone on the same texts: decode+validate+encode once.

struct relay_fixture {
  sg::relay relay;
  std::vector<std::pair<sg::peer, std::string>> inputs; // sender, JSON text
  std::int64_t now = 1000;

  relay_fixture() {
    std::mt19937 rng(7);
    std::vector<std::string> rooms, calls;
    std::vector<sg::peer> users, staff;
    auto say = [&](const sg::peer &p, sg::message m) {
      m.id = "x";
      m.ts = now;
      m.from = p.id;
      return relay.handle(p, m, ++now);
    };
    for (int i = 0; i < 22; ++i) {
      sg::peer c{"c" + std::to_string(i), sg::role::counsellor};
      sg::peer u{"u" + std::to_string(i), sg::role::user};
      (void)relay.connect(c, now);
      (void)relay.connect(u, now);
      sg::message on;
      on.type = sg::message_type::presence_online;
      on.body =
          sg::presence_online_body{sg::role::counsellor, sg::presence_status::available};
      (void)say(c, on);
      sg::message req;
      if (i < 20) {
        req.type = sg::message_type::chat_request;
        req.body = sg::chat_request_body{};
        auto r = say(u, req);
        const std::string room = r.issued.at(1).id, rid = r.issued.at(0).id;
        sg::message claim;
        claim.type = sg::message_type::chat_claim;
        claim.room_id = room;
        claim.body = sg::request_body{rid};
        (void)say(c, claim);
        rooms.push_back(room);
      } else {
        req.type = sg::message_type::call_request;
        req.to = u.id;
        req.body = sg::media_body{};
        auto r = say(c, req);
        const std::string call = r.issued.at(0).id;
        sg::message acc;
        acc.type = sg::message_type::call_accept;
        acc.call_id = call;
        acc.body = sg::empty_body{};
        (void)say(u, acc);
        calls.push_back(call);
      }
      users.push_back(u);
      staff.push_back(c);
    }
    for (int i = 0; i < 1000; ++i) {
      const int r = static_cast<int>(rng() % 100);
      sg::message m;
      m.id = "m-" + std::to_string(i);
      m.ts = 1700000000000 + i;
      const std::size_t k = rng() % 20;
      const sg::peer &p = rng() % 2 ? users[k] : staff[k];
      m.from = p.id;
      m.room_id = rooms[k];
      if (r < 70) {
        m.type = sg::message_type::chat_message;
        m.body = sg::chat_message_body{"I've been finding it hard to sleep since I left, "
                                       "can we talk about that?"};
      } else if (r < 85) {
        m.type = sg::message_type::chat_typing;
        m.body = sg::chat_typing_body{true};
      } else if (r < 95) {
        m.type = sg::message_type::chat_read;
        m.body = sg::chat_read_body{"m1"};
      } else {
        const std::size_t c = rng() % 2;
        const sg::peer &q = rng() % 2 ? users[20 + c] : staff[20 + c];
        m.room_id.reset();
        m.from = q.id;
        m.call_id = calls[c];
        m.type = sg::message_type::rtc_ice;
        m.body = sg::ice_body{"candidate:1 1 udp 2122260223 192.168.1.4 40000 typ host",
                              std::string("0"), 0};
        inputs.emplace_back(q, sg::encode(m));
        continue;
      }
      inputs.emplace_back(p, sg::encode(m));
    }
  }
};

relay_fixture &fixture() {
  static relay_fixture f;
  return f;
}

void BM_relay_chat_replay(benchmark::State &state) {
  auto &f = fixture();
  std::int64_t deliveries = 0;
  for (auto _ : state) {
    for (const auto &[p, text] : f.inputs) {
      auto r = f.relay.handle(p, text, ++f.now);
      if (r.rejection) {
        state.SkipWithError("relay refused a benchmark message");
        return;
      }
      for (const auto &d : r.deliveries) {
        std::string out = sg::encode(d.msg);
        benchmark::DoNotOptimize(out);
      }
      deliveries += static_cast<std::int64_t>(r.deliveries.size());
    }
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(f.inputs.size()));
  state.counters["deliveries_per_msg"] =
      static_cast<double>(deliveries) /
      static_cast<double>(state.iterations() *
                          static_cast<std::int64_t>(f.inputs.size()));
}

void BM_relay_codec_baseline(benchmark::State &state) {
  auto &f = fixture();
  for (auto _ : state)
    for (const auto &[p, text] : f.inputs) {
      auto m = sg::decode(text);
      std::string out = sg::encode(*m);
      benchmark::DoNotOptimize(out);
    }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(f.inputs.size()));
}

BENCHMARK(BM_codec_roundtrip);
BENCHMARK(BM_relay_chat_replay);
BENCHMARK(BM_relay_codec_baseline);
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

/// The relay's rate against the codec alone on the same messages, same run.
void print_relay_ratio(const bench::sample_reporter &r) {
  const auto relay = r.of("BM_relay_chat_replay");
  const auto codec = r.of("BM_relay_codec_baseline");
  if (!relay.count || !codec.count) return;
  const double n = static_cast<double>(fixture().inputs.size());
  std::printf("\nsignal relay, chat-heavy replay (handle + encode every delivery) vs the "
              "codec alone (decode+encode) on the same %zu envelopes, same run:\n"
              "  relay %.0f msgs/s (median), %.0f msgs/s (best); codec %.0f msgs/s; "
              "rate ratio relay/codec median %.2f, best %.2f (%zu repetitions)\n",
              fixture().inputs.size(), n / (relay.median / 1e9), n / (relay.min / 1e9),
              n / (codec.median / 1e9), codec.median / relay.median,
              codec.min / relay.min, relay.count);
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::sample_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratio(reporter);
  print_relay_ratio(reporter);
  benchmark::Shutdown();
  return 0;
}
