package tsad.core.score;

/**
 * The verdict on one window or slice.
 *
 * @param id window id (slice id in slice mode); null for a window whose id {@link #id()} derives on demand
 * @param seriesId the slice it belongs to
 * @param startMs epoch millis of its first step
 * @param score aggregated reconstruction error
 * @param threshold the model's threshold
 * @param isAnomaly score &gt; threshold
 * @param stepErrors per-step error (mean over features), or null when details were not asked for
 * @param featureShare each feature's share of the total squared error, or null
 * @param stepFeatureErrors squared error of each feature at each valid step (steps x features, row-major), or null
 */
public record ScoreResult(String id, String seriesId, long startMs, double score, double threshold,
                          boolean isAnomaly, float[] stepErrors, double[] featureShare, float[] stepFeatureErrors) {
  /** The window id: the slice id in slice mode, "series@start-ISO" in window mode. */
  @Override
  public String id() {
    return id != null ? id : tsad.core.window.Window.windowId(seriesId, startMs);
  }

  /** The id as given: null when it is derived from the series and the start. */
  public String givenId() {
    return id;
  }

  /** A result without per-step, per-feature errors. */
  public ScoreResult(String id, String seriesId, long startMs, double score, double threshold, boolean isAnomaly,
      float[] stepErrors, double[] featureShare) {
    this(id, seriesId, startMs, score, threshold, isAnomaly, stepErrors, featureShare, null);
  }

  /**
   * Each feature's share of the squared error at valid step {@code step} (summing to 1; equal shares where the
   * step has no error), or null when details were not asked for.
   */
  public double[] stepFeatureShare(int step) {
    if (stepFeatureErrors == null) {
      return null;
    }
    int f = featureShare.length;
    double[] share = new double[f];
    for (int j = 0; j < f; j++) {
      share[j] = stepFeatureErrors[step * f + j];
    }
    return toShares(share);
  }

  /** Turns per-feature error sums into shares, in place: summing to 1, or equal where there is no error. */
  static double[] toShares(double[] sums) {
    double total = 0;
    for (double v : sums) {
      total += v;
    }
    for (int j = 0; j < sums.length; j++) {
      sums[j] = total > 0 ? sums[j] / total : 1.0 / sums.length;
    }
    return sums;
  }
}
