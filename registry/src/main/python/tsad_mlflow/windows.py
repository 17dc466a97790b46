"""Series into model inputs, as tsad's Java WindowBuilder cuts them: slice mode (one window of T steps per slice,
by the length policy) and window mode (windows of T every stride steps, a last one aligned to the end, runs between
time gaps windowed on their own, rejected or joined by the gap policy)."""

import numpy as np

SLICE, WINDOW = 1, 2
REJECT, TRUNCATE, PAD = 1, 2, 3
GAP_SPLIT, GAP_REJECT, GAP_IGNORE = 1, 2, 3
DEFAULT_MAX_GAP = 3.0


class Spec:
    """The window spec of a bundle's DataSpec, with the defaults the Java Inputs.windowSpec applies."""

    def __init__(self, data):
        self.mode = data.mode if data.mode in (SLICE, WINDOW) else SLICE
        self.length = data.window_length
        self.stride = data.stride
        self.policy = data.length_policy if data.length_policy in (REJECT, TRUNCATE, PAD) else REJECT
        # A spec without a gap policy (older bundles, and every slice-mode one) ignores gaps.
        self.gap_policy = data.gap_policy if data.gap_policy in (GAP_SPLIT, GAP_REJECT, GAP_IGNORE) else GAP_IGNORE
        self.max_gap = data.max_gap if data.max_gap != 0 else DEFAULT_MAX_GAP


class Window:
    """One model input: ``start`` and ``valid`` steps of its series (padded with the last value up to T)."""

    __slots__ = ("index", "start", "valid")

    def __init__(self, index, start, valid):
        self.index = index
        self.start = start
        self.valid = valid


def time_gaps(times, k):
    """The steps i whose time from step i-1 is more than k times the series' (lower) median step."""
    n = len(times)
    if n < 3:
        return []
    steps = np.diff(times)
    if steps.max() <= k * steps.min():
        return []
    limit = k * float(np.sort(steps)[(len(steps) - 1) // 2])
    return [int(i) + 1 for i in np.nonzero(steps > limit)[0]]


def build(spec, times):
    """(windows, reason): the windows of a sorted series of len(times) steps, or none and the reject reason."""
    n = len(times)
    t = spec.length
    if n == 0:
        return [], "no_valid_rows"
    if n < t and spec.policy != PAD:
        return [], "too_short"
    if spec.mode == SLICE:
        if n > t and spec.policy == REJECT:
            return [], "too_long"
        return [Window(0, 0, min(n, t))], None
    gaps = [] if spec.gap_policy == GAP_IGNORE else time_gaps(times, spec.max_gap)
    if gaps and spec.gap_policy == GAP_REJECT:
        return [], "time_gap"
    bounds = [0] + gaps + [n]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        run = b - a
        if run < t and spec.policy != PAD:
            continue  # a short run between gaps: its rows are counted as short_segment by the CLI
        if run < t:
            out.append(Window(len(out), a, run))
            continue
        regular = (run - t) // spec.stride + 1
        for j in range(regular):
            out.append(Window(len(out), a + j * spec.stride, t))
        if (regular - 1) * spec.stride + t < run:
            out.append(Window(len(out), max(a, b - t), t))
    if not out:
        return [], "too_short"
    return out, None


def values_of(series_values, w, t):
    """The T x F raw values of window ``w`` of a series' (steps, F) float32 values, padded with its last step."""
    v = series_values[w.start:w.start + w.valid]
    if w.valid == t:
        return v
    return np.concatenate([v, np.repeat(v[-1:], t - w.valid, axis=0)], axis=0)
