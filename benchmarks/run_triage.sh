#!/usr/bin/env bash
# Runs the triage benchmarks (C++ and Python) on one machine in one go and
# prints the figures quoted in README.md / docs/benchmarks.md.
#   benchmarks/run_triage.sh [build-dir]   (default build/release)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build/release}
if [ ! -x "$build/benchmarks/bench_triage" ] || [ ! -d "$build/python/veteran" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DVETERAN_BUILD_BENCHMARKS=ON \
    -DVETERAN_BUILD_PYTHON=ON -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
  cmake --build "$build" -j"$(nproc)" --target bench_triage _veteran veteran_python_package
fi
corpus=$(mktemp --suffix=.jsonl)
trap 'rm -f "$corpus"' EXIT
"$build/benchmarks/bench_triage" --write-corpus="$corpus"
"$build/benchmarks/bench_triage" --benchmark_color=false
PYTHONPATH="$build/python" /usr/bin/python3 benchmarks/bench_triage_python.py "$corpus"
