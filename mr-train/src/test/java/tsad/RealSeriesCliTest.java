package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path of scripts/bench-quality.sh on one labelled real series (NAB, from the shared benchmark folder beside the
 * project): train on its training prefix, score a line per row, evaluate against its labelled ranges and its row
 * labels. Quality is measured by the script; this keeps the path working.
 */
class RealSeriesCliTest {
  @TempDir Path dir;

  /** The benchmark folder: $TSAD_BENCHMARKS, else ../shared/benchmarks beside the project root. */
  static Path benchmarks() {
    String env = System.getenv("TSAD_BENCHMARKS");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("scripts/tsad"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the project root (scripts/tsad) above " + Path.of("").toAbsolutePath());
    }
    return p.resolve("../shared/benchmarks").normalize();
  }

  /** The NAB series the tests use; its absence is a failure that says where it was looked for. */
  private static Path nabSeries() {
    Path series = benchmarks().resolve("nab/nab-artificialWithAnomaly-art_daily_flatmiddle");
    assertTrue(Files.isRegularFile(series.resolve("series.csv")), "the labelled benchmark series is missing: "
        + series + " (set TSAD_BENCHMARKS to the folder that holds nab/ and skab/)");
    return series;
  }

  @Test
  void aLabelledNabSeriesTrainsScoresPerRowAndEvaluates() throws IOException {
    Path series = nabSeries();
    Path model = dir.resolve("model");
    MainTest.Run train = MainTest.tsad("train", "--input", series.resolve("train.csv").toString(), "--model-out",
        model.toString(), "--mode", "window", "--window", "64", "--stride", "1", "--epochs", "3", "--threads", "1",
        "--quiet");
    assertEquals(0, train.code(), train.err());
    Path rows = dir.resolve("rows.jsonl");
    MainTest.Run score = MainTest.tsad("score", "--model", model.toString(), "--input",
        series.resolve("series.csv").toString(), "--per", "row", "--output", rows.toString(), "--threads", "1");
    assertEquals(0, score.code(), score.err());
    List<String> lines = Files.readAllLines(rows);
    assertEquals(Files.readAllLines(series.resolve("series.csv")).size() - 1, lines.size(), "a line per row");
    assertTrue(lines.get(0).matches("\\{\"slice_id\":\"nab-[^\"]+\",\"time\":\"2014-04-01T00:00:00Z\",\"score\":[^,]+,"
        + "\"threshold\":[^,]+,\"is_anomaly\":(true|false),\"model\":\"bundle\",\"version\":\"sha256:[0-9a-f]{12}\"}"),
        lines.get(0));

    Path byRanges = dir.resolve("ranges.json");
    MainTest.Run ranges = MainTest.tsad("evaluate", "--scores", rows.toString(), "--ranges",
        series.resolve("anomalies.csv").toString(), "--output", byRanges.toString());
    assertEquals(0, ranges.code(), ranges.err());
    assertTrue(ranges.out().contains("AUC-PR") && ranges.out().contains("at the model threshold: F1"), ranges.out());
    JsonObject pooled = JsonParser.parseString(Files.readString(byRanges)).getAsJsonObject().getAsJsonObject("pooled");
    assertEquals(lines.size(), pooled.get("rows").getAsLong());
    double pr = pooled.get("auc_pr").getAsDouble();
    assertTrue(pr > 0 && pr <= 1, "AUC-PR " + pr);
    Path byPoints = dir.resolve("points.json");
    MainTest.Run points = MainTest.tsad("evaluate", "--scores", rows.toString(), "--points",
        series.resolve("points.csv").toString(), "--output", byPoints.toString());
    assertEquals(0, points.code(), points.err());
    assertEquals(pooled, JsonParser.parseString(Files.readString(byPoints)).getAsJsonObject()
        .getAsJsonObject("pooled"), "ranges and their row labels are the same labels");

    Path slices = dir.resolve("slices.jsonl");
    assertEquals(0, MainTest.tsad("score", "--model", model.toString(), "--input",
        series.resolve("series.csv").toString(), "--output", slices.toString(), "--threads", "1").code());
    MainTest.Run wrong = MainTest.tsad("evaluate", "--scores", slices.toString(), "--ranges",
        series.resolve("anomalies.csv").toString());
    assertEquals(1, wrong.code());
    assertTrue(wrong.err().contains("not a per-row score line") && wrong.err().contains("--per row"), wrong.err());
  }

