package tsad.core.window;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Time gaps of a sorted series: steps longer than K times the series' median step (a 5-hour hole in 1-minute data).
 * Window mode cuts windows by position; without this a window across such a hole would be scored as if its steps
 * were contiguous. The median is the series' own, so every slice is judged by its own sampling rate.
 */
final class TimeGaps {
  /** No gaps. */
  static final int[] NONE = new int[0];

  private TimeGaps() {}

  /**
   * The steps {@code i} (1 &lt;= i &lt; n, increasing) whose time from step {@code i - 1} is more than {@code k} times
   * the median step: each starts a new run. Regular series cost one pass: when the longest step is at most k times
   * the shortest, none can exceed k times the median.
   */
  static int[] find(long[] times, double k) {
    int n = times.length;
    if (n < 3) {
      return NONE;
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 1; i < n; i++) {
      long step = times[i] - times[i - 1];
      min = Math.min(min, step);
      max = Math.max(max, step);
    }
    if (max <= k * min) {
      return NONE;
    }
    double limit = k * medianStep(times);
    int count = 0;
    for (int i = 1; i < n; i++) {
      count += times[i] - times[i - 1] > limit ? 1 : 0;
    }
    int[] out = new int[count];
    for (int i = 1, j = 0; i < n; i++) {
      if (times[i] - times[i - 1] > limit) {
        out[j++] = i;
      }
    }
    return out;
  }

  /** The median of the steps between consecutive times (the lower one of the middle two for an even count). */
  static long medianStep(long[] times) {
    long[] steps = new long[times.length - 1];
    for (int i = 1; i < times.length; i++) {
      steps[i - 1] = times[i] - times[i - 1];
    }
    Arrays.sort(steps);
    return steps[(steps.length - 1) / 2];
  }

  /** What the gaps of a series are, for the quarantine: how many, the longest and where, and the limit. */
  static String describe(String id, long[] times, int[] gaps, double k) {
    int longest = gaps[0];
    for (int g : gaps) {
      if (times[g] - times[g - 1] > times[longest] - times[longest - 1]) {
        longest = g;
      }
    }
    return "slice " + id + " has " + gaps.length + (gaps.length == 1 ? " time gap" : " time gaps") + " (the longest "
        + duration(times[longest] - times[longest - 1]) + " after " + Instant.ofEpochMilli(times[longest - 1])
        + ") of more than " + number(k) + " times its median step of " + duration(medianStep(times));
  }

  /** A duration in the unit that reads best: 250 ms, 1.5 s, 5 min, 5 h, 2.5 d. */
  static String duration(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    double s = ms / 1000.0;
    return s < 60 ? number(s) + " s" : s < 3600 ? number(s / 60) + " min" : s < 86400 ? number(s / 3600) + " h"
        : number(s / 86400) + " d";
  }

  private static String number(double x) {
    return new BigDecimal(x).round(new MathContext(3)).stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
  }
}
