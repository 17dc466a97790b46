package tsad.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataException;
import tsad.core.model.TorchRuntime;
import tsad.core.score.ScoreLines;
import tsad.core.score.ScoringSession;
import tsad.core.window.Window;
import tsad.proto.WindowMode;
import tsad.registry.ModelResolver;

/** {@code tsad score}: a model bundle and CSV in, one JSON line (or TSV row) per slice/window out. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score time series with a trained model: {slice_id, score, threshold, is_anomaly} per slice or window.")
public final class ScoreCommand implements Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScoreCommand.class);
  @Option(names = "--model", required = true, paramLabel = "URI",
      description = "Model: a bundle directory or models:/NAME/VERSION, models:/NAME/STAGE, models:/NAME@ALIAS, models:/NAME/latest.")
  String model;

  @Mixin
  RegistryMixin registry;

  @Option(names = "--input", required = true, split = ",", paramLabel = "CSV",
      description = "Long-format CSV file(s) or directories; columns and windowing as the model was trained unless overridden.")
  List<Path> input;

  @Option(names = "--output", defaultValue = "-", paramLabel = "FILE", description = "Output file, '-' for stdout. Default: ${DEFAULT-VALUE}.")
  String output;

  @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or tsv. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--per", defaultValue = "slice", converter = PerConverter.class, paramLabel = "slice|window",
      description = "A line per slice (highest window score, anomalous if any window is; as score_anomaly() in SQL) "
          + "or per window. Slice-mode models have one window per slice. Default: ${DEFAULT-VALUE}.")
  ScoreLines.Per per;

  @Option(names = "--detail", description = "Add per-step errors (step_errors) and per-feature error shares (feature_share).")
  boolean detail;

  @Option(names = "--batch-size", defaultValue = "256", description = "Windows per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--threads", description = "libtorch threads. Default: number of cores.")
  Integer threads;

  @Mixin
  CsvMixin csv;

  /** Reads --per with the one parser (and its error message). */
  public static final class PerConverter implements picocli.CommandLine.ITypeConverter<ScoreLines.Per> {
    /** The choice named by {@code value}. */
    @Override
    public ScoreLines.Per convert(String value) {
      return ScoreLines.Per.parse(value);
    }
  }

  @Override
  public Integer call() throws IOException {
    ScoreLines.checkFormat(format);
    if (batchSize < 1) {
      throw new DataException("--batch-size must be at least 1, got " + batchSize);
    }
    long t0 = System.nanoTime();
    TorchRuntime.threads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    ModelResolver.Resolved resolved = registry.resolver().resolve(model);
    ModelBundle bundle = resolved.bundle();
    if (detail && per == ScoreLines.Per.SLICE && bundle.dataSpec().getMode() == WindowMode.WINDOW) {
      throw new DataException("--detail gives per-window errors; add --per window (this model scores windows)");
    }
    List<Window> windows = ModelData.csv(bundle, input, csv).windows();
    ScoreLines counts;
    try (ScoringSession session = new ScoringSession(bundle, resolved.identity());
         Writer w = output.equals("-") ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
             : Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8)) {
      ScoringSession.Lines lines = session.lines(format, per, batchSize, detail, w::append);
      if (format.equals("tsv")) {
        w.write(lines.tsvHeader());
      }
      for (Window window : windows) {
        lines.add(window);
      }
      lines.finish();
      counts = lines.counts();
    }
    boolean windowMode = bundle.dataSpec().getMode() == WindowMode.WINDOW;
    String what = counts.perSlice() ? "slices (" + counts.windows() + " windows)" : windowMode ? "windows" : "slices";
    LOG.info(String.format(Locale.ROOT, "scored %d %s, %d anomalous (%.2f%%) at threshold %.6g (%s) with %s; %.1f s",
        counts.lines(), what, counts.anomalous(), 100.0 * counts.anomalous() / counts.lines(),
        bundle.threshold().getValue(), bundle.threshold().getMethod(), resolved.describe(),
        (System.nanoTime() - t0) / 1e9));
    return 0;
  }
}
