package tsad.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tsad.proto.TimeFormat;

/**
 * Turns one long-format CSV line into a row (slice id, epoch millis, feature values), or counts it as
 * rejected with a reason. The single CSV row reader of tsad: the CLI, MapReduce and tests all use it.
 */
public final class CsvRowParser {
  private final CsvOptions options;
  private final String source;
  private final int fieldCount;
  private final int sliceIdx;
  private final int timeIdx;
  private final int[] featureIdx;
  private final List<String> featureNames;

  /** One parsed row; values are float32, the precision the models use. */
  public record Row(String sliceId, long timeMs, float[] values) {}

  private CsvRowParser(CsvOptions options, String source, List<String> header) {
    this.options = options;
    this.source = source;
    this.fieldCount = header.size();
    this.sliceIdx = indexOf(header, options.sliceColumn(), "slice id");
    this.timeIdx = indexOf(header, options.timeColumn(), "time");
    List<String> names = new ArrayList<>(options.featureColumns());
    if (names.isEmpty()) {
      if (header.contains("value")) {
        names.add("value");
      } else {
        for (String h : header) {
          if (!h.equals(options.sliceColumn()) && !h.equals(options.timeColumn())) {
            names.add(h);
          }
        }
      }
    }
    if (names.isEmpty()) {
      throw new DataException(source + ": no feature columns: the header " + header
          + " has only the slice id and time columns");
    }
    this.featureIdx = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      featureIdx[i] = indexOf(header, names.get(i), "feature");
    }
    this.featureNames = List.copyOf(names);
  }

  /** Builds a parser from a header line; unknown column names fail with the list of columns that exist. */
  public static CsvRowParser fromHeader(String headerLine, CsvOptions options, String source) {
    if (headerLine == null || headerLine.isBlank()) {
      throw new DataException(source + ": empty input: expected a header row like slice_id,time,value");
    }
    String h = headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine;
    List<String> cols = new ArrayList<>();
    for (String c : split(h)) {
      cols.add(c.trim());
    }
    return new CsvRowParser(options, source, cols);
  }

  private int indexOf(List<String> header, String name, String role) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new DataException(source + ": " + role + " column '" + name + "' not found; columns are "
          + header + " (set the column names with --slice-column, --time-column, --features)");
    }
    return i;
  }

  /** The feature column names in model order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The time format rows are parsed with. */
  public TimeFormat timeFormat() {
    return options.timeFormat();
  }

  /**
   * Parses one data line given as bytes ({@code len} from {@code off}), as both the local reader and the prepare
   * mapper hand them on: a line that is not valid UTF-8 is rejected ({@link RejectReason#INVALID_UTF8}, its bytes
   * shown as {@code \xNN} in the quarantine), never decoded with replacement characters that could merge two slice
   * ids into one. Otherwise as {@link #parse(String, long, DataReport)}.
   */
  public Row parse(byte[] bytes, int off, int len, long lineNo, DataReport report) {
    String line = Utf8.decode(bytes, off, len);
    if (line == null) {
      report.rowRead();
      return reject(report, RejectReason.INVALID_UTF8, lineNo, Utf8.describe(bytes, off,
          Utf8.firstInvalid(bytes, off, len)) + "; " + Utf8.ADVICE, Utf8.escaped(bytes, off, len));
    }
    return parse(line, lineNo, report);
  }

  /**
   * Parses one data line. Returns null for a rejected row (counted in {@code report} with its reason),
   * or throws {@link DataException} in strict mode. Blank lines return null and are counted as blank.
   */
  public Row parse(String line, long lineNo, DataReport report) {
    if (line.isBlank()) {
      report.blankLine();
      return null;
    }
    report.rowRead();
    String[] f = split(line);
    if (f.length != fieldCount) {
      return reject(report, RejectReason.MALFORMED_ROW, lineNo,
          "expected " + fieldCount + " fields, got " + f.length, line);
    }
    String id = f[sliceIdx].trim();
    if (id.isEmpty()) {
      return reject(report, RejectReason.MISSING_SLICE_ID, lineNo, "empty slice id", line);
    }
    String t = f[timeIdx].trim();
    if (t.isEmpty()) {
      return reject(report, RejectReason.MISSING_TIME, lineNo, "empty time", line);
    }
    long timeMs;
    try {
      timeMs = TimeParser.parse(t, options.timeFormat());
    } catch (IllegalArgumentException e) {
      return reject(report, RejectReason.BAD_TIME, lineNo, e.getMessage(), line);
    }
    float[] values = new float[featureIdx.length];
    for (int i = 0; i < featureIdx.length; i++) {
      String v = f[featureIdx[i]].trim();
      String col = featureNames.get(i);
      if (v.isEmpty()) {
        return reject(report, RejectReason.MISSING_VALUE, lineNo, "empty value in column " + col, line);
      }
      int digits = decimalDigits(v);
      if (digits < 0) {
        if (spellsNonFinite(v)) {
          return reject(report, RejectReason.NON_FINITE, lineNo, "'" + v + "' in column " + col + " is not finite",
              line);
        }
        return reject(report, RejectReason.NON_NUMERIC, lineNo, "'" + v + "' in column " + col + " is not a "
            + "decimal number", line);
      }
      double d = Double.parseDouble(v);
      float x = (float) d;
      if (!Float.isFinite(x)) {
        return reject(report, RejectReason.NON_FINITE, lineNo, "'" + v + "' in column " + col + " is not finite",
            line);
      }
      if (x == 0 && digits > 0) {
        return reject(report, RejectReason.UNDERFLOW, lineNo, "'" + v + "' in column " + col + " is nonzero but "
            + "below the smallest float (1.4e-45): it would read as 0", line);
      }
      values[i] = x;
    }
    return new Row(id, timeMs, values);
  }

  /**
   * Checks that {@code v} is a decimal number as Python, R and Spark write them ({@code -12}, {@code 3.5},
   * {@code .5}, {@code 1e-3}, {@code 2E+10}), not one of the other forms Java's parser also takes (type suffixes such
   * as {@code 1.5d} or {@code 2f}, hexadecimal {@code 0x1p3}, {@code NaN}): returns the number of nonzero mantissa
   * digits (so a zero result is a true zero), or -1 when it is not such a number.
   */
  static int decimalDigits(String v) {
    int i = 0;
    int n = v.length();
    if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
      i++;
    }
    int mantissa = 0;
    int nonzero = 0;
    while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
      nonzero += v.charAt(i) != '0' ? 1 : 0;
      mantissa++;
      i++;
    }
    if (i < n && v.charAt(i) == '.') {
      i++;
      while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
        nonzero += v.charAt(i) != '0' ? 1 : 0;
        mantissa++;
        i++;
      }
    }
    if (mantissa == 0) {
      return -1;
    }
    if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
      i++;
      if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
        i++;
      }
      int exponent = 0;
      while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
        exponent++;
        i++;
      }
      if (exponent == 0) {
        return -1;
      }
    }
    return i == n ? nonzero : -1;
  }

  /**
   * Whether {@code v} is NaN or an infinity as Python, R and C write them ({@code nan}, {@code inf}, {@code -Inf},
   * {@code INFINITY}), which Java's parser refuses: such a value is counted as non-finite, not as non-numeric.
   */
  static boolean spellsNonFinite(String v) {
    String s = v.startsWith("+") || v.startsWith("-") ? v.substring(1) : v;
    return s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity");
  }

  private Row reject(DataReport report, RejectReason reason, long lineNo, String detail, String line) {
    String where = source + ":" + lineNo; // made only for a rejected row: most rows are fine
    if (options.strict()) {
      throw new DataException(where + ": " + reason.label() + ": " + detail
          + " (use lenient mode to count and skip bad rows)");
    }
    report.rejectRows(1, reason, where, detail, line);
    return null;
  }

  /** Splits one CSV line on commas, honouring double quotes ("a,b" and "" escapes) as RFC 4180 does. */
  public static String[] split(String line) {
    if (line.indexOf('"') < 0) {
      return line.split(",", -1);
    }
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out.toArray(new String[0]);
  }

  @Override
  public String toString() {
    return "CsvRowParser" + Arrays.asList(options.sliceColumn(), options.timeColumn(), featureNames);
  }
}
