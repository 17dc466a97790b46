package tsad.mr;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
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
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.Tool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tsad.cli.RegistryMixin;
import tsad.core.bundle.Compatibility;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataException;
import tsad.core.model.TorchRuntime;
import tsad.core.score.ScoreLines;
import tsad.proto.DataSpec;
import tsad.registry.ModelResolver;

/**
 * {@code tsad score --mapreduce}: a map-only MapReduce job (a Hadoop Tool) that scores prepared slices (cut into
 * the model's windows), or raw CSV after running the prepare job with the model's own columns and windowing. The model URI is
 * resolved once on the client; its bundle files travel through the distributed cache.
 */
@Command(name = "score --mapreduce", mixinStandardHelpOptions = true, sortOptions = false,
    description = "MapReduce scoring: prepared data or CSV (local or hdfs://) -> JSON lines (or TSV) with "
        + "slice_id, score, threshold, is_anomaly, model, version per slice or window. Hadoop generic options go first.")
public final class ScoreJob extends Configured implements Tool, Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScoreJob.class);
  static final String CACHE_NAME = "tsad-model.pb";
  static final String MODEL = "tsad.model.uri";
  static final String MODEL_NAME = "tsad.model.name";
  static final String MODEL_VERSION = "tsad.model.version";
  static final String BATCH = "tsad.score.batch";
  static final String THREADS = "tsad.score.threads";
  static final String FORMAT = "tsad.score.format";
  static final String PER = "tsad.score.per";
  /** The JIT option the map tasks get unless they set their own (see {@link #shallowerInlining}). */
  static final String TASK_JIT = "-XX:FreqInlineSize=100";

  @Option(names = "--model", required = true, paramLabel = "URI", description = "Bundle dir or models:/ URI.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Output of tsad prepare, or CSV files, directories or globs, comma-separated (then prepared first "
          + "with the model's settings).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory (must not exist).")
  String output;

  @Option(names = "--batch-size", defaultValue = "256", description = "Windows per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--threads", defaultValue = "1", description = "libtorch threads per task. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or tsv. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--per", defaultValue = "slice", converter = tsad.cli.ScoreCommand.PerConverter.class,
      paramLabel = "slice|window", description = "A line per slice (highest window score, anomalous if any window "
          + "is; as score_anomaly() in SQL) or per window. Default: ${DEFAULT-VALUE}.")
  ScoreLines.Per per;

  @Mixin
  RegistryMixin registry;

  /** Where, in the output, a run on CSV input keeps its prepare step's report and quarantine. */
  static final String PREPARE_REPORT = "prepare";

  private Job lastJob;

  /** The job of the last run (its counters), for tests and callers embedding the Tool. */
  Job lastJob() {
    return lastJob;
  }

  @Override
  public int run(String[] args) {
    return tsad.Main.execute(new CommandLine(this), args);
  }

  @Override
  public Integer call() throws Exception {
    Configuration conf = new Configuration(getConf());
    MrDefaults.apply(conf);
    if ("local".equals(conf.get("mapreduce.framework.name", "local"))) {
      preloadTorch();
    }
    ModelResolver.Resolved m = registry.resolver().resolve(model);
    LOG.info("scoring with " + m.describe() + ", resolved once here and shipped to the tasks");
    Path in = new Path(input);
    FileSystem inFs = in.getFileSystem(conf);
    ScoreLines.checkFormat(format);
    Path outDir = MrDefaults.freshOutput(conf, output);   // checked before any work, the prepare step's included
    FileSystem outFs = outDir.getFileSystem(conf);
    outDir = outFs.makeQualified(outDir);
    if (inFs.exists(new Path(in, PrepareJob.MANIFEST))) {
      return score(conf, m, in);
    }
    // Anything else is CSV (files, directories, globs or a comma-separated list of them, which the prepare step
    // resolves, and refuses if they match nothing): prepared first into a hidden sibling of the output, scored,
    // then gone; its report and quarantine stay in OUTPUT/prepare/, so removing the output removes everything a
    // run made and a rerun starts clean.
    Path temp = new Path(outDir.getParent(), "." + outDir.getName() + ".prepare-" + UUID.randomUUID());
    try {
      Path kept = new Path(new Path(output), PREPARE_REPORT);   // as the user named it, for the messages
      score(conf, m, prepareCsv(conf, m.bundle().dataSpec(), temp, kept));
      outFs.mkdirs(kept);
      for (String name : List.of(PrepareJob.MANIFEST, MrReports.QUARANTINE)) {
        if (outFs.exists(new Path(temp, name))) {
          outFs.rename(new Path(temp, name), new Path(kept, name));
        }
      }
      return 0;
    } finally {
      outFs.delete(temp, true);
    }
  }

  /** Submits the score job on prepared data {@code in} and reports what it did. */
  private int score(Configuration conf, ModelResolver.Resolved m, Path in) throws Exception {
    DataSpec prepared = PreparedWindows.manifest(in, conf).getData();
    Compatibility fits = Compatibility.of(m.bundle());
    try {
      fits.requireFeatureNames(prepared.getFeatureColumnsList(), in.toString());
    } catch (Compatibility.Mismatch e) {
      throw new DataException(e.getMessage() + " (prepare with --features " + String.join(",", fits.featureNames())
          + ")");
    }
    conf.set(MODEL, model);
    conf.set(MODEL_NAME, m.name());
    conf.set(MODEL_VERSION, m.version());
    conf.setInt(BATCH, batchSize);
    conf.setInt(THREADS, threads);
    conf.set(FORMAT, format);
    conf.set(PER, per.name());
    shallowerInlining(conf);
    Job job = Job.getInstance(conf, "tsad score " + model);
    job.setJarByClass(ScoreJob.class);
    // The bundle goes to the default file system once (content-addressed), packed in one file, then to every task
    // by the cache: one localisation per node, not one per bundle file.
    FileSystem fs = FileSystem.get(conf);
    Path shipped = new Path(conf.get("hadoop.tmp.dir"), "tsad-models/" + m.bundle().contentHash() + ".pb");
    if (!fs.exists(shipped)) {
      Path part = new Path(shipped.getParent(), "." + shipped.getName() + "." + UUID.randomUUID());
      try (FSDataOutputStream o = fs.create(part, false)) {
        ModelBundle.pack(m.dir()).writeTo(o);
      }
      // Another job may have shipped the same bundle meanwhile: its file has the same content.
      if (!fs.rename(part, shipped)) {
        fs.delete(part, false);
      }
    }
    job.addCacheFile(new URI(fs.makeQualified(shipped).toUri() + "#" + CACHE_NAME));
    job.setInputFormatClass(RecordBatchInputFormat.class);
    FileInputFormat.addInputPath(job, new Path(in, "part-r-*"));
    job.setMapperClass(ScoreMapper.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(Text.class);
    job.setOutputFormatClass(TextOutputFormat.class);
    MultipleOutputs.addNamedOutput(job, MrReports.QUARANTINE, TextOutputFormat.class, NullWritable.class, Text.class);
    Path out = MrDefaults.newOutput(job, output);
    long t0 = System.nanoTime();
    lastJob = job;
    MrDefaults.run(job, "score");
    long slices = counter(job, "slices scored");
    long windows = counter(job, "windows scored");
    long rejected = counter(job, "rejected");
    System.out.printf(Locale.ROOT, "scored %d slices (%d windows), %d anomalous (%d windows), with %s into %s in "
        + "%.1f s%n", slices, windows, counter(job, "anomalous slices"), counter(job, "anomalous windows"),
        m.version().isEmpty() ? model : "models:/" + m.name() + "/" + m.version(), out, (System.nanoTime() - t0) / 1e9);
    LOG.info(String.format(Locale.ROOT, "score tasks: %d ms in all, %d ms loading the model, %d ms in the scorer, "
        + "%d ms making and writing lines (%d ms of it encoding and writing)", counter(job, "task ms"),
        counter(job, "model load ms"), counter(job, "scorer ms"), counter(job, "lines ms"), counter(job, "write ms")));
    if (rejected > 0) {
      LOG.warn(String.format(Locale.ROOT, "rejected %d slices that cannot be scored: see %s/%s", rejected, out,
          MrReports.QUARANTINE));
    } else if (slices == 0) {
      LOG.warn("the input holds no slices: nothing scored (" + input + ")");
    }
    return 0;
  }

  /**
   * Adds {@value #TASK_JIT} to the map tasks' JVM options (after the user's or the cluster's, which it keeps),
   * unless they already set FreqInlineSize: a task's heavy work is native, and HotSpot's default inlining has its C2
   * compiler spend seconds of CPU on huge inlined stream and scoring loops, taken from the node's busy cores. The
   * launcher does the same for the local job runner (scripts/tsad; docs/benchmarks.md, twelfth run).
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

  private static long counter(Job job, String name) throws IOException {
    return job.getCounters().findCounter(ScoreMapper.COUNTERS, name).getValue();
  }

  /**
   * Runs the prepare job on CSV input with the model's columns and windowing into {@code prepared}, its report and
   * quarantine to be kept in {@code kept}; returns {@code prepared}.
   */
  private Path prepareCsv(Configuration conf, DataSpec d, Path prepared, Path kept) throws Exception {
    List<String> args = new ArrayList<>(List.of("--input", input, "--output", prepared.toString(),
        "--window", Integer.toString(d.getWindowLength()), "--stride", Integer.toString(d.getStride()),
        "--mode", d.getMode().name().toLowerCase(Locale.ROOT),
        "--length-policy", d.getLengthPolicy().name().toLowerCase(Locale.ROOT),
        "--slice-column", d.getSliceColumn(), "--time-column", d.getTimeColumn(),
        "--features", String.join(",", d.getFeatureColumnsList()),
        "--time-format", switch (d.getTimeFormat()) {
          case ISO -> "iso";
          case EPOCH_SECONDS -> "epoch-s";
          case EPOCH_MILLIS -> "epoch-ms";
          default -> "auto";
        }));
    PrepareJob prepare = new PrepareJob();
    prepare.setConf(conf);
    prepare.reportIn(kept);
    // Called, not run: its failure (an input that matches nothing, a bad row format) is this command's one error.
    new CommandLine(prepare).parseArgs(args.toArray(new String[0]));
    prepare.call();
    return prepared;
  }
}
