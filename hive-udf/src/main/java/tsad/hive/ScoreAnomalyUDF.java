package tsad.hive;

import java.util.List;
import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.MapredContext;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;
import org.apache.hadoop.hive.serde2.io.DoubleWritable;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.io.BooleanWritable;
import org.apache.hadoop.io.Text;
import tsad.core.score.SliceScore;

/**
 * {@code score_anomaly(model_uri, series [, options])}: the anomaly score of one series under a registered
 * model, as {@code STRUCT<score DOUBLE, threshold DOUBLE, is_anomaly BOOLEAN, model STRING, version STRING>}.
 * In slice mode the series is one model input; in window mode it is cut into the model's windows and the
 * struct carries the highest window score (anomalous if any window is). Bad rows give NULL and a counted
 * warning, or fail the query with {@code map('strict', 'true')}.
 */
@Description(name = "score_anomaly",
    value = "_FUNC_(model_uri, series [, options]) - anomaly score of a time series under a tsad model",
    extended = "series: ARRAY<DOUBLE>, ARRAY<ARRAY<DOUBLE>> or ARRAY<STRUCT<ts, v...>> (sorted by ts).\n"
        + "Example: SELECT slice_id, _FUNC_('models:/AE@champion', collect_list(named_struct('ts', ts, 'v', v)))\n"
        + "FROM readings GROUP BY slice_id")
public final class ScoreAnomalyUDF extends GenericUDF {
  /** Names of the result struct's fields, in order. */
  public static final List<String> FIELDS = List.of("score", "threshold", "is_anomaly", "model", "version");
  private transient ScoringCall call;
  private transient MapredContext context;
  // The result objects are reused row after row (Hive copies what it keeps); made in initialize, which
  // also runs in every task after the plan is deserialized.
  private transient DoubleWritable score;
  private transient DoubleWritable threshold;
  private transient BooleanWritable anomaly;
  private transient Text model;
  private transient Text version;
  private transient Object[] result;

  /** Checks the arguments at compile time (constant URI and options, series type) and declares the struct. */
  @Override
  public ObjectInspector initialize(ObjectInspector[] args) throws UDFArgumentException {
    call = ScoringCall.initialize("score_anomaly", args);
    score = new DoubleWritable();
    threshold = new DoubleWritable();
    anomaly = new BooleanWritable();
    model = new Text();
    version = new Text();
    result = new Object[] {score, threshold, anomaly, model, version};
    call.configure(context);
    return ObjectInspectorFactory.getStandardStructObjectInspector(FIELDS, List.of(
        PrimitiveObjectInspectorFactory.writableDoubleObjectInspector,
        PrimitiveObjectInspectorFactory.writableDoubleObjectInspector,
        PrimitiveObjectInspectorFactory.writableBooleanObjectInspector,
        PrimitiveObjectInspectorFactory.writableStringObjectInspector,
        PrimitiveObjectInspectorFactory.writableStringObjectInspector));
  }

  /** Takes the task's configuration and counters (Hive calls this before initialize in tasks). */
  @Override
  public void configure(MapredContext context) {
    // Hive calls configure before initialize in tasks: keep the context for initialize.
    this.context = context;
    if (call != null) {
      call.configure(context);
    }
  }

  /** Scores one series; NULL for a bad row (counted), or a HiveException under strict. */
  @Override
  public Object evaluate(DeferredObject[] args) throws HiveException {
    ScoringCall.Scored s = call.score(args[1].get(), false);
    if (s == null) {
      return null;
    }
    SliceScore slice = SliceScore.of(s.results()); // as the CLI and the score job write it per slice
    score.set(slice.score());
    threshold.set(s.threshold());
    anomaly.set(slice.isAnomaly());
    model.set(s.model().model());
    version.set(s.model().version());
    return result;
  }

  /** Bad rows this instance turned into NULL, by reason (for tests and diagnostics). */
  public long warnings(String reason) {
    return call.warnings().count(reason);
  }

  /** How EXPLAIN shows the call. */
  @Override
  public String getDisplayString(String[] children) {
    return getStandardDisplayString("score_anomaly", children);
  }
}
