package tsad.hive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.serde2.objectinspector.ListObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector.PrimitiveCategory;
import org.apache.hadoop.hive.serde2.objectinspector.StructField;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorUtils;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.data.Series;
import tsad.core.data.SeriesBuilder;
import tsad.core.data.TimeParser;
import tsad.proto.TimeFormat;

/**
 * Reads the series argument into a core {@link Series}: {@code ARRAY<numeric>} (univariate, in time order),
 * {@code ARRAY<ARRAY<numeric>>} (one inner array of F values per step, in time order) or
 * {@code ARRAY<STRUCT<ts, v1, ...>>} (any order: sorted by ts through the core SeriesBuilder, which also
 * drops and counts duplicate times). In the struct form the time field is the one named ts or time, else the
 * first; every other field is a feature, in declaration order. Array forms get times 0, 1, 2, ...
 */
final class SeriesInput {
  private enum Shape { UNIVARIATE, MULTIVARIATE, RECORDS }

  /** The series id in messages: a function argument has no slice id of its own. */
  private static final String ROW = "of this row";

  /** A series, or why the row was rejected. */
  record Read(Series series, RejectReason reason, String detail) {
    static Read reject(RejectReason reason, String detail) {
      return new Read(null, reason, detail);
    }
  }

  private final ListObjectInspector list;
  private final Shape shape;
  private final PrimitiveObjectInspector scalar;
  private final ListObjectInspector row;
  private final StructObjectInspector struct;
  private final StructField timeField;
  private final PrimitiveObjectInspector timeOi;
  private final List<StructField> valueFields = new ArrayList<>();
  private final List<PrimitiveObjectInspector> valueOis = new ArrayList<>();

  private SeriesInput(ListObjectInspector list, int arg) throws UDFArgumentTypeException {
    this.list = list;
    ObjectInspector e = list.getListElementObjectInspector();
    if (isNumeric(e)) {
      shape = Shape.UNIVARIATE;
      scalar = (PrimitiveObjectInspector) e;
      row = null;
      struct = null;
      timeField = null;
      timeOi = null;
    } else if (e instanceof ListObjectInspector l && isNumeric(l.getListElementObjectInspector())) {
      shape = Shape.MULTIVARIATE;
      scalar = (PrimitiveObjectInspector) l.getListElementObjectInspector();
      row = l;
      struct = null;
      timeField = null;
      timeOi = null;
    } else if (e instanceof StructObjectInspector s) {
      shape = Shape.RECORDS;
      scalar = null;
      row = null;
      struct = s;
      List<? extends StructField> fields = s.getAllStructFieldRefs();
      StructField t = fields.get(0);
      for (StructField f : fields) {
        String n = f.getFieldName().toLowerCase(Locale.ROOT);
        if (n.equals("ts") || n.equals("time")) {
          t = f;
          break;
        }
      }
      timeField = t;
      if (!isTime(t.getFieldObjectInspector())) {
        throw new UDFArgumentTypeException(arg, "the time field '" + t.getFieldName() + "' of the series struct must "
            + "be an integer (epoch), STRING (ISO-8601 or epoch), TIMESTAMP or DATE, got "
            + t.getFieldObjectInspector().getTypeName());
      }
      timeOi = (PrimitiveObjectInspector) t.getFieldObjectInspector();
      for (StructField f : fields) {
        if (f == t) {
          continue;
        }
        if (!isNumeric(f.getFieldObjectInspector())) {
          throw new UDFArgumentTypeException(arg, "field '" + f.getFieldName() + "' of the series struct must be "
              + "numeric (every field but the time is a feature), got " + f.getFieldObjectInspector().getTypeName());
        }
        valueFields.add(f);
        valueOis.add((PrimitiveObjectInspector) f.getFieldObjectInspector());
      }
      if (valueFields.isEmpty()) {
        throw new UDFArgumentTypeException(arg, "the series struct has a time field but no value field");
      }
    } else {
      throw new UDFArgumentTypeException(arg, usage(list.getTypeName()));
    }
  }

  /** Checks the argument's type at compile time. */
  static SeriesInput of(ObjectInspector oi, int arg) throws UDFArgumentTypeException {
    if (!(oi instanceof ListObjectInspector l)) {
      throw new UDFArgumentTypeException(arg, usage(oi.getTypeName()));
    }
    return new SeriesInput(l, arg);
  }

  private static String usage(String got) {
    return "the series must be ARRAY<DOUBLE> (univariate, in time order), ARRAY<ARRAY<DOUBLE>> (one array of "
        + "features per step, in time order) or ARRAY<STRUCT<ts, v, ...>> (any order, e.g. "
        + "collect_list(named_struct('ts', ts, 'v', v))), got " + got;
  }

  private static boolean isNumeric(ObjectInspector oi) {
    if (!(oi instanceof PrimitiveObjectInspector p)) {
      return false;
    }
    switch (p.getPrimitiveCategory()) {
      case BYTE: case SHORT: case INT: case LONG: case FLOAT: case DOUBLE: case DECIMAL:
        return true;
      default:
        return false;
    }
  }

  private static boolean isTime(ObjectInspector oi) {
    if (!(oi instanceof PrimitiveObjectInspector p)) {
      return false;
    }
    switch (p.getPrimitiveCategory()) {
      case BYTE: case SHORT: case INT: case LONG: case STRING: case VARCHAR: case CHAR: case TIMESTAMP: case DATE:
        return true;
      default:
        return false;
    }
  }

