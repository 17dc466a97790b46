package tsad.core.score;

import java.util.Arrays;
import tsad.core.data.DataException;
import tsad.proto.ScoreDistribution;

/**
 * Score drift of new data against a stored score distribution: population stability index (PSI) on the
 * stored histogram's bins, and a Kolmogorov-Smirnov distance against the histogram's CDF. Bundles keep a
 * histogram, not the raw scores, so KS compares the new sample with a piecewise-linear CDF (uniform
 * within each bin) rather than with a second sample.
 */
public final class Drift {
  /** Share that stands in for an empty bin in PSI, whose log ratio would otherwise be infinite. */
  static final double EMPTY_SHARE = 1e-4;

  /**
   * One comparison.
   *
   * @param psi population stability index over {@code bins} bins
   * @param bins bins PSI was computed on (the stored bins merged to roughly equal reference mass)
   * @param ks largest distance between the new sample's CDF and the reference histogram's CDF
   * @param ksPValue asymptotic two-sample p-value for {@code ks}, counting the reference as a sample of its size
   * @param n new scores
   * @param referenceN scores behind the reference histogram
   * @param newShares share of new scores in each PSI bin
   * @param referenceShares share of reference scores in each PSI bin
   */
  public record Result(double psi, int bins, double ks, double ksPValue, long n, long referenceN,
                       double[] newShares, double[] referenceShares) {}

  private Drift() {}

  /**
   * Compares new scores with a stored distribution. The stored bins are merged into about {@code bins}
   * groups of equal reference mass, because PSI over many sparse bins measures sampling noise: its
   * expected value without drift is about (bins - 1) x (1/n + 1/referenceN). The outer groups are open,
   * so new scores beyond the reference's range count in the first or last bin.
   */
  public static Result compare(ScoreDistribution reference, double[] scores, int bins) {
    int k = reference.getHistogramCountsCount();
    if (k == 0 || reference.getHistogramEdgesCount() != k + 1 || reference.getCount() == 0) {
      throw new DataException("the model stores no score histogram to compare with (trained by an older tsad?)");
    }
    if (scores.length == 0) {
      throw new DataException("no scores to compare: the new data gave no windows");
    }
    if (bins < 2) {
      throw new DataException("need at least 2 PSI bins, got " + bins);
    }
    double[] edges = reference.getHistogramEdgesList().stream().mapToDouble(Double::doubleValue).toArray();
    long[] counts = reference.getHistogramCountsList().stream().mapToLong(Long::longValue).toArray();
    long m = Arrays.stream(counts).sum();
    double[] upper = groupUpperEdges(edges, counts, m, bins);
    int g = upper.length + 1;
    double[] refShares = new double[g];
    int group = 0;
    for (int i = 0; i < k; i++) {
      while (group < upper.length && edges[i + 1] > upper[group]) {
        group++;
      }
      refShares[group] += (double) counts[i] / m;
    }
    double[] newShares = new double[g];
    for (double s : scores) {
      // a score on an edge belongs to the bin above it, as in Distributions.of
      int idx = Arrays.binarySearch(upper, s);
      newShares[idx >= 0 ? idx + 1 : -idx - 1] += 1.0 / scores.length;
    }
    double psi = 0;
    for (int i = 0; i < g; i++) {
      double p = Math.max(newShares[i], EMPTY_SHARE);
      double q = Math.max(refShares[i], EMPTY_SHARE);
      psi += (p - q) * Math.log(p / q);
    }
    double ks = ksAgainstHistogram(edges, counts, m, scores);
    double en = Math.sqrt((double) scores.length * m / (scores.length + m));
    return new Result(psi, g, ks, kolmogorovQ((en + 0.12 + 0.11 / en) * ks), scores.length, m, newShares, refShares);
  }

  /** Upper edges of groups of consecutive stored bins, each holding about 1/bins of the reference mass. */
  private static double[] groupUpperEdges(double[] edges, long[] counts, long m, int bins) {
    double[] out = new double[bins - 1];
    int n = 0;
    long cum = 0;
    for (int i = 0; i < counts.length - 1 && n < bins - 1; i++) {
      cum += counts[i];
      if (cum >= (double) m * (n + 1) / bins && cum < m) {
        out[n++] = edges[i + 1];
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** sup |F_new - F_ref| with F_ref linear inside each histogram bin (it is continuous, so the sup is at samples). */
  static double ksAgainstHistogram(double[] edges, long[] counts, long m, double[] scores) {
    double[] s = scores.clone();
    Arrays.sort(s);
    double[] cumBefore = new double[counts.length];
    long cum = 0;
    for (int i = 0; i < counts.length; i++) {
      cumBefore[i] = cum;
      cum += counts[i];
    }
    double d = 0;
    for (int j = 0; j < s.length; j++) {
      double f = referenceCdf(edges, counts, cumBefore, m, s[j]);
      d = Math.max(d, Math.max((j + 1.0) / s.length - f, f - (double) j / s.length));
    }
    return d;
  }

  private static double referenceCdf(double[] edges, long[] counts, double[] cumBefore, long m, double x) {
    if (x <= edges[0]) {
      return 0;
    }
    if (x >= edges[edges.length - 1]) {
      return 1;
    }
    int i = Arrays.binarySearch(edges, x);
    i = i >= 0 ? i : -i - 2;
    double width = edges[i + 1] - edges[i];
    return (cumBefore[i] + counts[i] * (width > 0 ? (x - edges[i]) / width : 1)) / m;
  }

  /** Kolmogorov's survival function Q(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2). */
  static double kolmogorovQ(double lambda) {
    if (lambda < 0.2) {
      return 1;
    }
    double sum = 0;
    for (int k = 1; k <= 100; k++) {
      double term = 2 * ((k % 2 == 1) ? 1 : -1) * Math.exp(-2.0 * k * k * lambda * lambda);
      sum += term;
      if (Math.abs(term) < 1e-12) {
        break;
      }
    }
    return Math.max(0, Math.min(1, sum));
  }
}
