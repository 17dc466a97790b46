package tsad.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.core.window.Window;
import tsad.proto.Architecture;
import tsad.proto.ModelSpec;
import tsad.proto.TrainConfig;

/** Small deterministic data and configs for libtorch tests. */
public final class Fixtures {
  private Fixtures() {}

  /** n noisy sine windows of T steps and F features, one series each. */
  public static List<Window> sines(int n, int t, int f, long seed) {
    Random r = new Random(seed);
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double phase = r.nextDouble() * 2 * Math.PI;
      float[] v = new float[t * f];
      for (int s = 0; s < t; s++) {
        for (int j = 0; j < f; j++) {
          v[s * f + j] = (float) (Math.sin(2 * Math.PI * s / 16.0 + phase + j) + 0.05 * r.nextGaussian());
        }
      }
      out.add(new Window("s" + i, "s" + i, 60_000L * i, 60_000L * i, t, f, t, 0, v));
    }
    return out;
  }

  /** A quick training config: few epochs, one thread, fixed seed. */
  public static TrainConfig quick(int epochs) {
    return TrainConfig.newBuilder().setMaxEpochs(epochs).setBatchSize(32).setLearningRate(1e-3).setPatience(0)
        .setValidationFraction(0.2).setGradClip(5).setSeed(7).setThreads(1).setDevice("cpu")
        .setThresholdMethod("p99").build();
  }

  /**
   * A model whose reconstruction of every window is all zeros in scaled units (the scaler's centres in raw units),
   * so errors can be worked out by hand: a window's squared error at a value is that value scaled, squared.
   */
  public static Autoencoder zeros(int t, int f) {
    return new Autoencoder(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(t).setFeatures(f)
        .build()) {
      @Override
      public Tensor forward(Tensor x) {
        return torch.zeros_like(x);
      }
    };
  }
}
