package tsad.core.window;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
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
   * rejected rows and slices in {@code report}. In window mode the list is a view that makes each window when it
   * is read: a slice of millions of steps cut at stride 1 costs its values, not an object per window (~60 bytes
   * against the 4 bytes a step of one feature holds), so a task that streams through it needs no more memory for
   * one long slice than for its series. Callers that keep the windows copy them into a list of their own.
   */
  public List<Window> build(Series s, DataReport report) {
    int n = s.length();
    int t = spec.length();
    if (n == 0) {
      return List.of();
    }
    if (n < t && spec.policy() != LengthPolicy.PAD) {
      return rejectSlice(s, report, RejectReason.TOO_SHORT, "slice " + s.id() + " has " + n + " steps, needs " + t);
    }
    List<Window> out;
    if (spec.mode() == WindowMode.SLICE) {
      if (n > t && spec.policy() == LengthPolicy.REJECT) {
        // No advice here: each front end names its own setting (the CLI's --length-policy, SQL's length_policy).
        return rejectSlice(s, report, RejectReason.TOO_LONG, "slice " + s.id() + " has " + n + " steps, expected "
            + t);
      }
      if (n > t) {
        report.rejectRows(n - t, RejectReason.TRUNCATED, s.id(), (n - t) + " steps after the first " + t + " cut",
            "slice " + s.id());
      }
      out = List.of(cut(s, s.id(), 0, 0));
    } else if (n < t) {
      out = List.of(cut(s, null, 0, 0));
    } else {
      out = new Cuts(s);
    }
    report.rowsUsed(Math.min(n, spec.mode() == WindowMode.SLICE ? t : n));
    report.sliceUsed();
    report.windowsMade(out.size());
    return out;
  }

  /**
   * The windows of a series of at least T steps in window mode, made when read: one every stride steps from the
   * first, and a final window aligned to the end when the last of those stops short of it, so the tail is scored
   * too and no step is left out silently.
   */
  private final class Cuts extends AbstractList<Window> implements RandomAccess {
    private final Series series;
    private final int regular;
    private final int size;

    Cuts(Series series) {
      this.series = series;
      int n = series.length();
      int t = spec.length();
      this.regular = (n - t) / spec.stride() + 1;
      this.size = regular + ((regular - 1) * spec.stride() + t < n ? 1 : 0);
    }

    @Override
    public Window get(int i) {
      Objects.checkIndex(i, size);
      return cut(series, null, i < regular ? i * spec.stride() : series.length() - spec.length(), i);
    }

    @Override
    public int size() {
      return size;
    }
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
