package tsad.mr;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;
import tsad.core.data.DataReport;
import tsad.core.data.RejectSink;
import tsad.core.data.Series;
import tsad.core.data.SeriesBuilder;
import tsad.core.scale.FeatureStatistics;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.proto.DataSpec;
import tsad.proto.PreparedData;
import tsad.proto.PreparedPart;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * Receives one slice's rows in time order, builds the series (duplicate timestamps counted) and its
 * windows with the one window builder, and writes the series of every slice that gives windows as a protobuf
 * SeriesRecord; it also sums the per-feature statistics of the windows (what the standard and min-max scalers
 * need) for the job's manifest.
 */
public class PrepareReducer extends Reducer<SliceTimeKey, RowWritable, Text, BytesWritable> {
  private final Text outKey = new Text();
  private final BytesWritable outValue = new BytesWritable();
  private WindowBuilder builder;
  private int features;
  private boolean strict;
  private DataReport report;
  private RejectSink quarantine;
  private FeatureStatistics stats;
  private final PreparedDir.Digest written = new PreparedDir.Digest();

  /** Runs the task as Hadoop does, keeping its error, if it fails, for the job's message ({@link TaskFailures}). */
  @Override
  public void run(Context ctx) throws IOException, InterruptedException {
    TaskFailures.watch(ctx, () -> super.run(ctx));
  }

  @Override
  protected void setup(Context ctx) {
    DataSpec spec = PrepareJob.dataSpec(ctx.getConfiguration());
    builder = new WindowBuilder(Inputs.windowSpec(spec));
    features = spec.getFeatureColumnsCount();
    stats = new FeatureStatistics(spec.getFeatureColumnsList());
    strict = ctx.getConfiguration().getBoolean(JobKeys.STRICT, false);
    if (strict) {
      builder = builder.strict(ctx.getConfiguration().get(JobKeys.SOURCE, "the input"));
    }
    quarantine = quarantine(ctx);
    report = new DataReport(quarantine);
  }

  @Override
  protected void reduce(SliceTimeKey key, Iterable<RowWritable> rows, Context ctx)
      throws IOException, InterruptedException {
    Series built = series(key, rows);
    if (built == null) {
      return;
    }
    List<Window> windows = builder.build(built, report);
    if (windows.isEmpty()) {
      return; // rejected by the builder: counted and quarantined there
    }
    for (Window w : windows) {
      stats.add(w);
    }
    // The series, not its windows: readers cut the same windows with the same builder, and overlapping windows
    // are not stored once each.
    // Written straight into the output value (the same bytes as the generated code), not through a message and a
    // byte array of its own: one slice of millions of steps then needs its series and its record, no more.
    outValue.setSize(0);
    outValue.setSize(built.serializedSize());
    built.writeTo(outValue.getBytes());
    outKey.set(built.id());
    ctx.write(outKey, outValue);
    written.add(outKey, outValue);
  }

  /**
   * The slice's series, or null if it has no rows; in a method of its own so that the builder's arrays are garbage
   * before the record is written (a slice of millions of rows).
   */
  private Series series(SliceTimeKey key, Iterable<RowWritable> rows) {
    // The grouping comparator hands all rows of one slice, sorted by (time, file, offset) by the secondary sort.
    SeriesBuilder series = null;
    for (RowWritable r : rows) {
      if (series == null) {
        series = new SeriesBuilder(key.slice(), features);
      }
      series.add(r.timeMs(), r.values());
    }
    return series == null ? null : series.build(report, strict);
  }

  @Override
  protected void cleanup(Context ctx) throws IOException, InterruptedException {
    MrReports.count(report, ctx);
    // The part file's name, record count and digest go into the job's report: readers refuse a lost or other part.
    PreparedPart part = PreparedPart.newBuilder().setName(FileOutputFormat.getUniqueFile(ctx, "part", ""))
        .setRecords(written.records()).setSha256(written.hex()).setRecordHashSum(written.hashSum()).build();
    saveStats(ctx, PreparedData.newBuilder().addAllFeatureStats(stats.toProto()).addParts(part).build());
    MrReports.close(quarantine);
  }

  /**
   * Writes this task's feature statistics and the record of its part file next to that file, in the task's work
   * directory so they are committed (or discarded) with the task's output: a retried task leaves one file, not two.
   */
  void saveStats(Context ctx, PreparedData taskStats) throws IOException, InterruptedException {
    Path file = new Path(FileOutputFormat.getWorkOutputPath(ctx),
        PrepareJob.STATS_PREFIX + ctx.getTaskAttemptID().getTaskID().getId());
    TaskFailures.on(ctx, "writing", new Path(FileOutputFormat.getOutputPath(ctx), file.getName()), () -> {
      try (var out = file.getFileSystem(ctx.getConfiguration()).create(file, false)) {
        taskStats.writeTo(out);
      }
    });
  }

  /** Where this task's rejects go: the quarantine named output (the MRUnit tests collect them instead). */
  RejectSink quarantine(Context ctx) {
    return new MrReports.Quarantine(ctx);
  }
}
