package tsad.core.data;

import java.util.List;
import tsad.proto.TimeFormat;

/**
 * How to read long-format CSV: column names, time format and whether bad rows fail the run.
 *
 * @param sliceColumn name of the slice id column
 * @param timeColumn name of the time column
 * @param featureColumns feature columns in model order; empty means "value" if present, else every other column
 * @param timeFormat how the time column is written
 * @param strict fail on the first bad row instead of counting and skipping it
 */
public record CsvOptions(String sliceColumn, String timeColumn, List<String> featureColumns,
                         TimeFormat timeFormat, boolean strict) {
  /** The defaults: columns slice_id, time, value; automatic time format; lenient. */
  public static CsvOptions defaults() {
    return new CsvOptions("slice_id", "time", List.of(), TimeFormat.AUTO, false);
  }

  /** Normalises nulls so callers may leave fields unset. */
  public CsvOptions {
    featureColumns = featureColumns == null ? List.of() : List.copyOf(featureColumns);
    if (timeFormat == null || timeFormat == TimeFormat.TIME_FORMAT_UNSPECIFIED) {
      timeFormat = TimeFormat.AUTO;
    }
  }

  /** Returns a copy that reads {@code columns} as the features, in that order. */
  public CsvOptions withFeatureColumns(List<String> columns) {
    return new CsvOptions(sliceColumn, timeColumn, columns, timeFormat, strict);
  }

  /** Returns a copy with the given strictness. */
  public CsvOptions withStrict(boolean value) {
    return new CsvOptions(sliceColumn, timeColumn, featureColumns, timeFormat, value);
  }

  /** Parses auto, iso, epoch-s or epoch-ms; {@code what} names the setting in the error (the CLI's option, a key). */
  public static TimeFormat parseTimeFormat(String s, String what) {
    switch (s) {
      case "auto": return TimeFormat.AUTO;
      case "iso": return TimeFormat.ISO;
      case "epoch-s": return TimeFormat.EPOCH_SECONDS;
      case "epoch-ms": return TimeFormat.EPOCH_MILLIS;
      default: throw new DataException("unknown " + what + " '" + s + "'; use auto, iso, epoch-s or epoch-ms");
    }
  }
}
