package tsad.core.window;

import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.data.Series;
import tsad.proto.GapPolicy;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/** Cuts a sorted series into model inputs by the window spec; the one window builder of tsad. */
public final class WindowBuilder {
  private final WindowSpec spec;
  /** The input named in strict-mode failures, or null: lenient, rejects are counted. */
  private final String strictSource;

  /** Creates a builder for one spec that counts and reports what it rejects. */
  public WindowBuilder(WindowSpec spec) {
    this(spec, null);
  }

  private WindowBuilder(WindowSpec spec, String strictSource) {
    this.spec = spec;
    this.strictSource = strictSource;
  }

  /**
   * A builder for the same spec in strict mode: a slice of the wrong length or with a time gap it must reject, or a
   * run between gaps too short to window, fails with a {@link DataException} naming {@code source}, the slice and
   * the reason, instead of being counted. Steps cut by the truncate policy are what that policy asks for and stay
   * counted.
   */
  public WindowBuilder strict(String source) {
    return new WindowBuilder(spec, Objects.requireNonNull(source));
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
   * one long slice than for its series. Callers that keep the windows copy them into a list of their own. In window
   * mode time gaps ({@link TimeGaps}) are handled by the spec's gap policy: the series is split at them (runs shorter
   * than T, unless padded, are counted as {@link RejectReason#SHORT_SEGMENT}), the slice is rejected ({@link
   * RejectReason#TIME_GAP}), or they are ignored.
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
    int used;
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
      out = List.of(cut(s, s.id(), 0, n, 0));
      used = Math.min(n, t);
    } else {
      int[] gaps = spec.gapPolicy() == GapPolicy.GAP_IGNORE ? TimeGaps.NONE : TimeGaps.find(s.timesMs(),
          spec.maxGap());
      if (gaps.length > 0 && spec.gapPolicy() == GapPolicy.GAP_REJECT) {
        return rejectSlice(s, report, RejectReason.TIME_GAP, TimeGaps.describe(s.id(), s.timesMs(), gaps,
            spec.maxGap()));
      }
      Cuts cuts = new Cuts(s, gaps);
      if (cuts.isEmpty()) {
        return rejectSlice(s, report, RejectReason.TOO_SHORT, "slice " + s.id() + " has no run of " + t + " steps "
            + "between its time gaps (the longest has " + cuts.longestRun + "); " + TimeGaps.describe(s.id(),
            s.timesMs(), gaps, spec.maxGap()));
      }
      used = n;
      for (int r = 0; r < gaps.length + 1; r++) {
        int a = r == 0 ? 0 : gaps[r - 1];
        int b = r == gaps.length ? n : gaps[r];
        if (!cuts.windowed(b - a)) {
          used -= b - a;
          String detail = (b - a) + " steps from " + Instant.ofEpochMilli(s.timesMs()[a]) + " to "
              + Instant.ofEpochMilli(s.timesMs()[b - 1]) + " between time gaps, fewer than the window's " + t;
          failIfStrict(RejectReason.SHORT_SEGMENT, "slice " + s.id() + ": " + detail);
          report.rejectRows(b - a, RejectReason.SHORT_SEGMENT, s.id(), detail, "slice " + s.id());
        }
      }
      out = cuts;
    }
    report.rowsUsed(used);
    report.sliceUsed();
    report.windowsMade(out.size());
    return out;
  }

  /**
   * The windows of a series in window mode, made when read, run by run between its time gaps (one run, the whole
   * series, when there are none or they are ignored): in each run of at least T steps one window every stride steps
   * from its first, and a final window aligned to its end when the last of those stops short of it, so the tail is
   * scored too and no step is left out silently; a shorter run gives one padded window under the pad policy and
   * none otherwise.
   */
  private final class Cuts extends AbstractList<Window> implements RandomAccess {
    private final Series series;
    /** Per run that gives windows: its first and end step, its regular windows, and the list index of its first. */
    private final int[] from;
    private final int[] to;
    private final int[] regular;
    private final int[] first;
    private final int size;
    final int longestRun;

    Cuts(Series series, int[] gaps) {
      this.series = series;
      int n = series.length();
      int runs = gaps.length + 1;
      int[] f = new int[runs];
      int[] e = new int[runs];
      int[] g = new int[runs];
      int[] k = new int[runs];
      int kept = 0;
      int total = 0;
      int longest = 0;
      int t = spec.length();
      for (int r = 0; r < runs; r++) {
        int a = r == 0 ? 0 : gaps[r - 1];
        int b = r == gaps.length ? n : gaps[r];
        longest = Math.max(longest, b - a);
        if (!windowed(b - a)) {
          continue;
        }
        int reg = b - a < t ? 0 : (b - a - t) / spec.stride() + 1;
        int count = b - a < t ? 1 : reg + ((reg - 1) * spec.stride() + t < b - a ? 1 : 0);
        f[kept] = a;
        e[kept] = b;
        g[kept] = reg;
        k[kept] = total;
        total = Math.addExact(total, count);
        kept++;
      }
      this.from = Arrays.copyOf(f, kept);
      this.to = Arrays.copyOf(e, kept);
      this.regular = Arrays.copyOf(g, kept);
      this.first = Arrays.copyOf(k, kept);
      this.size = total;
      this.longestRun = longest;
    }

    /** Whether a run of {@code steps} steps gives windows: T or more, or any under the pad policy. */
    boolean windowed(int steps) {
      return steps >= spec.length() || spec.policy() == LengthPolicy.PAD;
    }

    @Override
    public Window get(int i) {
      Objects.checkIndex(i, size);
      int r = from.length == 1 ? 0 : run(i);
      int j = i - first[r];
      int start = j < regular[r] ? from[r] + j * spec.stride() : Math.max(from[r], to[r] - spec.length());
      return cut(series, null, start, to[r], i);
    }

    private int run(int i) {
      int r = Arrays.binarySearch(first, i);
      return r >= 0 ? r : -r - 2;
    }

    @Override
    public int size() {
      return size;
    }
  }

  private List<Window> rejectSlice(Series s, DataReport report, RejectReason reason, String detail) {
    failIfStrict(reason, detail);
    report.rejectSlice(reason, s.id(), detail);
    report.rejectRows(s.length(), RejectReason.IN_REJECTED_SLICE, s.id(), reason.label(), "slice " + s.id());
    return List.of();
  }

  private void failIfStrict(RejectReason reason, String detail) {
    if (strictSource != null) {
      throw new DataException(strictSource + ": " + reason.label() + ": " + detail
          + " (strict mode; without it the slice's rows are counted and skipped)");
    }
  }

  /**
   * One window from {@code start} within steps before {@code end} (padded past it); a null id is derived from series
   * and start when asked (window mode).
   */
  private Window cut(Series s, String id, int start, int end, int index) {
    int t = spec.length();
    int f = s.features();
    int valid = Math.min(t, end - start);
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
