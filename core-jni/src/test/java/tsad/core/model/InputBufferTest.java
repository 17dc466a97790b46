package tsad.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static tsad.core.Expect.assertThrowsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

class InputBufferTest {
  private static Series series(String id, int n, int f, long seed) {
    Random r = new Random(seed);
    long[] times = new long[n];
    float[] v = new float[n * f];
    for (int i = 0; i < n; i++) {
      times[i] = 60_000L * i;
      for (int j = 0; j < f; j++) {
        v[i * f + j] = (float) (Math.sin(i / 7.0 + j) * (j + 2) * 50 + r.nextGaussian());
      }
    }
    return new Series(id, times, v, f);
  }

  private static List<Window> windows(Series s, int stride) {
    return new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 16, stride, LengthPolicy.PAD)).build(s,
        new DataReport());
  }

  @Test
  void refilledRowsHoldTheSameBitsAsAFreshTensorOfScaledCopies() {
    for (int f : new int[] {1, 3}) {
      float[] center = new float[f];
      float[] inverse = new float[f];
      for (int j = 0; j < f; j++) {
        center[j] = 0.37f * (j + 1);
        inverse[j] = 1f / (13.1f + j);
      }
      // Overlapping views of two slices (Java scales each run once), gapped ones at a stride above T and copies
      // (libtorch scales), and a padded tail window: every kind, mixed in and across batches.
      List<Window> all = new ArrayList<>(windows(series("a", 90, f, f), 1));
      all.addAll(windows(series("b", 61, f, f + 10), 3));
      all.addAll(windows(series("c", 200, f, f + 20), 20));
      for (Window w : windows(series("d", 40, f, f + 30), 2)) {
        all.add(new Window(null, w.seriesId(), w.startMs(), w.endMs(), w.steps(), f, w.validSteps(), w.index(),
            w.values()));
      }
      try (PointerScope scope = new PointerScope()) {
        Tensor c = Tensors.of(center, f);
        Tensor inv = Tensors.of(inverse, f);
        for (int batch : new int[] {1, 7, 64, all.size()}) {
          InputBuffer buffer = new InputBuffer(batch, 16, f, c, inv, center, inverse);
          for (int from = 0; from < all.size(); from += batch) {
            int n = Math.min(batch, all.size() - from);
            assertArrayEquals(Tensors.toArray(Tensors.windows(all, from, n, c, inv)),
                Tensors.toArray(buffer.fill(all, from, n)), 0f, "f=" + f + ", batch " + batch + " from " + from);
          }
        }
      }
    }
  }

  @Test
  void windowsOfAnotherShapeOrTooManyAreRefused() {
    List<Window> w = windows(series("a", 40, 2, 1), 1);
    try (PointerScope scope = new PointerScope()) {
      float[] one = {0f, 0f};
      Tensor c = Tensors.of(one, 2);
      InputBuffer buffer = new InputBuffer(8, 16, 2, c, c, one, one);
      assertThrowsWith(IllegalArgumentException.class, "9 windows do not fit an input buffer of 8",
          () -> buffer.fill(w, 0, 9));
      assertThrowsWith(IllegalArgumentException.class, "the scaler has 2 features, the windows 3",
          () -> new InputBuffer(8, 16, 3, c, c, one, one));
      InputBuffer other = new InputBuffer(8, 12, 2, c, c, one, one);
      assertThrowsWith(IllegalArgumentException.class, "is 16x2, the batch is 12x2", () -> other.fill(w, 0, 8));
    }
  }
}
