package tsad.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slice sample: the fraction it keeps, that it depends on id and seed only, and its argument check. */
class SliceSampleTest {
  private static List<String> kept(SliceSample s, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("device-%06d", i);
      if (s.keep(id)) {
        out.add(id);
      }
    }
    return out;
  }

  @Test
  void keepsAboutTheFractionOfSequentialIds() {
    for (double f : new double[] {0.01, 0.1, 0.3, 0.5, 0.9}) {
      int n = 20_000;
      int k = kept(SliceSample.of(f, 42), n).size();
      // Binomial: within five standard deviations.
      double sd = Math.sqrt(n * f * (1 - f));
      assertTrue(Math.abs(k - n * f) < 5 * sd, f + ": kept " + k + " of " + n);
    }
  }

  @Test
  void theSameIdAndSeedGiveTheSameChoiceAnotherSeedAnother() {
    List<String> a = kept(SliceSample.of(0.5, 7), 2000);
    assertEquals(a, kept(SliceSample.of(0.5, 7), 2000));
    assertNotEquals(a, kept(SliceSample.of(0.5, 8), 2000));
    // A smaller fraction with the same seed keeps a subset: growing the sample only adds slices.
    assertTrue(a.containsAll(kept(SliceSample.of(0.25, 7), 2000)));
  }

  @Test
  void allKeepsEverySliceAndBadFractionsAreRefused() {
    assertSame(SliceSample.ALL, SliceSample.of(1.0, 3));
    assertEquals(1000, kept(SliceSample.ALL, 1000).size());
    for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
      DataException e = assertThrows(DataException.class, () -> SliceSample.of(bad, 1));
      assertTrue(e.getMessage().startsWith("--sample-slices must be in (0, 1]"), e.getMessage());
    }
  }
}
