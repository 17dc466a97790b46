package tsad.core.bundle;

import tsad.core.data.DataException;

/** A model bundle is missing, incomplete, tampered with or of an unsupported format version. */
public final class BundleException extends DataException {
  /** Creates the error with a message naming the bundle and what is wrong. */
  public BundleException(String message) {
    super(message);
  }
}
