package tsad.core.synth;

/**
 * Size and randomness of a synthetic data set; the messages name the {@code tsad synth} options because the CLI
 * passes them through unchanged.
 *
 * @param slices slices per file N (train and test each hold N slices), at least 1
 * @param length steps per slice T, at least 8 (so a T/4 anomaly segment is at least 2 steps)
 * @param features features per step F, at least 1
 * @param anomalyRate share R of anomalous test slices, in [0, 1]; exactly round(R*N) test slices are anomalous
 * @param seed random seed; the same config always gives byte-identical files
 */
public record SynthConfig(int slices, int length, int features, double anomalyRate, long seed) {
  /** Rejects sizes the generator cannot honour, with a message naming the bad option and value. */
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
    // Written as a negated range check so that NaN is rejected too.
    if (!(anomalyRate >= 0 && anomalyRate <= 1)) {
      throw new IllegalArgumentException("--anomaly-rate must be in [0, 1], got " + anomalyRate);
    }
  }

  /** Returns the documented defaults: 2000 slices of 64 steps, 1 feature, 10 % anomalies, seed 42. */
  public static SynthConfig defaults() {
    return new SynthConfig(2000, 64, 1, 0.1, 42);
  }
}
