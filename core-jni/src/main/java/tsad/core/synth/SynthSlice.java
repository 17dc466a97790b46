package tsad.core.synth;

/**
 * One generated slice: a short multivariate series with its id and, for test slices, the planted anomaly.
 * The arrays are shared, not copied (slices are bulk data); treat them as read-only.
 *
 * @param sliceId id such as {@code train-000001} or {@code test-000042}
 * @param epochMillis time of each step in epoch milliseconds, length T, one minute apart
 * @param values values indexed [step][feature], T rows of F columns
 * @param kind the planted anomaly, or null for a normal slice
 */
public record SynthSlice(String sliceId, long[] epochMillis, double[][] values, AnomalyKind kind) {
  /** Checks that times and values describe the same number of steps. */
  public SynthSlice {
    if (sliceId == null || sliceId.isEmpty()) {
      throw new IllegalArgumentException("slice id must not be empty");
    }
    if (epochMillis.length != values.length) {
      throw new IllegalArgumentException(sliceId + ": " + epochMillis.length + " times but " + values.length
          + " value rows");
    }
  }

  /** Returns true when an anomaly was planted in this slice. */
  public boolean isAnomaly() {
    return kind != null;
  }
}
