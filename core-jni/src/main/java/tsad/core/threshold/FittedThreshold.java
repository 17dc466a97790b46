package tsad.core.threshold;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A threshold learned from a score sample.
 *
 * @param value scores above it are anomalous
 * @param method canonical method spec ("p99", "mean+3sd", "pot:0.001,init=0.98")
 * @param sampleSize scores it was fitted on
 * @param params fitted values (mean, std, GPD sigma and xi, ...) in insertion order
 */
public record FittedThreshold(double value, String method, int sampleSize, Map<String, Double> params) {
  /** Copies the parameter map into an unmodifiable, ordered one. */
  public FittedThreshold {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }
}
