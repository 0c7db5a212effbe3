"""Python batch rate of Engine.assess_many on the bench_triage corpus.

    PYTHONPATH=build/release/python /usr/bin/python3 benchmarks/bench_triage_python.py CORPUS.jsonl

Prints messages/s (median of 5 runs, threads=1 and threads=2) and the rate of
a plain Python loop over Engine.assess in the same run, as a baseline.
"""

import json
import statistics
import sys
import time

import veteran


def rate(fn, n, runs=5):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return n / statistics.median(times)


def main(path):
    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    e = veteran.Engine()
    e.assess_many(texts[:1000])  # warm up
    one = rate(lambda: e.assess_many(texts, threads=1), len(texts))
    two = rate(lambda: e.assess_many(texts, threads=2), len(texts))
    sample = texts[:20000]
    loop = rate(lambda: [e.assess(t) for t in sample], len(sample), runs=3)
    cols = rate(lambda: e.assess_many(texts, threads=1).columns(), len(texts), runs=3)
    print(f"python corpus: {len(texts)} messages")
    print(f"Engine.assess_many threads=1: {one / 1e6:.3f} M messages/s (median of 5)")
    print(f"Engine.assess_many threads=2: {two / 1e6:.3f} M messages/s (median of 5)")
    print(f"assess_many + columns() threads=1: {cols / 1e6:.3f} M messages/s")
    print(f"baseline: Python loop of Engine.assess (dicts): {loop / 1e6:.3f} M messages/s")
    print(f"ratio assess_many(threads=1) / Python loop: {one / loop:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1])
