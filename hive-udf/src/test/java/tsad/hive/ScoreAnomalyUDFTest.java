package tsad.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.hive.Udfs.call;
import static tsad.hive.Udfs.constant;
import static tsad.hive.Udfs.options;
import static tsad.hive.Udfs.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.data.Series;
import tsad.core.score.ScoreResult;

/** score_anomaly at the ObjectInspector level: every signature, every bad input, the JVM-wide model. */
class ScoreAnomalyUDFTest {
  @TempDir static Path dir;
  static TestModels.Trained uni;
  static TestModels.Trained multi;
  static final double TOL = 1e-6;

  @BeforeAll
  static void models() throws IOException {
    uni = TestModels.train(dir.resolve("uni"), 120, 1, 11);
    multi = TestModels.train(dir.resolve("multi"), 120, 2, 12);
  }

  static ScoreAnomalyUDF udf(TestModels.Trained m, ObjectInspector series, ObjectInspector... options)
      throws UDFArgumentException {
    ScoreAnomalyUDF f = new ScoreAnomalyUDF();
    ObjectInspector[] args = options.length == 0 ? new ObjectInspector[] {constant(m.bundle().toString()), series}
        : new ObjectInspector[] {constant(m.bundle().toString()), series, options[0]};
    f.initialize(args);
    return f;
  }

