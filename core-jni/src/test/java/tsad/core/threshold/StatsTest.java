package tsad.core.threshold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {
  private static double[] oneToHundred() {
    double[] v = new double[100];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    return v;
  }

  @Test
  void percentileMatchesNumpyLinear() {
    double[] v = oneToHundred();
    // numpy.percentile(np.arange(1, 101), [99, 50, 25, 0, 100]) = [99.01, 50.5, 25.75, 1, 100]
    assertEquals(99.01, Stats.percentile(v, 99), 1e-12);
    assertEquals(50.5, Stats.percentile(v, 50), 1e-12);
    assertEquals(25.75, Stats.percentile(v, 25), 1e-12);
    assertEquals(1, Stats.percentile(v, 0), 0);
    assertEquals(100, Stats.percentile(v, 100), 0);
    // Even length: the median is the mean of the two middle values.
    assertEquals(2.5, Stats.percentile(new double[] {1, 2, 3, 4}, 50), 0);
    // Wikipedia's worked example of the C = 1 variant (numpy's linear): 40th percentile of these is 29.
    double[] w = {15, 20, 35, 40, 50};
    assertEquals(29, Stats.percentile(w, 40), 1e-12);
    assertEquals(46, Stats.percentile(w, 90), 1e-12);
    assertEquals(40, Stats.percentile(w, 75), 0);
    assertEquals(7, Stats.percentile(new double[] {7}, 63), 0);
  }

  @Test
  void percentileStaysBetweenNeighboursAndIsExactOnTies() {
    double[] ties = {3, 3, 3, 3};
    for (double p = 0; p <= 100; p += 0.5) {
      assertEquals(3, Stats.percentile(ties, p), 0);
    }
    double[] wide = {-1e300, 1e300};
    for (double p = 0; p <= 100; p += 12.5) {
      double q = Stats.percentile(wide, p);
      assertTrue(q >= -1e300 && q <= 1e300, "p" + p + " -> " + q);
    }
  }

  @Test
  void percentileRefusesBadInput() {
    assertThrowsWith(IllegalArgumentException.class, "percentile of an empty sample",
        () -> Stats.percentile(new double[0], 50));
    String range = "percentile must be in [0, 100], got ";
    assertThrowsWith(IllegalArgumentException.class, range + "-0.1", () -> Stats.percentile(new double[] {1}, -0.1));
    assertThrowsWith(IllegalArgumentException.class, range + "100.1", () -> Stats.percentile(new double[] {1}, 100.1));
    assertThrowsWith(IllegalArgumentException.class, range + "NaN",
        () -> Stats.percentile(new double[] {1}, Double.NaN));
  }

  @Test
  void quantilesSortACopy() {
    double[] v = {50, 15, 40, 20, 35};
    assertArrayEquals(new double[] {15, 29, 35, 46, 50}, Stats.quantiles(v, 0, 40, 50, 90, 100), 1e-12);
    assertArrayEquals(new double[] {50, 15, 40, 20, 35}, v, "the caller's array is untouched");
    assertEquals(0, Stats.quantiles(v).length);
    assertThrowsWith(IllegalArgumentException.class, "percentiles of a sample holding NaN",
        () -> Stats.quantiles(new double[] {1, Double.NaN}, 50));
    assertThrowsWith(IllegalArgumentException.class, "percentile of an empty sample",
        () -> Stats.quantiles(new double[0], 50));
  }

  @Test
  void meanAndSampleStd() {
    double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
    assertEquals(5, Stats.mean(v), 0);
    // Population sd is 2; the sample (n - 1) one is sqrt(32 / 7).
    assertEquals(Math.sqrt(32.0 / 7), Stats.std(v), 1e-15);
    assertEquals(Math.sqrt(0.5), Stats.std(new double[] {1, 2}), 1e-15);
    assertEquals(0, Stats.std(new double[] {4, 4, 4}), 0);
  }

  @Test
  void meanAndStdStayAccurateFarFromZero() {
    // The classic catastrophic-cancellation case: 1e9 + {4, 7, 13, 16} has mean 1e9 + 10 and variance 30.
    double[] v = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    assertEquals(1e9 + 10, Stats.mean(v), 0);
    assertEquals(Math.sqrt(30), Stats.std(v), 1e-9);
    // Many small values after one large one: compensated summation keeps them all.
    double[] w = new double[1_000_001];
    w[0] = 1e16;
    java.util.Arrays.fill(w, 1, w.length, 1.0);
    assertEquals((1e16 + 1e6) / w.length, Stats.mean(w), 1e-6);
  }

  @Test
  void meanAndStdOfLargeNormalSample() {
    Random r = new Random(7);
    double[] v = new double[200_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = 3 + 0.5 * r.nextGaussian();
    }
    // Standard errors: mean 0.5 / sqrt(n) = 0.0011, std 0.5 / sqrt(2n) = 0.0008; 5 of each.
    assertEquals(3, Stats.mean(v), 0.0056);
    assertEquals(0.5, Stats.std(v), 0.004);
  }

  @Test
  void meanAndStdRefuseTooSmallSamples() {
    assertThrowsWith(IllegalArgumentException.class, "mean of an empty sample", () -> Stats.mean(new double[0]));
    String std = "sample standard deviation needs at least 2 values, got ";
    assertThrowsWith(IllegalArgumentException.class, std + "1", () -> Stats.std(new double[] {1}));
    assertThrowsWith(IllegalArgumentException.class, std + "0", () -> Stats.std(new double[0]));
  }
}
