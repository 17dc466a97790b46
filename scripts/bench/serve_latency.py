"""Measures the latency of POST /invocations of a running `mlflow models serve` of a tsad model.

Usage: serve_latency.py URL INPUT_CSV [SINGLE_REPEATS] [BATCH_REPEATS]
Sends one slice (its rows, dataframe_split) SINGLE_REPEATS times and all slices of the CSV (dataframe_split)
BATCH_REPEATS times, one request at a time after a warm-up, and prints the p50 and p95 wall times in ms.
"""

import json
import sys
import time
import urllib.request

import numpy as np
import pandas as pd


def body(df):
    return json.dumps({"dataframe_split": {"columns": list(df.columns), "data": df.values.tolist()}}).encode()


def timed(url, data, repeats):
    """Wall times (ms) of ``repeats`` requests, after two unmeasured ones."""
    out = []
    for i in range(repeats + 2):
        req = urllib.request.Request(url + "/invocations", data=data, headers={"Content-Type": "application/json"})
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=300) as r:
            answer = json.loads(r.read())
        ms = (time.perf_counter() - t0) * 1000
        if i >= 2:
            out.append(ms)
    return out, len(answer["predictions"])


def main():
    url, csv = sys.argv[1:3]
    single_n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    batch_n = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    df = pd.read_csv(csv, dtype={"slice_id": str})
    first = df[df["slice_id"] == df["slice_id"].iloc[0]]
    for name, part, n in (("single slice", first, single_n), ("batch", df, batch_n)):
        times, answered = timed(url, body(part), n)
        print(f"{name}: {df['slice_id'].nunique() if part is df else 1} slices, {len(part)} rows, {answered} "
              f"answers; {n} requests: p50 {np.percentile(times, 50):.1f} ms, p95 {np.percentile(times, 95):.1f} ms")


if __name__ == "__main__":
    main()
