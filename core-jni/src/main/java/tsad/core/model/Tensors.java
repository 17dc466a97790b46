package tsad.core.model;

import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;

/** Moves windows into libtorch tensors and results back, with one copy each way. */
public final class Tensors {
  private Tensors() {}

  /**
   * A (n, T, F) float tensor of the scaled windows {@code from..from+n-1}: raw values are bulk-copied into
   * native memory and scaled in place by libtorch, (x - center) * (1 / scale) in float32 (measured faster
   * than scaling in Java first); the one scaling path of training and every scoring path.
   */
  public static Tensor windows(List<Window> windows, int from, int n, Scaler scaler) {
    try (Tensor center = vector(scaler.center()); Tensor inv = vector(scaler.inverseScale())) {
      return windows(windows, from, n, center, inv);
    }
  }

  /**
   * The same as {@link #windows(List, int, int, Scaler)} with the scaler's center and 1 / scale already in (F)
   * tensors (see {@link #persistent}), so a caller scoring one window at a time does not rebuild them per call.
   */
  public static Tensor windows(List<Window> windows, int from, int n, Tensor center, Tensor inverseScale) {
    return windows(windows, from, n, center, inverseScale, null, null);
  }

  /**
   * Up to this many values, a batch is scaled in Java while it is copied: two native calls cost more than the
   * arithmetic for a window or two (the Hive UDF scores one slice per call). The same float32 operations in the
   * same order, so both ways give the same bits (tested).
   */
  static final int SCALE_IN_JAVA_MAX_VALUES = 2048;

  /**
   * The same, with the scaler also given as Java arrays ({@code centerValues}, {@code inverseScaleValues}; may be
   * null), which small batches are scaled with while they are copied.
   */
  public static Tensor windows(List<Window> windows, int from, int n, Tensor center, Tensor inverseScale,
      float[] centerValues, float[] inverseScaleValues) {
    Window first = windows.get(from);
    int t = first.steps();
    int f = first.features();
    if (center.numel() != f) {
      throw new IllegalArgumentException("the scaler has " + center.numel() + " features, the windows " + f);
    }
    Tensor x = torch.empty(n, t, f);
    FloatBuffer buf = x.data_ptr_float().capacity((long) n * t * f).asBuffer();
    boolean inJava = centerValues != null && inverseScaleValues != null && (long) n * t * f <= SCALE_IN_JAVA_MAX_VALUES;
    float[] scaled = inJava ? new float[t * f] : null;
    for (int i = 0; i < n; i++) {
      Window w = windows.get(from + i);
      if (w.steps() != t || w.features() != f) {
        throw new IllegalArgumentException("window " + w.id() + " is " + w.steps() + "x" + w.features()
            + ", the batch is " + t + "x" + f);
      }
      if (inJava) {
        float[] v = w.values();
        for (int k = 0; k < scaled.length; k++) {
          int j = k % f;
          scaled[k] = (v[k] - centerValues[j]) * inverseScaleValues[j];
        }
        buf.put(scaled);
      } else {
        buf.put(w.values());
      }
    }
    if (!inJava) {
      x.sub_(center).mul_(inverseScale);
    }
    return x;
  }

  /**
   * A (F) float tensor that outlives every PointerScope, including one open while it is made (it is freed by the
   * GC with its owner): for constants such as a scorer's scaling parameters, read concurrently by batches.
   */
  public static Tensor persistent(float[] v) {
    Tensor t = vector(v);
    t.retainReference();
    return t;
  }

  private static Tensor vector(float[] v) {
    Tensor t = torch.empty(v.length);
    t.data_ptr_float().capacity(v.length).asBuffer().put(v);
    return t;
  }

  /** The tensor on {@code device}: itself for the CPU, a copy for CUDA. */
  public static Tensor on(Tensor t, Device device) {
    return device.is_cuda() ? t.to(device, t.scalar_type()) : t;
  }

  /** Copies a float tensor (any shape, on any device, made contiguous) into a new Java array. */
  public static float[] toArray(Tensor t) {
    // contiguous() makes a new handle even for a contiguous tensor: skip it in the usual case (batch-1 cost).
    Tensor c = t.is_cuda() ? t.cpu().contiguous() : t.is_contiguous() ? t : t.contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }
}
