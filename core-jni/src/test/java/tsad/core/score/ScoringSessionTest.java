package tsad.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.bundle.Compatibility;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataReport;
import tsad.core.model.Autoencoder;
import tsad.core.model.Fixtures;
import tsad.core.model.TorchRuntime;
import tsad.core.scale.Scaler;
import tsad.core.train.Gate;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainPipeline;
import tsad.core.train.TrainRequest;
import tsad.core.train.TrainingException;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowSpec;
import tsad.proto.Aggregation;
import tsad.proto.Architecture;
import tsad.proto.LengthPolicy;
import tsad.proto.ModelSpec;
import tsad.proto.WindowMode;

class ScoringSessionTest {
  @TempDir static Path dir;
  static ModelBundle bundle;
  static List<Window> data;

  @BeforeAll
  static void trainOnce() {
    TorchRuntime.threads(1);
    data = Fixtures.sines(40, 16, 2, 5);
    WindowSpec spec = new WindowSpec(WindowMode.SLICE, 16, 16, LengthPolicy.REJECT);
    TrainRequest req = new TrainRequest(ModelSpec.newBuilder().setArch(Architecture.DENSE).build(),
        Inputs.dataSpec(CsvOptions.defaults(), spec, List.of("a", "b")), Fixtures.quick(2), dir.resolve("m"), false,
        "");
    bundle = TrainPipeline.run(data, List.of("a", "b"), new DataReport(), req, TrainListener.NONE).bundle();
  }

  @Test
  void streamedLinesAreTheLinesOfOneScorerCallWithTheModelsIdentity() throws Exception {
    ScoringSession.Identity id = ScoringSession.Identity.of("", "", bundle);
    assertEquals("bundle", id.model());
    assertEquals("sha256:" + bundle.contentHash().substring(0, 12), id.version());
    assertEquals(new ScoringSession.Identity("fleet", "7"), ScoringSession.Identity.of("fleet", "7", bundle));
    StringBuilder streamed = new StringBuilder();
    List<Integer> writes = new ArrayList<>();
    try (ScoringSession s = new ScoringSession(bundle, id)) {
      // Batches of 3: 16 calls' worth would be 48 windows, so the 40 windows are one partial call.
      ScoringSession.Lines lines = s.lines("jsonl", ScoreLines.Per.WINDOW, 3, false, b -> {
        writes.add(b.length());
        streamed.append(b);
      });
      for (Window w : data) {
        lines.add(w);
      }
      lines.finish();
      assertEquals(40, lines.counts().lines());
      StringBuilder expected = new StringBuilder();
      try (Scorer direct = bundle.newScorer()) {
        ScoreLines out = new ScoreLines("jsonl", ScoreLines.Per.WINDOW, false, new String[] {"a", "b"},
            "model", "bundle", "version", id.version());
        for (ScoreResult r : direct.score(data, 3, false)) {
          out.add(r, expected);
        }
        out.finish(expected);
      }
      assertEquals(expected.toString(), streamed.toString());
      assertTrue(streamed.toString().contains("\"model\":\"bundle\",\"version\":\"" + id.version() + "\""));
      assertFalse(writes.isEmpty());
    }
  }

  @Test
  void aScorerThatOwnsItsModelFreesItAndOneThatBorrowsDoesNot() {
    Scaler scaler = new Scaler(bundle.scaler());
    Autoencoder borrowed = bundle.newModel();
    try (Scorer s = new Scorer(borrowed, scaler, Aggregation.MEAN, 0)) {
      s.scores(data, 8);
    }
    assertFalse(borrowed.isNull(), "a borrowing scorer leaves the model to its owner");
    borrowed.close();
    assertTrue(borrowed.isNull(), "closing the model frees it");
    Autoencoder owned = bundle.newModel();
    Scorer s = Scorer.owning(owned, scaler, Aggregation.MEAN, 0);
    s.close();
    assertTrue(owned.isNull(), "an owning scorer frees its model");
    s.close(); // twice is harmless
  }

