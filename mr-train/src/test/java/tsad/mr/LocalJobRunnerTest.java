package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataReport;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowSpec;
import tsad.proto.DataSummary;
import tsad.proto.LengthPolicy;
import tsad.proto.PreparedData;
import tsad.proto.WindowMode;

/**
 * The MapReduce jobs on Hadoop's local job runner: prepare gives the local path's windows and counts with
 * rejects quarantined, training from its output gives the same model, and the score job the same scores.
 */
class LocalJobRunnerTest {
  @TempDir static Path dir;
  static Path input;

  /** Synthetic rows, shuffled across two files, plus one row of each kind of trouble. */
  @BeforeAll
  static void data() throws IOException {
    new SynthGenerator(new SynthConfig(120, 32, 1, 0.1, 8)).writeCsv(dir.resolve("synth"));
    List<String> lines = Files.readAllLines(dir.resolve("synth/test.csv"));
    String header = lines.get(0);
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    Collections.shuffle(rows, new Random(3));
    rows.add("test-000001,2026-01-01T00:00:00Z,9.0");       // duplicate timestamp (later in file order)
    rows.add("broken,row");                                  // malformed
    rows.add("test-000002,2026-01-01T01:05:00Z,NaN");       // non-finite
    rows.add("short,2026-01-01T00:00:00Z,1");                // slice too short
    input = Files.createDirectories(dir.resolve("in"));
    int half = rows.size() / 2;
    Files.writeString(input.resolve("a.csv"), header + "\n" + String.join("\n", rows.subList(0, half)) + "\n");
    Files.writeString(input.resolve("b.csv"), header + "\n" + String.join("\n", rows.subList(half, rows.size()))
        + "\n");
  }

  private static Map<String, Window> byId(List<Window> ws) {
    Map<String, Window> m = new TreeMap<>();
    ws.forEach(w -> m.put(w.id(), w));
    return m;
  }

  @Test
  void secondarySortGivesTheLocalPathsWindowsAndCounts() throws IOException {
    Path out = dir.resolve("prepared");
    MainTest.Run r = MainTest.tsad("prepare", "-D", "mapreduce.job.reduces=3", "--input", input.toString(),
        "--output", out.toString(), "--window", "32");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("prepared 120 windows"), r.out());

