package tsad.mr;

import java.io.IOException;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import tsad.core.data.CsvRowParser;
import tsad.core.data.DataReport;
import tsad.core.data.RejectSink;
import tsad.core.window.Inputs;
import tsad.proto.DataSpec;

/**
 * Parses CSV lines (in batches, {@link LineBatchInputFormat}) with the one CSV row parser; good rows go to the
 * secondary sort, bad ones to quarantine.
 */
public class PrepareMapper extends Mapper<LongWritable, LineBatch, SliceTimeKey, RowWritable> {
  private final SliceTimeKey key = new SliceTimeKey();
  private final RowWritable row = new RowWritable();
  private CsvRowParser parser;
  private String header;
  private int fileRank;
  private DataReport report;
  private RejectSink quarantine;

  /** Runs the task as Hadoop does, keeping its error, if it fails, for the job's message ({@link TaskFailures}). */
  @Override
  public void run(Context ctx) throws IOException, InterruptedException {
    TaskFailures.watch(ctx, () -> super.run(ctx));
  }

  @Override
  protected void setup(Context ctx) {
    DataSpec spec = PrepareJob.dataSpec(ctx.getConfiguration());
    header = ctx.getConfiguration().get(JobKeys.HEADER);
    String file = ((FileSplit) ctx.getInputSplit()).getPath().toString();
    fileRank = PrepareJob.fileRank(ctx.getConfiguration(), file);
    parser = CsvRowParser.fromHeader(header, Inputs.csvOptions(spec, ctx.getConfiguration()
        .getBoolean(JobKeys.STRICT, false)), file + " byte");
    quarantine = quarantine(ctx);
    report = new DataReport(quarantine);
  }

  @Override
  protected void map(LongWritable ordinal, LineBatch lines, Context ctx) throws IOException, InterruptedException {
    for (int i = 0; i < lines.size(); i++) {
      long offset = lines.offset(i);
      if (offset == 0 && isHeader(lines.line(i))) {
        continue; // each file's header row
      }
      // From the bytes, as the local reader does: a line that is not UTF-8 is rejected, not decoded by a guess.
      CsvRowParser.Row r = parser.parse(lines.buffer(), lines.start(i), lines.length(i), offset, report);
      if (r != null) {
        ctx.write(key.set(r.sliceId(), r.timeMs(), fileRank, offset), row.set(r.timeMs(), r.values()));
      }
    }
  }

  private boolean isHeader(String line) {
    return line.equals(header) || line.equals("\uFEFF" + header);
  }

  @Override
  protected void cleanup(Context ctx) throws IOException, InterruptedException {
    MrReports.count(report, ctx);
    MrReports.close(quarantine);
  }

  /** Where this task's rejects go: the quarantine named output (the MRUnit tests collect them instead). */
  RejectSink quarantine(Context ctx) {
    return new MrReports.Quarantine(ctx);
  }
}
