package tsad.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tsad.core.data.CsvRowParser;
import tsad.core.data.DataException;
import tsad.core.data.TimeParser;
import tsad.core.score.Evaluation;
import tsad.proto.TimeFormat;

/**
 * {@code tsad evaluate} for per-row scores ({@code tsad score --per row}) against labels as users have them:
 * labelled anomaly ranges ({@code slice_id,start,end}, both ends inclusive, as incident logs keep them) or a label per
 * row ({@code slice_id,time,label}, or {@code time,label} for one series). Reports, per series and pooled, row-level
 * AUC-ROC, AUC-PR (average precision), the best F1 and the threshold that gives it, and F1, false-alarm rate and
 * missed-alarm rate at the model's own threshold.
 */
final class RowEvaluation {
  private static final Pattern ROW = Pattern.compile("\"slice_id\":\"((?:[^\"\\\\]|\\\\.)*)\",\"time\":\"([^\"]+)\","
      + "\"score\":([^,}]+),\"threshold\":([^,}]+),\"is_anomaly\":(true|false)");

  /** The rows of one series, in the order read. */
  private static final class Rows {
    final List<Long> times = new ArrayList<>();
    final List<Double> scores = new ArrayList<>();
    final List<Boolean> flags = new ArrayList<>();
  }

  private final Map<String, Rows> bySeries = new LinkedHashMap<>();
  private long unscored;

  /** Adds one score line; a line that is not per row is an error that says how to make them. */
  void add(String file, long lineNo, String line) {
    Matcher m = ROW.matcher(line);
    if (!m.find()) {
      throw new DataException(file + ":" + lineNo + ": not a per-row score line (slice_id, time, score, ...): "
          + "score with --per row to evaluate against labelled ranges or rows");
    }
    double score = m.group(3).equals("null") ? Double.NaN : Double.parseDouble(m.group(3));
    if (Double.isNaN(score)) {
      unscored++;
      return;
    }
    Rows r = bySeries.computeIfAbsent(unescape(m.group(1)), k -> new Rows());
    r.times.add(TimeParser.parse(m.group(2), TimeFormat.ISO));
    r.scores.add(score);
    r.flags.add(m.group(5).equals("true"));
  }

  private static String unescape(String json) {
    return json.indexOf('\\') < 0 ? json : com.google.gson.JsonParser.parseString("\"" + json + "\"").getAsString();
  }

  /** Labels of rows: anomalous inside a labelled range or with label 1/true. */
  private interface Labels {
    /** The label of a row, or null when it has none. */
    Boolean of(String series, long timeMs);
  }

