package tsad.core.score;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import java.time.Instant;
import java.util.Locale;

/** Renders score results as JSON lines or TSV: the one output format of the CLI and the MapReduce score job. */
public final class ScoreFormat {
  private ScoreFormat() {}

  /**
   * Renders many results of one model as JSON lines or TSV rows: the extra fields are quoted once, and the
   * threshold's text, the slice id and the date are kept while they do not change, which matters when a MapReduce
   * task writes millions of lines.
   */
  public static final class Lines {
    private final boolean windowMode;
    private final String[] featureNames;
    private final String extras;
    private double threshold = Double.NaN;
    private String thresholdText = num(Double.NaN);
    private long hour = Long.MIN_VALUE;
    private String hourText = "";
    private final StringBuilder start = new StringBuilder(32);
    private String lastId;
    private String lastQuoted;
    private String windowHead;
    private String lastTsvField;

    /** A renderer for one model's results; {@code extra} are name, value pairs appended to every line. */
    public Lines(boolean windowMode, String[] featureNames, String... extra) {
      this.windowMode = windowMode;
      this.featureNames = featureNames;
      StringBuilder e = new StringBuilder();
      for (int i = 0; i + 1 < extra.length; i += 2) {
        e.append(',').append(quote(extra[i])).append(':').append(quote(extra[i + 1]));
      }
      extras = e.toString();
    }

    /**
     * Appends the JSON line of one result (without the newline) to {@code sb}; returns {@code sb}. The object
     * holds slice_id, score, threshold, is_anomaly; in window mode also window and start; with details,
     * step_errors and feature_share (keyed by feature name); then the extra fields.
     */
    public StringBuilder render(ScoreResult r, StringBuilder sb) {
      sb.append("{\"slice_id\":").append(quoted(r.seriesId()));
      if (windowMode) {
        // The start's text is made once for the id and the start field (it was a tenth of a per-window job).
        start(r.startMs());
        if (r.givenId() == null) { // "series@start", without building the id string (slice() made its head)
          sb.append(windowHead).append(start).append('"');
        } else {
          quote(r.id(), sb.append(",\"window\":"));
        }
        sb.append(",\"start\":\"").append(start).append('"');
      }
      num(r.score(), sb.append(",\"score\":")).append(",\"threshold\":").append(thresholdText(r.threshold()))
          .append(",\"is_anomaly\":").append(r.isAnomaly()).append(extras);
      if (r.stepErrors() != null) {
        sb.append(",\"step_errors\":[");
        for (int i = 0; i < r.stepErrors().length; i++) {
          num(r.stepErrors()[i], sb.append(i > 0 ? "," : ""));
        }
        sb.append(']');
      }
      if (r.featureShare() != null) {
        sb.append(",\"feature_share\":{");
        for (int i = 0; i < r.featureShare().length; i++) {
          String name = featureNames != null && i < featureNames.length ? featureNames[i] : "f" + i;
          sb.append(i > 0 ? "," : "");
          quote(name, sb);
          num(r.featureShare()[i], sb.append(':'));
        }
        sb.append('}');
      }
      return sb.append('}');
    }

    /**
     * Appends the JSON line of one slice's verdict (without the newline): slice_id, score, threshold,
     * is_anomaly, the extra fields, then windows, anomalous_windows and worst_start (the start of the window
     * with the highest score).
     */
    public StringBuilder render(SliceScore s, StringBuilder sb) {
      num(s.score(), sb.append("{\"slice_id\":").append(quoted(s.sliceId())).append(",\"score\":"))
          .append(",\"threshold\":").append(thresholdText(s.threshold())).append(",\"is_anomaly\":")
          .append(s.isAnomaly()).append(extras)
          .append(",\"windows\":").append(s.windows()).append(",\"anomalous_windows\":").append(s.anomalousWindows())
          .append(",\"worst_start\":\"");
      instant(s.worstStartMs(), sb);
      return sb.append("\"}");
    }

