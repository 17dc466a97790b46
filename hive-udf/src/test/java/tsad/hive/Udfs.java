package tsad.hive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;
import org.apache.hadoop.hive.serde2.io.DoubleWritable;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.typeinfo.TypeInfoFactory;
import org.apache.hadoop.io.BooleanWritable;
import org.apache.hadoop.io.Text;
import tsad.core.data.Series;

/** ObjectInspectors and Java values for calling the functions the way Hive does, without Hive. */
final class Udfs {
  static final ObjectInspector DOUBLE = PrimitiveObjectInspectorFactory.javaDoubleObjectInspector;
  static final ObjectInspector LONG = PrimitiveObjectInspectorFactory.javaLongObjectInspector;
  static final ObjectInspector STRING = PrimitiveObjectInspectorFactory.javaStringObjectInspector;
  static final ObjectInspector UNIVARIATE = ObjectInspectorFactory.getStandardListObjectInspector(DOUBLE);
  static final ObjectInspector MULTIVARIATE = ObjectInspectorFactory.getStandardListObjectInspector(UNIVARIATE);

  private Udfs() {}

  /** A constant string argument, as Hive passes a literal. */
  static ObjectInspector constant(String s) {
    return PrimitiveObjectInspectorFactory.getPrimitiveWritableConstantObjectInspector(TypeInfoFactory.stringTypeInfo,
        new Text(s));
  }

  /** A constant options map, as Hive passes map('k', 'v', ...). */
  static ObjectInspector options(String... kv) {
    Map<Text, Text> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(new Text(kv[i]), new Text(kv[i + 1]));
    }
    return ObjectInspectorFactory.getStandardConstantMapObjectInspector(
        PrimitiveObjectInspectorFactory.writableStringObjectInspector,
        PrimitiveObjectInspectorFactory.writableStringObjectInspector, m);
  }

  /** ARRAY<STRUCT<ts BIGINT, v1 DOUBLE, ...>> with {@code features} value fields. */
  static ObjectInspector records(int features) {
    List<String> names = new ArrayList<>(List.of("ts"));
    List<ObjectInspector> ois = new ArrayList<>(List.of(LONG));
    for (int j = 0; j < features; j++) {
      names.add("v" + j);
      ois.add(DOUBLE);
    }
    return ObjectInspectorFactory.getStandardListObjectInspector(
        ObjectInspectorFactory.getStandardStructObjectInspector(names, ois));
  }

  /** The values of a univariate series as a Hive array. */
  static List<Double> univariate(Series s) {
    List<Double> out = new ArrayList<>();
    for (float v : s.values()) {
      out.add((double) v);
    }
    return out;
  }

  /** The steps of a series as a Hive array of arrays. */
  static List<List<Double>> multivariate(Series s) {
    List<List<Double>> out = new ArrayList<>();
    int f = s.features();
    for (int i = 0; i < s.length(); i++) {
      List<Double> step = new ArrayList<>();
      for (int j = 0; j < f; j++) {
        step.add((double) s.values()[i * f + j]);
      }
      out.add(step);
    }
    return out;
  }

  /** The steps of a series as structs (ts, v...), in reversed order so the function has to sort them. */
  static List<Object> records(Series s) {
    List<Object> out = new ArrayList<>();
    int f = s.features();
    for (int i = s.length() - 1; i >= 0; i--) {
      List<Object> rec = new ArrayList<>(List.of(s.timesMs()[i]));
      for (int j = 0; j < f; j++) {
        rec.add((double) s.values()[i * f + j]);
      }
      out.add(rec);
    }
    return out;
  }

  /** Calls evaluate with plain Java argument values. */
  static Object call(GenericUDF udf, Object... args) throws HiveException {
    GenericUDF.DeferredObject[] d = Arrays.stream(args).map(GenericUDF.DeferredJavaObject::new)
        .toArray(GenericUDF.DeferredObject[]::new);
    return udf.evaluate(d);
  }

  /** The score field of a score_anomaly result. */
  static double score(Object result) {
    return ((DoubleWritable) ((Object[]) result)[0]).get();
  }

  /** The is_anomaly field of a score_anomaly result. */
  static boolean anomaly(Object result) {
    return ((BooleanWritable) ((Object[]) result)[2]).get();
  }

  /** The model and version fields of a score_anomaly result. */
  static String modelVersion(Object result) {
    Object[] r = (Object[]) result;
    return r[3] + " " + r[4];
  }
}
