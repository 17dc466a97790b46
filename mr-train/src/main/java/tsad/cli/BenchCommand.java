package tsad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tsad.core.model.Autoencoder;
import tsad.core.model.ModelSpecs;
import tsad.core.model.Tensors;
import tsad.core.model.TorchRuntime;
import tsad.core.scale.Scaler;
import tsad.core.score.Scorer;
import tsad.core.train.Trainer;
import tsad.core.train.TrainListener;
import tsad.core.window.Window;
import tsad.proto.Aggregation;
import tsad.proto.ModelSpec;
import tsad.proto.ScalerParams;
import tsad.proto.TrainConfig;

/**
 * {@code tsad bench}: training and scoring throughput of each architecture through the real Trainer and
 * Scorer, plus the bare forward pass as the reference, as JSON lines (same schema as scripts/bench/bench_torch.py).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measure training and scoring windows/s per architecture and thread count (T=64, F=1).")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--arch", split = ",", defaultValue = "dense,cnn,lstm", description = "Default: ${DEFAULT-VALUE}.")
  List<String> archs;

  @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Default: ${DEFAULT-VALUE}.")
  List<Integer> threads;

  @Option(names = "--train-batch", defaultValue = "256", description = "Default: ${DEFAULT-VALUE}.")
  int trainBatch;

  @Option(names = "--score-batches", split = ",", defaultValue = "1,64,4096", description = "Default: ${DEFAULT-VALUE}.")
  List<Integer> scoreBatches;

  @Option(names = "--seconds", defaultValue = "3", description = "Minimum time per measurement. Default: ${DEFAULT-VALUE}.")
  double seconds;

  @Option(names = "--out", paramLabel = "FILE", description = "Write JSON lines here (also printed).")
  Path out;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Measure only this bundle's bare forward pass and scorer (the reference for a score job).")
  Path model;

  private static final int T = 64;
  private PrintWriter sink;

  @Override
  public Integer call() throws IOException {
    sink = new PrintWriter(out == null ? java.io.Writer.nullWriter() : Files.newBufferedWriter(out, StandardCharsets.UTF_8));
    if (model != null) {
      benchBundle(tsad.core.bundle.ModelBundle.load(model));
      sink.close();
      return 0;
    }
    List<Window> data = sines(8192);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, data, List.of("value"));
    Path tmp = Files.createTempDirectory("tsad-bench");
    for (String arch : archs) {
      ModelSpec spec = ModelSpec.newBuilder().setArch(ModelSpecs.parseArch(arch)).setWindowLength(T).setFeatures(1)
          .build();
      for (int th : threads) {
        TorchRuntime.threads(th);
        emit("java", arch, "train", trainBatch, th, train(spec, data, scaler, tmp.resolve(arch + th)));
        try (Autoencoder m = Autoencoder.create(spec)) {
          benchScoring(m, scaler, arch, th, data);
        }
      }
    }
    String rss = String.format(Locale.ROOT, "{\"impl\":\"java\",\"phase\":\"rss\",\"peak_rss_mb\":%.1f}", peakRssMb());
    System.out.println(rss);
    sink.println(rss);
    sink.close();
    return 0;
  }

  /** Bare forward and scorer of one trained bundle, on random windows of its shape. */
  private void benchBundle(tsad.core.bundle.ModelBundle bundle) {
    int t = bundle.dataSpec().getWindowLength();
    int f = bundle.dataSpec().getFeatureColumnsCount();
    Random r = new Random(1);
    List<Window> data = new ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      float[] v = new float[t * f];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) r.nextGaussian();
      }
      data.add(new Window("b" + i, "b" + i, 0, 0, t, f, t, 0, v));
    }
    String arch = bundle.modelSpec().getArch().name().toLowerCase(Locale.ROOT);
    Scaler scaler = new Scaler(bundle.scaler());
    for (int th : threads) {
      TorchRuntime.threads(th);
      try (Autoencoder m = bundle.newModel()) {
        benchScoring(m, scaler, arch, th, data);
      }
    }
  }

  /** The bare forward pass (the reference) and the scorer of one model at every --score-batches size. */
  private void benchScoring(Autoencoder m, Scaler scaler, String arch, int th, List<Window> data) {
    try (Scorer scorer = new Scorer(m, scaler, Aggregation.MEAN, 0)) {
      for (int b : scoreBatches) {
        List<Window> batch = repeat(data, b);
        emit("java-forward", arch, "score", b, th, forward(m, batch, scaler));
        emit("java", arch, "score", b, th, rate(() -> scorer.scores(batch, b), b));
      }
    }
  }

  private double train(ModelSpec spec, List<Window> data, Scaler scaler, Path checkpoints) {
    TrainConfig.Builder cfg = TrainConfig.newBuilder().setBatchSize(trainBatch).setLearningRate(1e-3)
        .setGradClip(5).setSeed(1).setPatience(0);
    try (Autoencoder m = Autoencoder.create(spec)) {
      // One warm-up epoch, then enough epochs for the time budget.
      Trainer.Result warm = new Trainer(cfg.setMaxEpochs(1).build(), checkpoints, TrainListener.NONE)
          .train(m, data, List.of(), scaler, false);
      int epochs = (int) Math.max(1, Math.ceil(seconds / warm.history().get(0).getSeconds()));
      Trainer.Result r = new Trainer(cfg.setMaxEpochs(epochs).build(), checkpoints.resolveSibling(
          checkpoints.getFileName() + "-run"), TrainListener.NONE).train(m, data, List.of(), scaler, false);
      double secs = r.history().stream().mapToDouble(e -> e.getSeconds()).sum();
      return (double) data.size() * r.epochsRun() / secs;
    }
  }

  private double forward(Autoencoder m, List<Window> batch, Scaler scaler) {
    m.eval();
    try (PointerScope outer = new PointerScope()) {
      Tensor x = Tensors.windows(batch, 0, batch.size(), scaler);
      return rate(() -> {
        try (PointerScope s = new PointerScope(); InferenceMode g = new InferenceMode()) {
          m.forward(x);
        }
      }, batch.size());
    }
  }

  private double rate(Runnable batchRun, int batchSize) {
    for (int i = 0; i < 3; i++) {
      batchRun.run();
    }
    long n = 0;
    long t0 = System.nanoTime();
    double elapsed;
    do {
      batchRun.run();
      n++;
      elapsed = (System.nanoTime() - t0) / 1e9;
    } while (elapsed < seconds);
    return n * batchSize / elapsed;
  }

  private void emit(String impl, String arch, String phase, int batch, int th, double windowsPerSecond) {
    String line = String.format(Locale.ROOT, "{\"impl\":\"%s\",\"arch\":\"%s\",\"phase\":\"%s\",\"batch\":%d,"
        + "\"threads\":%d,\"windows_per_s\":%.1f}", impl, arch, phase, batch, th, windowsPerSecond);
    System.out.println(line);
    sink.println(line);
    sink.flush();
  }

  private static List<Window> repeat(List<Window> data, int n) {
    List<Window> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(data.get(i % data.size()));
    }
    return out;
  }

  static List<Window> sines(int n) {
    Random r = new Random(1);
    List<Window> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double phase = r.nextDouble() * 2 * Math.PI;
      float[] v = new float[T];
      for (int s = 0; s < T; s++) {
        v[s] = (float) (Math.sin(2 * Math.PI * s / 16.0 + phase) + 0.1 * r.nextGaussian());
      }
      out.add(new Window("b" + i, "b" + i, 0, 0, T, 1, T, 0, v));
    }
    return out;
  }

  /** Peak resident set size of this process (VmHWM), in MB. */
  static double peakRssMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
