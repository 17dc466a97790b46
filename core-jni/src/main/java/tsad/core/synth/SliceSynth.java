package tsad.core.synth;

import java.util.Random;

/**
 * Builds one slice from the caller's random stream: the normal two-tone process, then the planted anomaly on top.
 *
 * <p>Every slice draws the same numbers in the same order whatever its kind (the anomaly parameters are drawn for
 * normal slices too), so an anomalous slice and its normal twin made from the same stream state agree exactly
 * wherever the anomaly does not reach. Only SPIKE draws its positions and sizes at the end, after the noise.
 *
 * <p>The draw order and the floating-point expressions are part of the data set's identity: changing them changes
 * every file the project's quality tests and documented figures were measured on.
 */
final class SliceSynth {
  /** Standard deviation of the normal noise. */
  static final double NOISE = 0.08;

  private SliceSynth() {}

  /**
   * Generates slice {@code id} with T = {@code times.length} steps and {@code features} features.
   *
   * @param times epoch millis of each step, laid out by the caller
   * @param r the stream to draw from; it is advanced past this slice
   * @param kind the anomaly to plant, or null for a normal slice
   */
  static SynthSlice make(String id, long[] times, int features, Random r, AnomalyKind kind) {
    int t = times.length;
    double a = 0.8 + 0.4 * r.nextDouble();
    double p = 14 + 8 * r.nextDouble();
    double phase = 2 * Math.PI * r.nextDouble();
    double phase2 = 2 * Math.PI * r.nextDouble();
    double[] level = new double[features];
    for (int j = 0; j < features; j++) {
      level[j] = -0.3 + 0.6 * r.nextDouble();
    }
    // Segment-type anomalies cover [segStart, segEnd): T/4..2*(T/4) <= T/2 steps, fully inside the slice.
    int segLen = t / 4 + r.nextInt(t / 4 + 1);
    int segStart = r.nextInt(t - segLen + 1);
    int segEnd = segStart + segLen;
    double speedUp = 2.2 + 0.8 * r.nextDouble();
    double noiseBoost = 6 + 4 * r.nextDouble();
    // Level shifts start in the middle half, [T/4, T/4 + T/2).
    int shiftFrom = t / 4 + r.nextInt(t / 2);
    double shift = (r.nextBoolean() ? 1 : -1) * (1.2 + 0.8 * r.nextDouble()) * a;

    double[][] v = new double[t][features];
    for (int s = 0; s < t; s++) {
      boolean inSeg = s >= segStart && s < segEnd;
      double arg = 2 * Math.PI * s / p;
      if (kind == AnomalyKind.FREQUENCY_CHANGE && inSeg) {
        // The main tone runs at period p / speedUp; counting its time from the segment start keeps the phase
        // continuous there, so the change looks like a speed-up rather than a jump.
        arg = 2 * Math.PI * (segStart + (s - segStart) * speedUp) / p;
      }
      // StrictMath, not Math: Math.sin may differ in the last bit between JVMs and CPUs, and the files must not.
      double fast = 0.3 * a * StrictMath.sin(2 * Math.PI * s / (p / 2.7) + phase2);
      for (int j = 0; j < features; j++) {
        double noise = NOISE * r.nextGaussian() * (kind == AnomalyKind.NOISE_BURST && inSeg ? noiseBoost : 1);
        v[s][j] = a * StrictMath.sin(arg + phase + 0.7 * j) + fast + level[j] + noise;
        if (kind == AnomalyKind.LEVEL_SHIFT && s >= shiftFrom) {
          v[s][j] += shift;
        }
        if (kind == AnomalyKind.FLAT_LINE && inSeg && s > segStart) {
          // A stuck sensor repeats its reading at the segment start exactly: no noise at all.
          v[s][j] = v[segStart][j];
        }
      }
    }
    if (kind == AnomalyKind.SPIKE) {
      plantSpikes(v, a, r);
    }
    return new SynthSlice(id, times, v, kind);
  }

  /**
   * Adds 1-3 spikes of +-U[3, 5]*a to all features. Each spike gets its own block of the interior and never the
   * block's last step, so spikes are single, non-adjacent points with two normal neighbours that cannot land on
   * the same step and cancel. A position costs one draw like a plain {@code nextInt(T)} (but for nextInt's rare
   * rejection, odds below 1e-7), so where the spikes go does not move the slices after a spike slice.
   */
  private static void plantSpikes(double[][] v, double a, Random r) {
    int t = v.length;
    int spikes = 1 + r.nextInt(3);
    int block = (t - 2) / spikes; // >= 2 because T >= 8
    for (int k = 0; k < spikes; k++) {
      int s = 1 + k * block + r.nextInt(block - 1);
      double jump = (r.nextBoolean() ? 1 : -1) * (3 + 2 * r.nextDouble()) * a;
      for (int j = 0; j < v[s].length; j++) {
        v[s][j] += jump;
      }
    }
  }
}
