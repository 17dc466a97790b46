"""Compares a tsad model's Python scores (through mlflow.pyfunc.load_model) with tsad score's lines.

Usage: parity.py CASES_JSON, a list of {"name", "uri", "input", "slice", "window", "row", "rejected"}: a model URI
(a directory or models:/NAME@ALIAS; MLFLOW_TRACKING_URI must be set for the latter), the CSV tsad score read, its
--per slice / window / row lines, and a slice id that must come back rejected (or null).
Prints one JSON line per case: the largest relative score difference per form (slice, slice_arrays, window, row)
and the rows compared; exits 1 with the first disagreement when a row is missing, extra, or differs by more than
1e-5 relative (or in a field other than the score).
"""

import json
import os
import sys

import mlflow.pyfunc
import pandas as pd

TOLERANCE = 1e-5


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-30)


def compare(form, python_rows, cli_rows, key, fields):
    """Row for row: the same keys; score within TOLERANCE; the other fields equal (is_anomaly may only differ where
    the score is within TOLERANCE of the threshold)."""
    py = {key(r): r for r in python_rows}
    cli = {key(r): r for r in cli_rows}
    if len(py) != len(python_rows) or len(cli) != len(cli_rows):
        fail(f"{form}: duplicate keys")
    if set(py) != set(cli):
        fail(f"{form}: keys differ: only in Python {sorted(set(py) - set(cli))[:5]}, only in tsad score "
             f"{sorted(set(cli) - set(py))[:5]}")
    worst = 0.0
    for k, c in cli.items():
        p = py[k]
        d = rel(float(p["score"]), float(c["score"]))
        worst = max(worst, d)
        if d > TOLERANCE:
            fail(f"{form} {k}: score {p['score']!r} vs tsad score's {c['score']!r} (relative {d:.3g})")
        if float(p["threshold"]) != float(c["threshold"]):
            fail(f"{form} {k}: threshold {p['threshold']} vs {c['threshold']}")
        if bool(p["is_anomaly"]) != bool(c["is_anomaly"]) and rel(float(c["score"]), float(c["threshold"])) > TOLERANCE:
            fail(f"{form} {k}: is_anomaly {p['is_anomaly']} vs {c['is_anomaly']}")
        for f in fields:
            if p[f] != c[f]:
                fail(f"{form} {k}: {f} {p[f]!r} vs tsad score's {c[f]!r}")
    return worst


current = [""]


def fail(message):
    print(json.dumps({"name": current[0], "error": message}), flush=True)
    sys.exit(1)


def check(case):
    """Compares one model's Python outputs with its tsad score lines; returns the report."""
    uri, csv, slice_path, window_path, row_path = (case[k] for k in ("uri", "input", "slice", "window", "row"))
    rejected = case.get("rejected")
    model = mlflow.pyfunc.load_model(uri)
    df = pd.read_csv(csv, dtype={"slice_id": str})
    window_mode = "windows" in (lines(slice_path) or [{}])[0]
    slice_fields = ["windows", "anomalous_windows", "worst_start"] if window_mode else []
    out = {"name": case["name"]}
    per_slice = model.predict(df).to_dict(orient="records")
    scored = [r for r in per_slice if r["rejected"] is None]
    if rejected is not None:
        got = [r for r in per_slice if str(r["slice_id"]) == rejected]
        if len(got) != 1 or got[0]["rejected"] is None or got[0]["score"] is not None:
            fail(f"slice {rejected} should be rejected with no score, got {got}")
        out["rejected"] = got[0]["rejected"]
    out["slice"] = compare("slice", scored, lines(slice_path), lambda r: str(r["slice_id"]), slice_fields)
    # One row per slice with array cells, as Spark's collect_list gives: the same numbers.
    cols = [c for c in df.columns if c != "slice_id"]
    arrays = df.groupby("slice_id", sort=False).agg({c: list for c in cols}).reset_index()
    per_array = [r for r in model.predict(arrays).to_dict(orient="records") if r["rejected"] is None]
    out["slice_arrays"] = compare("slice (arrays)", per_array, lines(slice_path), lambda r: str(r["slice_id"]),
                                  slice_fields)
    if len(per_array) != len(scored):
        fail("the array layout scored another number of slices")
    windows = model.predict(df, params={"per": "window"}).to_dict(orient="records")
    wkey = (lambda r: r["window"]) if window_mode else (lambda r: str(r["slice_id"]))
    out["window"] = compare("window", windows, lines(window_path), wkey, ["start"] if window_mode else [])
    rows = model.predict(df, params={"per": "row"}).to_dict(orient="records")
    out["row"] = compare("row", rows, lines(row_path), lambda r: (str(r["slice_id"]), r["time"]), [])
    out["rows"] = {"slice": len(scored), "window": len(windows), "row": len(rows)}
    return out


def refuses_tampered(directory):
    """A copy of the model with one byte of scaler.pb changed must not load: the manifest's sha256 pins it."""
    import shutil
    import tempfile

    copy = os.path.join(tempfile.mkdtemp(), "tampered")
    if not os.path.isdir(directory):  # a models:/ URI: fetch the registered files first
        directory = mlflow.artifacts.download_artifacts(artifact_uri=directory, dst_path=tempfile.mkdtemp())
    shutil.copytree(directory, copy)
    path = os.path.join(copy, "scaler.pb")
    with open(path, "r+b") as f:
        b = bytearray(f.read())
        b[-1] ^= 1
        f.seek(0)
        f.write(b)
    try:
        mlflow.pyfunc.load_model(copy)
    except Exception as e:  # MlflowException with the loader's reason
        if "scaler.pb does not match its sha256" not in str(e):
            fail(f"a tampered bundle was refused for another reason: {e}")
        return
    fail("a bundle with a modified scaler.pb loaded")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    current[0] = "tampered"
    refuses_tampered(cases[0]["uri"])
    for case in cases:
        current[0] = case["name"]
        print(json.dumps(check(case)), flush=True)


if __name__ == "__main__":
    main()
