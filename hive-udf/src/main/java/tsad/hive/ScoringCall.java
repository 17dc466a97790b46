package tsad.hive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.ql.exec.MapredContext;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentLengthException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.session.SessionState;
import org.apache.hadoop.hive.serde2.objectinspector.ConstantObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.score.ScoreResult;
import tsad.core.score.Scorer;
import tsad.core.score.ScoringSession;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.registry.ModelUri;

/**
 * What score_anomaly and anomaly_detail share: argument checks at compile time (constant model URI and
 * options, series type), the once-per-JVM model, and turning one series into scored windows through the
 * core SeriesBuilder, WindowBuilder and Scorer, with bad rows counted or (strict) failing the query.
 */
final class ScoringCall {
  /** The null-series warning reason (the other reasons are core RejectReason labels). */
  static final String NULL_SERIES = "null_series";

  /**
   * One scored series: the model's identity and threshold, its windows (in order) and their results.
   */
  record Scored(ScoringSession.Identity model, double threshold, List<Window> windows, long[] times,
                List<ScoreResult> results) {}

  private final String function;
  private final String uri;
  private final Map<String, String> given;
  private final SeriesInput input;
  private final Warnings warnings;
  private volatile UdfOptions options;
  private volatile Configuration conf;
  private LoadedModel builtFor;
  private WindowBuilder builder;

  private ScoringCall(String function, String uri, Map<String, String> given, SeriesInput input,
                      UdfOptions options) {
    this.function = function;
    this.uri = uri;
    this.given = given;
    this.input = input;
    this.options = options;
    this.warnings = new Warnings(function);
    this.conf = sessionConf();
  }

  /** Checks the arguments (model_uri STRING constant, series, [options MAP constant]) at compile time. */
  static ScoringCall initialize(String function, ObjectInspector[] args) throws UDFArgumentException {
    String usage = function + "(model_uri STRING, series, [options MAP<STRING,STRING>])";
    if (args.length < 2 || args.length > 3) {
      throw new UDFArgumentLengthException(usage + " takes 2 or 3 arguments, got " + args.length);
    }
    if (!(args[0] instanceof ConstantObjectInspector c) || !(args[0] instanceof PrimitiveObjectInspector)
        || c.getWritableConstantValue() == null) {
      throw new UDFArgumentTypeException(0, usage + ": the model URI must be a constant string such as "
          + "'models:/NAME@ALIAS', 'models:/NAME/3', 'models:/NAME/Production', 'hdfs:///models/m1' or "
          + "'/local/bundle' (the model is loaded once per JVM, so it cannot change from row to row)");
    }
    String uri = c.getWritableConstantValue().toString().trim();
    try {
      ModelUri.parse(uri);
    } catch (DataException e) {
      throw new UDFArgumentException(usage + ": " + e.getMessage());
    }
    Map<String, String> given = new LinkedHashMap<>();
    if (args.length == 3) {
      if (!(args[2] instanceof ConstantObjectInspector m) || args[2].getCategory() != ObjectInspector.Category.MAP) {
        throw new UDFArgumentTypeException(2, usage + ": the options must be a constant map, e.g. "
            + "map('strict', 'true', 'ttl_seconds', '60'); got " + args[2].getTypeName());
      }
      Object v = m.getWritableConstantValue();
      if (v instanceof Map<?, ?> map) {
        map.forEach((k, val) -> given.put(String.valueOf(k), val == null ? null : val.toString()));
      }
    }
    SeriesInput input = SeriesInput.of(args[1], 1);
    try {
      return new ScoringCall(function, uri, given, input, UdfOptions.parse(given, sessionConf()));
    } catch (IllegalArgumentException e) {
      throw new UDFArgumentException(usage + ": " + e.getMessage());
    }
  }

  private static Configuration sessionConf() {
    SessionState s = SessionState.get();
    return s == null ? null : s.getConf();
  }

  /** In a task: counters go to the job, and configuration keys come from the job's configuration. */
  void configure(MapredContext ctx) {
    if (ctx == null) {
      return;
    }
    conf = ctx.getJobConf();
    warnings.reporter(ctx.getReporter());
    options = UdfOptions.parse(given, conf);
  }

  /** The model URI as written in the query. */
  String uri() {
    return uri;
  }

  /** This call's warning counts. */
  Warnings warnings() {
    return warnings;
  }

  /** Loads (once per JVM) the model and holds it for one call. */
  ModelCache.Lease model() throws HiveException {
    try {
      return ModelCache.acquire(uri, options, conf);
    } catch (RuntimeException e) {
      throw new HiveException(function + ": cannot load model " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Scores one series; returns null for a bad row (counted), or throws under strict. A series of up to
   * {@link Scorer#DEFAULT_BATCH} windows goes through the scorer as one batch; a longer one in batches of that
   * size, as the score job and the CLI score by default (the same bits), and in native memory for one batch, not
   * for the whole slice.
   */
  Scored score(Object series, boolean detail) throws HiveException {
    try (ModelCache.Lease lease = model()) {
      return score(lease.model(), series, detail);
    }
  }

  private Scored score(LoadedModel m, Object series, boolean detail) throws HiveException {
    List<String[]> partial = new ArrayList<>(0);
    DataReport report = new DataReport((where, reason, what, record) -> partial.add(new String[] {reason.label(), what}));
    SeriesInput.Read r;
    try {
      r = input.read(series, m.features(), m.bundle().dataSpec().getTimeFormat(), report, options.strict());
    } catch (DataException e) {
      return bad(RejectReason.DUPLICATE_TIMESTAMP.label(), e.getMessage());
    }
    if (r.series() == null) {
      return bad(r.reason() == null ? NULL_SERIES : r.reason().label(), r.detail());
    }
    // Kept with the scores (anomaly_detail reads them back), so made once rather than on every read of the view.
    List<Window> windows = new ArrayList<>(builder(m).build(r.series(), report));
    if (windows.isEmpty()) {
      String[] first = partial.isEmpty() ? new String[] {RejectReason.TOO_SHORT.label(), "no window"} : partial.get(0);
      return bad(first[0], first[1]);
    }
    for (String[] p : partial) {
      // Partly used rows (duplicate times dropped, steps cut by length_policy=truncate) are counted, not fatal.
      warnings.warn(p[0], p[1]);
    }
    return new Scored(m.session().identity(), m.session().threshold(), windows, r.series().timesMs(),
        m.session().score(windows, Scorer.DEFAULT_BATCH, detail));
  }

  private synchronized WindowBuilder builder(LoadedModel m) {
    if (m != builtFor) {
      builder = new WindowBuilder(m.session().compatibility().windowSpec(options.lengthPolicy()));
      builtFor = m;
    }
    return builder;
  }

  private Scored bad(String reason, String detail) throws HiveException {
    if (options.strict()) {
      throw new HiveException(function + ": bad row (" + reason + "): " + detail + Warnings.advice(reason)
          + " [strict]");
    }
    warnings.warn(reason, detail);
    return null;
  }
}
