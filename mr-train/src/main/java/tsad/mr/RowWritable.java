package tsad.mr;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;

/**
 * One row's time and feature values on their way from mapper to reducer. The time also travels in the key (for
 * the secondary sort); carrying it here too means the reducer does not rely on Hadoop advancing the key object
 * with each value, which test harnesses such as MRUnit do not do.
 */
public final class RowWritable implements Writable {
  private long timeMs;
  private float[] values = new float[0];

  /** Sets the time and values (the array is kept, not copied). */
  public RowWritable set(long time, float[] v) {
    timeMs = time;
    values = v;
    return this;
  }

  /** The row's time, epoch milliseconds. */
  public long timeMs() {
    return timeMs;
  }

  /** The values. */
  public float[] values() {
    return values;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeLong(timeMs);
    out.writeInt(values.length);
    for (float v : values) {
      out.writeFloat(v);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    timeMs = in.readLong();
    int n = in.readInt();
    if (values.length != n) {
      values = new float[n];
    }
    for (int i = 0; i < n; i++) {
      values[i] = in.readFloat();
    }
  }
}
