package tsad.core.score;

import tsad.core.data.Series;
import tsad.core.window.Window;

/**
 * Per-row scores of one slice from the scores of its windows: a row's score is the mean score of the windows that
 * cover it (the rows a window holds data for; padded steps are no rows), and the row is anomalous when that score
 * is over the model's threshold. With stride 1 a row inside the slice is covered by T windows, so one odd window
 * does not flag a row alone, and a row's score rises and falls with the stretch of series around it. Rows no
 * window covers (cut off by a truncating length policy, and counted as such) get no line.
 */
public final class RowScores {
  private Series series;
  private double[] sum;
  private int[] count;
  private double threshold = Double.NaN;
  private long rows;
  private long anomalous;

  RowScores() {}

  /**
   * The score of every row of {@code s} by this rule, from the scores of its windows (in order); NaN for a row no
   * window covers.
   */
  public static double[] of(Series s, java.util.List<Window> windows, double[] scores) {
    RowScores r = new RowScores();
    r.start(s);
    for (int i = 0; i < windows.size(); i++) {
      r.add(windows.get(i), scores[i]);
    }
    double[] out = new double[r.sum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.count[i] == 0 ? Double.NaN : r.sum[i] / r.count[i];
    }
    return out;
  }

  /** Starts the rows of {@code s}. */
  void start(Series s) {
    series = s;
    sum = new double[s.length()];
    count = new int[s.length()];
  }

  /** The slice being accumulated, or null. */
  String sliceId() {
    return series == null ? null : series.id();
  }

  /** Adds one window of the slice with its result. */
  void add(Window w, ScoreResult r) {
    add(w, r.score());
    threshold = r.threshold();
  }

  private void add(Window w, double score) {
    if (series == null || !series.id().equals(w.seriesId())) {
      throw new IllegalStateException("per-row scores need the series of " + w.seriesId() + " before its windows");
    }
    // A window cut from the series is a view of its values; a padded one (a slice, or a run between time gaps,
    // shorter than T) is a copy, found by its first time.
    int first = w.data() == series.values() ? w.offset() / w.features()
        : Math.max(0, java.util.Arrays.binarySearch(series.timesMs(), w.startMs()));
    int valid = w.validSteps() > 0 ? w.validSteps() : w.steps();
    for (int i = first; i < Math.min(first + valid, sum.length); i++) {
      sum[i] += score;
      count[i]++;
    }
  }

  /** Renders the slice's rows (as JSON lines or TSV rows, each ending in a newline) and forgets the slice. */
  void finish(ScoreFormat.Lines render, boolean tsv, StringBuilder out) {
    long[] times = series.timesMs();
    for (int i = 0; i < sum.length; i++) {
      if (count[i] == 0) {
        continue;
      }
      double score = sum[i] / count[i];
      boolean flag = score > threshold;
      if (tsv) {
        render.tsvRow(series.id(), times[i], score, threshold, flag, out);
      } else {
        render.row(series.id(), times[i], score, threshold, flag, out);
      }
      out.append('\n');
      rows++;
      anomalous += flag ? 1 : 0;
    }
    series = null;
  }

  /** Rows rendered so far, over all slices. */
  long rows() {
    return rows;
  }

  /** Of those, the anomalous ones. */
  long anomalous() {
    return anomalous;
  }
}
