#!/usr/bin/env bash
# The README's first command: installs missing packages, builds the CLI, and
# runs the main job — triage of a shipped example conversation (JSON lines in,
# one JSON assessment per line out).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release \
  -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)" --target veteran_cli
example=${1:-examples/data/conversation.jsonl}
echo "== veteran assess --jsonl < $example =="
build/release/veteran assess --jsonl < "$example"