    /** Appends the TSV row of one window (without the newline): slice_id, window, score, threshold, is_anomaly. */
    public StringBuilder tsv(ScoreResult r, StringBuilder sb) {
      String id = tsvId(r.seriesId());
      sb.append(id).append('\t');
      if (r.givenId() == null) {
        start(r.startMs());
        sb.append(id).append('@').append(start);
      } else {
        tsvField(r.givenId(), sb);
      }
      return num(r.score(), sb.append('\t')).append('\t').append(thresholdText(r.threshold())).append('\t')
          .append(r.isAnomaly());
    }

    /**
     * Appends the TSV row of one slice's verdict (without the newline): slice_id, score, threshold, is_anomaly,
     * windows, anomalous_windows.
     */
    public StringBuilder tsv(SliceScore s, StringBuilder sb) {
      tsvField(s.sliceId(), sb);
      return num(s.score(), sb.append('\t')).append('\t')
          .append(thresholdText(s.threshold())).append('\t').append(s.isAnomaly()).append('\t').append(s.windows())
          .append('\t').append(s.anomalousWindows());
    }

    /**
     * Appends the JSON line of one row's verdict (without the newline): slice_id, time, score, threshold,
     * is_anomaly, then the extra fields.
     */
    public StringBuilder row(String sliceId, long timeMs, double score, double threshold, boolean anomaly,
        StringBuilder sb) {
      sb.append("{\"slice_id\":").append(quoted(sliceId)).append(",\"time\":\"");
      instant(timeMs, sb);
      num(score, sb.append("\",\"score\":")).append(",\"threshold\":").append(thresholdText(threshold))
          .append(",\"is_anomaly\":").append(anomaly).append(extras);
      return sb.append('}');
    }

    /** Appends the TSV row of one row's verdict (without the newline): slice_id, time, score, threshold, is_anomaly. */
    public StringBuilder tsvRow(String sliceId, long timeMs, double score, double threshold, boolean anomaly,
        StringBuilder sb) {
      sb.append(tsvId(sliceId)).append('\t');
      instant(timeMs, sb);
      return num(score, sb.append('\t')).append('\t').append(thresholdText(threshold)).append('\t').append(anomaly);
    }

    /** Makes {@code start} the ISO text of {@code ms}. */
    private void start(long ms) {
      start.setLength(0);
      instant(ms, start);
    }

    /** A slice id as a JSON literal, kept while the lines are of one slice (its windows come in a row). */
    private String quoted(String id) {
      slice(id);
      return lastQuoted;
    }

    /** A slice id as a TSV field, kept likewise. */
    private String tsvId(String id) {
      slice(id);
      return lastTsvField;
    }

    /** Makes the texts of a slice id that its lines repeat, when the id is not the last line's. */
    private void slice(String id) {
      if (!id.equals(lastId)) {
        lastId = id;
        lastQuoted = quote(id);
        // The window field's text up to its start: the literal reopened, as the ISO start needs no escapes.
        windowHead = ",\"window\":" + lastQuoted.substring(0, lastQuoted.length() - 1) + "@";
        StringBuilder f = new StringBuilder(id.length() + 4);
        tsvField(id, f);
        lastTsvField = f.toString();
      }
    }

    /** The threshold's text, kept while it does not change. */
    private String thresholdText(double t) {
      if (Double.doubleToLongBits(t) != Double.doubleToLongBits(threshold)) {
        threshold = t;
        thresholdText = num(t);
      }
      return thresholdText;
    }

