package tsad.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each planted anomaly is compared with the slice's normal twin (same stream state, no anomaly): the two agree bit
 * for bit outside the anomaly, and inside it the change has the documented shape and size.
 */
class SynthAnomalyTest {
  private static final int T = 64;
  private static final int F = 3;
  private static final int SLICES = 150;
  /** Amplitude bounds: a in [0.8, 1.2]. */
  private static final double A_MIN = 0.8;
  private static final double A_MAX = 1.2;

  private static final long[] TIMES = new long[T];

  @Test
  void spikesAreOneToThreeIsolatedPointsOfThreeToFiveAmplitudes() {
    for (int i = 0; i < SLICES; i++) {
      double[][] odd = draw(i, AnomalyKind.SPIKE);
      double[][] twin = draw(i, null);
      List<Integer> changed = changedSteps(odd, twin);
      assertTrue(changed.size() >= 1 && changed.size() <= 3, "spike count " + changed);
      for (int k = 0; k < changed.size(); k++) {
        int s = changed.get(k);
        assertTrue(s >= 1 && s <= T - 2, "spike has two neighbours: " + s);
        assertTrue(k == 0 || s - changed.get(k - 1) >= 2, "spikes are not adjacent: " + changed);
        double jump = assertSameOnAllFeatures(odd[s], twin[s]);
        assertTrue(Math.abs(jump) >= 3 * A_MIN && Math.abs(jump) <= 5 * A_MAX, "jump " + jump);
      }
      // Seen without the twin: the spike towers over its neighbours, normal data never does.
      assertTrue(maxJump(column(odd, 0)) > 2.0, "spike stands out");
      assertTrue(maxJump(column(twin, 0)) < 1.0, "normal curvature is small");
    }
  }

  @Test
  void levelShiftsMoveEverythingFromTheMiddleHalfOn() {
    for (int i = 0; i < SLICES; i++) {
      double[][] odd = draw(i, AnomalyKind.LEVEL_SHIFT);
      double[][] twin = draw(i, null);
      List<Integer> changed = changedSteps(odd, twin);
      int from = changed.get(0);
      assertTrue(from >= T / 4 && from < 3 * T / 4, "shift starts in the middle half: " + from);
      assertEquals(T - from, changed.size(), "shift lasts to the end");
      double shift = assertSameOnAllFeatures(odd[from], twin[from]);
      assertTrue(Math.abs(shift) >= 1.2 * A_MIN && Math.abs(shift) <= 2.0 * A_MAX, "shift " + shift);
      for (int s = from; s < T; s++) {
        assertEquals(shift, odd[s][0] - twin[s][0], 1e-9, "constant shift");
      }
    }
  }

  @Test
  void frequencyChangesSpeedUpTheOscillationInsideOneSegment() {
    for (int i = 0; i < SLICES; i++) {
      double[][] odd = draw(i, AnomalyKind.FREQUENCY_CHANGE);
      double[][] twin = draw(i, null);
      List<Integer> changed = changedSteps(odd, twin);
      assertLocalSegment(changed);
      assertTrue(changed.get(0) >= 1, "phase continuous: the segment's first step keeps its value");
      for (int j = 0; j < F; j++) {
        double[] x = column(odd, j);
        double[] n = column(twin, j);
        assertTrue(maxAbsDiff(x, n) > 0.5, "visible change on feature " + j);
        // A faster tone travels further: total variation grows.
        assertTrue(totalVariation(x) > totalVariation(n), "more movement on feature " + j);
      }
    }
  }

  @Test
  void flatLinesAreStuckAtTheSegmentStartValue() {
    for (int i = 0; i < SLICES; i++) {
      double[][] odd = draw(i, AnomalyKind.FLAT_LINE);
      double[][] twin = draw(i, null);
      List<Integer> changed = changedSteps(odd, twin);
      assertLocalSegment(changed);
      // The first changed step follows the segment start, whose (noisy) reading is the one that sticks.
      int start = changed.get(0) - 1;
      assertTrue(start >= 0);
      for (int j = 0; j < F; j++) {
        int run = longestRun(column(odd, j));
        assertTrue(run >= T / 4 && run <= T / 2, "stuck for " + run + " steps");
        assertEquals(1, longestRun(column(twin, j)), "noise never repeats a value in normal data");
        assertEquals(twin[start][j], odd[changed.get(changed.size() - 1)][j], "stuck at the segment start value");
      }
    }
  }

