package tsad.core.model;

import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.core.window.Window;

/**
 * A (capacity, T, F) input tensor that a scoring call fills batch after batch with scaled windows, instead of
 * making one per batch. It belongs to the native scope open when it is made. Windows that overlap as views of one
 * series (a slice cut at a stride below T) are scaled in Java, each series value once, before the copy: at stride 1
 * that is T times less arithmetic than scaling every window. Others are copied raw and scaled by libtorch. Both give
 * (x - center) * (1 / scale) in float32 with the same bits (tested).
 */
public final class InputBuffer {
  private final int capacity;
  private final int steps;
  private final int features;
  private final Tensor tensor;
  private final FloatBuffer values;
  private final Tensor center;
  private final Tensor inverseScale;
  private final float[] centerValues;
  private final float[] inverseScaleValues;
  private final Window[] batch;
  private float[] scaledRun = new float[0];

  /** An input tensor for up to {@code capacity} windows of t x f, scaled with the given (F) constants. */
  public InputBuffer(int capacity, int t, int f, Tensor center, Tensor inverseScale, float[] centerValues,
      float[] inverseScaleValues) {
    if (centerValues.length != f) {
      throw new IllegalArgumentException("the scaler has " + centerValues.length + " features, the windows " + f);
    }
    this.capacity = capacity;
    this.batch = new Window[capacity];
    this.steps = t;
    this.features = f;
    this.tensor = torch.empty(capacity, t, f);
    this.values = tensor.data_ptr_float().capacity((long) capacity * t * f).asBuffer();
    this.center = center;
    this.inverseScale = inverseScale;
    this.centerValues = centerValues;
    this.inverseScaleValues = inverseScaleValues;
  }

  /** Whether windows of t x f fit this buffer's rows. */
  public boolean holds(int t, int f) {
    return steps == t && features == f;
  }

  /** The first n rows, holding windows {@code from..from+n-1} scaled. */
  public Tensor fill(List<Window> windows, int from, int n) {
    if (n > capacity) {
      throw new IllegalArgumentException(n + " windows do not fit an input buffer of " + capacity);
    }
    Tensor rows = n == capacity ? tensor : tensor.narrow(0, 0, n);
    int len = steps * features;
    // Runs of windows that overlap in one array; scaling them in Java pays when they cover at most half the values
    // a copy of every window holds (the scalar Java loop is slower per value than libtorch's).
    long covered = 0;
    int start = 0;
    int end = 0;
    for (int i = 0; i < n; i++) {
      Window w = Tensors.checked(windows.get(from + i), steps, features);
      batch[i] = w;
      if (i > 0 && continues(batch[i - 1], w, start, end)) {
        end = Math.max(end, w.offset() + len);
      } else {
        covered += end - start;
        start = w.offset();
        end = start + len;
      }
    }
    covered += end - start;
    if (covered * 2 > (long) n * len) {
      Tensors.put(values, windows, from, n, steps, features);
      return rows.sub_(center).mul_(inverseScale);
    }
    values.clear();
    for (int i = 0; i < n; ) {
      Window first = batch[i];
      start = first.offset();
      end = start + len;
      int j = i + 1;
      for (; j < n && continues(batch[j - 1], batch[j], start, end); j++) {
        end = Math.max(end, batch[j].offset() + len);
      }
      if (scaledRun.length < end - start) {
        scaledRun = new float[Math.max(end - start, scaledRun.length * 2)];
      }
      Tensors.scale(first.data(), start, scaledRun, 0, end - start, centerValues, inverseScaleValues);
      for (int k = i; k < j; k++) {
        values.put(scaledRun, batch[k].offset() - start, len);
      }
      i = j;
    }
    return rows;
  }

  /** Whether w is a view of the same array as the run before it (start..end) and starts inside it. */
  private static boolean continues(Window previous, Window w, int start, int end) {
    return w.data() == previous.data() && w.offset() >= start && w.offset() <= end;
  }
}
