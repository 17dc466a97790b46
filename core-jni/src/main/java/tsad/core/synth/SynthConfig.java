package tsad.core.synth;

/**
 * Size and randomness of a synthetic data set.
 *
 * @param slices slices per file (train and test)
 * @param length steps per slice T
 * @param features features per step F
 * @param anomalyRate share of anomalous test slices
 * @param seed random seed
 */
public record SynthConfig(int slices, int length, int features, double anomalyRate, long seed) {
  /** Checks the sizes with messages that name the bad option. */
  public SynthConfig {
    if (slices < 1) {
      throw new IllegalArgumentException("--slices must be at least 1, got " + slices);
    }
    if (length < 8) {
      throw new IllegalArgumentException("--length must be at least 8, got " + length);
    }
    if (features < 1) {
      throw new IllegalArgumentException("--features must be at least 1, got " + features);
    }
    if (!(anomalyRate >= 0 && anomalyRate <= 1)) {
      throw new IllegalArgumentException("--anomaly-rate must be in [0, 1], got " + anomalyRate);
    }
  }

  /** 2,000 slices of 64 steps, 1 feature, 10 % anomalies, seed 42. */
  public static SynthConfig defaults() {
    return new SynthConfig(2000, 64, 1, 0.1, 42);
  }
}
