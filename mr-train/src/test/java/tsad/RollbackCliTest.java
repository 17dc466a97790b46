package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest.Run;
import tsad.registry.MlflowServer;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelVersionInfo;

/** {@code tsad models rollback} against a real MLflow server: every alias move is recorded and can be undone. */
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class RollbackCliTest {
  @TempDir static Path dir;
  static String uri;

  @BeforeAll
  static void data() {
    uri = MlflowServer.get().uri();
    assertEquals(0, MainTest.tsad("synth", "--out", dir.resolve("a").toString(), "--slices", "100", "--length", "32",
        "--seed", "21").code());
  }

  /** Trains and registers version 1 with the alias set by train, then registers more versions of the same run. */
  private static void registerVersions(String model, int more) {
    Run train = MainTest.tsad("train", "--input", dir.resolve("a/train.csv").toString(), "--model-out",
        dir.resolve(model).toString(), "--window", "32", "--epochs", "2", "--threads", "1", "--quiet",
        "--tracking-uri", uri, "--register", model, "--alias", "champion");
    assertEquals(0, train.code(), train.err());
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      ModelVersionInfo v1 = reg.version(model, "1");
      for (int i = 0; i < more; i++) {
        reg.register(model, v1.source(), v1.runId(), Map.of(), 60_000);
      }
    }
  }

  private static Run models(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "models";
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "--tracking-uri";
    full[args.length + 2] = uri;
    return MainTest.tsad(full);
  }

  private static void assertChampion(String model, String version) {
    Run list = models("list", model);
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().matches("(?s).*\\n" + version + "\\s+None\\s+@champion\\s+READY.*"), list.out());
  }

  @Test
  void rollbackStepsBackThroughEveryRecordedHolderThenFailsClearly() {
    registerVersions("roll", 2);
    assertEquals(0, models("promote", "roll", "2", "--alias", "champion").code());
    assertEquals(0, models("promote", "roll", "3", "--alias", "champion").code());
    Run list = models("list", "roll");
    assertTrue(list.out().contains("@champion held by versions 1 -> 2 -> 3"), list.out());

    Run back = models("rollback", "roll", "--alias", "champion");
    assertEquals(0, back.code(), back.err());
    assertEquals("models:/roll@champion -> version 2 (rolled back from version 3)", back.out().strip());
    assertChampion("roll", "2");
    Run again = models("rollback", "roll", "--alias", "champion");
    assertEquals("models:/roll@champion -> version 1 (rolled back from version 2)", again.out().strip());
    assertChampion("roll", "1");

    Run none = models("rollback", "roll", "--alias", "champion");
    assertEquals(1, none.code());
    assertEquals("tsad: error: no earlier holder of @champion recorded for model roll (it points at version 1; "
        + "history: 1)", none.err().strip());
    assertChampion("roll", "1");
    Run unknownAlias = models("rollback", "roll", "--alias", "nobody");
    assertEquals(1, unknownAlias.code());
    assertEquals("tsad: error: model 'roll' has no alias @nobody to roll back", unknownAlias.err().strip());
  }

  /**
   * Parallel {@code tsad models promote} processes, as several Oozie days or operators at once: every move is in the
   * history once, the alias ends where the history ends, and rollbacks walk back through the real holders.
   */
  @Test
  void parallelPromoteProcessesLoseNoMove() throws Exception {
    registerVersions("procs", 4);
    List<Process> ps = new java.util.ArrayList<>();
    List<Path> logs = new java.util.ArrayList<>();
    for (String v : List.of("2", "3", "4", "5")) {
      Path log = dir.resolve("promote-" + v + ".log");
      logs.add(log);
      ps.add(MainTest.child(List.of("models", "promote", "procs", v, "--alias", "champion", "--tracking-uri", uri),
          log));
    }
    for (int i = 0; i < ps.size(); i++) {
      assertTrue(ps.get(i).waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "promote did not end");
      assertEquals(0, ps.get(i).exitValue(), java.nio.file.Files.readString(logs.get(i)));
    }
    List<String> history;
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      history = reg.aliasHistory("procs", "champion");
    }
    assertEquals("1", history.get(0), history.toString());
    assertEquals(java.util.Set.of("2", "3", "4", "5"), new java.util.HashSet<>(history.subList(1, history.size())),
        history.toString());
    assertEquals(5, history.size(), "each move recorded once: " + history);
    assertChampion("procs", history.get(4));
    for (int i = 4; i > 0; i--) {
      Run back = models("rollback", "procs", "--alias", "champion");
      assertEquals(0, back.code(), back.err());
      assertEquals("models:/procs@champion -> version " + history.get(i - 1) + " (rolled back from version "
          + history.get(i) + ")", back.out().strip());
    }
  }

  @Test
  void aMoveMadeOutsideTsadIsRecordedAsAHolderAndDeletedVersionsAreSkipped() {
    registerVersions("outside", 3);
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      // as the MLflow UI or Python client would: straight through REST, no history written
      JsonObject body = new JsonObject();
      body.addProperty("name", "outside");
      body.addProperty("alias", "champion");
      body.addProperty("version", "3");
      reg.rest().post("registered-models/alias", body);
      assertEquals(0, models("promote", "outside", "4", "--alias", "champion").code());
      assertEquals(List.of("1", "3", "4"), reg.aliasHistory("outside", "champion"));
      reg.deleteQuietly("outside", "3");
    }
    Run back = models("rollback", "outside", "--alias", "champion");
    assertEquals(0, back.code(), back.err());
    assertEquals("models:/outside@champion -> version 1 (rolled back from version 4)", back.out().strip());
    assertChampion("outside", "1");
  }

  @Test
  void gateInputErrorsAreOneLine() {
    registerVersions("gated", 0);
    Run unknown = models("gate", "gated", "9", "--input", dir.resolve("a/test.csv").toString(), "--cache-dir",
        dir.resolve("cache").toString());
    assertEquals(1, unknown.code());
    assertEquals("tsad: error: models:/gated/9: model 'gated' has no version 9; versions: 1", unknown.err().strip());
    Run margin = models("gate", "gated", "1", "--margin", "-1", "--input", dir.resolve("a/test.csv").toString());
    assertEquals(1, margin.code());
    assertEquals("tsad: error: --margin must be >= 0, got -1.0", margin.err().strip());
    Run noData = models("gate", "gated", "1");
    assertEquals(1, noData.code());
    assertEquals("tsad: error: give exactly one of --input CSV and --prepared DIR", noData.err().strip());
    // version 1 holds @champion already: nothing to compare, it passes
    Run self = models("gate", "gated", "1", "--input", dir.resolve("a/test.csv").toString(), "--cache-dir",
        dir.resolve("cache").toString());
    assertEquals(0, self.code(), self.err());
    assertTrue(self.out().startsWith("gate passed: version 1 already holds @champion"), self.out());
  }
}
