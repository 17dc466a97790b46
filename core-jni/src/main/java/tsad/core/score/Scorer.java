package tsad.core.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.core.model.Autoencoder;
import tsad.core.model.InputBuffer;
import tsad.core.model.Tensors;
import tsad.core.model.TorchRuntime;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;
import tsad.proto.Aggregation;

/**
 * Scores windows with a trained model: scale, reconstruct under InferenceMode, aggregate per-step
 * errors into one score, compare with the threshold. One native scope per batch keeps memory flat.
 * A window's score never depends on its batch mates' padding or the aggregation path chosen for them.
 * It can depend on the batch size in the last bit (libtorch picks kernels by shape, and batches of up to
 * {@link Tensors#SMALL_BATCH_VALUES} values sum their errors in Java), so paths with other batch sizes agree to
 * float tolerance, and the same batch size gives bit-identical scores.
 */
public final class Scorer implements AutoCloseable {
  static {
    TorchRuntime.nativeDefaults();
  }

  /**
   * Full batches a caller that streams windows (the score job, the CLI) hands to {@link #score} at once: its native
   * buffers are made once per call, and the pending windows are views of their slices' values, so a few thousand of
   * them, and their results, cost little memory.
   */
  public static final int BATCHES_PER_CALL = 16;
  /**
   * Windows per forward pass unless the user says otherwise (the CLI's and the score job's --batch-size, the Hive
   * functions' long slices): paths with the same batch size give the same bits.
   */
  public static final int DEFAULT_BATCH = 256;
  /** "Keep the dtype" for reductions; shared and never freed, like the scaling tensors. */
  private static final ScalarTypeOptional SAME_DTYPE = new ScalarTypeOptional().retainReference();
  /** at::Reduction::None: a loss per element. */
  private static final long NO_REDUCTION = 0;
  private final Autoencoder model;
  private final boolean ownsModel;
  private final Scaler scaler;
  private final Aggregation aggregation;
  private final double threshold;
  // Made once, not per batch: at batch 1 rebuilding them cost a sizeable share of each call.
  private final Tensor center;
  private final Tensor inverseScale;
  private final float[] centerValues;
  private final float[] inverseScaleValues;
  private boolean closed;

  /**
   * Creates a scorer that borrows {@code model}: the caller keeps owning it and closes it after this scorer; the
   * model is switched to eval mode.
   */
  public Scorer(Autoencoder model, Scaler scaler, Aggregation aggregation, double threshold) {
    this(model, false, scaler, aggregation, threshold);
  }

  private Scorer(Autoencoder model, boolean ownsModel, Scaler scaler, Aggregation aggregation, double threshold) {
    this.model = model;
    this.ownsModel = ownsModel;
    this.scaler = scaler;
    this.aggregation = aggregation == Aggregation.AGGREGATION_UNSPECIFIED ? Aggregation.MEAN : aggregation;
    this.threshold = threshold;
    this.center = Tensors.persistent(scaler.center());
    this.inverseScale = Tensors.persistent(scaler.inverseScale());
    this.centerValues = scaler.center();
    this.inverseScaleValues = scaler.inverseScale();
    model.eval();
  }

  /** Creates a scorer that owns {@code model}: {@link #close} frees the model's native memory too. */
  public static Scorer owning(Autoencoder model, Scaler scaler, Aggregation aggregation, double threshold) {
    return new Scorer(model, true, scaler, aggregation, threshold);
  }

  /** The threshold scores are compared with. */
  public double threshold() {
    return threshold;
  }

  /**
   * Scores only: the aggregated error of each window, in order. Scored {@link #BATCHES_PER_CALL} batches at a
   * time, the same batches as one call: training scores all its windows for the threshold, and a result object
   * for each of millions of windows would cost more heap than the windows.
   */
  public double[] scores(List<Window> windows, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    int n = windows.size();
    double[] out = new double[n];
    int chunk = (int) Math.min(Integer.MAX_VALUE - 8, (long) batchSize * BATCHES_PER_CALL);
    for (int from = 0; from < n; from += chunk) {
      List<ScoreResult> r = score(windows.subList(from, (int) Math.min(n, (long) from + chunk)), batchSize, false);
      for (int i = 0; i < r.size(); i++) {
        out[from + i] = r.get(i).score();
      }
    }
    return out;
  }

