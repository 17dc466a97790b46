package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest.Run;
import tsad.cli.ActionOutput;

/** {@code tsad drift} with a really trained model: same generator, transformed values, many anomalies, bad input. */
class DriftCliTest {
  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void trainSmallModel() {
    model = dir.resolve("model");
    Run synth = MainTest.tsad("synth", "--out", dir.resolve("a").toString(), "--slices", "400", "--length", "32",
        "--seed", "11");
    assertEquals(0, synth.code(), synth.err());
    Run train = MainTest.tsad("train", "--input", dir.resolve("a/train.csv").toString(), "--model-out",
        model.toString(), "--window", "32", "--epochs", "15", "--threads", "1", "--quiet");
    assertEquals(0, train.code(), train.err());
  }

  private static Path synth(String name, long seed, double anomalyRate) {
    Run r = MainTest.tsad("synth", "--out", dir.resolve(name).toString(), "--slices", "400", "--length", "32",
        "--seed", Long.toString(seed), "--anomaly-rate", Double.toString(anomalyRate));
    assertEquals(0, r.code(), r.err());
    return dir.resolve(name).resolve("test.csv");
  }

  private static JsonObject drift(Path input, Path report) throws IOException {
    Run r = MainTest.tsad("drift", "--model", model.toString(), "--input", input.toString(), "--output",
        report.toString(), "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    try (Reader in = Files.newBufferedReader(report)) {
      JsonObject json = JsonParser.parseReader(in).getAsJsonObject();
      assertEquals(json.get("retrain_due").getAsBoolean(), r.out().startsWith("drift: RETRAIN DUE"), r.out());
      return json;
    }
  }

  @Test
  void newDataFromTheSameGeneratorIsNoDriftAndOozieGetsTheVerdict() throws IOException {
    Path input = synth("same", 12, 0.0);
    Path props = dir.resolve("action-output.properties");
    System.setProperty(ActionOutput.PROPERTY, props.toString());
    JsonObject json;
    try {
      json = drift(input, dir.resolve("same.json"));
    } finally {
      System.clearProperty(ActionOutput.PROPERTY);
    }
    assertFalse(json.get("retrain_due").getAsBoolean(), json.toString());
    assertTrue(json.get("psi").getAsDouble() < 0.2, json.toString());
    assertEquals(400, json.get("n").getAsLong());
    assertTrue(json.get("ks_method").getAsString().contains("histogram"), json.toString());
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(props)) {
      p.load(in);
    }
    assertEquals("false", p.getProperty("retrain_due"));
    assertEquals(json.get("psi").getAsDouble(), Double.parseDouble(p.getProperty("psi")), 1e-5);
    assertEquals("400", p.getProperty("n"));
  }

  @Test
  void scaledValuesAndManyAnomaliesAreDrift() throws IOException {
    Path same = synth("scaled-src", 13, 0.0);
    List<String> lines = Files.readAllLines(same);
    List<String> scaled = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      int comma = line.lastIndexOf(',');
      double v = Double.parseDouble(line.substring(comma + 1));
      scaled.add(line.substring(0, comma + 1) + String.format(Locale.ROOT, "%.6f", 1.5 * v + 0.3));
    }
    Path input = dir.resolve("scaled.csv");
    Files.write(input, scaled);
    JsonObject json = drift(input, dir.resolve("scaled.json"));
    assertTrue(json.get("retrain_due").getAsBoolean(), json.toString());
    assertTrue(json.get("psi").getAsDouble() > 0.2 && json.get("ks_p_value").getAsDouble() < 0.01, json.toString());

    JsonObject anomalous = drift(synth("anomalous", 14, 0.5), dir.resolve("anomalous.json"));
    assertTrue(anomalous.get("retrain_due").getAsBoolean(), anomalous.toString());
    assertTrue(anomalous.get("anomaly_rate").getAsDouble() > 0.2, anomalous.toString());
  }

  @Test
  void badOptionsAreOneLineErrors() {
    Path input = dir.resolve("a/test.csv");
    Run ref = MainTest.tsad("drift", "--model", model.toString(), "--input", input.toString(), "--reference", "x");
    assertEquals(1, ref.code());
    assertEquals("tsad: error: unknown --reference 'x'; use training or validation", ref.err().strip());
    Run both = MainTest.tsad("drift", "--model", model.toString());
    assertEquals(1, both.code());
    assertTrue(both.err().strip().endsWith("give exactly one of --input CSV and --prepared DIR"), both.err());
  }

  @Test
  void preparedDataWithoutWindowsIsAClearError() throws IOException {
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "slice_id,time,value\n");
    Path prepared = dir.resolve("prepared-empty");
    Run prepare = MainTest.tsad("prepare", "--input", empty.toString(), "--output", prepared.toString(), "--window",
        "32");
    assertEquals(0, prepare.code(), prepare.err());
    Run drift = MainTest.tsad("drift", "--model", model.toString(), "--prepared", prepared.toString(), "--threads",
        "1");
    assertEquals(1, drift.code(), drift.err());
    assertTrue(drift.err().contains(prepared + " holds no windows"), drift.err());
    assertFalse(drift.err().contains("Exception"), drift.err());
  }
}
