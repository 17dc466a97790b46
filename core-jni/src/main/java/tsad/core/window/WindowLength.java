package tsad.core.window;

import java.util.List;
import java.util.Locale;
import tsad.core.data.CsvOptions;
import tsad.core.data.CsvSeriesReader;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.proto.WindowMode;

/**
 * Chooses the window length from the training series (window mode's {@code --window auto}): at least
 * {@link #DEFAULT} steps, longer when the series repeat with a longer period, so that one window holds one whole
 * cycle of the normal pattern.
 *
 * <p>Why: an autoencoder can only learn a cycle it sees whole. A daily pattern sampled every 5 minutes is 288 steps;
 * windows of 64 see pieces of it, and a piece of the normal cycle looks like an anomaly of another piece. Windows
 * holding several short cycles are fine, so the rule never shortens the default. The period is the lag of the
 * highest peak of the autocorrelation, pooled over series and features (the rule of TSB-UAD's {@code find_length},
 * with a floor and a strength test): a peak under {@link #MIN_STRENGTH} is noise, not a cycle.
 */
public final class WindowLength {
  /** The length used when the series show no longer cycle. */
  public static final int DEFAULT = 64;
  /** The smallest autocorrelation at the period's lag that counts as a cycle. */
  public static final double MIN_STRENGTH = 0.5;
  /** The longest window the rule chooses (cost grows with it; longer patterns need an explicit --window). */
  public static final int MAX = 1024;
  /** The rows of the input the choice is made from: the first ones, in file order (so every path sees the same). */
  public static final long ROWS_TOTAL = 200_000;
  /** Rows of one feature of one series that enter the estimate (the first ones). */
  static final int ROWS_PER_SERIES = 20_000;
  /** Values (rows times features) that enter the estimate; bounds its cost (about a second) on wide inputs. */
  static final long VALUES_TOTAL = 400_000;

  /**
   * What the rule found and chose.
   *
   * @param length the window length to use
   * @param period the lag of the highest autocorrelation peak (0 when there is none)
   * @param strength the pooled autocorrelation at that lag
   * @param maxLag the longest lag searched (a third of the median series length, at most {@link #MAX})
   */
  public record Choice(int length, int period, double strength, int maxLag) {
    /** One line for the log, the bundle and the MLflow run: what was chosen and why. */
    public String describe() {
      if (length > DEFAULT) {
        return String.format(Locale.ROOT, "auto: T=%d, the period of the training series (autocorrelation %.2f "
            + "at lag %d)", length, strength, period);
      }
      if (maxLag <= DEFAULT) {
        return String.format(Locale.ROOT, "auto: T=%d, the default: the series are too short to show a longer cycle "
            + "(lags up to a third of their median length, %d, are searched)", length, maxLag);
      }
      String found = period == 0 ? "no autocorrelation peak"
          : String.format(Locale.ROOT, "the strongest cycle is %d steps (autocorrelation %.2f)", period, strength);
      return String.format(Locale.ROOT, "auto: T=%d, the default: %s up to lag %d; a longer cycle needs "
          + "autocorrelation %.1f", length, found, maxLag, MIN_STRENGTH);
    }
  }

  /** What {@link #setting} returns for a length left to the input. */
  public static final int AUTO = 0;

  private WindowLength() {}

  /**
   * Reads a window-length setting, the same rule for the command line and the jobs' keys: {@code auto}, or nothing
   * given in window mode, is {@link #AUTO}; nothing given in slice mode is {@link #DEFAULT}; else a number of steps.
   *
   * @param value the setting as given (null or blank: not given)
   * @param mode the windowing mode it applies to
   * @param name the setting's name in errors ({@code --window}, a job key)
   * @param autoName how {@code auto} is spelled there ({@code --window auto}, {@code key=auto})
   * @param windowMode how window mode is spelled there ({@code --mode window}, {@code key=window})
   */
  public static int setting(String value, WindowMode mode, String name, String autoName, String windowMode) {
    String v = value == null ? "" : value.trim();
    boolean auto = v.isEmpty() ? mode == WindowMode.WINDOW : v.equalsIgnoreCase("auto");
    if (auto && mode == WindowMode.SLICE) {
      throw new DataException(autoName + " is for " + windowMode + ": in slice mode T is the slices' length; give it");
    }
    if (auto) {
      return AUTO;
    }
    try {
      return v.isEmpty() ? DEFAULT : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new DataException(name + " must be a number of steps or auto, got '" + value + "'");
    }
  }

  /**
   * Chooses the length from the first {@link #ROWS_TOTAL} rows of {@code sources} (grouped and sorted as the full
   * read does): {@code tsad train --input} and the prepare job's driver both choose so, so they agree.
   */
  public static Choice choose(List<CsvSeriesReader.Source> sources, CsvOptions csv) {
    return choose(new CsvSeriesReader(csv).readFirst(sources, ROWS_TOTAL, new DataReport()));
  }

  /** Chooses the length for {@code series} (values as read, any number of features). */
  public static Choice choose(List<Series> series) {
    int maxLag = Math.min(MAX, medianLength(series) / 3);
    if (maxLag <= DEFAULT) {
      return new Choice(DEFAULT, 0, 0, Math.max(maxLag, 0));
    }
    double[] acf = pooledAutocorrelation(series, maxLag);
    int best = 0;
    for (int k = 2; k < maxLag; k++) {
      if (acf[k] > acf[k - 1] && acf[k] >= acf[k + 1] && (best == 0 || acf[k] > acf[best])) {
        best = k;
      }
    }
    double strength = best == 0 ? 0 : acf[best];
    int length = best > DEFAULT && strength >= MIN_STRENGTH ? best : DEFAULT;
    return new Choice(length, best, strength, maxLag);
  }

  /**
   * The autocorrelation at lags 0..maxLag, pooled: each series' feature is centred and scaled by its own variance, so
   * every feature of every series weighs by its length alone; features without spread are left out.
   */
  static double[] pooledAutocorrelation(List<Series> series, int maxLag) {
    double[] num = new double[maxLag + 1];
    double[] pairs = new double[maxLag + 1];
    long budget = VALUES_TOTAL;
    for (Series s : series) {
      int f = s.features();
      int n = Math.min(s.length(), ROWS_PER_SERIES);
      for (int j = 0; j < f && budget > 0; j++) {
        int m = (int) Math.min(n, budget);
        budget -= m;
        double[] x = new double[m];
        double mean = 0;
        for (int t = 0; t < m; t++) {
          x[t] = s.values()[t * f + j];
          mean += x[t];
        }
        mean /= m;
        double var = 0;
        for (int t = 0; t < m; t++) {
          x[t] -= mean;
          var += x[t] * x[t];
        }
        var /= m;
        if (!(var > 0) || Double.isInfinite(var)) {
          continue;
        }
        for (int k = 0; k <= maxLag && k < m; k++) {
          double sum = 0;
          for (int t = 0; t + k < m; t++) {
            sum += x[t] * x[t + k];
          }
          num[k] += sum / var;
          pairs[k] += m;
        }
      }
    }
    double[] acf = new double[maxLag + 1];
    for (int k = 0; k <= maxLag; k++) {
      acf[k] = pairs[k] == 0 ? 0 : num[k] / pairs[k];
    }
    return acf;
  }

  private static int medianLength(List<Series> series) {
    if (series.isEmpty()) {
      return 0;
    }
    int[] n = series.stream().mapToInt(Series::length).sorted().toArray();
    return n[n.length / 2];
  }
}
