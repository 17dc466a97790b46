package tsad.core.train;

import tsad.core.data.DataException;

/** Training could not go on (diverged, bad checkpoint); the message says why and what to change. */
public final class TrainingException extends DataException {
  /** Creates the error with a user-facing message. */
  public TrainingException(String message) {
    super(message);
  }
}
