package tsad.mr;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.apache.hadoop.util.Tool;
import tsad.core.bundle.Compatibility;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataException;
import tsad.core.model.TorchRuntime;
import tsad.core.score.ScoreLines;
import tsad.core.score.Scorer;
import tsad.core.window.Inputs;
import tsad.proto.DataSpec;
import tsad.proto.PreparedData;
import tsad.registry.MlflowSettings;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelResolver;

/**
 * The score job (a Hadoop Tool, map only): scores prepared slices, cut into the model's windows, or raw CSV after
 * running the prepare job with the model's own columns and windowing. The model is resolved once on the client;
 * its bundle travels packed through the distributed cache. {@code tsad score --mapreduce} runs it with a typed
 * {@link Request}; as a Tool ({@code hadoop jar tsad-job.jar tsad.mr.ScoreJob [-D KEY=VALUE] MODEL INPUT OUTPUT})
 * it takes its settings from the {@link JobKeys}.
 */
public final class ScoreJob extends Configured implements Tool {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScoreJob.class);
  static final String CACHE_NAME = "tsad-model.pb";
  /** The JIT option the map tasks get unless they set their own (see {@link #shallowerInlining}). */
  static final String TASK_JIT = "-XX:FreqInlineSize=100";
  /** Where, in the output, a run on CSV input keeps its prepare step's report and quarantine. */
  static final String PREPARE_REPORT = "prepare";

  /**
   * What to score.
   *
   * @param model the model, resolved on the client
   * @param input the output of tsad prepare, or CSV files, directories or globs, comma-separated
   * @param output the output directory (must not exist)
   * @param batchSize windows per forward pass
   * @param threads libtorch threads per task
   * @param format jsonl or tsv
   * @param per what a line stands for
   */
  public record Request(ModelResolver.Resolved model, String input, String output, int batchSize, int threads,
                        String format, ScoreLines.Per per) {
    /** Checks the settings before any work. */
    public Request {
      ScoreLines.checkFormat(format);
      if (batchSize < 1) {
        throw new DataException("batch size must be at least 1, got " + batchSize);
      }
      if (threads < 1) {
        throw new DataException("threads per task must be at least 1, got " + threads);
      }
    }
  }

  /**
   * What a run did.
   *
   * @param output the qualified output directory
   * @param job the finished score job (its counters)
   */
  public record Result(Path output, Job job) {
    /** A counter of the score job. */
    public long count(ScoreCounter c) throws IOException {
      return job.getCounters().findCounter(c).getValue();
    }
  }

  /** A job with an empty configuration, for ToolRunner. */
  public ScoreJob() {}

  /** A job with {@code conf} (Hadoop's and the user's settings). */
  public ScoreJob(Configuration conf) {
    super(conf);
  }

  /** As a Tool: {@code MODEL INPUT OUTPUT}, settings from the {@link JobKeys}; exit 0 or an exception. */
  @Override
  public int run(String[] args) throws Exception {
    if (args.length != 3) {
      throw new DataException("usage: ScoreJob [generic options] MODEL INPUT OUTPUT (settings as -D "
          + JobKeys.BATCH + "=256 ...; see JobKeys)");
    }
    Configuration c = getConf();
    String cache = c.get(JobKeys.CACHE_DIR);
    ModelResolver resolver = new ModelResolver(cache != null ? java.nio.file.Path.of(cache)
        : ModelResolver.defaultCacheDir(), () -> new ModelRegistry(MlflowSettings.fromEnv(c.get(JobKeys.TRACKING_URI))));
    run(new Request(resolver.resolve(args[0]), args[1], args[2], c.getInt(JobKeys.BATCH, Scorer.DEFAULT_BATCH),
        c.getInt(JobKeys.THREADS, 1), c.get(JobKeys.FORMAT, "jsonl"), ScoreLines.Per.parse(c.get(JobKeys.PER,
        "slice"))));
    return 0;
  }

  /** Scores {@code req}; a failure is an exception naming the cause. */
  public Result run(Request req) throws IOException, InterruptedException {
    Configuration conf = new Configuration(getConf());
    MrDefaults.apply(conf);
    Path outDir = MrDefaults.freshOutput(conf, req.output());   // checked before any work, the prepare step's included
    if ("local".equals(conf.get("mapreduce.framework.name", "local"))) {
      preloadTorch();
    }
    ModelResolver.Resolved m = req.model();
    LOG.info("scoring with " + m.describe() + ", resolved once here and shipped to the tasks");
    Path in = new Path(req.input());
    FileSystem inFs = in.getFileSystem(conf);
    FileSystem outFs = outDir.getFileSystem(conf);
    outDir = outFs.makeQualified(outDir);
    try {
      return inFs.exists(new Path(in, PrepareJob.MANIFEST)) ? score(conf, req, in)
          : prepareAndScore(conf, req, outDir, outFs);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      MrDefaults.removeFailed(conf, outDir, e);
      throw e;
    }
  }

  /** Scores CSV input: the prepare job with the model's settings, then the score job on its output. */
  private Result prepareAndScore(Configuration conf, Request req, Path outDir, FileSystem outFs)
      throws IOException, InterruptedException {
    ModelResolver.Resolved m = req.model();
    // Input without a prepared manifest is CSV (files, directories, globs or a comma-separated list of them, which the prepare step
    // resolves, and refuses if they match nothing): prepared first into a hidden sibling of the output, scored,
    // then gone; its report and quarantine stay in OUTPUT/prepare/, so removing the output removes everything a
    // run made and a rerun starts clean.
    Path temp = new Path(outDir.getParent(), "." + outDir.getName() + ".prepare-" + UUID.randomUUID());
    try {
      Path kept = new Path(new Path(req.output()), PREPARE_REPORT);   // as the user named it, for the messages
      DataSpec d = m.bundle().dataSpec();
      new PrepareJob(conf).run(new PrepareJob.Request(List.of(req.input().split(",")), temp.toString(),
          Inputs.csvOptions(d, false), Inputs.windowSpec(d), null, kept));
      Result r = score(conf, req, temp);
      outFs.mkdirs(kept);
      for (String name : List.of(PrepareJob.MANIFEST, PreparedDir.SEAL, MrReports.QUARANTINE)) {
        if (outFs.exists(new Path(temp, name))) {
          outFs.rename(new Path(temp, name), new Path(kept, name));
        }
      }
      return r;
    } finally {
      outFs.delete(temp, true);
    }
  }

  /** Submits the score job on prepared data {@code in} and reports what it did. */
  private Result score(Configuration conf, Request req, Path in) throws IOException, InterruptedException {
    ModelResolver.Resolved m = req.model();
    PreparedData report = PreparedWindows.manifest(in, conf);
    DataSpec prepared = report.getData();
    Compatibility fits = Compatibility.of(m.bundle());
    try {
      fits.requireFeatureNames(prepared.getFeatureColumnsList(), in.toString());
    } catch (Compatibility.Mismatch e) {
      throw new DataException(e.getMessage() + " (prepare with --features " + String.join(",", fits.featureNames())
          + ")");
    }
    conf.set(JobKeys.MODEL, m.uri());
    conf.set(JobKeys.MODEL_NAME, m.name());
    conf.set(JobKeys.MODEL_VERSION, m.version());
    conf.setInt(JobKeys.BATCH, req.batchSize());
    conf.setInt(JobKeys.THREADS, req.threads());
    conf.set(JobKeys.FORMAT, req.format());
    conf.set(JobKeys.PER, req.per().name());
    shallowerInlining(conf);
    Job job = Job.getInstance(conf, "tsad score " + m.uri());
    job.setJarByClass(ScoreJob.class);
    // The bundle goes to the default file system once (content-addressed), packed in one file, then to every task
    // by the cache: one localisation per node, not one per bundle file.
    FileSystem fs = FileSystem.get(conf);
    Path shipped = new Path(conf.get("hadoop.tmp.dir"), "tsad-models/" + m.bundle().contentHash() + ".pb");
    if (!fs.exists(shipped)) {
      Path part = new Path(shipped.getParent(), "." + shipped.getName() + "." + UUID.randomUUID());
      try {
        try (FSDataOutputStream o = fs.create(part, false)) {
          ModelBundle.pack(m.dir()).writeTo(o);
        }
      } catch (IOException | org.apache.hadoop.fs.FSError e) {
        fs.delete(part, false);
        throw new DataException("writing " + part + " (the model, shipped to the tasks): " + TaskFailures.cause(e));
      }
      // Another job may have shipped the same bundle meanwhile: its file has the same content.
      if (!fs.rename(part, shipped)) {
        fs.delete(part, false);
      }
    }
    job.addCacheFile(URI.create(fs.makeQualified(shipped).toUri() + "#" + CACHE_NAME));
    job.setInputFormatClass(RecordBatchInputFormat.class);
    FileInputFormat.addInputPath(job, new Path(in, "part-r-*"));
    job.setMapperClass(ScoreMapper.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(Text.class);
    job.setOutputFormatClass(WatchedOutputs.Texts.class);
    MultipleOutputs.addNamedOutput(job, MrReports.QUARANTINE, WatchedOutputs.Texts.class, NullWritable.class, Text.class);
    Path out = MrDefaults.newOutput(job, req.output());
    long t0 = System.nanoTime();
    MrDefaults.run(job, "score");
    Result r = new Result(out, job);
    // The tasks read the parts in splits, so only the whole can be checked, once they are done: a failure here
    // removes the output (run's caller) instead of leaving scores of other data that look complete.
    PreparedDir.checkAllRecords(in, report, r.count(ScoreCounter.RECORDS_READ), r.count(ScoreCounter.RECORD_HASH_SUM));
    long slices = r.count(ScoreCounter.SLICES_SCORED);
    long rejected = r.count(ScoreCounter.REJECTED);
    System.out.printf(Locale.ROOT, "scored %d slices (%d windows), %d anomalous (%d windows), with %s into %s in "
        + "%.1f s%n", slices, r.count(ScoreCounter.WINDOWS_SCORED), r.count(ScoreCounter.ANOMALOUS_SLICES),
        r.count(ScoreCounter.ANOMALOUS_WINDOWS), m.version().isEmpty() ? m.uri()
        : "models:/" + m.name() + "/" + m.version(), out, (System.nanoTime() - t0) / 1e9);
    LOG.info(String.format(Locale.ROOT, "score tasks: %d ms in all, %d ms loading the model, %d ms in the scorer, "
        + "%d ms making and writing lines (%d ms of it encoding and writing)", r.count(ScoreCounter.TASK_MS),
        r.count(ScoreCounter.MODEL_LOAD_MS), r.count(ScoreCounter.SCORER_MS), r.count(ScoreCounter.LINES_MS),
        r.count(ScoreCounter.WRITE_MS)));
    if (rejected > 0) {
      LOG.warn(String.format(Locale.ROOT, "rejected %d slices that cannot be scored: see %s/%s", rejected, out,
          MrReports.QUARANTINE));
    } else if (slices == 0) {
      LOG.warn("the input holds no slices: nothing scored (" + req.input() + ")");
    }
    return r;
  }

  /**
   * Adds {@value #TASK_JIT} to the map tasks' JVM options (after the user's or the cluster's, which it keeps),
   * unless they already set FreqInlineSize: a task's heavy work is native, and HotSpot's default inlining has its C2
   * compiler spend seconds of CPU on huge inlined stream and scoring loops, taken from the node's busy cores. The
   * launcher does the same for the local job runner (scripts/tsad; docs/architecture.md).
   */
  static void shallowerInlining(Configuration conf) {
    String opts = conf.get(MRJobConfig.MAP_JAVA_OPTS, conf.get(JobConf.MAPRED_TASK_JAVA_OPTS, "")).trim();
    if (!opts.contains("-XX:FreqInlineSize=")) {
      conf.set(MRJobConfig.MAP_JAVA_OPTS, (opts + " " + TASK_JIT).trim());
    }
  }

  /**
   * The local job runner runs the map tasks in this JVM: loading libtorch (about a second) while the model is
   * resolved and the job is set up takes that second off the tasks. A failure here is left to the task, which
   * reports it.
   */
  private static void preloadTorch() {
    Thread t = new Thread(() -> {
      try {
        TorchRuntime.ensureLoaded();
      } catch (Throwable e) {
        LOG.debug("preloading libtorch failed; the map task will load it and report", e);
      }
    }, "tsad-preload-libtorch");
    t.setDaemon(true);
    t.start();
  }
}
