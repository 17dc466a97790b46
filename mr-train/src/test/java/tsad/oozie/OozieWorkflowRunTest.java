package tsad.oozie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.registry.MlflowServer;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelVersionInfo;

/**
 * scripts/oozie/workflow.xml executed step by step (see {@link WorkflowWalker}) with job.properties plus
 * local paths and the test MLflow server, on four daily partitions: the first run trains and promotes a
 * champion, a day like the training data only scores, a drifted day retrains and promotes, and a worse
 * candidate is registered but stopped by the gate. Real local MapReduce, libtorch and MLflow throughout.
 */
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class OozieWorkflowRunTest {
  static final String MODEL = "oozie-model";
  @TempDir static Path dir;
  static WorkflowWalker workflow;
  static Map<String, String> base;

  @BeforeAll
  static void setUp() throws Exception {
    workflow = new WorkflowWalker(OozieSchemaTest.OOZIE.resolve("workflow.xml"));
    base = new HashMap<>(WorkflowWalker.properties(OozieSchemaTest.OOZIE.resolve("job.properties")));
    base.putAll(Map.of("mlflowTrackingUri", MlflowServer.get().uri(), "modelName", MODEL, "modelCacheDir",
        dir.resolve("cache").toString(), "window", "32", "epochs", "15", "threads", "1"));
    partition("01", 41, 1.0, 0.0);
    partition("02", 42, 1.0, 0.0);
    partition("03", 43, 1.5, 0.3);   // the sensors drift: values scaled and shifted
  }

  /** A daily partition data/2026/12/DD/part-0.csv (+ _SUCCESS) of normal slices, values as a*v+b. */
  private static void partition(String day, long seed, double a, double b) throws IOException {
    Path synth = dir.resolve("synth-" + day);
    assertEquals(0, MainTest.tsad("synth", "--out", synth.toString(), "--slices", "300", "--length", "32",
        "--seed", Long.toString(seed)).code());
    List<String> lines = Files.readAllLines(synth.resolve("train.csv"));
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      int comma = line.lastIndexOf(',');
      double v = Double.parseDouble(line.substring(comma + 1));
      out.add(line.substring(0, comma + 1) + String.format(Locale.ROOT, "%.6f", a * v + b));
    }
    Path part = Files.createDirectories(dir.resolve("data/2026/12/" + day));
    Files.write(part.resolve("part-0.csv"), out);
    Files.createFile(part.resolve("_SUCCESS"));
  }

  /** Runs the workflow for one day, as the coordinator would (inputDir, outputDir), with extra overrides. */
  private static WorkflowWalker.Trace day(String day, Map<String, String> overrides) throws IOException {
    Map<String, String> p = new HashMap<>(base);
    p.put("inputDir", dir.resolve("data/2026/12/" + day).toString());
    p.put("outputDir", dir.resolve("runs/2026/12/" + day).toString());
    p.put("localModelDir", dir.resolve("model-" + day + "-" + System.nanoTime()).toString());
    p.putAll(overrides);
    return workflow.run(p, Files.createDirectories(dir.resolve("scratch")));
  }

  private static List<String> scores(String day) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("runs/2026/12/" + day + "/scores"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }

  private static String champion() {
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      return reg.versions(MODEL).stream().filter(v -> v.aliases().contains("champion"))
          .map(ModelVersionInfo::version).findFirst().orElse("none");
    }
  }

  @Test
  void bootstrapQuietDayDriftAndARejectedCandidate() throws IOException {
    // Day 1: no champion yet; forced retraining, the gate passes for want of a rival, version 1 is promoted.
    WorkflowWalker.Trace first = day("01", Map.of("forceRetrain", "true"));
    assertEquals(List.of("prepare", "forced", "train", "gate", "gate-passed", "promote", "score", "end"),
        first.path());
    assertEquals("1", first.actionData().get("train").get("version"));
    assertEquals("true", first.actionData().get("gate").get("gate_passed"));
    assertEquals("1", champion());
    List<String> s1 = scores("01");
    assertEquals(300, s1.size());
    assertTrue(s1.get(0).contains("\"model\":\"oozie-model\",\"version\":\"1\""), s1.get(0));

    // Day 2: same generator, no drift: nothing is trained, the champion scores the day.
    WorkflowWalker.Trace quiet = day("02", Map.of());
    assertEquals(List.of("prepare", "forced", "drift", "retrain-due", "score", "end"), quiet.path());
    assertEquals("false", quiet.actionData().get("drift").get("retrain_due"));
    assertEquals(300, scores("02").size());

    // Day 3: drifted values: retrain, the new version beats the champion on its held-out windows, promoted.
    WorkflowWalker.Trace drifted = day("03", Map.of());
    assertEquals(List.of("prepare", "forced", "drift", "retrain-due", "train", "gate", "gate-passed", "promote",
        "score", "end"), drifted.path());
    assertEquals("true", drifted.actionData().get("drift").get("retrain_due"));
    Map<String, String> gate = drifted.actionData().get("gate");
    assertEquals("2", gate.get("candidate_version"));
    assertEquals("1", gate.get("champion_version"));
    assertTrue(Double.parseDouble(gate.get("candidate_error")) < Double.parseDouble(gate.get("champion_error")),
        gate.toString());
    assertEquals("2", champion());
    assertTrue(scores("03").get(0).contains("\"version\":\"2\""), scores("03").get(0));

    // Day 3 again, forced, with a barely trained candidate: registered as version 3 but the gate stops it.
    WorkflowWalker.Trace weak = day("03", Map.of("forceRetrain", "true", "epochs", "1"));
    assertEquals(List.of("prepare", "forced", "train", "gate", "gate-passed", "score", "end"), weak.path());
    assertEquals("false", weak.actionData().get("gate").get("gate_passed"), weak.actionData().toString());
    assertTrue(weak.stdout().get("gate").startsWith("gate failed: version 3 "), weak.stdout().get("gate"));
    assertEquals("2", champion());
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      assertEquals(List.of("1", "2"), reg.aliasHistory(MODEL, "champion"));
      assertTrue(reg.version(MODEL, "3").tags().get("tsad.gate.champion").startsWith("gate failed"),
          reg.version(MODEL, "3").tags().toString());
    }
    assertTrue(scores("03").get(0).contains("\"version\":\"2\""));
  }
}
