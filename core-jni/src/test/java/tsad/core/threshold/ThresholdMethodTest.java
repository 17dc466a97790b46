package tsad.core.threshold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = -Math.log(1 - r.nextDouble());
    }
    return v;
  }

  @Test
  void percentileMatchesNumpysLinearInterpolation() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = i + 1;
    }
    assertEquals(99.01, ThresholdMethod.parse("p99").fit(v).value(), 1e-9, "numpy.percentile(1..100, 99)");
    assertEquals(50.5, Stats.percentile(v, 50), 1e-12);
    assertEquals(2.5, Stats.percentile(new double[] {1, 2, 3, 4}, 50), 1e-12);
    // N(0,1): p99 = 2.326; the sd of the sample quantile at n=100k is ~0.012.
    assertEquals(2.326, ThresholdMethod.parse("p99").fit(normal(100_000, 0, 1, 1)).value(), 0.05);
  }

  @Test
  void meanPlusKSigma() {
    FittedThreshold t = ThresholdMethod.parse("mean+3sd").fit(normal(50_000, 5, 2, 2));
    assertEquals(11, t.value(), 0.1);
    assertEquals(5, t.params().get("mean"), 0.05);
    assertEquals(2, t.params().get("std"), 0.05);
    assertEquals(3, t.params().get("k"), 0);
  }

  @Test
  void potOnAnExponentialTailFindsTheTrueQuantile() {
    FittedThreshold t = ThresholdMethod.parse("pot:1e-3").fit(exponential(20_000, 3));
    // Exp(1): P(X > z) = 1e-3 at z = ln(1000) = 6.908; its tail is GPD with xi = 0.
    assertEquals(Math.log(1000), t.value(), 0.1 * Math.log(1000));
    assertTrue(Math.abs(t.params().get("gpd_xi")) < 0.1, "xi " + t.params().get("gpd_xi"));
    assertEquals(400, t.params().get("excesses"), 1);
    assertEquals("pot:0.001,init=0.98", t.method());
  }

  @Test
  void gpdFitRecoversKnownParameters() {
    GeneralizedPareto truth = new GeneralizedPareto(1.0, 0.3);
    Random r = new Random(4);
    double[] y = new double[5000];
    for (int i = 0; i < y.length; i++) {
      y[i] = truth.quantile(r.nextDouble());
    }
    GeneralizedPareto fit = GeneralizedPareto.fit(y);
    assertEquals(1.0, fit.sigma(), 0.08);
    assertEquals(0.3, fit.xi(), 0.06);
    assertTrue(fit.logLikelihood(y) >= truth.logLikelihood(y), "the MLE is at least as likely as the truth");
    double[] u = new double[5000];
    for (int i = 0; i < u.length; i++) {
      u[i] = 1e-9 + r.nextDouble();
    }
    assertTrue(GeneralizedPareto.fit(u).xi() < 0, "a bounded (uniform) tail has negative xi");
    assertEquals(0.5, truth.cdf(truth.quantile(0.5)), 1e-12);
  }

  @Test
  void specsRoundTripAndBadSpecsNameThemselves() {
    for (String s : List.of("p99", "p99.5", "p95", "mean+3sd", "mean+2.5sd", "pot:0.001,init=0.98",
        "pot:0.01,init=0.95")) {
      assertEquals(s, ThresholdMethod.parse(s).toString());
      assertEquals(s, ThresholdMethod.parse(ThresholdMethod.parse(s).toString()).toString());
    }
    assertEquals("pot:0.001,init=0.98", ThresholdMethod.parse("pot:1e-3").toString());
    for (String bad : List.of("p0", "p100", "p-1", "mean+0sd", "pot:2", "pot:0", "pot:0.1,foo=1", "foo", "")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThresholdMethod.parse(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("accepted"), e.getMessage());
    }
  }

  @Test
  void badScoreSamplesAreRefused() {
    ThresholdMethod p99 = ThresholdMethod.parse("p99");
    assertThrows(IllegalArgumentException.class, () -> p99.fit(new double[0]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p99.fit(new double[] {1, Double.NaN, Double.POSITIVE_INFINITY}));
    assertTrue(e.getMessage().contains("2 of 3"), e.getMessage());
    double[] caller = {3, 1, 2};
    p99.fit(caller);
    assertArrayEquals(new double[] {3, 1, 2}, caller, "the caller's array is not sorted in place");
    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> ThresholdMethod.parse("pot:1e-3").fit(exponential(100, 5)));
    assertTrue(few.getMessage().contains("at least 10 scores above"), few.getMessage());
    IllegalArgumentException risk = assertThrows(IllegalArgumentException.class,
        () -> ThresholdMethod.parse("pot:0.5").fit(exponential(2000, 5)));
    assertTrue(risk.getMessage().contains("not in the tail"), risk.getMessage());
  }
}
