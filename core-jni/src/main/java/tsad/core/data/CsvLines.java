package tsad.core.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a byte stream as bytes, each ending at {@code \n}, {@code \r\n} or {@code \r} (the line ends Java's
 * {@code BufferedReader} and Hadoop's line reader know), so that {@link CsvRowParser} decodes each line itself and
 * refuses bytes that are not UTF-8 instead of having them replaced on the way.
 */
public final class CsvLines implements Closeable {
  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private int length;
  private boolean afterCr;

  /** Reads the lines of {@code in} (closed with this). */
  public CsvLines(InputStream in) {
    this.in = in;
  }

  /** Moves to the next line; false at the end of the stream (a last line without a line end is a line). */
  public boolean next() throws IOException {
    length = 0;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return any;
        }
      }
      if (afterCr) {
        afterCr = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
        pos++;
      }
      append(start, pos - start);
      any = true;
      if (pos < limit) {
        afterCr = buf[pos] == '\r';
        pos++;
        return true;
      }
    }
  }

  private void append(int start, int n) {
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.max(length + n, line.length * 2));
    }
    System.arraycopy(buf, start, line, length, n);
    length += n;
  }

  /** The current line's bytes, from 0 to {@link #length()} (the array is reused by the next line). */
  public byte[] bytes() {
    return line;
  }

  /** The current line's length in bytes, without its line end. */
  public int length() {
    return length;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
