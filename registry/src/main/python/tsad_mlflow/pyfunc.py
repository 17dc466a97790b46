"""The MLflow ``python_function`` flavor of tsad models (``loader_module: tsad_mlflow.pyfunc``).

``mlflow.pyfunc.load_model("models:/NAME@ALIAS")`` calls :func:`_load_pyfunc` with the model directory, which is
also the tsad bundle; the returned model's ``predict(df, params={"per": "slice"|"window"|"row"})`` scores with
the numbers of ``tsad score --per ...``. See docs/python.md.
"""

import pandas as pd
import torch

from . import bundle as bundle_mod
from . import inputs, scoring

PER = ("slice", "window", "row")


def _invalid(message):
    """An MLflow error with INVALID_PARAMETER_VALUE, which the scoring server answers with HTTP 400."""
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


class TsadModel:
    """A verified tsad bundle and its network, scoring pandas DataFrames."""

    def __init__(self, directory):
        try:
            self.scorer = scoring.Scorer.load(directory)
        except (bundle_mod.BundleError, ValueError) as e:
            from mlflow.exceptions import MlflowException

            raise MlflowException(f"cannot load the tsad model: {e}") from e

    @property
    def columns(self):
        """The input columns the model reads: slice id, time, then the features in model order."""
        d = self.scorer.bundle.data_spec
        return [d.slice_column, d.time_column] + list(d.feature_columns)

    def predict(self, model_input, params=None):
        """Scores ``model_input`` (long format, or one row per slice with array cells).

        ``params["per"]``: ``slice`` (default) gives slice_id, score, threshold, is_anomaly, rejected (the reason a
        slice was not scored, else None) and, for window-mode models, windows, anomalous_windows, worst_start;
        ``window`` a row per window (slice_id, window, start, score, threshold, is_anomaly); ``row`` a row per time
        step (slice_id, time, score, threshold, is_anomaly). A rejected slice's score and is_anomaly are None."""
        per = (params or {}).get("per") or "slice"
        if per not in PER:
            raise _invalid(f"unknown per '{per}'; use slice, window or row")
        try:
            series = inputs.read(model_input, self.scorer.bundle.data_spec)
        except inputs.InputError as e:
            raise _invalid(str(e)) from None
        scored = self.scorer.score(series)
        rows = {"slice": self.scorer.per_slice, "window": self.scorer.per_window, "row": self.scorer.per_row}[per](scored)
        return _frame(rows, per, self.scorer.window_mode)


def _frame(rows, per, window_mode):
    """The rows as a DataFrame with fixed columns (also when empty); columns that may hold None are objects, so
    JSON gets null, never NaN."""
    if per == "slice" or (per == "window" and not window_mode):
        cols = ["slice_id", "score", "threshold", "is_anomaly", "rejected"]
        if window_mode:
            cols += ["windows", "anomalous_windows", "worst_start"]
    elif per == "window":
        cols = ["slice_id", "window", "start", "score", "threshold", "is_anomaly"]
    else:
        cols = ["slice_id", "time", "score", "threshold", "is_anomaly"]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("score", "is_anomaly", "rejected", "worst_start"):
        if c in df.columns and any(r[c] is None for r in rows):
            df[c] = pd.Series([r[c] for r in rows], dtype=object)
    return df


def _load_pyfunc(data_path):
    """MLflow's entry point: ``data_path`` is the model directory (the flavor's ``data: .``)."""
    # One torch thread per process: serving workers and Spark's Python workers run side by side, and libtorch's
    # own thread pool per process would oversubscribe the cores.
    if torch.get_num_threads() > 1:
        torch.set_num_threads(1)
    return TsadModel(data_path)
