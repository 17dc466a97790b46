package tsad.hive;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.Series;
import tsad.core.model.Autoencoder;
import tsad.core.model.Tensors;
import tsad.core.score.Scorer;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/**
 * scripts/bench-hive.sh: score_anomaly rows/s in a direct evaluate loop and inside Hive queries, against the
 * bare batch-1 forward pass of the same model in the same JVM, and the JVM's RSS over many calls.
 * Arguments: [seconds per loop] [slices for the Hive queries] [calls for the RSS run].
 */
public final class HiveBench {
  private HiveBench() {}

  /** Runs every measurement and prints one line per figure. */
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int slices = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    long rssCalls = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
    Path dir = Files.createTempDirectory(Path.of("").toAbsolutePath(), "run-");   // the script clears old runs
    int t = 64;
    TestModels.Trained m = TestModels.train(dir.resolve("model"), 400, t, 1, 7,
        new WindowSpec(WindowMode.SLICE, t, t, LengthPolicy.REJECT));
    List<Series> pool = m.testSeries();
    String uri = m.bundle().toString();
    ScoreAnomalyUDF arrays = udf(uri, Udfs.UNIVARIATE);
    ScoreAnomalyUDF structs = udf(uri, Udfs.records(1));
    List<Object> arrayArgs = new ArrayList<>();
    List<Object> structArgs = new ArrayList<>();
    for (Series s : pool) {
      arrayArgs.add(Udfs.univariate(s));
      structArgs.add(Udfs.records(s));
    }
    double forward;
    Udfs.call(arrays, "", arrayArgs.get(0));   // loads the model once for this JVM (1 torch thread)
    ModelBundle bundle = ModelBundle.load(m.bundle());
    Series first = pool.get(0);
    List<Window> one = List.of(new Window("x", "x", 0, 0, t, 1, t, 0, first.values()));
    Scorer scorer = bundle.newScorer();
    try (Autoencoder model = bundle.newModel(); PointerScope outer = new PointerScope()) {
      Tensor x = Tensors.windows(one, 0, 1, new Scaler(bundle.scaler()));
      // The machine is shared: short rounds of each loop, interleaved, best round of each (the least disturbed).
      Runnable[] loops = {
          () -> {
            try (PointerScope scope = new PointerScope(); InferenceMode g = new InferenceMode()) {
              model.forward(x);
            }
          },
          () -> scorer.score(one, 1, false),
          call(arrays, arrayArgs),
          call(structs, structArgs)};
      String[] names = {"bare forward, batch 1, 1 thread (reference)", "core Scorer.score, batch 1",
          "score_anomaly direct evaluate, ARRAY<DOUBLE>",
          "score_anomaly direct evaluate, ARRAY<STRUCT<ts,v>> (shuffled, sorted by the function)"};
      double[] best = new double[loops.length];
      int rounds = (int) Math.max(3, Math.round(seconds / 0.25));
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < loops.length; k++) {
          best[k] = Math.max(best[k], loop(loops[k], 0.25));
        }
      }
      forward = best[0];
      for (int k = 0; k < loops.length; k++) {
        print(names[k] + " (best of " + rounds + " rounds)", best[k], forward);
      }
    }
    if (rssCalls > 0) {
      rss(arrays, arrayArgs, rssCalls);
    }
    if (slices > 0) {
      hive(dir, uri, pool, slices, forward, rssCalls);
    }
  }

  private static ScoreAnomalyUDF udf(String uri, ObjectInspector series) throws Exception {
    ScoreAnomalyUDF f = new ScoreAnomalyUDF();
    f.initialize(new ObjectInspector[] {Udfs.constant(uri), series});
    return f;
  }

  private static Runnable call(GenericUDF f, List<Object> inputs) {
    int[] i = {0};
    return () -> {
      try {
        Udfs.call(f, "", inputs.get(i[0]++ % inputs.size()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static double loop(Runnable r, double seconds) {
    for (int i = 0; i < 500; i++) {
      r.run();
    }
    long n = 0;
    long t0 = System.nanoTime();
    double elapsed;
    do {
      for (int i = 0; i < 100; i++) {
        r.run();
      }
      n += 100;
      elapsed = (System.nanoTime() - t0) / 1e9;
    } while (elapsed < seconds);
    return n / elapsed;
  }

  private static void hive(Path dir, String uri, List<Series> pool, int slices, double forward, long rssCalls)
      throws Exception {
    List<String> arrays = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    for (int k = 0; k < slices; k++) {
      Series s = pool.get(k % pool.size());
      StringBuilder a = new StringBuilder("s").append(k).append('\t');
      for (int i = 0; i < s.length(); i++) {
        a.append(i == 0 ? "" : ",").append(s.values()[i]);
        rows.add("s" + k + "\t" + s.timesMs()[i] + "\t" + s.values()[i]);
      }
      arrays.add(a.toString());
    }
    Files.write(dir.resolve("arrays.tsv"), arrays, StandardCharsets.UTF_8);
    Files.write(dir.resolve("rows.tsv"), rows, StandardCharsets.UTF_8);
    try (EmbeddedHive h = new EmbeddedHive(dir.resolve("hive"))) {
      h.sql("CREATE TABLE series_arr (slice_id STRING, v ARRAY<DOUBLE>) ROW FORMAT DELIMITED FIELDS TERMINATED BY "
          + "'\\t' COLLECTION ITEMS TERMINATED BY ',' STORED AS TEXTFILE");
      h.sql("LOAD DATA LOCAL INPATH '" + dir.resolve("arrays.tsv") + "' INTO TABLE series_arr");
      h.sql("CREATE TABLE readings (slice_id STRING, ts BIGINT, v DOUBLE) ROW FORMAT DELIMITED FIELDS TERMINATED BY "
          + "'\\t' STORED AS TEXTFILE");
      h.sql("LOAD DATA LOCAL INPATH '" + dir.resolve("rows.tsv") + "' INTO TABLE readings");
      h.sql("CREATE TEMPORARY FUNCTION score_anomaly AS 'tsad.hive.ScoreAnomalyUDF'");
      h.sql("SELECT count(*) FROM readings");   // untimed: the first job in a JVM pays the warm-up
      query(h, "Hive map-only scan, no scoring: SELECT sum(size(v)) FROM series_arr", slices, forward,
          "SELECT sum(size(v)) FROM series_arr");
      query(h, "Hive map-only: SELECT sum(score_anomaly(uri, v).score) FROM series_arr", slices, forward,
          "SELECT sum(score_anomaly('" + uri + "', v).score) FROM series_arr");
      query(h, "Hive GROUP BY, no scoring: size(collect_list(named_struct(ts, v)))", slices, forward,
          "SELECT sum(n) FROM (SELECT size(collect_list(named_struct('ts', ts, 'v', v))) AS n FROM readings "
              + "GROUP BY slice_id) x");
      query(h, "Hive GROUP BY: score_anomaly(uri, collect_list(named_struct(ts, v)))", slices, forward,
          "SELECT sum(s.score) FROM (SELECT score_anomaly('" + uri + "', collect_list(named_struct('ts', ts, 'v', v)))"
              + " AS s FROM readings GROUP BY slice_id) x");
      if (rssCalls > 0) {
        // About rssCalls calls inside one Hive query (each array scored several times), RSS sampled meanwhile.
        int repeat = (int) Math.max(1, rssCalls / slices);
        String sql = "SELECT count(s.score), sum(s.score) FROM (SELECT score_anomaly('" + uri + "', v) AS s "
            + "FROM series_arr LATERAL VIEW posexplode(split(space(" + (repeat - 1) + "), ' ')) r AS i, x) q";
        List<String> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread sampler = new Thread(() -> {
          try {
            while (!Thread.currentThread().isInterrupted()) {
              samples.add(String.format(Locale.ROOT, "%.0f", rssMb()));
              Thread.sleep(5000);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            samples.add("error " + e);
          }
        });
        sampler.setDaemon(true);
        sampler.start();
        query(h, "Hive map-only, " + repeat + " calls per row (RSS run)", slices * repeat, forward, sql);
        sampler.interrupt();
        sampler.join();
        System.out.println("RSS MB of the Hive JVM every 5 s during " + (long) slices * repeat
            + " score_anomaly calls in one query: " + String.join(" ", samples) + " (after: "
            + String.format(Locale.ROOT, "%.0f", rssMb()) + ")");
      }
    }
  }

  private static void query(EmbeddedHive h, String what, int slices, double forward, String sql) throws Exception {
    long t0 = System.nanoTime();
    List<String> r = h.sql(sql);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%-90s %9.0f rows/s  (%d slices in %.1f s, whole query; result %s)  ratio %.2f%n",
        what, slices / secs, slices, secs, r, slices / secs / forward);
  }

  private static void rss(GenericUDF f, List<Object> inputs, long calls) throws Exception {
    StringBuilder line = new StringBuilder();
    long step = Math.max(1, calls / 10);
    for (long c = 0; c < calls; c++) {
      if (c % step == 0) {
        line.append(String.format(Locale.ROOT, " %.0f", rssMb()));
      }
      Udfs.call(f, "", inputs.get((int) (c % inputs.size())));
    }
    line.append(String.format(Locale.ROOT, " %.0f", rssMb()));
    System.out.println("RSS MB every " + step + " direct evaluate calls of " + calls + ":" + line);
  }

  private static double rssMb() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return -1;
  }

  private static void print(String what, double rate, double forward) {
    System.out.printf(Locale.ROOT, "%-90s %9.0f rows/s  ratio %.2f%n", what, rate, rate / forward);
  }
}
