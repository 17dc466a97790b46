package tsad.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataException;
import tsad.core.io.AtomicFiles;
import tsad.core.model.TorchRuntime;
import tsad.core.score.ScoreLines;
import tsad.core.data.Series;
import tsad.core.score.ScoringSession;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.proto.WindowMode;
import tsad.mr.ScoreJob;
import tsad.registry.ModelResolver;

/**
 * {@code tsad score}: a model and CSV in, one JSON line (or TSV row) per slice or window out; with {@code
 * --mapreduce}, the score job over prepared data or CSV on a Hadoop file system.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Score time series with a trained model: {slice_id, score, threshold, is_anomaly, model, version} "
        + "per slice or window.", "With --mapreduce: a MapReduce job over the output of 'tsad prepare' or CSV (local "
        + "or hdfs://), writing part files into --output; Hadoop generic options (-D k=v, -files, ...) are taken too."})
public final class ScoreCommand implements Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScoreCommand.class);
  @Option(names = "--model", required = true, paramLabel = "URI",
      description = "Model: a bundle directory or models:/NAME/VERSION, models:/NAME/STAGE, models:/NAME@ALIAS, models:/NAME/latest.")
  String model;

  @Mixin
  RegistryMixin registry;

  @Option(names = "--input", required = true, split = ",", paramLabel = "PATH",
      description = "Long-format CSV file(s) or directories, read as the model was trained (options override); with "
          + "--mapreduce also the output of tsad prepare, globs and hdfs:// paths.")
  List<String> input;

  @Option(names = "--output", defaultValue = "-", paramLabel = "PATH",
      description = "Output file, '-' for stdout (default); with --mapreduce the output directory (must not exist).")
  String output;

  @Option(names = "--mapreduce", description = "Score as a MapReduce job (local job runner, or YARN with "
      + "HADOOP_CONF_DIR).")
  boolean mapreduce;

  @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or tsv. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--per", defaultValue = "slice", converter = PerConverter.class, paramLabel = "slice|window|row",
      description = "A line per slice (highest window score, anomalous if any window is; as score_anomaly() in SQL), "
          + "per window, or per row (its time and the mean score of the windows covering it, anomalous when that is "
          + "over the threshold). Slice-mode models have one window per slice. Default: ${DEFAULT-VALUE}.")
  ScoreLines.Per per;

  @Option(names = "--detail", description = "Add per-step errors (step_errors) and per-feature error shares (feature_share).")
  boolean detail;

  @Option(names = "--batch-size", defaultValue = "256", description = "Windows per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--threads", description = "libtorch threads. Default: number of cores (--mapreduce: 1 per task).")
  Integer threads;

  @Mixin
  CsvMixin csv;

  @Mixin
  HadoopMixin hadoop;

  /** Reads --per with the one parser (and its error message). */
  public static final class PerConverter implements picocli.CommandLine.ITypeConverter<ScoreLines.Per> {
    /** The choice named by {@code value}. */
    @Override
    public ScoreLines.Per convert(String value) {
      return ScoreLines.Per.parse(value);
    }
  }

  @Override
  public Integer call() throws Exception {
    ScoreLines.checkFormat(format);
    if (batchSize < 1) {
      throw new DataException("--batch-size must be at least 1, got " + batchSize);
    }
    if (threads != null && threads < 1) {
      throw new DataException("--threads must be at least 1, got " + threads);
    }
    if (mapreduce) {
      return scoreJob();
    }
    if (hadoop.given()) {
      throw new DataException("Hadoop generic options (-D, -files, ...) need --mapreduce");
    }
    if (!output.equals("-")) {
      pending(Path.of(output)).abandon();   // an output that cannot be written fails before any work
    }
    long t0 = System.nanoTime();
    TorchRuntime.threads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    ModelResolver.Resolved resolved = registry.resolve(model);
    ModelBundle bundle = resolved.bundle();
    if (detail && per == ScoreLines.Per.SLICE && bundle.dataSpec().getMode() == WindowMode.WINDOW) {
      throw new DataException("--detail gives per-window errors; add --per window (this model scores windows)");
    }
    if (detail && per == ScoreLines.Per.ROW) {
      throw new DataException("--detail gives per-window errors; use --per window with it");
    }
    Inputs.Loaded data = ModelData.csv(bundle, input.stream().map(Path::of).toList(), csv);
    List<Window> windows = data.windows();
    ScoreLines counts;
    // A file output is written aside and renamed when complete: a failed run (a full disk, a bad slice with
    // --strict) leaves no truncated file that looks like a result.
    AtomicFiles.Pending file = output.equals("-") ? null : pending(Path.of(output));
    try (ScoringSession session = new ScoringSession(bundle, resolved.identity());
         Writer w = new BufferedWriter(new OutputStreamWriter(file == null ? System.out : file.stream(),
             StandardCharsets.UTF_8))) {
      counts = write(session, w, windows, data.series().iterator());
    } catch (IOException | RuntimeException | Error e) {
      if (file != null) {
        file.abandon();
      }
      if (e instanceof IOException io) {
        throw new DataException("cannot write --output " + output + ": " + AtomicFiles.reason(io));
      }
      throw e;
    }
    if (file != null) {
      try {
        file.commit();
      } catch (IOException e) {
        throw new DataException("cannot write --output " + output + ": " + AtomicFiles.reason(e));
      }
    }
    boolean windowMode = bundle.dataSpec().getMode() == WindowMode.WINDOW;
    String what = counts.perRow() ? "rows (" + counts.slices() + " slices, " + counts.windows() + " windows)"
        : counts.perSlice() ? "slices (" + counts.windows() + " windows)" : windowMode ? "windows" : "slices";
    LOG.info(String.format(Locale.ROOT, "scored %d %s, %d anomalous (%.2f%%) at threshold %.6g (%s) with %s; %.1f s",
        counts.lines(), what, counts.anomalous(), 100.0 * counts.anomalous() / counts.lines(),
        bundle.threshold().getValue(), bundle.threshold().getMethod(), resolved.describe(),
        (System.nanoTime() - t0) / 1e9));
    return 0;
  }

  /** Scores the windows into {@code w}, a line per slice, window or row, and returns the counts. */
  private ScoreLines write(ScoringSession session, Writer w, List<Window> windows, java.util.Iterator<Series> series)
      throws IOException {
    ScoringSession.Lines lines = session.lines(format, per, batchSize, detail, w::append);
    if (format.equals("tsv")) {
      w.write(lines.tsvHeader());
    }
    String slice = null;
    for (Window window : windows) {
      if (lines.perRow() && !window.seriesId().equals(slice)) {
        slice = window.seriesId();
        lines.series(series.next());
      }
      lines.add(window);
    }
    lines.finish();
    return lines.counts();
  }

  /** The --output file, begun aside; an output that cannot be written is one clear error before any scoring. */
  private static AtomicFiles.Pending pending(Path out) {
    try {
      return AtomicFiles.begin(out);
    } catch (IOException e) {
      throw new DataException("cannot write --output " + out + ": " + AtomicFiles.reason(e));
    }
  }

  /** The score job: its options checked before any work, the model resolved once here. */
  private int scoreJob() throws Exception {
    if (output.equals("-")) {
      throw new DataException("--mapreduce writes part files: give --output DIR");
    }
    if (detail) {
      throw new DataException("--detail is for the local score; the score job writes no per-step errors");
    }
    if (csv.given()) {
      throw new DataException("the score job reads CSV with the model's own columns and time format: leave out "
          + "--slice-column, --time-column, --features, --time-format, --strict and --rejects");
    }
    ScoreJob.Request req = new ScoreJob.Request(registry.resolve(model), String.join(",", input), output,
        batchSize, threads == null ? 1 : threads, format, per);
    new ScoreJob(hadoop.configuration()).run(req);
    return 0;
  }
}
