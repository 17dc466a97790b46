package tsad.core.bundle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tsad.core.data.DataException;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;
import tsad.proto.DataSpec;
import tsad.proto.LengthPolicy;

/**
 * Whether a model accepts some data: features matched by name, window length and features per step, the window
 * spec with an optional length-policy override. The one check of the CLI, the MapReduce jobs, the gate and
 * fine-tuning; it throws {@link Mismatch} with a typed reason, and each front end phrases its own advice.
 */
public final class Compatibility {
  private final DataSpec data;
  private final int windowLength;
  private final int features;

  private Compatibility(DataSpec data, int windowLength, int features) {
    this.data = data;
    this.windowLength = windowLength;
    this.features = features;
  }

  /** The checks for {@code bundle}'s model. */
  public static Compatibility of(ModelBundle bundle) {
    return new Compatibility(bundle.dataSpec(), bundle.modelSpec().getWindowLength(), bundle.modelSpec().getFeatures());
  }

  /** Why data does not fit a model. */
  public enum Reason {
    /** The data's feature names are not the model's. */
    FEATURE_NAMES,
    /** The data has another number of features per step. */
    FEATURE_COUNT,
    /** The data's windows have another length. */
    WINDOW_LENGTH
  }

  /** Data that a model cannot take, with the typed reason; the message says what differs, without advice. */
  public static final class Mismatch extends DataException {
    private final Reason reason;

    Mismatch(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    /** What differs. */
    public Reason reason() {
      return reason;
    }
  }

  /** The model's feature names, in the order it takes them. */
  public List<String> featureNames() {
    return data.getFeatureColumnsList();
  }

  /**
   * The columns to read for the model, in the model's order, when a user names them ({@code given}, null for the
   * model's own): the same names in another order are read in the model's order, since a model knows its inputs by
   * position; other names are a {@link Mismatch}.
   */
  public List<String> columnsToRead(List<String> given) {
    List<String> own = featureNames();
    if (given == null || given.equals(own)) {
      return own;
    }
    Set<String> names = new HashSet<>(given);
    if (names.size() == given.size() && names.equals(new HashSet<>(own))) {
      return own;
    }
    List<String> missing = new ArrayList<>(own);
    missing.removeAll(given);
    List<String> unknown = new ArrayList<>(given);
    unknown.removeAll(own);
    throw new Mismatch(Reason.FEATURE_NAMES, "the model was trained on features " + own + ", the input names "
        + given + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
        + (unknown.isEmpty() ? "" : "; not model features: " + String.join(", ", unknown)));
  }

  /** Requires data that carries exactly the model's feature names in the model's order ({@code source} names it). */
  public void requireFeatureNames(List<String> names, String source) {
    if (featureNames().isEmpty()) {
      requireFeatures(names.size(), source);
    } else if (!names.equals(featureNames())) {
      throw new Mismatch(names.size() == features ? Reason.FEATURE_NAMES : Reason.FEATURE_COUNT, source
          + " holds features " + names + "; the model takes " + featureNames() + (names.size() == features
          && new HashSet<>(names).equals(new HashSet<>(featureNames())) ? " (the same names in another order)" : ""));
    }
  }

  /** Requires {@code f} features per step. */
  public void requireFeatures(int f, String source) {
    if (f != features) {
      throw new Mismatch(Reason.FEATURE_COUNT, source + " has " + f + " features per step; the model takes "
          + features + " " + featureNames());
    }
  }

  /** Requires windows of {@code t} steps and {@code f} features. */
  public void requireWindows(int t, int f, String source) {
    if (t != windowLength) {
      throw new Mismatch(Reason.WINDOW_LENGTH, "the model takes windows of T=" + windowLength + ", F=" + features
          + " but " + source + " holds T=" + t + ", F=" + f);
    }
    requireFeatures(f, source);
  }

  /** Requires that {@code other} takes the same windows as this model (to compare the two on the same data). */
  public void requireSameInput(ModelBundle other) {
    requireWindows(other.modelSpec().getWindowLength(), other.modelSpec().getFeatures(), "the other model");
  }

  /** The model's window spec, with {@code lengthPolicy} instead of the model's when it is not null. */
  public WindowSpec windowSpec(LengthPolicy lengthPolicy) {
    WindowSpec s = Inputs.windowSpec(data);
    return lengthPolicy == null ? s : s.withLengthPolicy(lengthPolicy);
  }
}
