package tsad.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.util.Random;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataException;
import tsad.proto.ScoreDistribution;

/** PSI and KS of new scores against a stored histogram: same distribution, shifted, scaled, and bad input. */
class DriftTest {
  private static double[] gamma(Random r, int n, double scale, double shift) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      x[i] = shift + scale * (a * a + b * b);   // chi-square(2): skewed like reconstruction errors
    }
    return x;
  }

  @Test
  void sameDistributionGivesSmallPsiAndKs() {
    Random r = new Random(1);
    ScoreDistribution ref = Distributions.of(gamma(r, 2000, 1, 0));
    Drift.Result d = Drift.compare(ref, gamma(r, 500, 1, 0), 10);
    assertTrue(d.bins() >= 6 && d.bins() <= 10, "bins " + d.bins());
    assertTrue(d.psi() < 0.05, "psi " + d.psi());
    assertTrue(d.ks() < 0.08 && d.ksPValue() > 0.05, "ks " + d.ks() + " p " + d.ksPValue());
    assertEquals(1.0, java.util.Arrays.stream(d.referenceShares()).sum(), 1e-9);
    assertEquals(1.0, java.util.Arrays.stream(d.newShares()).sum(), 1e-9);
    // merged bins are never sparse (one stored bin can hold more than a tenth: bins cannot be split)
    for (double s : d.referenceShares()) {
      assertTrue(s > 0.05, java.util.Arrays.toString(d.referenceShares()));
    }
  }

  @Test
  void shiftedOrScaledScoresDrift() {
    Random r = new Random(2);
    ScoreDistribution ref = Distributions.of(gamma(r, 2000, 1, 0));
    Drift.Result scaled = Drift.compare(ref, gamma(r, 500, 2, 0), 10);
    assertTrue(scaled.psi() > 0.2, "psi " + scaled.psi());
    assertTrue(scaled.ksPValue() < 1e-6, "p " + scaled.ksPValue());
    Drift.Result beyond = Drift.compare(ref, gamma(r, 500, 1, 100), 10);
    // everything above the reference's maximum lands in the open last bin
    assertEquals(1.0, beyond.newShares()[beyond.bins() - 1], 1e-9);
    assertEquals(1.0, beyond.ks(), 1e-9);
  }

  @Test
  void ksAgainstAUniformHistogramIsExact() {
    ScoreDistribution ref = ScoreDistribution.newBuilder().setCount(100).addHistogramEdges(0).addHistogramEdges(1)
        .addHistogramCounts(100).build();
    // new sample at 0.5 only: F_new jumps from 0 to 1 at 0.5, F_ref(0.5) = 0.5
    assertEquals(0.5, Drift.compare(ref, new double[] {0.5, 0.5}, 2).ks(), 1e-12);
  }

  @Test
  void aBundleWithoutHistogramOrNoScoresIsAClearError() {
    DataException none = assertThrows(DataException.class,
        () -> Drift.compare(ScoreDistribution.getDefaultInstance(), new double[] {1}, 10));
    assertTrue(none.getMessage().contains("no score histogram"), none.getMessage());
    ScoreDistribution ref = Distributions.of(new double[] {1, 2, 3});
    assertThrowsWith(DataException.class, "no scores to compare", () -> Drift.compare(ref, new double[0], 10));
  }
}
