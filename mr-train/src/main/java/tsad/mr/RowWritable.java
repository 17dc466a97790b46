package tsad.mr;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;

/** One row's feature values on their way from mapper to reducer (the time travels in the key). */
public final class RowWritable implements Writable {
  private float[] values = new float[0];

  /** Sets the values (the array is kept, not copied). */
  public RowWritable set(float[] v) {
    values = v;
    return this;
  }

  /** The values. */
  public float[] values() {
    return values;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeInt(values.length);
    for (float v : values) {
      out.writeFloat(v);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    int n = in.readInt();
    if (values.length != n) {
      values = new float[n];
    }
    for (int i = 0; i < n; i++) {
      values[i] = in.readFloat();
    }
  }
}
