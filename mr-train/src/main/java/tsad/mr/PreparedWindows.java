package tsad.mr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import com.google.protobuf.InvalidProtocolBufferException;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.data.Series;
import tsad.core.data.SliceSample;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.core.window.WindowList;
import tsad.proto.DataSpec;
import tsad.proto.PreparedData;

/**
 * Reads the output of {@code tsad prepare} (local or HDFS): its manifest, and its windows, cut from the stored
 * series with the one window builder.
 */
public final class PreparedWindows {
  private PreparedWindows() {}

  /** A prepared directory read whole. */
  public record Loaded(PreparedData manifest, List<Window> windows, DataReport report) {}

  /** Reads manifest and windows of a prepared directory given as a path or URI (hdfs://, file:). */
  public static Loaded load(String dir) {
    return load(dir, SliceSample.ALL);
  }

  /**
   * The same, keeping only the windows of the slices in {@code sample}: the others are read past, so memory holds
   * the sample alone. The report holds the prepare job's counts and the slices left out.
   */
  public static Loaded load(String dir, SliceSample sample) {
    Configuration conf = new Configuration();
    Path p = new Path(dir);
    try {
      PreparedData m = manifest(p, conf);
      DataReport report = DataReport.of(m.getSummary());
      List<Window> w = read(p, conf, m, sample, report);
      if (w.isEmpty()) {
        throw new DataException(dir + " holds no windows" + (sample.all() ? "" : " in the sample") + " ("
            + m.getSummary().getRowsRead() + " rows were read, " + m.getSummary().getRowsRejected() + " rejected; see "
            + dir + "/quarantine)");
      }
      return new Loaded(m, w, report);
    } catch (IOException e) {
      throw new DataException("cannot read prepared data " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The manifest (data spec and counts) of a prepared directory, once the directory is checked whole
   * ({@link PreparedDir#open}); refuses the layout of older versions.
   */
  public static PreparedData manifest(Path dir, Configuration conf) throws IOException {
    return PreparedDir.open(dir, conf);
  }

  /** All windows, in part-file order, cut with the spec the data was prepared with. */
  public static List<Window> read(Path dir, Configuration conf, PreparedData manifest) throws IOException {
    return read(dir, conf, manifest, SliceSample.ALL, new DataReport());
  }

  /** The windows of the slices in {@code sample}; each slice left out is counted in {@code report}. */
  static List<Window> read(Path dir, Configuration conf, PreparedData manifest, SliceSample sample,
      DataReport report) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Cutter cutter = new Cutter(manifest.getData());
    List<List<Window>> out = new ArrayList<>();
    FileStatus[] parts = fs.globStatus(new Path(dir, "part-r-*"));
    java.util.Arrays.sort(parts);
    Text key = new Text();
    BytesWritable value = new BytesWritable();
    for (FileStatus st : parts) {
      PreparedDir.Digest records = new PreparedDir.Digest();
      try (SequenceFile.Reader r = new SequenceFile.Reader(conf, SequenceFile.Reader.file(st.getPath()))) {
        while (r.next(key, value)) {
          records.add(key, value);
          try {
            List<Window> w = cutter.windows(ByteBuffer.wrap(value.getBytes(), 0, value.getLength()));
            if (sample.keep(key.toString())) {
              out.add(w);
            } else {
              report.sampledOut(w.size());
            }
          } catch (Rejected e) {
            throw new DataException(st.getPath() + ": record " + key + ": " + e.getMessage());
          }
        }
      } catch (ChecksumException e) {
        throw PreparedDir.damaged(dir, st.getPath(), e);
      }
      PreparedDir.checkRecords(dir, manifest, st.getPath().getName(), records);
    }
    return WindowList.of(out);
  }

  /** A prepared record that gives no windows, with the reason for the quarantine. */
  public static final class Rejected extends RuntimeException {
    private final RejectReason reason;

    Rejected(RejectReason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }

    /** Why the record gives no windows. */
    public RejectReason reason() {
      return reason;
    }
  }

  /**
   * Cuts the windows of serialized series records with one data spec (the prepared data's own, or a model's):
   * the readers' half of the prepare job.
   */
  public static final class Cutter {
    private final WindowBuilder builder;
    private final int features;
    private RejectReason sliceReason;
    private String sliceDetail;
    private Series last;
    // Slice rejects are kept for the caller's quarantine; rows cut by truncation were quarantined by prepare.
    private final DataReport report = new DataReport((where, reason, detail, record) -> {
      if (reason != RejectReason.IN_REJECTED_SLICE && reason != RejectReason.TRUNCATED) {
        sliceReason = reason;
        sliceDetail = detail;
      }
    });

    /** A cutter for the windows a data spec describes. */
    public Cutter(DataSpec spec) {
      this.builder = new WindowBuilder(Inputs.windowSpec(spec));
      this.features = spec.getFeatureColumnsCount();
    }

    /** The series of the last record {@link #windows} read. */
    public Series series() {
      return last;
    }

    /** The windows of one serialized series; a record that is unreadable or gives none is {@link Rejected}. */
    public List<Window> windows(ByteBuffer record) {
      Series s;
      try {
        s = Series.fromProto(record);
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        throw new Rejected(RejectReason.UNREADABLE_WINDOW, "unreadable series record: " + e.getMessage());
      }
      if (s.features() != features) {
        throw new Rejected(RejectReason.WRONG_SHAPE, "series " + s.id() + " has " + s.features()
            + " features, the model takes " + features + " (prepared with other columns?)");
      }
      sliceReason = null;
      last = s;
      List<Window> w = builder.build(s, report);
      if (w.isEmpty()) {
        throw sliceReason != null ? new Rejected(sliceReason, sliceDetail)
            : new Rejected(RejectReason.TOO_SHORT, "series " + s.id() + " is empty");
      }
      return w;
    }
  }
}
