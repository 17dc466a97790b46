package tsad.hive;

import tsad.core.bundle.ModelBundle;
import tsad.core.score.Scorer;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;

/**
 * A model ready to score, shared read-only by every task thread of the JVM.
 *
 * @param bundle the verified bundle
 * @param scorer its scorer (one libtorch module; forward passes from several threads are safe)
 * @param name registered model name, or the bundle path for a path reference
 * @param version resolved registry version, or "sha256:" and the start of the content hash for a path
 * @param movable true when the reference may point to another version later (alias, stage, latest)
 * @param resolvedAtNanos when the reference was last resolved (System.nanoTime)
 */
public record LoadedModel(ModelBundle bundle, Scorer scorer, String name, String version, boolean movable,
                          long resolvedAtNanos) {
  /** Features per time step the model expects. */
  public int features() {
    return bundle.scaler().getCenterCount();
  }

  /** The model's window spec (length, mode, stride, length policy). */
  public WindowSpec windowSpec() {
    return Inputs.windowSpec(bundle.dataSpec());
  }

  /** The same model marked as resolved again at {@code now}. */
  LoadedModel refreshed(long now) {
    return new LoadedModel(bundle, scorer, name, version, movable, now);
  }
}
