package tsad.mr;

/**
 * The prepare job's counts (group "tsad data"; display names in DataCounter.properties). Rejects by reason are
 * counted in the groups {@link #ROWS_REJECTED_GROUP} and {@link #SLICES_REJECTED_GROUP}, one counter a
 * {@link tsad.core.data.RejectReason} label, and read back reason by reason.
 */
public enum DataCounter {
  /** Data rows read (the header not counted). */
  ROWS_READ,
  /** Rows that went into a slice that was kept. */
  ROWS_USED,
  /** Slices read. */
  SLICES_READ,
  /** Slices kept. */
  SLICES_USED,
  /** Windows the kept slices give. */
  WINDOWS_MADE;

  /** Rows rejected, a counter per reason label. */
  public static final String ROWS_REJECTED_GROUP = "tsad rows rejected";
  /** Slices rejected, a counter per reason label. */
  public static final String SLICES_REJECTED_GROUP = "tsad slices rejected";
}
