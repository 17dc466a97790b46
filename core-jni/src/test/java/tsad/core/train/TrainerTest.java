package tsad.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.io.Sha256Sums;
import tsad.core.model.Autoencoder;
import tsad.core.model.Fixtures;
import tsad.core.model.TorchRuntime;
import tsad.core.scale.Scaler;
import tsad.core.score.Scorer;
import tsad.core.window.Window;
import tsad.proto.Aggregation;
import tsad.proto.Architecture;
import tsad.proto.ModelSpec;
import tsad.proto.ScalerParams;
import tsad.proto.TrainConfig;

class TrainerTest {
  @TempDir Path dir;

  static final ModelSpec DENSE = ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(32)
      .setFeatures(1).build();

  @BeforeAll
  static void threads() {
    TorchRuntime.threads(1);
  }

  private double[] trainAndScore(TrainConfig cfg, Path checkpoints, boolean resume, List<Window> data) {
    Split.Parts p = Split.of(data, 0.2, cfg.getSeed());
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, p.train(), List.of("value"));
    TorchRuntime.seed(cfg.getSeed());
    try (Autoencoder m = Autoencoder.create(DENSE)) {
      new Trainer(cfg, checkpoints, TrainListener.NONE).train(m, p.train(), p.validation(), scaler, resume);
      return new Scorer(m, scaler, Aggregation.MEAN, 0).scores(data, 64);
    }
  }

  @Test
  void lossFallsAndValidationDrivesTheBestEpoch() {
    List<Window> data = Fixtures.sines(200, 32, 1, 3);
    Split.Parts p = Split.of(data, 0.2, 7);
    assertEquals(40, p.validation().size());
    assertEquals("by series", p.how());
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, p.train(), List.of("value"));
    TorchRuntime.seed(7);
    try (Autoencoder m = Autoencoder.create(DENSE)) {
      Trainer.Result r = new Trainer(Fixtures.quick(15), dir.resolve("cp"), TrainListener.NONE)
          .train(m, p.train(), p.validation(), scaler, false);
      assertEquals(15, r.epochsRun());
      double first = r.history().get(0).getTrainLoss();
      double last = r.history().get(14).getTrainLoss();
      assertTrue(last < first * 0.5, "training loss fell: " + first + " -> " + last);
      double bestVal = r.history().stream().mapToDouble(e -> e.getValidationLoss()).min().orElseThrow();
      assertEquals(bestVal, r.bestValidationLoss(), 0);
      assertTrue(r.history().get(0).getWindowsPerSecond() > 0);
    }
  }

  @Test
  void sameSeedSameDataGivesTheSameModel() {
    List<Window> data = Fixtures.sines(100, 32, 1, 5);
    double[] a = trainAndScore(Fixtures.quick(4), dir.resolve("a"), false, data);
    double[] b = trainAndScore(Fixtures.quick(4), dir.resolve("b"), false, data);
    assertArrayEquals(a, b, 0.0, "bit-identical scores from two runs with one seed");
    double[] c = trainAndScore(Fixtures.quick(4).toBuilder().setSeed(8).build(), dir.resolve("c"), false, data);
    assertTrue(a[0] != c[0], "another seed gives another model");
  }

  @Test
  void resumingAnInterruptedRunEqualsAnUninterruptedOne() {
    List<Window> data = Fixtures.sines(100, 32, 1, 9);
    double[] straight = trainAndScore(Fixtures.quick(6), dir.resolve("straight"), false, data);
    Path cp = dir.resolve("interrupted");
    trainAndScore(Fixtures.quick(3), cp, false, data);       // "interrupted" after epoch 3
    double[] resumed = trainAndScore(Fixtures.quick(6), cp, true, data);
    assertArrayEquals(straight, resumed, 0.0, "resume continues exactly where the run stopped");
  }

  @Test
  void resumeRefusesOtherDataOrAMissingCheckpoint() {
    List<Window> data = Fixtures.sines(60, 32, 1, 9);
    Path cp = dir.resolve("cp");
    assertThrowsWith(TrainingException.class, "--resume: no checkpoint found in " + cp,
        () -> trainAndScore(Fixtures.quick(2), cp, true, data));
    trainAndScore(Fixtures.quick(2), cp, false, data);
    TrainingException e = assertThrows(TrainingException.class,
        () -> trainAndScore(Fixtures.quick(4), cp, true, Fixtures.sines(60, 32, 1, 10)));
    assertTrue(e.getMessage().contains("other training data"), e.getMessage());
  }

  @Test
  void resumeVerifiesEveryCheckpointFileAgainstItsSeal() throws java.io.IOException {
    List<Window> data = Fixtures.sines(60, 32, 1, 9);
    Path cp = dir.resolve("sealed");
    trainAndScore(Fixtures.quick(2), cp, false, data);
    Sha256Sums seal = Sha256Sums.parse(Files.readAllBytes(cp.resolve(Checkpoints.SEAL)));
    assertEquals(List.of("state-2.pb", "model-2.pt", "optimizer-2.pt"), List.copyOf(seal.sums().keySet()).subList(0, 3),
        "the last epoch's files");
    assertTrue(List.copyOf(seal.sums().keySet()).get(3).matches("best-[12]\\.pt"), seal.sums().toString());
    try (var s = Files.list(cp)) {
      assertEquals(seal.sums().size() + 1, s.count(), "only the sealed files and the seal stay");
    }
    for (String name : seal.sums().keySet()) {
      Path copy = copyDir(cp, "flip-" + name);
      byte[] b = Files.readAllBytes(copy.resolve(name));
      b[b.length / 2] ^= 1;
      Files.write(copy.resolve(name), b);
      assertThrowsWith(TrainingException.class, name + " does not match its sha256 in checkpoint.sha256",
          () -> trainAndScore(Fixtures.quick(4), copy, true, data));
      Path gone = copyDir(cp, "gone-" + name);
      Files.delete(gone.resolve(name));
      assertThrowsWith(TrainingException.class, "is incomplete: " + name + " is missing",
          () -> trainAndScore(Fixtures.quick(4), gone, true, data));
    }
    Path unsealed = copyDir(cp, "unsealed");
    Files.delete(unsealed.resolve(Checkpoints.SEAL));
    assertThrowsWith(TrainingException.class, "no checkpoint found",
        () -> trainAndScore(Fixtures.quick(4), unsealed, true, data));
    Files.write(unsealed.resolve("state.pb"), Files.readAllBytes(cp.resolve("state-2.pb")));
    assertThrowsWith(TrainingException.class, "written by an older tsad and has no seal",
        () -> trainAndScore(Fixtures.quick(4), unsealed, true, data));
    Path foreign = copyDir(cp, "foreign");
    Files.writeString(foreign.resolve(Checkpoints.SEAL), Files.readString(foreign.resolve(Checkpoints.SEAL))
        + Sha256Sums.hex(new byte[0]) + "  notes.txt\n");
    assertThrowsWith(TrainingException.class, "names 'notes.txt', which is not one of a checkpoint's files",
        () -> trainAndScore(Fixtures.quick(4), foreign, true, data));
  }

  @Test
  void resumeRefusesResealedWeightsOfAnotherShapeAndIgnoresAHalfWrittenEpoch() throws java.io.IOException {
    List<Window> data = Fixtures.sines(60, 32, 1, 9);
    Path cp = dir.resolve("reshaped");
    trainAndScore(Fixtures.quick(2), cp, false, data);
    Path other = dir.resolve("other");
    ModelSpec wide = DENSE.toBuilder().addHidden(64).addHidden(8).build();
    Split.Parts p = Split.of(data, 0.2, 7);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, p.train(), List.of("value"));
    try (Autoencoder m = Autoencoder.create(wide)) {
      new Trainer(Fixtures.quick(1), other, TrainListener.NONE).train(m, p.train(), p.validation(), scaler, false);
    }
    Path mixed = copyDir(cp, "mixed");
    Files.copy(other.resolve("model-1.pt"), mixed.resolve("model-2.pt"), StandardCopyOption.REPLACE_EXISTING);
    java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    for (String n : Sha256Sums.parse(Files.readAllBytes(mixed.resolve(Checkpoints.SEAL))).sums().keySet()) {
      files.put(n, Files.readAllBytes(mixed.resolve(n)));
    }
    Files.write(mixed.resolve(Checkpoints.SEAL), Sha256Sums.of(files).toBytes());
    assertThrowsWith(TrainingException.class, "fc0.weight is [64, 32], the spec needs [32, 32]",
        () -> trainAndScore(Fixtures.quick(4), mixed, true, data));
    // An epoch cut off before its seal was written: its files are there, the seal still names epoch 2's.
    double[] straight = trainAndScore(Fixtures.quick(4), dir.resolve("straight"), false, data);
    Files.write(cp.resolve("model-3.pt"), new byte[] {1, 2, 3});
    Files.write(cp.resolve("state-3.pb"), new byte[] {4});
    assertArrayEquals(straight, trainAndScore(Fixtures.quick(4), cp, true, data), 0.0);
  }

  private Path copyDir(Path from, String name) throws java.io.IOException {
    Path to = Files.createDirectories(dir.resolve("copies").resolve(name));
    try (var s = Files.list(from)) {
      for (Path f : s.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  @Test
  void earlyStoppingStopsWhenValidationStallsAndNanLossAborts() {
    List<Window> data = Fixtures.sines(100, 32, 1, 11);
    Split.Parts p = Split.of(data, 0.2, 7);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, p.train(), List.of("value"));
    TrainConfig stall = Fixtures.quick(200).toBuilder().setPatience(2).setMinDelta(10).build();
    try (Autoencoder m = Autoencoder.create(DENSE)) {
      Trainer.Result r = new Trainer(stall, dir.resolve("es"), TrainListener.NONE)
          .train(m, p.train(), p.validation(), scaler, false);
      assertEquals("early_stopping", r.stopReason());
      assertEquals(3, r.epochsRun(), "first epoch improves on infinity, then 2 stale epochs");
    }
    // Values near float max overflow the squared error: the loss is inf and training must stop, not go on.
    float[] huge = new float[32];
    java.util.Arrays.fill(huge, 3e38f);
    List<Window> bad = List.of(new Window("h", "h", 0, 0, 32, 1, 32, 0, huge));
    Scaler none = Scaler.fit(ScalerParams.Kind.NONE, bad, List.of("value"));
    try (Autoencoder m = Autoencoder.create(DENSE)) {
      TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(Fixtures.quick(3),
          dir.resolve("nan"), TrainListener.NONE).train(m, bad, List.of(), none, false));
      assertTrue(e.getMessage().contains("training diverged"), e.getMessage());
    }
  }

  @Test
  void splitFallsBackToTimeOrderWithFewSeries() {
    List<Window> ws = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ws.add(new Window("d@" + i, "d", i, i, 4, 1, 4, i, new float[4]));
    }
    Split.Parts p = Split.of(ws, 0.2, 1);
    assertEquals(2, p.validation().size());
    assertEquals("d@8", p.validation().get(0).id(), "the last windows in time are held out");
  }
}
