package tsad.core.data;

/** Receives every rejected row or slice with its reason, so rejects can be quarantined instead of lost. */
@FunctionalInterface
public interface RejectSink {
  /** A sink that keeps nothing beyond the counts in {@link DataReport}. */
  RejectSink NONE = (where, reason, detail, record) -> { };

  /**
   * Takes one rejected record.
   *
   * @param where source and line ("train.csv:17") or slice id
   * @param reason why it was rejected
   * @param detail a human explanation
   * @param record the raw line, or a short description of the slice
   */
  void reject(String where, RejectReason reason, String detail, String record);
}
