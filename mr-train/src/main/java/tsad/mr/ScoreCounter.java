package tsad.mr;

/** The score job's counters (group "tsad scoring"; display names in ScoreCounter.properties). */
public enum ScoreCounter {
  /** Slices with every window scored. */
  SLICES_SCORED,
  /** Windows scored. */
  WINDOWS_SCORED,
  /** Slices with a window over the threshold. */
  ANOMALOUS_SLICES,
  /** Windows over the threshold. */
  ANOMALOUS_WINDOWS,
  /** Records that cannot be scored, quarantined with their reason. */
  REJECTED,
  /** Milliseconds the tasks spent loading the model. */
  MODEL_LOAD_MS,
  /** Milliseconds in the scorer. */
  SCORER_MS,
  /** Milliseconds cutting windows and making lines. */
  LINES_MS,
  /** Milliseconds encoding and writing lines. */
  WRITE_MS,
  /** Milliseconds the tasks ran in all. */
  TASK_MS,
  /** Prepared records read. */
  RECORDS_READ,
  /** The sum (mod 2^64) of the hashes of the records read, checked against the prepared report. */
  RECORD_HASH_SUM
}
