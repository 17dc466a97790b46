package tsad.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

  @Test
  void reconstructionErrorBatchByBatchIsTheErrorOfAllReconstructions() {
    List<Window> w = Fixtures.sines(2500, 16, 2, 3);   // three batches of 1024, the last one short
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, w, List.of("a", "b"));
    try (Autoencoder m = Autoencoder.create(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(16)
        .setFeatures(2).build())) {
      Scorer s = new Scorer(m, scaler, Aggregation.MEAN, 0.5);
      List<float[]> recon = s.reconstruct(w, 1024);
      double sum = 0;
      long n = 0;
      for (int i = 0; i < w.size(); i++) {
        for (int k = 0; k < 32; k++) {
          int j = k % 2;
          double d = ((recon.get(i)[k] - scaler.center()[j]) - (w.get(i).value(k) - scaler.center()[j]))
              * scaler.inverseScale()[j];
          sum += d * d;
          n++;
        }
      }
      assertEquals(sum / n, s.reconstructionError(w, scaler), 0);
    }
  }
}
