package tsad.mr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.Mapper;
import com.google.protobuf.InvalidProtocolBufferException;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.RejectReason;
import tsad.core.data.RejectSink;
import tsad.core.model.TorchRuntime;
import tsad.core.score.ScoreFormat;
import tsad.core.score.ScoreResult;
import tsad.core.score.Scorer;
import tsad.core.window.Window;
import tsad.proto.WindowMode;
import tsad.proto.WindowRecord;

/**
 * Scores prepared windows: loads the bundle once per task from the distributed cache (verifying every
 * sha256), scores in batches under one native scope per batch, writes one JSON line (or TSV row) per window.
 * Its input records are batches of prepared windows ({@link WindowBatchInputFormat}).
 * A record that cannot be scored (unreadable, or another window shape than the model's) is counted as rejected
 * and written to the quarantine output with its reason.
 */
public class ScoreMapper extends Mapper<LongWritable, WindowBatch, NullWritable, Text> {
  static final String COUNTERS = "tsad scoring";
  /** Test switch: the first attempt of every task fails after writing all its output (retry tests). */
  static final String FAIL_FIRST_ATTEMPT = "tsad.test.fail-first-attempt";
  private final List<Window> batch = new ArrayList<>();
  private final StringBuilder lines = new StringBuilder(1 << 16);
  private final Text text = new Text();
  private Scorer scorer;
  private int batchSize;
  private boolean windowMode;
  private boolean tsv;
  private String[] features;
  private String[] extra;
  private ScoreFormat.JsonLines json;
  private Counter scored;
  private Counter anomalies;
  private Counter rejected;
  private int steps;
  private int featureCount;
  private RejectSink quarantine;

  private long startNanos;
  private long scorerNanos;

  @Override
  protected void setup(Context ctx) throws IOException {
    startNanos = System.nanoTime();
    Configuration conf = ctx.getConfiguration();
    TorchRuntime.threads(conf.getInt(ScoreJob.THREADS, 1));
    Map<String, URI> files = new HashMap<>();
    for (URI u : ctx.getCacheFiles()) {
      if (u.getFragment() != null && u.getFragment().startsWith(ScoreJob.CACHE_PREFIX)) {
        files.put(u.getFragment().substring(ScoreJob.CACHE_PREFIX.length()), u);
      }
    }
    ModelBundle bundle = ModelBundle.load("distributed cache (" + conf.get(ScoreJob.MODEL) + ")", name -> {
      URI u = files.get(name);
      if (u == null) {
        throw new java.nio.file.NoSuchFileException(name);
      }
      Path p = new Path(u.getScheme() == null ? u.getPath() : u.getScheme() + "://" + (u.getAuthority() == null ? ""
          : u.getAuthority()) + u.getPath());
      try (InputStream in = p.getFileSystem(conf).open(p); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
        in.transferTo(out);
        return out.toByteArray();
      }
    });
    scorer = bundle.newScorer();
    ctx.getCounter(COUNTERS, "model load ms").increment((System.nanoTime() - startNanos) / 1_000_000);
    scored = ctx.getCounter(COUNTERS, "scored");
    anomalies = ctx.getCounter(COUNTERS, "anomalies");
    rejected = ctx.getCounter(COUNTERS, "rejected");
    steps = bundle.dataSpec().getWindowLength();
    featureCount = bundle.dataSpec().getFeatureColumnsCount();
    batchSize = conf.getInt(ScoreJob.BATCH, 256);
    windowMode = bundle.dataSpec().getMode() == WindowMode.WINDOW;
    tsv = "tsv".equals(conf.get(ScoreJob.FORMAT));
    features = bundle.dataSpec().getFeatureColumnsList().toArray(new String[0]);
    String name = conf.get(ScoreJob.MODEL_NAME, "");
    extra = name.isEmpty() ? new String[] {"model", conf.get(ScoreJob.MODEL)}
        : new String[] {"model", name, "version", conf.get(ScoreJob.MODEL_VERSION, "")};
    json = new ScoreFormat.JsonLines(windowMode, features, extra);
    quarantine = quarantine(ctx);
  }

  @Override
  protected void map(LongWritable ordinal, WindowBatch records, Context ctx) throws IOException, InterruptedException {
    for (int i = 0; i < records.size(); i++) {
      Window w;
      try {
        w = Window.fromProto(WindowRecord.parseFrom(records.value(i)));
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        reject(RejectReason.UNREADABLE_WINDOW, records.key(i), e.getMessage());
        continue;
      }
      if (w.steps() != steps || w.features() != featureCount) {
        reject(RejectReason.WRONG_SHAPE, records.key(i), "window is " + w.steps() + "x" + w.features()
            + ", the model takes " + steps + "x" + featureCount + " (prepared with other settings?)");
        continue;
      }
      batch.add(w);
      if (batch.size() >= batchSize) {
        flush(ctx);
      }
    }
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

  private void flush(Context ctx) throws IOException, InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    long flagged = 0;
    long t0 = System.nanoTime();
    List<ScoreResult> results = scorer.score(batch, batchSize, false);
    scorerNanos += System.nanoTime() - t0;
    // One output record per batch holding its lines (TextOutputFormat ends the last one): the output side's
    // per-record bookkeeping, like the counters, is then paid once per batch, not once per window.
    lines.setLength(0);
    for (ScoreResult r : results) {
      if (lines.length() > 0) {
        lines.append('\n');
      }
      if (tsv) {
        lines.append(ScoreFormat.tsv(r));
      } else {
        json.render(r, lines);
      }
      flagged += r.isAnomaly() ? 1 : 0;
    }
    text.set(lines.toString().getBytes(StandardCharsets.UTF_8));
    ctx.write(NullWritable.get(), text);
    scored.increment(batch.size());
    anomalies.increment(flagged);
    batch.clear();
  }

  @Override
  protected void cleanup(Context ctx) throws IOException, InterruptedException {
    flush(ctx);
    MrReports.close(quarantine);
    // Where a task's time goes (totals over tasks): the benchmark compares them with the bare forward pass.
    ctx.getCounter(COUNTERS, "scorer ms").increment(scorerNanos / 1_000_000);
    ctx.getCounter(COUNTERS, "task ms").increment((System.nanoTime() - startNanos) / 1_000_000);
    if (ctx.getConfiguration().getBoolean(FAIL_FIRST_ATTEMPT, false) && ctx.getTaskAttemptID().getId() == 0) {
      throw new IOException("injected failure of attempt " + ctx.getTaskAttemptID() + " (" + FAIL_FIRST_ATTEMPT + ")");
    }
  }
}
