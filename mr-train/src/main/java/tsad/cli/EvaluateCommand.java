package tsad.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tsad.core.data.CsvRowParser;
import tsad.core.data.DataException;
import tsad.core.score.Evaluation;

/**
 * {@code tsad evaluate}: compares {@code tsad score} output with labels: per slice (AUC-ROC, recall, false alarms,
 * per kind), or per row against labelled ranges or row labels ({@link RowEvaluation}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compare scores (tsad score JSON lines) with labels.",
        "--labels slice_id,is_anomaly[,kind]: per slice (anomalous when any of its windows is).",
        "--ranges slice_id,start,end (both ends inclusive) or --points slice_id,time,label (or time,label): per row, "
            + "for scores made with 'tsad score --per row': AUC-ROC, AUC-PR, best F1 and its threshold, and F1, "
            + "false-alarm and missed-alarm rates at the model's threshold, per series and pooled."})
public final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--scores", required = true, paramLabel = "JSONL|DIR",
      description = "Output of tsad score, or the output directory of tsad score --mapreduce (its part-* files, "
          + "compressed or not); a local path or a Hadoop URI (hdfs://...).")
  String scores;

  @Option(names = "--labels", paramLabel = "CSV", description = "slice_id,is_anomaly[,kind] with a header.")
  Path labels;

  @Option(names = "--ranges", paramLabel = "CSV",
      description = "Labelled anomaly ranges: slice_id,start,end with a header, both ends inclusive.")
  Path ranges;

  @Option(names = "--points", paramLabel = "CSV",
      description = "A label per row: slice_id,time,label (or time,label for one series) with a header.")
  Path points;

  @Option(names = "--output", paramLabel = "JSON", description = "Per-row evaluation: also write the figures as JSON.")
  Path output;

  @Option(names = "--top", defaultValue = "10", description = "Show the N highest-scoring slices. Default: ${DEFAULT-VALUE}.")
  int top;

  private static final Pattern FIELD = Pattern.compile(
      "\"slice_id\":\"((?:[^\"\\\\]|\\\\.)*)\".*?\"score\":([^,}]+),\"threshold\":([^,}]+),\"is_anomaly\":(true|false)");

  /** Per slice: the highest window score and whether any window was flagged. */
  private record SliceScore(double score, double threshold, boolean flagged) {}

  /** Takes one line of a scores file. */
  @FunctionalInterface
  private interface LineSink {
    void line(String file, long number, String line);
  }

  @Override
  public Integer call() throws IOException {
    int given = (labels != null ? 1 : 0) + (ranges != null ? 1 : 0) + (points != null ? 1 : 0);
    if (given != 1) {
      throw new DataException("give exactly one of --labels (per slice), --ranges or --points (per row)");
    }
    if (labels == null) {
      RowEvaluation rows = new RowEvaluation();
      readLines(rows::add);
      if (ranges != null) {
        rows.evaluateRanges(ranges, output);
      } else {
        rows.evaluatePoints(points, output);
      }
      return 0;
    }
    Map<String, SliceScore> bySlice = new LinkedHashMap<>();
    readLines((file, n, line) -> readScore(file, n, line, bySlice));
    Map<String, String[]> truth = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        String[] f = CsvRowParser.split(lines.get(i));
        truth.put(f[0], f);
      }
    }
    List<String> ids = new ArrayList<>();
    for (String id : bySlice.keySet()) {
      if (truth.containsKey(id)) {
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      throw new DataException("no slice of " + scores + " has a label in " + labels);
    }
    double[] sc = new double[ids.size()];
    boolean[] y = new boolean[ids.size()];
    long tp = 0;
    long fp = 0;
    long pos = 0;
    Map<String, long[]> perKind = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      SliceScore s = bySlice.get(ids.get(i));
      String[] t = truth.get(ids.get(i));
      sc[i] = s.score;
      y[i] = t[1].trim().equals("1") || t[1].trim().equalsIgnoreCase("true");
      pos += y[i] ? 1 : 0;
      tp += y[i] && s.flagged ? 1 : 0;
      fp += !y[i] && s.flagged ? 1 : 0;
      String kind = t.length > 2 ? t[2].trim() : (y[i] ? "anomaly" : "normal");
      long[] k = perKind.computeIfAbsent(kind, x -> new long[2]);
      k[0]++;
      k[1] += s.flagged ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "slices: %d scored and labelled (%d anomalous), %d scored without a label%n",
        ids.size(), pos, bySlice.size() - ids.size());
    if (pos > 0 && pos < ids.size()) {
      System.out.printf(Locale.ROOT, "AUC-ROC: %.4f%n", Evaluation.auc(sc, y));
    }
    System.out.printf(Locale.ROOT, "at the model threshold: recall %.1f%% (%d/%d), false alarms %.2f%% (%d/%d)%n",
        pos == 0 ? 0 : 100.0 * tp / pos, tp, pos, 100.0 * fp / Math.max(1, ids.size() - pos), fp, ids.size() - pos);
    perKind.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-18s flagged %5.1f%% of %d%n", k,
        100.0 * v[1] / v[0], v[0]));
    System.out.println("top " + top + " slices by score:");
    ids.sort((a, b) -> Double.compare(bySlice.get(b).score, bySlice.get(a).score));
    for (String id : ids.subList(0, Math.min(top, ids.size()))) {
      String[] t = truth.get(id);
      System.out.printf(Locale.ROOT, "  %-16s score %.5f %s  label %s%n", id, bySlice.get(id).score,
          bySlice.get(id).flagged ? "ANOMALY" : "normal ", t.length > 2 ? t[2] : t[1]);
    }
    return 0;
  }

  /** The scores file, or the part-* files of a MapReduce output directory in name order. */
  private static List<org.apache.hadoop.fs.Path> scoreFiles(FileSystem fs, org.apache.hadoop.fs.Path where)
      throws IOException {
    if (!fs.exists(where)) {
      throw new DataException("scores " + where + " do not exist");
    }
    if (!fs.getFileStatus(where).isDirectory()) {
      return List.of(where);
    }
    List<org.apache.hadoop.fs.Path> parts = new ArrayList<>();
    for (FileStatus st : fs.listStatus(where)) {
      if (st.isFile() && st.getPath().getName().startsWith("part-")) {
        parts.add(st.getPath());
      }
    }
    if (parts.isEmpty()) {
      throw new DataException("directory " + where + " holds no part-* files (the output of tsad score --mapreduce)");
    }
    java.util.Collections.sort(parts);
    return parts;
  }

  /** Every line of the scores file(s), local or on a Hadoop file system, compressed or not. */
  private void readLines(LineSink sink) throws IOException {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path where = new org.apache.hadoop.fs.Path(scores);
    FileSystem fs = where.getFileSystem(conf);
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    for (org.apache.hadoop.fs.Path file : scoreFiles(fs, where)) {
      // Part files written with output compression on (a common cluster setting) are read through their codec.
      CompressionCodec codec = codecs.getCodec(file);
      try (InputStream raw = fs.open(file); InputStream in = codec == null ? raw : codec.createInputStream(raw);
           BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
          sink.line(file.toString(), ++n, line);
        }
      }
    }
  }

  /** Adds one score line to the per-slice scores (a slice's highest window score, flagged if any is). */
  private static void readScore(String file, long n, String line, Map<String, SliceScore> bySlice) {
    Matcher m = FIELD.matcher(line);
    if (!m.find()) {
      throw new DataException(file + ":" + n + ": not a tsad score line");
    }
    SliceScore s = new SliceScore(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
        m.group(4).equals("true"));
    bySlice.merge(m.group(1), s, (a, b) -> new SliceScore(Math.max(a.score, b.score), a.threshold,
        a.flagged || b.flagged));
  }
}
