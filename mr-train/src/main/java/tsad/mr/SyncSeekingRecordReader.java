package tsad.mr;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileRecordReader;

/**
 * Hadoop's SequenceFile record reader, with the sync mark that starts a split found by a bulk search. Hadoop's own
 * search reads the file a byte at a time (~20 ns a byte here), and a prepared slice of millions of steps is one
 * record of tens of MB: a split starting inside it would scan to the record's end for seconds. The split is then handed to Hadoop's reader starting at
 * the sync mark Hadoop would have found, so the records each split reads are the same (tested).
 */
final class SyncSeekingRecordReader extends SequenceFileRecordReader<Text, BytesWritable> {
  /** Bytes of a sync mark (SequenceFile's SYNC_HASH_SIZE); in the file each follows a 4-byte escape. */
  private static final int SYNC = 16;
  private static final int ESCAPE = 4;

  @Override
  public void initialize(InputSplit split, TaskAttemptContext ctx) throws IOException, InterruptedException {
    FileSplit f = (FileSplit) split;
    if (f.getStart() == 0) { // a file's first split starts at its header: no sync mark to look for
      super.initialize(split, ctx);
      return;
    }
    Configuration conf = ctx.getConfiguration();
    FileSystem fs = f.getPath().getFileSystem(conf);
    long length = fs.getFileStatus(f.getPath()).getLen();
    long at;
    // One stream for the header (parsed by Hadoop, which gives where it ends) and the search.
    try (FSDataInputStream in = fs.open(f.getPath(), 1 << 20);
         SequenceFile.Reader header = new SequenceFile.Reader(conf, SequenceFile.Reader.stream(in),
             SequenceFile.Reader.length(length))) {
      long headerEnd = header.getPosition();
      if (f.getStart() <= headerEnd) { // Hadoop reads such a split from the header too
        super.initialize(split, ctx);
        return;
      }
      at = nextSync(in, f.getStart(), headerEnd, length);
    }
    long end = f.getStart() + f.getLength();
    super.initialize(new FileSplit(f.getPath(), at, Math.max(0, end - at), f.getLocations()), ctx);
  }

  /**
   * Where {@code SequenceFile.Reader.sync(from)} would leave the reader: at the escape of the first sync mark that
   * starts at least 4 bytes after {@code from} and ends before the file does, or at the file's end if there is none.
   */
  private static long nextSync(FSDataInputStream in, long from, long headerEnd, long length) throws IOException {
    if (from + ESCAPE + SYNC >= length) {
      return length;
    }
    byte[] sync = new byte[SYNC];
    in.readFully(headerEnd - SYNC, sync); // the header ends with the file's sync mark
    in.seek(from + ESCAPE);
    byte[] buf = new byte[1 << 20];
    long base = from + ESCAPE;
    int have = 0;
    for (int n; (n = in.read(buf, have, buf.length - have)) >= 0; ) {
      have += n;
      for (int i = 0; i + SYNC <= have; i++) {
        if (buf[i] == sync[0] && matches(buf, i, sync)) {
          long mark = base + i;
          return mark + SYNC < length ? mark - ESCAPE : length;
        }
      }
      int keep = Math.min(have, SYNC - 1); // a mark may straddle two reads
      System.arraycopy(buf, have - keep, buf, 0, keep);
      base += have - keep;
      have = keep;
    }
    return length;
  }

  private static boolean matches(byte[] buf, int at, byte[] sync) {
    for (int j = 1; j < SYNC; j++) {
      if (buf[at + j] != sync[j]) {
        return false;
      }
    }
    return true;
  }
}