  @Test
  void noiseBurstsAreMuchNoisierInsideOneSegment() {
    for (int i = 0; i < SLICES; i++) {
      double[][] odd = draw(i, AnomalyKind.NOISE_BURST);
      double[][] twin = draw(i, null);
      assertLocalSegment(changedSteps(odd, twin));
      for (int j = 0; j < F; j++) {
        double[] x = column(odd, j);
        double[] n = column(twin, j);
        // Second differences cancel most of the smooth signal and measure the noise.
        assertTrue(secondDiffEnergy(x) > 1.1 * secondDiffEnergy(n), "rougher on feature " + j);
        assertTrue(maxAbsDiff(x, n) > 0.25, "visible change on feature " + j);
      }
    }
  }

  @Test
  void generatedTestSlicesCarryTheAnomalyTheirLabelNames() {
    Set<AnomalyKind> seen = EnumSet.noneOf(AnomalyKind.class);
    SynthGenerator gen = new SynthGenerator(new SynthConfig(100, T, 1, 0.3, 23));
    List<SynthSlice> test = gen.generateTest();
    for (int i = 0; i < test.size(); i++) {
      SynthSlice s = test.get(i);
      double[][] twin = gen.testSlice(i, null).values();
      if (s.isAnomaly()) {
        seen.add(s.kind());
        assertTrue(!changedSteps(s.values(), twin).isEmpty(), s.sliceId() + " differs from its normal twin");
        assertEquals(s.kind(), gen.testKinds()[i]);
      } else {
        assertTrue(changedSteps(s.values(), twin).isEmpty(), s.sliceId() + " is its own normal twin");
      }
    }
    assertEquals(EnumSet.allOf(AnomalyKind.class), seen);
  }

  /** The slice drawn from a fresh stream seeded with {@code seed}, with {@code kind} planted (null: normal twin). */
  private static double[][] draw(long seed, AnomalyKind kind) {
    return SliceSynth.make("x", TIMES, F, new Random(seed * 7919 + 17), kind).values();
  }

  /** The changed steps fit in one window of at most T/2 steps: the anomaly is local. */
  private static void assertLocalSegment(List<Integer> changed) {
    assertTrue(!changed.isEmpty(), "something changed");
    int width = changed.get(changed.size() - 1) - changed.get(0) + 1;
    assertTrue(width <= T / 2, "segment of " + width + " steps");
  }

  /** Returns the value change, after checking every feature changed by the same amount. */
  private static double assertSameOnAllFeatures(double[] odd, double[] twin) {
    double d = odd[0] - twin[0];
    for (int j = 1; j < odd.length; j++) {
      assertEquals(d, odd[j] - twin[j], 1e-9, "all features move together");
    }
    return d;
  }

  private static List<Integer> changedSteps(double[][] a, double[][] b) {
    List<Integer> out = new ArrayList<>();
    for (int s = 0; s < a.length; s++) {
      for (int j = 0; j < a[s].length; j++) {
        if (a[s][j] != b[s][j]) {
          out.add(s);
          break;
        }
      }
    }
    return out;
  }

  private static double[] column(double[][] v, int j) {
    double[] c = new double[v.length];
    for (int s = 0; s < v.length; s++) {
      c[s] = v[s][j];
    }
    return c;
  }

  private static double maxAbsDiff(double[] x, double[] y) {
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs(x[i] - y[i]));
    }
    return m;
  }

  private static double maxJump(double[] v) {
    double m = 0;
    for (int i = 1; i + 1 < v.length; i++) {
      m = Math.max(m, Math.abs(v[i] - (v[i - 1] + v[i + 1]) / 2));
    }
    return m;
  }

  private static double totalVariation(double[] v) {
    double s = 0;
    for (int i = 1; i < v.length; i++) {
      s += Math.abs(v[i] - v[i - 1]);
    }
    return s;
  }

  private static double secondDiffEnergy(double[] v) {
    double s = 0;
    for (int i = 1; i + 1 < v.length; i++) {
      double d = v[i + 1] - 2 * v[i] + v[i - 1];
      s += d * d;
    }
    return s;
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
}
