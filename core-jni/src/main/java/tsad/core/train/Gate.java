package tsad.core.train;

import java.util.List;
import tsad.core.bundle.Compatibility;
import tsad.core.bundle.ModelBundle;
import tsad.core.scale.Scaler;
import tsad.core.score.Scorer;
import tsad.core.window.Window;
import tsad.proto.TrainConfig;

/**
 * The promotion gate: an incumbent model and a candidate compared on the same held-out windows, by mean squared
 * reconstruction error in the candidate's scaled units (so models with other scalers compare fairly). The one
 * comparison of fine-tuning ({@code train --init-from}) and of {@code tsad models gate}.
 *
 * @param parentError the incumbent's (parent's, alias holder's) mean squared reconstruction error
 * @param newError the candidate's
 */
public record Gate(double parentError, double newError) {
  /** True when the candidate is not worse than the incumbent by more than {@code margin} (relative). */
  public boolean passes(double margin) {
    return newError <= parentError * (1 + margin);
  }

  /** Compares the incumbent bundle with a candidate's scorer on {@code held}, in the units of {@code units}. */
  public static Gate compare(ModelBundle incumbent, Scorer candidate, List<Window> held, Scaler units) {
    if (held.isEmpty()) {
      throw new TrainingException("the gate has no windows to compare the models on");
    }
    try (Scorer parent = incumbent.newScorer()) {
      return new Gate(parent.reconstructionError(held, units), candidate.reconstructionError(held, units));
    }
  }

  /** Compares two bundles on {@code held}, in the candidate's units; they must take the same windows. */
  public static Gate compare(ModelBundle incumbent, ModelBundle candidate, List<Window> held) {
    Compatibility.of(candidate).requireSameInput(incumbent);
    try (Scorer c = candidate.newScorer()) {
      return compare(incumbent, c, held, new Scaler(candidate.scaler()));
    }
  }

  /**
   * The windows of {@code windows} the candidate held out in training: the split made with its own seed and
   * validation fraction, so on its training data these are exactly the windows it never trained on. All windows
   * when it held none out ({@link HeldOut#all} says so).
   */
  public static HeldOut heldOut(ModelBundle candidate, List<Window> windows) {
    if (windows.isEmpty()) {
      throw new TrainingException("the gate has no windows to compare the models on: the input is empty");
    }
    TrainConfig cfg = candidate.provenance().getConfig();
    List<Window> held = Split.of(windows, cfg.getValidationFraction(), cfg.getSeed()).validation();
    return held.isEmpty() ? new HeldOut(windows, true) : new HeldOut(held, false);
  }

  /**
   * The windows the gate compares on.
   *
   * @param windows the windows
   * @param all true when the candidate held none out and these are all the input's windows
   */
  public record HeldOut(List<Window> windows, boolean all) {}
}
