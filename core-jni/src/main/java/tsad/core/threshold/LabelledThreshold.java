package tsad.core.threshold;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tsad.core.data.DataException;
import tsad.core.score.Evaluation;

/**
 * A threshold chosen on labelled rows instead of on unlabelled held-out scores: the one that gives the best F1, or
 * the lowest one whose false-alarm rate on the normal rows is at most a target. Rows are scored by the per-row rule
 * ({@link tsad.core.score.RowScores}), the rule {@code tsad score --per row} flags with.
 */
public final class LabelledThreshold {
  private LabelledThreshold() {}

  /** What to optimise: {@code best-f1}, or {@code far:R} for a false-alarm rate of at most R (0 &lt;= R &lt; 1). */
  public static String checkGoal(String goal) {
    if (goal.equals("best-f1")) {
      return goal;
    }
    if (goal.startsWith("far:")) {
      double r;
      try {
        r = Double.parseDouble(goal.substring(4));
      } catch (NumberFormatException e) {
        r = Double.NaN;
      }
      if (r >= 0 && r < 1) {
        return goal;
      }
    }
    throw new DataException("unknown threshold goal '" + goal + "'; use best-f1 or far:R with 0 <= R < 1 (e.g. "
        + "far:0.01)");
  }

  /**
   * Chooses the threshold for {@code goal} on row scores (NaN rows are left out) and their labels; the result's
   * parameters hold the figures it gives on those rows.
   */
  public static FittedThreshold choose(double[] rowScores, boolean[] labels, String goal) {
    checkGoal(goal);
    int n = 0;
    long anomalous = 0;
    double[] s = new double[rowScores.length];
    boolean[] y = new boolean[rowScores.length];
    for (int i = 0; i < rowScores.length; i++) {
      if (!Double.isNaN(rowScores[i])) {
        s[n] = rowScores[i];
        y[n] = labels[i];
        anomalous += labels[i] ? 1 : 0;
        n++;
      }
    }
    s = Arrays.copyOf(s, n);
    y = Arrays.copyOf(y, n);
    if (anomalous == 0 || anomalous == n) {
      throw new DataException("the labelled rows need both normal and anomalous rows to choose a threshold (" + n
          + " rows, " + anomalous + " anomalous)");
    }
    double value;
    if (goal.equals("best-f1")) {
      value = Evaluation.bestF1(s, y).threshold();
    } else {
      double rate = Double.parseDouble(goal.substring(4));
      double[] normal = new double[(int) (n - anomalous)];
      for (int i = 0, k = 0; i < n; i++) {
        if (!y[i]) {
          normal[k++] = s[i];
        }
      }
      Arrays.sort(normal);
      int allowed = (int) Math.floor(rate * normal.length);
      // Flagging scores strictly above the (allowed+1)-th highest normal score flags at most `allowed` normal rows.
      value = normal[normal.length - 1 - allowed];
    }
    boolean[] flagged = new boolean[n];
    for (int i = 0; i < n; i++) {
      flagged[i] = s[i] > value;
    }
    Evaluation.Detection d = Evaluation.Detection.of(flagged, y);
    Map<String, Double> params = new LinkedHashMap<>();
    params.put("f1", d.f1());
    params.put("false_alarm_rate", d.falseAlarmRate());
    params.put("missed_alarm_rate", d.missedAlarmRate());
    params.put("labelled_rows", (double) n);
    params.put("anomalous_rows", (double) anomalous);
    return new FittedThreshold(value, "labels:" + goal.toLowerCase(Locale.ROOT), n, params);
  }
}
