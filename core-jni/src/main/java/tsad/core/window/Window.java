package tsad.core.window;

import tsad.proto.WindowRecord;

/**
 * One model input: T steps x F features of raw values, with where it came from.
 *
 * @param id window id: the slice id in slice mode, "series@start" in window mode
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

  /** The protobuf record exchanged between jobs. */
  public WindowRecord toProto() {
    WindowRecord.Builder b = WindowRecord.newBuilder().setId(id).setSeriesId(seriesId).setStartTimeMs(startMs)
        .setEndTimeMs(endMs).setSteps(steps).setFeatures(features).setValidSteps(validSteps).setWindowIndex(index);
    for (float v : values) {
      b.addValues(v);
    }
    return b.build();
  }

  /** Reads a window back from its protobuf record, checking its shape. */
  public static Window fromProto(WindowRecord r) {
    int n = r.getValuesCount();
    if (n != r.getSteps() * r.getFeatures()) {
      throw new IllegalArgumentException("window " + r.getId() + " has " + n + " values, expected "
          + r.getSteps() + "x" + r.getFeatures());
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.getValues(i);
    }
    return new Window(r.getId(), r.getSeriesId(), r.getStartTimeMs(), r.getEndTimeMs(), r.getSteps(),
        r.getFeatures(), r.getValidSteps(), r.getWindowIndex(), v);
  }
}
