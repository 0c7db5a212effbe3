// Triage throughput on a synthetic corpus of ~200k short chat messages.
//
//   bench_triage [--corpus-size=N] [--write-corpus=FILE] [google-benchmark flags]
//
// Prints messages/s and MB/s, single-threaded, for normalise+tokenise only,
// full assess (rules + learned model), the same with the Welsh pack run beside
// en-GB, the rules alone, and full assess with every message a turn
// of one of 1000 sessions; then ratios of the medians of
// the same run. --write-corpus writes the corpus as JSON lines (for the Python
// batch benchmark) and exits.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <utility>

#include "corpus.hpp"
#include "triage/detail/testing.hpp"
#include "veteran/triage.hpp"

namespace {

std::size_t g_corpus_size = 200000;
std::vector<std::string> &corpus() {
  static std::vector<std::string> c = veteran_bench::make_corpus(g_corpus_size);
  return c;
}
std::size_t corpus_bytes() {
  std::size_t b = 0;
  for (const auto &m : corpus())
    b += m.size();
  return b;
}

void run_over_corpus(benchmark::State &state, void (*fn)(const std::string &)) {
  const auto &c = corpus();
  for (auto _ : state)
    for (const auto &m : c)
      fn(m);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
}

void BM_normalise_tokenise(benchmark::State &state) {
  static const auto pack = veteran::triage::pack::default_pack();
  run_over_corpus(state, [](const std::string &m) {
    benchmark::DoNotOptimize(veteran::triage::detail::count_tokens(m, *pack));
  });
}

/// Every corpus message through `e.assess`, timed.
void assess_over_corpus(benchmark::State &state, const veteran::triage::engine &e) {
  const auto &c = corpus();
  for (auto _ : state)
    for (const auto &m : c) {
      auto a = e.assess(m);
      benchmark::DoNotOptimize(a.lvl);
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
}

/// An engine over the shipped pack with `o`.
veteran::triage::engine default_pack_engine(veteran::triage::engine_options o) {
  return veteran::triage::engine::create(veteran::triage::pack::default_pack(), std::move(o))
      .value();
}

void BM_assess(benchmark::State &state) {
  static const veteran::triage::engine engine;
  assess_over_corpus(state, engine);
}

/// The rules alone, without the learned model: the baseline for the model's cost.
void BM_assess_rules_only(benchmark::State &state) {
  static const auto engine = [] {
    veteran::triage::engine_options o;
    o.use_learned_model = false;
    return default_pack_engine(std::move(o));
  }();
  assess_over_corpus(state, engine);
}

/// Full assess with the shipped Welsh pack run beside en-GB
/// (engine_options::extra_packs): what reading Welsh costs on English chat.
void BM_assess_with_welsh(benchmark::State &state) {
  static const auto engine = [] {
    veteran::triage::engine_options o;
    o.extra_packs.push_back(veteran::triage::pack::builtin("cy-GB").value());
    return default_pack_engine(std::move(o));
  }();
  assess_over_corpus(state, engine);
}

/// Full assess with each message a turn of one of 1000 conversations.
void BM_assess_sessions(benchmark::State &state) {
  static const veteran::triage::engine engine;
  static std::vector<veteran::triage::session> sessions(1000);
  static std::size_t next = 0;
  static veteran::triage::timestamp_ms now = 1'700'000'000'000;
  run_over_corpus(state, [](const std::string &m) {
    auto &s = sessions[next++ % sessions.size()];
    now += 1000;
    auto a = engine.assess(m, s, now);
    benchmark::DoNotOptimize(a.lvl);
  });
}

BENCHMARK(BM_normalise_tokenise)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();
BENCHMARK(BM_assess)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();
BENCHMARK(BM_assess_with_welsh)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();
BENCHMARK(BM_assess_rules_only)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();
BENCHMARK(BM_assess_sessions)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();

/// Collects the median items/s of each benchmark to print ratios at the end.
class ratio_reporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto &r : runs)
      if (r.aggregate_name == "median") {
        rates_[r.run_name.function_name] = r.counters.at("items_per_second");
        mbs_[r.run_name.function_name] = r.counters.at("bytes_per_second") / 1e6;
      }
  }
  void print_summary() const {
    std::cout << "\ncorpus: " << corpus().size() << " messages, " << corpus_bytes() / 1e6
              << " MB, mean " << static_cast<double>(corpus_bytes()) / corpus().size()
              << " bytes/message\n";
    for (const auto &[name, rate] : rates_)
      std::cout << name << ": " << rate / 1e6 << " M messages/s, " << mbs_.at(name)
                << " MB/s (median, 1 thread)\n";
    ratio("assess / normalise+tokenise", "BM_assess", "BM_normalise_tokenise");
    ratio("assess with model / rules only", "BM_assess", "BM_assess_rules_only");
    ratio("assess in sessions / assess alone", "BM_assess_sessions", "BM_assess");
    ratio("assess with Welsh beside / assess alone", "BM_assess_with_welsh", "BM_assess");
  }

private:
  void ratio(const char *label, const char *num, const char *den) const {
    const auto a = rates_.find(num), b = rates_.find(den);
    if (a != rates_.end() && b != rates_.end())
      std::cout << "ratio " << label << ": " << a->second / b->second << "\n";
  }
  std::map<std::string, double> rates_, mbs_;
};

} // namespace

int main(int argc, char **argv) {
  std::vector<char *> rest;
  std::string write_to;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--corpus-size=", 14) == 0)
      g_corpus_size = std::stoul(argv[i] + 14);
    else if (std::strncmp(argv[i], "--write-corpus=", 15) == 0)
      write_to = argv[i] + 15;
    else
      rest.push_back(argv[i]);
  }
  if (!write_to.empty()) {
    std::ofstream out(write_to);
    for (const auto &m : corpus()) {
      std::string esc;
      for (char c : m) {
        if (c == '"' || c == '\\') esc.push_back('\\');
        esc.push_back(c);
      }
      out << "{\"text\": \"" << esc << "\"}\n";
    }
    return out ? 0 : 1;
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  corpus(); // build outside the timed region
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_summary();
  benchmark::Shutdown();
  return 0;
}
