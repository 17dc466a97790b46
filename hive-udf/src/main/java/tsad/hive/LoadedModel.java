package tsad.hive;

import java.util.concurrent.atomic.AtomicInteger;
import tsad.core.bundle.ModelBundle;
import tsad.core.score.ScoringSession;

/**
 * A model ready to score, shared read-only by every task thread of the JVM, and counted: the cache holds one
 * reference, every scoring call another while it runs. When the cache replaces the model (an alias moved) it drops
 * its reference, and the last call to finish frees the model's native memory, so a JVM that lives for weeks and
 * follows aliases holds only the models in use.
 */
public final class LoadedModel {
  private final ScoringSession session;
  private final boolean movable;
  private final AtomicInteger users = new AtomicInteger(1);
  private volatile long resolvedAtNanos;

  /**
   * A model the cache holds.
   *
   * @param session the loaded model and its identity (registered name and version, or the bundle's content hash)
   * @param movable true when the reference may point to another version later (alias, stage, latest)
   * @param resolvedAtNanos when the reference was resolved (System.nanoTime)
   */
  LoadedModel(ScoringSession session, boolean movable, long resolvedAtNanos) {
    this.session = session;
    this.movable = movable;
    this.resolvedAtNanos = resolvedAtNanos;
  }

  /** The loaded model: bundle, scorer, identity. */
  public ScoringSession session() {
    return session;
  }

  /** The verified bundle. */
  public ModelBundle bundle() {
    return session.bundle();
  }

  /** The registered model name, or {@value ScoringSession.Identity#BUNDLE} for a bundle path. */
  public String name() {
    return session.identity().model();
  }

  /** The resolved registry version, or "sha256:" and the start of the content hash for a bundle path. */
  public String version() {
    return session.identity().version();
  }

  /** Features per time step the model expects. */
  public int features() {
    return bundle().scaler().getCenterCount();
  }

  /** True when the reference may point to another version later (alias, stage, latest). */
  public boolean movable() {
    return movable;
  }

  /** When the reference was last resolved (System.nanoTime). */
  public long resolvedAtNanos() {
    return resolvedAtNanos;
  }

  /** Marks the reference as resolved again at {@code now}. */
  void refreshed(long now) {
    resolvedAtNanos = now;
  }

  /** Takes a reference for one use; false if the model was already freed (the caller looks it up again). */
  boolean acquire() {
    for (int n = users.get(); n > 0; n = users.get()) {
      if (users.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives a reference back; the last one frees the model's native memory. */
  void release() {
    if (users.decrementAndGet() == 0) {
      session.close();
    }
  }

  /** True once the last reference is gone and the model freed (tests, benchmarks). */
  boolean freed() {
    return users.get() == 0;
  }
}
