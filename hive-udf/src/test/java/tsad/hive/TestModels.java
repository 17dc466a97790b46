package tsad.hive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.CsvOptions;
import tsad.core.data.CsvSeriesReader;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.core.score.ScoreResult;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainPipeline;
import tsad.core.train.TrainRequest;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;
import tsad.proto.Architecture;
import tsad.proto.LengthPolicy;
import tsad.proto.ModelSpec;
import tsad.proto.TrainConfig;
import tsad.proto.WindowMode;
import tsad.registry.MlflowSettings;
import tsad.registry.tracking.TrackedTraining;

/** Small models trained through the core in a few seconds, their data, and reference scores for the tests. */
public final class TestModels {
  /** Steps per slice and window length of the test models. */
  public static final int T = 32;

  private TestModels() {}

  /** A trained model with its synthetic data directory (train.csv, test.csv, labels.csv). */
  public record Trained(Path bundle, Path data, int features, WindowSpec spec) {
    /** The test slices as the core CSV reader groups and sorts them. */
    public List<Series> testSeries() {
      return new CsvSeriesReader(CsvOptions.defaults()).read(List.of(data.resolve("test.csv")), new DataReport());
    }

    /**
     * Reference scores by slice id through the path {@code tsad score} takes: the core CSV reader and window
     * builder with the model's settings, then {@code ModelBundle.newScorer().score} in batches of 256.
     */
    public Map<String, ScoreResult> referenceScores() {
      ModelBundle b = ModelBundle.load(bundle);
      Inputs.Loaded in = Inputs.read(List.of(data.resolve("test.csv")), Inputs.csvOptions(b.dataSpec(), false),
          Inputs.windowSpec(b.dataSpec()), new DataReport());
      Map<String, ScoreResult> out = new LinkedHashMap<>();
      for (ScoreResult r : b.newScorer().score(in.windows(), 256, false)) {
        out.put(r.id(), r);
      }
      return out;
    }
  }

  /** A quick training config: few epochs, one thread, fixed seed. */
  public static TrainConfig quick(int epochs, long seed) {
    return TrainConfig.newBuilder().setMaxEpochs(epochs).setBatchSize(32).setLearningRate(1e-3).setPatience(0)
        .setValidationFraction(0.2).setGradClip(5).setSeed(seed).setThreads(1).setDevice("cpu")
        .setThresholdMethod("p99").build();
  }

  /** Trains a dense slice-mode model on {@code slices} synthetic slices of T steps and F features. */
  public static Trained train(Path dir, int slices, int features, long seed) throws IOException {
    return train(dir, slices, features, seed, new WindowSpec(WindowMode.SLICE, T, T, LengthPolicy.REJECT));
  }

  /** Trains a dense model with the given window spec on slices of T steps. */
  public static Trained train(Path dir, int slices, int features, long seed, WindowSpec spec) throws IOException {
    return train(dir, slices, T, features, seed, spec);
  }

  /** Trains a dense model with the given window spec on slices of {@code length} steps. */
  public static Trained train(Path dir, int slices, int length, int features, long seed, WindowSpec spec)
      throws IOException {
    Path data = dir.resolve("data");
    new SynthGenerator(new SynthConfig(slices, length, features, 0.1, seed)).writeCsv(data);
    DataReport report = new DataReport();
    Inputs.Loaded in = Inputs.read(List.of(data.resolve("train.csv")), CsvOptions.defaults(), spec, report);
    Path bundle = dir.resolve("model");
    TrainRequest req = new TrainRequest(ModelSpec.newBuilder().setArch(Architecture.DENSE).build(),
        Inputs.dataSpec(CsvOptions.defaults(), spec, in.featureNames()), quick(3, seed), bundle, false, "");
    TrainPipeline.run(in.windows(), in.featureNames(), report, req, TrainListener.NONE);
    return new Trained(bundle, data, features, spec);
  }

  /**
   * Trains a dense model on {@code t}'s train.csv and registers it as {@code tsad train --register} does (run,
   * artifacts, MLmodel with the python_function flavor), as version of {@code name}, moving {@code alias} (null:
   * none) to it.
   */
  public static TrackedTraining.Result register(Trained t, Path modelOut, MlflowSettings settings, String experiment,
                                                String name, String alias, long seed) throws IOException {
    Inputs.Loaded in = Inputs.read(List.of(t.data().resolve("train.csv")), CsvOptions.defaults(), t.spec(),
        new DataReport());
    TrainRequest req = new TrainRequest(ModelSpec.newBuilder().setArch(Architecture.DENSE).build(),
        Inputs.dataSpec(CsvOptions.defaults(), t.spec(), in.featureNames()), quick(3, seed), modelOut, false, "");
    return TrackedTraining.run(in.windows(), in.featureNames(), new DataReport(), req, TrainListener.NONE,
        new TrackedTraining.Options(settings, experiment, name, alias, null, false, 0, "synthetic"),
        TrackedTraining.Hooks.NONE);
  }
}
