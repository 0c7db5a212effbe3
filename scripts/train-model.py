#!/usr/bin/python3
"""Trains the learned triage model (data/models/en-GB.model.json) offline.

Usage:
  /usr/bin/python3 scripts/train-model.py [--build build/release]
      [--out data/models/en-GB.model.json] [--report data/models/en-GB.report.md]

What it does, all with numpy and the built Python module (so the features are
exactly the ones the engine computes at run time, see engine.model_features):
  1. reads the project's own labelled lines: data/training/triage/*.jsonl and
     tests/data/triage/labelled.jsonl (the tuning set), leaving out the
     Welsh-language lines (kind containing "welsh"): the model reads English
     features and cannot see Welsh negation or tense, so Welsh is left to the
     cy-GB pack. The held-out sets (tests/data/triage/holdout*.jsonl) are
     never read;
  2. turns each line into hashed features folded into 2^HASH_BITS buckets;
  3. trains two logistic heads with L2 regularisation:
       crisis   positive when the line accepts high or critical
       concern  positive when the line accepts medium or above
  4. calibrates each head's threshold on out-of-fold scores (5 folds, each
     line scored by a model that never saw it): the lowest threshold at which
     the head, added to the rules, raises at most FALSE_ALARM_BUDGET of the
     benign lines (lines that accept nothing above low) to its level. A false
     alarm is a benign line rated high or above; a medium-band line the
     crisis head lifts to high is over-triage in the safe direction, counted
     as wrong in the figures but not spent from the false-alarm budget;
  5. trains the final heads on every line, quantises the weights to signed
     bytes, and writes the model file and a training report.
"""
import argparse
import base64
import datetime
import glob
import hashlib
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LEVELS = ["none", "low", "medium", "high", "critical"]
HASH_BITS = 15
FOLDS = 5
FALSE_ALARM_BUDGET = 0.01
L2 = 3e-4
EPOCHS = 150
LEARNING_RATE = 0.05
HEADS = {"crisis": 3, "concern": 2}  # head -> lowest level it stands for


def read_lines(paths):
    items = []
    for path in paths:
        if "holdout" in os.path.basename(path):
            sys.exit("refusing to train on a held-out set: %s" % path)
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                item = json.loads(line)
                if "welsh" in item.get("kind", ""):
                    continue  # the model is en-GB; Welsh is the cy pack's (see docs/model.md)
                accept = [LEVELS.index(x) for x in item["accept"]]
                items.append({"text": item["text"], "lo": min(accept), "hi": max(accept),
                              "source": "%s:%d" % (os.path.relpath(path, ROOT), n)})
    return items


def fold_of(text):
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % FOLDS


def design(engine, items, mask):
    """CSR-like arrays: feature bucket indices per line."""
    indices, indptr = [], [0]
    for it in items:
        f = np.asarray(engine.model_features(it["text"]), dtype=np.uint64) & mask
        indices.append(f.astype(np.int64))
        indptr.append(indptr[-1] + len(f))
    return np.concatenate(indices), np.asarray(indptr, dtype=np.int64)


def logits(w, b, idx, ptr):
    contrib = w[idx]
    sums = np.add.reduceat(contrib, ptr[:-1]) if len(contrib) else np.zeros(len(ptr) - 1)
    sums[ptr[1:] == ptr[:-1]] = 0.0  # empty rows
    return sums + b


def train_head(idx, ptr, rows, y, buckets):
    """Full-batch Adam on the L2-regularised logistic loss; rows: line indices."""
    sub_idx = np.concatenate([idx[ptr[r]:ptr[r + 1]] for r in rows])
    lens = np.asarray([ptr[r + 1] - ptr[r] for r in rows])
    sub_ptr = np.concatenate([[0], np.cumsum(lens)])
    row_of = np.repeat(np.arange(len(rows)), lens)
    yy = y[rows]
    n = len(rows)
    w = np.zeros(buckets)
    b = 0.0
    m_w, v_w, m_b, v_b = np.zeros(buckets), np.zeros(buckets), 0.0, 0.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, EPOCHS + 1):
        p = 1.0 / (1.0 + np.exp(-logits(w, b, sub_idx, sub_ptr)))
        err = (p - yy) / n
        g_w = np.bincount(sub_idx, weights=err[row_of], minlength=buckets) + L2 * w
        g_b = err.sum()
        m_w = beta1 * m_w + (1 - beta1) * g_w
        v_w = beta2 * v_w + (1 - beta2) * g_w * g_w
        m_b = beta1 * m_b + (1 - beta1) * g_b
        v_b = beta2 * v_b + (1 - beta2) * g_b * g_b
        w -= LEARNING_RATE * (m_w / (1 - beta1 ** t)) / (np.sqrt(v_w / (1 - beta2 ** t)) + eps)
        b -= LEARNING_RATE * (m_b / (1 - beta1 ** t)) / (np.sqrt(v_b / (1 - beta2 ** t)) + eps)
    return w, b


