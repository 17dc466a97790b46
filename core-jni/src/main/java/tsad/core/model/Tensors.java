package tsad.core.model;

import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;

/** Moves windows into libtorch tensors and results back, with one copy each way. */
public final class Tensors {
  private Tensors() {}

  /** A (n, T, F) float tensor of the scaled windows {@code from..from+n-1}, written straight into native memory. */
  public static Tensor windows(List<Window> windows, int from, int n, Scaler scaler) {
    Window first = windows.get(from);
    int t = first.steps();
    int f = first.features();
    Tensor x = torch.empty(n, t, f);
    float[] row = new float[t * f];
    FloatBuffer buf = x.data_ptr_float().capacity((long) n * t * f).asBuffer();
    for (int i = 0; i < n; i++) {
      Window w = windows.get(from + i);
      if (w.steps() != t || w.features() != f) {
        throw new IllegalArgumentException("window " + w.id() + " is " + w.steps() + "x" + w.features()
            + ", the batch is " + t + "x" + f);
      }
      scaler.transform(w.values(), row, 0);
      buf.put(row);
    }
    return x;
  }

  /** Copies a float tensor (any shape, made contiguous) into a new Java array. */
  public static float[] toArray(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }
}
