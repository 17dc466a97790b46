package tsad.core.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import tsad.core.io.AtomicFiles;
import tsad.core.model.Archives;
import tsad.core.model.Autoencoder;
import tsad.core.model.InputBuffer;
import tsad.core.model.Tensors;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;
import tsad.proto.EpochMetrics;
import tsad.proto.TrainCheckpoint;
import tsad.proto.TrainConfig;

/**
 * Trains an autoencoder on scaled windows: Adam, MSE, seeded shuffled mini-batches, validation loss,
 * early stopping, gradient clipping, NaN abort, and a checkpoint after every epoch for --resume.
 * On return the model holds the weights of the best validation epoch.
 */
public final class Trainer {
  /** What a training run did. */
  public record Result(List<EpochMetrics> history, int bestEpoch, double bestValidationLoss, int epochsRun,
                       String stopReason, double seconds) {}

  private final TrainConfig cfg;
  private final Path checkpointDir;
  private final TrainListener listener;

  /**
   * Creates a trainer.
   *
   * @param cfg hyperparameters
   * @param checkpointDir where per-epoch checkpoints and the best weights go
   * @param listener progress callbacks
   */
  public Trainer(TrainConfig cfg, Path checkpointDir, TrainListener listener) {
    this.cfg = cfg;
    this.checkpointDir = java.util.Objects.requireNonNull(checkpointDir, "checkpointDir");
    this.listener = listener;
  }

  /** Trains {@code model} in place; with {@code resume}, continues from the checkpoint in the checkpoint dir. */
  public Result train(Autoencoder model, List<Window> train, List<Window> val, Scaler scaler, boolean resume) {
    if (train.isEmpty()) {
      throw new TrainingException("no training windows");
    }
    TensorVector params = model.parameters();
    AdamOptions opts = new AdamOptions(cfg.getLearningRate());
    opts.weight_decay().put(cfg.getWeightDecay());
    // The optimizer's state (two moments per weight) is freed however the run ends: a diverging run throws.
    try (params; opts; Adam adam = new Adam(params, opts)) {
      return train(model, params, adam, train, val, scaler, resume);
    }
  }

  private Result train(Autoencoder model, TensorVector params, Adam adam, List<Window> train, List<Window> val,
      Scaler scaler, boolean resume) {
    long t0 = System.nanoTime();
    String fingerprint = Checkpoints.fingerprint(train, val);
    Device device = model.device();
    List<EpochMetrics> history = new ArrayList<>();
    int start = 1;
    int bestEpoch = 0;
    double best = Double.POSITIVE_INFINITY;
    int stale = 0;
    double priorSeconds = 0;
    if (resume) {
      TrainCheckpoint cp = Checkpoints.load(checkpointDir, model, adam, cfg, fingerprint);
      start = cp.getEpoch() + 1;
      bestEpoch = cp.getBestEpoch();
      best = cp.getBestValidationLoss();
      stale = cp.getEpochsWithoutImprovement();
      history.addAll(cp.getHistoryList());
      priorSeconds = cp.getElapsedSeconds();
    }
    String stop = "max_epochs";
    int n = train.size();
    int bs = cfg.getBatchSize();
    // Batch normalisation cannot train on a batch of one window: a last batch of one joins the one before it.
    int batches = n > 1 && bs > 1 && n % bs == 1 ? n / bs : (n + bs - 1) / bs;
    if (bs < 2 && model.spec().getBatchNorm()) {
      throw new TrainingException("batch normalisation needs batches of at least 2 windows, not --batch-size " + bs
          + "; use a larger batch or train with --no-batch-norm");
    }
    if (n < 2 && model.spec().getBatchNorm()) {
      throw new TrainingException("batch normalisation needs at least 2 training windows, got " + n
          + "; give more data or train with --no-batch-norm");
    }
    for (int epoch = start; epoch <= cfg.getMaxEpochs(); epoch++) {
      if (cfg.getPatience() > 0 && stale >= cfg.getPatience()) {
        stop = "early_stopping";
        break;
      }
      long e0 = System.nanoTime();
      // Seeding per epoch makes shuffling and dropout identical whether or not the run was resumed.
      torch.manual_seed(cfg.getSeed() * 1_000_003L + epoch);
      model.train(true);
      double sum = 0;
      try (PointerScope epochScope = new PointerScope()) {
        Batches shuffled = new Batches(train, bs, scaler, device, torch.randperm(n));
        for (int b = 0; b < batches; b++) {
          int from = b * bs;
          int len = b == batches - 1 ? n - from : bs;
          try (PointerScope batchScope = new PointerScope()) {
            Tensor x = shuffled.get(from, len);
            adam.zero_grad();
            // Denoising: the model sees a noisy copy and must give back the clean window, so it cannot learn to
            // pass its input through and keeps the structure of normal data.
            Tensor in = cfg.getInputNoise() > 0 ? x.add(torch.randn_like(x).mul(new Scalar(cfg.getInputNoise()))) : x;
            Tensor loss = torch.mse_loss(model.forward(in), x);
            loss.backward();
            if (cfg.getGradClip() > 0) {
              torch.clip_grad_norm_(params, cfg.getGradClip(), 2.0, false);
            }
            adam.step();
            double l = loss.item_double();
            if (!Double.isFinite(l)) {
              throw new TrainingException(String.format(Locale.ROOT, "training diverged: loss is %s at epoch %d, "
                  + "batch %d; lower --lr (now %g), keep --grad-clip on, or check the input scaling", l, epoch,
                  b + 1, cfg.getLearningRate()));
            }
            sum += l * len;
          }
          listener.batch(epoch, cfg.getMaxEpochs(), b + 1, batches, sum / Math.min(n, from + len),
              (long) from + len, (System.nanoTime() - e0) / 1e9);
        }
      }
      double trainLoss = sum / n;
      double secs = (System.nanoTime() - e0) / 1e9;
      double valLoss = val.isEmpty() ? trainLoss : loss(model, val, bs, scaler);
      boolean improved = valLoss < best - cfg.getMinDelta();
      if (improved) {
        best = valLoss;
        bestEpoch = epoch;
        stale = 0;
      } else {
        stale++;
      }
      EpochMetrics m = EpochMetrics.newBuilder().setEpoch(epoch).setTrainLoss(trainLoss).setValidationLoss(valLoss)
          .setWindowsPerSecond(n / secs).setSeconds(secs).build();
      history.add(m);
      TrainCheckpoint cp = TrainCheckpoint.newBuilder().setEpoch(epoch).setBestEpoch(bestEpoch)
          .setBestValidationLoss(best).setEpochsWithoutImprovement(stale).addAllHistory(history)
          .setModel(model.spec()).setConfig(cfg).setDataFingerprint(fingerprint)
          .setElapsedSeconds(priorSeconds + (System.nanoTime() - t0) / 1e9).build();
      Checkpoints.save(checkpointDir, model, adam, cp, improved);
      listener.epoch(m, cfg.getMaxEpochs(), improved);
    }
    if (cfg.getPatience() > 0 && stale >= cfg.getPatience()) {
      stop = "early_stopping";
    }
    if (bestEpoch > 0) {
      Checkpoints.loadBest(checkpointDir, model);
    }
    listener.done(stop, bestEpoch, best);
    double secs = priorSeconds + (System.nanoTime() - t0) / 1e9;
    return new Result(List.copyOf(history), bestEpoch, best, history.size(), stop, secs);
  }

