package tsad.core.window;

import java.util.Locale;
import tsad.core.data.DataException;
import tsad.proto.GapPolicy;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/**
 * How series become windows.
 *
 * @param mode slice (one sample per slice) or window (sliding windows)
 * @param length T, steps per window
 * @param stride S, steps between window starts (window mode)
 * @param policy what to do with slices whose length is not T
 * @param gapPolicy window mode: what a time gap does (split the series at it, reject the slice, or ignore it)
 * @param maxGap window mode: a step longer than this many times the series' median step is a time gap (&gt; 1)
 */
public record WindowSpec(WindowMode mode, int length, int stride, LengthPolicy policy, GapPolicy gapPolicy,
                         double maxGap) {
  /**
   * The default gap limit, 3 median steps: one or two missing samples in a row (a step of 2 or 3) are no gap, a
   * longer hole is. It stays well above the jitter of clocks that sample regularly.
   */
  public static final double DEFAULT_MAX_GAP = 3;

  /** Validates the sizes so a bad option fails before any data is read. */
  public WindowSpec {
    if (mode == null || mode == WindowMode.WINDOW_MODE_UNSPECIFIED) {
      mode = WindowMode.SLICE;
    }
    if (policy == null || policy == LengthPolicy.LENGTH_POLICY_UNSPECIFIED) {
      policy = LengthPolicy.REJECT;
    }
    if (gapPolicy == null || gapPolicy == GapPolicy.GAP_POLICY_UNSPECIFIED) {
      gapPolicy = GapPolicy.GAP_SPLIT;
    }
    if (length < 2) {
      throw new DataException("window length must be at least 2, got " + length);
    }
    if (stride < 1) {
      throw new DataException("stride must be at least 1, got " + stride);
    }
    if (!(maxGap > 1) || Double.isInfinite(maxGap)) {
      throw new DataException("the gap limit must be a finite number above 1 (times the median step), got " + maxGap);
    }
  }

  /** A spec with the default gap handling: split at steps over {@value #DEFAULT_MAX_GAP} median steps. */
  public WindowSpec(WindowMode mode, int length, int stride, LengthPolicy policy) {
    this(mode, length, stride, policy, GapPolicy.GAP_SPLIT, DEFAULT_MAX_GAP);
  }

  /** The same spec with another length policy (the Hive functions' length_policy option). */
  public WindowSpec withLengthPolicy(LengthPolicy value) {
    return new WindowSpec(mode, length, stride, value, gapPolicy, maxGap);
  }

  /** Parses slice or window; {@code what} names the setting in the error (the CLI's --mode, a job's key). */
  public static WindowMode parseMode(String s, String what) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "slice": return WindowMode.SLICE;
      case "window": return WindowMode.WINDOW;
      default: throw new DataException("unknown " + what + " '" + s + "'; use slice or window");
    }
  }

  /** Parses reject, truncate or pad; {@code what} names the setting in the error. */
  public static LengthPolicy parsePolicy(String s, String what) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "reject": return LengthPolicy.REJECT;
      case "truncate": return LengthPolicy.TRUNCATE;
      case "pad": return LengthPolicy.PAD;
      default: throw new DataException("unknown " + what + " '" + s
          + "'; use reject, truncate or pad");
    }
  }

  /** Parses split, reject or ignore; {@code what} names the setting in the error. */
  public static GapPolicy parseGapPolicy(String s, String what) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "split": return GapPolicy.GAP_SPLIT;
      case "reject": return GapPolicy.GAP_REJECT;
      case "ignore": return GapPolicy.GAP_IGNORE;
      default: throw new DataException("unknown " + what + " '" + s + "'; use split, reject or ignore");
    }
  }

  /** The name {@link #parseGapPolicy} reads for a policy (split, reject, ignore). */
  public static String gapPolicyName(GapPolicy p) {
    return p.name().substring("GAP_".length()).toLowerCase(Locale.ROOT);
  }
}
