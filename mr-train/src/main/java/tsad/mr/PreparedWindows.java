package tsad.mr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import tsad.core.data.DataException;
import tsad.core.window.Window;
import tsad.proto.PreparedData;
import tsad.proto.WindowRecord;

/** Reads the output of {@code tsad prepare}: its manifest and its windows (local or HDFS). */
public final class PreparedWindows {
  private PreparedWindows() {}

  /** A prepared directory read whole. */
  public record Loaded(PreparedData manifest, List<Window> windows) {}

  /** Reads manifest and windows of a prepared directory given as a path or URI (hdfs://, file:). */
  public static Loaded load(String dir) {
    Configuration conf = new Configuration();
    Path p = new Path(dir);
    try {
      PreparedData m = manifest(p, conf);
      List<Window> w = read(p, conf);
      if (w.isEmpty()) {
        throw new DataException(dir + " holds no windows (" + m.getSummary().getRowsRead() + " rows were read, "
            + m.getSummary().getRowsRejected() + " rejected; see " + dir + "/quarantine)");
      }
      return new Loaded(m, w);
    } catch (IOException e) {
      throw new DataException("cannot read prepared data " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The manifest (data spec and counts) of a prepared directory. */
  public static PreparedData manifest(Path dir, Configuration conf) throws IOException {
    Path m = new Path(dir, PrepareJob.MANIFEST);
    FileSystem fs = m.getFileSystem(conf);
    if (!fs.exists(m)) {
      throw new DataException(dir + " is not the output of tsad prepare (" + PrepareJob.MANIFEST + " is missing)");
    }
    try (var in = fs.open(m)) {
      return PreparedData.parseFrom(in);
    }
  }

  /** All windows, in part-file order. */
  public static List<Window> read(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    List<Window> out = new ArrayList<>();
    FileStatus[] parts = fs.globStatus(new Path(dir, "part-r-*"));
    java.util.Arrays.sort(parts);
    Text key = new Text();
    BytesWritable value = new BytesWritable();
    for (FileStatus st : parts) {
      try (SequenceFile.Reader r = new SequenceFile.Reader(conf, SequenceFile.Reader.file(st.getPath()))) {
        while (r.next(key, value)) {
          out.add(Window.fromProto(WindowRecord.parseFrom(java.util.Arrays.copyOf(value.getBytes(), value.getLength()))));
        }
      }
    }
    return out;
  }
}
