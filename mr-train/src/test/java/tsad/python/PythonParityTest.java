package tsad.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.MainTest.Run;
import tsad.core.bundle.ModelBundle;
import tsad.registry.tracking.PyfuncFlavor;

/**
 * Python's scores (tsad_mlflow through {@code mlflow.pyfunc.load_model}, real torch) equal {@code tsad score}'s to
 * 1e-5 relative, row for row, per slice, per window and per row, for dense, cnn and lstm models in slice and window
 * mode on uni- and multivariate data trained by the real CLI; the one-row-per-slice layout (arrays, as Spark's
 * collect_list gives) gives the same per-slice numbers. The test data hold a slice too short for any model and a
 * NaN value, which both paths must skip the same way; a copy of a model with one byte of scaler.pb changed does not
 * load.
 */
@Tag(Python.TAG)
class PythonParityTest {
  @TempDir static Path dir;

  /** Test data of {@code features} features: synth's test slices, a 5-step slice and a NaN in the second slice. */
  static Path data(Path dir, int features) throws IOException {
    Path d = dir.resolve("data-" + features);
    Run synth = MainTest.tsad("synth", "--out", d.toString(), "--slices", "30", "--length", "32", "--features",
        Integer.toString(features), "--seed", "4");
    assertEquals(0, synth.code(), synth.err());
    Path test = d.resolve("test.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(test));
    String[] row = lines.get(3).split(",", -1);
    row[2] = "nan";
    lines.set(3, String.join(",", row));
    for (int i = 0; i < 5; i++) {
      lines.add("short-1,2026-01-01T00:0" + i + ":00Z" + ",0.5".repeat(features));
    }
    Files.write(test, lines);
    return d;
  }

  @Test
  void pythonScoresEqualTsadScoreForEveryArchitectureModeAndFeatureCount() throws Exception {
    List<Map<String, Object>> cases = new ArrayList<>();
    for (int features : new int[] {1, 3}) {
      Path d = data(dir, features);
      for (String arch : List.of("dense", "cnn", "lstm")) {
        for (String mode : List.of("slice", "window")) {
          String name = arch + "-" + mode + "-f" + features;
          Path model = dir.resolve(name);
          List<String> train = new ArrayList<>(List.of("train", "--input", d.resolve("train.csv").toString(),
              "--model-out", model.toString(), "--arch", arch, "--epochs", "2", "--threads", "1", "--quiet"));
          train.addAll(mode.equals("slice") ? List.of("--window", "32")
              : List.of("--mode", "window", "--window", "16", "--stride", "4"));
          Run t = MainTest.tsad(train.toArray(new String[0]));
          assertEquals(0, t.code(), name + ": " + t.err());
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("name", name);
          c.put("uri", model.toString());
          c.put("input", d.resolve("test.csv").toString());
          for (String per : List.of("slice", "window", "row")) {
            Path out = dir.resolve(name + "." + per + ".jsonl");
            Run s = MainTest.tsad("score", "--model", model.toString(), "--input", d.resolve("test.csv").toString(),
                "--per", per, "--output", out.toString(), "--threads", "1");
            assertEquals(0, s.code(), name + " --per " + per + ": " + s.err());
            c.put(per, out.toString());
          }
          c.put("rejected", "short-1");
          // The files tsad writes next to a registered bundle, as for a tracked run.
          PyfuncFlavor.write(model, ModelBundle.load(model), "parity-test");
          cases.add(c);
        }
      }
    }
    Path casesFile = dir.resolve("cases.json");
    Files.writeString(casesFile, new com.google.gson.Gson().toJson(cases), StandardCharsets.UTF_8);
    Python.Result r = Python.script("parity.py", List.of(casesFile.toString()), Map.of());
    assertEquals(0, r.code(), "Python disagrees with tsad score:\n" + r.out());
    int reports = 0;
    StringBuilder table = new StringBuilder("max relative difference, Python vs tsad score:\n");
    for (String line : r.out().lines().filter(l -> l.startsWith("{")).toList()) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      reports++;
      table.append(String.format(java.util.Locale.ROOT, "  %-18s slice %.2e  arrays %.2e  window %.2e  row %.2e  "
          + "(%s)%n", o.get("name").getAsString(), o.get("slice").getAsDouble(), o.get("slice_arrays").getAsDouble(),
          o.get("window").getAsDouble(), o.get("row").getAsDouble(), o.get("rows")));
      assertEquals("too_short", o.get("rejected").getAsString(), line);
      assertTrue(o.getAsJsonObject("rows").get("row").getAsInt() > 0, line);
    }
    assertEquals(cases.size(), reports, r.out());
    System.out.print(table);
  }
}
