package tsad.core.data;

/**
 * One slice's time series, sorted by time with unique timestamps.
 *
 * @param id slice id
 * @param timesMs epoch millis per step, strictly increasing
 * @param values steps x features, row-major by step
 * @param features number of features F
 */
public record Series(String id, long[] timesMs, float[] values, int features) {
  /** Number of time steps. */
  public int length() {
    return timesMs.length;
  }
}
