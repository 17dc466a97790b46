package tsad.core.threshold;

import java.util.Arrays;

/**
 * Sample statistics shared by thresholds, score summaries and scalers, defined as numpy defines them so
 * numbers agree with the Python side: percentiles interpolate linearly between order statistics (numpy's
 * default "linear", Hyndman-Fan type 7) and the standard deviation is the sample one (ddof = 1).
 */
public final class Stats {
  private Stats() {}

  /**
   * Returns the p-th percentile of an ascending sample exactly as {@code numpy.percentile(v, p)} does.
   *
   * <p>With n values the percentile sits at position h = (p / 100) (n - 1); the result interpolates
   * linearly between v[floor(h)] and v[floor(h) + 1]. So p = 0 is the minimum, p = 100 the maximum, and
   * p = 50 of an even-length sample is the mean of the two middle values.
   *
   * @param sortedAscending finite values sorted ascending; not checked, so that callers computing many
   *     percentiles sort once (see {@link #quantiles})
   * @param p percentile in [0, 100]
   * @return the interpolated percentile
   * @throws IllegalArgumentException if the sample is empty or p is outside [0, 100]
   */
  public static double percentile(double[] sortedAscending, double p) {
    int n = sortedAscending.length;
    if (n == 0) {
      throw new IllegalArgumentException("percentile of an empty sample");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
    }
    // Same operation order as numpy (quantile * (n - 1)) so results match to the last bit where possible.
    double h = p / 100.0 * (n - 1);
    int lo = (int) h;
    if (lo >= n - 1) {
      return sortedAscending[n - 1];
    }
    double frac = h - lo;
    double a = sortedAscending[lo];
    double b = sortedAscending[lo + 1];
    // numpy's _lerp interpolates from the nearer end: exact at both ends and never outside [a, b].
    return frac >= 0.5 ? b - (b - a) * (1 - frac) : a + (b - a) * frac;
  }

  /**
   * Returns several percentiles of an unsorted sample; sorts a copy, so the caller's array is untouched.
   *
   * @param values the sample, non-empty and free of NaN
   * @param ps percentiles in [0, 100]
   * @return one value per requested percentile, in the order requested
   * @throws IllegalArgumentException if the sample is empty, holds NaN, or a percentile is out of range
   */
  public static double[] quantiles(double[] values, double... ps) {
    double[] s = values.clone();
    Arrays.sort(s);
    // Arrays.sort puts NaN last, which would silently corrupt the upper percentiles.
    if (s.length > 0 && Double.isNaN(s[s.length - 1])) {
      throw new IllegalArgumentException("percentiles of a sample holding NaN");
    }
    double[] out = new double[ps.length];
    for (int i = 0; i < ps.length; i++) {
      out[i] = percentile(s, ps[i]);
    }
    return out;
  }

  /**
   * Returns the arithmetic mean, summed with Neumaier compensation so long score samples lose no precision.
   *
   * @param values a non-empty sample
   * @return the mean
   * @throws IllegalArgumentException if the sample is empty
   */
  public static double mean(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("mean of an empty sample");
    }
    double sum = 0;
    double carry = 0;
    for (double v : values) {
      double t = sum + v;
      carry += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
    }
    return (sum + carry) / values.length;
  }

  /**
   * Returns the sample standard deviation (n - 1 denominator, numpy's {@code std(v, ddof=1)}).
   *
   * <p>Uses the corrected two-pass formula, which stays accurate when the mean is large compared with the
   * spread (the naive sum-of-squares formula does not).
   *
   * @param values a sample of at least two values
   * @return the sample standard deviation
   * @throws IllegalArgumentException if there are fewer than two values
   */
  public static double std(double[] values) {
    int n = values.length;
    if (n < 2) {
      throw new IllegalArgumentException("sample standard deviation needs at least 2 values, got " + n);
    }
    double m = mean(values);
    double sq = 0;
    double dev = 0;
    for (double v : values) {
      double d = v - m;
      sq += d * d;
      dev += d;
    }
    // dev would be 0 in exact arithmetic; subtracting dev^2 / n cancels the rounding error of the mean.
    return Math.sqrt(Math.max(0, (sq - dev * dev / n) / (n - 1)));
  }
}
