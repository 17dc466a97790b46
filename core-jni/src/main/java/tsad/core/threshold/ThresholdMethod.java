package tsad.core.threshold;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A way to learn an anomaly threshold from reconstruction-error scores of held-out normal data.
 *
 * <p>Three forms, parsed from a user string by {@link #parse}; {@link #toString} gives the canonical spec,
 * which parses back to an equal method:
 * <ul>
 *   <li>{@code pNN}: the NN-th percentile (0 &lt; NN &lt; 100, linear interpolation as numpy), e.g.
 *       {@code p99} (the default), {@code p99.5};
 *   <li>{@code mean+Ksd}: mean plus K &gt; 0 sample standard deviations, e.g. {@code mean+3sd};
 *   <li>{@code pot:RISK[,init=Q]}: peaks over threshold (SPOT initialisation, Siffer et al. 2017): a
 *       generalized Pareto tail is fitted to the scores above their Q-quantile (default 0.98) and the
 *       threshold is the score exceeded with probability RISK, e.g. {@code pot:1e-3}.
 * </ul>
 */
public abstract class ThresholdMethod {
  /** The spec used when the user gives none. */
  public static final String DEFAULT_SPEC = "p99";
  static final String FORMS = "accepted forms: pNN (percentile, 0 < NN < 100, e.g. p99, p99.5), mean+Ksd "
      + "(mean + K sample standard deviations, K > 0, e.g. mean+3sd), pot:RISK[,init=Q] (peaks over "
      + "threshold, 0 < RISK < 1, 0 < Q < 1, default Q 0.98, e.g. pot:1e-3 or pot:1e-3,init=0.98)";
  // Plain decimal or scientific notation; no sign, hex, NaN or Infinity, which Double.parseDouble would take.
  private static final String NUM = "((?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[-+]?\\d+)?)";
  private static final Pattern PERCENTILE = Pattern.compile("p" + NUM);
  private static final Pattern MEAN_SD = Pattern.compile("mean\\+" + NUM + "sd");
  private static final Pattern POT = Pattern.compile("pot:" + NUM + "(?:,init=" + NUM + ")?");

  private ThresholdMethod() {}

  /**
   * Fits the threshold to a sample of scores.
   *
   * @param scores finite scores of held-out normal data; not modified
   * @return the fitted threshold
   * @throws IllegalArgumentException if the sample is empty, holds NaN or infinite scores, or does not
   *     suit the method (e.g. too few scores in the tail for POT)
   */
  public abstract FittedThreshold fit(double[] scores);

  /**
   * Refuses a sample size this method cannot fit whatever the scores are (checked before training, so that an
   * impossible threshold does not cost a training run).
   *
   * @param n the number of scores the threshold will be fitted on
   * @throws IllegalArgumentException saying why and what to change
   */
  public void checkSampleSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threshold " + this + " needs at least one score, got none");
    }
  }

  /**
   * Parses a user spec (case and whitespace are ignored).
   *
   * @param spec e.g. "p99", "mean+3sd", "pot:1e-3,init=0.98"
   * @return the method
   * @throws IllegalArgumentException naming the spec and listing the accepted forms if it is malformed
   */
  public static ThresholdMethod parse(String spec) {
    String s = spec == null ? "" : spec.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    Matcher m;
    if ((m = PERCENTILE.matcher(s)).matches()) {
      double p = Double.parseDouble(m.group(1));
      if (p > 0 && p < 100) {
        return new Percentile(p);
      }
      throw bad(spec, "the percentile must be strictly between 0 and 100");
    }
    if ((m = MEAN_SD.matcher(s)).matches()) {
      double k = Double.parseDouble(m.group(1));
      if (k > 0 && Double.isFinite(k)) {
        return new MeanStd(k);
      }
      throw bad(spec, "K must be positive");
    }
    if ((m = POT.matcher(s)).matches()) {
      double risk = Double.parseDouble(m.group(1));
      double init = m.group(2) == null ? Pot.DEFAULT_INIT : Double.parseDouble(m.group(2));
      if (risk > 0 && risk < 1 && init > 0 && init < 1) {
        return new Pot(risk, init);
      }
      throw bad(spec, "the risk and the init quantile must be strictly between 0 and 1");
    }
    throw bad(spec, "unrecognised");
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException("bad threshold method '" + spec + "' (" + why + "); " + FORMS);
  }

  /** Equal when they are the same kind with the same parameters, i.e. have the same canonical spec. */
  @Override
  public final boolean equals(Object o) {
    return o instanceof ThresholdMethod && o.getClass() == getClass() && o.toString().equals(toString());
  }

  /** Hash of the canonical spec, consistent with {@link #equals}. */
  @Override
  public final int hashCode() {
    return toString().hashCode();
  }

  /** A sorted copy of the scores, after refusing empty samples and non-finite scores. */
  static double[] sortedFinite(double[] scores, String method) {
    Objects.requireNonNull(scores, "scores");
    if (scores.length == 0) {
      throw new IllegalArgumentException("cannot fit threshold " + method + " on an empty score sample");
    }
    int bad = 0;
    for (double v : scores) {
      bad += Double.isFinite(v) ? 0 : 1;
    }
    if (bad > 0) {
      throw new IllegalArgumentException("cannot fit threshold " + method + ": " + bad + " of " + scores.length
          + " scores are NaN or infinite");
    }
    double[] s = scores.clone();
    Arrays.sort(s);
    return s;
  }

  /** Shortest plain decimal that parses back to v exactly: 99, 99.5, 0.001 (never 1.0E-3). */
  static String num(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  static FittedThreshold result(double value, ThresholdMethod method, int n, Map<String, Double> params) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("threshold " + method + " came out as " + value + " on " + n
          + " scores; the scores are too large or too spread for this method");
    }
    return new FittedThreshold(value, method.toString(), n, params);
  }

  /** The p-th percentile of the scores. */
  static final class Percentile extends ThresholdMethod {
    private final double p;

    Percentile(double p) {
      this.p = p;
    }

    @Override
    public FittedThreshold fit(double[] scores) {
      double[] s = sortedFinite(scores, toString());
      return result(Stats.percentile(s, p), this, s.length, Map.of("percentile", p));
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
      double[] s = sortedFinite(scores, toString());
      checkSampleSize(s.length);
      double mean = Stats.mean(s);
      double std = Stats.std(s);
      Map<String, Double> p = new LinkedHashMap<>();
      p.put("mean", mean);
      p.put("std", std);
      p.put("k", k);
      return result(mean + k * std, this, s.length, p);
    }

    @Override
    public void checkSampleSize(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("threshold " + this + " needs at least 2 scores for a standard "
            + "deviation, got " + n);
      }
    }

    @Override
    public String toString() {
      return "mean+" + num(k) + "sd";
    }
  }

  /** Peaks over threshold: a GPD tail above the init quantile, threshold at exceedance probability risk. */
  static final class Pot extends ThresholdMethod {
    static final double DEFAULT_INIT = 0.98;
    static final int MIN_EXCESSES = 10;
    private final double risk;
    private final double init;

    Pot(double risk, double init) {
      this.risk = risk;
      this.init = init;
    }

    @Override
    public FittedThreshold fit(double[] scores) {
      double[] s = sortedFinite(scores, toString());
      int n = s.length;
      double t = Stats.percentile(s, init * 100);
      int first = n;
      while (first > 0 && s[first - 1] > t) {
        first--;
      }
      int nt = n - first;
      feasible(nt, n);
      // P(X > z) = P(X > t) P(Y > z - t), estimated as (nt / n) times the GPD tail; r is that GPD tail.
      double r = risk * n / nt;
      double[] y = new double[nt];
      for (int i = 0; i < nt; i++) {
        y[i] = s[first + i] - t;
      }
      GeneralizedPareto g = GeneralizedPareto.fit(y);
      Map<String, Double> p = new LinkedHashMap<>();
      p.put("risk", risk);
      p.put("init_quantile", init);
      p.put("initial_threshold", t);
      p.put("gpd_sigma", g.sigma());
      p.put("gpd_xi", g.xi());
      p.put("excesses", (double) nt);
      return result(t + g.exceedanceQuantile(r), this, n, p);
    }

    /** With distinct scores, the init quantile (interpolated at rank init * (n - 1)) has this many above it. */
    @Override
    public void checkSampleSize(int n) {
      super.checkSampleSize(n);
      feasible(n - 1 - (int) Math.floor(init * (n - 1)), n);
    }

    /** Refuses a tail of {@code nt} of {@code n} scores too small to fit, or that does not reach the risk. */
    private void feasible(int nt, int n) {
      if (nt < MIN_EXCESSES) {
        throw new IllegalArgumentException("POT needs at least " + MIN_EXCESSES + " scores above the initial "
            + "threshold (got " + nt + " of " + n + "); use more validation data, a lower init quantile, or a "
            + "percentile threshold");
      }
      if (risk * n / nt >= 1) {
        throw new IllegalArgumentException("POT risk " + num(risk) + " is too large for init quantile "
            + num(init) + ": only " + nt + " of " + n + " scores (a share of " + (double) nt / n + ") lie above "
            + "the initial threshold, so the risk is not in the fitted tail; the risk must be below that share "
            + "(about 1 - init): use a smaller risk or a lower init quantile");
      }
    }

    @Override
    public String toString() {
      return "pot:" + num(risk) + ",init=" + num(init);
    }
  }
}
