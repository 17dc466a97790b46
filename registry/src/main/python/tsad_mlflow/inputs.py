"""pandas DataFrames into tsad series, read the way ``tsad score`` reads CSV rows.

Two layouts are accepted, each with the bundle's slice, time and feature column names:
- long format: a row per slice and time step, in any order (a slice's rows need not be together);
- one row per slice, its time and feature cells arrays of equal length (what Spark's collect_list gives).
Rows with a missing slice id, time or value, or a NaN, infinite or underflowing value, are left out, as the CLI
counts and skips them; duplicate timestamps keep the first row. A value that is not a number, a time that is not
a time, or a missing column is an InputError: the request is wrong, not the data.
"""

import datetime
import math

import numpy as np
import pandas as pd

from .scoring import Series

AUTO, ISO, EPOCH_SECONDS, EPOCH_MILLIS = 1, 2, 3, 4
AUTO_MILLIS_FROM = 1e11  # numbers at or above this are milliseconds in AUTO, as in the Java TimeParser
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class InputError(ValueError):
    """A request that cannot be scored as given; the message says what to change."""


def _java_round(v):
    """Math.round: the nearest integer, halves up."""
    return np.floor(np.asarray(v, dtype=np.float64) + 0.5).astype(np.int64)


def _number_ms(v, fmt):
    if fmt == EPOCH_MILLIS:
        return _java_round(v)
    if fmt == EPOCH_SECONDS:
        return _java_round(v * 1000.0)
    return np.where(np.abs(v) >= AUTO_MILLIS_FROM, _java_round(v), _java_round(v * 1000.0))


def _looks_numeric(s):
    if not s or any(not (c.isdigit() or c in ".-+eE") for c in s):
        return False
    return s.find("-", 1) < 0 or "e" in s or "E" in s  # "2026-01-01" is a date, not a number


def _text_ms(s, fmt, column):
    s = s.strip()
    if fmt in (EPOCH_SECONDS, EPOCH_MILLIS) or (fmt == AUTO and _looks_numeric(s)):
        try:
            v = float(s)
        except ValueError:
            raise InputError(f"time '{s}' in column {column} is not a number of epoch seconds/millis") from None
        if not math.isfinite(v):
            raise InputError(f"time '{s}' in column {column} is not a finite number")
        return int(_number_ms(np.array([v]), fmt)[0])
    try:
        dt = datetime.datetime.fromisoformat(s)
    except ValueError:
        raise InputError(f"time '{s}' in column {column} is not ISO-8601 (e.g. 2026-01-01T00:00:00Z) or epoch "
                         "seconds/millis") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)  # times without a zone are UTC, as tsad reads them
    delta = dt - _EPOCH
    # Digits past the millisecond are cut, as Java's Instant.toEpochMilli does.
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def times_ms(col, fmt, column):
    """(epoch millis int64, usable mask) of a time column: datetimes, numbers or text as tsad's TimeParser."""
    if pd.api.types.is_datetime64_any_dtype(col):
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_convert("UTC").dt.tz_localize(None)
        ok = col.notna().to_numpy()
        ms = col.to_numpy(dtype="datetime64[ms]").astype(np.int64)
        return np.where(ok, ms, 0), ok
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        v = col.to_numpy(dtype=np.float64)
        ok = np.isfinite(v)
        if fmt == ISO:
            raise InputError(f"column {column} holds numbers, but the model reads its times as ISO-8601 text")
        return np.where(ok, _number_ms(np.where(ok, v, 0.0), fmt), 0), ok
    out = np.zeros(len(col), dtype=np.int64)
    ok = np.zeros(len(col), dtype=bool)
    for i, x in enumerate(col.tolist()):
        if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT:
            continue
        if isinstance(x, (pd.Timestamp, datetime.datetime)):
            ts = pd.Timestamp(x)
            ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
            out[i] = ts.value // 1_000_000
        elif isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
            out[i] = int(_number_ms(np.array([float(x)]), fmt)[0])
        elif isinstance(x, str):
            if not x.strip():
                continue
            out[i] = _text_ms(x, fmt, column)
        else:
            raise InputError(f"column {column} holds {type(x).__name__} values ({x!r}); times are ISO-8601 text, "
                             "epoch numbers or datetimes")
        ok[i] = True
    return out, ok


