package tsad.core.window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.data.Series;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/** Cuts a sorted series into model inputs by the window spec; the one window builder of tsad. */
public final class WindowBuilder {
  private final WindowSpec spec;

  /** Creates a builder for one spec. */
  public WindowBuilder(WindowSpec spec) {
    this.spec = spec;
  }

  /** The spec in use. */
  public WindowSpec spec() {
    return spec;
  }

  /**
   * Returns the windows of one series (possibly none, when the series is rejected), counting used and
   * rejected rows and slices in {@code report}.
   */
  public List<Window> build(Series s, DataReport report) {
    int n = s.length();
    int t = spec.length();
    // Sized once: a long series at stride 1 has n - T + 2 windows at most.
    List<Window> out = new ArrayList<>(spec.mode() == WindowMode.SLICE || n < t ? 1 : (n - t) / spec.stride() + 2);
    if (n == 0) {
      return out;
    }
    if (n < t && spec.policy() != LengthPolicy.PAD) {
      return rejectSlice(s, report, RejectReason.TOO_SHORT, "slice " + s.id() + " has " + n + " steps, needs " + t);
    }
    if (spec.mode() == WindowMode.SLICE) {
      if (n > t && spec.policy() == LengthPolicy.REJECT) {
        return rejectSlice(s, report, RejectReason.TOO_LONG, "slice " + s.id() + " has " + n + " steps, expected "
            + t + " (use --length-policy truncate or pad, or window mode)");
      }
      if (n > t) {
        report.rejectRows(n - t, RejectReason.TRUNCATED, s.id(), (n - t) + " steps after the first " + t + " cut",
            "slice " + s.id());
      }
      out.add(cut(s, s.id(), 0, 0));
    } else if (n < t) {
      out.add(cut(s, null, 0, 0));
    } else {
      int index = 0;
      int last = -1;
      for (int start = 0; start + t <= n; start += spec.stride()) {
        out.add(cut(s, null, start, index++));
        last = start;
      }
      // A final window aligned to the end, so the tail is scored too: no step is left out silently.
      if (last + t < n) {
        out.add(cut(s, null, n - t, index));
      }
    }
    report.rowsUsed(Math.min(n, spec.mode() == WindowMode.SLICE ? t : n));
    report.sliceUsed();
    report.windowsMade(out.size());
    return out;
  }

  private List<Window> rejectSlice(Series s, DataReport report, RejectReason reason, String detail) {
    report.rejectSlice(reason, s.id(), detail);
    report.rejectRows(s.length(), RejectReason.IN_REJECTED_SLICE, s.id(), reason.label(), "slice " + s.id());
    return List.of();
  }

  /** One window from {@code start}; a null id is derived from series and start when asked (window mode). */
  private Window cut(Series s, String id, int start, int index) {
    int t = spec.length();
    int f = s.features();
    int valid = Math.min(t, s.length() - start);
    long first = s.timesMs()[start];
    long last = s.timesMs()[start + valid - 1];
    if (valid == t) {
      // A view of the series, not a copy: at stride 1 copies would take T times the series' memory.
      return new Window(id, s.id(), first, last, t, f, valid, index, s.values(), start * f);
    }
    // Pad with the last observation; the scorer masks padded steps out of every score.
    float[] v = Arrays.copyOf(Arrays.copyOfRange(s.values(), start * f, (start + valid) * f), t * f);
    for (int i = valid; i < t; i++) {
      System.arraycopy(v, (valid - 1) * f, v, i * f, f);
    }
    return new Window(id, s.id(), first, last, t, f, valid, index, v);
  }
}
