package tsad.core.threshold;

import java.util.Arrays;

/**
 * The generalized Pareto distribution (GPD) of excesses over a high threshold, with the maximum-likelihood
 * fit by Grimshaw's method used by SPOT (Siffer et al., KDD 2017).
 *
 * <p>CDF: F(y) = 1 - (1 + xi y / sigma)^(-1 / xi) for y &gt;= 0 (and, when xi &lt; 0, y &lt;= sigma / -xi);
 * for xi = 0 it is the exponential 1 - exp(-y / sigma). Shapes with |xi| &lt; 1e-9 are treated as 0.
 *
 * @param sigma scale, finite and &gt; 0
 * @param xi shape, finite: 0 exponential tail, &gt; 0 heavy tail, &lt; 0 bounded tail
 */
public record GeneralizedPareto(double sigma, double xi) {
  /** Shapes closer to 0 than this use the exponential formulas (the general ones divide by xi). */
  static final double XI_ZERO = 1e-9;
  /** Grid points per root-search interval; enough to separate the few stationary points a GPD sample has. */
  private static final int GRID = 600;

  /**
   * Checks the parameters so every instance describes a proper distribution.
   *
   * @param sigma scale, finite and &gt; 0
   * @param xi shape, finite
   * @throws IllegalArgumentException otherwise
   */
  public GeneralizedPareto {
    if (!(sigma > 0 && Double.isFinite(sigma)) || !Double.isFinite(xi)) {
      throw new IllegalArgumentException("GPD needs finite sigma > 0 and finite xi, got sigma=" + sigma
          + ", xi=" + xi);
    }
  }

  /**
   * Returns P(Y &lt;= y).
   *
   * @param y an excess
   * @return the cumulative probability: 0 below the support, 1 above its upper end (xi &lt; 0)
   */
  public double cdf(double y) {
    if (!(y > 0)) {
      return Double.isNaN(y) ? Double.NaN : 0;
    }
    if (Math.abs(xi) < XI_ZERO) {
      return -Math.expm1(-y / sigma);
    }
    double z = xi * y / sigma;
    // z <= -1 is past the upper end of a bounded (xi < 0) tail.
    return z <= -1 ? 1 : -Math.expm1(-Math.log1p(z) / xi);
  }

