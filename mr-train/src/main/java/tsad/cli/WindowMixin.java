package tsad.cli;

import picocli.CommandLine.Option;
import tsad.core.data.DataException;
import tsad.core.window.WindowLength;
import tsad.core.window.WindowSpec;
import tsad.proto.GapPolicy;
import tsad.proto.WindowMode;

/** The windowing options shared by {@code tsad train} and {@code tsad prepare}. */
public final class WindowMixin {
  @Option(names = {"--window", "--length"}, paramLabel = "T|auto",
      description = "Steps per window (slice mode: expected slice length). Default: 64; in window mode auto: chosen "
          + "from the input's first rows (64, or one whole cycle when the series repeat with a longer period).")
  String window;

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

  /**
   * True when the window length is left to the input: window mode, and {@code --window} not given or
   * {@code auto}. Checks the options first.
   */
  public boolean auto() {
    boolean auto = setting() == WindowLength.AUTO;
    spec(givenOrDefault());
    return auto;
  }

  /** The window spec these options describe, with {@code length} steps per window (a chosen or given length). */
  public WindowSpec spec(int length) {
    WindowMode m = WindowSpec.parseMode(mode, "--mode");
    if (m == WindowMode.SLICE && (gapPolicy != null || maxGap != null)) {
      throw new DataException("--gap-policy and --max-gap are for --mode window: in slice mode a slice is one sample "
          + "of its rows in time order");
    }
    return new WindowSpec(m, length, stride != null ? stride : Math.max(1, length / 2),
        WindowSpec.parsePolicy(lengthPolicy, "--length-policy"),
        gapPolicy == null ? GapPolicy.GAP_SPLIT : WindowSpec.parseGapPolicy(gapPolicy, "--gap-policy"),
        maxGap == null ? WindowSpec.DEFAULT_MAX_GAP : checkedMaxGap(maxGap));
  }

  /** The given length, or the default while auto is still to choose (so the other options are checked first). */
  int givenOrDefault() {
    int t = setting();
    return t == WindowLength.AUTO ? WindowLength.DEFAULT : t;
  }

  private int setting() {
    return WindowLength.setting(window, WindowSpec.parseMode(mode, "--mode"), "--window", "--window auto",
        "--mode window");
  }

  private static double checkedMaxGap(double k) {
    if (!(k > 1) || Double.isInfinite(k)) {
      throw new DataException("--max-gap must be a number above 1 (times the median step), got " + k);
    }
    return k;
  }
}
