package tsad.core.scale;

import java.util.Arrays;
import java.util.List;
import tsad.core.data.DataException;
import tsad.core.window.Window;
import tsad.proto.ScalerParams;

/**
 * Per-feature affine scaling, scaled = (raw - center) / scale, fitted on training windows only and stored
 * in the model bundle so every scoring path applies exactly the same transform.
 */
public final class Scaler {
  private final ScalerParams params;
  private final double[] center;
  private final double[] invScale;

  /** Wraps fitted parameters (e.g. loaded from a bundle). */
  public Scaler(ScalerParams params) {
    this.params = params;
    int f = params.getCenterCount();
    if (params.getScaleCount() != f) {
      throw new DataException("scaler has " + f + " centers but " + params.getScaleCount() + " scales");
    }
    center = new double[f];
    invScale = new double[f];
    for (int i = 0; i < f; i++) {
      center[i] = params.getCenter(i);
      double s = params.getScale(i);
      if (!(s > 0) || !Double.isFinite(s)) {
        throw new DataException("scaler scale for feature " + i + " must be positive, got " + s);
      }
      invScale[i] = 1.0 / s;
    }
  }

  /** The parameters to persist. */
  public ScalerParams params() {
    return params;
  }

  /** Number of features. */
  public int features() {
    return center.length;
  }

  /** Fits a scaler of the given kind on the valid steps of the given windows. */
  public static Scaler fit(ScalerParams.Kind kind, List<Window> windows, List<String> featureNames) {
    if (windows.isEmpty()) {
      throw new DataException("cannot fit a scaler: no training windows");
    }
    int f = windows.get(0).features();
    long n = 0;
    for (Window w : windows) {
      n += w.validSteps();
    }
    ScalerParams.Builder b = ScalerParams.newBuilder().setKind(kind).setFittedValues(n)
        .addAllFeatureNames(featureNames);
    for (int j = 0; j < f; j++) {
      double[] c = fitFeature(kind, windows, j, f, (int) Math.min(n, Integer.MAX_VALUE));
      // A constant feature has no spread; scale 1 keeps it finite (its scaled value is then 0).
      b.addCenter(c[0]).addScale(c[1] > 1e-12 && Double.isFinite(c[1]) ? c[1] : 1.0);
    }
    return new Scaler(b.build());
  }

  private static double[] fitFeature(ScalerParams.Kind kind, List<Window> windows, int j, int f, int n) {
    switch (kind) {
      case NONE:
        return new double[] {0, 1};
      case STANDARD: {
        // Welford: stable for long series with large offsets.
        double mean = 0;
        double m2 = 0;
        long k = 0;
        for (Window w : windows) {
          for (int t = 0; t < w.validSteps(); t++) {
            double x = w.value(t * f + j);
            k++;
            double d = x - mean;
            mean += d / k;
            m2 += d * (x - mean);
          }
        }
        return new double[] {mean, Math.sqrt(m2 / Math.max(1, k - 1))};
      }
      case MINMAX: {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Window w : windows) {
          for (int t = 0; t < w.validSteps(); t++) {
            double x = w.value(t * f + j);
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
          }
        }
        return new double[] {lo, hi - lo};
      }
      case ROBUST: {
        double[] all = new double[n];
        int k = 0;
        for (Window w : windows) {
          for (int t = 0; t < w.validSteps(); t++) {
            all[k++] = w.value(t * f + j);
          }
        }
        Arrays.sort(all, 0, k);
        return new double[] {quantile(all, k, 0.5), quantile(all, k, 0.75) - quantile(all, k, 0.25)};
      }
      default:
        throw new DataException("unknown scaler kind " + kind);
    }
  }

  private static double quantile(double[] sorted, int n, double q) {
    double pos = q * (n - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** Per-feature centers as float32, as the model input path subtracts them. */
  public float[] center() {
    float[] out = new float[center.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) center[i];
    }
    return out;
  }

  /** Per-feature 1 / scale as float32, as the model input path multiplies by them. */
  public float[] inverseScale() {
    float[] out = new float[invScale.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) invScale[i];
    }
    return out;
  }

  /** Maps scaled values back to raw units (for plots of reconstructions). */
  public float[] inverse(float[] scaled) {
    int f = center.length;
    float[] out = new float[scaled.length];
    for (int i = 0; i < scaled.length; i++) {
      out[i] = (float) (scaled[i] / invScale[i % f] + center[i % f]);
    }
    return out;
  }
}
