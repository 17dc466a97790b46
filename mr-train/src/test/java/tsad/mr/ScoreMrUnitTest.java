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
 * MRUnit test of the score mapper: the bundle comes through the (MRUnit) distributed cache, windows are scored in
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

  @Test
  void scoresLikeTheCoreScorerAndQuarantinesWhatItCannotScore() throws IOException {
    Mapper m = new Mapper();
    MapDriver<Text, BytesWritable, NullWritable, Text> d = MapDriver.newMapDriver(m);
    d.getConfiguration().set(ScoreJob.MODEL, model.toString());
    d.getConfiguration().setInt(ScoreJob.BATCH, 7); // batches of 7 and a partial last one
    try (Stream<Path> files = Files.list(model)) {
      for (Path f : files.toList()) {
        d.withCacheFile(URI.create(f.toUri() + "#" + ScoreJob.CACHE_PREFIX + f.getFileName()));
      }
    }
    for (Window w : windows) {
      d.withInput(new Text(w.id()), bytes(w));
    }
    d.withInput(new Text("damaged"), new BytesWritable(new byte[] {(byte) 0xff, 1, 2, 3}));
    Window odd = new Window("odd", "odd", 0, 0, 8, 1, 8, 0, new float[8]);
    d.withInput(new Text("odd"), bytes(odd));
    List<Pair<NullWritable, Text>> out = d.run();

    ModelBundle bundle = ModelBundle.load(model);
    List<ScoreResult> expected = bundle.newScorer().score(windows, 7, false);
    assertEquals(expected.size(), out.size(), "one line per scorable window");
    Map<String, double[]> got = LocalJobRunnerTest.scores(out.stream().map(p -> p.getSecond().toString()).toList());
    long anomalies = 0;
    for (ScoreResult r : expected) {
      assertEquals(r.score(), got.get(r.seriesId())[0], 0.0, r.seriesId() + ": same batches, same bits");
      anomalies += r.isAnomaly() ? 1 : 0;
    }
    assertTrue(out.get(0).getSecond().toString().contains("\"model\":\"" + model + "\""), out.get(0).toString());
    assertEquals(expected.size(), d.getCounters().findCounter(ScoreMapper.COUNTERS, "scored").getValue());
    assertEquals(anomalies, d.getCounters().findCounter(ScoreMapper.COUNTERS, "anomalies").getValue());
    assertEquals(2, d.getCounters().findCounter(ScoreMapper.COUNTERS, "rejected").getValue());
    assertEquals(List.of("unreadable_window\tdamaged", "wrong_shape\todd"), m.quarantined);
  }
}