  /**
   * Returns the inverse CDF: the y with P(Y &lt;= y) = p; used for inverse-transform sampling.
   *
   * @param p probability in [0, 1]
   * @return the quantile; p = 1 gives the upper end of the support (infinite unless xi &lt; 0)
   * @throws IllegalArgumentException if p is outside [0, 1]
   */
  public double quantile(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
    }
    return exceedanceQuantile(1 - p);
  }

  /**
   * The y with P(Y &gt; y) = r. Taking the tail probability itself avoids the cancellation in 1 - (1 - r),
   * which matters for the tiny risks POT thresholds use.
   */
  double exceedanceQuantile(double r) {
    if (r == 0) {
      return xi < 0 && Math.abs(xi) >= XI_ZERO ? sigma / -xi : Double.POSITIVE_INFINITY;
    }
    if (Math.abs(xi) < XI_ZERO) {
      return -sigma * Math.log(r);
    }
    return sigma / xi * Math.expm1(-xi * Math.log(r));
  }

  /**
   * Returns the log-likelihood of a sample of excesses under this distribution.
   *
   * @param y excesses
   * @return the log-likelihood; negative infinity if some excess lies outside the support
   */
  public double logLikelihood(double[] y) {
    int n = y.length;
    double sum = 0;
    if (Math.abs(xi) < XI_ZERO) {
      for (double v : y) {
        if (!(v >= 0)) {
          return Double.NEGATIVE_INFINITY;
        }
        sum += v;
      }
      return -n * Math.log(sigma) - sum / sigma;
    }
    double power = 1 + 1 / xi;
    for (double v : y) {
      double z = xi * v / sigma;
      if (!(v >= 0) || z < -1) {
        return Double.NEGATIVE_INFINITY;
      }
      sum += Math.log1p(z);
    }
    // xi = -1 is the uniform density 1 / sigma on [0, sigma]: skipping the term avoids 0 * log(0) = NaN at
    // y = sigma. Elsewhere y = sigma / -xi gives log(0): -inf for -1 < xi < 0, +inf (unbounded) for xi < -1.
    return -n * Math.log(sigma) - (power == 0 ? 0 : power * sum);
  }

  /**
   * Fits a GPD to excesses by maximum likelihood, with Grimshaw's reduction to one dimension.
   *
   * <p>With x = xi / sigma, the likelihood's stationary points are the roots of u(x) v(x) = 1, where
   * u(x) = mean(1 / (1 + x y)) and v(x) = 1 + mean(log(1 + x y)); each root gives xi = v(x) - 1 and
   * sigma = xi / x. Roots are searched on (-1 / max y, 0) and (0, 2 (mean - min) / min^2) with a dense
   * grid and bisection; the candidate with the highest log-likelihood wins.
   *
   * <p>Two candidates are always added: the exponential (xi = 0, sigma = mean), and xi = -1, sigma = max y
   * (a uniform tail ending at the largest excess). The likelihood grows without bound as xi goes below -1,
   * so bounded-tail samples often have no stationary point at all (Grimshaw 1993); with the second
   * candidate, and stationary points with xi &lt; -1 left out, the result is the maximum-likelihood estimate
   * over xi &gt;= -1.
   *
   * @param excesses at least two positive, finite excesses over a threshold; not modified
   * @return the fitted distribution
   * @throws IllegalArgumentException if there are fewer than two excesses or one is not positive and finite
   */
  public static GeneralizedPareto fit(double[] excesses) {
    double[] y = excesses; // named as in the formulas
    if (y.length < 2) {
      throw new IllegalArgumentException("GPD fit needs at least 2 excesses, got " + y.length);
    }
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = 0;
    for (double v : y) {
      if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("GPD excesses must be positive and finite, got " + v);
      }
      ymin = Math.min(ymin, v);
      ymax = Math.max(ymax, v);
    }
    double mean = Stats.mean(y);
    GeneralizedPareto best = new GeneralizedPareto(mean, 0);
    double bestLl = best.logLikelihood(y);
    GeneralizedPareto bounded = new GeneralizedPareto(ymax, -1);
    if (bounded.logLikelihood(y) > bestLl) {
      best = bounded;
      bestLl = bounded.logLikelihood(y);
    }
    // Roots with |x| * mean below 1e-8 mean |xi| ~ 1e-8: indistinguishable from the exponential candidate,
    // and w(x) there is dominated by rounding, so the search stops short of 0.
    double tiny = 1e-8 / mean;
    double[] negative = negativeGrid(ymax, tiny);
    double upper = Math.min(2 * (mean - ymin) / (ymin * ymin), 1e300 / ymax);
    double[] positive = upper > tiny ? logGrid(tiny, upper) : new double[0];
    for (double[] grid : new double[][] {negative, positive}) {
      for (double x : roots(y, grid)) {
        GeneralizedPareto g = fromRoot(y, x);
        double ll = g == null || g.xi < -1 ? Double.NEGATIVE_INFINITY : g.logLikelihood(y);
        if (ll > bestLl) {
          best = g;
          bestLl = ll;
        }
      }
    }
    return best;
  }

  /** The (xi, sigma) of a root x, or null if rounding made it degenerate. */
  private static GeneralizedPareto fromRoot(double[] y, double x) {
    double sum = 0;
    for (double v : y) {
      sum += Math.log1p(x * v);
    }
    double xi = sum / y.length;
    double sigma = xi / x;
    return sigma > 0 && Double.isFinite(sigma) && Double.isFinite(xi) ? new GeneralizedPareto(sigma, xi) : null;
  }

  /** w(x) = u(x) v(x) - 1, whose roots are the likelihood's stationary points. */
  private static double w(double[] y, double x) {
    double u = 0;
    double v = 0;
    for (double yi : y) {
      double t = x * yi;
      u += 1 / (1 + t);
      v += Math.log1p(t);
    }
    return (u / y.length) * (1 + v / y.length) - 1;
  }

  /**
   * Ascending points in (-1 / ymax, -tiny), logit-spaced so they crowd towards both ends: roots near
   * -1 / ymax are strongly bounded tails, roots near 0 are near-exponential ones.
   */
  private static double[] negativeGrid(double ymax, double tiny) {
    double sMin = tiny * ymax;
    double sMax = 1 - 1e-12;
    if (!(sMin < 0.5)) {
      return new double[0];
    }
    double zLo = Math.log(sMax / (1 - sMax));
    double zHi = Math.log(sMin / (1 - sMin));
    double[] g = new double[GRID + 1];
    for (int i = 0; i <= GRID; i++) {
      double z = zLo + (zHi - zLo) * i / GRID;
      g[i] = -1 / (1 + Math.exp(-z)) / ymax;
    }
    return g;
  }

  /** Ascending log-spaced points in [lo, hi]: the positive interval can span many orders of magnitude. */
  private static double[] logGrid(double lo, double hi) {
    double[] g = new double[GRID + 1];
    double ratio = Math.log(hi / lo);
    for (int i = 0; i <= GRID; i++) {
      g[i] = lo * Math.exp(ratio * i / GRID);
    }
    return g;
  }

  /** Roots of w between consecutive grid points where it changes sign, refined by bisection. */
  private static double[] roots(double[] y, double[] grid) {
    double[] found = new double[grid.length];
    int k = 0;
    double wPrev = grid.length > 0 ? w(y, grid[0]) : Double.NaN;
    for (int i = 1; i < grid.length; i++) {
      double wNext = w(y, grid[i]);
      if (Double.isFinite(wPrev) && Double.isFinite(wNext) && (wPrev < 0) != (wNext < 0)) {
        found[k++] = bisect(y, grid[i - 1], grid[i], wPrev);
      }
      wPrev = wNext;
    }
    return Arrays.copyOf(found, k);
  }

  /** Bisection to (nearly) adjacent doubles; w is smooth, so this converges to the root inside the cell. */
  private static double bisect(double[] y, double lo, double hi, double wLo) {
    for (int i = 0; i < 200; i++) {
      double mid = lo + (hi - lo) / 2;
      if (mid == lo || mid == hi) {
        break;
      }
      double wm = w(y, mid);
      if ((wm < 0) == (wLo < 0)) {
        lo = mid;
        wLo = wm;
      } else {
        hi = mid;
      }
    }
    return lo + (hi - lo) / 2;
  }
}
