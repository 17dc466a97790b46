package tsad.core.quality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataReport;
import tsad.core.model.Autoencoder;
import tsad.core.model.ModelSpecs;
import tsad.core.model.TorchRuntime;
import tsad.core.score.Evaluation;
import tsad.core.score.ScoreResult;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainPipeline;
import tsad.core.train.TrainRequest;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.TrainConfig;
import tsad.proto.WindowMode;

/**
 * The detection-quality bar of the core engine, on `tsad synth` data (2,000 slices, T=64), with the CLI's
 * default hyperparameters: every
 * architecture reaches AUC-ROC >= 0.95, and the dense model at its p99 threshold catches >= 90 % of
 * anomalous slices with <= 2 % false alarms. Writes the measured table to target/quality.md.
 */
@Tag("quality")
class QualityTest {
  static Path dir;
  static Map<String, Boolean> labels;
  static Map<String, String> kinds;
  static final Map<String, String> ROWS = new LinkedHashMap<>();

  @BeforeAll
  static void data() throws IOException {
    dir = Files.createTempDirectory("tsad-quality");
    new SynthGenerator(new SynthConfig(2000, 64, 1, 0.1, 42)).writeCsv(dir);
    labels = SynthGenerator.readLabels(dir.resolve("labels.csv"));
    kinds = SynthGenerator.readKinds(dir.resolve("labels.csv"));
    TorchRuntime.threads(Math.min(2, Runtime.getRuntime().availableProcessors()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense", "cnn", "lstm"})
  void architectureSeparatesAnomalies(String arch) {
    WindowSpec spec = new WindowSpec(WindowMode.SLICE, 64, 64, LengthPolicy.REJECT);
    DataReport trainReport = new DataReport();
    Inputs.Loaded train = Inputs.read(List.of(dir.resolve("train.csv")), CsvOptions.defaults(), spec, trainReport);
    TrainConfig cfg = TrainConfig.newBuilder().setMaxEpochs(100).setBatchSize(64).setLearningRate(1e-3)
        .setPatience(ModelSpecs.defaultPatience(ModelSpecs.parseArch(arch))).setMinDelta(1e-5).setValidationFraction(0.2).setGradClip(5).setSeed(42)
        .setThreads(Math.min(2, Runtime.getRuntime().availableProcessors())).setDevice("cpu")
        .setThresholdMethod("p99").build();
    Path out = dir.resolve("model-" + arch);
    TrainRequest req = new TrainRequest(ModelSpecs.defaults(ModelSpecs.parseArch(arch)).build(),
        Inputs.dataSpec(CsvOptions.defaults(), spec, train.featureNames()), cfg, out, false, "");
    long t0 = System.nanoTime();
    TrainPipeline.Outcome o = TrainPipeline.run(train.windows(), train.featureNames(), trainReport, req,
        TrainListener.NONE);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;

    Inputs.Loaded test = Inputs.read(List.of(dir.resolve("test.csv")), CsvOptions.defaults(), spec, new DataReport());
    List<ScoreResult> results = o.bundle().newScorer().score(test.windows(), 256, false);
    double[] scores = new double[results.size()];
    boolean[] truth = new boolean[results.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = results.get(i).score();
      truth[i] = labels.get(results.get(i).seriesId());
    }
    double threshold = o.bundle().threshold().getValue();
    double auc = Evaluation.auc(scores, truth);
    double recall = Evaluation.recall(scores, truth, threshold);
    double fa = Evaluation.falseAlarmRate(scores, truth, threshold);
    StringBuilder perKind = new StringBuilder();
    for (String kind : List.of("spike", "level_shift", "frequency_change", "flat_line", "noise_burst")) {
      long n = 0;
      long hit = 0;
      for (ScoreResult r : results) {
        if (kind.equals(kinds.get(r.seriesId()))) {
          n++;
          hit += r.isAnomaly() ? 1 : 0;
        }
      }
      perKind.append(String.format(Locale.ROOT, " %.1f%% |", 100.0 * hit / Math.max(1, n)));
    }
    ROWS.put(arch, String.format(Locale.ROOT, "| %s | %.4f | %.1f%% | %.2f%% | %d | %.1f |%s", arch, auc,
        100 * recall, 100 * fa, o.training().epochsRun(), trainSeconds, perKind));
    System.out.println("quality " + ROWS.get(arch));
    assertTrue(auc >= 0.95, arch + ": AUC-ROC " + auc + " < 0.95");
    if (arch.equals("dense")) {
      assertTrue(recall >= 0.90, "dense recall at p99 " + recall + " < 0.90");
      assertTrue(fa <= 0.02, "dense false-alarm rate at p99 " + fa + " > 0.02");
    }
  }

  @AfterAll
  static void report() throws IOException {
    StringBuilder md = new StringBuilder("| arch | AUC-ROC | recall @p99 | false alarms @p99 | epochs | train s |"
        + " spike | level_shift | frequency_change | flat_line | noise_burst |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
    ROWS.values().forEach(r -> md.append(r).append('\n'));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "quality.md"), md.toString());
  }
}
