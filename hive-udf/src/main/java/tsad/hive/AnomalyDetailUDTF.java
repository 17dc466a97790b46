package tsad.hive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.MapredContext;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDTF;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.StructField;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import tsad.core.score.ScoreResult;
import tsad.core.window.Window;

/**
 * {@code anomaly_detail(model_uri, series [, options])}: one row per scored time step, to see where a
 * series is anomalous: {@code window INT, pos INT, ts BIGINT, error DOUBLE, window_score DOUBLE,
 * is_anomaly BOOLEAN, feature_share ARRAY<DOUBLE>}. {@code pos} is the step's position in the time-sorted
 * series, {@code ts} its time (epoch millis for STRING/TIMESTAMP times, the integer as given, or the position
 * for array input), {@code error} the step's squared reconstruction error averaged over features, and
 * {@code feature_share} each feature's share of that step's error. Padded steps are not emitted.
 */
@Description(name = "anomaly_detail",
    value = "_FUNC_(model_uri, series [, options]) - per-step reconstruction errors of a time series",
    extended = "Example: SELECT s.slice_id, d.* FROM series s LATERAL VIEW _FUNC_('models:/AE@champion', s.v) d")
public final class AnomalyDetailUDTF extends GenericUDTF {
  /** Names of the output columns, in order. */
  public static final List<String> COLUMNS = List.of("window", "pos", "ts", "error", "window_score", "is_anomaly",
      "feature_share");
  private transient ScoringCall call;
  private transient MapredContext context;

  /** Checks the arguments at compile time (constant URI and options, series type) and declares the columns. */
  @Override
  public StructObjectInspector initialize(StructObjectInspector argOIs) throws UDFArgumentException {
    List<? extends StructField> fields = argOIs.getAllStructFieldRefs();
    ObjectInspector[] args = new ObjectInspector[fields.size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = fields.get(i).getFieldObjectInspector();
    }
    call = ScoringCall.initialize("anomaly_detail", args);
    call.configure(context);
    return ObjectInspectorFactory.getStandardStructObjectInspector(COLUMNS, List.of(
        PrimitiveObjectInspectorFactory.javaIntObjectInspector,
        PrimitiveObjectInspectorFactory.javaIntObjectInspector,
        PrimitiveObjectInspectorFactory.javaLongObjectInspector,
        PrimitiveObjectInspectorFactory.javaDoubleObjectInspector,
        PrimitiveObjectInspectorFactory.javaDoubleObjectInspector,
        PrimitiveObjectInspectorFactory.javaBooleanObjectInspector,
        ObjectInspectorFactory.getStandardListObjectInspector(PrimitiveObjectInspectorFactory.javaDoubleObjectInspector)));
  }

  /** Takes the task's configuration and counters (Hive calls this before initialize in tasks). */
  @Override
  public void configure(MapredContext mapredContext) {
    this.context = mapredContext;
    if (call != null) {
      call.configure(mapredContext);
    }
  }

  /** Forwards one row per scored step of the series; nothing for a bad row (counted), or fails under strict. */
  @Override
  public void process(Object[] args) throws HiveException {
    ScoringCall.Scored s = call.score(args[1], true);
    if (s == null) {
      return;
    }
    for (int k = 0; k < s.windows().size(); k++) {
      Window w = s.windows().get(k);
      ScoreResult r = s.results().get(k);
      int start = Arrays.binarySearch(s.times(), w.startMs());
      float[] errors = r.stepErrors();
      for (int i = 0; i < errors.length; i++) {
        List<Double> share = new ArrayList<>(r.featureShare().length);
        for (double v : r.stepFeatureShare(i)) {
          share.add(v);
        }
        forward(new Object[] {k, start + i, s.times()[start + i], (double) errors[i], r.score(), r.isAnomaly(), share});
      }
    }
  }

  /** Bad rows this instance skipped, by reason (for tests and diagnostics). */
  public long warnings(String reason) {
    return call.warnings().count(reason);
  }

  /** Nothing to flush: rows are forwarded as they are scored. */
  @Override
  public void close() {
    // Nothing to release: each call holds the JVM's shared model only while it scores.
  }
}
