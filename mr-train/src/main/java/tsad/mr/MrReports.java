package tsad.mr;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.TaskInputOutputContext;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.data.RejectSink;
import tsad.proto.DataSummary;

/** Rejects of a task go to the quarantine output (one TSV line each) and all counts to job counters. */
final class MrReports {
  static final String QUARANTINE = "quarantine";
  static final String ROWS = "tsad rows";
  static final String SLICES = "tsad slices";
  static final String WINDOWS = "tsad windows";

  private MrReports() {}

  /**
   * A task's quarantine named output: "reason, where, detail, record" lines, opened at the first reject (a task
   * without rejects opens nothing) and closed by {@link #close(RejectSink)} in the task's cleanup.
   */
  static final class Quarantine implements RejectSink {
    private final TaskInputOutputContext<?, ?, ?, ?> ctx;
    private final Text line = new Text();
    private MultipleOutputs<?, ?> mos;

    Quarantine(TaskInputOutputContext<?, ?, ?, ?> ctx) {
      this.ctx = ctx;
    }

    @Override
    public void reject(String where, RejectReason reason, String detail, String record) {
      line.set(reason.label() + "\t" + where + "\t" + detail.replace('\t', ' ') + "\t" + record.replace('\t', ' '));
      try {
        if (mos == null) {
          mos = new MultipleOutputs<>(ctx);
        }
        mos.write(QUARANTINE, NullWritable.get(), line, QUARANTINE + "/part");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Closes a task's quarantine output if it is one and was opened (tests' in-memory sinks need nothing). */
  static void close(RejectSink sink) throws IOException, InterruptedException {
    if (sink instanceof Quarantine q && q.mos != null) {
      q.mos.close();
    }
  }

  /** Adds a task's report to the job counters (summed over tasks by Hadoop). */
  static void count(DataReport r, TaskInputOutputContext<?, ?, ?, ?> ctx) {
    DataSummary s = r.toSummary();
    ctx.getCounter(ROWS, "read").increment(s.getRowsRead());
    ctx.getCounter(ROWS, "used").increment(s.getRowsUsed());
    s.getRowsRejectedByReasonMap().forEach((k, v) -> ctx.getCounter(ROWS, "rejected " + k).increment(v));
    ctx.getCounter(SLICES, "read").increment(s.getSlicesRead());
    ctx.getCounter(SLICES, "used").increment(s.getSlicesUsed());
    s.getSlicesRejectedByReasonMap().forEach((k, v) -> ctx.getCounter(SLICES, "rejected " + k).increment(v));
    ctx.getCounter(WINDOWS, "made").increment(s.getWindows());
  }
}
