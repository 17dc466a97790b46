package tsad.core.bundle;

import java.util.HashSet;
import java.util.List;
import org.bytedeco.pytorch.InputArchive;
import tsad.core.data.DataException;
import tsad.core.model.Archives;
import tsad.core.model.Autoencoder;
import tsad.core.model.ModelSpecs;
import tsad.core.scale.Scaler;
import tsad.proto.Aggregation;
import tsad.proto.BundleManifest;
import tsad.proto.DataSpec;
import tsad.proto.ModelSpec;
import tsad.proto.ScalerParams;
import tsad.proto.ThresholdParams;

/**
 * The checks of a bundle's values, after its hashes: every enum a known value, every size in range, and the specs,
 * the scaler and the weights agreeing with each other. A sealed bundle passes them by construction; they keep an
 * unsealed (format 1) bundle, or a hand-made one, from loading with values no training wrote.
 */
final class BundleChecks {
  /** Largest window length a bundle may hold (a window's steps are one tensor row). */
  static final int MAX_WINDOW = 1 << 20;
  /** Largest number of features, hidden size or channel count. */
  static final int MAX_WIDTH = 1 << 16;
  /** Largest number of values in one window (T x F). */
  static final long MAX_WINDOW_VALUES = 1 << 24;

  private BundleChecks() {}

  /** Refuses values that no training writes; {@code location} names the bundle in the message. */
  static void values(String location, BundleManifest m, ScalerParams scaler, ThresholdParams threshold) {
    String where = location + "/" + ModelBundle.MANIFEST;
    ModelSpec model = m.getModel();
    DataSpec data = m.getData();
    known(where, "model architecture", model.getArch() == tsad.proto.Architecture.UNRECOGNIZED,
        model.getArchValue());
    known(where, "window mode", data.getMode() == tsad.proto.WindowMode.UNRECOGNIZED, data.getModeValue());
    known(where, "length policy", data.getLengthPolicy() == tsad.proto.LengthPolicy.UNRECOGNIZED,
        data.getLengthPolicyValue());
    known(where, "time format", data.getTimeFormat() == tsad.proto.TimeFormat.UNRECOGNIZED,
        data.getTimeFormatValue());
    int t = model.getWindowLength();
    int f = model.getFeatures();
    range(where, "window length", t, 2, MAX_WINDOW);
    range(where, "features", f, 1, MAX_WIDTH);
    if ((long) t * f > MAX_WINDOW_VALUES) {
      throw new BundleException(where + ": windows of T=" + t + " x F=" + f + " values are more than the "
          + MAX_WINDOW_VALUES + " any bundle holds; refusing to load it");
    }
    for (int h : model.getHiddenList()) {
      range(where, "hidden size", h, 1, MAX_WIDTH);
    }
    range(where, "cnn kernel size", model.getKernelSize(), 0, t);
    range(where, "lstm layers", model.getLstmLayers(), 0, 64);
    try {
      if (!ModelSpecs.withDefaults(model).equals(model)) {
        throw new BundleException(where + ": its model spec leaves sizes unset (" + model.toString().replace('\n', ' ')
            + "); a trained bundle records them all");
      }
    } catch (BundleException e) {
      throw e;
    } catch (DataException e) {
      throw new BundleException(where + ": invalid model spec: " + e.getMessage());
    }
    if (data.getWindowLength() != t) {
      throw new BundleException(where + ": its data spec cuts windows of " + data.getWindowLength()
          + " steps but its model takes T=" + t);
    }
    range(where, "stride", data.getStride(), 1, MAX_WINDOW);
    if (data.getSliceColumn().isEmpty() || data.getTimeColumn().isEmpty()) {
      throw new BundleException(where + ": its data spec names no slice or time column");
    }
    List<String> names = data.getFeatureColumnsList();
    if (names.size() != f || new HashSet<>(names).size() != f || names.contains("")) {
      throw new BundleException(where + ": its data spec names features " + names + " but its model takes F=" + f
          + " distinct features");
    }
    String s = location + "/" + ModelBundle.SCALER;
    known(s, "scaler kind", scaler.getKind() == ScalerParams.Kind.UNRECOGNIZED, scaler.getKindValue());
    if (scaler.getCenterCount() != f) {
      throw new BundleException(s + ": the scaler is for " + scaler.getCenterCount() + " features, the model takes "
          + f + " " + names);
    }
    for (double c : scaler.getCenterList()) {
      if (!Double.isFinite(c)) {
        throw new BundleException(s + ": a scaler center is " + c);
      }
    }
    try {
      new Scaler(scaler);
    } catch (DataException e) {
      throw new BundleException(s + ": " + e.getMessage());
    }
    String th = location + "/" + ModelBundle.THRESHOLD;
    known(th, "aggregation", threshold.getAggregation() == Aggregation.UNRECOGNIZED, threshold.getAggregationValue());
    if (!Double.isFinite(threshold.getValue())) {
      throw new BundleException(th + ": the threshold is " + threshold.getValue() + "; a fitted one is finite");
    }
  }

  /** Requires the weights archive to hold exactly the tensors {@code model} (built from the spec) has. */
  static void weights(String location, Autoencoder model, InputArchive archive) {
    List<String> diff = Archives.misfits(model, archive, 4);
    if (!diff.isEmpty()) {
      throw new BundleException(location + ": the weights in " + ModelBundle.WEIGHTS + " do not fit the model spec "
          + "in " + ModelBundle.MANIFEST + " (" + String.join("; ", diff) + "); refusing to load it");
    }
  }

  private static void known(String where, String what, boolean unknown, int value) {
    if (unknown) {
      throw new BundleException(where + ": unknown " + what + " (enum value " + value + "); written by a newer tsad "
          + "or damaged; refusing to load it");
    }
  }

  private static void range(String where, String what, int v, int min, int max) {
    if (v < min || v > max) {
      throw new BundleException(where + ": " + what + " " + v + " is outside " + min + ".." + max
          + "; refusing to load it");
    }
  }
}
