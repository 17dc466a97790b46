package tsad.mr;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * A run of text lines with their byte offsets, handed to the prepare mapper as one input record: Hadoop's
 * per-record bookkeeping (file-system statistics read twice per record, progress, counters) is then paid once per
 * batch instead of once per CSV row. Bytes are copied into one growing buffer, so a batch allocates nothing per
 * line once it has warmed up.
 */
public final class LineBatch implements Writable, BatchRecordReader.Batch {
  private byte[] bytes = new byte[64 * 1024];
  private int[] ends = new int[256];
  private long[] offsets = new long[256];
  private int size;

  @Override
  public void clear() {
    size = 0;
  }

  @Override
  public int size() {
    return size;
  }

  /** The bytes of all lines in the batch. */
  public int bytes() {
    return size == 0 ? 0 : ends[size - 1];
  }

  /** Appends a copy of one line (without its line terminator) that starts at {@code offset} in its file. */
  public void add(long offset, Text line) {
    add(offset, line.getBytes(), line.getLength());
  }

  private void add(long offset, byte[] b, int len) {
    if (size == ends.length) {
      ends = Arrays.copyOf(ends, size * 2);
      offsets = Arrays.copyOf(offsets, size * 2);
    }
    int start = start(size);
    if (start + len > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(start + len, bytes.length * 2));
    }
    System.arraycopy(b, 0, bytes, start, len);
    ends[size] = start + len;
    offsets[size] = offset;
    size++;
  }

  /**
   * Line {@code i}, decoded from UTF-8 as {@link Text#toString()} does (malformed bytes become U+FFFD): for
   * messages and tests; rows are parsed from the bytes ({@link #buffer}, {@link #start}, {@link #length}), which the
   * one CSV parser decodes without guessing.
   */
  public String line(int i) {
    return new String(bytes, start(i), ends[i] - start(i), StandardCharsets.UTF_8);
  }

  /** The bytes of every line of the batch, line {@code i} from {@link #start}{@code (i)} (reused by the next batch). */
  public byte[] buffer() {
    return bytes;
  }

  /** The length in bytes of line {@code i}. */
  public int length(int i) {
    return ends[i] - start(i);
  }

  /** The byte offset of line {@code i} in its file. */
  public long offset(int i) {
    return offsets[i];
  }

  /** Where line {@code i} starts in {@link #buffer}. */
  public int start(int i) {
    return i == 0 ? 0 : ends[i - 1];
  }

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVInt(out, size);
    for (int i = 0; i < size; i++) {
      WritableUtils.writeVLong(out, offsets[i]);
      WritableUtils.writeVInt(out, ends[i] - start(i));
      out.write(bytes, start(i), ends[i] - start(i));
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    clear();
    int n = WritableUtils.readVInt(in);
    for (int i = 0; i < n; i++) {
      long offset = WritableUtils.readVLong(in);
      byte[] b = new byte[WritableUtils.readVInt(in)];
      in.readFully(b);
      add(offset, b, b.length);
    }
  }
}