    /**
     * Appends {@code Instant.ofEpochMilli(ms).toString()}: the text up to the hour is kept while windows stay in
     * one hour, since the general formatter was a visible share of the score job's time per window.
     */
    void instant(long ms, StringBuilder sb) {
      long h = Math.floorDiv(ms, 3_600_000L);
      if (h != hour) {
        String date = java.time.LocalDate.ofEpochDay(Math.floorDiv(h, 24)).toString();
        if (date.length() != 10) { // years before 0000 or after 9999 have other widths: the general formatter
          sb.append(Instant.ofEpochMilli(ms));
          return;
        }
        int hh = (int) Math.floorMod(h, 24);
        hour = h;
        hourText = date + "T" + (char) ('0' + hh / 10) + (char) ('0' + hh % 10) + ":";
      }
      int inHour = (int) Math.floorMod(ms, 3_600_000L);
      int sec = inHour / 1000;
      sb.append(hourText);
      two(sec / 60, sb);
      two(sec % 60, sb.append(':'));
      int milli = inHour % 1000;
      if (milli != 0) {
        sb.append('.').append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10))
            .append((char) ('0' + milli % 10));
      }
      sb.append('Z');
    }

    private static void two(int v, StringBuilder sb) {
      sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
  }

  /** A JSON number; the shortest text that reads back to the same double. */
  static String num(double v) {
    return num(v, new StringBuilder(24)).toString();
  }

  /** Whether numbers are written by Schubfach (jackson-core on the class path), not by the JDK 17 fallback. */
  static boolean schubfach() {
    return Shortest.SCHUBFACH;
  }

  /** Appends {@link #num(double)}'s text (a line per window has one); returns {@code sb}. */
  static StringBuilder num(double v, StringBuilder sb) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return sb.append("null");
    }
    int at = sb.length();
    sb.append(Shortest.text(v));
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e7)) { // the only magnitudes Java writes with an exponent
      for (int i = sb.length() - 1; i > at; i--) {
        if (sb.charAt(i) == 'E') {
          sb.setCharAt(i, 'e');
          break;
        }
      }
    }
    return sb;
  }

  /**
   * Double.toString's layout with the shortest digits that read back to the same double (Schubfach, as
   * Double.toString itself since JDK 19). On JDK 17 Double.toString took ~210 ns a number, about a third of
   * making and writing a per-window line, and printed a 17th digit for some doubles (1.9999999999999998E23 for
   * 2.0E23); the jackson-core copy of Schubfach takes ~85 ns. Where that class is missing (a cluster with a
   * jackson-core before 2.14 first on the task's class path) Double.toString is used: the same doubles, now and
   * then with a longer text.
   */
  private static final class Shortest {
    private static final boolean SCHUBFACH = available();

    static String text(double v) {
      return SCHUBFACH ? DoubleToDecimal.toString(v) : Double.toString(v);
    }

    private static boolean available() {
      try {
        return "0.1".equals(DoubleToDecimal.toString(0.1));
      } catch (LinkageError e) {
        return false;
      }
    }
  }

  /**
   * Appends {@code s} as a TSV field: a tab, newline, carriage return or backslash in an id is written as a
   * backslash and t, n, r or a second backslash (as Hive and MySQL read them), so a row keeps its fields.
   */
  static void tsvField(String s, StringBuilder sb) {
    boolean plain = true;
    for (int i = 0; i < s.length() && plain; i++) {
      char c = s.charAt(i);
      plain = c != '\t' && c != '\n' && c != '\r' && c != '\\';
    }
    if (plain) {
      sb.append(s);
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\t': sb.append("\\t"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\\': sb.append("\\\\"); break;
        default: sb.append(c);
      }
    }
  }

  /** A JSON string literal with the required escapes. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    quote(s, sb);
    return sb.toString();
  }

  /** Appends {@code s} as a JSON string literal; ids rarely need escapes, so those are looked for first. */
  static void quote(String s, StringBuilder sb) {
    boolean plain = true;
    for (int i = 0; i < s.length() && plain; i++) {
      char c = s.charAt(i);
      plain = c >= 0x20 && c != '"' && c != '\\';
    }
    if (plain) {
      sb.append('"').append(s).append('"');
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
