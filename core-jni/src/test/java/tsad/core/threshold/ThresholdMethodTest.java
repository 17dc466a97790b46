package tsad.core.threshold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThresholdMethodTest {
  private static double[] normal(int n, double mean, double sd, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = mean + sd * r.nextGaussian();
    }
    return v;
  }

  private static double[] exponential(int n, long seed) {
    return GeneralizedParetoTest.sample(new GeneralizedPareto(1, 0), n, seed);
  }

  @Test
  void percentileMatchesNumpy() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i;
    }
    FittedThreshold t = ThresholdMethod.parse("p99").fit(v);
    assertEquals(99.01, t.value(), 1e-9, "numpy.percentile(1..100, 99)");
    assertEquals("p99", t.method());
    assertEquals(100, t.sampleSize());
    assertEquals(Map.of("percentile", 99.0), t.params());
    assertEquals(50.5, ThresholdMethod.parse("p50").fit(v).value(), 1e-12);
    // N(0,1): p99 = 2.3263; the sd of the sample quantile at n = 100k is sqrt(.99 .01 / n) / phi(2.326) = 0.012.
    assertEquals(2.3263, ThresholdMethod.parse("p99").fit(normal(100_000, 0, 1, 1)).value(), 0.05);
  }

  @Test
  void meanPlusKSigma() {
    FittedThreshold t = ThresholdMethod.parse("mean+3sd").fit(normal(50_000, 5, 2, 2));
    // sd of mean + 3 sd at n = 50k: sqrt(4 / n + 9 * 4 / (2 n)) = 0.021; 0.1 is ~5 of them.
    assertEquals(11, t.value(), 0.1);
    assertEquals(List.of("mean", "std", "k"), List.copyOf(t.params().keySet()));
    assertEquals(5, t.params().get("mean"), 0.05);
    assertEquals(2, t.params().get("std"), 0.05);
    assertEquals(3, t.params().get("k"), 0);
    assertEquals(t.params().get("mean") + 3 * t.params().get("std"), t.value(), 1e-12);
    // {1, 2, 3}: mean 2, sample sd 1.
    assertEquals(4.5, ThresholdMethod.parse("mean+2.5sd").fit(new double[] {3, 1, 2}).value(), 1e-15);
    assertThrowsWith(IllegalArgumentException.class, "needs at least 2 scores for a standard deviation, got 1",
        () -> ThresholdMethod.parse("mean+3sd").fit(new double[] {1}));
  }

  @Test
  void potOnAnExponentialTailFindsTheTrueQuantile() {
    FittedThreshold t = ThresholdMethod.parse("pot:1e-3").fit(exponential(20_000, 3));
    // Exp(1): P(X > z) = 1e-3 at z = ln(1000) = 6.908; its tail above any t is Exp(1) again, a GPD with xi = 0.
    assertEquals(Math.log(1000), t.value(), 0.1 * Math.log(1000));
    // Standard error of xi from 400 excesses is ~1 / sqrt(400) = 0.05.
    assertTrue(Math.abs(t.params().get("gpd_xi")) < 0.1, "xi " + t.params().get("gpd_xi"));
    assertEquals(1, t.params().get("gpd_sigma"), 0.15);
    // init 0.98 of 20000 sorted scores sits at position 19599.02: 400 scores lie above it.
    assertEquals(400, t.params().get("excesses"), 0);
    assertEquals("pot:0.001,init=0.98", t.method());
    assertEquals(20_000, t.sampleSize());
    assertEquals(List.of("risk", "init_quantile", "initial_threshold", "gpd_sigma", "gpd_xi", "excesses"),
        List.copyOf(t.params().keySet()));
    assertEquals(-Math.log(0.02), t.params().get("initial_threshold"), 0.15, "the 98th percentile of Exp(1)");
  }

  @Test
  void potValueIsTheGpdTailQuantileAboveTheInitialThreshold() {
    FittedThreshold t = ThresholdMethod.parse("pot:1e-4,init=0.95").fit(normal(10_000, 1, 0.2, 8));
    Map<String, Double> p = t.params();
    double r = 1e-4 * 10_000 / p.get("excesses");
    double xi = p.get("gpd_xi");
    double z = p.get("initial_threshold") + p.get("gpd_sigma") / xi * (Math.pow(r, -xi) - 1);
    assertEquals(z, t.value(), 1e-9 * z);
    assertTrue(xi < 0, "a normal tail is lighter than exponential at finite thresholds, xi " + xi);
  }

  @Test
  void potOnAHeavyTailFindsTheTrueQuantile() {
    GeneralizedPareto truth = new GeneralizedPareto(1, 0.3);
    FittedThreshold t = ThresholdMethod.parse("pot:1e-3").fit(GeneralizedParetoTest.sample(truth, 100_000, 1));
    // GPD(1, 0.3) scores: P(X > z) = 1e-3 at z = (1000^0.3 - 1) / 0.3 = 23.14. With 2000 excesses the xi
    // standard error is ~0.03, i.e. ~6% on the 20-fold extrapolated quantile; 15% is ~2.5 of those.
    assertEquals(truth.quantile(1 - 1e-3), t.value(), 0.15 * truth.quantile(1 - 1e-3));
    assertEquals(0.3, t.params().get("gpd_xi"), 0.1);
  }

  @Test
  void potOnABoundedTailStaysInsideTheData() {
    Random r = new Random(9);
    double[] u = new double[5000];
    for (int i = 0; i < u.length; i++) {
      u[i] = r.nextDouble();
    }
    FittedThreshold t = ThresholdMethod.parse("pot:1e-3").fit(u);
    assertTrue(t.params().get("gpd_xi") < -0.5, "uniform scores have a bounded tail: " + t.params());
    assertTrue(t.value() > t.params().get("initial_threshold") && t.value() <= 1, "threshold " + t.value());
  }

  @Test
  void potCountsOnlyScoresStrictlyAboveATiedInitialThreshold() {
    // 970 distinct low scores, 20 tied at 2.0 (where the 0.98 quantile falls), 10 distinct high ones.
    double[] s = new double[1000];
    for (int i = 0; i < 970; i++) {
      s[i] = i / 1000.0;
    }
    Arrays.fill(s, 970, 990, 2.0);
    for (int i = 990; i < 1000; i++) {
      s[i] = 3 + (i - 990) * 0.7;
    }
    FittedThreshold t = ThresholdMethod.parse("pot:1e-3").fit(s);
    assertEquals(2.0, t.params().get("initial_threshold"), 0);
    assertEquals(10, t.params().get("excesses"), 0, "ties at the initial threshold are not excesses");
    Arrays.fill(s, 990, 1000, 2.0);
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> ThresholdMethod.parse("pot:1e-3").fit(s));
    assertTrue(none.getMessage().contains("(got 0 of 1000)"), none.getMessage());
  }

  @Test
  void potRefusesTooFewExcessesAndRisksOutsideTheTail() {
    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> ThresholdMethod.parse("pot:1e-3").fit(exponential(100, 5)));
    assertEquals("POT needs at least 10 scores above the initial threshold (got 2 of 100); use more validation "
        + "data, a lower init quantile, or a percentile threshold", few.getMessage());
    double[] flat = new double[5000];
    Arrays.fill(flat, 0.25);
    assertThrowsWith(IllegalArgumentException.class,
        "POT needs at least 10 scores above the initial threshold (got 0 of 5000)",
        () -> ThresholdMethod.parse("pot:1e-3").fit(flat));
    // 40 of 2000 scores above the 0.98 quantile: any risk >= 40 / 2000 = 0.02 is not in the fitted tail.
    for (String spec : List.of("pot:0.5", "pot:0.02")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ThresholdMethod.parse(spec).fit(exponential(2000, 5)));
      assertTrue(e.getMessage().contains("too large for init quantile 0.98")
          && e.getMessage().contains("smaller risk or a lower init"), e.getMessage());
    }
    assertTrue(ThresholdMethod.parse("pot:0.019").fit(exponential(2000, 5)).value() > 0);
  }

  @Test
  void theSampleSizeCheckBeforeTrainingAgreesWithTheFitOnDistinctScores() {
    for (String spec : List.of("pot:1e-3", "pot:0.01,init=0.95", "pot:0.03", "mean+3sd", "p99")) {
      ThresholdMethod m = ThresholdMethod.parse(spec);
      for (int n = 1; n <= 700; n++) {
        double[] scores = exponential(n, n);
        String before = message(() -> m.checkSampleSize(scores.length));
        String after = message(() -> m.fit(scores));
        assertEquals(after, before, spec + " on " + n + " distinct scores");
      }
    }
    assertThrowsWith(IllegalArgumentException.class, "needs at least one score, got none",
        () -> ThresholdMethod.parse("p99").checkSampleSize(0));
  }

  /** The message of what {@code code} throws (an IllegalArgumentException), or null if it returns. */
  private static String message(Runnable code) {
    try {
      code.run();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  @Test
  void specsRoundTripAndBadSpecsNameThemselves() {
    for (String s : List.of("p99", "p99.5", "p95", "p0.1", "p99.99", "mean+3sd", "mean+2.5sd", "mean+0.5sd",
        "pot:0.001,init=0.98", "pot:0.01,init=0.95", "pot:0.0001,init=0.9")) {
      ThresholdMethod m = ThresholdMethod.parse(s);
      assertEquals(s, m.toString());
      assertEquals(m, ThresholdMethod.parse(m.toString()));
      assertEquals(m.hashCode(), ThresholdMethod.parse(m.toString()).hashCode());
    }
    assertEquals("pot:0.001,init=0.98", ThresholdMethod.parse("pot:1e-3").toString());
    assertEquals("pot:0.00001,init=0.9", ThresholdMethod.parse("POT:1E-5, init=0.90").toString());
    assertEquals("p99", ThresholdMethod.parse(" P99.0 ").toString());
    assertEquals("mean+3sd", ThresholdMethod.parse("mean + 3 SD").toString());
    assertEquals(ThresholdMethod.parse("p99"), ThresholdMethod.parse(ThresholdMethod.DEFAULT_SPEC));
    assertNotEquals(ThresholdMethod.parse("p99"), ThresholdMethod.parse("p99.5"));
    for (String bad : List.of("p0", "p100", "p-1", "p", "pNaN", "p0x1p6", "mean+0sd", "mean+-1sd", "mean+3",
        "pot:2", "pot:0", "pot:1", "pot:", "pot:0.1,", "pot:0.1,init=1", "pot:0.1,init=0.9,init=0.8",
        "pot:0.1,foo=1", "pot", "foo", "")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThresholdMethod.parse(bad),
          bad);
      assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("accepted forms")
          && e.getMessage().contains("mean+Ksd") && e.getMessage().contains("pot:RISK"), e.getMessage());
    }
    assertThrowsWith(IllegalArgumentException.class, "bad threshold method 'null'", () -> ThresholdMethod.parse(null));
  }

  @Test
  void badScoreSamplesAreRefusedAndTheCallersArrayIsKept() {
    for (String spec : List.of("p99", "mean+3sd", "pot:1e-3")) {
      ThresholdMethod m = ThresholdMethod.parse(spec);
      IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> m.fit(new double[0]));
      assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.fit(new double[] {1, Double.NaN, Double.POSITIVE_INFINITY}));
      assertTrue(e.getMessage().contains("2 of 3 scores are NaN or infinite"), e.getMessage());
      IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
          () -> m.fit(new double[] {1, 2, Double.NEGATIVE_INFINITY}));
      assertTrue(inf.getMessage().contains("1 of 3"), inf.getMessage());
      double[] caller = exponential(1000, 12);
      double[] copy = caller.clone();
      m.fit(caller);
      assertArrayEquals(copy, caller, spec + " does not sort or change the caller's array");
    }
  }

  @Test
  void fittedThresholdIsImmutableAndStrict() {
    Map<String, Double> params = new LinkedHashMap<>();
    params.put("z", 1.0);
    params.put("a", 2.0);
    FittedThreshold t = new FittedThreshold(3, "p99", 10, params);
    params.put("b", 3.0);
    assertEquals(List.of("z", "a"), List.copyOf(t.params().keySet()), "an ordered copy, not a view");
    assertThrows(UnsupportedOperationException.class, () -> t.params().put("c", 4.0));
    assertFalse(t.isAnomaly(3), "a score equal to the threshold is normal");
    assertTrue(t.isAnomaly(Math.nextUp(3.0)));
    assertThrowsWith(IllegalArgumentException.class, "threshold value is NaN for method p99",
        () -> new FittedThreshold(Double.NaN, "p99", 10, Map.of()));
    assertThrowsWith(IllegalArgumentException.class, "threshold sample size must be positive, got 0",
        () -> new FittedThreshold(1, "p99", 0, Map.of()));
  }
}
