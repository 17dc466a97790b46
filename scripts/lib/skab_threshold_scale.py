"""SKAB at multiples of the model's own threshold, by tsad's row rule (docs/quality.md, "Real series").

Reads a bench-quality.sh run's SKAB per-row output (RUN/skab-rows.jsonl: the rows after the training prefix, every
experiment) and the labels beside it (RUN/skab-points.csv), and prints, for each factor, F1 / false-alarm rate /
missed-alarm rate when a row is flagged at score > factor * threshold: what raising the threshold buys.
Usage: skab_threshold_scale.py RUN_DIR [FACTOR ...]   (default factors 1 4/3 2 3 4 6)
"""
import json
import sys
from collections import defaultdict
from fractions import Fraction

PREFIX = 400
run = sys.argv[1]
factors = [float(Fraction(f)) for f in sys.argv[2:]] or [1, 4 / 3, 2, 3, 4, 6]
labels = defaultdict(list)
for line in open(f"{run}/skab-points.csv"):
    exp, _, label = line.strip().split(",")
    labels[exp].append(int(label))
rows = [json.loads(line) for line in open(f"{run}/skab-rows.jsonl")]
seen = defaultdict(int)
pairs = []
for r in rows:
    exp = r["slice_id"]
    pairs.append((r["score"] / r["threshold"], labels[exp][PREFIX + seen[exp]]))
    seen[exp] += 1
print("| threshold × | F1 | false alarms | missed alarms |")
print("|---|---|---|---|")
for f in factors:
    tp = sum(1 for s, y in pairs if s > f and y)
    fp = sum(1 for s, y in pairs if s > f and not y)
    fn = sum(1 for s, y in pairs if s <= f and y)
    tn = sum(1 for s, y in pairs if s <= f and not y)
    print("| %.2f | %.3f | %.1f %% | %.1f %% |" % (f, tp / (tp + (fn + fp) / 2), 100 * fp / (fp + tn), 100 * fn / (fn + tp)))
