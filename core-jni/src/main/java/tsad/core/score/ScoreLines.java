package tsad.core.score;

import java.util.Locale;
import tsad.core.data.DataException;
import tsad.core.data.Series;
import tsad.core.window.Window;

/**
 * Turns the results of windows, in order, into output lines: one per slice (its {@link SliceScore}) or one per
 * window, as JSON or TSV. The one writer of the CLI and the MapReduce score job, so their files agree. In slice
 * mode a slice is its one window, and both choices give the window's line.
 */
public final class ScoreLines {
  /** What one output line stands for. */
  public enum Per {
    /** One line per slice: the highest window score, anomalous if any window is (as {@code score_anomaly()}). */
    SLICE,
    /** One line per window, with its start. */
    WINDOW,
    /** One line per row (time step): the mean score of the windows covering it ({@link RowScores}). */
    ROW;

    /** Parses "slice" or "window", with a clear error otherwise. */
    public static Per parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new DataException("unknown --per '" + s + "'; use slice, window or row");
      }
    }
  }

  private final boolean tsv;
  private final boolean perSlice;
  private final boolean perRow;
  private final RowScores rows = new RowScores();
  private final java.util.ArrayDeque<Series> pendingSeries = new java.util.ArrayDeque<>();
  private final ScoreFormat.Lines render;
  private final SliceScore.Accumulator slice = new SliceScore.Accumulator();
  private long windows;
  private long anomalousWindows;
  private long slices;
  private long anomalousSlices;

  /**
   * A writer for one model's results; {@code format} is jsonl or tsv, {@code extra} are name, value pairs added
   * to every JSON line (model, version).
   */
  public ScoreLines(String format, Per per, boolean windowMode, String[] featureNames, String... extra) {
    this.tsv = checkFormat(format).equals("tsv");
    this.perSlice = per == Per.SLICE && windowMode;
    this.perRow = per == Per.ROW;
    this.render = new ScoreFormat.Lines(windowMode, featureNames, extra);
  }

  /** Returns the format if it is jsonl or tsv; otherwise a clear error. */
  public static String checkFormat(String format) {
    if (!"jsonl".equals(format) && !"tsv".equals(format)) {
      throw new DataException("unknown --format '" + format + "'; use jsonl or tsv");
    }
    return format;
  }

  /** The TSV header line (with its newline) of what this writer writes. */
  public String tsvHeader() {
    if (perRow) {
      return "slice_id\ttime\tscore\tthreshold\tis_anomaly\n";
    }
    return perSlice ? "slice_id\tscore\tthreshold\tis_anomaly\twindows\tanomalous_windows\n"
        : "slice_id\twindow\tscore\tthreshold\tis_anomaly\n";
  }

  /** True when lines stand for rows: {@link #series} must announce each slice before its windows. */
  public boolean perRow() {
    return perRow;
  }

  /** Announces the series of the next slice whose windows will be added (per-row lines need its times). */
  public void series(Series s) {
    if (perRow) {
      pendingSeries.add(s);
    }
  }

  /** Adds the next window's result; appends to {@code out} the lines it completes, each ending in a newline. */
  public void add(ScoreResult r, StringBuilder out) {
    add(null, r, out);
  }

  /**
   * Adds the next window and its result; appends to {@code out} the lines it completes, each ending in a newline.
   * Per row, the window says which rows it covers ({@code w} may be null otherwise).
   */
  public void add(Window w, ScoreResult r, StringBuilder out) {
    if (slice.sliceId() != null && !slice.sliceId().equals(r.seriesId())) {
      finish(out);
    }
    slice.add(r);
    windows++;
    anomalousWindows += r.isAnomaly() ? 1 : 0;
    if (perRow) {
      if (rows.sliceId() == null) {
        Series next = pendingSeries.poll();
        if (next == null || !next.id().equals(r.seriesId())) {
          throw new IllegalStateException("per-row scores need the series of " + r.seriesId() + " announced first");
        }
        rows.start(next);
      }
      rows.add(w, r);
    } else if (!perSlice) {
      if (tsv) {
        render.tsv(r, out);
      } else {
        render.render(r, out);
      }
      out.append('\n');
    }
  }

  /** Closes the slice still open (its windows are all in): per slice, appends its line. */
  public void finish(StringBuilder out) {
    if (slice.sliceId() == null) {
      return;
    }
    SliceScore s = slice.finish();
    slices++;
    anomalousSlices += s.isAnomaly() ? 1 : 0;
    if (perRow) {
      rows.finish(render, tsv, out);
    } else if (perSlice) {
      if (tsv) {
        render.tsv(s, out);
      } else {
        render.render(s, out);
      }
      out.append('\n');
    }
  }

  /** Lines written so far (slices, windows or rows). */
  public long lines() {
    return perRow ? rows.rows() : perSlice ? slices : windows;
  }

  /** Of those, the anomalous ones. */
  public long anomalous() {
    return perRow ? rows.anomalous() : perSlice ? anomalousSlices : anomalousWindows;
  }

  /** Windows scored so far. */
  public long windows() {
    return windows;
  }

  /** Windows over the threshold so far. */
  public long anomalousWindows() {
    return anomalousWindows;
  }

  /** Slices closed so far (every window in). */
  public long slices() {
    return slices;
  }

  /** Slices with a window over the threshold so far. */
  public long anomalousSlices() {
    return anomalousSlices;
  }

  /** Whether a line stands for a slice (a window-mode model, per slice) rather than a window. */
  public boolean perSlice() {
    return perSlice;
  }
}
