package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features are matched by name: a model trained on value_1..3 reads them by name whatever order a user gives. */
class FeatureOrderCliTest {
  @TempDir static Path dir;
  static Path data;
  static Path model;

  @BeforeAll
  static void trainMultivariate() {
    data = dir.resolve("data");
    model = dir.resolve("model");
    MainTest.Run synth = MainTest.tsad("synth", "--out", data.toString(), "--slices", "60", "--length", "16",
        "--features", "3", "--seed", "5");
    assertEquals(0, synth.code(), synth.err());
    MainTest.Run train = MainTest.tsad("train", "--input", data.resolve("train.csv").toString(), "--model-out",
        model.toString(), "--window", "16", "--epochs", "2", "--threads", "1", "--quiet");
    assertEquals(0, train.code(), train.err());
  }

  private static MainTest.Run score(Path out, String... features) {
    String[] base = {"score", "--model", model.toString(), "--input", data.resolve("test.csv").toString(),
        "--output", out.toString(), "--threads", "1"};
    if (features.length == 0) {
      return MainTest.tsad(base);
    }
    String[] args = java.util.Arrays.copyOf(base, base.length + 2);
    args[base.length] = "--features";
    args[base.length + 1] = String.join(",", features);
    return MainTest.tsad(args);
  }

  @Test
  void featuresInAnotherOrderAreReadByNameAndGiveTheSameScores() throws Exception {
    Path plain = dir.resolve("plain.jsonl");
    Path reversed = dir.resolve("reversed.jsonl");
    assertEquals(0, score(plain).code());
    MainTest.Run r = score(reversed, "value_3", "value_2", "value_1");
    assertEquals(0, r.code(), r.err());
    assertEquals(Files.readAllLines(plain), Files.readAllLines(reversed));
  }

  @Test
  void otherNamesAreAClearError() {
    MainTest.Run r = score(dir.resolve("x.jsonl"), "value_1", "value_2", "temp");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("the model was trained on features [value_1, value_2, value_3]")
        && r.err().contains("missing: value_3") && r.err().contains("not model features: temp"), r.err());
  }
}
