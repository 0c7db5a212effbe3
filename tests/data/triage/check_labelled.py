#!/usr/bin/python3
"""Validate tests/data/triage/labelled.jsonl and print counts.

Usage: /usr/bin/python3 check_labelled.py [path]   (default: labelled.jsonl next to this file)
Exit status 0 when the file is well formed, 1 otherwise.
"""
import collections
import json
import os
import sys

LEVELS = ["none", "low", "medium", "high", "critical"]
ABOUT = {"self", "other", "none"}
CLASSES = [
    "crisis_plain", "crisis_veteran", "crisis_indirect", "crisis_evasion", "crisis_mate",
    "negated", "not_negated", "repeated", "past", "third_person",
    "quotation_title_news_study", "idiom", "word_boundary", "multiplier_only",
    "multiplier_escalation", "distress", "hopelessness_burden", "self_harm", "benign",
]
MIN_PER_CLASS = 15
MIN_LINES = 450


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "labelled.jsonl")
    errors = []
    by_class = collections.Counter()
    by_label = collections.Counter()       # each accepted level
    by_accept = collections.Counter()      # the accept set as a whole
    by_about = collections.Counter()
    side = collections.Counter()
    texts = set()
    n = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                errors.append("%d: blank line" % lineno)
                continue
            n += 1
            try:
                obj = json.loads(line)
            except ValueError as e:
                errors.append("%d: bad JSON: %s" % (lineno, e))
                continue
            if not isinstance(obj, dict):
                errors.append("%d: not an object" % lineno)
                continue
            if set(obj) != {"text", "accept", "about", "class"}:
                errors.append("%d: keys %s" % (lineno, sorted(obj)))
            t, acc, ab, cl = obj.get("text"), obj.get("accept"), obj.get("about"), obj.get("class")
            if not isinstance(t, str) or not t.strip():
                errors.append("%d: text must be a non-empty string" % lineno)
            elif t in texts:
                errors.append("%d: duplicate text" % lineno)
            else:
                texts.add(t)
            if (not isinstance(acc, list) or not acc
                    or any(a not in LEVELS for a in acc) or len(set(acc)) != len(acc)):
                errors.append("%d: accept must be a non-empty list of distinct levels: %r" % (lineno, acc))
                acc = []
            if ab not in ABOUT:
                errors.append("%d: about must be one of %s: %r" % (lineno, sorted(ABOUT), ab))
            if cl not in CLASSES:
                errors.append("%d: unknown class %r" % (lineno, cl))
            by_class[cl] += 1
            by_about[ab] += 1
            for a in acc:
                by_label[a] += 1
            if acc:
                by_accept[",".join(sorted(acc, key=LEVELS.index))] += 1
                side["benign-side (accepts none)" if "none" in acc else "risk-side"] += 1

    if n < MIN_LINES:
        errors.append("only %d lines (< %d)" % (n, MIN_LINES))
    for c in CLASSES:
        if by_class[c] < MIN_PER_CLASS:
            errors.append("class %s has %d items (< %d)" % (c, by_class[c], MIN_PER_CLASS))

    print("lines: %d" % n)
    print("\nper class:")
    for c in CLASSES:
        print("  %-28s %4d" % (c, by_class[c]))
    print("\nper accepted level (an item counts once per level it accepts):")
    for l in LEVELS:
        print("  %-10s %4d" % (l, by_label[l]))
    print("\nper accept set:")
    for k, v in sorted(by_accept.items(), key=lambda kv: -kv[1]):
        print("  %-28s %4d" % ("[" + k + "]", v))
    print("\nper about:")
    for k, v in sorted(by_about.items()):
        print("  %-10s %4d" % (k, v))
    print("\nbalance:")
    for k, v in sorted(side.items()):
        print("  %-28s %4d  (%.0f%%)" % (k, v, 100.0 * v / max(n, 1)))
    if errors:
        print("\nERRORS (%d):" % len(errors))
        for e in errors[:50]:
            print("  " + e)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
