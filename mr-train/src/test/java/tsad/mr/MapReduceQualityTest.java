package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;

/**
 * The whole MapReduce path on the local job runner as a user runs it, CSV → prepare → train from the prepared
 * windows → score --mapreduce on raw test CSV → evaluate on the job's output directory, with the core issue's
 * quality bars on the core's benchmark data (docs/quality.md): AUC-ROC ≥ 0.95, and for the dense model at its p99
 * threshold recall ≥ 90 % with ≤ 2 % false alarms.
 */
@Tag("quality")
class MapReduceQualityTest {
  @TempDir static Path dir;

  @Test
  void csvToPrepareToTrainToScoreHoldsTheQualityBars() {
    Path data = dir.resolve("data");
    MainTest.Run synth = MainTest.tsad("synth", "--out", data.toString(), "--slices", "2000", "--length", "64",
        "--anomaly-rate", "0.1", "--seed", "42");
    assertEquals(0, synth.code(), synth.err());
    Path prepared = dir.resolve("prepared");
    MainTest.Run prepare = MainTest.tsad("prepare", "-D", "mapreduce.job.reduces=2", "--input",
        data.resolve("train.csv").toString(), "--output", prepared.toString(), "--window", "64");
    assertEquals(0, prepare.code(), prepare.err());
    assertTrue(prepare.out().contains("prepared 2000 windows"), prepare.out());
    Path model = dir.resolve("model");
    MainTest.Run train = MainTest.tsad("train", "--prepared", prepared.toString(), "--model-out", model.toString(),
        "--threads", "2", "--quiet");
    assertEquals(0, train.code(), train.err());
    Path scores = dir.resolve("scores");
    MainTest.Run score = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input",
        data.resolve("test.csv").toString(), "--output", scores.toString());
    assertEquals(0, score.code(), score.err());
    assertTrue(score.out().contains("scored 2000 slices (2000 windows)"), score.out());
    MainTest.Run eval = MainTest.tsad("evaluate", "--scores", scores.toString(), "--labels",
        data.resolve("labels.csv").toString());
    assertEquals(0, eval.code(), eval.err());
    System.out.println(eval.out());
    assertTrue(eval.out().contains("slices: 2000 scored and labelled (200 anomalous)"), eval.out());
    double auc = number(eval.out(), "AUC-ROC: ([0-9.]+)");
    double recall = number(eval.out(), "recall ([0-9.]+)%");
    double falseAlarms = number(eval.out(), "false alarms ([0-9.]+)%");
    assertTrue(auc >= 0.95, "AUC-ROC " + auc + " < 0.95");
    assertTrue(recall >= 90, "recall at p99 " + recall + "% < 90%");
    assertTrue(falseAlarms <= 2, "false alarms at p99 " + falseAlarms + "% > 2%");

    // With output compression on (a common cluster setting; snappy is docs/mapreduce.md's advice for per-window lines, and
    // works through snappy-java without Hadoop's native library), evaluate reads the part files alike.
    for (String[] codec : new String[][] {{"GzipCodec", ".gz"}, {"SnappyCodec", ".snappy"}}) {
      Path packed = dir.resolve("scores-" + codec[0]);
      MainTest.Run compressed = MainTest.tsad("score", "--mapreduce", "-D",
          "mapreduce.output.fileoutputformat.compress=true", "-D",
          "mapreduce.output.fileoutputformat.compress.codec=org.apache.hadoop.io.compress." + codec[0], "--model",
          model.toString(), "--input", data.resolve("test.csv").toString(), "--output", packed.toString());
      assertEquals(0, compressed.code(), compressed.err());
      assertTrue(java.nio.file.Files.exists(packed.resolve("part-m-00000" + codec[1])),
          "the part files are " + codec[0]);
      MainTest.Run evalPacked = MainTest.tsad("evaluate", "--scores", packed.toString(), "--labels",
          data.resolve("labels.csv").toString());
      assertEquals(0, evalPacked.code(), evalPacked.err());
      assertEquals(eval.out(), evalPacked.out(), "the same evaluation from " + codec[0] + " part files");
    }
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " not in " + text);
    return Double.parseDouble(m.group(1));
  }
}