def feature_values(col, column):
    """(float32 values, usable mask) of a feature column: numbers (or numeric text); NaN, infinite, missing and
    underflowing values are unusable rows. Anything else is an InputError naming the column and the value."""
    if pd.api.types.is_bool_dtype(col):
        raise InputError(f"column {column} holds booleans; features are numbers")
    if pd.api.types.is_numeric_dtype(col):
        v = col.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        raw = col.astype(object)
        v = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isnan(v) & raw.notna().to_numpy()
        for i in np.nonzero(bad)[0]:
            x = raw.iloc[i]
            if isinstance(x, str) and (not x.strip() or x.strip().lstrip("+-").lower() in ("nan", "inf", "infinity")):
                continue  # empty, NaN or infinite text: a missing or non-finite value, skipped as the CLI does
            if isinstance(x, float) and math.isnan(x):
                continue
            raise InputError(f"column {column} holds a value that is not a number: {x!r} (row {i})")
    x = v.astype(np.float32)
    ok = np.isfinite(x) & ~((x == 0) & (v != 0) & np.isfinite(v))
    return x, ok


def _is_array(x):
    return isinstance(x, (list, tuple, np.ndarray))


def _explode(df, slice_col, time_col, features):
    """One row per slice with array cells -> the long rows, plus the input row each came from."""
    sid, times, owner = [], [], []
    vals = {f: [] for f in features}
    at = {c: df.columns.get_loc(c) for c in [slice_col, time_col] + features}
    for r, row in enumerate(df.itertuples(index=False)):
        ts = row[at[time_col]]
        ts = [] if ts is None or (not _is_array(ts) and pd.isna(ts)) else list(ts)
        for f in features:
            cell = row[at[f]]
            cell = [] if cell is None or (not _is_array(cell) and pd.isna(cell)) else list(cell)
            if len(cell) != len(ts):
                raise InputError(f"row {r}: column {f} holds {len(cell)} values but column {time_col} {len(ts)} "
                                 "times; with one row per slice every array must have one entry per time")
            vals[f].extend(cell)
        times.extend(ts)
        owner.extend([r] * len(ts))
        sid.append(row[at[slice_col]])
    long = pd.DataFrame({time_col: pd.Series(times, dtype=object), **{f: pd.Series(v, dtype=object)
                                                                      for f, v in vals.items()}})
    return sid, long, np.asarray(owner, dtype=np.int64)


def check_columns(df, slice_col, time_col, features):
    """Requires the model's columns, naming the missing ones and the ones there are."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame with columns {[slice_col, time_col] + features}, got "
                         f"{type(df).__name__}")
    need = [slice_col, time_col] + features
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}: the model reads {need}; the input has "
                         f"{[str(c) for c in df.columns]}")


def read(df, data_spec):
    """The series of ``df`` (either layout) in input order: for one row per slice, one series per input row;
    for long format, one per slice id in order of first appearance."""
    slice_col, time_col = data_spec.slice_column, data_spec.time_column
    features = list(data_spec.feature_columns)
    check_columns(df, slice_col, time_col, features)
    df = df.reset_index(drop=True)
    first = next((x for x in df[time_col].tolist() if x is not None and (_is_array(x) or not pd.isna(x))), None)
    if _is_array(first):
        ids, long, owner = _explode(df, slice_col, time_col, features)
    else:
        ids = None
        long = df
        sid = df[slice_col]
        ok_id = sid.notna().to_numpy() & (sid.astype(str).str.strip() != "").to_numpy()
        codes, uniques = pd.factorize(sid.where(ok_id, None), sort=False)
        owner = codes.astype(np.int64)
    t, ok = times_ms(long[time_col], data_spec.time_format, time_col)
    vals = np.empty((len(long), len(features)), dtype=np.float32)
    for j, f in enumerate(features):
        vals[:, j], okf = feature_values(long[f], f)
        ok &= okf
    ok &= owner >= 0
    n_series = len(ids) if ids is not None else len(uniques)
    keep = np.nonzero(ok)[0]
    # Group the usable rows by series, each in time order (stable: the first row of a duplicate time wins).
    order = keep[np.lexsort((t[keep], owner[keep]))]
    bounds = np.searchsorted(owner[order], np.arange(n_series + 1))
    out = []
    for k in range(n_series):
        rows = order[bounds[k]:bounds[k + 1]]
        tk = t[rows]
        first_of_time = np.ones(len(tk), dtype=bool)
        first_of_time[1:] = tk[1:] != tk[:-1]
        rows = rows[first_of_time]
        slice_id = ids[k] if ids is not None else uniques[k]
        out.append(Series(slice_id, t[rows], vals[rows]))
    return out
