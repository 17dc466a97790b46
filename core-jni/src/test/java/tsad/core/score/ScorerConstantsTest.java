package tsad.core.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tsad.core.model.Autoencoder;
import tsad.core.model.Fixtures;
import tsad.core.model.Tensors;
import tsad.core.model.TorchRuntime;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;
import tsad.proto.Aggregation;
import tsad.proto.Architecture;
import tsad.proto.ModelSpec;
import tsad.proto.ScalerParams;

/**
 * The scorer's once-made scaling tensors stay valid after the scope they were made in; the small-batch path (Java
 * scaling and error sums) gives libtorch's scaled bits and its scores to float tolerance; windows that are views of
 * their series scale and score like copies.
 */
class ScorerConstantsTest {
  @BeforeAll
  static void threads() {
    TorchRuntime.threads(1);
  }

  @Test
  void aScorerMadeInsideAClosedScopeStillScoresLikeTheSharedScalingPath() {
    List<Window> w = Fixtures.sines(8, 16, 2, 5);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a", "b"));
    try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
        .setFeatures(2).build())) {
      Scorer scorer;
      try (PointerScope made = new PointerScope()) {
        scorer = new Scorer(m, scaler, Aggregation.MEAN, 0);
      }
      double[] batched = scorer.scores(w, 8);
      double[] single = scorer.scores(w, 1);
      // The reference: scale through Tensors.windows(..., scaler) and reduce as the scorer documents it.
      double[] expected = new double[w.size()];
      m.eval();
      for (int i = 0; i < w.size(); i++) {
        try (PointerScope s = new PointerScope(); InferenceMode g = new InferenceMode()) {
          var x = Tensors.windows(w, i, 1, scaler);
          expected[i] = Tensors.toArray(m.forward(x).sub_(x).square_().mean(new long[] {1, 2}, false,
              new org.bytedeco.pytorch.ScalarTypeOptional()))[0];
        }
      }
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], single[i], 1e-6 * expected[i], "batch 1 (error summed in Java) vs libtorch's path");
      }
      assertArrayEquals(single, scorer.scores(w, 1), 0, "the same batch size gives the same bits");
      assertArrayEquals(expected, batched, 1e-6, "other batch sizes agree to float tolerance");
    }
  }

  @Test
  void largeBatchScoresAreLibtorchsMeanBitForBit() {
    // 64 windows of 16 x 3 values are more than Tensors.SMALL_BATCH_VALUES: the libtorch path, which sums the
    // errors natively and divides in Java; the reference takes libtorch's own mean.
    List<Window> w = Fixtures.sines(64, 16, 3, 11);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a", "b", "c"));
    try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
        .setFeatures(3).build())) {
      double[] scores = new Scorer(m, scaler, Aggregation.MEAN, 0).scores(w, 64);
      float[] expected;
      try (PointerScope s = new PointerScope(); InferenceMode g = new InferenceMode()) {
        var x = Tensors.windows(w, 0, 64, scaler);
        expected = Tensors.toArray(m.forward(x).sub_(x).square_().mean(new long[] {1, 2}, false,
            new org.bytedeco.pytorch.ScalarTypeOptional()));
      }
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], scores[i], 0, "window " + i);
      }
    }
  }

  @Test
  void batchesThatReuseOneCallsBuffersScoreLikeCallsOfTheirOwn() {
    // 250 windows of 16 x 3 in batches of 100: two full batches and a partial one (50 x 48 values, still the
    // libtorch path) in the first rows of the same input and sum tensors.
    List<Window> w = Fixtures.sines(250, 16, 3, 12);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a", "b", "c"));
    try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
        .setFeatures(3).build())) {
      Scorer scorer = new Scorer(m, scaler, Aggregation.MEAN, 0);
      double[] together = scorer.scores(w, 100);
      double[] alone = new double[w.size()];
      for (int from = 0; from < w.size(); from += 100) {
        List<Window> part = w.subList(from, Math.min(w.size(), from + 100));
        System.arraycopy(scorer.scores(part, 100), 0, alone, from, part.size());
      }
      assertArrayEquals(alone, together, 0);
    }
  }

  @Test
  void scalingInJavaWhileCopyingGivesTheSameBitsAsLibtorch() {
    java.util.Random r = new java.util.Random(3);
    List<Window> w = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      float[] v = new float[16 * 3];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3) + (k % 3) * 1000);
      }
      w.add(new Window("w" + i, "w" + i, 0, 0, 16, 3, 16, 0, v));
    }
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a", "b", "c"));
    for (int i = 0; i < w.size(); i += 2) {
      try (PointerScope s = new PointerScope()) {
        float[] torch = Tensors.toArray(Tensors.windows(w, i, 2, scaler));
        float[] java = Tensors.scaled(w, i, 2, scaler.center(), scaler.inverseScale());
        assertArrayEquals(torch, java, 0f, "windows " + i + ", " + (i + 1));
      }
    }
  }

  @Test
  void windowsThatShareTheirSeriesScoreAndScaleLikeCopies() {
    for (int f : new int[] {1, 3}) { // one feature has its own scaling loop
      java.util.Random r = new java.util.Random(f);
      int n = 200;
      long[] times = new long[n];
      float[] v = new float[n * f];
      for (int i = 0; i < n; i++) {
        times[i] = 60_000L * i;
        for (int j = 0; j < f; j++) {
          v[i * f + j] = (float) (Math.sin(i / 5.0 + j) * (j + 1) * 100 + r.nextGaussian());
        }
      }
      tsad.core.data.Series series = new tsad.core.data.Series("s", times, v, f);
      List<Window> views = new tsad.core.window.WindowBuilder(new tsad.core.window.WindowSpec(
          tsad.proto.WindowMode.WINDOW, 16, 1, tsad.proto.LengthPolicy.REJECT)).build(series,
          new tsad.core.data.DataReport());
      List<Window> copies = new java.util.ArrayList<>();
      for (Window w : views) {
        copies.add(new Window(null, w.seriesId(), w.startMs(), w.endMs(), w.steps(), w.features(), w.validSteps(),
            w.index(), w.values()));
      }
      List<String> names = f == 1 ? List.of("a") : List.of("a", "b", "c");
      Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, views, names);
      assertArrayEquals(Scaler.fit(ScalerParams.Kind.STANDARD, copies, names).center(), scaler.center(), 0f);
      try (PointerScope s = new PointerScope()) {
        assertArrayEquals(Tensors.toArray(Tensors.windows(copies, 0, copies.size(), scaler)),
            Tensors.scaled(views, 0, views.size(), scaler.center(), scaler.inverseScale()), 0f,
            "Java scaling of views = libtorch scaling of copies, bit for bit");
      }
      try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
          .setFeatures(f).build())) {
        Scorer scorer = new Scorer(m, scaler, Aggregation.MEAN, 0);
        assertArrayEquals(scorer.scores(copies, 64), scorer.scores(views, 64), 0, "f=" + f);
      }
    }
  }

  @Test
  void perStepFeatureErrorsAddUpToTheWindowsFeatureShares() {
    List<Window> w = Fixtures.sines(80, 16, 2, 9);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a", "b"));
    try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
        .setFeatures(2).build())) {
      Scorer scorer = new Scorer(m, scaler, Aggregation.MEAN, 0);
      for (int batch : new int[] {1, 80}) { // the small-batch (Java) path and the libtorch path
        for (ScoreResult r : scorer.score(w, batch, true)) {
          double[] perFeature = new double[2];
          for (int s = 0; s < 16; s++) {
            double[] share = r.stepFeatureShare(s);
            assertEquals(1.0, share[0] + share[1], 1e-9);
            perFeature[0] += r.stepFeatureErrors()[s * 2];
            perFeature[1] += r.stepFeatureErrors()[s * 2 + 1];
            assertEquals(r.stepErrors()[s], (r.stepFeatureErrors()[s * 2] + r.stepFeatureErrors()[s * 2 + 1]) / 2,
                1e-6 * Math.max(1e-6, r.stepErrors()[s]), "a step's error is the mean of its features' errors");
          }
          assertEquals(r.featureShare()[0], perFeature[0] / (perFeature[0] + perFeature[1]), 1e-6);
        }
      }
    }
  }
}
