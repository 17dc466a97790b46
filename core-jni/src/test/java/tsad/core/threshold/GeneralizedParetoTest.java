package tsad.core.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GeneralizedParetoTest {
  /** Inverse-transform sample; nextDouble() is in [0, 1), so every draw is finite. */
  static double[] sample(GeneralizedPareto g, int n, long seed) {
    Random r = new Random(seed);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = g.quantile(r.nextDouble());
    }
    return y;
  }

  /** The profile log-likelihood at x = xi / sigma (xi = mean log(1 + x y)), or NaN where xi &lt; -1. */
  private static double profile(double[] y, double x) {
    double s = 0;
    for (double v : y) {
      s += Math.log1p(x * v);
    }
    double xi = s / y.length;
    return xi < -1 ? Double.NaN : new GeneralizedPareto(xi / x, xi).logLikelihood(y);
  }

  @Test
  void cdfAndQuantileAgreeWithClosedForms() {
    GeneralizedPareto heavy = new GeneralizedPareto(2, 0.5);
    // F(y) = 1 - (1 + 0.5 y / 2)^-2: F(4) = 1 - 2^-2 = 0.75.
    assertEquals(0.75, heavy.cdf(4), 1e-15);
    assertEquals(4, heavy.quantile(0.75), 1e-12);
    GeneralizedPareto exp = new GeneralizedPareto(2, 0);
    assertEquals(2, exp.quantile(1 - Math.exp(-1)), 1e-12);
    assertEquals(1 - Math.exp(-1), exp.cdf(2), 1e-15);
    GeneralizedPareto bounded = new GeneralizedPareto(1, -0.5);
    // Support ends at sigma / -xi = 2.
    assertEquals(2, bounded.quantile(1), 1e-15);
    assertEquals(1, bounded.cdf(2), 0);
    assertEquals(1, bounded.cdf(3), 0);
    assertEquals(0, heavy.cdf(-1), 0);
    assertEquals(0, heavy.quantile(0), 0);
    assertEquals(Double.POSITIVE_INFINITY, heavy.quantile(1));
    for (GeneralizedPareto g : new GeneralizedPareto[] {heavy, exp, bounded, new GeneralizedPareto(0.3, 1e-12)}) {
      for (double p : new double[] {1e-6, 0.01, 0.5, 0.9, 0.999}) {
        assertEquals(p, g.cdf(g.quantile(p)), 1e-12, g + " at " + p);
      }
    }
    assertThrowsWith(IllegalArgumentException.class, "probability must be in [0, 1], got 1.5",
        () -> heavy.quantile(1.5));
    assertThrowsWith(IllegalArgumentException.class, "probability must be in [0, 1], got NaN",
        () -> heavy.quantile(Double.NaN));
  }

  @Test
  void logLikelihoodClosedForms() {
    // Exponential(1) on {1, 2}: -(1 + 2) = -3.
    assertEquals(-3, new GeneralizedPareto(1, 0).logLikelihood(new double[] {1, 2}), 1e-15);
    // sigma 2, xi 0.5 at y = 4: -log 2 - 3 log(1 + 1) = -4 log 2.
    assertEquals(-4 * Math.log(2), new GeneralizedPareto(2, 0.5).logLikelihood(new double[] {4}), 1e-14);
    // xi = -1 is uniform on [0, sigma], including the end point.
    assertEquals(-2 * Math.log(3), new GeneralizedPareto(3, -1).logLikelihood(new double[] {0.5, 3}), 1e-15);
    assertEquals(Double.NEGATIVE_INFINITY, new GeneralizedPareto(1, -0.5).logLikelihood(new double[] {2.5}));
    assertEquals(Double.NEGATIVE_INFINITY, new GeneralizedPareto(1, 0.2).logLikelihood(new double[] {-1}));
  }

  @Test
  void fitRecoversAHeavyTail() {
    GeneralizedPareto truth = new GeneralizedPareto(1.0, 0.3);
    double[] y = sample(truth, 5000, 4);
    GeneralizedPareto fit = GeneralizedPareto.fit(y);
    // Asymptotic standard errors at n = 5000: xi (1 + xi) / sqrt(n) = 0.018, sigma sqrt(2 (1 + xi) / n) = 0.023.
    assertEquals(0.3, fit.xi(), 0.06);
    assertEquals(1.0, fit.sigma(), 0.08);
    assertTrue(fit.logLikelihood(y) >= truth.logLikelihood(y), "the MLE is at least as likely as the truth");
  }

  @Test
  void fitIsALocalMaximum() {
    double[] y = sample(new GeneralizedPareto(2.0, 0.15), 3000, 11);
    GeneralizedPareto fit = GeneralizedPareto.fit(y);
    double ll = fit.logLikelihood(y);
    for (double ds : new double[] {-0.01, 0.01}) {
      for (double dx : new double[] {-0.01, 0, 0.01}) {
        GeneralizedPareto near = new GeneralizedPareto(fit.sigma() * (1 + ds), fit.xi() + dx);
        assertTrue(near.logLikelihood(y) < ll, near + " beats " + fit);
      }
    }
  }

  @Test
  void fitOfExponentialDataHasXiNearZero() {
    double[] y = sample(new GeneralizedPareto(1.5, 0), 5000, 5);
    GeneralizedPareto fit = GeneralizedPareto.fit(y);
    // Standard error of xi at xi = 0 is 1 / sqrt(5000) = 0.014.
    assertEquals(0, fit.xi(), 0.05);
    assertEquals(1.5, fit.sigma(), 0.1);
  }

  @Test
  void fitOfUniformDataHasABoundedTail() {
    Random r = new Random(6);
    double[] u = new double[5000];
    for (int i = 0; i < u.length; i++) {
      u[i] = 1e-9 + r.nextDouble();
    }
    GeneralizedPareto fit = GeneralizedPareto.fit(u);
    // Uniform(0, 1) is GPD(sigma 1, xi -1); the likelihood often has no interior maximum, so the fit lands at
    // (or next to) the xi = -1 boundary.
    assertTrue(fit.xi() < 0, "a bounded (uniform) tail has negative xi");
    assertEquals(-1, fit.xi(), 0.1);
    assertEquals(1, fit.sigma(), 0.1);
    assertTrue(fit.quantile(1) <= 1 + 1e-9, "the fitted support ends at the data's end");
  }

  @Test
  void grimshawFindsTheBestPointOfAFineLikelihoodScan() {
    long seed = 20;
    for (double xi : new double[] {-0.6, -0.2, 0, 0.2, 0.8, 1.5}) {
      for (int n : new int[] {15, 200}) {
        double[] y = sample(new GeneralizedPareto(1.3, xi), n, seed++);
        double ymax = 0;
        double mean = Stats.mean(y);
        for (double v : y) {
          ymax = Math.max(ymax, v);
        }
        GeneralizedPareto fit = GeneralizedPareto.fit(y);
        double ll = fit.logLikelihood(y);
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < 4000; i++) {
          best = Math.max(best, profile(y, -(i / 4000.0) / ymax));
          best = Math.max(best, profile(y, 1e-6 / mean * Math.pow(1e9, i / 4000.0)));
        }
        assertTrue(ll >= best - 1e-9 * Math.abs(best), "xi " + xi + ", n " + n + ": fit " + fit + " ll " + ll
            + " < scanned " + best);
      }
    }
  }

  @Test
  void fitAndConstructorRefuseBadInput() {
    assertThrowsWith(IllegalArgumentException.class, "GPD fit needs at least 2 excesses, got 1",
        () -> GeneralizedPareto.fit(new double[] {1}));
    String excesses = "GPD excesses must be positive and finite, got ";
    assertThrowsWith(IllegalArgumentException.class, excesses + "0.0",
        () -> GeneralizedPareto.fit(new double[] {1, 0}));
    assertThrowsWith(IllegalArgumentException.class, excesses + "-2.0",
        () -> GeneralizedPareto.fit(new double[] {1, -2}));
    assertThrowsWith(IllegalArgumentException.class, excesses + "NaN",
        () -> GeneralizedPareto.fit(new double[] {1, Double.NaN}));
    assertThrowsWith(IllegalArgumentException.class, excesses + "Infinity",
        () -> GeneralizedPareto.fit(new double[] {1, Double.POSITIVE_INFINITY}));
    assertThrowsWith(IllegalArgumentException.class, "GPD needs finite sigma > 0 and finite xi, got sigma=0.0, xi=0.1",
        () -> new GeneralizedPareto(0, 0.1));
    assertThrowsWith(IllegalArgumentException.class, "GPD needs finite sigma > 0 and finite xi, got sigma=1.0, xi=NaN",
        () -> new GeneralizedPareto(1, Double.NaN));
    // Equal excesses: no stationary point; the most likely xi >= -1 fit is uniform up to their common value.
    assertEquals(new GeneralizedPareto(2, -1), GeneralizedPareto.fit(new double[] {2, 2, 2}));
  }
}
