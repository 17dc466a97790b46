package tsad.core.threshold;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A way to learn an anomaly threshold from scores of held-out normal data: a percentile ("p99"),
 * mean + k standard deviations ("mean+3sd"), or peaks over threshold ("pot:1e-3[,init=0.98]"), which fits
 * a generalized Pareto tail above the init quantile and returns the score exceeded with probability risk.
 */
public abstract class ThresholdMethod {
  static final String FORMS = "accepted: pNN (percentile, 0 < NN < 100, e.g. p99, p99.5), mean+Ksd (K > 0, e.g. "
      + "mean+3sd), pot:RISK[,init=Q] (0 < RISK < 1, 0 < Q < 1, e.g. pot:1e-3)";

  private ThresholdMethod() {}

  /** Fits the threshold to finite scores; the caller's array is not modified. */
  public abstract FittedThreshold fit(double[] scores);

  /** Parses a user spec; bad specs throw IllegalArgumentException naming the spec and the accepted forms. */
  public static ThresholdMethod parse(String spec) {
    String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("p") && !s.startsWith("pot")) {
        double p = Double.parseDouble(s.substring(1));
        if (p > 0 && p < 100) {
          return new Percentile(p);
        }
      } else if (s.startsWith("mean+") && s.endsWith("sd")) {
        double k = Double.parseDouble(s.substring(5, s.length() - 2));
        if (k > 0 && Double.isFinite(k)) {
          return new MeanStd(k);
        }
      } else if (s.startsWith("pot:")) {
        String[] parts = s.substring(4).split(",");
        double risk = Double.parseDouble(parts[0]);
        double init = 0.98;
        for (int i = 1; i < parts.length; i++) {
          if (!parts[i].startsWith("init=")) {
            throw new NumberFormatException(parts[i]);
          }
          init = Double.parseDouble(parts[i].substring(5));
        }
        if (risk > 0 && risk < 1 && init > 0 && init < 1) {
          return new Pot(risk, init);
        }
      }
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      // reported below with the accepted forms
    }
    throw new IllegalArgumentException("bad threshold method '" + spec + "'; " + FORMS);
  }

  static double[] checked(double[] scores) {
    if (scores.length == 0) {
      throw new IllegalArgumentException("cannot fit a threshold on no scores");
    }
    int bad = 0;
    for (double v : scores) {
      bad += Double.isFinite(v) ? 0 : 1;
    }
    if (bad > 0) {
      throw new IllegalArgumentException(bad + " of " + scores.length + " scores are NaN or infinite");
    }
    double[] s = scores.clone();
    java.util.Arrays.sort(s);
    return s;
  }

  static String num(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** The p-th percentile of the scores. */
  static final class Percentile extends ThresholdMethod {
    private final double p;

    Percentile(double p) {
      this.p = p;
    }

    @Override
    public FittedThreshold fit(double[] scores) {
      double[] s = checked(scores);
      return new FittedThreshold(Stats.percentile(s, p), toString(), s.length, Map.of("percentile", p));
    }

    @Override
    public String toString() {
      return "p" + num(p);
    }
  }

  /** Mean plus k sample standard deviations. */
  static final class MeanStd extends ThresholdMethod {
    private final double k;

    MeanStd(double k) {
      this.k = k;
    }

    @Override
    public FittedThreshold fit(double[] scores) {
      double[] s = checked(scores);
      double m = Stats.mean(s);
      double sd = s.length > 1 ? Stats.std(s) : 0;
      Map<String, Double> p = new LinkedHashMap<>();
      p.put("mean", m);
      p.put("std", sd);
      p.put("k", k);
      return new FittedThreshold(m + k * sd, toString(), s.length, p);
    }

    @Override
    public String toString() {
      return "mean+" + num(k) + "sd";
    }
  }

  /** Peaks over threshold: GPD tail above the init quantile, threshold at tail probability risk. */
  static final class Pot extends ThresholdMethod {
    static final int MIN_EXCESSES = 10;
    private final double risk;
    private final double init;

    Pot(double risk, double init) {
      this.risk = risk;
      this.init = init;
    }

    @Override
    public FittedThreshold fit(double[] scores) {
      double[] s = checked(scores);
      int n = s.length;
      double t = Stats.percentile(s, init * 100);
      int firstAbove = n;
      while (firstAbove > 0 && s[firstAbove - 1] > t) {
        firstAbove--;
      }
      int nt = n - firstAbove;
      if (nt < MIN_EXCESSES) {
        throw new IllegalArgumentException("POT needs at least " + MIN_EXCESSES + " scores above the initial "
            + "threshold (got " + nt + " of " + n + "); use more validation data, a lower init quantile, or a "
            + "percentile threshold");
      }
      double[] y = new double[nt];
      for (int i = 0; i < nt; i++) {
        y[i] = s[firstAbove + i] - t;
      }
      double r = risk * n / nt;
      if (r >= 1) {
        throw new IllegalArgumentException("POT risk " + risk + " is not in the tail above the init quantile "
            + init + " (risk * n / excesses = " + r + " >= 1); use a smaller risk or a larger init");
      }
      GeneralizedPareto g = GeneralizedPareto.fit(y);
      double z = t + g.quantile(1 - r);
      Map<String, Double> p = new LinkedHashMap<>();
      p.put("risk", risk);
      p.put("init_quantile", init);
      p.put("initial_threshold", t);
      p.put("gpd_sigma", g.sigma());
      p.put("gpd_xi", g.xi());
      p.put("excesses", (double) nt);
      return new FittedThreshold(z, toString(), n, p);
    }

    @Override
    public String toString() {
      return "pot:" + num(risk) + ",init=" + num(init);
    }
  }
}
