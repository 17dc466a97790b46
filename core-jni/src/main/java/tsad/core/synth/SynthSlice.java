package tsad.core.synth;

/**
 * One generated slice.
 *
 * @param sliceId id
 * @param epochMillis time of each step
 * @param values [T][F] values
 * @param kind the planted anomaly, or null for a normal slice
 */
public record SynthSlice(String sliceId, long[] epochMillis, double[][] values, AnomalyKind kind) {
  /** True when an anomaly was planted. */
  public boolean isAnomaly() {
    return kind != null;
  }
}
