package tsad.mr;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.Mapper;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.RejectReason;
import tsad.core.data.RejectSink;
import tsad.core.model.TorchRuntime;
import tsad.core.score.ScoreLines;
import tsad.core.score.Scorer;
import tsad.core.score.ScoringSession;
import tsad.core.window.Window;
import tsad.proto.BundlePack;

/**
 * Scores prepared slices: loads the bundle once per task from the distributed cache (verifying every sha256),
 * cuts each stored series into the model's windows, scores them in batches under one native scope per batch,
 * and writes one JSON line (or TSV row) per slice or per window ({@code --per}). Its input records are batches
 * of prepared series ({@link RecordBatchInputFormat}); a slice is one record, so a slice's windows are all in
 * one task. A record that cannot be scored (unreadable, other features than the model's, too short for its
 * window) is counted as rejected and written to the quarantine output with its reason.
 */
public class ScoreMapper extends Mapper<LongWritable, RecordBatch, NullWritable, Text> {
  private final Text text = new Text();
  private ScoringSession session;
  private ScoringSession.Lines lines;
  private PreparedWindows.Cutter cutter;
  private Counter rejected;
  private RejectSink quarantine;
  private Context context;

  private long startNanos;
  private long linesNanos;
  private long writeNanos;

  /** Runs the task as Hadoop does, keeping its error, if it fails, for the job's message ({@link TaskFailures}). */
  @Override
  public void run(Context ctx) throws IOException, InterruptedException {
    TaskFailures.watch(ctx, () -> super.run(ctx));
  }

  @Override
  protected void setup(Context ctx) throws IOException {
    startNanos = System.nanoTime();
    context = ctx;
    Configuration conf = ctx.getConfiguration();
    TorchRuntime.threads(conf.getInt(JobKeys.THREADS, 1));
    ModelBundle bundle = ModelBundle.load("distributed cache (" + conf.get(JobKeys.MODEL) + ")", shipped(ctx));
    session = new ScoringSession(bundle, ScoringSession.Identity.of(conf.get(JobKeys.MODEL_NAME, ""),
        conf.get(JobKeys.MODEL_VERSION, ""), bundle));
    ctx.getCounter(ScoreCounter.MODEL_LOAD_MS).increment((System.nanoTime() - startNanos) / 1_000_000);
    rejected = ctx.getCounter(ScoreCounter.REJECTED);
    // The model's own windowing: whatever spec the data was prepared with, the model gets the windows it takes.
    cutter = new PreparedWindows.Cutter(bundle.dataSpec());
    lines = session.lines(conf.get(JobKeys.FORMAT, "jsonl"), ScoreLines.Per.parse(conf.get(JobKeys.PER, "slice")),
        conf.getInt(JobKeys.BATCH, Scorer.DEFAULT_BATCH), false, this::write);
    quarantine = quarantine(ctx);
  }

  /** The bundle the job shipped through the distributed cache (its one cache file), read through Hadoop. */
  private static BundlePack shipped(Context ctx) throws IOException {
    Configuration conf = ctx.getConfiguration();
    URI[] cached = ctx.getCacheFiles();
    for (URI u : cached == null ? new URI[0] : cached) {
      if (ScoreJob.CACHE_NAME.equals(u.getFragment())) {
        Path p = new Path(u.getScheme() == null ? u.getPath() : u.getScheme() + "://" + (u.getAuthority() == null ? ""
            : u.getAuthority()) + u.getPath());
        try (InputStream in = p.getFileSystem(conf).open(p)) {
          return BundlePack.parseFrom(in);
        }
      }
    }
    throw new IOException("the job shipped no model: no cache file named #" + ScoreJob.CACHE_NAME + " (submit it with "
        + "tsad score --mapreduce)");
  }

  @Override
  protected void map(LongWritable ordinal, RecordBatch records, Context ctx) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    for (int i = 0; i < records.size(); i++) {
      List<Window> windows;
      try {
        windows = cutter.windows(records.value(i));
      } catch (PreparedWindows.Rejected e) {
        reject(e.reason(), records.key(i), e.getMessage());
        continue;
      }
      if (lines.perRow()) {
        lines.series(cutter.series());
      }
      // Window by window from the builder's view, so a slice of millions of windows is scored a call at a time
      // (its lines continue across calls) and never held as objects all at once.
      for (int k = 0; k < windows.size(); k++) {
        lines.add(windows.get(k));
      }
    }
    linesNanos += System.nanoTime() - t0;
  }

  /** Counts a record that cannot be scored and quarantines it with its reason: nothing vanishes. */
  private void reject(RejectReason reason, String key, String detail) {
    rejected.increment(1);
    quarantine.reject(key, reason, String.valueOf(detail), "-");
  }

  /** Where this task's rejects go: the quarantine named output (the MRUnit tests collect them instead). */
  RejectSink quarantine(Context ctx) {
    return new MrReports.Quarantine(ctx);
  }

  /**
   * Writes a block of completed lines as one output record (TextOutputFormat ends its last line), so the output
   * side's per-record bookkeeping is paid once per block, not once per window or slice.
   */
  private void write(StringBuilder block) throws IOException {
    long t0 = System.nanoTime();
    text.set(block.substring(0, block.length() - 1).getBytes(StandardCharsets.UTF_8));
    try {
      context.write(NullWritable.get(), text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while writing scores");
    }
    writeNanos += System.nanoTime() - t0;
  }

  @Override
  protected void cleanup(Context ctx) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    try (ScoringSession s = session) {
      lines.finish();
    }
    linesNanos += System.nanoTime() - t0;
    MrReports.close(quarantine);
    ScoreLines n = lines.counts();
    ctx.getCounter(ScoreCounter.WINDOWS_SCORED).increment(n.windows());
    ctx.getCounter(ScoreCounter.ANOMALOUS_WINDOWS).increment(n.anomalousWindows());
    ctx.getCounter(ScoreCounter.SLICES_SCORED).increment(n.slices());
    ctx.getCounter(ScoreCounter.ANOMALOUS_SLICES).increment(n.anomalousSlices());
    // Where a task's time goes (totals over tasks): the benchmark compares them with the bare forward pass.
    long scorer = lines.scorerNanos();
    ctx.getCounter(ScoreCounter.SCORER_MS).increment(scorer / 1_000_000);
    ctx.getCounter(ScoreCounter.LINES_MS).increment((linesNanos - scorer) / 1_000_000);
    ctx.getCounter(ScoreCounter.WRITE_MS).increment(writeNanos / 1_000_000);
    ctx.getCounter(ScoreCounter.TASK_MS).increment((System.nanoTime() - startNanos) / 1_000_000);
    if (ctx.getConfiguration().getBoolean(JobKeys.FAIL_FIRST_ATTEMPT, false) && ctx.getTaskAttemptID().getId() == 0) {
      throw new IOException("injected failure of attempt " + ctx.getTaskAttemptID() + " ("
          + JobKeys.FAIL_FIRST_ATTEMPT + ")");
    }
  }
}
