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
import java.util.stream.Stream;
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
import tsad.core.score.ScoreResult;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/**
 * MRUnit test of the score mapper (its input batches round-trip through their Writable form): the bundle comes through the (MRUnit) distributed cache, windows are scored in
 * batches with the same numbers as the core scorer, counters count scored, anomalous and rejected windows, and
 * unreadable or wrongly shaped records are quarantined with their reason instead of failing the task.
 */
class ScoreMrUnitTest {
  @TempDir static Path dir;
  static Path model;
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
  static void trainTinyModel() throws IOException {
    new SynthGenerator(new SynthConfig(40, 16, 1, 0.2, 5)).writeCsv(dir.resolve("d"));
    model = dir.resolve("model");
    MainTest.Run train = MainTest.tsad("train", "--input", dir.resolve("d/train.csv").toString(), "--model-out",
        model.toString(), "--window", "16", "--epochs", "2", "--threads", "1", "--quiet");
    assertEquals(0, train.code(), train.err());
    windows = Inputs.read(List.of(dir.resolve("d/test.csv")), CsvOptions.defaults(),
        new WindowSpec(WindowMode.SLICE, 16, 8, LengthPolicy.REJECT), new DataReport()).windows();
  }

  private static BytesWritable bytes(Window w) {
    byte[] b = w.toProto().toByteArray();
    return new BytesWritable(b);
  }

  /** A batch that survives its source's clear(), as MRUnit keeps the input objects it is given. */
  private static WindowBatch copy(WindowBatch b) throws IOException {
    org.apache.hadoop.io.DataOutputBuffer out = new org.apache.hadoop.io.DataOutputBuffer();
    b.write(out);
    WindowBatch c = new WindowBatch();
    org.apache.hadoop.io.DataInputBuffer in = new org.apache.hadoop.io.DataInputBuffer();
    in.reset(out.getData(), out.getLength());
    c.readFields(in);
    return c;
  }

  @Test
  void scoresLikeTheCoreScorerAndQuarantinesWhatItCannotScore() throws IOException {
    Mapper m = new Mapper();
    MapDriver<LongWritable, WindowBatch, NullWritable, Text> d = MapDriver.newMapDriver(m);
    d.getConfiguration().set(ScoreJob.MODEL, model.toString());
    d.getConfiguration().setInt(ScoreJob.BATCH, 7); // batches of 7 and a partial last one
    try (Stream<Path> files = Files.list(model)) {
      for (Path f : files.toList()) {
        d.withCacheFile(URI.create(f.toUri() + "#" + ScoreJob.CACHE_PREFIX + f.getFileName()));
      }
    }
    // Input batches of 5 records (as the input format cuts them) against scoring batches of 7: windows are
    // carried over from one input batch to the next; the two bad records come last, in a batch of their own.
    WindowBatch records = new WindowBatch();
    long ordinal = 0;
    for (Window w : windows) {
      records.add(new Text(w.id()), bytes(w));
      if (records.size() == 5) {
        d.withInput(new LongWritable(ordinal++), copy(records));
        records.clear();
      }
    }
    records.add(new Text("damaged"), new BytesWritable(new byte[] {(byte) 0xff, 1, 2, 3}));
    Window odd = new Window("odd", "odd", 0, 0, 8, 1, 8, 0, new float[8]);
    records.add(new Text("odd"), bytes(odd));
    d.withInput(new LongWritable(ordinal), records);
    List<String> lines = new ArrayList<>();
    for (Pair<NullWritable, Text> p : d.run()) {
      lines.addAll(List.of(p.getSecond().toString().split("\n")));
    }

    ModelBundle bundle = ModelBundle.load(model);
    List<ScoreResult> expected = bundle.newScorer().score(windows, 7, false);
    assertEquals(expected.size(), lines.size(), "one line per scorable window");
    Map<String, double[]> got = LocalJobRunnerTest.scores(lines);
    long anomalies = 0;
    for (ScoreResult r : expected) {
      assertEquals(r.score(), got.get(r.seriesId())[0], 0.0, r.seriesId() + ": same batches, same bits");
      anomalies += r.isAnomaly() ? 1 : 0;
    }
    assertTrue(lines.get(0).contains("\"model\":\"" + model + "\""), lines.get(0));
    assertEquals(expected.size(), d.getCounters().findCounter(ScoreMapper.COUNTERS, "scored").getValue());
    assertEquals(anomalies, d.getCounters().findCounter(ScoreMapper.COUNTERS, "anomalies").getValue());
    assertEquals(2, d.getCounters().findCounter(ScoreMapper.COUNTERS, "rejected").getValue());
    assertEquals(List.of("unreadable_window\tdamaged", "wrong_shape\todd"), m.quarantined);
  }
}
