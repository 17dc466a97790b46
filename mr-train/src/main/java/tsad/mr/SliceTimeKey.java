package tsad.mr;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableComparable;
import org.apache.hadoop.io.WritableComparator;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.mapreduce.Partitioner;

/**
 * The composite key of the secondary sort: rows are partitioned and grouped by slice id and sorted by
 * time within a slice, so a reducer sees each slice's rows in time order (Hadoop's SecondarySort idiom).
 */
public final class SliceTimeKey implements WritableComparable<SliceTimeKey> {
  private final Text slice = new Text();
  private long timeMs;
  private int fileRank;
  private long offset;

  /**
   * Sets the key (keys are reused by Hadoop). The file's rank among the job's inputs and the byte offset only
   * break ties between rows with the same slice and time, so "the first row of a duplicate timestamp wins" means
   * first in file order, as in the local CSV reader, whatever order the map tasks finish in. A rank, not the
   * file's path: the path would make every row's key ~50 bytes longer through the shuffle.
   */
  public SliceTimeKey set(String sliceId, long time, int sourceFileRank, long byteOffset) {
    slice.set(sliceId);
    timeMs = time;
    fileRank = sourceFileRank;
    offset = byteOffset;
    return this;
  }

  /** The slice id. */
  public String slice() {
    return slice.toString();
  }

  /** The row's time in epoch millis. */
  public long timeMs() {
    return timeMs;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    slice.write(out);
    out.writeLong(timeMs);
    WritableUtils.writeVInt(out, fileRank);
    WritableUtils.writeVLong(out, offset);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    slice.readFields(in);
    timeMs = in.readLong();
    fileRank = WritableUtils.readVInt(in);
    offset = WritableUtils.readVLong(in);
  }

  @Override
  public int compareTo(SliceTimeKey o) {
    int c = slice.compareTo(o.slice);
    c = c != 0 ? c : Long.compare(timeMs, o.timeMs);
    c = c != 0 ? c : Integer.compare(fileRank, o.fileRank);
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceTimeKey k && compareTo(k) == 0;
  }

  @Override
  public int hashCode() {
    return slice.hashCode() * 31 + Long.hashCode(timeMs);
  }

  /**
   * Sorts serialized keys without deserializing them (slice bytes, then time, file rank, offset), as
   * {@link #compareTo} does; the sort of the shuffle is the prepare job's hot loop.
   */
  public static final class RawComparator extends WritableComparator {
    /** Creates the comparator for {@link SliceTimeKey}. */
    public RawComparator() {
      super(SliceTimeKey.class);
    }

    @Override
    public int compare(byte[] b1, int s1, int l1, byte[] b2, int s2, int l2) {
      try {
        int[] a = textBounds(b1, s1);
        int[] b = textBounds(b2, s2);
        int c = compareBytes(b1, a[0], a[1], b2, b[0], b[1]);
        if (c != 0) {
          return c;
        }
        int ta = a[0] + a[1];
        int tb = b[0] + b[1];
        c = Long.compare(readLong(b1, ta), readLong(b2, tb));
        if (c != 0) {
          return c;
        }
        int ra = ta + 8;
        int rb = tb + 8;
        c = Integer.compare(readVInt(b1, ra), readVInt(b2, rb));
        return c != 0 ? c : Long.compare(readVLong(b1, ra + WritableUtils.decodeVIntSize(b1[ra])),
            readVLong(b2, rb + WritableUtils.decodeVIntSize(b2[rb])));
      } catch (IOException e) {
        throw new IllegalArgumentException("corrupt SliceTimeKey bytes", e);
      }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public int compare(WritableComparable a, WritableComparable b) {
      return ((SliceTimeKey) a).compareTo((SliceTimeKey) b);
    }
  }

  /** {start, length} of the bytes of a serialized Text (a vint length, then UTF-8) starting at {@code at}. */
  static int[] textBounds(byte[] b, int at) throws IOException {
    int n = WritableComparator.readVInt(b, at);
    int start = at + WritableUtils.decodeVIntSize(b[at]);
    return new int[] {start, n};
  }

  /** Sends all rows of a slice to one reducer. */
  public static final class SlicePartitioner extends Partitioner<SliceTimeKey, RowWritable> {
    @Override
    public int getPartition(SliceTimeKey key, RowWritable value, int partitions) {
      return (key.slice.hashCode() & Integer.MAX_VALUE) % partitions;
    }
  }

  /** Groups the rows of one slice into one reduce call, whatever their times. */
  public static final class SliceGroupingComparator extends WritableComparator {
    /** Creates the comparator for {@link SliceTimeKey}. */
    public SliceGroupingComparator() {
      super(SliceTimeKey.class, true);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public int compare(WritableComparable a, WritableComparable b) {
      return ((SliceTimeKey) a).slice.compareTo(((SliceTimeKey) b).slice);
    }

    @Override
    public int compare(byte[] b1, int s1, int l1, byte[] b2, int s2, int l2) {
      try {
        int[] a = textBounds(b1, s1);
        int[] b = textBounds(b2, s2);
        return compareBytes(b1, a[0], a[1], b2, b[0], b[1]);
      } catch (IOException e) {
        throw new IllegalArgumentException("corrupt SliceTimeKey bytes", e);
      }
    }
  }
}
