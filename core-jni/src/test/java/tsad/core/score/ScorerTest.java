package tsad.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tsad.core.model.Autoencoder;
import tsad.core.model.Fixtures;
import tsad.core.model.TorchRuntime;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;
import tsad.proto.Aggregation;
import tsad.proto.Architecture;
import tsad.proto.ModelSpec;
import tsad.proto.ScalerParams;

class ScorerTest {
  @BeforeAll
  static void threads() {
    TorchRuntime.threads(1);
  }

  @Test
  void aggregationsOfKnownStepErrors() {
    float[] e = {1, 2, 3, 4, 10};
    assertEquals(4.0, Scorer.aggregate(e, Aggregation.MEAN), 1e-12);
    assertEquals(10.0, Scorer.aggregate(e, Aggregation.MAX), 0);
    assertEquals(8.8, Scorer.aggregate(e, Aggregation.P95), 1e-9, "numpy.percentile([1,2,3,4,10], 95)");
  }

  @Test
  void scoresUseOnlyValidStepsAndAgreeWithTheirStepErrors() {
    List<Window> w = Fixtures.sines(3, 16, 2, 4);
    Window full = w.get(0);
    // The same first 10 steps, padded to 16 with the last valid row.
    float[] padded = full.values().clone();
    for (int s = 10; s < 16; s++) {
      System.arraycopy(padded, 9 * 2, padded, s * 2, 2);
    }
    Window pad = new Window("p", "p", 0, 0, 16, 2, 10, 0, padded);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a", "b"));
    try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
        .setFeatures(2).build())) {
      for (Aggregation agg : List.of(Aggregation.MEAN, Aggregation.MAX, Aggregation.P95)) {
        Scorer s = new Scorer(m, scaler, agg, 0.5);
        List<ScoreResult> r = s.score(List.of(full, pad), 2, true);
        assertEquals(16, r.get(0).stepErrors().length);
        assertEquals(10, r.get(1).stepErrors().length, "padded steps are not scored");
        assertEquals(Scorer.aggregate(r.get(1).stepErrors(), agg), r.get(1).score(), 1e-12);
        assertEquals(Scorer.aggregate(r.get(0).stepErrors(), agg), r.get(0).score(), 1e-6);
        assertEquals(r.get(0).score() > 0.5, r.get(0).isAnomaly());
        List<ScoreResult> plain = s.score(List.of(full, pad), 2, false);
        assertNull(plain.get(0).stepErrors());
        assertEquals(r.get(1).score(), plain.get(1).score(), 0, "details do not change the score");
      }
    }
  }

  @Test
  void scoresOfManyCallsAreTheBitsOfOneCall() {
    // 16 batches of 8 a call: 300 windows are three calls, the last one short and ending in a short batch.
    List<Window> w = Fixtures.sines(300, 16, 1, 9);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a"));
    try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
        .setFeatures(1).build())) {
      Scorer s = new Scorer(m, scaler, Aggregation.MEAN, 0.5);
      double[] chunked = s.scores(w, 8);
      List<ScoreResult> one = s.score(w, 8, false);
      assertEquals(one.size(), chunked.length);
      for (int i = 0; i < chunked.length; i++) {
        assertEquals(one.get(i).score(), chunked[i], 0, "window " + i);
      }
    }
  }

  /** Two 2 x 2 windows whose values scale to small integers with {@link #KNOWN}: (1, 1; 0, -2) and (-1, 2; 2, 0). */
  private static final List<Window> HAND = List.of(
      new Window("w1", "w1", 0, 0, 2, 2, 2, 0, new float[] {3, 14, 1, 2}),
      new Window("w2", "w2", 0, 0, 2, 2, 2, 0, new float[] {-1, 18, 5, 10}));
  /** Centres 1 and 10, scales 2 and 4: exact in float, so the hand-computed errors below are exact too. */
  private static final Scaler KNOWN = new Scaler(ScalerParams.newBuilder().setKind(ScalerParams.Kind.STANDARD)
      .addCenter(1).addCenter(10).addScale(2).addScale(4).build());

  @Test
  void scoresOfAKnownReconstructionAreTheHandComputedErrors() {
    // Reconstructed as zeros (scaled), the squared errors are the scaled values squared: w1 (1, 1; 0, 4), w2 (1, 4;
    // 4, 0). Step errors (mean over features): w1 (1, 2), w2 (2.5, 2). Mean: 6/4 = 1.5 and 9/4 = 2.25; max: 2 and
    // 2.5; p95 (linear, as numpy): 1 + 0.95 * 1 = 1.95 and 2 + 0.95 * 0.5 = 2.475. Feature shares: w1 (1, 5) / 6,
    // w2 (5, 4) / 9.
    try (Autoencoder zeros = Fixtures.zeros(2, 2)) {
      double[][] expected = {{1.5, 2.25}, {2, 2.5}, {1.95, 2.475}};
      List<Aggregation> aggs = List.of(Aggregation.MEAN, Aggregation.MAX, Aggregation.P95);
      for (int a = 0; a < aggs.size(); a++) {
        List<ScoreResult> r = new Scorer(zeros, KNOWN, aggs.get(a), 2.0).score(HAND, 2, true);
        for (int i = 0; i < 2; i++) {
          assertEquals(expected[a][i], r.get(i).score(), 1e-12, aggs.get(a) + " " + HAND.get(i).id());
          assertEquals(expected[a][i] > 2.0, r.get(i).isAnomaly());
        }
        assertEquals(1.0, r.get(0).stepErrors()[0], 0);
        assertEquals(2.0, r.get(0).stepErrors()[1], 0);
        assertEquals(1.0 / 6, r.get(0).featureShare()[0], 1e-12);
        assertEquals(4.0 / 9, r.get(1).featureShare()[1], 1e-12);
      }
      // libtorch's path: 1,200 windows of 4 values in one batch are more than Tensors.SMALL_BATCH_VALUES.
      List<Window> many = new ArrayList<>();
      for (int k = 0; k < 600; k++) {
        many.addAll(HAND);
      }
      for (int batch : new int[] {1200, 1}) {
        double[] s = new Scorer(zeros, KNOWN, Aggregation.MEAN, 2.0).scores(many, batch);
        for (int i = 0; i < s.length; i++) {
          assertEquals(i % 2 == 0 ? 1.5 : 2.25, s[i], 0, "batch " + batch + ", window " + i);
        }
      }
    }
  }

  @Test
  void reconstructionErrorOfAKnownReconstructionIsTheHandComputedError() {
    try (Autoencoder zeros = Fixtures.zeros(2, 2)) {
      Scorer s = new Scorer(zeros, KNOWN, Aggregation.MEAN, 0.5);
      // In the model's own units: the scaled values squared, (1 + 1 + 0 + 4 + 1 + 4 + 4 + 0) / 8.
      assertEquals(15.0 / 8, s.reconstructionError(HAND, KNOWN), 0);
      // In raw units (centre 0, scale 1): the reconstruction is the centres (1, 10); errors w1 (-2, -4; 0, 8),
      // w2 (2, -8; -4, 0): (4 + 16 + 0 + 64 + 4 + 64 + 16 + 0) / 8.
      Scaler raw = new Scaler(ScalerParams.newBuilder().setKind(ScalerParams.Kind.NONE).addCenter(0).addCenter(0)
          .addScale(1).addScale(1).build());
      assertEquals(168.0 / 8, s.reconstructionError(HAND, raw), 0);
    }
  }

  @Test
  void reconstructionErrorBatchByBatchIsTheErrorOfAllReconstructions() {
    List<Window> w = Fixtures.sines(2500, 16, 2, 3);   // three batches of 1024, the last one short
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a", "b"));
    try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
        .setFeatures(2).build())) {
      Scorer s = new Scorer(m, scaler, Aggregation.MEAN, 0.5);
      double all = s.reconstructionError(w, scaler);
      // The batches' errors, weighted by their windows (all windows have T x F values), make the whole error.
      double parts = 0;
      for (int from = 0; from < w.size(); from += 1024) {
        List<Window> part = w.subList(from, Math.min(w.size(), from + 1024));
        parts += s.reconstructionError(part, scaler) * part.size();
      }
      assertEquals(parts / w.size(), all, 1e-12 * all);
      // In the model's own units it is the mean of the windows' mean scores, which the scorer computes in float32 on
      // another path (libtorch's squared error of the scaled input, not the inverse-scaled reconstruction).
      double mean = java.util.Arrays.stream(s.scores(w, 256)).average().orElseThrow();
      assertEquals(mean, all, 1e-5 * mean);
    }
  }
}
