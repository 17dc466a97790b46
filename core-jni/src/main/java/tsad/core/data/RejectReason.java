package tsad.core.data;

import java.util.Locale;

/** Why a row or a slice was not used; every rejected record is counted under exactly one reason. */
public enum RejectReason {
  /** The row holds bytes that are not UTF-8: decoding them would need a guess that can merge distinct ids. */
  INVALID_UTF8,
  /** The row has a different number of fields than the header. */
  MALFORMED_ROW,
  /** The slice id field is empty. */
  MISSING_SLICE_ID,
  /** The time field is empty. */
  MISSING_TIME,
  /** The time field is not ISO-8601 or epoch seconds/millis. */
  BAD_TIME,
  /** A feature field is empty. */
  MISSING_VALUE,
  /** A feature field is not a number. */
  NON_NUMERIC,
  /** A feature value is NaN or infinite (or overflows float). */
  NON_FINITE,
  /** A nonzero feature value too small for a float: it would read as 0. */
  UNDERFLOW,
  /** A second row for a slice with a time already seen; the first one is kept. */
  DUPLICATE_TIMESTAMP,
  /** Rows of a slice that was rejected as a whole. */
  IN_REJECTED_SLICE,
  /** Rows beyond the first T steps of a truncated slice. */
  TRUNCATED,
  /** A slice shorter than the window length. */
  TOO_SHORT,
  /** A slice longer than the window length under the reject policy. */
  TOO_LONG,
  /** A slice with a time gap (a step over the gap limit) under the reject gap policy (window mode). */
  TIME_GAP,
  /** Rows of a run between time gaps that is shorter than the window (window mode, split gap policy). */
  SHORT_SEGMENT,
  /** A prepared window record that does not parse (a damaged file). */
  UNREADABLE_WINDOW,
  /** A prepared window whose steps or features differ from the model's (prepared with other settings). */
  WRONG_SHAPE;

  /** The lower-case name used in summaries, counters and quarantine files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
