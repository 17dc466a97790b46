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
  static {
    TorchRuntime.nativeDefaults();
  }

  private Tensors() {}

  /**
   * A (n, T, F) float tensor of the scaled windows {@code from..from+n-1}: raw values are bulk-copied into
   * native memory and scaled in place by libtorch, (x - center) * (1 / scale) in float32 (measured faster
   * than scaling in Java first for large batches; small ones use {@link #scaled}, which gives the same bits).
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
    Window first = windows.get(from);
    int t = first.steps();
    int f = first.features();
    if (center.numel() != f) {
      throw new IllegalArgumentException("the scaler has " + center.numel() + " features, the windows " + f);
    }
    Tensor x = torch.empty(n, t, f);
    put(x.data_ptr_float().capacity((long) n * t * f).asBuffer(), windows, from, n, t, f);
    x.sub_(center).mul_(inverseScale);
    return x;
  }

  /**
   * Copies the raw values of windows {@code from..from+n-1}, each T x F, to the start of {@code values} (the
   * memory of a float tensor): the one copy into native memory, shared by fresh and reused input tensors.
   */
  public static void put(FloatBuffer values, List<Window> windows, int from, int n, int t, int f) {
    values.clear();
    for (int i = 0; i < n; i++) {
      Window w = checked(windows.get(from + i), t, f);
      values.put(w.data(), w.offset(), t * f);
    }
  }

  /**
   * Batches of at most this many values are cheaper to scale, and to score, in Java: a native call costs more
   * than the arithmetic for a window or two (the Hive UDF scores one slice per call).
   */
  public static final int SMALL_BATCH_VALUES = 2048;

  /**
   * The scaled values of windows {@code from..from+n-1} in one Java array, (x - center) * (1 / scale) in float32:
   * the same operations in the same order as the libtorch path of {@link #windows}, so the same bits (tested).
   */
  public static float[] scaled(List<Window> windows, int from, int n, float[] center, float[] inverseScale) {
    Window first = windows.get(from);
    int t = first.steps();
    int f = first.features();
    if (center.length != f) {
      throw new IllegalArgumentException("the scaler has " + center.length + " features, the windows " + f);
    }
    int len = t * f;
    float[] out = new float[n * len];
    for (int i = 0, k = 0; i < n; i++, k += len) {
      Window w = checked(windows.get(from + i), t, f);
      scale(w.data(), w.offset(), out, k, len, center, inverseScale);
    }
    return out;
  }

  /**
   * Scales {@code len} values of {@code src} from {@code srcOffset} (the first value of a step) into {@code dst}
   * from {@code dstOffset}: (x - center) * (1 / scale) in float32, the one scaling loop of the Java paths.
   */
  static void scale(float[] src, int srcOffset, float[] dst, int dstOffset, int len, float[] center,
      float[] inverseScale) {
    int f = center.length;
    // One feature at a time with its constants in registers; one feature is a flat loop the JIT vectorises (a
    // feature loop nested inside the step loop measured seven times slower for one feature).
    if (f == 1) {
      float c = center[0];
      float s = inverseScale[0];
      for (int q = 0; q < len; q++) {
        dst[dstOffset + q] = (src[srcOffset + q] - c) * s;
      }
      return;
    }
    for (int j = 0; j < f; j++) {
      float c = center[j];
      float s = inverseScale[j];
      for (int q = j; q < len; q += f) {
        dst[dstOffset + q] = (src[srcOffset + q] - c) * s;
      }
    }
  }

  /** A float tensor of the given shape holding a copy of {@code values}. */
  public static Tensor of(float[] values, long... shape) {
    Tensor x = torch.empty(shape);
    x.data_ptr_float().capacity(values.length).asBuffer().put(values);
    return x;
  }

  static Window checked(Window w, int t, int f) {
    if (w.steps() != t || w.features() != f) {
      throw new IllegalArgumentException("window " + w.id() + " is " + w.steps() + "x" + w.features()
          + ", the batch is " + t + "x" + f);
    }
    return w;
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
    return of(v, v.length);
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
