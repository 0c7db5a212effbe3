#!/usr/bin/python3
"""Score a slice of the tuning set (labelled.jsonl) with the built Python module.

Usage: /usr/bin/python3 score_lines.py [--build DIR] [--pack FILE] [--from-line N] [--misses]

Reports accuracy and crises rated below high (items whose accepted levels are
all high/critical) for lines N.. of labelled.jsonl (1-based, default 1) and for
the lines before N, so a batch of newly written lines can be scored on its own
(e.g. before and after a pack change). Reads only labelled.jsonl.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LEVELS = ["none", "low", "medium", "high", "critical"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "..", "build"))
    ap.add_argument("--pack", help="pack file to load instead of the built-in pack")
    ap.add_argument("--from-line", type=int, default=1)
    ap.add_argument("--misses", action="store_true", help="list wrong items in the slice")
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.build, "python"))
    import veteran  # noqa: E402
    eng = veteran.Engine(pack=a.pack) if a.pack else veteran.Engine()
    groups = {"before": [0, 0, 0, 0], "slice": [0, 0, 0, 0]}  # n, right, crises, missed
    with open(os.path.join(HERE, "labelled.jsonl"), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            item = json.loads(line)
            lvl = eng.assess(item["text"])["level"]
            ok = lvl in item["accept"]
            crisis = all(x in ("high", "critical") for x in item["accept"])
            g = groups["slice" if lineno >= a.from_line else "before"]
            g[0] += 1
            g[1] += ok
            g[2] += crisis
            g[3] += crisis and LEVELS.index(lvl) < LEVELS.index("high")
            if a.misses and not ok and lineno >= a.from_line:
                print("%d [%s] got %s, accepts %s: %s" % (
                    lineno, item["class"], lvl, "/".join(item["accept"]), item["text"]))
    for name, (n, right, crises, missed) in groups.items():
        if n:
            print("%-6s lines: %d/%d right (%.1f%%), crises rated below high: %d/%d" % (
                name, right, n, 100.0 * right / n, missed, crises))


if __name__ == "__main__":
    main()
