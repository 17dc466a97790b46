package tsad.core.data;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import tsad.proto.SeriesRecord;

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

  /** The protobuf record the prepare job writes: timestamps as gaps, values as they are. */
  public SeriesRecord toProto() {
    SeriesRecord.Builder b = SeriesRecord.newBuilder().setId(id).setFeatures(features);
    if (timesMs.length > 0) {
      b.setFirstTimeMs(timesMs[0]);
    }
    for (int i = 1; i < timesMs.length; i++) {
      b.addStepMs(timesMs[i] - timesMs[i - 1]);
    }
    for (float v : values) {
      b.addValues(v);
    }
    return b.build();
  }

  /**
   * Reads a series back from its serialized record (parsed from the buffer without copying it), checking that its
   * timestamps increase and its values fill steps x features; a record that fails either is an
   * {@link IllegalArgumentException}.
   */
  public static Series fromProto(ByteBuffer bytes) throws InvalidProtocolBufferException {
    SeriesRecord r = SeriesRecord.parseFrom(bytes);
    int steps = r.getValuesCount() == 0 ? 0 : r.getStepMsCount() + 1;
    if (r.getFeatures() < 1 || r.getValuesCount() != (long) steps * r.getFeatures()) {
      throw new IllegalArgumentException("series " + r.getId() + " has " + r.getValuesCount() + " values for "
          + steps + " steps of " + r.getFeatures() + " features");
    }
    long[] times = new long[steps];
    if (steps > 0) {
      times[0] = r.getFirstTimeMs();
    }
    for (int i = 1; i < steps; i++) {
      long gap = r.getStepMs(i - 1);
      if (gap <= 0) {
        throw new IllegalArgumentException("series " + r.getId() + " has timestamps out of order at step " + i);
      }
      times[i] = times[i - 1] + gap;
    }
    float[] v = new float[r.getValuesCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.getValues(i);
    }
    return new Series(r.getId(), times, v, r.getFeatures());
  }
}