  /**
   * Reads one row's series for a model with {@code features} features per step; bad values reject the row.
   * Duplicate times (struct form) are counted in {@code report} and the first one is kept, as in every tsad
   * reader; with {@code strict} they throw.
   */
  Read read(Object data, int features, TimeFormat timeFormat, DataReport report, boolean strict) {
    if (data == null) {
      return Read.reject(null, "the series is NULL");
    }
    int n = list.getListLength(data);
    if (n == 0) {
      return Read.reject(RejectReason.TOO_SHORT, "the series is empty");
    }
    int got = shape == Shape.RECORDS ? valueFields.size() : shape == Shape.UNIVARIATE ? 1 : -1;
    if (got > 0 && got != features) {
      return Read.reject(RejectReason.MALFORMED_ROW, "the series has " + got + " feature(s) per step, the model "
          + features);
    }
    if (shape != Shape.RECORDS) {
      long[] times = new long[n];
      float[] values = new float[n * features];
      for (int i = 0; i < n; i++) {
        times[i] = i;
        Object step = list.getListElement(data, i);
        if (shape == Shape.UNIVARIATE) {
          RejectReason bad = value(step, scalar, values, i);
          if (bad != null) {
            return Read.reject(bad, "step " + i + " is " + (step == null ? "NULL" : "not finite"));
          }
          continue;
        }
        int m = step == null ? -1 : row.getListLength(step);
        if (m != features) {
          return Read.reject(RejectReason.MALFORMED_ROW, "step " + i + " has " + (m < 0 ? "NULL" : m + " values")
              + ", the model expects " + features + " features per step");
        }
        for (int j = 0; j < features; j++) {
          Object v = row.getListElement(step, j);
          RejectReason bad = value(v, scalar, values, i * features + j);
          if (bad != null) {
            return Read.reject(bad, "step " + i + " feature " + j + " is " + (v == null ? "NULL" : "not finite"));
          }
        }
      }
      return new Read(new Series(ROW, times, values, features), null, null);
    }
    SeriesBuilder b = new SeriesBuilder(ROW, features);
    float[] one = new float[features];
    for (int i = 0; i < n; i++) {
      Object rec = list.getListElement(data, i);
      Object t = rec == null ? null : struct.getStructFieldData(rec, timeField);
      if (t == null) {
        return Read.reject(RejectReason.MISSING_TIME, "element " + i + " has no time");
      }
      long ms;
      try {
        ms = time(t, timeFormat);
      } catch (IllegalArgumentException e) {
        return Read.reject(RejectReason.BAD_TIME, "element " + i + ": " + e.getMessage());
      }
      for (int j = 0; j < features; j++) {
        Object v = struct.getStructFieldData(rec, valueFields.get(j));
        RejectReason bad = value(v, valueOis.get(j), one, j);
        if (bad != null) {
          return Read.reject(bad, "element " + i + " field " + valueFields.get(j).getFieldName() + " is "
              + (v == null ? "NULL" : "not finite"));
        }
      }
      b.add(ms, one);
    }
    return new Read(b.build(report, strict), null, null);
  }

  private static RejectReason value(Object v, PrimitiveObjectInspector oi, float[] into, int at) {
    if (v == null) {
      return RejectReason.MISSING_VALUE;
    }
    double d = PrimitiveObjectInspectorUtils.getDouble(v, oi);
    float f = (float) d;
    if (!Float.isFinite(f)) {
      return RejectReason.NON_FINITE;
    }
    into[at] = f;
    return null;
  }

  private long time(Object t, TimeFormat format) {
    PrimitiveCategory c = timeOi.getPrimitiveCategory();
    switch (c) {
      case TIMESTAMP: case DATE:
        return dateTime(timeOi.getPrimitiveJavaObject(t));
      case STRING: case VARCHAR: case CHAR:
        return TimeParser.parse(PrimitiveObjectInspectorUtils.getString(t, timeOi), format);
      default:
        // Integer times are only ordered (and echoed by anomaly_detail), so their unit does not matter.
        return PrimitiveObjectInspectorUtils.getLong(t, timeOi);
    }
  }

  /**
   * Epoch milliseconds of a TIMESTAMP or DATE value, read as a zone-less wall-clock time in UTC (Hive's rule).
   * Hive 3.1+ hands out its own {@code common.type.Timestamp} / {@code Date}; Hive 2.3 (the Hive inside Spark)
   * hands out {@code java.sql.Timestamp} / {@code java.sql.Date}. The typed inspector methods return different
   * classes in the two, so a call compiled against one is a NoSuchMethodError in the other: going through
   * {@code getPrimitiveJavaObject(Object)} (which returns Object in both) and branching on the class works in
   * both. The java.sql types are tested first, so a Hive 2.3 JVM never resolves the Hive 3.1+ classes.
   */
  private static long dateTime(Object v) {
    if (v instanceof java.sql.Timestamp ts) {
      return ts.toLocalDateTime().toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toEpochDay() * 86_400_000L;
    }
    if (v instanceof org.apache.hadoop.hive.common.type.Timestamp ts) {
      return ts.toEpochMilli();
    }
    if (v instanceof org.apache.hadoop.hive.common.type.Date d) {
      return d.toEpochMilli();
    }
    throw new IllegalArgumentException("unsupported time value of class " + v.getClass().getName());
  }
}
