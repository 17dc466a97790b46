package tsad.core.window;

import java.util.Locale;
import tsad.core.data.DataException;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/**
 * How series become windows.
 *
 * @param mode slice (one sample per slice) or window (sliding windows)
 * @param length T, steps per window
 * @param stride S, steps between window starts (window mode)
 * @param policy what to do with slices whose length is not T
 */
public record WindowSpec(WindowMode mode, int length, int stride, LengthPolicy policy) {
  /** Validates the sizes so a bad option fails before any data is read. */
  public WindowSpec {
    if (mode == null || mode == WindowMode.WINDOW_MODE_UNSPECIFIED) {
      mode = WindowMode.SLICE;
    }
    if (policy == null || policy == LengthPolicy.LENGTH_POLICY_UNSPECIFIED) {
      policy = LengthPolicy.REJECT;
    }
    if (length < 2) {
      throw new DataException("window length must be at least 2, got " + length);
    }
    if (stride < 1) {
      throw new DataException("stride must be at least 1, got " + stride);
    }
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
}
