package tsad.core.threshold;

/**
 * The generalized Pareto distribution of excesses over a high threshold, with a maximum-likelihood fit
 * by Grimshaw's method (as in SPOT, Siffer et al., KDD 2017).
 *
 * @param sigma scale (&gt; 0)
 * @param xi shape (0: exponential tail, &gt; 0: heavy tail, &lt; 0: bounded tail)
 */
public record GeneralizedPareto(double sigma, double xi) {
  private static final double XI_ZERO = 1e-9;

  /** CDF at y &gt;= 0. */
  public double cdf(double y) {
    if (y <= 0) {
      return 0;
    }
    if (Math.abs(xi) < XI_ZERO) {
      return 1 - Math.exp(-y / sigma);
    }
    double base = 1 + xi * y / sigma;
    return base <= 0 ? 1 : 1 - Math.pow(base, -1 / xi);
  }

  /** Inverse CDF for p in [0, 1). */
  public double quantile(double p) {
    if (Math.abs(xi) < XI_ZERO) {
      return -sigma * Math.log(1 - p);
    }
    return sigma / xi * (Math.pow(1 - p, -xi) - 1);
  }

  /** Log-likelihood of excesses y under this distribution (-inf outside its support). */
  public double logLikelihood(double[] y) {
    int n = y.length;
    if (!(sigma > 0)) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Math.abs(xi) < XI_ZERO) {
      double s = 0;
      for (double v : y) {
        s += v;
      }
      return -n * Math.log(sigma) - s / sigma;
    }
    double s = 0;
    for (double v : y) {
      double t = 1 + xi * v / sigma;
      if (t <= 0) {
        return Double.NEGATIVE_INFINITY;
      }
      s += Math.log(t);
    }
    return -n * Math.log(sigma) - (1 + 1 / xi) * s;
  }

  /** Maximum-likelihood fit to positive excesses (Grimshaw: roots of u(x) v(x) = 1, x = -xi / sigma). */
  public static GeneralizedPareto fit(double[] y) {
    if (y.length < 2) {
      throw new IllegalArgumentException("GPD fit needs at least 2 excesses, got " + y.length);
    }
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = 0;
    double mean = 0;
    for (double v : y) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("GPD excesses must be positive and finite, got " + v);
      }
      ymin = Math.min(ymin, v);
      ymax = Math.max(ymax, v);
      mean += v / y.length;
    }
    GeneralizedPareto best = new GeneralizedPareto(mean, 0);
    double bestLl = best.logLikelihood(y);
    double eps = 1e-8 / mean;
    // Root intervals from Grimshaw (1993): (-1/ymax, 0) and (0, 2(mean - ymin)/ymin^2).
    double a = -1 / ymax + eps;
    double b = -eps;
    double c = eps;
    double d = 2 * (mean - ymin) / (ymin * ymin);
    for (double[] range : new double[][] {{a, b}, {c, Math.max(c * 2, d)}}) {
      for (double x : roots(y, range[0], range[1])) {
        GeneralizedPareto g = fromRoot(y, x);
        double ll = g == null ? Double.NEGATIVE_INFINITY : g.logLikelihood(y);
        if (ll > bestLl) {
          best = g;
          bestLl = ll;
        }
      }
    }
    return best;
  }

  private static GeneralizedPareto fromRoot(double[] y, double x) {
    double v = 0;
    for (double yi : y) {
      v += Math.log1p(x * yi);
    }
    double xi = v / y.length;
    double sigma = xi / x;
    return sigma > 0 && Double.isFinite(sigma) ? new GeneralizedPareto(sigma, xi) : null;
  }

  /** w(x) = u(x) v(x) - 1; its roots in (lo, hi) are the likelihood's stationary points. */
  private static double w(double[] y, double x) {
    double u = 0;
    double v = 0;
    for (double yi : y) {
      double t = 1 + x * yi;
      u += 1 / t;
      v += Math.log(t);
    }
    u /= y.length;
    v = 1 + v / y.length;
    return u * v - 1;
  }

  private static double[] roots(double[] y, double lo, double hi) {
    if (!(hi > lo)) {
      return new double[0];
    }
    int grid = 400;
    double[] found = new double[grid];
    int k = 0;
    double prevX = lo;
    double prevW = w(y, lo);
    // Log-spaced grid: the interval can span many orders of magnitude and roots crowd near its ends.
    double from = Math.abs(lo);
    double ratio = Math.abs(hi) / from;
    for (int i = 1; i <= grid; i++) {
      double x = Math.signum(lo) * from * Math.pow(ratio, (double) i / grid);
      double wx = w(y, x);
      if (Double.isFinite(prevW) && Double.isFinite(wx) && Math.signum(prevW) != Math.signum(wx)) {
        found[k++] = bisect(y, prevX, x, prevW);
      }
      prevX = x;
      prevW = wx;
    }
    return java.util.Arrays.copyOf(found, k);
  }

  private static double bisect(double[] y, double lo, double hi, double wLo) {
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      double wm = w(y, mid);
      if (Math.signum(wm) == Math.signum(wLo)) {
        lo = mid;
        wLo = wm;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}
