package tsad.mr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;
import tsad.core.bundle.ModelBundle;
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
 */
public final class ScoreMapper extends Mapper<Text, BytesWritable, NullWritable, Text> {
  static final String COUNTERS = "tsad scoring";
  /** Test switch: the first attempt of every task fails after writing all its output (retry tests). */
  static final String FAIL_FIRST_ATTEMPT = "tsad.test.fail-first-attempt";
  private final List<Window> batch = new ArrayList<>();
  private final Text line = new Text();
  private Scorer scorer;
  private int batchSize;
  private boolean windowMode;
  private boolean tsv;
  private String[] features;
  private String[] extra;

  @Override
  protected void setup(Context ctx) throws IOException {
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
    batchSize = conf.getInt(ScoreJob.BATCH, 256);
    windowMode = bundle.dataSpec().getMode() == WindowMode.WINDOW;
    tsv = "tsv".equals(conf.get(ScoreJob.FORMAT));
    features = bundle.dataSpec().getFeatureColumnsList().toArray(new String[0]);
    String name = conf.get(ScoreJob.MODEL_NAME, "");
    extra = name.isEmpty() ? new String[] {"model", conf.get(ScoreJob.MODEL)}
        : new String[] {"model", name, "version", conf.get(ScoreJob.MODEL_VERSION, "")};
  }

  @Override
  protected void map(Text key, BytesWritable value, Context ctx) throws IOException, InterruptedException {
    Window w = Window.fromProto(WindowRecord.parseFrom(java.util.Arrays.copyOf(value.getBytes(), value.getLength())));
    batch.add(w);
    if (batch.size() >= batchSize) {
      flush(ctx);
    }
  }

  private void flush(Context ctx) throws IOException, InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    for (ScoreResult r : scorer.score(batch, batchSize, false)) {
      line.set(tsv ? ScoreFormat.tsv(r) : ScoreFormat.json(r, windowMode, features, extra));
      ctx.write(NullWritable.get(), line);
      ctx.getCounter(COUNTERS, "scored").increment(1);
      if (r.isAnomaly()) {
        ctx.getCounter(COUNTERS, "anomalies").increment(1);
      }
    }
    batch.clear();
  }

  @Override
  protected void cleanup(Context ctx) throws IOException, InterruptedException {
    flush(ctx);
    if (ctx.getConfiguration().getBoolean(FAIL_FIRST_ATTEMPT, false) && ctx.getTaskAttemptID().getId() == 0) {
      throw new IOException("injected failure of attempt " + ctx.getTaskAttemptID() + " (" + FAIL_FIRST_ATTEMPT + ")");
    }
  }
}
