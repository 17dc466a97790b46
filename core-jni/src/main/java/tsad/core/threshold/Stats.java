package tsad.core.threshold;

import java.util.Arrays;

/** Sample statistics shared by thresholds, score summaries and scalers (numpy-compatible definitions). */
public final class Stats {
  private Stats() {}

  /** The p-th percentile (0..100) of an ascending array, linear interpolation as numpy's default. */
  public static double percentile(double[] sortedAscending, double p) {
    int n = sortedAscending.length;
    if (n == 0) {
      throw new IllegalArgumentException("percentile of an empty sample");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
    }
    double pos = p / 100.0 * (n - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(n - 1, lo + 1);
    return sortedAscending[lo] + (pos - lo) * (sortedAscending[hi] - sortedAscending[lo]);
  }

  /** Percentiles of an unsorted sample (sorts a copy). */
  public static double[] quantiles(double[] values, double... percents) {
    double[] s = values.clone();
    Arrays.sort(s);
    double[] out = new double[percents.length];
    for (int i = 0; i < percents.length; i++) {
      out[i] = percentile(s, percents[i]);
    }
    return out;
  }

  /** Arithmetic mean. */
  public static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Sample standard deviation (n - 1 denominator). */
  public static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
