"""Checks a running `mlflow models serve` of a tsad model against tsad score's lines.

Usage: serve_check.py URL INPUT_CSV SLICE_JSONL WINDOW_JSONL REJECTED_ID
POSTs the CSV's rows to URL/invocations as dataframe_split and as dataframe_records (per slice), and with
params {"per": "window"}; every answer must be strict JSON (no NaN) and equal tsad score's numbers to 1e-5 relative.
A request without a feature column and one with a non-numeric value must get a 4xx whose message says what is
wrong. Prints one JSON line with the largest relative differences; exits 1 with the first problem.
"""

import json
import sys
import urllib.error
import urllib.request

import pandas as pd

from parity import compare, fail, lines


def strict(text):
    """Parses JSON refusing NaN and Infinity, which strict parsers (browsers, Java, Go) refuse too."""
    def no_constant(name):
        raise ValueError(f"the answer holds {name}, which is not JSON")
    return json.loads(text, parse_constant=no_constant)


def post(url, body):
    """(status, text) of a POST of ``body`` as JSON."""
    req = urllib.request.Request(url + "/invocations", data=json.dumps(body).encode("utf-8"),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def predictions(url, body):
    status, text = post(url, body)
    if status != 200:
        fail(f"POST answered {status}: {text[:500]}")
    try:
        return strict(text)["predictions"]
    except ValueError as e:
        fail(f"the answer is not strict JSON ({e}): {text[:300]}")


def bad_request(url, body, must_say):
    status, text = post(url, body)
    if not 400 <= status < 500:
        fail(f"a bad request got {status}, not a 4xx: {text[:300]}")
    message = strict(text).get("message", "")
    if must_say not in message:
        fail(f"the {status} answer does not say '{must_say}': {message[:500]}")
    return status


def main():
    url, csv, slice_path, window_path, rejected = sys.argv[1:6]
    df = pd.read_csv(csv, dtype={"slice_id": str})
    split = {"columns": list(df.columns), "data": df.astype(object).where(df.notna(), None).values.tolist()}
    records = df.astype(object).where(df.notna(), None).to_dict(orient="records")
    cli = lines(slice_path)
    window_mode = "windows" in cli[0]
    fields = ["windows", "anomalous_windows", "worst_start"] if window_mode else []
    out = {}
    by_split = predictions(url, {"dataframe_split": split})
    got = [r for r in by_split if r["slice_id"] == rejected]
    if len(got) != 1 or got[0]["score"] is not None or got[0]["rejected"] is None:
        fail(f"slice {rejected} should come back rejected with a null score, got {got}")
    out["rejected"] = got[0]["rejected"]
    out["dataframe_split"] = compare("dataframe_split", [r for r in by_split if r["rejected"] is None], cli,
                                     lambda r: r["slice_id"], fields)
    by_records = predictions(url, {"dataframe_records": records})
    out["dataframe_records"] = compare("dataframe_records", [r for r in by_records if r["rejected"] is None], cli,
                                       lambda r: r["slice_id"], fields)
    windows = predictions(url, {"dataframe_split": split, "params": {"per": "window"}})
    key = (lambda r: r["window"]) if window_mode else (lambda r: r["slice_id"])
    out["window"] = compare("per window", windows, lines(window_path), key, ["start"] if window_mode else [])
    feature = [c for c in df.columns if c not in ("slice_id", "time")][0]
    missing = {"dataframe_split": {"columns": [c for c in split["columns"] if c != feature],
                                   "data": [[v for c, v in zip(split["columns"], row) if c != feature]
                                            for row in split["data"][:40]]}}
    out["missing_column_status"] = bad_request(url, missing, f"missing column(s) ['{feature}']")
    text = [dict(r) for r in records[:40]]
    text[3][feature] = "abc"
    out["non_numeric_status"] = bad_request(url, {"dataframe_records": text}, "not a number: 'abc'")
    out["bad_per_status"] = bad_request(url, {"dataframe_split": split, "params": {"per": "hour"}}, "unknown per")
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
