package tsad.cli;

import java.util.Locale;
import picocli.CommandLine.Option;
import tsad.core.data.DataException;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/** The windowing options shared by {@code tsad train} and {@code tsad prepare}. */
public final class WindowMixin {
  @Option(names = {"--window", "--length"}, defaultValue = "64", paramLabel = "T",
      description = "Steps per window (slice mode: expected slice length). Default: ${DEFAULT-VALUE}.")
  int window;

  @Option(names = "--stride", paramLabel = "S", description = "Steps between window starts in window mode. Default: T/2.")
  Integer stride;

  @Option(names = "--mode", defaultValue = "slice",
      description = "slice: each slice is one sample of T steps; window: cut series into windows. Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = "--length-policy", defaultValue = "reject",
      description = "Slices whose length is not T: reject, truncate (cut longer, reject shorter) or pad (pad shorter, cut longer). Default: ${DEFAULT-VALUE}.")
  String lengthPolicy;

  /** The window spec these options describe. */
  public WindowSpec spec() {
    return new WindowSpec(mode(mode), window, stride != null ? stride : Math.max(1, window / 2), policy(lengthPolicy));
  }

  static WindowMode mode(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "slice": return WindowMode.SLICE;
      case "window": return WindowMode.WINDOW;
      default: throw new DataException("unknown --mode '" + s + "'; use slice or window");
    }
  }

  static LengthPolicy policy(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "reject": return LengthPolicy.REJECT;
      case "truncate": return LengthPolicy.TRUNCATE;
      case "pad": return LengthPolicy.PAD;
      default: throw new DataException("unknown --length-policy '" + s + "'; use reject, truncate or pad");
    }
  }
}
