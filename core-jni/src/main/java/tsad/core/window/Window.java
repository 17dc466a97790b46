package tsad.core.window;

import java.time.Instant;

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
 * @param values T*F raw values, row-major by step
 */
public record Window(String id, String seriesId, long startMs, long endMs, int steps, int features,
                     int validSteps, int index, float[] values) {

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
