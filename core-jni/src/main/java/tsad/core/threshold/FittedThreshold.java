package tsad.core.threshold;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An anomaly threshold learned from a sample of scores: a window whose score is above {@code value} is
 * anomalous.
 *
 * @param value the threshold; scores strictly above it are anomalous
 * @param method canonical method spec it was fitted with ("p99", "mean+3sd", "pot:0.001,init=0.98"), which
 *     {@link ThresholdMethod#parse} reads back
 * @param sampleSize number of scores it was fitted on
 * @param params fitted quantities (percentile; mean, std, k; risk, GPD sigma and xi, ...), unmodifiable and
 *     in insertion order
 */
public record FittedThreshold(double value, String method, int sampleSize, Map<String, Double> params) {
  /**
   * Validates the fields and freezes an ordered copy of the parameters.
   *
   * @param value the threshold, not NaN
   * @param method canonical method spec
   * @param sampleSize number of scores fitted on, at least 1
   * @param params fitted quantities; copied, so later changes to the argument do not show
   * @throws IllegalArgumentException if value is NaN or sampleSize is below 1
   */
  public FittedThreshold {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(params, "params");
    if (Double.isNaN(value)) {
      // A NaN threshold would make every "score > threshold" comparison false, silently hiding anomalies.
      throw new IllegalArgumentException("threshold value is NaN for method " + method);
    }
    if (sampleSize < 1) {
      throw new IllegalArgumentException("threshold sample size must be positive, got " + sampleSize);
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    params.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "param name"), Objects.requireNonNull(v, k)));
    params = Collections.unmodifiableMap(copy);
  }

  /**
   * Tells whether a score is anomalous under this threshold.
   *
   * @param score a window's score
   * @return true if the score is strictly above the threshold
   */
  public boolean isAnomaly(double score) {
    return score > value;
  }
}
