package tsad.core.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.score.ScoreResult;
import tsad.core.score.Scorer;
import tsad.core.window.Inputs;

/**
 * One committed golden set under {@code src/test/resources/golden/v1/NAME/}: a model bundle written by an earlier
 * tsad ({@code bundle/}), the CSV it is scored on ({@code input.csv}) and what that tsad scored
 * ({@code expected-scores.tsv}). {@link GoldenBundleWriter} makes them, {@link GoldenBundleTest} checks them.
 *
 * <p>expected-scores.tsv: {@code #} comment lines, then {@code key<TAB>value} lines ({@code threshold},
 * {@code cpu_capability}, {@code batch_sizes}), then a {@code window} header line and one line per window in
 * scoring order: id, then one score per batch size (Java's shortest round-trip spelling of the double: parsing it
 * gives the very bits), then is_anomaly (the same for every batch size).
 */
final class GoldenSet {
  /** The committed sets, by directory name. */
  static final List<String> NAMES = List.of("dense-window", "cnn-slice");
  /** The batch sizes scored: one batch of all windows (libtorch's path for the dense set) and small batches. */
  static final int[] BATCH_SIZES = {256, 8};

  /** What expected-scores.tsv holds. */
  record Expected(double threshold, String cpuCapability, int[] batchSizes, List<String> ids,
                  List<double[]> scores, List<Boolean> anomalies) {}

  private GoldenSet() {}

  /** The golden directory of the source tree (for the writer) or on the test class path (for the test). */
  static Path dir(Path root, String name) {
    return root.resolve("v1").resolve(name);
  }

  /** The windows of {@code input} read as the bundle says, the way tsad score reads CSV (ModelData.csv). */
  static Inputs.Loaded read(ModelBundle bundle, Path input) {
    Inputs.Loaded data = Inputs.read(List.of(input), Inputs.csvOptions(bundle.dataSpec(), false),
        Inputs.windowSpec(bundle.dataSpec()), new DataReport());
    if (data.featureNames().size() != bundle.modelSpec().getFeatures()) {
      throw new DataException("the model expects " + bundle.modelSpec().getFeatures() + " features, the input has "
          + data.featureNames());
    }
    return data;
  }

  /** Scores the windows with the bundle's own scorer in batches of {@code batch}. */
  static List<ScoreResult> score(ModelBundle bundle, Inputs.Loaded data, int batch) {
    try (Scorer scorer = bundle.newScorer()) {
      return scorer.score(data.windows(), batch, false);
    }
  }

  static Expected readExpected(Path file) throws IOException {
    Map<String, String> keys = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    List<double[]> scores = new ArrayList<>();
    List<Boolean> anomalies = new ArrayList<>();
    boolean rows = false;
    int[] batches = null;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (!rows) {
        if (f[0].equals("window")) {
          rows = true;
          String[] b = keys.get("batch_sizes").split(",");
          batches = new int[b.length];
          for (int i = 0; i < b.length; i++) {
            batches[i] = Integer.parseInt(b[i]);
          }
        } else {
          keys.put(f[0], f[1]);
        }
        continue;
      }
      if (f.length != batches.length + 2) {
        throw new IllegalStateException(file + ": bad line " + line);
      }
      ids.add(f[0]);
      double[] s = new double[batches.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = Double.parseDouble(f[1 + i]);
      }
      scores.add(s);
      anomalies.add(Boolean.parseBoolean(f[f.length - 1]));
    }
    return new Expected(Double.parseDouble(keys.get("threshold")), keys.get("cpu_capability"), batches, ids, scores,
        anomalies);
  }
}
