package tsad.core.data;

import java.util.Arrays;

/**
 * Collects the rows of one slice in any order and builds a time-sorted {@link Series}, counting (or, in
 * strict mode, refusing) duplicate timestamps. Used by the CSV reader and the MapReduce reducers alike.
 */
public final class SeriesBuilder {
  private final String id;
  private final int features;
  private long[] times = new long[16];
  private float[] values;
  private int n;

  /** Starts an empty series for slice {@code id} with {@code features} values per row. */
  public SeriesBuilder(String id, int features) {
    this.id = id;
    this.features = features;
    this.values = new float[16 * features];
  }

  /** Appends one row (arrival order is kept for duplicates: the first row of a timestamp wins). */
  public void add(long timeMs, float[] row) {
    if (n == times.length) {
      times = Arrays.copyOf(times, n * 2);
      values = Arrays.copyOf(values, n * 2 * features);
    }
    times[n] = timeMs;
    System.arraycopy(row, 0, values, n * features, features);
    n++;
  }

  /** Rows added so far. */
  public int size() {
    return n;
  }

  /** Sorts by time (stable), drops and reports duplicate timestamps, and returns the series. */
  public Series build(DataReport report, boolean strict) {
    Integer[] order = new Integer[n];
    boolean sorted = true;
    for (int i = 0; i < n; i++) {
      order[i] = i;
      sorted &= i == 0 || times[i - 1] < times[i];
    }
    if (!sorted) {
      Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
    }
    long[] t = new long[n];
    float[] v = new float[n * features];
    int m = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (m > 0 && t[m - 1] == times[i]) {
        String detail = "slice " + id + " has a second row at time " + times[i] + " ms; the first is kept";
        if (strict) {
          throw new DataException(RejectReason.DUPLICATE_TIMESTAMP.label() + ": " + detail);
        }
        report.rejectRows(1, RejectReason.DUPLICATE_TIMESTAMP, id, detail,
            Arrays.toString(Arrays.copyOfRange(values, i * features, (i + 1) * features)));
        continue;
      }
      t[m] = times[i];
      System.arraycopy(values, i * features, v, m * features, features);
      m++;
    }
    report.sliceRead();
    return new Series(id, m == n ? t : Arrays.copyOf(t, m), m == n ? v : Arrays.copyOf(v, m * features), features);
  }
}
