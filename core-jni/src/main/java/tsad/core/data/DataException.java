package tsad.core.data;

/** A user-facing error about input data or options: its message is shown to the user as is, without a stack trace. */
public class DataException extends RuntimeException {
  /** Creates an error with a message that says what is wrong and, where possible, how to fix it. */
  public DataException(String message) {
    super(message);
  }

  /** Creates an error with a message and the underlying cause. */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
