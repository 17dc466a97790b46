package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mrunit.mapreduce.MapDriver;
import org.apache.hadoop.mrunit.types.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataReport;
import tsad.core.data.RejectSink;
import tsad.core.data.CsvSeriesReader;
import tsad.core.data.Series;
import tsad.core.score.ScoreLines;
import tsad.core.score.ScoreResult;
import tsad.core.score.SliceScore;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/**
 * MRUnit test of the score mapper (its input batches round-trip through their Writable form): the bundle comes
 * through the (MRUnit) distributed cache, stored series are cut into the model's windows and scored in batches
 * with the same numbers as the core scorer, a line per window or per slice (the slice's highest window score,
 * as {@link SliceScore}), counters count slices, windows, anomalies and rejects, and unreadable, wrongly shaped
 * or too short records are quarantined with their reason instead of failing the task.
 */
class ScoreMrUnitTest {
  @TempDir static Path dir;
  static Path model;
  static List<Series> series;
  static List<Window> windows;

  /** A mapper whose quarantine is a list. */
  static final class Mapper extends ScoreMapper {
    final List<String> quarantined = new ArrayList<>();

    @Override
    RejectSink quarantine(Context ctx) {
      return (where, reason, detail, record) -> quarantined.add(reason.label() + "\t" + where);
    }
  }

