package tsad.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import tsad.core.score.ScoreResult;
import tsad.registry.MlflowServer;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelResolver;

/**
 * Real Spark (pyspark from the project's venv, local mode, Hive support) with a model registered by tsad's training
 * in a real MLflow server, named by {@code models:/NAME@ALIAS}: score_anomaly() and anomaly_detail() from the
 * shaded jar in Spark SQL with numeric and TIMESTAMP time fields, and the MLflow pyfunc flavor through
 * mlflow.pyfunc.spark_udf and applyInPandas, each checked against tsad score's path on the same CSV and version.
 * Fails, never skips, when the venv or Spark cannot start.
 */
@Tag("spark")
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class SparkSqlTest {
  @TempDir static Path dir;
  static final List<String> QUERIES = List.of("group_ts_ms", "detail_ts_ms", "group_ts_time", "detail_ts_time",
      "spark_udf", "apply_in_pandas");

  @Test
  void sparkScoresLikeTsadScore() throws Exception {
    String jar = System.getProperty("tsad.udf.jar");
    Path root = Path.of(System.getProperty("tsad.root"));
    TestModels.Trained uni = TestModels.train(dir.resolve("uni"), 80, 1, 31);
    TestModels.register(uni, dir.resolve("registered"), MlflowServer.get().settings(), "spark", "spark-ae",
        "champion", 41);
    String uri = "models:/spark-ae@champion";
    Path cache = dir.resolve("model-cache");
    Path registered = new ModelResolver(cache, () -> new ModelRegistry(MlflowServer.get().settings())).resolve(uri)
        .dir();
    Map<String, ScoreResult> reference = new TestModels.Trained(registered, uni.data(), 1, uni.spec())
        .referenceScores();

    Process env = new ProcessBuilder("bash", root.resolve("scripts/python-env.sh").toString(), "--python")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String python = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, env.waitFor(), "scripts/python-env.sh failed: the Spark test needs its venv (pyspark)");

    Path work = Files.createDirectories(dir.resolve("spark"));
    Path log = work.resolve("spark.log");
    ProcessBuilder pb = new ProcessBuilder(python, root.resolve("hive-udf/src/test/python/spark_check.py").toString(),
        jar, uri, uni.data().resolve("test.csv").toString(), work.toString())
        .directory(work.toFile()).redirectError(log.toFile());
    // Spark's executors must run the venv's python (the pyfunc), and the JVM Spark starts is this test's JDK.
    pb.environment().put("PYSPARK_PYTHON", python);
    pb.environment().put("PYSPARK_DRIVER_PYTHON", python);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    // Both the Hive UDF in Spark's JVM and MLflow in Python find the registry and the cache as a user's job would.
    pb.environment().put("MLFLOW_TRACKING_URI", MlflowServer.get().uri());
    pb.environment().put("TSAD_CACHE_DIR", dir.resolve("spark-cache").toString());
    long start = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    String tail = tail(log);
    assertTrue(done && p.exitValue() == 0, "Spark did not run (exit " + (done ? p.exitValue() : "timeout")
        + "); its log " + log + " ends:\n" + tail);
    System.out.printf("SparkSqlTest: Spark run took %.1f s%n", (System.nanoTime() - start) / 1e9);

    Map<String, Map<String, Double>> got = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f[0].equals("spark_version")) {
        System.out.println("SparkSqlTest: Spark " + f[1]);
      } else if (f.length == 3) {
        got.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], f[2].equals("None") ? null
            : Double.parseDouble(f[2]));
      }
    }
    double worst = 0;
    for (String q : QUERIES) {
      Map<String, Double> rows = got.get(q);
      assertNotNull(rows, q + " gave no rows; Spark's output:\n" + out + "\nlog:\n" + tail);
      assertEquals(reference.size(), rows.size(), q + ": one row per slice");
      for (Map.Entry<String, ScoreResult> e : reference.entrySet()) {
        Double score = rows.get(e.getKey());
        double expected = e.getValue().score();
        assertNotNull(score, q + " " + e.getKey());
        assertEquals(expected, score, 1e-5 * Math.max(1e-3, expected), q + " " + e.getKey());
        worst = Math.max(worst, Math.abs(score - expected) / Math.max(1e-3, expected));
      }
    }
    System.out.printf("SparkSqlTest: max relative difference to tsad score %.2e%n", worst);
  }

  private static String tail(Path log) throws java.io.IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    String s = Files.readString(log, StandardCharsets.UTF_8);
    return s.substring(Math.max(0, s.length() - 4000));
  }
}
