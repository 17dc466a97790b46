package tsad.mr;

import java.io.IOException;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import tsad.core.data.DataReport;
import tsad.core.data.RejectSink;
import tsad.core.data.SeriesBuilder;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.proto.DataSpec;

/**
 * Receives one slice's rows in time order, builds the series (duplicate timestamps counted) and its
 * windows with the one window builder, and writes each window as a protobuf WindowRecord.
 */
public class PrepareReducer extends Reducer<SliceTimeKey, RowWritable, Text, BytesWritable> {
  private final Text outKey = new Text();
  private final BytesWritable outValue = new BytesWritable();
  private WindowBuilder builder;
  private int features;
  private boolean strict;
  private DataReport report;
  private MultipleOutputs<Text, BytesWritable> mos;

  @Override
  protected void setup(Context ctx) {
    DataSpec spec = PrepareJob.dataSpec(ctx.getConfiguration());
    builder = new WindowBuilder(Inputs.windowSpec(spec));
    features = spec.getFeatureColumnsCount();
    strict = ctx.getConfiguration().getBoolean(PrepareJob.STRICT, false);
    report = new DataReport(quarantine(ctx));
  }

  @Override
  protected void reduce(SliceTimeKey key, Iterable<RowWritable> rows, Context ctx)
      throws IOException, InterruptedException {
    // The grouping comparator hands all rows of one slice, sorted by (time, file, offset) by the secondary sort.
    SeriesBuilder series = null;
    for (RowWritable r : rows) {
      if (series == null) {
        series = new SeriesBuilder(key.slice(), features);
      }
      series.add(r.timeMs(), r.values());
    }
    if (series == null) {
      return;
    }
    for (Window w : builder.build(series.build(report, strict), report)) {
      byte[] b = w.toProto().toByteArray();
      outKey.set(w.id());
      outValue.set(b, 0, b.length);
      ctx.write(outKey, outValue);
    }
  }

  @Override
  protected void cleanup(Context ctx) throws IOException, InterruptedException {
    MrReports.count(report, ctx);
    if (mos != null) {
      mos.close();
    }
  }

  /** Where this task's rejects go: the quarantine named output (the MRUnit tests collect them instead). */
  RejectSink quarantine(Context ctx) {
    mos = new MultipleOutputs<>(ctx);
    return MrReports.quarantine(mos);
  }
}