  static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, TOL * Math.max(1e-3, Math.abs(expected)), what);
  }

  @Test
  void univariateArraysScoreLikeTheCoreScorer() throws Exception {
    ScoreAnomalyUDF f = udf(uni, Udfs.UNIVARIATE);
    Map<String, ScoreResult> ref = uni.referenceScores();
    int anomalies = 0;
    for (Series s : uni.testSeries()) {
      Object r = call(f, "ignored", Udfs.univariate(s));
      assertClose(ref.get(s.id()).score(), score(r), s.id());
      assertEquals(ref.get(s.id()).isAnomaly(), Udfs.anomaly(r), s.id());
      anomalies += Udfs.anomaly(r) ? 1 : 0;
    }
    assertTrue(anomalies > 0, "the synthetic test data has anomalies the model flags");
    assertEquals("bundle sha256:" + tsad.core.bundle.ModelBundle.load(uni.bundle()).contentHash()
        .substring(0, 12), Udfs.modelVersion(call(f, "", Udfs.univariate(uni.testSeries().get(0)))));
  }

  @Test
  void structsInAnyOrderAreSortedByTime() throws Exception {
    ScoreAnomalyUDF f = udf(uni, Udfs.records(1));
    Map<String, ScoreResult> ref = uni.referenceScores();
    for (Series s : uni.testSeries()) {
      assertClose(ref.get(s.id()).score(), score(call(f, "", Udfs.records(s))), s.id());
    }
  }

  @Test
  void multivariateArraysAndStructs() throws Exception {
    ScoreAnomalyUDF arrays = udf(multi, Udfs.MULTIVARIATE);
    ScoreAnomalyUDF structs = udf(multi, Udfs.records(2));
    Map<String, ScoreResult> ref = multi.referenceScores();
    for (Series s : multi.testSeries()) {
      assertClose(ref.get(s.id()).score(), score(call(arrays, "", Udfs.multivariate(s))), s.id());
      assertClose(ref.get(s.id()).score(), score(call(structs, "", Udfs.records(s))), s.id());
    }
  }

  @Test
  void theModelUriMustBeAConstantString() {
    ScoreAnomalyUDF f = new ScoreAnomalyUDF();
    UDFArgumentTypeException e = assertThrows(UDFArgumentTypeException.class,
        () -> f.initialize(new ObjectInspector[] {Udfs.STRING, Udfs.UNIVARIATE}));
    assertTrue(e.getMessage().contains("the model URI must be a constant string"), e.getMessage());
    UDFArgumentException bad = assertThrows(UDFArgumentException.class,
        () -> f.initialize(new ObjectInspector[] {constant("models:/x/Prod"), Udfs.UNIVARIATE}));
    assertTrue(bad.getMessage().contains("not a version number, stage or 'latest'"), bad.getMessage());
    UDFArgumentException one = assertThrows(UDFArgumentException.class,
        () -> f.initialize(new ObjectInspector[] {constant("m")}));
    assertTrue(one.getMessage().contains("takes 2 or 3 arguments, got 1"), one.getMessage());
  }

  @Test
  void optionsMustBeAConstantMapOfKnownKeysAndValues() {
    ObjectInspector nonConstant = ObjectInspectorFactory.getStandardMapObjectInspector(Udfs.STRING, Udfs.STRING);
    UDFArgumentTypeException e = assertThrows(UDFArgumentTypeException.class, () -> udf(uni, Udfs.UNIVARIATE,
        nonConstant));
    assertTrue(e.getMessage().contains("the options must be a constant map"), e.getMessage());
    UDFArgumentException unknown = assertThrows(UDFArgumentException.class,
        () -> udf(uni, Udfs.UNIVARIATE, options("stirct", "true")));
    assertTrue(unknown.getMessage().contains("unknown option 'stirct'"), unknown.getMessage());
    Map<String, String> bad = Map.of("strict", "option strict must be true or false, got 'yes'",
        "length_policy", "option length_policy must be reject, truncate or pad, got 'cut'",
        "ttl_seconds", "option ttl_seconds must be an integer >= 0, got '-1'");
    Map<String, String> values = Map.of("strict", "yes", "length_policy", "cut", "ttl_seconds", "-1");
    for (Map.Entry<String, String> b : bad.entrySet()) {
      UDFArgumentException v = assertThrows(UDFArgumentException.class,
          () -> udf(uni, Udfs.UNIVARIATE, options(b.getKey(), values.get(b.getKey()))));
      assertTrue(v.getMessage().contains(b.getValue()), v.getMessage());
    }
  }

  @Test
  void seriesOfOtherTypesAreRefusedAtCompileTime() {
    for (ObjectInspector bad : List.of(Udfs.DOUBLE, ObjectInspectorFactory.getStandardListObjectInspector(Udfs.STRING),
        ObjectInspectorFactory.getStandardListObjectInspector(ObjectInspectorFactory.getStandardStructObjectInspector(
            List.of("ts", "label"), List.of(Udfs.LONG, Udfs.STRING))),
        ObjectInspectorFactory.getStandardListObjectInspector(ObjectInspectorFactory.getStandardStructObjectInspector(
            List.of("ts"), List.of(Udfs.LONG))))) {
      UDFArgumentTypeException e = assertThrows(UDFArgumentTypeException.class, () -> udf(uni, bad), bad.getTypeName());
      assertEquals(1, e.getArgumentId());
    }
  }

  @Test
  void badRowsGiveNullAndACountedWarning() throws Exception {
    ScoreAnomalyUDF f = udf(uni, Udfs.UNIVARIATE);
    List<Double> good = Udfs.univariate(uni.testSeries().get(0));
    List<Double> nan = new ArrayList<>(good);
    nan.set(3, Double.NaN);
    List<Double> inf = new ArrayList<>(good);
    inf.set(4, Double.POSITIVE_INFINITY);
    List<Double> hole = new ArrayList<>(good);
    hole.set(5, null);
    List<Double> longer = new ArrayList<>(good);
    longer.add(1.0);
    assertNull(call(f, "", (Object) null));
    assertNull(call(f, "", nan));
    assertNull(call(f, "", inf));
    assertNull(call(f, "", hole));
    assertNull(call(f, "", good.subList(0, 20)));
    assertNull(call(f, "", longer));
    assertNull(call(f, "", List.of()));
    assertNotNull(call(f, "", good));
    assertEquals(1, f.warnings("null_series"));
    assertEquals(2, f.warnings("non_finite"));
    assertEquals(1, f.warnings("missing_value"));
    assertEquals(2, f.warnings("too_short"));
    assertEquals(1, f.warnings("too_long"));
    assertTrue(Warnings.jvmCount("score_anomaly", "non_finite") >= 2, "JVM-wide count");
  }

  @Test
  void multivariateStepsOfTheWrongWidthAreBadRows() throws Exception {
    ScoreAnomalyUDF arrays = udf(multi, Udfs.MULTIVARIATE);
    List<List<Double>> steps = Udfs.multivariate(multi.testSeries().get(0));
    steps.set(2, List.of(1.0));
    assertNull(call(arrays, "", steps));
    assertEquals(1, arrays.warnings("malformed_row"));
    ScoreAnomalyUDF wrongModel = udf(uni, Udfs.records(2));
    assertNull(call(wrongModel, "", Udfs.records(multi.testSeries().get(0))));
    assertEquals(1, wrongModel.warnings("malformed_row"));
  }

  @Test
  void strictFailsTheQueryWithTheReason() throws Exception {
    ScoreAnomalyUDF f = udf(uni, Udfs.UNIVARIATE, options("strict", "true"));
    List<Double> nan = new ArrayList<>(Udfs.univariate(uni.testSeries().get(0)));
    nan.set(3, Double.NaN);
    HiveException e = assertThrows(HiveException.class, () -> call(f, "", nan));
    assertTrue(e.getMessage().contains("bad row (non_finite): step 3 is not finite [strict]"), e.getMessage());
    HiveException none = assertThrows(HiveException.class, () -> call(f, "", (Object) null));
    assertTrue(none.getMessage().contains("score_anomaly: bad row (null_series)")
        && none.getMessage().endsWith("[strict]"), none.getMessage());
    // Ten finite steps: too short for T=32 (the first ten of `nan` would fail on its NaN at step 3 instead).
    List<Double> ten = Udfs.univariate(uni.testSeries().get(0)).subList(0, 10);
    HiveException shortRow = assertThrows(HiveException.class, () -> call(f, "", ten));
    assertTrue(shortRow.getMessage().contains("score_anomaly: bad row (too_short)")
        && shortRow.getMessage().endsWith("[strict]"), shortRow.getMessage());
  }

  @Test
  void lengthPolicyOptionOverridesTheModels() throws Exception {
    Series s = uni.testSeries().get(0);
    List<Double> longer = new ArrayList<>(Udfs.univariate(s));
    longer.add(123.0);
    ScoreAnomalyUDF truncate = udf(uni, Udfs.UNIVARIATE, options("length_policy", "truncate"));
    assertClose(uni.referenceScores().get(s.id()).score(), score(call(truncate, "", longer)), "truncated");
    assertEquals(1, truncate.warnings("truncated"), "cut steps are counted");
    ScoreAnomalyUDF pad = udf(uni, Udfs.UNIVARIATE, options("length_policy", "pad"));
    assertNotNull(call(pad, "", Udfs.univariate(s).subList(0, 20)));
  }

  @Test
  void duplicateTimesKeepTheFirstAndAreCounted() throws Exception {
    ScoreAnomalyUDF f = udf(uni, Udfs.records(1));
    Series s = uni.testSeries().get(1);
    List<Object> recs = new ArrayList<>(Udfs.records(s));
    recs.add(List.of(s.timesMs()[0], 99.0));
    assertClose(uni.referenceScores().get(s.id()).score(), score(call(f, "", recs)), "duplicate dropped");
    assertEquals(1, f.warnings("duplicate_timestamp"));
    List<Object> noTime = new ArrayList<>(Udfs.records(s));
    noTime.set(0, java.util.Arrays.asList(null, 1.0));
    assertNull(call(f, "", noTime));
    assertEquals(1, f.warnings("missing_time"));
  }

  @Test
  void isoStringTimesAreParsedAndBadTimesAreBadRows() throws Exception {
    ObjectInspector oi = ObjectInspectorFactory.getStandardListObjectInspector(
        ObjectInspectorFactory.getStandardStructObjectInspector(List.of("v", "time"), List.of(Udfs.DOUBLE, Udfs.STRING)));
    ScoreAnomalyUDF f = udf(uni, oi);
    Series s = uni.testSeries().get(2);
    List<Object> recs = new ArrayList<>();
    for (int i = s.length() - 1; i >= 0; i--) {
      recs.add(List.of((double) s.values()[i], java.time.Instant.ofEpochMilli(s.timesMs()[i]).toString()));
    }
    assertClose(uni.referenceScores().get(s.id()).score(), score(call(f, "", recs)), "ISO times, field named time");
    recs.set(4, List.of(1.0, "yesterday"));
    assertNull(call(f, "", recs));
    assertEquals(1, f.warnings("bad_time"));
  }

  @Test
  void oneModelPerJvmSharedByThreads() throws Exception {
    ScoreAnomalyUDF a = udf(uni, Udfs.UNIVARIATE);
    ScoreAnomalyUDF b = udf(uni, Udfs.UNIVARIATE);
    call(a, "", Udfs.univariate(uni.testSeries().get(0)));
    UdfOptions o = UdfOptions.parse(Map.of(), null);
    LoadedModel m = ModelCache.get(uni.bundle().toString(), o, null);
    assertSame(m, ModelCache.get(uni.bundle().toString(), o, null), "loaded once");
    List<Series> series = uni.testSeries();
    double[] expected = new double[series.size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = score(call(b, "", Udfs.univariate(series.get(i))));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<double[]>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          ScoreAnomalyUDF own = udf(uni, Udfs.UNIVARIATE);
          double[] got = new double[series.size()];
          for (int i = 0; i < got.length; i++) {
            got[i] = score(call(own, "", Udfs.univariate(series.get(i))));
          }
          return got;
        }));
      }
      for (Future<double[]> r : runs) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, r.get(), "same scores from concurrent threads");
      }
    } finally {
      pool.shutdownNow();
    }
    assertSame(m, ModelCache.get(uni.bundle().toString(), o, null), "still the one model");
  }
}
