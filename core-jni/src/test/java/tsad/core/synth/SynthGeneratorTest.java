package tsad.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthGeneratorTest {
  @TempDir Path dir;

  @Test
  void sameConfigSameBytesOtherSeedOtherBytes() throws IOException {
    SynthConfig cfg = new SynthConfig(50, 32, 2, 0.2, 9);
    new SynthGenerator(cfg).writeCsv(dir.resolve("a"));
    new SynthGenerator(cfg).writeCsv(dir.resolve("b"));
    new SynthGenerator(new SynthConfig(50, 32, 2, 0.2, 10)).writeCsv(dir.resolve("c"));
    for (String f : List.of("train.csv", "test.csv", "labels.csv")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)));
    }
    assertFalse(Files.readString(dir.resolve("a/test.csv")).equals(Files.readString(dir.resolve("c/test.csv"))));
  }

  @Test
  void countsHeadersAndLabels() throws IOException {
    new SynthGenerator(new SynthConfig(100, 16, 1, 0.1, 1)).writeCsv(dir.resolve("u"));
    List<String> train = Files.readAllLines(dir.resolve("u/train.csv"));
    assertEquals("slice_id,time,value", train.get(0));
    assertEquals(1 + 100 * 16, train.size());
    assertEquals("train-000001,2026-01-01T00:00:00Z,", train.get(1).substring(0, 34));
    assertEquals(1 + 100 * 16, Files.readAllLines(dir.resolve("u/test.csv")).size());
    Map<String, Boolean> labels = SynthGenerator.readLabels(dir.resolve("u/labels.csv"));
    assertEquals(100, labels.size());
    assertEquals(10, labels.values().stream().filter(b -> b).count());
    Set<String> kinds = Set.copyOf(SynthGenerator.readKinds(dir.resolve("u/labels.csv")).values());
    assertEquals(Set.of("normal", "spike", "level_shift", "frequency_change", "flat_line", "noise_burst"), kinds);
    new SynthGenerator(new SynthConfig(3, 16, 3, 0, 1)).writeCsv(dir.resolve("m"));
    assertEquals("slice_id,time,value_1,value_2,value_3", Files.readAllLines(dir.resolve("m/train.csv")).get(0));
  }

  @Test
  void valuesAreFiniteAndTimesStepByOneMinute() {
    for (SynthSlice s : new SynthGenerator(new SynthConfig(40, 32, 2, 0.5, 3)).generateTest()) {
      for (int i = 1; i < s.epochMillis().length; i++) {
        assertEquals(60_000, s.epochMillis()[i] - s.epochMillis()[i - 1]);
      }
      for (double[] row : s.values()) {
        for (double v : row) {
          assertTrue(Double.isFinite(v));
        }
      }
    }
  }

  @Test
  void everyAnomalyKindIsVisible() {
    int t = 64;
    Set<AnomalyKind> seen = EnumSet.noneOf(AnomalyKind.class);
    for (SynthSlice s : new SynthGenerator(new SynthConfig(200, t, 1, 0.25, 5)).generateTest()) {
      if (!s.isAnomaly()) {
        continue;
      }
      seen.add(s.kind());
      double[] v = new double[t];
      for (int i = 0; i < t; i++) {
        v[i] = s.values()[i][0];
      }
      switch (s.kind()) {
        case FLAT_LINE -> assertTrue(longestRun(v) >= t / 4, "stuck for at least T/4 steps");
        case SPIKE -> assertTrue(maxJump(v) > 2.0, "a spike stands out from its neighbours");
        case LEVEL_SHIFT -> assertTrue(Math.abs(mean(v, t - t / 4, t) - mean(v, 0, t / 4)) > 0.5, "level moved");
        default -> { }
      }
    }
    assertEquals(EnumSet.allOf(AnomalyKind.class), seen);
    // Each kind against its normal twin drawn from the same random stream: a clear, local change.
    SynthGenerator g = new SynthGenerator(new SynthConfig(1, t, 1, 0, 5));
    for (AnomalyKind kind : AnomalyKind.values()) {
      for (int seed = 0; seed < 20; seed++) {
        double[][] normal = g.slice("x", 0, new java.util.Random(seed), null).values();
        double[][] odd = g.slice("x", 0, new java.util.Random(seed), kind).values();
        double maxDiff = 0;
        int changed = 0;
        for (int i = 0; i < t; i++) {
          double d = Math.abs(odd[i][0] - normal[i][0]);
          maxDiff = Math.max(maxDiff, d);
          changed += d > 1e-12 ? 1 : 0;
        }
        // Noise bursts change values by (6..10 - 1) x 0.08 x |N(0,1)|: smaller, but far above normal noise.
        double min = kind == AnomalyKind.NOISE_BURST ? 0.3 : 0.5;
        assertTrue(maxDiff > min, kind + " seed " + seed + ": largest change " + maxDiff);
        assertTrue(changed < t || kind == AnomalyKind.LEVEL_SHIFT, kind + " is local, not the whole slice");
      }
    }
  }

  @Test
  void badConfigsSayWhichOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new SynthConfig(0, 64, 1, 0.1, 1)).getMessage()
        .contains("--slices"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new SynthConfig(1, 4, 1, 0.1, 1)).getMessage()
        .contains("--length"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new SynthConfig(1, 64, 1, 1.5, 1)).getMessage()
        .contains("--anomaly-rate"));
  }

  private static int longestRun(double[] v) {
    int best = 1;
    int run = 1;
    for (int i = 1; i < v.length; i++) {
      run = v[i] == v[i - 1] ? run + 1 : 1;
      best = Math.max(best, run);
    }
    return best;
  }

  private static double maxJump(double[] v) {
    double m = 0;
    for (int i = 1; i + 1 < v.length; i++) {
      m = Math.max(m, Math.abs(v[i] - (v[i - 1] + v[i + 1]) / 2));
    }
    return m;
  }

  private static double mean(double[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
    }
    return s / (to - from);
  }
}
