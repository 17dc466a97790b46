package tsad.core.score;

import java.time.Instant;
import java.util.Locale;

/** Renders score results as JSON lines or TSV: the one output format of the CLI and the MapReduce score job. */
public final class ScoreFormat {
  private ScoreFormat() {}

  /**
   * One JSON object: slice_id, score, threshold, is_anomaly; in window mode also window and start; with
   * details, step_errors and feature_share (keyed by feature name); plus any extra string fields.
   */
  public static String json(ScoreResult r, boolean windowMode, String[] featureNames, String... extra) {
    StringBuilder sb = new StringBuilder(128).append("{\"slice_id\":").append(quote(r.seriesId()));
    if (windowMode) {
      sb.append(",\"window\":").append(quote(r.id())).append(",\"start\":")
          .append(quote(Instant.ofEpochMilli(r.startMs()).toString()));
    }
    sb.append(",\"score\":").append(num(r.score())).append(",\"threshold\":").append(num(r.threshold()))
        .append(",\"is_anomaly\":").append(r.isAnomaly());
    for (int i = 0; i + 1 < extra.length; i += 2) {
      sb.append(',').append(quote(extra[i])).append(':').append(quote(extra[i + 1]));
    }
    if (r.stepErrors() != null) {
      sb.append(",\"step_errors\":[");
      for (int i = 0; i < r.stepErrors().length; i++) {
        sb.append(i > 0 ? "," : "").append(num(r.stepErrors()[i]));
      }
      sb.append(']');
    }
    if (r.featureShare() != null) {
      sb.append(",\"feature_share\":{");
      for (int i = 0; i < r.featureShare().length; i++) {
        String name = featureNames != null && i < featureNames.length ? featureNames[i] : "f" + i;
        sb.append(i > 0 ? "," : "").append(quote(name)).append(':').append(num(r.featureShare()[i]));
      }
      sb.append('}');
    }
    return sb.append('}').toString();
  }

  /** One TSV line: slice_id, window, score, threshold, is_anomaly. */
  public static String tsv(ScoreResult r) {
    return r.seriesId() + "\t" + r.id() + "\t" + num(r.score()) + "\t" + num(r.threshold()) + "\t" + r.isAnomaly();
  }

  /** A JSON number; the shortest text that reads back to the same double. */
  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "null";
    }
    return Double.toString(v).replace("E", "e");
  }

  /** A JSON string literal with the required escapes. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
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
    return sb.append('"').toString();
  }
}
