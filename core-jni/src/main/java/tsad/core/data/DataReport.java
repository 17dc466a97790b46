package tsad.core.data;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import tsad.proto.DataSummary;

/**
 * Counts what was read, used and rejected (by reason), and forwards each reject to a sink.
 * Invariants: rows read = rows used + rows rejected; slices read = slices used + slices rejected.
 */
public final class DataReport {
  private final RejectSink sink;
  private final Map<RejectReason, Long> rowRejects = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, Long> sliceRejects = new EnumMap<>(RejectReason.class);
  private long rowsRead;
  private long rowsUsed;
  private long slicesRead;
  private long slicesUsed;
  private long windows;
  private long slicesSampledOut;
  private long blankLines;
  private String source = "";

  /** Creates a report that only counts. */
  public DataReport() {
    this(RejectSink.NONE);
  }

  /** Creates a report that also hands every reject to {@code sink}. */
  public DataReport(RejectSink sink) {
    this.sink = sink;
  }

  /** A report holding the counts of an earlier read (e.g. a MapReduce prepare job's summary). */
  public static DataReport of(DataSummary s) {
    DataReport r = new DataReport();
    r.rowsRead = s.getRowsRead();
    r.rowsUsed = s.getRowsUsed();
    r.slicesRead = s.getSlicesRead();
    r.slicesUsed = s.getSlicesUsed();
    r.windows = s.getWindows();
    r.slicesSampledOut = s.getSlicesSampledOut();
    r.source = s.getSource();
    s.getRowsRejectedByReasonMap().forEach((k, v) -> r.rowRejects.put(RejectReason.valueOf(k.toUpperCase(Locale.ROOT)), v));
    s.getSlicesRejectedByReasonMap().forEach((k, v) -> r.sliceRejects.put(RejectReason.valueOf(k.toUpperCase(Locale.ROOT)), v));
    return r;
  }

  /**
   * Records that a used slice of {@code windows} windows was left out by sampling ({@link SliceSample}): it stays
   * counted as used (its rows passed every check), and its windows leave the count of windows kept.
   */
  public void sampledOut(long windowsLeftOut) {
    slicesSampledOut++;
    windows -= windowsLeftOut;
  }

  /** Records that one data row was read (before any check). */
  public void rowRead() {
    rowsRead++;
  }

  /** Records rows that ended up inside model inputs. */
  public void rowsUsed(long n) {
    rowsUsed += n;
  }

  /** Records a blank line, which holds no data and is skipped. */
  public void blankLine() {
    blankLines++;
  }

  /** Records rejected rows under a reason and passes them to the sink. */
  public void rejectRows(long n, RejectReason reason, String where, String detail, String record) {
    rowRejects.merge(reason, n, Long::sum);
    sink.reject(where, reason, detail, record);
  }

  /** Records that one slice (series) was assembled. */
  public void sliceRead() {
    slicesRead++;
  }

  /** Records that one slice produced model inputs. */
  public void sliceUsed() {
    slicesUsed++;
  }

  /** Records a rejected slice; its rows must be rejected separately (IN_REJECTED_SLICE). */
  public void rejectSlice(RejectReason reason, String sliceId, String detail) {
    sliceRejects.merge(reason, 1L, Long::sum);
    sink.reject(sliceId, reason, detail, "slice " + sliceId);
  }

  /** Records model inputs produced. */
  public void windowsMade(long n) {
    windows += n;
  }

  /** Names the input this report describes. */
  public void source(String value) {
    this.source = value;
  }

  /** Rows read so far. */
  public long rowsRead() {
    return rowsRead;
  }

  /** Rows rejected so far, all reasons. */
  public long rowsRejected() {
    return rowRejects.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rows used so far. */
  public long rowsUsed() {
    return rowsUsed;
  }

  /** Slices read so far. */
  public long slicesRead() {
    return slicesRead;
  }

  /** Slices used so far. */
  public long slicesUsed() {
    return slicesUsed;
  }

  /** Slices rejected so far, all reasons. */
  public long slicesRejected() {
    return sliceRejects.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Model inputs made so far. */
  public long windows() {
    return windows;
  }

  /** Rows rejected for one reason. */
  public long rowsRejected(RejectReason reason) {
    return rowRejects.getOrDefault(reason, 0L);
  }

  /** Slices rejected for one reason. */
  public long slicesRejected(RejectReason reason) {
    return sliceRejects.getOrDefault(reason, 0L);
  }

  /** The counts as the protobuf summary stored in provenance. */
  public DataSummary toSummary() {
    DataSummary.Builder b = DataSummary.newBuilder()
        .setRowsRead(rowsRead).setRowsUsed(rowsUsed).setRowsRejected(rowsRejected())
        .setSlicesRead(slicesRead).setSlicesUsed(slicesUsed).setSlicesRejected(slicesRejected())
        .setWindows(windows).setSource(source).setSlicesSampledOut(slicesSampledOut);
    rowRejects.forEach((r, n) -> b.putRowsRejectedByReason(r.label(), n));
    sliceRejects.forEach((r, n) -> b.putSlicesRejectedByReason(r.label(), n));
    return b.build();
  }

  /** A few human-readable lines: read, used, rejected and why. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "rows:   %d read, %d used, %d rejected%s%n", rowsRead, rowsUsed,
        rowsRejected(), reasons(rowRejects)));
    sb.append(String.format(Locale.ROOT, "slices: %d read, %d used, %d rejected%s%n", slicesRead, slicesUsed,
        slicesRejected(), reasons(sliceRejects)));
    if (slicesSampledOut > 0) {
      sb.append(String.format(Locale.ROOT, "sample: %d of the used slices left out, %d kept%n", slicesSampledOut,
          slicesUsed - slicesSampledOut));
    }
    sb.append(String.format(Locale.ROOT, "windows: %d", windows));
    if (blankLines > 0) {
      sb.append(String.format(Locale.ROOT, "%nblank lines skipped: %d", blankLines));
    }
    return sb.toString();
  }

  private static String reasons(Map<RejectReason, Long> m) {
    if (m.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" (");
    m.forEach((r, n) -> sb.append(sb.length() > 2 ? ", " : "").append(r.label()).append(": ").append(n));
    return sb.append(')').toString();
  }
}
