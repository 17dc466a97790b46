package tsad.core.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataReport;
import tsad.core.io.FileTrees;
import tsad.core.model.TorchRuntime;
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

/**
 * How the committed golden sets under {@code src/test/resources/golden/v1/} were made (bundle format version 1,
 * tsad 0.1.0-SNAPSHOT, libtorch 2.10.0 through JavaCPP 1.5.13, on an x86-64 CPU with AVX2). Never run by the
 * normal test suite: the golden files are a record of the past, and regenerating them would make
 * {@link GoldenBundleTest} prove nothing. Rewriting them is a deliberate act (a new format version gets a new
 * {@code golden/vN/} directory next to the old one, which stays):
 *
 * <pre>
 * OPENBLAS_NUM_THREADS=1 mvn -pl core-jni test -Dtest=GoldenBundleWriter -Dtsad.golden.write=true
 * </pre>
 *
 * <p>(or run {@link #main} with the golden directory as its argument). Each set is a small model trained with the
 * CLI's pipeline ({@link TrainPipeline#run}) on synthetic data ({@link SynthGenerator}, fixed seeds), the CSV it is
 * scored on, and the bundle's scores of that CSV at each of {@link GoldenSet#BATCH_SIZES}.
 */
@EnabledIfSystemProperty(named = "tsad.golden.write", matches = "true")
class GoldenBundleWriter {
  /** One golden set: what to train, on what, and what to score. */
  record Recipe(String name, Architecture arch, WindowSpec spec, SynthConfig train, SynthConfig input, int epochs,
                long seed) {}

  static final List<Recipe> RECIPES = List.of(
      // Dense, sliding windows T=16 every 4 steps over two features; 50-step slices end in a tail window aligned
      // to the end (starts 0, 4, ..., 32, then 34). 10 input slices: 100 windows, one batch of 3,200 values at 256
      // (libtorch's scoring path), and batches of 8 (the small-batch Java path).
      new Recipe("dense-window", Architecture.DENSE, new WindowSpec(WindowMode.WINDOW, 16, 4, LengthPolicy.PAD),
          new SynthConfig(80, 50, 2, 0.1, 2024), new SynthConfig(10, 50, 2, 0.3, 2025), 5, 7),
      // 1D-CNN, one slice of T=32 per sample, one feature.
      new Recipe("cnn-slice", Architecture.CNN, new WindowSpec(WindowMode.SLICE, 32, 32, LengthPolicy.REJECT),
          new SynthConfig(120, 32, 1, 0.1, 3031), new SynthConfig(16, 32, 1, 0.25, 3032), 4, 11));

  @Test
  void write() throws IOException {
    String basedir = System.getProperty("basedir", "");
    main(new String[] {Path.of(basedir).resolve("src/test/resources/golden").toAbsolutePath().toString()});
  }

  /** Writes every recipe's set under {@code args[0]} (the golden directory of the source tree). */
  public static void main(String[] args) throws IOException {
    TorchRuntime.threads(1);
    Path root = Path.of(args[0]);
    for (Recipe r : RECIPES) {
      write(r, GoldenSet.dir(root, r.name()));
    }
  }

  static void write(Recipe r, Path out) throws IOException {
    Path tmp = Files.createTempDirectory("tsad-golden-" + r.name());
    try {
      new SynthGenerator(r.train()).writeCsv(tmp.resolve("train"));
      new SynthGenerator(r.input()).writeCsv(tmp.resolve("input"));
      DataReport report = new DataReport();
      Inputs.Loaded train = Inputs.read(List.of(tmp.resolve("train/train.csv")), CsvOptions.defaults(), r.spec(),
          report);
      TrainConfig config = TrainConfig.newBuilder().setMaxEpochs(r.epochs()).setBatchSize(32).setLearningRate(1e-3)
          .setPatience(0).setValidationFraction(0.2).setGradClip(5).setSeed(r.seed()).setThreads(1)
          .setDevice("cpu").setThresholdMethod("p99").build();
      Path bundleDir = out.resolve("bundle");
      FileTrees.deleteTree(bundleDir);
      Files.createDirectories(out);
      TrainRequest req = new TrainRequest(ModelSpec.newBuilder().setArch(r.arch()).build(),
          Inputs.dataSpec(CsvOptions.defaults(), r.spec(), train.featureNames()), config, bundleDir, false, "");
      TrainPipeline.run(train.windows(), train.featureNames(), report, req, TrainListener.NONE);
      Path input = out.resolve("input.csv");
      Files.copy(tmp.resolve("input/test.csv"), input, StandardCopyOption.REPLACE_EXISTING);

      // Scored as the test will score them: the bundle as loaded back from disk, the input through the reader.
      ModelBundle bundle = ModelBundle.load(bundleDir);
      Inputs.Loaded data = GoldenSet.read(bundle, input);
      List<List<ScoreResult>> byBatch = new ArrayList<>();
      for (int b : GoldenSet.BATCH_SIZES) {
        byBatch.add(GoldenSet.score(bundle, data, b));
      }
      List<String> lines = new ArrayList<>();
      lines.add("# Written by GoldenBundleWriter (" + r + ")");
      lines.add("# ModelBundle.load(bundle).newScorer().score(windows of input.csv, BATCH, false); one score column "
          + "per batch size");
      lines.add("threshold\t" + bundle.threshold().getValue());
      lines.add("cpu_capability\t" + torch.get_cpu_capability().getString());
      StringBuilder batches = new StringBuilder();
      StringBuilder header = new StringBuilder("window");
      for (int b : GoldenSet.BATCH_SIZES) {
        batches.append(batches.length() == 0 ? "" : ",").append(b);
        header.append("\tscore_batch_").append(b);
      }
      lines.add("batch_sizes\t" + batches);
      lines.add(header.append("\tis_anomaly").toString());
      for (int i = 0; i < data.windows().size(); i++) {
        StringBuilder line = new StringBuilder(byBatch.get(0).get(i).id());
        for (List<ScoreResult> s : byBatch) {
          line.append('\t').append(Double.toString(s.get(i).score()));
          assertEquals(byBatch.get(0).get(i).isAnomaly(), s.get(i).isAnomaly(),
              "a window this close to the threshold would make the golden set depend on float rounding: " + i);
        }
        lines.add(line.append('\t').append(byBatch.get(0).get(i).isAnomaly()).toString());
      }
      Files.write(out.resolve("expected-scores.tsv"), lines, StandardCharsets.UTF_8);
    } finally {
      FileTrees.deleteTree(tmp);
    }
  }
}
