"""Scores series with a bundle's model exactly as tsad's Java Scorer does: scale in float32 as
(x - center) * (1 / scale), reconstruct in batches, square the errors in float32, sum each window's errors in
double, aggregate (mean, max or p95 over the valid steps; padded steps are masked), compare with the threshold.
Then the three forms of ``tsad score``: per slice (highest window score, anomalous if any window is), per window,
and per row (the mean score of the windows covering the row)."""

import datetime

import numpy as np
import torch

from . import bundle as bundle_mod
from . import models, windows

MEAN, MAX, P95 = 1, 2, 3
BATCH = 256  # the CLI's default --batch-size: the same batches give the same float32 bits where it matters


def iso(ms):
    """Epoch millis as Java's Instant.toString writes them: 2026-01-01T00:00:00Z, with .SSS when not whole."""
    dt = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=int(ms))
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    milli = int(ms) % 1000
    return text + (f".{milli:03d}" if milli else "") + "Z"


class Series:
    """One slice: strictly increasing epoch-millis ``times`` (int64) and (steps, F) float32 ``values``."""

    def __init__(self, slice_id, times, values, reason=None):
        self.slice_id = slice_id
        self.times = times
        self.values = values
        self.reason = reason


class Scorer:
    """A loaded bundle ready to score: its network, float32 scaling constants, aggregation and threshold."""

    def __init__(self, b):
        self.bundle = b
        self.spec = windows.Spec(b.data_spec)
        self.model = models.build(b.model_spec, b.weights, b.location)
        self.t = b.model_spec.window_length
        self.f = b.model_spec.features
        self.center = np.array(b.scaler.center, dtype=np.float64).astype(np.float32)
        self.inverse_scale = (1.0 / np.array(b.scaler.scale, dtype=np.float64)).astype(np.float32)
        agg = b.threshold.aggregation
        self.aggregation = agg if agg in (MEAN, MAX, P95) else MEAN
        self.threshold = float(b.threshold.value)
        self.window_mode = self.spec.mode == windows.WINDOW
        self.feature_names = list(b.data_spec.feature_columns)

    @classmethod
    def load(cls, directory):
        """Verifies and loads the bundle in ``directory``."""
        return cls(bundle_mod.load(directory))

    def window_scores(self, items):
        """Scores [(series, window)] in batches of BATCH; returns float64 scores in order."""
        out = np.empty(len(items), dtype=np.float64)
        t, f = self.t, self.f
        with torch.inference_mode():
            for lo in range(0, len(items), BATCH):
                part = items[lo:lo + BATCH]
                raw = np.stack([windows.values_of(s.values, w, t) for s, w in part]).astype(np.float32, copy=False)
                x = (raw - self.center) * self.inverse_scale
                y = self.model(torch.from_numpy(np.ascontiguousarray(x))).numpy()
                d = y - x
                err = d * d  # float32, as the Java scorer squares
                valid = np.array([w.valid for _, w in part])
                if self.aggregation == MEAN and (valid == t).all():
                    sums = err.astype(np.float64).sum(axis=(1, 2))
                    out[lo:lo + len(part)] = (sums / (t * f)).astype(np.float32)
                    continue
                steps = (err.astype(np.float64).sum(axis=2) / f).astype(np.float32)
                for i, (_, w) in enumerate(part):
                    if self.aggregation == MEAN and w.valid == t:
                        out[lo + i] = np.float32(err[i].astype(np.float64).sum() / (t * f))
                    else:
                        out[lo + i] = aggregate(steps[i, :w.valid], self.aggregation)
        return out

    def score(self, series_list):
        """Windows and scores every series; returns [(series, windows, scores)] with rejected series' reasons set."""
        items = []
        cut = []
        for s in series_list:
            ws = []
            if s.reason is None:
                ws, s.reason = windows.build(self.spec, s.times)
            cut.append((s, ws))
            items.extend((s, w) for w in ws)
        scores = self.window_scores(items) if items else np.empty(0)
        out = []
        k = 0
        for s, ws in cut:
            out.append((s, ws, scores[k:k + len(ws)]))
            k += len(ws)
        return out

    def per_slice(self, scored):
        """One dict per series: slice_id, score, threshold, is_anomaly, rejected (the reason, or None); window-mode
        models add windows, anomalous_windows and worst_start. A rejected slice has score and is_anomaly None."""
        rows = []
        for s, ws, sc in scored:
            r = {"slice_id": s.slice_id, "score": None, "threshold": self.threshold, "is_anomaly": None,
                 "rejected": s.reason}
            if self.window_mode:
                r.update(windows=0, anomalous_windows=0, worst_start=None)
            if ws:
                best, worst = slice_score(sc)
                r["score"] = best
                r["is_anomaly"] = bool((sc > self.threshold).any())
                if self.window_mode:
                    r.update(windows=len(ws), anomalous_windows=int((sc > self.threshold).sum()),
                             worst_start=iso(s.times[ws[worst].start]))
            rows.append(r)
        return rows

    def per_window(self, scored):
        """One dict per window: slice_id, window ("slice@start"), start, score, threshold, is_anomaly. For a
        slice-mode model a slice is its one window, and the lines are the per-slice ones, as in tsad score."""
        if not self.window_mode:
            return [r for r in self.per_slice(scored) if r["rejected"] is None]
        rows = []
        for s, ws, sc in scored:
            for w, v in zip(ws, sc):
                start = iso(s.times[w.start])
                rows.append({"slice_id": s.slice_id, "window": f"{s.slice_id}@{start}", "start": start,
                             "score": float(v), "threshold": self.threshold, "is_anomaly": bool(v > self.threshold)})
        return rows

    def per_row(self, scored):
        """One dict per row a window covers: slice_id, time, score (the mean score of the windows covering it),
        threshold, is_anomaly; rows no window covers (cut by a truncating policy) get none."""
        rows = []
        for s, ws, sc in scored:
            if not ws:
                continue
            total = np.zeros(len(s.times))
            count = np.zeros(len(s.times), dtype=np.int64)
            for w, v in zip(ws, sc):
                total[w.start:w.start + w.valid] += v
                count[w.start:w.start + w.valid] += 1
            for i in np.nonzero(count)[0]:
                v = total[i] / count[i]
                rows.append({"slice_id": s.slice_id, "time": iso(s.times[i]), "score": float(v),
                             "threshold": self.threshold, "is_anomaly": bool(v > self.threshold)})
        return rows


def aggregate(step_errors, how):
    """Per-step errors (float32) into a score: mean, max or the linear 95th percentile, in double."""
    e = step_errors.astype(np.float64)
    if how == MAX:
        return float(e.max())
    if how == P95:
        return float(np.percentile(e, 95.0))
    return float(e.sum() / len(e))


def slice_score(scores):
    """The highest window score (NaN if any is NaN) and the index of the first window that has it."""
    best = float(scores[0])
    worst = 0
    for i in range(1, len(scores)):
        v = float(scores[i])
        if v > best or (np.isnan(v) and not np.isnan(best)):
            worst = i
        best = max(best, v) if not (np.isnan(best) or np.isnan(v)) else float("nan")
    return best, worst