def quantise(w):
    scale = float(np.abs(w).max()) / 127.0 if np.abs(w).max() > 0 else 1e-9
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    return q, scale


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def calibrate(scores, must_not_raise, rules_below):
    """Lowest threshold whose added raises stay within the false-alarm budget."""
    allowed = int(np.floor(FALSE_ALARM_BUDGET * must_not_raise.sum()))
    candidates = np.sort(scores[must_not_raise & rules_below])[::-1]
    # Raising the candidates above index `allowed` would exceed the budget.
    if len(candidates) <= allowed:
        return 0.5
    t = float(candidates[allowed]) + 1e-6
    return min(max(t, 0.5), 0.999)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "models", "en-GB.model.json"))
    ap.add_argument("--report", default=os.path.join(ROOT, "data", "models", "en-GB.report.md"))
    ap.add_argument("--version", default=datetime.date.today().strftime("%Y.%m.%d"))
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.build, "python"))
    import veteran  # noqa: E402

    paths = sorted(glob.glob(os.path.join(ROOT, "data", "training", "triage", "*.jsonl")))
    paths.append(os.path.join(ROOT, "tests", "data", "triage", "labelled.jsonl"))
    items = read_lines(paths)
    rules = veteran.Engine(model=False)
    buckets = 1 << HASH_BITS
    idx, ptr = design(rules, items, np.uint64(buckets - 1))
    rules_level = np.asarray([LEVELS.index(rules.assess(it["text"])["level"]) for it in items])
    hi = np.asarray([it["hi"] for it in items])
    folds = np.asarray([fold_of(it["text"]) for it in items])
    everyone = np.arange(len(items))

    heads_out, report_rows, oof = {}, [], {}
    for head, level in HEADS.items():
        y = (hi >= level).astype(float)
        scores = np.zeros(len(items))
        for k in range(FOLDS):
            train_rows, test_rows = everyone[folds != k], everyone[folds == k]
            w, b = train_head(idx, ptr, train_rows, y, buckets)
            q, scale = quantise(w)
            s = logits(q.astype(float) * scale, b, idx, ptr)
            scores[test_rows] = sigmoid(s[test_rows])
        must_not = hi <= LEVELS.index("low")  # benign lines
        threshold = calibrate(scores, must_not, rules_level < level)
        oof[head] = (scores, threshold)
        w, b = train_head(idx, ptr, everyone, y, buckets)
        q, scale = quantise(w)
        heads_out[head] = {"q": q, "bias": b, "scale": scale, "threshold": threshold}
        report_rows.append((head, int(y.sum()), int(must_not.sum()), threshold))

    # Out-of-fold verdicts for the report: rules alone, model alone, both.
    c_scores, c_t = oof["crisis"]
    m_scores, m_t = oof["concern"]
    model_level = np.where(c_scores >= c_t, 3, np.where(m_scores >= m_t, 2, 0))
    both = np.maximum(rules_level, model_level)
    lo = np.asarray([it["lo"] for it in items])

    def summary(levels):
        right = ((levels >= lo) & (levels <= hi)).mean()
        crisis = lo >= 3
        missed = (levels[crisis] < 3).mean()
        benign = hi <= 1
        alarms = (levels[benign] >= 3).mean()
        return "%.1f%% right, %.1f%% of crises below high, %.1f%% of benign lines high+" % (
            100 * right, 100 * missed, 100 * alarms)

    weights = np.stack([heads_out["crisis"]["q"], heads_out["concern"]["q"]], axis=1)
    doc = {
        "format": "veteran-linear-model",
        "format_version": 1,
        "id": "en-GB-linear",
        "version": a.version,
        "locale": "en-GB",
        "hash_bits": HASH_BITS,
        "heads": {h: {"bias": round(v["bias"], 6), "scale": v["scale"],
                      "threshold": round(v["threshold"], 6)} for h, v in heads_out.items()},
        "weights": base64.urlsafe_b64encode(weights.astype(np.int8).tobytes()).decode().rstrip("="),
        "training": {
            "lines": len(items),
            "sources": [os.path.relpath(p, ROOT) for p in paths],
            "folds": FOLDS, "l2": L2, "epochs": EPOCHS,
            "false_alarm_budget": FALSE_ALARM_BUDGET,
            "pack": "%s %s" % (rules.pack_id, rules.pack_version),
        },
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    lines = [
        "# Training report: learned triage model %s %s" % (doc["id"], doc["version"]),
        "",
        "Written by `scripts/train-model.py`; do not edit by hand.",
        "",
        "- Lines: %d from %s" % (len(items), ", ".join(doc["training"]["sources"])),
        "- Features: %d hash buckets (word, bigram and skip-bigram, emoji, rule findings)"
        % buckets,
        "- Pack the rule features came from: %s" % doc["training"]["pack"],
        "- Heads (positives / benign lines it must not raise / calibrated threshold):",
    ]
    for head, pos, neg, t in report_rows:
        lines.append("  - %s: %d / %d / %.3f" % (head, pos, neg, t))
    lines += [
        "",
        "Out-of-fold (%d folds; every line scored by a model that never saw it):" % FOLDS,
        "",
        "| verdict | result |",
        "|---|---|",
        "| rules alone | %s |" % summary(rules_level),
        "| model alone | %s |" % summary(model_level),
        "| rules + model | %s |" % summary(both),
        "",
        "Held-out figures are produced separately by `scripts/evaluate-triage.py`.",
    ]
    with open(a.report, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
