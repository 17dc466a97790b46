package tsad.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.hive.ql.processors.CommandProcessorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.data.Series;
import tsad.core.score.ScoreResult;
import tsad.registry.MlflowServer;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelResolver;
import tsad.registry.tracking.TrackedTraining;

/**
 * Real SQL on a real Hive 4 engine in this JVM (Derby metastore, local MapReduce), with the functions
 * registered from the shaded jar, a model in a real MLflow registry, and scores checked against the path
 * {@code tsad score} takes (core CSV reader, window builder, ModelBundle.newScorer) on the same slices. Only the
 * registry test needs the MLflow server (tagged mlflow); the others run without Python.
 */
class ScoreAnomalySqlTest {
  @TempDir static Path dir;
  static TestModels.Trained uni;
  static EmbeddedHive hive;
  static Map<String, ScoreResult> reference;
  static String jar;
  static final String GROUPED = "(SELECT slice_id, collect_list(named_struct('ts', ts, 'v', v)) AS series "
      + "FROM readings GROUP BY slice_id) r";

  @BeforeAll
  static void start() throws Exception {
    jar = System.getProperty("tsad.udf.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("the shaded jar is missing (" + jar + "): run the SQL tests through Maven "
          + "(mvn verify), which builds it first and passes -Dtsad.udf.jar");
    }
    uni = TestModels.train(dir.resolve("uni"), 80, 1, 31);
    reference = uni.referenceScores();
    hive = new EmbeddedHive(dir.resolve("hive"));
    Path tsv = readings(uni.testSeries());
    hive.sql("CREATE TABLE readings (slice_id STRING, ts BIGINT, v DOUBLE) ROW FORMAT DELIMITED "
        + "FIELDS TERMINATED BY '\\t' STORED AS TEXTFILE");
    hive.sql("LOAD DATA LOCAL INPATH '" + tsv + "' INTO TABLE readings");
    hive.sql("CREATE TEMPORARY FUNCTION score_anomaly AS 'tsad.hive.ScoreAnomalyUDF' USING JAR '" + jar + "'");
    hive.sql("CREATE TEMPORARY FUNCTION anomaly_detail AS 'tsad.hive.AnomalyDetailUDTF' USING JAR '" + jar + "'");
  }

  @AfterAll
  static void stop() throws IOException {
    if (hive != null) {
      hive.close();
    }
  }

  /** Long-format rows in shuffled order, plus a slice with a NaN and a slice that is too short. */
  static Path readings(List<Series> series) throws IOException {
    List<String> rows = new ArrayList<>();
    for (Series s : series) {
      for (int i = 0; i < s.length(); i++) {
        rows.add(s.id() + "\t" + s.timesMs()[i] + "\t" + s.values()[i]);
      }
    }
    Series first = series.get(0);
    for (int i = 0; i < first.length(); i++) {
      rows.add("bad-nan\t" + first.timesMs()[i] + "\t" + (i == 7 ? "NaN" : Float.toString(first.values()[i])));
      if (i < 10) {
        rows.add("bad-short\t" + first.timesMs()[i] + "\t" + first.values()[i]);
      }
    }
    Collections.shuffle(rows, new Random(5));
    Path tsv = dir.resolve("readings.tsv");
    Files.write(tsv, rows, StandardCharsets.UTF_8);
    return tsv;
  }

  static Map<String, String[]> byId(List<String> rows) {
    Map<String, String[]> out = new HashMap<>();
    for (String r : rows) {
      String[] f = r.split("\t", -1);
      out.put(f[0], f);
    }
    return out;
  }

  static void assertScores(Map<String, ScoreResult> ref, Map<String, String[]> got) {
    for (Map.Entry<String, ScoreResult> e : ref.entrySet()) {
      String[] row = got.get(e.getKey());
      double expected = e.getValue().score();
      assertEquals(expected, Double.parseDouble(row[1]), 1e-6 * Math.max(1e-3, expected), e.getKey());
      assertEquals(Boolean.toString(e.getValue().isAnomaly()), row[3], e.getKey());
    }
  }

  @Test
  void groupByQueryOnABundlePathScoresLikeTsadScore() throws Exception {
    long nanBefore = Warnings.jvmCount("score_anomaly", "non_finite");
    List<String> rows = hive.sql("SELECT slice_id, s.score, s.threshold, s.is_anomaly, s.model, s.version FROM ("
        + "SELECT slice_id, score_anomaly('" + uni.bundle() + "', collect_list(named_struct('ts', ts, 'v', v))) AS s "
        + "FROM readings GROUP BY slice_id) x");
    Map<String, String[]> got = byId(rows);
    assertEquals(reference.size() + 2, got.size(), "one row per slice, bad slices included");
    assertScores(reference, got);
    assertEquals("NULL", got.get("bad-nan")[1]);
    assertEquals("NULL", got.get("bad-short")[1]);
    assertTrue(Warnings.jvmCount("score_anomaly", "non_finite") > nanBefore, "the NaN row was counted");
    assertTrue(reference.values().stream().anyMatch(ScoreResult::isAnomaly), "the test data has anomalies");
  }

  @Test
  @Tag("mlflow")   // the only test here that needs the server: it starts for this one alone
  @ExtendWith(MlflowServer.class)
  void registeredModelByAliasFromMlflow() throws Exception {
    TrackedTraining.Result v1 = TestModels.register(uni, dir.resolve("registered-1"), MlflowServer.get().settings(),
        "hive", "hive-ae", "champion", 41);
    String cache = dir.resolve("model-cache").toString();
    String uri = "models:/hive-ae@champion";
    String opts = "map('tracking_uri', '" + MlflowServer.get().uri() + "', 'cache_dir', '" + cache + "')";
    Map<String, String[]> got = byId(hive.sql("SELECT r.slice_id, s.score, s.threshold, s.is_anomaly, s.model, "
        + "s.version FROM (SELECT slice_id, score_anomaly('" + uri + "', series, " + opts + ") AS s FROM " + GROUPED
        + ") r"));
    Path resolvedDir = new ModelResolver(Path.of(cache), () -> new ModelRegistry(MlflowServer.get().settings()))
        .resolve(uri).dir();
    Map<String, ScoreResult> ref = new TestModels.Trained(resolvedDir, uni.data(), 1, uni.spec()).referenceScores();
    assertScores(ref, got);
    String[] any = got.get(ref.keySet().iterator().next());
    assertEquals("hive-ae", any[4]);
    assertEquals(v1.version().version(), any[5]);

    // A second version takes the alias: the JVM keeps the model it has until the TTL says to ask again.
    TrackedTraining.Result v2 = TestModels.register(uni, dir.resolve("registered-2"), MlflowServer.get().settings(),
        "hive", "hive-ae", null, 42);
    new ModelRegistry(MlflowServer.get().settings()).setAlias("hive-ae", "champion", v2.version().version());
    UdfOptions longTtl = UdfOptions.parse(Map.of("tracking_uri", MlflowServer.get().uri(), "cache_dir", cache,
        "ttl_seconds", "3600"), null);
    assertEquals(v1.version().version(), ModelCache.get(uri, longTtl, null).version(), "within the TTL");
    UdfOptions noTtl = UdfOptions.parse(Map.of("tracking_uri", MlflowServer.get().uri(), "cache_dir", cache,
        "ttl_seconds", "0"), null);
    assertEquals(v2.version().version(), ModelCache.get(uri, noTtl, null).version(), "after the TTL");
    String versioned = "models:/hive-ae/" + v1.version().version();
    assertEquals(v1.version().version(), ModelCache.get(versioned, noTtl, null).version(), "versions never move");
  }

  @Test
  void tableFunctionExplodesStepsThroughLateralView() throws Exception {
    List<String> rows = hive.sql("SELECT r.slice_id, d.pos, d.ts, d.error, d.window_score FROM " + GROUPED
        + " LATERAL VIEW anomaly_detail('" + uni.bundle() + "', r.series) d");
    Map<String, double[]> sums = new HashMap<>();
    for (String row : rows) {
      String[] f = row.split("\t");
      double[] s = sums.computeIfAbsent(f[0], k -> new double[2]);
      s[0] += Double.parseDouble(f[3]);
      s[1]++;
    }
    assertEquals(reference.size(), sums.size(), "bad slices give no rows");
    for (Map.Entry<String, ScoreResult> e : reference.entrySet()) {
      double[] s = sums.get(e.getKey());
      assertEquals(TestModels.T, (int) s[1], e.getKey());
      double expected = e.getValue().score();
      assertEquals(expected, s[0] / s[1], 1e-5 * Math.max(1e-3, expected), "mean step error is the score");
    }
  }

  @Test
  void timestampAndDateTimeFieldsScoreLikeTsadScore() throws Exception {
    // The same slices with TIMESTAMP times (the CSV's instants) and DATE times (one day per step, so DATEs stay
    // distinct): the reading of these types differs between Hive 2.3 (Spark's) and 3.1+, see SeriesInput.
    List<String> rows = new ArrayList<>();
    for (Series s : uni.testSeries()) {
      for (int i = 0; i < s.length(); i++) {
        // Hive's text TIMESTAMP needs the seconds, which LocalDateTime.toString() leaves out when they are zero.
        String ts = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .format(java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(s.timesMs()[i]),
                java.time.ZoneOffset.UTC));
        rows.add(s.id() + "\t" + ts + "\t" + java.time.LocalDate.of(2020, 1, 1).plusDays(i) + "\t" + s.values()[i]);
      }
    }
    Collections.shuffle(rows, new Random(6));
    Path tsv = dir.resolve("readings-typed.tsv");
    Files.write(tsv, rows, StandardCharsets.UTF_8);
    hive.sql("CREATE TABLE readings_typed (slice_id STRING, t TIMESTAMP, d DATE, v DOUBLE) ROW FORMAT DELIMITED "
        + "FIELDS TERMINATED BY '\\t' STORED AS TEXTFILE");
    hive.sql("LOAD DATA LOCAL INPATH '" + tsv + "' INTO TABLE readings_typed");
    for (String time : List.of("t", "d")) {
      Map<String, String[]> got = byId(hive.sql("SELECT slice_id, s.score, s.threshold, s.is_anomaly FROM ("
          + "SELECT slice_id, score_anomaly('" + uni.bundle() + "', collect_list(named_struct('ts', " + time
          + ", 'v', v))) AS s FROM readings_typed GROUP BY slice_id) x"));
      assertEquals(reference.size(), got.size(), time);
      assertScores(reference, got);
    }
  }

  @Test
  void aNonConstantModelUriIsACompileTimeError() {
    CommandProcessorException e = assertThrows(CommandProcessorException.class, () -> hive.sql(
        "SELECT score_anomaly(slice_id, collect_list(v)) FROM readings GROUP BY slice_id"));
    assertTrue(e.getMessage().contains("the model URI must be a constant string"), e.getMessage());
  }

  @Test
  void strictOptionFailsTheQueryOnABadRow() throws Exception {
    String query = "SELECT r.slice_id, score_anomaly('" + uni.bundle() + "', r.series, map('strict', 'STRICT')) "
        + "FROM " + GROUPED;
    // The same statement, lenient, compiles and runs (the bad slices score NULL): only the option differs below, so
    // a syntax or type error cannot pass for the strict failure.
    Map<String, String[]> lenient = byId(hive.sql(query.replace("STRICT", "false")));
    assertEquals(reference.size() + 2, lenient.size());
    assertEquals("NULL", lenient.get("bad-nan")[1]);
    // Hive reports a failed task as "return code 2 from MapRedTask"; the function's own error is in the task's log,
    // which local MapReduce writes to this JVM's stderr.
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    CommandProcessorException e;
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        stderr.write(b);
        log.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        stderr.write(b, off, len);
        log.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8));
    try {
      e = assertThrows(CommandProcessorException.class, () -> hive.sql(query.replace("STRICT", "true")));
    } finally {
      System.setErr(stderr);
    }
    assertTrue(e.getMessage().contains("FAILED: Execution Error"), "fails when run, not when compiled: " + e);
    String task = log.toString(StandardCharsets.UTF_8);
    assertTrue(task.contains("HiveException: score_anomaly: bad row (") && task.contains(" [strict]"),
        "the task failed with the function's strict error: " + e);
  }
}