  /** Reads {@code slice_id,start,end} ranges; every row of a series is labelled (normal outside its ranges). */
  static Map<String, List<long[]>> ranges(Path file) throws IOException {
    Map<String, List<long[]>> out = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] f = CsvRowParser.split(lines.get(i));
      if (f.length < 3) {
        throw new DataException(file + ":" + (i + 1) + ": expected slice_id,start,end");
      }
      long start = TimeParser.parse(f[1].trim(), TimeFormat.AUTO);
      long end = TimeParser.parse(f[2].trim(), TimeFormat.AUTO);
      if (end < start) {
        throw new DataException(file + ":" + (i + 1) + ": the range ends before it starts");
      }
      out.computeIfAbsent(f[0].trim(), k -> new ArrayList<>()).add(new long[] {start, end});
    }
    return out;
  }

  /** Whether {@code timeMs} lies in one of {@code ranges} (both ends inclusive). */
  static boolean inRange(List<long[]> ranges, long timeMs) {
    for (long[] r : ranges) {
      if (timeMs >= r[0] && timeMs <= r[1]) {
        return true;
      }
    }
    return false;
  }

  /** Evaluates against ranges; prints the report, and writes it as JSON to {@code json} when not null. */
  void evaluateRanges(Path file, Path json) throws IOException {
    Map<String, List<long[]>> ranges = ranges(file);
    List<String> without = new ArrayList<>();
    for (String s : bySeries.keySet()) {
      if (!ranges.containsKey(s)) {
        without.add(s);
      }
    }
    if (!without.isEmpty()) {
      System.out.println("note: " + without.size() + " scored series have no labelled range in " + file
          + " (all their rows count as normal): " + String.join(", ", without.subList(0, Math.min(5, without.size())))
          + (without.size() > 5 ? ", ..." : ""));
    }
    report((series, t) -> inRange(ranges.getOrDefault(series, List.of()), t), json);
  }

  /** Evaluates against per-row labels ({@code slice_id,time,label} or {@code time,label}). */
  void evaluatePoints(Path file, Path json) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new DataException(file + " is empty: expected slice_id,time,label (or time,label) with a header");
    }
    boolean withSlice = CsvRowParser.split(lines.get(0)).length >= 3;
    if (!withSlice && bySeries.size() > 1) {
      throw new DataException(file + " has no slice_id column but the scores hold " + bySeries.size()
          + " series: give slice_id,time,label");
    }
    String only = bySeries.isEmpty() ? "" : bySeries.keySet().iterator().next();
    Map<String, Map<Long, Boolean>> labels = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] f = CsvRowParser.split(lines.get(i));
      int o = withSlice ? 1 : 0;
      if (f.length < o + 2) {
        throw new DataException(file + ":" + (i + 1) + ": expected " + (withSlice ? "slice_id,time,label" : "time,label"));
      }
      String v = f[o + 1].trim();
      labels.computeIfAbsent(withSlice ? f[0].trim() : only, k -> new HashMap<>())
          .put(TimeParser.parse(f[o].trim(), TimeFormat.AUTO), v.equals("1") || v.equalsIgnoreCase("true"));
    }
    report((series, t) -> labels.getOrDefault(series, Map.of()).get(t), json);
  }

  private void report(Labels labels, Path json) throws IOException {
    if (bySeries.isEmpty()) {
      throw new DataException("the scores hold no rows with a score");
    }
    JsonObject out = new JsonObject();
    JsonArray perSeries = new JsonArray();
    List<Double> pooledScores = new ArrayList<>();
    List<Boolean> pooledLabels = new ArrayList<>();
    long[] pooled = new long[4];
    double sumRoc = 0;
    double sumPr = 0;
    int ranked = 0;
    long unlabelled = 0;
    for (Map.Entry<String, Rows> e : bySeries.entrySet()) {
      Rows r = e.getValue();
      List<Double> sc = new ArrayList<>();
      List<Boolean> lab = new ArrayList<>();
      List<Boolean> flag = new ArrayList<>();
      for (int i = 0; i < r.times.size(); i++) {
        Boolean l = labels.of(e.getKey(), r.times.get(i));
        if (l == null) {
          unlabelled++;
          continue;
        }
        sc.add(r.scores.get(i));
        lab.add(l);
        flag.add(r.flags.get(i));
      }
      if (sc.isEmpty()) {
        continue;
      }
      JsonObject s = figures(e.getKey(), sc, lab, flag, pooled);
      perSeries.add(s);
      if (s.has("auc_pr")) {
        sumRoc += s.get("auc_roc").getAsDouble();
        sumPr += s.get("auc_pr").getAsDouble();
        ranked++;
      }
      pooledScores.addAll(sc);
      pooledLabels.addAll(lab);
    }
    if (pooledScores.isEmpty()) {
      throw new DataException("no scored row has a label: do the slice ids and times of the labels match the scores?");
    }
    out.add("series", perSeries);
    JsonObject all = figures("pooled", pooledScores, pooledLabels, null, null);
    Evaluation.Detection d = Evaluation.Detection.of(pooled[0], pooled[1], pooled[2], pooled[3]);
    all.addProperty("f1_at_model_threshold", d.f1());
    all.addProperty("false_alarm_rate", d.falseAlarmRate());
    all.addProperty("missed_alarm_rate", d.missedAlarmRate());
    if (ranked > 0) {
      all.addProperty("mean_auc_roc", sumRoc / ranked);
      all.addProperty("mean_auc_pr", sumPr / ranked);
    }
    out.add("pooled", all);
    out.addProperty("rows_unlabelled", unlabelled);
    out.addProperty("rows_without_score", unscored);
    System.out.printf(Locale.ROOT, "pooled over %d series: %d rows (%d anomalous)%s%s; at the model threshold: F1 %.3f,"
        + " false alarms %.1f%%, missed alarms %.1f%%%n", perSeries.size(), pooledScores.size(),
        all.get("anomalous_rows").getAsLong(), ranked > 0 ? String.format(Locale.ROOT, "; mean over %d series: AUC-ROC "
        + "%.4f, AUC-PR %.4f", ranked, sumRoc / ranked, sumPr / ranked) : "", all.has("auc_pr") ? String.format(
        Locale.ROOT, "; pooled AUC-ROC %.4f, AUC-PR %.4f", all.get("auc_roc").getAsDouble(),
        all.get("auc_pr").getAsDouble()) : "", d.f1(), 100 * d.falseAlarmRate(), 100 * d.missedAlarmRate());
    if (unlabelled > 0 || unscored > 0) {
      System.out.printf(Locale.ROOT, "not evaluated: %d rows without a label, %d rows without a score%n", unlabelled,
          unscored);
    }
    if (json != null) {
      String text = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
          .toJson(out) + "\n";
      try {
        tsad.core.io.AtomicFiles.writeAll(Map.of(json, text.getBytes(StandardCharsets.UTF_8)));
      } catch (java.io.IOException e) {
        throw new DataException("cannot write --output " + json + ": " + tsad.core.io.AtomicFiles.reason(e));
      }
    }
  }

  /** One series' (or the pooled rows') figures, printed as a line; adds the series' counts to {@code pooled}. */
  private static JsonObject figures(String name, List<Double> sc, List<Boolean> lab, List<Boolean> flag,
      long[] pooled) {
    double[] s = sc.stream().mapToDouble(Double::doubleValue).toArray();
    boolean[] y = new boolean[lab.size()];
    long pos = 0;
    for (int i = 0; i < y.length; i++) {
      y[i] = lab.get(i);
      pos += y[i] ? 1 : 0;
    }
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.addProperty("rows", s.length);
    o.addProperty("anomalous_rows", pos);
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %d rows (%d anomalous)", name, s.length,
        pos));
    if (pos > 0 && pos < s.length) {
      double roc = Evaluation.auc(s, y);
      double pr = Evaluation.averagePrecision(s, y);
      Evaluation.BestF1 best = Evaluation.bestF1(s, y);
      o.addProperty("auc_roc", roc);
      o.addProperty("auc_pr", pr);
      o.addProperty("best_f1", best.f1());
      o.addProperty("best_f1_threshold", best.threshold());
      line.append(String.format(Locale.ROOT, "; AUC-ROC %.4f, AUC-PR %.4f; best F1 %.3f at threshold %.6g", roc, pr,
          best.f1(), best.threshold()));
    }
    if (flag != null) {
      boolean[] f = new boolean[flag.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = flag.get(i);
      }
      Evaluation.Detection d = Evaluation.Detection.of(f, y);
      pooled[0] += d.tp();
      pooled[1] += d.fp();
      pooled[2] += d.tn();
      pooled[3] += d.fn();
      o.addProperty("f1_at_model_threshold", d.f1());
      o.addProperty("false_alarm_rate", d.falseAlarmRate());
      o.addProperty("missed_alarm_rate", d.missedAlarmRate());
      line.append(String.format(Locale.ROOT, "; at the model threshold: F1 %.3f, false alarms %.1f%%, missed %.1f%%",
          d.f1(), 100 * d.falseAlarmRate(), 100 * d.missedAlarmRate()));
      System.out.println(line);
    }
    return o;
  }
}
