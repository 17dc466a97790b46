package tsad.core.score;

import java.util.List;

/**
 * The verdict on one slice scored in windows: its highest window score, anomalous if any window is. This is what
 * {@code score_anomaly()} returns in SQL and what the CLI and the score job write per slice, so the paths agree.
 *
 * @param sliceId the slice
 * @param score highest window score (NaN if any window's score is NaN)
 * @param threshold the model's threshold
 * @param isAnomaly whether any window is anomalous (score &gt; threshold)
 * @param windows windows scored
 * @param anomalousWindows windows over the threshold
 * @param worstStartMs start (epoch millis) of the window with the highest score
 */
public record SliceScore(String sliceId, double score, double threshold, boolean isAnomaly, int windows,
                         int anomalousWindows, long worstStartMs) {

  /** The verdict on one slice from the results of all its windows (at least one). */
  public static SliceScore of(List<ScoreResult> results) {
    Accumulator a = new Accumulator();
    for (ScoreResult r : results) {
      a.add(r);
    }
    return a.finish();
  }

  /** Folds the results of one slice's windows, in any order, into its verdict without keeping them. */
  public static final class Accumulator {
    private String sliceId;
    private double best;
    private double threshold;
    private int windows;
    private int anomalous;
    private long worstStartMs;

    /** Adds one window's result; every result must belong to the same slice. */
    public void add(ScoreResult r) {
      if (windows == 0) {
        sliceId = r.seriesId();
        threshold = r.threshold();
      } else if (!sliceId.equals(r.seriesId())) {
        throw new IllegalArgumentException("window of " + r.seriesId() + " added to slice " + sliceId);
      }
      double s = r.score();
      if (windows == 0 || s > best || (Double.isNaN(s) && !Double.isNaN(best))) {
        worstStartMs = r.startMs();
      }
      best = windows == 0 ? s : Math.max(best, s);
      anomalous += r.isAnomaly() ? 1 : 0;
      windows++;
    }

    /** The slice being folded, or null before its first window. */
    public String sliceId() {
      return windows == 0 ? null : sliceId;
    }

    /** The verdict over the windows added so far; then starts over for the next slice. */
    public SliceScore finish() {
      if (windows == 0) {
        throw new IllegalStateException("no window to score the slice by");
      }
      SliceScore s = new SliceScore(sliceId, best, threshold, anomalous > 0, windows, anomalous, worstStartMs);
      windows = 0;
      anomalous = 0;
      sliceId = null;
      return s;
    }
  }
}
