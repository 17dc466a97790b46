package tsad.core.score;

import java.util.Arrays;
import tsad.core.threshold.Stats;
import tsad.proto.ScoreDistribution;

/** Summaries of score samples (moments, quantiles, histogram), stored in bundles and logged as metrics. */
public final class Distributions {
  private static final double[] QUANTILES = {1, 5, 25, 50, 75, 90, 95, 99, 99.9};
  private static final int BINS = 50;

  private Distributions() {}

  /** Summarises a non-empty score sample. */
  public static ScoreDistribution of(double[] scores) {
    ScoreDistribution.Builder b = ScoreDistribution.newBuilder().setCount(scores.length);
    if (scores.length == 0) {
      return b.build();
    }
    double[] s = scores.clone();
    Arrays.sort(s);
    b.setMean(Stats.mean(s)).setStd(s.length > 1 ? Stats.std(s) : 0).setMin(s[0]).setMax(s[s.length - 1]);
    for (double q : QUANTILES) {
      b.putQuantiles(label(q), Stats.percentile(s, q));
    }
    double lo = s[0];
    double hi = s[s.length - 1];
    double width = hi > lo ? (hi - lo) / BINS : 1;
    long[] counts = new long[BINS];
    for (double v : s) {
      counts[Math.min(BINS - 1, (int) ((v - lo) / width))]++;
    }
    for (int i = 0; i <= BINS; i++) {
      b.addHistogramEdges(lo + i * width);
    }
    for (long c : counts) {
      b.addHistogramCounts(c);
    }
    return b.build();
  }

  /** "p99", "p99.9": the key a quantile is stored under. */
  public static String label(double q) {
    return "p" + (q == Math.rint(q) ? Long.toString((long) q) : Double.toString(q));
  }
}
