"""SKAB's protocol rule (benchmark folder README; SKAB notebooks/Conv_AE.ipynb) over tsad's per-window output.

Row i of an experiment is flagged when the windows starting at rows i-(T-1) .. i-1 are all anomalous; rows before the
first T and within the training prefix (the first 400) are not evaluated. TP/FP/TN/FN are pooled over experiments.
Usage: skab_rule.py POINTS_CSV WINDOWS_JSONL...  (POINTS_CSV: experiment,time,label; T is read from the windows: the
number of rows between the first window and the first row that has no window of its own at the end.)
Prints "F1|FAR %|MAR %".
"""
import json
import sys
from collections import defaultdict

PREFIX = 400

labels = defaultdict(list)
for line in open(sys.argv[1]):
    exp, _, label = line.strip().split(",")
    labels[exp].append(int(label))
tp = fp = tn = fn = 0
for path in sys.argv[2:]:
    flags = [json.loads(l)["is_anomaly"] for l in open(path)]
    exp = json.loads(open(path).readline())["slice_id"]
    truth = labels[exp]
    window = len(truth) - len(flags) + 1  # stride 1: rows = windows + T - 1
    for i in range(max(PREFIX, window), len(truth)):
        flagged = all(flags[i - window + 1:i])
        if flagged and truth[i]:
            tp += 1
        elif flagged:
            fp += 1
        elif truth[i]:
            fn += 1
        else:
            tn += 1
f1 = tp / (tp + (fn + fp) / 2) if tp + fn + fp else 0.0
print("%.3f|%.1f %%|%.1f %%" % (f1, 100 * fp / max(1, fp + tn), 100 * fn / max(1, fn + tp)))
