package tsad.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataException;
import tsad.core.model.TorchRuntime;
import tsad.core.score.Distributions;
import tsad.core.score.Drift;
import tsad.core.score.ScoringSession;
import tsad.proto.ScoreDistribution;
import tsad.registry.ModelResolver;
import tsad.registry.ModelUri;

/**
 * {@code tsad drift}: scores new data with a model, as {@code tsad score} reads it, and compares the score
 * distribution with the one stored in the bundle at training time (PSI and KS); retraining is due when PSI
 * exceeds the threshold.
 */
@Command(name = "drift", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compare the score distribution of new data with the model's training scores (PSI, KS).",
        "Retraining is due when PSI > --threshold-psi. Under Oozie (capture-output) also writes retrain_due=true|false."})
public final class DriftCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "URI",
      description = "Model: a bundle directory or models:/NAME/VERSION, models:/NAME@ALIAS, ...")
  String model;

  @Mixin
  ModelData data;

  @Option(names = "--threshold-psi", defaultValue = "0.2",
      description = "Retraining is due above this PSI (0.1-0.2: moderate shift, > 0.2: major). Default: ${DEFAULT-VALUE}.")
  double thresholdPsi;

  @Option(names = "--reference", defaultValue = "training",
      description = "Stored distribution to compare with: training or validation (held-out) scores. Default: ${DEFAULT-VALUE}.")
  String reference;

  @Option(names = "--bins", defaultValue = "10",
      description = "PSI bins: the stored histogram's bins merged to this many of equal reference mass. Default: ${DEFAULT-VALUE}.")
  int bins;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
  Path output;

  @Option(names = "--batch-size", defaultValue = "256", description = "Windows per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--threads", description = "libtorch threads. Default: number of cores.")
  Integer threads;

  @Mixin
  RegistryMixin registry;

  @Override
  public Integer call() throws IOException {
    if (!(thresholdPsi > 0)) {
      throw new DataException("--threshold-psi must be > 0, got " + thresholdPsi);
    }
    data.requireOne();
    TorchRuntime.threads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    ModelResolver.Resolved resolved = registry.resolve(model);
    ModelBundle bundle = resolved.bundle();
    ScoreDistribution ref = switch (reference) {
      case "training" -> bundle.threshold().getTrainingScores();
      case "validation" -> bundle.threshold().getValidationScores();
      default -> throw new DataException("unknown --reference '" + reference + "'; use training or validation");
    };
    if (ref.getCount() == 0 && reference.equals("validation")) {
      throw new DataException(model + " holds no " + reference + " scores (trained without held-out windows): use "
          + "--reference training");
    }
    double[] scores;
    try (ScoringSession session = new ScoringSession(bundle, resolved.identity())) {
      scores = session.scores(data.load(bundle).windows(), batchSize);
    }
    Drift.Result d = Drift.compare(ref, scores, bins);
    boolean due = d.psi() > thresholdPsi;
    long anomalies = java.util.Arrays.stream(scores).filter(s -> s > bundle.threshold().getValue()).count();
    ScoreDistribution now = Distributions.of(scores);
    String modelName = resolved.version().isEmpty() ? model : ModelUri.of(resolved.name(), resolved.version());

    JsonObject json = new JsonObject();
    json.addProperty("model", modelName);
    json.addProperty("reference", reference + "_scores");
    json.addProperty("psi", d.psi());
    json.addProperty("psi_threshold", thresholdPsi);
    json.addProperty("psi_bins", d.bins());
    json.addProperty("ks", d.ks());
    json.addProperty("ks_p_value", d.ksPValue());
    json.addProperty("ks_method", "new scores against the CDF of the bundle's " + ref.getHistogramCountsCount()
        + "-bin histogram (linear within bins; the bundle keeps no raw scores)");
    json.addProperty("n", d.n());
    json.addProperty("reference_n", d.referenceN());
    json.addProperty("mean", now.getMean());
    json.addProperty("reference_mean", ref.getMean());
    json.addProperty("p99", now.getQuantilesOrDefault("p99", Double.NaN));
    json.addProperty("reference_p99", ref.getQuantilesOrDefault("p99", Double.NaN));
    json.addProperty("anomaly_rate", (double) anomalies / scores.length);
    json.addProperty("threshold", bundle.threshold().getValue());
    json.add("new_shares", array(d.newShares()));
    json.add("reference_shares", array(d.referenceShares()));
    json.addProperty("retrain_due", due);
    if (output != null) {
      String text = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
          .toJson(json) + "\n";
      try {
        tsad.core.io.AtomicFiles.writeAll(Map.of(output, text.getBytes(StandardCharsets.UTF_8)));
      } catch (java.io.IOException e) {
        throw new DataException("cannot write --output " + output + ": " + tsad.core.io.AtomicFiles.reason(e));
      }
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put("retrain_due", Boolean.toString(due));
    props.put("psi", fmt(d.psi()));
    props.put("ks", fmt(d.ks()));
    props.put("ks_p_value", fmt(d.ksPValue()));
    props.put("n", Long.toString(d.n()));
    props.put("anomaly_rate", fmt((double) anomalies / scores.length));
    ActionOutput.write(props);
    System.out.printf(Locale.ROOT, "drift: %s: PSI %.4f (threshold %.2f), KS %.4f (p %.3g, against the stored "
            + "histogram), %d new scores vs %d %s scores, %.1f%% above the threshold (%s)%n",
        due ? "RETRAIN DUE" : "no retraining due", d.psi(), thresholdPsi, d.ks(), d.ksPValue(), d.n(), d.referenceN(),
        reference, 100.0 * anomalies / scores.length, modelName);
    return 0;
  }

  private static JsonArray array(double[] v) {
    JsonArray a = new JsonArray();
    for (double x : v) {
      a.add(x);
    }
    return a;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