    DataReport local = new DataReport();
    List<Window> expected = Inputs.read(List.of(input), CsvOptions.defaults(),
        new WindowSpec(WindowMode.SLICE, 32, 16, LengthPolicy.REJECT), local).windows();
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path preparedDir = new org.apache.hadoop.fs.Path(out.toString());
    List<Window> got = PreparedWindows.read(preparedDir, conf, PreparedWindows.manifest(preparedDir, conf));
    Map<String, Window> e = byId(expected);
    Map<String, Window> g = byId(got);
    assertEquals(e.keySet(), g.keySet());
    for (String id : e.keySet()) {
      assertArrayEquals(e.get(id).values(), g.get(id).values(), id + ": rows in time order, first duplicate kept");
      assertEquals(e.get(id).startMs(), g.get(id).startMs());
    }
    PreparedData m = PreparedWindows.manifest(new org.apache.hadoop.fs.Path(out.toString()), conf);
    DataSummary s = m.getSummary();
    DataSummary l = local.toSummary();
    assertEquals(l.getRowsRead(), s.getRowsRead());
    assertEquals(l.getRowsUsed(), s.getRowsUsed());
    assertEquals(l.getRowsRejectedByReasonMap(), s.getRowsRejectedByReasonMap());
    assertEquals(l.getSlicesRejectedByReasonMap(), s.getSlicesRejectedByReasonMap());
    assertEquals(Map.of("duplicate_timestamp", 1L, "malformed_row", 1L, "non_finite", 1L, "in_rejected_slice", 1L),
        s.getRowsRejectedByReasonMap());
    assertEquals(s.getRowsRead(), s.getRowsUsed() + s.getRowsRejected(), "nothing lost");
    assertEquals(List.of("value"), m.getData().getFeatureColumnsList());
    tsad.proto.ScalerParams standard = tsad.core.scale.Scaler.fit(tsad.proto.ScalerParams.Kind.STANDARD, expected,
        List.of("value")).params();
    assertEquals(1, m.getFeatureStatsCount(), "statistics merged from the 3 reduce tasks into the manifest");
    assertEquals(standard.getFittedValues(), m.getFeatureStats(0).getCount());
    assertEquals(standard.getCenter(0), m.getFeatureStats(0).getMean(), 1e-9);
    assertEquals(standard.getScale(0), tsad.core.scale.FeatureStatistics.std(m.getFeatureStats(0)), 1e-9);
    try (Stream<Path> left = Files.list(out)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(PrepareJob.STATS_PREFIX)),
          "per-task statistics files are merged and removed");
    }

    List<String> quarantined = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("quarantine"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        quarantined.addAll(Files.readAllLines(f));
      }
    }
    assertEquals(5, quarantined.size(), quarantined.toString());
    for (String reason : List.of("malformed_row", "non_finite", "duplicate_timestamp", "too_short")) {
      assertTrue(quarantined.stream().anyMatch(q -> q.startsWith(reason + "\t")), reason + " in " + quarantined);
    }
  }

  @Test
  void trainingFromPreparedWindowsGivesTheSameModelAsFromCsv() throws IOException {
    trainFromPreparedAndCsv("train", "--epochs", "3", "--threads", "1", "--quiet", "--window", "32");
    tsad.core.bundle.ModelBundle a = tsad.core.bundle.ModelBundle.load(dir.resolve("train-mr"));
    tsad.core.bundle.ModelBundle b = tsad.core.bundle.ModelBundle.load(dir.resolve("train-csv"));
    assertEquals(b.threshold().getValue(), a.threshold().getValue(), 0.0, "same windows, same split, same model");
    assertEquals(b.provenance().getData().getRowsRejectedByReasonMap(),
        a.provenance().getData().getRowsRejectedByReasonMap(), "the prepare job's counts reach the provenance");
  }

  @Test
  void aSampleOfTheSlicesIsTheSameFromPreparedDataAndFromCsv() throws IOException {
    MainTest.Run fromMr = trainFromPreparedAndCsv("sample", "--epochs", "2", "--threads", "1", "--quiet", "--window",
        "32", "--sample-slices", "0.5");
    tsad.core.bundle.ModelBundle b = tsad.core.bundle.ModelBundle.load(dir.resolve("sample-mr"));
    DataSummary d = b.provenance().getData();
    // 120 usable slices of one window each: the left-out ones are counted, not lost.
    assertEquals(120, d.getSlicesUsed());
    assertTrue(d.getSlicesSampledOut() > 30 && d.getSlicesSampledOut() < 90, "left out " + d.getSlicesSampledOut());
    assertEquals(120 - d.getSlicesSampledOut(), d.getWindows());
    assertEquals(d, tsad.core.bundle.ModelBundle.load(dir.resolve("sample-csv")).provenance().getData().toBuilder()
        .setSource(d.getSource()).build(), "the same counts from CSV and prepared data");
    assertEquals(0.5, b.provenance().getConfig().getSampleSlices(), 0.0);
    assertTrue(fromMr.err().contains("sample: " + d.getSlicesSampledOut() + " of the used slices left out, "
        + (120 - d.getSlicesSampledOut()) + " kept"), fromMr.err());
    MainTest.Run bad = MainTest.tsad("train", "--prepared", dir.resolve("prepared-sample").toString(), "--model-out",
        dir.resolve("sample-bad").toString(), "--sample-slices", "0");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("--sample-slices must be in (0, 1], got 0.0"), bad.err());
  }

  /**
   * Prepares the test input into prepared-NAME, trains from it and from the CSV with the same options (bundles
   * NAME-mr and NAME-csv), checks the two models are bit-equal, and returns the run on the prepared data.
   */
  private static MainTest.Run trainFromPreparedAndCsv(String name, String... options) throws IOException {
    Path out = dir.resolve("prepared-" + name);
    assertEquals(0, MainTest.tsad("prepare", "--input", input.toString(), "--output", out.toString(), "--window",
        "32").code());
    MainTest.Run fromMr = MainTest.tsad(concat(new String[] {"train", "--prepared", out.toString(), "--model-out",
        dir.resolve(name + "-mr").toString()}, options));
    assertEquals(0, fromMr.code(), fromMr.err());
    MainTest.Run fromCsv = MainTest.tsad(concat(new String[] {"train", "--input", input.toString(), "--model-out",
        dir.resolve(name + "-csv").toString()}, options));
    assertEquals(0, fromCsv.code(), fromCsv.err());
    assertArrayEquals(Files.readAllBytes(dir.resolve(name + "-csv/model.pt")),
        Files.readAllBytes(dir.resolve(name + "-mr/model.pt")), name + ": the same windows from either input, the same model");
    return fromMr;
  }

  @Test
  void theScoreJobGivesTheLocalScoresFromPreparedDataAndFromCsv() throws IOException {
    Path slice = dir.resolve("score-model");
    assertEquals(0, MainTest.tsad("train", "--input", dir.resolve("synth/train.csv").toString(), "--model-out",
        slice.toString(), "--window", "32", "--epochs", "3", "--threads", "1", "--quiet").code());
    Path prepared = dir.resolve("prepared-for-score");
    assertEquals(0, MainTest.tsad("prepare", "--input", input.toString(), "--output", prepared.toString(), "--window",
        "32").code());
    sameScores(slice, prepared, "slice", 120, 120);
    // A window-mode model on data prepared for the slice model: the job cuts the model's own windows (5 per slice),
    // and writes a line per slice (the highest window score) or per window, as the CLI does.
    Path window = dir.resolve("score-model-window");
    assertEquals(0, MainTest.tsad("train", "--input", dir.resolve("synth/train.csv").toString(), "--model-out",
        window.toString(), "--mode", "window", "--window", "16", "--stride", "4", "--epochs", "3", "--threads", "1",
        "--quiet").code());
    sameScores(window, prepared, "slice", 120, 600);
    sameScores(window, prepared, "window", 120, 600);
    sameScores(window, prepared, "row", 120, 600);
    MainTest.Run detail = MainTest.tsad("score", "--model", window.toString(), "--input", input.toString(), "--detail");
    assertEquals(1, detail.code());
    assertTrue(detail.err().contains("--detail gives per-window errors; add --per window"), detail.err());
  }

  /** Scores with the CLI and with the job (prepared input and CSV input) and compares line by line. */
  private void sameScores(Path model, Path prepared, String per, int slices, int windows) throws IOException {
    Path localOut = dir.resolve("local-scores-" + System.nanoTime() + ".jsonl");
    MainTest.Run local = MainTest.tsad("score", "--model", model.toString(), "--input", input.toString(), "--output",
        localOut.toString(), "--threads", "1", "--per", per);
    assertEquals(0, local.code(), local.err());
    boolean perWindow = per.equals("window");
    boolean perRow = per.equals("row");
    Map<String, double[]> expected = perRow ? rowScores(Files.readAllLines(localOut))
        : scores(Files.readAllLines(localOut), perWindow);
    for (String in : List.of(prepared.toString(), input.toString())) {
      Path out = dir.resolve("mr-scores-" + System.nanoTime());
      MainTest.Run mr = MainTest.tsad("score", "--mapreduce", "-D", "mapreduce.input.fileinputformat.split.maxsize=4000",
          "--model", model.toString(), "--input", in, "--output", out.toString(), "--batch-size", "16", "--per", per);
      assertEquals(0, mr.code(), mr.err());
      assertTrue(mr.out().contains("scored " + slices + " slices (" + windows + " windows)"), mr.out());
      List<String> lines = new ArrayList<>();
      try (Stream<Path> parts = Files.list(out)) {
        for (Path f : parts.filter(p -> p.getFileName().toString().startsWith("part-m-")).toList()) {
          lines.addAll(Files.readAllLines(f));
        }
      }
      Map<String, double[]> got = perRow ? rowScores(lines) : scores(lines, perWindow);
      assertEquals(expected.keySet(), got.keySet(), "every " + per + " scored once, none twice");
      assertEquals(perRow ? expected.size() : perWindow ? windows : slices, lines.size());
      for (String id : expected.keySet()) {
        double e = expected.get(id)[0];
        assertEquals(e, got.get(id)[0], 1e-6 * Math.max(1, e), id + " score (batches differ: float tolerance)");
        assertEquals(expected.get(id)[1], got.get(id)[1], 0, id + " threshold");
      }
      // Every field of every line, the score's last bits aside: the model's identity, window ids and starts,
      // verdicts and counts are the CLI's.
      assertEquals(withoutScores(Files.readAllLines(localOut)), withoutScores(lines), "the CLI's lines");
      assertTrue(lines.get(0).contains("\"model\":\"bundle\",\"version\":\"sha256:"
          + tsad.core.bundle.ModelBundle.load(model).contentHash().substring(0, 12) + "\""), lines.get(0));
      if (in.equals(input.toString())) {
        csvRunLeavesItsPrepareReportInTheOutputAndNothingBeside(model, out, per);
      }
    }
  }

  /**
   * A score job on CSV keeps its prepare step's report and quarantine in OUTPUT/prepare/ and leaves nothing next to
   * the output, so removing the output and running again works (a rerun of a scheduled day).
   */
  private void csvRunLeavesItsPrepareReportInTheOutputAndNothingBeside(Path model, Path out, String per)
      throws IOException {
    assertTrue(Files.isRegularFile(out.resolve("prepare/" + PrepareJob.MANIFEST)), "no prepare report in " + out);
    List<String> quarantined = new ArrayList<>();
    try (Stream<Path> q = Files.list(out.resolve("prepare/" + MrReports.QUARANTINE))) {
      for (Path f : q.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        quarantined.addAll(Files.readAllLines(f));
      }
    }
    assertTrue(quarantined.stream().anyMatch(l -> l.startsWith("malformed_row\t")), "prepare's rejects: " + quarantined);
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      List<String> left = siblings.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(out.getFileName().toString()) && !n.equals(out.getFileName().toString())
              || n.startsWith("." + out.getFileName())).toList();
      assertEquals(List.of(), left, "nothing left beside " + out);
    }
    MainTest.Run onTop = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input",
        input.toString(), "--output", out.toString(), "--per", per);
    assertEquals(1, onTop.code());
    assertTrue(onTop.err().contains("output " + out + " already exists") && !onTop.err().contains("PrepareJob"),
        "refused before preparing anything: " + onTop.err());
    org.apache.commons.io.FileUtils.deleteDirectory(out.toFile());
    MainTest.Run again = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input", input.toString(),
        "--output", out.toString(), "--per", per);
    assertEquals(0, again.code(), again.err());
  }

  /** slice_id (or, per window, window id) -> {score, threshold} from score JSON lines. */
  /** slice@time -> {score, threshold} from per-row score lines. */
  static Map<String, double[]> rowScores(List<String> lines) {
    Map<String, double[]> m = new TreeMap<>();
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(
        "\"slice_id\":\"([^\"]+)\",\"time\":\"([^\"]+)\",\"score\":([^,]+),\"threshold\":([^,]+),");
    for (String l : lines) {
      java.util.regex.Matcher x = p.matcher(l);
      assertTrue(x.find(), l);
      assertTrue(m.put(x.group(1) + "@" + x.group(2), new double[] {Double.parseDouble(x.group(3)),
          Double.parseDouble(x.group(4))}) == null, "duplicate row " + x.group(1) + "@" + x.group(2));
    }
    return m;
  }

  static Map<String, double[]> scores(List<String> lines, boolean perWindow) {
    return scores(lines, perWindow ? "\"window\":\"([^\"]+)\",\"start\":\"[^\"]+\",\"score\":([^,]+),\"threshold\":([^,]+),"
        : "\"slice_id\":\"([^\"]+)\",\"score\":([^,]+),\"threshold\":([^,]+),");
  }

  /** slice_id -> {score, threshold} from score JSON lines (one per slice). */
  static Map<String, double[]> scores(List<String> lines) {
    return scores(lines, false);
  }

  private static Map<String, double[]> scores(List<String> lines, String idScoreThreshold) {
    Map<String, double[]> m = new TreeMap<>();
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(idScoreThreshold);
    for (String l : lines) {
      java.util.regex.Matcher x = p.matcher(l);
      assertTrue(x.find(), l);
      assertTrue(m.put(x.group(1), new double[] {Double.parseDouble(x.group(2)), Double.parseDouble(x.group(3))})
          == null, "duplicate " + x.group(1));
    }
    return m;
  }

  /** The lines sorted, each with its score's digits taken out (compared apart, at float tolerance). */
  private static List<String> withoutScores(List<String> lines) {
    return lines.stream().map(l -> l.replaceFirst("\"score\":[^,]+,", "\"score\":_,")).sorted().toList();
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void badInvocationsFailWithOneLine() throws IOException {
    Path out = Files.createDirectories(dir.resolve("exists"));
    MainTest.Run exists = MainTest.tsad("prepare", "--input", input.toString(), "--output", out.toString(),
        "--window", "32");
    assertEquals(1, exists.code());
    assertTrue(exists.err().contains("already exists"), exists.err());
    MainTest.Run missing = MainTest.tsad("prepare", "--input", dir.resolve("nope").toString(), "--output",
        dir.resolve("o2").toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    MainTest.Run column = MainTest.tsad("prepare", "--input", input.toString(), "--output",
        dir.resolve("o3").toString(), "--features", "nope");
    assertEquals(1, column.code());
    assertTrue(column.err().contains("feature column 'nope' not found"), column.err());

    // Prepared data of the old layout (a record per window, no layout in the manifest) is refused, not misread.
    Path old = Files.createDirectories(dir.resolve("old-layout"));
    Files.write(old.resolve(PrepareJob.MANIFEST), PreparedData.newBuilder().setData(tsad.proto.DataSpec.newBuilder()
        .addFeatureColumns("value")).build().toByteArray());
    MainTest.Run train = MainTest.tsad("train", "--prepared", old.toString(), "--model-out",
        dir.resolve("m-old").toString(), "--quiet");
    assertEquals(1, train.code());
    assertTrue(train.err().contains("was prepared by an older tsad (one record per window); run tsad prepare again"),
        train.err());
    Path model = dir.resolve("m-for-old");
    assertEquals(0, MainTest.tsad("train", "--input", dir.resolve("synth/train.csv").toString(), "--model-out",
        model.toString(), "--window", "32", "--epochs", "1", "--threads", "1", "--quiet").code());
    MainTest.Run score = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input", old.toString(),
        "--output", dir.resolve("s-old").toString());
    assertEquals(1, score.code());
    assertTrue(score.err().contains("was prepared by an older tsad"), score.err());
    MainTest.Run per = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input", old.toString(),
        "--output", dir.resolve("s-old2").toString(), "--per", "hour");
    assertEquals(2, per.code(), per.err());
    assertTrue(per.err().contains("unknown --per 'hour'; use slice, window or row"), per.err());
    // A task that fails: the local job runner gives the job's reason as "NA"; the error names the task's own.
    MainTest.Run failing = MainTest.tsad("score", "--mapreduce", "-D", JobKeys.FAIL_FIRST_ATTEMPT + "=true",
        "--model", model.toString(), "--input", input.toString(), "--output", dir.resolve("s-failing").toString());
    assertEquals(1, failing.code(), failing.err());
    assertTrue(failing.err().matches("(?s).*score job job_local\\w+ failed: task attempt_local\\w+_m_000000_0 failed: "
        + "java.io.IOException: injected failure of attempt .*"), failing.err());
    // Its stack trace is in the log file the line names, not on the terminal, and the failed job leaves no output.
    assertFalse(failing.err().contains("\tat "), failing.err());
    java.util.regex.Matcher trace = java.util.regex.Pattern.compile("\\(stack trace: (\\S+\\.log)\\)$",
        java.util.regex.Pattern.MULTILINE).matcher(failing.err());
    assertTrue(trace.find(), failing.err());
    assertTrue(Files.readString(Path.of(trace.group(1))).contains("injected failure of attempt"), trace.group(1));
    assertFalse(Files.exists(dir.resolve("s-failing")), "the failed job's output directory is left");
  }

  /** Hadoop globs and comma-separated lists select the CSV files, for prepare and for the score job alike. */
  @Test
  void globsAndListsOfInputsAreResolvedLikeHadoopsOwn() throws IOException {
    MainTest.Run glob = MainTest.tsad("prepare", "--input", input.resolve("*.csv").toString(), "--output",
        dir.resolve("glob-prepared").toString(), "--window", "32");
    assertEquals(0, glob.code(), glob.err());
    assertTrue(glob.out().startsWith("prepared 120 windows"), glob.out());
    MainTest.Run list = MainTest.tsad("prepare", "--input", input.resolve("a.csv") + "," + input.resolve("b.c?v"),
        "--output", dir.resolve("list-prepared").toString(), "--window", "32");
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().startsWith("prepared 120 windows"), list.out());
    MainTest.Run none = MainTest.tsad("prepare", "--input", input.resolve("*.tsv").toString(), "--output",
        dir.resolve("none-prepared").toString(), "--window", "32");
    assertEquals(1, none.code());
    assertTrue(none.err().contains("tsad: error: input " + input.resolve("*.tsv") + " matches nothing"), none.err());
    Path model = dir.resolve("m-glob");
    assertEquals(0, MainTest.tsad("train", "--input", dir.resolve("synth/train.csv").toString(), "--model-out",
        model.toString(), "--window", "32", "--epochs", "1", "--threads", "1", "--quiet").code());
    MainTest.Run score = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input",
        input.resolve("*.csv").toString(), "--output", dir.resolve("glob-scores").toString());
    assertEquals(0, score.code(), score.err());
    assertTrue(score.out().contains("scored 120 slices"), score.out());
    MainTest.Run scoreNone = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input",
        input.resolve("*.tsv").toString(), "--output", dir.resolve("none-scores").toString());
    assertEquals(1, scoreNone.code());
    assertEquals(1, scoreNone.err().lines().filter(l -> l.startsWith("tsad: error:")).count(), scoreNone.err());
    assertTrue(scoreNone.err().contains("matches nothing"), scoreNone.err());
  }

  /** A header-only input (a scheduled day without data) prepares and scores nothing, and says so; training fails. */
  @Test
  void aHeaderOnlyInputIsReportedNotFailed() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("no-rows"));
    Files.writeString(empty.resolve("day.csv"), "slice_id,time,value\n");
    Path prepared = dir.resolve("no-rows-prepared");
    MainTest.Run prepare = MainTest.tsad("prepare", "--input", empty.toString(), "--output", prepared.toString(),
        "--window", "32");
    assertEquals(0, prepare.code(), prepare.err());
    assertTrue(prepare.out().startsWith("prepared 0 windows"), prepare.out());
    assertTrue(prepare.err().contains("feature value: no values"), prepare.err());
    assertTrue(prepare.err().contains("WARN PrepareJob - the input has no data rows (header only): prepared nothing"),
        prepare.err());
    Path model = dir.resolve("m-no-rows");
    assertEquals(0, MainTest.tsad("train", "--input", dir.resolve("synth/train.csv").toString(), "--model-out",
        model.toString(), "--window", "32", "--epochs", "1", "--threads", "1", "--quiet").code());
    MainTest.Run score = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input",
        prepared.toString(), "--output", dir.resolve("no-rows-scores").toString());
    assertEquals(0, score.code(), score.err());
    assertTrue(score.out().startsWith("scored 0 slices (0 windows)"), score.out());
    assertTrue(score.err().contains("WARN ScoreJob - the input holds no slices: nothing scored"), score.err());
    MainTest.Run train = MainTest.tsad("train", "--prepared", prepared.toString(), "--model-out",
        dir.resolve("m-none").toString(), "--quiet");
    assertEquals(1, train.code());
    assertTrue(train.err().contains("holds no windows (0 rows were read, 0 rejected"), train.err());
  }
}