  @Test
  void theDefaultWindowHoldsOneDailyCycleAndSaysSo() throws IOException {
    // 5-minute samples with a daily pattern: a day is 288 rows, which window mode chooses unless told otherwise.
    Path series = nabSeries();
    Path model = dir.resolve("auto");
    MainTest.Run train = MainTest.tsad("train", "--input", series.resolve("train.csv").toString(), "--model-out",
        model.toString(), "--mode", "window", "--stride", "16", "--epochs", "1", "--threads", "1");
    assertEquals(0, train.code(), train.err());
    assertTrue(train.err().contains("window: auto: T=288, the period of the training series (autocorrelation 0.7"),
        train.err());
    assertTrue(train.out().contains("(dense, T=288, F=1)"), train.out());
    tsad.proto.DataSpec spec = tsad.core.bundle.ModelBundle.load(model).dataSpec();
    assertEquals(288, spec.getWindowLength());
    assertEquals(16, spec.getStride());
    assertTrue(spec.getWindowChoice().startsWith("auto: T=288"), spec.getWindowChoice());

    Path given = dir.resolve("given");
    assertEquals(0, MainTest.tsad("train", "--input", series.resolve("train.csv").toString(), "--model-out",
        given.toString(), "--mode", "window", "--window", "64", "--epochs", "1", "--threads", "1", "--quiet").code());
    tsad.proto.DataSpec g = tsad.core.bundle.ModelBundle.load(given).dataSpec();
    assertEquals(64, g.getWindowLength());
    assertEquals(32, g.getStride(), "the default stride is half the window");
    assertEquals("", g.getWindowChoice(), "a given length is not a choice");
  }

  @Test
  void thePrepareJobChoosesTheSameWindowAndTrainsTheSameModel() throws IOException {
    Path series = nabSeries();
    Path prepared = dir.resolve("prepared");
    MainTest.Run prep = MainTest.tsad("prepare", "--input", series.resolve("train.csv").toString(), "--output",
        prepared.toString(), "--mode", "window", "--stride", "16");
    assertEquals(0, prep.code(), prep.err());
    assertTrue(prep.err().contains("window: auto: T=288"), prep.err());
    Path fromPrepared = dir.resolve("from-prepared");
    Path fromCsv = dir.resolve("from-csv");
    assertEquals(0, MainTest.tsad("train", "--prepared", prepared.toString(), "--model-out", fromPrepared.toString(),
        "--epochs", "2", "--threads", "1", "--quiet").code());
    assertEquals(0, MainTest.tsad("train", "--input", series.resolve("train.csv").toString(), "--model-out",
        fromCsv.toString(), "--mode", "window", "--stride", "16", "--epochs", "2", "--threads", "1", "--quiet").code());
    tsad.core.bundle.ModelBundle a = tsad.core.bundle.ModelBundle.load(fromPrepared);
    tsad.core.bundle.ModelBundle b = tsad.core.bundle.ModelBundle.load(fromCsv);
    assertEquals(b.dataSpec(), a.dataSpec(), "the same windowing, and the same record of how it was chosen");
    assertEquals(288, a.dataSpec().getWindowLength());
    assertEquals(b.threshold().getValue(), a.threshold().getValue(), "the same windows train the same model");
  }

  @Test
  void aThresholdChosenOnLabelledRowsGivesItsF1WhenScored() throws IOException {
    Path series = nabSeries();
    Path model = dir.resolve("labelled");
    MainTest.Run train = MainTest.tsad("train", "--input", series.resolve("train.csv").toString(), "--model-out",
        model.toString(), "--mode", "window", "--window", "64", "--stride", "1", "--epochs", "3", "--threads", "1",
        "--quiet", "--threshold-labels", series.resolve("anomalies.csv").toString(), "--threshold-data",
        series.resolve("series.csv").toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("threshold: labels:best-f1 = "), train.out());
    tsad.core.bundle.ModelBundle b = tsad.core.bundle.ModelBundle.load(model);
    assertEquals("labels:best-f1", b.threshold().getMethod());
    double f1 = b.threshold().getParamsOrThrow("f1");
    Path rows = dir.resolve("labelled-rows.jsonl");
    assertEquals(0, MainTest.tsad("score", "--model", model.toString(), "--input",
        series.resolve("series.csv").toString(), "--per", "row", "--output", rows.toString(), "--threads", "1").code());
    Path eval = dir.resolve("labelled.json");
    assertEquals(0, MainTest.tsad("evaluate", "--scores", rows.toString(), "--ranges",
        series.resolve("anomalies.csv").toString(), "--output", eval.toString()).code());
    JsonObject pooled = JsonParser.parseString(Files.readString(eval)).getAsJsonObject().getAsJsonObject("pooled");
    assertEquals(f1, pooled.get("f1_at_model_threshold").getAsDouble(), 0.01,
        "scored as chosen: the same rows, the same rule (scores to float tolerance)");
    assertEquals(pooled.get("best_f1").getAsDouble(), f1, 0.01, "the best F1 there is on these rows");

    MainTest.Run half = MainTest.tsad("train", "--input", series.resolve("train.csv").toString(), "--model-out",
        dir.resolve("half").toString(), "--threshold-labels", series.resolve("anomalies.csv").toString());
    assertEquals(1, half.code());
    assertTrue(half.err().contains("--threshold-labels and --threshold-data go together"), half.err());
  }
}
