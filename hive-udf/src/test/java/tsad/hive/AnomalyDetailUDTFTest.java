package tsad.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.hive.Udfs.constant;
import static tsad.hive.Udfs.options;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.bundle.BundleException;
import tsad.core.data.Series;
import tsad.core.score.ScoreResult;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/** anomaly_detail at the ObjectInspector level, window-mode models, and bundles on a Hadoop file system. */
class AnomalyDetailUDTFTest {
  @TempDir static Path dir;
  static TestModels.Trained uni;
  static TestModels.Trained windowed;

  @BeforeAll
  static void models() throws IOException {
    uni = TestModels.train(dir.resolve("uni"), 120, 2, 21);
    windowed = TestModels.train(dir.resolve("win"), 120, 1, 22, new WindowSpec(WindowMode.WINDOW, 16, 8,
        LengthPolicy.REJECT));
  }

  static List<Object[]> explode(TestModels.Trained m, ObjectInspector series, Object value, ObjectInspector... opt)
      throws HiveException {
    AnomalyDetailUDTF f = udtf(m, series, opt);
    List<Object[]> rows = new ArrayList<>();
    f.setCollector(row -> rows.add((Object[]) row));
    f.process(new Object[] {"", value});
    return rows;
  }

  static AnomalyDetailUDTF udtf(TestModels.Trained m, ObjectInspector series, ObjectInspector... opt)
      throws UDFArgumentException {
    AnomalyDetailUDTF f = new AnomalyDetailUDTF();
    List<ObjectInspector> args = new ArrayList<>(List.of(constant(m.bundle().toString()), series));
    args.addAll(List.of(opt));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      names.add("a" + i);
    }
    StructObjectInspector in = ObjectInspectorFactory.getStandardStructObjectInspector(names, args);
    StructObjectInspector out = f.initialize(in);
    assertEquals(AnomalyDetailUDTF.COLUMNS.size(), out.getAllStructFieldRefs().size());
    return f;
  }

  @Test
  void oneRowPerStepWhoseErrorsAverageToTheScore() throws Exception {
    Map<String, ScoreResult> ref = uni.referenceScores();
    for (Series s : uni.testSeries().subList(0, 10)) {
      List<Object[]> rows = explode(uni, Udfs.records(2), Udfs.records(s));
      assertEquals(TestModels.T, rows.size(), s.id());
      double sum = 0;
      java.util.Set<List<Double>> shares = new java.util.HashSet<>();
      for (int i = 0; i < rows.size(); i++) {
        Object[] r = rows.get(i);
        assertEquals(0, r[0]);
        assertEquals(i, r[1]);
        assertEquals(s.timesMs()[i], r[2], "time of the step, in sorted order");
        sum += (Double) r[3];
        @SuppressWarnings("unchecked")
        List<Double> share = (List<Double>) r[6];
        assertEquals(2, share.size());
        assertEquals(1.0, share.get(0) + share.get(1), 1e-9);
        shares.add(share);
      }
      assertTrue(shares.size() > 1, s.id() + ": the feature shares are the step's own, not the window's");
      double expected = ref.get(s.id()).score();
      assertEquals(expected, sum / rows.size(), 1e-5 * Math.max(1e-3, expected), "mean step error is the score");
      assertEquals(expected, (Double) rows.get(0)[4], 1e-6 * Math.max(1e-3, expected));
    }
  }

  @Test
  void windowModeModelsExplodeEveryWindowAndScoreTheWorstOne() throws Exception {
    Map<String, ScoreResult> ref = windowed.referenceScores();
    Series s = windowed.testSeries().get(0);
    List<Object[]> rows = explode(windowed, Udfs.UNIVARIATE, Udfs.univariate(s));
    // T=32, window 16, stride 8: windows start at 0, 8, 16.
    assertEquals(3 * 16, rows.size());
    assertEquals(2, rows.get(rows.size() - 1)[0]);
    assertEquals(31, rows.get(rows.size() - 1)[1]);
    ScoreAnomalyUDF f = new ScoreAnomalyUDF();
    f.initialize(new ObjectInspector[] {constant(windowed.bundle().toString()), Udfs.UNIVARIATE});
    double worst = ref.values().stream().filter(r -> r.seriesId().equals(s.id())).mapToDouble(ScoreResult::score)
        .max().orElseThrow();
    double got = Udfs.score(Udfs.call(f, "", Udfs.univariate(s)));
    assertEquals(worst, got, 1e-6 * Math.max(1e-3, worst));
  }

  /**
   * A slice of more windows than one batch (scored in batches of the score job's and the CLI's default size, in
   * native memory for one batch, not the slice) gets the core scorer's numbers at that batch size, bit for bit, from
   * both functions. (On this CPU one batch of all 499 windows happened to give the same bits too.)
   */
  @Test
  void aLongSliceScoresInDefaultBatchesWithTheScoreJobsBits() throws Exception {
    float[] values = new float[4000];
    long[] times = new long[values.length];
    List<Series> test = windowed.testSeries();
    for (int i = 0; i < values.length; i++) {
      Series from = test.get(i / TestModels.T % test.size());
      values[i] = from.values()[i % TestModels.T];
      times[i] = 60_000L * i;
    }
    Series lng = new Series("long", times, values, 1);
    List<tsad.core.window.Window> windows = new ArrayList<>(new tsad.core.window.WindowBuilder(windowed.spec())
        .build(lng, new tsad.core.data.DataReport()));
    assertEquals(499, windows.size(), "(4000 - 16) / 8 + 1 windows: two full batches and a partial one");
    List<ScoreResult> ref = tsad.core.bundle.ModelBundle.load(windowed.bundle()).newScorer()
        .score(windows, tsad.core.score.Scorer.DEFAULT_BATCH, false);
    ScoreAnomalyUDF f = new ScoreAnomalyUDF();
    f.initialize(new ObjectInspector[] {constant(windowed.bundle().toString()), Udfs.UNIVARIATE});
    assertEquals(tsad.core.score.SliceScore.of(ref).score(), Udfs.score(Udfs.call(f, "", Udfs.univariate(lng))), 0.0);
    List<Object[]> rows = explode(windowed, Udfs.UNIVARIATE, Udfs.univariate(lng));
    assertEquals(499 * 16, rows.size());
    for (int k = 0; k < 499; k++) {
      assertEquals(ref.get(k).score(), (double) rows.get(k * 16)[4], 0.0, "window " + k);
    }
  }

  @Test
  void badRowsAreSkippedWithAWarningOrFailUnderStrict() throws Exception {
    AnomalyDetailUDTF f = udtf(uni, Udfs.MULTIVARIATE);
    List<Object[]> rows = new ArrayList<>();
    f.setCollector(row -> rows.add((Object[]) row));
    f.process(new Object[] {"", null});
    f.process(new Object[] {"", List.of(List.of(1.0, Double.NaN))});
    assertEquals(0, rows.size());
    assertEquals(1, f.warnings("null_series"));
    assertEquals(1, f.warnings("non_finite"));
    AnomalyDetailUDTF strict = udtf(uni, Udfs.MULTIVARIATE, options("strict", "true"));
    strict.setCollector(row -> { });
    HiveException e = assertThrows(HiveException.class, () -> strict.process(new Object[] {"", null}));
    assertTrue(e.getMessage().contains("anomaly_detail: bad row (null_series)") && e.getMessage().endsWith("[strict]"),
        e.getMessage());
  }

  /** A local directory seen through a Hadoop FileSystem with another scheme, like hdfs:// would be. */
  public static final class OtherFs extends RawLocalFileSystem {
    @Override
    public java.net.URI getUri() {
      return java.net.URI.create("tsadtest:///");
    }
  }

  @Test
  void bundlesOnAHadoopFileSystemLoadThroughTheVerifyingLoader() throws Exception {
    Configuration conf = new Configuration(false);
    conf.set("fs.tsadtest.impl", OtherFs.class.getName());
    conf.setBoolean("fs.tsadtest.impl.disable.cache", true);
    String uri = "tsadtest://" + uni.bundle().toAbsolutePath();
    LoadedModel m = ModelCache.get(uri, UdfOptions.parse(Map.of(), null), conf);
    assertEquals(tsad.core.bundle.ModelBundle.load(uni.bundle()).contentHash(), m.bundle().contentHash());
    assertEquals("bundle", m.name(), "a bundle path is named by its content, wherever it is stored");
    assertEquals("sha256:" + m.bundle().contentHash().substring(0, 12), m.version());
    Path copy = dir.resolve("tampered");
    java.nio.file.Files.createDirectories(copy);
    try (var files = java.nio.file.Files.list(uni.bundle())) {
      for (Path p : files.toList()) {
        java.nio.file.Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    java.nio.file.Files.write(copy.resolve("threshold.pb"), new byte[] {1, 2, 3});
    BundleException e = assertThrows(BundleException.class, () -> ModelCache.get("tsadtest://" + copy.toAbsolutePath(),
        UdfOptions.parse(Map.of(), null), conf));
    assertTrue(e.getMessage().contains("does not match its sha256"), e.getMessage());
  }
}
