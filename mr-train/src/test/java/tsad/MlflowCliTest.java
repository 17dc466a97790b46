package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest.Run;
import tsad.core.io.TinyDisk;
import tsad.registry.MlflowServer;

/** The MLflow workflow from the command line, against a real server: register, score by URI, promote, fine-tune. */
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class MlflowCliTest {
  @TempDir static Path dir;
  static String uri;
  static Path cache;

  @BeforeAll
  static void data() {
    uri = MlflowServer.get().uri();
    cache = dir.resolve("cache");
    assertEquals(0, MainTest.tsad("synth", "--out", dir.resolve("a").toString(), "--slices", "200", "--length", "32",
        "--seed", "5").code());
    assertEquals(0, MainTest.tsad("synth", "--out", dir.resolve("b").toString(), "--slices", "200", "--length", "32",
        "--seed", "6").code());
  }

  private static Run tsad(String... args) {
    return MainTest.tsad(args);
  }

  @Test
  void registerScoreByAliasPromoteDownloadAndFineTune() throws IOException {
    Run train = tsad("train", "--input", dir.resolve("a/train.csv").toString(), "--model-out",
        dir.resolve("m1").toString(), "--window", "32", "--epochs", "3", "--threads", "1", "--quiet",
        "--tracking-uri", uri, "--experiment", "cli", "--register", "cli-model", "--alias", "champion");
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("registered: models:/cli-model/1 (@champion)"), train.out());
    assertTrue(train.out().contains("mlflow run: " + uri + "/#/experiments/"), train.out());

    Path scores = dir.resolve("scores.jsonl");
    Run score = tsad("score", "--model", "models:/cli-model@champion", "--input", dir.resolve("a/test.csv").toString(),
        "--output", scores.toString(), "--tracking-uri", uri, "--cache-dir", cache.toString());
    assertEquals(0, score.code(), score.err());
    assertTrue(score.err().contains("models:/cli-model/1 (downloaded)"), score.err());
    List<String> lines = Files.readAllLines(scores);
    assertEquals(200, lines.size());
    assertTrue(lines.get(0).endsWith(",\"model\":\"cli-model\",\"version\":\"1\"}"), lines.get(0));
    Run again = tsad("score", "--model", "models:/cli-model/1", "--input", dir.resolve("a/test.csv").toString(),
        "--output", scores.toString(), "--tracking-uri", uri, "--cache-dir", cache.toString());
    assertTrue(again.err().contains("(cached)"), again.err());
    // The score job resolves the URI once on the client (from the same cache) and its lines name the version.
    Path mrScores = dir.resolve("mr-scores");
    Run mr = tsad("score", "--mapreduce", "--model", "models:/cli-model@champion", "--input",
        dir.resolve("a/test.csv").toString(), "--output", mrScores.toString(), "--tracking-uri", uri, "--cache-dir",
        cache.toString());
    assertEquals(0, mr.code(), mr.err());
    assertTrue(mr.err().contains("models:/cli-model/1 (cached)"), mr.err());
    assertTrue(mr.out().contains("with models:/cli-model/1 into"), mr.out());
    List<String> mrLines = new java.util.ArrayList<>();
    try (var parts = Files.list(mrScores)) {
      for (Path part : parts.filter(f -> f.getFileName().toString().startsWith("part-m-")).toList()) {
        mrLines.addAll(Files.readAllLines(part));
      }
    }
    // The same batch size (256) on both paths: the same lines, bit for bit, model and version included.
    assertEquals(new java.util.TreeSet<>(lines), new java.util.TreeSet<>(mrLines), "the job's lines = the CLI's");
    assertEquals(200, mrLines.size());

    Run promote = tsad("models", "promote", "cli-model", "1", "--stage", "Production", "--tracking-uri", uri);
    assertEquals(0, promote.code(), promote.err());
    Run list = tsad("models", "list", "cli-model", "--tracking-uri", uri);
    assertTrue(list.out().matches("(?s).*\\n1\\s+Production\\s+@champion\\s+READY.*"), list.out());
    Run download = tsad("models", "download", "models:/cli-model/Production", dir.resolve("dl").toString(),
        "--tracking-uri", uri, "--cache-dir", cache.toString());
    assertEquals(0, download.code(), download.err());
    assertTrue(Files.exists(dir.resolve("dl/manifest.pb")) && Files.exists(dir.resolve("dl/MLmodel")));

    Run tune = tsad("train", "--input", dir.resolve("b/train.csv").toString(), "--model-out",
        dir.resolve("m2").toString(), "--epochs", "3", "--threads", "1", "--quiet", "--tracking-uri", uri,
        "--experiment", "cli", "--register", "cli-model", "--alias", "champion", "--init-from",
        "models:/cli-model@champion", "--cache-dir", cache.toString());
    assertEquals(0, tune.code(), tune.err());
    assertTrue(tune.out().contains("fine-tuned from models:/cli-model/1"), tune.out());
    assertTrue(tune.out().contains("models:/cli-model/2") && tune.out().contains("held-out error"), tune.out());
  }

  @Test
  void registryErrorsAreOneLine() {
    Run noAlias = tsad("score", "--model", "models:/nothing-here@champion", "--input",
        dir.resolve("a/test.csv").toString(), "--tracking-uri", uri, "--cache-dir", cache.toString());
    assertEquals(1, noAlias.code());
    assertTrue(noAlias.err().startsWith("tsad: error: registered model 'nothing-here' not found"), noAlias.err());
    Run noAliasJob = tsad("score", "--mapreduce", "--model", "models:/nothing-here@champion", "--input",
        dir.resolve("a/test.csv").toString(), "--output", dir.resolve("never").toString(), "--tracking-uri", uri,
        "--cache-dir", cache.toString());
    assertEquals(1, noAliasJob.code());
    assertTrue(noAliasJob.err().startsWith("tsad: error: registered model 'nothing-here' not found"),
        noAliasJob.err());
    assertTrue(!Files.exists(dir.resolve("never")), "no job ran, no output");
    // A tracking server that is down: bounded retries on the client, then one line; no job is submitted.
    Run down = tsad("score", "--mapreduce", "--model", "models:/cli-model@champion", "--input",
        dir.resolve("a/test.csv").toString(), "--output", dir.resolve("never").toString(), "--tracking-uri",
        "http://127.0.0.1:9", "--cache-dir", dir.resolve("empty-cache").toString());
    assertEquals(1, down.code());
    String last = down.err().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith("tsad: error: ") && last.contains("127.0.0.1:9") && last.contains("gave up after"),
        down.err());
    assertTrue(!Files.exists(dir.resolve("never")), "no job ran, no output");
    Run aliasOnly = tsad("train", "--input", dir.resolve("a/train.csv").toString(), "--model-out",
        dir.resolve("x").toString(), "--alias", "champion");
    assertEquals(1, aliasOnly.code());
    assertTrue(aliasOnly.err().contains("--alias and --stage need --register"), aliasOnly.err());
  }

  @Test
  void credentialsInTheTrackingUriAreNeverPrinted() throws IOException {
    String withSecret = uri.replace("http://", "http://alice:s3cret@");
    Run train = tsad("train", "--input", dir.resolve("a/train.csv").toString(), "--model-out",
        dir.resolve("secret").toString(), "--window", "32", "--epochs", "2", "--threads", "1",
        "--tracking-uri", withSecret, "--experiment", "cli", "--register", "secret-model");
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("mlflow run: " + uri + "/#/experiments/"), train.out());
    Run list = tsad("models", "list", "secret-model", "--tracking-uri", withSecret);
    assertEquals(0, list.code(), list.err());
    Run missing = tsad("score", "--model", "models:/secret-model/9", "--input", dir.resolve("a/test.csv").toString(),
        "--tracking-uri", withSecret, "--cache-dir", cache.toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().startsWith("tsad: error: "), missing.err());
    for (Run r : List.of(train, list, missing)) {
      assertTrue(!(r.out() + r.err()).contains("s3cret"), r.out() + r.err());
    }
    // nor is it stored with the run
    String runId = train.out().replaceAll("(?s).*/runs/([0-9a-f]+).*", "$1");
    String stored = new tsad.registry.MlflowRest(MlflowServer.get().settings()).get("runs/get",
        java.util.Map.of("run_id", runId)).toString();
    assertTrue(stored.contains(runId) && !stored.contains("s3cret"), stored);
  }

  @Test
  void aCacheThatCannotBeWrittenIsOneLineAndAReadOnlyOneThatHoldsTheModelServesIt() throws Exception {
    Run train = tsad("train", "--input", dir.resolve("a/train.csv").toString(), "--model-out",
        dir.resolve("cached").toString(), "--window", "32", "--epochs", "1", "--threads", "1", "--quiet",
        "--tracking-uri", uri, "--register", "cache-model");
    assertEquals(0, train.code(), train.err());
    String test = dir.resolve("a/test.csv").toString();
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Run underFile = tsad("score", "--model", "models:/cache-model/1", "--input", test, "--output",
        dir.resolve("never.jsonl").toString(), "--tracking-uri", uri, "--cache-dir", file.resolve("cache").toString());
    assertEquals(1, underFile.code(), underFile.err());
    assertEquals("tsad: error: cannot use the model cache " + file.resolve("cache") + ": " + file + " is in the way: "
        + "it is a file, not a directory (choose another with --cache-dir or TSAD_CACHE_DIR)", underFile.err().strip());
    try (TinyDisk empty = TinyDisk.mount(dir.resolve("ro-empty"), "1m");
         TinyDisk filled = TinyDisk.mount(dir.resolve("ro-filled"), "1m")) {
      empty.readOnly();
      Run readOnly = tsad("score", "--model", "models:/cache-model/1", "--input", test, "--output",
          dir.resolve("never.jsonl").toString(), "--tracking-uri", uri, "--cache-dir", empty.root().toString());
      assertEquals(1, readOnly.code(), readOnly.err());
      assertEquals("tsad: error: cannot use the model cache " + empty.root() + ": Read-only file system (choose "
          + "another with --cache-dir or TSAD_CACHE_DIR)", readOnly.err().strip());
      Run fill = tsad("score", "--model", "models:/cache-model/1", "--input", test, "--output",
          dir.resolve("first.jsonl").toString(), "--tracking-uri", uri, "--cache-dir", filled.root().toString());
      assertEquals(0, fill.code(), fill.err());
      filled.readOnly();
      Run cached = tsad("score", "--model", "models:/cache-model/1", "--input", test, "--output",
          dir.resolve("again.jsonl").toString(), "--tracking-uri", uri, "--cache-dir", filled.root().toString());
      assertEquals(0, cached.code(), cached.err());
      assertTrue(cached.err().contains("models:/cache-model/1 (cached)"), cached.err());
    }
    assertFalse(Files.exists(dir.resolve("never.jsonl")), "no output from a refused run");
  }
}