  @Test
  void featuresAreMatchedByName() {
    Compatibility c = Compatibility.of(bundle);
    assertEquals(List.of("a", "b"), c.columnsToRead(null));
    assertEquals(List.of("a", "b"), c.columnsToRead(List.of("b", "a")), "the same names are read in model order");
    Compatibility.Mismatch e = assertThrows(Compatibility.Mismatch.class, () -> c.columnsToRead(List.of("a", "x")));
    assertEquals(Compatibility.Reason.FEATURE_NAMES, e.reason());
    assertTrue(e.getMessage().contains("missing: b") && e.getMessage().contains("not model features: x"),
        e.getMessage());
    assertThrows(Compatibility.Mismatch.class, () -> c.columnsToRead(List.of("a", "a")));
    assertEquals(Compatibility.Reason.FEATURE_COUNT,
        assertThrows(Compatibility.Mismatch.class, () -> c.requireWindows(16, 3, "x")).reason());
    assertEquals(Compatibility.Reason.WINDOW_LENGTH,
        assertThrows(Compatibility.Mismatch.class, () -> c.requireWindows(8, 2, "x")).reason());
    c.requireFeatureNames(List.of("a", "b"), "x");
    assertTrue(assertThrows(Compatibility.Mismatch.class, () -> c.requireFeatureNames(List.of("b", "a"), "x"))
        .getMessage().contains("another order"));
  }

  @Test
  void theGateComparesOnTheSameWindowsAndRefusesNone() {
    Gate self = Gate.compare(bundle, bundle, data);
    assertEquals(self.parentError(), self.newError(), 0, "a model against itself");
    assertTrue(self.passes(0));
    assertThrows(TrainingException.class, () -> Gate.compare(bundle, bundle, List.of()));
    assertThrows(TrainingException.class, () -> Gate.heldOut(bundle, List.of()));
    Gate.HeldOut held = Gate.heldOut(bundle, data);
    assertFalse(held.all());
    assertTrue(held.windows().size() > 0 && held.windows().size() < data.size());
  }

  @Test
  void aRowsScoreIsTheMeanOfTheWindowsCoveringIt() throws Exception {
    // A window-mode model (T=16, stride 4) over one 30-step series: windows start at rows 0, 4, 8, 12 and, aligned to
    // the end, 14.
    tsad.core.data.Series s = seriesOf(30);
    List<Window> windows = new tsad.core.window.WindowBuilder(new WindowSpec(WindowMode.WINDOW, 16, 4,
        LengthPolicy.REJECT)).build(s, new DataReport());
    assertEquals(5, windows.size());
    StringBuilder rows = new StringBuilder();
    double[] scores;
    try (ScoringSession session = new ScoringSession(bundle, ScoringSession.Identity.of("", "", bundle));
         Scorer direct = bundle.newScorer()) {
      ScoringSession.Lines lines = session.lines("tsv", ScoreLines.Per.ROW, 256, false, rows::append);
      assertTrue(lines.perRow());
      lines.series(s);
      for (Window w : windows) {
        lines.add(w);
      }
      lines.finish();
      scores = direct.scores(windows, 256);
      assertEquals(30, lines.counts().lines());
    }
    String[] out = rows.toString().split("\n");
    assertEquals(30, out.length);
    int[] starts = {0, 4, 8, 12, 14};
    for (int row = 0; row < 30; row++) {
      double sum = 0;
      int n = 0;
      for (int k = 0; k < starts.length; k++) {
        if (row >= starts[k] && row < starts[k] + 16) {
          sum += scores[k];
          n++;
        }
      }
      String[] f = out[row].split("\t");
      assertEquals(s.id(), f[0]);
      assertEquals(java.time.Instant.ofEpochMilli(s.timesMs()[row]).toString(), f[1]);
      assertEquals(sum / n, Double.parseDouble(f[2]), 1e-12, "row " + row);
      assertEquals(Boolean.toString(sum / n > bundle.threshold().getValue()), f[4]);
    }
  }

  private static tsad.core.data.Series seriesOf(int n) {
    long[] t = new long[n];
    float[] v = new float[n * 2];
    for (int i = 0; i < n; i++) {
      t[i] = 1_700_000_000_000L + 60_000L * i;
      v[2 * i] = (float) Math.sin(i / 3.0);
      v[2 * i + 1] = (float) Math.cos(i / 3.0);
    }
    return new tsad.core.data.Series("r", t, v, 2);
  }
}
