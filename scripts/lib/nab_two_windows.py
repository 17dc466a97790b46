"""Combines the per-row NAB scores of two window lengths, as docs/quality.md measured it.

Usage: nab_two_windows.py BENCH_NAB_DIR RUN_A RUN_B
  RUN_A / RUN_B: the nab/ folders of two scripts/bench-quality.sh runs, e.g. .work/bq-64/dense/nab and
  .work/bq-256/dense/nab, made with NAB_WINDOW=64 and NAB_WINDOW=256. A series missing from RUN_B (too short
  for its window) keeps RUN_A's scores.
Each row's score is divided by its model's threshold; prints per series and as means (all, artificial, real)
the AUC-PR (average precision) of A, B, and of the max, mean and geometric mean of the two.
"""
import glob
import json
import os
import sys


def average_precision(scores, labels):
    pairs = sorted(zip(scores, labels), key=lambda p: -p[0])
    positives = sum(labels)
    tp = fp = 0
    ap = last_recall = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:  # ties count as one step
            tp += pairs[j][1]
            fp += 1 - pairs[j][1]
            j += 1
        recall = tp / positives
        ap += (recall - last_recall) * tp / (tp + fp)
        last_recall = recall
        i = j
    return ap


def rows(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            r = json.loads(line)
            if r.get("score") is not None:
                out[r["time"]] = r["score"] / r["threshold"]
    return out


bench, run_a, run_b = sys.argv[1:4]
rules = {"A": lambda a, b: a, "B": lambda a, b: b, "max": max, "mean": lambda a, b: (a + b) / 2,
         "geo": lambda a, b: (a * b) ** 0.5}
results = []
for d in sorted(glob.glob(os.path.join(run_a, "*", ""))):
    name = os.path.basename(d.rstrip("/"))
    labels = dict(line.strip().split(",") for line in list(open(os.path.join(bench, name, "points.csv")))[1:])
    a = rows(os.path.join(d, "rows.jsonl"))
    b = rows(os.path.join(run_b, name, "rows.jsonl")) or a
    times = [t for t in a if t in labels]
    truth = [int(labels[t]) for t in times]
    ap = {k: average_precision([f(a[t], b.get(t, a[t])) for t in times], truth) for k, f in rules.items()}
    results.append((name, ap))
    print("%-58s %s" % (name, "  ".join("%s %.3f" % kv for kv in ap.items())))
for group, keep in (("all", lambda n: True), ("artificial", lambda n: "artificial" in n),
                    ("real", lambda n: "artificial" not in n)):
    chosen = [ap for name, ap in results if keep(name)]
    if chosen:
        print("mean %-10s (%2d) %s" % (group, len(chosen), "  ".join(
            "%s %.3f" % (k, sum(c[k] for c in chosen) / len(chosen)) for k in rules)))
