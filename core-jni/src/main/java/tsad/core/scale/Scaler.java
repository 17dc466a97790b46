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

  /**
   * Fits a scaler of the given kind on the valid steps of the given windows; features without spread get scale 1
   * and are listed in {@link ScalerParams#getConstantFeaturesList()}.
   */
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
      // A constant feature has no spread; scale 1 keeps it finite (its scaled value is then 0). It is recorded, and
      // training warns: when scoring, any change in it then counts in its raw units.
      boolean spread = c[1] > 1e-12 && Double.isFinite(c[1]);
      b.addCenter(c[0]).addScale(spread ? c[1] : 1.0);
      if (!spread && kind != ScalerParams.Kind.NONE) {
        b.addConstantFeatures(j < featureNames.size() ? featureNames.get(j) : "feature " + j);
      }
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

  /**
   * The warning lines for the features the scaler found without spread (none when every feature varies), each
   * naming the feature, its value and what scale 1 means when scoring.
   */
  public List<String> constantFeatureWarnings() {
    List<String> out = new java.util.ArrayList<>();
    for (String name : params.getConstantFeaturesList()) {
      int j = params.getFeatureNamesList().indexOf(name);
      String kind = params.getKind().name().toLowerCase(java.util.Locale.ROOT);
      out.add("feature " + name + " has no spread in the training data (" + kind + " scale 0"
          + (j >= 0 ? ", center " + (float) center[j] : "") + "): it is scaled by 1, so when scoring any change in it "
          + "counts in its raw units (leave it out of the features if it carries no information)");
    }
    return out;
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
