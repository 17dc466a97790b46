package tsad.core.scale;

import java.util.ArrayList;
import java.util.List;
import tsad.core.window.Window;
import tsad.proto.FeatureStats;

/**
 * Per-feature count, mean, spread, min and max of window values, accumulated one window at a time (Welford) and
 * merged exactly across tasks (Chan et al.), so a distributed job can summarise any number of windows in constant
 * memory. Gives the statistics behind the standard and min-max scalers.
 */
public final class FeatureStatistics {
  private final List<String> names;
  private final long[] count;
  private final double[] mean;
  private final double[] m2;
  private final double[] min;
  private final double[] max;

  /** Empty statistics for the named features. */
  public FeatureStatistics(List<String> featureNames) {
    names = List.copyOf(featureNames);
    int f = names.size();
    count = new long[f];
    mean = new double[f];
    m2 = new double[f];
    min = new double[f];
    max = new double[f];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  /** Adds the valid steps of a window (the steps the scaler would be fitted on). */
  public void add(Window w) {
    int f = names.size();
    if (w.features() != f) {
      throw new IllegalArgumentException("window " + w.id() + " has " + w.features() + " features, expected " + f);
    }
    int steps = w.validSteps() > 0 ? w.validSteps() : w.steps();
    for (int t = 0; t < steps; t++) {
      for (int j = 0; j < f; j++) {
        double x = w.value(t * f + j);
        long k = ++count[j];
        double d = x - mean[j];
        mean[j] += d / k;
        m2[j] += d * (x - mean[j]);
        min[j] = Math.min(min[j], x);
        max[j] = Math.max(max[j], x);
      }
    }
  }

  /** Merges statistics of the same features computed elsewhere (exact up to rounding, in any order). */
  public void merge(List<FeatureStats> other) {
    if (other.size() != names.size()) {
      throw new IllegalArgumentException("statistics of " + other.size() + " features, expected " + names.size());
    }
    for (int j = 0; j < other.size(); j++) {
      FeatureStats o = other.get(j);
      if (o.getCount() == 0) {
        continue;
      }
      long n = count[j] + o.getCount();
      double d = o.getMean() - mean[j];
      mean[j] += d * o.getCount() / n;
      m2[j] += o.getM2() + d * d * count[j] * (double) o.getCount() / n;
      count[j] = n;
      min[j] = Math.min(min[j], o.getMin());
      max[j] = Math.max(max[j], o.getMax());
    }
  }

  /** The statistics as protobuf messages, one per feature in order. */
  public List<FeatureStats> toProto() {
    List<FeatureStats> out = new ArrayList<>(names.size());
    for (int j = 0; j < names.size(); j++) {
      out.add(FeatureStats.newBuilder().setName(names.get(j)).setCount(count[j]).setMean(mean[j]).setM2(m2[j])
          .setMin(min[j]).setMax(max[j]).build());
    }
    return out;
  }

  /** Sample standard deviation of a feature's stored statistics (n - 1 in the denominator, as the scaler uses). */
  public static double std(FeatureStats s) {
    return Math.sqrt(s.getM2() / Math.max(1, s.getCount() - 1));
  }
}