  /** Scores windows in batches of {@code batchSize}; with {@code detail}, also per-step errors and feature shares. */
  public List<ScoreResult> score(List<Window> windows, int batchSize, boolean detail) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    List<ScoreResult> out = new ArrayList<>(windows.size());
    try (Workspace space = new Workspace(Math.min(batchSize, windows.size()))) {
      for (int from = 0; from < windows.size(); from += batchSize) {
        int len = Math.min(batchSize, windows.size() - from);
        scoreBatch(windows, from, len, detail, out, space);
      }
    }
    return out;
  }

  /**
   * What one {@link #score} call's native batches share: the inference guard, the input tensor and the tensor of
   * error sums, made on the first such batch and reused by the rest. Per batch they cost about as much as the
   * arithmetic around the forward pass (a small dense model spent an eighth of its scoring time making them);
   * each batch still has its own native scope for everything else.
   */
  private final class Workspace implements AutoCloseable {
    private final int capacity;
    private PointerScope scope;
    private InferenceMode guard;
    private InputBuffer input;
    private Tensor sums;
    private FloatPointer sumValues;

    Workspace(int capacity) {
      this.capacity = capacity;
    }

    /** Opens the call's scope and guard and makes its tensors for windows of t x f, unless a batch already did. */
    void open(int t, int f) {
      if (scope == null) {
        scope = new PointerScope();
        guard = new InferenceMode();
      }
      if (input == null || !input.holds(t, f)) {
        input = new InputBuffer(capacity, t, f, center, inverseScale, centerValues, inverseScaleValues);
        // The sums live where the errors are computed (the GPU in a CUDA build), the input where Java fills it.
        sums = Tensors.on(torch.empty(capacity), model.device());
        sumValues = model.device().is_cuda() ? null : sums.data_ptr_float();
      }
    }

    /** The first n rows of the input tensor, holding windows from..from+n-1 scaled. */
    Tensor input(List<Window> windows, int from, int n) {
      return input.fill(windows, from, n);
    }

    /** The per-window sums of the (n, T, F) squared errors, in float32 as libtorch's own mean sums them. */
    float[] sums(Tensor err, int n) {
      Tensor out = n == capacity ? sums : sums.narrow(0, 0, n);
      torch.sum_out(out, err, new long[] {1, 2}, false, SAME_DTYPE);
      if (sumValues == null) {
        return Tensors.toArray(out);
      }
      float[] v = new float[n];
      sumValues.get(v);
      return v;
    }

    @Override
    public void close() {
      if (scope != null) {
        guard.close();
        scope.close();
      }
    }
  }

  private void scoreBatch(List<Window> windows, int from, int len, boolean detail, List<ScoreResult> out,
      Workspace space) {
    Window first = windows.get(from);
    int t = first.steps();
    int f = first.features();
    boolean needSteps = detail || aggregation != Aggregation.MEAN;
    for (int i = 0; i < len && !needSteps; i++) {
      needSteps = windows.get(from + i).validSteps() < t;
    }
    float[] means;
    float[] steps = null;
    float[] sq = null;
    if ((long) len * t * f <= Tensors.SMALL_BATCH_VALUES && !model.device().is_cuda()) {
      // Small batches (the Hive UDF's one slice per call): scale in Java, one forward, one copy out, and the
      // error and its reductions in Java: three native calls instead of about ten.
      float[] x = Tensors.scaled(windows, from, len, centerValues, inverseScaleValues);
      float[] y;
      try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
        y = Tensors.toArray(model.forward(Tensors.of(x, len, t, f)));
      }
      sq = detail ? new float[x.length] : null;
      means = new float[len];
      steps = needSteps ? new float[len * t] : null;
      for (int i = 0, k = 0; i < len; i++) {
        double windowSum = 0;
        for (int s = 0; s < t; s++) {
          double stepSum = 0;
          for (int j = 0; j < f; j++, k++) {
            float d = y[k] - x[k];
            float e = d * d;
            if (sq != null) {
              sq[k] = e;
            }
            stepSum += e;
          }
          windowSum += stepSum;
          if (steps != null) {
            steps[i * t + s] = (float) (stepSum / f);
          }
        }
        means[i] = (float) (windowSum / ((double) t * f));
      }
    } else {
      space.open(t, f);
      try (PointerScope scope = new PointerScope()) {
        Tensor x = Tensors.on(space.input(windows, from, len), model.device());
        // (y - x)^2 in one pass, written over the reconstruction y: no (B, T, F) allocation beyond the forward
        // pass's own output, and one kernel where sub_ then square_ took two (the same float32 bits).
        Tensor y = model.forward(x);
        Tensor err = torch.mse_loss_out(y, y, x, NO_REDUCTION);
        // libtorch's CPU mean is this sum divided by the count, in float32 (bit for bit, tested); dividing in Java
        // saves a native call per batch.
        means = space.sums(err, len);
        float count = (float) t * f;
        for (int i = 0; i < len; i++) {
          means[i] /= count;
        }
        if (needSteps) {
          steps = Tensors.toArray(err.mean(new long[] {2}, false, SAME_DTYPE));
        }
        if (detail) {
          sq = Tensors.toArray(err);
        }
      }
    }
    for (int i = 0; i < len; i++) {
      Window w = windows.get(from + i);
      int valid = w.validSteps() > 0 ? w.validSteps() : t;
      double score;
      float[] stepErr = steps == null ? null : Arrays.copyOfRange(steps, i * t, i * t + valid);
      if (aggregation == Aggregation.MEAN && valid == t) {
        score = means[i];
      } else {
        score = aggregate(stepErr, aggregation);
      }
      double[] share = sq == null ? null : featureShare(sq, i, t, f, valid);
      float[] stepSq = sq == null ? null : Arrays.copyOfRange(sq, i * t * f, (i * t + valid) * f);
      out.add(new ScoreResult(w.givenId(), w.seriesId(), w.startMs(), score, threshold, score > threshold,
          detail ? stepErr : null, share, stepSq));
    }
  }

  /** Reconstructions of the windows in raw units (inverse-scaled), T*F values each, for plots and model comparison. */
  public List<float[]> reconstruct(List<Window> windows, int batchSize) {
    List<float[]> out = new ArrayList<>(windows.size());
    for (int from = 0; from < windows.size(); from += batchSize) {
      int len = Math.min(batchSize, windows.size() - from);
      float[] flat;
      try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
        flat = Tensors.toArray(model.forward(Tensors.on(Tensors.windows(windows, from, len, center, inverseScale),
            model.device())));
      }
      int per = flat.length / len;
      for (int i = 0; i < len; i++) {
        out.add(scaler.inverse(Arrays.copyOfRange(flat, i * per, (i + 1) * per)));
      }
    }
    return out;
  }

  /**
   * Mean squared reconstruction error over the valid steps of {@code windows}, measured in the units of
   * {@code space} (a scaler), so models with different scalers can be compared on the same data.
   */
  public double reconstructionError(List<Window> windows, Scaler space) {
    float[] c = space.center();
    float[] inv = space.inverseScale();
    double sum = 0;
    long n = 0;
    // A batch of reconstructions at a time: the gate compares models on all held-out windows, millions of them.
    int batch = 1024;
    for (int from = 0; from < windows.size(); from += batch) {
      List<Window> part = windows.subList(from, Math.min(windows.size(), from + batch));
      List<float[]> recon = reconstruct(part, batch);
      for (int i = 0; i < part.size(); i++) {
        Window w = part.get(i);
        int f = w.features();
        int valid = (w.validSteps() > 0 ? w.validSteps() : w.steps()) * f;
        for (int k = 0; k < valid; k++) {
          double d = ((recon.get(i)[k] - c[k % f]) - (w.value(k) - c[k % f])) * inv[k % f];
          sum += d * d;
          n++;
        }
      }
    }
    return sum / n;
  }

  /**
   * Frees the scorer's native memory: its scaling tensors and, for an {@link #owning} scorer, the model. Natives
   * are freed here rather than by the garbage collector, which never sees how much native memory a model holds;
   * a scorer must not be used after this. Closing twice is harmless.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    center.close();
    inverseScale.close();
    if (ownsModel) {
      model.close();
    }
  }

  /** Aggregates per-step errors the way the bundle says: mean, max or 95th percentile (linear). */
  public static double aggregate(float[] stepErrors, Aggregation how) {
    int n = stepErrors.length;
    switch (how) {
      case MAX: {
        double m = Double.NEGATIVE_INFINITY;
        for (float e : stepErrors) {
          m = Math.max(m, e);
        }
        return m;
      }
      case P95: {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
          s[i] = stepErrors[i];
        }
        Arrays.sort(s);
        return tsad.core.threshold.Stats.percentile(s, 95.0);
      }
      default: {
        double sum = 0;
        for (float e : stepErrors) {
          sum += e;
        }
        return sum / n;
      }
    }
  }

  private static double[] featureShare(float[] sq, int i, int t, int f, int valid) {
    double[] share = new double[f];
    int base = i * t * f;
    for (int s = 0; s < valid; s++) {
      for (int j = 0; j < f; j++) {
        share[j] += sq[base + s * f + j];
      }
    }
    return ScoreResult.toShares(share);
  }
}
