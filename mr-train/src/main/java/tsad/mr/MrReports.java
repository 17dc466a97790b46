package tsad.mr;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.CounterGroup;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.TaskInputOutputContext;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.data.RejectSink;
import tsad.proto.DataSummary;

/** Rejects of a task go to the quarantine output (one TSV line each) and all counts to job counters. */
final class MrReports {
  static final String QUARANTINE = "quarantine";

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
    ctx.getCounter(DataCounter.ROWS_READ).increment(s.getRowsRead());
    ctx.getCounter(DataCounter.ROWS_USED).increment(s.getRowsUsed());
    ctx.getCounter(DataCounter.SLICES_READ).increment(s.getSlicesRead());
    ctx.getCounter(DataCounter.SLICES_USED).increment(s.getSlicesUsed());
    ctx.getCounter(DataCounter.WINDOWS_MADE).increment(s.getWindows());
    s.getRowsRejectedByReasonMap().forEach((k, v) -> ctx.getCounter(DataCounter.ROWS_REJECTED_GROUP, k).increment(v));
    s.getSlicesRejectedByReasonMap().forEach((k, v) ->
        ctx.getCounter(DataCounter.SLICES_REJECTED_GROUP, k).increment(v));
  }

  /** The job's counts as a summary of {@code source}: the counters {@link #count} wrote, reason by reason. */
  static DataSummary summary(Counters c, String source) {
    DataSummary.Builder b = DataSummary.newBuilder().setSource(source)
        .setRowsRead(c.findCounter(DataCounter.ROWS_READ).getValue())
        .setRowsUsed(c.findCounter(DataCounter.ROWS_USED).getValue())
        .setSlicesRead(c.findCounter(DataCounter.SLICES_READ).getValue())
        .setSlicesUsed(c.findCounter(DataCounter.SLICES_USED).getValue())
        .setWindows(c.findCounter(DataCounter.WINDOWS_MADE).getValue());
    long rows = 0;
    long slices = 0;
    for (RejectReason reason : RejectReason.values()) {
      long r = value(c, DataCounter.ROWS_REJECTED_GROUP, reason);
      long s = value(c, DataCounter.SLICES_REJECTED_GROUP, reason);
      if (r > 0) {
        b.putRowsRejectedByReason(reason.label(), r);
        rows += r;
      }
      if (s > 0) {
        b.putSlicesRejectedByReason(reason.label(), s);
        slices += s;
      }
    }
    return b.setRowsRejected(rows).setSlicesRejected(slices).build();
  }

  private static long value(Counters c, String group, RejectReason reason) {
    CounterGroup g = c.getGroup(group);
    Counter counter = g.findCounter(reason.label(), false);
    return counter == null ? 0 : counter.getValue();
  }
}
