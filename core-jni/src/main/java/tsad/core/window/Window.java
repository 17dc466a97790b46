package tsad.core.window;

import java.time.Instant;
import java.util.Arrays;

/**
 * One model input: T steps x F features of raw values, with where it came from.
 *
 * @param id window id: the slice id in slice mode; null in window mode, where {@link #id()} derives
 *     "series@start" only when asked, since scoring millions of windows per slice need not format them
 * @param seriesId the slice it was cut from
 * @param startMs epoch millis of the first step
 * @param endMs epoch millis of the last valid step
 * @param steps T
 * @param features F
 * @param validSteps steps holding data (&lt; steps only when padded)
 * @param index position of the window in its series
 * @param data the raw values, row-major by step: T*F of them from {@code offset}. A window cut from a series
 *     without padding shares the series' array (read-only) instead of copying it, so the overlapping windows of a
 *     long series at stride 1 cost no more memory than the series itself
 * @param offset where the window's first value is in {@code data}
 */
public record Window(String id, String seriesId, long startMs, long endMs, int steps, int features,
                     int validSteps, int index, float[] data, int offset) {

  /** A window holding its own T*F values. */
  public Window(String id, String seriesId, long startMs, long endMs, int steps, int features, int validSteps,
      int index, float[] values) {
    this(id, seriesId, startMs, endMs, steps, features, validSteps, index, values, 0);
  }

  /** The T*F raw values as an array of their own (a copy when the window shares its series' array). */
  public float[] values() {
    int n = steps * features;
    return offset == 0 && data.length == n ? data : Arrays.copyOfRange(data, offset, offset + n);
  }

  /** The raw value at {@code k} = step * F + feature, without copying. */
  public float value(int k) {
    return data[offset + k];
  }

  /** The window id: the slice id in slice mode, "series@start-ISO" in window mode. */
  @Override
  public String id() {
    return id != null ? id : windowId(seriesId, startMs);
  }

  /** The id as given: null when it is derived from the series and the start. */
  public String givenId() {
    return id;
  }

  /** The id of a window cut from a longer series: "series@start-ISO". */
  public static String windowId(String seriesId, long startMs) {
    return seriesId + "@" + Instant.ofEpochMilli(startMs);
  }
}
