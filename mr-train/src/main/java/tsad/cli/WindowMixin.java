package tsad.cli;

import picocli.CommandLine.Option;
import tsad.core.data.DataException;
import tsad.core.window.WindowSpec;
import tsad.proto.GapPolicy;
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

  @Option(names = "--gap-policy", paramLabel = "split|reject|ignore",
      description = "Window mode: what a time gap (a step longer than --max-gap times the series' median step) does: "
          + "split (no window spans it; runs shorter than T are counted as short_segment), reject (the slice is "
          + "rejected as time_gap) or ignore (steps are taken as contiguous). Default: split.")
  String gapPolicy;

  @Option(names = "--max-gap", paramLabel = "K",
      description = "Window mode: a step longer than K times the series' median step is a time gap. Default: 3.")
  Double maxGap;

  /** The window spec these options describe. */
  public WindowSpec spec() {
    WindowMode m = WindowSpec.parseMode(mode, "--mode");
    if (m == WindowMode.SLICE && (gapPolicy != null || maxGap != null)) {
      throw new DataException("--gap-policy and --max-gap are for --mode window: in slice mode a slice is one sample "
          + "of its rows in time order");
    }
    return new WindowSpec(m, window, stride != null ? stride : Math.max(1, window / 2),
        WindowSpec.parsePolicy(lengthPolicy, "--length-policy"),
        gapPolicy == null ? GapPolicy.GAP_SPLIT : WindowSpec.parseGapPolicy(gapPolicy, "--gap-policy"),
        maxGap == null ? WindowSpec.DEFAULT_MAX_GAP : checkedMaxGap(maxGap));
  }

  private static double checkedMaxGap(double k) {
    if (!(k > 1) || Double.isInfinite(k)) {
      throw new DataException("--max-gap must be a number above 1 (times the median step), got " + k);
    }
    return k;
  }
}
