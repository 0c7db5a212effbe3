#!/usr/bin/env bash
# The README's test command (and what CI runs): installs missing packages,
# builds in Release with tests, runs every test (C++ doctest, C, packaging,
# CLI, Python) under ctest, then builds the C++ and C tests with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs them too, and last
# runs the tests that share one engine / key ring between threads under
# ThreadSanitizer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs=$(nproc 2>/dev/null || echo 2)
started=$(date +%s)

scripts/install-deps.sh

echo "== Release build with tests =="
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release \
  -DVETERAN_BUILD_TESTS=ON -DVETERAN_BUILD_PYTHON=ON -DVETERAN_BUILD_EXAMPLES=ON \
  -DVETERAN_BUILD_BENCHMARKS=ON -DPython_EXECUTABLE=/usr/bin/python3
cmake --build build/release -j"$jobs"
ctest --test-dir build/release --output-on-failure -j"$jobs"

echo "== ASan + UBSan build of the C++ and C tests =="
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DVETERAN_SANITIZE=ON -DVETERAN_BUILD_TESTS=ON -DVETERAN_BUILD_PYTHON=OFF \
  -DVETERAN_BUILD_EXAMPLES=OFF -DVETERAN_BUILD_BENCHMARKS=OFF \
  -DPython_EXECUTABLE=/usr/bin/python3
cmake --build build/asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs"

echo "== ThreadSanitizer build of the unit tests; the thread tests under it =="
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DVETERAN_TSAN=ON -DVETERAN_BUILD_TESTS=ON -DVETERAN_BUILD_PYTHON=OFF \
  -DVETERAN_BUILD_EXAMPLES=OFF -DVETERAN_BUILD_BENCHMARKS=OFF -DVETERAN_BUILD_CLI=OFF \
  -DVETERAN_PACKAGING_TESTS=OFF -DPython_EXECUTABLE=/usr/bin/python3
cmake --build build/tsan -j"$jobs" --target veteran_unit_tests
# Every test that starts threads has "thread" or "concurrent" in its name.
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  build/tsan/tests/veteran_unit_tests --force-colors=0 \
  --test-case='*thread*,*concurrent*,*pack swap*'

echo "== all tests passed in $(( $(date +%s) - started )) s =="
