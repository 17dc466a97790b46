package tsad.cli;

import picocli.CommandLine.Option;
import tsad.core.window.WindowSpec;

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
    return new WindowSpec(WindowSpec.parseMode(mode, "--mode"), window, stride != null ? stride : Math.max(1, window / 2),
        WindowSpec.parsePolicy(lengthPolicy, "--length-policy"));
  }
}