  @BeforeAll
  static void trainTinyWindowModel() throws IOException {
    new SynthGenerator(new SynthConfig(40, 40, 1, 0.2, 5)).writeCsv(dir.resolve("d"));
    model = dir.resolve("model");
    MainTest.Run train = MainTest.tsad("train", "--input", dir.resolve("d/train.csv").toString(), "--model-out",
        model.toString(), "--mode", "window", "--window", "16", "--stride", "4", "--epochs", "2", "--threads", "1",
        "--quiet");
    assertEquals(0, train.code(), train.err());
    series = new CsvSeriesReader(CsvOptions.defaults()).read(List.of(dir.resolve("d/test.csv")), new DataReport());
    WindowBuilder builder = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 16, 4, LengthPolicy.REJECT));
    windows = new ArrayList<>();
    series.forEach(s -> windows.addAll(builder.build(s, new DataReport())));
  }

  private static BytesWritable bytes(Series s) {
    return new BytesWritable(s.toProto().toByteArray());
  }

  /** A batch that survives its source's clear(), as MRUnit keeps the input objects it is given. */
  private static RecordBatch copy(RecordBatch b) throws IOException {
    org.apache.hadoop.io.DataOutputBuffer out = new org.apache.hadoop.io.DataOutputBuffer();
    b.write(out);
    RecordBatch c = new RecordBatch();
    org.apache.hadoop.io.DataInputBuffer in = new org.apache.hadoop.io.DataInputBuffer();
    in.reset(out.getData(), out.getLength());
    c.readFields(in);
    return c;
  }

  /**
   * Runs the mapper over the test series in input batches of 3 records against scoring batches of 5 windows (a
   * slice's 7 windows straddle forward passes and input batches), then three bad records in a batch of their own.
   */
  private static List<String> run(Mapper m, ScoreLines.Per per, MapDriver<LongWritable, RecordBatch, NullWritable,
      Text> d) throws IOException {
    d.getConfiguration().set(JobKeys.MODEL, model.toString());
    d.getConfiguration().setInt(JobKeys.BATCH, 5);
    d.getConfiguration().set(JobKeys.PER, per.name());
    d.withCacheFile(URI.create(packed().toUri() + "#" + ScoreJob.CACHE_NAME));
    RecordBatch records = new RecordBatch();
    long ordinal = 0;
    for (Series s : series) {
      records.add(new Text(s.id()), bytes(s));
      if (records.size() == 3) {
        d.withInput(new LongWritable(ordinal++), copy(records));
        records.clear();
      }
    }
    d.withInput(new LongWritable(ordinal++), copy(records));
    records.clear();
    records.add(new Text("damaged"), new BytesWritable(new byte[] {(byte) 0xff, 1, 2, 3}));
    records.add(new Text("odd"), bytes(new Series("odd", new long[] {0, 1}, new float[4], 2)));
    long[] times = new long[8];
    java.util.Arrays.setAll(times, i -> 60_000L * i);
    records.add(new Text("short"), bytes(new Series("short", times, new float[8], 1)));
    d.withInput(new LongWritable(ordinal), records);
    List<String> lines = new ArrayList<>();
    for (Pair<NullWritable, Text> p : d.run()) {
      lines.addAll(List.of(p.getSecond().toString().split("\n")));
    }
    assertEquals(3, d.getCounters().findCounter(ScoreCounter.REJECTED).getValue());
    assertEquals(List.of("unreadable_window\tdamaged", "wrong_shape\todd", "too_short\tshort"), m.quarantined);
    assertEquals(series.size(), d.getCounters().findCounter(ScoreCounter.SLICES_SCORED).getValue());
    assertEquals(windows.size(), d.getCounters().findCounter(ScoreCounter.WINDOWS_SCORED).getValue());
    return lines;
  }

  @Test
  void aTaskWithoutTheShippedModelSaysSo() {
    MapDriver<LongWritable, RecordBatch, NullWritable, Text> d = MapDriver.newMapDriver(new Mapper());
    d.getConfiguration().set(JobKeys.MODEL, model.toString());
    d.withInput(new LongWritable(0), new RecordBatch());
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, d::run);
    assertTrue(e.getMessage().contains("the job shipped no model"), e.getMessage());
  }

  @Test
  void perWindowScoresLikeTheCoreScorerAndQuarantinesWhatItCannotScore() throws IOException {
    Mapper m = new Mapper();
    MapDriver<LongWritable, RecordBatch, NullWritable, Text> d = MapDriver.newMapDriver(m);
    List<String> lines = run(m, ScoreLines.Per.WINDOW, d);
    List<ScoreResult> expected = ModelBundle.load(model).newScorer().score(windows, 5, false);
    assertEquals(expected.size(), lines.size(), "one line per window");
    long anomalies = 0;
    for (int i = 0; i < expected.size(); i++) {
      ScoreResult r = expected.get(i);
      assertTrue(lines.get(i).startsWith("{\"slice_id\":\"" + r.seriesId() + "\",\"window\":\"" + r.id() + "\",\"start\":\""
          + java.time.Instant.ofEpochMilli(r.startMs()) + "\",\"score\":" + r.score() + ","), lines.get(i));
      anomalies += r.isAnomaly() ? 1 : 0;
    }
    assertTrue(lines.get(0).contains("\"model\":\"bundle\",\"version\":\"sha256:"
        + ModelBundle.load(model).contentHash().substring(0, 12) + "\""), lines.get(0));
    assertEquals(anomalies, d.getCounters().findCounter(ScoreCounter.ANOMALOUS_WINDOWS).getValue());
  }

  @Test
  void perSliceGivesEachSlicesHighestWindowScoreOnce() throws IOException {
    Mapper m = new Mapper();
    MapDriver<LongWritable, RecordBatch, NullWritable, Text> d = MapDriver.newMapDriver(m);
    List<String> lines = run(m, ScoreLines.Per.SLICE, d);
    List<ScoreResult> results = ModelBundle.load(model).newScorer().score(windows, 5, false);
    Map<String, double[]> got = LocalJobRunnerTest.scores(lines);
    assertEquals(series.size(), got.size(), "one line per slice");
    long anomalous = 0;
    for (Series s : series) {
      SliceScore e = SliceScore.of(results.stream().filter(r -> r.seriesId().equals(s.id())).toList());
      assertEquals(7, e.windows());
      assertEquals(e.score(), got.get(s.id())[0], 0.0, s.id() + ": same batches, same bits");
      anomalous += e.isAnomaly() ? 1 : 0;
    }
    assertTrue(lines.get(0).matches("\\{\"slice_id\":\"[^\"]+\",\"score\":[^,]+,\"threshold\":[^,]+,\"is_anomaly\":(true|false),"
        + "\"model\":\"bundle\",\"version\":\"sha256:[0-9a-f]{12}\",\"windows\":7,\"anomalous_windows\":\\d,\"worst_start\":\"[-0-9T:.]+Z\"}"), lines.get(0));
    assertTrue(anomalous > 0, "the synthetic anomalies are found");
    assertEquals(anomalous, d.getCounters().findCounter(ScoreCounter.ANOMALOUS_SLICES).getValue());
  }

  /**
   * A slice far longer than one scorer call (80 windows here: 16 batches of 5) is scored call after call: its
   * windows come off the builder's view as the calls need them, and its per-window lines and its one per-slice
   * line are those of the core scorer over the whole slice.
   */
  @Test
  void aSliceLongerThanAScorerCallIsScoredCallByCallWithTheSameNumbers() throws IOException {
    int n = 1003;
    long[] times = new long[n];
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      times[i] = 1_700_000_000_000L + 60_000L * i;
      values[i] = (float) (Math.sin(i / 3.0) + (i > 700 && i < 720 ? 4 : 0));
    }
    Series lng = new Series("long", times, values, 1);
    List<Window> cut = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 16, 4, LengthPolicy.REJECT))
        .build(lng, new DataReport());
    List<ScoreResult> expected = ModelBundle.load(model).newScorer().score(new ArrayList<>(cut), 5, false);
    assertEquals(248, expected.size(), "(1003 - 16) / 4 + 1 windows and one aligned to the end");
    for (ScoreLines.Per per : ScoreLines.Per.values()) {
      Mapper m = new Mapper();
      MapDriver<LongWritable, RecordBatch, NullWritable, Text> d = MapDriver.newMapDriver(m);
      d.getConfiguration().set(JobKeys.MODEL, model.toString());
      d.getConfiguration().setInt(JobKeys.BATCH, 5);
      d.getConfiguration().set(JobKeys.PER, per.name());
      d.withCacheFile(URI.create(packed().toUri() + "#" + ScoreJob.CACHE_NAME));
      RecordBatch records = new RecordBatch();
      records.add(new Text(lng.id()), bytes(lng));
      d.withInput(new LongWritable(0), records);
      List<String> lines = new ArrayList<>();
      for (Pair<NullWritable, Text> p : d.run()) {
        lines.addAll(List.of(p.getSecond().toString().split("\n")));
      }
      assertEquals(expected.size(), d.getCounters().findCounter(ScoreCounter.WINDOWS_SCORED).getValue());
      assertEquals(1, d.getCounters().findCounter(ScoreCounter.SLICES_SCORED).getValue());
      if (per == ScoreLines.Per.WINDOW) {
        assertEquals(expected.size(), lines.size(), "one line per window, in order");
        for (int i = 0; i < expected.size(); i++) {
          assertTrue(lines.get(i).contains("\"window\":\"" + expected.get(i).id() + "\",")
              && lines.get(i).contains("\"score\":" + expected.get(i).score() + ","), lines.get(i));
        }
      } else if (per == ScoreLines.Per.ROW) {
        assertEquals(1003, lines.size(), "a line per row of the slice, after its last call");
        // Row 0 is covered by the first window alone, the last row by the window aligned to the end alone.
        assertTrue(lines.get(0).contains("\"score\":" + expected.get(0).score() + ","), lines.get(0));
        assertTrue(lines.get(1002).contains("\"score\":" + expected.get(247).score() + ","), lines.get(1002));
      } else {
        SliceScore e = SliceScore.of(expected);
        assertEquals(1, lines.size(), "one line for the slice, after its last call");
        assertEquals(e.score(), LocalJobRunnerTest.scores(lines).get("long")[0], 0.0, "same batches, same bits");
        assertTrue(lines.get(0).contains("\"windows\":248,"), lines.get(0));
        assertTrue(e.isAnomaly(), "the level shift in the slice's last third is found");
      }
    }
  }

  /** The model as the job ships it: one packed file. */
  private static Path packed() throws IOException {
    Path pack = model.resolveSibling("model-pack.pb");
    if (!Files.exists(pack)) {
      Files.write(pack, ModelBundle.pack(model).toByteArray());
    }
    return pack;
  }
}
