package tsad.core.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tsad.core.window.Window;
import tsad.proto.FeatureStats;
import tsad.proto.ScalerParams;

/** Mergeable feature statistics agree with the scaler fitted on all windows, however the windows are split. */
class FeatureStatisticsTest {
  private static List<Window> windows(int n, Random r) {
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[8 * 2];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) (k % 2 == 0 ? 1000 + 3 * r.nextGaussian() : r.nextDouble());
      }
      // Every third window is padded: only its first 5 steps count, as in the scaler.
      out.add(new Window("w" + i, "s" + i, 0, 0, 8, 2, i % 3 == 0 ? 5 : 8, 0, v));
    }
    return out;
  }

  @Test
  void mergedPartsEqualTheScalerOnAllWindows() {
    List<Window> all = windows(300, new Random(1));
    List<String> names = List.of("a", "b");
    FeatureStatistics total = new FeatureStatistics(names);
    for (int part = 0; part < 3; part++) {
      FeatureStatistics p = new FeatureStatistics(names);
      for (int i = part; i < all.size(); i += 3) {
        p.add(all.get(i));
      }
      total.merge(p.toProto());
    }
    total.merge(new FeatureStatistics(names).toProto()); // an empty task changes nothing
    Scaler standard = Scaler.fit(ScalerParams.Kind.STANDARD, all, names);
    Scaler minmax = Scaler.fit(ScalerParams.Kind.MINMAX, all, names);
    List<FeatureStats> s = total.toProto();
    for (int j = 0; j < 2; j++) {
      assertEquals(standard.params().getFittedValues(), s.get(j).getCount());
      assertEquals(standard.params().getCenter(j), s.get(j).getMean(), 1e-9 * Math.abs(s.get(j).getMean()));
      assertEquals(standard.params().getScale(j), FeatureStatistics.std(s.get(j)), 1e-9);
      assertEquals(minmax.params().getCenter(j), s.get(j).getMin(), 0.0);
      assertEquals(minmax.params().getScale(j), s.get(j).getMax() - s.get(j).getMin(), 1e-12);
    }
  }
}
