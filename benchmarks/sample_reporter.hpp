// Shared by the benchmark programs: a console reporter that also keeps each
// repetition's CPU time per benchmark, so a program can print ratios against
// a baseline measured in the same run (median and minimum of repetitions:
// the machine may be shared, so the minimum is the least disturbed estimate
// and the median the typical one).
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace bench {

struct timing {
  double median = 0, min = 0;
  std::size_t count = 0;
};

class sample_reporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const auto &r : runs)
      if (r.run_type == Run::RT_Iteration && !r.error_occurred && r.iterations > 0)
        samples_[r.run_name.str()].push_back(r.GetAdjustedCPUTime());
    ConsoleReporter::ReportRuns(runs);
  }
  /// CPU time per iteration of benchmark `name` over its repetitions;
  /// count 0 when it did not run (filtered out).
  [[nodiscard]] timing of(const std::string &name) const {
    const auto it = samples_.find(name);
    if (it == samples_.end() || it->second.empty()) return {};
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.front(), n};
  }

private:
  std::map<std::string, std::vector<double>> samples_;
};

} // namespace bench
