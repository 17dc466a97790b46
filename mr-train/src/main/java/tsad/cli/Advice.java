package tsad.cli;

import java.util.ArrayList;
import java.util.List;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;

/** What a command-line user can do about the rejects of a data report, in the CLI's own options. */
final class Advice {
  private Advice() {}

  /**
   * One hint a line for the reasons present in {@code report} that an option can change (none if none); {@code
   * training} for data read to train on, where the options apply now, else for data a model was applied to, whose
   * windowing the model fixed in training.
   */
  static List<String> of(DataReport report, boolean training) {
    String when = training ? "" : "retrain with ";
    List<String> out = new ArrayList<>();
    if (report.slicesRejected(RejectReason.TOO_LONG) > 0) {
      out.add("hint: slices longer than the window were rejected; " + when + "--length-policy truncate or pad, or "
          + "--mode window, to use them");
    }
    if (report.slicesRejected(RejectReason.TOO_SHORT) > 0) {
      out.add("hint: slices shorter than the window were rejected; " + when + "--length-policy pad (slice mode) or "
          + "a shorter --window to use them");
    }
    if (report.rowsRejected(RejectReason.SHORT_SEGMENT) > 0) {
      out.add("hint: rows of runs between time gaps shorter than the window were rejected; " + when + "a larger "
          + "--max-gap, --gap-policy ignore or --length-policy pad to use them");
    }
    if (report.slicesRejected(RejectReason.TIME_GAP) > 0) {
      out.add("hint: slices with time gaps were rejected; " + when + "--gap-policy split to window the runs between "
          + "the gaps");
    }
    return out;
  }
}