  /** Mean squared reconstruction error of windows in batches, in eval mode without gradients. */
  static double loss(Autoencoder model, List<Window> windows, int batch, Scaler scaler) {
    model.eval();
    int n = windows.size();
    double sum = 0;
    try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
      Batches inOrder = new Batches(windows, batch, scaler, model.device(), null);
      for (int from = 0; from < n; from += batch) {
        int len = Math.min(batch, n - from);
        // A scope per batch: with one scope for the loop every batch's activations would stay until the end.
        try (PointerScope batchScope = new PointerScope()) {
          Tensor xb = inOrder.get(from, len);
          sum += torch.mse_loss(model.forward(xb), xb).item_double() * len;
        }
      }
    }
    return sum / n;
  }

  /**
   * The scaled mini-batches of an epoch, made one at a time from the windows (in the order of a permutation, or
   * as they are), so the whole scaled set (2 x T x F floats a window with its shuffled copy) is never held on top of
   * the windows themselves. A batch holds the values a scaled, shuffled copy would (the same float32 arithmetic,
   * tested). Belongs to the native scope open when it is made.
   */
  static final class Batches {
    private final List<Window> windows;
    private final Device device;
    private final LongPointer order;
    private final long[] picked;
    private final Window[] batch;
    private final List<Window> batchView;
    private final InputBuffer input;

    Batches(List<Window> windows, int batchSize, Scaler scaler, Device device, Tensor permutation) {
      this.windows = windows;
      this.device = device;
      this.order = permutation == null ? null : permutation.data_ptr_long();
      int capacity = Math.min(batchSize + 1, windows.size());
      this.picked = new long[capacity];
      this.batch = new Window[capacity];
      this.batchView = Arrays.asList(batch);
      Window first = windows.get(0);
      this.input = new InputBuffer(capacity, first.steps(), first.features(),
          Tensors.of(scaler.center(), scaler.center().length),
          Tensors.of(scaler.inverseScale(), scaler.inverseScale().length), scaler.center(), scaler.inverseScale());
    }

    /** Batch rows {@code from..from+len-1} of the epoch, scaled, on the model's device. */
    Tensor get(int from, int len) {
      if (order == null) {
        return Tensors.on(input.fill(windows, from, len), device);
      }
      order.position(from).get(picked, 0, len);
      for (int i = 0; i < len; i++) {
        batch[i] = windows.get((int) picked[i]);
      }
      return Tensors.on(input.fill(batchView, 0, len), device);
    }
  }
}
