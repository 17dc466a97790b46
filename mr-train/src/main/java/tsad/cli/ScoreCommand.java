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
import tsad.core.score.ScoreFormat;
import tsad.core.score.ScoreResult;
import tsad.core.score.Scorer;
import tsad.core.window.Inputs;
import tsad.proto.WindowMode;
import tsad.registry.ModelResolver;
import tsad.registry.ModelUri;

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

  @Option(names = "--detail", description = "Add per-step errors (step_errors) and per-feature error shares (feature_share).")
  boolean detail;

  @Option(names = "--batch-size", defaultValue = "256", description = "Windows per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--threads", description = "libtorch threads. Default: number of cores.")
  Integer threads;

  @Mixin
  CsvMixin csv;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("jsonl") && !format.equals("tsv")) {
      throw new DataException("unknown --format '" + format + "'; use jsonl or tsv");
    }
    long t0 = System.nanoTime();
    TorchRuntime.threads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    ModelResolver.Resolved resolved = registry.resolver().resolve(model);
    ModelBundle bundle = resolved.bundle();
    String[] extra = resolved.name().isEmpty() ? new String[0]
        : new String[] {"model", resolved.name(), "version", resolved.version()};
    Inputs.Loaded data = ModelData.csv(bundle, input, csv);
    Scorer scorer = bundle.newScorer();
    List<ScoreResult> results = scorer.score(data.windows(), batchSize, detail);
    boolean windowMode = bundle.dataSpec().getMode() == WindowMode.WINDOW;
    String[] names = data.featureNames().toArray(new String[0]);
    long anomalies = 0;
    try (Writer w = output.equals("-") ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
        : Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8)) {
      if (format.equals("tsv")) {
        w.write("slice_id\twindow\tscore\tthreshold\tis_anomaly\n");
      }
      ScoreFormat.JsonLines json = new ScoreFormat.JsonLines(windowMode, names, extra);
      for (ScoreResult r : results) {
        w.write(format.equals("tsv") ? ScoreFormat.tsv(r) : json.render(r));
        w.write('\n');
        anomalies += r.isAnomaly() ? 1 : 0;
      }
    }
    LOG.info(String.format(Locale.ROOT, "scored %d %s, %d anomalous (%.2f%%) at threshold %.6g (%s) with %s; %.1f s",
        results.size(), windowMode ? "windows" : "slices", anomalies, 100.0 * anomalies / results.size(),
        scorer.threshold(), bundle.threshold().getMethod(), resolved.version().isEmpty() ? model
            : ModelUri.of(resolved.name(), resolved.version()) + (resolved.fromCache() ? " (cached)" : " (downloaded)"),
        (System.nanoTime() - t0) / 1e9));
    return 0;
  }
}
