package tsad.mr;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * A run of prepared records (key and serialized {@code SeriesRecord}) handed to the score mapper as one input
 * record: Hadoop's per-record bookkeeping (progress, file-system statistics) is then paid once per batch instead
 * of once per record. Bytes are copied into two growing buffers, so a batch allocates nothing per record once
 * it has warmed up.
 */
public final class RecordBatch implements Writable, BatchRecordReader.Batch {
  private byte[] keys = new byte[1024];
  private byte[] values = new byte[64 * 1024];
  private int[] keyEnds = new int[64];
  private int[] valueEnds = new int[64];
  private int size;

  @Override
  public void clear() {
    size = 0;
  }

  /** The bytes of all values in the batch. */
  public int valueBytes() {
    return size == 0 ? 0 : valueEnds[size - 1];
  }

  @Override
  public int size() {
    return size;
  }

  /** Appends a copy of one record. */
  public void add(Text key, BytesWritable value) {
    add(key.getBytes(), key.getLength(), value.getBytes(), value.getLength());
  }

  private void add(byte[] k, int kLen, byte[] v, int vLen) {
    if (size == keyEnds.length) {
      keyEnds = Arrays.copyOf(keyEnds, size * 2);
      valueEnds = Arrays.copyOf(valueEnds, size * 2);
    }
    int kStart = keyStart(size);
    int vStart = valueStart(size);
    keys = fit(keys, kStart + kLen);
    values = fit(values, vStart + vLen);
    System.arraycopy(k, 0, keys, kStart, kLen);
    System.arraycopy(v, 0, values, vStart, vLen);
    keyEnds[size] = kStart + kLen;
    valueEnds[size] = vStart + vLen;
    size++;
  }

  /** The key (slice id) of record {@code i}. */
  public String key(int i) {
    return new String(keys, keyStart(i), keyEnds[i] - keyStart(i), StandardCharsets.UTF_8);
  }

  /** The serialized value of record {@code i}, a view on the batch's buffer (valid until the next change). */
  public ByteBuffer value(int i) {
    return ByteBuffer.wrap(values, valueStart(i), valueEnds[i] - valueStart(i));
  }

  private int keyStart(int i) {
    return i == 0 ? 0 : keyEnds[i - 1];
  }

  private int valueStart(int i) {
    return i == 0 ? 0 : valueEnds[i - 1];
  }

  private static byte[] fit(byte[] buf, int needed) {
    return needed <= buf.length ? buf : Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
  }

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVInt(out, size);
    for (int i = 0; i < size; i++) {
      WritableUtils.writeVInt(out, keyEnds[i] - keyStart(i));
      out.write(keys, keyStart(i), keyEnds[i] - keyStart(i));
      WritableUtils.writeVInt(out, valueEnds[i] - valueStart(i));
      out.write(values, valueStart(i), valueEnds[i] - valueStart(i));
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    clear();
    int n = WritableUtils.readVInt(in);
    for (int i = 0; i < n; i++) {
      byte[] k = new byte[WritableUtils.readVInt(in)];
      in.readFully(k);
      byte[] v = new byte[WritableUtils.readVInt(in)];
      in.readFully(v);
      add(k, k.length, v, v.length);
    }
  }
}
