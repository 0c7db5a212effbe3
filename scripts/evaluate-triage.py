#!/usr/bin/python3
"""Scores the triage engine on the labelled sets: rules alone, the learned
model alone, and both together (what the engine ships).

Usage:
  /usr/bin/python3 scripts/evaluate-triage.py [--build build/release]
      [--model FILE] [--by-kind] [SET ...]

SET is a JSON-lines file of {"text", "accept": [levels], ...}; by default the
tuning set and both held-out sets under tests/data/triage/. For each set it
prints: lines right (level among `accept`), crisis lines (accepting only high
or critical) rated below high, and benign lines (accepting nothing above low)
rated high or critical. This script only measures: nothing here feeds back
into training or into the pack.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LEVELS = ["none", "low", "medium", "high", "critical"]
DEFAULT_SETS = ["labelled.jsonl", "holdout.jsonl", "holdout2.jsonl"]


class Tally:
    def __init__(self):
        self.n = self.right = self.crises = self.missed = self.benign = self.alarms = 0

    def add(self, level, accept):
        lv = LEVELS.index(level)
        acc = [LEVELS.index(x) for x in accept]
        self.n += 1
        self.right += lv in acc
        if min(acc) >= 3:
            self.crises += 1
            self.missed += lv < 3
        if max(acc) <= 1:
            self.benign += 1
            self.alarms += lv >= 3

    def __str__(self):
        pct = lambda a, b: 100.0 * a / b if b else 0.0
        return "%4d/%-4d right (%5.1f%%)  crises below high %3d/%-3d (%5.1f%%)  benign alarmed %2d/%-3d (%4.1f%%)" % (
            self.right, self.n, pct(self.right, self.n), self.missed, self.crises,
            pct(self.missed, self.crises), self.alarms, self.benign, pct(self.alarms, self.benign))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    ap.add_argument("--model", help="model file instead of the shipped one")
    ap.add_argument("--by-kind", action="store_true", help="also break each set down by kind")
    ap.add_argument("--welsh", action="store_true",
                    help="run the cy-GB pack beside en-GB (engine_options::extra_packs)")
    ap.add_argument("sets", nargs="*")
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.build, "python"))
    import veteran  # noqa: E402

    extra = ["cy-GB"] if a.welsh else []
    rules = veteran.Engine(model=False, extra_packs=extra)
    both = veteran.Engine(model=a.model or None, extra_packs=extra)
    print("model: %s" % both.model_id)
    sets = a.sets or [os.path.join(ROOT, "tests", "data", "triage", s) for s in DEFAULT_SETS]
    for path in sets:
        tallies = {"rules alone": Tally(), "model alone": Tally(), "rules + model": Tally()}
        kinds = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                item = json.loads(line)
                r = rules.assess(item["text"])["level"]
                full = both.assess(item["text"])
                m = full["model"]["level"] if full["model"] else "none"
                tallies["rules alone"].add(r, item["accept"])
                tallies["model alone"].add(m, item["accept"])
                tallies["rules + model"].add(full["level"], item["accept"])
                kind = item.get("kind", item.get("class", "?"))
                kinds.setdefault(kind, (Tally(), Tally()))
                kinds[kind][0].add(r, item["accept"])
                kinds[kind][1].add(full["level"], item["accept"])
        print("\n%s" % os.path.relpath(path, ROOT))
        for name, t in tallies.items():
            print("  %-14s %s" % (name, t))
        if a.by_kind:
            for kind, (r, b) in sorted(kinds.items()):
                print("    %-30s rules %3d/%-3d  both %3d/%-3d" % (kind, r.right, r.n, b.right, b.n))


if __name__ == "__main__":
    main()
