package tsad.hive;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import tsad.core.data.Series;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/**
 * scripts/bench-native-memory.sh: whether a long-lived JVM (HiveServer2, LLAP) keeps its native memory flat. Mode
 * {@code reload}: the cached model is replaced N times, as alias moves replace it, with a score_anomaly call on each
 * new model; mode {@code calls}: N score_anomaly calls on one model. Prints the native memory (RSS less the JVM's
 * committed heap and non-heap) after warm-up and at the end, every tenth of the way, and the change in per cent.
 * Arguments: MODE N [DIR].
 */
public final class NativeMemoryBench {
  private NativeMemoryBench() {}

  /** Runs one mode and prints its figures. */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    long n = Long.parseLong(args[1]);
    Path dir = Files.createTempDirectory(Path.of(args.length > 2 ? args[2] : "").toAbsolutePath(), "run-");
    int t = 64;
    TestModels.Trained m = TestModels.train(dir.resolve("model"), 400, t, 1, 7,
        new WindowSpec(WindowMode.SLICE, t, t, LengthPolicy.REJECT));
    String uri = m.bundle().toString();
    ScoreAnomalyUDF f = new ScoreAnomalyUDF();
    f.initialize(new ObjectInspector[] {Udfs.constant(uri), Udfs.UNIVARIATE});
    List<Object> inputs = new ArrayList<>();
    for (Series s : m.testSeries()) {
      inputs.add(Udfs.univariate(s));
    }
    UdfOptions options = UdfOptions.parse(Map.of(), null);
    long warmUp = Math.max(1, n / 20);
    long step = Math.max(1, n / 10);
    List<LoadedModel> replaced = new ArrayList<>();
    double atWarmUp = 0;
    StringBuilder samples = new StringBuilder();
    double min = Double.MAX_VALUE;
    double max = 0;
    long t0 = System.nanoTime();
    for (long i = 0; i < n; i++) {
      if (mode.equals("reload")) {
        replaced.add(ModelCache.get(uri, options, null));
        ModelCache.reload(uri, options, null);
      }
      Udfs.call(f, "", inputs.get((int) (i % inputs.size())));
      if (i + 1 == warmUp) {
        atWarmUp = nativeMb();
        samples.append(String.format(Locale.ROOT, " %.0f", atWarmUp));
      } else if (i + 1 > warmUp && ((i + 1) % step == 0 || i + 1 == n)) {
        double now = nativeMb();
        samples.append(String.format(Locale.ROOT, " %.0f", now));
        min = Math.min(min, now);
        max = Math.max(max, now);
      }
    }
    double end = nativeMb();
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%s: %d %s in %.0f s; native MB (RSS - JVM committed) after warm-up (%d) and every "
        + "%d:%s%n", mode, n, mode.equals("reload") ? "model reloads, each with a score_anomaly call"
        : "score_anomaly calls", secs, warmUp, step, samples);
    System.out.printf(Locale.ROOT, "%s: native after warm-up %.1f MB, at the end %.1f MB (%+.1f %%); range after "
        + "warm-up %.1f..%.1f MB (%+.1f..%+.1f %%); RSS at the end %.1f MB%n", mode, atWarmUp, end,
        100 * (end - atWarmUp) / atWarmUp, min, max, 100 * (min - atWarmUp) / atWarmUp,
        100 * (max - atWarmUp) / atWarmUp, rssMb());
    if (mode.equals("reload")) {
      long freed = replaced.stream().filter(LoadedModel::freed).count();
      System.out.printf(Locale.ROOT, "reload: %d of %d replaced models freed%n", freed, replaced.size());
    }
  }

  /** Resident memory less what the JVM has committed for heap and non-heap: the native part, near enough. */
  private static double nativeMb() throws Exception {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long committed = mx.getHeapMemoryUsage().getCommitted() + mx.getNonHeapMemoryUsage().getCommitted();
    return rssMb() - committed / (1024.0 * 1024.0);
  }

  private static double rssMb() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return -1;
  }
}
