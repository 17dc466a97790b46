package tsad.registry;

import tsad.core.data.DataException;

/** An MLflow server refused a request or could not be reached; the message says which and what to do. */
public class MlflowException extends DataException {
  private final int status;
  private final String errorCode;

  /** An error with an HTTP status (0 when the server was not reached) and MLflow error code (may be empty). */
  public MlflowException(String message, int status, String errorCode) {
    super(message);
    this.status = status;
    this.errorCode = errorCode == null ? "" : errorCode;
  }

  /** HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** MLflow's error code, e.g. RESOURCE_DOES_NOT_EXIST. */
  public String errorCode() {
    return errorCode;
  }

  /** True when retrying may help: no answer, 429 or a 5xx. */
  public boolean transientFailure() {
    return status == 0 || status == 429 || status >= 500;
  }

  /** True for "not found" answers. */
  public boolean notFound() {
    return status == 404 || errorCode.equals("RESOURCE_DOES_NOT_EXIST");
  }
}
